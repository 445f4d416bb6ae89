#!/usr/bin/env python3
"""Warren-Cowley SRO, energy and swap acceptance from a run of in.sro_fenicr.lmp.

Definition (shell s, ordered pair i,j):
    alpha_ij(s) = 1 - p_ij(s) / c_j
    p_ij(s) = (j-type neighbours in shell s, summed over all i-type atoms)
              / (all neighbours in shell s, summed over all i-type atoms)
    c_j     = overall fraction of j (constant: swaps conserve composition)
Shell 1: 0 < r < 3.0 A; shell 2: 3.0 <= r < 3.9 A; r with the minimum image in the cubic box
(the box, 17.6 A, is more than twice 3.9 A, so each pair is counted once per direction).
alpha is computed per sample (every 100 MD steps) and averaged over the production window;
errors are standard errors of block means (non-overlapping blocks, length in MD steps).

  python3 analyze_sro.py WORKDIR NEQUIL NPROD [--block 8000] [--json out.json]
"""
import argparse
import json
import math
import os

import numpy as np

ELEMENTS = ["Fe", "Ni", "Cr"]
SHELLS = {"1": (0.0, 3.0), "2": (3.0, 3.9)}
THERMO_KEYS = ["Step", "Temp", "PotEng", "TotEng", "Press", "f_sFeNi[1]", "f_sFeNi[2]",
               "f_sFeCr[1]", "f_sFeCr[2]", "f_sNiCr[1]", "f_sNiCr[2]"]


def read_thermo(path):
    """Thermo rows of all runs in a LAMMPS log, keyed by step (later runs win)."""
    rows, cols = {}, None
    with open(path) as f:
        for line in f:
            w = line.split()
            if w and w[0] == "Step":
                cols = w
                continue
            if cols is None:
                continue
            if line.startswith("Loop time"):
                cols = None
                continue
            try:
                vals = [float(v) for v in w]
            except ValueError:
                continue
            if len(vals) == len(cols):
                rows[int(vals[0])] = dict(zip(cols, vals))
    return rows


def read_dump(path):
    """Yield (step, box_length, types[N], positions[N,3]) for each frame (cubic box from 0)."""
    with open(path) as f:
        while True:
            line = f.readline()
            if not line:
                return
            assert line.startswith("ITEM: TIMESTEP")
            step = int(f.readline())
            f.readline()
            n = int(f.readline())
            f.readline()
            bounds = [list(map(float, f.readline().split())) for _ in range(3)]
            lengths = [hi - lo for lo, hi in bounds]
            assert max(lengths) - min(lengths) < 1e-9
            f.readline()  # ITEM: ATOMS id type x y z
            data = np.array([f.readline().split() for _ in range(n)], float)
            yield step, lengths[0], data[:, 1].astype(int), data[:, 2:5]


def warren_cowley(types, x, box, ntypes=3):
    """alpha[shell][i][j] (shell index 0, 1) for one configuration."""
    onehot = np.zeros((len(types), ntypes))
    onehot[np.arange(len(types)), types - 1] = 1.0
    c = onehot.mean(axis=0)
    d = x[:, None, :] - x[None, :, :]
    d -= box * np.round(d / box)
    r = np.sqrt((d * d).sum(axis=-1))
    out = []
    for lo, hi in SHELLS.values():
        adj = ((r > lo) & (r < hi)).astype(float) if lo == 0.0 else ((r >= lo) & (r < hi)).astype(float)
        np.fill_diagonal(adj, 0.0)
        counts = onehot.T @ adj @ onehot            # counts[i, j]: j-neighbours of all i atoms
        p = counts / counts.sum(axis=1, keepdims=True)
        out.append(1.0 - p / c[None, :])
    return np.array(out)


def block_stats(values, samples_per_block):
    """Mean over all samples and standard error of the means of complete blocks."""
    v = np.asarray(values, float)
    nb = len(v) // samples_per_block
    blocks = v[: nb * samples_per_block].reshape(nb, samples_per_block, *v.shape[1:]).mean(axis=1)
    return v.mean(axis=0), blocks.std(axis=0, ddof=1) / math.sqrt(nb), nb


def analyze(workdir, nequil, nprod, block, params, json_path):
    thermo = read_thermo(os.path.join(workdir, "log.lammps"))
    steps, alphas = [], []
    for step, box, types, x in read_dump(os.path.join(workdir, "traj.dump")):
        steps.append(step)
        alphas.append(warren_cowley(types, x, box))
        natoms = len(types)
    steps, alphas = np.array(steps), np.array(alphas)
    pe = np.array([thermo[s]["PotEng"] / natoms for s in steps])
    prod = steps > nequil
    spb = block // 100
    a_mean, a_err, nblocks = block_stats(alphas[prod], spb)
    pe_mean, pe_err, _ = block_stats(pe[prod], spb)
    temp = np.array([thermo[s]["Temp"] for s in steps[prod]])
    press = np.array([thermo[s]["Press"] for s in steps[prod]])

    t0, t1 = thermo[nequil], thermo[nequil + nprod]
    acc = {}
    tot_att = tot_acc = 0.0
    for fx in ("sFeNi", "sFeCr", "sNiCr"):
        att = t1[f"f_{fx}[1]"] - t0[f"f_{fx}[1]"]
        suc = t1[f"f_{fx}[2]"] - t0[f"f_{fx}[2]"]
        acc[fx[1:3] + "-" + fx[3:]] = {"attempts": int(att), "accepted": int(suc), "ratio": suc / att}
        tot_att += att
        tot_acc += suc
    acc["all"] = {"attempts": int(tot_att), "accepted": int(tot_acc), "ratio": tot_acc / tot_att}

    # error-vs-block-length check (largest error over the 9 pairs, per shell)
    block_check = {}
    for bl in (1000, 2000, 4000, 8000, 16000):
        if nprod // bl >= 4:
            _, e, nb = block_stats(alphas[prod], bl // 100)
            _, ee, _ = block_stats(pe[prod], bl // 100)
            block_check[str(bl)] = {"n_blocks": nb, "max_err_alpha_shell1": float(e[0].max()),
                                    "max_err_alpha_shell2": float(e[1].max()), "err_pe_eV_per_atom": float(ee)}

    # plateau check: means over consecutive windows of the whole run (equilibration included)
    window = 10000 if nequil + nprod >= 40000 else max(1000, (nequil + nprod) // 8)
    windows = []
    for w0 in range(0, nequil + nprod, window):
        m = (steps > w0) & (steps <= w0 + window)
        if m.sum() == 0:
            continue
        a = alphas[m].mean(axis=0)
        windows.append({"steps": [w0, w0 + window], "pe_eV_per_atom": round(float(pe[m].mean()), 6),
                        "alpha_shell1": {f"{ELEMENTS[i]}-{ELEMENTS[j]}": round(float(a[0, i, j]), 4)
                                         for i in range(3) for j in range(3)},
                        "alpha_shell2": {f"{ELEMENTS[i]}-{ELEMENTS[j]}": round(float(a[1, i, j]), 4)
                                         for i in range(3) for j in range(3)}})

    # per-pair errors for several block lengths; "stderr_conservative" = the largest of them
    errs = {bl: block_stats(alphas[prod], bl // 100)[1] for bl in (2000, 4000, 8000, 16000) if nprod // bl >= 4}

    def table(k):
        return {f"{ELEMENTS[i]}-{ELEMENTS[j]}": {
            "mean": float(a_mean[k, i, j]), "stderr": float(a_err[k, i, j]),
            "stderr_conservative": float(max(e[k, i, j] for e in errs.values()) if errs else a_err[k, i, j])}
            for i in range(3) for j in range(3)}

    result = {
        "description": "Warren-Cowley SRO of equiatomic FeNiCr at 800 K from LAMMPS hybrid MD + fix atom/swap",
        "parameters": params,
        "sro_definition": ("alpha_ij(s) = 1 - p_ij(s)/c_j; p_ij(s) = (j-type neighbours in shell s of all i atoms)"
                           " / (all shell-s neighbours of all i atoms); c_j overall fraction of j; pair key 'i-j'"),
        "shells_A": {"1": "0 < r < 3.0", "2": "3.0 <= r < 3.9"},
        "averaging": (f"per-sample alpha averaged over {int(prod.sum())} samples (every 100 steps, steps "
                      f"{nequil + 100}..{nequil + nprod}); stderr = std(block means, ddof=1)/sqrt(n_blocks), "
                      f"blocks of {block} MD steps ({nblocks} blocks); stderr_conservative = largest stderr "
                      f"over block lengths {sorted(errs)} steps (the block-error estimate itself is uncertain by "
                      f"~1/sqrt(2(n_blocks-1)), i.e. ~25% for 10 blocks)"),
        "block_length_steps": block, "n_blocks": nblocks, "n_samples": int(prod.sum()),
        "alpha_shell1": table(0), "alpha_shell2": table(1),
        "potential_energy_eV_per_atom": {"mean": float(pe_mean), "stderr": float(pe_err),
                                         "note": "thermo pe / N at the sampled steps (after that step's swaps)"},
        "temperature_K_mean": float(temp.mean()), "pressure_bar_mean": float(press.mean()),
        "swap_acceptance_production": acc,
        "block_length_check": block_check,
        "plateau_windows": windows,
    }
    with open(json_path, "w") as f:
        json.dump(result, f, indent=1)
        f.write("\n")
    return result


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("workdir")
    ap.add_argument("nequil", type=int)
    ap.add_argument("nprod", type=int)
    ap.add_argument("--block", type=int, default=8000)
    ap.add_argument("--json", default="sro_fenicr_800K.json")
    ap.add_argument("--params", default=None, help="JSON file whose object becomes 'parameters'")
    args = ap.parse_args()
    params = json.load(open(args.params)) if args.params else {}
    analyze(args.workdir, args.nequil, args.nprod, args.block, params, args.json)


if __name__ == "__main__":
    main()
