//! Organisations: enterprises, universities, institutes, government units, pilot platforms, funds.

use serde::Deserialize;

use crate::error::Errors;
use crate::fields::{bilingual, bounded, key};
use crate::lenient::{opt_string, text};
use crate::scenario::required;
use crate::{Chain, FieldError, Invalid, OrgKind, Region};

/// An organisation as it arrives from a form, a file row or a JSON body.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct OrgRaw {
    #[serde(deserialize_with = "opt_string")]
    pub key: Option<String>,
    #[serde(deserialize_with = "opt_string")]
    pub name_zh: Option<String>,
    #[serde(deserialize_with = "opt_string")]
    pub name_en: Option<String>,
    #[serde(deserialize_with = "opt_string")]
    pub kind: Option<String>,
    #[serde(deserialize_with = "opt_string")]
    pub region: Option<String>,
    #[serde(deserialize_with = "opt_string")]
    pub chain: Option<String>,
    #[serde(deserialize_with = "opt_string")]
    pub intro_zh: Option<String>,
    #[serde(deserialize_with = "opt_string")]
    pub intro_en: Option<String>,
    #[serde(deserialize_with = "opt_string")]
    pub contact_name: Option<String>,
    #[serde(deserialize_with = "opt_string")]
    pub contact_phone: Option<String>,
    #[serde(deserialize_with = "opt_string")]
    pub contact_email: Option<String>,
    #[serde(deserialize_with = "opt_string")]
    pub website: Option<String>,
}

/// The columns of an organisation in files and forms, in order.
pub const ORG_COLUMNS: &[&str] = &[
    "key",
    "name_zh",
    "name_en",
    "kind",
    "region",
    "chain",
    "intro_zh",
    "intro_en",
    "contact_name",
    "contact_phone",
    "contact_email",
    "website",
];

/// A valid organisation, ready to store.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OrgInput {
    pub key: Option<String>,
    pub name_zh: String,
    pub name_en: String,
    pub kind: OrgKind,
    pub region: Region,
    pub chain: Option<Chain>,
    pub intro_zh: String,
    pub intro_en: String,
    pub contact_name: String,
    pub contact_phone: String,
    pub contact_email: String,
    pub website: String,
}

impl OrgInput {
    /// Validate every field, reporting all problems at once.
    pub fn parse(raw: &OrgRaw) -> Result<OrgInput, Invalid> {
        let mut e = Errors::default();
        let key = key(&mut e, "key", &raw.key);
        let (name_zh, name_en) = bilingual(
            &mut e,
            ("name_zh", &raw.name_zh),
            ("name_en", &raw.name_en),
            120,
        );
        let kind = required(&mut e, "kind", &raw.kind, OrgKind::parse);
        let region = required(&mut e, "region", &raw.region, Region::parse);
        let chain = text(&raw.chain).and_then(|s| e.take(Chain::parse("chain", s)));
        let intro_zh = bounded(&mut e, "intro_zh", &raw.intro_zh, 5_000);
        let intro_en = bounded(&mut e, "intro_en", &raw.intro_en, 10_000);
        let contact_name = bounded(&mut e, "contact_name", &raw.contact_name, 60);
        let contact_phone = bounded(&mut e, "contact_phone", &raw.contact_phone, 40);
        if !contact_phone
            .chars()
            .all(|c| c.is_ascii_digit() || " +-()".contains(c))
        {
            e.push(FieldError::new(
                "contact_phone",
                "invalid_phone",
                "may contain only digits, spaces and + - ( )",
                "只能包含数字、空格和 + - ( )",
            ));
        }
        let contact_email = bounded(&mut e, "contact_email", &raw.contact_email, 120);
        if !contact_email.is_empty() {
            e.take(crate::Email::parse("contact_email", &contact_email));
        }
        let website = bounded(&mut e, "website", &raw.website, 200);
        if !(website.is_empty()
            || website.starts_with("https://")
            || website.starts_with("http://"))
        {
            e.push(FieldError::new(
                "website",
                "invalid_url",
                "must start with http:// or https://",
                "须以 http:// 或 https:// 开头",
            ));
        }
        e.finish()?;
        match (kind, region) {
            (Some(kind), Some(region)) => Ok(OrgInput {
                key,
                name_zh,
                name_en,
                kind,
                region,
                chain,
                intro_zh,
                intro_en,
                contact_name,
                contact_phone,
                contact_email,
                website,
            }),
            _ => unreachable!("every missing value was reported as an error"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_organisation_needs_a_name_kind_and_region() {
        let err = OrgInput::parse(&OrgRaw::default()).unwrap_err();
        let fields: Vec<_> = err.0.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(fields, ["name_zh", "kind", "region"]);
    }

    #[test]
    fn a_website_must_be_a_web_address() {
        let raw = OrgRaw {
            name_zh: Some("唐山港集团".into()),
            kind: Some("enterprise".into()),
            region: Some("唐山".into()),
            website: Some("javascript:alert(1)".into()),
            ..Default::default()
        };
        assert_eq!(OrgInput::parse(&raw).unwrap_err().0[0].field, "website");
    }
}
