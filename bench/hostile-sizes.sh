#!/usr/bin/env bash
# Hostile sizes and lenient reads (issue 16): each reproducer through `micro run`, `verify`, `pack -c` and
# `simulate`, with the exit code, the first error line and the peak memory (/usr/bin/time -v, maximum resident set).
#   bash bench/hostile-sizes.sh [MICRO_DLL]      default: the Release build of this checkout
# The written-down bound (docs/fuzzing.md): peak memory for any input ≤ 3 × what the valid part of the input needs
# in memory + the runtime's fixed ~100 MB; checked here on 100 MB inputs next to a valid 100 MB input of each kind.
set -uo pipefail
cd "$(dirname "$0")/.."
micro=${1:-host-tools/Micro.HostTools/bin/Release/net10.0/micro.dll}
[ -f "$micro" ] || dotnet build host-tools/Micro.HostTools -c Release --nologo -v q >/dev/null
dir=$(mktemp -d /tmp/micro-hostile.XXXXXX); trap 'rm -rf "$dir"' EXIT
fx=tests/fixtures/onnx
dotnet "$micro" pack $fx/mlp.onnx -c $fx/mlp_calib.npy -o "$dir/mlp.mblob" >/dev/null || { echo "cannot pack mlp" >&2; exit 1; }

# .npy writer without numpy: header dict padded to 64 bytes, then N float32 values (1.0).
npy() { # npy FILE SHAPE-TEXT FLOAT-COUNT
  python3 - "$@" <<'PY'
import struct, sys
path, shape, n = sys.argv[1], sys.argv[2], int(sys.argv[3])
d = "{'descr': '<f4', 'fortran_order': False, 'shape': %s, }" % shape
pad = 64 - (10 + len(d) + 1) % 64
h = (d + " " * pad + "\n").encode("latin1")
with open(path, "wb") as f:
    f.write(b"\x93NUMPY\x01\x00" + struct.pack("<H", len(h)) + h)
    block = struct.pack("<f", 1.0) * 65536
    while n > 0:
        k = min(n, 65536); f.write(block[:4 * k]); n -= k
PY
}
big=$((100 * 1024 * 1024 / 256))                        # 100 MB of [N,4,16] float32 samples: N = 409,600
npy "$dir/huge-shape.npy" "(2147483647, 2147483647, 4)" 64
npy "$dir/fewer-declared.npy" "(3, 4, 16)" 256           # data for 4 samples, shape says 3
npy "$dir/trailing.npy" "(4, 4, 16)" 260                  # 4 samples and 16 bytes of junk
npy "$dir/empty-dim.npy" "(4,,4,16)" 256
npy "$dir/rank.npy" "(4, 4, 16, 1)" 256
npy "$dir/valid-100mb.npy" "($big, 4, 16)" $((big * 64))
npy "$dir/truncated-100mb.npy" "($((big * 2)), 4, 16)" $((big * 64))
python3 - "$dir" <<'PY'
import sys, os
d = sys.argv[1]
row = ",".join(["1.5"] * 64) + "\n"                                    # one [4,16] sample per row
with open(os.path.join(d, "valid-100mb.csv"), "w") as f:
    for _ in range(100 * 1024 * 1024 // len(row)): f.write(row)
chunk = "1.5," * 262144
with open(os.path.join(d, "one-line-100mb.csv"), "w") as f:           # one 100 MB line
    for _ in range(100): f.write(chunk)
    f.write("1.5\n")
with open(os.path.join(d, "one-line-100mb-recording.csv"), "w") as f:  # a recording whose second line is 100 MB
    f.write("t_s,ppg\n0,")
    for _ in range(100): f.write("9" * 1048576)
    f.write("\n")
PY

printf '| input | command | exit | peak RSS | first line of stderr |\n|---|---|---|---|---|\n'
measure() { # measure LABEL COMMAND...
  local label=$1; shift
  /usr/bin/time -v -o "$dir/time" dotnet "$micro" "$@" >/dev/null 2>"$dir/err"; local code=$?
  local kb; kb=$(awk -F': ' '/Maximum resident set size/ {print $2}' "$dir/time")
  printf '| %s | %s | %s | %d MB | %s |\n' "$label" "$1" "$code" $((kb / 1024)) "$(head -1 "$dir/err" | cut -c1-150)"
  rm -f "$dir/out.npy" "$dir/out.mblob"
}
for f in huge-shape fewer-declared trailing empty-dim rank valid-100mb truncated-100mb; do
  measure "$f.npy" run "$dir/mlp.mblob" -i "$dir/$f.npy" -o "$dir/out.npy"
  measure "$f.npy" verify $fx/mlp.onnx "$dir/mlp.mblob" -d "$dir/$f.npy" --max-samples 16
  measure "$f.npy" pack $fx/mlp.onnx -c "$dir/$f.npy" -o "$dir/out.mblob" --max-calibration-samples 16
done
for f in valid-100mb one-line-100mb; do
  measure "$f.csv" run "$dir/mlp.mblob" -i "$dir/$f.csv" -o "$dir/out.npy"
  measure "$f.csv" verify $fx/mlp.onnx "$dir/mlp.mblob" -d "$dir/$f.csv" --max-samples 16
  measure "$f.csv" pack $fx/mlp.onnx -c "$dir/$f.csv" -o "$dir/out.mblob" --max-calibration-samples 16
done
measure "one-line-100mb-recording.csv" simulate --recording "$dir/one-line-100mb-recording.csv" --fs 125
measure "a167l.csv (valid, 43 KB)" simulate --recording models/heart-rate/samples/a167l.csv
