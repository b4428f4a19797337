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
    index
        .tokenizers()
        .register(GRAMS_ANALYZER, TextAnalyzer::builder(CjkBigrams).build());
    index
        .tokenizers()
        .register(CHARS_ANALYZER, TextAnalyzer::builder(CjkChars).build());
}

/// The distinct terms of a query, in order, as the index would store them.
pub fn query_terms(index: &Index, q: &str) -> Vec<String> {
    distinct_tokens(index, QUERY_ANALYZER, q)
}

/// The distinct CJK characters of a text, in order.
pub fn cjk_chars(q: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for c in q.chars().filter(|c| is_cjk(*c)) {
        let s = c.to_string();
        if !out.contains(&s) {
            out.push(s);
        }
    }
    out
}

/// Whether a text has any CJK character.
pub fn has_cjk(q: &str) -> bool {
    q.chars().any(is_cjk)
}

/// The distinct character pairs of a text, in order.
pub fn bigrams(index: &Index, q: &str) -> Vec<String> {
    distinct_tokens(index, GRAMS_ANALYZER, q)
}

fn distinct_tokens(index: &Index, analyzer: &str, q: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    let Some(mut a) = index.tokenizers().get(analyzer) else {
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

/// Analyzer of the character-bigram field.
pub const GRAMS_ANALYZER: &str = "duijie_grams";

/// Whether a character is written in a script without spaces between words (Han, kana,
/// Hangul), where overlapping character pairs find words whatever the segmentation.
fn is_cjk(c: char) -> bool {
    matches!(c as u32,
        0x3040..=0x30FF | 0x3400..=0x4DBF | 0x4E00..=0x9FFF | 0xAC00..=0xD7AF | 0xF900..=0xFAFF
        | 0x20000..=0x2FA1F)
}

/// Overlapping pairs of CJK characters (a lone character on its own); other text is skipped,
/// the word analyzers cover it. Complements jieba: a query word segmented differently from the
/// document still shares its character pairs with it.
#[derive(Clone, Default)]
pub(crate) struct CjkBigrams;

pub(crate) struct CjkBigramStream {
    tokens: Vec<Token>,
    at: usize,
}

impl Tokenizer for CjkBigrams {
    type TokenStream<'a> = CjkBigramStream;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> CjkBigramStream {
        let mut tokens = Vec::new();
        let mut run: Vec<(usize, char)> = Vec::new();
        let flush = |run: &mut Vec<(usize, char)>, tokens: &mut Vec<Token>| {
            let end_of = |i: usize| run[i].0 + run[i].1.len_utf8();
            if run.len() == 1 {
                tokens.push(token(
                    run[0].0,
                    end_of(0),
                    run[0].1.to_string(),
                    tokens.len(),
                ));
            }
            for i in 1..run.len() {
                let text: String = [run[i - 1].1, run[i].1].iter().collect();
                tokens.push(token(run[i - 1].0, end_of(i), text, tokens.len()));
            }
            run.clear();
        };
        for (at, c) in text.char_indices() {
            if is_cjk(c) {
                run.push((at, c));
            } else if !run.is_empty() {
                flush(&mut run, &mut tokens);
            }
        }
        if !run.is_empty() {
            flush(&mut run, &mut tokens);
        }
        CjkBigramStream { tokens, at: 0 }
    }
}

/// Analyzer of the single-character field: the recall path of a Chinese query, which finds
/// records holding the query's characters inside other words (氢 in 氢冶金 and 富氢).
pub const CHARS_ANALYZER: &str = "duijie_chars";

/// Each CJK character of a text as a token; other text is skipped.
#[derive(Clone, Default)]
pub(crate) struct CjkChars;

impl Tokenizer for CjkChars {
    type TokenStream<'a> = CjkBigramStream;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> CjkBigramStream {
        let tokens = text
            .char_indices()
            .filter(|(_, c)| is_cjk(*c))
            .enumerate()
            .map(|(i, (at, c))| token(at, at + c.len_utf8(), c.to_string(), i))
            .collect();
        CjkBigramStream { tokens, at: 0 }
    }
}

fn token(from: usize, to: usize, text: String, position: usize) -> Token {
    Token {
        offset_from: from,
        offset_to: to,
        position,
        text,
        position_length: 1,
    }
}

impl TokenStream for CjkBigramStream {
    fn advance(&mut self) -> bool {
        self.at += 1;
        self.at <= self.tokens.len()
    }

    fn token(&self) -> &Token {
        &self.tokens[self.at - 1]
    }

    fn token_mut(&mut self) -> &mut Token {
        &mut self.tokens[self.at - 1]
    }
}

/// The character pairs of each CJK run of a text, in order (for phrase queries).
pub fn bigram_runs(index: &Index, q: &str) -> Vec<Vec<String>> {
    let mut runs: Vec<Vec<String>> = Vec::new();
    let Some(mut a) = index.tokenizers().get(GRAMS_ANALYZER) else {
        return runs;
    };
    let mut stream = a.token_stream(q);
    let mut last_end = usize::MAX;
    while let Some(t) = stream.next() {
        // Pairs of one run overlap by one character.
        let overlaps = last_end != usize::MAX && t.offset_from < last_end;
        if !overlaps {
            runs.push(Vec::new());
        }
        last_end = t.offset_to;
        if let Some(r) = runs.last_mut() {
            r.push(t.text.clone());
        }
    }
    runs
}
