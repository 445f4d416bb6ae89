#!/usr/bin/env bash
# Checks by peer tools on files Crucible writes: placeholder until the H5MD writer lands.
set -euo pipefail
echo "checks: none yet"
