//! Line charts: loss curves, optionally with a shaded min–max band per series.

use plotters::coord::ranged1d::{Ranged, ValueFormatter};
use plotters::coord::types::RangedCoordf64;
use plotters::coord::Shift;
use plotters::prelude::*;
use serde::{Deserialize, Serialize};

use crate::error::PlotError;
use crate::range::{drawable_y, linear_range, log_range};
use crate::render::{self, colour, draw_err, Draw, Fonts};

/// One named curve.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Series {
    /// Shown in the legend when the chart has more than one series.
    pub name: String,
    /// `(x, y)` in drawing order, usually `(epoch, loss)`.
    pub points: Vec<(f64, f64)>,
    /// `(x, lo, hi)`: a shaded band between `lo` and `hi`, e.g. the min and max over seeds.
    pub band: Option<Vec<(f64, f64, f64)>>,
}

impl Series {
    /// A series without a band.
    pub fn new(name: impl Into<String>, points: Vec<(f64, f64)>) -> Self {
        Series {
            name: name.into(),
            points,
            band: None,
        }
    }

    /// One value per epoch, drawn at x = 1, 2, ... (nnlab counts epochs from 1).
    pub fn from_epochs(name: impl Into<String>, values: &[f64]) -> Self {
        let points = (1..).map(f64::from).zip(values.iter().copied()).collect();
        Series::new(name, points)
    }

    /// The same series with a shaded `(x, lo, hi)` band.
    pub fn with_band(mut self, band: Vec<(f64, f64, f64)>) -> Self {
        self.band = Some(band);
        self
    }
}

/// A chart of one or more [`Series`] against a shared x axis.
///
/// What is drawn: non-finite points (a diverging run) and, when `log_y` is set, non-positive
/// values are dropped and the line is broken where they were; a point left alone between
/// gaps is drawn as a dot. If nothing drawable is left in any series the chart is an error,
/// [`PlotError::NoFiniteValues`], rather than an empty frame. A legend appears when there is
/// more than one series.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LineChart {
    pub title: String,
    pub x_label: String,
    pub y_label: String,
    /// A logarithmic y axis, for losses that fall over several orders of magnitude.
    pub log_y: bool,
    pub series: Vec<Series>,
}

/// Each series cut into runs of drawable points.
type Runs<T> = Vec<Vec<Vec<T>>>;

impl LineChart {
    /// A chart with a linear y axis and no series yet.
    pub fn new(
        title: impl Into<String>,
        x_label: impl Into<String>,
        y_label: impl Into<String>,
    ) -> Self {
        LineChart {
            title: title.into(),
            x_label: x_label.into(),
            y_label: y_label.into(),
            log_y: false,
            series: Vec::new(),
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

    /// Each series' points cut into runs of drawable points.
    fn line_runs(&self) -> Runs<(f64, f64)> {
        let log = self.log_y;
        self.series
            .iter()
            .map(|s| runs(&s.points, |&(x, y)| x.is_finite() && drawable_y(y, log)))
            .collect()
    }

    /// Each series' band cut into runs where x, lo and hi are all drawable.
    fn band_runs(&self) -> Runs<(f64, f64, f64)> {
        let log = self.log_y;
        self.series
            .iter()
            .map(|s| {
                runs(s.band.as_deref().unwrap_or_default(), |&(x, lo, hi)| {
                    x.is_finite() && drawable_y(lo, log) && drawable_y(hi, log)
                })
            })
            .collect()
    }

    fn draw_body<'a, DB, Y>(
        &self,
        mut chart: ChartContext<'a, DB, Cartesian2d<RangedCoordf64, Y>>,
        lines: &Runs<(f64, f64)>,
        bands: &Runs<(f64, f64, f64)>,
        fonts: &Fonts,
    ) -> Result<(), PlotError>
    where
        DB: DrawingBackend + 'a,
        Y: Ranged<ValueType = f64> + ValueFormatter<f64>,
    {
        let err = draw_err(&self.title);
        render::linear_mesh(
            &mut chart,
            fonts,
            (&self.x_label, &self.y_label),
            &self.title,
        )?;

        // Bands first, so every line stays visible on top of every band.
        for (i, band) in bands.iter().enumerate() {
            let fill = colour(i).mix(0.2).filled();
            let polygons = band.iter().map(|run| {
                // Along the top edge, then back along the bottom edge.
                let upper = run.iter().map(|&(x, _, hi)| (x, hi));
                let lower = run.iter().rev().map(|&(x, lo, _)| (x, lo));
                Polygon::new(upper.chain(lower).collect::<Vec<_>>(), fill)
            });
            chart.draw_series(polygons).map_err(&err)?;
        }
        for (i, (series, runs)) in self.series.iter().zip(lines).enumerate() {
            let style = colour(i).stroke_width(2);
            let paths = runs.iter().filter(|run| run.len() > 1);
            chart
                .draw_series(paths.map(|run| PathElement::new(run.clone(), style)))
                .map_err(&err)?
                .label(&series.name)
                .legend(move |(x, y)| PathElement::new(vec![(x, y), (x + 20, y)], style));
            // A one-point run has no segment to stroke; a dot keeps it visible.
            let dots = runs.iter().filter(|run| run.len() == 1);
            chart
                .draw_series(dots.map(|run| Circle::new(run[0], 3, colour(i).filled())))
                .map_err(&err)?;
        }
        if self.series.len() > 1 {
            chart
                .configure_series_labels()
                .position(SeriesLabelPosition::UpperRight)
                .label_font(fonts.tick.clone())
                .background_style(WHITE.mix(0.85))
                .border_style(BLACK.mix(0.4))
                .draw()
                .map_err(&err)?;
        }
        Ok(())
    }
}

impl Draw for LineChart {
    fn title(&self) -> &str {
        &self.title
    }

    fn draw<DB: DrawingBackend>(
        &self,
        root: &DrawingArea<DB, Shift>,
        (width, height): (u32, u32),
    ) -> Result<(), PlotError> {
        let err = draw_err(&self.title);
        let (lines, bands) = (self.line_runs(), self.band_runs());
        let no_values = || PlotError::NoFiniteValues {
            title: self.title.clone(),
            log_y: self.log_y,
        };
        let line_points = || lines.iter().flatten().flatten();
        let band_points = || bands.iter().flatten().flatten();
        let xs = line_points().map(|p| p.0).chain(band_points().map(|b| b.0));
        let (x0, x1) = linear_range(xs).ok_or_else(no_values)?;
        let ys = line_points()
            .map(|p| p.1)
            .chain(band_points().flat_map(|b| [b.1, b.2]));
        let (y0, y1) = if self.log_y {
            log_range(ys)
        } else {
            linear_range(ys)
        }
        .ok_or_else(no_values)?;

        root.fill(&WHITE).map_err(&err)?;
        let fonts = render::fonts(width, height);
        let mut builder = ChartBuilder::on(root);
        builder
            .caption(&self.title, fonts.title.clone())
            .margin(12)
            .x_label_area_size((fonts.tick_px * 3.2) as u32)
            .y_label_area_size((fonts.tick_px * 5.0) as u32);
        if self.log_y {
            let chart = builder
                .build_cartesian_2d(x0..x1, (y0..y1).log_scale())
                .map_err(&err)?;
            self.draw_body(chart, &lines, &bands, &fonts)
        } else {
            let chart = builder.build_cartesian_2d(x0..x1, y0..y1).map_err(&err)?;
            self.draw_body(chart, &lines, &bands, &fonts)
        }
    }
}

/// `items` split into maximal runs of consecutive items that `keep` accepts.
fn runs<T: Copy>(items: &[T], keep: impl Fn(&T) -> bool) -> Vec<Vec<T>> {
    let mut out: Vec<Vec<T>> = Vec::new();
    let mut current = Vec::new();
    for item in items {
        if keep(item) {
            current.push(*item);
        } else if !current.is_empty() {
            out.push(std::mem::take(&mut current));
        }
    }
    if !current.is_empty() {
        out.push(current);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::runs;

    #[test]
    fn runs_break_at_dropped_points() {
        let v = [1.0, 2.0, f64::NAN, 3.0, f64::INFINITY, f64::NAN, 4.0, 5.0];
        let r = runs(&v, |x| x.is_finite());
        assert_eq!(r, vec![vec![1.0, 2.0], vec![3.0], vec![4.0, 5.0]]);
        assert!(runs(&[f64::NAN], |x| x.is_finite()).is_empty());
    }
}
