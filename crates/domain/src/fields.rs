//! Field parsers shared by the record types: bounded text, bilingual pairs, dates, keys.

use crate::error::Errors;
use crate::lenient::text;
use crate::FieldError;

/// Text of at most `max` characters; blank becomes empty.
pub(crate) fn bounded(errs: &mut Errors, field: &str, raw: &Option<String>, max: usize) -> String {
    let t = text(raw).unwrap_or("");
    if t.chars().count() > max {
        errs.push(FieldError::new(
            field,
            "too_long",
            format!("must be at most {max} characters"),
            format!("不能超过 {max} 个字符"),
        ));
    }
    t.to_string()
}

/// A Chinese/English pair of which at least one must be given.
pub(crate) fn bilingual(
    errs: &mut Errors,
    (zh_field, zh): (&str, &Option<String>),
    (en_field, en): (&str, &Option<String>),
    max: usize,
) -> (String, String) {
    let z = bounded(errs, zh_field, zh, max);
    let e = bounded(errs, en_field, en, max);
    if z.is_empty() && e.is_empty() {
        errs.push(FieldError::new(
            zh_field,
            "required",
            format!("give {zh_field} or {en_field}"),
            "中文或英文至少填写一项",
        ));
    }
    (z, e)
}

/// A calendar date `YYYY-MM-DD` (checked for a real day of a real month).
pub(crate) fn date(field: &str, s: &str) -> Result<String, FieldError> {
    let bad = || {
        FieldError::new(
            field,
            "invalid_date",
            format!("must be a date written YYYY-MM-DD, not \"{s}\""),
            format!("日期格式须为 YYYY-MM-DD，而不是“{s}”"),
        )
    };
    let s = s.trim().replace('/', "-");
    let parts: Vec<&str> = s.split('-').collect();
    let [y, m, d] = parts.as_slice() else {
        return Err(bad());
    };
    let (Ok(y), Ok(m), Ok(d)) = (y.parse::<i32>(), m.parse::<u32>(), d.parse::<u32>()) else {
        return Err(bad());
    };
    let leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    let days = match m {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if leap => 29,
        2 => 28,
        _ => return Err(bad()),
    };
    if !(1900..=2200).contains(&y) || d == 0 || d > days {
        return Err(bad());
    }
    Ok(format!("{y:04}-{m:02}-{d:02}"))
}

/// An external key used to recognise a record on re-import: letters, digits, `-_.:`.
pub(crate) fn key(errs: &mut Errors, field: &str, raw: &Option<String>) -> Option<String> {
    let k = text(raw)?;
    if k.len() > 64
        || !k
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "-_.:".contains(c))
    {
        errs.push(FieldError::new(
            field,
            "invalid_key",
            "must be at most 64 letters, digits or - _ . :",
            "须为不超过 64 个字母、数字或 - _ . : 字符",
        ));
        return None;
    }
    Some(k.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_must_exist() {
        assert_eq!(date("d", "2026-02-28"), Ok("2026-02-28".into()));
        assert_eq!(date("d", "2028/2/29"), Ok("2028-02-29".into()));
        assert!(date("d", "2026-02-29").is_err());
        assert!(date("d", "2026-13-01").is_err());
        assert!(date("d", "tomorrow").is_err());
    }
}
