#!/usr/bin/env bash
# libFuzzer (coverage-guided) run of one reader: funcfl, setfl, fs or extxyz. Linux, Swift toolchain.
#   Tests/CrucibleTests/Fuzz/LibFuzzer/run.sh funcfl -max_total_time=600
# Builds CrucibleCore and the EAM / extended-XYZ readers (not the deck: it needs Yams) into one
# module with FuzzLibFuzzerEntry.swift, seeds the corpus with the test resources, and runs. Crashes,
# timeouts and misplaced errors land in .build-libfuzzer/crashes-<target>/; rerun one with
#   CRUCIBLE_LIBFUZZER_TARGET=<target> .build-libfuzzer/crucible-libfuzzer <file>
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../../../.." && pwd)
target=${1:?target: funcfl, setfl, fs or extxyz}
shift
work=${CRUCIBLE_LIBFUZZER_DIR:-$root/.build-libfuzzer}
mkdir -p "$work/src" "$work/corpus-$target" "$work/seeds-$target" "$work/crashes-$target"
rm -f "$work/src"/*.swift
find "$root/Sources/CrucibleCore" -name '*.swift' -exec cp {} "$work/src/" \;
cp "$root"/Sources/CrucibleIO/EAM/*.swift "$root"/Sources/CrucibleIO/ExtXYZ/*.swift "$root"/Sources/CrucibleIO/Text/*.swift "$work/src/"
cp "$here/FuzzLibFuzzerEntry.swift" "$work/src/"
sed -i '/^import CrucibleCore$/d' "$work/src"/*.swift
if [ ! -x "$work/crucible-libfuzzer" ] || [ -n "$(find "$work/src" -newer "$work/crucible-libfuzzer" -name '*.swift' -print -quit)" ]; then
    swiftc -O -sanitize=fuzzer -parse-as-library -D CRUCIBLE_LIBFUZZER -module-name CrucibleFuzz \
        "$work/src"/*.swift -o "$work/crucible-libfuzzer"
fi
resources="$root/Tests/CrucibleTests/Resources"
case $target in
    funcfl) cp "$resources"/*.eam "$work/seeds-$target/" ;;
    setfl) cp "$resources"/*.eam.alloy "$work/seeds-$target/" ;;
    fs) cp "$resources"/*.eam.fs "$work/seeds-$target/" ;;
    extxyz) cp "$resources"/*.extxyz "$resources"/*.xyz "$work/seeds-$target/" ;;
    *) echo "unknown target $target" >&2; exit 2 ;;
esac
cp "$here/../Corpus/$target-"* "$work/seeds-$target/" 2>/dev/null || true
# Swift's backtracer would take the crash signal from libFuzzer, which then saves no input.
SWIFT_BACKTRACE=enable=no CRUCIBLE_LIBFUZZER_TARGET=$target exec "$work/crucible-libfuzzer" -artifact_prefix="$work/crashes-$target/" \
    -timeout=2 -rss_limit_mb=4096 -max_len=2000000 "$@" "$work/corpus-$target" "$work/seeds-$target"
