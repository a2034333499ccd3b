//! SQL text assembled at run time together with its bind parameters, for queries whose
//! shape depends on the request (row scopes, search filters, keyset pages, multi-row
//! inserts).

use crate::connect::Backend;

/// A bound value of a dynamic query.
#[derive(Debug, Clone)]
pub(crate) enum Param {
    Text(String),
    Int(i64),
    /// BLOB on SQLite, BYTEA on PostgreSQL: envelopes and blind indexes.
    Bytes(Vec<u8>),
}

/// SQL text and the values for its `$n` placeholders, numbered as they are added.
#[derive(Debug, Default)]
pub(crate) struct Sql {
    pub text: String,
    pub params: Vec<Param>,
}

impl Sql {
    pub fn new(text: &str) -> Self {
        Self {
            text: text.to_string(),
            params: Vec::new(),
        }
    }

    pub fn push(&mut self, text: &str) -> &mut Self {
        self.text.push_str(text);
        self
    }

    /// Appends a placeholder for `param`.
    pub fn bind(&mut self, param: Param) -> &mut Self {
        self.params.push(param);
        let n = self.params.len();
        self.text.push('$');
        self.text.push_str(&n.to_string());
        self
    }

    pub fn bind_text(&mut self, value: &str) -> &mut Self {
        self.bind(Param::Text(value.to_string()))
    }

    /// Appends a parenthesised list of placeholders, e.g. for `IN (...)`.
    pub fn bind_list(&mut self, params: impl IntoIterator<Item = Param>) -> &mut Self {
        self.text.push('(');
        for (i, param) in params.into_iter().enumerate() {
            if i > 0 {
                self.text.push(',');
            }
            self.bind(param);
        }
        self.text.push(')');
        self
    }
}

/// `($first, ..., $first+count-1)`.
fn placeholders(first: usize, count: usize) -> String {
    let mut s = String::with_capacity(count * 5 + 2);
    s.push('(');
    for i in 0..count {
        if i > 0 {
            s.push(',');
        }
        s.push('$');
        s.push_str(&(first + i).to_string());
    }
    s.push(')');
    s
}

/// `rows` value lists of `columns` placeholders each, for a multi-row `VALUES`.
///
/// SQLite gets anonymous `?`: it finds a numbered parameter's slot by a linear scan of the
/// statement's parameter names, so binding n `$N` parameters costs O(n^2), which made a
/// 7,500-parameter insert several times slower than the insert itself.
pub(crate) fn values_rows(backend: Backend, rows: usize, columns: usize) -> String {
    match backend {
        Backend::Sqlite => {
            let row = format!("({})", vec!["?"; columns].join(","));
            vec![row; rows].join(",")
        }
        Backend::Postgres => (0..rows)
            .map(|r| placeholders(r * columns + 1, columns))
            .collect::<Vec<_>>()
            .join(","),
    }
}

/// Binds a `Sql`'s parameters, in order, to a `query`/`query_as`/`query_scalar`.
macro_rules! bind_params {
    ($query:expr, $params:expr) => {{
        let mut query = $query;
        for param in $params {
            query = match param {
                $crate::sql::Param::Text(v) => query.bind(v.as_str()),
                $crate::sql::Param::Int(v) => query.bind(*v),
                $crate::sql::Param::Bytes(v) => query.bind(v.as_slice()),
            };
        }
        query
    }};
}
pub(crate) use bind_params;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn placeholders_number_on_across_rows() {
        assert_eq!(
            values_rows(Backend::Postgres, 2, 3),
            "($1,$2,$3),($4,$5,$6)"
        );
        assert_eq!(values_rows(Backend::Sqlite, 2, 2), "(?,?),(?,?)");
        let mut sql = Sql::new("a = ");
        sql.bind_text("v")
            .push(" AND b IN ")
            .bind_list([Param::Int(1), Param::Int(2)]);
        assert_eq!(sql.text, "a = $1 AND b IN ($2,$3)");
        assert_eq!(sql.params.len(), 3);
    }
}
