//! Where the pages' POST forms may lead: every POST route of the staff web app, with the
//! permission its handler's use case checks. A form posting anywhere else fails the
//! crawl until its route is classified here.

use crate::*;

/// What a POST form's target requires.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Need {
    /// Anyone, signed in or not (the sign-in form).
    Anyone,
    /// Any signed-in person (sign out, change one's own password).
    SignedIn,
    /// The action on the entity; for `/customers/{id}/…` also on that customer.
    Grant(Entity, Action),
    /// Lets staff go: the administrator (user × edit) or a store manager (customer ×
    /// assign across the store), as `App::staff_in_reach` decides.
    ManagesStaff,
}

/// Every POST route of the staff web app (`ui.rs`, `ui/customers.rs`) and what the
/// handler's use case checks. A page with a form posting anywhere else fails the crawl:
/// classify the new route here.
pub(crate) const POST_TARGETS: &[(&str, Need)] = &[
    ("/login", Need::Anyone),
    // The second step of signing in: a pending sign-in, no session yet.
    ("/login/code", Need::Anyone),
    ("/logout", Need::SignedIn),
    ("/password", Need::SignedIn),
    // One's own two-step sign-in: open to every session, even one that may do nothing
    // else yet.
    ("/account/mfa/setup", Need::SignedIn),
    ("/account/mfa/confirm", Need::SignedIn),
    ("/account/mfa/recovery-codes", Need::SignedIn),
    // The search form: a post, so that names and numbers stay out of URLs.
    ("/customers", Need::Grant(Entity::Customer, Action::View)),
    (
        "/customers/new",
        Need::Grant(Entity::Customer, Action::Create),
    ),
    (
        "/customers/{id}/edit",
        Need::Grant(Entity::Customer, Action::Edit),
    ),
    (
        "/customers/{id}/reveal",
        Need::Grant(Entity::Customer, Action::Reveal),
    ),
    // The stock list's search is a GET form; these write, through `App::create_vehicle`
    // (vehicle × create) and `App::edit_vehicle` (vehicle × edit, status moves too).
    (
        "/vehicles/new",
        Need::Grant(Entity::Vehicle, Action::Create),
    ),
    (
        "/vehicles/{id}/edit",
        Need::Grant(Entity::Vehicle, Action::Edit),
    ),
    (
        "/vehicles/{id}/status",
        Need::Grant(Entity::Vehicle, Action::Edit),
    ),
    // `App::change_account` checks user × edit for all three.
    (
        "/admin/users/{id}/disable",
        Need::Grant(Entity::User, Action::Edit),
    ),
    (
        "/admin/users/{id}/enable",
        Need::Grant(Entity::User, Action::Edit),
    ),
    (
        "/admin/users/{id}/role",
        Need::Grant(Entity::User, Action::Edit),
    ),
    (
        "/alerts/{id}/acknowledge",
        Need::Grant(Entity::Alert, Action::Edit),
    ),
    (
        "/alerts/{id}/comments",
        Need::Grant(Entity::Alert, Action::Edit),
    ),
    (
        "/admin/alerts/rules/{kind}",
        Need::Grant(Entity::Settings, Action::Edit),
    ),
    (
        "/admin/alerts/webhook",
        Need::Grant(Entity::Settings, Action::Edit),
    ),
    (
        "/admin/alerts/email",
        Need::Grant(Entity::Settings, Action::Edit),
    ),
    (
        "/admin/alerts/stores/{code}",
        Need::Grant(Entity::Settings, Action::Edit),
    ),
    (
        "/admin/honeytokens",
        Need::Grant(Entity::Settings, Action::Create),
    ),
    (
        "/admin/honeytokens/{id}/retire",
        Need::Grant(Entity::Settings, Action::Delete),
    ),
    ("/admin/users", Need::Grant(Entity::User, Action::Create)),
    (
        "/admin/org",
        Need::Grant(Entity::Organisation, Action::Create),
    ),
    // A move and a password reset are `App::change_account` / `reset_password`: user × edit.
    (
        "/admin/users/{id}/unit",
        Need::Grant(Entity::User, Action::Edit),
    ),
    (
        "/admin/users/{id}/password",
        Need::Grant(Entity::User, Action::Edit),
    ),
    // `App::reset_mfa`: user × edit.
    (
        "/admin/users/{id}/mfa/reset",
        Need::Grant(Entity::User, Action::Edit),
    ),
    ("/admin/roles", Need::Grant(Entity::Role, Action::Create)),
    (
        "/admin/settings",
        Need::Grant(Entity::Settings, Action::Edit),
    ),
    // The editor's live preview and review only read (role × view); the save edits.
    (
        "/admin/roles/{code}/preview",
        Need::Grant(Entity::Role, Action::View),
    ),
    (
        "/admin/roles/{code}/review",
        Need::Grant(Entity::Role, Action::View),
    ),
    (
        "/admin/roles/{code}",
        Need::Grant(Entity::Role, Action::Edit),
    ),
    // The sales floor: each form calls the lead or follow-up use case of its action.
    ("/leads/new", Need::Grant(Entity::Lead, Action::Create)),
    ("/leads/rules", Need::Grant(Entity::Lead, Action::Assign)),
    ("/leads/{id}/edit", Need::Grant(Entity::Lead, Action::Edit)),
    (
        "/leads/{id}/reveal",
        Need::Grant(Entity::Lead, Action::Reveal),
    ),
    (
        "/leads/{id}/status",
        Need::Grant(Entity::Lead, Action::Edit),
    ),
    // The lead list's name search: a post, so that names stay out of URLs.
    ("/leads", Need::Grant(Entity::Lead, Action::View)),
    (
        "/leads/{id}/claim",
        Need::Grant(Entity::Lead, Action::Claim),
    ),
    (
        "/leads/{id}/release",
        Need::Grant(Entity::Lead, Action::Edit),
    ),
    (
        "/leads/{id}/assign",
        Need::Grant(Entity::Lead, Action::Assign),
    ),
    // Conversion edits the lead and creates a customer: both are checked.
    (
        "/leads/{id}/convert",
        Need::Grant(Entity::Lead, Action::Edit),
    ),
    (
        "/leads/{id}/follow-ups",
        Need::Grant(Entity::FollowUp, Action::Create),
    ),
    (
        "/follow-ups/{id}/complete",
        Need::Grant(Entity::FollowUp, Action::Edit),
    ),
    // Deals: `App::create_quote` (deal × create, on a lead the actor may edit); every
    // later step is deal × edit.
    (
        "/leads/{id}/quotes",
        Need::Grant(Entity::Deal, Action::Create),
    ),
    ("/deals/{id}/order", Need::Grant(Entity::Deal, Action::Edit)),
    (
        "/deals/{id}/allocate",
        Need::Grant(Entity::Deal, Action::Edit),
    ),
    (
        "/deals/{id}/payments",
        Need::Grant(Entity::Deal, Action::Edit),
    ),
    (
        "/deals/{id}/deliver",
        Need::Grant(Entity::Deal, Action::Edit),
    ),
    (
        "/deals/{id}/cancel",
        Need::Grant(Entity::Deal, Action::Edit),
    ),
    (
        "/leads/{id}/test-drives",
        Need::Grant(Entity::TestDrive, Action::Create),
    ),
    (
        "/test-drives/{id}/complete",
        Need::Grant(Entity::TestDrive, Action::Edit),
    ),
    (
        "/test-drives/{id}/cancel",
        Need::Grant(Entity::TestDrive, Action::Edit),
    ),
    // Exports: `App::request_export` checks customer × export; `App::save_export_rules`
    // the same across the store.
    ("/exports", Need::Grant(Entity::Customer, Action::Export)),
    (
        "/exports/rules",
        Need::Grant(Entity::Customer, Action::Export),
    ),
    // A decision is for whoever sits in the seat of the step the request waits for (the
    // chain names roles, not rights): `App::approve_export` / `reject_export` check it.
    ("/exports/{id}/approve", Need::SignedIn),
    ("/exports/{id}/reject", Need::SignedIn),
    // The upload form of leak tracing: `App::trace_leak` checks audit log × view.
    ("/audit/trace", Need::Grant(Entity::AuditLog, Action::View)),
    // Letting someone go: `App::record_resignation`, `freeze_account` and
    // `hand_over_now` reach the administrator's anyone and a store manager's staff.
    ("/staff/{id}/resignation", Need::ManagesStaff),
    ("/staff/{id}/freeze", Need::ManagesStaff),
    ("/staff/{id}/handover", Need::ManagesStaff),
    // Access reviews: `App::start_access_review` admits the administrator (user × edit)
    // and the auditor (audit log × view), which no single grant says; a decision is for
    // the item's current reviewer (`App::decide_review_item` checks the item).
    ("/reviews", Need::SignedIn),
    ("/reviews/items/{id}/decision", Need::SignedIn),
];

/// The pattern of `POST_TARGETS` that `path` matches (`{…}` stands for one segment).
pub(crate) fn post_target(path: &str) -> Option<(&'static str, Need)> {
    let segments: Vec<&str> = path.split('/').collect();
    POST_TARGETS.iter().copied().find(|(pattern, _)| {
        let parts: Vec<&str> = pattern.split('/').collect();
        parts.len() == segments.len()
            && parts.iter().zip(&segments).all(|(p, s)| {
                if p.starts_with('{') {
                    !s.is_empty()
                } else {
                    p == s
                }
            })
    })
}
