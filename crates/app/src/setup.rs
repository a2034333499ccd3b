//! Creating an installation: the default roles, the organisation and the first accounts.
//! These run at install time (`init`, `demo`), before anyone logs in, and write to the
//! store directly; each step is still recorded in the audit chain.

mod upgrade;

pub use upgrade::grant_new_default_rights;

use crate::audit_trail::{append, system_event};
use crate::auth::{generate_one_time_password, hash_password_blocking};
use crate::error::AppError;
use crate::{Clock, Vault};
use dealervault_domain::ids::{DepartmentId, RoleId, StoreId, TeamId, UserId};
use dealervault_policy::default_roles;
use dealervault_store::{DepartmentRow, RoleRow, Store, StoreRow, TeamRow, Tx, UserRow};
use secrecy::SecretString;

/// Which command created an installation: `demo` refuses to touch one made by `init`.
pub const INSTALLATION_KIND: &str = "installation.kind";
/// The master key's check value, written at installation and compared at every start.
pub const KEY_CHECK: &str = "vault.key_check";

/// Whether the store already holds an installation (of `init` or `demo`).
pub async fn installation_kind(store: &Store) -> Result<Option<String>, AppError> {
    let mut tx = store.read().await?;
    Ok(tx.setting(INSTALLATION_KIND).await?)
}

/// Creates the default roles, binds the installation to its master key and marks it
/// with its kind.
pub async fn install_roles(
    tx: &mut Tx,
    clock: &Clock,
    kind: &str,
    vault: &Vault,
) -> Result<(), AppError> {
    if tx.setting(INSTALLATION_KIND).await?.is_some() {
        return Err(AppError::Conflict("already_installed"));
    }
    tx.put_setting(KEY_CHECK, &hex::encode(vault.check_value()))
        .await?;
    let now = clock.now_ms();
    let mut ids = Vec::new();
    for template in default_roles() {
        let marked = crate::auth::MFA_ROLES_BY_DEFAULT.contains(&template.code);
        let row = RoleRow {
            id: RoleId::generate(),
            code: template.code.into(),
            name_zh: template.name_zh.into(),
            name_en: template.name_en.into(),
            builtin: true,
            policy: template.policy.to_json(),
            updated_at: now,
            requires_mfa: marked,
            mfa_marked_at: marked.then_some(now),
        };
        tx.insert_role(&row).await?;
        ids.push(row.id.to_string());
    }
    tx.put_setting(INSTALLATION_KIND, kind).await?;
    for done in &upgrade::UPGRADES {
        tx.put_setting(done.setting, "done").await?;
    }
    append(tx, system_event(now, "system.install", "role", ids)).await?;
    Ok(())
}

/// A new, empty installation with one administrator whose one-time password is returned
/// (to be printed once by `init`, and changed at first login).
pub async fn install(
    store: &Store,
    clock: &Clock,
    vault: &Vault,
) -> Result<SecretString, AppError> {
    let password = generate_one_time_password();
    let hash = hash_password_blocking(&password)?;
    let mut tx = store.write().await?;
    install_roles(&mut tx, clock, "init", vault).await?;
    let account = Account {
        username: "admin",
        display_name: "系统管理员",
        role_code: "system_admin",
        place: Place::default(),
    };
    add_user(&mut tx, clock, &account, &hash, true).await?;
    tx.commit().await?;
    Ok(password)
}

/// Refuses keys that are not this installation's: compared before anything is read or
/// written, so a wrong key never seals new data beside data it cannot open.
pub async fn verify_keys(store: &Store, vault: &Vault) -> Result<(), AppError> {
    let mut tx = store.read().await?;
    match tx.setting(KEY_CHECK).await? {
        Some(stored) => {
            let stored = hex::decode(stored)
                .map_err(|_| AppError::Keys(dealervault_vault::VaultError::WrongMasterKey))?;
            vault.verify_check_value(&stored).map_err(AppError::Keys)
        }
        None => Ok(()),
    }
}

pub async fn add_store(
    tx: &mut Tx,
    code: &str,
    name_zh: &str,
    name_en: &str,
) -> Result<StoreId, AppError> {
    let row = StoreRow {
        id: StoreId::generate(),
        code: code.into(),
        name_zh: name_zh.into(),
        name_en: name_en.into(),
        timezone: "Asia/Shanghai".into(),
    };
    tx.insert_store(&row).await?;
    Ok(row.id)
}

pub async fn add_department(
    tx: &mut Tx,
    store_id: &StoreId,
    code: &str,
    name_zh: &str,
    name_en: &str,
) -> Result<DepartmentId, AppError> {
    let row = DepartmentRow {
        id: DepartmentId::generate(),
        store_id: store_id.clone(),
        code: code.into(),
        name_zh: name_zh.into(),
        name_en: name_en.into(),
    };
    tx.insert_department(&row).await?;
    Ok(row.id)
}

pub async fn add_team(
    tx: &mut Tx,
    store_id: &StoreId,
    department_id: &DepartmentId,
    name: &str,
) -> Result<TeamId, AppError> {
    let row = TeamRow {
        id: TeamId::generate(),
        department_id: department_id.clone(),
        store_id: store_id.clone(),
        name: name.into(),
    };
    tx.insert_team(&row).await?;
    Ok(row.id)
}

/// Where an account sits; group-level accounts have none of it.
#[derive(Debug, Clone, Default)]
pub struct Place {
    pub store_id: Option<StoreId>,
    pub department_id: Option<DepartmentId>,
    pub team_id: Option<TeamId>,
}

#[derive(Debug, Clone)]
pub struct Account<'a> {
    pub username: &'a str,
    pub display_name: &'a str,
    pub role_code: &'a str,
    pub place: Place,
}

pub async fn add_user(
    tx: &mut Tx,
    clock: &Clock,
    account: &Account<'_>,
    password_hash: &str,
    must_change_password: bool,
) -> Result<UserId, AppError> {
    let role = tx
        .role_by_code(account.role_code)
        .await?
        .ok_or(AppError::Conflict("unknown_role"))?;
    let now = clock.now_ms();
    let row = UserRow {
        id: UserId::generate(),
        username: account.username.into(),
        display_name: account.display_name.into(),
        password_hash: password_hash.into(),
        role_id: role.id,
        store_id: account.place.store_id.clone(),
        department_id: account.place.department_id.clone(),
        team_id: account.place.team_id.clone(),
        status: "active".into(),
        failed_logins: 0,
        locked_until: None,
        must_change_password,
        created_at: now,
        updated_at: now,
    };
    tx.insert_user(&row).await?;
    append(
        tx,
        system_event(now, "user.create", "user", vec![row.id.to_string()]),
    )
    .await?;
    Ok(row.id)
}
