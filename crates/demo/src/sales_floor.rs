//! The demo's sales floor, played through the real use cases: the last weeks of a
//! dealership replayed on a clock that starts in the past. Salespeople sign in, take
//! leads, call, receive visits, take them on test drives, quote, lose some and turn
//! others into customers; the
//! general manager feeds the public pool, a consultant claims from it, and leads nobody
//! works go back to the pool by themselves; exports are asked for, decided and fetched. So the ledger, the follow-ups, the statuses
//! and the audit log agree with each other, as they would in a real store.

mod deals;
mod drives;
mod exports;

use crate::fake;
use dealervault_app::auth::SessionKind;
use dealervault_app::follow_ups::{FollowUpInput, FollowUpListQuery, FollowUpOutcome};
use dealervault_app::leads::Assignee;
use dealervault_app::{Actor, App, AppConfig, AppError, Clock, RequestContext, Store, Vault};
use dealervault_domain::sales::LeadInput;
use drives::{drive, minute_of, Drive};
use secrecy::SecretString;
use std::collections::HashMap;
use std::sync::Arc;

const DAY_MS: i64 = 86_400_000;
const HOUR_MS: i64 = 3_600_000;
/// Salespeople sign in again after this long (their sessions end after 30 idle minutes).
const SESSION_REUSE_MS: i64 = 20 * 60_000;
/// The leads' people: a seed of their own, so they are not the demo's customers.
const PEOPLE_SEED: u64 = crate::DEMO_SEED + 7;

const MODELS: [&str; 6] = ["途观L", "帕萨特", "ID.4 CROZZ", "迈腾", "探岳", "威然"];

/// One step of a lead's story, a number of days after it came in.
#[derive(Debug, Clone, Copy)]
enum Step {
    Call,
    Visit,
    /// A test drive of a car in stock, ending as said (it moves the lead on when done).
    TestDrive(Drive),
    Quote,
    /// Signs the quote with a deposit and a car of the stock.
    Order,
    /// Finance records the loan and the balance.
    Pay,
    Deliver,
    Lost,
    Convert,
    /// Plan the next call this many days ahead.
    Plan(i64),
    /// A consultant takes it from the pool.
    Claim(&'static str),
}

/// The story of the `n`-th lead of a consultant: together they cover every status,
/// planned and overdue follow-ups, and a lead nobody works (it returns to the pool after
/// the store's seven days).
fn story(n: usize) -> Vec<(i64, Step)> {
    use Step::*;
    match n % 9 {
        0 => vec![],
        1 => vec![(0, Call), (0, Plan(2))],
        2 => vec![(0, Call), (1, Visit), (1, Plan(3))],
        3 => vec![
            (0, Call),
            (1, Visit),
            (2, TestDrive(Drive::Done)),
            (2, Plan(2)),
        ],
        4 => vec![
            (0, Call),
            (1, Visit),
            (2, TestDrive(Drive::Done)),
            (3, Quote),
            (3, Plan(1)),
        ],
        5 => vec![(0, Call), (1, TestDrive(Drive::NoShow)), (2, Lost)],
        6 => vec![
            (0, Call),
            (1, Visit),
            (2, TestDrive(Drive::Done)),
            (3, Quote),
            (4, Convert),
            (4, Order),
            (6, Pay),
            (7, Deliver),
        ],
        8 => vec![
            (0, Call),
            (1, Visit),
            (2, TestDrive(Drive::Done)),
            (2, Quote),
            (3, Order),
            (3, Plan(4)),
        ],
        _ => vec![(0, Plan(1))],
    }
}

/// The people at work and their sessions on the demo's clock.
struct Floor {
    app: App,
    clock: Clock,
    sessions: HashMap<&'static str, (String, i64)>,
}

impl Floor {
    async fn actor(&mut self, username: &'static str) -> Result<Actor, AppError> {
        let now = self.clock.now_ms();
        let fresh = self
            .sessions
            .get(username)
            .filter(|(_, since)| now - since < SESSION_REUSE_MS)
            .map(|(token, _)| token.clone());
        let token = match fresh {
            Some(token) => token,
            None => {
                let password = SecretString::from(crate::DEMO_PASSWORD.to_string());
                let ctx = RequestContext::default();
                let login = self
                    .app
                    .login(username, &password, SessionKind::Api, ctx)
                    .await?;
                self.sessions.insert(username, (login.token.clone(), now));
                login.token
            }
        };
        self.app
            .authenticate(&token, RequestContext::default())
            .await
    }

    /// Moves the clock to `at` (never back).
    fn at(&self, at: i64) {
        let now = self.clock.now_ms();
        if at > now {
            self.clock.advance_ms(at - now);
        }
    }
}

struct Lead {
    id: String,
    /// The generator's index of the lead's person.
    person: u64,
    owner: Option<&'static str>,
    came_in: i64,
    story: Vec<(i64, Step)>,
    /// Its quote, once it has one.
    deal: Option<String>,
}

/// A lead's contact and interest, invented.
fn input(n: u64) -> LeadInput {
    let person = fake::customer(PEOPLE_SEED, n);
    let text = |s: &str| Some(Some(s.to_string()));
    LeadInput {
        name: text(&person.name),
        mobile: text(&person.mobile),
        wechat: person.wechat.as_deref().map(|w| Some(w.to_string())),
        source: text(person.source),
        intended_model: text(MODELS[(n as usize) % MODELS.len()]),
        budget: text(&format!("{}", 150_000 + (n % 6) * 50_000)),
        notes: None,
    }
}

/// Plays `days` days ending today into the demo's database.
pub async fn play_sales_floor(
    store: &Store,
    vault: Arc<Vault>,
    days: i64,
) -> Result<usize, AppError> {
    let today = Clock::system().now_ms() / DAY_MS * DAY_MS;
    let clock = Clock::manual(today - days * DAY_MS);
    let config = AppConfig {
        login_attempts_per_account_per_minute: 100_000,
        login_attempts_per_address_per_minute: 100_000,
        ..AppConfig::default()
    };
    let app = App::new(store.clone(), vault, clock.clone(), config);
    let mut floor = Floor {
        app,
        clock,
        sessions: HashMap::new(),
    };
    let sellers: [&'static str; 4] = ["sales01", "sales02", "sales03", "sales11"];
    let mut leads: Vec<Lead> = Vec::new();
    let mut made = 0u64;
    for day in 0..days {
        // 02:00 UTC is 10:00 in the stores: new leads come in.
        let morning = today - (days - day) * DAY_MS + 2 * HOUR_MS;
        floor.at(morning);
        for (k, seller) in sellers.iter().enumerate() {
            if (day as usize + k) % 2 != 0 {
                continue;
            }
            made += 1;
            let actor = floor.actor(seller).await?;
            match floor
                .app
                .create_lead(&actor, &input(made), &Assignee::Me)
                .await
            {
                Ok(view) => leads.push(Lead {
                    id: view.id,
                    person: made,
                    owner: Some(seller),
                    came_in: day,
                    story: story(leads.iter().filter(|l| l.owner == Some(seller)).count()),
                    deal: None,
                }),
                // An invented person may share a mobile with one already in the store.
                Err(AppError::Conflict(_)) => {}
                Err(e) => return Err(e),
            }
        }
        if day % 4 == 1 {
            made += 1;
            let gm = floor.actor("gm01").await?;
            let view = floor
                .app
                .create_lead(&gm, &input(made), &Assignee::Pool)
                .await?;
            let claimed = (day / 4) % 2 == 0;
            leads.push(Lead {
                id: view.id,
                person: made,
                owner: None,
                deal: None,
                came_in: day,
                story: if claimed {
                    vec![
                        (1, Step::Claim("sales03")),
                        (1, Step::Call),
                        (1, Step::Plan(2)),
                    ]
                } else {
                    vec![]
                },
            });
        }
        // 07:00 UTC, 15:00 in the stores: the day's follow-ups.
        floor.at(morning + 5 * HOUR_MS);
        for lead in leads.iter_mut() {
            let steps: Vec<Step> = lead
                .story
                .iter()
                .filter(|(after, _)| lead.came_in + after == day)
                .map(|(_, s)| *s)
                .collect();
            for step in steps {
                floor.at(floor.clock.now_ms() + 60_000);
                play(&mut floor, lead, step).await?;
            }
        }
        // The planned calls of the day, by everyone but sales02, who lets them slip
        // (a manager sees the overdue follow-ups, and the pool takes the leads back).
        for seller in sellers.into_iter().filter(|s| *s != "sales02") {
            floor.at(floor.clock.now_ms() + 60_000);
            work_due_calls(&mut floor, seller).await?;
        }
        // The server's pool loop, once that evening.
        floor.at(morning + 10 * HOUR_MS);
        floor.app.return_stale_leads().await?;
    }
    book_ahead(&mut floor, &leads).await?;
    exports::play_exports(&mut floor).await?;
    Ok(leads.len())
}

/// One drive booked for tomorrow morning, on sales01's newest visited lead: what the
/// schedule shows ahead.
async fn book_ahead(floor: &mut Floor, leads: &[Lead]) -> Result<(), AppError> {
    let actor = floor.actor("sales01").await?;
    for lead in leads.iter().rev().filter(|l| l.owner == Some("sales01")) {
        let visited = floor
            .app
            .lead_detail(&actor, &lead.id)
            .await
            .is_ok_and(|d| d.lead.status == "visited");
        if visited {
            let tomorrow = local_minute(floor.clock.now_ms() + DAY_MS);
            return drive(
                &floor.app,
                &actor,
                &lead.id,
                lead.person,
                tomorrow,
                Drive::Ahead,
                0,
            )
            .await;
        }
    }
    Ok(())
}

/// Makes the seller's calls due today; the hot leads (driven, quoted) get the next one
/// planned three days on.
async fn work_due_calls(floor: &mut Floor, seller: &'static str) -> Result<(), AppError> {
    let actor = floor.actor(seller).await?;
    let query = FollowUpListQuery {
        when: Some("today".into()),
    };
    for due in floor.app.list_follow_ups(&actor, query).await? {
        let hot = floor
            .app
            .lead_detail(&actor, &due.lead_id)
            .await
            .is_ok_and(|d| matches!(d.lead.status.as_str(), "test_drive" | "quoted"));
        let next = hot.then(|| local_minute(floor.clock.now_ms() + 3 * DAY_MS));
        let outcome = FollowUpOutcome {
            notes: Some("按计划回访，客户仍在比较".into()),
            next_step: None,
            next_due_at: next,
        };
        floor
            .app
            .complete_follow_up(&actor, &due.id, &outcome)
            .await?;
    }
    Ok(())
}

/// `YYYY-MM-DDT10:00` of the store's day at `ms`.
fn local_minute(ms: i64) -> String {
    let day = dealervault_app::to_local(ms);
    format!(
        "{:04}-{:02}-{:02}T10:00",
        day.year(),
        u8::from(day.month()),
        day.day()
    )
}

async fn play(floor: &mut Floor, lead: &mut Lead, step: Step) -> Result<(), AppError> {
    if let Step::Claim(who) = step {
        let actor = floor.actor(who).await?;
        floor.app.claim_lead(&actor, &lead.id).await?;
        lead.owner = Some(who);
        return Ok(());
    }
    // A lead that went back to the pool has nobody left to work it.
    let Some(owner) = lead.owner else {
        return Ok(());
    };
    let actor = floor.actor(owner).await?;
    let app = &floor.app;
    let follow_up = |kind: &str, due: Option<String>, done: bool, notes: &str| FollowUpInput {
        kind: kind.into(),
        due_at: due,
        done,
        notes: Some(notes.into()),
        next_step: None,
    };
    let result = match step {
        Step::Call => app
            .create_follow_up(
                &actor,
                &lead.id,
                &follow_up("call", None, true, "电话沟通了购车需求"),
            )
            .await
            .map(drop),
        Step::Visit => app
            .create_follow_up(
                &actor,
                &lead.id,
                &follow_up("visit", None, true, "到店看车，介绍了配置"),
            )
            .await
            .map(drop),
        Step::TestDrive(how) => {
            let now = minute_of(floor.clock.now_ms());
            let n = lead.person as usize;
            drive(app, &actor, &lead.id, lead.person, now, how, n).await
        }
        Step::Quote => {
            let model = MODELS[(lead.person as usize) % MODELS.len()];
            deals::quote(app, &actor, &lead.id, model, lead.person as usize)
                .await
                .map(|deal| lead.deal = deal)
        }
        Step::Order => match &lead.deal {
            Some(deal) => {
                let now = floor.clock.now_ms();
                let day = dealervault_app::to_local(now).date().to_string();
                let contract = format!("HT-{}-{:04}", day.replace('-', ""), lead.person);
                let delivery = dealervault_app::to_local(now + 7 * DAY_MS)
                    .date()
                    .to_string();
                deals::order(app, &actor, deal, contract, delivery).await
            }
            None => Ok(()),
        },
        Step::Pay => match &lead.deal {
            Some(deal) => {
                let finance = floor.actor("finance01").await?;
                deals::settle(&floor.app, &finance, deal).await
            }
            None => Ok(()),
        },
        Step::Deliver => match &lead.deal {
            Some(deal) => {
                let actor = floor.actor(owner).await?;
                floor.app.deliver_order(&actor, deal).await.map(drop)
            }
            None => Ok(()),
        },
        Step::Lost => app
            .move_lead(&actor, &lead.id, "lost", Some("price"))
            .await
            .map(drop),
        Step::Convert => app.convert_lead(&actor, &lead.id).await.map(drop),
        Step::Plan(days) => {
            let due = local_minute(floor.clock.now_ms() + days * DAY_MS);
            let planned = FollowUpInput {
                next_step: Some("再次电话邀约到店".into()),
                ..follow_up("call", Some(due), false, "")
            };
            app.create_follow_up(&actor, &lead.id, &planned)
                .await
                .map(drop)
        }
        Step::Claim(_) => Ok(()),
    };
    match result {
        // The lead went back to the pool meanwhile, or its person is another
        // consultant's customer, or finance does not serve the lead's store, or the
        // balance is not paid: the story stops there, as it would in a store.
        Err(AppError::NotFound | AppError::Conflict(_) | AppError::Invalid(_)) => Ok(()),
        other => other,
    }
}
