//! Tests of the flat encoding of facts.

use super::read::Reader;
use super::*;
use serde::Serialize;

/// The value whose shape starts `shape` and whose leaves start `leaves`, with the bytes of
/// each it used.
fn decode(shape: &[u8], leaves: &[u8]) -> Result<(Value, usize, usize), String> {
    let mut r = Reader {
        shape,
        leaves,
        at: 0,
        leaf: 0,
    };
    let v = r.value()?;
    Ok((v, r.at, r.leaf))
}

#[derive(Serialize)]
enum Status {
    Completed,
    Diverged { epoch: usize, param: Option<String> },
    Stopped(u32),
}

#[derive(Serialize)]
struct Sample {
    status: Vec<Status>,
    r2: f64,
    nan: f64,
    mape: Option<f64>,
    seeds: (u64, i64),
    ok: bool,
    reason: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    skipped: Option<f64>,
}

/// Every kind of value the facts hold reads back as `serde_json::to_value` writes it,
/// each f64 with its bits (0.1 + 0.2 = 0.30000000000000004, which a decimal text
/// round trip must also keep).
#[test]
fn values_read_back_as_serde_json_writes_them() {
    let s = Sample {
        status: vec![
            Status::Completed,
            Status::Diverged {
                epoch: 3,
                param: Some("w5".into()),
            },
            Status::Stopped(7),
        ],
        r2: 0.1 + 0.2,
        nan: f64::NAN,
        mape: None,
        seeds: (u64::MAX, -4),
        ok: true,
        reason: "stuck: 100% of the rows get 0".into(),
        skipped: None,
    };
    let (mut shape, mut leaves) = (Vec::new(), Vec::new());
    encode(&s, &mut shape, &mut leaves).unwrap();
    let (v, used_shape, used_leaves) = decode(&shape, &leaves).unwrap();
    assert_eq!(v, serde_json::to_value(&s).unwrap());
    assert_eq!((used_shape, used_leaves), (shape.len(), leaves.len()));
    assert_eq!(
        v["r2"].as_f64().unwrap().to_bits(),
        (0.1f64 + 0.2).to_bits()
    );
    // Leaves: 2 u64 (epoch 3, Stopped 7) + the string "w5" (4 + 2), 2 f64, 2 seeds,
    // 1 bool, the reason (4 + 29): 16 + 6 + 16 + 16 + 1 + 33 = 88 bytes.
    assert_eq!(leaves.len(), 88);
    assert!(decode(&shape[..shape.len() - 1], &leaves).is_err());
    assert!(decode(&shape, &leaves[..10]).is_err());
}
