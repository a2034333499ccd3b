//! The crawler test's parts (`tests/ui_crawl.rs`): the oracle, the scanner, a little
//! HTML and URL handling.

pub(crate) mod html;
pub(crate) mod oracle;
pub(crate) mod scanner;
pub(crate) mod targets;
pub(crate) mod urls;
