//! Domain types of duijie: the values and records the platform is about, validated at
//! construction so that invalid data cannot exist past the edge. No I/O lives here.

pub mod achievement;
pub mod challenge;
pub mod clock;
pub mod contract;
pub mod docking;
pub mod error;
mod fields;
pub mod gathering;
pub mod lenient;
pub mod organisation;
pub mod password;
pub mod pipeline;
pub mod region;
pub mod rnd;
pub mod scenario;
pub mod user;
pub mod values;
pub mod voucher;

pub use achievement::AchievementInput;
pub use error::{FieldError, Invalid};
pub use organisation::OrgInput;
pub use region::Region;
pub use scenario::ScenarioInput;
pub use user::{Actor, Email, Role, TokenScope};
pub use values::{Chain, ChainPosition, CoopMode, Money, OrgKind, Status, Trl, Vocabulary};

/// A label in both platform languages.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Label {
    pub zh: &'static str,
    pub en: &'static str,
}

impl Label {
    /// The label in `lang` ("en" gives English, anything else Chinese).
    pub fn get(&self, lang: &str) -> &'static str {
        if lang == "en" {
            self.en
        } else {
            self.zh
        }
    }
}
