#!/usr/bin/env bash
# Coverage-guided fuzzing of every parser with SharpFuzz + AFL++ (docs/fuzzing.md).
#   bash bench/fuzz.sh [minutes] [target...]     default: 30 minutes, all targets at once
# Targets: blob tflite onnx npy recording-csv alert-line. Each runs under `nice -n 19` as its own afl-fuzz.
# Needs afl-fuzz (apt-get install afl++) and the SharpFuzz.CommandLine dotnet tool (installed here if missing).
# Results: build/fuzz-out/TARGET/default/{fuzzer_stats,crashes,hangs,queue}. A crash or hang input belongs in
# fuzz/regressions/TARGET/ once fixed: the normal test run (FuzzReplayTests) replays that folder and fuzz/corpus/.
set -euo pipefail
cd "$(dirname "$0")/.."
minutes=${1:-30}; shift || true
targets=("$@"); [ ${#targets[@]} -gt 0 ] || targets=(blob tflite onnx npy recording-csv alert-line)
command -v afl-fuzz >/dev/null || { echo "fuzz.sh: afl-fuzz not found (apt-get install afl++)" >&2; exit 1; }
export PATH="$PATH:$HOME/.dotnet/tools"
command -v sharpfuzz >/dev/null || dotnet tool install --global SharpFuzz.CommandLine --version 2.3.0 >/dev/null
out=build/fuzz; seeds=build/fuzz-seeds; results=build/fuzz-out

# 1. Build the driver (instrumented in step 2).
# (Instrumented assemblies only run under afl-fuzz, so the folder is rebuilt from scratch each time.)
rm -rf "$out"
dotnet build fuzz/Micro.Fuzz/Micro.Fuzz.csproj -c Release -o "$out" --nologo -v q >/dev/null

# 2. Seeds, then instrument the assemblies holding the parsers (in the fuzz output folder only). Seeds: the real fixtures (small ones: AFL works best on inputs of a few KB), the kept corpus and the regressions.
rm -rf "$seeds"; mkdir -p "$seeds"
seed() { local t=$1; shift; mkdir -p "$seeds/$t"; for f in "$@"; do [ -f "$f" ] && cp "$f" "$seeds/$t/$(echo "$f" | tr '/' '_')"; done; return 0; }
seed blob models/heart-rate/heart-rate.mblob
micro=host-tools/Micro.HostTools/bin/Release/net10.0/micro.dll
[ -f "$micro" ] || dotnet build host-tools/Micro.HostTools -c Release --nologo -v q >/dev/null
for m in mlp ppg1d exitnet layout dscnn2d; do   # our own fixture models, packed: every op the blobs use
  dotnet "$micro" pack tests/fixtures/onnx/$m.onnx -c tests/fixtures/onnx/${m}_calib.npy -o "$seeds/blob/$m.mblob" >/dev/null
done
shared=../shared/conformance/tflite   # TFLM's example models (not in this repository, so neither is their corpus)
seed tflite $shared/hello_world_int8/model.tflite $shared/micro_speech_quantized/model.tflite
seed onnx $(find tests/fixtures/onnx tests/fixtures/onnx_node -name '*.onnx' -size -8k | sort | head -60)
seed npy $(find tests/fixtures -name '*.npy' -size -2k | sort | awk 'NR % 8 == 1')
mkdir -p "$seeds/recording-csv"
for f in models/heart-rate/samples/*.csv; do head -c 3000 "$f" > "$seeds/recording-csv/$(basename "$f")"; done
printf 't_s,ppg,acc_x,acc_y,acc_z\n0,1.5,0,0,1\n0.008,1.6,0,0,1\n0.016,1.4,0.1,0,1\n' > "$seeds/recording-csv/generic.csv"
mkdir -p "$seeds/alert-line"
printf 'MHR,1,0,0,BOOT,-,-,0,-,POOR,REST,00*D4A0\nMHR,1,41,1843000,STATUS,-,72,93,31,GOOD,REST,00*99AC\nMHR,1,42,1844400,TACHY,ON,151,88,24,GOOD,REST,02*A4DD\n' > "$seeds/alert-line/doc.txt"
printf 'MHR,1,4,32000,CONTACT,ON,-,100,-,NOSENSOR,REST,10*D373\n\x00\x01garbageMHR,1,5,42000,STATUS,-,-,0,-,NOSENSOR,REST,10*A3DA\r\nMHR,1,6,50100,CONT' > "$seeds/alert-line/noisy.txt"
for dll in Micro.Runtime Micro.Tooling Micro.Tooling.HeartRate Micro.Tooling.Device; do sharpfuzz "$out/$dll.dll" >/dev/null; done
for t in "${targets[@]}"; do
  for d in fuzz/corpus/$t fuzz/regressions/$t; do [ -d "$d" ] && cp "$d"/* "$seeds/$t/" 2>/dev/null || true; done
done

# 3. One afl-fuzz per target, all at once, at the lowest priority; each stops after the given minutes.
# A .NET heap limit of 512 MB instead of afl's -m (an address-space limit .NET cannot start under): an input that
# makes a parser allocate more fails with OutOfMemoryException, which AFL saves as a crash (hostile sizes).
export AFL_SKIP_BIN_CHECK=1 AFL_NO_AFFINITY=1 AFL_SKIP_CPUFREQ=1 AFL_I_DONT_CARE_ABOUT_MISSING_CRASHES=1 AFL_NO_UI=1
export DOTNET_GCHeapHardLimit=0x20000000
pids=()
for t in "${targets[@]}"; do
  rm -rf "${results:?}/$t"; mkdir -p "$results/$t"
  nice -n 19 afl-fuzz -i "$seeds/$t" -o "$results/$t" -t 10000 -m none -V $((minutes * 60)) \
    -- dotnet "$out/Micro.Fuzz.dll" "$t" > "$results/$t.log" 2>&1 &
  pids+=($!)
  echo "fuzz.sh: $t started (pid $!, log $results/$t.log)"
done
wait "${pids[@]}" || true
bash bench/fuzz-report.sh "${targets[@]}"
