//! A run's per-epoch history as three columns of the `runs` row (schema v3): `train_loss`,
//! `test_loss` and `lr`, each a BLOB of little-endian IEEE-754 `f64`, one per epoch (epoch
//! `k` is entry `k - 1`).
//!
//! One row per epoch (schema v1 and v2) made a 1000-run sweep of 300 epochs write 300,000
//! rows; three blobs per run are a few kilobytes in the run's own row. Storing the bits
//! also keeps NaN and the infinities, which a `REAL` column turns into NULL.
//!
//! `test_loss` is NULL for a run without a test set. `lr` holds a single value when the
//! rate was the same in every epoch (a constant schedule: most runs), else one per epoch.
//!
//! ```
//! use nnlab_store::history::{decode, encode};
//! use nnlab_train::EpochRecord;
//! let h = vec![
//!     EpochRecord { epoch: 1, train_loss: 0.5, test_loss: None, lr: 0.01 },
//!     EpochRecord { epoch: 2, train_loss: f64::NAN, test_loss: None, lr: 0.01 },
//! ];
//! let cols = encode(&h);
//! assert_eq!((cols.train_loss.len(), cols.test_loss.is_none(), cols.lr.len()), (16, true, 8));
//! let back = decode(&cols.train_loss, cols.test_loss.as_deref(), &cols.lr).unwrap();
//! assert_eq!(back[0], h[0]);
//! assert!(back[1].train_loss.is_nan());
//! ```

use nnlab_train::EpochRecord;

/// The three blobs of one history.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Columns {
    pub train_loss: Vec<u8>,
    pub test_loss: Option<Vec<u8>>,
    pub lr: Vec<u8>,
}

fn bytes(values: impl Iterator<Item = f64>, n: usize) -> Vec<u8> {
    // Sized once and filled in place: pushing each value's bytes checked the capacity every
    // time (a sweep encodes a few hundred values per run).
    let mut out = vec![0u8; 8 * n];
    for (slot, v) in out.chunks_exact_mut(8).zip(values) {
        slot.copy_from_slice(&v.to_le_bytes());
    }
    out
}

/// The blobs of `history` (epochs taken in order, as `1..=n`). An epoch without a test
/// loss in a run that has one elsewhere is stored as NaN.
pub fn encode(history: &[EpochRecord]) -> Columns {
    let n = history.len();
    let test = history
        .iter()
        .any(|h| h.test_loss.is_some())
        .then(|| bytes(history.iter().map(|h| h.test_loss.unwrap_or(f64::NAN)), n));
    let constant = history
        .first()
        .filter(|first| history.iter().all(|h| h.lr.to_bits() == first.lr.to_bits()));
    let lr = match constant {
        Some(first) => first.lr.to_le_bytes().to_vec(),
        None => bytes(history.iter().map(|h| h.lr), n),
    };
    Columns {
        train_loss: bytes(history.iter().map(|h| h.train_loss), n),
        test_loss: test,
        lr,
    }
}

fn floats(blob: &[u8], what: &str) -> Result<Vec<f64>, String> {
    if !blob.len().is_multiple_of(8) {
        return Err(format!(
            "{what}: {} bytes is not a whole number of f64",
            blob.len()
        ));
    }
    Ok(blob
        .chunks_exact(8)
        .map(|c| {
            let mut b = [0u8; 8];
            b.copy_from_slice(c);
            f64::from_le_bytes(b)
        })
        .collect())
}

/// The history the blobs hold; the error says which blob does not fit the others.
pub fn decode(
    train_loss: &[u8],
    test_loss: Option<&[u8]>,
    lr: &[u8],
) -> Result<Vec<EpochRecord>, String> {
    let train = floats(train_loss, "train_loss")?;
    let n = train.len();
    let test = test_loss.map(|t| floats(t, "test_loss")).transpose()?;
    if let Some(t) = test.as_ref().filter(|t| t.len() != n) {
        return Err(format!("test_loss: {} epochs, train_loss {n}", t.len()));
    }
    let lr = floats(lr, "lr")?;
    if lr.len() != n && !(lr.len() == 1 && n > 0) && !(lr.is_empty() && n == 0) {
        return Err(format!("lr: {} values for {n} epochs", lr.len()));
    }
    Ok((0..n)
        .map(|k| EpochRecord {
            epoch: k + 1,
            train_loss: train[k],
            test_loss: test.as_ref().map(|t| t[k]),
            lr: if lr.len() == 1 { lr[0] } else { lr[k] },
        })
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rec(epoch: usize, train_loss: f64, test_loss: Option<f64>, lr: f64) -> EpochRecord {
        EpochRecord {
            epoch,
            train_loss,
            test_loss,
            lr,
        }
    }

    #[test]
    fn round_trips_bits_including_nan_and_infinity() {
        // A plateau schedule halving the rate, with a test set, ending in overflow.
        let h = vec![
            rec(1, 0.25, Some(0.3), 0.1),
            rec(2, 0.1 + 0.2, Some(f64::INFINITY), 0.05),
            rec(3, f64::NAN, Some(-0.0), 0.05),
        ];
        let c = encode(&h);
        assert_eq!(c.train_loss.len(), 24);
        assert_eq!(c.lr.len(), 24);
        // 0.25 = 0x3FD0000000000000, little-endian.
        assert_eq!(&c.train_loss[..8], &[0, 0, 0, 0, 0, 0, 0xD0, 0x3F]);
        let back = decode(&c.train_loss, c.test_loss.as_deref(), &c.lr).unwrap();
        assert_eq!(back[..2], h[..2]);
        assert!(back[2].train_loss.is_nan());
        assert_eq!(
            back[2].test_loss.map(f64::to_bits),
            Some((-0.0f64).to_bits())
        );
    }

    #[test]
    fn a_constant_rate_is_one_value_and_no_epochs_is_empty() {
        let h = vec![rec(1, 1.0, None, 0.01), rec(2, 0.5, None, 0.01)];
        let c = encode(&h);
        assert_eq!((c.lr.len(), c.test_loss.is_none()), (8, true));
        assert_eq!(decode(&c.train_loss, None, &c.lr).unwrap(), h);
        let empty = encode(&[]);
        assert_eq!(decode(&empty.train_loss, None, &empty.lr).unwrap(), vec![]);
    }

    #[test]
    fn malformed_blobs_are_errors() {
        assert!(decode(&[0; 7], None, &[0; 8])
            .unwrap_err()
            .contains("train_loss"));
        assert!(decode(&[0; 16], Some(&[0; 8]), &[0; 8])
            .unwrap_err()
            .contains("test_loss"));
        assert!(decode(&[0; 24], None, &[0; 16]).unwrap_err().contains("lr"));
    }
}
