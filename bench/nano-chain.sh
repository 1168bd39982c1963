#!/usr/bin/env bash
# The heart-rate signal chain (firmware/Micro.HeartRate, no model) on the real nanoCLR
# (../shared/nanoframework/nf): nanoCLR milliseconds per second of signal (best of several runs, DateTime
# ticks) per recording, per kind (icu: the five bundled CinC 2015 alarm records; typical: normal sinus rhythm
# from ../shared/data, Liu 2022 sinus segments joined per subject and TROIKA's first 30 s at rest), the
# longest single AddSample call (µs), and a check that every step's results and alert lines hash exactly as
# on the host. Recordings become generated C# arrays in the build folder (never committed).
#
# usage: bash bench/nano-chain.sh [--count] [--stages] [--repeats N]
#   --count: also x86 instructions per second of signal for each kind (nf run --count: valgrind, slow but
#            noise-free; timings on a shared machine are not), and those of the longest single call the
#            timed runs found;
#   --stages: and per stage (bench/nano/chain/Stages.cs);
#   MICRO_CHAIN_OUT=DIR builds there (default bench/nano/chain/out, ignored by git);
#   MICRO_CHAIN_KINDS="typical" counts one kind only; MICRO_CHAIN_TYPICAL=",5," counts other typical
#   recordings (indices as printed by the bench lines).
set -euo pipefail
cd "$(dirname "$0")/.."
NF=${NF:-../shared/nanoframework/nf}
[ -x "$NF" ] || { echo "nano-chain: no nanoFramework toolchain at $NF (see ../shared/nanoframework/README.md)" >&2; exit 2; }
[ -d ../shared/data ] || { echo "nano-chain: no ../shared/data" >&2; exit 2; }
count=0 stages=0 repeats=5
while (($#)); do case $1 in
  --count) count=1; shift ;;
  --stages) count=1; stages=1; shift ;;
  --repeats) repeats=$2; shift 2 ;;
  *) echo "usage: bash bench/nano-chain.sh [--count] [--stages] [--repeats N]" >&2; exit 2 ;;
esac; done
out=${MICRO_CHAIN_OUT:-bench/nano/chain/out}
mkdir -p "$out"

dotnet build bench/nano/chain/Gen -c Release --nologo -v q -clp:ErrorsOnly >/dev/null
dotnet bench/nano/chain/Gen/bin/Release/net10.0/ChainGen.dll gen models/heart-rate/samples ../shared/data "$out/gen"

mapfile -t runtime < <(find firmware/Micro.Runtime -name '*.cs' -not -path '*/nano/*' -not -path '*/obj/*' -not -path '*/bin/*' | sort)
# MICRO_CHAIN_HEARTRATE=DIR measures another copy of firmware/Micro.HeartRate (e.g. the code before a change).
mapfile -t heartrate < <(find "${MICRO_CHAIN_HEARTRATE:-firmware/Micro.HeartRate}" -name '*.cs' -not -path '*/nano/*' -not -path '*/obj/*' -not -path '*/bin/*' | sort)
"$NF" build --name Micro.Runtime --out "$out" "${runtime[@]}" >/dev/null
"$NF" build --name Micro.HeartRate --ref Micro.Runtime --out "$out" "${heartrate[@]}" >/dev/null

# The recording type and the result hash; one assembly per recording (the PE format's 64 KB limit); one exe
# per mode (Config.g.cs picks it).
# The data assemblies only depend on the recordings: rebuilt when their source changed.
"$NF" build --name ChainCommon --ref Micro.Runtime --ref Micro.HeartRate --out "$out" bench/nano/chain/BenchRecording.cs bench/nano/chain/ResultHash.cs >/dev/null
data=()
for f in "$out"/gen/Data*.g.cs; do
  name=Chain$(basename "$f" .g.cs)
  [ "$out/$name.pe" -nt "$f" ] || "$NF" build --name "$name" --ref Micro.HeartRate --ref ChainCommon --out "$out" "$f" >/dev/null
  data+=("$name")
done
refs=(--ref Micro.Runtime --ref Micro.HeartRate --ref ChainCommon)
pes=("$out/Micro.Runtime.pe" "$out/Micro.HeartRate.pe" "$out/ChainCommon.pe")
for d in "${data[@]}"; do refs+=(--ref "$d"); pes+=("$out/$d.pe"); done
build_exe() { # NAME MODE REPEATS [SUBSET [RECORDING]]
  mkdir -p "$out/cfg-$1"
  printf 'namespace ChainBench\n{\n    internal static class Config\n    {\n        public const string Mode = "%s";\n        public const int Repeats = %d;\n        public const string Subset = "%s";\n        public const int Recording = %d;\n    }\n}\n' \
    "$2" "$3" "${4:-,}" "${5:-0}" > "$out/cfg-$1/Config.g.cs"
  "$NF" build --exe --name "$1" "${refs[@]}" --out "$out" bench/nano/chain/ChainBench.cs bench/nano/chain/Stages.cs "$out/gen/Recordings.g.cs" "$out/cfg-$1/Config.g.cs" >/dev/null
}
count_of() { "$NF" run --timeout 3000 --count "${pes[@]}" "$out/$1.pe" 2>&1 | awk '/INSTRUCTIONS:/ {print $2}'; }
per_s() { awk -v d="$1" -v s="$2" 'BEGIN {printf "%.0f", d / s}'; }
ms_of() { awk -v d="$1" -v s="$2" 'BEGIN {printf "%.3f", d / s / 13e6}'; }

build_exe ChainBench bench "$repeats"
"$NF" run "${pes[@]}" "$out/ChainBench.pe" | tee "$out/bench.txt"

# Every recording's hash must equal the host's.
status=0
while read -r _ name _ steps _ hash; do
  got=$(awk -v n="$name" '$1=="rec" && $2==n {print $10 " " $12}' "$out/bench.txt")
  if [ "$got" != "$steps $hash" ]; then echo "MISMATCH $name: host steps $steps hash $hash, nanoCLR ${got:-nothing}"; status=1; fi
done < "$out/gen/expected.txt"
[ $status -eq 0 ] && echo "results identical to the host on $(wc -l < "$out/gen/expected.txt") recordings"

if [ $count -eq 1 ]; then
  # Instruction counts: one pass (Repeats 1) minus the same program with no pass (0), so loading the
  # recordings does not count. Valgrind is slow, so the typical kind is counted on its first Liu and first
  # TROIKA recording. ms at this nanoCLR's ≈ 13 G x86 instructions per second (../shared/nanoframework/README.md).
  for kind in ${MICRO_CHAIN_KINDS:-icu typical}; do
    if [ $kind = icu ]; then subset=,$(awk '$1=="rec" && $6=="icu" {printf "%s,", $4}' "$out/bench.txt")
    elif [ -n "${MICRO_CHAIN_TYPICAL:-}" ]; then subset=$MICRO_CHAIN_TYPICAL
    else subset=,$(awk '$1=="rec" && $6=="typical" && $2 ~ /^liu-/ {print $4; exit}' "$out/bench.txt"),$(awk '$1=="rec" && $6=="typical" && $2 ~ /^troika-/ {print $4; exit}' "$out/bench.txt"),; fi
    secs=$(awk -v s="$subset" '$1=="rec" && index(s, "," $4 ",") {t+=$8} END {print t}' "$out/bench.txt")
    build_exe "N0-$kind" count 0 "$subset"; build_exe "N1-$kind" count 1 "$subset"
    total=$(( $(count_of "N1-$kind") - $(count_of "N0-$kind") ))
    echo "count $kind recordings $subset seconds $secs instructions_per_s $(per_s "$total" "$secs") est_ms_per_s $(ms_of "$total" "$secs")"
    if [ $stages -eq 1 ]; then
      build_exe "S-none-$kind" stage-none 1 "$subset"
      base=$(count_of "S-none-$kind")
      for st in raw resample filter motion rings tracker beats; do
        build_exe "S-$st-$kind" "stage-$st" 1 "$subset"
        c=$(( $(count_of "S-$st-$kind") - base ))
        echo "count $kind stage $st instructions_per_s $(per_s "$c" "$secs") est_ms_per_s $(ms_of "$c" "$secs") share_pct $(awk -v c="$c" -v t="$total" 'BEGIN {printf "%.1f", 100 * c / t}')"
      done
    fi
    # The longest call the timed runs found for this kind: its own count (feed up to it, and up to it + 1).
    read -r rec at < <(awk -v k="$kind" '$1=="rec" && $6==k {for (i = 1; i < NF; i++) {if ($i=="max_call_us") v=$(i+1); if ($i=="at_sample") a=$(i+1)} if (v + 0 > m + 0) {m=v; r=$4; s=a}} END {print r, s}' "$out/bench.txt")
    build_exe "CallA" call "$at" , "$rec"; build_exe "CallB" call $((at + 1)) , "$rec"
    c=$(( $(count_of CallB) - $(count_of CallA) ))
    echo "count $kind longest_call recording $rec sample $at instructions $c est_us $(awk -v c="$c" 'BEGIN {printf "%.1f", c / 13e3}')"
  done
fi
exit $status
