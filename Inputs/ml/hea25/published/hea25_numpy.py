"""Standalone numpy re-implementation of the published HEA25 alchemical-compression potential
(Lopanitsyna et al., PRMaterials 7, 045802 (2023); code github.com/Luthaf/alchemical-learning,
branch alchemy-paper, utils/model.py AlchemicalModel), evaluated from the state dict best.torch
(COSMO_cookbook/examples/alchemical-example/reference_data/potential) with featomic 0.6.7 in place
of rascaline@alchemy-paper (same GTO basis, orthonormalisation, density normalisation, cutoff and
radial scaling functions; rascaline's exclusive max_radial N == featomic max_radial N-1).

    E(A) = sum_i [ w_comp[a_i] + W_rs[a_i, b, n] r_i[b, n] + w_ps . q_i + NN(q_i) ]

Energies in eV, forces in eV/A (analytic, through featomic's position gradients)."""
import json, sys, os
import numpy as np
import ase.io
import featomic
from torchless_load import load_state_dict

HERE = os.path.dirname(os.path.abspath(__file__))


def featomic_hypers(params):
    ps, rs = params["hypers_ps"], params["hypers_rs"]
    assert ps["radial_basis"] == {"SplinedGto": {"accuracy": 1e-06}}
    def dens(h):
        s = h["radial_scaling"]["Willatt2018"]
        return {"type": "Gaussian", "width": h["atomic_gaussian_width"], "center_atom_weight": h["center_atom_weight"],
                "scaling": {"type": "Willatt2018", "scale": s["scale"], "rate": s["rate"], "exponent": s["exponent"]}}
    def cut(h):
        return {"radius": float(h["cutoff"]), "smoothing": {"type": "ShiftedCosine", "width": h["cutoff_function"]["ShiftedCosine"]["width"]}}
    # rascaline@alchemy-paper: one SphericalExpansion(single_l=True, max_angular=l, max_radial=n_l) per l,
    # i.e. per-l GTO bases of n_l functions (widths cutoff*max(sqrt n,1)/n_l) == featomic "Explicit" basis.
    by_l = {int(l): {"type": "Gto", "max_radial": int(n) - 1} for l, n in ps["radial_per_angular"].items()}
    hps = {"cutoff": cut(ps), "density": dens(ps), "basis": {"type": "Explicit", "by_angular": by_l, "spline_accuracy": None}}
    hrs = {"cutoff": cut(rs), "density": dens(rs),
           "basis": {"type": "TensorProduct", "max_angular": 0, "radial": {"type": "Gto", "max_radial": rs["max_radial"] - 1},
                     "spline_accuracy": None}}
    return hps, hrs


class HEA25:
    def __init__(self, state_path, params_path):
        self.params = json.load(open(params_path))
        sd = load_state_dict(state_path)
        self.species = list(self.params["species"])
        S = len(self.species)
        self.index = {z: k for k, z in enumerate(self.species)}
        self.nl = [int(self.params["hypers_ps"]["radial_per_angular"][str(l)]) for l in range(5)]
        self.nrs = int(self.params["hypers_rs"]["max_radial"])
        self.w_comp = sd["composition_model.weights"][:, 0]                       # (S,)
        self.W_rs = sd["radial_spectrum_model.weights"][:, 0].reshape(S, S, self.nrs)  # (center, neighbor, n)
        self.U = sd["power_spectrum.combiner.combining_matrix"][0]              # (S, d): C_J = sum_a c_a U[a, J]
        self.d = self.U.shape[1]
        self.w_ps = sd["power_spectrum_model.weights"][:, 0]                    # (F,), shared by all centres
        self.nn_layers = [(sd[f"nn_model.nn.{k}.weight"], sd[f"nn_model.nn.{k}.bias"]) for k in (0, 2, 4)]
        self.hps, self.hrs = featomic_hypers(self.params)
        self.calc_ps = featomic.SphericalExpansion(**self.hps)
        self.calc_rs = featomic.SphericalExpansion(**self.hrs)
        # feature offsets per l in the original order: l major, then (s1, n1), (s2, n2), s major over n
        self.loff = np.cumsum([0] + [(self.d * n) ** 2 for n in self.nl])
        assert self.loff[-1] == self.w_ps.size

    # ---- dense spherical expansion with gradients ----
    def _dense(self, calc, frame, nlist, grad):
        N, S = len(frame), len(self.species)
        out = calc.compute(frame, gradients=["positions"] if grad else [])
        c = [np.zeros((N, 2 * l + 1, S, n)) for l, n in enumerate(nlist)]
        g = [dict() for _ in nlist]   # per l: {(i, j): (3, 2l+1, S, n)}
        for key, block in out.items():
            l, zc, zn = int(key["o3_lambda"]), int(key["center_type"]), int(key["neighbor_type"])
            b = self.index[zn]
            atoms = block.samples.column("atom")
            c[l][atoms, :, b, :] += block.values
            if grad:
                gb = block.gradient("positions")
                for row, (s, _, j) in enumerate(gb.samples.values):
                    i = int(atoms[s]); arr = g[l].setdefault((i, int(j)), np.zeros((3, 2 * l + 1, S, nlist[l])))
                    arr[:, :, b, :] += gb.values[row]
        return c, g

    def features(self, frame, grad=False):
        cps, gps = self._dense(self.calc_ps, frame, self.nl, grad)
        crs, grs = self._dense(self.calc_rs, frame, [self.nrs], grad)
        return cps, gps, crs[0][:, 0], grs[0]

    def power_spectrum(self, cps):
        """q_i in the original order (l, s1, n1, s2, n2), no sqrt2, no (-1)^l, 1/sqrt(2l+1)."""
        N = cps[0].shape[0]
        q = np.zeros((N, self.loff[-1]))
        C = []
        for l, n in enumerate(self.nl):
            Cl = np.einsum("imbn,bJ->imJn", cps[l], self.U).reshape(N, 2 * l + 1, self.d * n)
            C.append(Cl)
            q[:, self.loff[l]:self.loff[l + 1]] = (np.einsum("ima,imb->iab", Cl, Cl) / np.sqrt(2 * l + 1)).reshape(N, -1)
        return q, C

    def nn(self, q):
        (W0, b0), (W1, b1), (W2, b2) = self.nn_layers
        h0 = np.tanh(q @ W0.T + b0); h1 = np.tanh(h0 @ W1.T + b1); y = h1 @ W2.T + b2
        # gradient dNN/dq
        g1 = (1 - h1 ** 2) * W2[0]
        g0 = (1 - h0 ** 2) * (g1 @ W1)
        return y[:, 0], g0 @ W0

    def compute(self, frame, forces=True):
        z = np.array([self.index[int(x)] for x in frame.numbers])
        cps, gps, rs, grs = self.features(frame, grad=forces)
        q, C = self.power_spectrum(cps)
        nn_e, nn_g = self.nn(q)
        parts = {
            "composition": float(self.w_comp[z].sum()),
            "pair": float(np.einsum("ibn,ibn->", self.W_rs[z], rs)),
            "power_spectrum_linear": float((q @ self.w_ps).sum()),
            "nn": float(nn_e.sum()),
        }
        E = sum(parts.values())
        if not forces:
            return E, None, parts
        N = len(frame)
        dEdq = self.w_ps[None, :] + nn_g                            # (N, F)
        dEdc = []
        for l, n in enumerate(self.nl):
            G = dEdq[:, self.loff[l]:self.loff[l + 1]].reshape(N, self.d * n, self.d * n) / np.sqrt(2 * l + 1)
            dC = np.einsum("iab,imb->ima", G + G.transpose(0, 2, 1), C[l]).reshape(N, 2 * l + 1, self.d, n)
            dEdc.append(np.einsum("imJn,bJ->imbn", dC, self.U))
        F = np.zeros((N, 3))
        for l in range(len(self.nl)):
            for (i, j), gr in gps[l].items():
                F[j] -= np.einsum("xmbn,mbn->x", gr, dEdc[l][i])
        for (i, j), gr in grs.items():
            F[j] -= np.einsum("xbn,bn->x", gr[:, 0], self.W_rs[z[i]])
        return E, F, parts


def main():
    base = os.path.join(HERE, "orig")
    model = HEA25(os.path.join(base, "best.torch"), os.path.join(base, "parameters.json"))
    frames = ase.io.read(os.path.join(base, "test_data.xyz"), ":")
    nframes = int(sys.argv[1]) if len(sys.argv) > 1 else 10
    out = {"source": "hea25_numpy.py: numpy re-implementation of alchemical-learning@alchemy-paper AlchemicalModel "
                     "from best.torch, spherical expansions by featomic 0.6.7 (spline_accuracy None: exact radial integrals)",
           "units": "eV, eV/Angstrom", "frames": []}
    for k, f in enumerate(frames[:nframes]):
        E, F, parts = model.compute(f, forces=True)
        dft_e = f.calc.get_potential_energy() if f.calc is not None else f.info.get("energy")
        dft_f = f.calc.get_forces() if f.calc is not None else f.arrays.get("forces")
        rec = {"index": k, "natoms": len(f), "symbols": f.get_chemical_formula(), "energy": E, "parts": parts,
               "forces": F.tolist(), "dft_energy": dft_e,
               "energy_error_per_atom": None if dft_e is None else (E - dft_e) / len(f),
               "force_mae_vs_dft": None if dft_f is None else float(np.abs(F - dft_f).mean())}
        out["frames"].append(rec)
        print(k, len(f), f"E={E:.6f} DFT={dft_e} dE/atom={rec['energy_error_per_atom']:.4f} fMAE={rec['force_mae_vs_dft']:.4f}", parts)
    json.dump(out, open(os.path.join(HERE, "reference_hea25.json"), "w"), indent=1)

if __name__ == "__main__":
    main()
