#!/usr/bin/env python3
"""Independent checks of the references written by make_references.py.

  python3 Tools/reference/verify_references.py

1. LJ frames: a from-scratch numpy Lennard-Jones (ASE neighbour list, all
   periodic images) -> energy, per-atom energies, forces, virial stress.
2. EAM frames: (a) ASE's EAM calculator (scipy splines, so a different
   interpolation: agreement 1e-9..1e-3 depending on the table spacing) for the
   single-file frames; (b) a from-scratch numpy EAM that uses LAMMPS's
   interpolation scheme (described at Hermite5 below) for all frames,
   including the three-element funcfl mixing: agreement ~1e-13.
3. Finite differences of the LAMMPS energy (Richardson-extrapolated central
   differences) against the stored forces and stress on a few frames.
4. Internal consistency: sum of per-atom energies, rotated copies, NVE start
   state, minimised structures re-evaluated.
"""
import json
import os

import numpy as np
import ase.io
from ase.calculators.eam import EAM
from ase.neighborlist import neighbor_list
from ase.units import Bohr, Hartree

from lammps_common import EAM_DIR, build_system, new_lammps, single_point

HERE = os.path.dirname(os.path.abspath(__file__))
REF = os.path.normpath(os.path.join(HERE, "..", "..", "Tests", "CrucibleTests", "Resources", "reference"))

LJ = {("Ar", "Ar"): (0.0104, 3.40), ("Kr", "Kr"): (0.0140, 3.65), ("Ar", "Kr"): (0.0120, 3.52)}
LJ["Kr", "Ar"] = LJ["Ar", "Kr"]


def stored(at):
    """(energy, forces, per-atom energies, stress_voigt_ase) as stored in the file."""
    calc = at.calc
    e = at.info.get("energy", calc.results.get("energy") if calc else None)
    f = at.arrays.get("forces", calc.results.get("forces") if calc else None)
    ea = at.arrays.get("energies", calc.results.get("energies") if calc else None)
    return e, np.asarray(f), np.asarray(ea), np.asarray(at.info["stress_voigt_ase"])


def voigt(m):
    return np.array([m[0, 0], m[1, 1], m[2, 2], m[1, 2], m[0, 2], m[0, 1]])


# --- 1. numpy Lennard-Jones -------------------------------------------------------
def lj_numpy(at, rc, shift):
    i, j, d, D = neighbor_list("ijdD", at, rc)
    sym = np.array(at.get_chemical_symbols())
    eps = np.array([LJ[a, b][0] for a, b in zip(sym[i], sym[j])])
    sig = np.array([LJ[a, b][1] for a, b in zip(sym[i], sym[j])])
    sr6 = (sig / d) ** 6
    e = 4 * eps * (sr6 * sr6 - sr6)
    if shift:
        sc6 = (sig / rc) ** 6
        e -= 4 * eps * (sc6 * sc6 - sc6)
    dedr = 4 * eps * (-12 * sr6 * sr6 + 6 * sr6) / d
    n = len(at)
    ea = 0.5 * np.bincount(i, weights=e, minlength=n)
    g = (dedr / d)[:, None] * D                      # dE/dr * D/r, D = r_j - r_i
    f = np.zeros((n, 3))
    for k in range(3):
        f[:, k] = np.bincount(i, weights=g[:, k], minlength=n)
    sigma = 0.5 * np.einsum("p,pa,pb->ab", dedr / d, D, D) / at.get_volume()
    return ea.sum(), f, ea, voigt(sigma)


# --- 2b. numpy EAM with LAMMPS's interpolation scheme -------------------------
# Written from scratch (no LAMMPS source).  What reproduces LAMMPS to ~1e-13:
#  * each tabulated function on a uniform grid is a piecewise cubic Hermite whose
#    knot slopes are 5-point central differences (2-/1-point at the two ends);
#  * the pair term is splined as r*phi (funcfl: z2r = 27.2*0.529*Z_a*Z_b on the grid);
#  * several funcfl files in one `pair_style eam` are first re-tabulated onto one
#    common grid (largest drho, dr; range up to the largest rho_max, r_max) with
#    4-point Lagrange interpolation, then splined as above;
#  * F(rho) beyond the table is continued linearly.
class Hermite5:
    def __init__(self, h, f):
        f = np.asarray(f, float)
        n = len(f)
        s = np.zeros(n)
        s[0], s[1] = f[1] - f[0], 0.5 * (f[2] - f[0])
        s[n - 2], s[n - 1] = 0.5 * (f[n - 1] - f[n - 3]), f[n - 1] - f[n - 2]
        s[2:n - 2] = ((f[0:n - 4] - f[4:n]) + 8 * (f[3:n - 1] - f[1:n - 3])) / 12
        self.h, self.f, self.s, self.n = h, f, s, n

    def __call__(self, x, deriv=False, linear_tail=False):
        x = np.asarray(x, float)
        p = x / self.h
        m = np.minimum(p.astype(int), self.n - 2)
        t = np.minimum(p - m, 1.0)
        f0, f1, s0, s1 = self.f[m], self.f[m + 1], self.s[m], self.s[m + 1]
        c2 = 3 * (f1 - f0) - 2 * s0 - s1
        c3 = s0 + s1 - 2 * (f1 - f0)
        d = ((3 * c3 * t + 2 * c2) * t + s0) / self.h
        if deriv:
            return d
        v = ((c3 * t + c2) * t + s0) * t + f0
        if linear_tail:
            xmax = (self.n - 1) * self.h
            v = np.where(x > xmax, v + d * (x - xmax), v)
        return v


def lagrange4(f, h_old, x):
    """4-point Lagrange interpolation of f (uniform spacing h_old) at x."""
    n = len(f)
    p = x / h_old
    k = np.clip(p.astype(int), 1, n - 3)
    t = np.minimum(p - k, 2.0)
    return (-t * (t - 1) * (t - 2) / 6 * f[k - 1] + (t * t - 1) * (t - 2) / 2 * f[k]
            - t * (t + 1) * (t - 2) / 2 * f[k + 1] + t * (t * t - 1) / 6 * f[k + 2])


def read_tables(pair_style, paths, els):
    """-> drho, dr, cut, F[a], rho[b][a] (density at an `a` atom from a `b` neighbour), z2r[a][b]."""
    if pair_style == "eam":                      # one funcfl file per element, LAMMPS mixing
        fl = []
        for p in paths:
            tok = " ".join(open(p).read().split("\n")[1:]).split()
            nrho, drho, nr, dr, cut = int(tok[4]), float(tok[5]), int(tok[6]), float(tok[7]), float(tok[8])
            fl.append(dict(nrho=nrho, drho=drho, nr=nr, dr=dr, cut=cut, F=np.array(tok[9:9 + nrho], float),
                           Z=np.array(tok[9 + nrho:9 + nrho + nr], float),
                           rho=np.array(tok[9 + nrho + nr:9 + nrho + 2 * nr], float)))
        drho, dr = max(f["drho"] for f in fl), max(f["dr"] for f in fl)
        nrho = int(max((f["nrho"] - 1) * f["drho"] for f in fl) / drho + 0.5) + 1
        nr = int(max((f["nr"] - 1) * f["dr"] for f in fl) / dr + 0.5) + 1
        rhog, rg = np.arange(nrho) * drho, np.arange(nr) * dr
        F = [lagrange4(f["F"], f["drho"], rhog) for f in fl]
        rho1 = [lagrange4(f["rho"], f["dr"], rg) for f in fl]
        Z = [lagrange4(f["Z"], f["dr"], rg) for f in fl]
        rho = [[rho1[b] for a in range(len(fl))] for b in range(len(fl))]
        z2r = [[27.2 * 0.529 * Z[a] * Z[b] for b in range(len(fl))] for a in range(len(fl))]
        return drho, dr, max(f["cut"] for f in fl), F, rho, z2r
    lines = open(paths[0]).read().split("\n")
    tok = " ".join(lines[3:]).split()
    ne = int(tok[0])
    file_els = tok[1:1 + ne]
    nrho, drho, nr, dr, cut = int(tok[1 + ne]), float(tok[2 + ne]), int(tok[3 + ne]), float(tok[4 + ne]), float(tok[5 + ne])
    k = 6 + ne
    Fe, rhoe, z2re = [], [], {}
    for e in range(ne):
        k += 4                                   # Z mass a lattice
        Fe.append(np.array(tok[k:k + nrho], float)); k += nrho
        nblk = ne if pair_style == "eam/fs" else 1
        rhoe.append([np.array(tok[k + q * nr:k + (q + 1) * nr], float) for q in range(nblk)]); k += nblk * nr
    for a in range(ne):
        for b in range(a + 1):
            z2re[a, b] = z2re[b, a] = np.array(tok[k:k + nr], float); k += nr
    idx = [file_els.index(e) for e in els]
    F = [Fe[i] for i in idx]
    if pair_style == "eam/fs":                   # block of element J, sub-table "at element I"
        rho = [[rhoe[jb][ia] for ia in idx] for jb in idx]
    else:
        rho = [[rhoe[jb][0] for ia in idx] for jb in idx]
    z2r = [[z2re[ia, jb] for jb in idx] for ia in idx]
    return drho, dr, cut, F, rho, z2r


def eam_lammps_scheme(at, pair_style, paths, els):
    drho, dr, cut, F, rho, z2r = read_tables(pair_style, paths, els)
    ne = len(els)
    Fs = [Hermite5(drho, f) for f in F]
    Rs = [[Hermite5(dr, rho[b][a]) for a in range(ne)] for b in range(ne)]
    Zs = [[Hermite5(dr, z2r[a][b]) for b in range(ne)] for a in range(ne)]
    t = np.array([els.index(s) for s in at.get_chemical_symbols()])
    i, j, d, D = neighbor_list("ijdD", at, cut)
    n = len(at)
    rho_at_i = np.zeros(len(d)); drho_at_i = np.zeros(len(d)); drho_at_j = np.zeros(len(d))
    z = np.zeros(len(d)); dz = np.zeros(len(d))
    for a in range(ne):
        for b in range(ne):
            m = (t[i] == a) & (t[j] == b)
            rho_at_i[m] = Rs[b][a](d[m]); drho_at_i[m] = Rs[b][a](d[m], True)
            drho_at_j[m] = Rs[a][b](d[m], True)
            z[m] = Zs[a][b](d[m]); dz[m] = Zs[a][b](d[m], True)
    rho_i = np.bincount(i, weights=rho_at_i, minlength=n)
    Fv = np.array([Fs[t[k]](rho_i[k], linear_tail=True) for k in range(n)])
    Fp = np.array([Fs[t[k]](rho_i[k], deriv=True) for k in range(n)])
    phi = z / d
    dphi = (dz - phi) / d
    ea = Fv + 0.5 * np.bincount(i, weights=phi, minlength=n)
    dedr = dphi + Fp[i] * drho_at_i + Fp[j] * drho_at_j
    g = (dedr / d)[:, None] * D
    f = np.stack([np.bincount(i, weights=g[:, k], minlength=n) for k in range(3)], axis=1)
    sigma = 0.5 * np.einsum("p,pa,pb->ab", dedr / d, D, D) / at.get_volume()
    return ea.sum(), f, ea, voigt(sigma)


def ase_eam(at, path, funcfl):
    calc = EAM(potential=path)
    if funcfl:   # ASE converts Z^2 with CODATA Bohr*Hartree; LAMMPS uses 27.2*0.529
        calc.rphi_data *= (27.2 * 0.529) / (Bohr * Hartree)
        calc.set_splines()
    at = at.copy()
    at.calc = calc
    return at.get_potential_energy(), at.get_forces(), calc.results.get("energies"), at.get_stress()


def report(name, ref, new):
    e0, f0, ea0, s0 = ref
    e1, f1, ea1, s1 = new
    out = "%-40s dE=%9.2e  max|dF|=%9.2e" % (name, abs(e1 - e0), np.abs(f1 - f0).max())
    if ea1 is not None:
        out += "  max|de_i|=%9.2e" % np.abs(np.asarray(ea1) - ea0).max()
    out += "  max|dS|=%9.2e eV/A^3" % np.abs(np.asarray(s1) - s0).max()
    print(out)


# --- 3. finite differences with LAMMPS ---------------------------------------------
def pair_lines(at):
    ps = at.info["pair_style"]
    if ps == "lj/cut":
        return (["pair_style lj/cut %g" % at.info["cutoff"], "pair_coeff 1 1 0.0104 3.40",
                 "pair_coeff 2 2 0.0140 3.65", "pair_coeff 1 2 0.0120 3.52",
                 "pair_modify shift %s" % ("yes" if at.info["shift"] else "no")], ["Ar", "Kr"])
    files = at.info["potential_file"].split()
    if ps == "eam":
        els = [f.split("_")[0] for f in files]
        return (["pair_style eam"] + ["pair_coeff %d %d %s" % (k + 1, k + 1, os.path.join(EAM_DIR, f))
                                      for k, f in enumerate(files)], els)
    els = sorted(set(at.get_chemical_symbols()))
    return (["pair_style %s" % ps, "pair_coeff * * %s %s" % (os.path.join(EAM_DIR, files[0]), " ".join(els))], els)


def lammps_energy(at, cell, pos):
    lines, els = pair_lines(at)
    types = [els.index(s) + 1 for s in at.get_chemical_symbols()]
    masses = {1: 39.948, 2: 83.798} if at.info["pair_style"] == "lj/cut" else None
    return single_point(cell, pos, types, len(els), lines, masses)["energy"]


def richardson(fun, h):
    """Central difference with one Richardson step (error O(h^4))."""
    d1 = (fun(h) - fun(-h)) / (2 * h)
    d2 = (fun(h / 2) - fun(-h / 2)) / h
    return (4 * d2 - d1) / 3


def fd_check(at, name, atoms_idx=(0, 1, 2), h=1e-3):
    _, f0, _, s0 = stored(at)
    cell, pos = at.cell.array, at.positions
    errs = []
    for a in atoms_idx:
        for k in range(3):
            def e(dx):
                p = pos.copy(); p[a, k] += dx
                return lammps_energy(at, cell, p)
            errs.append(abs(-richardson(e, h) - f0[a, k]))
    serr = []
    V = at.get_volume()
    for v, (a, b) in enumerate([(0, 0), (1, 1), (2, 2), (1, 2), (0, 2), (0, 1)]):
        def e(x):
            eps = np.zeros((3, 3)); eps[a, b] += x / 2; eps[b, a] += x / 2
            F = np.eye(3) + eps
            return lammps_energy(at, cell @ F.T, pos @ F.T)
        serr.append(abs(richardson(e, 1e-4) / V - s0[v]))
    print("%-40s FD: max|F_fd-F|=%9.2e eV/A (%d comps)  max|S_fd-S|=%9.2e eV/A^3 (max|S|=%.3g)"
          % (name, max(errs), len(errs), max(serr), np.abs(s0).max()))


def main():
    print("== 1. LJ vs numpy ==")
    lj = ase.io.read(os.path.join(REF, "LJ_metal_small_triclinic.extxyz"), ":")
    for at in lj:
        report(at.info["config_type"], stored(at), lj_numpy(at, at.info["cutoff"], at.info["shift"]))
        ea = stored(at)[2]
        assert abs(ea.sum() - stored(at)[0]) < 1e-9
    # rotation invariance: frame 1 is frame 0 rotated
    e0, e1 = stored(lj[0])[0], stored(lj[1])[0]
    print("rotated copy: |E_rot - E| = %.2e eV" % abs(e1 - e0))

    print("== 2a. EAM vs ASE's EAM calculator (scipy splines: a different interpolation) ==")
    eam = ase.io.read(os.path.join(REF, "EAM_small_and_sheared.extxyz"), ":")
    for at in eam:
        files = at.info["potential_file"].split()
        if len(files) == 1:
            funcfl = at.info["pair_style"] == "eam"
            report(at.info["config_type"], stored(at), ase_eam(at, os.path.join(EAM_DIR, files[0]), funcfl))
        assert abs(stored(at)[2].sum() - stored(at)[0]) < 1e-8
    print("== 2b. EAM vs numpy EAM with LAMMPS's interpolation scheme ==")
    for at in eam:
        files = at.info["potential_file"].split()
        ps = at.info["pair_style"]
        els = [f.split("_")[0] for f in files] if ps == "eam" else sorted(set(at.get_chemical_symbols()))
        report(at.info["config_type"], stored(at),
               eam_lammps_scheme(at, ps, [os.path.join(EAM_DIR, f) for f in files], els))

    print("== 3. finite differences of the LAMMPS energy ==")
    fd_check(lj[3], lj[3].info["config_type"])
    fd_check(lj[1], lj[1].info["config_type"])
    for at in eam:
        fd_check(at, at.info["config_type"], h=1e-4)

    print("== 4. NVE start / minimisation consistency ==")
    st = ase.io.read(os.path.join(REF, "nve_drift_Cu_u3_start.extxyz"))
    v = st.arrays["velocities"]
    nve = json.load(open(os.path.join(REF, "nve_drift_Cu_u3.json")))
    c = nve["lammps_constants"]
    T = 63.55 * c["mvv2e"] * (v * v).sum() / ((3 * len(st) - 3) * c["boltz"])
    print("start: N=%d  T(dof 3N-3)=%.12f K  |sum p|=%.2e amu A/ps  LAMMPS T(step0)=%.12f"
          % (len(st), T, np.abs((63.55 * v).sum(0)).max(), nve["runs"]["dt_1fs"]["samples"][0]["temperature_K"]))
    # the stored start state must reproduce LAMMPS's step-0 energies bit for bit
    lmp = new_lammps()
    build_system(lmp, st.cell.array, st.positions, [1] * len(st), 1, velocities=v)
    for cmd in ["pair_style eam", "pair_coeff 1 1 %s" % os.path.join(EAM_DIR, "Cu_u3.eam"),
                "neighbor 1.0 bin", "run 0"]:
        lmp.command(cmd)
    s0 = nve["runs"]["dt_1fs"]["samples"][0]
    print("start file re-read: pe - stored = %.3g eV, ke - stored = %.3g eV"
          % (lmp.get_thermo("pe") - s0["potential_eV"], lmp.get_thermo("ke") - s0["kinetic_eV"]))
    lmp.close()
    for k, r in nve["runs"].items():
        print("  %s: drift %.4g meV/atom/ps, max|dE| %.3g meV/atom" % (
            k, r["drift_slope_meV_per_atom_per_ps"], 1000 * r["max_abs_dE_per_atom_eV_all_steps"]))
    mn = json.load(open(os.path.join(REF, "minimize_CuNi_box_relax.json")))
    start = ase.io.read(os.path.join(REF, "minimize_CuNi_start.extxyz"))
    types = [1 if s == "Cu" else 2 for s in start.get_chemical_symbols()]
    lines = ["pair_style eam/alloy", "pair_coeff * * %s Cu Ni" % os.path.join(EAM_DIR, "CuNi.eam.alloy")]
    for k, r in mn["runs"].items():
        res = single_point(np.array(r["final_cell_A"]), np.array(r["final_positions_unwrapped_A"]), types, 2, lines)
        P = -res["stress_voigt_ase"] * 1.6021765e6
        print("  %-20s re-evaluated in start frame: dE=%.2e eV  max|F|=%.2e  max|P - stored|=%.2e bar" % (
            k, res["energy"] - r["final_energy_eV"], np.abs(res["forces"]).max(),
            np.abs(P - np.array(r["final_pressure_virial_bar_voigt_xx_yy_zz_yz_xz_xy"])).max()))
    cu = mn["Cu_mishin1_fcc"]
    print("  Cu_mishin1: a0 = %.8f A, Ecoh = %.8f eV/atom (Mishin 2001: 3.615 A, -3.54 eV)"
          % (cu["lattice_constant_A"], cu["cohesive_energy_eV_per_atom"]))


if __name__ == "__main__":
    main()
