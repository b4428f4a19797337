//! What the rules read about an enterprise: its profile (kept by the enterprise) and its
//! figures by year. Every fact is optional: a missing one makes the conditions that need it
//! "unknown" and names it, never a guess.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// The enterprise's main industry, as far as the rules tell industries apart: the six the R&D
/// super-deduction excludes (财税〔2015〕119号, judged by main-business income per 国家税务总局公告
/// 2015年第97号), manufacturing (its own rates in some years), and everything else.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Industry {
    Manufacturing,
    SoftwareIt,
    ResearchServices,
    Agriculture,
    Construction,
    Energy,
    Transport,
    Tobacco,
    AccommodationCatering,
    WholesaleRetail,
    RealEstate,
    LeasingBusinessServices,
    Entertainment,
    Other,
}

impl Industry {
    pub const ALL: [Industry; 14] = [
        Industry::Manufacturing,
        Industry::SoftwareIt,
        Industry::ResearchServices,
        Industry::Agriculture,
        Industry::Construction,
        Industry::Energy,
        Industry::Transport,
        Industry::Tobacco,
        Industry::AccommodationCatering,
        Industry::WholesaleRetail,
        Industry::RealEstate,
        Industry::LeasingBusinessServices,
        Industry::Entertainment,
        Industry::Other,
    ];

    pub fn code(self) -> &'static str {
        match self {
            Industry::Manufacturing => "manufacturing",
            Industry::SoftwareIt => "software_it",
            Industry::ResearchServices => "research_services",
            Industry::Agriculture => "agriculture",
            Industry::Construction => "construction",
            Industry::Energy => "energy",
            Industry::Transport => "transport",
            Industry::Tobacco => "tobacco",
            Industry::AccommodationCatering => "accommodation_catering",
            Industry::WholesaleRetail => "wholesale_retail",
            Industry::RealEstate => "real_estate",
            Industry::LeasingBusinessServices => "leasing_business_services",
            Industry::Entertainment => "entertainment",
            Industry::Other => "other",
        }
    }

    pub fn parse(code: &str) -> Option<Industry> {
        Industry::ALL.into_iter().find(|i| i.code() == code)
    }

    /// The industry's name in Chinese and English.
    pub fn label(self) -> (&'static str, &'static str) {
        match self {
            Industry::Manufacturing => ("制造业", "manufacturing"),
            Industry::SoftwareIt => (
                "软件和信息技术服务业",
                "software and information technology services",
            ),
            Industry::ResearchServices => (
                "科学研究和技术服务业",
                "scientific research and technical services",
            ),
            Industry::Agriculture => ("农、林、牧、渔业", "agriculture, forestry and fishing"),
            Industry::Construction => ("建筑业", "construction"),
            Industry::Energy => (
                "电力、热力、燃气及水生产和供应业",
                "energy and water supply",
            ),
            Industry::Transport => ("交通运输、仓储和邮政业", "transport, storage and post"),
            Industry::Tobacco => ("烟草制品业", "tobacco manufacturing"),
            Industry::AccommodationCatering => ("住宿和餐饮业", "accommodation and catering"),
            Industry::WholesaleRetail => ("批发和零售业", "wholesale and retail"),
            Industry::RealEstate => ("房地产业", "real estate"),
            Industry::LeasingBusinessServices => {
                ("租赁和商务服务业", "leasing and business services")
            }
            Industry::Entertainment => ("娱乐业", "entertainment"),
            Industry::Other => ("其他行业", "another industry"),
        }
    }

    /// Excluded from the R&D super-deduction (财税〔2015〕119号 第四条).
    pub fn excluded_from_deduction(self) -> bool {
        matches!(
            self,
            Industry::Tobacco
                | Industry::AccommodationCatering
                | Industry::WholesaleRetail
                | Industry::RealEstate
                | Industry::LeasingBusinessServices
                | Industry::Entertainment
        )
    }
}

/// An enterprise's figures for one accounting year. Money in fen.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Year {
    pub year: i32,
    /// 职工总数: employees, part-time and temporary staff working six months or more.
    pub staff: Option<i64>,
    /// 科技人员: staff in R&D and related technical innovation, and those managing or serving it.
    pub tech_staff: Option<i64>,
    /// 销售收入 (主营业务收入与其他业务收入之和).
    pub revenue: Option<i64>,
    /// 收入总额 (the high-tech recognition's "总收入").
    pub total_income: Option<i64>,
    /// 资产总额 at the year's end.
    pub assets: Option<i64>,
    /// 成本费用支出总额.
    pub total_cost: Option<i64>,
    /// 研究开发费用总额.
    pub rnd: Option<i64>,
    /// Of which spent in China (境内).
    pub rnd_domestic: Option<i64>,
    /// 高新技术产品（服务）收入.
    pub hightech_revenue: Option<i64>,
}

/// What the enterprise says of itself.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Profile {
    /// Date of registration (成立日期).
    pub founded_on: Option<NaiveDate>,
    pub industry: Option<Industry>,
    /// The technology that supports its main products lies in 《国家重点支持的高新技术领域》.
    pub hightech_field: Option<bool>,
    /// No major safety or quality accident, serious environmental violation or serious research
    /// misconduct in the year before and this year; not on the abnormal-operation or seriously
    /// dishonest lists; products not prohibited, restricted or to be eliminated.
    pub clean_record: Option<bool>,
    /// Its high and new technology enterprise certificate is valid until this day.
    pub hightech_certificate_until: Option<NaiveDate>,
    /// A national science and technology award in the last five years, among the first three.
    pub national_award: Option<bool>,
    /// A recognised R&D institution at provincial or ministerial level or above.
    pub provincial_rnd_institution: Option<bool>,
    /// Led an international, national or industry standard in the last five years.
    pub led_standard: Option<bool>,
    /// Valid class I intellectual property related to the main products (invention patents,
    /// new plant varieties, national new drugs, class-one protected Chinese medicines,
    /// integrated-circuit layout designs).
    pub ip_class1: Option<i64>,
    /// Valid class II intellectual property (utility models, designs, software copyrights).
    pub ip_class2: Option<i64>,
    /// The enterprise's own estimate of the innovation-capacity score (0–100) of the
    /// high-tech recognition, which experts give.
    pub innovation_score: Option<i64>,
    /// Files its tax on audited accounts (查账征收) with sound bookkeeping.
    pub audited_accounts: Option<bool>,
    /// Figures by year, any order.
    pub years: Vec<Year>,
}

impl Profile {
    /// The figures of `year`, if recorded.
    pub fn year(&self, year: i32) -> Option<&Year> {
        self.years.iter().find(|y| y.year == year)
    }

    /// The latest year with figures.
    pub fn latest(&self) -> Option<&Year> {
        self.years.iter().max_by_key(|y| y.year)
    }
}
