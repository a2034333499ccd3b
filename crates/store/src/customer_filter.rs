//! Turning a row filter and a search into SQL, so out-of-scope customers are never loaded.

use crate::connect::Backend;
use crate::sql::{Param, Sql};
use dealervault_domain::access::{RowBound, RowFilter};
use dealervault_domain::ids::{CustomerId, UserId};
use std::fmt;

/// Search terms for the customer list; all given terms must match. Personal fields are
/// sealed, so the store matches only exact blind indexes and id lists: name and notes
/// search happens in the application, after decryption (see `Tx::customer_search_rows`).
#[derive(Clone, Default, PartialEq, Eq)]
pub struct CustomerQuery {
    /// Blind index of the normalised mobile number.
    pub mobile_index: Option<Vec<u8>>,
    /// Blind index of the normalised ID number.
    pub id_number_index: Option<Vec<u8>>,
    /// Only these customers (e.g. the matches of a name search); an empty list matches
    /// nothing. Ids outside the row filter stay out.
    pub ids: Option<Vec<CustomerId>>,
    /// Only this owner's customers (within the row filter, like everything else).
    pub owner: Option<UserId>,
    /// Only customers from this source (a plain code column).
    pub source: Option<String>,
}

impl CustomerQuery {
    /// No search term at all: the list of everything in scope.
    pub fn is_empty(&self) -> bool {
        self.mobile_index.is_none()
            && self.id_number_index.is_none()
            && self.ids.is_none()
            && self.owner.is_none()
            && self.source.is_none()
    }

    /// Whether no row can match, whatever the data: an empty id list.
    pub(crate) fn matches_nothing(&self) -> bool {
        self.ids.as_ref().is_some_and(Vec::is_empty)
    }
}

// Blind indexes identify a person's number within the database: show only which terms
// were given, and how many ids.
impl fmt::Debug for CustomerQuery {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("CustomerQuery")
            .field("mobile_index", &self.mobile_index.is_some())
            .field("id_number_index", &self.id_number_index.is_some())
            .field("ids", &self.ids.as_ref().map(Vec::len))
            .field("owner", &self.owner)
            .field("source", &self.source)
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
    push_scope_on(sql, "c", filter);
}

/// The same condition on any table with `store_id` and `owner_id` columns, under
/// `alias`. A row without an owner (a lead in the pool, a vehicle) is inside a store or
/// group bound only: `owner_id = …` and `owner_id IN (…)` are never true for NULL.
pub(crate) fn push_scope_on(sql: &mut Sql, alias: &'static str, filter: &RowFilter) {
    sql.push("(");
    push_bound(sql, alias, filter.within());
    if let Some(except) = filter.except() {
        // NOT of an unknown (NULL owner) is unknown, which would drop unowned rows from
        // a store-wide filter with an owner-level deny: spell out that they are not in it.
        sql.push(" AND NOT COALESCE(");
        push_bound(sql, alias, except);
        sql.push(", FALSE)");
    }
    sql.push(")");
}

/// Team and department bounds follow the owner's current place (as `RowBound::contains`
/// does), so moving a salesperson moves their customers' visibility with them.
fn push_bound(sql: &mut Sql, alias: &str, bound: &RowBound) {
    let (column, id, subquery) = match bound {
        RowBound::Owner(u) => ("owner_id", u.as_str(), None),
        RowBound::Team(t) => ("owner_id", t.as_str(), Some("team_id")),
        RowBound::Department(d) => ("owner_id", d.as_str(), Some("department_id")),
        RowBound::Store(s) => ("store_id", s.as_str(), None),
        RowBound::Group => {
            sql.push("(1 = 1)");
            return;
        }
    };
    sql.push(&format!("({alias}.{column}"));
    match subquery {
        Some(by) => sql
            .push(&format!(" IN (SELECT id FROM users WHERE {by} = "))
            .bind_text(id)
            .push("))"),
        None => sql.push(" = ").bind_text(id).push(")"),
    };
}

/// Appends ` AND ...` for every search term given.
///
/// The id list is one parameter, a JSON array expanded by the database, rather than one
/// placeholder per id: a name search may match thousands of customers, more than SQLite
/// (32,766) or PostgreSQL (65,535) take parameters in a statement.
pub(crate) fn push_query(sql: &mut Sql, backend: Backend, query: &CustomerQuery) {
    if let Some(index) = &query.mobile_index {
        sql.push(" AND c.mobile_index = ")
            .bind(Param::Bytes(index.clone()));
    }
    if let Some(index) = &query.id_number_index {
        sql.push(" AND c.id_number_index = ")
            .bind(Param::Bytes(index.clone()));
    }
    if let Some(owner) = &query.owner {
        sql.push(" AND c.owner_id = ").bind_text(owner.as_str());
    }
    if let Some(source) = &query.source {
        sql.push(" AND c.source = ").bind_text(source);
    }
    if let Some(ids) = &query.ids {
        let json = serde_json::Value::from(ids.iter().map(CustomerId::as_str).collect::<Vec<_>>());
        let (open, close) = match backend {
            Backend::Sqlite => (" AND c.id IN (SELECT value FROM json_each(", "))"),
            Backend::Postgres => (
                " AND c.id IN (SELECT json_array_elements_text(CAST(",
                " AS json)))",
            ),
        };
        sql.push(open)
            .bind(Param::Text(json.to_string()))
            .push(close);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use dealervault_domain::ids::TeamId;

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
            "((c.owner_id IN (SELECT id FROM users WHERE team_id = $1)) \
             AND NOT COALESCE((c.owner_id = $2), FALSE))"
        );
        assert_eq!(sql.params.len(), 2);
    }

    #[test]
    fn terms_are_bound_and_an_id_list_is_one_parameter() {
        let query = CustomerQuery {
            mobile_index: Some(vec![1; 16]),
            id_number_index: Some(vec![2; 16]),
            ids: Some(vec![
                CustomerId::from_stored("a".into()),
                CustomerId::from_stored("b\"') OR 1=1".into()),
            ]),
            ..CustomerQuery::default()
        };
        for (backend, ids) in [
            (Backend::Sqlite, "c.id IN (SELECT value FROM json_each($3))"),
            (
                Backend::Postgres,
                "c.id IN (SELECT json_array_elements_text(CAST($3 AS json)))",
            ),
        ] {
            let mut sql = Sql::new("");
            push_query(&mut sql, backend, &query);
            assert_eq!(
                sql.text,
                format!(" AND c.mobile_index = $1 AND c.id_number_index = $2 AND {ids}")
            );
            assert!(matches!(&sql.params[0], Param::Bytes(b) if b == &vec![1; 16]));
            assert!(
                matches!(&sql.params[2], Param::Text(json) if json == r#"["a","b\"') OR 1=1"]"#)
            );
        }
        assert!(CustomerQuery::default().is_empty());
        let none = CustomerQuery {
            ids: Some(Vec::new()),
            ..CustomerQuery::default()
        };
        assert!(!none.is_empty() && none.matches_nothing());
        assert_eq!(
            format!("{query:?}"),
            "CustomerQuery { mobile_index: true, id_number_index: true, ids: Some(2), \
             owner: None, source: None }"
        );
    }

    #[test]
    fn owner_and_source_filters_are_bound() {
        let query = CustomerQuery {
            owner: Some(UserId::from_stored("u1' OR 1=1".into())),
            source: Some("autohome".into()),
            ..CustomerQuery::default()
        };
        assert!(!query.is_empty());
        let mut sql = Sql::new("");
        push_query(&mut sql, Backend::Sqlite, &query);
        assert_eq!(sql.text, " AND c.owner_id = $1 AND c.source = $2");
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
