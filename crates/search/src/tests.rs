use super::*;

fn doc(kind: DocKind, id: i64, title: &str, body: &str) -> SearchDoc {
    SearchDoc {
        kind,
        id,
        title: title.into(),
        body: body.into(),
        tags: String::new(),
    }
}

fn index() -> SearchIndex {
    let ix = SearchIndex::in_memory().expect("index");
    ix.upsert(&[
        doc(
            DocKind::Scenario,
            1,
            "唐山港散货码头皮带机巡检",
            "需要巡检机器人替代人工对皮带机进行全天候巡检",
        ),
        doc(
            DocKind::Scenario,
            2,
            "雄安新区城市数字治理平台",
            "面向城市管理的数字孪生与事件处置",
        ),
        doc(
            DocKind::Achievement,
            3,
            "Track-mounted inspection robot",
            "An inspection robot for conveyor belts in ports and mines",
        ),
        doc(
            DocKind::Achievement,
            4,
            "轨道式智能巡检机器人",
            "适用于港口、煤矿的皮带廊巡检",
        ),
    ])
    .expect("upsert");
    ix
}

fn ids(hits: &[Hit]) -> Vec<i64> {
    hits.iter().map(|h| h.id).collect()
}

#[test]
fn chinese_search_finds_a_word_inside_longer_text() {
    let ix = index();
    let (hits, total) = ix.search("巡检机器人", None, 10).expect("search");
    assert_eq!(total, 2);
    let mut found = ids(&hits);
    found.sort_unstable();
    assert_eq!(found, [1, 4]);
}

#[test]
fn title_matches_rank_above_body_matches() {
    let ix = index();
    let (hits, _) = ix.search("巡检机器人", None, 10).expect("search");
    assert_eq!(hits[0].id, 4, "the title match comes first: {hits:?}");
}

#[test]
fn english_search_is_stemmed_and_ignores_stop_words() {
    let ix = index();
    let (hits, _) = ix
        .search("the inspecting robots", None, 10)
        .expect("search");
    assert_eq!(ids(&hits), [3]);
}

#[test]
fn a_kind_filter_keeps_only_that_kind() {
    let ix = index();
    let (hits, total) = ix
        .search("巡检", Some(DocKind::Scenario), 10)
        .expect("search");
    assert_eq!((ids(&hits), total), (vec![1], 1));
    assert!(hits.iter().all(|h| h.kind == DocKind::Scenario));
}

#[test]
fn replacing_and_deleting_a_record_updates_results_at_once() {
    let ix = index();
    ix.upsert(&[doc(DocKind::Scenario, 2, "雄安新区城市巡检无人机", "")])
        .expect("upsert");
    assert_eq!(ix.len(), 4);
    assert_eq!(ix.search("无人机", None, 10).expect("search").1, 1);
    ix.delete(DocKind::Scenario, 2).expect("delete");
    assert_eq!(ix.search("无人机", None, 10).expect("search").1, 0);
    assert_eq!(ix.search("数字治理", None, 10).expect("search").1, 0);
}

#[test]
fn a_record_must_contain_every_word_of_the_query() {
    let ix = index();
    assert_eq!(ix.search("皮带机 火星", None, 10).expect("search").1, 0);
    assert_eq!(ix.search("皮带机", None, 10).expect("search").1, 1);
}

#[test]
fn punctuation_and_empty_queries_find_nothing() {
    let ix = index();
    assert_eq!(ix.search("，。！ ", None, 10).expect("search").1, 0);
}
