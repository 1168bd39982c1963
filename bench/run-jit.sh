#!/usr/bin/env bash
# The BenchmarkDotNet suite (tests/Micro.Benchmarks) on .NET's JIT: every case through Model.Load +
# Interpreter.Invoke, then the FC and Conv1D kernel styles (runtime kernel, naive baseline, candidate loops,
# each checked bit-exact at setup). Short in-process job; prints the tables, then checks exactly that no
# case × style allocates per call (fails if one does). Wall-clock times: on a busy machine prefer bench/run-interpreter.sh's thread-CPU-time numbers.
#
# usage: bash bench/run-jit.sh [FILTER]       FILTER as BenchmarkDotNet's --filter, default '*'
#        e.g. bash bench/run-jit.sh '*KernelBenchmarks*'     (only the Interpreter.Invoke cases)
set -euo pipefail
cd "$(dirname "$0")/.."
filter=${1:-*}
art=$(mktemp -d)
trap 'rm -rf "$art"' EXIT
dotnet build tests/Micro.Benchmarks -c Release --nologo -v q -clp:ErrorsOnly >/dev/null
cd tests/Micro.Benchmarks
if ! dotnet bin/Release/net10.0/Micro.Benchmarks.dll --filter "$filter" --inProcess \
     --iterationTime 100 --warmupCount 3 --iterationCount 5 --launchCount 1 --artifacts "$art" >"$art/log.txt" 2>&1; then
  tail -60 "$art/log.txt"
  exit 1
fi
grep '^SKIPPED' "$art/log.txt" || true
echo
awk '/^BenchmarkDotNet v/ {on=1} on && /^$/ {exit} on' "$art/log.txt"
status=0
for f in "$art"/results/*-github.md; do
  [ -e "$f" ] || { echo "no results (filter matched nothing?)"; exit 1; }
  echo "## $(basename "$f" -report-github.md)"
  grep '^|' "$f" | sed 's/\*\*//g'
  echo
  # Allocated column: "-" is 0 B. The in-process MemoryDiagnoser can show runtime noise (tiered-JIT work
  # landing in the measured iteration); the exact check below decides.
  col=$(grep -m1 '^|' "$f" | tr '|' '\n' | grep -n 'Allocated' | cut -d: -f1 || true)
  if [ -n "$col" ]; then
    noisy=$(grep '^|' "$f" | sed 's/\*\*//g' | tail -n +3 | awk -F'|' -v c="$col" '{v=$c; gsub(/ /,"",v); if (v != "-") print}')
    if [ -n "$noisy" ]; then echo "note: MemoryDiagnoser shows bytes on these rows (checked exactly below):"; echo "$noisy"; echo; fi
  fi
  if grep -q '| *NA *|' "$f"; then echo "some benchmarks failed (NA): see the log"; status=1; fi
done
echo "exact allocation check (GC.GetAllocatedBytesForCurrentThread around 50-2,000 calls after warm-up):"
dotnet bin/Release/net10.0/Micro.Benchmarks.dll alloc | grep -v '^SKIPPED' || status=1
exit $status
