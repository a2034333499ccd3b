//! The pager of every paged list: page numbers around the current one, with the first
//! and the last, and a forgiving reading of the page asked for.

/// One entry of the pager: a page number, or a gap (`…`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PageLink {
    pub number: u32,
    pub current: bool,
    pub gap: bool,
}

/// The page asked for; anything but a number from 1 up is the first page.
pub fn page_number(s: Option<&str>) -> u32 {
    s.and_then(|p| p.trim().parse().ok())
        .filter(|p| *p >= 1)
        .unwrap_or(1)
}

/// Page numbers around the current one, with the first and last, gaps marked.
pub fn pager(current: u32, pages: u32) -> Vec<PageLink> {
    let near = current.saturating_sub(2).max(1)..=current.saturating_add(2).min(pages);
    let mut numbers: Vec<u32> = std::iter::once(1)
        .chain(near)
        .chain(std::iter::once(pages))
        .collect();
    numbers.sort_unstable();
    numbers.dedup();
    let mut out = Vec::new();
    let mut last = 0;
    for n in numbers {
        if last != 0 && n > last + 1 {
            out.push(PageLink {
                number: 0,
                current: false,
                gap: true,
            });
        }
        out.push(PageLink {
            number: n,
            current: n == current,
            gap: false,
        });
        last = n;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn numbers(links: &[PageLink]) -> Vec<u32> {
        links.iter().map(|l| l.number).collect()
    }

    #[test]
    fn the_pager_shows_ends_and_neighbours() {
        assert_eq!(numbers(&pager(1, 1)), [1]);
        assert_eq!(numbers(&pager(1, 4)), [1, 2, 3, 4]);
        assert_eq!(numbers(&pager(10, 20)), [1, 0, 8, 9, 10, 11, 12, 0, 20]);
        assert!(pager(10, 20)[4].current);
    }

    #[test]
    fn paging_input_is_forgiving() {
        assert_eq!(page_number(Some("3")), 3);
        assert_eq!(page_number(Some("0")), 1);
        assert_eq!(page_number(Some("x")), 1);
    }
}
