//! R&D super-deduction between pages and store: who may see and do what, form parsing (money in
//! yuan, exact to the fen), time-sheet import with row-and-column errors, and the engine's input
//! built from the stored records (duijie-rnd does all the arithmetic).

use std::collections::{BTreeMap, HashMap, HashSet};

use duijie_domain::clock::Clock;
use duijie_domain::rnd::{CostCategory, EnterpriseKind, ReviewStatus};
use duijie_domain::Vocabulary;
use duijie_rnd::assess::{self, Assessment};
use duijie_rnd::form::{self as rform, FormLine};
use duijie_rnd::wire::{Amortization, Enterprise, Pool, PoolHours, Project};
use duijie_rnd::{Input, Output};
use duijie_store::rnd::{HoursRow, ProjectFields, ProjectRow, ResourceRow, YearRow};
use duijie_tabular::Table;
use rust_decimal::prelude::ToPrimitive;
use rust_decimal::Decimal;
use serde::Serialize;

use crate::error::AppError;
use crate::form::FormData;
use crate::service::field_err;
use crate::{App, Caller};

mod hours;
mod policy;
pub mod read;
mod records;
mod report;

pub use hours::*;
pub use policy::*;
pub use records::*;
pub use report::*;

/// Enterprise kinds the rate depends on, with labels (for select boxes).
pub fn kinds() -> Vec<(&'static str, &'static str, &'static str)> {
    EnterpriseKind::table()
}

/// The six categories, with labels.
pub fn categories() -> Vec<(&'static str, &'static str, &'static str)> {
    CostCategory::table()
}

/// Evidence a project may keep.
pub const EVIDENCE: &[(&str, &str, &str)] = &[
    ("approval", "立项决议", "Approval decision"),
    ("budget", "项目预算", "Budget"),
    ("design", "设计文档", "Design documents"),
    ("test_report", "试验/测试报告", "Test reports"),
    ("patent", "专利", "Patents"),
    ("acceptance", "结题/验收报告", "Completion report"),
];

/// The money fields of a project form, each with its column.
pub const MONEY: &[(&str, &str, &str)] = &[
    ("personnel", "人员人工费用", "Personnel"),
    ("direct_inputs", "直接投入费用", "Direct inputs"),
    ("depreciation", "折旧费用", "Depreciation"),
    ("intangible", "无形资产摊销", "Intangible amortisation"),
    ("design", "新产品设计费等", "New-product design etc."),
    ("other", "其他相关费用", "Other related expenses"),
    (
        "domestic",
        "委托境内研发（实际支付）",
        "Commissioned in China (paid)",
    ),
    (
        "overseas",
        "委托境外机构研发（实际支付）",
        "Commissioned overseas (paid)",
    ),
    (
        "sold_material",
        "对外销售研发成果对应材料",
        "Materials of sold R&D output",
    ),
    (
        "special_income",
        "特殊收入（下脚料、残次品、中间试制品）",
        "Special income (scrap, defects, test products)",
    ),
    (
        "subsidy",
        "不征税财政资金用于本项目",
        "Non-taxable government funds spent",
    ),
];

/// The members of the organisation and staff see and edit its R&D records.
pub fn may_manage(ctx: &Caller, org_id: i64) -> bool {
    ctx.acts_for(org_id)
}

/// Officers, administrators and experts give opinions on projects opened for review.
pub fn may_review(ctx: &Caller) -> bool {
    ctx.is_staff() || ctx.role() == Some(duijie_domain::Role::Expert)
}

/// A project's facts (not its money): its organisation, staff, and experts once it is open
/// for review.
pub fn may_see_project(ctx: &Caller, p: &ProjectRow) -> bool {
    may_manage(ctx, p.org_id) || (may_review(ctx) && p.review_status == ReviewStatus::Requested)
}

/// Tax years offered: 2016 (the current rules) to this year.
pub fn years(clock: &Clock) -> Vec<i64> {
    let this = i64::from(clock.year());
    (2016..=this).rev().collect()
}

/// The year an enterprise is most likely filing for: last year.
pub fn default_year(clock: &Clock) -> i64 {
    i64::from(clock.year()) - 1
}

pub fn valid_year(clock: &Clock, year: i64) -> Result<i64, AppError> {
    if years(clock).contains(&year) {
        Ok(year)
    } else {
        Err(AppError::NotFound)
    }
}

/// An amount in yuan, exact to the fen ("1,234.56"); blank is zero.
pub fn yuan(form: &FormData, field: &str) -> Result<i64, AppError> {
    let raw = form
        .get(field)
        .unwrap_or("")
        .trim()
        .replace([',', '，'], "");
    if raw.is_empty() {
        return Ok(0);
    }
    let bad = |why_en: &str, why_zh: &str| {
        field_err(
            field,
            &format!("\"{raw}\" {why_en}"),
            &format!("“{raw}”{why_zh}"),
        )
    };
    let d: Decimal = raw
        .parse()
        .map_err(|_| bad("is not an amount in yuan", "不是以元为单位的金额"))?;
    if d.is_sign_negative() && !d.is_zero() {
        return Err(bad("is negative", "是负数"));
    }
    if d.scale() > 2 && d.normalize().scale() > 2 {
        return Err(bad(
            "has more than two decimals (fen)",
            "超过两位小数（分）",
        ));
    }
    (d * Decimal::from(100))
        .to_i64()
        .filter(|f| *f < 1_000_000_000_000_000)
        .ok_or_else(|| bad("is too large", "过大"))
}

/// Fen as a decimal amount of yuan.
pub fn dec(fen: i64) -> Decimal {
    Decimal::new(fen, 2)
}

fn flag(form: &FormData, field: &str) -> i64 {
    i64::from(matches!(form.get(field), Some("1" | "on" | "true")))
}

fn date(form: &FormData, field: &str) -> Result<String, AppError> {
    let v = form.text(field, 10, false)?;
    if v.is_empty() || chrono::NaiveDate::parse_from_str(&v, "%Y-%m-%d").is_ok() {
        Ok(v)
    } else {
        Err(field_err(
            field,
            &format!("\"{v}\" is not a date like 2025-03-31"),
            &format!("“{v}”不是形如 2025-03-31 的日期"),
        ))
    }
}

/// Codes from checkboxes (joined by commas), keeping only known ones.
fn codes(form: &FormData, field: &str, known: &[&str]) -> Result<String, AppError> {
    let v = form.values();
    let raw = v.get(field).and_then(|s| s.as_str()).unwrap_or("");
    let mut out = Vec::new();
    for c in raw.split(',').map(str::trim).filter(|c| !c.is_empty()) {
        if !known.contains(&c) {
            return Err(field_err(
                field,
                &format!("\"{c}\" is not one of the choices"),
                &format!("“{c}”不是可选项"),
            ));
        }
        if !out.contains(&c) {
            out.push(c);
        }
    }
    Ok(out.join(","))
}

pub fn parse_year(form: &FormData) -> Result<YearRow, AppError> {
    let Some(kind) = EnterpriseKind::from_code(form.get("kind").unwrap_or("general")) else {
        return Err(field_err(
            "kind",
            "unknown kind of enterprise",
            "未知的企业类型",
        ));
    };
    let y = YearRow {
        kind,
        total_income_fen: yuan(form, "total_income")?,
        negative_list_income_fen: yuan(form, "negative_list_income")?,
        non_taxable_income_fen: yuan(form, "non_taxable_income")?,
        investment_income_fen: yuan(form, "investment_income")?,
        q4_2022_fen: match form.get("q4_2022").map(str::trim) {
            None | Some("") => None,
            Some(_) => Some(yuan(form, "q4_2022")?),
        },
    };
    if y.negative_list_income_fen > y.total_income_fen {
        return Err(field_err(
            "negative_list_income",
            "is more than the total income",
            "大于收入总额",
        ));
    }
    if y.non_taxable_income_fen + y.investment_income_fen > y.total_income_fen {
        return Err(field_err(
            "investment_income",
            "non-taxable and investment income add up to more than the total income",
            "不征税收入与投资收益之和大于收入总额",
        ));
    }
    Ok(y)
}

pub fn parse_project(form: &FormData) -> Result<ProjectFields, AppError> {
    let code = form.text("code", 40, true)?;
    if code.chars().any(|c| c.is_whitespace() || c == ',') {
        return Err(field_err(
            "code",
            "may not contain spaces or commas",
            "不能含空格或逗号",
        ));
    }
    let activities: Vec<&str> = assess::EXCLUDED_ACTIVITIES.iter().map(|a| a.0).collect();
    let evidence: Vec<&str> = EVIDENCE.iter().map(|a| a.0).collect();
    let capitalised = flag(form, "capitalised");
    let int = |field: &str, max: i64| -> Result<i64, AppError> {
        let v = form.get(field).unwrap_or("").trim();
        if v.is_empty() {
            return Ok(0);
        }
        v.parse::<i64>()
            .ok()
            .filter(|n| (0..=max).contains(n))
            .ok_or_else(|| {
                field_err(
                    field,
                    &format!("must be a whole number from 0 to {max}"),
                    &format!("须为 0 到 {max} 的整数"),
                )
            })
    };
    let f = ProjectFields {
        name: form.text("name", 200, true)?,
        goal: form.text("goal", 4000, false)?,
        targets: form.text("targets", 4000, false)?,
        innovation: form.text("innovation", 4000, false)?,
        uncertainty: form.text("uncertainty", 4000, false)?,
        approved: flag(form, "approved"),
        approval_date: date(form, "approval_date")?,
        start_date: date(form, "start_date")?,
        end_date: date(form, "end_date")?,
        team: form.text("team", 4000, false)?,
        has_plan: flag(form, "has_plan"),
        has_milestones: flag(form, "has_milestones"),
        test_records: flag(form, "test_records"),
        evidence: codes(form, "evidence", &evidence)?,
        activities: codes(form, "activities", &activities)?,
        capitalised,
        amort_years: if capitalised == 1 {
            int("amort_years", 50)?
        } else {
            0
        },
        amort_months: if capitalised == 1 {
            int("amort_months", 12)?
        } else {
            0
        },
        personnel_fen: yuan(form, "personnel")?,
        direct_inputs_fen: yuan(form, "direct_inputs")?,
        depreciation_fen: yuan(form, "depreciation")?,
        intangible_fen: yuan(form, "intangible")?,
        design_fen: yuan(form, "design")?,
        other_fen: yuan(form, "other")?,
        sold_material_fen: yuan(form, "sold_material")?,
        subsidy_fen: yuan(form, "subsidy")?,
        special_income_fen: yuan(form, "special_income")?,
        domestic_fen: yuan(form, "domestic")?,
        overseas_fen: yuan(form, "overseas")?,
        code,
    };
    if capitalised == 1 && f.amort_years == 0 && f.amort_months > 0 {
        return Err(field_err(
            "amort_years",
            "give the years the asset is amortised over",
            "请填写摊销年限",
        ));
    }
    if !f.start_date.is_empty() && !f.end_date.is_empty() && f.end_date < f.start_date {
        return Err(field_err("end_date", "is before the start", "早于开始日期"));
    }
    Ok(f)
}

/// The project form's values, for refilling it: money as yuan text.
pub fn form_values(f: &ProjectFields) -> serde_json::Value {
    let mut v = serde_json::to_value(f).unwrap_or_default();
    if let Some(o) = v.as_object_mut() {
        for (name, fen) in [
            ("personnel", f.personnel_fen),
            ("direct_inputs", f.direct_inputs_fen),
            ("depreciation", f.depreciation_fen),
            ("intangible", f.intangible_fen),
            ("design", f.design_fen),
            ("other", f.other_fen),
            ("domestic", f.domestic_fen),
            ("overseas", f.overseas_fen),
            ("sold_material", f.sold_material_fen),
            ("special_income", f.special_income_fen),
            ("subsidy", f.subsidy_fen),
        ] {
            o.insert(name.into(), dec(fen).to_string().into());
        }
    }
    v
}

fn lines(s: &str) -> Vec<String> {
    s.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .map(String::from)
        .collect()
}

fn list(s: &str) -> Vec<String> {
    s.split(',')
        .map(str::trim)
        .filter(|c| !c.is_empty())
        .map(String::from)
        .collect()
}

/// Pre-identification of a stored project.
pub fn assessment(f: &ProjectFields) -> Result<Assessment, AppError> {
    let opt = |s: &str| (!s.is_empty()).then(|| s.to_string());
    let p = assess::Project {
        name: f.name.clone(),
        goal: f.goal.clone(),
        quantified_targets: lines(&f.targets),
        innovation: f.innovation.clone(),
        uncertainty: f.uncertainty.clone(),
        approved: f.approved == 1,
        approval_date: opt(&f.approval_date),
        start_date: opt(&f.start_date),
        end_date: opt(&f.end_date),
        team: lines(&f.team),
        plan: f.has_plan == 1,
        milestones: f.has_milestones == 1,
        test_records: f.test_records == 1,
        evidence: list(&f.evidence),
        activities: list(&f.activities),
    };
    assess::assess(&p).map_err(|e| AppError::BadRequest(e.to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn form(pairs: &[(&str, &str)]) -> FormData {
        FormData(
            pairs
                .iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect(),
        )
    }

    #[test]
    fn yuan_is_exact_to_the_fen_and_refuses_the_rest() {
        let f = form(&[
            ("a", "1,234.56"),
            ("b", "0.1"),
            ("c", "1.234"),
            ("d", "-5"),
            ("e", "x"),
        ]);
        assert_eq!(yuan(&f, "a").expect("ok"), 123_456);
        assert_eq!(yuan(&f, "b").expect("ok"), 10);
        assert_eq!(yuan(&f, "missing").expect("blank"), 0);
        for bad in ["c", "d", "e"] {
            assert!(yuan(&f, bad).is_err(), "{bad}");
        }
    }

    fn resource(name: &str) -> ResourceRow {
        ResourceRow {
            id: 1,
            name: name.into(),
            kind: duijie_domain::rnd::ResourceKind::Staff,
            category: CostCategory::Personnel,
            amount_fen: 100,
        }
    }

    fn project(code: &str) -> ProjectRow {
        ProjectRow {
            id: 1,
            org_id: 1,
            org_name_zh: String::new(),
            org_name_en: String::new(),
            year: 2025,
            fields: ProjectFields {
                code: code.into(),
                ..Default::default()
            },
            review_status: ReviewStatus::Draft,
            created_at: String::new(),
            updated_at: String::new(),
        }
    }

    fn table(headers: &[&str], rows: &[&[&str]]) -> Table {
        Table {
            headers: headers.iter().map(|s| s.to_string()).collect(),
            rows: rows
                .iter()
                .map(|r| r.iter().map(|s| s.to_string()).collect())
                .collect(),
        }
    }

    #[test]
    fn time_sheets_are_read_in_chinese_or_english_and_errors_name_row_and_column() {
        let res = [resource("张工")];
        let prj = [project("RD-1")];
        let t = table(
            &["日期", "人员/设备", "项目", "工时"],
            &[
                &["2025-03-03", "张工", "RD-1", "7.5"],
                &["2025-03-04", "张工", "非研发", "8"],
            ],
        );
        let rows = parse_hours(&t, 2025, &res, &prj).expect("reads");
        assert_eq!(rows[0].hours, "7.5");
        assert_eq!(rows[1].project_code, "");
        let t = table(
            &["resource", "project", "hours"],
            &[&["张工", "RD-1", "8"], &["李工", "RD-1", "8"]],
        );
        let e = parse_hours(&t, 2025, &res, &prj).unwrap_err().remove(0);
        assert_eq!((e.row, e.column.as_str()), (3, "resource"));
        let t = table(&["resource", "project", "hours"], &[&["张工", "RD-9", "8"]]);
        assert_eq!(
            parse_hours(&t, 2025, &res, &prj).unwrap_err()[0].column,
            "project"
        );
        let t = table(
            &["resource", "hours", "date"],
            &[&["张工", "25", "2025-01-01"]],
        );
        assert_eq!(
            parse_hours(&t, 2025, &res, &prj).unwrap_err()[0].column,
            "hours"
        );
        let t = table(
            &["resource", "hours", "date"],
            &[&["张工", "2", "2024-12-31"]],
        );
        assert_eq!(
            parse_hours(&t, 2025, &res, &prj).unwrap_err()[0].column,
            "date"
        );
        let t = table(&["who", "hours"], &[&["张工", "2"]]);
        assert_eq!(parse_hours(&t, 2025, &res, &prj).unwrap_err()[0].row, 1);
    }

    #[test]
    fn every_bad_row_of_a_time_sheet_is_reported_at_once() {
        let res = [resource("张工")];
        let prj = [project("RD-1")];
        let t = table(
            &["resource", "project", "hours"],
            &[
                &["李工", "RD-1", "8"],
                &["张工", "RD-1", "8"],
                &["张工", "RD-9", "8"],
                &["张工", "RD-1", "八"],
            ],
        );
        let all = parse_hours(&t, 2025, &res, &prj).unwrap_err();
        let at: Vec<(usize, &str)> = all.iter().map(|e| (e.row, e.column.as_str())).collect();
        assert_eq!(at, [(2, "resource"), (4, "project"), (5, "hours")]);
        let zh = super::hours::problems_message("工时.csv", &all, "zh");
        assert!(
            zh.starts_with("工时.csv：共 3 处问题，未导入任何数据："),
            "{zh}"
        );
        assert!(zh.contains("第 5 行"), "{zh}");
        let en = super::hours::problems_message("hours.csv", &all, "en");
        assert!(
            en.starts_with("hours.csv: 3 problems, nothing was imported: "),
            "{en}"
        );
        let one = super::hours::problems_message("h.csv", &all[..1], "zh");
        assert!(one.starts_with("h.csv: 第 2 行"), "{one}");
    }

    #[test]
    fn hours_on_unregistered_codes_are_reported_and_not_allocated() {
        let res = [resource("张工")];
        let prj = [project("RD-1")];
        let hours = |code: &str, h: &str| HoursRow {
            row_no: 2,
            resource: "张工".into(),
            project_code: code.into(),
            work_date: String::new(),
            hours: h.into(),
        };
        let (input, stray) = input(
            2025,
            &YearRow::default(),
            &prj,
            &["GONE"],
            &res,
            &[
                hours("RD-1", "0.1"),
                hours("RD-1", "0.2"),
                hours("OLD", "3"),
                hours("GONE", "2"),
                hours("", "1"),
            ],
        );
        assert_eq!(
            input.pools[0].total_hours,
            "6.3".parse::<Decimal>().expect("d")
        );
        assert_eq!(input.pools[0].hours.len(), 1);
        assert_eq!(
            input.pools[0].hours[0].hours,
            "0.3".parse::<Decimal>().expect("d")
        );
        let why: Vec<(&str, &str)> = stray.iter().map(|s| (s.project.as_str(), s.why)).collect();
        assert_eq!(why, vec![("GONE", "not_rnd"), ("OLD", "unknown")]);
    }
}
