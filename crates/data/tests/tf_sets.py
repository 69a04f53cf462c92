# Independent reimplementation of nnlab's Rng (xoshiro256++ seeded by SplitMix64, FNV-1a
# purpose mix) and of TF Playground's dataset.ts formulas, for the generator tests.
import math
M = (1 << 64) - 1
def splitmix(st):
    st = (st + 0x9E3779B97F4A7C15) & M
    z = st
    z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & M
    z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & M
    return st, z ^ (z >> 31)
def rotl(x, k): return ((x << k) | (x >> (64 - k))) & M
class Rng:
    def __init__(self, seed):
        st = seed; self.s = []
        for _ in range(4):
            st, v = splitmix(st); self.s.append(v)
    @staticmethod
    def for_purpose(seed, purpose):
        h = 0xcbf29ce484222325
        for b in purpose.encode():
            h ^= b; h = (h * 0x100000001b3) & M
        _, v = splitmix(seed ^ h)
        return Rng(v)
    def next(self):
        s = self.s
        r = (rotl((s[0] + s[3]) & M, 23) + s[0]) & M
        t = (s[1] << 17) & M
        s[2] ^= s[0]; s[3] ^= s[1]; s[1] ^= s[2]; s[0] ^= s[3]; s[2] ^= t; s[3] = rotl(s[3], 45)
        return r
    def u(self): return (self.next() >> 11) * (1.0 / (1 << 53))
    def U(self, a, b): return a + (b - a) * self.u()
    def normal(self):
        u1 = 1.0 - self.u(); u2 = self.u()
        return math.sqrt(-2.0 * math.log(u1)) * math.cos(2 * math.pi * u2)

def circle(rows, noise, seed):
    r_ = Rng.for_purpose(seed, "data"); out = []
    pos = (rows + 1) // 2
    for n, (lo, hi) in [(pos, (0, 2.5)), (rows - pos, (3.5, 5))]:
        for _ in range(n):
            r = r_.U(lo, hi); a = r_.U(0, 2 * math.pi)
            x, y = r * math.sin(a), r * math.cos(a)
            nx = r_.U(-5, 5) * noise; ny = r_.U(-5, 5) * noise
            out.append((x, y, 1 if math.hypot(x + nx, y + ny) < 2.5 else 0))
    return out
def xor(rows, noise, seed):
    r_ = Rng.for_purpose(seed, "data"); out = []
    for _ in range(rows):
        x = r_.U(-5, 5); x += 0.3 if x > 0 else -0.3
        y = r_.U(-5, 5); y += 0.3 if y > 0 else -0.3
        nx = r_.U(-5, 5) * noise; ny = r_.U(-5, 5) * noise
        out.append((x, y, 1 if (x + nx) * (y + ny) >= 0 else 0))
    return out
def gauss(rows, noise, seed):
    r_ = Rng.for_purpose(seed, "data"); out = []
    sd = math.sqrt(0.5 + 7 * noise); pos = (rows + 1) // 2
    for n, c, l in [(pos, 2, 1), (rows - pos, -2, 0)]:
        for _ in range(n):
            x = c + sd * r_.normal(); y = c + sd * r_.normal(); out.append((x, y, l))
    return out
def spiral(rows, noise, seed):
    r_ = Rng.for_purpose(seed, "data"); out = []
    pos = (rows + 1) // 2
    for n, d, l in [(pos, 0, 1), (rows - pos, math.pi, 0)]:
        for i in range(n):
            f = i / n; r = f * 5; t = 1.75 * f * 2 * math.pi + d
            x = r * math.sin(t) + r_.U(-1, 1) * noise
            y = r * math.cos(t) + r_.U(-1, 1) * noise
            out.append((x, y, l))
    return out
for name, f in [("circle", circle), ("xor", xor), ("gauss", gauss), ("spiral", spiral)]:
    print(name, [tuple(repr(v) for v in p) for p in f(5, 0.2, 7)])
