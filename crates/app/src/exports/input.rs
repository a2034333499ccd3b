//! An export request as a client sends it, and as it is checked: the entity (customers),
//! a filter of the same terms as the customer list's, the fields the role may export,
//! the format, and a purpose that goes into the audit log (so it may not carry a contact
//! number). Every refused part is reported at once.

use dealervault_domain::catalog::{self, Entity};
use dealervault_domain::error::{FieldError, Rule};
use dealervault_domain::exports::ExportFormat;
use dealervault_domain::ids::UserId;
use dealervault_domain::values::{Reason, Source};

/// `POST /api/v1/exports`.
#[derive(Debug, Clone, Default, serde::Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ExportInput {
    /// `customers`.
    #[serde(default)]
    pub entity: String,
    #[serde(default)]
    pub filter: ExportFilterInput,
    /// Field names of the entity, in the order the file's columns should have; all the
    /// role may export when empty.
    #[serde(default)]
    pub fields: Vec<String>,
    /// `csv` (UTF-8 with BOM) or `xlsx`.
    #[serde(default)]
    pub format: String,
    /// Why the export is needed: the approvers read it, the audit log keeps it.
    #[serde(default)]
    pub purpose: String,
}

/// Which rows: the customer list's filters. Empty: every customer in the requester's
/// export scope.
#[derive(
    Debug, Clone, Default, PartialEq, Eq, serde::Deserialize, serde::Serialize, utoipa::ToSchema,
)]
#[serde(deny_unknown_fields)]
pub struct ExportFilterInput {
    /// Only this owner's customers (a user id).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub owner: Option<String>,
    /// Only customers from this source (`walk_in`, `autohome`, …).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<String>,
}

/// `POST /api/v1/exports/{id}/approve` and `/reject`.
#[derive(Debug, Clone, Default, serde::Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct DecisionInput {
    #[serde(default)]
    pub comment: Option<String>,
}

/// A request that passed every check of its form (rights are checked by the use case).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct ParsedExport {
    pub filter: ParsedFilter,
    pub fields: Vec<&'static str>,
    pub format: ExportFormat,
    pub purpose: Reason,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub(crate) struct ParsedFilter {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub owner: Option<UserId>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<String>,
}

fn blank_to_none(s: &Option<String>) -> Option<&str> {
    s.as_deref().map(str::trim).filter(|s| !s.is_empty())
}

impl ExportInput {
    /// The request in domain terms; `exportable` lists the fields the role may export,
    /// in catalog order (the default when no field is named).
    pub(crate) fn parse(
        &self,
        exportable: &[&'static str],
    ) -> Result<ParsedExport, Vec<FieldError>> {
        let mut errors = Vec::new();
        if self.entity.trim() != "customers" {
            errors.push(FieldError::new("entity", Rule::UnknownValue));
        }
        let format = ExportFormat::parse("format", self.format.trim());
        let purpose = Reason::parse("purpose", &self.purpose);
        let mut fields = Vec::new();
        if self.fields.is_empty() {
            fields.extend_from_slice(exportable);
        }
        for name in &self.fields {
            match catalog::field(Entity::Customer, name.trim()) {
                Some(spec) if exportable.contains(&spec.name) => {
                    if !fields.contains(&spec.name) {
                        fields.push(spec.name);
                    }
                }
                _ => {
                    errors.push(FieldError::new("fields", Rule::UnknownValue));
                    break;
                }
            }
        }
        if fields.is_empty() && !errors.iter().any(|e| e.field == "fields") {
            errors.push(FieldError::new("fields", Rule::Required));
        }
        let owner = match blank_to_none(&self.filter.owner) {
            Some(o) => UserId::parse(o).map(Some).ok_or_else(|| {
                errors.push(FieldError::new("filter.owner", Rule::UnknownValue));
            }),
            None => Ok(None),
        };
        let source = match blank_to_none(&self.filter.source) {
            Some(s) => Source::parse("filter.source", s)
                .map(|s| Some(s.code().to_string()))
                .map_err(|e| errors.push(e)),
            None => Ok(None),
        };
        let format = format.map_err(|e| errors.push(e));
        let purpose = purpose.map_err(|e| errors.push(e));
        match (format, purpose, owner, source) {
            (Ok(format), Ok(purpose), Ok(owner), Ok(source)) if errors.is_empty() => {
                Ok(ParsedExport {
                    filter: ParsedFilter { owner, source },
                    fields,
                    format,
                    purpose,
                })
            }
            _ => Err(errors),
        }
    }
}

impl DecisionInput {
    /// The comment, checked like a reason when one is given.
    pub(crate) fn parse(&self) -> Result<Option<Reason>, FieldError> {
        blank_to_none(&self.comment)
            .map(|c| Reason::parse("comment", c))
            .transpose()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const EXPORTABLE: [&str; 3] = ["name", "mobile", "source"];

    fn input(fields: &[&str]) -> ExportInput {
        ExportInput {
            entity: "customers".into(),
            filter: ExportFilterInput::default(),
            fields: fields.iter().map(|f| f.to_string()).collect(),
            format: "csv".into(),
            purpose: "年底回访 year-end calls".into(),
        }
    }

    fn refused(input: &ExportInput) -> Vec<&'static str> {
        input
            .parse(&EXPORTABLE)
            .expect_err("refused")
            .iter()
            .map(|e| e.field)
            .collect()
    }

    #[test]
    fn a_request_names_its_fields_in_its_own_order() {
        let parsed = input(&["mobile", "name", "mobile"])
            .parse(&EXPORTABLE)
            .expect("valid");
        assert_eq!(parsed.fields, ["mobile", "name"]);
        assert_eq!(parsed.format, ExportFormat::Csv);
        let all = input(&[]).parse(&EXPORTABLE).expect("valid");
        assert_eq!(
            all.fields, EXPORTABLE,
            "no field named: all the role may export"
        );
    }

    #[test]
    fn every_refused_part_is_named() {
        assert_eq!(
            refused(&input(&["id_number"])),
            ["fields"],
            "not exportable"
        );
        assert_eq!(refused(&input(&["nonsense"])), ["fields"]);
        let mut bad = input(&["name"]);
        bad.entity = "payroll".into();
        bad.format = "pdf".into();
        bad.purpose = " ".into();
        bad.filter.owner = Some("x".into());
        bad.filter.source = Some("moon".into());
        let mut fields = refused(&bad);
        fields.sort_unstable();
        assert_eq!(
            fields,
            [
                "entity",
                "filter.owner",
                "filter.source",
                "format",
                "purpose"
            ]
        );
        let mut leaky = input(&["name"]);
        leaky.purpose = "给 138 1234 5678 的客户".into();
        assert_eq!(refused(&leaky), ["purpose"], "a mobile in the purpose");
        assert_eq!(
            input(&[]).parse(&[]).expect_err("nothing to export")[0].field,
            "fields"
        );
    }
}
