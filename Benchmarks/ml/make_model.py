#!/usr/bin/env python3
"""Writes a Crucible ML model file with random weights (seeded) for given hyperparameters, for
benchmarks: the cost of an evaluation does not depend on the weights' values.

    python3 make_model.py --species Cu Ni Pd --cutoff 5 --max-angular 6 --max-radial 7 --width 0.3 -o model.json
"""
import argparse
import json
import random

p = argparse.ArgumentParser()
p.add_argument("--species", nargs="+", required=True)
p.add_argument("--cutoff", type=float, default=5.0)
p.add_argument("--smoothing", type=float, default=0.5)
p.add_argument("--width", type=float, default=0.3)
p.add_argument("--max-angular", type=int, default=6)
p.add_argument("--max-radial", type=int, default=7)
p.add_argument("--radial-counts", type=int, nargs="+", help="radial functions per l (overrides max-angular/max-radial)")
p.add_argument("--pseudoelements", type=int, help="d mixed density channels instead of one per element")
p.add_argument("--pair-radial", type=int, help="radial functions of the pair term (none without)")
p.add_argument("--hidden", type=int, help="tanh units of the network on the radial spectrum (needs --pair-radial)")
p.add_argument("-o", "--output", default="model.json")
a = p.parse_args()

rng = random.Random(1)
counts = a.radial_counts or [a.max_radial + 1] * (a.max_angular + 1)
channels = a.pseudoelements or len(a.species)
features = channels * (channels + 1) // 2 * sum(n * n for n in counts)
model = {
    "settings": {"cutoff": a.cutoff, "smoothingWidth": a.smoothing, "gaussianWidth": a.width,
                 "radialCounts": counts, "centerWeight": 1.0},
    "species": a.species,
    "offsets": [-3.0] * len(a.species),
    "weights": [[1e-3 * (rng.random() - 0.5) for _ in range(features)] for _ in a.species],
}
if a.pair_radial:
    inputs = len(a.species) * a.pair_radial
    model["pair"] = {"radialCount": a.pair_radial,
                     "weights": [[1e-3 * (rng.random() - 0.5) for _ in range(inputs)] for _ in a.species]}
    if a.hidden:
        width = inputs + len(a.species)
        model["network"] = {"hidden": a.hidden, "inputs": inputs, "elements": len(a.species),
                            "shift": [0.0] * inputs, "scale": [1.0] * inputs,
                            "inputWeights": [0.1 * (rng.random() - 0.5) for _ in range(a.hidden * width)],
                            "hiddenBias": [0.0] * a.hidden, "outputWeights": [1e-3 * (rng.random() - 0.5) for _ in range(a.hidden)]}
if a.pseudoelements:
    model["pseudoelements"] = [[rng.random() - 0.5 for _ in a.species] for _ in range(a.pseudoelements)]
json.dump({"format": "crucible-ml-model", "version": 1, "units": "eV, Angstrom", "model": model,
           "training": {"note": "random weights for benchmarks"}}, open(a.output, "w"))
print(f"wrote {a.output}: {features} features per element")
