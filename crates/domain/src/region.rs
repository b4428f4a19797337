//! Regions of Beijing-Tianjin-Hebei: the two municipalities, the Xiong'an New Area, Hebei's
//! prefecture-level cities and a few county-level places known for their industries.
//! A region is stored as its stable code, e.g. `hebei.tangshan`.

use crate::{FieldError, Label};

/// The three province-level areas, for "Beijing/Tianjin → Hebei" reasoning.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Province {
    Beijing,
    Tianjin,
    Hebei,
}

impl Province {
    pub const ALL: [Province; 3] = [Province::Beijing, Province::Tianjin, Province::Hebei];

    pub fn code(self) -> &'static str {
        match self {
            Province::Beijing => "beijing",
            Province::Tianjin => "tianjin",
            Province::Hebei => "hebei",
        }
    }

    pub fn from_code(code: &str) -> Option<Province> {
        Province::ALL.into_iter().find(|p| p.code() == code)
    }

    pub fn label(self) -> Label {
        match self {
            Province::Beijing => Label {
                zh: "北京",
                en: "Beijing",
            },
            Province::Tianjin => Label {
                zh: "天津",
                en: "Tianjin",
            },
            Province::Hebei => Label {
                zh: "河北",
                en: "Hebei",
            },
        }
    }
}

/// A place in Beijing-Tianjin-Hebei.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Region {
    pub code: &'static str,
    pub label: Label,
    pub province: Province,
}

macro_rules! regions {
    ($( $code:literal, $zh:literal, $en:literal, $prov:ident; )*) => {
        /// Every known region, in display order.
        pub const REGIONS: &[Region] = &[
            $( Region { code: $code, label: Label { zh: $zh, en: $en }, province: Province::$prov }, )*
        ];
    };
}

regions! {
    "beijing", "北京", "Beijing", Beijing;
    "tianjin", "天津", "Tianjin", Tianjin;
    "hebei.xiongan", "雄安新区", "Xiong'an New Area", Hebei;
    "hebei.shijiazhuang", "石家庄", "Shijiazhuang", Hebei;
    "hebei.tangshan", "唐山", "Tangshan", Hebei;
    "hebei.qinhuangdao", "秦皇岛", "Qinhuangdao", Hebei;
    "hebei.handan", "邯郸", "Handan", Hebei;
    "hebei.xingtai", "邢台", "Xingtai", Hebei;
    "hebei.baoding", "保定", "Baoding", Hebei;
    "hebei.zhangjiakou", "张家口", "Zhangjiakou", Hebei;
    "hebei.chengde", "承德", "Chengde", Hebei;
    "hebei.cangzhou", "沧州", "Cangzhou", Hebei;
    "hebei.langfang", "廊坊", "Langfang", Hebei;
    "hebei.hengshui", "衡水", "Hengshui", Hebei;
    "hebei.dingzhou", "定州", "Dingzhou", Hebei;
    "hebei.xinji", "辛集", "Xinji", Hebei;
    "hebei.cangzhou.huanghua", "黄骅市", "Huanghua (Cangzhou)", Hebei;
    "hebei.hengshui.anping", "安平县", "Anping County (Hengshui)", Hebei;
    "hebei.xingtai.qinghe", "清河县", "Qinghe County (Xingtai)", Hebei;
    "hebei.tangshan.caofeidian", "曹妃甸区", "Caofeidian (Tangshan)", Hebei;
    "hebei.shijiazhuang.zhengding", "正定县", "Zhengding County (Shijiazhuang)", Hebei;
}

/// The municipality, the Xiong'an New Area or the Hebei prefecture-level city a place lies in:
/// `hebei.tangshan.caofeidian` → `hebei.tangshan`; others are their own.
pub fn city_of(code: &str) -> &str {
    match code.match_indices('.').nth(1) {
        Some((i, _)) => &code[..i],
        None => code,
    }
}

impl Region {
    /// Look a region up by code (`hebei.tangshan`) or by its Chinese or English name.
    pub fn parse(field: &str, s: &str) -> Result<Region, FieldError> {
        let s = s.trim();
        REGIONS
            .iter()
            .find(|r| r.code == s || r.label.zh == s || r.label.en.eq_ignore_ascii_case(s))
            .copied()
            .ok_or_else(|| {
                FieldError::new(
                    field,
                    "unknown_region",
                    format!("unknown region \"{s}\" (use a code such as hebei.tangshan)"),
                    format!("未知地区“{s}”（请使用如 hebei.tangshan 的代码）"),
                )
            })
    }

    /// The region for a stored code; unknown codes (from a newer version) fall back to the code.
    pub fn from_code(code: &str) -> Option<Region> {
        REGIONS.iter().find(|r| r.code == code).copied()
    }

    /// Whether this place lies in the area the platform serves as "transformation" ground.
    pub fn is_hebei(&self) -> bool {
        self.province == Province::Hebei
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn regions_parse_by_code_and_by_name_in_either_language() {
        assert_eq!(
            Region::parse("region", "hebei.tangshan").map(|r| r.code),
            Ok("hebei.tangshan")
        );
        assert_eq!(
            Region::parse("region", "唐山").map(|r| r.code),
            Ok("hebei.tangshan")
        );
        assert_eq!(
            Region::parse("region", "tangshan").map(|r| r.code),
            Ok("hebei.tangshan")
        );
        let e = Region::parse("region", "Atlantis").unwrap_err();
        assert_eq!(e.code, "unknown_region");
    }

    #[test]
    fn region_codes_are_unique() {
        let mut codes: Vec<_> = REGIONS.iter().map(|r| r.code).collect();
        codes.sort_unstable();
        codes.dedup();
        assert_eq!(codes.len(), REGIONS.len());
    }
}
