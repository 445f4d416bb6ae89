#!/usr/bin/env python3
"""
Reference values and gradients of the nu = 3 (bispectrum) rotational invariants built
from featomic 0.6.7's SphericalExpansion coefficients (exact, no-spline radial integral).

    python3 gen_bispectrum.py      # writes S1.json, S2.json, S3.json next to this file

Deterministic (structures read from ../featomic/*.json, fixed seeds). See README.md.

Definition (per centre i):
    B_i(l1,l2,l3; a1,a2,a3) = sum_{m1 m2 m3} W^{l1 l2 l3}_{m1 m2 m3}
                              c_i[l1][a1][m1] c_i[l2][a2][m2] c_i[l3][a3][m3]
    c_i[l][a][m]: SphericalExpansion coefficient, block o3_lambda = l, slot
        a = J * (max_radial + 1) + n, J = index of the neighbour type in the structure's
        species sorted by atomic number, m = -l..l.
    W_{m1 m2 m3} = sum_{mu} U^{l1}_{m1 mu1} U^{l2}_{m2 mu2} U^{l3}_{m3 mu3} (l1 l2 l3; mu1 mu2 mu3)
        (Wigner 3j from sympy, U^l: complex -> real harmonics, Y^real_m = sum_mu U_{m mu} Y_mu,
        featomic's (= Wikipedia's) real form, checked numerically below.)
    Kept: l1 <= l2 <= l3 <= max_angular, triangle, l1 + l2 + l3 even; blocks in lexicographic
    order; a1 outer, a2, a3 inner; a1 <= a2 if l1 == l2, a2 <= a3 if l2 == l3.
Gradients of E = sum_i sum_q weights[q] B_i[q] by the chain rule from featomic's
coefficient gradients (conventions of ../featomic/gen_refs.py).
"""
import importlib.metadata
import json
import os

import numpy as np
import sympy
from sympy.physics.wigner import wigner_3j

import ase
import featomic

HERE = os.path.dirname(os.path.abspath(__file__))
FEATOMIC_REFS = os.path.join(HERE, "..", "featomic")
SOURCES = {"S1": "S1_A.json", "S2": "S2_A.json", "S3": "S3_B.json"}

HYPERS = {
    "cutoff": {"radius": 4.5, "smoothing": {"type": "ShiftedCosine", "width": 0.5}},
    "density": {"type": "Gaussian", "width": 0.3},
    "basis": {"type": "TensorProduct", "max_angular": 3,
              "radial": {"type": "Gto", "max_radial": 2}, "spline_accuracy": None},
}
LMAX = HYPERS["basis"]["max_angular"]
NRAD = HYPERS["basis"]["radial"]["max_radial"] + 1
FD_STEP = 1e-5


# ---------------------------------------------------------------------------
# real <-> complex spherical harmonics, Wigner 3j in the real basis
# ---------------------------------------------------------------------------
def u_matrix(l):
    """U[m + l, mu + l]: Y^real_{l m} = sum_mu U_{m mu} Y_{l mu} (complex Y with the
    Condon-Shortley phase); Wikipedia 'Real form', the convention stated in featomic's
    featomic/src/math/spherical_harmonics.rs and used by featomic.clebsch_gordan
    (_complex2real)."""
    U = np.zeros((2 * l + 1, 2 * l + 1), dtype=complex)
    s = 1 / np.sqrt(2)
    for m in range(-l, l + 1):
        if m < 0:
            U[m + l, m + l] = 1j * s
            U[m + l, -m + l] = -1j * s * (-1) ** m
        elif m == 0:
            U[l, l] = 1
        else:
            U[m + l, -m + l] = s
            U[m + l, m + l] = s * (-1) ** m
    assert np.allclose(U @ U.conj().T, np.eye(2 * l + 1), atol=1e-15)
    return U


def real_w3j(l1, l2, l3):
    T = np.zeros((2 * l1 + 1, 2 * l2 + 1, 2 * l3 + 1))
    for m1 in range(-l1, l1 + 1):
        for m2 in range(-l2, l2 + 1):
            m3 = -m1 - m2
            if abs(m3) <= l3:
                T[m1 + l1, m2 + l2, m3 + l3] = float(wigner_3j(l1, l2, l3, m1, m2, m3))
    W = np.einsum("ai,bj,ck,ijk->abc", u_matrix(l1), u_matrix(l2), u_matrix(l3), T)
    assert np.abs(W.imag).max() < 1e-14, (l1, l2, l3, np.abs(W.imag).max())
    return W.real.copy()


TRIPLES = [(l1, l2, l3)
           for l1 in range(LMAX + 1) for l2 in range(l1, LMAX + 1) for l3 in range(l2, LMAX + 1)
           if l3 <= l1 + l2 and (l1 + l2 + l3) % 2 == 0]
W3J = {t: real_w3j(*t) for t in TRIPLES}


def feature_list(n_slots):
    """[(l1, l2, l3, a1, a2, a3)] in the stored order"""
    out = []
    for (l1, l2, l3) in TRIPLES:
        for a1 in range(n_slots):
            for a2 in range(n_slots):
                if l1 == l2 and a1 > a2:
                    continue
                for a3 in range(n_slots):
                    if l2 == l3 and a2 > a3:
                        continue
                    out.append((l1, l2, l3, a1, a2, a3))
    return out


# ---------------------------------------------------------------------------
# featomic spherical expansion -> c[l] (N, 2l+1, n_slots) and its gradients
# ---------------------------------------------------------------------------
def spherical_expansion(atoms, types, gradients):
    calc = featomic.SphericalExpansion(**HYPERS)
    se = calc.compute(atoms, gradients=gradients)
    se = se.keys_to_properties("neighbor_type")
    se = se.keys_to_samples("center_type")
    assert list(se.keys.names) == ["o3_lambda", "o3_sigma"]
    assert [tuple(int(x) for x in k) for k in se.keys.values] == [(l, 1) for l in range(LMAX + 1)]
    n_atoms, n_slots = len(atoms), len(types) * NRAD
    out = []
    for l in range(LMAX + 1):
        block = se.block(se.keys.position([l, 1]))
        assert list(block.properties.names) == ["neighbor_type", "n"]
        assert [int(m) for m in block.components[0].values[:, 0]] == list(range(-l, l + 1))
        slot = np.array([types.index(int(t)) * NRAD + int(n) for t, n in block.properties.values])
        row_atom = np.asarray(block.samples["atom"])
        assert sorted(row_atom.tolist()) == list(range(n_atoms)), "expected one row per atom"
        c = np.zeros((n_atoms, 2 * l + 1, n_slots))
        c[np.ix_(row_atom, np.arange(2 * l + 1), slot)] = np.asarray(block.values)
        entry = {"c": c, "slot": slot, "row_atom": row_atom}
        if "positions" in gradients:
            g = block.gradient("positions")
            assert list(g.samples.names) == ["sample", "system", "atom"]
            entry["pos"] = (np.asarray(g.samples.values), np.asarray(g.values))  # (rows, 3, m, q)
        if "cell" in gradients:
            g = block.gradient("cell")
            entry["cell"] = (np.asarray(g.samples["sample"]), np.asarray(g.values))  # (rows, 3, 3, m, q)
        out.append(entry)
    return out


def bispectrum(c, feats_by_block):
    """c: list over l of (N, 2l+1, S). Returns (N, n_features)."""
    cols = []
    for t in TRIPLES:
        l1, l2, l3 = t
        B = np.einsum("xyz,ixa,iyb,izc->iabc", W3J[t], c[l1], c[l2], c[l3], optimize=True)
        idx = feats_by_block[t]
        cols.append(B[:, idx[:, 0], idx[:, 1], idx[:, 2]])
    return np.concatenate(cols, axis=1)


def energy_derivative(c, feats_by_block, offsets, weights, n_slots):
    """D[l] = dE/dc[l], E = sum_i sum_q weights[q] B_i[q]"""
    D = [np.zeros_like(x) for x in c]
    for t in TRIPLES:
        l1, l2, l3 = t
        idx = feats_by_block[t]
        Wt = np.zeros((n_slots,) * 3)
        Wt[idx[:, 0], idx[:, 1], idx[:, 2]] = weights[offsets[t]:offsets[t] + len(idx)]
        w = W3J[t]
        D[l1] += np.einsum("xyz,iyb,izc,abc->ixa", w, c[l2], c[l3], Wt, optimize=True)
        D[l2] += np.einsum("xyz,ixa,izc,abc->iyb", w, c[l1], c[l3], Wt, optimize=True)
        D[l3] += np.einsum("xyz,ixa,iyb,abc->izc", w, c[l1], c[l2], Wt, optimize=True)
    return D


def chain_rule(se, D, n_atoms, periodic):
    G = np.zeros((n_atoms, 3))
    C = np.zeros((3, 3))
    for l, e in enumerate(se):
        Dq = D[l][:, :, e["slot"]]                       # (atom, m, featomic property)
        gs, gv = e["pos"]
        centre = e["row_atom"][gs[:, 0]]
        np.add.at(G, gs[:, 2], np.einsum("rxmq,rmq->rx", gv, Dq[centre]))
        if periodic:
            cs, cv = e["cell"]
            C += np.einsum("sabmq,smq->ab", cv, Dq[e["row_atom"][cs]])
    return G, C


# ---------------------------------------------------------------------------
# checks
# ---------------------------------------------------------------------------
def check_real_harmonics_convention():
    """featomic's l-block for a single neighbour is R_nl(r) * Y^real_l(r_hat): compare
    its m-dependence with U @ Y^complex (sympy Ynm, Condon-Shortley phase)."""
    d = np.array([0.8, -1.1, 1.7])
    atoms = ase.Atoms(["Cu", "Cu"], positions=[[0, 0, 0], d], pbc=False)
    se = featomic.SphericalExpansion(**HYPERS).compute(atoms)
    se = se.keys_to_properties("neighbor_type").keys_to_samples("center_type")
    r = np.linalg.norm(d)
    theta, phi = np.arccos(d[2] / r), np.arctan2(d[1], d[0])
    worst = 0.0
    for l in range(LMAX + 1):
        yc = np.array([complex(sympy.Ynm(l, mu, theta, phi).expand(func=True).evalf(30))
                       for mu in range(-l, l + 1)])
        yr = u_matrix(l) @ yc
        assert np.abs(yr.imag).max() < 1e-14
        yr = yr.real
        block = se.block(se.keys.position([l, 1]))
        row = list(np.asarray(block.samples["atom"])).index(0)
        v = np.asarray(block.values)[row]               # (m, q)
        for q in range(v.shape[1]):
            scale = v[:, q] @ yr / (yr @ yr)
            worst = max(worst, np.abs(v[:, q] - scale * yr).max() / np.abs(v[:, q]).max())
    assert worst < 1e-12, worst
    return worst


def check_density_correlations(atoms, types, c):
    """Cross-check against featomic.clebsch_gordan.DensityCorrelations (n_correlations = 2,
    lambda = 0, sigma = +1): per (l1, l2, l3) block, ratio featomic / ours over all full
    (undeduplicated) slot triples with |ours| > 1e-6 max|ours|."""
    from featomic.clebsch_gordan import DensityCorrelations
    from metatensor import Labels
    se = featomic.SphericalExpansion(**HYPERS).compute(atoms)
    se = se.keys_to_properties("neighbor_type").keys_to_samples("center_type")
    dc = DensityCorrelations(n_correlations=2, max_angular=2 * LMAX)
    out = dc.compute(se, selected_keys=Labels(["o3_lambda", "o3_sigma"],
                                              np.array([[0, 1]], dtype=np.int32)))
    assert list(out.keys.names) == ["o3_lambda", "o3_sigma", "l_1", "l_2", "k_2", "l_3"]
    result = {}
    for key, blk in out.items():
        _, _, l1, l2, k2, l3 = (int(x) for x in key.values)
        assert k2 == l3
        t = (l1, l2, l3)
        B = np.einsum("xyz,ixa,iyb,izc->iabc", W3J[t], c[l1], c[l2], c[l3])
        assert list(blk.properties.names) == ["neighbor_1_type", "n_1", "neighbor_2_type", "n_2",
                                              "neighbor_3_type", "n_3"]
        p = np.asarray(blk.properties.values)
        a = [np.array([types.index(int(z)) * NRAD + int(n) for z, n in p[:, 2 * j:2 * j + 2]])
             for j in range(3)]
        mine = B[np.asarray(blk.samples["atom"])][:, a[0], a[1], a[2]]
        theirs = np.asarray(blk.values)[:, 0, :]
        mask = np.abs(mine) > 1e-6 * np.abs(mine).max()
        r = theirs[mask] / mine[mask]
        result[t] = (float(r.min()), float(r.max()), float(np.abs(theirs - mine).max()))
    assert sorted(result) == TRIPLES, sorted(result)
    return result


def random_rotation(rng):
    q, r = np.linalg.qr(rng.standard_normal((3, 3)))
    q = q @ np.diag(np.sign(np.diag(r)))
    if np.linalg.det(q) < 0:
        q[:, 0] *= -1
    return q


# ---------------------------------------------------------------------------
def load_structure(name):
    with open(os.path.join(FEATOMIC_REFS, SOURCES[name])) as fd:
        s = json.load(fd)["structure"]
    atoms = ase.Atoms(s["symbols"], positions=np.array(s["positions"]),
                      cell=np.array(s["cell"]), pbc=s["pbc"])
    return atoms, s


def main():
    versions = {p: importlib.metadata.version(p) for p in
                ["featomic", "metatensor-core", "metatensor-operations", "ase", "numpy", "sympy"]}
    sh_dev = check_real_harmonics_convention()
    print(f"real-harmonics convention check: max relative deviation {sh_dev:.2e}")
    report = {"real_harmonics_check": sh_dev}

    for name in ["S1", "S2", "S3"]:
        atoms, s = load_structure(name)
        periodic = bool(atoms.pbc.any())
        types = sorted(set(int(z) for z in atoms.numbers))
        n_slots = len(types) * NRAD
        feats = feature_list(n_slots)
        feats_by_block, offsets, k = {}, {}, 0
        for t in TRIPLES:
            idx = np.array([f[3:] for f in feats if f[:3] == t])
            feats_by_block[t], offsets[t] = idx, k
            k += len(idx)
        assert k == len(feats)
        weights = np.random.default_rng(0).standard_normal(len(feats))

        grads = ["positions", "cell"] if periodic else ["positions"]
        se = spherical_expansion(atoms, types, grads)
        c = [e["c"] for e in se]
        values = bispectrum(c, feats_by_block)
        D = energy_derivative(c, feats_by_block, offsets, weights, n_slots)
        G, C = chain_rule(se, D, len(atoms), periodic)

        def energy(a):
            cc = [e["c"] for e in spherical_expansion(a, types, [])]
            return float(np.sum(bispectrum(cc, feats_by_block) @ weights))

        # finite differences
        Gfd = np.zeros_like(G)
        for i in range(len(atoms)):
            for x in range(3):
                e = []
                for sgn in (1, -1):
                    a = atoms.copy()
                    p = a.get_positions()
                    p[i, x] += sgn * FD_STEP
                    a.set_positions(p)
                    e.append(energy(a))
                Gfd[i, x] = (e[0] - e[1]) / (2 * FD_STEP)
        fd = {"positions_max_abs": float(np.abs(G - Gfd).max()),
              "positions_max_rel": float(np.abs(G - Gfd).max() / np.abs(G).max())}
        if periodic:
            Cfd = np.zeros((3, 3))
            for a_ in range(3):
                for b_ in range(3):
                    e = []
                    for sgn in (1, -1):
                        a = atoms.copy()
                        H = np.array(a.cell)
                        H[a_, b_] += sgn * FD_STEP
                        a.set_cell(H, scale_atoms=False)
                        e.append(energy(a))
                    Cfd[a_, b_] = (e[0] - e[1]) / (2 * FD_STEP)
            fd["cell_max_abs"] = float(np.abs(C - Cfd).max())
            fd["cell_max_rel"] = float(np.abs(C - Cfd).max() / np.abs(C).max())
        print(name, f"{len(feats)} features, max|B| = {np.abs(values).max():.3e}, FD:", fd)
        rep = {"n_features": len(feats), "max_abs_value": float(np.abs(values).max()), "fd": fd}

        # rotational invariance (non-periodic structure only)
        if not periodic:
            R = random_rotation(np.random.default_rng(1))
            for label, M in [("proper", R), ("improper", -R)]:
                a = atoms.copy()
                a.set_positions(atoms.get_positions() @ M.T)
                vr = bispectrum([e["c"] for e in spherical_expansion(a, types, [])], feats_by_block)
                dev = float(np.abs(vr - values).max() / np.abs(values).max())
                big = np.abs(values) > 1e-6 * np.abs(values).max()
                dev_el = float((np.abs(vr - values)[big] / np.abs(values)[big]).max())
                print(f"  invariance ({label}, det {np.linalg.det(M):+.0f}): max |dB| / max |B| = "
                      f"{dev:.2e}, max |dB / B| (|B| > 1e-6 max) = {dev_el:.2e}")
                rep["invariance_" + label] = (dev, dev_el)
            dc = check_density_correlations(atoms, types, c)
            for t, (rmin, rmax, dmax) in dc.items():
                print(f"  DensityCorrelations / ours, block {t}: ratio in [{rmin:.15f}, {rmax:.15f}], "
                      f"max abs diff {dmax:.1e}")
            rep["density_correlations"] = dc
        report[name] = rep

        data = {
            "description": f"nu=3 (bispectrum) invariants from featomic SphericalExpansion, structure {name} "
                           f"(from ../featomic/{SOURCES[name]}); see README.md",
            "versions": versions,
            "hypers": HYPERS,
            "structure": {"name": name, "symbols": s["symbols"], "numbers": [int(z) for z in atoms.numbers],
                          "positions": s["positions"], "cell": s["cell"], "pbc": s["pbc"]},
            "neighbor_types": types,
            "layout": "values[atom][q]; properties[q] = [l1, l2, l3, t1, n1, t2, n2, t3, n3] "
                      "(t = atomic number); weights[q]; positions_grad[k][x] = dE/d positions[k][x], "
                      "cell_grad[a][b] = dE/d cell[a][b] at fixed Cartesian positions (cell rows = "
                      "lattice vectors), E = sum_atom sum_q weights[q] values[atom][q]; cell_grad null "
                      "for non-periodic structures",
            "property_names": ["l1", "l2", "l3", "t1", "n1", "t2", "n2", "t3", "n3"],
            "properties": [[l1, l2, l3, types[a1 // NRAD], a1 % NRAD, types[a2 // NRAD], a2 % NRAD,
                            types[a3 // NRAD], a3 % NRAD] for (l1, l2, l3, a1, a2, a3) in feats],
            "weights": weights.tolist(),
            "values": values.tolist(),
            "positions_grad": G.tolist(),
            "cell_grad": C.tolist() if periodic else None,
        }
        text = json.dumps(data, separators=(",", ":"))
        with open(os.path.join(HERE, f"{name}.json"), "w") as fd_:
            fd_.write(text)
        back = json.loads(text)
        assert np.array_equal(np.array(back["values"]), values)
        print(f"  wrote {name}.json ({len(text) / 1e6:.2f} MB)")
    return report


if __name__ == "__main__":
    main()
