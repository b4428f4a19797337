//! The text analyzers: jieba segmentation (search mode when indexing, so that both a compound
//! and its parts are terms; default mode for queries), then lower-casing, English stop words and
//! Snowball stemming. Tokens without a letter or digit (spaces, punctuation) are dropped.

use tantivy::tokenizer::{
    Language, LowerCaser, Stemmer, StopWordFilter, TextAnalyzer, Token, TokenFilter, TokenStream,
    Tokenizer,
};
use tantivy::Index;
use tantivy_jieba::JiebaTokenizer;

/// Analyzer used for indexed text.
pub const INDEX_ANALYZER: &str = "duijie_index";
/// Analyzer used for query text.
pub const QUERY_ANALYZER: &str = "duijie_query";

fn analyzer(search_mode: bool) -> TextAnalyzer {
    let mut b = TextAnalyzer::builder(JiebaTokenizer::with_search_mode(search_mode))
        .filter(WordsOnly)
        .filter(LowerCaser)
        .dynamic();
    if let Some(stop) = StopWordFilter::new(Language::English) {
        b = b.filter_dynamic(stop);
    }
    b.filter_dynamic(Stemmer::new(Language::English)).build()
}

pub(crate) fn register(index: &Index) {
    index.tokenizers().register(INDEX_ANALYZER, analyzer(true));
    index.tokenizers().register(QUERY_ANALYZER, analyzer(false));
}

/// The distinct terms of a query, in order, as the index would store them.
pub fn query_terms(index: &Index, q: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    let Some(mut a) = index.tokenizers().get(QUERY_ANALYZER) else {
        return out;
    };
    let mut stream = a.token_stream(q);
    while let Some(t) = stream.next() {
        if !out.contains(&t.text) {
            out.push(t.text.clone());
        }
    }
    out
}

/// Drops tokens that contain no letter or digit of any script.
#[derive(Clone)]
struct WordsOnly;

impl TokenFilter for WordsOnly {
    type Tokenizer<T: Tokenizer> = WordsOnlyWrapper<T>;

    fn transform<T: Tokenizer>(self, tokenizer: T) -> WordsOnlyWrapper<T> {
        WordsOnlyWrapper(tokenizer)
    }
}

#[derive(Clone)]
struct WordsOnlyWrapper<T>(T);

impl<T: Tokenizer> Tokenizer for WordsOnlyWrapper<T> {
    type TokenStream<'a> = WordsOnlyStream<T::TokenStream<'a>>;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> Self::TokenStream<'a> {
        WordsOnlyStream(self.0.token_stream(text))
    }
}

struct WordsOnlyStream<T>(T);

impl<T: TokenStream> TokenStream for WordsOnlyStream<T> {
    fn advance(&mut self) -> bool {
        while self.0.advance() {
            if self.0.token().text.chars().any(char::is_alphanumeric) {
                return true;
            }
        }
        false
    }

    fn token(&self) -> &Token {
        self.0.token()
    }

    fn token_mut(&mut self) -> &mut Token {
        self.0.token_mut()
    }
}
