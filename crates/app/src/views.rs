//! What pages and the API show of a record: labels in the reader's language, money in wan
//! yuan, and confidential fields only for those entitled (`None` means "not shown").

use duijie_domain::challenge::{ApplicationStatus, ChallengeStatus};
use duijie_domain::gathering::{GatheringStatus, MeetingOutcome, MeetingRequestStatus, Side};
use duijie_domain::pipeline::{DealStatus, OutcomeKind, RequestStatus, StepStatus};
use duijie_domain::region::REGIONS;
use duijie_domain::{Chain, CoopMode, Label, Money, OrgKind, Region, Role, Status};
use duijie_store::achievement::AchievementRow;
use duijie_store::organisation::OrgRow;
use duijie_store::scenario::ScenarioRow;
use serde::Serialize;
use serde_json::{json, Value};

/// One option of a vocabulary.
#[derive(Serialize)]
pub struct Opt {
    code: &'static str,
    zh: &'static str,
    en: &'static str,
}

fn opts<T: Copy>(
    all: &[T],
    code: impl Fn(T) -> &'static str,
    label: impl Fn(T) -> Label,
) -> Vec<Opt> {
    all.iter()
        .map(|&v| Opt {
            code: code(v),
            zh: label(v).zh,
            en: label(v).en,
        })
        .collect()
}

/// A vocabulary as `{code: [zh, en]}`.
fn names<T: duijie_domain::Vocabulary>() -> Value {
    let mut m = serde_json::Map::new();
    for v in T::all() {
        m.insert(v.code().into(), json!([v.label().zh, v.label().en]));
    }
    Value::Object(m)
}

/// A list of values as `{code: [zh, en]}`.
fn names_of<T: Copy>(all: &[T], code: fn(T) -> &'static str, label: fn(T) -> Label) -> Value {
    let mut m = serde_json::Map::new();
    for v in all {
        m.insert(code(*v).into(), json!([label(*v).zh, label(*v).en]));
    }
    Value::Object(m)
}

/// Every vocabulary, for select boxes and filters.
pub fn vocabulary() -> Value {
    json!({
        "chains": opts(Chain::ALL, Chain::code, Chain::label),
        "statuses": opts(Status::ALL, Status::code, Status::label),
        "kinds": opts(OrgKind::ALL, OrgKind::code, OrgKind::label),
        "coop_modes": opts(CoopMode::ALL, CoopMode::code, CoopMode::label),
        "roles": opts(Role::ALL, Role::code, Role::label),
        "token_scopes": opts(
            duijie_domain::TokenScope::ALL,
            duijie_domain::TokenScope::code,
            duijie_domain::TokenScope::label
        ),
        "challenge_statuses": opts(ChallengeStatus::ALL, ChallengeStatus::code, ChallengeStatus::label),
        "application_statuses": opts(ApplicationStatus::ALL, ApplicationStatus::code, ApplicationStatus::label),
        "request_statuses": opts(RequestStatus::ALL, RequestStatus::code, RequestStatus::label),
        "step_statuses": opts(StepStatus::ALL, StepStatus::code, StepStatus::label),
        "deal_statuses": opts(DealStatus::ALL, DealStatus::code, DealStatus::label),
        "outcome_kinds": opts(OutcomeKind::ALL, OutcomeKind::code, OutcomeKind::label),
        "gathering_statuses": opts(GatheringStatus::ALL, GatheringStatus::code, GatheringStatus::label),
        "sides": opts(Side::ALL, Side::code, Side::label),
        "meeting_outcomes": opts(MeetingOutcome::ALL, MeetingOutcome::code, MeetingOutcome::label),
        // code → [zh, en], for lookups in templates
        "meeting_outcome_names": names::<MeetingOutcome>(),
        "verdict_names": names::<duijie_domain::rnd::Verdict>(),
        "verdicts": opts(duijie_domain::rnd::Verdict::ALL, duijie_domain::rnd::Verdict::code, duijie_domain::rnd::Verdict::label),
        "meeting_request_status_names": names::<MeetingRequestStatus>(),
        "docking_stage_names": names::<duijie_domain::docking::DockingStage>(),
        "docking_wants": opts(duijie_domain::docking::DockingWant::ALL, duijie_domain::docking::DockingWant::code, duijie_domain::docking::DockingWant::label),
        "docking_want_names": names::<duijie_domain::docking::DockingWant>(),
        "contract_kinds": opts(duijie_domain::contract::ContractKind::ALL, duijie_domain::contract::ContractKind::code, duijie_domain::contract::ContractKind::label),
        "contract_kind_names": names::<duijie_domain::contract::ContractKind>(),
        "contract_class_names": names::<duijie_domain::contract::ContractClass>(),
        "contract_statuses": opts(duijie_domain::contract::ContractStatus::ALL, duijie_domain::contract::ContractStatus::code, duijie_domain::contract::ContractStatus::label),
        "contract_status_names": names::<duijie_domain::contract::ContractStatus>(),
        "role_names": names_of(Role::ALL, Role::code, Role::label),
        "verification_names": names::<duijie_domain::organisation::OrgVerification>(),
        "voucher_status_names": names::<duijie_domain::voucher::VoucherStatus>(),
        "voucher_use_status_names": names::<duijie_domain::voucher::VoucherUseStatus>(),
        "request_status_names": names::<RequestStatus>(),
        "regions": REGIONS.iter().map(|r| Opt { code: r.code, zh: r.label.zh, en: r.label.en }).collect::<Vec<_>>(),
        "trls": (1..=9).collect::<Vec<_>>(),
    })
}

/// Pick the text for `lang`, falling back to the other language when it is empty.
pub fn pick<'a>(lang: &str, zh: &'a str, en: &'a str) -> &'a str {
    match (lang == "en", zh.is_empty(), en.is_empty()) {
        (true, _, false) | (false, true, _) => en,
        _ => zh,
    }
}

fn label(lang: &str, l: Option<Label>, code: &str) -> String {
    l.map(|l| l.get(lang).to_string())
        .unwrap_or_else(|| code.to_string())
}

pub fn chain_label(lang: &str, code: &str) -> String {
    label(lang, Chain::from_code(code).map(Chain::label), code)
}

pub fn region_label(lang: &str, code: &str) -> String {
    label(lang, Region::from_code(code).map(|r| r.label), code)
}

fn wan(fen: Option<i64>) -> Option<String> {
    fen.map(|f| Money::from_fen(f).wan_text())
}

/// "50–200 万元", "≥ 50 万元", or "面议" (negotiable).
pub fn budget_text(lang: &str, min: Option<i64>, max: Option<i64>) -> String {
    if lang == "en" {
        // In English: millions of yuan ("CNY 2–6 million").
        let m = |fen: Option<i64>| fen.map(|f| Money::from_fen(f).millions_text());
        return match (m(min), m(max)) {
            (Some(a), Some(b)) if a == b => format!("CNY {a} million"),
            (Some(a), Some(b)) => format!("CNY {a}–{b} million"),
            (Some(a), None) => format!("≥ CNY {a} million"),
            (None, Some(b)) => format!("≤ CNY {b} million"),
            (None, None) => "Negotiable".to_string(),
        };
    }
    let unit = "万元";
    match (wan(min), wan(max)) {
        (Some(a), Some(b)) if a == b => format!("{a} {unit}"),
        (Some(a), Some(b)) => format!("{a}–{b} {unit}"),
        (Some(a), None) => format!("≥ {a} {unit}"),
        (None, Some(b)) => format!("≤ {b} {unit}"),
        (None, None) => if lang == "en" { "Negotiable" } else { "面议" }.to_string(),
    }
}

/// A scenario for a page.
pub fn scenario(lang: &str, r: &ScenarioRow, confidential: bool, can_edit: bool) -> Value {
    json!({
        "id": r.id, "key": r.key, "org_id": r.org_id,
        "org_name": pick(lang, &r.org_name_zh, &r.org_name_en),
        "title": pick(lang, &r.title_zh, &r.title_en),
        "title_zh": r.title_zh, "title_en": r.title_en,
        "description": pick(lang, &r.description_zh, &r.description_en),
        "description_zh": r.description_zh, "description_en": r.description_en,
        "chain": r.chain, "chain_label": chain_label(lang, &r.chain), "field": r.field,
        "field_label": in_language(lang, &r.field),
        "trl_required": r.trl_required,
        "budget_min_wan": wan(r.budget_min_fen), "budget_max_wan": wan(r.budget_max_fen),
        "budget": budget_text(lang, r.budget_min_fen, r.budget_max_fen),
        "region": r.region, "region_label": region_label(lang, &r.region),
        "deadline": r.deadline, "status": r.status, "status_label": r.status.label().get(lang),
        "confidential": confidential.then_some(&r.confidential),
        "can_edit": can_edit, "created_at": r.created_at, "updated_at": r.updated_at,
    })
}

/// A scenario for the API: codes rather than labels.
pub fn scenario_api(r: &ScenarioRow, confidential: bool) -> Value {
    let mut v = json!({
        "id": r.id, "key": r.key, "org_id": r.org_id, "org_name_zh": r.org_name_zh, "org_name_en": r.org_name_en,
        "title_zh": r.title_zh, "title_en": r.title_en,
        "description_zh": r.description_zh, "description_en": r.description_en,
        "chain": r.chain, "field": r.field, "trl_required": r.trl_required,
        "budget_min_wan": wan(r.budget_min_fen), "budget_max_wan": wan(r.budget_max_fen),
        "region": r.region, "deadline": r.deadline, "status": r.status,
        "created_at": r.created_at, "updated_at": r.updated_at,
    });
    if confidential {
        v["confidential"] = json!(r.confidential);
    }
    v
}

fn coop_labels(lang: &str, codes: &str) -> Vec<String> {
    codes
        .split(',')
        .filter(|c| !c.is_empty())
        .map(|c| label(lang, CoopMode::from_code(c).map(CoopMode::label), c))
        .collect()
}

/// An achievement for a page.
pub fn achievement(lang: &str, r: &AchievementRow, confidential: bool, can_edit: bool) -> Value {
    json!({
        "id": r.id, "key": r.key, "org_id": r.org_id,
        "org_name": pick(lang, &r.org_name_zh, &r.org_name_en),
        "region_label": region_label(lang, &r.org_region),
        "title": pick(lang, &r.title_zh, &r.title_en),
        "title_zh": r.title_zh, "title_en": r.title_en,
        "summary": pick(lang, &r.summary_zh, &r.summary_en),
        "summary_zh": r.summary_zh, "summary_en": r.summary_en,
        "chain": r.chain, "chain_label": chain_label(lang, &r.chain), "field": r.field, "trl": r.trl,
        "field_label": in_language(lang, &r.field),
        "ip": r.ip, "team": r.team, "coop_modes": r.coop_modes, "coop_labels": coop_labels(lang, &r.coop_modes),
        "status": r.status, "status_label": r.status.label().get(lang),
        "confidential": confidential.then_some(&r.confidential),
        "can_edit": can_edit, "created_at": r.created_at, "updated_at": r.updated_at,
    })
}

/// An achievement for the API.
pub fn achievement_api(r: &AchievementRow, confidential: bool) -> Value {
    let mut v = json!({
        "id": r.id, "key": r.key, "org_id": r.org_id, "org_name_zh": r.org_name_zh, "org_name_en": r.org_name_en,
        "region": r.org_region, "title_zh": r.title_zh, "title_en": r.title_en,
        "summary_zh": r.summary_zh, "summary_en": r.summary_en, "chain": r.chain, "field": r.field,
        "trl": r.trl, "ip": r.ip, "team": r.team,
        "coop_modes": r.coop_modes.split(',').filter(|c| !c.is_empty()).collect::<Vec<_>>(),
        "status": r.status, "created_at": r.created_at, "updated_at": r.updated_at,
    });
    if confidential {
        v["confidential"] = json!(r.confidential);
    }
    v
}

/// An organisation; contact details only when `contact` (see `organisation::contact_scope`).
pub fn organisation(lang: &str, r: &OrgRow, contact: bool, can_edit: bool) -> Value {
    json!({
        "id": r.id, "key": r.key,
        "name": pick(lang, &r.name_zh, &r.name_en), "name_zh": r.name_zh, "name_en": r.name_en,
        "kind": r.kind, "kind_label": r.kind.label().get(lang),
        "region": r.region, "region_label": region_label(lang, &r.region),
        "chain": r.chain, "chain_label": r.chain.as_deref().map(|c| chain_label(lang, c)),
        "intro": pick(lang, &r.intro_zh, &r.intro_en), "intro_zh": r.intro_zh, "intro_en": r.intro_en,
        "website": r.website,
        "contact": contact.then(|| json!({"name": r.contact_name, "phone": r.contact_phone, "email": r.contact_email})),
        "can_edit": can_edit,
    })
}

/// An organisation for the API.
pub fn organisation_api(r: &OrgRow, contact: bool) -> Value {
    let mut v = json!({
        "id": r.id, "key": r.key, "name_zh": r.name_zh, "name_en": r.name_en, "kind": r.kind,
        "region": r.region, "chain": r.chain, "intro_zh": r.intro_zh, "intro_en": r.intro_en,
        "website": r.website, "created_at": r.created_at, "updated_at": r.updated_at,
    });
    if contact {
        v["contact_name"] = json!(r.contact_name);
        v["contact_phone"] = json!(r.contact_phone);
        v["contact_email"] = json!(r.contact_email);
    }
    v
}

/// A value written in both languages as "中文 / English" (the demo's and many imports' way),
/// in the reader's language only; any other text as it is.
pub fn in_language(lang: &str, text: &str) -> String {
    let Some((a, b)) = text.split_once(" / ") else {
        return text.to_string();
    };
    let cjk = |s: &str| s.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c));
    match (cjk(a), cjk(b)) {
        (true, false) => if lang == "en" { b } else { a }.trim().to_string(),
        (false, true) => if lang == "en" { a } else { b }.trim().to_string(),
        _ => text.to_string(),
    }
}

#[cfg(test)]
mod language_tests {
    use super::in_language;

    #[test]
    fn a_two_language_value_reads_in_one() {
        assert_eq!(in_language("zh", "农业机械 / Farm machinery"), "农业机械");
        assert_eq!(
            in_language("en", "农业机械 / Farm machinery"),
            "Farm machinery"
        );
        assert_eq!(in_language("en", "港口自动化"), "港口自动化");
        assert_eq!(in_language("zh", "A / B"), "A / B");
    }
}
