//! `/admin/roles/{code}`: the permission editor, its live preview, the review of what a
//! change opens up, and the save.

use super::super::choice::Choice;
use super::super::errors::{self, render};
use super::super::i18n::Lang;
use super::super::layout::{Layout, Section};
use super::super::session::PageActor;
use super::form::{self, cell_name, export_name, level_name};
use super::{scope_choices, scope_label, DifferenceLine};
use crate::WebState;
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use axum::Form;
use dealervault_app::roles::{RoleDetail, RolePreview};
use dealervault_app::AppError;
use dealervault_domain::catalog::{governed_fields, Entity, Sensitivity};
use dealervault_policy::change::{differences, Difference};
use dealervault_policy::{
    actions_for, Action, Effect, ExportRight, FieldLevel, FieldRule, PolicyProblem, RolePolicy,
};
use serde::Deserialize;

/// The header the page's script sends when it wants only the preview panel back.
const FRAGMENT_HEADER: &str = "x-fragment";

/// One cell of the matrix: the allowed and the denied scope of one action.
#[derive(Debug, Clone)]
pub struct Cell {
    /// The action means nothing for this entity: the cell is empty.
    pub applicable: bool,
    pub action: &'static str,
    pub allow_name: String,
    pub deny_name: String,
    pub allow: Vec<Choice>,
    pub deny: Vec<Choice>,
    pub allowed: bool,
    pub denied: bool,
}

#[derive(Debug, Clone)]
pub struct MatrixRow {
    pub entity: &'static str,
    pub cells: Vec<Cell>,
}

#[derive(Debug, Clone)]
pub struct FieldRow {
    pub label: String,
    pub sensitivity: &'static str,
    pub sensitive: bool,
    pub level_name: String,
    pub levels: Vec<Choice>,
    pub export_name: String,
    /// How the field may leave in an export: not, as shown, in clear.
    pub exports: Vec<Choice>,
}

/// The sample customer as one set of rights shows it.
#[derive(Debug, Clone)]
pub struct PreviewPanel {
    pub heading: &'static str,
    pub sees: bool,
    pub scope: &'static str,
    pub actions: Vec<&'static str>,
    pub fields: Vec<PreviewField>,
}

#[derive(Debug, Clone)]
pub struct PreviewField {
    pub label: &'static str,
    /// `None`: hidden from the role.
    pub value: Option<String>,
    pub masked: bool,
    pub editable: bool,
}

/// The role's name and facts, for every page here.
#[derive(Debug, Clone)]
pub struct RoleHead {
    pub code: String,
    pub name: String,
    pub builtin: bool,
    pub members: i64,
    pub version: i64,
}

impl RoleHead {
    fn of(lang: Lang, r: &RoleDetail) -> Self {
        Self {
            code: r.code.clone(),
            name: if lang.is_zh() { &r.name_zh } else { &r.name_en }.clone(),
            builtin: r.builtin,
            members: r.members,
            version: r.version,
        }
    }
}

#[derive(Debug, Template)]
#[template(path = "roles/editor.html")]
pub struct EditorPage {
    pub page: Layout,
    pub csrf: String,
    pub role: RoleHead,
    pub can_edit: bool,
    pub columns: Vec<&'static str>,
    pub matrix: Vec<MatrixRow>,
    pub fields: Vec<FieldRow>,
    /// Deny selects start open when the role has a deny.
    pub show_deny: bool,
    /// The two-step sign-in mark as shown (saved, or just posted).
    pub requires_mfa: bool,
    pub preview: PreviewPair,
    pub notice: Option<String>,
    pub alert: Option<String>,
}

/// The sample as the saved role shows it, and — when the form holds changes — as the
/// changed role would.
#[derive(Debug, Clone)]
pub struct PreviewPair {
    pub now: PreviewPanel,
    pub changed: Option<PreviewPanel>,
}

impl PreviewPair {
    pub fn panels(&self) -> Vec<&PreviewPanel> {
        std::iter::once(&self.now).chain(&self.changed).collect()
    }
}

#[derive(Debug, Template)]
#[template(path = "roles/preview.html")]
pub struct PreviewFragment {
    pub page: Layout,
    pub preview: PreviewPair,
}

#[derive(Debug, Template)]
#[template(path = "roles/review.html")]
pub struct ReviewPage {
    pub page: Layout,
    pub csrf: String,
    pub role: RoleHead,
    /// The posted rights, handed on to the save (or back to the editor).
    pub inputs: Vec<(String, String)>,
    pub opens: Vec<DifferenceLine>,
    pub closes: Vec<DifferenceLine>,
}

#[derive(Debug, Default, Deserialize)]
pub struct EditorQuery {
    saved: Option<usize>,
    created: Option<u8>,
}

fn matrix(lang: Lang, policy: &RolePolicy) -> Vec<MatrixRow> {
    Entity::ALL
        .into_iter()
        .map(|entity| MatrixRow {
            entity: lang.t(&format!("perm.entity.{}", entity.code())),
            cells: Action::ALL
                .into_iter()
                .map(|action| {
                    let allow = policy.widest(entity, action, Effect::Allow);
                    let deny = policy.widest(entity, action, Effect::Deny);
                    Cell {
                        applicable: actions_for(entity).contains(&action),
                        action: lang.t(&format!("perm.action.{}", action.code())),
                        allow_name: cell_name(Effect::Allow, entity, action),
                        deny_name: cell_name(Effect::Deny, entity, action),
                        allow: scope_choices(lang, allow),
                        deny: scope_choices(lang, deny),
                        allowed: allow.is_some(),
                        denied: deny.is_some(),
                    }
                })
                .collect(),
        })
        .collect()
}

fn sensitivity_key(s: Sensitivity) -> &'static str {
    match s {
        Sensitivity::Public => "perm.sensitivity.public",
        Sensitivity::Internal => "perm.sensitivity.internal",
        Sensitivity::Personal => "perm.sensitivity.personal",
        Sensitivity::Sensitive => "perm.sensitivity.sensitive",
        Sensitivity::Secret => "perm.sensitivity.secret",
    }
}

/// Every governed field of every entity, customers first; fields of other entities are
/// named with their entity ("线索 · 手机号").
fn field_rows(lang: Lang, policy: &RolePolicy) -> Vec<FieldRow> {
    Entity::ALL
        .into_iter()
        .flat_map(|entity| governed_fields(entity).map(move |spec| (entity, spec)))
        .map(|(entity, spec)| {
            let level = policy.field_level(entity, spec.name);
            let field = lang.label_of(entity, spec.name);
            FieldRow {
                label: if entity == Entity::Customer {
                    field.to_string()
                } else {
                    format!(
                        "{} · {field}",
                        lang.t(&format!("perm.entity.{}", entity.code()))
                    )
                },
                sensitivity: lang.t(sensitivity_key(spec.sensitivity)),
                sensitive: spec.sensitivity >= Sensitivity::Personal,
                level_name: level_name(entity, spec.name),
                levels: Choice::list(
                    lang,
                    "perm.level",
                    FieldLevel::ALL.map(FieldLevel::code),
                    level.code(),
                ),
                export_name: export_name(entity, spec.name),
                exports: Choice::list(
                    lang,
                    "perm.export",
                    ExportRight::ALL.map(ExportRight::code),
                    policy
                        .field_rule(entity, spec.name)
                        .map_or(ExportRight::None, FieldRule::export_right)
                        .code(),
                ),
            }
        })
        .collect()
}

fn panel(lang: Lang, heading: &'static str, p: &RolePreview) -> PreviewPanel {
    PreviewPanel {
        heading,
        sees: p.scope.is_some(),
        scope: scope_label(lang, p.scope),
        actions: p
            .actions
            .iter()
            .map(|a| lang.t(&format!("perm.action.{}", a.code())))
            .collect(),
        fields: governed_fields(Entity::Customer)
            .map(|spec| {
                let value = p.customer.field(spec.name).map(|v| match v {
                    Some(v) => lang.code_label(spec.name, v),
                    None => String::new(),
                });
                PreviewField {
                    label: lang.field_label(spec.name),
                    value,
                    masked: p.customer.masked.iter().any(|f| f == spec.name),
                    editable: p.customer.editable.iter().any(|f| f == spec.name),
                }
            })
            .collect(),
    }
}

/// Previews of the saved rights and, when they differ, of the posted ones.
async fn previews(
    state: &WebState,
    who: &PageActor,
    saved: &RolePolicy,
    posted: Option<&RolePolicy>,
) -> Result<PreviewPair, AppError> {
    let lang = who.lang;
    let now = state.app.preview_role(&who.actor, saved).await?;
    let changed = match posted.filter(|p| !differences(saved, p).is_empty()) {
        Some(p) => Some(state.app.preview_role(&who.actor, p).await?),
        None => None,
    };
    Ok(PreviewPair {
        now: panel(
            lang,
            lang.t(if changed.is_some() {
                "roles.preview.now"
            } else {
                "roles.preview.heading"
            }),
            &now,
        ),
        changed: changed.map(|c| panel(lang, lang.t("roles.preview.changed"), &c)),
    })
}

/// The editor over `shown` rights (the saved ones, or those just posted).
async fn editor(
    state: &WebState,
    who: &PageActor,
    status: StatusCode,
    role: &RoleDetail,
    shown: (&RolePolicy, Option<bool>),
    notice: Option<String>,
    alert: Option<String>,
) -> Response {
    let (shown, shown_mfa) = shown;
    let lang = who.lang;
    let preview = match previews(state, who, &role.policy, Some(shown)).await {
        Ok(p) => p,
        Err(e) => return errors::app_error(who, &e),
    };
    let head = RoleHead::of(lang, role);
    let template = EditorPage {
        page: Layout::for_actor(
            who,
            &lang.t1("roles.editor.title", &head.name),
            Section::Roles,
        )
        .at(&format!("/admin/roles/{}", role.code)),
        csrf: who.csrf().to_string(),
        can_edit: who.actor.may(Entity::Role, Action::Edit),
        columns: Action::ALL
            .iter()
            .map(|a| lang.t(&format!("perm.action.{}", a.code())))
            .collect(),
        matrix: matrix(lang, shown),
        fields: field_rows(lang, shown),
        show_deny: shown.grants.iter().any(|g| g.effect == Effect::Deny),
        requires_mfa: shown_mfa.unwrap_or(role.requires_mfa),
        preview,
        notice,
        alert,
        role: head,
    };
    render(status, &template)
}

pub async fn show(
    State(state): State<WebState>,
    who: PageActor,
    Path(code): Path<String>,
    Query(q): Query<EditorQuery>,
) -> Response {
    let lang = who.lang;
    let role = match state.app.role_detail(&who.actor, &code).await {
        Ok(role) => role,
        Err(e) => return errors::app_error(&who, &e),
    };
    let notice = match (q.saved, q.created) {
        (Some(n), _) => Some(lang.t1("roles.done.saved", n)),
        (None, Some(_)) => Some(lang.t("roles.done.created").to_string()),
        _ => None,
    };
    let policy = role.policy.clone();
    editor(
        &state,
        &who,
        StatusCode::OK,
        &role,
        (&policy, None),
        notice,
        None,
    )
    .await
}

/// What the editor posted: its rights, the two-step sign-in mark, the version it started
/// from, the CSRF token.
struct Posted {
    policy: RolePolicy,
    /// `None` when the form did not carry the mark (it stays as it is).
    requires_mfa: Option<bool>,
    version: Option<i64>,
}

/// The two-step sign-in mark: a hidden `0` followed by the checkbox's `1`, so the last
/// value posted is the one meant.
fn posted_mfa(pairs: &[(String, String)]) -> Result<Option<bool>, ()> {
    match pairs.iter().rev().find(|(k, _)| k == MFA_INPUT) {
        None => Ok(None),
        Some((_, v)) if v == "1" => Ok(Some(true)),
        Some((_, v)) if v == "0" => Ok(Some(false)),
        Some(_) => Err(()),
    }
}

/// The name of the two-step sign-in mark's inputs.
const MFA_INPUT: &str = "requires_mfa";

/// Checks the token and reads the editor's inputs; an input the editor never sends
/// answers 422.
/// (A refusal is boxed: a `Response` is large, and the happy path should not carry it.)
fn read(who: &PageActor, pairs: &[(String, String)]) -> Result<Posted, Box<Response>> {
    let value = |name: &str| {
        pairs
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    };
    if let Some(refused) = who.csrf_refusal(value("csrf")) {
        return Err(Box::new(refused));
    }
    let policy = form::parse(pairs).map_err(|_| {
        Box::new(errors::app_error(
            who,
            &AppError::invalid("policy", dealervault_domain::error::Rule::UnknownValue),
        ))
    })?;
    let requires_mfa = posted_mfa(pairs).map_err(|()| {
        Box::new(errors::app_error(
            who,
            &AppError::invalid(
                "requires_mfa",
                dealervault_domain::error::Rule::UnknownValue,
            ),
        ))
    })?;
    Ok(Posted {
        policy,
        requires_mfa,
        version: value("version").and_then(|v| v.parse().ok()),
    })
}

async fn load(state: &WebState, who: &PageActor, code: &str) -> Result<RoleDetail, Box<Response>> {
    state
        .app
        .role_detail(&who.actor, code)
        .await
        .map_err(|e| Box::new(errors::app_error(who, &e)))
}

/// The posted rights and the role as saved now: what the preview and the review
/// compare.
async fn read_against(
    state: &WebState,
    who: &PageActor,
    code: &str,
    pairs: &[(String, String)],
) -> Result<(Posted, RoleDetail), Box<Response>> {
    let posted = read(who, pairs)?;
    Ok((posted, load(state, who, code).await?))
}

/// Why a set of rights cannot be saved, in words, before anyone confirms it.
fn problem_text(lang: Lang, problem: &PolicyProblem) -> String {
    match problem {
        PolicyProblem::DutiesMeet(a, b) => lang
            .t("roles.error.duties")
            .replacen("{}", lang.t(&format!("perm.duty.{}", a.code())), 1)
            .replacen("{}", lang.t(&format!("perm.duty.{}", b.code())), 1),
        _ => lang.t("roles.error.invalid").to_string(),
    }
}

/// The live preview: only the panel for the page's script, the whole editor otherwise.
pub async fn preview(
    State(state): State<WebState>,
    who: PageActor,
    Path(code): Path<String>,
    headers: HeaderMap,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Response {
    let (posted, role) = match read_against(&state, &who, &code, &pairs).await {
        Ok(both) => both,
        Err(refused) => return *refused,
    };
    if headers.contains_key(FRAGMENT_HEADER) {
        return match previews(&state, &who, &role.policy, Some(&posted.policy)).await {
            Ok(preview) => render(
                StatusCode::OK,
                &PreviewFragment {
                    page: Layout::for_actor(&who, "", Section::Roles),
                    preview,
                },
            ),
            Err(e) => errors::app_error(&who, &e),
        };
    }
    // Back from the review: keep the version the editing started from, so that a save
    // still notices a change made meanwhile.
    let mut role = role;
    role.version = posted.version.unwrap_or(role.version);
    editor(
        &state,
        &who,
        StatusCode::OK,
        &role,
        (&posted.policy, posted.requires_mfa),
        None,
        None,
    )
    .await
}

/// The review before saving: everything the change opens up and closes.
pub async fn review(
    State(state): State<WebState>,
    who: PageActor,
    Path(code): Path<String>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Response {
    let lang = who.lang;
    let (posted, role) = match read_against(&state, &who, &code, &pairs).await {
        Ok(both) => both,
        Err(refused) => return *refused,
    };
    if let Some(problem) = posted.policy.problem() {
        let alert = Some(problem_text(lang, &problem));
        let status = StatusCode::CONFLICT;
        let shown = (&posted.policy, posted.requires_mfa);
        return editor(&state, &who, status, &role, shown, None, alert).await;
    }
    let mut changes = differences(&role.policy, &posted.policy);
    if let Some(to) = posted.requires_mfa.filter(|to| *to != role.requires_mfa) {
        changes.push(Difference::Mfa {
            from: role.requires_mfa,
            to,
        });
    }
    let (opens, closes) = changes
        .iter()
        .map(|d| DifferenceLine::of(lang, d))
        .partition(|l| l.opens);
    let mut head = RoleHead::of(lang, &role);
    // The review hands on the version the editor started from, not today's.
    head.version = posted.version.unwrap_or(role.version);
    let template = ReviewPage {
        page: Layout::for_actor(
            &who,
            &lang.t1("roles.review.title", &head.name),
            Section::Roles,
        )
        .at(&format!("/admin/roles/{code}")),
        csrf: who.csrf().to_string(),
        inputs: form::inputs(&posted.policy)
            .into_iter()
            .chain(posted.requires_mfa.map(|on| {
                (
                    MFA_INPUT.to_string(),
                    if on { "1" } else { "0" }.to_string(),
                )
            }))
            .collect(),
        opens,
        closes,
        role: head,
    };
    render(StatusCode::OK, &template)
}

/// Saves the reviewed rights.
pub async fn save(
    State(state): State<WebState>,
    who: PageActor,
    Path(code): Path<String>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Response {
    let lang = who.lang;
    let posted = match read(&who, &pairs) {
        Ok(p) => p,
        Err(refused) => return *refused,
    };
    let Some(version) = posted.version else {
        return errors::app_error(
            &who,
            &AppError::invalid("version", dealervault_domain::error::Rule::Required),
        );
    };
    let refusal = match state
        .app
        .save_role_with(
            &who.actor,
            &code,
            version,
            &posted.policy,
            posted.requires_mfa,
        )
        .await
    {
        Ok(saved) => {
            let n = saved.differences.len();
            return Redirect::to(&format!("/admin/roles/{code}?saved={n}")).into_response();
        }
        Err(AppError::Conflict("separation_of_duties")) => posted
            .policy
            .problem()
            .map(|p| problem_text(lang, &p))
            .unwrap_or_else(|| lang.t("roles.error.invalid").to_string()),
        Err(AppError::Conflict("cannot_lock_out_self")) => lang.t("roles.error.lockout").into(),
        Err(AppError::Conflict("role_changed")) => lang.t("roles.error.changed").into(),
        Err(e) => return errors::app_error(&who, &e),
    };
    let role = match load(&state, &who, &code).await {
        Ok(r) => r,
        Err(e) => return *e,
    };
    let status = StatusCode::CONFLICT;
    editor(
        &state,
        &who,
        status,
        &role,
        (&posted.policy, posted.requires_mfa),
        None,
        Some(refusal),
    )
    .await
}
