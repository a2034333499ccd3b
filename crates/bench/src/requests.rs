//! The requests of the scenarios, sent the same way to either side: a side is a base URL
//! and its callers, each with the header that identifies it (a bearer token on the
//! secured side, an owner id on the plain one) and some of its own customers.

use crate::drive::{job, Job};
use dealervault_demo::{fake, DEMO_SEED};
use rand::seq::SliceRandom;
use rand::Rng;
use reqwest::header::{HeaderName, HeaderValue};
use reqwest::{Client, Method};
use serde_json::json;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;

/// The customer operations of the scenarios.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Op {
    /// A page of 50 of the caller's customers (random page of the first 20).
    List,
    /// Exact search by one of the caller's customers' mobiles.
    Lookup,
    /// One of the caller's customers.
    Detail,
    /// A new customer with every field filled.
    Create,
    /// A change of one of the caller's customers' notes.
    Edit,
}

/// Operations drawn by weight.
#[derive(Debug, Clone)]
pub struct Mix(Vec<(Op, u32)>);

impl Mix {
    pub fn only(op: Op) -> Self {
        Self(vec![(op, 1)])
    }

    /// 70% list, 15% lookup, 8% detail, 5% create, 2% edit.
    pub fn dealership() -> Self {
        Self(vec![
            (Op::List, 70),
            (Op::Lookup, 15),
            (Op::Detail, 8),
            (Op::Create, 5),
            (Op::Edit, 2),
        ])
    }

    fn pick(&self, rng: &mut impl Rng) -> Op {
        let total: u32 = self.0.iter().map(|(_, w)| w).sum();
        let mut n = rng.gen_range(0..total.max(1));
        for (op, weight) in &self.0 {
            if n < *weight {
                return *op;
            }
            n -= weight;
        }
        Op::List
    }
}

/// A person sending requests.
#[derive(Debug, Clone)]
pub struct Caller {
    pub header: (HeaderName, HeaderValue),
    /// Mobiles and ids of customers this caller owns.
    pub mobiles: Vec<String>,
    pub ids: Vec<String>,
}

/// One side of the comparison.
#[derive(Debug)]
pub struct Side {
    pub base: String,
    pub callers: Vec<Caller>,
    /// Index of the next synthetic person to create; shared so mobiles stay unique.
    pub next_new: Arc<AtomicU64>,
}

impl Side {
    /// A job that sends one request drawn from `mix`, by a random caller.
    pub fn job(self: &Arc<Self>, client: &Client, mix: &Mix) -> Job {
        let side = self.clone();
        let client = client.clone();
        let mix = mix.clone();
        job(move || {
            let request = side.request(&client, mix.pick(&mut rand::thread_rng()));
            async move { send(request).await }
        })
    }

    fn request(&self, client: &Client, op: Op) -> reqwest::RequestBuilder {
        let mut rng = rand::thread_rng();
        let caller = self.callers.choose(&mut rng).expect("a side has callers");
        let customers = format!("{}/api/v1/customers", self.base);
        let any_id = || {
            caller
                .ids
                .choose(&mut rand::thread_rng())
                .cloned()
                .unwrap_or_default()
        };
        let builder = match op {
            Op::List => client.get(format!(
                "{customers}?per_page=50&page={}",
                rng.gen_range(1..=20)
            )),
            Op::Lookup => {
                let mobile = caller.mobiles.choose(&mut rng).cloned().unwrap_or_default();
                client.get(format!("{customers}?mobile={mobile}"))
            }
            Op::Detail => client.get(format!("{customers}/{}", any_id())),
            Op::Create => {
                let c = fake::customer(DEMO_SEED, self.next_new.fetch_add(1, Ordering::Relaxed));
                client.post(&customers).json(&json!({
                    "name": c.name, "mobile": c.mobile, "id_number": c.id_number,
                    "email": c.email, "address": c.address, "wechat": c.wechat,
                    "birth_date": c.birth_date, "gender": c.gender, "source": c.source,
                    "notes": c.notes,
                }))
            }
            Op::Edit => client
                .request(Method::PATCH, format!("{customers}/{}", any_id()))
                .json(&json!({ "notes": format!("回访 {}", rng.gen_range(1..1000)) })),
        };
        builder.header(caller.header.0.clone(), caller.header.1.clone())
    }
}

/// Sends a request and reads the whole answer; anything but 2xx is a failure.
pub async fn send(request: reqwest::RequestBuilder) -> Result<(), String> {
    let response = request.send().await.map_err(|e| e.to_string())?;
    let status = response.status();
    let url = response.url().path().to_string();
    let body = response.bytes().await.map_err(|e| e.to_string())?;
    if status.is_success() {
        Ok(())
    } else {
        // Error bodies are the API's error shape: codes, no personal data.
        let body = String::from_utf8_lossy(&body);
        Err(format!(
            "{url}: {status} {}",
            body.chars().take(200).collect::<String>()
        ))
    }
}
