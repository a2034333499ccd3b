//! Organisation places in words and as select options.

use super::super::i18n::Lang;
use dealervault_app::users::OrgUnit;

/// "门店 SH01 · 销售部 · 销售一组", or the group's name.
pub fn label(lang: Lang, u: &OrgUnit) -> String {
    let Some(code) = &u.store_code else {
        return lang.t("user.group").to_string();
    };
    let mut parts = vec![format!("{} {code}", lang.t("user.store"))];
    let department = if lang.is_zh() {
        &u.department_zh
    } else {
        &u.department_en
    };
    parts.extend(department.iter().cloned());
    parts.extend(u.team.iter().cloned());
    parts.join(" · ")
}

/// The label of the place `key` names, or the key itself if unknown.
pub fn label_of(lang: Lang, units: &[OrgUnit], key: &str) -> String {
    units
        .iter()
        .find(|u| u.key == key)
        .map_or_else(|| key.to_string(), |u| label(lang, u))
}

/// An option of a select built at run time (places and roles live in the database).
#[derive(Debug, Clone)]
pub struct UnitOption {
    pub key: String,
    pub label: String,
    pub selected: bool,
}

pub fn options(lang: Lang, units: &[OrgUnit], selected: &str) -> Vec<UnitOption> {
    units
        .iter()
        .map(|u| UnitOption {
            key: u.key.clone(),
            label: label(lang, u),
            selected: u.key == selected,
        })
        .collect()
}

/// Role options, by code, in the page's language.
pub fn role_options(
    lang: Lang,
    roles: &[dealervault_app::roles::RoleSummary],
    selected: &str,
) -> Vec<UnitOption> {
    roles
        .iter()
        .map(|r| UnitOption {
            key: r.code.clone(),
            label: if lang.is_zh() { &r.name_zh } else { &r.name_en }.clone(),
            selected: r.code == selected,
        })
        .collect()
}
