//! Each test cites the rule text it reproduces.

use chrono::NaiveDate;

use crate::profile::{Industry, Profile, Year};
use crate::verdict::{State, Verdict};
use crate::{deduction, hightech, sme};

const WAN: i64 = 1_000_000; // fen in 1 万元

fn day(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).expect("a valid day")
}

/// A small firm that answers everything: 100 staff, 5,000 万元 revenue and assets.
fn firm() -> Profile {
    Profile {
        founded_on: Some(day(2015, 3, 1)),
        industry: Some(Industry::SoftwareIt),
        hightech_field: Some(true),
        clean_record: Some(true),
        hightech_certificate_until: None,
        national_award: Some(false),
        provincial_rnd_institution: Some(false),
        led_standard: Some(false),
        ip_class1: Some(0),
        ip_class2: Some(2),
        innovation_score: Some(75),
        audited_accounts: Some(true),
        years: (2023..=2025)
            .map(|year| Year {
                year,
                staff: Some(100),
                tech_staff: Some(20),
                revenue: Some(5_000 * WAN),
                total_income: Some(5_200 * WAN),
                assets: Some(5_000 * WAN),
                total_cost: Some(4_000 * WAN),
                rnd: Some(300 * WAN),
                rnd_domestic: Some(300 * WAN),
                hightech_revenue: Some(4_000 * WAN),
            })
            .collect(),
    }
}

fn latest(p: &mut Profile) -> &mut Year {
    p.years.iter_mut().max_by_key(|y| y.year).expect("a year")
}

fn state(a: &crate::Assessment, key: &str) -> State {
    a.conditions
        .iter()
        .find(|c| c.key == key)
        .unwrap_or_else(|| panic!("no condition {key}"))
        .state
}

fn points(a: &crate::Assessment, i: usize) -> Option<u32> {
    a.score[i].points
}

const TODAY: fn() -> NaiveDate = || day(2026, 6, 1);

/// 国科发政〔2022〕67号 评价指标（一）科技人员指标（满分20分）：按科技人员数占企业职工总数的比例分档
/// 评价：30%（含）以上 20 分；25%（含）-30% 16 分；20%（含）-25% 12 分；15%（含）-20% 8 分；
/// 10%（含）-15% 4 分；10% 以下 0 分。
#[test]
fn sme_staff_indicator_follows_the_published_bands_with_their_lower_bounds_included() {
    for (tech, expect) in [
        (30, 20),
        (29, 16),
        (25, 16),
        (24, 12),
        (20, 12),
        (15, 8),
        (14, 4),
        (10, 4),
        (9, 0),
    ] {
        let mut p = firm();
        latest(&mut p).tech_staff = Some(tech);
        assert_eq!(
            points(&sme::assess(&p, TODAY()), 0),
            Some(expect),
            "{tech}%"
        );
    }
    // 29.99…% is still the 25% band: 2,999 of 10,000.
    let mut p = firm();
    latest(&mut p).staff = Some(10_000);
    latest(&mut p).tech_staff = Some(2_999);
    assert_eq!(points(&sme::assess(&p, TODAY()), 0), Some(16));
}

/// 评价指标（二）研发投入指标（满分50分）：企业从（1）研发费用总额占销售收入总额的比例（6%（含）
/// 以上 50 分 … 2% 以下 0 分）、（2）研发费用总额占成本费用支出总额的比例（30%（含）以上 50 分 …
/// 10% 以下 0 分）中选择一个指标进行评分。
#[test]
fn sme_rnd_indicator_takes_the_better_of_its_two_measures() {
    let mut p = firm();
    // 300 of 5,000 revenue = 6% → 50; 300 of 4,000 costs = 7.5% → 0.
    assert_eq!(points(&sme::assess(&p, TODAY()), 1), Some(50));
    // 299.99 万元 of 5,000 is under 6% → 40 by revenue; by cost 7.5% → 0.
    latest(&mut p).rnd = Some(300 * WAN - 1);
    assert_eq!(points(&sme::assess(&p, TODAY()), 1), Some(40));
    // A firm with small revenue but R&D the bulk of its costs: 100 of 10,000 revenue (1%, 0
    // points) and 100 of 400 costs (25% → 40).
    let y = latest(&mut p);
    y.rnd = Some(100 * WAN);
    y.revenue = Some(10_000 * WAN);
    y.total_cost = Some(400 * WAN);
    let a = sme::assess(&p, TODAY());
    assert_eq!(points(&a, 1), Some(40));
    assert!(a.score[1].band.zh.contains("成本费用支出总额"));
}

/// 评价指标（三）科技成果指标（满分30分）：1 项及以上Ⅰ类知识产权 30 分；4 项及以上Ⅱ类 24 分；
/// 3 项Ⅱ类 18 分；2 项Ⅱ类 12 分；1 项Ⅱ类 6 分；没有知识产权 0 分。
#[test]
fn sme_ip_indicator_scores_class_one_above_any_number_of_class_two() {
    for (one, two, expect) in [
        (1, 0, 30),
        (3, 9, 30),
        (0, 9, 24),
        (0, 4, 24),
        (0, 3, 18),
        (0, 2, 12),
        (0, 1, 6),
        (0, 0, 0),
    ] {
        let mut p = firm();
        p.ip_class1 = Some(one);
        p.ip_class2 = Some(two);
        assert_eq!(
            points(&sme::assess(&p, TODAY()), 2),
            Some(expect),
            "{one} I, {two} II"
        );
    }
}

/// 第六条（五）：综合评价所得分值不低于 60 分，且科技人员指标得分不得为 0 分。
#[test]
fn sme_passes_at_sixty_points_only_with_some_rnd_staff() {
    // 20% staff (12) + 6% R&D (50) + 2 class II (12) = 74.
    let a = sme::assess(&firm(), TODAY());
    assert_eq!(a.verdict, Verdict::Likely, "{:#?}", a.conditions);
    // Without R&D staff: R&D 50 + one class I 30 = 80, and still not a pass.
    let mut p = firm();
    p.ip_class1 = Some(1);
    latest(&mut p).tech_staff = Some(5);
    let a = sme::assess(&p, TODAY());
    assert_eq!(points(&a, 0), Some(0));
    assert_eq!(state(&a, "score"), State::Unmet);
    assert_eq!(a.verdict, Verdict::NotYet);
    // Exactly 60: 15% staff (8) + 3% R&D (20) … + ≥4 class II (24) = 52; + 2 staff bands = 60.
    let mut p = firm();
    p.ip_class2 = Some(4);
    let y = latest(&mut p);
    y.tech_staff = Some(20); // 12
    y.rnd = Some(200 * WAN); // 4% → 30 … 12 + 30 + 24 = 66
    y.total_cost = Some(100_000 * WAN);
    assert_eq!(sme::assess(&p, TODAY()).verdict, Verdict::Likely);
    latest(&mut p).rnd = Some(150 * WAN); // 3% → 20: 12 + 20 + 24 = 56
    let a = sme::assess(&p, TODAY());
    assert_eq!(
        a.score.iter().map(|s| s.points.unwrap_or(0)).sum::<u32>(),
        56
    );
    assert_eq!(a.verdict, Verdict::NotYet);
}

/// 第六条（二）：职工总数不超过 500 人、年销售收入不超过 2 亿元、资产总额不超过 2 亿元。
#[test]
fn sme_size_limits_include_their_bounds_and_exclude_larger_firms() {
    let mut p = firm();
    let y = latest(&mut p);
    y.staff = Some(500);
    y.tech_staff = Some(100);
    y.revenue = Some(20_000 * WAN);
    y.assets = Some(20_000 * WAN);
    y.rnd = Some(1_200 * WAN);
    assert_eq!(sme::assess(&p, TODAY()).verdict, Verdict::Likely);
    latest(&mut p).staff = Some(501);
    let a = sme::assess(&p, TODAY());
    assert_eq!(state(&a, "size.staff"), State::Unmet);
    assert_eq!(a.verdict, Verdict::NotEligible);
    let mut p = firm();
    latest(&mut p).assets = Some(20_000 * WAN + 1);
    let a = sme::assess(&p, TODAY());
    assert_eq!(a.verdict, Verdict::NotEligible);
    assert!(
        a.conditions[2].text.zh.contains("20,000 万元"),
        "{}",
        a.conditions[2].text.zh
    );
}

/// 直接确认：符合第六条（一）～（四）项条件的企业，若同时符合下列条件中的一项，则可直接确认：
/// （一）拥有有效期内高新技术企业资格证书；（二）近五年内获得过国家级科技奖励，并在获奖单位中
/// 排在前三名；（三）拥有经认定的省部级以上研发机构；（四）近五年内主导制定过国际标准、国家标准
/// 或行业标准。
#[test]
fn sme_direct_confirmation_replaces_the_score_but_not_the_size_limits() {
    let mut p = firm();
    let y = latest(&mut p);
    y.tech_staff = Some(0);
    y.rnd = Some(0);
    p.ip_class2 = Some(0);
    assert_eq!(sme::assess(&p, TODAY()).verdict, Verdict::NotYet);
    p.hightech_certificate_until = Some(TODAY());
    let a = sme::assess(&p, TODAY());
    assert_eq!(a.verdict, Verdict::Likely);
    assert!(a.conditions.iter().any(|c| c.text.zh.contains("直接确认")));
    // An expired certificate confirms nothing.
    p.hightech_certificate_until = Some(TODAY().pred_opt().expect("a day"));
    assert_eq!(sme::assess(&p, TODAY()).verdict, Verdict::NotYet);
    p.led_standard = Some(true);
    assert_eq!(sme::assess(&p, TODAY()).verdict, Verdict::Likely);
    // Too large stays too large.
    latest(&mut p).staff = Some(800);
    assert_eq!(sme::assess(&p, TODAY()).verdict, Verdict::NotEligible);
}

#[test]
fn sme_what_if_names_the_rnd_spending_that_reaches_the_pass_mark() {
    // 20% staff (12) + 2 class II (12) + 2.5% R&D (10) = 34: 36 more points are needed from
    // R&D, so the 5% band (40 points): 250 万元 of 5,000, 125 万元 more than now.
    let mut p = firm();
    latest(&mut p).rnd = Some(125 * WAN);
    latest(&mut p).total_cost = Some(100_000 * WAN);
    let a = sme::assess(&p, TODAY());
    assert_eq!(a.verdict, Verdict::NotYet);
    assert_eq!(a.what_if.len(), 1, "{:#?}", a.what_if);
    assert!(a.what_if[0].zh.contains("250 万元"), "{}", a.what_if[0].zh);
    assert!(
        a.what_if[0].zh.contains("多 125 万元"),
        "{}",
        a.what_if[0].zh
    );
}

#[test]
fn a_missing_figure_is_unknown_and_named_with_its_year() {
    let mut p = firm();
    latest(&mut p).staff = None;
    let a = sme::assess(&p, TODAY());
    assert_eq!(state(&a, "size.staff"), State::Unknown);
    assert!(a.conditions[0].text.zh.contains("2025 年"));
    assert_eq!(points(&a, 0), None);
    assert_eq!(a.verdict, Verdict::NotYet);
    let empty = Profile::default();
    for a in crate::assess(&empty, TODAY()) {
        assert_ne!(a.verdict, Verdict::Likely, "{}", a.policy);
        assert!(
            a.conditions.iter().all(|c| c.state == State::Unknown),
            "{}",
            a.policy
        );
    }
}

/// 国科发火〔2016〕32号 第十一条（五）：近三个会计年度的研究开发费用总额占同期销售收入总额的比例：
/// （1）最近一年销售收入小于 5,000 万元（含）的企业，比例不低于 5%；（2）最近一年销售收入在
/// 5,000 万元至 2 亿元（含）的企业，比例不低于 4%；（3）最近一年销售收入在 2 亿元以上的企业，
/// 比例不低于 3%。
#[test]
fn hightech_rnd_ratio_band_is_set_by_the_latest_years_revenue_bounds_included() {
    assert_eq!(hightech::rnd_share(5_000 * WAN).0, 5);
    assert_eq!(hightech::rnd_share(5_000 * WAN + 1).0, 4);
    assert_eq!(hightech::rnd_share(20_000 * WAN).0, 4);
    assert_eq!(hightech::rnd_share(20_000 * WAN + 1).0, 3);
    // The example: 2.8% with revenue over 2 亿元, where 3% is needed.
    let mut p = firm();
    for y in &mut p.years {
        y.revenue = Some(30_000 * WAN);
        y.rnd = Some(840 * WAN);
        y.rnd_domestic = Some(840 * WAN);
    }
    let a = hightech::assess(&p, TODAY());
    assert_eq!(state(&a, "rnd"), State::Unmet);
    let rnd = a.conditions.iter().find(|c| c.key == "rnd").expect("rnd");
    assert!(
        rnd.text.zh.contains("2.8%") && rnd.text.zh.contains("3%"),
        "{}",
        rnd.text.zh
    );
    assert!(rnd.text.zh.contains("2 亿元以上"));
    // 3% of 90,000 万元 = 2,700; spent 2,520: 180 万元 more over the three years.
    assert!(a.what_if[0].zh.contains("180 万元"), "{}", a.what_if[0].zh);
    assert!(a.what_if[0].zh.contains("2023–2025"));
}

#[test]
fn hightech_rnd_ratio_is_of_the_three_years_sums_not_an_average_of_ratios() {
    // Revenue 1,000 / 1,000 / 8,000 (latest over 5,000: the 4% band); R&D 100 / 100 / 200.
    // Sums: 400 of 10,000 = 4.0% (met); the average of ratios would be 7.5%.
    let mut p = firm();
    for (y, (rev, rnd)) in p
        .years
        .iter_mut()
        .zip([(1_000, 100), (1_000, 100), (8_000, 200)])
    {
        y.revenue = Some(rev * WAN);
        y.rnd = Some(rnd * WAN);
        y.rnd_domestic = Some(rnd * WAN);
    }
    assert_eq!(state(&hightech::assess(&p, TODAY()), "rnd"), State::Met);
    latest(&mut p).rnd = Some(200 * WAN - 1);
    assert_eq!(state(&hightech::assess(&p, TODAY()), "rnd"), State::Unmet);
}

/// 第十一条（五）：实际经营期不满三年的按实际经营时间计算；其中，企业在中国境内发生的研究开发
/// 费用总额占全部研究开发费用总额的比例不低于 60%。
#[test]
fn hightech_counts_only_the_years_the_firm_existed_and_checks_the_domestic_share() {
    let mut p = firm();
    p.founded_on = Some(day(2024, 5, 1));
    p.years.retain(|y| y.year >= 2024);
    let a = hightech::assess(&p, TODAY());
    let rnd = a.conditions.iter().find(|c| c.key == "rnd").expect("rnd");
    assert_eq!(rnd.state, State::Met, "{}", rnd.text.zh);
    assert!(rnd.text.zh.contains("2024–2025"));
    // A year it existed in but without figures: unknown, naming the year.
    let mut p = firm();
    p.years[0].revenue = None;
    let a = hightech::assess(&p, TODAY());
    assert_eq!(state(&a, "rnd"), State::Unknown);
    assert!(a.conditions.iter().any(|c| c.text.zh.contains("2023 年")));
    // 59.9% domestic: unmet.
    let mut p = firm();
    for y in &mut p.years {
        y.rnd_domestic = Some(1797 * WAN / 10);
    }
    assert_eq!(
        state(&hightech::assess(&p, TODAY()), "rnd_domestic"),
        State::Unmet
    );
}

/// 第十一条（一）注册成立一年以上；（四）科技人员占当年职工总数的比例不低于 10%；（六）近一年
/// 高新技术产品（服务）收入占同期总收入的比例不低于 60%；（七）创新能力评价（工作指引：70 分以上）。
#[test]
fn hightech_age_staff_income_and_score_thresholds() {
    let a = hightech::assess(&firm(), TODAY());
    assert_eq!(a.verdict, Verdict::Likely, "{:#?}", a.conditions);
    let mut p = firm();
    p.founded_on = Some(day(2025, 6, 2)); // 364 days before 2026-06-01
    assert_eq!(state(&hightech::assess(&p, TODAY()), "age"), State::Unmet);
    p.founded_on = Some(day(2025, 6, 1));
    assert_eq!(state(&hightech::assess(&p, TODAY()), "age"), State::Met);

    let mut p = firm();
    latest(&mut p).tech_staff = Some(9);
    assert_eq!(state(&hightech::assess(&p, TODAY()), "staff"), State::Unmet);
    latest(&mut p).tech_staff = Some(10);
    assert_eq!(state(&hightech::assess(&p, TODAY()), "staff"), State::Met);

    let mut p = firm();
    latest(&mut p).hightech_revenue = Some(3_120 * WAN); // 60% of 5,200
    assert_eq!(state(&hightech::assess(&p, TODAY()), "income"), State::Met);
    latest(&mut p).hightech_revenue = Some(3_120 * WAN - 1);
    assert_eq!(
        state(&hightech::assess(&p, TODAY()), "income"),
        State::Unmet
    );

    let mut p = firm();
    p.innovation_score = Some(70);
    assert_eq!(state(&hightech::assess(&p, TODAY()), "score"), State::Unmet);
    p.innovation_score = Some(71);
    assert_eq!(state(&hightech::assess(&p, TODAY()), "score"), State::Met);
}

/// 财税〔2015〕119号 第四条：烟草制造业、住宿和餐饮业、批发和零售业、房地产业、租赁和商务服务业、
/// 娱乐业不适用税前加计扣除政策。财政部 税务总局公告2023年第7号：自 2023 年 1 月 1 日起按实际发生额
/// 的 100% 在税前加计扣除。
#[test]
fn deduction_excludes_the_negative_list_and_estimates_at_the_engines_rate() {
    let mut p = firm();
    let a = deduction::assess(&p, false);
    assert_eq!(a.verdict, Verdict::Likely);
    // 2025: 100% of 300 万元.
    let worth = a.worth.expect("an estimate");
    assert!(
        worth.zh.contains("100%") && worth.zh.contains("约 300 万元"),
        "{}",
        worth.zh
    );
    p.industry = Some(Industry::WholesaleRetail);
    assert_eq!(deduction::assess(&p, false).verdict, Verdict::NotEligible);
    assert!(deduction::negative_list().contains("批发和零售业"));
    // 2021, a general enterprise: 75% (财税〔2018〕99号); a manufacturer: 100% (2021年第13号).
    let mut p = firm();
    for y in &mut p.years {
        y.year -= 4;
    }
    let worth = deduction::assess(&p, false).worth.expect("an estimate");
    assert!(
        worth.zh.contains("75%") && worth.zh.contains("225 万元"),
        "{}",
        worth.zh
    );
    p.industry = Some(Industry::Manufacturing);
    let worth = deduction::assess(&p, false).worth.expect("an estimate");
    assert!(worth.zh.contains("100%"), "{}", worth.zh);
    // Deemed-profit taxpayers may not claim (第五条（一）).
    let mut p = firm();
    p.audited_accounts = Some(false);
    assert_eq!(deduction::assess(&p, false).verdict, Verdict::NotEligible);
}

#[test]
fn amounts_read_with_separators_and_shares_never_round_up_to_a_threshold() {
    assert_eq!(crate::verdict::wan(123_456_789 * 100).0, "12,345.68 万元");
    assert_eq!(crate::verdict::wan(123_456_789 * 100).1, "CNY 123,456,789");
    let p = crate::verdict::percent(2_999, 100_000).expect("a share");
    assert_eq!(crate::verdict::pct_text(p), "2.9%");
}

#[test]
fn the_policy_list_names_what_assess_gives_in_its_order() {
    let names: Vec<_> = crate::assess(&firm(), TODAY())
        .into_iter()
        .map(|a| (a.policy, a.name.zh, a.name.en))
        .collect();
    let expected: Vec<_> = crate::POLICIES
        .iter()
        .map(|(p, zh, en)| (*p, zh.to_string(), en.to_string()))
        .collect();
    assert_eq!(names, expected);
}
