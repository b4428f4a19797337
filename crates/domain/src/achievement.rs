//! Achievements: the technologies, solutions, patents and teams that universities, institutes
//! and firms offer.

use serde::Deserialize;

use crate::error::Errors;
use crate::fields::{bilingual, bounded, key};
use crate::lenient::{opt_list, opt_number, opt_string, text};
use crate::scenario::required;
use crate::{Chain, CoopMode, Invalid, Status, Trl};

/// An achievement as it arrives from a form, a file row or a JSON body.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct AchievementRaw {
    #[serde(deserialize_with = "opt_string")]
    pub key: Option<String>,
    #[serde(deserialize_with = "opt_string")]
    pub title_zh: Option<String>,
    #[serde(deserialize_with = "opt_string")]
    pub title_en: Option<String>,
    #[serde(deserialize_with = "opt_string")]
    pub summary_zh: Option<String>,
    #[serde(deserialize_with = "opt_string")]
    pub summary_en: Option<String>,
    #[serde(deserialize_with = "opt_string")]
    pub chain: Option<String>,
    #[serde(deserialize_with = "opt_string")]
    pub field: Option<String>,
    #[serde(deserialize_with = "opt_number")]
    pub trl: Option<String>,
    #[serde(deserialize_with = "opt_string")]
    pub ip: Option<String>,
    #[serde(deserialize_with = "opt_string")]
    pub team: Option<String>,
    /// Comma-separated cooperation mode codes, e.g. `licence,joint_development`.
    #[serde(deserialize_with = "opt_list")]
    pub coop_modes: Option<String>,
    #[serde(deserialize_with = "opt_string")]
    pub status: Option<String>,
    #[serde(deserialize_with = "opt_string")]
    pub confidential: Option<String>,
}

/// The columns of an achievement in files and forms, in order.
pub const ACHIEVEMENT_COLUMNS: &[&str] = &[
    "key",
    "org_key",
    "title_zh",
    "title_en",
    "summary_zh",
    "summary_en",
    "chain",
    "field",
    "trl",
    "ip",
    "team",
    "coop_modes",
    "status",
    "confidential",
];

/// A valid achievement, ready to store.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AchievementInput {
    pub key: Option<String>,
    pub title_zh: String,
    pub title_en: String,
    pub summary_zh: String,
    pub summary_en: String,
    pub chain: Chain,
    pub field: String,
    pub trl: Trl,
    pub ip: String,
    pub team: String,
    pub coop_modes: Vec<CoopMode>,
    pub status: Status,
    pub confidential: String,
}

impl AchievementInput {
    /// Validate every field, reporting all problems at once.
    pub fn parse(raw: &AchievementRaw) -> Result<AchievementInput, Invalid> {
        let mut e = Errors::default();
        let key = key(&mut e, "key", &raw.key);
        let (title_zh, title_en) = bilingual(
            &mut e,
            ("title_zh", &raw.title_zh),
            ("title_en", &raw.title_en),
            200,
        );
        let summary_zh = bounded(&mut e, "summary_zh", &raw.summary_zh, 10_000);
        let summary_en = bounded(&mut e, "summary_en", &raw.summary_en, 20_000);
        let chain = required(&mut e, "chain", &raw.chain, Chain::parse);
        let field = bounded(&mut e, "field", &raw.field, 100);
        let trl = required(&mut e, "trl", &raw.trl, Trl::parse);
        let ip = bounded(&mut e, "ip", &raw.ip, 2_000);
        let team = bounded(&mut e, "team", &raw.team, 2_000);
        let mut coop_modes = Vec::new();
        for part in text(&raw.coop_modes)
            .unwrap_or("")
            .split([',', '，', ';', '、'])
        {
            let part = part.trim();
            if !part.is_empty() {
                if let Some(m) = e.take(CoopMode::parse("coop_modes", part)) {
                    if !coop_modes.contains(&m) {
                        coop_modes.push(m);
                    }
                }
            }
        }
        let status = match text(&raw.status) {
            Some(s) => e.take(Status::parse("status", s)),
            None => Some(Status::Draft),
        };
        let confidential = bounded(&mut e, "confidential", &raw.confidential, 10_000);
        e.finish()?;
        match (chain, trl, status) {
            (Some(chain), Some(trl), Some(status)) => Ok(AchievementInput {
                key,
                title_zh,
                title_en,
                summary_zh,
                summary_en,
                chain,
                field,
                trl,
                ip,
                team,
                coop_modes,
                status,
                confidential,
            }),
            _ => unreachable!("every missing value was reported as an error"),
        }
    }

    /// Cooperation modes as stored: comma-separated codes.
    pub fn coop_codes(&self) -> String {
        self.coop_modes
            .iter()
            .map(|m| m.code())
            .collect::<Vec<_>>()
            .join(",")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cooperation_modes_are_parsed_from_a_list_in_either_language() {
        let raw = AchievementRaw {
            title_en: Some("Port inspection robot".into()),
            chain: Some("robotics".into()),
            trl: Some("6".into()),
            coop_modes: Some("licence, 合作开发,licence".into()),
            ..Default::default()
        };
        let a = AchievementInput::parse(&raw).expect("valid");
        assert_eq!(
            a.coop_modes,
            [CoopMode::Licence, CoopMode::JointDevelopment]
        );
        assert_eq!(a.coop_codes(), "licence,joint_development");
    }

    #[test]
    fn an_unknown_cooperation_mode_is_named() {
        let raw = AchievementRaw {
            title_en: Some("x".into()),
            chain: Some("ai".into()),
            trl: Some("3".into()),
            coop_modes: Some("barter".into()),
            ..Default::default()
        };
        let err = AchievementInput::parse(&raw).unwrap_err();
        assert_eq!(err.0[0].field, "coop_modes");
        assert!(err.0[0].message.contains("barter"));
    }
}
