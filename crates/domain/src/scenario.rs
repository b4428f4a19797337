//! Application scenarios: the demands that units publish (a port that needs inspection robots).

use serde::Deserialize;

use crate::error::Errors;
use crate::fields::{bilingual, bounded, date, key};
use crate::lenient::{opt_number, opt_string, text};
use crate::values::Budget;
use crate::{Chain, FieldError, Invalid, Money, Region, Status, Trl};

/// A scenario as it arrives from a form, a file row or a JSON body: unvalidated text.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct ScenarioRaw {
    #[serde(deserialize_with = "opt_string")]
    pub key: Option<String>,
    #[serde(deserialize_with = "opt_string")]
    pub title_zh: Option<String>,
    #[serde(deserialize_with = "opt_string")]
    pub title_en: Option<String>,
    #[serde(deserialize_with = "opt_string")]
    pub description_zh: Option<String>,
    #[serde(deserialize_with = "opt_string")]
    pub description_en: Option<String>,
    #[serde(deserialize_with = "opt_string")]
    pub chain: Option<String>,
    #[serde(deserialize_with = "opt_string")]
    pub field: Option<String>,
    #[serde(deserialize_with = "opt_number")]
    pub trl_required: Option<String>,
    #[serde(deserialize_with = "opt_number")]
    pub budget_min_wan: Option<String>,
    #[serde(deserialize_with = "opt_number")]
    pub budget_max_wan: Option<String>,
    #[serde(deserialize_with = "opt_string")]
    pub region: Option<String>,
    #[serde(deserialize_with = "opt_string")]
    pub deadline: Option<String>,
    #[serde(deserialize_with = "opt_string")]
    pub status: Option<String>,
    #[serde(deserialize_with = "opt_string")]
    pub confidential: Option<String>,
}

/// The columns of a scenario in files and forms, in order.
pub const SCENARIO_COLUMNS: &[&str] = &[
    "key",
    "org_key",
    "title_zh",
    "title_en",
    "description_zh",
    "description_en",
    "chain",
    "field",
    "trl_required",
    "budget_min_wan",
    "budget_max_wan",
    "region",
    "deadline",
    "status",
    "confidential",
];

/// A valid scenario, ready to store.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ScenarioInput {
    pub key: Option<String>,
    pub title_zh: String,
    pub title_en: String,
    pub description_zh: String,
    pub description_en: String,
    pub chain: Chain,
    pub field: String,
    pub trl_required: Trl,
    pub budget: Budget,
    pub region: Region,
    pub deadline: Option<String>,
    pub status: Status,
    pub confidential: String,
}

impl ScenarioInput {
    /// Validate every field, reporting all problems at once.
    pub fn parse(raw: &ScenarioRaw) -> Result<ScenarioInput, Invalid> {
        let mut e = Errors::default();
        let key = key(&mut e, "key", &raw.key);
        let (title_zh, title_en) = bilingual(
            &mut e,
            ("title_zh", &raw.title_zh),
            ("title_en", &raw.title_en),
            200,
        );
        let description_zh = bounded(&mut e, "description_zh", &raw.description_zh, 10_000);
        let description_en = bounded(&mut e, "description_en", &raw.description_en, 20_000);
        let chain = required(&mut e, "chain", &raw.chain, Chain::parse);
        let field = bounded(&mut e, "field", &raw.field, 100);
        let trl_required = required(&mut e, "trl_required", &raw.trl_required, Trl::parse);
        let budget = budget(&mut e, &raw.budget_min_wan, &raw.budget_max_wan);
        let region = required(&mut e, "region", &raw.region, Region::parse);
        let deadline = text(&raw.deadline).and_then(|s| e.take(date("deadline", s)));
        let status = match text(&raw.status) {
            Some(s) => e.take(Status::parse("status", s)),
            None => Some(Status::Draft),
        };
        let confidential = bounded(&mut e, "confidential", &raw.confidential, 10_000);
        e.finish()?;
        match (chain, trl_required, region, status) {
            (Some(chain), Some(trl_required), Some(region), Some(status)) => Ok(ScenarioInput {
                key,
                title_zh,
                title_en,
                description_zh,
                description_en,
                chain,
                field,
                trl_required,
                budget,
                region,
                deadline,
                status,
                confidential,
            }),
            _ => unreachable!("every missing value was reported as an error"),
        }
    }
}

/// Parse a required field with `parse`, reporting absence as `required`.
pub(crate) fn required<T>(
    e: &mut Errors,
    field: &str,
    raw: &Option<String>,
    parse: impl Fn(&str, &str) -> Result<T, FieldError>,
) -> Option<T> {
    match text(raw) {
        Some(s) => e.take(parse(field, s)),
        None => {
            e.push(FieldError::required(field));
            None
        }
    }
}

/// Parse an optional budget range in wan yuan, checking min ≤ max.
pub(crate) fn budget(e: &mut Errors, min: &Option<String>, max: &Option<String>) -> Budget {
    let min = text(min).and_then(|s| e.take(Money::parse_wan("budget_min_wan", s)));
    let max = text(max).and_then(|s| e.take(Money::parse_wan("budget_max_wan", s)));
    if let (Some(lo), Some(hi)) = (min, max) {
        if lo > hi {
            e.push(FieldError::new(
                "budget_max_wan",
                "range_inverted",
                "the maximum budget is below the minimum",
                "预算上限低于下限",
            ));
        }
    }
    Budget { min, max }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn raw() -> ScenarioRaw {
        ScenarioRaw {
            title_zh: Some("港口巡检机器人".into()),
            chain: Some("robotics".into()),
            trl_required: Some("7".into()),
            region: Some("hebei.tangshan".into()),
            ..Default::default()
        }
    }

    #[test]
    fn a_minimal_scenario_is_a_draft() {
        let s = ScenarioInput::parse(&raw()).expect("valid");
        assert_eq!(s.status, Status::Draft);
        assert_eq!(s.trl_required.get(), 7);
    }

    #[test]
    fn publishing_a_scenario_without_a_title_is_rejected() {
        let mut r = raw();
        r.title_zh = None;
        let err = ScenarioInput::parse(&r).unwrap_err();
        assert_eq!(err.0[0].field, "title_zh");
    }

    #[test]
    fn every_problem_is_reported_with_its_field() {
        let r = ScenarioRaw {
            title_zh: Some("x".into()),
            trl_required: Some("12".into()),
            budget_min_wan: Some("100".into()),
            budget_max_wan: Some("50".into()),
            deadline: Some("2026-02-30".into()),
            ..Default::default()
        };
        let err = ScenarioInput::parse(&r).unwrap_err();
        let fields: Vec<_> = err.0.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(
            fields,
            [
                "chain",
                "trl_required",
                "budget_max_wan",
                "region",
                "deadline"
            ]
        );
    }
}
