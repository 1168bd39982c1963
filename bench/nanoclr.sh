#!/usr/bin/env bash
# The alarm's device budget on the real nanoCLR (docs/performance.md, "Device budget on nanoCLR").
# Builds the portable assemblies and bench/nano/alarm with ../shared/nanoframework/nf, runs them on the
# 32-bit nanoCLR and prints lines of exactly these forms (checked by a script), then a table of ESP32
# estimates:
#   model <name> macs <n> us <t>          (from bench/nano-models.sh, when it exists)
#   alarm worst ms_per_s <x>
#   alarm typical ms_per_s <x>
#   alarm lost_samples <n> factor 500
#   heap app_kb <k>
# Options (environment): NF=path to nf; MICRO_SHARED=../shared; OUT=out/nanoclr (build folder, not committed);
# HEAP_MIN/HEAP_MAX (bytes) bound the heap search; SUBJECTS: normal-rhythm recordings (default 3: the first three
# Liu 2022 subjects with twelve sinus segments, each joined at pulse onsets into ≈ 110 s, docs/performance.md);
# ALARM_ONLY=1 prints the alarm lines only (no model table, no scaled-clock runs, no heap search); NO_MODELS=1
# skips the model table only; PRIORITY=rt|nice|none: the scheduling of the scaled-clock run (below).
set -euo pipefail
cd "$(dirname "$0")/.."
SHARED=${MICRO_SHARED:-../shared}
NF=${NF:-$SHARED/nanoframework/nf}
OUT=${OUT:-out/nanoclr}
[[ -x $NF ]] || { echo "nanoclr.sh: no nf at $NF (see ../shared/nanoframework/README.md)" >&2; exit 2; }
mkdir -p "$OUT"
log=$OUT/build.log; : > "$log"

srcs() { find "$1" -maxdepth "${2:-9}" -name '*.cs' -not -path '*/obj/*' -not -path '*/bin/*' -not -path '*/nano/*' | sort; }
echo "# building with $NF into $OUT" >&2
dotnet build bench/nano/chain/Gen -c Release --nologo -v q -clp:ErrorsOnly >/dev/null
dotnet bench/nano/chain/Gen/bin/Release/net10.0/ChainGen.dll typical "$SHARED/data" "${SUBJECTS:-3}" "$OUT/typical.csv"
python3 bench/nano/alarm/gen_recordings.py "$OUT/Recordings.cs" . "$OUT/typical.csv"
{
  $NF build --name Micro.Runtime --out "$OUT" $(srcs firmware/Micro.Runtime)
  $NF build --name Micro.HeartRate --ref Micro.Runtime --out "$OUT" $(srcs firmware/Micro.HeartRate)
  $NF build --name Micro.Drivers.Max30102 --out "$OUT" $(srcs firmware/Drivers/Max30102 1) $(srcs firmware/Drivers/Max30102/Simulation)
  $NF build --name Micro.App --ref Micro.Runtime --ref Micro.HeartRate --ref Micro.Drivers.Max30102 --out "$OUT" $(srcs firmware/Micro.App 1)
  # The recordings and the blob in an assembly of their own (its array data must stay under 64 KB).
  $NF build --name BenchData --out "$OUT" "$OUT/Recordings.cs"
  refs="--ref Micro.Runtime --ref Micro.HeartRate --ref Micro.Drivers.Max30102 --ref Micro.App --ref BenchData"
  $NF build --exe --name AlarmBench $refs --out "$OUT" bench/nano/alarm/AlarmBench.cs
  $NF build --exe --name AlarmHeap --define HEAP $refs --out "$OUT" bench/nano/alarm/AlarmBench.cs
  $NF build --exe --name AlarmHeapParts --define HEAP --define HEAP_PARTS $refs --out "$OUT" bench/nano/alarm/AlarmBench.cs
  for v in BASE WORST TYPICAL; do
    $NF build --exe --name AlarmCount$v --define COUNT_$v $refs --out "$OUT" bench/nano/alarm/AlarmBench.cs
  done
} >> "$log" 2>&1 || { cat "$log" >&2; exit 1; }
pes="$OUT/Micro.Runtime.pe $OUT/Micro.HeartRate.pe $OUT/Micro.Drivers.Max30102.pe $OUT/Micro.App.pe $OUT/BenchData.pe"

models=""
if [[ -z ${ALARM_ONLY:-}${NO_MODELS:-} && -f bench/nano-models.sh ]]; then
  models=$(bash bench/nano-models.sh | grep -E '^model [^ ]+ macs [0-9]+ us [0-9.]+$' || true)
  [[ -n $models ]] && echo "$models"
fi

# ms of nanoCLR per s of signal from x86 instruction counts (valgrind; deterministic, unlike wall-clock time on
# a shared machine): (count with one set's loop − count without) / IPS, IPS = 13 G instructions/s, what this
# nanoCLR executes here (../shared/nanoframework/README.md; override with NANOCLR_IPS).
IPS=${NANOCLR_IPS:-13000000000}
echo "# counting instructions (valgrind, a few minutes)" >&2
for v in BASE WORST TYPICAL; do
  NF_COUNT=1 $NF run --timeout 3000 $pes "$OUT/AlarmCount$v.pe" > "$OUT/count-$v.out" 2> "$OUT/count-$v.err" &
done
wait
count() { sed -n 's/^INSTRUCTIONS: *//p' "$OUT/count-$1.err" | tr -d ','; }
base=$(count BASE); cw=$(count WORST); ct=$(count TYPICAL)
[[ -n $base && -n $cw && -n $ct ]] || { cat "$OUT"/count-*.err >&2; echo "nanoclr.sh: instruction counts failed" >&2; exit 1; }
signal=$(grep '^# signal' "$OUT/count-BASE.out")
ws=$(awk '{print $4}' <<< "$signal"); ts=$(awk '{print $7}' <<< "$signal"); hz=$(awk '{print $10}' <<< "$signal")
worst=$(awk -v a="$cw" -v b="$base" -v n="$ws" -v hz="$hz" -v ips="$IPS" 'BEGIN { printf "%.3f", (a - b) / ips * 1000 / (n / hz) }')
typical=$(awk -v a="$ct" -v b="$base" -v n="$ts" -v hz="$hz" -v ips="$IPS" 'BEGIN { printf "%.3f", (a - b) / ips * 1000 / (n / hz) }')
echo "alarm worst ms_per_s $worst"
echo "alarm typical ms_per_s $typical"
echo "# instructions: base $base, worst loop $((cw - base)) over $ws samples, typical loop $((ct - base)) over $ts samples (at $hz Hz)"

[[ -n ${ALARM_ONLY:-} ]] && exit 0

# The scaled clock is wall-clock time: a nanoCLR preempted by other work looks like a slower board to the
# simulated FIFO. A board runs the loop alone, so this run asks for a core of its own (real-time FIFO
# priority 1, else nice -20) when the user may; PRIORITY=none runs it as is. The other cores stay shared.
prio=()
case ${PRIORITY:-rt} in
  rt) if chrt -f 1 true 2>/dev/null; then prio=(chrt -f 1); elif nice -n -20 true 2>/dev/null; then prio=(nice -n -20); fi ;;
  nice) nice -n -20 true 2>/dev/null && prio=(nice -n -20) ;;
esac
echo "# running the device loop on the scaled clock (and wall-clock timings, best of 3); load average $(cut -d' ' -f1-3 /proc/loadavg)" >&2
echo "# load average during the scaled-clock runs: $(cut -d' ' -f1-3 /proc/loadavg) on $(nproc) cores; priority: ${prio[*]:-none} (a preempted nanoCLR looks like a slow board to the simulated FIFO)"
alarm=$("${prio[@]}" $NF run --timeout 1200 $pes "$OUT/AlarmBench.pe")
echo "$alarm"

# Heap: the smallest managed heap (1 KB steps) in which the whole Nano path runs exactly as in a large heap
# (same lines, every inference succeeds), and the smallest in which it runs at all (the model then falls back
# to rules with the MODEL alarm).
heap_out() { NANOCLR_HEAP_STATS=1 $NF run --heap "$1" --timeout 300 $pes "$OUT/AlarmHeap.pe" 2>&1; }
reference=$(heap_out "${HEAP_MAX:-262144}" | grep '^heap run:' || true)
[[ $reference == *"model loaded"* ]] || { echo "nanoclr.sh: the heap run fails even in ${HEAP_MAX:-262144} B: $reference" >&2; exit 1; }
runs_with() { # N PATTERN → 0 when the run ends normally with a 'heap run:' line matching PATTERN (fixed string)
  local out
  out=$(heap_out "$1") || return 1
  grep -q '^heap run:' <<< "$out" && grep -qF "$2" <<< "$out"
}
smallest() { # PATTERN → smallest N (bytes, 1 KB steps) that runs with it
  local lo=${HEAP_MIN:-8192} hi=${HEAP_MAX:-262144} mid
  while (( hi - lo > 1024 )); do
    mid=$(( (lo + hi) / 2 / 1024 * 1024 ))
    if runs_with "$mid" "$1"; then hi=$mid; else lo=$mid; fi
  done
  echo "$hi"
}
echo "# searching the smallest heap" >&2
with_model=$(smallest "$reference")
rules_only=$(smallest "heap run:")
stats=$(heap_out "$with_model" | grep -E 'HEAP STATS|heap run|^# heap' | sed 's/heap run:/\nheap run:/' | grep . || true)
echo "heap app_kb $(( (with_model + 1023) / 1024 ))"
echo "# heap: runs with the model from $with_model B; runs at all (rules + MODEL alarm) from $rules_only B; the recording is read from a string literal in the bench's assembly, not held in the heap"
echo "$stats" | sed 's/^\([^#]\)/# \1/'
heap_parts() { NANOCLR_HEAP_STATS=1 $NF run --heap "${HEAP_MAX:-262144}" --timeout 300 $pes "$OUT/AlarmHeapParts.pe" 2>/dev/null; }
heap_parts | grep '^# heap parts' || true

# ESP32 estimates: nanoCLR time × factor (250× planning figure, 120–500× range: docs/performance.md).
echo
printf '| %-28s | %12s | %10s | %10s | %10s |\n' "what" "nanoCLR" "ESP32 120×" "ESP32 250×" "ESP32 500×"
printf '|%s|%s|%s|%s|%s|\n' "------------------------------" "--------------" "------------" "------------" "------------"
row() { awk -v n="$1" -v v="$2" -v u="$3" 'BEGIN { printf "| %-28s | %9.3f %-2s | %7.0f ms | %7.0f ms | %7.0f ms |\n", n, v, u, v*120, v*250, v*500 }'; }
while read -r _ name _ macs _ us; do
  [[ -n ${name:-} ]] && row "model $name ($macs MACs)" "$(awk -v u="$us" 'BEGIN{print u/1000}')" ms
done <<< "$models"
row "alarm worst, per s of signal" "$worst" ms
row "alarm typical, per s of signal" "$typical" ms
echo "(ESP32 columns: ms of ESP32 time; per s of signal, 1000 ms = the whole CPU)"
