//! Draws the kind of chart a training run produces and writes it as PNG and SVG.
//!
//! `cargo run -p nnlab-plot --example loss_chart -- /tmp/nnlab-plot-sample` writes
//! `/tmp/nnlab-plot-sample.png`, `.svg` and `-scatter.png`, and prints the terminal plot.
//! The data is a made-up but typical run: train loss 2.0 * 0.9^e with a min–max band over
//! seeds, and a test loss that levels off.

use std::error::Error;

use nnlab_plot::{terminal_plot, LineChart, ScatterChart, Series};

fn main() -> Result<(), Box<dyn Error>> {
    let stem = std::env::args()
        .nth(1)
        .unwrap_or_else(|| "nnlab-plot-sample".to_string());
    let train: Vec<f64> = (0..60).map(|e| 2.0 * 0.9f64.powi(e)).collect();
    let test: Vec<f64> = train.iter().map(|l| l + 0.01).collect();
    let band = train
        .iter()
        .enumerate()
        .map(|(e, l)| ((e + 1) as f64, l * 0.7, l * 1.4))
        .collect();

    let mut chart = LineChart::new("Loss per epoch (mean of 5 seeds)", "epoch", "MSE loss");
    chart.log_y = true;
    chart
        .series
        .push(Series::from_epochs("train", &train).with_band(band));
    chart.series.push(Series::from_epochs("test", &test));
    std::fs::write(format!("{stem}.png"), chart.to_png(800, 500)?)?;
    std::fs::write(format!("{stem}.svg"), chart.to_svg(800, 500)?)?;

    // Predictions of a model that is good but a little biased: y_hat = 0.9 x + 0.05.
    let points = (0..40)
        .map(|i| {
            let x = i as f64 / 39.0;
            (
                x,
                0.9 * x + 0.05 + 0.03 * ((i * 7 % 11) as f64 / 11.0 - 0.5),
            )
        })
        .collect();
    let scatter = ScatterChart::new(
        "Predictions on the test set",
        "target y",
        "prediction ŷ",
        points,
    );
    std::fs::write(format!("{stem}-scatter.png"), scatter.to_png(500, 500)?)?;

    print!("{}", terminal_plot(&train, 50, 10, true));
    Ok(())
}
