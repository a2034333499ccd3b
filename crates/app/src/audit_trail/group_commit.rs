//! Group commit: events of actions that change nothing (views, lists, refusals) share one
//! transaction.
//!
//! Such an action has nothing to roll back, so its event need not ride in a transaction
//! of its own; it only has to be durable before the data leaves the server. Callers queue
//! their event and wait. The first waiter to take the leader lock commits everything
//! queued so far in one transaction (one head-row lock, multi-row inserts, one commit)
//! and hands each waiter its outcome; whoever queued meanwhile is carried by the next
//! leader. Under load, one commit serves many requests; alone, a request pays for one.

use super::append::append_all;
use crate::error::AppError;
use crate::App;
use dealervault_audit::AuditEvent;
use std::sync::{Arc, Mutex};
use tokio::sync::{oneshot, watch};

type Outcome = Result<i64, ()>;

#[derive(Debug)]
struct Pending {
    event: AuditEvent,
    done: oneshot::Sender<Outcome>,
}

#[derive(Debug)]
pub(crate) struct GroupCommit {
    queue: Mutex<Vec<Pending>>,
    leader: Arc<tokio::sync::Mutex<()>>,
    /// The sequence number of the newest committed event, for whoever follows the log
    /// (checkpoints, alert rules) and would rather be woken than poll.
    appended: watch::Sender<i64>,
}

impl Default for GroupCommit {
    fn default() -> Self {
        Self {
            queue: Mutex::default(),
            leader: Arc::default(),
            appended: watch::Sender::new(0),
        }
    }
}

impl GroupCommit {
    pub(crate) fn subscribe(&self) -> watch::Receiver<i64> {
        self.appended.subscribe()
    }

    /// Tells followers that events up to `seq` are committed.
    pub(crate) fn committed(&self, seq: i64) {
        self.appended.send_if_modified(|last| {
            let newer = seq > *last;
            if newer {
                *last = seq;
            }
            newer
        });
    }

    fn take_queue(&self) -> Vec<Pending> {
        // A panic while holding this lock cannot leave the queue half-changed (push and
        // take are single moves), so a poisoned lock is still sound.
        let mut queue = self.queue.lock().unwrap_or_else(|p| p.into_inner());
        std::mem::take(&mut *queue)
    }
}

/// Commits `event` with whatever else is queued, returning its sequence number once it
/// is durable.
pub(crate) async fn submit(app: &App, event: AuditEvent) -> Result<i64, AppError> {
    let group = app.group_commit();
    let (done, mut outcome) = oneshot::channel();
    group
        .queue
        .lock()
        .unwrap_or_else(|p| p.into_inner())
        .push(Pending { event, done });

    let leader = tokio::select! {
        biased;
        // A leader carried this event while we waited for the lock.
        answer = &mut outcome => return answer_of(answer),
        leader = group.leader.clone().lock_owned() => leader,
    };
    // The previous leader may have carried this event already; then the queue holds only
    // later ones (or nothing), and committing them early does no harm.
    let batch = group.take_queue();
    if !batch.is_empty() {
        // Committed in a task of its own, holding the leader lock to the end: if this
        // request is dropped (its client went away), the batch still lands and every
        // other waiter in it still gets its answer.
        let app = app.clone();
        let task = tokio::spawn(async move {
            let _leader = leader;
            commit_batch(&app, batch).await;
        });
        if task.await.is_err() {
            tracing::error!("audit group commit task failed");
        }
    }
    answer_of(outcome.await)
}

fn answer_of(answer: Result<Outcome, oneshot::error::RecvError>) -> Result<i64, AppError> {
    match answer {
        Ok(Ok(seq)) => Ok(seq),
        _ => Err(AppError::AuditUnavailable),
    }
}

async fn commit_batch(app: &App, batch: Vec<Pending>) {
    let (events, waiters): (Vec<_>, Vec<_>) = batch.into_iter().map(|p| (p.event, p.done)).unzip();
    let count = i64::try_from(events.len()).unwrap_or(i64::MAX);
    let result = async {
        let mut tx = app.store().write().await.map_err(|e| {
            tracing::error!(error = %e, "audit group commit: no writer");
        })?;
        let last = append_all(&mut tx, events).await.map_err(drop)?;
        tx.commit().await.map_err(|e| {
            tracing::error!(error = %e, "audit group commit failed");
        })?;
        Ok::<i64, ()>(last)
    }
    .await;
    if let Ok(last) = result {
        app.group_commit().committed(last);
    }
    for (i, done) in (0_i64..).zip(waiters) {
        // A waiter that went away no longer needs its answer.
        let _ = done.send(result.map(|last| last - count + 1 + i));
    }
}
