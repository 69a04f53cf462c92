//! Running one case with a time limit and catching its panic.

use std::sync::mpsc;
use std::time::Duration;

use crate::alloc;

/// How long one case may run. Cases are small (see [`crate::SMALL`]): a debug build runs
/// one in milliseconds, so a case still running after this long is a hang.
pub const DEADLINE: Duration = Duration::from_secs(30);

/// How a case ended.
#[derive(Debug, Clone, PartialEq)]
pub enum Outcome<T> {
    Done(T),
    /// The panic's message.
    Panicked(String),
    /// Still running at the deadline (its thread is left behind: the test fails anyway).
    Hung,
}

/// Runs `f` on its own thread, named `case` for the allocator's cap message, and waits at
/// most `deadline` for it.
pub fn bounded<T: Send + 'static>(
    case: &str,
    deadline: Duration,
    f: impl FnOnce() -> T + Send + 'static,
) -> Outcome<T> {
    let (tx, rx) = mpsc::channel();
    let case = case.to_string();
    let spawned = std::thread::Builder::new().spawn(move || {
        alloc::set_case(&case);
        let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(f));
        // The receiver is gone only after a deadline passed; nothing is left to tell.
        let _ = tx.send(result);
    });
    if let Err(e) = spawned {
        return Outcome::Panicked(format!("could not start the case's thread: {e}"));
    }
    match rx.recv_timeout(deadline) {
        Ok(Ok(v)) => Outcome::Done(v),
        Ok(Err(payload)) => Outcome::Panicked(panic_message(payload.as_ref())),
        Err(_) => Outcome::Hung,
    }
}

fn panic_message(payload: &(dyn std::any::Any + Send)) -> String {
    if let Some(s) = payload.downcast_ref::<&str>() {
        s.to_string()
    } else if let Some(s) = payload.downcast_ref::<String>() {
        s.clone()
    } else {
        "a panic without a message".to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_case_that_never_ends_is_hung() {
        let outcome = bounded("sleep", Duration::from_millis(50), || {
            std::thread::sleep(Duration::from_secs(2))
        });
        assert_eq!(outcome, Outcome::Hung);
    }

    #[test]
    fn a_formatted_panic_keeps_its_message() {
        let outcome = bounded("fmt", DEADLINE, || -> u8 { panic!("bad {}", 7) });
        assert_eq!(outcome, Outcome::Panicked("bad 7".to_string()));
    }
}
