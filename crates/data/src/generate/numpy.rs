//! NumPy's legacy random stream, so that `rng = "numpy"` draws the rows exactly as a
//! notebook does after `np.random.seed(s)`: for each row `np.random.randint(lo, hi)` for
//! `x1`, then `x2`, then the noise (integer draws), or `np.random.uniform(lo, hi)`
//! (continuous draws).
//!
//! - The generator is MT19937 seeded as NumPy's `seed(int)` seeds it (Matsumoto and
//!   Nishimura's `init_genrand`: `mt[0] = s`, `mt[i] = 1812433253 (mt[i-1] ^ (mt[i-1] >>
//!   30)) + i`), with the reference tempering.
//! - `randint(lo, hi)` is NumPy's masked rejection sampling: `range = hi - 1 - lo`, `mask`
//!   the smallest `2^k - 1 >= range`; draw 32-bit words (64-bit, two words high first, past
//!   `2^32 - 1`) and keep the first `word & mask <= range`, giving `lo + (word & mask)`.
//! - `uniform(lo, hi) = lo + (hi - lo) · random()`, with `random() = (a·67108864 + b) /
//!   9007199254740992` for two words `a >> 5`, `b >> 6` (also Python's `random.random`).
//!
//! ```
//! use nnlab_data::Mt19937;
//! // np.random.seed(0); [np.random.randint(0, 5), np.random.randint(0, 10)] -> [4, 5]
//! let mut g = Mt19937::new(0);
//! assert_eq!((g.randint(0, 5), g.randint(0, 10)), (4, 5));
//! ```

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

use crate::Range;

/// Which random stream the generator draws from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum DataRng {
    /// nnlab's own (`Rng::for_purpose(seed, "data")`, any [`crate::Distribution`]).
    #[default]
    Nnlab,
    /// NumPy's legacy `np.random.seed(seed)` stream ([`Mt19937`]), uniform draws only.
    Numpy,
}

impl fmt::Display for DataRng {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            DataRng::Nnlab => "nnlab",
            DataRng::Numpy => "numpy",
        })
    }
}

impl FromStr for DataRng {
    type Err = String;
    fn from_str(s: &str) -> Result<DataRng, String> {
        match s.trim() {
            "nnlab" => Ok(DataRng::Nnlab),
            "numpy" => Ok(DataRng::Numpy),
            other => Err(format!(
                "'{other}' is not a random stream (expected nnlab or numpy)"
            )),
        }
    }
}

/// One value in `range` as NumPy draws it: `randint(lo, hi)` for integer draws (whole-number
/// bounds, checked by the generator), else `uniform(lo, hi)`.
pub(super) fn draw(g: &mut Mt19937, range: Range, integer: bool) -> f64 {
    if integer {
        g.randint(range.lo as i64, range.hi as i64) as f64
    } else {
        range.lo + range.width() * g.random()
    }
}

/// The Mersenne Twister MT19937, 32-bit words.
#[derive(Debug, Clone)]
pub struct Mt19937 {
    mt: [u32; 624],
    index: usize,
}

impl Mt19937 {
    /// Seeded as NumPy's `np.random.seed(seed)` and C's `init_genrand(seed)`.
    pub fn new(seed: u32) -> Mt19937 {
        let mut mt = [0u32; 624];
        mt[0] = seed;
        for i in 1..624 {
            mt[i] = 1_812_433_253u32
                .wrapping_mul(mt[i - 1] ^ (mt[i - 1] >> 30))
                .wrapping_add(i as u32);
        }
        Mt19937 { mt, index: 624 }
    }

    /// Seeded as Python's `random.seed(seed)` seeds it for an integer: the reference
    /// `init_by_array` with the key of `seed`'s 32-bit words, least significant first
    /// (one word up to `2^32 - 1`, `[0]` for 0).
    pub fn python(seed: u64) -> Mt19937 {
        let (lo, hi) = (seed as u32, (seed >> 32) as u32);
        match hi {
            0 => Mt19937::from_key(&[lo]),
            _ => Mt19937::from_key(&[lo, hi]),
        }
    }

    /// Matsumoto and Nishimura's `init_by_array(key)` (the key is never empty here).
    fn from_key(key: &[u32]) -> Mt19937 {
        let mut g = Mt19937::new(19_650_218);
        let mt = &mut g.mt;
        let (mut i, mut j) = (1usize, 0usize);
        for _ in 0..624.max(key.len()) {
            let prev = mt[i - 1] ^ (mt[i - 1] >> 30);
            mt[i] = (mt[i] ^ prev.wrapping_mul(1_664_525))
                .wrapping_add(key[j])
                .wrapping_add(j as u32);
            i += 1;
            j += 1;
            if i >= 624 {
                mt[0] = mt[623];
                i = 1;
            }
            if j >= key.len() {
                j = 0;
            }
        }
        for _ in 0..623 {
            let prev = mt[i - 1] ^ (mt[i - 1] >> 30);
            mt[i] = (mt[i] ^ prev.wrapping_mul(1_566_083_941)).wrapping_sub(i as u32);
            i += 1;
            if i >= 624 {
                mt[0] = mt[623];
                i = 1;
            }
        }
        mt[0] = 0x8000_0000;
        g
    }

    /// The next 32-bit word (`genrand_int32`).
    pub fn next_u32(&mut self) -> u32 {
        if self.index >= 624 {
            self.twist();
        }
        let mut y = self.mt[self.index];
        self.index += 1;
        y ^= y >> 11;
        y ^= (y << 7) & 0x9d2c_5680;
        y ^= (y << 15) & 0xefc6_0000;
        y ^ (y >> 18)
    }

    fn twist(&mut self) {
        const UPPER: u32 = 0x8000_0000;
        const LOWER: u32 = 0x7fff_ffff;
        for i in 0..624 {
            let y = (self.mt[i] & UPPER) | (self.mt[(i + 1) % 624] & LOWER);
            let mag = if y & 1 == 1 { 0x9908_b0df } else { 0 };
            self.mt[i] = self.mt[(i + 397) % 624] ^ (y >> 1) ^ mag;
        }
        self.index = 0;
    }

    /// A double in `[0, 1)` from two words, as NumPy's legacy `random_sample()` and
    /// Python's `random.random()`.
    pub fn random(&mut self) -> f64 {
        let a = f64::from(self.next_u32() >> 5);
        let b = f64::from(self.next_u32() >> 6);
        (a * 67_108_864.0 + b) / 9_007_199_254_740_992.0
    }

    /// NumPy's legacy `randint(lo, hi)`: an integer in `[lo, hi)` (`lo` when the range
    /// holds one value; callers check `lo < hi`).
    pub fn randint(&mut self, lo: i64, hi: i64) -> i64 {
        let range = hi.wrapping_sub(lo).wrapping_sub(1) as u64;
        if range == 0 {
            return lo;
        }
        let mask = u64::MAX >> range.leading_zeros();
        loop {
            let word = if range <= u64::from(u32::MAX) {
                u64::from(self.next_u32())
            } else {
                (u64::from(self.next_u32()) << 32) | u64::from(self.next_u32())
            };
            if word & mask <= range {
                return lo.wrapping_add((word & mask) as i64);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// From NumPy 2.4 itself: `np.random.seed(0)`, then the words, rows and doubles below
    /// (`np.random.RandomState(0).randint(0, 2**32 - 1, dtype=np.uint64)` twice gives the
    /// first two words; python/tests/test_numpy_rng.py checks 100 generated rows against
    /// NumPy on every run).
    #[test]
    fn matches_numpy_seeded_with_0_and_7() {
        let mut g = Mt19937::new(0);
        assert_eq!((g.next_u32(), g.next_u32()), (2_357_136_044, 2_546_248_239));
        // [(randint(0,5), randint(0,10), randint(0,10)) for _ in range(4)]
        let mut g = Mt19937::new(0);
        let rows: Vec<(i64, i64, i64)> = (0..4)
            .map(|_| (g.randint(0, 5), g.randint(0, 10), g.randint(0, 10)))
            .collect();
        assert_eq!(rows, [(4, 5, 0), (3, 3, 7), (1, 3, 5), (2, 4, 7)]);
        // np.random.seed(7); np.random.uniform(0, 5), np.random.random()
        let mut g = Mt19937::new(7);
        assert_eq!(5.0 * g.random(), 0.381_541_446_869_785_86);
        assert_eq!(g.random(), 0.779_918_792_240_114_6);
    }

    /// From Python 3.11 itself: `random.seed(s); [random.random() for _ in range(2)]`
    /// for s = 0, 42 and 2**32 + 5 (a two-word key).
    #[test]
    fn python_seeding_matches_random_seed() {
        let two = |s: u64| {
            let mut g = Mt19937::python(s);
            (g.random(), g.random())
        };
        assert_eq!(two(0), (0.844_421_851_525_048_1, 0.757_954_402_940_302_5));
        assert_eq!(
            two(42),
            (0.639_426_798_457_883_7, 0.025_010_755_222_666_936)
        );
        assert_eq!(
            two((1 << 32) + 5),
            (0.157_272_387_187_897_82, 0.282_486_631_646_199_9)
        );
    }

    /// The generator with `rng = "numpy"` and seed 0: the course's rows as the notebook's
    /// `np.random.seed(0)` draws them (the first four rows above: y = x1^2 + x2 + noise).
    #[test]
    fn the_generator_draws_numpys_rows() {
        let g = crate::Generator {
            rng: Some(DataRng::Numpy),
            ..crate::Generator::default()
        };
        let d = g.generate().unwrap();
        assert_eq!(&d.x[..8], &[4.0, 5.0, 3.0, 3.0, 1.0, 3.0, 2.0, 4.0]);
        assert_eq!(&d.y[..4], &[21.0, 19.0, 9.0, 15.0]);
        assert!(g
            .describe()
            .ends_with("seed 0 (numpy's np.random.seed stream)"));
        let normal = crate::Generator {
            distribution: crate::Distribution::Normal,
            ..g.clone()
        };
        assert_eq!(
            normal.generate().unwrap_err().to_string(),
            "generator: rng numpy draws uniform values only (randint, uniform), not normal ones"
        );
        let big = crate::Generator { seed: 1 << 32, ..g };
        assert!(big
            .generate()
            .unwrap_err()
            .to_string()
            .contains("seeds 0 to 2^32 - 1"));
        assert_eq!("numpy".parse::<DataRng>(), Ok(DataRng::Numpy));
        assert_eq!(
            "np".parse::<DataRng>(),
            Err("'np' is not a random stream (expected nnlab or numpy)".to_string())
        );
    }
}
