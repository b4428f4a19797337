//! Raw input fields arrive from HTML forms, CSV/Excel cells and JSON bodies. They are all read
//! as optional strings so that one parser validates them all. A JSON body must still give each
//! field its type: text fields take a string, number fields a string or a number, lists a
//! string or an array of strings; anything else (`"title_zh": 123`, `[]`, `true`) is refused
//! rather than stored as its text.

use std::fmt;

use serde::de::{Deserializer, SeqAccess, Visitor};

/// What one kind of field accepts.
#[derive(Clone, Copy)]
enum Accept {
    Text,
    Number,
    List,
}

struct Field(Accept);

impl<'de> Visitor<'de> for Field {
    type Value = Option<String>;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str(match self.0 {
            Accept::Text => "text (a JSON string)",
            Accept::Number => "a number (or a string holding one)",
            Accept::List => "a list of codes (an array of strings, or one comma-separated string)",
        })
    }

    fn visit_none<E: serde::de::Error>(self) -> Result<Self::Value, E> {
        Ok(None)
    }

    fn visit_unit<E: serde::de::Error>(self) -> Result<Self::Value, E> {
        Ok(None)
    }

    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        d.deserialize_any(self)
    }

    fn visit_str<E: serde::de::Error>(self, s: &str) -> Result<Self::Value, E> {
        Ok(Some(s.to_string()))
    }

    fn visit_i64<E: serde::de::Error>(self, v: i64) -> Result<Self::Value, E> {
        match self.0 {
            Accept::Number => Ok(Some(v.to_string())),
            _ => Err(E::invalid_type(serde::de::Unexpected::Signed(v), &self)),
        }
    }

    fn visit_u64<E: serde::de::Error>(self, v: u64) -> Result<Self::Value, E> {
        match self.0 {
            Accept::Number => Ok(Some(v.to_string())),
            _ => Err(E::invalid_type(serde::de::Unexpected::Unsigned(v), &self)),
        }
    }

    fn visit_f64<E: serde::de::Error>(self, v: f64) -> Result<Self::Value, E> {
        match self.0 {
            Accept::Number => Ok(Some(v.to_string())),
            _ => Err(E::invalid_type(serde::de::Unexpected::Float(v), &self)),
        }
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
        if !matches!(self.0, Accept::List) {
            return Err(serde::de::Error::invalid_type(
                serde::de::Unexpected::Seq,
                &self,
            ));
        }
        let mut items = Vec::new();
        while let Some(s) = seq.next_element::<String>()? {
            items.push(s);
        }
        Ok(Some(items.join(",")))
    }
}

fn field<'de, D: Deserializer<'de>>(d: D, a: Accept) -> Result<Option<String>, D::Error> {
    Ok(d.deserialize_option(Field(a))?
        .filter(|s| !s.trim().is_empty()))
}

/// A text field: a string or null; empty text is `None`.
pub fn opt_string<'de, D: Deserializer<'de>>(d: D) -> Result<Option<String>, D::Error> {
    field(d, Accept::Text)
}

/// A number field: a string, a JSON number or null, as text; empty text is `None`.
pub fn opt_number<'de, D: Deserializer<'de>>(d: D) -> Result<Option<String>, D::Error> {
    field(d, Accept::Number)
}

/// A list of codes: one comma-separated string, an array of strings, or null.
pub fn opt_list<'de, D: Deserializer<'de>>(d: D) -> Result<Option<String>, D::Error> {
    field(d, Accept::List)
}

/// Trimmed text of an optional raw field, `None` when absent or blank.
pub fn text(v: &Option<String>) -> Option<&str> {
    v.as_deref().map(str::trim).filter(|s| !s.is_empty())
}

#[cfg(test)]
mod tests {
    use serde::Deserialize;
    use serde_json::json;

    #[derive(Deserialize, Debug, Default)]
    #[serde(default)]
    struct Raw {
        #[serde(deserialize_with = "super::opt_string")]
        title: Option<String>,
        #[serde(deserialize_with = "super::opt_number")]
        trl: Option<String>,
        #[serde(deserialize_with = "super::opt_list")]
        modes: Option<String>,
    }

    fn raw(v: serde_json::Value) -> Result<Raw, String> {
        serde_json::from_value(v).map_err(|e| e.to_string())
    }

    #[test]
    fn each_field_takes_its_own_json_types() {
        let r = raw(json!({"title": "巡检", "trl": 7, "modes": ["licence", "pilot"]})).expect("ok");
        assert_eq!(r.title.as_deref(), Some("巡检"));
        assert_eq!(r.trl.as_deref(), Some("7"));
        assert_eq!(r.modes.as_deref(), Some("licence,pilot"));
        let r = raw(json!({"title": null, "trl": "6", "modes": "licence"})).expect("ok");
        assert_eq!((r.title, r.trl.as_deref()), (None, Some("6")));
        assert_eq!(r.modes.as_deref(), Some("licence"));
        assert_eq!(
            raw(json!({"trl": 6.5})).expect("ok").trl.as_deref(),
            Some("6.5")
        );
    }

    #[test]
    fn a_wrong_json_type_is_refused_not_turned_into_text() {
        for bad in [
            json!({"title": 123}),
            json!({"title": []}),
            json!({"title": true}),
            json!({"title": {"zh": "x"}}),
            json!({"trl": [7]}),
            json!({"trl": false}),
            json!({"modes": 3}),
            json!({"modes": [1, 2]}),
        ] {
            assert!(raw(bad.clone()).is_err(), "{bad} was accepted");
        }
        let e = raw(json!({"title": 123})).unwrap_err();
        assert!(e.contains("expected text"), "{e}");
    }
}
