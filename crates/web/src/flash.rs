//! What an action did, said on the page it leads to: a form posts, the handler redirects with
//! `?ok=<code>`, and the layout shows the code's sentence in the reader's language. Codes are a
//! closed list, so an address cannot make the page say anything else.

/// The sentence of a flash code, `(Chinese, English)`.
pub fn message(code: &str) -> Option<(&'static str, &'static str)> {
    Some(match code {
        // Accounts.
        "token_revoked" => (
            "令牌已撤销，使用它的请求将被拒绝。",
            "The token is revoked: requests with it are refused.",
        ),
        // Challenges.
        "challenge_posted" => (
            "榜单已保存为草稿，提交审核后由项目主管发榜。",
            "The challenge is saved as a draft; submit it for review and an officer publishes it.",
        ),
        "challenge_submitted" => (
            "已提交审核，项目主管审核通过后发榜。",
            "Submitted for review; an officer publishes it once approved.",
        ),
        "challenge_published" => (
            "榜单已发布，开始接受申报。",
            "Published: applications are open.",
        ),
        "challenge_returned" => ("已退回发榜单位修改。", "Returned to the poser for changes."),
        "challenge_closed" => (
            "已截止申报，可以分配评审专家。",
            "Applications are closed; reviewers can be assigned.",
        ),
        "challenge_executing" => (
            "已进入执行阶段。",
            "The challenge is now being carried out.",
        ),
        "challenge_status" => ("榜单状态已更新。", "The challenge's status is updated."),
        "terms_accepted" => (
            "已接受保密条款，可以查看保密信息。",
            "Terms accepted: the confidential details are shown.",
        ),
        "applied" => (
            "申报已提交，评审结果会在此页面和消息中告知。",
            "Application sent; the result is told here and in your inbox.",
        ),
        "assigned" => (
            "评审专家已分配（已回避利益冲突），专家已收到通知。",
            "Reviewers assigned (conflicts excluded); they have been told.",
        ),
        "reviewed" => ("评分已提交。", "Scores submitted."),
        "conflict_declared" => (
            "已申报利益冲突，您不再评审该申报。",
            "Conflict declared: you no longer review this application.",
        ),
        "decided" => (
            "中榜决定已记录，各团队已可查看结果。",
            "The decision is recorded; every team can see its result.",
        ),
        "milestone_recorded" => (
            "里程碑考核结果已记录。",
            "The milestone review is recorded.",
        ),
        // Gatherings.
        "gathering_created" => ("场景汇已创建。", "The gathering is created."),
        "registered" => ("报名成功。", "Registered."),
        "availability_saved" => ("可洽谈时间已保存。", "Availability saved."),
        "meeting_requested" => (
            "洽谈申请已发出，等待对方答复。",
            "Meeting request sent; waiting for the answer.",
        ),
        "request_answered" => ("已答复洽谈申请。", "The meeting request is answered."),
        "scheduled" => (
            "日程已排定，参会人可查看个人日程。",
            "Scheduled: participants can see their agendas.",
        ),
        "gathering_status" => ("场景汇状态已更新。", "The gathering's status is updated."),
        "lock_changed" => (
            "已更新锁定状态；重新排定时锁定的洽谈保持不变。",
            "Lock updated; locked meetings stay when rescheduling.",
        ),
        "outcome_saved" => ("洽谈结果已保存。", "Meeting outcome saved."),
        // Platforms and cases.
        "platform_created" => ("平台已登记。", "The platform is registered."),
        "platform_saved" => ("已保存。", "Saved."),
        "service_added" => ("服务已添加。", "Service added."),
        "capacity_set" => ("当日产能已调整。", "That day's capacity is set."),
        "service_requested" => (
            "服务申请已提交，平台排期后会告知开始日期。",
            "Request sent; the platform tells you the start day once it is scheduled.",
        ),
        "service_scheduled" => (
            "已排期，申请单位可看到开始和结束日期。",
            "Scheduled; the requester sees the start and end days.",
        ),
        "service_declined" => (
            "已拒绝该申请，理由已告知申请单位。",
            "Declined; the requester sees the reason.",
        ),
        "service_done" => ("服务结果已记录。", "The result is recorded."),
        "service_cancelled" => ("申请已取消。", "The request is cancelled."),
        "case_created" => ("一站式服务事项已创建。", "The case is opened."),
        "case_saved" => ("服务事项已更新。", "The case is updated."),
        // Funds, chains, outcomes, R&D.
        "fund_saved" => ("已保存。", "Saved."),
        "profile_saved" => (
            "企业档案已保存，下方的政策匹配结果已按新数据重新判断。",
            "The profile was saved; the policies below were assessed again on the new figures.",
        ),
        "scheme_opened" => (
            "创新券方案已开设，企业现在可以申领。",
            "The scheme is open; enterprises can now apply.",
        ),
        "voucher_applied" => (
            "已提交申领，主管部门审核后发放。",
            "Applied; the programme office decides.",
        ),
        "voucher_decided" => (
            "已处理该申领，企业可看到结果。",
            "Decided; the enterprise sees the result.",
        ),
        "voucher_used" => (
            "创新券已抵用，余额已扣减；服务方登记结果后可申请兑付。",
            "The voucher paid its share and the balance is lower; the provider asks for redemption once the result is recorded.",
        ),
        "voucher_redeemed" => (
            "已申请兑付，等待主管部门核销。",
            "Redemption requested; the programme office reconciles.",
        ),
        "voucher_reconciled" => ("已核销兑付。", "Reconciled."),
        "chain_saved" => ("产业链图谱已更新。", "The chain map is updated."),
        "outcome_recorded" => (
            "落地成果已记录，统计已更新。",
            "Outcome recorded; the figures are updated.",
        ),
        "rnd_saved" => (
            "已保存，加计扣除已重新计算。",
            "Saved; the deduction is computed again.",
        ),
        _ => return None,
    })
}

/// `path` (which may end in `#anchor`) with `?ok=code` added before the anchor.
pub fn to(path: &str, code: &str) -> String {
    let (base, anchor) = path
        .split_once('#')
        .map_or((path, None), |(b, a)| (b, Some(a)));
    let sep = if base.contains('?') { '&' } else { '?' };
    match anchor {
        Some(a) => format!("{base}{sep}ok={code}#{a}"),
        None => format!("{base}{sep}ok={code}"),
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn codes_are_a_closed_list_and_the_anchor_stays_last() {
        assert!(super::message("applied").is_some());
        assert!(super::message("<script>").is_none());
        assert_eq!(
            super::to("/challenges/3#tasks", "reviewed"),
            "/challenges/3?ok=reviewed#tasks"
        );
        assert_eq!(super::to("/a?x=1", "applied"), "/a?x=1&ok=applied");
    }
}
