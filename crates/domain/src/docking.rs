//! Docking (对接): one organisation asks another to work together on one of the other's
//! records (a scenario or an achievement), and the two move it from intention to a signed,
//! landed deal — or end it, saying why.

use crate::values::vocabulary;
use crate::{FieldError, Label};

vocabulary! {
    /// Where a docking stands: 意向 (or a broker's 引荐) → 洽谈 → 中试 / 签约 → 落地, or
    /// declined / ended.
    DockingStage, "docking stage", "对接阶段" {
        Requested = "requested", "意向", "Requested";
        Introduced = "introduced", "经纪人引荐", "Introduced";
        Negotiating = "negotiating", "洽谈", "Negotiating";
        Pilot = "pilot", "中试", "Pilot";
        Signed = "signed", "签约", "Signed";
        Landed = "landed", "落地", "Landed";
        Declined = "declined", "已婉拒", "Declined";
        Terminated = "terminated", "终止", "Terminated";
    }
}

impl DockingStage {
    /// The moves the life cycle allows. Only the receiver answers a request (accept → 洽谈,
    /// decline); the requester may withdraw it (终止); a broker's introduction becomes 洽谈 once
    /// both sides have accepted, is declined by either, or withdrawn by the broker; after that
    /// either party moves it on.
    pub fn can_become(self, to: DockingStage) -> bool {
        use DockingStage::*;
        matches!(
            (self, to),
            (Requested | Introduced, Negotiating | Declined | Terminated)
                | (Negotiating, Pilot | Signed | Terminated)
                | (Pilot, Signed | Terminated)
                | (Signed, Landed | Terminated)
        )
    }

    /// Still in progress (not landed, declined or ended).
    pub fn is_open(self) -> bool {
        use DockingStage::*;
        matches!(self, Requested | Introduced | Negotiating | Pilot | Signed)
    }

    /// Waiting for an answer (a request, or an introduction not yet accepted by both sides).
    pub fn awaits_answer(self) -> bool {
        matches!(self, DockingStage::Requested | DockingStage::Introduced)
    }

    /// The request was accepted: the parties see each other's contacts.
    pub fn accepted(self) -> bool {
        use DockingStage::*;
        matches!(self, Negotiating | Pilot | Signed | Landed)
    }

    /// Moving here needs a reason (declining or ending).
    pub fn needs_reason(self) -> bool {
        matches!(self, DockingStage::Declined | DockingStage::Terminated)
    }

    /// The stages either party may move an accepted docking to.
    pub fn next(self) -> Vec<DockingStage> {
        DockingStage::ALL
            .iter()
            .copied()
            .filter(|to| !self.awaits_answer() && self.can_become(*to))
            .collect()
    }
}

vocabulary! {
    /// What the requester wants from the docking.
    DockingWant, "what is wanted", "合作意向" {
        JointDevelopment = "joint_development", "合作开发", "Joint development";
        Licence = "licence", "技术许可", "Licence";
        Transfer = "transfer", "技术转让", "Transfer";
        Pilot = "pilot", "中试验证", "Pilot testing";
        Investment = "investment", "投资合作", "Investment";
        Service = "service", "技术服务", "Technical service";
        Other = "other", "其他", "Other";
    }
}

vocabulary! {
    /// What an inbox notice tells: a step of a docking, a contract or a verification.
    NoticeKind, "notice", "通知" {
        DockingRequested = "docking_requested", "收到对接请求", "Docking request received";
        DockingIntroduced = "docking_introduced", "技术经纪人引荐对接", "Introduced by a broker";
        DockingAccepted = "docking_accepted", "对接请求已被接受", "Docking request accepted";
        DockingSideAccepted = "docking_side_accepted", "对方已接受引荐", "The other side accepted the introduction";
        DockingDeclined = "docking_declined", "对接请求被婉拒", "Docking request declined";
        DockingMoved = "docking_moved", "对接阶段更新", "Docking moved on";
        DockingStaffInvited = "docking_staff_invited", "邀请项目主管查看对接沟通", "Programme officers invited to a docking's conversation";
        ContractRecorded = "contract_recorded", "技术合同待登记", "Contract awaiting registration";
        ContractRegistered = "contract_registered", "技术合同已登记", "Contract registered";
        ContractRefused = "contract_refused", "技术合同未予登记", "Contract refused";
        VerificationAsked = "verification_asked", "单位申请认证", "Organisation asks to be verified";
        OrgVerified = "org_verified", "单位已通过认证", "Organisation verified";
        OrgRefused = "org_refused", "单位认证未通过", "Organisation not verified";
        ReviewAssigned = "review_assigned", "新的评审任务", "New review to do";
    }
}

/// Days without any move or message after which an open docking is listed as stalled.
pub const STALLED_DAYS: i64 = 30;

#[cfg(test)]
mod tests {
    use super::DockingStage::*;
    use super::*;

    #[test]
    fn the_life_cycle_goes_forward_or_ends() {
        assert!(Requested.can_become(Negotiating));
        assert!(Requested.can_become(Declined));
        assert!(!Requested.can_become(Signed));
        assert!(!Declined.can_become(Negotiating));
        assert!(!Landed.can_become(Terminated));
        assert!(Signed.can_become(Landed));
        assert_eq!(Negotiating.next(), vec![Pilot, Signed, Terminated]);
        assert!(Requested.next().is_empty(), "answering is not a move");
        assert!(Introduced.next().is_empty() && Introduced.is_open());
        assert!(Introduced.can_become(Negotiating) && !Introduced.can_become(Signed));
        assert!(!Introduced.accepted() && Introduced.awaits_answer());
        assert!(Landed.next().is_empty() && !Landed.is_open() && Landed.accepted());
        assert!(!Requested.accepted() && Requested.is_open());
        assert!(Terminated.needs_reason() && !Pilot.needs_reason());
        assert_eq!(
            DockingStage::try_from("pilot".to_string()),
            Ok(DockingStage::Pilot)
        );
        assert!(DockingStage::try_from("bogus".to_string()).is_err());
    }
}
