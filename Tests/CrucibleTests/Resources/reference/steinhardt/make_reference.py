#!/usr/bin/env python3
"""Generate independent Steinhardt q6 reference data with freud-analysis.

Writes fcc.txt, bcc.txt and mixed.txt next to this script and prints
perfect-lattice global Q6 values (own scipy implementation) for comparison
with published numbers.

Usage:
    python3 -m venv /tmp/freudenv
    /tmp/freudenv/bin/pip install freud-analysis scipy numpy
    /tmp/freudenv/bin/python make_reference.py
"""
import os
import sys

import numpy as np
import scipy
import scipy.special as sp
import freud

L = 6
OUTDIR = os.path.dirname(os.path.abspath(__file__))


# --------------------------------------------------------------------------
# lattices
# --------------------------------------------------------------------------
def lattice(basis, a, n, c_over_a=None):
    """Replicate fractional `basis` (in units of the conventional cell) n times.
    Returns (positions (N,3) in [0, L), cell lengths (3,))."""
    basis = np.asarray(basis, float)
    nx, ny, nz = n
    cell = np.array([a, a, a], float) if c_over_a is None else np.asarray(c_over_a, float) * a
    grid = np.array([[i, j, k] for i in range(nx) for j in range(ny) for k in range(nz)], float)
    frac = (grid[:, None, :] + basis[None, :, :]).reshape(-1, 3)
    return frac * cell, cell * np.array([nx, ny, nz], float)


FCC_BASIS = [[0, 0, 0], [0.5, 0.5, 0], [0.5, 0, 0.5], [0, 0.5, 0.5]]
BCC_BASIS = [[0, 0, 0], [0.5, 0.5, 0.5]]
SC_BASIS = [[0, 0, 0]]
# hcp in an orthorhombic cell (a, sqrt(3) a, c), 4 atoms
HCP_BASIS = [[0, 0, 0], [0.5, 0.5, 0], [0.5, 1 / 6, 0.5], [0, 2 / 3, 0.5]]


# --------------------------------------------------------------------------
# own double-precision implementation (brute-force minimum image)
# --------------------------------------------------------------------------
def pair_vectors(pos, box):
    d = pos[None, :, :] - pos[:, None, :]          # r_j - r_i, shape (N, N, 3)
    d -= box * np.round(d / box)
    r = np.linalg.norm(d, axis=-1)
    np.fill_diagonal(r, np.inf)
    return d, r


def ylm(vec, l=L):
    """Y_lm(r_hat) for m = -l..l, shape (nvec, 2l+1)."""
    r = np.linalg.norm(vec, axis=-1)
    theta = np.arccos(np.clip(vec[:, 2] / r, -1.0, 1.0))   # polar
    phi = np.arctan2(vec[:, 1], vec[:, 0])                  # azimuth
    ms = np.arange(-l, l + 1)
    return sp.sph_harm_y(l, ms[None, :], theta[:, None], phi[:, None])


def qnorm(qlm, l=L):
    return np.sqrt(4 * np.pi / (2 * l + 1) * np.sum(np.abs(qlm) ** 2, axis=-1))


def own_q6(pos, box, rmax):
    """Return (bond-averaged global Q6, per-particle q6, per-particle q6avg,
    neighbour counts, min/max distance inside rmax, min distance outside)."""
    d, r = pair_vectors(pos, box)
    mask = r < rmax
    ii, jj = np.nonzero(mask)
    Y = ylm(d[ii, jj])
    n = len(pos)
    nb = mask.sum(axis=1)
    Q_global = qnorm(Y.sum(axis=0) / len(ii))
    qlm = np.zeros((n, 2 * L + 1), complex)
    np.add.at(qlm, ii, Y)
    qlm /= nb[:, None]
    q6 = qnorm(qlm)
    qlm_avg = qlm.copy()
    np.add.at(qlm_avg, ii, qlm[jj])
    qlm_avg /= (nb + 1)[:, None]
    q6avg = qnorm(qlm_avg)
    inside = r[mask]
    outside = r[~mask & np.isfinite(r)]
    return dict(Q=Q_global, q6=q6, q6avg=q6avg, nb=nb,
                rin_min=inside.min(), rin_max=inside.max(), rout_min=outside.min())


# --------------------------------------------------------------------------
# freud
# --------------------------------------------------------------------------
def freud_q6(pos, box, rmax):
    fbox = freud.box.Box.from_box(box)
    # freud boxes are centred on the origin; a rigid shift changes nothing.
    pts = fbox.wrap(pos - box / 2)
    query = {"mode": "ball", "r_max": rmax, "exclude_ii": True}
    st = freud.order.Steinhardt(l=L, average=False)
    st.compute((fbox, pts), neighbors=query)
    q6 = np.array(st.particle_order, float)
    order = float(st.order)
    sta = freud.order.Steinhardt(l=L, average=True)
    sta.compute((fbox, pts), neighbors=query)
    q6avg = np.array(sta.particle_order, float)
    nl = freud.locality.AABBQuery(fbox, pts).query(pts, query).toNeighborList()
    return q6, q6avg, order, np.asarray(nl.neighbor_counts)


# --------------------------------------------------------------------------
def write_structure(name, comment, pos, box, rmax):
    own = own_q6(pos, box, rmax)
    fq6, fq6avg, forder, fnb = freud_q6(pos, box, rmax)
    assert np.array_equal(fnb, own["nb"]), "neighbour counts differ between freud and own search"
    uniform = np.all(own["nb"] == own["nb"][0])
    print(f"[{name}] N={len(pos)} box={box.tolist()} rmax={rmax}")
    print(f"  coordination: min {own['nb'].min()} max {own['nb'].max()} mean {own['nb'].mean():.6f}"
          f" ({'uniform' if uniform else 'NON-uniform'})")
    print(f"  neighbour distance inside rmax: min {own['rin_min']:.6f} max {own['rin_max']:.6f};"
          f" smallest outside: {own['rout_min']:.6f}")
    print(f"  Q6 bond-global (own, double) = {own['Q']:.15g}")
    print(f"  Q6 freud order               = {forder:.15g}  (diff {forder - own['Q']:+.3e})")
    print(f"  max |q6 freud - own|    = {np.abs(fq6 - own['q6']).max():.3e}")
    print(f"  max |q6avg freud - own| = {np.abs(fq6avg - own['q6avg']).max():.3e}")
    print(f"  q6 mean {fq6.mean():.6f}  q6avg mean {fq6avg.mean():.6f}")
    with open(os.path.join(OUTDIR, name + ".txt"), "w") as f:
        f.write(f"# {comment}\n")
        f.write("cell %.15g %.15g %.15g\n" % tuple(box))
        f.write(f"rmax {rmax:.15g}\n")
        f.write(f"gap {own['rin_max']:.15g} {own['rout_min']:.15g}\n")
        f.write(f"Q6_bond_global {own['Q']:.15g}\n")
        f.write(f"Q6_freud_order {forder:.15g}\n")
        f.write(f"atoms {len(pos)}\n")
        for p, a, b in zip(pos, fq6, fq6avg):
            f.write("%.15g %.15g %.15g %.15g %.15g\n" % (p[0], p[1], p[2], a, b))


def main():
    print(f"freud {freud.__version__}, numpy {np.__version__}, scipy {scipy.__version__},"
          f" python {sys.version.split()[0]}")
    # Single thread: freud reduces the global q6m over thread-local float32
    # buffers, so with several threads `order` changes in the 8th digit
    # from run to run. One thread makes the output byte-for-byte reproducible.
    freud.parallel.set_num_threads(1)
    rng = np.random.default_rng(7)

    # fcc Cu: a = 3.615, 4x4x4, std 0.08
    fcc0, fcc_box = lattice(FCC_BASIS, 3.615, (4, 4, 4))
    d_fcc = rng.normal(0.0, 0.08, fcc0.shape)
    fcc = np.mod(fcc0 + d_fcc, fcc_box)

    # bcc Fe: a = 2.87, 5x5x5, std 0.05
    bcc0, bcc_box = lattice(BCC_BASIS, 2.87, (5, 5, 5))
    d_bcc = rng.normal(0.0, 0.05, bcc0.shape)
    bcc = np.mod(bcc0 + d_bcc, bcc_box)

    # mixed: fcc above, but atoms with lattice z >= Lz/2 get std 0.35 instead
    upper = fcc0[:, 2] >= fcc_box[2] / 2
    d_mix = d_fcc.copy()
    d_mix[upper] = rng.normal(0.0, 0.35, (upper.sum(), 3))
    mixed = np.mod(fcc0 + d_mix, fcc_box)

    write_structure("fcc", "fcc Cu a=3.615 4x4x4 (256 atoms), Gaussian rattle std 0.08 A, "
                    "rng default_rng(7) draw #1; q6/q6avg from freud Steinhardt(l=6)",
                    fcc, fcc_box, 3.05)
    write_structure("bcc", "bcc Fe a=2.87 5x5x5 (250 atoms), Gaussian rattle std 0.05 A, "
                    "rng draw #2; first two shells (r_max 3.3); q6/q6avg from freud Steinhardt(l=6)",
                    bcc, bcc_box, 3.3)
    write_structure("mixed", f"fcc structure above; the {upper.sum()} atoms with lattice z >= Lz/2 "
                    "re-displaced with std 0.35 A (rng draw #3); q6/q6avg from freud Steinhardt(l=6)",
                    mixed, fcc_box, 3.05)

    # perfect lattices, own implementation
    print("\nPerfect-lattice global Q6 (own scipy implementation):")
    cases = [
        ("fcc (12 nn)", FCC_BASIS, 3.615, (3, 3, 3), None, 3.0, 0.57452),
        ("bcc (8 nn, r_max 2.6)", BCC_BASIS, 2.87, (4, 4, 4), None, 2.6, 0.62854),
        ("bcc (8+6, r_max 3.3)", BCC_BASIS, 2.87, (4, 4, 4), None, 3.3, 0.51069),
        ("sc (6 nn)", SC_BASIS, 2.5, (4, 4, 4), None, 3.0, 0.35355),
        ("hcp ideal c/a (12 nn)", HCP_BASIS, 2.5, (4, 3, 3), (1, np.sqrt(3), np.sqrt(8 / 3)), 3.0, 0.48476),
    ]
    for label, basis, a, n, ca, rmax, pub in cases:
        pos, box = lattice(basis, a, n, ca)
        o = own_q6(pos, box, rmax)
        fq6, _, forder, _ = freud_q6(pos, box, rmax)
        print(f"  {label:24s} Q6 = {o['Q']:.8f}  (published {pub}; nb {o['nb'].min()}-{o['nb'].max()};"
              f" freud order {forder:.8f}, freud per-particle q6 range "
              f"{fq6.min():.8f}..{fq6.max():.8f})")


if __name__ == "__main__":
    main()
