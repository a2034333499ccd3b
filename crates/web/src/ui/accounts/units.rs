//! Organisation places in words and as select options.

use super::super::i18n::Lang;
use dealervault_app::users::OrgUnit;

fn pick<'a>(lang: Lang, zh: &'a Option<String>, en: &'a Option<String>) -> Option<&'a str> {
    if lang.is_zh() { zh } else { en }.as_deref()
}

/// "销售部 · 销售一组": where in its store a place is; `None` for a store or the group.
pub fn within_store(lang: Lang, u: &OrgUnit) -> Option<String> {
    let department = pick(lang, &u.department_zh, &u.department_en)?;
    Some(
        std::iter::once(department)
            .chain(u.team.as_deref())
            .collect::<Vec<_>>()
            .join(" · "),
    )
}

/// "门店 SH01 · 销售部 · 销售一组", or the group's name.
pub fn label(lang: Lang, u: &OrgUnit) -> String {
    let Some(code) = &u.store_code else {
        return lang.t("user.group").to_string();
    };
    let store = format!("{} {code}", lang.t("user.store"));
    match within_store(lang, u) {
        Some(inside) => format!("{store} · {inside}"),
        None => store,
    }
}

/// A place's own name: the group's, "SH01 上海浦东店", a department's or a team's.
pub fn own_name(lang: Lang, u: &OrgUnit) -> String {
    match u.depth {
        0 => lang.t("user.group").to_string(),
        1 => format!(
            "{} {}",
            u.store_code.as_deref().unwrap_or_default(),
            pick(lang, &u.store_zh, &u.store_en).unwrap_or_default()
        ),
        2 => pick(lang, &u.department_zh, &u.department_en)
            .unwrap_or_default()
            .to_string(),
        _ => u.team.clone().unwrap_or_default(),
    }
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
