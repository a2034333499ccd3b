//! Synthetic customers: realistic-looking, entirely invented, and a pure function of
//! `(seed, index)`, so a bulk load can be reproduced or resumed at any index without
//! generating the ones before it. The demo dealership loads them in bulk; the
//! application plants them one at a time as honeytoken customers (decoys whose every
//! access raises an alert), with a random seed so that decoys are not predictable.

mod names;
mod notes;
mod places;

use std::fmt;

/// One invented customer. Every field is shaped like real personal data, so it is
/// handled like real personal data: `Debug` shows none of it.
pub struct FakeCustomer {
    pub name: String,
    pub mobile: String,
    pub id_number: String,
    pub email: Option<String>,
    pub address: String,
    pub wechat: Option<String>,
    /// `YYYY-MM-DD`, the same date the ID number carries.
    pub birth_date: String,
    /// `"male"` or `"female"`, matching the parity of the ID number's 17th digit.
    pub gender: &'static str,
    pub source: &'static str,
    pub notes: Option<String>,
}

impl fmt::Debug for FakeCustomer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("FakeCustomer").finish_non_exhaustive()
    }
}

/// The customer at `index` in the population drawn from `seed`.
///
/// Mobile numbers are unique across indexes for a given seed (see [`mobile`]); nothing
/// else is promised to be.
pub fn customer(seed: u64, index: u64) -> FakeCustomer {
    let mut rng = Rng::new(seed, index);
    let male = rng.chance(55);
    let gender = if male { "male" } else { "female" };

    let (name, surname_py, given_py) = name(&mut rng, male);
    let (id_number, birth_date, birth_year) = id_number(&mut rng, male);
    let address = address(&mut rng);
    let email = rng
        .chance(40)
        .then(|| email(&mut rng, surname_py, &given_py, birth_year));
    let wechat = rng
        .chance(60)
        .then(|| wechat(&mut rng, surname_py, &given_py, birth_year));
    let source = source(&mut rng);
    let notes = rng.chance(50).then(|| note(&mut rng));

    FakeCustomer {
        name,
        mobile: mobile(seed, index),
        id_number,
        email,
        address,
        wechat,
        birth_date,
        gender,
        source,
        notes,
    }
}

/// SplitMix64: tiny, fast, and good enough for invented data.
struct Rng(u64);

const GOLDEN: u64 = 0x9E37_79B9_7F4A_7C15;

fn mix64(mut z: u64) -> u64 {
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

impl Rng {
    /// `mix64` is a bijection, so for one seed every index starts from its own state.
    fn new(seed: u64, index: u64) -> Self {
        Self(mix64(mix64(seed.wrapping_add(GOLDEN)) ^ index))
    }

    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(GOLDEN);
        mix64(self.0)
    }

    /// Uniform in `0..n` (multiply-shift; the bias is below 2^-40 for our small `n`).
    fn below(&mut self, n: u64) -> u64 {
        ((u128::from(self.next()) * u128::from(n)) >> 64) as u64
    }

    fn range(&mut self, low: u64, high: u64) -> u64 {
        low + self.below(high - low + 1)
    }

    fn chance(&mut self, percent: u64) -> bool {
        self.below(100) < percent
    }

    fn pick<T: Copy>(&mut self, items: &[T]) -> T {
        items[self.below(items.len() as u64) as usize]
    }

    /// Index into a table whose weights sum to `total`, weights read by `weight`.
    fn weighted<T>(&mut self, items: &[T], total: u32, weight: impl Fn(&T) -> u32) -> usize {
        let mut r = self.below(u64::from(total)) as u32;
        for (i, item) in items.iter().enumerate() {
            let w = weight(item);
            if r < w {
                return i;
            }
            r -= w;
        }
        items.len() - 1
    }
}

/// Appends `n` in decimal, left-padded with zeros to at least `width` digits.
fn push_num(out: &mut String, mut n: u64, width: usize) {
    let mut buf = [b'0'; 20];
    let mut start = buf.len();
    while n > 0 || start == buf.len() {
        start -= 1;
        buf[start] = b'0' + (n % 10) as u8;
        n /= 10;
    }
    start = start.min(buf.len().saturating_sub(width));
    out.extend(buf[start..].iter().map(|&b| char::from(b)));
}

fn name(rng: &mut Rng, male: bool) -> (String, &'static str, String) {
    use names::{FEMALE, MALE, NEUTRAL, SURNAMES, SURNAME_TOTAL};
    let (surname, surname_py, _) = SURNAMES[rng.weighted(SURNAMES, SURNAME_TOTAL, |s| s.2)];
    let leaning = if male { MALE } else { FEMALE };
    let mut name = String::with_capacity(12);
    let mut given_py = String::with_capacity(12);
    name.push_str(surname);
    let len = if rng.chance(22) { 1 } else { 2 };
    let mut previous = None;
    for _ in 0..len {
        let (han, py) = match previous {
            // Doubled characters (婷婷, 娜娜) are a mostly female habit.
            Some(prev) if !male && rng.chance(6) => prev,
            _ if rng.chance(75) => rng.pick(leaning),
            _ => rng.pick(NEUTRAL),
        };
        name.push_str(han);
        given_py.push_str(py);
        previous = Some((han, py));
    }
    (name, surname_py, given_py)
}

/// Numbers per prefix (the last 8 digits), and the size of each Feistel half.
const BLOCK: u64 = 100_000_000;
const HALF: u64 = 10_000;

/// Mainland mobile prefixes: China Mobile, Unicom, Telecom and the virtual operators.
const MOBILE_PREFIXES: &[u64] = &[
    130, 131, 132, 133, 134, 135, 136, 137, 138, 139, 145, 147, 150, 151, 152, 153, 155, 156, 157,
    158, 159, 166, 170, 171, 172, 173, 175, 176, 177, 178, 180, 181, 182, 183, 184, 185, 186, 187,
    188, 189, 191, 198, 199,
];

fn feistel_keys(seed: u64) -> [u64; 4] {
    let base = mix64(seed ^ 0x6D6F_6269_6C65_0000);
    [
        mix64(base),
        mix64(base ^ 1),
        mix64(base ^ 2),
        mix64(base ^ 3),
    ]
}

fn feistel_round(half: u64, key: u64) -> u64 {
    mix64(half ^ key) % HALF
}

/// A seed-keyed permutation of `0..10^8`: four Feistel rounds over two base-10^4 halves.
/// Each round maps `(l, r)` to `(r, (l + F(r)) mod 10^4)`, which is undone by
/// `l = (r' - F(l')) mod 10^4`, so each round, and the whole, is a bijection whatever
/// `F` is.
fn permute(x: u64, keys: &[u64; 4]) -> u64 {
    let (mut l, mut r) = (x / HALF, x % HALF);
    for &key in keys {
        (l, r) = (r, (l + feistel_round(r, key)) % HALF);
    }
    l * HALF + r
}

/// A unique mobile number for each index of a seed.
///
/// Why unique: write `index = high * 10^8 + low`. The last 8 digits are `permute(low)`,
/// a bijection of `0..10^8`, and the prefix is `(high + h(low)) mod P` for the `P`
/// prefixes. If two indexes below `P * 10^8` (over 4 * 10^9) gave the same number, their
/// last 8 digits would match, so their `low` would, so `h(low)` would; equal prefixes
/// then mean `high ≡ high' (mod P)` with both below `P`, so the indexes are equal.
/// Within the first 10^8 indexes the last 8 digits alone already differ.
fn mobile(seed: u64, index: u64) -> String {
    let keys = feistel_keys(seed);
    let (high, low) = (index / BLOCK, index % BLOCK);
    let count = MOBILE_PREFIXES.len() as u64;
    let slot = (high % count + mix64(low ^ keys[0]) % count) % count;
    let mut out = String::with_capacity(11);
    push_num(&mut out, MOBILE_PREFIXES[slot as usize], 3);
    push_num(&mut out, permute(low, &keys), 8);
    out
}

const ID_WEIGHTS: [u32; 17] = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const ID_CHECK: [char; 11] = ['1', '0', 'X', '9', '8', '7', '6', '5', '4', '3', '2'];

/// GB 11643 check character for a 17-digit body.
fn id_check(body: &str) -> char {
    let sum: u32 = body
        .bytes()
        .zip(ID_WEIGHTS)
        .map(|(b, w)| u32::from(b.wrapping_sub(b'0')) * w)
        .sum();
    ID_CHECK[(sum % 11) as usize]
}

/// Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's algorithm).
const fn days_from_civil(year: i64, month: i64, day: i64) -> i64 {
    let y = if month <= 2 { year - 1 } else { year };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let doy = (153 * ((month + 9) % 12) + 2) / 5 + day - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// The inverse of [`days_from_civil`]: `(year, month, day)`.
fn civil_from_days(days: i64) -> (i64, i64, i64) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    (year, month, day)
}

const FIRST_BIRTH: i64 = days_from_civil(1960, 1, 1);
const LAST_BIRTH: i64 = days_from_civil(2004, 12, 31);

/// `(id_number, birth_date, birth_year)`.
fn id_number(rng: &mut Rng, male: bool) -> (String, String, u64) {
    use places::{REGIONS, REGION_TOTAL};
    let (region, _) = REGIONS[rng.weighted(REGIONS, REGION_TOTAL, |r| r.1)];
    // Two draws averaged: car buyers cluster in the middle of the range, around 40.
    let span = (LAST_BIRTH - FIRST_BIRTH + 1) as u64;
    let offset = (rng.below(span) + rng.below(span)) / 2;
    let (year, month, day) = civil_from_days(FIRST_BIRTH + offset as i64);
    let mut date = String::with_capacity(10);
    push_num(&mut date, year as u64, 4);
    date.push('-');
    push_num(&mut date, month as u64, 2);
    date.push('-');
    push_num(&mut date, day as u64, 2);

    // Sequence 001-999; its last digit is odd for men and even for women.
    let sequence = match rng.below(500) * 2 + u64::from(male) {
        0 => 2,
        n => n,
    };
    let mut id = String::with_capacity(18);
    id.push_str(region);
    id.push_str(&date[0..4]);
    id.push_str(&date[5..7]);
    id.push_str(&date[8..10]);
    push_num(&mut id, sequence, 3);
    let check = id_check(&id);
    id.push(check);
    (id, date, year as u64)
}

fn address(rng: &mut Rng) -> String {
    use places::{DISTRICTS, DISTRICT_TOTAL};
    let (district, _, roads) = DISTRICTS[rng.weighted(DISTRICTS, DISTRICT_TOTAL, |d| d.1)];
    let mut out = String::with_capacity(96);
    out.push_str("上海市");
    out.push_str(district);
    out.push_str(rng.pick(roads));
    // Most people live in a lane compound (`弄`, then building and flat); the rest at a
    // street number, often with a flat in the building.
    let room = rng.range(1, 32) * 100 + rng.range(1, 4);
    if rng.chance(65) {
        push_num(&mut out, rng.range(1, 1500), 1);
        out.push('弄');
        push_num(&mut out, rng.range(1, 60), 1);
        out.push('号');
        push_num(&mut out, room, 3);
        out.push('室');
    } else {
        push_num(&mut out, rng.range(1, 2500), 1);
        out.push('号');
        if rng.chance(60) {
            push_num(&mut out, room, 3);
            out.push('室');
        }
    }
    out
}

const EMAIL_DOMAINS: &[(&str, u32)] = &[
    ("qq.com", 36),
    ("163.com", 24),
    ("126.com", 12),
    ("sina.com", 6),
    ("outlook.com", 12),
    ("gmail.com", 10),
];

/// The first letter of a pinyin spelling.
fn initial(pinyin: &str) -> char {
    pinyin.chars().next().unwrap_or('x')
}

fn email(rng: &mut Rng, surname: &str, given: &str, birth_year: u64) -> String {
    let (domain, _) = EMAIL_DOMAINS[rng.weighted(EMAIL_DOMAINS, 100, |d| d.1)];
    let mut out = String::with_capacity(40);
    match rng.below(if domain == "qq.com" { 5 } else { 4 }) {
        0 => {
            out.push_str(surname);
            out.push_str(given);
            push_num(&mut out, rng.range(1, 99), 2);
        }
        1 => {
            out.push_str(surname);
            out.push('.');
            out.push_str(given);
        }
        2 => {
            out.push_str(given);
            out.push('_');
            out.push_str(surname);
            push_num(&mut out, birth_year % 100, 2);
        }
        3 => {
            out.push(initial(surname));
            out.push_str(given);
            push_num(&mut out, birth_year, 4);
        }
        // A QQ number is the classic qq.com address.
        _ => push_num(&mut out, rng.range(10_000_000, 3_999_999_999), 8),
    }
    out.push('@');
    out.push_str(domain);
    out
}

const BASE36: &[u8; 36] = b"abcdefghijklmnopqrstuvwxyz0123456789";

fn wechat(rng: &mut Rng, surname: &str, given: &str, birth_year: u64) -> String {
    let mut out = String::with_capacity(24);
    match rng.below(3) {
        // Older accounts keep the ID WeChat assigned them.
        0 => {
            out.push_str("wxid_");
            for _ in 0..rng.range(10, 14) {
                out.push(char::from(rng.pick(BASE36)));
            }
        }
        1 => {
            out.push_str(surname);
            out.push_str(given);
            out.push(if rng.chance(50) { '_' } else { '-' });
            push_num(&mut out, rng.range(1, 999), 2);
        }
        _ => {
            out.push_str(surname);
            out.push_str(given);
            push_num(&mut out, birth_year, 4);
        }
    }
    // WeChat IDs are 6-20 characters; everything above is ASCII, so bytes are chars.
    out.truncate(20);
    while out.len() < 6 {
        push_num(&mut out, rng.below(10), 1);
    }
    out
}

const SOURCES: &[(&str, u32)] = &[
    ("walk_in", 24),
    ("autohome", 20),
    ("dongchedi", 17),
    ("phone", 14),
    ("website", 8),
    ("referral", 7),
    ("campaign", 5),
    ("auto_show", 3),
    ("other", 2),
];

fn source(rng: &mut Rng) -> &'static str {
    SOURCES[rng.weighted(SOURCES, 100, |s| s.1)].0
}

fn note(rng: &mut Rng) -> String {
    use notes::{FOLLOW_UPS, MODELS, PREFERENCES};
    let first = rng.below(MODELS.len() as u64) as usize;
    let (model, low, high) = MODELS[first];
    let mut out = String::with_capacity(128);
    if rng.chance(20) {
        // Any model but the first one.
        let other = (first + 1 + rng.below(MODELS.len() as u64 - 1) as usize) % MODELS.len();
        out.push_str("在对比");
        out.push_str(model);
        out.push('和');
        out.push_str(MODELS[other].0);
    } else {
        out.push_str("意向车型：");
        out.push_str(model);
    }
    let mut extras = 0;
    if rng.chance(70) {
        out.push_str("，预算");
        push_num(&mut out, rng.range(u64::from(low), u64::from(high)), 1);
        out.push('万');
        extras += 1;
    }
    if rng.chance(65) {
        out.push('，');
        out.push_str(rng.pick(PREFERENCES));
        extras += 1;
    }
    if extras == 0 || rng.chance(60) {
        out.push('，');
        out.push_str(rng.pick(FOLLOW_UPS));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    fn is_leap(year: u32) -> bool {
        (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
    }

    fn days_in_month(year: u32, month: u32) -> u32 {
        match month {
            2 if is_leap(year) => 29,
            2 => 28,
            4 | 6 | 9 | 11 => 30,
            _ => 31,
        }
    }

    fn digits(s: &str) -> u32 {
        s.parse().expect("digits")
    }

    fn check_customer(c: &FakeCustomer) {
        let m = c.mobile.as_bytes();
        assert!(
            m.len() == 11
                && m[0] == b'1'
                && (b'3'..=b'9').contains(&m[1])
                && m.iter().all(u8::is_ascii_digit),
            "mobile shape"
        );
        let prefix = u64::from(digits(&c.mobile[..3]));
        assert!(MOBILE_PREFIXES.contains(&prefix));

        let id = &c.id_number;
        assert_eq!(id.len(), 18);
        assert!(id[..17].bytes().all(|b| b.is_ascii_digit()));
        assert!(places::REGIONS.iter().any(|(r, _)| id.starts_with(r)));
        assert_eq!(id.chars().last(), Some(id_check(&id[..17])));
        let (y, mo, d) = (digits(&id[6..10]), digits(&id[10..12]), digits(&id[12..14]));
        assert!((1960..=2004).contains(&y));
        assert!((1..=12).contains(&mo) && (1..=days_in_month(y, mo)).contains(&d));
        assert_eq!(c.birth_date, format!("{y:04}-{mo:02}-{d:02}"));
        let odd = (id.as_bytes()[16] - b'0') % 2 == 1;
        assert_eq!(c.gender, if odd { "male" } else { "female" });
        assert_ne!(&id[14..17], "000");

        let chars = c.name.chars().count();
        assert!((2..=4).contains(&chars), "name length");
        assert!(c.address.starts_with("上海市") && c.address.chars().count() <= 60);
        assert!(c.address.ends_with('号') || c.address.ends_with('室'));

        if let Some(email) = &c.email {
            let (local, domain) = email.split_once('@').expect("one @");
            assert!(!local.is_empty() && !domain.contains('@'));
            assert!(EMAIL_DOMAINS.iter().any(|(d, _)| *d == domain));
            assert!(email.bytes().all(|b| b.is_ascii_graphic()));
            assert_eq!(*email, email.to_ascii_lowercase());
        }
        if let Some(w) = &c.wechat {
            assert!((6..=20).contains(&w.len()));
            assert!(w.starts_with(|ch: char| ch.is_ascii_alphabetic()));
            assert!(w
                .chars()
                .all(|ch| ch.is_ascii_alphanumeric() || ch == '_' || ch == '-'));
        }
        assert!(SOURCES.iter().any(|(s, _)| *s == c.source));
        if let Some(n) = &c.notes {
            assert!(!n.is_empty() && n.chars().count() <= 80 && !n.contains('\n'));
        }
    }

    #[test]
    fn ten_thousand_customers_are_well_formed() {
        let (mut emails, mut wechats, mut notes, mut men) = (0, 0, 0, 0);
        for index in 0..10_000 {
            let c = customer(42, index);
            check_customer(&c);
            emails += usize::from(c.email.is_some());
            wechats += usize::from(c.wechat.is_some());
            notes += usize::from(c.notes.is_some());
            men += usize::from(c.gender == "male");
        }
        assert!((3_600..4_400).contains(&emails), "{emails}");
        assert!((5_600..6_400).contains(&wechats), "{wechats}");
        assert!((4_600..5_400).contains(&notes), "{notes}");
        assert!((5_000..6_000).contains(&men), "{men}");
    }

    #[test]
    fn other_seeds_and_far_indexes_are_well_formed() {
        for seed in [0, 1, u64::MAX] {
            for index in [0, 1, 99_999_999, 100_000_000, u64::MAX - 1, u64::MAX] {
                check_customer(&customer(seed, index));
            }
        }
    }

    #[test]
    fn mobiles_are_unique() {
        let mut seen = HashSet::with_capacity(200_000);
        for index in 0..200_000 {
            assert!(seen.insert(mobile(7, index)), "duplicate at {index}");
        }
        // Across a block boundary, where only the prefix keeps numbers apart.
        let mut seen = HashSet::new();
        for high in 0..MOBILE_PREFIXES.len() as u64 {
            for low in 0..200 {
                assert!(seen.insert(mobile(7, high * BLOCK + low)));
            }
        }
    }

    #[test]
    fn the_tail_permutation_is_a_bijection() {
        let keys = feistel_keys(3);
        let invert = |y: u64| {
            let (mut l, mut r) = (y / HALF, y % HALF);
            for &key in keys.iter().rev() {
                (l, r) = ((r + HALF - feistel_round(l, key)) % HALF, l);
            }
            l * HALF + r
        };
        for x in (0..BLOCK).step_by(9_973).chain([BLOCK - 1]) {
            let y = permute(x, &keys);
            assert!(y < BLOCK);
            assert_eq!(invert(y), x);
        }
    }

    #[test]
    fn calendar_conversion_matches_counting_days() {
        let mut days = days_from_civil(1960, 1, 1);
        for year in 1960..=2004 {
            for month in 1..=12 {
                for day in 1..=days_in_month(year, month) {
                    let expected = (i64::from(year), i64::from(month), i64::from(day));
                    assert_eq!(civil_from_days(days), expected);
                    days += 1;
                }
            }
        }
        assert_eq!(days_from_civil(1970, 1, 1), 0);
        assert_eq!(days - 1, LAST_BIRTH);
    }

    #[test]
    fn is_deterministic_and_seeded() {
        let key = |c: &FakeCustomer| {
            format!(
                "{}|{}|{}|{:?}|{}|{:?}|{}|{}|{}|{:?}",
                c.name,
                c.mobile,
                c.id_number,
                c.email,
                c.address,
                c.wechat,
                c.birth_date,
                c.gender,
                c.source,
                c.notes
            )
        };
        let mut differing = 0;
        for index in 0..1_000 {
            assert_eq!(key(&customer(9, index)), key(&customer(9, index)));
            let (a, b) = (customer(9, index), customer(10, index));
            differing += usize::from(a.mobile != b.mobile && a.id_number != b.id_number);
        }
        assert!(differing > 990, "{differing}");
    }

    #[test]
    fn debug_shows_no_personal_data() {
        let c = customer(1, 1);
        let shown = format!("{c:?}");
        assert_eq!(shown, "FakeCustomer { .. }");
        assert!(!shown.contains(&c.mobile) && !shown.contains(&c.name));
    }

    #[test]
    fn tables_are_large_and_distinct() {
        let surnames: HashSet<_> = names::SURNAMES.iter().map(|s| s.0).collect();
        assert!(surnames.len() >= 60 && surnames.len() == names::SURNAMES.len());
        for compound in ["欧阳", "司马", "上官"] {
            assert!(surnames.contains(compound));
        }
        let given: Vec<_> = [names::MALE, names::FEMALE, names::NEUTRAL].concat();
        let distinct: HashSet<_> = given.iter().map(|g| g.0).collect();
        assert!(distinct.len() >= 150 && distinct.len() == given.len());
        let roads: HashSet<_> = places::DISTRICTS.iter().flat_map(|d| d.2.iter()).collect();
        assert!(roads.len() >= 40);
        let pinyin = names::SURNAMES
            .iter()
            .map(|s| s.1)
            .chain(given.iter().map(|g| g.1));
        for py in pinyin {
            assert!(
                !py.is_empty() && py.bytes().all(|b| b.is_ascii_lowercase()),
                "{py}"
            );
        }
        assert_eq!(SOURCES.iter().map(|s| s.1).sum::<u32>(), 100);
        assert_eq!(EMAIL_DOMAINS.iter().map(|s| s.1).sum::<u32>(), 100);
    }
}
