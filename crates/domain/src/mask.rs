//! Display de-identification (GB/T 35273): what a masked value may still show.
//!
//! A masked value always contains `*`, so clients and tests can tell it from a clear one,
//! and never carries more of the original than its rule keeps.

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "rule", rename_all = "snake_case")]
pub enum MaskRule {
    /// `138****1234`: the first 3 and last 4 digits.
    Mobile,
    /// Keeps `head` leading and `tail` trailing characters: 1+2 by default, 6+4 where a
    /// site configures it.
    IdNumber { head: usize, tail: usize },
    /// Keeps the surname (two characters for compound surnames): `张*`, `欧阳**`.
    Name,
    /// Keeps the first character of the local part and the domain: `z***@example.com`.
    Email,
    /// Keeps the province and city: `上海市****`.
    Address,
    /// Keeps the first two characters: `wx****`.
    Wechat,
    /// Keeps the year: `1985-**-**`.
    Date,
    /// Keeps the last 4 digits: `**** 1234`.
    BankCard,
    /// Keeps the province character, the letter and the last two: `沪A***34`.
    Plate,
    /// Shows nothing but that there is a value.
    Full,
}

const STARS: &str = "****";
const COMPOUND_SURNAMES: &[&str] = &[
    "欧阳", "司马", "上官", "诸葛", "东方", "皇甫", "尉迟", "公孙", "慕容", "长孙", "宇文", "司徒",
    "夏侯", "轩辕", "令狐", "端木", "独孤", "南宫", "西门", "百里", "呼延", "澹台", "太史", "申屠",
];

impl MaskRule {
    pub const DEFAULT_ID_NUMBER: MaskRule = MaskRule::IdNumber { head: 1, tail: 2 };

    pub fn apply(self, value: &str) -> String {
        let chars: Vec<char> = value.chars().collect();
        match self {
            MaskRule::Mobile => keep_ends(&chars, 3, 4),
            MaskRule::IdNumber { head, tail } => keep_ends(&chars, head, tail),
            MaskRule::Name => {
                let keep =
                    if COMPOUND_SURNAMES.iter().any(|s| value.starts_with(s)) && chars.len() > 2 {
                        2
                    } else {
                        1
                    };
                let rest = chars.len().saturating_sub(keep).max(1);
                chars.iter().take(keep).collect::<String>() + &"*".repeat(rest)
            }
            MaskRule::Email => match value.split_once('@') {
                Some((local, domain)) => {
                    format!("{}{STARS}@{domain}", local.chars().next().unwrap_or('*'))
                }
                None => STARS.to_string(),
            },
            MaskRule::Address => {
                // Province-level cities (上海市) and provinces (广东省广州市) both end at 市.
                let head: String = chars.iter().take(12).collect();
                match head.find('市') {
                    Some(i) => format!("{}{STARS}", &head[..i + '市'.len_utf8()]),
                    None => format!("{}{STARS}", chars.iter().take(2).collect::<String>()),
                }
            }
            MaskRule::Wechat => format!("{}{STARS}", chars.iter().take(2).collect::<String>()),
            MaskRule::Date => format!("{}-**-**", chars.iter().take(4).collect::<String>()),
            MaskRule::BankCard => keep_ends(&chars, 0, 4),
            MaskRule::Plate => keep_ends(&chars, 2, 2),
            MaskRule::Full => "******".to_string(),
        }
    }

    /// The most characters of the original a masked value may carry: what the leak
    /// tests hold every masked output to.
    pub fn max_kept(self) -> usize {
        match self {
            MaskRule::Mobile => 7,
            MaskRule::IdNumber { head, tail } => head + tail,
            MaskRule::Name | MaskRule::Wechat => 2,
            MaskRule::Email => 1 + 253,
            MaskRule::Address => 12,
            MaskRule::Date | MaskRule::BankCard | MaskRule::Plate => 4,
            MaskRule::Full => 0,
        }
    }
}

/// Keeps `head` and `tail` characters and stars the middle; a value too short to keep
/// both ends is starred entirely, so short values are never shown whole.
fn keep_ends(chars: &[char], head: usize, tail: usize) -> String {
    if chars.len() <= head + tail {
        return "*".repeat(chars.len().max(1));
    }
    let middle = chars.len() - head - tail;
    let mut out: String = chars[..head].iter().collect();
    out.push_str(&"*".repeat(middle));
    out.extend(&chars[chars.len() - tail..]);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rules_match_the_design() {
        assert_eq!(MaskRule::Mobile.apply("13812341234"), "138****1234");
        assert_eq!(
            MaskRule::DEFAULT_ID_NUMBER.apply("11010519491231002X"),
            "1***************2X"
        );
        assert_eq!(
            MaskRule::IdNumber { head: 6, tail: 4 }.apply("11010519491231002X"),
            "110105********002X"
        );
        assert_eq!(MaskRule::Name.apply("张三"), "张*");
        assert_eq!(MaskRule::Name.apply("张三丰"), "张**");
        assert_eq!(MaskRule::Name.apply("欧阳娜娜"), "欧阳**");
        assert_eq!(MaskRule::Name.apply("张"), "张*");
        assert_eq!(
            MaskRule::Email.apply("zhangwei@example.com"),
            "z****@example.com"
        );
        assert_eq!(
            MaskRule::Address.apply("上海市浦东新区世纪大道100号"),
            "上海市****"
        );
        assert_eq!(
            MaskRule::Address.apply("广东省广州市天河区体育西路1号"),
            "广东省广州市****"
        );
        assert_eq!(MaskRule::Plate.apply("沪A12345"), "沪A***45");
        assert_eq!(
            MaskRule::BankCard.apply("6222020200112233"),
            "************2233"
        );
        assert_eq!(MaskRule::Date.apply("1985-02-28"), "1985-**-**");
        assert_eq!(
            MaskRule::Full.apply("VIP, prefers calls after 6pm"),
            "******"
        );
    }

    #[test]
    fn short_values_are_starred_whole() {
        assert_eq!(MaskRule::Mobile.apply("1381"), "****");
        assert_eq!(MaskRule::Mobile.apply(""), "*");
    }

    #[test]
    fn every_mask_contains_a_star() {
        let rules = [
            MaskRule::Mobile,
            MaskRule::DEFAULT_ID_NUMBER,
            MaskRule::Name,
            MaskRule::Email,
            MaskRule::Address,
            MaskRule::Wechat,
            MaskRule::Date,
            MaskRule::BankCard,
            MaskRule::Plate,
            MaskRule::Full,
        ];
        for rule in rules {
            for v in ["", "a", "13812341234", "欧阳娜娜", "x@y.cn"] {
                assert!(rule.apply(v).contains('*'), "{rule:?} {v}");
            }
        }
    }
}
