//! Challenge lists (揭榜挂帅, 赛马): the life cycle of a challenge and of an application to it.

use crate::values::vocabulary;
use crate::{FieldError, Label};

vocabulary! {
    /// draft → review → published → closed → reviewing → awarded → executing → accepted | failed.
    ChallengeStatus, "challenge status", "榜单状态" {
        Draft = "draft", "草稿", "Draft";
        Review = "review", "待审核", "Under review";
        Published = "published", "揭榜中", "Open for applications";
        Closed = "closed", "申报截止", "Applications closed";
        Reviewing = "reviewing", "专家评审中", "Expert review";
        Awarded = "awarded", "已定榜", "Awarded";
        Executing = "executing", "攻关中", "In execution";
        Accepted = "accepted", "已验收", "Accepted";
        Failed = "failed", "未通过验收", "Failed";
    }
}

impl ChallengeStatus {
    /// Whether people outside the posing organisation and staff see it.
    pub fn is_public(self) -> bool {
        !matches!(self, ChallengeStatus::Draft | ChallengeStatus::Review)
    }

    /// The moves the life cycle allows (reviewer assignment at later milestones keeps a racing
    /// challenge in execution, so `Executing → Executing` is a move too).
    pub fn can_become(self, to: ChallengeStatus) -> bool {
        use ChallengeStatus::*;
        matches!(
            (self, to),
            (Draft, Review)
                | (Review, Published)
                | (Review, Draft)
                | (Published, Closed)
                | (Closed, Reviewing)
                | (Reviewing, Awarded)
                | (Awarded, Executing)
                | (Executing, Executing)
                | (Executing, Accepted)
                | (Executing, Failed)
        )
    }
}

vocabulary! {
    /// How a challenge picks its teams.
    ChallengeMode, "challenge mode", "方式" {
        Unveil = "unveil", "揭榜挂帅", "Unveil the list";
        Race = "race", "赛马", "Horse racing";
    }
}

vocabulary! {
    /// An application to a challenge: submitted, then awarded (or racing, in horse racing) or
    /// not selected; racing teams are dropped or completed at milestones.
    ApplicationStatus, "application status", "申报状态" {
        Submitted = "submitted", "已申报", "Submitted";
        Awarded = "awarded", "中榜", "Awarded";
        Racing = "racing", "赛马中", "Racing";
        Rejected = "rejected", "未中榜", "Not selected";
        Dropped = "dropped", "已淘汰", "Dropped";
        Completed = "completed", "已完成", "Completed";
    }
}

/// A step an officer or the posing organisation takes on a challenge's life cycle.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ChallengeStep {
    /// The posing organisation submits its draft for review.
    Submit,
    Publish,
    /// Back to the posing organisation as a draft.
    Return,
    /// Applications closed.
    Close,
    Execute,
    Accept,
    Fail,
}

impl ChallengeStep {
    pub fn from_code(code: &str) -> Option<ChallengeStep> {
        use ChallengeStep::*;
        Some(match code {
            "submit" => Submit,
            "publish" => Publish,
            "return" => Return,
            "close" => Close,
            "execute" => Execute,
            "accept" => Accept,
            "fail" => Fail,
            _ => return None,
        })
    }

    /// From which status to which.
    pub fn moves(self) -> (ChallengeStatus, ChallengeStatus) {
        use ChallengeStatus as S;
        use ChallengeStep::*;
        match self {
            Submit => (S::Draft, S::Review),
            Publish => (S::Review, S::Published),
            Return => (S::Review, S::Draft),
            Close => (S::Published, S::Closed),
            Execute => (S::Awarded, S::Executing),
            Accept => (S::Executing, S::Accepted),
            Fail => (S::Executing, S::Failed),
        }
    }

    /// Only submitting is the posing organisation's step; every other is staff's.
    pub fn by_owner(self) -> bool {
        self == ChallengeStep::Submit
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_step_is_a_move_the_life_cycle_allows() {
        for code in [
            "submit", "publish", "return", "close", "execute", "accept", "fail",
        ] {
            let step = ChallengeStep::from_code(code).expect(code);
            let (from, to) = step.moves();
            assert!(from.can_become(to), "{code}: {from:?} → {to:?}");
        }
        assert!(!ChallengeStatus::Published.can_become(ChallengeStatus::Awarded));
        assert_eq!(
            ChallengeStatus::try_from("reviewing".to_string()),
            Ok(ChallengeStatus::Reviewing)
        );
        assert!(ChallengeStatus::try_from("nonsense".to_string()).is_err());
        assert!(!ChallengeStatus::Review.is_public() && ChallengeStatus::Closed.is_public());
    }
}
