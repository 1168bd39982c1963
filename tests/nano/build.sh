#!/usr/bin/env bash
# Builds every portable assembly and the Nano app of every nanoFramework board for the real nanoFramework 1.x
# (../shared/nanoframework/nf: mscorlib 1.17 and the real class libraries, converted to .pe by the metadata
# processor). The one place the nano build is described; tests/Micro.Nano.Tests runs it once per test run.
#
#   tests/nano/build.sh OUT [--resources FILE]
#
# Each assembly is built from its .nfproj (the primary nanoFramework project files): exactly the files its Compile
# items list, its symbols, and its references (ProjectReference as the assembly built here, Reference by name from
# nf's lib/), read by tests/nano/nfproj.py. A file the .nfproj does not list is not compiled (and
# tests/Micro.Nano.Tests fails on the drift).
# OUT gets NAME.dll/.pe per assembly, each board's app as OUT/boards/<board>/Micro.Nano.pe, OUT/logs/NAME.log
# (nf's output: compiler errors) and OUT/sources/NAME.txt (the files compiled, one path a line).
# --resources embeds a .resources file in every board app (the model blob as Micro.Nano.nfproj embeds it from
# Resources.resx, entry heart_rate).
# Prints "built NAME" or "FAILED NAME" per assembly; exits 1 when any failed. NF overrides the nf script.
set -uo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
OUT=${1:?usage: build.sh OUT [--resources FILE]}
shift
RESOURCES=""
while (($#)); do case $1 in
  --resources) RESOURCES=$(cd "$(dirname "$2")" && pwd)/$(basename "$2"); shift 2 ;;
  *) echo "build.sh: unknown option $1" >&2; exit 2 ;;
esac; done
NF=${NF:-$ROOT/../shared/nanoframework/nf}
[[ -x $NF ]] || { echo "build.sh: no nanoFramework toolchain at $NF" >&2; exit 2; }
mkdir -p "$OUT/logs" && OUT=$(cd "$OUT" && pwd)
failed=0

PYTHON=${PYTHON:-python3}
mkdir -p "$OUT/sources"

# build LOGNAME nf-build-arguments... : one nf build, its output in logs/LOGNAME.log.
build() {
  local log=$1; shift
  if "$NF" build "$@" > "$OUT/logs/$log.log" 2>&1; then
    echo "built $log"
  else
    echo "FAILED $log (see logs/$log.log)"; return 1
  fi
}

# proj LOGNAME PROJECT DIR [-p NAME=VALUE...] [-- more nf build arguments] : builds the assembly of PROJECT
# (relative to the root) into DIR. Project references are the .dll files built before into OUT.
proj() {
  local log=$1 project=$ROOT/$2 dir=$3; shift 3
  local props=() extra=() lines name="" args=() srcs=() key val
  while (($#)); do
    if [[ $1 == -- ]]; then shift; extra=("$@"); break; fi
    props+=("$1"); shift
  done
  if ! lines=$("$PYTHON" "$ROOT/tests/nano/nfproj.py" "$project" "${props[@]}" 2> "$OUT/logs/$log.log"); then
    echo "FAILED $log (see logs/$log.log)"; return 1
  fi
  while read -r key val; do case $key in
    name) name=$val ;;
    type) [[ $val == Exe ]] && args+=(--exe) ;;
    define) args+=(--define "$val") ;;
    src) srcs+=("$val") ;;
    projref) args+=(--ref "$OUT/$val.dll") ;;
    ref) args+=(--ref "$val") ;;
  esac; done <<<"$lines"
  printf '%s\n' "${srcs[@]}" > "$OUT/sources/$log.txt"
  build "$log" --out "$dir" --name "$name" "${args[@]}" "${extra[@]}" "${srcs[@]}"
}

# The portable assemblies, in dependency order (two at a time: the machine has two cores).
proj Micro.Runtime firmware/Micro.Runtime/nano/Micro.Runtime.nfproj "$OUT" || failed=1
proj Micro.HeartRate firmware/Micro.HeartRate/nano/Micro.HeartRate.nfproj "$OUT" &
pid_hr=$!
proj Micro.Drivers.Max30102 firmware/Drivers/Max30102/Micro.Drivers.Max30102.nfproj "$OUT" || failed=1
wait $pid_hr || failed=1
proj Micro.App firmware/Micro.App/nano/Micro.App.nfproj "$OUT" &
pid_app=$!
proj Micro.Drivers.Max30102.Nano firmware/Drivers/Max30102/Nano/Micro.Drivers.Max30102.Nano.nfproj "$OUT" || failed=1
wait $pid_app || failed=1
# The driver's sample program (ESP32-DevKitC pins) and the portable tests as NFUnitTest (run by nf test).
proj Micro.Drivers.Max30102.Sample firmware/Drivers/Max30102/samples/Micro.Drivers.Max30102.Sample.nfproj "$OUT" &
pid_sample=$!
proj NFUnitTest tests/Micro.Portable.Tests/nano/NFUnitTest.nfproj "$OUT" || failed=1
wait $pid_sample || failed=1

# The Nano app for each nanoFramework board of boards/*.json, with the symbols Micro.Nano.nfproj gives that board
# (-p MicroBoard=BOARD); a board the project has no BOARD_ symbol for fails.
pids=()
for json in "$ROOT"/boards/*.json; do
  board=$(basename "$json" .json)
  [[ $board == board.schema ]] && continue
  grep -q '"runtime": *"nanoFramework"' "$json" || continue
  sym=BOARD_$(tr 'a-z-' 'A-Z_' <<<"$board")
  defines=$("$PYTHON" "$ROOT/tests/nano/nfproj.py" "$ROOT/firmware/Micro.Nano/nano/Micro.Nano.nfproj" -p "MicroBoard=$board" 2>&1)
  if ! grep -qx "define $sym" <<<"$defines"; then
    echo "FAILED Micro.Nano.$board (Micro.Nano.nfproj defines no $sym for this board)"; failed=1; continue
  fi
  res=()
  [[ -n $RESOURCES ]] && res=(--resource "$RESOURCES")
  # Each board in its own folder: the assembly is Micro.Nano for all of them.
  mkdir -p "$OUT/boards/$board"
  proj "Micro.Nano.$board" firmware/Micro.Nano/nano/Micro.Nano.nfproj "$OUT/boards/$board" -p "MicroBoard=$board" -- "${res[@]}" &
  pids+=($!)
  if ((${#pids[@]} >= 2)); then wait "${pids[0]}" || failed=1; pids=("${pids[@]:1}"); fi
done
for p in "${pids[@]}"; do wait "$p" || failed=1; done
exit $failed
