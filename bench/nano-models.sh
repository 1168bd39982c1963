#!/usr/bin/env bash
# Speed of the runtime on the real 32-bit nanoCLR (../shared/nanoframework, see its README), bit-exact with
# the host. Packs the conformance models with `micro pack`, takes the heart-rate blob from models/ and single-
# kernel blobs from `Micro.Benchmarks gen`, runs each input through `micro run --raw --no-early-exit` on the
# host, generates one C# file with blobs, inputs and expected outputs as byte arrays, builds
# firmware/Micro.Runtime and bench/nano/models/Program.cs with `nf build`, and runs it on nanoCLR. Prints
# `model <name> macs <n> us <t>` per model (best of several runs, µs per inference, early exit off), then
# tables with ns/MAC per model and per op. The program throws (exit 1) if any output differs from the host.
#
# usage: bash bench/nano-models.sh [--quick] [--count] [--count-ops NAME]
#   --quick   hello_world, heart-rate, micro_speech, kws and the kernel blobs only (no person_detect, ad01)
#   --count   instead of timing: x86 instructions per inference (nf run --count, valgrind), one line per
#             model: `count <name> instructions <n>` = (count of 3 inferences − count of 1) / 2
#   --count-ops NAME  the same per op of model NAME with MACs: `count <name> op <i> macs <n> instructions <n>`
#   MICRO_NANO_ONLY="NAME ..." counts only these models (timing runs all)
#   MICRO_NANO_OUT=DIR keeps the generated sources and builds there (default: a temp dir)
set -euo pipefail
cd "$(dirname "$0")/.."
NF=${NF:-../shared/nanoframework/nf}
[ -x "$NF" ] || { echo "no nanoFramework toolchain at $NF (see ../shared/nanoframework/README.md)" >&2; exit 2; }
quick=0; count=0; count_ops=
while (($#)); do case $1 in --quick) quick=1; shift ;; --count) count=1; shift ;; --count-ops) count=1; count_ops=$2; shift 2 ;;
  *) echo "unknown option $1" >&2; exit 2 ;; esac; done
out=${MICRO_NANO_OUT:-}
if [ -z "$out" ]; then out=$(mktemp -d); trap 'rm -rf "$out"' EXIT; fi
mkdir -p "$out/blobs" "$out/io" "$out/src"
conf=../shared/conformance/tflite

dotnet build host-tools/Micro.HostTools -c Release --nologo -v q -clp:ErrorsOnly >/dev/null
dotnet build tests/Micro.Benchmarks -c Release --nologo -v q -clp:ErrorsOnly >/dev/null
micro="dotnet host-tools/Micro.HostTools/bin/Release/net10.0/micro.dll"
dotnet tests/Micro.Benchmarks/bin/Release/net10.0/Micro.Benchmarks.dll gen "$out/gen" >/dev/null

# name  blob-source  input-file (first sample taken; "-" = seeded pseudo-random bytes)
models=(
  "hello_world $conf/hello_world_int8/model.tflite $conf/hello_world_int8/golden_input.bin"
  "heart-rate models/heart-rate/heart-rate.mblob -"
  "micro_speech $conf/micro_speech_quantized/model.tflite $conf/micro_speech_quantized/testwav_input.bin"
  "kws_ref_model $conf/kws_ref_model/model.tflite $conf/kws_ref_model/kws_input_data_input.bin"
)
[ $quick = 1 ] || models+=(
  "person_detect $conf/person_detect/model.tflite $conf/person_detect/testimg_input.bin"
  "ad01 $conf/ad01_int8/model.tflite $conf/ad01_int8/dcase_normal_id01_input.bin"
)
models+=(
  "k_fc_64x128 $out/gen/fc_64x128.mblob -"
  "k_fc_128x256 $out/gen/fc_128x256.mblob -"
  "k_conv1d_k5_16to16 $out/gen/conv1d_k5_16to16_w125.mblob -"
  "k_conv2d_3x3_8to16 $out/gen/conv2d_3x3_8to16_24x24.mblob -"
  "k_dwconv2d_3x3_32ch $out/gen/dwconv2d_3x3_32ch_24x24.mblob -"
  "k_gconv2d_3x3_16to16_g4 $out/gen/gconv2d_3x3_16to16_g4_24x24.mblob -"
  "k_resize_x2_16ch_12x12 $out/gen/resize_x2_16ch_12x12.mblob -"
  "k_slice_s2_16ch_24x24 $out/gen/slice_s2_16ch_24x24.mblob -"
  "k_transpose_16ch_24x24 $out/gen/transpose_nhwc_nchw_16ch_24x24.mblob -"
  "k_layernorm_16x64 $out/gen/layernorm_16x64.mblob -"
  "k_lstm_28x28_h20 $out/gen/lstm_28x28_h20.mblob -"
)

names=()
for line in "${models[@]}"; do
  read -r name src input <<<"$line"
  blob=$out/blobs/$name.mblob
  case $src in *.tflite) $micro pack "$src" -o "$blob" >/dev/null ;; *) cp "$src" "$blob" ;; esac
  bytes=$($micro inspect "$blob" --json | python3 -c "import json,sys; s=json.load(sys.stdin)['ops'][0]['inputShapes'][0]; import math; print(math.prod(int(v) for v in s.strip('[]').split(',')))")
  if [ "$input" = - ]; then
    python3 -c "import random,sys; r=random.Random('$name'); sys.stdout.buffer.write(bytes(r.randrange(256) for _ in range($bytes)))" > "$out/io/$name.in.bin"
  else
    head -c "$bytes" "$input" > "$out/io/$name.in.bin"
  fi
  $micro run "$blob" -i "$out/io/$name.in.bin" -o "$out/io/$name.out.bin" --raw --no-early-exit >/dev/null
  names+=("$name")
done

# nanoCLR's metadata tables use 16-bit offsets: an assembly holds at most ~64 KB of array data. So all bytes
# go into one stream split into 48 KB chunks, each chunk its own assembly (BenchChunkN.pe, built once),
# and BenchData.g.cs slices the stream back into blobs, inputs and expected outputs at start-up.
gen_chunks() {
  python3 - "$out" "${names[@]}" <<'PY'
import sys
out, names = sys.argv[1], sys.argv[2:]
stream = bytearray(); spans = []
for n in names:
    for p in ('/blobs/%s.mblob' % n, '/io/%s.in.bin' % n, '/io/%s.out.bin' % n):
        b = open(out + p, 'rb').read(); spans.append((len(stream), len(b))); stream += b
size = 48 * 1024
chunks = [stream[i:i + size] for i in range(0, len(stream), size)]
for i, c in enumerate(chunks):
    with open(out + '/src/BenchChunk%d.g.cs' % i, 'w') as f:
        f.write('// generated by bench/nano-models.sh\nnamespace Micro.Bench.Nano { public static class BenchChunk%d { public static readonly byte[] D = new byte[] {%s}; } }\n'
                % (i, ','.join(str(v) for v in c)))
with open(out + '/src/BenchLayout.g.cs', 'w') as f:
    f.write('// generated by bench/nano-models.sh\nnamespace Micro.Bench.Nano\n{\n    public static class BenchLayout\n    {\n')
    f.write('        public static readonly string[] Names = { ' + ', '.join('"%s"' % n for n in names) + ' };\n')
    f.write('        /// <summary>Per model: blob, input, expected output as (offset, length) pairs into the chunk stream.</summary>\n')
    f.write('        public static readonly int[] Spans = { ' + ', '.join('%d, %d' % s for s in spans) + ' };\n')
    f.write('        public const int ChunkSize = %d;\n' % size)
    f.write('        public static byte[][] Chunks() { return new byte[][] { ' + ', '.join('BenchChunk%d.D' % i for i in range(len(chunks))) + ' }; }\n')
    f.write('    }\n}\n')
print(len(chunks))
PY
}
gen_config() { # COUNT_MODEL COUNT_ITERATIONS [COUNT_OP]
  printf '// generated by bench/nano-models.sh\nnamespace Micro.Bench.Nano { public static class BenchConfig { public const int CountModel = %s, CountIterations = %s, CountOp = %s; } }\n' "$1" "$2" "${3:--1}" > "$out/src/BenchConfig.g.cs"
}

mapfile -t runtime_sources < <(find firmware/Micro.Runtime -name '*.cs' -not -path '*/nano/*' -not -path '*/obj/*' -not -path '*/bin/*' | sort)
$NF build --name Micro.Runtime --out "$out/pe" "${runtime_sources[@]}" >/dev/null
nchunks=$(gen_chunks)
chunk_refs=(); chunk_pes=()
for ((i = 0; i < nchunks; i++)); do
  $NF build --name BenchChunk$i --out "$out/pe" "$out/src/BenchChunk$i.g.cs" >/dev/null
  chunk_refs+=(--ref BenchChunk$i); chunk_pes+=("$out/pe/BenchChunk$i.pe")
done
build_bench() { $NF build --exe --name NanoModels --ref Micro.Runtime "${chunk_refs[@]}" --out "$out/pe" bench/nano/models/*.cs "$out/src/BenchLayout.g.cs" "$out/src/BenchConfig.g.cs" >/dev/null; }
pes=("$out/pe/Micro.Runtime.pe" "${chunk_pes[@]}" "$out/pe/NanoModels.pe")

if [ $count = 0 ]; then
  gen_config -1 0
  build_bench
  $NF run "${pes[@]}"
  exit
fi
command -v valgrind >/dev/null || { echo "--count needs valgrind (apt-get install -y valgrind)" >&2; exit 2; }
count_of() { # MODEL_INDEX OP_INDEX: instructions of one more iteration ((3 runs − 1 run) / 2)
  local n c1 c3
  for n in 1 3; do
    gen_config "$1" "$n" "$2"
    build_bench
    c3=$($NF run --count "${pes[@]}" 2>&1 | sed -n 's/.*INSTRUCTIONS: *\([0-9]*\).*/\1/p' | tail -1)
    [ $n = 1 ] && c1=$c3
  done
  echo $(( (c3 - c1) / 2 ))
}
for i in "${!names[@]}"; do
  if [ -n "${MICRO_NANO_ONLY:-}" ] && [[ " $MICRO_NANO_ONLY " != *" ${names[$i]} "* ]]; then continue; fi
  if [ -z "$count_ops" ]; then
    echo "count ${names[$i]} instructions $(count_of "$i" -1)"
  elif [ "${names[$i]}" = "$count_ops" ]; then
    $micro inspect "$out/blobs/$count_ops.mblob" --json | python3 -c "import json,sys; [print(o['index'], o['macs']) for o in json.load(sys.stdin)['ops'] if o['macs'] >= 1000 and o['exitGroup'] == 0]" |
    while read -r op macs; do echo "count $count_ops op $op macs $macs instructions $(count_of "$i" "$op")"; done
  fi
done
