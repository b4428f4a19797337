//! Scenario Gatherings (场景汇): the event's life cycle, the two sides, meeting requests and
//! what came of a meeting.

use crate::values::vocabulary;
use crate::{FieldError, Label};

vocabulary! {
    /// open (registration) → closed → scheduled (the schedule is published).
    GatheringStatus, "gathering status", "活动状态" {
        Open = "open", "报名中", "Registration open";
        Closed = "closed", "报名截止", "Registration closed";
        Scheduled = "scheduled", "日程已发布", "Schedule published";
    }
}

vocabulary! {
    /// Which side of the docking a participant is on.
    Side, "side", "身份" {
        Demand = "demand", "需求方", "Demand side";
        Supply = "supply", "供给方", "Supply side";
    }
}

impl Side {
    pub fn other(self) -> Side {
        match self {
            Side::Demand => Side::Supply,
            Side::Supply => Side::Demand,
        }
    }
}

vocabulary! {
    /// A meeting request: pending until the other side answers.
    MeetingRequestStatus, "request status", "约见状态" {
        Pending = "pending", "待回复", "Pending";
        Accepted = "accepted", "已接受", "Accepted";
        Declined = "declined", "已拒绝", "Declined";
        Cancelled = "cancelled", "已取消", "Cancelled";
    }
}

vocabulary! {
    /// What came of a meeting, as each side records it, in pipeline order.
    MeetingOutcome, "outcome", "对接结果" {
        None = "none", "暂无", "None yet";
        FollowUp = "follow_up", "继续跟进", "Follow-up";
        Nda = "nda", "签署保密协议", "NDA";
        Pilot = "pilot", "开展中试/试点", "Pilot";
        Contract = "contract", "签约", "Contract";
    }
}
