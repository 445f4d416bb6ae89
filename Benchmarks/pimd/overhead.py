#!/usr/bin/env python3
"""PIMD overhead: the share of the step that is not force evaluation, for 32 beads x 500 EAM Cu
atoms (Benchmarks/decks/pimd_cu_32x500.yaml), from Crucible's own split of its loop time
("force evaluations: F% of the loop"; every force evaluation is timed around the potential call,
list upkeep included). Runs the deck --rounds times on 1 thread and prints the median, min and max
of 100 - F, and the ms per step.

  python3 Benchmarks/pimd/overhead.py --rounds 5 [--threads 1] [--json out.json]
"""
import argparse
import json
import os
import re
import statistics
import subprocess

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
DECK = os.path.join(ROOT, "Benchmarks", "decks", "pimd_cu_32x500.yaml")
BINARY = os.path.join(ROOT, ".build", "release", "crucible")


def run_once(threads):
    out = subprocess.run([BINARY, "run", DECK, "--quiet", "--threads", str(threads)], check=True,
                         capture_output=True, text=True, cwd=os.path.dirname(DECK)).stdout
    m = re.search(r"Loop time: (\S+) s for (\d+) steps.*force evaluations: (\S+)% of the loop", out)
    if not m:
        raise RuntimeError("no 'Loop time ... force evaluations' line:\n" + out)
    return 1000 * float(m.group(1)) / int(m.group(2)), 100 - float(m.group(3))


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--json")
    args = parser.parse_args()
    if not os.access(BINARY, os.X_OK):
        subprocess.run(["swift", "build", "-c", "release", "--product", "crucible"], check=True, cwd=ROOT)
    runs = [run_once(args.threads) for _ in range(args.rounds)]
    ms = [r[0] for r in runs]
    overhead = [r[1] for r in runs]
    print(f"PIMD 32 beads x 500 Cu (EAM), {args.threads} thread(s), {args.rounds} runs")
    print(f"  ms/step:   median {statistics.median(ms):.2f} (min {min(ms):.2f}, max {max(ms):.2f})")
    print(f"  overhead:  median {statistics.median(overhead):.1f}% of the step (min {min(overhead):.1f}, max {max(overhead):.1f})"
          " = everything that is not force evaluation")
    if args.json:
        with open(args.json, "w") as f:
            json.dump({"ms_per_step": ms, "overhead_percent": overhead}, f, indent=1)


if __name__ == "__main__":
    main()
