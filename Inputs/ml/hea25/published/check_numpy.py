"""Checks of hea25_numpy.py: (1) forces vs central finite differences, (2) energy/force errors vs the DFT
labels of all 33 test_data frames (README of the potential: ~9.7 meV/atom, ~180 meV/A MAE), (3) sensitivity
to the radial-integral splines (original: rascaline SplinedGto accuracy 1e-6) and to the max_radial convention."""
import copy, json, numpy as np, ase.io, featomic
from hea25_numpy import HEA25
m = HEA25("orig/best.torch", "orig/parameters.json")
frames = ase.io.read("orig/test_data.xyz", ":")
res = {}
# (1) finite differences on frame 0, 6 components
f = frames[0].copy(); E, F, _ = m.compute(f)
h = 1e-4; fd = []
for (a, x) in [(0, 0), (5, 1), (17, 2), (30, 0), (47, 1), (12, 2)]:
    fp = f.copy(); fp.positions[a, x] += h; fm = f.copy(); fm.positions[a, x] -= h
    Ep = m.compute(fp, forces=False)[0]; Em = m.compute(fm, forces=False)[0]
    fd.append([a, x, F[a, x], -(Ep - Em) / (2 * h)])
res["finite_difference_frame0"] = fd
print("FD:", fd)
# (2) errors vs DFT, all frames
de, fe, allE = [], [], []
for f in frames:
    E, F, _ = m.compute(f)
    de.append((E - f.get_potential_energy()) / len(f)); fe.append(np.abs(F - f.get_forces()).ravel()); allE.append(E)
res["energy_mae_per_atom_all33"] = float(np.mean(np.abs(de)))
res["force_mae_all33"] = float(np.mean(np.concatenate(fe)))
print("E MAE/atom", res["energy_mae_per_atom_all33"], "F MAE", res["force_mae_all33"])
# energy_test.dat (500 held-out frames of the full data set, not available here): columns are (DFT, ML)
T = np.loadtxt("orig/energy_test.dat")
res["energy_test_dat_mae_per_structure_eV"] = float(np.mean(np.abs(T[:, 0] - T[:, 1])))
Ft = np.loadtxt("orig/force_test.dat"); res["force_test_dat_mae"] = float(np.mean(np.abs(Ft[:, 0] - Ft[:, 1])))
print("energy_test.dat MAE/structure", res["energy_test_dat_mae_per_structure_eV"], "force_test.dat MAE", res["force_test_dat_mae"])
# (3a) splines at the original accuracy
m2 = HEA25("orig/best.torch", "orig/parameters.json")
for hy in (m2.hps, m2.hrs): hy["basis"]["spline_accuracy"] = 1e-6
m2.calc_ps = featomic.SphericalExpansion(**m2.hps); m2.calc_rs = featomic.SphericalExpansion(**m2.hrs)
d = [m2.compute(f, forces=False)[0] - allE[k] for k, f in enumerate(frames[:10])]
res["spline_1e-6_energy_shift_eV_first10"] = d; print("spline 1e-6 shifts", d)
# (3b) wrong (inclusive) max_radial convention, i.e. one more radial function per l: must be far off
m3 = HEA25("orig/best.torch", "orig/parameters.json")
for l in m3.hps["basis"]["by_angular"].values(): l["max_radial"] += 1
m3.hrs["basis"]["radial"]["max_radial"] += 1
m3.calc_ps = featomic.SphericalExpansion(**m3.hps); m3.calc_rs = featomic.SphericalExpansion(**m3.hrs)
m3.nl = [n + 1 for n in m3.nl]; m3.nrs += 1
try:
    # the weights no longer fit the feature count: truncate to test the convention only qualitatively
    E3 = []
    for f in frames[:3]:
        cps, _, rs, _ = m3.features(f)
        cps = [c[..., :n] for c, n in zip(cps, m.nl)]; rs = rs[..., :m.nrs]
        q, _ = m.power_spectrum(cps); z = np.array([m.index[int(x)] for x in f.numbers])
        E3.append(float(m.w_comp[z].sum() + np.einsum("ibn,ibn->", m.W_rs[z], rs) + (q @ m.w_ps).sum() + m.nn(q)[0].sum()))
    res["wrong_convention_dE_per_atom_first3"] = [(e - fr.get_potential_energy()) / len(fr) for e, fr in zip(E3, frames)]
    print("wrong convention dE/atom", res["wrong_convention_dE_per_atom_first3"])
except Exception as e:
    print("wrong-convention test failed", e)
json.dump(res, open("checks.json", "w"), indent=1)
