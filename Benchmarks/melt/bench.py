#!/usr/bin/env python3
"""Cost of a collective variable + pinning bias relative to the EAM force evaluation it sits on.

Runs `crucible run` on 4,000 Cu atoms (Mishin EAM, 500 Langevin steps at 1300 K) without a bias and
with a pinning bias on each collective variable (Fourier order parameter with 2 wave vectors, global
Q6, solid-like count), alternating the variants in every round, 1 thread. Each run times its own MD
loop ("Loop time: ... s"). Prints per variant the median and range of ms/step and the median of the
per-round overhead (variant / plain − 1). The issue's target: Fourier CV + bias < 10% of the EAM step.

    python3 Benchmarks/melt/bench.py [--rounds 5] [--crucible .build/release/crucible]
"""
import argparse, os, re, statistics, subprocess

HERE = os.path.dirname(os.path.abspath(__file__))
VARIANTS = ["plain", "fourier", "q6", "solid_count"]


def loop_ms(crucible, deck):
    out = subprocess.run([crucible, "run", os.path.join(HERE, deck), "--threads", "1", "--quiet"],
                         capture_output=True, text=True, check=True, cwd=HERE).stdout
    m = re.search(r"Loop time: ([0-9.]+) s for (\d+) steps", out)
    return 1000 * float(m.group(1)) / int(m.group(2))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--rounds", type=int, default=5)
    ap.add_argument("--crucible", default=os.path.join(HERE, "..", "..", ".build", "release", "crucible"))
    args = ap.parse_args()
    times = {v: [] for v in VARIANTS}
    for r in range(args.rounds):
        for v in VARIANTS:
            times[v].append(loop_ms(args.crucible, f"cu_4000_{v}.yaml"))
        print(f"round {r + 1}: " + ", ".join(f"{v} {times[v][-1]:.2f} ms" for v in VARIANTS), flush=True)
    for v in VARIANTS:
        t = times[v]
        line = f"{v:12s} median {statistics.median(t):7.2f} ms/step (range {min(t):.2f}–{max(t):.2f})"
        if v != "plain":
            over = [a / b - 1 for a, b in zip(t, times["plain"])]
            line += f"; overhead vs plain: median {100 * statistics.median(over):+.1f}% (range {100 * min(over):+.1f}% to {100 * max(over):+.1f}%)"
        print(line)


if __name__ == "__main__":
    main()
