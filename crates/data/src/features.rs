//! Feature crosses: the network's inputs computed from the loaded ones, TensorFlow
//! Playground's set written with the inputs' names (`--features x1,x2,x1^2,x1*x2,sin(x1)`;
//! with a CSV, `age,age^2,age*bmi`).
//!
//! An item is one of
//! - `NAME`: the input itself;
//! - `NAME^2`: its square;
//! - `A*B`: the product of two inputs (`x1*x2`; `x1*x1` is the square again);
//! - `sin(NAME)`: its sine (radians).
//!
//! The listed items *are* the network's inputs, in the order given (an input not listed is
//! left out, as TF Playground's unticked features are). They are computed once, on the
//! values as loaded, before the test split and before scaling, as TF Playground computes them
//! on the raw coordinates (so `sin(x1)` of the circle set is the sine of `x1` in `[-5, 5]`);
//! each computed column is then scaled like any input. An item's name is its text with the
//! spaces removed, and is what the trace, the summaries and the diagram show.
//!
//! ```
//! use nnlab_data::Dataset;
//! let d = Dataset::new(vec!["x1".into(), "x2".into()], "y".into(), vec![3.0, 0.5],
//!                      vec![1.0], "by hand".into()).unwrap();
//! let items = ["x1", "x1^2", "x1*x2", "sin(x2)"].map(String::from);
//! let f = d.with_features(&items).unwrap();
//! assert_eq!(f.input_names, ["x1", "x1^2", "x1*x2", "sin(x2)"]);
//! assert_eq!(f.x, vec![3.0, 9.0, 1.5, 0.5f64.sin()]);
//! ```

use crate::{DataError, Dataset};

/// One computed input; the numbers are indices of the loaded inputs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Feature {
    Input(usize),
    Square(usize),
    Product(usize, usize),
    Sin(usize),
}

impl Feature {
    /// The item `text` over the inputs `names`; errors name `--features` and the item.
    pub fn parse(text: &str, names: &[String]) -> Result<Feature, DataError> {
        let item: String = text.chars().filter(|c| !c.is_whitespace()).collect();
        let fail = |reason: String| DataError::InvalidFeature {
            item: item.clone(),
            reason,
        };
        let input = |name: &str| {
            names.iter().position(|n| n == name).ok_or_else(|| {
                fail(format!(
                    "no input named '{name}' (the inputs are: {})",
                    names.join(", ")
                ))
            })
        };
        // A whole input name wins, so a CSV column called `a*b` is still itself.
        if let Some(j) = names.iter().position(|n| *n == item) {
            return Ok(Feature::Input(j));
        }
        if item.is_empty() {
            return Err(fail("is empty (a comma too many?)".into()));
        }
        if let Some(inner) = item.strip_prefix("sin(").and_then(|t| t.strip_suffix(')')) {
            return Ok(Feature::Sin(input(inner)?));
        }
        if let Some(base) = item.strip_suffix("^2") {
            return Ok(Feature::Square(input(base)?));
        }
        if let Some((a, b)) = item.split_once('*') {
            return Ok(Feature::Product(input(a)?, input(b)?));
        }
        if item.contains(['(', ')', '^']) {
            return Err(fail(
                "is not NAME, NAME^2, A*B or sin(NAME) (TF Playground's features)".into(),
            ));
        }
        input(&item).map(Feature::Input)
    }

    /// Its value on one row of the loaded inputs.
    pub fn value(self, row: &[f64]) -> f64 {
        match self {
            Feature::Input(j) => row[j],
            Feature::Square(j) => row[j] * row[j],
            Feature::Product(i, j) => row[i] * row[j],
            Feature::Sin(j) => row[j].sin(),
        }
    }

    /// Its name over the inputs `names`: `x1`, `x1^2`, `x1*x2`, `sin(x1)`.
    pub fn name(self, names: &[String]) -> String {
        match self {
            Feature::Input(j) => names[j].clone(),
            Feature::Square(j) => format!("{}^2", names[j]),
            Feature::Product(i, j) => format!("{}*{}", names[i], names[j]),
            Feature::Sin(j) => format!("sin({})", names[j]),
        }
    }
}

impl Dataset {
    /// The data set with the inputs `items` (see the module docs); no items leave it as it
    /// is. Errors for an item that does not parse, names no input, or is listed twice.
    pub fn with_features(self, items: &[String]) -> Result<Dataset, DataError> {
        if items.is_empty() {
            return Ok(self);
        }
        let mut features: Vec<Feature> = Vec::with_capacity(items.len());
        let mut names: Vec<String> = Vec::with_capacity(items.len());
        for item in items {
            let feature = Feature::parse(item, &self.input_names)?;
            let name = feature.name(&self.input_names);
            if names.contains(&name) {
                return Err(DataError::InvalidFeature {
                    item: name,
                    reason: "is listed twice".into(),
                });
            }
            features.push(feature);
            names.push(name);
        }
        let mut x = Vec::with_capacity(self.n_rows() * features.len());
        for i in 0..self.n_rows() {
            let row = self.row(i);
            x.extend(features.iter().map(|f| f.value(row)));
        }
        let source = format!("{}; features {}", self.source, names.join(", "));
        let d = Dataset {
            input_names: names,
            x,
            source,
            ..self
        };
        // x1^2 of a large value can overflow to infinity; say which column and row.
        d.check_finite()?;
        Ok(d)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names() -> Vec<String> {
        vec!["x1".into(), "x2".into()]
    }

    #[test]
    fn items_parse_into_tf_playgrounds_features() {
        let p = |t: &str| Feature::parse(t, &names()).unwrap();
        assert_eq!(p("x2"), Feature::Input(1));
        assert_eq!(p("x1^2"), Feature::Square(0));
        assert_eq!(p(" x1 * x2 "), Feature::Product(0, 1));
        assert_eq!(p("sin(x2)"), Feature::Sin(1));
        assert_eq!(p("x1 * x2").name(&names()), "x1*x2");
        // Row (x1, x2) = (-2, 0.25): x1^2 = 4, x1*x2 = -0.5, sin(x1) = -0.9092974268256817
        // (Python: math.sin(-2)).
        let row = [-2.0, 0.25];
        assert_eq!(p("x1^2").value(&row), 4.0);
        assert_eq!(p("x1*x2").value(&row), -0.5);
        assert_eq!(p("sin(x1)").value(&row), -0.909_297_426_825_681_7);
    }

    #[test]
    fn bad_items_name_features_and_the_item() {
        let e = |t: &str| Feature::parse(t, &names()).unwrap_err().to_string();
        assert_eq!(
            e("x3^2"),
            "--features item 'x3^2': no input named 'x3' (the inputs are: x1, x2)"
        );
        assert_eq!(
            e("cos(x1)"),
            "--features item 'cos(x1)': is not NAME, NAME^2, A*B or sin(NAME) (TF Playground's features)"
        );
        assert!(e("x1^3").contains("is not NAME, NAME^2"));
        assert!(e("").contains("is empty"));
        let d = Dataset::new(names(), "y".into(), vec![1.0, 2.0], vec![0.0], "t".into()).unwrap();
        let twice = d.with_features(&["x1*x2".into(), "x1 *x2".into()]);
        assert_eq!(
            twice.unwrap_err().to_string(),
            "--features item 'x1*x2': is listed twice"
        );
    }

    #[test]
    fn features_replace_the_inputs_and_keep_targets_and_classes() {
        let d = Dataset::new(
            names(),
            "y".into(),
            vec![1.0, 2.0, 3.0, 4.0],
            vec![0.0, 1.0],
            "t".into(),
        )
        .unwrap()
        .into_classes()
        .unwrap();
        let f = d.clone().with_features(&["x2^2".into()]).unwrap();
        assert_eq!(
            (f.input_names.clone(), f.x.clone()),
            (vec!["x2^2".to_string()], vec![4.0, 16.0])
        );
        assert_eq!(
            (&f.y, &f.classes, &f.encoding),
            (&d.y, &d.classes, &d.encoding)
        );
        assert_eq!(f.source, "t; features x2^2");
        let big = Dataset::new(names(), "y".into(), vec![1e200, 0.0], vec![0.0], "t".into());
        let e = big.unwrap().with_features(&["x1^2".into()]).unwrap_err();
        assert_eq!(
            e.to_string(),
            "data set: column 'x1^2', row 0: inf is not a finite number"
        );
    }
}
