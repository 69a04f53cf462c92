//! The example of a step and a network read whole from a file (the second stage of flag
//! handling for `nnlab step`; the network itself comes from `nnlab_lab::ModelConfig`, the
//! same route `train` takes).
//!
//! The course's example is input `(1, 0)` with target `2` ([`COURSE_INPUT`],
//! [`COURSE_TARGET`]): the defaults of `nnlab step` and of the step API.
//!
//! ```
//! use nnlab_core::course;
//! use nnlab_report::setup::{parse_example, COURSE_INPUT, COURSE_TARGET};
//! let net = course::network([1.0, 0.5, 1.0, -1.0, 1.0, 1.0], [0.5, 0.0, 0.5]);
//! let (x, y) = parse_example(&net, ("--input", COURSE_INPUT), ("--target", COURSE_TARGET)).unwrap();
//! assert_eq!((net.predict(&x).unwrap(), y), (vec![2.5], vec![2.0]));
//! ```

use nnlab_core::Network;

use crate::input::{check_count, parse_numbers};
use crate::ReportError;

/// The course's example input `x = (1, 0)`, as a flag takes it.
pub const COURSE_INPUT: &str = "1,0";
/// The course's example target `y = 2`.
pub const COURSE_TARGET: &str = "2";

/// Reads a network saved as JSON (`{"layers":[{"activation":"relu","weights":[[..]],"biases":[..]}]}`).
pub fn load_network(field: &str, path: &std::path::Path) -> Result<Network, ReportError> {
    let file_error = |reason: String| ReportError::File {
        field: field.into(),
        path: path.display().to_string(),
        reason,
    };
    let text =
        std::fs::read_to_string(path).map_err(|e| file_error(format!("cannot read it: {e}")))?;
    serde_json::from_str(&text).map_err(|e| file_error(format!("not a network: {e}")))
}

/// The input and target of the example, each `(name, text)` with the name as the user
/// wrote it (`--input` or the JSON field `input`), checked against the network's widths.
pub fn parse_example(
    net: &Network,
    input: (&str, &str),
    target: (&str, &str),
) -> Result<(Vec<f64>, Vec<f64>), ReportError> {
    let x = parse_numbers(input.0, input.1)?;
    let y = parse_numbers(target.0, target.1)?;
    // Named as the equations name them: x1, x2, ... and y or y[1], y[2], ...
    let xs = match net.n_inputs() {
        1 => "x1".to_string(),
        2 => "x1, x2".to_string(),
        n => format!("x1..x{n}"),
    };
    let ys = match net.n_outputs() {
        1 => "y".to_string(),
        2 => "y[1], y[2]".to_string(),
        n => format!("y[1]..y[{n}]"),
    };
    check_count(input.0, x.len(), net.n_inputs(), &xs)?;
    check_count(target.0, y.len(), net.n_outputs(), &ys)?;
    Ok((x, y))
}
