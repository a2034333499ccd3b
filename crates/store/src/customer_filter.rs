//! Turning a row filter and a search into SQL, so out-of-scope customers are never loaded.

use crate::sql::{Param, Sql};
use dealervault_domain::access::{RowBound, RowFilter};
use std::fmt;

/// Search terms for the customer list; all given terms must match.
#[derive(Clone, Default, PartialEq, Eq)]
pub struct CustomerQuery {
    /// Substring of the name (or the notes, with `search_notes`), case-insensitive where
    /// the backend can tell case.
    pub q: Option<String>,
    /// Whether `q` also looks in the notes: only for roles that may see them, or the
    /// search would disclose what hidden notes contain.
    pub search_notes: bool,
    /// Exact, normalised mobile number.
    pub mobile: Option<String>,
    /// Exact, normalised ID number.
    pub id_number: Option<String>,
}

impl CustomerQuery {
    /// No search term at all: the list of everything in scope.
    pub fn is_empty(&self) -> bool {
        self.q.as_deref().is_none_or(str::is_empty)
            && self.mobile.is_none()
            && self.id_number.is_none()
    }
}

// Search terms are personal data: show only which ones were given.
impl fmt::Debug for CustomerQuery {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("CustomerQuery")
            .field("q", &self.q.is_some())
            .field("search_notes", &self.search_notes)
            .field("mobile", &self.mobile.is_some())
            .field("id_number", &self.id_number.is_some())
            .finish()
    }
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum CustomerSort {
    #[default]
    UpdatedDesc,
    CreatedDesc,
    CreatedAsc,
}

impl CustomerSort {
    /// The id breaks ties so pages never overlap or skip rows that share a timestamp.
    pub(crate) fn order_by(self) -> &'static str {
        match self {
            CustomerSort::UpdatedDesc => "c.updated_at DESC, c.id DESC",
            CustomerSort::CreatedDesc => "c.created_at DESC, c.id DESC",
            CustomerSort::CreatedAsc => "c.created_at ASC, c.id ASC",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PageRequest {
    pub limit: u32,
    pub offset: u64,
    pub sort: CustomerSort,
}

impl Default for PageRequest {
    fn default() -> Self {
        Self {
            limit: 50,
            offset: 0,
            sort: CustomerSort::default(),
        }
    }
}

/// Appends the filter as one condition on the customers alias `c`: rows within the bound
/// and not within the exception.
pub(crate) fn push_scope(sql: &mut Sql, filter: &RowFilter) {
    sql.push("(");
    push_bound(sql, filter.within());
    if let Some(except) = filter.except() {
        sql.push(" AND NOT ");
        push_bound(sql, except);
    }
    sql.push(")");
}

/// Team and department bounds follow the owner's current place (as `RowBound::contains`
/// does), so moving a salesperson moves their customers' visibility with them.
fn push_bound(sql: &mut Sql, bound: &RowBound) {
    const BY_TEAM: &str = "(c.owner_id IN (SELECT id FROM users WHERE team_id = ";
    const BY_DEPARTMENT: &str = "(c.owner_id IN (SELECT id FROM users WHERE department_id = ";
    let (open, id, close) = match bound {
        RowBound::Owner(u) => ("(c.owner_id = ", u.as_str(), ")"),
        RowBound::Team(t) => (BY_TEAM, t.as_str(), "))"),
        RowBound::Department(d) => (BY_DEPARTMENT, d.as_str(), "))"),
        RowBound::Store(s) => ("(c.store_id = ", s.as_str(), ")"),
        RowBound::Group => {
            sql.push("(1 = 1)");
            return;
        }
    };
    sql.push(open).bind_text(id).push(close);
}

/// Appends ` AND ...` for every search term given.
pub(crate) fn push_query(sql: &mut Sql, query: &CustomerQuery) {
    if let Some(q) = query.q.as_deref().filter(|q| !q.is_empty()) {
        let pattern = like_pattern(q);
        sql.push(" AND (LOWER(c.name) LIKE LOWER(")
            .bind(Param::Text(pattern.clone()))
            .push(") ESCAPE '\\'");
        if query.search_notes {
            sql.push(" OR LOWER(c.notes) LIKE LOWER(")
                .bind(Param::Text(pattern))
                .push(") ESCAPE '\\'");
        }
        sql.push(")");
    }
    if let Some(mobile) = &query.mobile {
        sql.push(" AND c.mobile = ").bind_text(mobile);
    }
    if let Some(id_number) = &query.id_number {
        sql.push(" AND c.id_number = ").bind_text(id_number);
    }
}

/// `%text%` with LIKE's wildcards in the user's text matched literally.
fn like_pattern(text: &str) -> String {
    let mut pattern = String::with_capacity(text.len() + 2);
    pattern.push('%');
    for ch in text.chars() {
        if matches!(ch, '%' | '_' | '\\') {
            pattern.push('\\');
        }
        pattern.push(ch);
    }
    pattern.push('%');
    pattern
}

#[cfg(test)]
mod tests {
    use super::*;
    use dealervault_domain::ids::{TeamId, UserId};

    #[test]
    fn wildcards_are_escaped() {
        assert_eq!(like_pattern("50%_a\\b"), "%50\\%\\_a\\\\b%");
    }

    #[test]
    fn scope_binds_ids_and_never_inlines_them() {
        let filter = RowFilter::decided(
            RowBound::Team(TeamId::from_stored("t1".into())),
            Some(RowBound::Owner(UserId::from_stored("u1".into()))),
        );
        let mut sql = Sql::new("");
        push_scope(&mut sql, &filter);
        assert_eq!(
            sql.text,
            "((c.owner_id IN (SELECT id FROM users WHERE team_id = $1)) AND NOT (c.owner_id = $2))"
        );
        assert_eq!(sql.params.len(), 2);
    }

    #[test]
    fn group_needs_no_parameter() {
        let mut sql = Sql::new("");
        push_scope(&mut sql, &RowFilter::decided(RowBound::Group, None));
        assert_eq!(sql.text, "((1 = 1))");
        assert!(sql.params.is_empty());
    }
}
