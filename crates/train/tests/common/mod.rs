//! Test helpers: the course's data generator and an independent scalar implementation of the
//! course's equations, written from the course's statement, not from nnlab's code.

#![allow(dead_code)]

pub mod stepping;

/// A 64-bit linear congruential generator (Knuth's MMIX constants), so the data does not
/// depend on nnlab's own random numbers.
pub struct Lcg(pub u64);

impl Lcg {
    pub fn next(&mut self) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        self.0 >> 11
    }
    /// An integer in [0, n).
    pub fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
    /// Uniform in [0, 1) from 53 bits.
    pub fn uniform(&mut self) -> f64 {
        self.next() as f64 / (1u64 << 53) as f64
    }
}

/// The course's data: x1 integer in [0,5), x2 integer in [0,10), y = x1² + x2 + noise in
/// [0,10); each column min-max scaled as (x - min)/(max - min). Returns (x row-major, y).
pub fn course_data(rows: usize, seed: u64) -> (Vec<f64>, Vec<f64>) {
    let mut rng = Lcg(seed);
    let mut x1 = Vec::new();
    let mut x2 = Vec::new();
    let mut y = Vec::new();
    for _ in 0..rows {
        let a = rng.below(5) as f64;
        let b = rng.below(10) as f64;
        let noise = rng.uniform() * 10.0;
        x1.push(a);
        x2.push(b);
        y.push(a * a + b + noise);
    }
    for col in [&mut x1, &mut x2, &mut y] {
        let min = col.iter().cloned().fold(f64::INFINITY, f64::min);
        let max = col.iter().cloned().fold(f64::NEG_INFINITY, f64::max);
        for v in col.iter_mut() {
            *v = (*v - min) / (max - min);
        }
    }
    let x = x1.iter().zip(&x2).flat_map(|(a, b)| [*a, *b]).collect();
    (x, y)
}

fn relu(z: f64) -> f64 {
    if z > 0.0 {
        z
    } else {
        0.0
    }
}

fn relu_prime(z: f64) -> f64 {
    if z > 0.0 {
        1.0
    } else {
        0.0
    }
}

/// The course's nine parameters.
#[derive(Debug, Clone, Copy)]
pub struct Course {
    pub w1: f64,
    pub w2: f64,
    pub w3: f64,
    pub w4: f64,
    pub w5: f64,
    pub w6: f64,
    pub b1: f64,
    pub b2: f64,
    pub b3: f64,
}

impl Course {
    pub fn new(w: [f64; 6], b: [f64; 3]) -> Course {
        Course {
            w1: w[0],
            w2: w[1],
            w3: w[2],
            w4: w[3],
            w5: w[4],
            w6: w[5],
            b1: b[0],
            b2: b[1],
            b3: b[2],
        }
    }

    /// In the course's reading order w1..w6, b1..b3.
    pub fn all(&self) -> [f64; 9] {
        [
            self.w1, self.w2, self.w3, self.w4, self.w5, self.w6, self.b1, self.b2, self.b3,
        ]
    }

    /// y_hat, exactly as the course writes the forward pass.
    pub fn predict(&self, x1: f64, x2: f64) -> f64 {
        let z1 = x1 * self.w1 + x2 * self.w3 + self.b1;
        let a1 = relu(z1);
        let z2 = x1 * self.w2 + x2 * self.w4 + self.b2;
        let a2 = relu(z2);
        let z3 = a1 * self.w5 + a2 * self.w6 + self.b3;
        relu(z3)
    }

    /// One per-sample SGD step exactly as the course states it; returns the loss before
    /// the update. All nine updates use the old values.
    pub fn step(&mut self, x1: f64, x2: f64, y: f64, lr: f64) -> f64 {
        let z1 = x1 * self.w1 + x2 * self.w3 + self.b1;
        let a1 = relu(z1);
        let z2 = x1 * self.w2 + x2 * self.w4 + self.b2;
        let a2 = relu(z2);
        let z3 = a1 * self.w5 + a2 * self.w6 + self.b3;
        let y_hat = relu(z3);
        let d = y_hat - y;
        let loss = d * d;
        let dl_dy_hat = 2.0 * (y_hat - y);
        let dl_dz3 = dl_dy_hat * relu_prime(z3);
        let dl_dw5 = dl_dz3 * a1;
        let dl_dw6 = dl_dz3 * a2;
        let dl_db3 = dl_dz3;
        let dl_dz1 = dl_dz3 * self.w5 * relu_prime(z1);
        let dl_dz2 = dl_dz3 * self.w6 * relu_prime(z2);
        let dl_dw1 = dl_dz1 * x1;
        let dl_dw3 = dl_dz1 * x2;
        let dl_db1 = dl_dz1;
        let dl_dw2 = dl_dz2 * x1;
        let dl_dw4 = dl_dz2 * x2;
        let dl_db2 = dl_dz2;
        self.w1 -= lr * dl_dw1;
        self.w2 -= lr * dl_dw2;
        self.w3 -= lr * dl_dw3;
        self.w4 -= lr * dl_dw4;
        self.w5 -= lr * dl_dw5;
        self.w6 -= lr * dl_dw6;
        self.b1 -= lr * dl_db1;
        self.b2 -= lr * dl_db2;
        self.b3 -= lr * dl_db3;
        loss
    }

    /// `epochs` epochs over the rows in order; the epoch losses (left-to-right sum / n).
    pub fn train(&mut self, x: &[f64], y: &[f64], lr: f64, epochs: usize) -> Vec<f64> {
        (0..epochs)
            .map(|_| {
                let mut sum = 0.0;
                for (xr, &yr) in x.chunks(2).zip(y) {
                    sum += self.step(xr[0], xr[1], yr, lr);
                }
                sum / y.len() as f64
            })
            .collect()
    }
}

/// The course's starting point: w = 1, 0.5, 1, -1, 1, 1; b = 0.5, 0, 0.5.
pub const START_W: [f64; 6] = [1.0, 0.5, 1.0, -1.0, 1.0, 1.0];
pub const START_B: [f64; 3] = [0.5, 0.0, 0.5];
