#!/usr/bin/env python3
"""Test errors of `crucible fit` on the six-element set (Inputs/ml/cunipt6.xyz) against the number of
training frames (split.train_frames: the same validation and test frames in every run) and the number of learned pseudoelements, linear (offsets + power spectrum + pair
term) and with the network. Writes a markdown table (stdout and OUT.md).

    python3 Benchmarks/ml/accuracy_sweep.py .build/release/crucible OUTDIR [--quick] [--only d1,d2,d4]

Each row is one `crucible fit` run.
"""
import os
import re
import subprocess
import sys

crucible, out = sys.argv[1], sys.argv[2]
quick = "--quick" in sys.argv
only = sys.argv[sys.argv.index("--only") + 1].split(",") if "--only" in sys.argv else None
os.makedirs(out, exist_ok=True)
data = os.path.abspath("Inputs/ml/cunipt6.xyz")
base = {
    "density": "{cutoff: 5.5, smoothing: 1.0, width: 0.5, max_angular: 3, max_radial: 3}",
    "pair": "{radial: 8, width: 0.25}",
    "loss": "{energy: 1.0, forces: 0.1, stress: 1.0}",
    "weights": "shared",
}
epochs = 10 if quick else 100


def run(name, frames, pseudo=None, network=True):
    # The same validation and test frames in every run (split.train_frames limits the training set).
    lines = [f"data: {data}", f"split: {{train: 0.8, validation: 0.1, seed: 1, train_frames: {frames}}}", "threads: 2"]
    lines += [f"{k}: {v}" for k, v in base.items()]
    if pseudo:
        lines.append(f"pseudoelements: {{count: {pseudo}, iterations: {20 if quick else 80}}}")
    if network:
        lines.append(f"network: {{hidden: 16, epochs: {epochs}, batch: 16}}")
    path = os.path.join(out, name + ".yaml")
    open(path, "w").write("\n".join(lines) + "\n")
    text = subprocess.run([crucible, "fit", path, "-o", os.path.join(out, name + ".json"), "--quiet"],
                          check=True, capture_output=True, text=True).stdout
    test = [l for l in text.splitlines() if l.strip().startswith("test:")][-1]
    e = re.search(r"energy MAE ([\d.]+) RMSE ([\d.]+)", test)
    f = re.search(r"forces MAE ([\d.]+) RMSE ([\d.]+)", test)
    frames = re.search(r"train (\d+)", text).group(1)
    return frames, e.group(1), f.group(1)


rows = ["| run | training frames | pseudoelements d | network | test energy MAE (meV/atom) | test force MAE (meV/Å) |",
        "|---|---|---|---|---|---|"]
plan = [("frames_100", 100, None, True), ("frames_300", 300, None, True), ("frames_960_linear", 960, None, False), ("frames_960", 960, None, True)]
plan += [(f"d{d}", 960, d, True) for d in ([1, 3] if quick else [1, 2, 4])]
for name, train, pseudo, network in plan:
    if only and name not in only:
        continue
    frames, e, f = run(name, train, pseudo, network)
    rows.append(f"| {name} | {frames} | {pseudo or 'elements (6)'} | {'16 tanh' if network else 'none'} | {e} | {f} |")
    print(rows[-1], flush=True)
open(os.path.join(out, "sweep.md"), "w").write("\n".join(rows) + "\n")
print("\n".join(rows))
