#!/usr/bin/env python3
"""Merges the three HEA25 subsets of the team's shared data folder (see PROVENANCE.md) into one
extended-XYZ file of distinct structures (frames with identical symbols and positions are kept once).

    python3 merge.py /path/to/shared/data/hea25 hea25_137.xyz
"""
import sys

from ase.io import read, write

folder, output = sys.argv[1], sys.argv[2]
seen, kept = set(), []
for name in ["hea25_samples_bulk_100.xyz", "hea25_cookbook_test_data_33.xyz", "hea25_alchemical_reduced_10.xyz"]:
    for atoms in read(f"{folder}/{name}", index=":"):
        key = (tuple(atoms.get_chemical_symbols()), tuple(round(x, 6) for x in atoms.positions.ravel()))
        if key in seen:
            continue
        seen.add(key)
        atoms.info["source_file"] = name
        kept.append(atoms)
write(output, kept, format="extxyz")
print(f"{len(kept)} distinct structures")
