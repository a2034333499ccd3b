//! Customer pages: the list with search, the detail with per-field reveal, and the
//! create and edit forms. Every page calls the same use cases as the JSON API and shows
//! exactly what they return: a hidden field is not rendered at all, a masked one stays
//! masked unless revealed through the audited reveal.

mod access;
pub(super) mod detail;
pub(super) mod form;
mod list;

use super::i18n::Lang;
use crate::WebState;
use axum::routing::{get, post};
use axum::Router;
use dealervault_app::customers::CustomerView;
use dealervault_domain::catalog::{governed_fields, Entity};

pub fn routes() -> Router<WebState> {
    Router::new()
        .route("/customers", get(list::show).post(list::search))
        .route("/customers/new", get(form::new).post(form::create))
        .route("/customers/{id}", get(detail::show))
        .route("/customers/{id}/edit", get(form::edit).post(form::update))
        .route("/customers/{id}/reveal", post(detail::reveal))
        .route("/customers/{id}/access", get(access::show))
}

/// One shown value, ready for a template.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Cell {
    pub text: String,
    /// Shown masked (the text carries `*`).
    pub masked: bool,
    /// No value recorded.
    pub empty: bool,
}

impl Cell {
    /// The value of a shown field; coded values (gender, source) in words. `None` for a
    /// hidden field.
    pub fn of(lang: Lang, view: &CustomerView, field: &str) -> Option<Cell> {
        let value = view.field(field)?;
        let masked = view.masked.iter().any(|m| m == field);
        Some(match value {
            None => Cell {
                text: lang.t("value.empty").to_string(),
                masked,
                empty: true,
            },
            Some(v) if masked => Cell {
                text: v.to_string(),
                masked,
                empty: false,
            },
            Some(v) if matches!(field, "gender" | "source") => Cell {
                text: lang.code_label(field, v),
                masked,
                empty: false,
            },
            Some(v) => Cell {
                text: v.to_string(),
                masked,
                empty: false,
            },
        })
    }
}

/// A governed field as a row of the detail page.
#[derive(Debug, Clone)]
pub struct FieldRow {
    pub name: &'static str,
    pub label: &'static str,
    pub cell: Cell,
    /// A masked value the person may ask to see.
    pub revealable: bool,
}

/// The governed fields of a customer that the viewer may see, in catalog order.
pub fn field_rows(lang: Lang, view: &CustomerView) -> Vec<FieldRow> {
    governed_fields(Entity::Customer)
        .filter_map(|spec| {
            let cell = Cell::of(lang, view, spec.name)?;
            let revealable = cell.masked && !cell.empty;
            Some(FieldRow {
                name: spec.name,
                label: lang.field_label(spec.name),
                cell,
                revealable,
            })
        })
        .collect()
}

/// The display name of a customer for headings: the name as shown (maybe masked).
pub fn heading_name(view: &CustomerView) -> String {
    view.field("name").flatten().unwrap_or("—").to_string()
}

#[cfg(test)]
pub(crate) mod fixtures {
    use dealervault_app::customers::CustomerView;

    /// A customer as a sales consultant sees it: contact data masked, nothing hidden but
    /// the ID number (as for a role without it).
    pub fn masked_view() -> CustomerView {
        CustomerView {
            id: "01J00000000000000000000000".into(),
            name: Some(Some("王建华".into())),
            mobile: Some(Some("138****5678".into())),
            id_number: None,
            email: Some(Some("w*****@example.com".into())),
            address: Some(None),
            wechat: None,
            birth_date: None,
            gender: Some(Some("male".into())),
            source: Some(Some("autohome".into())),
            notes: Some(Some("关注混动车型".into())),
            owner_id: "01J00000000000000000000001".into(),
            owner_name: "王丽".into(),
            store_code: "SH01".into(),
            created_at: 1_767_592_980_000,
            updated_at: 1_767_592_980_000,
            masked: vec!["mobile".into(), "email".into(), "address".into()],
            editable: vec![
                "name".into(),
                "gender".into(),
                "source".into(),
                "notes".into(),
            ],
        }
    }
}

#[cfg(test)]
mod tests {
    use super::fixtures::masked_view;
    use super::*;

    #[test]
    fn rows_skip_hidden_fields_and_keep_masks() {
        let rows = field_rows(Lang::Zh, &masked_view());
        let names: Vec<_> = rows.iter().map(|r| r.name).collect();
        assert_eq!(
            names,
            ["name", "mobile", "email", "address", "gender", "source", "notes"]
        );
        let mobile = &rows[1];
        assert_eq!(mobile.cell.text, "138****5678");
        assert!(mobile.cell.masked && mobile.revealable);
        // A masked field without a value has nothing to reveal.
        assert!(!rows[3].revealable && rows[3].cell.empty);
        assert_eq!(rows[4].cell.text, "男");
        assert_eq!(rows[5].cell.text, "汽车之家");
    }
}
