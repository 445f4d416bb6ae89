#!/usr/bin/env bash
# CI stage 2: every deck in Inputs/ validated and run in a shortened form, so that no example rots.
set -euo pipefail
cd "$(dirname "$0")/../Inputs"
out=$(mktemp -d)
for deck in *.yaml; do
  echo "== $deck"
  ../.build/release/crucible validate "$deck"
  ../.build/release/crucible run "$deck" --max-steps 20 --output-dir "$out/${deck%.yaml}" --quiet
done
# A checkpointed deck continued with --restart.
../.build/release/crucible run eam_cu_nvt.yaml --max-steps 40 --restart --output-dir "$out/eam_cu_nvt" --quiet
../.build/release/crucible eval eval_cuni.yaml structures/cuni_rattled_frames.xyz -o "$out/eval.xyz"
# The ML fit files (not decks): the HEA25 one is small enough to run whole (about a minute).
../.build/release/crucible fit ml/hea25/fit_hea25.yaml --quiet -o "$out/hea25_d4_linear.json"
../.build/release/crucible eval --model "$out/hea25_d4_linear.json" ml/hea25/hea25_137.xyz -o "$out/hea25_eval.xyz"
# The shipped six-element fit, shortened (100 training frames, 5 epochs): pair term, network, stress, SVGs.
sed -e 's/seed: 1}/seed: 1, train_frames: 100}/' -e 's/epochs: 100/epochs: 5/' ml/fit_cunipt6.yaml > ml/ci_fit_cunipt6.yaml
../.build/release/crucible fit ml/ci_fit_cunipt6.yaml --quiet -o "$out/cunipt6_short.json"
rm ml/ci_fit_cunipt6.yaml
test -s "$out/cunipt6_short_network_learning.svg" && test -s "$out/cunipt6_short_force_parity.svg"
# A model on top of its own labeller as baseline must have (almost) zero error, through fit and eval.
../.build/release/crucible fit ml/fit_cunipt6_baseline.yaml --quiet -o "$out/cunipt6_on_eam.json"
../.build/release/crucible eval --model "$out/cunipt6_on_eam.json" ml/cunipt6.xyz -o "$out/cunipt6_on_eam.xyz" | tee "$out/on_eam.txt"
awk '/^energy\/atom: MAE/ { if ($3 + 0 > 1e-6) { print "baseline check failed: " $0; exit 1 } found = 1 } END { if (!found) exit 1 }' "$out/on_eam.txt"
# The published HEA25 model (converted from its weights) on the 137 HEA25 structures: about 13 meV/atom.
../.build/release/crucible eval --model ml/hea25/published/hea25_published.json ml/hea25/hea25_137.xyz -o "$out/hea25_published.xyz" | tee "$out/hea25_published.txt"
awk '/^energy\/atom: MAE/ { if ($3 + 0 > 0.02) { print "published HEA25 model check failed: " $0; exit 1 } found = 1 } END { if (!found) exit 1 }' "$out/hea25_published.txt"
echo "examples: all decks ran"
