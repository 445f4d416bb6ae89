"""best.torch (HEA25, alchemical-learning@alchemy-paper) -> a Crucible model file (hea25_published.json),
and optionally a JSON with every tensor named by its role in Crucible's feature order (docs/features.md),
with a self-check: the model re-evaluated in Crucible's form from the converted tensors must equal
hea25_numpy.py's original-form energies (frames 0-9 of the cookbook's test_data.xyz).

usage: python convert_hea25.py [orig/best.torch] [orig/parameters.json] [-o hea25_published.json] [--roles FILE]
(orig/: see README.md for how to extract the published files from the COSMO cookbook commit.)"""
import argparse, json, os
import numpy as np
import ase, ase.io, featomic
from torchless_load import load_state_dict
from hea25_numpy import HEA25, featomic_hypers

SYMBOLS = ase.data.chemical_symbols


def crucible_ps_fold(w_orig, nl, d):
    """Fold weights on the original power spectrum q[l][(s1 n1),(s2 n2)] (all ordered pseudo-species pairs,
    1/sqrt(2l+1), no sqrt2, no (-1)^l; l-major) onto Crucible's p[J1<=J2][l][n1][n2] = s (-1)^l q.
    Works for any leading axes of w_orig (last axis = original features)."""
    lead = w_orig.shape[:-1]
    offs = np.cumsum([0] + [(d * n) ** 2 for n in nl])
    per_pair = sum(n * n for n in nl)
    pairs = [(a, b) for a in range(d) for b in range(a, d)]
    out = np.zeros(lead + (len(pairs) * per_pair,))
    for k, (a, b) in enumerate(pairs):
        o = k * per_pair
        for l, n in enumerate(nl):
            W = w_orig[..., offs[l]:offs[l + 1]].reshape(lead + (d, n, d, n))
            blk = W[..., a, :, b, :] + (W[..., b, :, a, :].swapaxes(-1, -2) if a != b else 0)
            s = 1.0 if a == b else np.sqrt(2.0)
            out[..., o:o + n * n] = (((-1) ** l) / s * blk).reshape(lead + (n * n,))
            o += n * n
    return out


def radial_self_term(hrs, species):
    """c_centre[n] of the pair term's density (centre_atom_weight x I_n0(0) Y00): featomic on a lone atom."""
    calc = featomic.SphericalExpansion(**hrs)
    at = ase.Atoms(numbers=[species[0]], positions=[[0, 0, 0]], cell=[30, 30, 30], pbc=False)
    out = calc.compute(at)
    return np.asarray(out.block(0).values[0, 0, :])


def params_smoothing_equal(params_path):
    p = json.load(open(params_path))
    return p["hypers_ps"]["cutoff_function"] == p["hypers_rs"]["cutoff_function"] and \
        p["hypers_ps"]["radial_scaling"] == p["hypers_rs"]["radial_scaling"]


def convert(state_path, params_path):
    params = json.load(open(params_path))
    sd = load_state_dict(state_path)
    Z = list(params["species"]); S = len(Z)
    ps, rs = params["hypers_ps"], params["hypers_rs"]
    nl = [int(ps["radial_per_angular"][str(l)]) for l in range(ps["max_angular"] + 1)]
    nrs = int(rs["max_radial"])
    U = sd["power_spectrum.combiner.combining_matrix"][0]; d = U.shape[1]
    assert sd["power_spectrum.combiner.combining_matrix"].shape[0] == 1, "l-dependent pseudo-species not handled"
    w_comp = sd["composition_model.weights"][:, 0]
    W_rs = sd["radial_spectrum_model.weights"][:, 0].reshape(S, S, nrs)
    w_ps = sd["power_spectrum_model.weights"][:, 0]
    (W0, b0), (W1, b1), (W2, b2) = [(sd[f"nn_model.nn.{k}.weight"], sd[f"nn_model.nn.{k}.bias"]) for k in (0, 2, 4)]
    hps, hrs = featomic_hypers(params)
    self_rs = radial_self_term(hrs, Z)                                   # (nrs,)
    pair_centre_const = np.array([W_rs[a, a] @ self_rs for a in range(S)])  # per centre element, eV
    w_ps_c = crucible_ps_fold(w_ps, nl, d)
    W0_c = crucible_ps_fold(W0, nl, d)
    offsets = w_comp + b2[0] + pair_centre_const
    scaling = lambda h: {"scale": h["radial_scaling"]["Willatt2018"]["scale"], "rate": h["radial_scaling"]["Willatt2018"]["rate"],
                         "exponent": h["radial_scaling"]["Willatt2018"]["exponent"]}
    settings = {"cutoff": float(ps["cutoff"]), "smoothingWidth": ps["cutoff_function"]["ShiftedCosine"]["width"],
                "gaussianWidth": ps["atomic_gaussian_width"], "radialCounts": nl, "radialScaling": scaling(ps),
                "centerWeight": ps["center_atom_weight"]}
    roles = {
        "source": {"state": os.path.basename(state_path), "code": "github.com/Luthaf/alchemical-learning@alchemy-paper",
                   "paper": "Lopanitsyna et al., Phys. Rev. Materials 7, 045802 (2023)"},
        "units": "eV, Angstrom",
        "species": [SYMBOLS[z] for z in Z], "atomic_numbers": Z,
        "density_main": settings | {"featomic_hypers": hps},
        "density_pair": {"cutoff": float(rs["cutoff"]), "smoothingWidth": rs["cutoff_function"]["ShiftedCosine"]["width"],
                         "gaussianWidth": rs["atomic_gaussian_width"], "radialCount": nrs, "radialScaling": scaling(rs),
                         "centerWeight_original": rs["center_atom_weight"], "featomic_hypers": hrs},
        "pseudo_species_matrix_u": {"shape": [d, S], "doc": "u[J][a]: channel J = sum_a u[J][a] c_a (shared by every l)",
                                    "values": U.T.tolist()},
        "offsets": {"doc": "eV per atom of each element = composition weight + NN output bias + pair term's centre-density "
                           "constant W_rs[a][a][:] . c_centre (Crucible's pair term has no centre contribution)",
                    "values": offsets.tolist(),
                    "parts": {"composition_weights": w_comp.tolist(), "nn_output_bias": float(b2[0]),
                              "pair_centre_constant": pair_centre_const.tolist(), "pair_centre_density_c_n": self_rs.tolist()}},
        "pair_weights": {"doc": "per centre element: (neighbour element major, n) weights on the l=0 expansion of the pair density "
                                "(cutoff 6, sigma 0.25, 12 GTOs), centre contribution excluded (moved to offsets)",
                         "shape": [S, S * nrs], "values": W_rs.reshape(S, S * nrs).tolist()},
        "power_spectrum_weights": {"doc": "shared by all centre elements; Crucible order (J1<=J2, l, n1, n2), featomic "
                                          "normalisation (sqrt2 for J1!=J2, (-1)^l/sqrt(2l+1))",
                                   "count": int(w_ps_c.size), "values": w_ps_c.tolist()},
        "network": {"doc": "y = W2 tanh(W1 tanh(W0 p + b0) + b1) (+ b2, moved to offsets); p = the Crucible-order power spectrum "
                           "(raw, no standardisation, no element input); shared by all centre elements",
                    "activation": "tanh", "hidden": [int(W0.shape[0]), int(W1.shape[0])], "inputs": int(W0_c.shape[1]),
                    "W0": W0_c.tolist(), "b0": b0.tolist(), "W1": W1.tolist(), "b1": b1.tolist(), "W2": W2[0].tolist(),
                    "b2_in_offsets": float(b2[0])},
    }
    # The Crucible model file (docs/potential-ml.md, "Model file"; version 2: pair.cutoff, network.input, second layer).
    draft = {"format": "crucible-ml-model", "version": 2, "units": "eV, Angstrom",
             "model": {"settings": settings, "species": roles["species"], "pseudoelements": U.T.tolist(),
                       "offsets": offsets.tolist(), "weights": [w_ps_c.tolist()] * S,
                       "pair": {"radialCount": nrs, "gaussianWidth": rs["atomic_gaussian_width"],
                                "cutoff": float(rs["cutoff"]), "weights": roles["pair_weights"]["values"]},
                       "network": {"input": "power-spectrum", "hidden": int(W0.shape[0]), "inputs": int(W0_c.shape[1]), "elements": S,
                                   "shift": [0.0] * W0_c.shape[1], "scale": [1.0] * W0_c.shape[1],
                                   "inputWeights": np.hstack([W0_c, np.zeros((W0.shape[0], S))]).ravel().tolist(),
                                   "hiddenBias": b0.tolist(),
                                   "secondLayerWeights": W1.ravel().tolist(), "secondLayerBias": b1.tolist(),
                                   "outputWeights": W2[0].tolist()}},
             "training": {"source": "the published HEA25 model (Lopanitsyna et al., Phys. Rev. Materials 7, 045802 (2023)): "
                                    "COSMO_cookbook@66b6b114 examples/alchemical-example/reference_data/potential/best.torch "
                                    "(MIT licence), converted by Inputs/ml/hea25/published/convert_hea25.py",
                          "published_errors": "~9.7 meV/atom and 180 meV/A MAE on its own test set (23,000 energies, 2,000 force structures in training)"}}
    return roles, draft


def crucible_form_energy(roles, frame, forces=False):
    """Evaluate E = sum_i [eps(a_i) + w . p_i + v(a_i) . r_i + NN2(p_i)] from the converted tensors only,
    with featomic computing p in Crucible/featomic order from the u-mixed expansion (incl. centre term) and r
    from the pair density without centre term. Energies only (forces: finite differences if asked)."""
    Zs = roles["atomic_numbers"]; idx = {z: k for k, z in enumerate(Zs)}; S = len(Zs)
    u = np.array(roles["pseudo_species_matrix_u"]["values"]); d = u.shape[0]
    nl = roles["density_main"]["radialCounts"]
    hps = roles["density_main"]["featomic_hypers"]; hrs = json.loads(json.dumps(roles["density_pair"]["featomic_hypers"]))
    hrs["density"]["center_atom_weight"] = 0.0
    N = len(frame); z = np.array([idx[int(x)] for x in frame.numbers])
    c = [np.zeros((N, 2 * l + 1, S, n)) for l, n in enumerate(nl)]
    for key, block in featomic.SphericalExpansion(**hps).compute(frame).items():
        c[int(key["o3_lambda"])][block.samples.column("atom"), :, idx[int(key["neighbor_type"])], :] += block.values
    r = np.zeros((N, S, roles["density_pair"]["radialCount"]))
    for key, block in featomic.SphericalExpansion(**hrs).compute(frame).items():
        r[block.samples.column("atom"), idx[int(key["neighbor_type"])], :] += block.values[:, 0, :]
    C = [np.einsum("imbn,Jb->iJnm", cl, u) for cl in c]
    p = []
    for a in range(d):
        for b in range(a, d):
            for l, n in enumerate(nl):
                s = 1.0 if a == b else np.sqrt(2)
                p.append((s * (-1) ** l / np.sqrt(2 * l + 1) * np.einsum("inm,ikm->ink", C[l][:, a], C[l][:, b])).reshape(N, n * n))
    p = np.hstack(p)
    net = roles["network"]
    W0, b0, W1, b1, W2 = (np.array(net[k]) for k in ("W0", "b0", "W1", "b1", "W2"))
    nn = np.tanh(np.tanh(p @ W0.T + b0) @ W1.T + b1) @ W2
    eps = np.array(roles["offsets"]["values"]); v = np.array(roles["pair_weights"]["values"]).reshape(S, S, -1)
    w = np.array(roles["power_spectrum_weights"]["values"])
    return float(eps[z].sum() + (p @ w).sum() + np.einsum("ibn,ibn->", v[z], r) + nn.sum())


if __name__ == "__main__":
    ap = argparse.ArgumentParser()
    ap.add_argument("state", nargs="?", default="orig/best.torch")
    ap.add_argument("params", nargs="?", default="orig/parameters.json")
    ap.add_argument("-o", default="hea25_published.json")
    ap.add_argument("--roles", default=None)
    a = ap.parse_args()
    roles, draft = convert(a.state, a.params)
    if a.roles:
        json.dump(roles, open(a.roles, "w"))
    # The smoothing of the pair density must be the main density's (Crucible's pair term has no smoothing of its own).
    assert params_smoothing_equal(a.params)
    json.dump(draft, open(a.o, "w"))
    # self-check against the original-form re-implementation
    ref = HEA25(a.state, a.params)
    frames = ase.io.read("orig/test_data.xyz", ":10")
    worst = 0.0
    for k, f in enumerate(frames):
        e0 = ref.compute(f, forces=False)[0]; e1 = crucible_form_energy(roles, f)
        worst = max(worst, abs(e0 - e1)); print(k, f"original form {e0:.10f}  crucible form {e1:.10f}  diff {e1 - e0:.2e}")
    print("max |diff| over 10 frames:", worst)
