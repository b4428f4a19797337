//! Docking (对接): one organisation asks another to work together on one of the other's
//! records (a scenario or an achievement), and the two move it from intention to a signed,
//! landed deal — or end it, saying why.

use crate::values::vocabulary;
use crate::{FieldError, Label};

vocabulary! {
    /// Where a docking stands: 意向 → 洽谈 → 中试 / 签约 → 落地, or declined / ended.
    DockingStage, "docking stage", "对接阶段" {
        Requested = "requested", "意向", "Requested";
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
    /// decline); the requester may withdraw it (终止); after that either party moves it on.
    pub fn can_become(self, to: DockingStage) -> bool {
        use DockingStage::*;
        matches!(
            (self, to),
            (Requested, Negotiating | Declined | Terminated)
                | (Negotiating, Pilot | Signed | Terminated)
                | (Pilot, Signed | Terminated)
                | (Signed, Landed | Terminated)
        )
    }

    /// Still in progress (not landed, declined or ended).
    pub fn is_open(self) -> bool {
        use DockingStage::*;
        matches!(self, Requested | Negotiating | Pilot | Signed)
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
            .filter(|to| self != DockingStage::Requested && self.can_become(*to))
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
