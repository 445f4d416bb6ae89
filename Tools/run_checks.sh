#!/usr/bin/env bash
# CI stage 3: files written by Crucible read by peer tools (h5py, MDAnalysis, ASE).
set -euo pipefail
cd "$(dirname "$0")/.."
python3 -m pip install -q --disable-pip-version-check h5py MDAnalysis ase numpy
out=$(mktemp -d)
(cd Inputs && ../.build/release/crucible run eam_cu_nvt.yaml --max-steps 20 --output-dir "$out" --quiet)
(cd Inputs && ../.build/release/crucible eval eval_cuni.yaml structures/cuni_rattled_frames.xyz -o "$out/eval.xyz")
python3 Tools/check_run_outputs.py "$out"
python3 Tools/check_extxyz_ase.py .
echo "checks: passed"
