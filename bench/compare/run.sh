#!/usr/bin/env bash
# One command for the comparison benchmarks (see BENCHMARKS.md):
#   bench/compare/run.sh [--quick]
# Creates bench/compare/.venv, installs NumPy and PyTorch from PyPI (PyTorch is skipped with a
# note if it cannot be installed or imported), builds nnlab-bench in release, and runs
# compare.py, which checks every side computes the same thing, then times them and
# rewrites the generated section of BENCHMARKS.md (not with --quick); before that,
# classification.py checks the classification losses against PyTorch. Exits non-zero if a
# correctness check fails.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
venv="$here/.venv"
python="${PYTHON:-python3}"

if [ ! -x "$venv/bin/python" ]; then
    "$python" -m venv "$venv"
fi
"$venv/bin/python" -m pip install --quiet --upgrade pip
"$venv/bin/python" -m pip install --quiet numpy
# PyPI's Linux torch wheel is the CUDA build (about 0.5 GB plus about 4 GB of CUDA
# libraries, a minute or two here); it runs on the CPU when no GPU is present.
if ! "$venv/bin/python" -c "import torch" 2>/dev/null; then
    "$venv/bin/python" -m pip install --quiet torch \
        || echo "run.sh: PyTorch could not be installed; its rows will be skipped" >&2
fi

target="${CARGO_TARGET_DIR:-$root/target}"
(cd "$root" && cargo build --release --quiet -p nnlab-bench -p nnlab)
cd "$here"
# The classification losses and penalties against PyTorch (a correctness check, no times).
"$venv/bin/python" classification.py --nnlab "$target/release/nnlab" --bench-bin "$target/release/nnlab-bench"
exec "$venv/bin/python" compare.py --bench-bin "$target/release/nnlab-bench" "$@"
