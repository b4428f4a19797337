//! The figures a tax return needs: the auxiliary ledger summary (研发支出辅助账汇总表), one row
//! per project, and the main lines of form A107012 (研发费用加计扣除优惠明细表). Both are read off
//! a computed [`Output`], so they always agree with the trace.

use rust_decimal::Decimal;
use serde::Serialize;

use crate::wire::{Input, Output};

/// One line of form A107012: its line number on the form, its label and the figure.
#[derive(Clone, Debug, Serialize, PartialEq)]
pub struct FormLine {
    /// The line number on the 2021 edition of the form (国家税务总局公告2021年第34号), or empty
    /// for a reconciling note that is not a line of the form.
    pub line: &'static str,
    pub zh: &'static str,
    pub en: &'static str,
    pub amount: Decimal,
}

/// The main lines of form A107012 for the year. Lines 3–38 are the collected costs, except that
/// line 7 (direct inputs) is net of the materials of sold R&D output: they come off there, so
/// that lines 3+7+16+19+23 — the base of the cap on other related expenses in line 34 — are
/// net of them, as in the provinces' worked examples; a note line shows how much that was. The
/// other deductions (special income, non-taxable subsidies) are applied per project as the
/// trace shows, and line 51 is the deduction computed.
pub fn a107012(input: &Input, out: &Output) -> Vec<FormLine> {
    let sum = |f: &dyn Fn(&crate::wire::ProjectResult) -> Decimal| -> Decimal {
        out.projects.iter().map(f).sum()
    };
    let paid_domestic: Decimal = input.projects.iter().map(|p| p.commissioned_domestic).sum();
    let paid_overseas: Decimal = input.projects.iter().map(|p| p.commissioned_overseas).sum();
    let five = out.five_total;
    let line2 = five + out.other_allowed;
    let gross = |p: &crate::wire::ProjectResult| {
        p.five + p.other_allowed + p.domestic_commissioned + p.overseas_allowed
    };
    let expensed_gross = sum(&|p| {
        if p.capitalised {
            Decimal::ZERO
        } else {
            gross(p)
        }
    });
    let capital_gross = sum(&|p| {
        if p.capitalised {
            gross(p)
        } else {
            Decimal::ZERO
        }
    });
    let l = |line, zh, en, mut amount: Decimal| {
        // Money with two decimals, like every other figure; line 1 is a count.
        if line != "1" {
            amount.rescale(2);
        }
        FormLine {
            line,
            zh,
            en,
            amount,
        }
    };
    vec![
        l(
            "1",
            "本年可享受研发费用加计扣除项目数量",
            "R&D projects this year",
            Decimal::from(out.projects.len()),
        ),
        l(
            "2",
            "一、自主研发、合作研发、集中研发（3+7+16+19+23+34）",
            "I. Own, joint and pooled R&D (3+7+16+19+23+34)",
            line2,
        ),
        l(
            "3",
            "（一）人员人工费用",
            "(1) Personnel",
            sum(&|p| p.personnel),
        ),
        l(
            "7",
            "（二）直接投入费用",
            "(2) Direct inputs",
            sum(&|p| p.direct_inputs),
        ),
        l(
            "16",
            "（三）折旧费用",
            "(3) Depreciation",
            sum(&|p| p.depreciation),
        ),
        l(
            "19",
            "（四）无形资产摊销",
            "(4) Amortisation of intangibles",
            sum(&|p| p.intangible_amortization),
        ),
        l(
            "23",
            "（五）新产品设计费等",
            "(5) New-product design etc.",
            sum(&|p| p.design),
        ),
        l(
            "28",
            "（六）其他相关费用",
            "(6) Other related expenses",
            out.other_total,
        ),
        l(
            "34",
            "（七）经限额调整后的其他相关费用",
            "(7) Other related expenses after the cap",
            out.other_allowed,
        ),
        l(
            "35",
            "二、委托研发（36+37）",
            "II. Commissioned R&D (36+37)",
            paid_domestic + paid_overseas,
        ),
        l(
            "36",
            "（一）委托境内机构或个人进行研发活动所发生的费用",
            "(1) Commissioned in China",
            paid_domestic,
        ),
        l(
            "37",
            "（二）委托境外机构进行研发活动发生的费用",
            "(2) Commissioned overseas",
            paid_overseas,
        ),
        l(
            "38",
            "其中：允许加计扣除的委托境外机构进行研发活动发生的费用",
            "of which allowed",
            out.overseas_allowed,
        ),
        l(
            "40",
            "三、年度研发费用小计（2+36×80%+38）",
            "III. R&D cost of the year (2+36×80%+38)",
            line2 + out.domestic_commissioned_allowed + out.overseas_allowed,
        ),
        l("41", "（一）本年费用化金额", "(1) Expensed", expensed_gross),
        l(
            "42",
            "（二）本年资本化金额",
            "(2) Capitalised",
            capital_gross,
        ),
        l(
            "46",
            "减：特殊收入部分",
            "Less: special income",
            sum(&|p| p.special_income),
        ),
        l(
            "",
            "注：当年销售研发活动直接形成产品（包括组成部分）对应的材料部分（已从第 7 行直接投入费用中减除，不再重复扣减）",
            "Note: materials of R&D output sold this year (already taken off the direct inputs of line 7, not deducted again)",
            sum(&|p| p.sold_output_material),
        ),
        l(
            "",
            "注：作为不征税收入处理的财政性资金用于研发的部分（已逐项目扣除）",
            "Note: non-taxable government funds spent on R&D (removed project by project)",
            sum(&|p| p.non_taxable_subsidy),
        ),
        l(
            "",
            "注：费用化部分扣减后的可加计扣除金额",
            "Note: expensed base after the deductions",
            out.expensed_base,
        ),
        l(
            "",
            "注：资本化项目本年摊销额（含加计）",
            "Note: this year's amortisation of capitalised projects, additional part included",
            out.amortization_this_year,
        ),
        l("50", "八、加计扣除比例", "VIII. Rate", out.rate),
        l(
            "",
            "注：2022 年第四季度按 100% 加计扣除的研发费用",
            "Note: 2022 fourth-quarter cost deducted at 100%",
            out.q4_2022_base.unwrap_or_default(),
        ),
        l(
            "51",
            "九、本年研发费用加计扣除总额",
            "IX. Additional deduction this year",
            out.deduction,
        ),
    ]
}

/// The auxiliary ledger summary: one row per project with the columns of 研发支出辅助账汇总表
/// (the six categories, the cap, commissioned R&D, deductions and the deductible amount).
pub const LEDGER_COLUMNS: &[(&str, &str)] = &[
    ("项目编号", "Project"),
    ("费用化/资本化", "Expensed / capitalised"),
    ("人员人工费用", "Personnel"),
    ("直接投入费用", "Direct inputs"),
    ("折旧费用", "Depreciation"),
    ("无形资产摊销", "Intangible amortisation"),
    ("新产品设计费等", "Design"),
    ("前五项小计", "First five"),
    ("其他相关费用", "Other"),
    ("其他相关费用（限额后）", "Other, after the cap"),
    ("委托境内研发（80%）", "Domestic commissioned (80%)"),
    ("委托境外研发（允许部分）", "Overseas commissioned allowed"),
    ("特殊收入", "Special income"),
    ("销售研发成果材料", "Materials of sold output"),
    ("不征税财政资金", "Non-taxable subsidy"),
    ("可加计扣除研发费用", "Deductible R&D cost"),
];

/// The ledger summary's rows, with a total row last; amounts as text with two decimals.
pub fn ledger_rows(out: &Output) -> Vec<Vec<String>> {
    let figures = |p: &crate::wire::ProjectResult| {
        [
            p.personnel,
            p.direct_inputs,
            p.depreciation,
            p.intangible_amortization,
            p.design,
            p.five,
            p.other,
            p.other_allowed,
            p.domestic_commissioned,
            p.overseas_allowed,
            p.special_income,
            p.sold_output_material,
            p.non_taxable_subsidy,
            p.base,
        ]
    };
    let mut total = [Decimal::ZERO; 14];
    let mut rows = Vec::with_capacity(out.projects.len() + 1);
    for p in &out.projects {
        let f = figures(p);
        for (t, v) in total.iter_mut().zip(f) {
            *t += v;
        }
        let mut row = vec![
            p.id.clone(),
            if p.capitalised {
                "资本化"
            } else {
                "费用化"
            }
            .to_string(),
        ];
        row.extend(f.iter().map(|v| format!("{v:.2}")));
        rows.push(row);
    }
    let mut row = vec!["合计".to_string(), String::new()];
    row.extend(total.iter().map(|v| format!("{v:.2}")));
    rows.push(row);
    rows
}
