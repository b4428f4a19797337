//! Innovation vouchers (创新券): a scheme's rules as a policy an enterprise can claim (where
//! it must be, whether the scheme is open and has budget left), and what one use may pay: the
//! scheme's share of the service's price, never more than the voucher's balance, only for the
//! service kinds and provider provinces the scheme names, never between related organisations.
//! The sums themselves are kept by the store in the write (budget, balance, once per service).

use chrono::NaiveDate;
use rust_decimal::prelude::ToPrimitive;
use rust_decimal::{Decimal, RoundingStrategy};

use crate::verdict::{wan, Assessment, Condition, Text, Verdict};

const SCHEME: &str = "创新券实施方案（见方案依据）";

/// What the rules read of a scheme.
#[derive(Clone, Debug)]
pub struct Scheme<'a> {
    pub name: Text,
    /// The notice that sets the scheme up.
    pub source: &'a str,
    pub budget: i64,
    pub committed: i64,
    pub per_enterprise: i64,
    /// Share of a service's price a voucher may pay, in percent.
    pub share_pct: i64,
    /// Service kinds it pays for (codes).
    pub service_kinds: Vec<&'a str>,
    /// Provinces whose providers it pays (`beijing`, `tianjin`, `hebei`).
    pub provider_regions: Vec<&'a str>,
    /// Provinces of the enterprises that may hold one.
    pub enterprise_regions: Vec<&'a str>,
    /// The two lists' names for reading ("北京、天津、河北").
    pub provider_names: Text,
    pub enterprise_names: Text,
    pub valid_from: NaiveDate,
    pub valid_until: NaiveDate,
}

/// The province of a region code: `hebei.tangshan` → `hebei`.
pub fn province(code: &str) -> &str {
    code.split('.').next().unwrap_or(code)
}

/// Whether the scheme pays on `today`.
pub fn open(s: &Scheme, today: NaiveDate) -> bool {
    (s.valid_from..=s.valid_until).contains(&today)
}

/// The scheme as a policy for an enterprise registered in `region` (a region code, named
/// `region_name`).
pub fn assess(s: &Scheme, region: &str, region_name: &Text, today: NaiveDate) -> Assessment {
    let mut c = vec![Condition::check(
        "region",
        SCHEME,
        s.enterprise_regions.contains(&province(region)),
        Text::new(
            format!(
                "企业所在地{}，方案面向{}的企业",
                region_name.zh, s.enterprise_names.zh
            ),
            format!(
                "registered in {}; the scheme is for enterprises of {}",
                region_name.en, s.enterprise_names.en
            ),
        ),
    )
    .excluding()];
    let (from, until) = (s.valid_from, s.valid_until);
    c.push(if today > until {
        Condition::unmet(
            "open",
            SCHEME,
            Text::new(
                format!("方案已于 {until} 截止"),
                format!("the scheme closed on {until}"),
            ),
        )
        .excluding()
    } else {
        Condition::check(
            "open",
            SCHEME,
            today >= from,
            Text::new(
                format!("方案有效期 {from} 至 {until}"),
                format!("the scheme runs from {from} to {until}"),
            ),
        )
    });
    let left = s.budget - s.committed;
    let (lz, le) = wan(left.max(0));
    let (az, ae) = wan(s.per_enterprise);
    c.push(
        Condition::check(
            "budget",
            SCHEME,
            left >= s.per_enterprise,
            Text::new(
                format!("方案剩余额度 {lz}，每家企业 {az}"),
                format!("{le} of the budget left; {ae} per enterprise"),
            ),
        )
        .excluding(),
    );
    Assessment {
        policy: "voucher",
        name: s.name.clone(),
        sources: &[],
        in_force: "",
        verdict: Verdict::of(&c),
        conditions: c,
        score: Vec::new(),
        what_if: Vec::new(),
        worth: Some(Text::new(
            format!("可抵用服务价格的 {}%，每家企业至多 {az}", s.share_pct),
            format!(
                "pays {}% of a service's price, at most {ae} per enterprise",
                s.share_pct
            ),
        )),
    }
}

/// Why a use is refused, in both languages.
pub type Refusal = Text;

/// What a voucher pays towards a service of `price` (fen) of kind `kind` by a provider in
/// `provider_region` for an enterprise `related` to it or not, with `balance` left on `today`:
/// the scheme's share of the price (rounded down to the fen), at most the balance.
pub fn payable(
    s: &Scheme,
    kind: &str,
    provider_region: &str,
    related: bool,
    price: i64,
    balance: i64,
    today: NaiveDate,
) -> Result<i64, Refusal> {
    if !open(s, today) {
        return Err(Text::new(
            format!("方案不在有效期内（{} 至 {}）", s.valid_from, s.valid_until),
            format!(
                "the scheme runs only from {} to {}",
                s.valid_from, s.valid_until
            ),
        ));
    }
    if !s.service_kinds.contains(&kind) {
        return Err(Text::new(
            "该服务类型不在方案支持范围内",
            "the scheme does not pay for this kind of service",
        ));
    }
    if !s.provider_regions.contains(&province(provider_region)) {
        return Err(Text::new(
            format!("方案只认可{}的服务机构", s.provider_names.zh),
            format!("the scheme pays only providers of {}", s.provider_names.en),
        ));
    }
    if related {
        return Err(Text::new(
            "企业与服务机构为关联机构，不得使用创新券",
            "the enterprise and the provider are related: no voucher may pay",
        ));
    }
    if price <= 0 {
        return Err(Text::new(
            "服务价格须大于 0",
            "the price must be above zero",
        ));
    }
    if balance <= 0 {
        return Err(Text::new(
            "创新券余额为 0",
            "the voucher has no balance left",
        ));
    }
    let share = (Decimal::from(price) * Decimal::from(s.share_pct) / Decimal::from(100))
        .round_dp_with_strategy(0, RoundingStrategy::ToZero)
        .to_i64()
        .unwrap_or(0);
    Ok(share.min(balance))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn scheme() -> Scheme<'static> {
        Scheme {
            name: Text::new("河北创新券", "Hebei vouchers"),
            source: "测试",
            budget: 1_000_000,
            committed: 800_000,
            per_enterprise: 200_000,
            share_pct: 50,
            service_kinds: vec!["inspection", "scale_up"],
            provider_regions: vec!["beijing", "tianjin", "hebei"],
            enterprise_regions: vec!["hebei"],
            provider_names: Text::new("北京、天津、河北", "Beijing, Tianjin, Hebei"),
            enterprise_names: Text::new("河北", "Hebei"),
            valid_from: NaiveDate::from_ymd_opt(2026, 1, 1).expect("day"),
            valid_until: NaiveDate::from_ymd_opt(2026, 12, 31).expect("day"),
        }
    }

    fn day(m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, m, d).expect("day")
    }

    #[test]
    fn a_use_pays_the_schemes_share_within_the_balance() {
        let s = scheme();
        // Half of 3,333.33 yuan, rounded down to the fen.
        assert_eq!(
            payable(
                &s,
                "inspection",
                "beijing",
                false,
                333_333,
                1_000_000,
                day(6, 1)
            ),
            Ok(166_666)
        );
        assert_eq!(
            payable(
                &s,
                "inspection",
                "hebei.tangshan",
                false,
                1_000_000,
                120_000,
                day(6, 1)
            ),
            Ok(120_000)
        );
        // A Hebei scheme accepting a Tianjin provider.
        assert!(payable(&s, "scale_up", "tianjin.binhai", false, 100, 100, day(6, 1)).is_ok());
    }

    #[test]
    fn a_use_is_refused_outside_the_schemes_kinds_places_and_days_or_between_related_parties() {
        let s = scheme();
        assert!(payable(&s, "certification", "beijing", false, 100, 100, day(6, 1)).is_err());
        let mut only_hebei = scheme();
        only_hebei.provider_regions = vec!["hebei"];
        only_hebei.provider_names = Text::new("河北", "Hebei");
        let e = payable(
            &only_hebei,
            "inspection",
            "beijing.haidian",
            false,
            100,
            100,
            day(6, 1),
        )
        .expect_err("a Beijing provider");
        assert!(e.zh.contains("只认可河北"), "{}", e.zh);
        assert!(
            payable(&s, "inspection", "beijing", true, 100, 100, day(6, 1))
                .expect_err("related")
                .zh
                .contains("关联")
        );
        assert!(payable(
            &s,
            "inspection",
            "beijing",
            false,
            100,
            100,
            NaiveDate::from_ymd_opt(2027, 1, 1).expect("day")
        )
        .is_err());
        assert!(payable(&s, "inspection", "beijing", false, 100, 0, day(6, 1)).is_err());
    }

    #[test]
    fn the_scheme_as_a_policy_names_place_days_and_budget() {
        let s = scheme();
        let hebei = Text::new("河北", "Hebei");
        let beijing = Text::new("北京", "Beijing");
        assert_eq!(
            assess(&s, "hebei.baoding", &hebei, day(6, 1)).verdict,
            Verdict::Likely
        );
        assert_eq!(
            assess(&s, "beijing", &beijing, day(6, 1)).verdict,
            Verdict::NotEligible
        );
        let mut spent = scheme();
        spent.committed = 900_000;
        let a = assess(&spent, "hebei.baoding", &hebei, day(6, 1));
        assert_eq!(a.verdict, Verdict::NotEligible);
        assert!(
            a.conditions[2].text.zh.contains("剩余额度 0.1 万元"),
            "{}",
            a.conditions[2].text.zh
        );
        assert_eq!(
            assess(
                &s,
                "hebei",
                &hebei,
                NaiveDate::from_ymd_opt(2025, 12, 1).expect("day")
            )
            .verdict,
            Verdict::NotYet
        );
    }
}
