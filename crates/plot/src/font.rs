//! The embedded font, registered once with plotters.
//!
//! plotters' `ab_glyph` backend looks fonts up by family name in a global table, so without a
//! registration every text call fails on a machine with no system fonts (a CI container).

use std::sync::OnceLock;

use plotters::style::{register_font, FontStyle};

use crate::error::PlotError;

/// DejaVu Sans; licence in `assets/DejaVuSans-LICENSE.txt`.
static DEJAVU_SANS: &[u8] = include_bytes!("../assets/DejaVuSans.ttf");

/// The family name every chart asks for.
pub(crate) const FAMILY: &str = "sans-serif";

/// Registers the font on first use; later calls return the first call's outcome.
pub(crate) fn ensure_registered(title: &str) -> Result<(), PlotError> {
    static REGISTERED: OnceLock<bool> = OnceLock::new();
    // Bold falls back to Normal inside plotters, so one registration covers titles too.
    let ok =
        *REGISTERED.get_or_init(|| register_font(FAMILY, FontStyle::Normal, DEJAVU_SANS).is_ok());
    if ok {
        Ok(())
    } else {
        Err(PlotError::Draw {
            title: title.to_string(),
            message: "the embedded DejaVu Sans font could not be parsed".to_string(),
        })
    }
}
