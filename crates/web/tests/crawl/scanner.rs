//! The scanner: many needles (clear values, mask forms, runs of digits), one pass over
//! a page.

use crate::*;

/// Many byte strings (of four bytes or more) looked for in one pass: a bitmap of their
/// first two bytes rules out most positions, a map of their first four finds candidates.
#[derive(Debug)]
pub(crate) struct Needles<L> {
    pub(crate) first_two: Vec<bool>,
    pub(crate) heads: HashMap<[u8; 4], Vec<usize>>,
    pub(crate) patterns: Vec<(Vec<u8>, L)>,
}

impl<L> Needles<L> {
    pub(crate) fn new() -> Self {
        Self {
            first_two: vec![false; 1 << 16],
            heads: HashMap::new(),
            patterns: vec![],
        }
    }

    pub(crate) fn add(&mut self, pattern: &str, label: L) {
        let bytes = pattern.as_bytes();
        assert!(
            bytes.len() >= 4,
            "a needle of four bytes or more: {pattern:?}"
        );
        let i = self.patterns.len();
        self.first_two[usize::from(u16::from_be_bytes([bytes[0], bytes[1]]))] = true;
        let head = [bytes[0], bytes[1], bytes[2], bytes[3]];
        self.heads.entry(head).or_default().push(i);
        self.patterns.push((bytes.to_vec(), label));
    }

    /// The labels of the needles in `hay`, each once.
    pub(crate) fn find(&self, hay: &[u8]) -> Vec<&L> {
        let mut found = BTreeSet::new();
        for i in 0..hay.len().saturating_sub(3) {
            if !self.first_two[usize::from(u16::from_be_bytes([hay[i], hay[i + 1]]))] {
                continue;
            }
            let head = [hay[i], hay[i + 1], hay[i + 2], hay[i + 3]];
            for &p in self.heads.get(&head).into_iter().flatten() {
                if hay[i..].starts_with(&self.patterns[p].0) {
                    found.insert(p);
                }
            }
        }
        found.into_iter().map(|p| &self.patterns[p].1).collect()
    }
}

#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum Hit {
    /// Something of a value the role must not see like this.
    Leak {
        customer: String,
        field: &'static str,
        expect: Expect,
        what: &'static str,
    },
    /// A value the role may see, as it may see it.
    Shown { field: &'static str, masked: bool },
}

/// What one role may find in a page.
#[derive(Debug)]
pub(crate) struct Scanner {
    /// Whole values and mask forms, over the page as it is.
    pub(crate) whole: Needles<Hit>,
    /// Runs of `WINDOW` characters of concealed mobiles and ID numbers, over the page
    /// with its long hex ids blanked out.
    pub(crate) runs: Needles<Hit>,
}

/// A mask form that says something of its value: not all stars, and long enough.
pub(crate) fn telling(mask: &str) -> bool {
    mask.chars().count() >= MIN_CHARS && mask.chars().any(|c| c != '*')
}

impl Scanner {
    pub(crate) fn new(entries: &[Entry]) -> Self {
        // What the role may see somewhere: the values it sees in clear, and the mask
        // forms it sees. A needle found in one of these is no evidence of a leak. Clear
        // values and runs of them are excused by clear values only, so that a mask rule
        // that keeps too much is caught too.
        let mut clear: Vec<String> = vec![];
        let mut masks: Vec<String> = vec![];
        for e in entries {
            match e.expect {
                Expect::Clear => {
                    clear.extend(html_forms(&e.value));
                    masks.extend(html_forms(&e.mask.apply(&e.value)));
                }
                Expect::Masked => masks.extend(html_forms(&e.mask.apply(&e.value))),
                Expect::Hidden | Expect::OutOfScope => {}
            }
        }
        // A mask form that several different values share (every Shanghai address
        // masks to the same `上海市…`) names nobody: it is no evidence of a leak.
        let mut sharing: HashMap<(&str, String), HashSet<&str>> = HashMap::new();
        for e in entries {
            sharing
                .entry((e.field, e.mask.apply(&e.value)))
                .or_default()
                .insert(e.value.as_str());
        }
        let names_one = |field: &str, mask: &str| {
            sharing
                .get(&(field, mask.to_string()))
                .is_some_and(|values| values.len() == 1)
        };
        let seen_clear = |needle: &str| clear.iter().any(|a| a.contains(needle));
        let seen_masked = |needle: &str| seen_clear(needle) || masks.iter().any(|a| a == needle);
        let mut whole = Needles::new();
        let mut runs = Needles::new();
        for e in entries {
            let leak = |what| Hit::Leak {
                customer: e.customer.clone(),
                field: e.field,
                expect: e.expect,
                what,
            };
            let long = e.value.chars().count() >= MIN_CHARS;
            let mask = e.mask.apply(&e.value);
            match e.expect {
                Expect::Clear if long => {
                    for form in html_forms(&e.value) {
                        whole.add(
                            &form,
                            Hit::Shown {
                                field: e.field,
                                masked: false,
                            },
                        );
                    }
                }
                Expect::Clear => {}
                Expect::Masked | Expect::Hidden | Expect::OutOfScope => {
                    if e.expect == Expect::Masked && telling(&mask) {
                        for form in html_forms(&mask) {
                            whole.add(
                                &form,
                                Hit::Shown {
                                    field: e.field,
                                    masked: true,
                                },
                            );
                        }
                    }
                    if long {
                        for form in html_forms(&e.value) {
                            if !seen_clear(&form) {
                                whole.add(&form, leak("the clear value"));
                            }
                        }
                    }
                    if e.expect != Expect::Masked && telling(&mask) && names_one(e.field, &mask) {
                        for form in html_forms(&mask) {
                            if !seen_masked(&form) {
                                whole.add(&form, leak("the mask form"));
                            }
                        }
                    }
                    if matches!(e.mask, MaskRule::Mobile | MaskRule::IdNumber { .. }) {
                        let chars: Vec<char> = e.value.chars().collect();
                        for run in chars.windows(WINDOW) {
                            let run: String = run.iter().collect();
                            if !seen_clear(&run) {
                                runs.add(&run, leak("eight characters in a row of the value"));
                            }
                        }
                    }
                }
            }
        }
        Self { whole, runs }
    }

    /// Everything of the role's customers found in `body`, each once.
    pub(crate) fn scan(&self, body: &str) -> BTreeSet<Hit> {
        let blanked = blank_hex_ids(body);
        self.whole
            .find(body.as_bytes())
            .into_iter()
            .chain(self.runs.find(blanked.as_bytes()))
            .cloned()
            .collect()
    }
}

/// `body` with every run of 32 or more hex digits and dashes (record ids, hashes, tokens)
/// replaced by spaces, so that digits inside them do not pass for part of a mobile.
pub(crate) fn blank_hex_ids(body: &str) -> String {
    let is_hex = |b: u8| b.is_ascii_hexdigit() || b == b'-';
    let bytes = body.as_bytes();
    let mut out = bytes.to_vec();
    let mut i = 0;
    while i < bytes.len() {
        if !is_hex(bytes[i]) {
            i += 1;
            continue;
        }
        let start = i;
        while i < bytes.len() && is_hex(bytes[i]) {
            i += 1;
        }
        if i - start >= 32 {
            out[start..i].fill(b' ');
        }
    }
    // Only ASCII bytes were replaced, by ASCII: still UTF-8.
    String::from_utf8(out).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(
        customer: &str,
        field: &'static str,
        value: &str,
        mask: MaskRule,
        expect: Expect,
    ) -> Entry {
        Entry {
            customer: customer.into(),
            field,
            value: value.into(),
            mask,
            expect,
        }
    }

    #[test]
    fn the_scanner_flags_planted_values_and_only_them() {
        let entries = [
            entry(
                "a",
                "mobile",
                "13812345678",
                MaskRule::Mobile,
                Expect::Masked,
            ),
            entry("a", "name", "欧阳娜娜", MaskRule::Name, Expect::Clear),
            entry(
                "a",
                "address",
                "上海市浦东新区A&B's路1号",
                MaskRule::Address,
                Expect::Masked,
            ),
            entry(
                "b",
                "mobile",
                "13987654321",
                MaskRule::Mobile,
                Expect::OutOfScope,
            ),
            entry(
                "b",
                "email",
                "zhangwei@example.com",
                MaskRule::Email,
                Expect::OutOfScope,
            ),
            entry(
                "c",
                "email",
                "lina@example.org",
                MaskRule::Email,
                Expect::Hidden,
            ),
        ];
        let scanner = Scanner::new(&entries);
        let leaks = |html: &str| -> Vec<(String, &'static str, &'static str)> {
            scanner
                .scan(html)
                .into_iter()
                .filter_map(|h| match h {
                    Hit::Leak {
                        customer,
                        field,
                        what,
                        ..
                    } => Some((customer, field, what)),
                    Hit::Shown { .. } => None,
                })
                .collect()
        };
        // What the role may see, as it may see it: nothing flagged, both seen.
        let fine = "<td>欧阳娜娜</td><td><span class=\"pill-masked\">138****5678</span></td>\
                    <td>上海市****</td><p>01900000-0000-7000-8000-000381234567</p>";
        assert!(leaks(fine).is_empty(), "{:?}", leaks(fine));
        let shown = scanner.scan(fine);
        assert!(shown.iter().any(|h| matches!(
            h,
            Hit::Shown {
                field: "mobile",
                masked: true
            }
        )));
        assert!(shown.iter().any(|h| matches!(
            h,
            Hit::Shown {
                field: "name",
                masked: false
            }
        )));

        // A clear mobile the role sees masked; one out of scope; a partial mask.
        assert_eq!(
            leaks("<td>13812345678</td>"),
            vec![
                (
                    "a".into(),
                    "mobile",
                    "eight characters in a row of the value"
                ),
                ("a".into(), "mobile", "the clear value"),
            ]
        );
        assert!(leaks("<p>tel 13987654321.</p>").contains(&(
            "b".into(),
            "mobile",
            "the clear value"
        )));
        assert_eq!(
            leaks("<p>138123456**</p>"),
            vec![(
                "a".into(),
                "mobile",
                "eight characters in a row of the value"
            )]
        );
        // The mask form of a customer out of scope, or of a hidden field.
        assert_eq!(
            leaks("<p>139****4321</p>"),
            vec![("b".into(), "mobile", "the mask form")]
        );
        assert_eq!(
            leaks("<p>l****@example.org</p>"),
            vec![("c".into(), "email", "the mask form")]
        );
        // HTML-escaped, as a template writes it.
        assert_eq!(
            leaks("<input value=\"上海市浦东新区A&amp;B&#39;s路1号\">"),
            vec![("a".into(), "address", "the clear value")]
        );
    }
}
