//! HTML form bodies: pairs of names and values, with repeated names (checkboxes) joined by
//! commas, turned into the domain's raw input types.

use serde::de::DeserializeOwned;

use crate::error::AppError;

/// A submitted form.
#[derive(Debug, Default, Clone)]
pub struct FormData(pub Vec<(String, String)>);

impl FormData {
    /// The first value of `name`.
    pub fn get(&self, name: &str) -> Option<&str> {
        self.0
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }

    /// The trimmed value of `field`: required or not, at most `max` characters.
    pub fn text(&self, field: &str, max: usize, required: bool) -> Result<String, AppError> {
        let value = self.get(field).map(str::trim).unwrap_or("").to_string();
        if required && value.is_empty() {
            return Err(crate::service::field_err(field, "is required", "必填"));
        }
        if value.chars().count() > max {
            return Err(crate::service::field_err(
                field,
                &format!("at most {max} characters"),
                &format!("不超过 {max} 个字"),
            ));
        }
        Ok(value)
    }

    /// An amount in 万元 (10,000 yuan) as fen, exact; blank is zero.
    pub fn wan(&self, field: &str) -> Result<i64, AppError> {
        let raw = self.get(field).unwrap_or("").trim();
        if raw.is_empty() {
            return Ok(0);
        }
        duijie_domain::Money::parse_wan(field, raw)
            .map(duijie_domain::Money::fen)
            .map_err(|e| AppError::Invalid(duijie_domain::Invalid::one(e)))
    }

    /// A whole number in `range`; blank is `default` (or an error when there is none).
    pub fn number(
        &self,
        field: &str,
        range: std::ops::RangeInclusive<i64>,
        default: Option<i64>,
    ) -> Result<i64, AppError> {
        let text = self.get(field).map(str::trim).unwrap_or("");
        let value = if text.is_empty() {
            default
        } else {
            text.parse().ok()
        };
        value.filter(|v| range.contains(v)).ok_or_else(|| {
            crate::service::field_err(
                field,
                &format!(
                    "must be a whole number from {} to {}",
                    range.start(),
                    range.end()
                ),
                &format!("须为 {} 到 {} 的整数", range.start(), range.end()),
            )
        })
    }

    /// A date written `2026-03-31`.
    pub fn day(&self, field: &str) -> Result<chrono::NaiveDate, AppError> {
        let raw = self.get(field).unwrap_or("").trim();
        chrono::NaiveDate::parse_from_str(raw, "%Y-%m-%d").map_err(|_| {
            crate::service::field_err(
                field,
                &format!("\"{raw}\" is not a date like 2026-03-31"),
                &format!("“{raw}”不是形如 2026-03-31 的日期"),
            )
        })
    }

    /// One of a vocabulary's codes.
    pub fn one_of<T: duijie_domain::Vocabulary>(&self, field: &str) -> Result<T, AppError> {
        let v = self.get(field).unwrap_or("").trim();
        T::from_code(v).ok_or_else(|| {
            crate::service::field_err(field, "is not one of the choices", "不是可选项")
        })
    }

    /// The `chain` field: a known industrial chain's code.
    pub fn chain(&self) -> Result<String, AppError> {
        let v = self.get("chain").unwrap_or("").trim();
        duijie_domain::Chain::from_code(v)
            .map(|c| c.code().to_string())
            .ok_or_else(|| {
                crate::service::field_err(
                    "chain",
                    "is not a known industrial chain",
                    "不是已知产业链",
                )
            })
    }

    /// The `region` field: a known region's code.
    pub fn region(&self) -> Result<String, AppError> {
        let v = self.get("region").unwrap_or("").trim();
        duijie_domain::Region::parse("region", v)
            .map(|r| r.code.to_string())
            .map_err(|e| AppError::Invalid(duijie_domain::Invalid::one(e)))
    }

    /// Deserialize into a raw input type; unknown names are ignored.
    pub fn to<R: DeserializeOwned>(&self) -> Result<R, AppError> {
        serde_json::from_value(self.values()).map_err(|e| AppError::BadRequest(e.to_string()))
    }

    /// The form as a JSON object of strings (also used to refill a form after an error).
    pub fn values(&self) -> serde_json::Value {
        let mut obj = serde_json::Map::new();
        for (k, v) in &self.0 {
            match obj.get_mut(k) {
                Some(serde_json::Value::String(s)) => {
                    s.push(',');
                    s.push_str(v);
                }
                _ => {
                    obj.insert(k.clone(), serde_json::Value::String(v.clone()));
                }
            }
        }
        serde_json::Value::Object(obj)
    }
}
