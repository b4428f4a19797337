//! Innovation vouchers (创新券): a voucher's life and the life of one use of it.

use crate::values::vocabulary;
use crate::{FieldError, Label};

vocabulary! {
    /// A voucher: applied for → approved (with its amount) or refused.
    VoucherStatus, "voucher status", "创新券状态" {
        Applied = "applied", "待审核", "Applied for";
        Approved = "approved", "已发放", "Approved";
        Refused = "refused", "未通过", "Refused";
    }
}

impl VoucherStatus {
    /// Only an application is decided, once.
    pub fn can_become(self, to: VoucherStatus) -> bool {
        matches!(
            (self, to),
            (
                VoucherStatus::Applied,
                VoucherStatus::Approved | VoucherStatus::Refused
            )
        )
    }
}

vocabulary! {
    /// One use of a voucher on a service: claimed by the enterprise → redeemed by the provider
    /// once the service's result is recorded → reconciled (paid out) by the programme office.
    VoucherUseStatus, "voucher use status", "兑付状态" {
        Claimed = "claimed", "已抵用", "Claimed";
        Redeemed = "redeemed", "服务方已申请兑付", "Redemption requested";
        Reconciled = "reconciled", "已兑付", "Reconciled";
    }
}

impl VoucherUseStatus {
    pub fn can_become(self, to: VoucherUseStatus) -> bool {
        matches!(
            (self, to),
            (VoucherUseStatus::Claimed, VoucherUseStatus::Redeemed)
                | (VoucherUseStatus::Redeemed, VoucherUseStatus::Reconciled)
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_voucher_is_decided_once_and_a_use_goes_forward() {
        assert!(VoucherStatus::Applied.can_become(VoucherStatus::Approved));
        assert!(!VoucherStatus::Approved.can_become(VoucherStatus::Refused));
        assert!(VoucherUseStatus::Claimed.can_become(VoucherUseStatus::Redeemed));
        assert!(!VoucherUseStatus::Claimed.can_become(VoucherUseStatus::Reconciled));
        assert!(!VoucherUseStatus::Reconciled.can_become(VoucherUseStatus::Claimed));
    }
}
