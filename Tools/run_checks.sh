#!/usr/bin/env bash
# CI stage 3: files written by Crucible read by peer tools (h5py, MDAnalysis, ASE).
set -euo pipefail
cd "$(dirname "$0")/.."
python3 -m pip install -q --disable-pip-version-check h5py MDAnalysis ase numpy "featomic==0.6.7"
out=$(mktemp -d)
(cd Inputs && ../.build/release/crucible run eam_cu_nvt.yaml --max-steps 20 --output-dir "$out" --quiet)
(cd Inputs && ../.build/release/crucible eval eval_cuni.yaml structures/cuni_rattled_frames.xyz -o "$out/eval.xyz")
python3 Tools/check_run_outputs.py "$out"
# Two elements: the species names stored in a trajectory, read back through MDAnalysis.
cat > "$out/cuni_md.yaml" <<YAML
system:
  lattice: {kind: fcc, a: 3.6, repeat: [3, 3, 3], composition: {Cu: 0.5, Ni: 0.5}, seed: 3}
  velocities: {temperature: 300}
potential:
  eam: {file: "$PWD/Inputs/potentials/CuNi.eam.alloy"}
md: {steps: 10, timestep: 0.002}
output:
  trajectory: {file: cuni_md.h5md, every: 5, fields: [position, velocity, force]}
  final_structure: cuni_md_final.xyz
YAML
.build/release/crucible run "$out/cuni_md.yaml" --quiet
python3 Tools/check_h5md.py "$out/cuni_md.h5md" --topology "$out/cuni_md_final.xyz"
# Path integrals: the centroid file and one file per bead, each a plain H5MD file.
cat > "$out/pimd_beads.yaml" <<YAML
system:
  lattice: {kind: fcc, a: 5.3, repeat: [2, 2, 2], species: Ar}
  velocities: {temperature: 40}
potential:
  lj: {cutoff: 5.2, pairs: [{species: [Ar, Ar], epsilon: 0.010323, sigma: 3.405}]}
md:
  steps: 10
  timestep: 0.002
  thermostat: {langevin: {temperature: 40, damping: 0.1}}
  path_integral: {beads: 4}
output:
  trajectory: {file: pimd_beads.h5md, every: 5, fields: [position, velocity, force], beads: true}
YAML
.build/release/crucible run "$out/pimd_beads.yaml" --output-dir "$out/pimd" --quiet
for traj in "$out/pimd"/pimd_beads*.h5md; do echo "== $traj"; python3 Tools/check_h5md.py "$traj"; done
[ "$(ls "$out/pimd"/pimd_beads*.h5md | wc -l)" = 5 ]
# Every trajectory an example deck writes (one per replica for replica decks) opens in h5py and the
# unpatched MDAnalysis, with its elements.
for deck in Inputs/*.yaml; do
  name=$(basename "$deck" .yaml)
  (cd Inputs && ../.build/release/crucible run "$name.yaml" --max-steps 20 --output-dir "$out/decks/$name" --quiet)
  for traj in "$out/decks/$name"/*.h5md; do
    [ -e "$traj" ] || continue
    echo "== $traj"
    python3 Tools/check_h5md.py "$traj"
  done
done
# The melting workflow's stage trajectories (one folder per stage) open like any other, and its plot
# is well-formed SVG.
for traj in "$out/decks/melt_lj"/*/*.h5md; do echo "== $traj"; python3 Tools/check_h5md.py "$traj"; done
python3 -c "import sys, xml.etree.ElementTree as E; r = E.parse(sys.argv[1]).getroot(); assert r.tag.endswith('svg'), r.tag; print('== delta_mu.svg: well-formed SVG')" "$out/decks/melt_lj/delta_mu.svg"
# Species that change between frames (Monte Carlo swaps, semi-grand moves): no example deck writes
# such a trajectory yet, so the H5MD tests write one, plus a JSON sidecar of the values they wrote
# (with them the file of the fixed-species round trip). Reuses the debug test build of `make test`.
CRUCIBLE_H5MD_EXPORT="$out/export" ${SWIFT:-swift} test --filter 'speciesChangingBetweenFramesReadBackExactly|roundTripIsBitwise' \
  > "$out/export.log" 2>&1 || { cat "$out/export.log"; exit 1; }
echo "== $out/export/varying_species.h5md"
python3 Tools/check_h5md.py "$out/export/varying_species.h5md" --expect "$out/export/varying_species.json"
echo "== $out/export/roundtrip.h5md"
python3 Tools/check_h5md.py "$out/export/roundtrip.h5md" --expect "$out/export/roundtrip.json"
python3 Tools/check_extxyz_ase.py .
# crucible features: h5py reads the file; labels and numbers are featomic's.
python3 Tools/check_features.py .build/release/crucible "$out/features"
echo "checks: passed"
