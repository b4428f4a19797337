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
    // 皮带机 is a word of 1; 4 holds its characters in 皮带廊 and 机器人 (ranked after).
    let (hits, total) = ix.search("皮带机", None, 10).expect("search");
    assert_eq!((ids(&hits), total), (vec![1, 4], 2));
}

#[test]
fn punctuation_and_empty_queries_find_nothing() {
    let ix = index();
    assert_eq!(ix.search("，。！ ", None, 10).expect("search").1, 0);
}

#[test]
fn chinese_text_is_segmented_into_words() {
    let ix = index();
    let terms: Vec<String> = ix
        .analyze("曹妃甸港区皮带机巡检机器人")
        .into_iter()
        .map(|w| w.term)
        .collect();
    assert!(terms.contains(&"巡检".to_string()), "{terms:?}");
    assert!(terms.contains(&"机器人".to_string()), "{terms:?}");
    assert!(!terms.iter().any(|t| t.chars().count() > 6), "{terms:?}");
}

#[test]
fn analysed_words_keep_the_text_they_came_from() {
    let ix = index();
    let words = ix.analyze("Inspection robots");
    assert_eq!(words[0].term, "inspect");
    assert_eq!(words[0].surface, "Inspection");
}

#[test]
fn character_pairs_find_a_word_segmented_differently() {
    let ix = SearchIndex::in_memory().expect("index");
    ix.upsert(&[doc(
        DocKind::Achievement,
        1,
        "基于深度学习的钢板表面缺陷检测",
        "",
    )])
    .expect("upsert");
    // Not a whole word of the title in either segmentation, but its characters in sequence.
    let hits = ix.search_any("表面缺陷", None, 10).expect("search");
    assert_eq!(ids(&hits), [1]);
    assert_eq!(
        bigram_runs(&ix.index, "钢板 表面x缺陷"),
        vec![
            vec!["钢板".to_string()],
            vec!["表面".to_string()],
            vec!["缺陷".to_string()]
        ]
    );
}

#[test]
fn a_chinese_query_also_finds_its_characters_inside_other_words_ranked_after_whole_words() {
    let ix = SearchIndex::in_memory().expect("index");
    ix.upsert(&[
        doc(
            DocKind::Scenario,
            1,
            "钢厂氢冶金示范",
            "高炉富氢喷吹，降低能耗",
        ),
        doc(DocKind::Scenario, 2, "氢能重卡加氢站", "港口氢能物流"),
        doc(DocKind::Scenario, 3, "焦炉煤气氢气回收", "提纯后供应园区"),
        doc(DocKind::Scenario, 4, "光伏电站清洗机器人", "节能降本"),
        doc(DocKind::Achievement, 5, "氢冶金工艺", "能效提升"),
    ])
    .expect("upsert");
    // 氢能 as a word is in 2 only; 1 holds 氢 and 能 in other words; 3 has no 能, 4 no 氢.
    let (hits, total) = ix
        .search("氢能", Some(DocKind::Scenario), 10)
        .expect("search");
    assert_eq!(ids(&hits), [2, 1]);
    assert_eq!(total, 2);
    // One character finds every record that holds it, whole words first.
    let (hits, total) = ix
        .search("氢", Some(DocKind::Scenario), 10)
        .expect("search");
    assert_eq!(total, 3);
    assert_eq!(ids(&hits).len(), 3);
    // The limit holds across both paths, and the total still counts both.
    let (hits, total) = ix
        .search("氢能", Some(DocKind::Scenario), 1)
        .expect("search");
    assert_eq!((ids(&hits), total), (vec![2], 2));
    // Other words of the query stay required on the recall path.
    let (hits, _) = ix
        .search("氢 port", Some(DocKind::Scenario), 10)
        .expect("search");
    assert!(hits.is_empty());
    // English queries are unchanged.
    let (hits, _) = ix
        .search("能", Some(DocKind::Achievement), 10)
        .expect("search");
    assert_eq!(ids(&hits), [5]);
}

#[test]
fn similar_records_rank_by_their_shared_telling_terms() {
    let ix = index();
    let terms = ix.key_terms("港口皮带机巡检机器人，替代人工巡检 inspection robot", 10);
    assert!(!terms.is_empty());
    assert!((terms[0].weight - 1.0).abs() < 1e-6);
    let hits = ix
        .similar(&terms, Some(DocKind::Achievement), 10)
        .expect("similar");
    assert_eq!(hits.len(), 2, "{hits:?}");
    assert!(hits.iter().all(|h| h.kind == DocKind::Achievement));
    // Each kind has its own word fields: asking for scenarios finds the scenario only, asking
    // for any kind finds both.
    let hits = ix
        .similar(&terms, Some(DocKind::Scenario), 10)
        .expect("similar");
    assert_eq!(ids(&hits), vec![1], "{hits:?}");
    let hits = ix.similar(&terms, None, 10).expect("similar");
    assert!(hits.iter().any(|h| h.kind == DocKind::Scenario), "{hits:?}");
    assert!(
        hits.iter().any(|h| h.kind == DocKind::Achievement),
        "{hits:?}"
    );
}

#[test]
fn a_rebuild_leaves_one_segment() {
    let ix = SearchIndex::in_memory().expect("index");
    // Earlier commits leave segments of their own.
    for i in 0..3 {
        ix.upsert(&[doc(DocKind::Achievement, i, "巡检机器人", "港口")])
            .expect("upsert");
    }
    let docs = (0..2000).map(|i| doc(DocKind::Achievement, i, "巡检机器人", "港口皮带机"));
    assert_eq!(ix.rebuild(docs, None, || {}).expect("rebuild"), 2000);
    assert_eq!(ix.len(), 2000);
    let segments = ix.index.searchable_segment_ids().expect("segments");
    assert_eq!(segments.len(), 1, "{segments:?}");
}

#[test]
fn an_index_on_disk_survives_reopening_with_its_mark() {
    let dir = tempfile::tempdir().expect("tempdir");
    {
        let (ix, opened) = SearchIndex::open(dir.path()).expect("open");
        assert_eq!(opened, Opened::Created);
        ix.write(
            &[doc(DocKind::Scenario, 7, "雄安新区城市数字治理", "")],
            &[],
            Some(42),
        )
        .expect("write");
    }
    let (ix, opened) = SearchIndex::open(dir.path()).expect("reopen");
    assert_eq!(opened, Opened::Existing);
    assert_eq!(ix.mark(), Some(42));
    assert_eq!(ix.search("数字治理", None, 10).expect("search").1, 1);
    ix.write(&[], &[(DocKind::Scenario, 7)], Some(43))
        .expect("delete");
    assert_eq!(ix.mark(), Some(43));
    assert!(ix.is_empty());
}

#[test]
fn a_second_writer_on_the_same_folder_is_refused() {
    let dir = tempfile::tempdir().expect("tempdir");
    let (_first, _) = SearchIndex::open(dir.path()).expect("open");
    assert!(SearchIndex::open(dir.path()).is_err());
}

#[test]
fn vectors_round_trip_and_rank_by_cosine() {
    let mut v = VectorSet::new(3);
    v.insert(DocKind::Achievement, 1, 11, vec![1.0, 0.0, 0.0]);
    v.insert(DocKind::Achievement, 2, 22, vec![0.6, 0.8, 0.0]);
    v.insert(DocKind::Scenario, 3, 33, vec![0.0, 0.0, 2.0]);
    let hits = v.nearest(&[1.0, 0.1, 0.0], Some(DocKind::Achievement), 5);
    assert_eq!(ids(&hits), [1, 2]);
    let dir = tempfile::tempdir().expect("tempdir");
    let f = dir.path().join("v.bin");
    v.save(&f).expect("save");
    let back = VectorSet::load(&f, 3).expect("load");
    assert_eq!(back.len(), 3);
    assert!(back.is_current(DocKind::Achievement, 2, 22));
    assert!(!back.is_current(DocKind::Achievement, 2, 23));
    assert!(
        (back
            .similarity(&[0.0, 0.0, 1.0], DocKind::Scenario, 3)
            .unwrap_or(0.0)
            - 1.0)
            .abs()
            < 1e-6
    );
    assert!(
        VectorSet::load(&f, 4).is_err(),
        "another dimension is refused"
    );
}

#[test]
fn kind_and_id_pack_into_one_number_and_back() {
    for (k, id) in [
        (DocKind::Scenario, 0),
        (DocKind::Achievement, 1),
        (DocKind::Achievement, 9_000_000_000),
    ] {
        assert_eq!(unpack(pack(k, id)), Some((k, id)));
    }
}

#[test]
fn replacing_a_damaged_index_removes_only_the_index_files() {
    let dir = tempfile::tempdir().expect("tempdir");
    std::fs::write(dir.path().join("meta.json"), "not an index").expect("meta");
    std::fs::write(dir.path().join("notes.txt"), "keep me").expect("notes");
    std::fs::create_dir(dir.path().join("sub")).expect("sub");
    std::fs::write(dir.path().join("sub").join("x"), "keep me too").expect("x");
    let (index, opened) = SearchIndex::open(dir.path()).expect("open");
    assert_eq!(opened, Opened::Created);
    drop(index);
    assert_eq!(
        std::fs::read_to_string(dir.path().join("notes.txt")).expect("kept"),
        "keep me"
    );
    assert!(
        dir.path().join("sub").join("x").exists(),
        "the sub-folder is kept"
    );
    let (_, opened) = SearchIndex::open(dir.path()).expect("open again");
    assert_eq!(opened, Opened::Existing, "the new index is there");
}

#[test]
fn a_local_write_keeps_the_stored_mark() {
    let dir = tempfile::tempdir().expect("tempdir");
    let (ix, _) = SearchIndex::open(dir.path()).expect("open");
    ix.write(
        &[doc(DocKind::Scenario, 7, "雄安新区城市数字治理", "")],
        &[],
        Some(42),
    )
    .expect("stamped write");
    // Writes made by this server (upsert, delete) carry no mark of their own.
    ix.upsert(&[doc(DocKind::Scenario, 8, "港口巡检机器人", "")])
        .expect("upsert");
    assert_eq!(ix.mark(), Some(42), "after an upsert");
    ix.delete(DocKind::Scenario, 7).expect("delete");
    assert_eq!(ix.mark(), Some(42), "after a delete");
    drop(ix);
    // As after a crash right now: the reopened index still knows where to catch up from.
    let (ix, opened) = SearchIndex::open(dir.path()).expect("reopen");
    assert_eq!(opened, Opened::Existing);
    assert_eq!(ix.mark(), Some(42));
}
