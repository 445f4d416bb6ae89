#!/usr/bin/env python
"""
Generate reference data (plain JSON) for the Swift re-implementation of
featomic's SOAP SphericalExpansion / SoapPowerSpectrum.

Uses only featomic + ase + numpy (+ metatensor, which featomic depends on).
Everything is deterministic (fixed seeds).

Output: refs/<structure>_<set>.json for structures S1, S2, S3 and
hyper-parameter sets A (no radial scaling) and B (Willatt2018 scaling).

Every file contains, for the power spectrum (PS) and the spherical expansion
(SE), values computed with featomic's *default* radial-integral splines
(spline_accuracy = 1e-8, what users get by default) under the "default" entry,
and with the splines disabled (basis.spline_accuracy = null, i.e. the
analytical 1F1 radial integral) under the "no_spline" entry.

Layouts (see also the "layout" strings stored in each file):

PS:  ps = calc.compute(atoms, gradients=[...])
     ps = ps.keys_to_samples("center_type")
     ps = ps.keys_to_properties(["neighbor_1_type", "neighbor_2_type"])
     -> a single block; rows re-ordered by atom index (we assert that they are
        exactly atoms 0..N-1). "values"[atom][q], q indexing
        "properties" = list of (neighbor_1_type, neighbor_2_type, l, n_1, n_2)
        in featomic/metatensor order.

SE:  se = calc.compute(atoms, gradients=[...])
     se = se.keys_to_properties("neighbor_type")
     se = se.keys_to_samples("center_type")
     -> one block per o3_lambda = 0..max_angular (keys (o3_lambda, o3_sigma=1)),
        rows re-ordered by atom index. "values"[l][atom][m + l][q],
        m = -l..l, q indexing "properties" = list of (neighbor_type, n).

Gradient contractions (W = fixed seeded standard-normal weights, stored):
    E = sum_atoms sum_q W[q] * p[atom][q]          (PS)
    E = sum_l sum_atoms sum_m sum_q W[l][m+l][q] * c_l[atom][m+l][q]   (SE)
    "positions_grad_W"[k][x] = dE / d(position[k][x])            (N x 3)
    "cell_grad_W"[a][b]      = dE / d(H[a][b]) at fixed Cartesian positions,
                               H rows = cell vectors (ASE atoms.cell) (3 x 3)
    "strain_grad_W"[a][b]    = dE / d(eps[a][b]) with r -> r (1 + eps),
                               H -> H (1 + eps) (row-vector convention) (3 x 3)
  cell/strain are null for the non-periodic S3.
For S3 only: PS "positions_grad_full"[i][k][x][q] = d p[i][q] / d position[k][x]
(zeros where featomic has no gradient sample, i.e. k outside i's cutoff).
"""
import importlib.metadata
import json
import os

import numpy as np

import ase
import ase.build
import featomic

OUT_DIR = os.path.join(os.path.dirname(os.path.abspath(__file__)), "refs")


# ---------------------------------------------------------------------------
# structures
# ---------------------------------------------------------------------------
def _far_enough(frac_new, fracs, cell, dmin, periodic):
    """True if the new point is >= dmin from all previous ones (with PBC
    images -1..1 if periodic; enough here since the cell is ~5 A)"""
    images = np.array(np.meshgrid([-1, 0, 1], [-1, 0, 1], [-1, 0, 1])).T.reshape(-1, 3)
    for f in fracs:
        df = frac_new - f
        if periodic:
            d = min(np.linalg.norm((df - np.round(df) + s) @ cell) for s in images)
        else:
            d = np.linalg.norm(df @ cell)
        if d < dmin:
            return False
    return True


def make_s1(seed=20240611):
    """Triclinic periodic cell (smaller than twice the cutoff), 6 atoms Cu/Ni/Pd,
    random positions with all (periodic) distances >= 1.8 A."""
    rng = np.random.default_rng(seed)
    cell = np.array([[5.1, 0.0, 0.0], [1.2, 4.9, 0.0], [0.7, 1.1, 5.3]])
    fracs = []
    while len(fracs) < 6:
        f = rng.random(3)
        if _far_enough(f, fracs, cell, 1.8, True):
            fracs.append(f)
    symbols = ["Cu", "Cu", "Ni", "Ni", "Pd", "Pd"]
    rng.shuffle(symbols)
    return ase.Atoms(symbols, scaled_positions=np.array(fracs), cell=cell, pbc=True)


def make_s2(seed=12345):
    """2x2x2 fcc conventional cell (a = 3.61, 32 atoms), random Cu/Ni/Pd,
    rattled by 0.1 A (positions are NOT wrapped back in the cell)."""
    atoms = ase.build.bulk("Cu", "fcc", a=3.61, cubic=True).repeat((2, 2, 2))
    rng = np.random.default_rng(seed)
    atoms.set_chemical_symbols(list(rng.choice(["Cu", "Ni", "Pd"], size=len(atoms))))
    atoms.rattle(stdev=0.1, seed=seed)
    return atoms


def make_s3(seed=6):
    """Non-periodic 5 atoms Cu/Ni cluster without cell. The seed is chosen so
    that some pairs are in the smoothing region (4.0-4.5 A) and one pair is
    beyond the cutoff."""
    rng = np.random.default_rng(seed)
    pos = []
    while len(pos) < 5:
        p = rng.random(3) * 4.3
        if all(np.linalg.norm(p - q) >= 1.8 for q in pos):
            pos.append(p)
    return ase.Atoms(["Cu", "Ni", "Cu", "Ni", "Cu"], positions=np.array(pos), pbc=False)


STRUCTURES = {"S1": make_s1, "S2": make_s2, "S3": make_s3}


# ---------------------------------------------------------------------------
# hyper-parameters
# ---------------------------------------------------------------------------
def hypers(set_name, spline=True):
    h = {
        "cutoff": {"radius": 4.5, "smoothing": {"type": "ShiftedCosine", "width": 0.5}},
        "density": {"type": "Gaussian", "width": 0.3},
        "basis": {"type": "TensorProduct", "max_angular": 4,
                  "radial": {"type": "Gto", "max_radial": 5}},
    }
    if set_name == "B":
        h["density"]["scaling"] = {"type": "Willatt2018", "scale": 2.0, "rate": 1.0, "exponent": 4}
    if not spline:
        h["basis"]["spline_accuracy"] = None
    return h


# ---------------------------------------------------------------------------
# featomic helpers
# ---------------------------------------------------------------------------
def _atom_order(block, n_atoms):
    atoms_idx = np.asarray(block.samples["atom"])
    order = np.argsort(atoms_idx, kind="stable")
    assert (atoms_idx[order] == np.arange(n_atoms)).all(), "expected one row per atom"
    # inverse permutation: merged-block row -> atom index
    return order, atoms_idx


def power_spectrum(atoms, h, periodic, full_gradients, W=None):
    calc = featomic.SoapPowerSpectrum(**h)
    grads = ["positions", "cell", "strain"] if periodic else ["positions"]
    ps = calc.compute(atoms, gradients=grads)
    ps = ps.keys_to_samples("center_type")
    ps = ps.keys_to_properties(["neighbor_1_type", "neighbor_2_type"])
    assert len(ps.keys) == 1
    block = ps.block()
    assert list(block.properties.names) == ["neighbor_1_type", "neighbor_2_type", "l", "n_1", "n_2"]
    properties = [[int(x) for x in p] for p in block.properties.values]
    order, row_atom = _atom_order(block, len(atoms))
    values = np.asarray(block.values)[order]

    if W is None:
        W = np.random.default_rng(101).standard_normal(len(properties))

    g = block.gradient("positions")
    gsamples = np.asarray(g.samples.values)            # (sample, system, atom)
    gvalues = np.asarray(g.values)                     # (rows, 3, nprop)
    G = np.zeros((len(atoms), 3))
    np.add.at(G, gsamples[:, 2], gvalues @ W)
    res = {"values": values, "positions_grad_W": G}

    for param in ["cell", "strain"]:
        if periodic:
            gc = block.gradient(param)
            res[param + "_grad_W"] = np.einsum("sabq,q->ab", np.asarray(gc.values), W)
        else:
            res[param + "_grad_W"] = None

    if full_gradients:
        full = np.zeros((len(atoms), len(atoms), 3, len(properties)))
        for row, (s, _, k) in enumerate(gsamples):
            full[row_atom[s], k] += gvalues[row]
        res["positions_grad_full"] = full
    return properties, W, res


def spherical_expansion(atoms, h, periodic, W=None):
    calc = featomic.SphericalExpansion(**h)
    grads = ["positions", "cell", "strain"] if periodic else ["positions"]
    se = calc.compute(atoms, gradients=grads)
    se = se.keys_to_properties("neighbor_type")
    se = se.keys_to_samples("center_type")
    assert list(se.keys.names) == ["o3_lambda", "o3_sigma"]
    L = h["basis"]["max_angular"]
    assert [tuple(int(x) for x in k) for k in se.keys.values] == [(l, 1) for l in range(L + 1)]

    properties = None
    values = []
    G = np.zeros((len(atoms), 3))
    C = {"cell": np.zeros((3, 3)), "strain": np.zeros((3, 3))}
    make_W = W is None
    if make_W:
        rng = np.random.default_rng(202)
        W = []
    for l in range(L + 1):
        block = se.block(se.keys.position([l, 1]))
        assert list(block.properties.names) == ["neighbor_type", "n"]
        props = [[int(x) for x in p] for p in block.properties.values]
        if properties is None:
            properties = props
        assert props == properties
        assert [int(m) for m in block.components[0].values[:, 0]] == list(range(-l, l + 1))
        order, _ = _atom_order(block, len(atoms))
        values.append(np.asarray(block.values)[order])
        if make_W:
            W.append(rng.standard_normal((2 * l + 1, len(props))))
        g = block.gradient("positions")
        np.add.at(G, np.asarray(g.samples.values)[:, 2],
                  np.einsum("rxmq,mq->rx", np.asarray(g.values), W[l]))
        if periodic:
            for param in ["cell", "strain"]:
                gc = block.gradient(param)
                C[param] += np.einsum("sabmq,mq->ab", np.asarray(gc.values), W[l])
    res = {
        "values": values,
        "positions_grad_W": G,
        "cell_grad_W": C["cell"] if periodic else None,
        "strain_grad_W": C["strain"] if periodic else None,
    }
    return properties, W, res


# ---------------------------------------------------------------------------
# compact JSON with 17 significant digits
# ---------------------------------------------------------------------------
class RawJSON:
    """already-serialised JSON (used for hyper-parameters, to keep 0.3 as 0.3)"""

    def __init__(self, obj):
        self.text = json.dumps(obj, separators=(",", ":"))


def to_json(obj):
    if isinstance(obj, RawJSON):
        return obj.text
    if obj is None:
        return "null"
    if isinstance(obj, (bool, np.bool_)):
        return "true" if obj else "false"
    if isinstance(obj, (int, np.integer)):
        return str(int(obj))
    if isinstance(obj, (float, np.floating)):
        x = float(obj)
        assert np.isfinite(x)
        return "%.17g" % x
    if isinstance(obj, str):
        return json.dumps(obj)
    if isinstance(obj, np.ndarray):
        return to_json(obj.tolist())
    if isinstance(obj, dict):
        return "{" + ",".join(json.dumps(str(k)) + ":" + to_json(v) for k, v in obj.items()) + "}"
    if isinstance(obj, (list, tuple)):
        return "[" + ",".join(to_json(v) for v in obj) + "]"
    raise TypeError(type(obj))


LAYOUT_PS = (
    "ps = SoapPowerSpectrum(**hypers).compute(atoms, gradients=[...]); "
    "ps = ps.keys_to_samples('center_type'); "
    "ps = ps.keys_to_properties(['neighbor_1_type', 'neighbor_2_type']); "
    "single block, rows sorted by atom index: values[atom][q], "
    "properties[q] = (neighbor_1_type, neighbor_2_type, l, n_1, n_2). "
    "positions_grad_W[k][x] = d(sum_atoms sum_q W[q] values[atom][q]) / d positions[k][x]; "
    "cell_grad_W[a][b] = d(same)/d cell[a][b] at fixed Cartesian positions (cell rows = lattice vectors); "
    "strain_grad_W[a][b] = d(same)/d eps[a][b], positions -> positions @ (1+eps), cell -> cell @ (1+eps). "
    "positions_grad_full[i][k][x][q] = d values[i][q] / d positions[k][x] (S3 only)."
)
LAYOUT_SE = (
    "se = SphericalExpansion(**hypers).compute(atoms, gradients=[...]); "
    "se = se.keys_to_properties('neighbor_type'); se = se.keys_to_samples('center_type'); "
    "one block per l = o3_lambda = 0..max_angular, rows sorted by atom index: "
    "values[l][atom][m + l][q], m = -l..l, properties[q] = (neighbor_type, n). "
    "W[l][m + l][q]; *_grad_W as for the power spectrum with "
    "E = sum_l sum_atom sum_m sum_q W[l][m+l][q] values[l][atom][m+l][q]."
)


def main():
    os.makedirs(OUT_DIR, exist_ok=True)
    versions = {p: importlib.metadata.version(p) for p in
                ["featomic", "metatensor-core", "metatensor-operations", "ase", "numpy"]}
    for sname, make in STRUCTURES.items():
        atoms = make()
        periodic = bool(atoms.pbc.any())
        for set_name in ["A", "B"]:
            data = {
                "description": f"featomic SOAP reference data, structure {sname}, hyper-parameter set {set_name}",
                "versions": versions,
                "hypers": RawJSON(hypers(set_name)),
                "hypers_no_spline": RawJSON(hypers(set_name, spline=False)),
                "structure": {
                    "name": sname,
                    "symbols": atoms.get_chemical_symbols(),
                    "numbers": atoms.numbers,
                    "positions": atoms.positions,
                    "cell": np.array(atoms.cell),
                    "pbc": [bool(x) for x in atoms.pbc],
                },
            }
            full = sname == "S3"
            ps = {"layout": LAYOUT_PS}
            props, W, res = power_spectrum(atoms, hypers(set_name), periodic, full)
            props2, _, res_ns = power_spectrum(atoms, hypers(set_name, False), periodic, full, W)
            assert props == props2
            ps.update({"property_names": ["neighbor_1_type", "neighbor_2_type", "l", "n_1", "n_2"],
                       "properties": props, "W": W, "default": res, "no_spline": res_ns})
            data["power_spectrum"] = ps

            se = {"layout": LAYOUT_SE}
            props, W, res = spherical_expansion(atoms, hypers(set_name), periodic)
            props2, _, res_ns = spherical_expansion(atoms, hypers(set_name, False), periodic, W)
            assert props == props2
            se.update({"property_names": ["neighbor_type", "n"], "properties": props,
                       "W": W, "default": res, "no_spline": res_ns})
            data["spherical_expansion"] = se

            path = os.path.join(OUT_DIR, f"{sname}_{set_name}.json")
            text = to_json(data)
            with open(path, "w") as fd:
                fd.write(text)
            # sanity: the file parses back
            json.loads(text)
            print(f"wrote {path} ({len(text) / 1e6:.2f} MB), "
                  f"{len(ps['properties'])} PS properties, {len(se['properties'])} SE properties per (l, m)")


if __name__ == "__main__":
    main()
