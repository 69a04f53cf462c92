//! The sessions a server holds: at most [`MAX_SESSIONS`], each dropped after
//! [`IDLE_EXPIRY_SECS`] without a request (a playing session counts as used).

use std::collections::HashMap;
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use nnlab_core::rng::Rng;
use tokio::sync::broadcast;

use crate::limits::{IDLE_EXPIRY_SECS, MAX_SESSIONS};
use crate::session::Session;
use crate::ApiError;

/// A session with what the server keeps beside it.
pub struct Entry {
    pub session: Mutex<Session>,
    /// Wakes the event streams of this session after a change.
    pub changed: broadcast::Sender<()>,
    last_used: Mutex<Instant>,
}

impl Entry {
    /// The session, locked; a panic in another request cannot poison it for good because
    /// every change is a whole step that either happened or not.
    pub fn lock(&self) -> MutexGuard<'_, Session> {
        self.session.lock().unwrap_or_else(|e| e.into_inner())
    }

    pub fn touch(&self) {
        *self.last_used.lock().unwrap_or_else(|e| e.into_inner()) = Instant::now();
    }

    fn idle(&self) -> Duration {
        self.last_used
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .elapsed()
    }

    /// Tells the event streams that the session changed (no listener is not an error).
    pub fn notify(&self) {
        let _ = self.changed.send(());
    }
}

/// The sessions by id.
pub struct Sessions {
    sessions: Mutex<HashMap<String, Arc<Entry>>>,
    ids: Mutex<Rng>,
    expiry: Duration,
}

impl Default for Sessions {
    fn default() -> Self {
        Sessions::new(Duration::from_secs(IDLE_EXPIRY_SECS))
    }
}

impl Sessions {
    pub fn new(expiry: Duration) -> Sessions {
        // Ids only need to differ between sessions and runs of the server.
        let seed = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map_or(0, |d| d.as_nanos() as u64);
        Sessions {
            sessions: Mutex::new(HashMap::new()),
            ids: Mutex::new(Rng::new(seed ^ u64::from(std::process::id()))),
            expiry,
        }
    }

    fn map(&self) -> MutexGuard<'_, HashMap<String, Arc<Entry>>> {
        self.sessions.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Adds a session; drops expired ones first; 503 at the limit.
    pub fn insert(&self, session: Session) -> Result<String, ApiError> {
        let mut map = self.map();
        map.retain(|_, e| e.idle() < self.expiry);
        if map.len() >= MAX_SESSIONS {
            return Err(ApiError::busy(format!(
                "the server holds {MAX_SESSIONS} sessions; try again when one expires"
            )));
        }
        let id = loop {
            let id = format!(
                "{:016x}",
                self.ids
                    .lock()
                    .unwrap_or_else(|e| e.into_inner())
                    .next_u64()
            );
            if !map.contains_key(&id) {
                break id;
            }
        };
        let (changed, _) = broadcast::channel(16);
        map.insert(
            id.clone(),
            Arc::new(Entry {
                session: Mutex::new(session),
                changed,
                last_used: Mutex::new(Instant::now()),
            }),
        );
        Ok(id)
    }

    /// The session `id`, marked as used; 404 when unknown or expired.
    pub fn get(&self, id: &str) -> Result<Arc<Entry>, ApiError> {
        let mut map = self.map();
        map.retain(|_, e| e.idle() < self.expiry);
        let entry = map.get(id).cloned().ok_or_else(|| {
            ApiError::not_found(format!("no session '{id}' (it may have expired)"))
        })?;
        entry.touch();
        Ok(entry)
    }

    pub fn len(&self) -> usize {
        self.map().len()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}
