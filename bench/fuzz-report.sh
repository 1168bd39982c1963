#!/usr/bin/env bash
# The table docs/fuzzing.md quotes, from the afl-fuzz result folders bench/fuzz.sh leaves in build/fuzz-out.
#   bash bench/fuzz-report.sh [target...]     (FUZZ_OUT=build/fuzz-out by default)
set -uo pipefail
cd "$(dirname "$0")/.."
targets=("$@"); [ ${#targets[@]} -gt 0 ] || targets=(blob tflite onnx npy recording-csv alert-line)
printf '| target | executions | edges found | wall time | execs/s (mean) | corpus | crashes | hangs |\n|---|---|---|---|---|---|---|---|\n'
for t in "${targets[@]}"; do
  s=${FUZZ_OUT:-build/fuzz-out}/$t/default/fuzzer_stats
  [ -f "$s" ] || { echo "| $t | (no fuzzer_stats) | | | | | | |"; continue; }
  v() { awk -F' *: *' -v k="$1" '$1 == k { print $2 }' "$s"; }
  start=$(v start_time); last=$(v last_update)
  secs=$((last - start)); [ "$secs" -gt 0 ] || secs=1
  printf '| %s | %s | %s | %d min | %d | %s | %s | %s |\n' "$t" "$(v execs_done)" "$(v edges_found)" $((secs / 60)) \
    $(($(v execs_done) / secs)) "$(v corpus_count)" "$(v saved_crashes)" "$(v saved_hangs)"
done
