#!/usr/bin/env python3
"""Keeps what the Swift tests read from gen_refs.py's output: the structure, the hyperparameters,
the property lists, the contraction weights W and featomic's exact (no-spline) values and
gradients; drops the default-spline entries (they differ from the exact ones by ≤1.5e-9 in values
and ≤1e-6 in gradients, see README.md).

    python3 gen_refs.py && python3 slim_refs.py refs/S1_A.json ... -o .
"""
import json
import os
import sys

args = sys.argv[1:]
out = args[args.index("-o") + 1]
for path in args[:args.index("-o")]:
    d = json.load(open(path))
    for kind in ("power_spectrum", "spherical_expansion"):
        d[kind].pop("default", None)
    d.pop("hypers", None)
    json.dump(d, open(os.path.join(out, os.path.basename(path)), "w"), separators=(",", ":"))
