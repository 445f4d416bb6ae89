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
echo "examples: all decks ran"
