//! Technology contracts (技术合同): what two organisations signed, what the contract registrar
//! (技术合同登记机构) made of it, and the flows of contract money from one region to another
//! that the statistics count. Amounts are exact, in fen.

use chrono::NaiveDate;
use serde::Deserialize;

use crate::error::Errors;
use crate::fields::{bounded, date};
use crate::lenient::{opt_number, opt_string, text};
use crate::region::Province;
use crate::values::vocabulary;
use crate::{Chain, FieldError, Invalid, Label, Money};

vocabulary! {
    /// The contract types of the registration rules: development (commissioned or
    /// cooperative), transfer and licence (by what is transferred), consulting and service.
    ContractKind, "contract type", "合同类型" {
        DevelopmentCommissioned = "development_commissioned", "技术开发（委托开发）", "Development (commissioned)";
        DevelopmentCooperative = "development_cooperative", "技术开发（合作开发）", "Development (cooperative)";
        TransferPatent = "transfer_patent", "技术转让（专利权）", "Transfer (patent)";
        TransferApplication = "transfer_application", "技术转让（专利申请权）", "Transfer (patent application)";
        TransferSecret = "transfer_secret", "技术转让（技术秘密）", "Transfer (know-how)";
        TransferSoftware = "transfer_software", "技术转让（计算机软件著作权）", "Transfer (software copyright)";
        TransferOther = "transfer_other", "技术转让（其他）", "Transfer (other)";
        LicencePatent = "licence_patent", "技术许可（专利实施许可）", "Licence (patent)";
        LicenceSecret = "licence_secret", "技术许可（技术秘密许可）", "Licence (know-how)";
        Consulting = "consulting", "技术咨询", "Consulting";
        Service = "service", "技术服务", "Technical service";
    }
}

vocabulary! {
    /// The five contract classes the statistics report.
    ContractClass, "contract class", "合同类别" {
        Development = "development", "技术开发", "Development";
        Transfer = "transfer", "技术转让", "Transfer";
        Licence = "licence", "技术许可", "Licence";
        Consulting = "consulting", "技术咨询", "Consulting";
        Service = "service", "技术服务", "Service";
    }
}

impl ContractKind {
    pub fn class(self) -> ContractClass {
        use ContractKind::*;
        match self {
            DevelopmentCommissioned | DevelopmentCooperative => ContractClass::Development,
            TransferPatent | TransferApplication | TransferSecret | TransferSoftware
            | TransferOther => ContractClass::Transfer,
            LicencePatent | LicenceSecret => ContractClass::Licence,
            Consulting => ContractClass::Consulting,
            Service => ContractClass::Service,
        }
    }
}

vocabulary! {
    /// Where a contract stands with the registrar: only registered contracts count.
    ContractStatus, "contract status", "登记状态" {
        Pending = "pending", "待登记", "Awaiting registration";
        Registered = "registered", "已登记", "Registered";
        Refused = "refused", "不予登记", "Refused";
    }
}

/// A contract as it arrives from a form, an Excel row or a JSON body. Amounts are yuan.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct ContractRaw {
    #[serde(deserialize_with = "opt_string")]
    pub title: Option<String>,
    #[serde(deserialize_with = "opt_string")]
    pub kind: Option<String>,
    /// The seller (技术卖方) and buyer (技术买方): an organisation's id or key.
    #[serde(deserialize_with = "opt_number")]
    pub seller: Option<String>,
    #[serde(deserialize_with = "opt_number")]
    pub buyer: Option<String>,
    #[serde(deserialize_with = "opt_number")]
    pub total_amount: Option<String>,
    #[serde(deserialize_with = "opt_number")]
    pub transaction_amount: Option<String>,
    #[serde(deserialize_with = "opt_string")]
    pub signed_on: Option<String>,
    #[serde(deserialize_with = "opt_string")]
    pub term_from: Option<String>,
    #[serde(deserialize_with = "opt_string")]
    pub term_to: Option<String>,
    /// One instalment per line: `2026-03-31 500000` (date, yuan).
    #[serde(deserialize_with = "opt_string")]
    pub payments: Option<String>,
    #[serde(deserialize_with = "opt_string")]
    pub chain: Option<String>,
    #[serde(deserialize_with = "opt_number")]
    pub docking_id: Option<String>,
    #[serde(deserialize_with = "opt_number")]
    pub scenario_id: Option<String>,
    #[serde(deserialize_with = "opt_number")]
    pub achievement_id: Option<String>,
    #[serde(deserialize_with = "opt_number")]
    pub challenge_id: Option<String>,
    #[serde(deserialize_with = "opt_number")]
    pub gathering_id: Option<String>,
    #[serde(deserialize_with = "opt_string")]
    pub note: Option<String>,
}

/// The columns of a contract in Excel files, in order.
pub const CONTRACT_COLUMNS: &[&str] = &[
    "title",
    "kind",
    "seller",
    "buyer",
    "total_amount",
    "transaction_amount",
    "signed_on",
    "term_from",
    "term_to",
    "payments",
    "chain",
    "docking_id",
    "scenario_id",
    "achievement_id",
    "challenge_id",
    "gathering_id",
    "note",
];

/// The import's columns in Chinese: a file may name its columns either way (`合同名称` or
/// `title`), and the Chinese page lists these names.
pub const CONTRACT_COLUMNS_ZH: &[(&str, &str)] = &[
    ("title", "合同名称"),
    ("kind", "合同类型"),
    ("seller", "卖方"),
    ("buyer", "买方"),
    ("total_amount", "合同总额"),
    ("transaction_amount", "技术交易额"),
    ("signed_on", "签订日期"),
    ("term_from", "履行期限自"),
    ("term_to", "履行期限至"),
    ("payments", "付款节点"),
    ("chain", "产业链"),
    ("docking_id", "对接编号"),
    ("scenario_id", "场景编号"),
    ("achievement_id", "成果编号"),
    ("challenge_id", "榜单编号"),
    ("gathering_id", "场景汇编号"),
    ("note", "备注"),
];

/// The import column a header names, in Chinese or as the column's code.
pub fn contract_column(header: &str) -> Option<&'static str> {
    let h = header.trim();
    CONTRACT_COLUMNS
        .iter()
        .copied()
        .find(|c| c.eq_ignore_ascii_case(h))
        .or_else(|| {
            CONTRACT_COLUMNS_ZH
                .iter()
                .find(|(_, zh)| *zh == h)
                .map(|(c, _)| *c)
        })
}

/// One instalment of the payment schedule.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
pub struct Payment {
    pub due_on: NaiveDate,
    pub amount: Money,
}

/// A contract's terms, checked: the parties are still as written (ids or keys), for the
/// application layer to resolve.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ContractTerms {
    pub title: String,
    pub kind: ContractKind,
    pub seller: String,
    pub buyer: String,
    pub total: Money,
    /// 技术交易额: the part of the total paid for the technology itself, never more than it.
    pub transaction: Money,
    pub signed_on: NaiveDate,
    pub term_from: NaiveDate,
    pub term_to: NaiveDate,
    pub payments: Vec<Payment>,
    pub chain: Option<Chain>,
    pub docking_id: Option<i64>,
    pub scenario_id: Option<i64>,
    pub achievement_id: Option<i64>,
    pub challenge_id: Option<i64>,
    pub gathering_id: Option<i64>,
    pub note: String,
}

/// The earliest signing date the platform takes (the registration rules in force date from 2000).
pub fn earliest_signing() -> NaiveDate {
    NaiveDate::from_ymd_opt(2000, 1, 1).expect("a date")
}

fn day(errs: &mut Errors, field: &str, raw: &Option<String>) -> Option<NaiveDate> {
    let Some(t) = text(raw) else {
        errs.push(FieldError::required(field));
        return None;
    };
    errs.take(date(field, t))
        .and_then(|d| NaiveDate::parse_from_str(&d, "%Y-%m-%d").ok())
}

fn id(errs: &mut Errors, field: &str, raw: &Option<String>) -> Option<i64> {
    let t = text(raw)?;
    match t.parse::<i64>() {
        Ok(v) if v > 0 => Some(v),
        _ => {
            errs.push(FieldError::new(
                field,
                "invalid_id",
                format!("must be a record number, not \"{t}\""),
                format!("须为记录编号，而不是“{t}”"),
            ));
            None
        }
    }
}

fn yuan(errs: &mut Errors, field: &str, raw: &Option<String>) -> Option<Money> {
    let Some(t) = text(raw) else {
        errs.push(FieldError::required(field));
        return None;
    };
    errs.take(Money::parse_yuan(field, t))
}

/// Parse the payment schedule: one `date amount` per line (amount in yuan).
pub fn parse_payments(field: &str, text: &str) -> Result<Vec<Payment>, FieldError> {
    let mut out = Vec::new();
    for (n, line) in text.lines().map(str::trim).enumerate() {
        if line.is_empty() {
            continue;
        }
        let bad = || {
            FieldError::new(
                field,
                "invalid_payment",
                format!(
                    "line {}: \"{line}\" is not an instalment written \"2026-03-31 500000\" (date, yuan)",
                    n + 1
                ),
                format!(
                    "第 {} 行：“{line}”不是形如“2026-03-31 500000”（日期 金额元）的付款节点",
                    n + 1
                ),
            )
        };
        let (d, a) = line
            .split_once(|c: char| c.is_whitespace() || c == ',' || c == '，')
            .ok_or_else(bad)?;
        let due_on = date(field, d)
            .ok()
            .and_then(|d| NaiveDate::parse_from_str(&d, "%Y-%m-%d").ok())
            .ok_or_else(bad)?;
        let amount = Money::parse_yuan(field, a.trim()).map_err(|_| bad())?;
        out.push(Payment { due_on, amount });
    }
    out.sort_by_key(|p| p.due_on);
    Ok(out)
}

impl ContractTerms {
    /// Check a contract signed no later than `today` (Beijing time).
    pub fn parse(raw: &ContractRaw, today: NaiveDate) -> Result<ContractTerms, Invalid> {
        let mut errs = Errors::default();
        let title = bounded(&mut errs, "title", &raw.title, 200);
        if title.is_empty() {
            errs.push(FieldError::required("title"));
        }
        let kind = match text(&raw.kind) {
            None => {
                errs.push(FieldError::required("kind"));
                None
            }
            Some(k) => errs.take(ContractKind::parse("kind", k)),
        };
        let party = |errs: &mut Errors, field: &str, raw: &Option<String>| {
            let t = text(raw).unwrap_or("").to_string();
            if t.is_empty() {
                errs.push(FieldError::required(field));
            }
            t
        };
        let seller = party(&mut errs, "seller", &raw.seller);
        let buyer = party(&mut errs, "buyer", &raw.buyer);
        if !seller.is_empty() && seller == buyer {
            errs.push(FieldError::new(
                "buyer",
                "same_party",
                "the buyer must be another organisation than the seller",
                "买方须为卖方以外的单位",
            ));
        }
        let total = yuan(&mut errs, "total_amount", &raw.total_amount);
        let transaction = yuan(&mut errs, "transaction_amount", &raw.transaction_amount);
        if total.is_some_and(|t| t.fen() == 0) {
            errs.push(FieldError::new(
                "total_amount",
                "out_of_range",
                "a contract's total amount must be more than 0",
                "合同总额须大于 0",
            ));
        }
        if let (Some(t), Some(x)) = (total, transaction) {
            if x > t {
                errs.push(FieldError::new(
                    "transaction_amount",
                    "out_of_range",
                    format!(
                        "the technology transaction amount ({} yuan) cannot be more than the contract's total ({} yuan)",
                        x.yuan_text(),
                        t.yuan_text()
                    ),
                    format!(
                        "技术交易额（{} 元）不能超过合同总额（{} 元）",
                        x.yuan_text(),
                        t.yuan_text()
                    ),
                ));
            }
        }
        let signed_on = day(&mut errs, "signed_on", &raw.signed_on);
        if let Some(s) = signed_on {
            if s > today {
                errs.push(FieldError::new(
                    "signed_on",
                    "in_future",
                    format!("{s} is after today ({today}): a contract is recorded once signed"),
                    format!("{s} 晚于今天（{today}）：合同签订后才能登记"),
                ));
            } else if s < earliest_signing() {
                errs.push(FieldError::new(
                    "signed_on",
                    "too_early",
                    format!("{s} is before {}", earliest_signing()),
                    format!("{s} 早于 {}", earliest_signing()),
                ));
            }
        }
        let term_from = day(&mut errs, "term_from", &raw.term_from);
        let term_to = day(&mut errs, "term_to", &raw.term_to);
        if let (Some(f), Some(t)) = (term_from, term_to) {
            if t < f {
                errs.push(FieldError::new(
                    "term_to",
                    "before_start",
                    format!("the term ends ({t}) before it begins ({f})"),
                    format!("履行期限的结束日（{t}）早于开始日（{f}）"),
                ));
            }
        }
        if let (Some(s), Some(t)) = (signed_on, term_to) {
            if t < s {
                errs.push(FieldError::new(
                    "term_to",
                    "before_signing",
                    format!("the term ends ({t}) before the contract was signed ({s})"),
                    format!("履行期限的结束日（{t}）早于签订日（{s}）"),
                ));
            }
        }
        let payments = errs
            .take(parse_payments(
                "payments",
                raw.payments.as_deref().unwrap_or(""),
            ))
            .unwrap_or_default();
        if let (Some(t), false) = (total, payments.is_empty()) {
            let sum: i64 = payments.iter().map(|p| p.amount.fen()).sum();
            if sum != t.fen() {
                errs.push(FieldError::new(
                    "payments",
                    "sum_mismatch",
                    format!(
                        "the instalments add up to {} yuan, the contract's total is {} yuan",
                        Money::from_fen(sum).yuan_text(),
                        t.yuan_text()
                    ),
                    format!(
                        "付款节点合计 {} 元，与合同总额 {} 元不符",
                        Money::from_fen(sum).yuan_text(),
                        t.yuan_text()
                    ),
                ));
            }
        }
        if let (Some(s), Some(first)) = (signed_on, payments.first()) {
            if first.due_on < s {
                errs.push(FieldError::new(
                    "payments",
                    "before_signing",
                    format!(
                        "an instalment falls due ({}) before signing ({s})",
                        first.due_on
                    ),
                    format!("付款节点（{}）早于签订日（{s}）", first.due_on),
                ));
            }
        }
        let chain = match text(&raw.chain) {
            None => None,
            Some(c) => errs.take(Chain::parse("chain", c)),
        };
        let docking_id = id(&mut errs, "docking_id", &raw.docking_id);
        let scenario_id = id(&mut errs, "scenario_id", &raw.scenario_id);
        let achievement_id = id(&mut errs, "achievement_id", &raw.achievement_id);
        let challenge_id = id(&mut errs, "challenge_id", &raw.challenge_id);
        let gathering_id = id(&mut errs, "gathering_id", &raw.gathering_id);
        let note = bounded(&mut errs, "note", &raw.note, 2000);
        errs.finish()?;
        Ok(ContractTerms {
            title,
            kind: kind.expect("checked"),
            seller,
            buyer,
            total: total.expect("checked"),
            transaction: transaction.expect("checked"),
            signed_on: signed_on.expect("checked"),
            term_from: term_from.expect("checked"),
            term_to: term_to.expect("checked"),
            payments,
            chain,
            docking_id,
            scenario_id,
            achievement_id,
            challenge_id,
            gathering_id,
            note,
        })
    }
}

/// The two-digit administrative code (GB/T 2260) of a province, as registration numbers use it.
pub fn province_code(p: Province) -> &'static str {
    match p {
        Province::Beijing => "11",
        Province::Tianjin => "12",
        Province::Hebei => "13",
    }
}

/// A registration number: the year registered, the seller's province code and the contract's
/// sequence among that year's registrations in that province, e.g. `2026130000017`.
pub fn registration_number(year: i32, seller: Province, seq: i64) -> String {
    format!("{year:04}{}{seq:07}", province_code(seller))
}

/// Which of the headline flows a contract from `seller` to `buyer` belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
pub struct Headlines {
    /// 北京流向津冀: sold from Beijing to Tianjin or Hebei.
    pub beijing_to_tianjin_hebei: bool,
    /// 京津流向河北: sold from Beijing or Tianjin to Hebei.
    pub beijing_tianjin_to_hebei: bool,
}

pub fn headlines(seller: Province, buyer: Province) -> Headlines {
    use Province::*;
    Headlines {
        beijing_to_tianjin_hebei: seller == Beijing && matches!(buyer, Tianjin | Hebei),
        beijing_tianjin_to_hebei: matches!(seller, Beijing | Tianjin) && buyer == Hebei,
    }
}

/// Growth on the previous period in percent, one decimal; none when there was nothing before.
pub fn growth(now: i64, before: i64) -> Option<f64> {
    (before > 0).then(|| ((now - before) as f64 * 1000.0 / before as f64).round() / 10.0)
}

/// The label of a headline flow.
pub const BEIJING_TO_TIANJIN_HEBEI: Label = Label {
    zh: "北京流向津冀",
    en: "Beijing → Tianjin-Hebei",
};
pub const BEIJING_TIANJIN_TO_HEBEI: Label = Label {
    zh: "京津流向河北",
    en: "Beijing-Tianjin → Hebei",
};

#[cfg(test)]
mod tests {
    use super::*;

    fn raw() -> ContractRaw {
        ContractRaw {
            title: Some("港口巡检机器人联合开发".into()),
            kind: Some("development_cooperative".into()),
            seller: Some("3".into()),
            buyer: Some("1".into()),
            total_amount: Some("1,200,000.50".into()),
            transaction_amount: Some("1000000".into()),
            signed_on: Some("2026-03-01".into()),
            term_from: Some("2026-03-01".into()),
            term_to: Some("2027-02-28".into()),
            payments: Some("2026-03-10 600000\n2027-01-10 600000.50".into()),
            ..ContractRaw::default()
        }
    }

    fn today() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 12, 1).expect("date")
    }

    fn fields(r: &ContractRaw) -> Vec<(String, &'static str)> {
        match ContractTerms::parse(r, today()) {
            Ok(_) => Vec::new(),
            Err(Invalid(e)) => e.into_iter().map(|e| (e.field, e.code)).collect(),
        }
    }

    #[test]
    fn import_columns_are_named_in_chinese_or_by_code() {
        assert_eq!(CONTRACT_COLUMNS_ZH.len(), CONTRACT_COLUMNS.len());
        assert_eq!(contract_column("技术交易额"), Some("transaction_amount"));
        assert_eq!(contract_column(" Seller "), Some("seller"));
        assert_eq!(contract_column("价格"), None);
    }

    #[test]
    fn a_good_contract_is_exact_to_the_fen() {
        let t = ContractTerms::parse(&raw(), today()).expect("valid");
        assert_eq!(t.total.fen(), 120_000_050);
        assert_eq!(t.transaction.fen(), 100_000_000);
        assert_eq!(t.payments.len(), 2);
        assert_eq!(t.kind.class(), ContractClass::Development);
    }

    #[test]
    fn the_transaction_amount_is_never_more_than_the_total() {
        let mut r = raw();
        r.transaction_amount = Some("1200000.51".into());
        assert_eq!(
            fields(&r),
            vec![("transaction_amount".to_string(), "out_of_range")]
        );
        r.transaction_amount = Some("1200000.50".into());
        assert!(fields(&r).is_empty(), "equal to the total is allowed");
    }

    #[test]
    fn dates_must_agree() {
        let mut r = raw();
        r.signed_on = Some("2026-12-02".into());
        assert!(fields(&r).contains(&("signed_on".to_string(), "in_future")));
        let mut r = raw();
        r.term_to = Some("2026-02-01".into());
        let f = fields(&r);
        assert!(
            f.contains(&("term_to".to_string(), "before_start")),
            "{f:?}"
        );
        let mut r = raw();
        r.payments = Some("2026-02-10 600000\n2027-01-10 600000.50".into());
        assert_eq!(fields(&r), vec![("payments".to_string(), "before_signing")]);
        let mut r = raw();
        r.signed_on = Some("1999-12-31".into());
        assert!(fields(&r).contains(&("signed_on".to_string(), "too_early")));
    }

    #[test]
    fn the_instalments_add_up_to_the_total() {
        let mut r = raw();
        r.payments = Some("2026-03-10 600000".into());
        assert_eq!(fields(&r), vec![("payments".to_string(), "sum_mismatch")]);
        r.payments = Some("2026-03-10 six hundred".into());
        assert_eq!(
            fields(&r),
            vec![("payments".to_string(), "invalid_payment")]
        );
        r.payments = None;
        assert!(fields(&r).is_empty(), "a schedule is optional");
    }

    #[test]
    fn missing_and_same_parties_are_named() {
        let mut r = raw();
        r.buyer = Some("3".into());
        assert_eq!(fields(&r), vec![("buyer".to_string(), "same_party")]);
        let f = fields(&ContractRaw::default());
        for name in [
            "title",
            "kind",
            "seller",
            "buyer",
            "total_amount",
            "signed_on",
        ] {
            assert!(f.iter().any(|(n, _)| n == name), "{name} in {f:?}");
        }
    }

    #[test]
    fn registration_numbers_and_flows() {
        assert_eq!(
            registration_number(2026, Province::Hebei, 17),
            "2026130000017"
        );
        let h = headlines(Province::Beijing, Province::Hebei);
        assert!(h.beijing_to_tianjin_hebei && h.beijing_tianjin_to_hebei);
        let h = headlines(Province::Tianjin, Province::Hebei);
        assert!(!h.beijing_to_tianjin_hebei && h.beijing_tianjin_to_hebei);
        let h = headlines(Province::Beijing, Province::Tianjin);
        assert!(h.beijing_to_tianjin_hebei && !h.beijing_tianjin_to_hebei);
        assert!(!headlines(Province::Hebei, Province::Beijing).beijing_tianjin_to_hebei);
        assert_eq!(growth(7487, 6000), Some(24.8));
        assert_eq!(growth(5, 0), None);
    }
}
