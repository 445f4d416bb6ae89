#!/usr/bin/env python3
"""Checks that ASE reads Crucible's extended-XYZ output to exactly the intended values.

Runs the Swift test that writes the files (CRUCIBLE_EXTXYZ_SAMPLES=<dir> swift test --filter
writeSamplesForASE), then, with ASE:
  * each re-written reference file must read back identical to the original (symbols, positions,
    cell, pbc, info, per-atom arrays, calculator results: bit-for-bit);
  * the hand-made sample frame must have the values the Swift test put in it.
Usage: python3 Tools/check_extxyz_ase.py [package-root]   (default: the parent of Tools/)
Needs: ase, numpy.
"""
import glob
import math
import os
import subprocess
import sys
import tempfile

import numpy as np
from ase.io import read


def same(a, b):
    """Exact equality for nested numbers/arrays/strings (NaN equals NaN)."""
    if isinstance(a, np.ndarray) or isinstance(b, np.ndarray):
        a, b = np.asarray(a), np.asarray(b)
        if a.shape != b.shape:
            return False
        if a.dtype.kind in "fc" or b.dtype.kind in "fc":
            return bool(np.array_equal(a, b, equal_nan=True))
        return bool(np.array_equal(a, b))
    if isinstance(a, float) and isinstance(b, float):
        return a == b or (math.isnan(a) and math.isnan(b))
    return a == b


def compare_atoms(original, ours, label):
    problems = []
    if original.get_chemical_symbols() != ours.get_chemical_symbols():
        problems.append("symbols")
    for what in ("positions", "cell", "pbc"):
        a = getattr(original, "get_" + what)() if what != "cell" else original.cell.array
        b = getattr(ours, "get_" + what)() if what != "cell" else ours.cell.array
        if not same(np.asarray(a), np.asarray(b)):
            problems.append(what)
    if set(original.info) != set(ours.info):
        problems.append(f"info keys {sorted(set(original.info) ^ set(ours.info))}")
    else:
        problems += [f"info[{k}]" for k in original.info if not same(original.info[k], ours.info[k])]
    if set(original.arrays) != set(ours.arrays):
        problems.append(f"array names {sorted(set(original.arrays) ^ set(ours.arrays))}")
    else:
        problems += [f"arrays[{k}]" for k in original.arrays if not same(original.arrays[k], ours.arrays[k])]
    ra = original.calc.results if original.calc else {}
    rb = ours.calc.results if ours.calc else {}
    if set(ra) != set(rb):
        problems.append(f"results {sorted(set(ra) ^ set(rb))}")
    else:
        problems += [f"results[{k}]" for k in ra if not same(ra[k], rb[k])]
    return [f"{label}: {p}" for p in problems]


def check_sample(atoms):
    problems = []
    expect = {
        "symbols": ["Cu", "Ni", "H"],
        "positions": np.array([[0, 0, 0], [1.8075, 1.8075, 1e-17], [0.1 + 0.2, -2.5e-300, 1.0 / 3.0]]),
        "cell": np.array([[3.615, 0, 0], [0.1, 3.615, 0], [0, 0.2, 7.23]]),
        "pbc": np.array([True, True, False]),
    }
    if atoms.get_chemical_symbols() != expect["symbols"]:
        problems.append("symbols")
    if not same(atoms.get_positions(), expect["positions"]):
        problems.append("positions")
    if not same(atoms.cell.array, expect["cell"]):
        problems.append("cell")
    if not same(atoms.get_pbc(), expect["pbc"]):
        problems.append("pbc")
    r = atoms.calc.results
    if r.get("energy") != -10.123456789012345:
        problems.append("energy")
    # ASE turns the 3x3 stress into Voigt xx yy zz yz xz xy.
    if not same(r.get("stress"), np.array([1e-3, 5, 9.5, 6, 3, 2])):
        problems.append(f"stress {r.get('stress')}")
    if not same(r.get("forces"), np.array([[1, 2, 3], [4, 5, 6], [7, 8, -9.000000000000002]])):
        problems.append("forces")
    if not same(r.get("energies"), np.array([-1.0, -2.0, -3.0])):
        problems.append("energies")
    info = atoms.info
    checks = {
        "step": 42, "converged": True, "comment": 'a "quoted" \\ value=1', "weird key": math.inf,
    }
    problems += [f"info[{k}]={info.get(k)!r}" for k, v in checks.items() if not same(info.get(k), v)]
    if not same(info.get("ids"), np.array([1, -2, 3])):
        problems.append("info[ids]")
    if list(info.get("flags", [])) != [True, False]:
        problems.append("info[flags]")
    if not same(atoms.arrays.get("tags"), np.array([1, 2, 3])):
        problems.append("arrays[tags]")
    if not same(atoms.arrays.get("fixed"), np.array([[1, 0, 1], [0, 0, 0], [1, 1, 1]], dtype=bool)):
        problems.append("arrays[fixed]")
    if list(atoms.arrays.get("site", [])) != ["a", "b", "c"]:
        problems.append("arrays[site]")
    return [f"sample.xyz: {p}" for p in problems]


def main():
    root = os.path.abspath(sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(__file__), ".."))
    resources = sorted(glob.glob(os.path.join(root, "Tests", "*", "Resources", "Cu_u3_eam.extxyz")))
    if not resources:
        sys.exit(f"no Tests/*/Resources/Cu_u3_eam.extxyz under {root}")
    resources = os.path.dirname(resources[0])
    with tempfile.TemporaryDirectory() as out:
        env = dict(os.environ, CRUCIBLE_EXTXYZ_SAMPLES=out)
        run = subprocess.run(["swift", "test", "--filter", "writeSamplesForASE"], cwd=root, env=env,
                             capture_output=True, text=True)
        if run.returncode != 0:
            sys.exit(run.stdout + run.stderr + "\nswift test failed")
        problems = check_sample(read(os.path.join(out, "sample.xyz")))
        checked = 1
        for path in sorted(glob.glob(os.path.join(out, "rewritten_*"))):
            name = os.path.basename(path)[len("rewritten_"):]
            originals = read(os.path.join(resources, name), ":")
            ours = read(path, ":")
            if len(originals) != len(ours):
                problems.append(f"{name}: {len(ours)} frames instead of {len(originals)}")
                continue
            for k, (a, b) in enumerate(zip(originals, ours)):
                problems += compare_atoms(a, b, f"{name}[{k}]")
            checked += len(ours)
    if problems:
        print("\n".join(problems))
        print(f"0 passed, {len(problems)} failed")
        sys.exit(1)
    print(f"ASE read {checked} frames written by Crucible: all identical")


if __name__ == "__main__":
    main()
