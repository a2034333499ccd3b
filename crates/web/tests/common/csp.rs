//! The CSP check of a rendered page. A file on its own, without dependencies, so that it
//! is compiled twice: into these tests (through `common`) and into the crate's own unit
//! tests (`src/ui/tests.rs`, by `#[path]`), which render templates without a router.

/// The page obeys the CSP: no inline style or script, no inline event handler, nothing
/// loaded from elsewhere.
pub fn assert_csp_clean(html: &str) {
    assert!(!html.contains("style="), "inline style attribute");
    assert!(!html.contains("<style"), "inline style element");
    // No inline event handler attribute (` onclick=`, ` onchange=`, ...).
    for (at, _) in html.match_indices(" on") {
        let name: String = html[at + 1..]
            .chars()
            .take_while(char::is_ascii_alphabetic)
            .collect();
        let handler = name.len() > 2 && html[at + 1 + name.len()..].starts_with('=');
        assert!(!handler, "inline handler {name}");
    }
    for (at, _) in html.match_indices("<script") {
        let tag = &html[at..html[at..].find('>').map_or(html.len(), |e| at + e)];
        assert!(tag.contains("src=\"/assets/"), "inline script: {tag}");
    }
    assert!(
        !html.contains("http://") && !html.contains("https://"),
        "external resource"
    );
}
