//! From prototype to product: pilot-testing platforms and their services, service requests,
//! one-stop support cases, funds and their decisions on projects.

use crate::values::vocabulary;
use crate::{FieldError, Label};

vocabulary! {
    /// What a pilot-testing or concept-verification platform is.
    PlatformKind, "platform kind", "平台类型" {
        Pilot = "pilot", "中试熟化平台", "Pilot scale-up platform";
        Concept = "concept", "概念验证中心", "Concept-verification centre";
    }
}

vocabulary! {
    /// What a platform's service does.
    ServiceKind, "service kind", "服务类型" {
        ScaleUp = "scale_up", "中试放大", "Scale-up";
        Inspection = "inspection", "检验检测", "Inspection and testing";
        Concept = "concept", "概念验证", "Concept verification";
        Certification = "certification", "认证", "Certification";
    }
}

vocabulary! {
    /// A service request: requested → scheduled → done, or declined / cancelled.
    RequestStatus, "request status", "申请状态" {
        Requested = "requested", "待排期", "Requested";
        Scheduled = "scheduled", "已排期", "Scheduled";
        Done = "done", "已完成", "Done";
        Declined = "declined", "已拒绝", "Declined";
        Cancelled = "cancelled", "已取消", "Cancelled";
    }
}

impl RequestStatus {
    /// Whether the request's days are taken on the platform's calendar.
    pub fn takes_capacity(self) -> bool {
        matches!(self, RequestStatus::Scheduled | RequestStatus::Done)
    }
}

vocabulary! {
    /// Where a one-stop case stands on the way from prototype to product.
    CaseStage, "stage", "阶段" {
        Prototype = "prototype", "样机", "Prototype";
        Pilot = "pilot", "中试", "Pilot";
        SmallBatch = "small_batch", "小批量", "Small batch";
        Product = "product", "产品", "Product";
    }
}

vocabulary! {
    /// The services a one-stop case strings together: pilot testing + R&D + fund + insurance +
    /// incubation.
    StepKind, "step kind", "环节" {
        Pilot = "pilot", "中试", "Pilot testing";
        Rnd = "rnd", "二次研发", "Further R&D";
        Fund = "fund", "基金", "Fund";
        Insurance = "insurance", "保险", "Insurance";
        Incubation = "incubation", "孵化空间", "Incubation space";
        Other = "other", "其他", "Other";
    }
}

vocabulary! {
    /// A case step's progress.
    StepStatus, "step status", "环节状态" {
        Todo = "todo", "待办", "To do";
        Doing = "doing", "进行中", "Doing";
        Done = "done", "完成", "Done";
        Blocked = "blocked", "受阻", "Blocked";
    }
}

vocabulary! {
    /// Kinds of fund.
    FundKind, "fund kind", "基金类型" {
        Guidance = "guidance", "政府引导基金", "Government guidance fund";
        Venture = "venture", "创业投资基金", "Venture fund";
        Angel = "angel", "天使投资基金", "Angel fund";
        Industry = "industry", "产业投资基金", "Industry fund";
    }
}

vocabulary! {
    /// The stage of a company or project a fund invests in.
    FundStage, "investment stage", "投资阶段" {
        Seed = "seed", "种子期", "Seed";
        Early = "early", "初创期", "Early";
        Growth = "growth", "成长期", "Growth";
        Mature = "mature", "成熟期", "Mature";
    }
}

vocabulary! {
    /// A fund's decision on a project: interest → due diligence → invested, or declined.
    DealStatus, "deal status", "投资进展" {
        Interest = "interest", "有意向", "Interested";
        DueDiligence = "due_diligence", "尽职调查", "Due diligence";
        Invested = "invested", "已投资", "Invested";
        Declined = "declined", "已放弃", "Declined";
    }
}

vocabulary! {
    /// What an officer records as an outcome of the platform's work.
    OutcomeKind, "outcome kind", "成效类型" {
        Company = "company", "企业落户", "Company rooted";
        Project = "project", "产业项目", "Industrial project";
    }
}
