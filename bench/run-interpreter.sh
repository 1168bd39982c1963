#!/usr/bin/env bash
# Speed of the portable runtime on .NET's JIT and under Mono's IL interpreter, a rough stand-in for nanoCLR
# (see docs/performance.md). One harness (tests/Micro.Benchmarks/Portable/Harness.cs) runs on both: on .NET
# inside Micro.Benchmarks, on Mono compiled by mcs together with firmware/Micro.Runtime's sources. The blobs
# are the same files, written by `Micro.Benchmarks gen`. Times are the measuring thread's CPU time, so other
# processes on a shared machine do not count (cache effects still do). Installs mono if missing (apt).
#
# usage: bash bench/run-interpreter.sh [--filter TEXT] [--round-ms N] [--rounds N]
#        MICRO_BENCH_OUT=DIR keeps the blobs, jit.tsv, interp.tsv and compare.md there (default: a temp dir)
set -euo pipefail
cd "$(dirname "$0")/.."
if ! command -v mono >/dev/null || ! command -v mcs >/dev/null; then
  echo "installing mono-runtime and mono-mcs (apt-get)..."
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends mono-runtime mono-mcs >/dev/null
fi
out=${MICRO_BENCH_OUT:-}
if [ -z "$out" ]; then out=$(mktemp -d); trap 'rm -rf "$out"' EXIT; fi
mkdir -p "$out"

dotnet build tests/Micro.Benchmarks -c Release --nologo -v q -clp:ErrorsOnly >/dev/null
bench="dotnet tests/Micro.Benchmarks/bin/Release/net10.0/Micro.Benchmarks.dll"
$bench gen "$out/blobs"

mapfile -t runtime_sources < <(find firmware/Micro.Runtime -name '*.cs' -not -path '*/nano/*' -not -path '*/obj/*' -not -path '*/bin/*' | sort)
mcs -optimize+ -nologo -out:"$out/MonoHarness.exe" "${runtime_sources[@]}" tests/Micro.Benchmarks/Portable/*.cs bench/mono/MonoMain.cs

status=0
$bench harness "$out/blobs" --out "$out/jit.tsv" --label ".NET $(dotnet --list-runtimes | awk '/Microsoft.NETCore.App/ {v=$2} END {print v}') JIT" "$@" || status=1
echo
mono --interpreter "$out/MonoHarness.exe" "$out/blobs" --out "$out/interp.tsv" \
  --label "Mono $(mono --version | head -1 | sed -E 's/.*version ([^ ]+).*/\1/') --interpreter" "$@" || status=1
echo
$bench compare "$out/jit.tsv" "$out/interp.tsv" | tee "$out/compare.md"
[ $status -eq 0 ] || echo "some style was NOT bit-exact (see above)"
exit $status
