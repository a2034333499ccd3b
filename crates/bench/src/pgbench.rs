//! PostgreSQL's own limit for the same work: `pgbench` running, straight against the
//! secured database, the statements the store runs for a list page, a mobile lookup and a
//! create (without the sealing, the session check and the audit event), at the same
//! concurrency as the HTTP clients.

use crate::drive::{Tally, CONCURRENCY};
use crate::servers::CALLERS;
use anyhow::{bail, Context, Result};
use std::path::PathBuf;
use std::process::Command;
use std::time::Duration;

/// The columns of a page, as the store selects them (`store/src/customers.rs`).
const PAGE_COLUMNS: &str =
    "c.id, c.store_id, (SELECT s.code FROM stores s WHERE s.id = c.store_id) \
     AS store_code, c.owner_id, c.name, c.mobile, c.id_number, c.email, c.address, c.wechat, \
     c.birth_date, c.notes, c.mobile_index, c.id_number_index, c.gender, c.source, \
     c.created_at, c.updated_at, \
     (SELECT k.wrapped FROM customer_keys k WHERE k.customer_id = c.id) AS data_key";

/// Mobiles of the callers' customers that the lookup script draws from.
const MOBILES: usize = 800;

/// What pgbench runs.
#[derive(Debug, Clone, Copy)]
pub enum Script {
    List,
    Lookup,
    Create,
}

impl Script {
    fn sql(self) -> String {
        let owner = "(SELECT id FROM bench_owners WHERE n = :o)";
        match self {
            Script::List => format!(
                "\\set o random(1, {CALLERS})\n\\set p random(0, 19)\n\
                 SELECT CAST(COALESCE(SUM(c.n), 0) AS BIGINT) FROM customer_counts c \
                 WHERE ((c.owner_id = {owner}));\n\
                 SELECT {PAGE_COLUMNS} FROM customers c WHERE ((c.owner_id = {owner})) \
                 ORDER BY c.updated_at DESC, c.id DESC LIMIT 50 OFFSET :p * 50;\n\
                 SELECT id, display_name FROM users WHERE id = {owner};\n"
            ),
            Script::Lookup => {
                let of = "FROM bench_mobiles WHERE n = :m";
                let cond = format!(
                    "((c.owner_id = (SELECT owner_id {of}))) \
                     AND c.mobile_index = (SELECT mobile_index {of})"
                );
                format!(
                    "\\set m random(1, {MOBILES})\n\
                     SELECT COUNT(*) FROM customers c WHERE {cond};\n\
                     SELECT {PAGE_COLUMNS} FROM customers c WHERE {cond} \
                     ORDER BY c.updated_at DESC, c.id DESC LIMIT 50 OFFSET 0;\n\
                     SELECT id, display_name FROM users WHERE id = (SELECT owner_id {of});\n"
                )
            }
            // One statement, one transaction: the customer row and its key row, with byte
            // strings the size of sealed fields.
            Script::Create => {
                let bytes = "decode(md5(random()::text) || md5(random()::text), 'hex')";
                format!(
                    "\\set o random(1, {CALLERS})\n\
                     WITH o AS (SELECT id, store_id FROM bench_owners WHERE n = :o), \
                     c AS (INSERT INTO customers (id, store_id, owner_id, name, mobile, \
                     id_number, email, address, wechat, birth_date, notes, mobile_index, \
                     id_number_index, gender, source, created_at, updated_at) \
                     SELECT gen_random_uuid()::text, o.store_id, o.id, {bytes}, {bytes}, \
                     {bytes}, {bytes}, {bytes}, {bytes}, {bytes}, {bytes}, \
                     decode(md5(random()::text || clock_timestamp()::text), 'hex'), \
                     decode(md5(random()::text), 'hex'), 'male', 'walk_in', \
                     (extract(epoch FROM now()) * 1000)::bigint, \
                     (extract(epoch FROM now()) * 1000)::bigint FROM o \
                     RETURNING id, store_id, created_at) \
                     INSERT INTO customer_keys (customer_id, store_id, kek_version, wrapped, \
                     created_at) SELECT id, store_id, 1, decode(repeat('00', 65), 'hex'), \
                     created_at FROM c;\n"
                )
            }
        }
    }
}

/// pgbench against one database, with its scripts in a temporary directory.
#[derive(Debug)]
pub struct PgBench {
    url: String,
    dir: tempfile::TempDir,
}

impl PgBench {
    /// Whether the `pgbench` and `psql` programs are installed.
    pub fn available() -> bool {
        ["pgbench", "psql"].iter().all(|program| {
            Command::new(program)
                .arg("--version")
                .output()
                .is_ok_and(|o| o.status.success())
        })
    }

    /// Adds the lookup tables the scripts draw callers and mobiles from: the same first
    /// [`CALLERS`] owners as the HTTP clients (`owners`, in order).
    pub fn prepare(url: &str, owners: &[String]) -> Result<Self> {
        let values = owners
            .iter()
            .take(CALLERS)
            .enumerate()
            .map(|(n, id)| format!("({}, '{}')", n + 1, id.replace('\'', "''")))
            .collect::<Vec<_>>()
            .join(", ");
        let sql = format!(
            "CREATE TABLE bench_owners (n INT PRIMARY KEY, id TEXT NOT NULL, store_id TEXT);\n\
             INSERT INTO bench_owners (n, id) VALUES {values};\n\
             UPDATE bench_owners b SET store_id = u.store_id FROM users u WHERE u.id = b.id;\n\
             CREATE TABLE bench_mobiles AS SELECT row_number() OVER () AS n, owner_id, \
             mobile_index FROM customers WHERE owner_id IN (SELECT id FROM bench_owners) \
             LIMIT {MOBILES};\n\
             ALTER TABLE bench_mobiles ADD PRIMARY KEY (n);\n\
             ANALYZE;\n"
        );
        let out = Command::new("psql")
            .args(["-q", "-v", "ON_ERROR_STOP=1", "-d", url, "-c", &sql])
            .output()
            .context("cannot run psql")?;
        if !out.status.success() {
            bail!("psql failed: {}", String::from_utf8_lossy(&out.stderr));
        }
        Ok(Self {
            url: url.to_string(),
            dir: tempfile::tempdir()?,
        })
    }

    /// Runs `script` for about `duration` (whole seconds, at least one): transactions per
    /// second as a tally.
    pub fn run(&self, script: Script, duration: Duration) -> Result<Tally> {
        let path: PathBuf = self.dir.path().join(format!("{script:?}.sql"));
        std::fs::write(&path, script.sql())?;
        let secs = duration.as_secs_f64().round().max(1.0) as u64;
        let out = Command::new("pgbench")
            .args([
                "-n",
                "-M",
                "prepared",
                "-c",
                &CONCURRENCY.to_string(),
                "-j",
                "2",
            ])
            .args(["-T", &secs.to_string(), "-f"])
            .arg(&path)
            .arg(&self.url)
            .output()
            .context("cannot run pgbench")?;
        let stdout = String::from_utf8_lossy(&out.stdout);
        if !out.status.success() {
            bail!(
                "pgbench failed: {}{}",
                stdout,
                String::from_utf8_lossy(&out.stderr)
            );
        }
        let tps = stdout
            .lines()
            .find_map(|l| l.strip_prefix("tps = "))
            .and_then(|rest| rest.split_whitespace().next())
            .and_then(|n| n.parse::<f64>().ok())
            .with_context(|| format!("no tps in pgbench's output: {stdout}"))?;
        Ok(Tally::counted(
            (tps * secs as f64) as u64,
            Duration::from_secs(secs),
        ))
    }
}
