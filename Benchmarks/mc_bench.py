#!/usr/bin/env python3
"""Monte Carlo benchmarks: Crucible against LAMMPS, alternately in one run, 1 core each.

  python3 Benchmarks/mc_bench.py                    # 3 rounds, sizes 500 / 4000 / 32000 atoms
  python3 Benchmarks/mc_bench.py --repeat 5 --json mc.json
  python3 Benchmarks/mc_bench.py --quick            # 1 round, 500 and 4000 atoms

Per round and size, in this order: Crucible swaps, LAMMPS `fix atom/swap`, Crucible semi-grand,
LAMMPS `fix sgcmc` (equiatomic FeNiCr, FeNiCr_Bonny2011_stiffened.eam.alloy, 800 K; decks in
decks/swap_fenicr_N.yaml and decks/sgc_fenicr_N.yaml, LAMMPS inputs in mc/lammps_mc.py). Then the
replica-exchange bookkeeping: decks/remc_overhead_full.yaml against remc_overhead_plain.yaml.

Throughput is trials per second of the Monte Carlo part only, measured the same way for both codes:
the run with the moves minus the same run without them. Crucible: loop time of the deck minus loop
time of the deck with its monte_carlo block removed (so whatever the moves cost or save in the step,
e.g. EAM's densities prepared for the trials and reused by the step's evaluation, is counted);
LAMMPS: "Modify" time of the run with the fix minus that of the same run without it
(mc/lammps_mc.py). Reported: median and spread (min–max) over rounds, and the ratio of medians.
"""
import argparse
import json
import os
import re
import statistics
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(HERE)
CRUCIBLE = os.path.join(REPO, ".build", "release", "crucible")
sys.path.insert(0, os.path.join(HERE, "mc"))
import lammps_mc  # noqa: E402

RATE = re.compile(r"Monte Carlo (\S+) \(replica \d+.*?\): (\d+) of (\d+) accepted")
LOOP = re.compile(r"Loop time: (\S+) s")


def crucible(deck, outdir):
    out = subprocess.run([CRUCIBLE, "run", deck if os.path.isabs(deck) else os.path.join(HERE, "decks", deck),
                          "--threads", "1", "--quiet", "--output-dir", outdir],
                         check=True, capture_output=True, text=True).stdout
    rates = RATE.findall(out)
    loop = float(LOOP.search(out).group(1))
    return {"trials": int(rates[0][2]) if rates else None,
            "acceptance": int(rates[0][1]) / int(rates[0][2]) if rates else None, "loop_s": loop}


def without_moves(deck, outdir):
    """A copy of `deck` in `outdir` without its monte_carlo block (file paths made absolute)."""
    kept, skipping = [], False
    for line in open(os.path.join(HERE, "decks", deck)):
        if line and not line[0].isspace() and not line.startswith("#"):
            skipping = line.startswith("monte_carlo:")
        if not skipping:
            kept.append(line.replace("../../", REPO + "/"))
    path = os.path.join(outdir, "no_moves_" + deck)
    with open(path, "w") as f:
        f.writelines(kept)
    return path


def crucible_rate(deck, outdir):
    """Trials/s from the run with the moves minus the same run without them."""
    moves = crucible(deck, outdir)
    plain = crucible(without_moves(deck, outdir), outdir)
    extra = moves["loop_s"] - plain["loop_s"]
    if extra <= 0:
        raise RuntimeError(f"{deck}: the run with moves ({moves['loop_s']} s) was not slower than without ({plain['loop_s']} s)")
    return moves["trials"] / extra


def spread(values):
    return {"median": statistics.median(values), "min": min(values), "max": max(values), "runs": values}


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--sizes", type=int, nargs="+", default=[5, 10, 20], choices=[5, 10, 20])
    ap.add_argument("--quick", action="store_true")
    ap.add_argument("--json")
    args = ap.parse_args()
    if args.quick:
        args.repeat, args.sizes = 1, [5, 10]
    if not os.access(CRUCIBLE, os.X_OK):
        subprocess.run(["swift", "build", "-c", "release", "--product", "crucible"], cwd=REPO, check=True)
    results = {"sizes": {}, "remc_overhead": {}}
    with tempfile.TemporaryDirectory(prefix="mc_bench_") as wd:
        samples = {}
        for round_ in range(args.repeat):
            for n in args.sizes:
                data = os.path.join(wd, f"fenicr_{n}.data")
                atoms, _ = lammps_mc.write_data(data, n)
                s = samples.setdefault(atoms, {"crucible_swap": [], "lammps_atom_swap": [], "crucible_semi_grand": [], "lammps_sgcmc": []})
                s["crucible_swap"].append(crucible_rate(f"swap_fenicr_{n}.yaml", wd))
                s["lammps_atom_swap"].append(lammps_mc.measure(wd, data, "swap", n)["trials_per_s"])
                s["crucible_semi_grand"].append(crucible_rate(f"sgc_fenicr_{n}.yaml", wd))
                s["lammps_sgcmc"].append(lammps_mc.measure(wd, data, "sgcmc", n)["trials_per_s"])
                print(f"round {round_ + 1} N={atoms}: " + ", ".join(f"{k} {v[-1]:.4g}" for k, v in s.items()), flush=True)
            plain = crucible("remc_overhead_plain.yaml", wd)["loop_s"]
            full = crucible("remc_overhead_full.yaml", wd)["loop_s"]
            results["remc_overhead"].setdefault("plain_s", []).append(plain)
            results["remc_overhead"].setdefault("full_s", []).append(full)
            print(f"round {round_ + 1} replica exchange: plain {plain:.3f} s, full {full:.3f} s", flush=True)
        print("\nswap and semi-grand trials/s (median [min-max] over rounds), ratio of medians Crucible/LAMMPS")
        for atoms, s in samples.items():
            entry = {k: spread(v) for k, v in s.items()}
            entry["ratio_swap"] = entry["crucible_swap"]["median"] / entry["lammps_atom_swap"]["median"]
            entry["ratio_semi_grand"] = entry["crucible_semi_grand"]["median"] / entry["lammps_sgcmc"]["median"]
            results["sizes"][atoms] = entry
            for k in s:
                e = entry[k]
                print(f"  N={atoms:6d} {k:20s} {e['median']:12.4g} [{e['min']:.4g}-{e['max']:.4g}]")
            print(f"  N={atoms:6d} ratio swap {entry['ratio_swap']:.1f}x, semi-grand {entry['ratio_semi_grand']:.2f}x")
        o = results["remc_overhead"]
        plain, full = statistics.median(o["plain_s"]), statistics.median(o["full_s"])
        o["overhead_percent_of_medians"] = 100 * (full - plain) / plain
        o["overhead_percent_per_round"] = [100 * (f - p) / p for p, f in zip(o["plain_s"], o["full_s"])]
        print(f"\nreplica exchange + demultiplexed output + SRO: {o['overhead_percent_of_medians']:+.2f}% of the run "
              f"(per round: {', '.join(f'{x:+.2f}%' for x in o['overhead_percent_per_round'])})")
    if args.json:
        with open(args.json, "w") as f:
            json.dump(results, f, indent=1)


if __name__ == "__main__":
    main()
