//! Regression metrics against hand-computed numbers.

use nnlab_core::course;
use nnlab_train::{compute, predict_all, Samples};

// y = [1, 2, 3], y_hat = [1, 2, 4]: errors 0, 0, 1.
// mse = 1/3, rmse = sqrt(1/3), mae = 1/3; mean(y) = 2, SS_tot = 1 + 0 + 1 = 2, SS_res = 1,
// r2 = 1 - 1/2 = 0.5; mape = (0 + 0 + 1/3)/3·100 = 11.111...
#[test]
fn metrics_by_hand() {
    let m = compute(&[1.0, 2.0, 4.0], &[1.0, 2.0, 3.0]);
    assert_eq!(m.n, 3);
    assert!((m.mse - 1.0 / 3.0).abs() < 1e-15);
    assert!((m.rmse - (1.0f64 / 3.0).sqrt()).abs() < 1e-15);
    assert!((m.mae - 1.0 / 3.0).abs() < 1e-15);
    assert_eq!(m.r2, 0.5);
    assert!((m.mape.unwrap() - 100.0 / 9.0).abs() < 1e-12);
    assert_eq!(m.mape_excluded, 0);
}

// y = [0, 2, 4], y_hat = [1, 1, 4]: errors 1, 1, 0 -> mse 2/3, mae 2/3;
// mean 2, SS_tot = 8, r2 = 1 - 2/8 = 0.75; mape over y ≠ 0 only: (1/2 + 0)/2·100 = 25,
// with one row excluded.
#[test]
fn zero_targets_are_left_out_of_mape() {
    let m = compute(&[1.0, 1.0, 4.0], &[0.0, 2.0, 4.0]);
    assert!((m.mse - 2.0 / 3.0).abs() < 1e-15);
    assert_eq!(m.r2, 0.75);
    assert_eq!(m.mape, Some(25.0));
    assert_eq!(m.mape_excluded, 1);
    let all_zero = compute(&[1.0, 2.0], &[0.0, 0.0]);
    assert_eq!(all_zero.mape, None);
    assert_eq!(all_zero.mape_excluded, 2);
}

// Equal targets: SS_tot = 0, R² undefined -> NaN, written as JSON null.
#[test]
fn constant_targets_have_no_r2() {
    let m = compute(&[1.0, 3.0], &[2.0, 2.0]);
    assert!(m.r2.is_nan());
    assert_eq!(m.mse, 1.0);
    let json = serde_json::to_value(m).unwrap();
    assert!(json["r2"].is_null());
    assert_eq!(json["mse"], 1.0);
}

// The course's published start: input (1, 0) -> 2.5. Input (0, 1): z1 = 1 + 0.5 = 1.5,
// z2 = -0.5 -> a2 = 0, y_hat = 1.5 + 0.5 = 2.
#[test]
fn predict_all_runs_every_row() {
    let net = course::network([1.0, 0.5, 1.0, -0.5, 1.0, 1.0], [0.5, 0.0, 0.5]);
    let data = Samples::new(&[1.0, 0.0, 0.0, 1.0], &[2.0, 2.0], 2, 1).unwrap();
    assert_eq!(predict_all(&net, &data), vec![2.5, 2.0]);
}
