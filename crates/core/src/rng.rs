//! A small seeded random number generator, so that a seed gives the same numbers on every
//! machine and in every version of nnlab (no dependence on an outside crate's stream).
//!
//! The stream is xoshiro256++ (Blackman and Vigna) seeded through SplitMix64, the
//! generators' authors' recommended seeding. Uniform doubles take the top 53 bits.
//!
//! ```
//! use nnlab_core::rng::Rng;
//! let mut a = Rng::new(42);
//! let mut b = Rng::new(42);
//! assert_eq!(a.next_u64(), b.next_u64());
//! let u = a.uniform();
//! assert!((0.0..1.0).contains(&u));
//! ```

/// xoshiro256++ seeded by SplitMix64.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rng {
    s: [u64; 4],
}

/// One SplitMix64 step: advances `state` and returns the next output.
pub fn splitmix64(state: &mut u64) -> u64 {
    *state = state.wrapping_add(0x9E37_79B9_7F4A_7C15);
    let mut z = *state;
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

impl Rng {
    pub fn new(seed: u64) -> Rng {
        let mut st = seed;
        let s = [
            splitmix64(&mut st),
            splitmix64(&mut st),
            splitmix64(&mut st),
            splitmix64(&mut st),
        ];
        Rng { s }
    }

    /// A generator for a named purpose derived from one seed (`"data"`, `"init"`, `"shuffle"`),
    /// so the streams of different purposes never overlap by accident.
    pub fn for_purpose(seed: u64, purpose: &str) -> Rng {
        // FNV-1a of the purpose, mixed into the seed.
        let mut h: u64 = 0xcbf2_9ce4_8422_2325;
        for byte in purpose.bytes() {
            h ^= u64::from(byte);
            h = h.wrapping_mul(0x0000_0100_0000_01b3);
        }
        let mut st = seed ^ h;
        Rng::new(splitmix64(&mut st))
    }

    pub fn next_u64(&mut self) -> u64 {
        let result = self.s[0]
            .wrapping_add(self.s[3])
            .rotate_left(23)
            .wrapping_add(self.s[0]);
        let t = self.s[1] << 17;
        self.s[2] ^= self.s[0];
        self.s[3] ^= self.s[1];
        self.s[1] ^= self.s[2];
        self.s[0] ^= self.s[3];
        self.s[2] ^= t;
        self.s[3] = self.s[3].rotate_left(45);
        result
    }

    /// Uniform in `[0, 1)` with 53 random bits.
    pub fn uniform(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 * (1.0 / (1u64 << 53) as f64)
    }

    /// Uniform in `[lo, hi)`.
    pub fn uniform_range(&mut self, lo: f64, hi: f64) -> f64 {
        lo + (hi - lo) * self.uniform()
    }

    /// A uniform integer in `[0, n)` (Lemire's unbiased multiply-and-reject). `n` must be > 0.
    pub fn below(&mut self, n: u64) -> u64 {
        debug_assert!(n > 0);
        let threshold = n.wrapping_neg() % n;
        loop {
            let m = u128::from(self.next_u64()) * u128::from(n);
            if (m as u64) >= threshold {
                return (m >> 64) as u64;
            }
        }
    }

    /// A uniform integer in `[lo, hi)`; `lo` if the range is empty.
    pub fn int_range(&mut self, lo: i64, hi: i64) -> i64 {
        if hi <= lo {
            return lo;
        }
        let span = (hi as i128 - lo as i128) as u64;
        (lo as i128 + self.below(span) as i128) as i64
    }

    /// A standard normal draw (Box–Muller, one value per call for a simple stream).
    pub fn normal(&mut self) -> f64 {
        // 1 - u lies in (0, 1], so the logarithm is finite.
        let u1 = 1.0 - self.uniform();
        let u2 = self.uniform();
        (-2.0 * u1.ln()).sqrt() * (std::f64::consts::TAU * u2).cos()
    }

    /// Fisher–Yates shuffle of `items`.
    pub fn shuffle<T>(&mut self, items: &mut [T]) {
        for i in (1..items.len()).rev() {
            let j = self.below(i as u64 + 1) as usize;
            items.swap(i, j);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    // Reference: SplitMix64 from state 0 gives 0xE220A8397B1DCDAF first (Vigna's splitmix64.c).
    #[test]
    fn splitmix_reference_value() {
        let mut st = 0u64;
        assert_eq!(splitmix64(&mut st), 0xE220_A839_7B1D_CDAF);
    }

    // Statistics on 100,000 draws: means within 5 standard errors of the truth.
    #[test]
    fn draws_have_the_right_moments() {
        let mut rng = Rng::new(7);
        let n = 100_000;
        let mean_u: f64 = (0..n).map(|_| rng.uniform()).sum::<f64>() / n as f64;
        assert!((mean_u - 0.5).abs() < 5.0 * (1.0 / 12.0f64).sqrt() / (n as f64).sqrt());
        let xs: Vec<f64> = (0..n).map(|_| rng.normal()).collect();
        let m = xs.iter().sum::<f64>() / n as f64;
        let v = xs.iter().map(|x| (x - m) * (x - m)).sum::<f64>() / n as f64;
        assert!(m.abs() < 5.0 / (n as f64).sqrt(), "mean {m}");
        assert!((v - 1.0).abs() < 0.03, "variance {v}");
        let mut counts = [0u32; 5];
        for _ in 0..n {
            counts[rng.int_range(0, 5) as usize] += 1;
        }
        for c in counts {
            assert!((c as f64 - 20_000.0).abs() < 5.0 * (n as f64 * 0.2 * 0.8).sqrt());
        }
    }

    #[test]
    fn purposes_give_different_streams() {
        let mut a = Rng::for_purpose(1, "data");
        let mut b = Rng::for_purpose(1, "init");
        assert_ne!(a.next_u64(), b.next_u64());
    }
}
