#!/usr/bin/env bash
# After bench/fuzz.sh: keeps what the run found for the normal test run (FuzzReplayTests).
#   bash bench/fuzz-keep.sh [target...]     (FUZZ_OUT=build/fuzz-out and FUZZ_BUILD=build/fuzz by default)
# - fuzz/corpus/TARGET: the run's queue minimised with afl-cmin (the inputs that reach distinct coverage);
#   not for tflite, whose corpus grows from TFLM's example models, which are not part of this repository.
# - fuzz/regressions/TARGET/afl-*: every crash and hang, to triage, fix and rename for what it shows.
set -euo pipefail
cd "$(dirname "$0")/.."
targets=("$@"); [ ${#targets[@]} -gt 0 ] || targets=(blob tflite onnx npy recording-csv alert-line)
export AFL_SKIP_BIN_CHECK=1 AFL_NO_AFFINITY=1 AFL_SKIP_CPUFREQ=1 AFL_I_DONT_CARE_ABOUT_MISSING_CRASHES=1
export DOTNET_GCHeapHardLimit=0x20000000
for t in "${targets[@]}"; do
  run=${FUZZ_OUT:-build/fuzz-out}/$t/default
  [ -d "$run/queue" ] || { echo "fuzz-keep.sh: no $run/queue" >&2; continue; }
  for f in "$run"/crashes/id:* "$run"/hangs/id:*; do
    [ -f "$f" ] || continue
    mkdir -p fuzz/regressions/$t
    cp "$f" "fuzz/regressions/$t/afl-$(basename "$(dirname "$f")")-$(basename "$f" | cut -d, -f1 | tr ':' '-')"
  done
  [ "$t" = tflite ] && continue
  rm -rf "fuzz/corpus/$t"
  nice -n 19 afl-cmin -i "$run/queue" -o "fuzz/corpus/$t" -t 10000 -m none -- "$(command -v dotnet)" "${FUZZ_BUILD:-build/fuzz}/Micro.Fuzz.dll" "$t" >/dev/null
  for f in "fuzz/corpus/$t"/*; do mv "$f" "fuzz/corpus/$t/$(basename "$f" | cut -d, -f1 | tr ':' '-')"; done # no ':' in names
  echo "fuzz-keep.sh: $t: $(ls "$run/queue" | grep -c '^id:') queue entries → $(ls "fuzz/corpus/$t" | wc -l) in fuzz/corpus/$t ($(du -sh "fuzz/corpus/$t" | cut -f1))"
done
