//! The rules in force: which enterprises are eligible, and the additional-deduction rate by year
//! and kind of enterprise, each with the announcement it comes from.

use rust_decimal::Decimal;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    General,
    Manufacturing,
    SciTechSme,
    IntegratedCircuit,
    MotherMachine,
}

impl Kind {
    pub fn parse(s: &str) -> Option<Kind> {
        Some(match s {
            "general" => Kind::General,
            "manufacturing" => Kind::Manufacturing,
            "sci_tech_sme" => Kind::SciTechSme,
            "integrated_circuit" => Kind::IntegratedCircuit,
            "mother_machine" => Kind::MotherMachine,
            _ => return None,
        })
    }

    /// The kind's name in Chinese and English.
    pub fn label(self) -> (&'static str, &'static str) {
        match self {
            Kind::General => ("一般企业", "general enterprise"),
            Kind::Manufacturing => ("制造业企业", "manufacturer"),
            Kind::SciTechSme => ("科技型中小企业", "technology-based SME"),
            Kind::IntegratedCircuit => ("集成电路企业", "integrated-circuit enterprise"),
            Kind::MotherMachine => ("工业母机企业", "machine-tool enterprise"),
        }
    }
}

/// A cost category's name in Chinese and English (the code itself if unknown).
pub fn category_label(code: &str) -> (&str, &str) {
    match code {
        "personnel" => ("人员人工费用", "personnel"),
        "direct_inputs" => ("直接投入费用", "direct inputs"),
        "depreciation" => ("折旧费用", "depreciation"),
        "intangible_amortization" => ("无形资产摊销", "amortisation of intangibles"),
        "design" => ("新产品设计费等", "new-product design and the like"),
        "other" => ("其他相关费用", "other related costs"),
        other => (other, other),
    }
}

pub const NEGATIVE_LIST: &str = "财税〔2015〕119号、国家税务总局公告2015年第97号（烟草制造业、住宿和餐饮业、批发和零售业、房地产业、租赁和商务服务业、娱乐业：主营业务收入占收入总额减除不征税收入和投资收益的余额50%以上的，不适用加计扣除）";

/// The additional-deduction rate (fraction of the expense) and its source.
pub fn rate(year: i32, kind: Kind) -> (Decimal, &'static str) {
    let pct = |n: i64| Decimal::new(n, 2);
    let manufacturer = matches!(
        kind,
        Kind::Manufacturing | Kind::IntegratedCircuit | Kind::MotherMachine
    );
    match year {
        y if (2023..=2027).contains(&y) && matches!(kind, Kind::IntegratedCircuit | Kind::MotherMachine) => {
            (pct(120), "财政部 税务总局 国家发展改革委 工业和信息化部公告2023年第44号（集成电路企业和工业母机企业 2023–2027 年按 120% 加计扣除）")
        }
        y if y >= 2023 => (pct(100), "财政部 税务总局公告2023年第7号（自 2023 年起按实际发生额的 100% 加计扣除）"),
        2021 | 2022 if manufacturer => (pct(100), "财政部 税务总局公告2021年第13号（制造业企业自 2021 年起按 100% 加计扣除）"),
        2022 if kind == Kind::SciTechSme => (pct(100), "财政部 税务总局 科技部公告2022年第16号（科技型中小企业自 2022 年起按 100% 加计扣除）"),
        2018..=2022 => (pct(75), "财税〔2018〕99号、财政部 税务总局公告2021年第6号（按 75% 加计扣除；2022 年第四季度的费用按 100%，见 2022年第28号）"),
        2017 if kind == Kind::SciTechSme => (pct(75), "财税〔2017〕34号（科技型中小企业 2017–2019 年按 75% 加计扣除）"),
        _ => (pct(50), "财税〔2015〕119号（按实际发生额的 50% 加计扣除）"),
    }
}

pub const Q4_2022: &str = "财政部 税务总局 科技部公告2022年第28号（现行适用 75% 的企业，2022 年 10 月 1 日至 12 月 31 日发生的研发费用按 100% 加计扣除；第四季度费用可按实际发生额或按全年费用 × 3/12 的月份比例计算）";
pub const SHARED: &str = "国家税务总局公告2017年第40号（多用途人员和仪器设备：按实际工时占比等合理方法在研发费用和生产经营费用间分配，未分配的不得加计扣除）";
pub const SOLD_MATERIAL: &str = "国家税务总局公告2017年第40号（研发活动直接形成产品或作为组成部分形成的产品对外销售的，研发费用中对应的材料费用不得加计扣除）；按各省税务机关发布的计算案例，先从直接投入费用中减除，再以减除后的前五类费用计算其他相关费用限额";
pub const OTHER_CAP: &str = "财税〔2015〕119号、国家税务总局公告2021年第28号（其他相关费用限额 = 全部研发项目前五类费用合计 × 10% ÷ (1 − 10%)，按全部项目统一计算）";
pub const DOMESTIC: &str = "财税〔2015〕119号（委托境内研发按实际发生额的 80% 计入委托方研发费用）";
pub const OVERSEAS: &str = "财税〔2018〕64号（委托境外研发按实际发生额的 80% 计入，不超过境内符合条件的研发费用的三分之二）";
pub const SPECIAL_INCOME: &str = "国家税务总局公告2017年第40号（下脚料、残次品、中间试制品等特殊收入从已归集研发费用中扣减，不足扣减的按零计算）";
pub const SUBSIDY: &str = "国家税务总局公告2015年第97号（作为不征税收入处理的财政性资金用于研发的部分，不得加计扣除或摊销）";
pub const AMORTIZATION: &str = "财税〔2015〕119号、财政部 税务总局公告2023年第7号（形成无形资产的，按无形资产成本的 (1 + 加计比例) 在税前摊销）";
