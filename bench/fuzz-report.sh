#!/usr/bin/env bash
# The table docs/fuzzing.md quotes, from the afl-fuzz result folders bench/fuzz.sh leaves in build/fuzz-out.
#   bash bench/fuzz-report.sh [target...]
set -uo pipefail
cd "$(dirname "$0")/.."
targets=("$@"); [ ${#targets[@]} -gt 0 ] || targets=(blob tflite onnx npy recording-csv alert-line)
printf '| target | executions | edges found | wall time | execs/s | corpus | crashes | hangs |\n|---|---|---|---|---|---|---|---|\n'
for t in "${targets[@]}"; do
  s=build/fuzz-out/$t/default/fuzzer_stats
  [ -f "$s" ] || { echo "| $t | (no fuzzer_stats) | | | | | | |"; continue; }
  v() { awk -F' *: *' -v k="$1" '$1 == k { print $2 }' "$s"; }
  start=$(v start_time); last=$(v last_update)
  printf '| %s | %s | %s | %d min | %s | %s | %s | %s |\n' "$t" "$(v execs_done)" "$(v edges_found)" $(((last - start) / 60)) \
    "$(v execs_per_sec)" "$(v corpus_count)" "$(v saved_crashes)" "$(v saved_hangs)"
done
