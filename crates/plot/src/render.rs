//! What every chart shares: the size check, the two backends, the palette and the fonts.

use std::fmt::Display;

use plotters::coord::Shift;
use plotters::prelude::*;

use plotters::coord::ranged1d::{Ranged, ValueFormatter};
use plotters::coord::types::RangedCoordf64;

use crate::error::PlotError;
use crate::format::compact;
use crate::{font, png};

/// Smallest picture side in pixels: below this the axis labels leave no room for the plot.
pub const MIN_SIZE: u32 = 64;
/// Largest picture side in pixels; keeps the RGB buffer of a PNG under 50 MiB.
pub const MAX_SIZE: u32 = 4096;

/// matplotlib's "tab10" colours, the ones students know from their notebooks.
const PALETTE: [RGBColor; 10] = [
    RGBColor(0x1f, 0x77, 0xb4),
    RGBColor(0xff, 0x7f, 0x0e),
    RGBColor(0x2c, 0xa0, 0x2c),
    RGBColor(0xd6, 0x27, 0x28),
    RGBColor(0x94, 0x67, 0xbd),
    RGBColor(0x8c, 0x56, 0x4b),
    RGBColor(0xe3, 0x77, 0xc2),
    RGBColor(0x7f, 0x7f, 0x7f),
    RGBColor(0xbc, 0xbd, 0x22),
    RGBColor(0x17, 0xbe, 0xcf),
];

/// The colour of the `i`-th series; the palette repeats after ten.
pub(crate) fn colour(i: usize) -> RGBColor {
    PALETTE[i % PALETTE.len()]
}

/// Font sizes in pixels, scaled down a little on small pictures.
pub(crate) struct Fonts {
    pub title: TextStyle<'static>,
    pub label: TextStyle<'static>,
    pub tick: TextStyle<'static>,
    /// The tick font's size in pixels, which the label areas are measured in.
    pub tick_px: f64,
}

pub(crate) fn fonts(width: u32, height: u32) -> Fonts {
    // Full size from 600x375 up, proportionally smaller below, never under 60%.
    let scale = (width.min(height * 8 / 5) as f64 / 600.0).clamp(0.6, 1.0);
    let size = |px: f64| (font::FAMILY, px * scale).into_font();
    Fonts {
        title: size(26.0).into(),
        label: size(20.0).into(),
        tick: size(17.0).into(),
        tick_px: 17.0 * scale,
    }
}

/// A chart that can draw itself on any plotters backend.
pub(crate) trait Draw {
    fn title(&self) -> &str;
    fn draw<DB: DrawingBackend>(
        &self,
        root: &DrawingArea<DB, Shift>,
        size: (u32, u32),
    ) -> Result<(), PlotError>;
}

/// The axes of a chart over an f64 x axis (its y axis linear or logarithmic): their names,
/// compact tick labels, faint grid lines. One look for every chart of the crate.
pub(crate) fn linear_mesh<DB, Y>(
    chart: &mut ChartContext<'_, DB, Cartesian2d<RangedCoordf64, Y>>,
    fonts: &Fonts,
    (x_label, y_label): (&str, &str),
    title: &str,
) -> Result<(), PlotError>
where
    DB: DrawingBackend,
    Y: Ranged<ValueType = f64> + ValueFormatter<f64>,
{
    chart
        .configure_mesh()
        .x_desc(x_label)
        .y_desc(y_label)
        .axis_desc_style(fonts.label.clone())
        .label_style(fonts.tick.clone())
        .x_label_formatter(&|x| compact(*x))
        .y_label_formatter(&|y| compact(*y))
        .bold_line_style(BLACK.mix(0.12))
        .light_line_style(TRANSPARENT)
        .draw()
        .map_err(draw_err(title))
}

/// Turns a plotters error into [`PlotError::Draw`] for the chart titled `title`.
pub(crate) fn draw_err<E: Display>(title: &str) -> impl Fn(E) -> PlotError + '_ {
    move |e| PlotError::Draw {
        title: title.to_string(),
        message: e.to_string(),
    }
}

fn check(chart: &impl Draw, width: u32, height: u32) -> Result<(), PlotError> {
    let ok = |side| (MIN_SIZE..=MAX_SIZE).contains(&side);
    if !ok(width) || !ok(height) {
        return Err(PlotError::InvalidSize {
            width,
            height,
            min: MIN_SIZE,
            max: MAX_SIZE,
        });
    }
    font::ensure_registered(chart.title())
}

pub(crate) fn svg(chart: &impl Draw, width: u32, height: u32) -> Result<String, PlotError> {
    check(chart, width, height)?;
    let mut out = String::new();
    {
        let root = SVGBackend::with_string(&mut out, (width, height)).into_drawing_area();
        chart.draw(&root, (width, height))?;
        root.present().map_err(draw_err(chart.title()))?;
    }
    Ok(out)
}

pub(crate) fn png(chart: &impl Draw, width: u32, height: u32) -> Result<Vec<u8>, PlotError> {
    check(chart, width, height)?;
    let mut rgb = vec![0u8; width as usize * height as usize * 3];
    {
        let root = BitMapBackend::with_buffer(&mut rgb, (width, height)).into_drawing_area();
        chart.draw(&root, (width, height))?;
        root.present().map_err(draw_err(chart.title()))?;
    }
    Ok(png::encode_rgb(width, height, &rgb))
}
