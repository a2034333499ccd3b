//! The permission editor's form, both ways: a role's rights as named inputs, and the
//! inputs posted back as rights. One select per entity × action for the widest allowed
//! scope (`allow.customer.view = store`) and one for the widest denied scope
//! (`deny.customer.view`), one level select per field (`level.customer.mobile`) and an
//! export checkbox (`export.customer.mobile = on`). Scopes nest, so one select per cell
//! loses nothing of a role (the policy's canonical form has one grant per cell).

use dealervault_domain::access::ScopeLevel;
use dealervault_domain::catalog::{governed_fields, Entity};
use dealervault_policy::{
    actions_for, Action, Effect, ExportRight, FieldLevel, FieldRule, Grant, RolePolicy,
};

/// A posted input that names no cell or field of the editor, or a value that is not
/// one of its choices: only a forged or stale form sends one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnknownInput(pub String);

fn effect_code(effect: Effect) -> &'static str {
    match effect {
        Effect::Allow => "allow",
        Effect::Deny => "deny",
    }
}

/// The input name of one cell: `allow.customer.view`.
pub fn cell_name(effect: Effect, entity: Entity, action: Action) -> String {
    format!(
        "{}.{}.{}",
        effect_code(effect),
        entity.code(),
        action.code()
    )
}

pub fn level_name(entity: Entity, field: &str) -> String {
    format!("level.{}.{field}", entity.code())
}

pub fn export_name(entity: Entity, field: &str) -> String {
    format!("export.{}.{field}", entity.code())
}

/// The inputs that carry these rights, as the editor would post them (what the review
/// page hands on in hidden inputs). Empty selects are left out.
pub fn inputs(policy: &RolePolicy) -> Vec<(String, String)> {
    let policy = policy.normalised();
    let mut out = Vec::new();
    for g in &policy.grants {
        out.push((
            cell_name(g.effect, g.entity, g.action),
            g.scope.code().to_string(),
        ));
    }
    for f in &policy.fields {
        out.push((level_name(f.entity, &f.field), f.level.code().to_string()));
        let export = f.export_right();
        if export != ExportRight::None {
            out.push((export_name(f.entity, &f.field), export.code().to_string()));
        }
    }
    out
}

/// Reads the editor's inputs. Other inputs the page posts (`csrf`, `version`) are for
/// the caller and skipped here.
pub fn parse(pairs: &[(String, String)]) -> Result<RolePolicy, UnknownInput> {
    let mut policy = RolePolicy::default();
    let mut exports: Vec<(Entity, String, ExportRight)> = Vec::new();
    for (name, value) in pairs {
        let unknown = || UnknownInput(name.clone());
        let mut parts = name.splitn(3, '.');
        let (kind, entity, rest) = (parts.next(), parts.next(), parts.next());
        let (Some(kind), Some(entity), Some(rest)) = (kind, entity, rest) else {
            continue;
        };
        let entity = Entity::from_code(entity).ok_or_else(unknown)?;
        match kind {
            "allow" | "deny" => {
                let action = Action::from_code(rest)
                    .filter(|a| actions_for(entity).contains(a))
                    .ok_or_else(unknown)?;
                if value.is_empty() {
                    continue;
                }
                let scope = ScopeLevel::from_code(value).ok_or_else(unknown)?;
                let grant = if kind == "allow" {
                    Grant::allow(entity, action, scope)
                } else {
                    Grant::deny(entity, action, scope)
                };
                policy.grants.push(grant);
            }
            "level" | "export" => {
                let field = governed_fields(entity)
                    .find(|f| f.name == rest)
                    .ok_or_else(unknown)?
                    .name;
                if kind == "export" {
                    let right = match value.as_str() {
                        "" => ExportRight::None,
                        code => ExportRight::ALL
                            .into_iter()
                            .find(|r| r.code() == code)
                            .ok_or_else(unknown)?,
                    };
                    exports.push((entity, field.to_string(), right));
                    continue;
                }
                let level = FieldLevel::from_code(value).ok_or_else(unknown)?;
                policy.fields.push(FieldRule {
                    entity,
                    field: field.to_string(),
                    level,
                    export: false,
                    export_clear: false,
                });
            }
            _ => return Err(unknown()),
        }
    }
    for rule in &mut policy.fields {
        let right = exports
            .iter()
            .find(|(e, f, _)| *e == rule.entity && *f == rule.field)
            .map_or(ExportRight::None, |(.., r)| *r);
        rule.export = right != ExportRight::None;
        rule.export_clear = right == ExportRight::Clear;
    }
    Ok(policy.normalised())
}

#[cfg(test)]
mod tests {
    use super::*;
    use dealervault_policy::default_roles;

    fn owned(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    #[test]
    fn every_default_role_survives_the_round_trip() {
        for role in default_roles() {
            let mut posted = inputs(&role.policy);
            posted.push(("csrf".into(), "token".into()));
            posted.push(("version".into(), "7".into()));
            assert_eq!(
                parse(&posted),
                Ok(role.policy.normalised()),
                "{}",
                role.code
            );
        }
    }

    #[test]
    fn empty_selects_grant_nothing() {
        let p = parse(&owned(&[
            ("allow.customer.view", ""),
            ("deny.customer.view", ""),
        ]))
        .expect("accepted");
        assert_eq!(p, RolePolicy::default());
    }

    #[test]
    fn an_export_box_applies_to_its_field_only() {
        let p = parse(&owned(&[
            ("level.customer.name", "clear"),
            ("level.customer.mobile", "masked"),
            ("export.customer.mobile", "clear"),
            ("export.customer.name", "as_shown"),
            ("export.customer.source", "none"),
            ("level.customer.source", "clear"),
        ]))
        .expect("accepted");
        let export = |f: &str| {
            p.field_rule(Entity::Customer, f)
                .map(FieldRule::export_right)
        };
        assert_eq!(export("mobile"), Some(ExportRight::Clear));
        assert_eq!(export("name"), Some(ExportRight::AsShown));
        assert_eq!(export("source"), Some(ExportRight::None));
    }

    #[test]
    fn forged_inputs_are_refused() {
        for (name, value) in [
            ("allow.customer.fly", "own"),
            ("allow.audit_log.delete", "group"),
            ("allow.customer.view", "planet"),
            ("allow.spaceship.view", "own"),
            ("level.customer.salary", "clear"),
            ("level.customer.mobile", "everything"),
            ("grant.customer.view", "own"),
        ] {
            assert_eq!(
                parse(&owned(&[(name, value)])),
                Err(UnknownInput(name.to_string())),
                "{name}"
            );
        }
    }
}
