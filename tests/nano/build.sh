#!/usr/bin/env bash
# Builds every portable assembly and the Nano app of every nanoFramework board for the real nanoFramework 1.x
# (../shared/nanoframework/nf: mscorlib 1.17 and the real class libraries, converted to .pe by the metadata
# processor). The one place the nano build is described; tests/Micro.Nano.Tests runs it once per test run.
#
#   tests/nano/build.sh OUT [--resources FILE]
#
# OUT gets NAME.dll/.pe per assembly, each board's app as OUT/boards/<board>/Micro.Nano.pe, and
# OUT/logs/NAME.log (nf's output: compiler errors). --resources embeds a .resources file in every board app
# (the model blob as firmware/Micro.Nano/nano/Micro.Nano.csproj embeds it, entry heart_rate).
# Sources are globbed from the project folders (bin/, obj/ and nano/ left out), so new files are picked up.
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

# The .cs files of a folder and its subfolders, without build outputs and the nano/ SDK projects.
sources() { # DIR [maxdepth]
  local depth=()
  [[ -n ${2:-} ]] && depth=(-maxdepth "$2")
  find "$ROOT/$1" "${depth[@]}" -name '*.cs' -not -path '*/bin/*' -not -path '*/obj/*' -not -path '*/nano/*' | sort
}

# build LOGNAME nf-build-arguments... : one nf build, its output in logs/LOGNAME.log.
build() {
  local log=$1; shift
  if "$NF" build "$@" > "$OUT/logs/$log.log" 2>&1; then
    echo "built $log"
  else
    echo "FAILED $log (see logs/$log.log)"; return 1
  fi
}

# The portable assemblies, in dependency order (each nf build copies its references' .dll from OUT).
lib() { # NAME SOURCES-ARRAY-NAME refs...
  local name=$1; local -n src=$2; shift 2
  local refs=() r
  for r in "$@"; do refs+=(--ref "$r"); done   # nf finds NAME.dll in OUT first, then in its lib/
  build "$name" --out "$OUT" --name "$name" "${refs[@]}" "${src[@]}"
}

mapfile -t runtime < <(sources firmware/Micro.Runtime)
mapfile -t heartrate < <(sources firmware/Micro.HeartRate)
# The driver's portable part: everything but its platform adapters and sample (as its .csproj).
mapfile -t drivers < <(sources firmware/Drivers/Max30102 | grep -v -e '/Max30102/Nano/' -e '/Max30102/Meadow/' -e '/Max30102/samples/')
mapfile -t app < <(sources firmware/Micro.App)
mapfile -t adapter < <(sources firmware/Drivers/Max30102/Nano)
mapfile -t sample < <(sources firmware/Drivers/Max30102/samples)
mapfile -t nanoapp < <(sources firmware/Micro.Nano 1)

lib Micro.Runtime runtime || failed=1
lib Micro.HeartRate heartrate Micro.Runtime &
pid_hr=$!
lib Micro.Drivers.Max30102 drivers || failed=1
wait $pid_hr || failed=1
lib Micro.App app Micro.Runtime Micro.HeartRate Micro.Drivers.Max30102 &
pid_app=$!
lib Micro.Drivers.Max30102.Nano adapter Micro.Drivers.Max30102 System.Device.I2c || failed=1
wait $pid_app || failed=1
# The driver's sample program (ESP32-DevKitC pins).
build Micro.Drivers.Max30102.Sample --out "$OUT" --exe --name Micro.Drivers.Max30102.Sample \
  --ref Micro.Drivers.Max30102 --ref Micro.Drivers.Max30102.Nano --ref System.Device.I2c \
  --ref nanoFramework.Hardware.Esp32 "${sample[@]}" || failed=1

# The Nano app for each nanoFramework board of boards/*.json, with the symbols of nano/Micro.Nano.csproj.
board_defines() { # board -> --define arguments, empty for a board the app does not know
  case $1 in
    esp32-devkitc) echo "--define ESP32 --define BOARD_ESP32_DEVKITC" ;;
    esp32-s3-devkitc) echo "--define ESP32 --define BOARD_ESP32_S3_DEVKITC" ;;
    stm32f769i-disco) echo "--define BOARD_STM32F769I_DISCO" ;;
    *) echo "" ;;
  esac
}
pids=()
for json in "$ROOT"/boards/*.json; do
  board=$(basename "$json" .json)
  [[ $board == board.schema ]] && continue
  grep -q '"runtime": *"nanoFramework"' "$json" || continue
  defs=$(board_defines "$board")
  if [[ -z $defs ]]; then echo "FAILED Micro.Nano.$board (no symbols for this board in tests/nano/build.sh)"; failed=1; continue; fi
  refs=(--ref "$OUT/Micro.Runtime.dll" --ref "$OUT/Micro.HeartRate.dll" --ref "$OUT/Micro.Drivers.Max30102.dll"
        --ref "$OUT/Micro.App.dll" --ref "$OUT/Micro.Drivers.Max30102.Nano.dll"
        --ref System.Device.Gpio --ref System.Device.I2c --ref System.IO.Ports --ref System.IO.FileSystem
        --ref System.IO.Streams --ref nanoFramework.ResourceManager --ref nanoFramework.Runtime.Native)
  [[ $defs == *ESP32* ]] && refs+=(--ref nanoFramework.Hardware.Esp32)
  res=()
  [[ -n $RESOURCES ]] && res=(--resource "$RESOURCES")
  # Each board in its own folder: the assembly is Micro.Nano for all of them.
  # shellcheck disable=SC2086
  build "Micro.Nano.$board" --out "$OUT/boards/$board" --exe --name Micro.Nano $defs "${refs[@]}" "${res[@]}" "${nanoapp[@]}" &
  pids+=($!)
  # two at a time: the machine has two cores
  if ((${#pids[@]} >= 2)); then wait "${pids[0]}" || failed=1; pids=("${pids[@]:1}"); fi
done
for p in "${pids[@]}"; do wait "$p" || failed=1; done
exit $failed
