//! Drawing the rows ([`Generator::generate`]) in the order and with the mapping of the
//! [`generate`](super) module docs.

use nnlab_core::rng::Rng;

use super::numpy::{self, DataRng, Mt19937};
use crate::{DataError, Dataset, Generator, Range};

impl Generator {
    /// Validates, then draws the rows (see the module docs for the order and the mapping).
    /// Inputs `x1`, `x2`; target `y = x1^2 + x2 + noise`, evaluated as `x1 * x1 + x2 + noise`.
    pub fn generate(&self) -> Result<Dataset, DataError> {
        self.validate()?;
        let mut rng = Rng::for_purpose(self.seed, "data");
        // Validated: a numpy seed fits 32 bits.
        let mut numpy = (self.rng == Some(DataRng::Numpy)).then(|| Mt19937::new(self.seed as u32));
        let mut draw = |range| match &mut numpy {
            Some(g) => numpy::draw(g, range, self.integer),
            None => self.draw(range, &mut rng),
        };
        let mut x = Vec::with_capacity(2 * self.rows);
        let mut y = Vec::with_capacity(self.rows);
        for _ in 0..self.rows {
            let x1 = draw(self.x1);
            let x2 = draw(self.x2);
            let noise = draw(self.noise);
            x.extend([x1, x2]);
            y.push(x1 * x1 + x2 + noise);
        }
        Ok(Dataset {
            input_names: vec!["x1".into(), "x2".into()],
            target_name: "y".into(),
            x,
            y,
            source: self.describe(),
            encoding: Vec::new(),
            classes: Vec::new(),
        })
    }

    /// One value in `range`.
    fn draw(&self, range: Range, rng: &mut Rng) -> f64 {
        loop {
            let u = self.distribution.unit(self.skew, rng);
            let v = if self.integer {
                range.lo + (range.width() * u).floor()
            } else {
                range.lo + range.width() * u
            };
            // Rounding can land on hi when u is within an ulp of 1; draw again to stay inside.
            if v < range.hi {
                return v;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Distribution;

    fn mean(v: &[f64]) -> f64 {
        v.iter().sum::<f64>() / v.len() as f64
    }

    /// Population standard deviation.
    fn sd(v: &[f64]) -> f64 {
        let m = mean(v);
        (v.iter().map(|x| (x - m) * (x - m)).sum::<f64>() / v.len() as f64).sqrt()
    }

    fn gen(f: impl FnOnce(&mut Generator)) -> Dataset {
        let mut g = Generator::default();
        f(&mut g);
        g.generate().unwrap()
    }

    // The documented draw order, replayed by hand: x1, x2, noise per row from the "data" stream,
    // integer draws lo + floor((hi - lo) u).
    #[test]
    fn draws_follow_the_documented_order() {
        let d = gen(|g| {
            g.rows = 5;
            g.seed = 42;
        });
        let mut rng = Rng::for_purpose(42, "data");
        for i in 0..5 {
            let x1 = (5.0 * rng.uniform()).floor();
            let x2 = (10.0 * rng.uniform()).floor();
            let noise = (10.0 * rng.uniform()).floor();
            assert_eq!(d.row(i), &[x1, x2]);
            assert_eq!(d.y[i], x1 * x1 + x2 + noise);
        }
    }

    #[test]
    fn a_seed_gives_the_same_rows_and_another_seed_others() {
        for distribution in [
            Distribution::Uniform,
            Distribution::Normal,
            Distribution::Skewed,
        ] {
            let a = gen(|g| {
                g.seed = 3;
                g.distribution = distribution;
            });
            let b = gen(|g| {
                g.seed = 3;
                g.distribution = distribution;
            });
            let c = gen(|g| {
                g.seed = 4;
                g.distribution = distribution;
            });
            assert_eq!(a, b);
            assert_ne!(a.x, c.x);
        }
    }

    #[test]
    fn every_value_is_inside_its_range_and_y_follows_the_formula() {
        for integer in [true, false] {
            for distribution in [
                Distribution::Uniform,
                Distribution::Normal,
                Distribution::Skewed,
            ] {
                for skew in [0.3, 2.0] {
                    let g = Generator {
                        rows: 3000,
                        x1: Range::new(-50.0, 50.0),
                        x2: Range::new(-3.0, -1.0),
                        noise: Range::new(0.0, 1.0),
                        integer,
                        distribution,
                        skew,
                        seed: 9,
                        class_noise: 0.0,
                        rng: None,
                    };
                    let d = g.generate().unwrap();
                    assert_eq!(d.n_rows(), 3000);
                    for i in 0..d.n_rows() {
                        let [x1, x2] = [d.row(i)[0], d.row(i)[1]];
                        assert!(g.x1.contains(x1) && g.x2.contains(x2), "{x1} {x2}");
                        if integer {
                            assert!(x1.fract() == 0.0 && x2.fract() == 0.0, "{x1} {x2}");
                        }
                        // Recover the noise: it must be inside its range (and an integer).
                        let noise = d.y[i] - (x1 * x1 + x2);
                        // (exact for integers; continuous values lose up to ~1e-12 to rounding).
                        assert!(noise > -1e-9 && noise < 1.0 + 1e-9, "{noise}");
                        if integer {
                            // [0, 1) holds a single integer.
                            assert_eq!(d.y[i], x1 * x1 + x2);
                        }
                    }
                }
            }
        }
    }

    #[test]
    fn y_is_x1_squared_plus_x2_plus_noise_exactly() {
        // Noise range [5, 6) with integer draws is always 5, so y = x1^2 + x2 + 5 exactly,
        // e.g. x1 = 3, x2 = 7 gives 9 + 7 + 5 = 21.
        let d = gen(|g| {
            g.rows = 200;
            g.noise = Range::new(5.0, 6.0);
        });
        for i in 0..d.n_rows() {
            let (x1, x2) = (d.row(i)[0], d.row(i)[1]);
            assert_eq!(d.y[i], x1 * x1 + x2 + 5.0);
        }
        assert!(d.x.chunks(2).any(|r| r == [3.0, 7.0]));
    }

    // Skewed u = w^k with w uniform: E[u] = ∫0^1 w^k dw = 1/(k+1). On [0, 30) with k = 2 the
    // mean is 30/3 = 10, against 15 for uniform draws. Var[u] = 1/(2k+1) - 1/(k+1)^2 = 4/45,
    // so the standard error of a 3000-row mean is 30 sqrt(4/45) / sqrt(3000) = 0.163;
    // the tolerance is 5 standard errors. With k = 1/2, E[u] = 2/3: mean 20, sd 30 sqrt(1/18).
    #[test]
    fn skewed_means_match_one_over_k_plus_one() {
        let x1_mean = |distribution, skew, integer| {
            let d = gen(|g| {
                g.rows = 3000;
                g.x1 = Range::new(0.0, 30.0);
                g.distribution = distribution;
                g.skew = skew;
                g.integer = integer;
                g.seed = 11;
            });
            mean(&d.input_column(0))
        };
        let se = |var_u: f64| 30.0 * var_u.sqrt() / 3000f64.sqrt();
        let skewed = x1_mean(Distribution::Skewed, 2.0, false);
        assert!((skewed - 10.0).abs() < 5.0 * se(4.0 / 45.0), "{skewed}");
        let uniform = x1_mean(Distribution::Uniform, 2.0, false);
        assert!((uniform - 15.0).abs() < 5.0 * se(1.0 / 12.0), "{uniform}");
        let towards_hi = x1_mean(Distribution::Skewed, 0.5, false);
        assert!(
            (towards_hi - 20.0).abs() < 5.0 * se(1.0 / 18.0),
            "{towards_hi}"
        );
        // Integer draws floor the values: the skewed mean stays below the uniform one.
        assert!(
            x1_mean(Distribution::Skewed, 2.0, true)
                < x1_mean(Distribution::Uniform, 2.0, true) - 3.0
        );
    }

    // Normal draws on [0, 60): centre 30, sd 60/6 = 10 before truncation at ±3 sd. Truncated sd
    // = 10 sqrt(1 - 2·3·φ(3) / (2Φ(3) - 1)) with φ(3) = e^-4.5 / sqrt(2π), Φ(3) = 0.9986501019683699
    // (standard normal table; the same value scipy.stats.norm.cdf(3) gives), so 9.865784.
    // The standard error of the sd of 20000 draws is about sd / sqrt(2n) = 0.049; tolerance 0.25.
    #[test]
    fn normal_draws_have_the_truncated_standard_deviation() {
        let d = gen(|g| {
            g.rows = 20_000;
            g.x1 = Range::new(0.0, 60.0);
            g.integer = false;
            g.distribution = Distribution::Normal;
            g.seed = 5;
        });
        let phi3 = (-4.5f64).exp() / std::f64::consts::TAU.sqrt();
        let expected_sd = 10.0 * (1.0 - 6.0 * phi3 / (2.0 * 0.998_650_101_968_369_9 - 1.0)).sqrt();
        assert!((expected_sd - 9.865_784).abs() < 1e-6);
        let x1 = d.input_column(0);
        assert!((sd(&x1) - expected_sd).abs() < 0.25, "sd {}", sd(&x1));
        assert!(
            (mean(&x1) - 30.0).abs() < 5.0 * expected_sd / 20_000f64.sqrt(),
            "mean {}",
            mean(&x1)
        );
    }

    #[test]
    fn one_row_works() {
        let d = gen(|g| g.rows = 1);
        assert_eq!((d.n_rows(), d.x.len()), (1, 2));
        assert_eq!(d.input_names, vec!["x1", "x2"]);
        assert_eq!(d.target_name, "y");
    }
}
