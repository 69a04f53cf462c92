//! Scatter charts: a model's predictions against the targets.

use plotters::coord::Shift;
use plotters::prelude::*;
use serde::{Deserialize, Serialize};

use crate::error::PlotError;
use crate::range::linear_range;
use crate::render::{self, colour, draw_err, Draw};

/// Points `(x, y)`, typically `(target, prediction)`, with an optional `y = x` reference line.
///
/// Points with a non-finite coordinate are dropped; if none is left the chart is an error,
/// [`PlotError::NoFiniteValues`]. With `diagonal` both axes share one range, so the `y = x`
/// line runs corner to corner at 45° and a perfect model's points lie on it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ScatterChart {
    pub title: String,
    pub x_label: String,
    pub y_label: String,
    pub points: Vec<(f64, f64)>,
    /// Draw the line `y = x` (labelled in a legend).
    pub diagonal: bool,
}

impl ScatterChart {
    /// A chart of `points` with the `y = x` line drawn.
    pub fn new(
        title: impl Into<String>,
        x_label: impl Into<String>,
        y_label: impl Into<String>,
        points: Vec<(f64, f64)>,
    ) -> Self {
        ScatterChart {
            title: title.into(),
            x_label: x_label.into(),
            y_label: y_label.into(),
            points,
            diagonal: true,
        }
    }

    /// The chart as an SVG document of `width` x `height` pixels.
    pub fn to_svg(&self, width: u32, height: u32) -> Result<String, PlotError> {
        render::svg(self, width, height)
    }

    /// The chart as encoded PNG bytes (8-bit RGB) of `width` x `height` pixels.
    pub fn to_png(&self, width: u32, height: u32) -> Result<Vec<u8>, PlotError> {
        render::png(self, width, height)
    }
}

impl Draw for ScatterChart {
    fn title(&self) -> &str {
        &self.title
    }

    fn draw<DB: DrawingBackend>(
        &self,
        root: &DrawingArea<DB, Shift>,
        (width, height): (u32, u32),
    ) -> Result<(), PlotError> {
        let err = draw_err(&self.title);
        let points: Vec<(f64, f64)> = self
            .points
            .iter()
            .copied()
            .filter(|(x, y)| x.is_finite() && y.is_finite())
            .collect();
        let no_values = || PlotError::NoFiniteValues {
            title: self.title.clone(),
            log_y: false,
        };
        let xs = points.iter().map(|p| p.0);
        let ys = points.iter().map(|p| p.1);
        let ((x0, x1), (y0, y1)) = if self.diagonal {
            let both = linear_range(xs.chain(ys)).ok_or_else(no_values)?;
            (both, both)
        } else {
            let x = linear_range(xs).ok_or_else(no_values)?;
            let y = linear_range(ys).ok_or_else(no_values)?;
            (x, y)
        };

        root.fill(&WHITE).map_err(&err)?;
        let fonts = render::fonts(width, height);
        let mut chart = ChartBuilder::on(root)
            .caption(&self.title, fonts.title.clone())
            .margin(12)
            .x_label_area_size((fonts.tick_px * 3.2) as u32)
            .y_label_area_size((fonts.tick_px * 5.0) as u32)
            .build_cartesian_2d(x0..x1, y0..y1)
            .map_err(&err)?;
        render::linear_mesh(
            &mut chart,
            &fonts,
            (&self.x_label, &self.y_label),
            &self.title,
        )?;

        if self.diagonal {
            let style = BLACK.mix(0.6).stroke_width(1);
            chart
                .draw_series(std::iter::once(PathElement::new(
                    vec![(x0, x0), (x1, x1)],
                    style,
                )))
                .map_err(&err)?
                .label("y = x")
                .legend(move |(x, y)| PathElement::new(vec![(x, y), (x + 20, y)], style));
        }
        // Translucent dots, so dense clusters read darker than lone points.
        let dot = colour(0).mix(0.7).filled();
        chart
            .draw_series(points.iter().map(|&p| Circle::new(p, 3, dot)))
            .map_err(&err)?;
        if self.diagonal {
            chart
                .configure_series_labels()
                .position(SeriesLabelPosition::UpperLeft)
                .label_font(fonts.tick.clone())
                .background_style(WHITE.mix(0.85))
                .border_style(BLACK.mix(0.4))
                .draw()
                .map_err(&err)?;
        }
        Ok(())
    }
}
