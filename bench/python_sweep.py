"""A 1000-run sweep from Python (`nnlab.sweep`) against the CLI's same sweep (`nnlab sweep`),
best of 3 wall-clock runs each. Both run the lab's sweep engine on every core; Python adds
its keyword handling and the DataFrames of the result.

    cargo build --release -p nnlab && pip install ./python
    python bench/python_sweep.py target/release/nnlab
"""

import subprocess
import sys
import time

import nnlab

LRS = ["0.001", "0.002", "0.005", "0.01", "0.02", "0.05", "0.1", "0.2", "0.5", "1"]
SEEDS = 100  # 10 rates x 100 seeds = 1000 runs of the default 300 epochs


def best_of(n, f):
    times = []
    for _ in range(n):
        start = time.perf_counter()
        f()
        times.append(time.perf_counter() - start)
    return min(times)


def main():
    cli = sys.argv[1] if len(sys.argv) > 1 else "nnlab"
    args = [cli, "sweep", "--vary", "lr=" + ",".join(LRS), "--vary", f"seed=0..{SEEDS}",
            "--no-store"]
    cli_s = best_of(3, lambda: subprocess.run(args, check=True, capture_output=True))
    py = best_of(3, lambda: nnlab.sweep(vary={"lr": LRS, "seed": range(SEEDS)}))
    runs = len(nnlab.sweep(vary={"lr": LRS, "seed": range(SEEDS)}).runs)
    print(f"{runs} runs: CLI {cli_s:.3f} s, Python {py:.3f} s, ratio {py / cli_s:.2f}")


if __name__ == "__main__":
    main()
