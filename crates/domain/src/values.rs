//! Small validated values: technology readiness, money, and the coded vocabularies
//! (industrial chains, statuses, organisation kinds, cooperation modes).

use crate::{FieldError, Label};

/// Declares a coded vocabulary: an enum with a stable snake_case code and labels in zh and en.
macro_rules! vocabulary {
    ($(#[$m:meta])* $name:ident, $what_en:literal, $what_zh:literal { $( $var:ident = $code:literal, $zh:literal, $en:literal; )* }) => {
        $(#[$m])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
        #[serde(rename_all = "snake_case")]
        pub enum $name { $( $var, )* }

        impl $name {
            /// Every value, in display order.
            pub const ALL: &'static [$name] = &[ $( $name::$var, )* ];

            /// The stable code stored in the database and used in the API.
            pub fn code(self) -> &'static str {
                match self { $( $name::$var => $code, )* }
            }

            /// Labels in both languages.
            pub fn label(self) -> Label {
                match self { $( $name::$var => Label { zh: $zh, en: $en }, )* }
            }

            /// Parse a code or a label in either language.
            pub fn parse(field: &str, s: &str) -> Result<$name, FieldError> {
                let s = s.trim();
                Self::ALL
                    .iter()
                    .find(|v| v.code() == s || v.label().zh == s || v.label().en.eq_ignore_ascii_case(s))
                    .copied()
                    .ok_or_else(|| {
                        let codes: Vec<_> = Self::ALL.iter().map(|v| v.code()).collect();
                        FieldError::new(
                            field,
                            "unknown_value",
                            format!("unknown {} \"{}\" (one of: {})", $what_en, s, codes.join(", ")),
                            format!("未知{}“{}”（可选：{}）", $what_zh, s, codes.join("、")),
                        )
                    })
            }

            /// The value for a stored code.
            pub fn from_code(code: &str) -> Option<$name> {
                Self::ALL.iter().find(|v| v.code() == code).copied()
            }
        }

        impl $crate::values::Vocabulary for $name {
            fn all() -> &'static [$name] {
                $name::ALL
            }
            fn code(self) -> &'static str {
                $name::code(self)
            }
            fn label(self) -> Label {
                $name::label(self)
            }
        }

        /// The first value (inputs built field by field start from it).
        impl Default for $name {
            fn default() -> $name {
                $name::ALL[0]
            }
        }

        /// A stored code read back (the store decodes rows with this).
        impl TryFrom<String> for $name {
            type Error = String;
            fn try_from(code: String) -> Result<$name, String> {
                $name::from_code(&code)
                    .ok_or_else(|| format!("unknown {} code \"{}\" in the database", $what_en, code))
            }
        }
    };
}
pub(crate) use vocabulary;

/// What every coded vocabulary offers, for code that handles any of them (select boxes, form
/// fields, label lookups).
pub trait Vocabulary: Copy + PartialEq + 'static {
    fn all() -> &'static [Self];
    fn code(self) -> &'static str;
    fn label(self) -> Label;
    fn from_code(code: &str) -> Option<Self> {
        Self::all().iter().copied().find(|v| v.code() == code)
    }
    /// `(code, zh, en)` for every value, in display order.
    fn table() -> Vec<(&'static str, &'static str, &'static str)> {
        Self::all()
            .iter()
            .map(|v| (v.code(), v.label().zh, v.label().en))
            .collect()
    }
}

vocabulary! {
    /// Industrial chains the platform organises its content by.
    Chain, "industrial chain", "产业链" {
        Robotics = "robotics", "机器人", "Robotics";
        NevIcv = "nev_icv", "新能源与智能网联汽车", "New-energy & intelligent connected vehicles";
        Steel = "steel", "精品钢铁", "Steel";
        GreenChemicals = "green_chemicals", "绿色化工", "Green chemicals";
        MembraneMaterials = "membrane_materials", "膜材料", "Membrane materials";
        SpaceInfo = "space_info", "空天地信息", "Space-air-ground information";
        Ai = "ai", "人工智能", "Artificial intelligence";
        DigitalGovernance = "digital_governance", "数字治理", "Digital governance";
        Biomedicine = "biomedicine", "生物医药", "Biomedicine";
        NewEnergy = "new_energy", "新能源与储能", "New energy & storage";
        ModernAgriculture = "modern_agriculture", "现代农业", "Modern agriculture";
    }
}

vocabulary! {
    /// Life cycle of a scenario or achievement: draft → published → matched → closed.
    Status, "status", "状态" {
        Draft = "draft", "草稿", "Draft";
        Published = "published", "已发布", "Published";
        Matched = "matched", "已对接", "Matched";
        Closed = "closed", "已关闭", "Closed";
    }
}

impl Status {
    /// Whether a record in this status is visible to everyone.
    pub fn is_public(self) -> bool {
        self != Status::Draft
    }

    /// Whether the life cycle allows moving from `self` to `to` (staying put is always allowed).
    pub fn can_become(self, to: Status) -> bool {
        use Status::*;
        self == to
            || matches!(
                (self, to),
                (Draft, Published)
                    | (Published, Matched)
                    | (Published, Closed)
                    | (Matched, Closed)
                    | (Published, Draft)
                    | (Closed, Published)
            )
    }
}

vocabulary! {
    /// Kinds of organisation on the platform.
    OrgKind, "organisation kind", "机构类型" {
        Enterprise = "enterprise", "企业", "Enterprise";
        University = "university", "高校", "University";
        Institute = "institute", "科研院所", "Research institute";
        Government = "government", "政府部门", "Government unit";
        PilotPlatform = "pilot_platform", "中试平台", "Pilot-testing platform";
        Fund = "fund", "基金", "Fund";
    }
}

vocabulary! {
    /// How an achievement's owner is willing to cooperate.
    CoopMode, "cooperation mode", "合作方式" {
        Licence = "licence", "许可", "Licence";
        Transfer = "transfer", "转让", "Transfer";
        JointDevelopment = "joint_development", "合作开发", "Joint development";
        Investment = "investment", "作价投资", "Investment";
    }
}

/// Technology readiness level, 1 (basic principles) to 9 (proven in operation).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize)]
pub struct Trl(u8);

impl Trl {
    pub fn new(v: i64) -> Option<Trl> {
        (1..=9).contains(&v).then_some(Trl(v as u8))
    }

    pub fn parse(field: &str, s: &str) -> Result<Trl, FieldError> {
        let s = s.trim();
        let s = s
            .strip_prefix("TRL")
            .or_else(|| s.strip_prefix("trl"))
            .unwrap_or(s)
            .trim();
        s.parse::<i64>().ok().and_then(Trl::new).ok_or_else(|| {
            FieldError::new(
                field,
                "out_of_range",
                format!(
                    "technology readiness level must be a whole number from 1 to 9, not \"{s}\""
                ),
                format!("技术成熟度须为 1 到 9 的整数，而不是“{s}”"),
            )
        })
    }

    pub fn get(self) -> u8 {
        self.0
    }
}

/// An amount of money in fen (0.01 yuan). Never a float.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize)]
pub struct Money(i64);

/// Fen in one wan (10,000 yuan), the unit budgets are written in.
const FEN_PER_WAN: i64 = 1_000_000;

impl Money {
    pub fn from_fen(fen: i64) -> Money {
        Money(fen)
    }

    pub fn fen(self) -> i64 {
        self.0
    }

    /// Parse an amount written in wan yuan (万元), with up to six decimals (i.e. exact to the fen).
    pub fn parse_wan(field: &str, s: &str) -> Result<Money, FieldError> {
        let bad = || {
            FieldError::new(
                field,
                "invalid_amount",
                format!("amount must be a non-negative number of 10,000 yuan (万元), not \"{s}\""),
                format!("金额须为非负的万元数，而不是“{s}”"),
            )
        };
        let t = s
            .trim()
            .trim_end_matches("万元")
            .trim_end_matches('万')
            .replace([',', '，'], "");
        let (int, frac) = t.split_once('.').unwrap_or((&t, ""));
        if int.is_empty() && frac.is_empty()
            || !int.chars().all(|c| c.is_ascii_digit())
            || !frac.chars().all(|c| c.is_ascii_digit())
            || frac.len() > 6
        {
            return Err(bad());
        }
        if int.trim_start_matches('0').len() > 9 {
            return Err(FieldError::new(
                field,
                "too_large",
                format!("\"{s}\" is too large: at most 999,999,999 (10,000 yuan)"),
                format!("“{s}”过大：最多 999,999,999 万元"),
            ));
        }
        let int = int.trim_start_matches('0');
        let int: i64 = if int.is_empty() {
            0
        } else {
            int.parse().map_err(|_| bad())?
        };
        let frac: i64 = format!("{frac:0<6}").parse().map_err(|_| bad())?;
        Ok(Money(int * FEN_PER_WAN + frac))
    }

    /// Parse an amount written in yuan (元), with up to two decimals (exact to the fen);
    /// thousands separators are allowed. Too large an amount says so.
    pub fn parse_yuan(field: &str, s: &str) -> Result<Money, FieldError> {
        let t = s
            .trim()
            .trim_end_matches('元')
            .trim_start_matches(['¥', '￥'])
            .replace([',', '，'], "");
        let (int, frac) = t.split_once('.').unwrap_or((&t, ""));
        if int.is_empty()
            || !int.chars().all(|c| c.is_ascii_digit())
            || !frac.chars().all(|c| c.is_ascii_digit())
            || frac.len() > 2
        {
            return Err(FieldError::new(
                field,
                "invalid_amount",
                format!("must be an amount in yuan with at most two decimals, not \"{s}\""),
                format!("须为不超过两位小数的非负元数，而不是“{s}”"),
            ));
        }
        let int = int.trim_start_matches('0');
        if int.len() > 13 {
            return Err(FieldError::new(
                field,
                "too_large",
                format!("\"{s}\" is more than the platform takes (under 10 trillion yuan)"),
                format!("“{s}”超出平台可记录的金额（须小于 10 万亿元）"),
            ));
        }
        let int: i64 = if int.is_empty() {
            0
        } else {
            int.parse().unwrap_or(0)
        };
        let frac: i64 = format!("{frac:0<2}").parse().unwrap_or(0);
        Ok(Money(int * 100 + frac))
    }

    /// The amount in yuan with thousands separators and two decimals: "1,200,000.50".
    pub fn yuan_text(self) -> String {
        format!("{}.{:02}", grouped(self.0 / 100), self.0 % 100)
    }

    /// The amount in wan yuan rounded to two decimals, with thousands separators and without
    /// needless decimals: "7,487,000.5".
    pub fn wan_grouped(self) -> String {
        let hundredths = (self.0 + FEN_PER_WAN / 200) / (FEN_PER_WAN / 100);
        let out = grouped(hundredths / 100);
        match hundredths % 100 {
            0 => out,
            f if f % 10 == 0 => format!("{out}.{}", f / 10),
            f => format!("{out}.{f:02}"),
        }
    }

    /// The amount in millions of yuan, rounded to two decimals, with separators and without
    /// needless decimals ("2.5", "1,500"): English has no word for 万.
    pub fn millions_text(self) -> String {
        let hundredths = (self.0 + 500_000) / 1_000_000;
        let out = grouped(hundredths / 100);
        match hundredths % 100 {
            0 => out,
            f if f % 10 == 0 => format!("{out}.{}", f / 10),
            f => format!("{out}.{f:02}"),
        }
    }

    /// The amount as English text: "CNY 2.5 million" from a million yuan on, "CNY 500,000"
    /// below.
    pub fn english_text(self) -> String {
        if self.0.abs() >= 100_000_000 {
            format!("CNY {} million", self.millions_text())
        } else {
            format!("CNY {}", grouped((self.0 + 50) / 100))
        }
    }

    /// The amount in wan yuan, as text without needless decimals ("50", "12.5").
    pub fn wan_text(self) -> String {
        let int = self.0 / FEN_PER_WAN;
        let frac = self.0 % FEN_PER_WAN;
        if frac == 0 {
            int.to_string()
        } else {
            let f = format!("{frac:06}");
            format!("{int}.{}", f.trim_end_matches('0'))
        }
    }
}

/// A whole number with thousands separators: 1234567 → "1,234,567".
fn grouped(n: i64) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// An optional budget range; when both ends are given, min ≤ max.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
pub struct Budget {
    pub min: Option<Money>,
    pub max: Option<Money>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn trl_accepts_one_to_nine_only() {
        assert_eq!(Trl::parse("trl", "7").map(Trl::get), Ok(7));
        assert_eq!(Trl::parse("trl", "TRL 4").map(Trl::get), Ok(4));
        assert!(Trl::parse("trl", "0").is_err());
        assert!(Trl::parse("trl", "10").is_err());
        assert!(Trl::parse("trl", "seven").is_err());
    }

    #[test]
    fn money_in_yuan_is_exact_and_bounded() {
        assert_eq!(
            Money::parse_yuan("a", "1,200,000.5").map(Money::fen),
            Ok(120_000_050)
        );
        assert_eq!(Money::parse_yuan("a", "¥0.01").map(Money::fen), Ok(1));
        assert_eq!(Money::parse_yuan("a", "99元").map(Money::fen), Ok(9_900));
        assert!(Money::parse_yuan("a", "0.001").is_err());
        assert!(Money::parse_yuan("a", "-1").is_err());
        assert!(Money::parse_yuan("a", "1e5").is_err());
        assert_eq!(
            Money::parse_yuan("a", "99999999999999999999").map_err(|e| e.code),
            Err("too_large")
        );
        assert_eq!(Money::from_fen(120_000_050).yuan_text(), "1,200,000.50");
        assert_eq!(Money::from_fen(5).yuan_text(), "0.05");
        assert_eq!(Money::from_fen(100_000).yuan_text(), "1,000.00");
        assert_eq!(
            Money::from_fen(74_870_005_000_000).wan_grouped(),
            "74,870,005"
        );
        assert_eq!(Money::from_fen(1_250_000).wan_grouped(), "1.25");
        assert_eq!(
            Money::from_fen(15_000_000_000).english_text(),
            "CNY 150 million"
        );
        assert_eq!(
            Money::from_fen(250_000_000).english_text(),
            "CNY 2.5 million"
        );
        assert_eq!(Money::from_fen(50_000_000).english_text(), "CNY 500,000");
        assert_eq!(Money::from_fen(200_000_000_000).millions_text(), "2,000");
        assert_eq!(Money::from_fen(1_500_000).wan_grouped(), "1.5");
        assert_eq!(
            Money::from_fen(1_234_567_890_000).wan_grouped(),
            "1,234,567.89"
        );
    }

    #[test]
    fn money_is_parsed_exactly_in_wan() {
        assert_eq!(Money::parse_wan("b", "50").map(Money::fen), Ok(50_000_000));
        assert_eq!(
            Money::parse_wan("b", "12.5").map(Money::fen),
            Ok(12_500_000)
        );
        assert_eq!(
            Money::parse_wan("b", "1,200万元").map(Money::fen),
            Ok(1_200_000_000)
        );
        assert_eq!(Money::parse_wan("b", "0.000001").map(Money::fen), Ok(1));
        assert!(Money::parse_wan("b", "-5").is_err());
        assert!(Money::parse_wan("b", "1e3").is_err());
        assert!(Money::parse_wan("b", "0.0000001").is_err());
        // Too large says so (not "must be non-negative"); leading zeros are no size.
        let big = Money::parse_wan("b", "99999999999999999999").expect_err("too large");
        assert_eq!(big.code, "too_large");
        assert!(big.message_in("zh").contains("过大"));
        assert_eq!(
            Money::parse_wan("b", "0000000000050").map(Money::fen),
            Ok(50_000_000)
        );
        assert_eq!(Money::from_fen(12_500_000).wan_text(), "12.5");
        assert_eq!(Money::from_fen(50_000_000).wan_text(), "50");
    }

    #[test]
    fn vocabularies_parse_codes_and_labels() {
        assert_eq!(Chain::parse("chain", "robotics"), Ok(Chain::Robotics));
        assert_eq!(Chain::parse("chain", "机器人"), Ok(Chain::Robotics));
        assert_eq!(Status::parse("status", "Published"), Ok(Status::Published));
        assert_eq!(
            Chain::parse("chain", "alchemy").unwrap_err().code,
            "unknown_value"
        );
    }

    #[test]
    fn status_life_cycle_runs_forward_from_draft() {
        assert!(Status::Draft.can_become(Status::Published));
        assert!(Status::Published.can_become(Status::Matched));
        assert!(!Status::Draft.can_become(Status::Matched));
        assert!(!Status::Closed.can_become(Status::Matched));
    }
}

vocabulary! {
    /// Where a link sits on an industrial chain.
    ChainPosition, "chain position", "链上位置" {
        Upstream = "upstream", "上游", "Upstream";
        Midstream = "midstream", "中游", "Midstream";
        Downstream = "downstream", "下游", "Downstream";
    }
}
