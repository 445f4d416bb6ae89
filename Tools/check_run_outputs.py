#!/usr/bin/env python3
"""Peer-tool checks of files a Crucible run wrote (CI stage 3).

Usage: python3 Tools/check_run_outputs.py OUTDIR
Expects in OUTDIR what Tools/run_checks.sh produced:
  eam_cu_nvt.h5md, eam_cu_nvt_final.xyz (a shortened run of Inputs/eam_cu_nvt.yaml)
  eval.xyz                              (crucible eval of Inputs/structures/cuni_rattled_frames.xyz)
Checks:
  * ASE reads the final structure; the last H5MD frame (read by h5py and by the unpatched
    MDAnalysis through Tools/check_h5md.py) holds exactly those positions and that cell, and the
    elements stored in the trajectory are the final structure's symbols (also through MDAnalysis,
    with the final structure as topology);
  * ASE reads the eval output; energies, forces and stresses equal the LAMMPS references kept in
    the frames (reference_*), to the precision the references were stored with.
Needs: ase, h5py, MDAnalysis, numpy.
"""
import os
import subprocess
import sys

import h5py
import numpy as np
from ase.io import read

out = sys.argv[1]
here = os.path.dirname(os.path.abspath(__file__))
failures = []


def check(ok, what):
    print(("ok   " if ok else "FAIL ") + what)
    if not ok:
        failures.append(what)


final = read(os.path.join(out, "eam_cu_nvt_final.xyz"))
final_path = os.path.join(out, "eam_cu_nvt_final.xyz")
traj = os.path.join(out, "eam_cu_nvt.h5md")
with h5py.File(traj, "r") as f:
    frames = f["particles/trajectory/position/value"].shape[0]
    last_box = f["particles/trajectory/box/edges/value"][-1]
    vmd = f["parameters/vmd_structure"]
    symbol = dict(zip(vmd["indexOfSpecies"][()], vmd["name"].asstr()[()]))
    stored = [symbol[z] for z in f["particles/trajectory/species"][()]]
check(np.array_equal(last_box, final.cell.array), "last H5MD box equals the final structure's cell")
check(stored == final.get_chemical_symbols(), "elements stored in the H5MD file equal the final structure's symbols")
n = len(final)
expect = []
for atom in (0, 7, n - 1):
    x, y, z = final.positions[atom]
    expect += ["--expect-position", str(frames - 1), str(atom), repr(float(x)), repr(float(y)), repr(float(z))]
result = subprocess.run([sys.executable, os.path.join(here, "check_h5md.py"), traj, "--topology", final_path] + expect,
                        capture_output=True, text=True)
print(result.stdout.strip().splitlines()[-1] if result.stdout.strip() else result.stderr)
check(result.returncode == 0, "check_h5md.py (h5py + MDAnalysis) on the run's trajectory:\n" + result.stdout[-2000:] + result.stderr[-2000:])

evaluated = read(os.path.join(out, "eval.xyz"), index=":")
check(len(evaluated) == 5, "eval wrote every frame")
for k, atoms in enumerate(evaluated):
    e, e_ref = atoms.get_potential_energy(), atoms.info["reference_energy"]
    check(abs(e - e_ref) <= 1e-9 * abs(e_ref), f"frame {k}: energy {e} vs LAMMPS {e_ref}")
    df = np.abs(atoms.get_forces() - atoms.arrays["reference_forces"]).max()
    check(df <= 1e-8, f"frame {k}: max |ΔF| = {df:.2e} eV/Å (references printed with 8 decimals)")
    stress = atoms.get_stress(voigt=True)
    ref = np.array(atoms.info["reference_stress"]) * (1.6021765e6 / 1.6021766208e6) ** -1
    ds = np.abs(stress - ref).max()
    check(ds <= 1e-8 * max(1e-6, np.abs(ref).max()) + 1e-12, f"frame {k}: max |Δσ| = {ds:.2e} eV/Å³")

print(f"{len(failures)} failed" if failures else "all output checks passed")
sys.exit(1 if failures else 0)
