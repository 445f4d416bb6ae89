#!/usr/bin/env python3
"""`crucible features` read back with h5py and compared with featomic 0.6.7's values and gradients
(Tests/CrucibleTests/Resources/reference/featomic/*.json, made by gen_refs.py there): the file opens
in the reader people use, its labels follow featomic's order, its numbers are featomic's.

    python3 Tools/check_features.py .build/release/crucible OUTDIR
"""
import json
import os
import subprocess
import sys

import h5py
import numpy as np
from ase import Atoms
from ase.io import write

crucible, out = sys.argv[1], sys.argv[2]
os.makedirs(out, exist_ok=True)
ref_dir = "Tests/CrucibleTests/Resources/reference/featomic"
for name in ["S1_A", "S2_A", "S3_B"]:
    ref = json.load(open(os.path.join(ref_dir, name + ".json")))
    s = ref["structure"]
    pbc = s["pbc"]
    atoms = Atoms(symbols=s["symbols"], positions=s["positions"], cell=s["cell"] if any(pbc) else None, pbc=pbc)
    xyz, hypers, h5 = (os.path.join(out, name + ext) for ext in (".xyz", ".json", ".h5"))
    write(xyz, atoms, format="extxyz")
    json.dump(ref["hypers_no_spline"], open(hypers, "w"))
    subprocess.run([crucible, "features", xyz, "--hypers", hypers, "--gradients", "-o", h5], check=True, stdout=subprocess.DEVNULL)
    ps = ref["power_spectrum"]
    exact = ps["no_spline"]
    with h5py.File(h5, "r") as f:
        values = f["values"][()]
        props = [tuple(p) for p in f["properties"][()]]
        assert props == [tuple(p) for p in ps["properties"]], f"{name}: property order differs from featomic's"
        assert f["properties"].attrs["names"] == "neighbor_1_type,neighbor_2_type,l,n_1,n_2"
        samples = f["samples"][()]
        assert (samples[:, 1] == np.arange(len(atoms))).all() and (samples[:, 2] == atoms.numbers).all()
        reference = np.array(exact["values"])
        scale = np.abs(reference).max()
        err = np.abs(values - reference).max()
        assert err <= 1e-8 * scale, f"{name}: values differ by {err} (scale {scale})"
        # Gradients of E = Σ_i W · p_i, from the dense gradients in the file.
        w = np.array(ps["W"])
        grad = f["gradients/positions/values"][()]          # [sample, α, q]
        gsamples = f["gradients/positions/samples"][()]      # (sample, system, atom)
        contracted = np.zeros((len(atoms), 3))
        for (sample, _system, atom), g in zip(gsamples, grad):
            contracted[atom] += g @ w
        gref = np.array(exact["positions_grad_W"])
        gerr = np.abs(contracted - gref).max()
        # ASE writes positions with 8 decimals: gradients then differ at ~1e-8 of their scale.
        assert gerr <= 1e-7 * np.abs(gref).max(), f"{name}: position gradients differ by {gerr}"
        if exact.get("strain_grad_W") is not None:
            strain = np.einsum("iabq,q->ab", f["gradients/strain/values"][()], w)
            sref = np.array(exact["strain_grad_W"])
            serr = np.abs(strain - sref).max()
            assert serr <= 1e-7 * np.abs(sref).max(), f"{name}: strain gradients differ by {serr}"
    print(f"== {h5}: h5py reads it; values within {err:.1e} and position gradients within {gerr:.1e} of featomic 0.6.7")

# ν = 1: `--kind radial-spectrum` against featomic's SoapRadialSpectrum computed here (values and
# position gradients contracted with random weights).
import featomic
import metatensor

for name in ["S1_A", "S3_B"]:
    ref = json.load(open(os.path.join(ref_dir, name + ".json")))
    s = ref["structure"]
    pbc = s["pbc"]
    atoms = Atoms(symbols=s["symbols"], positions=s["positions"], cell=s["cell"] if any(pbc) else None, pbc=pbc)
    hypers = dict(ref["hypers_no_spline"])
    hypers["basis"] = {k: v for k, v in hypers["basis"].items() if k in ("radial", "spline_accuracy")}
    xyz, hjson, h5 = (os.path.join(out, name + "_nu1" + ext) for ext in (".xyz", ".json", ".h5"))
    write(xyz, atoms, format="extxyz")
    json.dump(hypers, open(hjson, "w"))
    subprocess.run([crucible, "features", xyz, "--hypers", hjson, "--kind", "radial-spectrum", "--gradients", "-o", h5],
                   check=True, stdout=subprocess.DEVNULL)
    atoms = __import__("ase.io", fromlist=["read"]).read(xyz)   # the positions crucible read
    calc = featomic.SoapRadialSpectrum(**{k: v for k, v in hypers.items()})
    types = sorted(set(atoms.numbers))
    tm = calc.compute(atoms, gradients=["positions"])
    tm = tm.keys_to_properties(metatensor.Labels(["neighbor_type"], np.array([[t] for t in types], dtype=np.int32)))
    tm = tm.keys_to_samples("center_type")
    block = tm.block()
    order = np.argsort(block.samples["atom"])
    reference = block.values[order]
    rng = np.random.default_rng(3)
    with h5py.File(h5, "r") as f:
        assert f["properties"].attrs["names"] == "neighbor_type,n"
        props = [tuple(p) for p in f["properties"][()]]
        assert props == [tuple(p) for p in block.properties.values], f"{name}: radial-spectrum property order differs"
        values = f["values"][()]
        err = np.abs(values - reference).max()
        assert err <= 1e-8 * np.abs(reference).max(), f"{name}: radial spectrum differs by {err}"
        w = rng.normal(size=values.shape[1])
        contracted = np.zeros((len(atoms), 3))
        for (sample, _system, atom), g in zip(f["gradients/positions/samples"][()], f["gradients/positions/values"][()]):
            contracted[atom] += g @ w
    gb = block.gradient("positions")
    gref = np.zeros((len(atoms), 3))
    for (sample, _system, atom), g in zip(gb.samples.values, gb.values):
        gref[atom] += g @ w
    gerr = np.abs(contracted - gref).max()
    assert gerr <= 1e-7 * np.abs(gref).max(), f"{name}: radial-spectrum gradients differ by {gerr}"
    print(f"== {h5}: radial spectrum within {err:.1e}, gradients within {gerr:.1e} of featomic {featomic.__version__}")

# ν = 3: `--kind bispectrum` read back with h5py against the bispectrum reference (featomic's
# expansion coupled by sympy's 3j symbols, equal to featomic's DensityCorrelations; made by
# Tests/CrucibleTests/Resources/reference/bispectrum/gen_bispectrum.py).
for name in ["S1", "S3"]:
    ref = json.load(open(os.path.join("Tests/CrucibleTests/Resources/reference/bispectrum", name + ".json")))
    s = ref["structure"]
    pbc = s["pbc"]
    atoms = Atoms(symbols=s["symbols"], positions=s["positions"], cell=s["cell"] if any(pbc) else None, pbc=pbc)
    xyz, hjson, h5 = (os.path.join(out, name + "_nu3" + ext) for ext in (".xyz", ".json", ".h5"))
    write(xyz, atoms, format="extxyz")
    json.dump(ref["hypers"], open(hjson, "w"))
    subprocess.run([crucible, "features", xyz, "--hypers", hjson, "--kind", "bispectrum", "--gradients", "-o", h5],
                   check=True, stdout=subprocess.DEVNULL)
    with h5py.File(h5, "r") as f:
        assert f["properties"].attrs["names"] == "l_1,l_2,l_3,neighbor_1_type,n_1,neighbor_2_type,n_2,neighbor_3_type,n_3"
        assert [tuple(p) for p in f["properties"][()]] == [tuple(p) for p in ref["properties"]], f"{name}: bispectrum property order differs"
        values = f["values"][()]
        reference = np.array(ref["values"])
        err = np.abs(values - reference).max()
        assert err <= 1e-7 * np.abs(reference).max(), f"{name}: bispectrum differs by {err}"
        w = np.array(ref["weights"])
        contracted = np.zeros((len(atoms), 3))
        for (sample, _system, atom), g in zip(f["gradients/positions/samples"][()], f["gradients/positions/values"][()]):
            contracted[atom] += g @ w
    gref = np.array(ref["positions_grad"])
    gerr = np.abs(contracted - gref).max()
    # ASE writes positions with 8 decimals: values and gradients then differ at ~1e-8 of their scale.
    assert gerr <= 1e-7 * np.abs(gref).max(), f"{name}: bispectrum gradients differ by {gerr}"
    print(f"== {h5}: bispectrum within {err:.1e}, gradients within {gerr:.1e} of the featomic-based reference")

# Pseudoelement channels (`--pseudoelements MODEL`): the power spectrum on a model's learned channels
# equals the one made here, in numpy, from the species-channel expansion mixed by the model's u
# (c'_J = Σ_a u[J][a] c_a, then featomic's power-spectrum normalisation).
model_path = "Inputs/ml/hea25/published/hea25_published.json"
model = json.load(open(model_path))["model"]
u, symbols = np.array(model["pseudoelements"]), model["species"]
frame = os.path.join(out, "hea25_frame.xyz")
write(frame, __import__("ase.io", fromlist=["read"]).read("Tests/CrucibleTests/Resources/reference/hea25_published/test_data_first10.xyz", "0"), format="extxyz")
hjson = os.path.join(out, "hea25_hypers.json")
json.dump({"cutoff": {"radius": 5.0, "smoothing": {"type": "ShiftedCosine", "width": 0.5}}, "density": {"type": "Gaussian", "width": 0.3},
           "basis": {"type": "TensorProduct", "max_angular": 2, "radial": {"type": "Gto", "max_radial": 2}}}, open(hjson, "w"))
se_h5, ps_h5 = os.path.join(out, "hea25_se.h5"), os.path.join(out, "hea25_ps_pseudo.h5")
subprocess.run([crucible, "features", frame, "--hypers", hjson, "--kind", "spherical-expansion", "--species", ",".join(symbols), "-o", se_h5],
               check=True, stdout=subprocess.DEVNULL)
subprocess.run([crucible, "features", frame, "--hypers", hjson, "--pseudoelements", model_path, "-o", ps_h5], check=True, stdout=subprocess.DEVNULL)
with h5py.File(se_h5, "r") as f:
    se, se_props = f["values"][()], f["properties"][()]
with h5py.File(ps_h5, "r") as f:
    ps, ps_props = f["values"][()], f["properties"][()]
    assert "pseudoelements" in f.attrs["channels"]
d, nmax, lmax = u.shape[0], 3, 2
types = [__import__("ase.data", fromlist=["atomic_numbers"]).atomic_numbers[s] for s in symbols]
c = np.zeros((se.shape[0], lmax + 1, len(symbols), nmax, 2 * lmax + 1))
for q, (l, t, n, m) in enumerate(se_props):
    c[:, l, types.index(t), n, m + l] = se[:, q]
cj = np.einsum("Ja,ilanm->ilJnm", u, c)
expected = np.zeros_like(ps)
for q, (j1, j2, l, n1, n2) in enumerate(ps_props):
    s = 1.0 if j1 == j2 else np.sqrt(2.0)
    expected[:, q] = s * (-1) ** l / np.sqrt(2 * l + 1) * np.einsum("im,im->i", cj[:, l, j1, n1, :2 * l + 1], cj[:, l, j2, n2, :2 * l + 1])
assert ps.shape[1] == d * (d + 1) // 2 * (lmax + 1) * nmax * nmax
err = np.abs(ps - expected).max()
assert err <= 1e-10 * np.abs(expected).max(), f"pseudoelement power spectrum differs by {err}"
print(f"== {ps_h5}: power spectrum on {d} pseudoelements equals the mixed species expansion within {err:.1e}")
