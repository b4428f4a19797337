//! Policies enterprises can claim (政策匹配): the enterprise profile (kept by the enterprise,
//! read by programme staff), the policies it qualifies for and why not yet (duijie-policy does
//! the rules), and the officers' "policy enjoyment gap" list of the enterprises in their area.

use std::collections::BTreeSet;

use chrono::{Datelike, NaiveDate};
use duijie_policy::{Assessment, Industry, Profile, Verdict, Year};
use duijie_store::organisation::OrgRow;
use duijie_store::policy::{Enterprise, FiguresRow, ProfileRow};
use serde::Serialize;

use crate::error::AppError;
use crate::form::FormData;
use crate::service::field_err;
use crate::{App, Caller};

pub use duijie_policy::POLICIES;

/// The industries a profile chooses from: (code, Chinese, English).
pub fn industries() -> Vec<(&'static str, &'static str, &'static str)> {
    Industry::ALL
        .iter()
        .map(|i| (i.code(), i.label().0, i.label().1))
        .collect()
}

/// The money figures of a year (万元 in forms, fen stored), with labels.
pub const MONEY: &[(&str, &str, &str)] = &[
    ("revenue", "销售收入", "Sales revenue"),
    ("total_income", "收入总额", "Total income"),
    ("assets", "资产总额", "Total assets"),
    ("total_cost", "成本费用支出总额", "Total costs and expenses"),
    ("rnd", "研发费用总额", "R&D spending"),
    ("rnd_domestic", "其中境内研发费用", "of which in China"),
    (
        "hightech_revenue",
        "高新技术产品（服务）收入",
        "High-tech products and services income",
    ),
];

/// The yes/no facts of a profile, with labels.
pub const FLAGS: &[(&str, &str, &str)] = &[
    (
        "hightech_field",
        "核心技术属于《国家重点支持的高新技术领域》",
        "Core technology within the state-supported high-tech fields",
    ),
    (
        "clean_record",
        "近一年无重大安全、质量事故及严重违法失信，产品不属于禁止、限制和淘汰类",
        "No major accident, serious violation or dishonesty listing in the last year; no prohibited products",
    ),
    (
        "audited_accounts",
        "会计核算健全，实行查账征收",
        "Sound accounts, tax assessed on audited books",
    ),
    (
        "national_award",
        "近五年获国家级科技奖励且排名前三",
        "National S&T award in the last five years, among the first three",
    ),
    (
        "provincial_rnd_institution",
        "拥有经认定的省部级以上研发机构",
        "Recognised R&D institution at provincial level or above",
    ),
    (
        "led_standard",
        "近五年主导制定过国际、国家或行业标准",
        "Led an international, national or industry standard in the last five years",
    ),
];

/// Who may keep an organisation's profile: its members and the admin.
pub fn may_keep(ctx: &Caller, org_id: i64) -> bool {
    ctx.acts_for(org_id)
}

/// Who may read it: those who keep it and programme staff (officers, admin).
pub fn may_read(ctx: &Caller, org_id: i64) -> bool {
    may_keep(ctx, org_id) || ctx.is_staff()
}

/// An enterprise's profile page: what it said, its figures by year (the last three always
/// shown, so that a new profile has columns to fill) and every policy assessed.
#[derive(Debug, Serialize)]
pub struct ProfileView {
    pub org: OrgRow,
    pub kept: bool,
    /// The policies are an enterprise's: other organisations are told so, with no form.
    pub enterprise: bool,
    pub may_edit: bool,
    pub profile: ProfileRow,
    pub years: Vec<FiguresRow>,
    pub assessments: Vec<Assessment>,
    /// The innovation-voucher schemes not yet closed, each as a policy: (scheme id, assessment).
    pub vouchers: Vec<(i64, Assessment)>,
}

/// The profile of `org_id` as the caller may see it.
pub async fn view(st: &App, ctx: &Caller, org_id: i64) -> Result<ProfileView, AppError> {
    ctx.require_user()?;
    if !may_read(ctx, org_id) {
        return Err(AppError::Forbidden);
    }
    let org = st.store.organisation(org_id).await?;
    let (profile, stored) = st.store.enterprise_profile(org_id).await?;
    let today = st.clock.today();
    let assessments = duijie_policy::assess(&rules_profile(profile.as_ref(), &stored), today);
    let mut years: BTreeSet<i64> = stored.iter().map(|y| y.year).collect();
    let last = i64::from(today.year()) - 1;
    years.extend(last - 2..=last);
    let years = years
        .into_iter()
        .map(|y| {
            stored
                .iter()
                .find(|s| s.year == y)
                .cloned()
                .unwrap_or(FiguresRow {
                    year: y,
                    ..FiguresRow::default()
                })
        })
        .collect();
    let enterprise = org.kind == duijie_domain::OrgKind::Enterprise;
    let vouchers = if enterprise {
        crate::voucher::for_enterprise(st, &org.region).await?
    } else {
        Vec::new()
    };
    Ok(ProfileView {
        enterprise,
        may_edit: enterprise && may_keep(ctx, org_id),
        kept: profile.is_some(),
        profile: profile.unwrap_or_default(),
        org,
        years,
        assessments,
        vouchers,
    })
}

/// Save the profile of `org_id` from a form: its facts and the figures of each year listed in
/// `years` (a year left wholly blank is not kept). Every bad field is named.
pub async fn save(st: &App, ctx: &Caller, org_id: i64, form: &FormData) -> Result<(), AppError> {
    ctx.require_user()?;
    if !may_keep(ctx, org_id) {
        return Err(AppError::Forbidden);
    }
    let org = st.store.organisation(org_id).await?;
    if org.kind != duijie_domain::OrgKind::Enterprise {
        return Err(field_err(
            "org_id",
            "only enterprises keep a policy profile",
            "只有企业填写政策匹配档案",
        ));
    }
    let (profile, years) = parse(form, st.clock.today())?;
    st.store
        .save_enterprise_profile(&ctx.audit()?, org_id, &profile, &years)
        .await?;
    Ok(())
}

/// The form read into a profile and its years.
pub fn parse(form: &FormData, today: NaiveDate) -> Result<(ProfileRow, Vec<FiguresRow>), AppError> {
    let flag = |field: &str| -> Result<Option<i64>, AppError> {
        match form.get(field).map(str::trim).unwrap_or("") {
            "" => Ok(None),
            "1" | "true" | "on" => Ok(Some(1)),
            "0" | "false" => Ok(Some(0)),
            _ => Err(field_err(
                field,
                "must be yes, no or blank",
                "须为“是”“否”或不填",
            )),
        }
    };
    let day = |field: &str| -> Result<Option<String>, AppError> {
        let raw = form.get(field).map(str::trim).unwrap_or("");
        if raw.is_empty() {
            return Ok(None);
        }
        form.day(field).map(|d| Some(d.to_string()))
    };
    let count = |field: &str, max: i64| -> Result<Option<i64>, AppError> {
        let raw = form.get(field).map(str::trim).unwrap_or("");
        if raw.is_empty() {
            Ok(None)
        } else {
            form.number(field, 0..=max, None).map(Some)
        }
    };
    let industry = match form.get("industry").map(str::trim).unwrap_or("") {
        "" => None,
        code => Some(
            Industry::parse(code)
                .ok_or_else(|| field_err("industry", "is not one of the choices", "不是可选项"))?
                .code()
                .to_string(),
        ),
    };
    let founded_on = day("founded_on")?;
    if founded_on
        .as_deref()
        .is_some_and(|d| d > today.to_string().as_str())
    {
        return Err(field_err("founded_on", "is after today", "晚于今天"));
    }
    let profile = ProfileRow {
        founded_on,
        industry,
        hightech_field: flag("hightech_field")?,
        clean_record: flag("clean_record")?,
        hightech_certificate_until: day("hightech_certificate_until")?,
        national_award: flag("national_award")?,
        provincial_rnd_institution: flag("provincial_rnd_institution")?,
        led_standard: flag("led_standard")?,
        ip_class1: count("ip_class1", 100_000)?,
        ip_class2: count("ip_class2", 100_000)?,
        innovation_score: count("innovation_score", 100)?,
        audited_accounts: flag("audited_accounts")?,
    };
    let mut years = Vec::new();
    let listed = form.values();
    let listed = listed.get("years").and_then(|v| v.as_str()).unwrap_or("");
    let this_year = i64::from(today.year());
    for y in listed.split(',').map(str::trim).filter(|y| !y.is_empty()) {
        let year: i64 = y
            .parse()
            .ok()
            .filter(|y| (1990..=this_year).contains(y))
            .ok_or_else(|| {
                field_err(
                    "years",
                    &format!("\"{y}\" is not a year from 1990 to {this_year}"),
                    &format!("“{y}”不是 1990 到 {this_year} 之间的年份"),
                )
            })?;
        let money = |name: &str| -> Result<Option<i64>, AppError> {
            let field = format!("{name}_{year}");
            let raw = form.get(&field).map(str::trim).unwrap_or("");
            if raw.is_empty() {
                return Ok(None);
            }
            form.wan(&field).map(Some)
        };
        let row = FiguresRow {
            year,
            staff: count(&format!("staff_{year}"), 10_000_000)?,
            tech_staff: count(&format!("tech_staff_{year}"), 10_000_000)?,
            revenue_fen: money("revenue")?,
            total_income_fen: money("total_income")?,
            assets_fen: money("assets")?,
            total_cost_fen: money("total_cost")?,
            rnd_fen: money("rnd")?,
            rnd_domestic_fen: money("rnd_domestic")?,
            hightech_revenue_fen: money("hightech_revenue")?,
        };
        if let (Some(t), Some(s)) = (row.tech_staff, row.staff) {
            if t > s {
                return Err(field_err(
                    &format!("tech_staff_{year}"),
                    &format!("{t} R&D staff is more than all {s} staff of {year}"),
                    &format!("{year} 年科技人员 {t} 人多于职工总数 {s} 人"),
                ));
            }
        }
        if let (Some(d), Some(r)) = (row.rnd_domestic_fen, row.rnd_fen) {
            if d > r {
                return Err(field_err(
                    &format!("rnd_domestic_{year}"),
                    &format!("R&D in China is more than all R&D spending of {year}"),
                    &format!("{year} 年境内研发费用多于研发费用总额"),
                ));
            }
        }
        let blank = FiguresRow {
            year,
            ..FiguresRow::default()
        };
        if row != blank && !years.iter().any(|r: &FiguresRow| r.year == year) {
            years.push(row);
        }
    }
    years.sort_by_key(|r| r.year);
    Ok((profile, years))
}

/// What the rules read, from the stored rows.
pub fn rules_profile(p: Option<&ProfileRow>, years: &[FiguresRow]) -> Profile {
    let day = |d: &Option<String>| {
        d.as_deref()
            .and_then(|d| NaiveDate::parse_from_str(d, "%Y-%m-%d").ok())
    };
    let flag = |v: Option<i64>| v.map(|v| v != 0);
    let years = years
        .iter()
        .map(|y| Year {
            year: i32::try_from(y.year).unwrap_or(0),
            staff: y.staff,
            tech_staff: y.tech_staff,
            revenue: y.revenue_fen,
            total_income: y.total_income_fen,
            assets: y.assets_fen,
            total_cost: y.total_cost_fen,
            rnd: y.rnd_fen,
            rnd_domestic: y.rnd_domestic_fen,
            hightech_revenue: y.hightech_revenue_fen,
        })
        .collect();
    let Some(p) = p else {
        return Profile {
            years,
            ..Profile::default()
        };
    };
    Profile {
        founded_on: day(&p.founded_on),
        industry: p.industry.as_deref().and_then(Industry::parse),
        hightech_field: flag(p.hightech_field),
        clean_record: flag(p.clean_record),
        hightech_certificate_until: day(&p.hightech_certificate_until),
        national_award: flag(p.national_award),
        provincial_rnd_institution: flag(p.provincial_rnd_institution),
        led_standard: flag(p.led_standard),
        ip_class1: p.ip_class1,
        ip_class2: p.ip_class2,
        innovation_score: p.innovation_score,
        audited_accounts: flag(p.audited_accounts),
        years,
    }
}

/// One enterprise on the officers' list: each policy's verdict, and whether the platform
/// knows it already enjoys it.
#[derive(Debug, Clone, Serialize)]
pub struct GapRow {
    pub org_id: i64,
    pub name_zh: String,
    pub name_en: String,
    pub region: String,
    pub kept: bool,
    pub policies: Vec<GapCell>,
    /// Policies it could claim (likely) and is not known to enjoy.
    pub open: usize,
}

#[derive(Debug, Clone, Serialize)]
pub struct GapCell {
    pub policy: &'static str,
    pub verdict: Verdict,
    /// The platform knows it enjoys it: a valid high-tech certificate; a deduction computed
    /// on the platform's R&D ledger for the latest year of figures.
    pub enjoyed: bool,
}

/// The policy enjoyment gap of the caller's area: enterprises of the officer's organisation's
/// region (or every enterprise for the admin), most open policies first. `open_only`: only
/// those with a policy they could claim and are not known to enjoy.
pub async fn gap(st: &App, ctx: &Caller, open_only: bool) -> Result<Vec<GapRow>, AppError> {
    let (user, _) = ctx.require_user()?;
    if !ctx.is_staff() {
        return Err(AppError::Forbidden);
    }
    // An officer's area is their organisation's province (or municipality); the admin's all.
    let region = match user.org_id {
        Some(org) if ctx.role() != Some(duijie_domain::Role::Admin) => {
            let o = st.store.organisation(org).await?;
            Some(o.region.split('.').next().unwrap_or("").to_string())
        }
        _ => None,
    };
    let today = st.clock.today();
    let on_ledger: std::collections::HashSet<(i64, i64)> =
        st.store.rnd_year_keys().await?.into_iter().collect();
    let mut out = Vec::new();
    for Enterprise {
        org_id,
        name_zh,
        name_en,
        region,
        profile,
        years,
    } in st.store.enterprises(region.as_deref()).await?
    {
        let rules = rules_profile(profile.as_ref(), &years);
        let ledger_year = rules
            .latest()
            .is_some_and(|y| on_ledger.contains(&(org_id, i64::from(y.year))));
        let policies: Vec<GapCell> = duijie_policy::assess(&rules, today)
            .into_iter()
            .map(|a| GapCell {
                policy: a.policy,
                verdict: a.verdict,
                enjoyed: match a.policy {
                    "hightech" => rules.hightech_certificate_until.is_some_and(|d| d >= today),
                    "rnd_deduction" => ledger_year,
                    _ => false,
                },
            })
            .collect();
        let open = policies
            .iter()
            .filter(|c| c.verdict == Verdict::Likely && !c.enjoyed)
            .count();
        if open_only && open == 0 {
            continue;
        }
        out.push(GapRow {
            org_id,
            name_zh,
            name_en,
            region,
            kept: profile.is_some(),
            policies,
            open,
        });
    }
    out.sort_by(|a, b| b.open.cmp(&a.open).then(a.org_id.cmp(&b.org_id)));
    Ok(out)
}

/// The gap list as an Excel workbook (one row an enterprise, a column a policy), in the
/// caller's language.
pub async fn gap_workbook(st: &App, ctx: &Caller, open_only: bool) -> Result<Vec<u8>, AppError> {
    let rows = gap(st, ctx, open_only).await?;
    let en = ctx.lang == "en";
    let pick = |zh: &str, e: &str| if en { e.to_string() } else { zh.to_string() };
    let mut headers = vec![
        pick("机构编号", "Organisation id"),
        pick("企业", "Enterprise"),
        pick("地区", "Region"),
        pick("已填写档案", "Profile kept"),
    ];
    headers.extend(duijie_policy::POLICIES.iter().map(|p| pick(p.1, p.2)));
    headers.push(pick("可申请未享受", "Could claim, not enjoyed"));
    let table = duijie_tabular::Table {
        headers,
        rows: rows
            .iter()
            .map(|r| {
                let region = duijie_domain::Region::from_code(&r.region)
                    .map_or_else(|| r.region.clone(), |g| pick(g.label.zh, g.label.en));
                let mut row = vec![
                    r.org_id.to_string(),
                    pick(&r.name_zh, &r.name_en),
                    region,
                    pick(
                        if r.kept { "是" } else { "否" },
                        if r.kept { "yes" } else { "no" },
                    ),
                ];
                row.extend(r.policies.iter().map(|c| {
                    let (zh, e) = c.verdict.label();
                    let (ez, ee) = ("（已享受）", " (enjoyed)");
                    if c.enjoyed {
                        pick(&format!("{zh}{ez}"), &format!("{e}{ee}"))
                    } else {
                        pick(zh, e)
                    }
                }));
                row.push(r.open.to_string());
                row
            })
            .collect(),
    };
    let sheet = if en {
        "Policy gap"
    } else {
        "政策享受缺口"
    };
    duijie_tabular::xlsx_bytes(&[(sheet, &table)])
        .map_err(|e| AppError::Internal(format!("workbook: {e}")))
}
