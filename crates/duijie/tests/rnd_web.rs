//! R&D super-deduction over HTTP: an enterprise enters its figures, registers projects,
//! imports a time sheet (a bad file changes nothing), and gets the deduction, the ledger,
//! form A107012 and the Excel workbook with figures worked by hand; pre-identification and
//! expert opinions; who may see what; the policy store.

mod common;

use common::{id_from, org_id, signed_in, App};

/// The text of the element with `id`, up to its first tag.
fn text_of<'a>(html: &'a str, id: &str) -> &'a str {
    let marker = format!("id=\"{id}\"");
    let at = html.find(&marker).unwrap_or_else(|| panic!("no #{id}"));
    let rest = &html[at..];
    let start = rest.find('>').expect("tag end") + 1;
    rest[start..].split('<').next().expect("text")
}

fn this_year() -> i64 {
    i64::from(chrono::Datelike::year(&chrono::Utc::now()))
}

#[tokio::test]
async fn an_enterprise_gets_its_deduction_from_projects_and_a_time_sheet() {
    let app = App::spawn();
    let port = signed_in(&app, "port@duijie.demo").await;
    let org = org_id(&app, "tangshan-port").await;
    // Two years ago: a year the demo data leaves empty; the 100% rate applies (2023年第7号).
    let year = this_year() - 2;
    let base = format!("/rnd/{org}/{year}");

    let (s, html) = port.get(&base).await;
    assert_eq!(s, 200);
    assert!(
        html.contains("id=\"no-figures\""),
        "no figures yet: no deduction"
    );

    // Figures: an amount with three decimals is refused, naming the field; nothing is saved.
    let figures = |total: &'static str| {
        vec![
            ("kind", "general"),
            ("total_income", total),
            ("negative_list_income", "0"),
            ("non_taxable_income", "0"),
            ("investment_income", "0"),
        ]
    };
    let (s, _, html) = port
        .submit(&format!("{base}/figures"), &figures("12.345"))
        .await;
    assert_eq!(s, 200);
    assert!(html.contains("total_income"), "the field is named");
    assert!(html.contains("id=\"no-figures\""), "nothing saved");
    let (s, _, _) = port
        .submit(&format!("{base}/figures"), &figures("10,000,000"))
        .await;
    assert_eq!(s, 303);

    // Two projects: A well documented, B a routine upgrade with no targets.
    let project = |code: &'static str, personnel: &'static str, other: &'static str| {
        vec![
            ("code", code),
            ("name", "托辊声纹诊断"),
            ("goal", "识别托辊早期故障"),
            ("targets", "识别准确率 ≥ 95%"),
            ("innovation", "声纹与视觉融合"),
            ("uncertainty", "粉尘环境下特征是否稳定未知"),
            ("approved", "1"),
            ("approval_date", "2024-01-10"),
            ("team", "李工"),
            ("has_plan", "1"),
            ("has_milestones", "1"),
            ("test_records", "1"),
            ("evidence", "test_report"),
            ("personnel", personnel),
            ("other", other),
        ]
    };
    let (s, loc, _) = port
        .submit(
            &format!("{base}/projects"),
            &project("A", "100000", "20000"),
        )
        .await;
    assert_eq!(s, 303);
    let a = id_from(&loc);
    let (_, html) = port.get(&format!("/rnd/projects/{a}")).await;
    assert!(text_of(&html, "verdict").contains("可能属于研发活动"));
    assert!(
        html.contains("href=\"/rnd/policies#caishui-2015-119\""),
        "findings link to the rule"
    );
    let mut b = project("B", "50000", "");
    b.retain(|(k, _)| *k != "targets" && *k != "test_records");
    b.push(("activities", "routine_upgrade"));
    let (s, loc, _) = port.submit(&format!("{base}/projects"), &b).await;
    assert_eq!(s, 303);
    let b_id = id_from(&loc);
    let (_, html) = port.get(&format!("/rnd/projects/{b_id}")).await;
    assert!(text_of(&html, "verdict").contains("不属于研发活动"));
    // A second project with the same code is refused.
    let (s, _, _) = port
        .submit(&format!("{base}/projects"), &project("A", "1", ""))
        .await;
    assert_eq!(s, 200, "duplicate code shown on the form");

    // Shared staff and equipment.
    for (name, kind, category, amount) in [
        ("张工", "staff", "personnel", "60000"),
        ("检测台", "equipment", "depreciation", "30000"),
    ] {
        let form = [
            ("name", name),
            ("kind", kind),
            ("category", category),
            ("amount", amount),
        ];
        assert_eq!(
            port.submit(&format!("{base}/resources"), &form).await.0,
            303
        );
    }

    // A time sheet naming someone not registered is refused with row and column; nothing is
    // stored.
    let bad = "日期,人员/设备,项目,工时\n2024-03-01,张工,A,8\n2024-03-01,李工,A,8\n";
    let (s, html) = port
        .upload(
            &format!("{base}/hours"),
            "march.csv",
            bad.as_bytes().to_vec(),
        )
        .await;
    assert_eq!(s, 200);
    assert!(
        html.contains("march.csv: 第 3 行，“人员&#x2f;设备”列：“李工”"),
        "{}",
        text_of(&html, "form-error")
    );
    assert!(!html.contains("id=\"rnd-imports\""), "nothing imported");

    // The good time sheet, as an Excel file: 张工 300 h on A, 100 h on B, 200 h other work.
    let sheet = duijie_tabular::Table {
        headers: ["resource", "project", "hours"].map(String::from).to_vec(),
        rows: [
            ["张工", "A", "300"],
            ["张工", "B", "100"],
            ["张工", "非研发", "200"],
        ]
        .iter()
        .map(|r| r.map(String::from).to_vec())
        .collect(),
    };
    let xlsx = duijie_tabular::xlsx_bytes(&[("工时", &sheet)]).expect("xlsx");
    let (s, _) = port
        .upload(&format!("{base}/hours"), "hours.xlsx", xlsx)
        .await;
    assert_eq!(s, 303, "imported");

    // Worked by hand (rate 100%, 2023年第7号). B is left out: pre-identification finds a routine
    // upgrade is not R&D, so 张工's 100 h on B count as other work. 张工 60 000 × 300 ÷ 600 =
    // 30 000 to A; the other 30 000 and the whole 30 000 of the test bench (no hours) are not
    // deductible. A's first five: 100 000 + 30 000 = 130 000; other expenses capped at
    // 130 000 × 10% ÷ 90% = 14 444.44 (2021年第28号); deduction 144 444.44.
    let (_, html) = port.get(&base).await;
    assert_eq!(text_of(&html, "deduction"), "144,444.44");
    assert_eq!(text_of(&html, "unallocated"), "60,000.00");
    assert!(
        html.contains("class=\"notice excluded\""),
        "B is said to be left out"
    );
    assert!(
        html.contains("张工 → B: 100 h"),
        "the hours on B are accounted for"
    );

    let (s, html) = port.get(&format!("{base}/ledger")).await;
    assert_eq!(s, 200);
    assert_eq!(text_of(&html, "ledger-deduction"), "144,444.44");
    // On the page the ledger reads down (categories) and across (projects), the deductible
    // row last and marked, with no raw RFC 3339 time or code in it.
    let ledger = html.split("id=\"ledger\"").nth(1).unwrap_or("");
    let ledger = ledger.split("</table>").next().unwrap_or("");
    let key = ledger.split("<tr class=\"key\">").nth(1).unwrap_or("");
    assert!(key.contains("可加计扣除研发费用"), "{ledger}");
    assert!(
        !html.contains("personnel:") && !html.contains("· general"),
        "{html}"
    );
    let line = |n: &str| -> String {
        let marker = format!("data-line=\"{n}\"");
        let row = &html[html.find(&marker).unwrap_or_else(|| panic!("line {n}"))..];
        row.split("</tr>")
            .next()
            .expect("row")
            .rsplit("<td>")
            .next()
            .expect("cell")
            .trim_end_matches("</td>")
            .to_string()
    };
    assert_eq!(line("34"), "14,444.44");
    assert_eq!(line("51"), "144,444.44");
    // Rates read as percentages (line 50 is the additional-deduction rate).
    assert!(line("50").ends_with('%'), "{}", line("50"));
    assert!(
        html.contains("href=\"/rnd/policies#sta-2021-28\""),
        "the cap links to its rule"
    );

    let r = port
        .client
        .get(format!("{}{base}/ledger.xlsx", port.base))
        .send()
        .await
        .expect("GET");
    assert_eq!(r.status().as_u16(), 200);
    let bytes = r.bytes().await.expect("body");
    let t = duijie_tabular::read_bytes("ledger.xlsx", &bytes, &common::READ_LIMITS)
        .expect("a workbook");
    assert_eq!(t.headers[0], "项目编号");
    assert_eq!(t.rows.len(), 2, "A and the total");
    assert_eq!(t.rows[1].last().map(String::as_str), Some("144444.44"));

    // Removing the import takes 张工's hours away again: A alone, 100 000 + 11 111.11.
    let (_, html) = port.get(&base).await;
    let marker = "/imports/";
    let at = html.find(marker).expect("an import to remove") + marker.len();
    let import: i64 = html[at..]
        .split('/')
        .next()
        .expect("id")
        .parse()
        .expect("id");
    let (s, _, _) = port
        .submit(&format!("{base}/imports/{import}/delete"), &[])
        .await;
    assert_eq!(s, 303);
    let (_, html) = port.get(&base).await;
    assert_eq!(text_of(&html, "deduction"), "111,111.11");
    assert_eq!(text_of(&html, "unallocated"), "90,000.00");
}

#[tokio::test]
async fn opinions_come_from_officers_and_experts_and_others_see_nothing() {
    let app = App::spawn();
    let port = signed_in(&app, "port@duijie.demo").await;
    let lab = signed_in(&app, "lab@duijie.demo").await;
    let expert = signed_in(&app, "expert@duijie.demo").await;
    let officer = signed_in(&app, "officer@duijie.demo").await;
    let visitor = app.browser();
    let org = org_id(&app, "tangshan-port").await;
    let year = this_year() - 1;
    let base = format!("/rnd/{org}/{year}");

    // The demo year: three projects, one left out, shared costs split by the hours.
    let (s, html) = port.get(&base).await;
    assert_eq!(s, 200);
    assert!(html.contains(&format!("TS-RD-{year}-03")));
    assert!(html.contains("class=\"notice excluded\""));
    // Worked by hand from the demo records (docs/RND.md): 张工 360 000 over 2 016 h (900 on
    // project 1, 420 on project 2), the laser tracker 120 000 over 1 800 h (600 on project 1),
    // the test rig 48 000 with no hours; project 3 is left out.
    assert_eq!(text_of(&html, "deduction"), "3,225,214.29");
    assert_eq!(text_of(&html, "unallocated"), "252,285.71");
    let (s, _) = officer.get(&base).await;
    assert_eq!(s, 200, "staff see every enterprise");
    assert_eq!(lab.get(&base).await.0, 403, "another enterprise does not");
    assert_eq!(expert.get(&base).await.0, 403, "nor do experts");
    assert_ne!(visitor.get(&base).await.0, 200);

    // Project 1 is not open for review yet: only its enterprise and staff see it.
    let (_, html) = port.get(&base).await;
    let link = |code: &str| -> i64 {
        let row = &html[html.find(code).expect("project row")..];
        let at = row.find("/rnd/projects/").expect("link") + "/rnd/projects/".len();
        row[at..]
            .split('"')
            .next()
            .expect("id")
            .parse()
            .expect("id")
    };
    let first = link(&format!("TS-RD-{year}-01"));
    assert_eq!(expert.get(&format!("/rnd/projects/{first}")).await.0, 404);
    assert_eq!(lab.get(&format!("/rnd/projects/{first}")).await.0, 404);
    let (s, _, _) = expert
        .submit(
            &format!("/rnd/projects/{first}/opinions"),
            &[("verdict", "likely"), ("opinion", "好")],
        )
        .await;
    assert_eq!(s, 404, "no opinion on a project not open for review");

    // The enterprise opens it; the expert finds it in the queue, sees the facts but not the
    // money, and gives an opinion.
    let (s, _, _) = port
        .submit(&format!("/rnd/projects/{first}/review"), &[("open", "1")])
        .await;
    assert_eq!(s, 303);
    let (_, queue) = expert.get("/rnd/reviews").await;
    assert!(queue.contains(&format!("/rnd/projects/{first}")));
    let (s, page) = expert.get(&format!("/rnd/projects/{first}")).await;
    assert_eq!(s, 200);
    assert!(page.contains("id=\"findings\""));
    assert!(
        !page.contains("id=\"costs\""),
        "experts do not see the costs"
    );
    assert!(port
        .get(&format!("/rnd/projects/{first}"))
        .await
        .1
        .contains("id=\"costs\""));
    let (s, _, _) = expert
        .submit(
            &format!("/rnd/projects/{first}/opinions"),
            &[
                ("verdict", "likely"),
                ("opinion", "目标量化、试验记录完整，<b>属于研发活动</b>。"),
            ],
        )
        .await;
    assert_eq!(s, 303);
    let (_, page) = port.get(&format!("/rnd/projects/{first}")).await;
    assert!(
        page.contains("&lt;b&gt;属于研发活动&lt;"),
        "opinions are escaped"
    );
    assert_eq!(
        lab.get("/rnd/reviews").await.0,
        403,
        "members have no queue"
    );
    let (s, _, _) = lab
        .submit(
            &format!("/rnd/projects/{first}/opinions"),
            &[("verdict", "not"), ("opinion", "x")],
        )
        .await;
    assert_eq!(
        s, 404,
        "another member cannot see it, let alone give an opinion"
    );

    // The policy store answers in Chinese and English.
    for q in ["委托境外", "overseas"] {
        let (s, html) = visitor.get(&format!("/rnd/policies?q={q}")).await;
        assert_eq!(s, 200);
        let first = html.find("class=\"card\" id=\"").expect("a result");
        assert!(
            html[first..].starts_with("class=\"card\" id=\"caishui-2018-64\""),
            "{q}"
        );
    }
}

/// 2022: enterprises at 75% deduct the fourth quarter's costs at 100% (2022年第28号) — by the
/// months method unless the amount incurred is given.
#[tokio::test]
async fn the_fourth_quarter_of_2022_counts_at_100_percent_in_the_web_ui() {
    let app = App::spawn();
    let port = signed_in(&app, "port@duijie.demo").await;
    let org = org_id(&app, "tangshan-port").await;
    let base = format!("/rnd/{org}/2022");
    let (_, html) = port.get(&base).await;
    assert!(html.contains("id=\"f-q4_2022\""), "asked for 2022");
    assert!(!port
        .get(&format!("/rnd/{org}/2023"))
        .await
        .1
        .contains("id=\"f-q4_2022\""));
    let figures = |q4: &'static str| {
        vec![
            ("kind", "general"),
            ("total_income", "10000000"),
            ("q4_2022", q4),
        ]
    };
    assert_eq!(
        port.submit(&format!("{base}/figures"), &figures(""))
            .await
            .0,
        303
    );
    let project = [
        ("code", "Q4"),
        ("name", "托辊声纹诊断"),
        ("goal", "识别托辊早期故障"),
        ("targets", "识别准确率 ≥ 95%"),
        ("innovation", "声纹与视觉融合"),
        ("uncertainty", "粉尘环境下特征是否稳定未知"),
        ("approved", "1"),
        ("team", "李工"),
        ("has_plan", "1"),
        ("has_milestones", "1"),
        ("test_records", "1"),
        ("evidence", "test_report"),
        ("personnel", "1200000"),
    ];
    assert_eq!(
        port.submit(&format!("{base}/projects"), &project).await.0,
        303
    );
    let (_, html) = port.get(&base).await;
    assert_eq!(text_of(&html, "rate"), "75%");
    assert_eq!(
        text_of(&html, "deduction"),
        "975,000.00",
        "900 000 × 75% + 300 000"
    );
    assert_eq!(
        port.submit(&format!("{base}/figures"), &figures("500000"))
            .await
            .0,
        303
    );
    let (_, html) = port.get(&base).await;
    assert_eq!(
        text_of(&html, "deduction"),
        "1,025,000.00",
        "700 000 × 75% + 500 000"
    );
}
