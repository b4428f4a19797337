//! The rules on small cases whose answers follow from the published texts (each test names the
//! announcement it checks). Amounts in yuan.

use rust_decimal::Decimal;
use serde_json::json;

use super::*;

fn run(v: serde_json::Value) -> Output {
    let input: Input = serde_json::from_value(v).expect("valid input");
    compute(&input).expect("computes")
}

fn d(s: &str) -> Decimal {
    s.parse().expect("decimal")
}

/// 财政部 税务总局公告2021年第28号: the cap on other related expenses is computed over all
/// projects together. Project A: first five 900 000, other 120 000; B: 1 000 000 and 80 000.
/// Per project (the old method) A would be capped at 100 000 and B allowed 80 000 (180 000);
/// together the cap is 1 900 000 × 10% ÷ 90% = 211 111.11 and all 200 000 are allowed.
#[test]
fn the_other_expenses_cap_is_computed_across_projects() {
    let out = run(json!({
        "year": 2023, "enterprise": {"kind": "general", "total_income": 50000000},
        "projects": [
            {"id": "A", "personnel": 600000, "direct_inputs": 300000, "other": 120000},
            {"id": "B", "personnel": 700000, "depreciation": 300000, "other": 80000}
        ]
    }));
    assert_eq!(out.five_total, d("1900000.00"));
    assert_eq!(out.other_cap, d("211111.11"));
    assert_eq!(out.other_allowed, d("200000.00"));
    assert_eq!(out.expensed_base, d("2100000.00"));
    assert_eq!(out.deduction, d("2100000.00"));
    // With more "other" than the cap, only the cap counts, shared pro rata.
    let out = run(json!({
        "year": 2023, "enterprise": {},
        "projects": [{"id": "A", "personnel": 900000, "other": 300000}]
    }));
    assert_eq!(out.other_allowed, d("100000.00"));
    assert_eq!(out.deduction, d("1000000.00"));
}

/// 财税〔2018〕64号: overseas commissioned R&D counts at 80%, at most two-thirds of the domestic
/// eligible R&D costs. Domestic 3 000 000; overseas paid 6 000 000 → 4 800 000, capped at
/// 2 000 000.
#[test]
fn overseas_commissioned_rnd_is_capped_at_two_thirds_of_domestic() {
    let out = run(json!({
        "year": 2023, "enterprise": {},
        "projects": [{"id": "A", "personnel": 2700000, "other": 300000, "commissioned_overseas": 6000000}]
    }));
    assert_eq!(out.overseas_allowed, d("2000000.00"));
    assert_eq!(out.expensed_base, d("5000000.00"));
    // Under the cap, 80% of what was paid.
    let out = run(json!({
        "year": 2023, "enterprise": {},
        "projects": [{"id": "A", "personnel": 3000000, "commissioned_overseas": 1000000, "commissioned_domestic": 500000}]
    }));
    assert_eq!(out.domestic_commissioned_allowed, d("400000.00"));
    assert_eq!(out.overseas_allowed, d("800000.00"));
    assert_eq!(out.deduction, d("4200000.00"));
}

/// 国家税务总局公告2017年第40号: staff and equipment used for R&D and production are split by
/// actual hours; what is not allocated is not deductible.
#[test]
fn shared_costs_are_allocated_by_hours_and_the_rest_is_not_deductible() {
    let out = run(json!({
        "year": 2024, "enterprise": {},
        "projects": [{"id": "A", "shared": [
            {"category": "personnel", "amount": 100000, "rd_hours": 1200, "total_hours": 2000},
            {"category": "depreciation", "amount": 30000, "rd_hours": 500, "total_hours": 1500}
        ]}]
    }));
    assert_eq!(out.projects[0].five, d("70000.00"));
    assert_eq!(out.unallocated, d("60000.00"));
    assert!(out
        .trace
        .iter()
        .any(|l| l.clause.contains("2017年第40号") && l.amount == d("60000.00")));
}

/// 国家税务总局公告2017年第40号 (special income from scrap, defective goods and test products
/// reduces the year's R&D costs, not below zero) and 国家税务总局公告2015年第97号 (non-taxable
/// government funds spent on R&D are excluded); materials of sold R&D output are removed.
#[test]
fn special_income_subsidies_and_sold_materials_reduce_the_base() {
    let out = run(json!({
        "year": 2023, "enterprise": {},
        "projects": [
            {"id": "A", "personnel": 400000, "direct_inputs": 100000, "sold_output_material": 30000,
             "special_income": 80000, "non_taxable_subsidy": 100000},
            {"id": "B", "personnel": 50000, "special_income": 90000}
        ]
    }));
    assert_eq!(out.projects[0].base, d("290000.00"));
    assert_eq!(out.projects[1].base, d("0.00"), "not below zero");
    assert_eq!(out.deduction, d("290000.00"));
}

/// The provinces' worked example (issue 18): personnel 230 万, direct inputs 75 万, depreciation
/// 50 万, intangible amortisation 30 万, other 50 万, of which 3 万 of material went into R&D
/// output that was sold (国家税务总局公告2017年第40号). The material comes off the direct inputs
/// before the first five are summed for the cap: (385 − 3) = 382 万, a cap of
/// 382 × 10% ÷ (1 − 10%) = 42.44 万 (财税〔2015〕119号, 2021年第28号), and 424.44 万 eligible —
/// not a cap of 385 × 10% ÷ 90% = 42.78 万 with the material taken off afterwards.
#[test]
fn materials_of_sold_output_come_off_before_the_cap_on_other_expenses() {
    let input = json!({
        "year": 2023, "enterprise": {},
        "projects": [{"id": "A", "personnel": 2300000, "direct_inputs": 750000,
            "depreciation": 500000, "intangible_amortization": 300000, "other": 500000,
            "sold_output_material": 30000}]
    });
    let out = run(input.clone());
    assert_eq!(out.five_total, d("3820000.00"));
    assert_eq!(out.other_cap, d("424444.44"));
    assert_eq!(out.other_allowed, d("424444.44"));
    assert_eq!(out.projects[0].direct_inputs, d("720000.00"));
    assert_eq!(out.projects[0].sold_output_material, d("30000.00"));
    assert_eq!(out.projects[0].base, d("4244444.44"));
    assert_eq!(out.deduction, d("4244444.44"), "100% in 2023");
    // The form and the ledger read the same figures: line 7 net of the material, line 2 the
    // five plus the capped other expenses, and no second deduction of the material.
    let inp: crate::Input = serde_json::from_value(input).expect("input");
    let lines = crate::form::a107012(&inp, &out);
    let line = |n: &str| lines.iter().find(|l| l.line == n).map(|l| l.amount);
    assert_eq!(line("7"), Some(d("720000.00")));
    assert_eq!(line("34"), Some(d("424444.44")));
    assert_eq!(line("2"), Some(d("4244444.44")));
    assert_eq!(line("51"), Some(d("4244444.44")));
    assert!(
        lines.iter().all(|l| l.line != "48"),
        "not a deduction line any more"
    );
    let ledger = crate::form::ledger_rows(&out);
    assert_eq!(ledger[0][3], "720000.00", "direct inputs, net");
    assert_eq!(ledger[0][15], "4244444.44", "deductible");
    // The trace says where the material came off, with its rule.
    assert!(out.trace.iter().any(|t| t.clause.contains("2017年第40号")
        && t.label_en.contains("taken off the direct inputs")
        && t.amount == d("720000.00")));
}

/// 财税〔2015〕119号 and 国家税务总局公告2015年第97号: an enterprise whose negative-list income is
/// over 50% of total income less non-taxable and investment income gets no deduction.
#[test]
fn negative_list_enterprises_are_not_eligible() {
    let input = |neg: i64| {
        json!({
            "year": 2023,
            "enterprise": {"total_income": 1000, "non_taxable_income": 100, "investment_income": 100, "negative_list_income": neg},
            "projects": [{"id": "A", "personnel": 1000}]
        })
    };
    let out = run(input(500));
    assert!(!out.eligible);
    assert_eq!(out.negative_list_ratio, d("0.625"));
    assert_eq!(out.deduction, Decimal::ZERO);
    let out = run(input(400));
    assert!(out.eligible, "exactly 50% is not over 50%");
    assert_eq!(out.deduction, d("1000.00"));
}

/// The rate by year and kind: 财税〔2015〕119号 50%; 财税〔2018〕99号 75%; 2021年第13号
/// manufacturing 100%; 2022年第16号 sci-tech SMEs 100%; 2023年第7号 100%; 2023年第44号
/// integrated circuits and industrial mother machines 120% for 2023–2027.
#[test]
fn the_rate_follows_the_year_and_the_kind_of_enterprise() {
    use rules::{rate, Kind};
    let cases = [
        (2016, Kind::General, "0.50"),
        (2019, Kind::General, "0.75"),
        (2021, Kind::Manufacturing, "1.00"),
        (2022, Kind::General, "0.75"),
        (2022, Kind::SciTechSme, "1.00"),
        (2023, Kind::General, "1.00"),
        (2023, Kind::IntegratedCircuit, "1.20"),
        (2027, Kind::MotherMachine, "1.20"),
        (2028, Kind::MotherMachine, "1.00"),
    ];
    for (year, kind, expected) in cases {
        assert_eq!(rate(year, kind).0, d(expected), "{year} {kind:?}");
    }
}

/// 财政部 税务总局公告2023年第7号: a capitalised project's intangible asset is amortised at 200%
/// of cost; half a year of a ten-year asset costing 1 000 000 is 100 000, of which 50 000 is the
/// additional deduction.
#[test]
fn capitalised_projects_deduct_through_amortisation() {
    let out = run(json!({
        "year": 2023, "enterprise": {},
        "projects": [{"id": "A", "capitalised": true, "personnel": 1000000,
                      "amortization": {"years": 10, "months_this_year": 6}}]
    }));
    assert_eq!(out.capitalised_base, d("1000000.00"));
    assert_eq!(out.amortization_this_year, d("100000.00"));
    assert_eq!(out.deduction, d("50000.00"));
}

#[test]
fn money_is_exact_and_rounded_only_at_the_end() {
    // Three thirds of 100 add up to 100, not 99.99; 0.1 + 0.2 is 0.3.
    let third = |id: &str| json!({"id": id, "shared": [{"category": "personnel", "amount": 100, "rd_hours": 1, "total_hours": 3}]});
    let out = run(
        json!({"year": 2023, "enterprise": {}, "projects": [third("A"), third("B"), third("C")]}),
    );
    assert_eq!(out.five_total, d("100.00"));
    assert_eq!(out.projects[0].five, d("33.33"));
    let out = run(
        json!({"year": 2023, "enterprise": {}, "projects": [{"id": "A", "personnel": 0.1, "design": 0.2}]}),
    );
    assert_eq!(out.five_total, d("0.30"));
    let out = run(
        json!({"year": 2023, "enterprise": {}, "projects": [{"id": "A", "personnel": "1,234.56"}]}),
    );
    assert_eq!(out.five_total, d("1234.56"));
}

#[test]
fn bad_input_names_the_field() {
    let bad = |v: serde_json::Value| {
        let input: Input = serde_json::from_value(v).expect("parses");
        compute(&input).expect_err("refused").to_string()
    };
    assert_eq!(
        bad(json!({"year": 2023, "enterprise": {}, "projects": [{"id": "A", "personnel": -5}]})),
        "projects[0] (A).personnel: -5 is negative"
    );
    assert!(bad(
        json!({"year": 2023, "enterprise": {}, "projects": [{"id": "B", "shared": [
        {"category": "personnel", "amount": 10, "rd_hours": 30, "total_hours": 20}]}]})
    )
    .starts_with("projects[0] (B).shared[0].rd_hours: 30 is outside"));
    assert_eq!(
        bad(
            json!({"year": 2023, "enterprise": {}, "projects": [{"id": "C", "shared": [
            {"category": "travel", "amount": 10, "rd_hours": 1, "total_hours": 2}]}]})
        ),
        "projects[0] (C).shared[0].category: \"travel\" is not a cost category"
    );
    assert!(
        bad(json!({"year": 2023, "enterprise": {"kind": "bank"}})).starts_with("enterprise.kind:")
    );
    let err = serde_json::from_value::<Input>(
        json!({"year": 2023, "enterprise": {}, "projects": [{"id": "A", "personnel": "lots"}]}),
    )
    .expect_err("not an amount");
    assert!(
        err.to_string().contains("\"lots\" is not an amount"),
        "{err}"
    );
}

/// 国家税务总局公告2017年第40号: staff and equipment used for R&D and other work are split by
/// actual hours; what is not allocated is not deductible. 张工 (240 000, 2 000 h: 800 on A, 400
/// on B) gives A 96 000 and B 48 000; 96 000 stays out. A microscope with no hours recorded
/// stays out entirely.
#[test]
fn pools_split_shared_staff_and_equipment_by_the_hours_recorded() {
    let out = run(json!({
        "year": 2024, "enterprise": {},
        "projects": [{"id": "A", "personnel": 100000}, {"id": "B"}],
        "pools": [
            {"resource": "张工", "category": "personnel", "amount": 240000, "total_hours": 2000,
             "hours": [{"project": "A", "hours": 800}, {"project": "B", "hours": 400}]},
            {"resource": "显微镜", "category": "depreciation", "amount": 50000, "total_hours": 0}
        ]
    }));
    assert_eq!(out.projects[0].personnel, d("196000.00"));
    assert_eq!(out.projects[1].personnel, d("48000.00"));
    assert_eq!(out.pools[0].allocated, d("144000.00"));
    assert_eq!(out.pools[0].unallocated, d("96000.00"));
    assert_eq!(out.pools[0].rd_hours, d("1200"));
    assert_eq!(out.pools[1].unallocated, d("50000.00"));
    assert_eq!(out.unallocated, d("146000.00"));
    assert_eq!(out.expensed_base, d("244000.00"));
    assert!(out
        .trace
        .iter()
        .any(|l| l.formula.contains("显微镜") && l.amount == d("50000.00")));
}

#[test]
fn pool_errors_name_the_resource_and_field() {
    let bad = |pool: serde_json::Value| {
        let input: Input = serde_json::from_value(json!({
            "year": 2024, "enterprise": {}, "projects": [{"id": "A"}], "pools": [pool]
        }))
        .expect("parses");
        compute(&input).unwrap_err().to_string()
    };
    assert_eq!(
        bad(
            json!({"resource": "张工", "category": "personnel", "amount": 1, "total_hours": 10,
                   "hours": [{"project": "Z", "hours": 1}]})
        ),
        "pools[0] (张工).hours[0].project: no project has the id \"Z\""
    );
    assert!(bad(
        json!({"resource": "张工", "category": "personnel", "amount": 1, "total_hours": 10,
                       "hours": [{"project": "A", "hours": 11}]})
    )
    .starts_with("pools[0] (张工).hours[0].hours: R&D hours add up to 11"));
    assert!(
        bad(json!({"resource": "张工", "category": "wages", "amount": 1, "total_hours": 10}))
            .starts_with("pools[0] (张工).category")
    );
}

/// Form A107012 read off the computation: the collection lines add up as the form's formulas
/// say, and line 51 is the deduction.
#[test]
fn form_lines_add_up_and_the_ledger_total_matches_the_bases() {
    let input: Input = serde_json::from_str(include_str!("../../../docs/examples/rnd.json"))
        .expect("example parses");
    let out = compute(&input).expect("computes");
    let lines = form::a107012(&input, &out);
    let at = |n: &str| {
        lines
            .iter()
            .find(|l| l.line == n)
            .unwrap_or_else(|| panic!("line {n}"))
            .amount
    };
    assert_eq!(
        at("2"),
        at("3") + at("7") + at("16") + at("19") + at("23") + at("34")
    );
    assert_eq!(at("40"), at("2") + at("36") * d("0.8") + at("38"));
    assert_eq!(at("41") + at("42"), at("40"));
    assert_eq!(at("51"), out.deduction);
    assert_eq!(at("1"), d("2"));
    let rows = form::ledger_rows(&out);
    assert_eq!(rows.len(), 3);
    let total = rows.last().expect("total row");
    assert_eq!(total.len(), form::LEDGER_COLUMNS.len());
    assert_eq!(
        total
            .last()
            .expect("base")
            .parse::<Decimal>()
            .expect("amount"),
        out.expensed_base + out.capitalised_base
    );
}

/// Every trace line and every rate cites at least one policy in the searchable store, so each
/// figure can link to its source.
#[test]
fn every_clause_links_to_a_stored_policy() {
    let input: Input = serde_json::from_str(include_str!("../../../docs/examples/rnd.json"))
        .expect("example parses");
    let out = compute(&input).expect("computes");
    for l in &out.trace {
        assert!(!policy::cited(&l.clause).is_empty(), "{}", l.clause);
    }
    for year in 2010..=2028 {
        for kind in [
            "general",
            "manufacturing",
            "sci_tech_sme",
            "integrated_circuit",
            "mother_machine",
        ] {
            let (_, clause) = rules::rate(year, rules::Kind::parse(kind).expect("kind"));
            assert!(!policy::cited(clause).is_empty(), "{clause}");
        }
    }
    let p = assess::Project {
        activities: vec!["routine_upgrade".into()],
        ..Default::default()
    };
    for f in assess::assess(&p).expect("assesses").findings {
        assert!(!policy::cited(f.clause).is_empty(), "{}", f.clause);
    }
    let ids: std::collections::HashSet<_> = policy::POLICIES.iter().map(|p| p.id).collect();
    assert_eq!(ids.len(), policy::POLICIES.len(), "policy ids are unique");
}

/// 财政部 税务总局 科技部公告2022年第28号: enterprises at 75% deduct 2022's fourth-quarter
/// costs at 100%. Expensed 1 200 000: by months 300 000 at 100% and 900 000 at 75% → 975 000;
/// with 500 000 incurred in the quarter → 700 000 × 75% + 500 000 = 1 025 000. A manufacturer,
/// already at 100%, is unchanged; the figure is refused for other years.
#[test]
fn the_fourth_quarter_of_2022_is_deducted_at_100_percent() {
    let run_2022 = |kind: &str, q4: Option<&str>| {
        let mut enterprise = json!({"kind": kind});
        if let Some(q) = q4 {
            enterprise["q4_2022"] = json!(q);
        }
        run(
            json!({"year": 2022, "enterprise": enterprise, "projects": [{"id": "A", "personnel": 1200000}]}),
        )
    };
    let by_months = run_2022("general", None);
    assert_eq!(by_months.rate, d("0.75"));
    assert_eq!(by_months.q4_2022_base, Some(d("300000.00")));
    assert_eq!(by_months.deduction, d("975000.00"));
    assert!(by_months
        .trace
        .iter()
        .any(|l| l.clause.contains("2022年第28号") && l.formula.contains("3 ÷ 12")));
    let incurred = run_2022("general", Some("500000"));
    assert_eq!(incurred.deduction, d("1025000.00"));
    let maker = run_2022("manufacturing", None);
    assert_eq!(
        (maker.deduction, maker.q4_2022_base),
        (d("1200000.00"), None)
    );
    let bad = |v: serde_json::Value| {
        compute(&serde_json::from_value::<Input>(v).expect("parses"))
            .unwrap_err()
            .to_string()
    };
    assert!(bad(json!({"year": 2023, "enterprise": {"q4_2022": 1}, "projects": [{"id": "A", "personnel": 10}]}))
        .starts_with("enterprise.q4_2022: applies to 2022 only"));
    assert!(bad(json!({"year": 2022, "enterprise": {"q4_2022": 11}, "projects": [{"id": "A", "personnel": 10}]}))
        .contains("more than the year's expensed R&D cost 10.00"));
}

#[test]
fn figures_beyond_a_trillion_are_refused_not_overflowed() {
    for big in [
        json!(1e26),
        json!("100000000000000000000000000"),
        json!(1_000_000_000_001_i64),
    ] {
        let input =
            json!({"year": 2023, "enterprise": {}, "projects": [{"id": "A", "personnel": big}]});
        let err = serde_json::from_value::<Input>(input)
            .err()
            .map(|e| e.to_string());
        assert!(
            err.as_deref()
                .is_some_and(|e| e.contains("beyond 1,000,000,000,000")),
            "{big}: {err:?}"
        );
    }
    let ok = json!({"year": 2023, "enterprise": {}, "projects": [{"id": "A", "personnel": 1_000_000_000_000_i64, "other": 1_000_000_000_000_i64}]});
    assert!(compute(&serde_json::from_value(ok).expect("at the limit")).is_ok());
}

#[test]
fn impossible_dates_and_incomes_are_refused_naming_the_field() {
    let mut p: crate::assess::Project =
        serde_json::from_value(json!({"name": "x", "approval_date": "2024-02-30"}))
            .expect("project");
    let Err(e) = crate::assess::assess(&p) else {
        panic!("2024-02-30 was accepted");
    };
    assert_eq!(e.path, "approval_date");
    p.approval_date = Some("2024-02-29".into());
    assert!(crate::assess::assess(&p).is_ok(), "a leap day is a day");
    let input: Input = serde_json::from_value(json!({"year": 2023,
        "enterprise": {"total_income": 100, "negative_list_income": 101},
        "projects": [{"id": "A", "personnel": 1}]}))
    .expect("input");
    let Err(e) = compute(&input) else {
        panic!("negative-list income above total income was accepted");
    };
    assert_eq!(e.path, "enterprise.negative_list_income");
}
