//! Page templates rendered alone, without a database or a router. The pages end to end
//! (sign-in, the customer flows, menus, assets) are in `tests/ui_pages.rs`, and the
//! authorization checks of the page path in `tests/ui_leaks.rs`, on every backend.

use super::customers::fixtures::masked_view;
use super::customers::{detail::DetailPage, field_rows};
use super::i18n::{Lang, REVEAL_REASON_KEYS};
use super::layout::Layout;
use super::watermark::Watermark;
use askama::Template;
use csp::assert_csp_clean;
use time::macros::datetime;

// The same CSP check the end-to-end page tests use.
#[path = "../../tests/common/csp.rs"]
mod csp;

#[test]
fn a_masked_customer_renders_masked_and_hidden_fields_are_absent() {
    let view = masked_view();
    let lang = Lang::Zh;
    let mut page = Layout::anonymous(lang, "客户详情");
    page.watermark = Some(Watermark::new(
        "王丽",
        "sales01",
        datetime!(2026-01-05 14:03 +08:00),
    ));
    let rows = field_rows(lang, &view)
        .into_iter()
        .map(|field| super::customers::detail::DetailRow {
            field,
            revealed: None,
            error: None,
            open: false,
        })
        .collect();
    let html = DetailPage {
        page,
        csrf: "token".into(),
        id: view.id.clone(),
        heading: "王建华".into(),
        rows,
        record: vec![("负责人", "王丽".into())],
        can_edit: true,
        can_see_access: false,
        notice: None,
        alert: None,
        remaining: None,
        reasons: REVEAL_REASON_KEYS.iter().map(|k| lang.t(k)).collect(),
    }
    .render()
    .unwrap_or_default();

    assert!(
        html.contains(r#"<span class="pill-masked" title="已脱敏">138****5678</span>"#),
        "{html}"
    );
    // Hidden fields: no row, no label, no reveal button.
    for hidden in ["id_number", "wechat", "birth_date"] {
        assert!(
            !html.contains(&format!("data-field=\"{hidden}\"")),
            "{hidden} rendered"
        );
        assert!(
            !html.contains(&format!("name=\"field\" value=\"{hidden}\"")),
            "{hidden} revealable"
        );
    }
    assert!(!html.contains("身份证号") && !html.contains("微信号") && !html.contains("出生日期"));
    // Reveal forms exist for masked values only, each with the CSRF token.
    assert!(html.contains(r#"name="field" value="mobile""#));
    assert!(html.contains(r#"name="field" value="email""#));
    assert!(
        !html.contains(r#"name="field" value="address""#),
        "an empty masked value has nothing to reveal"
    );
    assert!(!html.contains(r#"name="field" value="notes""#));
    assert!(html.contains(r#"name="csrf" value="token""#));
    // The watermark is there, and the page obeys the CSP: no inline style or script.
    assert!(html.contains(
        r#"<div class="watermark" aria-hidden="true"><span>王丽 sales01 2026-01-05 14:03</span>"#
    ));
    assert_eq!(
        html.matches("<span>王丽 sales01 2026-01-05 14:03</span>")
            .count(),
        super::watermark::TILES
    );
    assert_csp_clean(&html);
}
