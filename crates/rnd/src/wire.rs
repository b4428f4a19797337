//! The JSON shapes of `duijie rnd compute`. Amounts are yuan, as JSON numbers or strings; they
//! are read as exact decimals (a number's shortest decimal form), never as binary floats.

use rust_decimal::Decimal;
use serde::{Deserialize, Deserializer, Serialize};

/// Reads a JSON number or string as an exact decimal.
pub(crate) fn decimal<'de, D: Deserializer<'de>>(d: D) -> Result<Decimal, D::Error> {
    #[derive(Deserialize)]
    #[serde(untagged)]
    enum Raw {
        Int(i64),
        Float(f64),
        Text(String),
    }
    let text = match Raw::deserialize(d)? {
        Raw::Int(i) => i.to_string(),
        // Rust prints the shortest decimal that reads back as the same float: the text written.
        Raw::Float(f) => format!("{f}"),
        Raw::Text(s) => s.trim().replace([',', '，'], ""),
    };
    let v = text
        .parse::<Decimal>()
        .map_err(|_| serde::de::Error::custom(format!("\"{text}\" is not an amount")))?;
    // Far beyond any enterprise's figures, and small enough that amount × hours never
    // overflows the 28 digits of an exact decimal.
    if v.abs() > Decimal::from(MAX_FIGURE) {
        return Err(serde::de::Error::custom(format!(
            "{text} is beyond 1,000,000,000,000 (the largest amount in yuan or number of hours read)"
        )));
    }
    Ok(v)
}

/// The largest figure (yuan or hours) an input may hold.
pub const MAX_FIGURE: i64 = 1_000_000_000_000;

/// The six expense categories, as the input names them.
pub const CATEGORIES: &[&str] = &[
    "personnel",
    "direct_inputs",
    "depreciation",
    "intangible_amortization",
    "design",
    "other",
];

/// Reads an optional JSON number or string as an exact decimal.
pub(crate) fn opt_decimal<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Decimal>, D::Error> {
    decimal(d).map(Some)
}

fn zero() -> Decimal {
    Decimal::ZERO
}

#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Input {
    pub year: i32,
    pub enterprise: Enterprise,
    #[serde(default)]
    pub projects: Vec<Project>,
    /// Shared staff and equipment whose cost is split among projects by the hours recorded
    /// against each (time sheets and equipment-use logs).
    #[serde(default)]
    pub pools: Vec<Pool>,
}

/// A shared staff member or piece of equipment: its cost for the year, in one category, and
/// the hours it worked in all (R&D and other work) and on each R&D project.
#[derive(Clone, Debug, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Pool {
    pub resource: String,
    /// personnel, direct_inputs, depreciation, intangible_amortization, design or other.
    pub category: String,
    #[serde(deserialize_with = "decimal")]
    pub amount: Decimal,
    /// Every hour recorded for the resource, R&D or not.
    #[serde(deserialize_with = "decimal")]
    pub total_hours: Decimal,
    /// Hours on R&D projects, by project id.
    #[serde(default)]
    pub hours: Vec<PoolHours>,
}

#[derive(Clone, Debug, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct PoolHours {
    pub project: String,
    #[serde(deserialize_with = "decimal")]
    pub hours: Decimal,
}

/// How one pool was split: what went to R&D and what could not be allocated.
#[derive(Clone, Debug, Serialize, PartialEq)]
pub struct PoolResult {
    pub resource: String,
    pub category: String,
    pub amount: Decimal,
    pub total_hours: Decimal,
    pub rd_hours: Decimal,
    pub allocated: Decimal,
    /// Not deductible: the share of non-R&D hours, or all of it when no hours were recorded.
    pub unallocated: Decimal,
}

#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Enterprise {
    /// general, manufacturing, sci_tech_sme, integrated_circuit or mother_machine.
    #[serde(default = "general")]
    pub kind: String,
    #[serde(default = "zero", deserialize_with = "decimal")]
    pub total_income: Decimal,
    /// Main-business income from the negative-list industries.
    #[serde(default = "zero", deserialize_with = "decimal")]
    pub negative_list_income: Decimal,
    #[serde(default = "zero", deserialize_with = "decimal")]
    pub non_taxable_income: Decimal,
    #[serde(default = "zero", deserialize_with = "decimal")]
    pub investment_income: Decimal,
    /// 2022 only: the part of the year's expensed R&D cost incurred from 1 October to 31
    /// December, which enterprises at 75% deduct at 100%. Absent: a quarter of the year's (the
    /// months method).
    #[serde(default, deserialize_with = "opt_decimal")]
    pub q4_2022: Option<Decimal>,
}

fn general() -> String {
    "general".into()
}

#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Project {
    pub id: String,
    #[serde(default)]
    pub capitalised: bool,
    #[serde(default = "zero", deserialize_with = "decimal")]
    pub personnel: Decimal,
    #[serde(default = "zero", deserialize_with = "decimal")]
    pub direct_inputs: Decimal,
    #[serde(default = "zero", deserialize_with = "decimal")]
    pub depreciation: Decimal,
    #[serde(default = "zero", deserialize_with = "decimal")]
    pub intangible_amortization: Decimal,
    #[serde(default = "zero", deserialize_with = "decimal")]
    pub design: Decimal,
    #[serde(default = "zero", deserialize_with = "decimal")]
    pub other: Decimal,
    /// Shared costs split by hours.
    #[serde(default)]
    pub shared: Vec<Shared>,
    /// Materials of R&D output sold (or sold as part of a product).
    #[serde(default = "zero", deserialize_with = "decimal")]
    pub sold_output_material: Decimal,
    /// Non-taxable government funds spent on the project.
    #[serde(default = "zero", deserialize_with = "decimal")]
    pub non_taxable_subsidy: Decimal,
    /// Income from scrap, defective goods and intermediate test products of the R&D.
    #[serde(default = "zero", deserialize_with = "decimal")]
    pub special_income: Decimal,
    /// Paid for R&D commissioned from domestic parties.
    #[serde(default = "zero", deserialize_with = "decimal")]
    pub commissioned_domestic: Decimal,
    /// Paid for R&D commissioned from overseas parties (not individuals).
    #[serde(default = "zero", deserialize_with = "decimal")]
    pub commissioned_overseas: Decimal,
    /// For capitalised projects: the intangible asset's amortisation this year.
    #[serde(default)]
    pub amortization: Option<Amortization>,
}

#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Shared {
    /// personnel, direct_inputs, depreciation, intangible_amortization, design or other.
    pub category: String,
    #[serde(deserialize_with = "decimal")]
    pub amount: Decimal,
    #[serde(deserialize_with = "decimal")]
    pub rd_hours: Decimal,
    #[serde(deserialize_with = "decimal")]
    pub total_hours: Decimal,
}

#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Amortization {
    pub years: u32,
    pub months_this_year: u32,
}

/// One line of the calculation, with the rule it applies.
#[derive(Clone, Debug, Serialize, PartialEq)]
pub struct Line {
    pub label_zh: String,
    pub label_en: String,
    /// How the amount was obtained, in figures (words in Chinese).
    pub formula: String,
    /// The same, words in English.
    pub formula_en: String,
    pub amount: Decimal,
    /// The clause: announcement and article.
    pub clause: String,
}

#[derive(Clone, Debug, Serialize)]
pub struct Output {
    pub eligible: bool,
    pub negative_list_ratio: Decimal,
    /// The additional-deduction rate, e.g. "1.00".
    pub rate: Decimal,
    pub five_total: Decimal,
    pub other_total: Decimal,
    pub other_cap: Decimal,
    pub other_allowed: Decimal,
    pub domestic_commissioned_allowed: Decimal,
    pub overseas_allowed: Decimal,
    /// Expensed R&D costs the rate applies to this year.
    pub expensed_base: Decimal,
    /// Cost of intangible assets formed by capitalised projects.
    pub capitalised_base: Decimal,
    /// This year's pre-tax amortisation of those assets, at (1 + rate) of cost.
    pub amortization_this_year: Decimal,
    /// The additional deduction this year.
    pub deduction: Decimal,
    /// 2022, enterprises at 75%: the expensed cost of the fourth quarter deducted at 100%.
    pub q4_2022_base: Option<Decimal>,
    /// Shared costs that could not be allocated to R&D (not deductible).
    pub unallocated: Decimal,
    pub projects: Vec<ProjectResult>,
    pub pools: Vec<PoolResult>,
    pub trace: Vec<Line>,
}

#[derive(Clone, Debug, Serialize)]
pub struct ProjectResult {
    pub id: String,
    pub capitalised: bool,
    /// The five categories after shared costs are allocated (direct inputs less the
    /// materials of sold output).
    pub personnel: Decimal,
    pub direct_inputs: Decimal,
    pub depreciation: Decimal,
    pub intangible_amortization: Decimal,
    pub design: Decimal,
    pub five: Decimal,
    pub other: Decimal,
    pub other_allowed: Decimal,
    /// 80% of domestic commissioned R&D.
    pub domestic_commissioned: Decimal,
    /// The project's share of the overseas commissioned R&D allowed.
    pub overseas_allowed: Decimal,
    pub special_income: Decimal,
    pub non_taxable_subsidy: Decimal,
    pub sold_output_material: Decimal,
    /// The project's deductible R&D cost (before the rate).
    pub base: Decimal,
}
