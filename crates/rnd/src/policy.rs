//! The policy texts the rules come from: our own short summaries of each announcement (not the
//! official wording), with its number, so that every figure and verdict can link to its source
//! and users can search the rules. `key` is the part of the number that clause strings quote.

use serde::Serialize;

#[derive(Clone, Copy, Debug, Serialize)]
pub struct Policy {
    /// Stable anchor for links, e.g. `caishui-2015-119`.
    pub id: &'static str,
    /// The announcement's number as clause strings quote it.
    pub key: &'static str,
    pub number: &'static str,
    pub title_zh: &'static str,
    pub title_en: &'static str,
    /// Years the rule applies to, as text ("2015–", "2023–2027").
    pub applies: &'static str,
    pub summary_zh: &'static str,
    pub summary_en: &'static str,
}

pub const POLICIES: &[Policy] = &[
    Policy {
        id: "caishui-2015-119",
        key: "财税〔2015〕119号",
        number: "财税〔2015〕119号",
        title_zh: "关于完善研究开发费用税前加计扣除政策的通知",
        title_en: "Improving the pre-tax additional deduction of R&D expenses",
        applies: "2016–",
        summary_zh: "定义研发活动：为获得科学与技术新知识、创造性运用新知识或实质性改进技术、产品（服务）、工艺而持续进行的具有明确目标的系统性活动。列出可加计扣除的费用范围：人员人工费用、直接投入费用、折旧费用、无形资产摊销、新产品设计费等、其他相关费用（总额不超过可加计扣除研发费用总额的10%），委托研发按实际发生额的80%计入委托方。列出不适用加计扣除的七类活动：产品（服务）的常规性升级；对某项科研成果的直接应用；商品化后为顾客提供的技术支持；对现存产品、服务、技术、材料或工艺流程的重复或简单改变；市场调查研究、效率调查或管理研究；工业（服务）流程环节或常规的质量控制、测试分析、维修维护；社会科学、艺术或人文学方面的研究。列出不适用的行业：烟草制造业、住宿和餐饮业、批发和零售业、房地产业、租赁和商务服务业、娱乐业。费用化的按实际发生额的50%加计扣除，形成无形资产的按成本的150%摊销。企业应对研发费用单独核算、设置辅助账。",
        summary_en: "Defines R&D as a systematic activity with a clear goal to gain new knowledge, apply it creatively or substantially improve technology, products or processes. Lists the deductible costs (personnel, direct inputs, depreciation, amortisation of intangibles, new-product design, other related expenses capped at 10%), commissioned R&D at 80% of what was paid, seven activities that are not R&D (routine upgrades, direct application of results, after-sales support, repeated or simple changes, market and management studies, routine quality control and maintenance, social sciences and arts) and the excluded industries (tobacco, accommodation and catering, wholesale and retail, real estate, leasing and business services, entertainment). Rate 50% (150% amortisation). R&D costs must be accounted for separately with an auxiliary ledger.",
    },
    Policy {
        id: "sta-2015-97",
        key: "2015年第97号",
        number: "国家税务总局公告2015年第97号",
        title_zh: "关于企业研究开发费用税前加计扣除政策有关问题的公告",
        title_en: "Questions on the pre-tax additional deduction of R&D expenses",
        applies: "2016–",
        summary_zh: "明确负面清单行业的判定：以《国民经济行业分类》为准，按当年主营业务收入占收入总额减除不征税收入和投资收益的余额50%（不含）以上确定。作为不征税收入处理的财政性资金用于研发活动所形成的费用或无形资产，不得计算加计扣除或摊销。规定研发费用辅助账和资料留存要求。",
        summary_en: "An enterprise is in an excluded industry when that industry's main-business income is over 50% of total income less non-taxable income and investment income. Costs or intangibles funded by government money treated as non-taxable income may not be deducted additionally or amortised. Sets the auxiliary-ledger and record-keeping requirements.",
    },
    Policy {
        id: "sta-2017-40",
        key: "2017年第40号",
        number: "国家税务总局公告2017年第40号",
        title_zh: "关于研发费用税前加计扣除归集范围有关问题的公告",
        title_en: "The scope of R&D costs collected for the additional deduction",
        applies: "2017–",
        summary_zh: "直接从事研发活动的人员和用于研发活动的仪器、设备同时用于非研发活动的，应对其实际工时等使用情况做必要记录，并将实际发生的相关费用按实际工时占比等合理方法在研发费用和生产经营费用间分配，未分配的不得加计扣除。研发活动直接形成产品或作为组成部分形成的产品对外销售的，研发费用中对应的材料费用不得加计扣除。取得研发过程中形成的下脚料、残次品、中间试制品等特殊收入，在计算加计扣除时从已归集研发费用中扣减，不足扣减的，允许加计扣除的研发费用按零计算。",
        summary_en: "Staff and equipment used for both R&D and other work must have their hours recorded; their costs are split between R&D and production by actual hours or another reasonable method, and what is not allocated is not deductible. When products formed directly by R&D are sold, the corresponding materials are not deductible. Special income from scrap, defective goods and intermediate test products is deducted from the collected R&D costs, not below zero.",
    },
    Policy {
        id: "caishui-2017-34",
        key: "财税〔2017〕34号",
        number: "财税〔2017〕34号",
        title_zh: "关于提高科技型中小企业研究开发费用税前加计扣除比例的通知",
        title_en: "Higher rate for technology-based SMEs",
        applies: "2017–2019",
        summary_zh: "科技型中小企业开展研发活动中实际发生的研发费用，在2017年1月1日至2019年12月31日期间，再按实际发生额的75%在税前加计扣除；形成无形资产的，按成本的175%摊销。",
        summary_en: "Technology-based SMEs deduct an additional 75% of R&D costs in 2017–2019 (175% amortisation for intangibles).",
    },
    Policy {
        id: "caishui-2018-64",
        key: "财税〔2018〕64号",
        number: "财税〔2018〕64号",
        title_zh: "关于企业委托境外研究开发费用税前加计扣除有关政策问题的通知",
        title_en: "R&D commissioned overseas",
        applies: "2018–",
        summary_zh: "委托境外进行研发活动所发生的费用，按照费用实际发生额的80%计入委托方的委托境外研发费用。委托境外研发费用不超过境内符合条件的研发费用三分之二的部分，可以按规定在企业所得税前加计扣除。委托境外个人的不适用。",
        summary_en: "Overseas commissioned R&D counts at 80% of what was paid, and may be deducted additionally up to two-thirds of the domestic eligible R&D costs. Not for R&D commissioned from individuals abroad.",
    },
    Policy {
        id: "caishui-2018-99",
        key: "财税〔2018〕99号",
        number: "财税〔2018〕99号",
        title_zh: "关于提高研究开发费用税前加计扣除比例的通知",
        title_en: "Raising the additional-deduction rate to 75%",
        applies: "2018–2020",
        summary_zh: "2018年1月1日至2020年12月31日期间，未形成无形资产计入当期损益的，在按规定据实扣除的基础上，再按实际发生额的75%在税前加计扣除；形成无形资产的，按照无形资产成本的175%在税前摊销。",
        summary_en: "From 2018 to 2020 all eligible enterprises deduct an additional 75% of expensed R&D costs; intangibles are amortised at 175% of cost.",
    },
    Policy {
        id: "mof-2021-6",
        key: "2021年第6号",
        number: "财政部 税务总局公告2021年第6号",
        title_zh: "关于延长部分税收优惠政策执行期限的公告",
        title_en: "Extending tax incentives",
        applies: "2021–2023",
        summary_zh: "将财税〔2018〕99号规定的75%加计扣除政策执行期限延长至2023年12月31日。",
        summary_en: "Extends the 75% rate of 财税〔2018〕99号 to the end of 2023.",
    },
    Policy {
        id: "mof-2021-13",
        key: "2021年第13号",
        number: "财政部 税务总局公告2021年第13号",
        title_zh: "关于进一步完善研发费用税前加计扣除政策的公告",
        title_en: "Manufacturing enterprises at 100%",
        applies: "2021–2022",
        summary_zh: "制造业企业开展研发活动中实际发生的研发费用，自2021年1月1日起，未形成无形资产的再按实际发生额的100%加计扣除；形成无形资产的按成本的200%摊销。制造业企业指以制造业业务为主营业务、主营业务收入占收入总额的比例达到50%以上的企业。",
        summary_en: "From 2021 manufacturing enterprises (manufacturing income at least 50% of total income) deduct an additional 100% of expensed R&D costs and amortise intangibles at 200%.",
    },
    Policy {
        id: "sta-2021-28",
        key: "2021年第28号",
        number: "国家税务总局公告2021年第28号",
        title_zh: "关于进一步落实研发费用加计扣除政策有关问题的公告",
        title_en: "Further implementing the R&D additional deduction",
        applies: "2021–",
        summary_zh: "其他相关费用限额按全部研发项目统一计算：限额 = 全部研发项目的人员人工等五项费用之和 × 10% ÷ (1 − 10%)，当其他相关费用实际发生数小于限额时按实际发生数计算税前加计扣除额，大于限额时按限额计算。明确企业在一个纳税年度内同时开展多项研发活动的，不再分项目计算限额。另规定研发人员的职工福利费、补充养老保险费、补充医疗保险费可计入其他相关费用。",
        summary_en: "The cap on other related expenses is computed over all R&D projects together: cap = the five categories of all projects × 10% ÷ (1 − 10%); the smaller of the actual amount and the cap is deducted. Welfare and supplementary pension and medical insurance of R&D staff count as other related expenses.",
    },
    Policy {
        id: "mof-2022-16",
        key: "2022年第16号",
        number: "财政部 税务总局 科技部公告2022年第16号",
        title_zh: "关于进一步提高科技型中小企业研发费用税前加计扣除比例的公告",
        title_en: "Technology-based SMEs at 100%",
        applies: "2022–",
        summary_zh: "科技型中小企业开展研发活动中实际发生的研发费用，自2022年1月1日起，未形成无形资产的再按实际发生额的100%加计扣除；形成无形资产的按成本的200%摊销。",
        summary_en: "From 2022 technology-based SMEs deduct an additional 100% (200% amortisation).",
    },
    Policy {
        id: "mof-2022-28",
        key: "2022年第28号",
        number: "财政部 税务总局 科技部公告2022年第28号",
        title_zh: "关于加大支持科技创新税前扣除力度的公告",
        title_en: "Stronger support for innovation in the fourth quarter of 2022",
        applies: "2022 Q4",
        summary_zh: "2022年10月1日至12月31日期间，现行适用75%加计扣除比例的企业，在此期间发生的研发费用按100%加计扣除。第四季度的研发费用可按实际发生额计算，也可按全年研发费用乘以月份比例（3/12）计算；本平台未填写实际发生额时按月份比例计算。",
        summary_en: "R&D costs incurred from 1 October to 31 December 2022 by enterprises at 75% are deducted at 100%. The quarter's costs are taken as incurred or as the year's × 3/12 (the months method); duijie uses the months method unless the amount incurred is given.",
    },
    Policy {
        id: "mof-2023-7",
        key: "2023年第7号",
        number: "财政部 税务总局公告2023年第7号",
        title_zh: "关于进一步完善研发费用税前加计扣除政策的公告",
        title_en: "100% for all eligible enterprises from 2023",
        applies: "2023–",
        summary_zh: "企业开展研发活动中实际发生的研发费用，未形成无形资产计入当期损益的，自2023年1月1日起，再按照实际发生额的100%在税前加计扣除；形成无形资产的，按照无形资产成本的200%在税前摊销。不适用负面清单行业。",
        summary_en: "From 2023 every eligible enterprise deducts an additional 100% of expensed R&D costs and amortises intangibles at 200% of cost; the excluded industries stay excluded.",
    },
    Policy {
        id: "mof-2023-44",
        key: "2023年第44号",
        number: "财政部 税务总局 国家发展改革委 工业和信息化部公告2023年第44号",
        title_zh: "关于提高集成电路和工业母机企业研发费用加计扣除比例的公告",
        title_en: "Integrated-circuit and industrial mother-machine enterprises at 120%",
        applies: "2023–2027",
        summary_zh: "集成电路企业和工业母机企业开展研发活动中实际发生的研发费用，在2023年1月1日至2027年12月31日期间，未形成无形资产的再按实际发生额的120%加计扣除；形成无形资产的按成本的220%摊销。企业名单按规定程序确定。",
        summary_en: "Integrated-circuit and industrial mother-machine enterprises (on the lists drawn up under the announcement) deduct an additional 120% in 2023–2027, amortising intangibles at 220%.",
    },
    Policy {
        id: "sta-guide",
        key: "执行指引",
        number: "国家税务总局《研发费用加计扣除政策执行指引》",
        title_zh: "研发费用加计扣除政策执行指引",
        title_en: "Implementation guide to the R&D additional deduction",
        applies: "2021–",
        summary_zh: "汇总政策口径和申报流程：研发项目应有立项决议、项目计划和预算、研发人员名单、试验记录和测试报告等留存备查资料；研发项目鉴定中常见的不予认定情形包括没有量化的研发目标、没有试验或测试记录、研发过程资料缺失、项目在完成后补立项等；享受优惠时填报研发支出辅助账汇总表和《研发费用加计扣除优惠明细表》（A107012）。",
        summary_en: "Collects the rules and the filing steps: projects should keep an approval decision, plan and budget, team list, test records and reports; appraisals commonly fail for lack of quantified targets or test records, missing process records, or approval dated after completion; the auxiliary-ledger summary and form A107012 are filed with the return.",
    },
];

/// The policies a clause string cites, in the order of `POLICIES`.
pub fn cited(clause: &str) -> Vec<&'static Policy> {
    POLICIES.iter().filter(|p| clause.contains(p.key)).collect()
}
