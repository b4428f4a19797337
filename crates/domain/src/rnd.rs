//! R&D expense super-deduction (研发费用加计扣除): the vocabularies of an enterprise's records.
//! The rules themselves are in the pure `duijie-rnd` engine.

use crate::values::vocabulary;
use crate::{FieldError, Label};

vocabulary! {
    /// The kinds of enterprise the additional-deduction rate depends on.
    EnterpriseKind, "kind of enterprise", "企业类型" {
        General = "general", "一般企业", "General";
        Manufacturing = "manufacturing", "制造业企业", "Manufacturing";
        SciTechSme = "sci_tech_sme", "科技型中小企业", "Technology-based SME";
        IntegratedCircuit = "integrated_circuit", "集成电路企业", "Integrated circuits";
        MotherMachine = "mother_machine", "工业母机企业", "Industrial mother machines";
    }
}

vocabulary! {
    /// A shared resource whose cost is split by recorded hours.
    ResourceKind, "resource kind", "资源类型" {
        Staff = "staff", "人员", "Staff";
        Equipment = "equipment", "设备", "Equipment";
    }
}

vocabulary! {
    /// The six categories of R&D expense.
    CostCategory, "cost category", "费用类别" {
        Personnel = "personnel", "人员人工费用", "Personnel";
        DirectInputs = "direct_inputs", "直接投入费用", "Direct inputs";
        Depreciation = "depreciation", "折旧费用", "Depreciation";
        IntangibleAmortization = "intangible_amortization", "无形资产摊销", "Intangible amortisation";
        Design = "design", "新产品设计费等", "Design";
        Other = "other", "其他相关费用", "Other related";
    }
}

vocabulary! {
    /// Whether a project is open to officers and experts for an opinion.
    ReviewStatus, "review status", "评议状态" {
        Draft = "draft", "未开放", "Not open";
        Requested = "requested", "征求意见中", "Open for opinions";
    }
}

vocabulary! {
    /// Pre-identification's verdict, and an expert's opinion of a project.
    Verdict, "verdict", "结论" {
        Likely = "likely", "可能属于研发活动", "Likely R&D";
        Doubtful = "doubtful", "存疑，需补充资料", "Doubtful: more evidence needed";
        Not = "not", "不属于研发活动", "Not R&D";
    }
}
