use crate::stock::seed_stock;
use dealervault_app::auth::hash_password_blocking;
use dealervault_app::settings::REVEAL_DAILY_QUOTA;
use dealervault_app::setup::{
    add_department, add_store, add_team, add_user, install_roles, Account, Place,
};
use dealervault_app::{AppError, Clock, Store, Vault};
use dealervault_domain::ids::{StoreId, UserId};
use dealervault_store::{ChainStepRow, ExportChainRow};
use secrecy::SecretString;

/// Every demo account's password (SPEC).
pub const DEMO_PASSWORD: &str = "Demo#2026";
pub const DEMO_REVEAL_QUOTA: i64 = 50;

/// Where a demo account sits: store code, department code, team name.
type Seat = Option<(&'static str, &'static str, Option<&'static str>)>;

/// (username, display name, role code, seat) — the SPEC's table of demo accounts.
pub const DEMO_ACCOUNTS: &[(&str, &str, &str, Seat)] = &[
    ("admin", "系统管理员", "system_admin", None),
    ("auditor", "审计员", "auditor", None),
    (
        "gm01",
        "周建国",
        "general_manager",
        Some(("SH01", "management", None)),
    ),
    (
        "salesmgr01",
        "李明辉",
        "sales_manager",
        Some(("SH01", "sales", None)),
    ),
    (
        "sales01",
        "王丽",
        "sales_consultant",
        Some(("SH01", "sales", Some("销售一组"))),
    ),
    (
        "sales02",
        "张伟",
        "sales_consultant",
        Some(("SH01", "sales", Some("销售一组"))),
    ),
    (
        "sales03",
        "陈静",
        "sales_consultant",
        Some(("SH01", "sales", Some("销售二组"))),
    ),
    (
        "sales11",
        "刘洋",
        "sales_consultant",
        Some(("SH02", "sales", Some("销售一组"))),
    ),
    (
        "service01",
        "赵磊",
        "service_advisor",
        Some(("SH01", "aftersales", None)),
    ),
    (
        "finance01",
        "孙敏",
        "finance",
        Some(("SH01", "finance", None)),
    ),
    (
        "crm01",
        "吴婷",
        "customer_care",
        Some(("SH01", "care", None)),
    ),
    (
        "insurance01",
        "郑浩",
        "insurance",
        Some(("SH01", "insurance", None)),
    ),
];

const STORES: &[(&str, &str, &str)] = &[
    ("SH01", "上海浦东店", "Shanghai Pudong"),
    ("SH02", "上海闵行店", "Shanghai Minhang"),
];

const DEPARTMENTS: &[(&str, &str, &str)] = &[
    ("management", "总经办", "Management"),
    ("sales", "销售部", "Sales"),
    ("aftersales", "售后服务部", "After-sales"),
    ("finance", "财务部", "Finance"),
    ("care", "客服部", "Customer care"),
    ("insurance", "保险部", "Insurance"),
];

const TEAMS: &[(&str, &str)] = &[
    ("SH01", "销售一组"),
    ("SH01", "销售二组"),
    ("SH02", "销售一组"),
];

/// What later steps (loading customers, tests) need to know about the seeded org.
#[derive(Debug, Clone)]
pub struct DemoOrg {
    /// (username, id) of every account.
    pub users: Vec<(String, UserId)>,
    /// Sales consultants who own the demo customers, with their store.
    pub owners: Vec<(UserId, StoreId, String)>,
}

impl DemoOrg {
    pub fn user(&self, username: &str) -> Option<&UserId> {
        self.users
            .iter()
            .find(|(u, _)| u == username)
            .map(|(_, id)| id)
    }
}

/// Creates the roles, the two stores with their vehicle stock and every demo account in
/// one transaction.
pub async fn seed_organisation(
    store: &Store,
    clock: &Clock,
    vault: &Vault,
) -> Result<DemoOrg, AppError> {
    let mut tx = store.write().await?;
    install_roles(&mut tx, clock, "demo", vault).await?;
    tx.put_setting(REVEAL_DAILY_QUOTA, &DEMO_REVEAL_QUOTA.to_string())
        .await?;

    let mut places = Vec::new();
    let mut store_ids = Vec::new();
    for (code, zh, en) in STORES {
        let store_id = add_store(&mut tx, code, zh, en).await?;
        store_ids.push(store_id.clone());
        for (dept, dzh, den) in DEPARTMENTS {
            let dept_id = add_department(&mut tx, &store_id, dept, dzh, den).await?;
            for (_, team) in TEAMS
                .iter()
                .filter(|(s, _)| s == code)
                .filter(|_| *dept == "sales")
            {
                let team_id = add_team(&mut tx, &store_id, &dept_id, team).await?;
                places.push((
                    (*code, *dept, Some(*team)),
                    Place {
                        store_id: Some(store_id.clone()),
                        department_id: Some(dept_id.clone()),
                        team_id: Some(team_id),
                    },
                ));
            }
            places.push((
                (*code, *dept, None),
                Place {
                    store_id: Some(store_id.clone()),
                    department_id: Some(dept_id),
                    team_id: None,
                },
            ));
        }
    }

    let hash = hash_password_blocking(&SecretString::from(DEMO_PASSWORD.to_string()))?;
    let mut org = DemoOrg {
        users: vec![],
        owners: vec![],
    };
    for (username, display_name, role_code, seat) in DEMO_ACCOUNTS {
        let place = seat
            .and_then(|seat| places.iter().find(|(s, _)| *s == seat))
            .map(|(_, p)| p.clone())
            .unwrap_or_default();
        let account = Account {
            username,
            display_name,
            role_code,
            place: place.clone(),
        };
        let id = add_user(&mut tx, clock, &account, &hash, false).await?;
        if *role_code == "sales_consultant" {
            if let (Some(store_id), Some((code, ..))) = (place.store_id, seat) {
                org.owners.push((id.clone(), store_id, code.to_string()));
            }
        }
        org.users.push((username.to_string(), id));
    }
    seed_stock(&mut tx, clock, &store_ids).await?;
    if let Some(sh01) = store_ids.first() {
        tx.save_export_chain(&sh01_export_chain(sh01, clock.now_ms()))
            .await?;
    }
    tx.commit().await?;
    Ok(org)
}

/// SH01's export rules: every customer export needs the requester's sales manager, then
/// the general manager (the other stores keep the built-in rule: the general manager).
fn sh01_export_chain(store: &StoreId, now: i64) -> ExportChainRow {
    let step = |role: &str, same_department| ChainStepRow {
        role_code: role.to_string(),
        same_department,
        min_rows: 0,
    };
    ExportChainRow {
        store_id: store.clone(),
        direct_up_to: 0,
        decide_hours: 72,
        download_hours: 24,
        max_downloads: 3,
        steps: vec![step("sales_manager", true), step("general_manager", false)],
        updated_at: now,
    }
}
