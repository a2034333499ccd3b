//! The visible watermark on every page with customer data: who is looking and when, tiled
//! over the viewport (and every printed page) so that a photo of the screen names its
//! taker. The page renders plain `<span>`s; `app.css` places, rotates and fades them, so
//! nothing depends on inline styles or scripts.

use super::layout::minutes;
use time::OffsetDateTime;

/// Enough tiles to cover a 2560×1440 screen at the spacing `app.css` uses.
pub const TILES: usize = 48;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Watermark {
    pub text: String,
}

impl Watermark {
    /// `at` is the current moment in the store's zone (Asia/Shanghai).
    pub fn new(display_name: &str, username: &str, at: OffsetDateTime) -> Self {
        Self {
            text: format!("{display_name} {username} {}", minutes(at)),
        }
    }

    /// One entry per tile, for the template's loop.
    pub fn tiles(&self) -> std::ops::Range<usize> {
        0..TILES
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::datetime;

    #[test]
    fn names_the_viewer_and_the_local_time() {
        let at = datetime!(2026-01-05 14:03:59 +08:00);
        let w = Watermark::new("王丽", "sales01", at);
        assert_eq!(w.text, "王丽 sales01 2026-01-05 14:03");
        assert_eq!(w.tiles().count(), TILES);
    }
}
