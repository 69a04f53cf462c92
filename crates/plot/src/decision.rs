//! The decision boundary of a classifier over its two inputs: class probability as a colour
//! field, the data points over it, and a colour bar.
//!
//! Two classes (one probability `p` of class 1 per cell): a diverging field from class 0's
//! colour at `p = 0` through white at `p = 0.5` (the boundary) to class 1's colour at `p = 1`,
//! and a colour bar of `p` with ticks. K classes (a probability per class per cell): each cell
//! takes its most probable class's colour, mixed with white by its strength
//! `(p_max - 1/K) / (1 - 1/K)` (white where every class is equally likely), and the colour bar
//! shows that strength's scale, one column per class. Class colours are the charts' palette
//! (tab10), the same for the field, the points and the bar. Train points are circles, test
//! points squares, both filled with their true class's colour and outlined in black.

use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};
use serde::{Deserialize, Serialize};

use crate::error::PlotError;
use crate::format::compact;
use crate::render::{self, colour, draw_err, Draw, Fonts};

/// One data point of a [`DecisionChart`].
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct ClassPoint {
    pub x: f64,
    pub y: f64,
    /// The true class (index into [`DecisionChart::classes`]).
    pub class: usize,
    /// A test row (drawn as a square) rather than a train row (a circle).
    pub test: bool,
}

/// A classifier's probabilities over a grid of the input plane and the points over it.
///
/// `field` holds `ny` rows of `nx` cells (row-major, row 0 at `y_range.0`, cell 0 at
/// `x_range.0`), each the most likely class at the cell's centre and its probability, as the
/// caller's classification rule decides them. A field of the wrong length, with no cell, a
/// class out of range, fewer than two classes or an empty range is [`PlotError::BadField`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DecisionChart {
    pub title: String,
    pub x_label: String,
    pub y_label: String,
    /// Class names in class order (at least two).
    pub classes: Vec<String>,
    pub x_range: (f64, f64),
    pub y_range: (f64, f64),
    pub nx: usize,
    pub ny: usize,
    pub field: Vec<(usize, f64)>,
    pub points: Vec<ClassPoint>,
}

impl DecisionChart {
    /// The chart as an SVG document of `width` x `height` pixels.
    pub fn to_svg(&self, width: u32, height: u32) -> Result<String, PlotError> {
        render::svg(self, width, height)
    }

    /// The chart as encoded PNG bytes (8-bit RGB) of `width` x `height` pixels.
    pub fn to_png(&self, width: u32, height: u32) -> Result<Vec<u8>, PlotError> {
        render::png(self, width, height)
    }

    /// The colour of a cell whose most likely class is `class` with probability `p`: that
    /// class's colour mixed with white by `(p - 1/K) / (1 - 1/K)` (see the module doc).
    pub fn cell_colour(&self, class: usize, p: f64) -> [u8; 3] {
        let RGBColor(r, g, b) = self.rgb(class, p);
        [r, g, b]
    }

    fn rgb(&self, class: usize, p: f64) -> RGBColor {
        let k = self.classes.len().max(2) as f64;
        towards_white(colour(class), (p - 1.0 / k) / (1.0 - 1.0 / k))
    }

    fn check(&self) -> Result<(), PlotError> {
        let cells = self.nx * self.ny;
        let k = self.classes.len();
        let ok = cells > 0
            && self.field.len() == cells
            && k >= 2
            && self.field.iter().all(|c| c.0 < k)
            && [self.x_range, self.y_range]
                .iter()
                .all(|(a, b)| a.is_finite() && b.is_finite() && a < b);
        if ok {
            Ok(())
        } else {
            Err(PlotError::BadField {
                title: self.title.clone(),
                message: format!(
                    "{} cells for a {}x{} grid of {} classes (x {:?}, y {:?})",
                    self.field.len(),
                    self.nx,
                    self.ny,
                    k,
                    self.x_range,
                    self.y_range
                ),
            })
        }
    }
}

/// `c` at `strength` 1, white at 0 (clamped to [0, 1]).
fn towards_white(c: RGBColor, strength: f64) -> RGBColor {
    let s = if strength.is_finite() {
        strength.clamp(0.0, 1.0)
    } else {
        0.0
    };
    let mix = |v: u8| (255.0 - (255.0 - v as f64) * s).round() as u8;
    RGBColor(mix(c.0), mix(c.1), mix(c.2))
}

impl Draw for DecisionChart {
    fn title(&self) -> &str {
        &self.title
    }

    fn draw<DB: DrawingBackend>(
        &self,
        root: &DrawingArea<DB, Shift>,
        (width, height): (u32, u32),
    ) -> Result<(), PlotError> {
        self.check()?;
        let err = draw_err(&self.title);
        root.fill(&WHITE).map_err(&err)?;
        let fonts = render::fonts(width, height);
        let titled = root
            .titled(&self.title, fonts.title.clone())
            .map_err(&err)?;
        let side = (width as f64 * 0.24).max(fonts.tick_px * 7.0) as u32;
        let (plane, panel) = titled.split_horizontally(width.saturating_sub(side));
        let (x0, x1) = self.x_range;
        let (y0, y1) = self.y_range;
        let mut chart = ChartBuilder::on(&plane)
            .margin(8)
            .x_label_area_size((fonts.tick_px * 3.2) as u32)
            .y_label_area_size((fonts.tick_px * 4.6) as u32)
            .build_cartesian_2d(x0..x1, y0..y1)
            .map_err(&err)?;
        let (dx, dy) = ((x1 - x0) / self.nx as f64, (y1 - y0) / self.ny as f64);
        let cells = (0..self.ny).flat_map(|j| (0..self.nx).map(move |i| (i, j)));
        chart
            .draw_series(cells.map(|(i, j)| {
                let (class, p) = self.field[j * self.nx + i];
                let lo = (x0 + i as f64 * dx, y0 + j as f64 * dy);
                let hi = (lo.0 + dx, lo.1 + dy);
                Rectangle::new([lo, hi], self.rgb(class, p).filled())
            }))
            .map_err(&err)?;
        render::linear_mesh(
            &mut chart,
            &fonts,
            (&self.x_label, &self.y_label),
            &self.title,
        )?;
        let r = (fonts.tick_px * 0.3).max(3.0) as i32;
        let inside = |p: &&ClassPoint| {
            p.x.is_finite()
                && p.y.is_finite()
                && (x0..=x1).contains(&p.x)
                && (y0..=y1).contains(&p.y)
        };
        for p in self.points.iter().filter(inside) {
            let fill = colour(p.class).filled();
            let edge = BLACK.stroke_width(1);
            let at = (p.x, p.y);
            if p.test {
                let sq = EmptyElement::at(at) + Rectangle::new([(-r, -r), (r, r)], fill);
                let rim = EmptyElement::at(at) + Rectangle::new([(-r, -r), (r, r)], edge);
                chart.plotting_area().draw(&sq).map_err(&err)?;
                chart.plotting_area().draw(&rim).map_err(&err)?;
            } else {
                chart
                    .plotting_area()
                    .draw(&Circle::new(at, r, fill))
                    .map_err(&err)?;
                chart
                    .plotting_area()
                    .draw(&Circle::new(at, r, edge))
                    .map_err(&err)?;
            }
        }
        self.draw_panel(&panel, &fonts, r).map_err(&err)
    }
}

impl DecisionChart {
    /// The side panel: the colour bar with its ticks, then the key of classes and shapes.
    fn draw_panel<DB: DrawingBackend>(
        &self,
        panel: &DrawingArea<DB, Shift>,
        fonts: &Fonts,
        r: i32,
    ) -> Result<(), DrawingAreaErrorKind<DB::ErrorType>> {
        let h = panel.dim_in_pixel().1 as i32;
        let line = (fonts.tick_px * 1.3) as i32;
        let top = line;
        let n_key = self.classes.len() as i32 + 2;
        let bar_h = (h - top - line * (n_key + 3)).max(line * 3);
        let bar_w = (fonts.tick_px * 1.2) as i32;
        let left = (fonts.tick_px * 0.6) as i32;
        let k = self.classes.len();
        let two = k == 2;
        let caption = if two {
            format!("P({})", self.classes[1])
        } else {
            "P(most likely)".to_string()
        };
        panel.draw(&Text::new(caption, (left, 0), fonts.tick.clone()))?;
        // One column for two classes (the diverging scale), else one per class.
        let columns = if two { 1 } else { k };
        let (lo, hi) = if two {
            (0.0, 1.0)
        } else {
            (1.0 / k as f64, 1.0)
        };
        let steps = bar_h.max(1);
        for s in 0..steps {
            let v = hi - (hi - lo) * (s as f64 + 0.5) / steps as f64;
            for c in 0..columns {
                // Two classes: v is P(class 1), the most likely class's share or its rest.
                let cell = match (two, v >= 0.5) {
                    (true, true) => (1, v),
                    (true, false) => (0, 1.0 - v),
                    (false, _) => (c, v),
                };
                let x = left + c as i32 * bar_w;
                panel.draw(&Rectangle::new(
                    [(x, top + s), (x + bar_w, top + s + 1)],
                    self.rgb(cell.0, cell.1).filled(),
                ))?;
            }
        }
        let right = left + columns as i32 * bar_w;
        panel.draw(&Rectangle::new(
            [(left, top), (right, top + bar_h)],
            BLACK.stroke_width(1),
        ))?;
        for t in 0..5 {
            let v = lo + (hi - lo) * t as f64 / 4.0;
            let y = top + ((hi - v) / (hi - lo) * bar_h as f64).round() as i32;
            panel.draw(&PathElement::new(vec![(right, y), (right + 5, y)], BLACK))?;
            let label = compact((v * 1000.0).round() / 1000.0);
            let style = fonts.tick.clone().pos(Pos::new(HPos::Left, VPos::Center));
            panel.draw(&Text::new(label, (right + 8, y), style))?;
        }
        // The key: one swatch per class, then the two shapes.
        let mut y = top + bar_h + line;
        let mid = |y: i32| y + line / 2;
        let text_style = fonts.tick.clone().pos(Pos::new(HPos::Left, VPos::Center));
        let cx = left + r + 1;
        for (c, name) in self.classes.iter().enumerate() {
            panel.draw(&Circle::new((cx, mid(y)), r, colour(c).filled()))?;
            panel.draw(&Circle::new((cx, mid(y)), r, BLACK.stroke_width(1)))?;
            panel.draw(&Text::new(
                name.clone(),
                (cx + 2 * r + 6, mid(y)),
                text_style.clone(),
            ))?;
            y += line;
        }
        let grey = RGBColor(0xcc, 0xcc, 0xcc).filled();
        panel.draw(&Circle::new((cx, mid(y)), r, grey))?;
        panel.draw(&Circle::new((cx, mid(y)), r, BLACK.stroke_width(1)))?;
        panel.draw(&Text::new(
            "train",
            (cx + 2 * r + 6, mid(y)),
            text_style.clone(),
        ))?;
        y += line;
        let sq = [(cx - r, mid(y) - r), (cx + r, mid(y) + r)];
        panel.draw(&Rectangle::new(sq, grey))?;
        panel.draw(&Rectangle::new(sq, BLACK.stroke_width(1)))?;
        panel.draw(&Text::new("test", (cx + 2 * r + 6, mid(y)), text_style))?;
        Ok(())
    }
}
