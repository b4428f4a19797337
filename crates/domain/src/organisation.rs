//! Organisations: enterprises, universities, institutes, government units, pilot platforms, funds.

use serde::Deserialize;

use crate::error::Errors;
use crate::fields::{bilingual, bounded, key};
use crate::lenient::{opt_string, text};
use crate::scenario::required;
use crate::{Chain, FieldError, Invalid, Label, OrgKind, Region};

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

/// The characters of a unified social credit code (GB 32100-2015): digits and capital letters
/// without I, O, S, V and Z.
const CREDIT_CHARS: &str = "0123456789ABCDEFGHJKLMNPQRTUWXY";

/// A unified social credit code (统一社会信用代码): 18 characters, the last a check character
/// computed from the first 17 (GB 32100-2015: weights 3^(i-1) mod 31).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct CreditCode(String);

impl CreditCode {
    /// The check character the first 17 characters call for.
    pub fn check_char(body: &str) -> Option<char> {
        let mut sum = 0usize;
        let mut weight = 1usize;
        for c in body.chars() {
            sum += CREDIT_CHARS.find(c)? * weight;
            weight = weight * 3 % 31;
        }
        let r = (31 - sum % 31) % 31;
        CREDIT_CHARS.chars().nth(r)
    }

    /// Parse a code (spaces ignored, letters upper-cased); the error says which character is wrong.
    pub fn parse(field: &str, s: &str) -> Result<CreditCode, FieldError> {
        let code: String = s
            .chars()
            .filter(|c| !c.is_whitespace())
            .collect::<String>()
            .to_uppercase();
        let n = code.chars().count();
        if n != 18 {
            return Err(FieldError::new(
                field,
                "invalid_credit_code",
                format!("a unified social credit code has 18 characters, \"{code}\" has {n}"),
                format!("统一社会信用代码为 18 位，“{code}”为 {n} 位"),
            ));
        }
        if let Some((i, c)) = code
            .chars()
            .enumerate()
            .find(|(_, c)| !CREDIT_CHARS.contains(*c))
        {
            return Err(FieldError::new(
                field,
                "invalid_credit_code",
                format!(
                    "character {} (\"{c}\") cannot appear in a unified social credit code (digits and capital letters except I, O, S, V, Z)",
                    i + 1
                ),
                format!(
                    "第 {} 位“{c}”不能出现在统一社会信用代码中（仅数字和除 I、O、S、V、Z 外的大写字母）",
                    i + 1
                ),
            ));
        }
        let body: String = code.chars().take(17).collect();
        let want = Self::check_char(&body).expect("checked characters");
        let got = code.chars().nth(17).expect("18 characters");
        if want != got {
            return Err(FieldError::new(
                field,
                "invalid_credit_code",
                format!(
                    "the 18th character (the check character) is \"{got}\"; for the first 17 characters it must be \"{want}\" — check the code for a typing error"
                ),
                format!(
                    "第 18 位（校验位）为“{got}”，按前 17 位应为“{want}”，请核对是否输错"
                ),
            ));
        }
        Ok(CreditCode(code))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

crate::values::vocabulary! {
    /// Whether a programme officer has verified an organisation.
    OrgVerification, "verification", "认证状态" {
        Unverified = "unverified", "未认证", "Not verified";
        Pending = "pending", "待审核", "Awaiting verification";
        Verified = "verified", "已认证", "Verified";
        Refused = "refused", "未通过认证", "Verification refused";
    }
}

#[cfg(test)]
mod credit_tests {
    use super::*;

    #[test]
    fn the_check_character_is_computed_as_gb_32100_says() {
        // Published examples of valid codes.
        for ok in [
            "91350100M000100Y43",
            "91110108551385082Q",
            " 91110108 551385082q ",
        ] {
            assert!(CreditCode::parse("c", ok).is_ok(), "{ok}");
        }
        let e = CreditCode::parse("c", "91350100M000100Y44").unwrap_err();
        assert!(e.message_zh.contains("应为“3”"), "{}", e.message_zh);
        let e = CreditCode::parse("c", "91350100M0001O0Y43").unwrap_err();
        assert!(e.message.contains("character 14"), "{}", e.message);
        let e = CreditCode::parse("c", "9135010").unwrap_err();
        assert!(e.message_zh.contains("为 7 位"));
    }
}
