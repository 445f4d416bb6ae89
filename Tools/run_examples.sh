#!/usr/bin/env bash
# Runs every deck in Inputs/ in a shortened form (crucible run --max-steps) so that no example rots.
set -euo pipefail
cd "$(dirname "$0")/../Inputs"
out=$(mktemp -d)
for deck in *.yaml; do
  echo "== $deck"
  ../.build/release/crucible validate "$deck"
  ../.build/release/crucible run "$deck" --max-steps 20 --output-dir "$out/${deck%.yaml}"
done
echo "examples: all decks ran"
