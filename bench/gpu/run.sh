#!/bin/sh
# Run on the GPU machine from the repository root (nvcc 13, CMake, ninja; no OpenCV, no image -dev
# packages, no registry). Needs .cache/gpu_sysroot and .cache/gpu_inputs from bench/gpu/prepare.sh
# (device tool: carry [".cache/gpu_sysroot", ".cache/gpu_inputs"]). Builds core, cuda and segment
# with libjpeg from the sysroot, runs the gpu-labelled parity tests and the benchmark, and copies
# logs and JSON to $OUT (or out/gpu when OUT is unset).
# Usage: bench/gpu/run.sh [quick|full]   quick: parity on random images + a 0.15/1 MP bench
set -eu
mode=${1:-full}
root=$(pwd)
out=${OUT:-$root/out/gpu}
mkdir -p "$out"
sys=$root/.cache/gpu_sysroot/usr
build=$root/build-gpu
jpeg=""
if [ -f "$sys/lib/x86_64-linux-gnu/libjpeg.a" ]; then
  jpeg="-DJPEG_INCLUDE_DIR=$sys/include -DJPEG_LIBRARY=$sys/lib/x86_64-linux-gnu/libjpeg.a"
  jpeg="$jpeg -DCMAKE_C_FLAGS=-I$sys/include/x86_64-linux-gnu"
fi
nvidia-smi > "$out/nvidia-smi.txt" 2>&1 || true
# shellcheck disable=SC2086
cmake -S "$root" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=Release -DPR_MODULES="core;cuda;segment" \
  -DPR_WITH_OPENCV=OFF -DPR_WITH_CUDA=ON $jpeg > "$out/configure.log" 2>&1
cmake --build "$build" -j"$(nproc)" > "$out/build.log" 2>&1 || { tail -40 "$out/build.log"; exit 1; }
export PR_DATA_DIR=$root/.cache/gpu_inputs
ctest --test-dir "$build" -R "test_fh_gpu_parity|test_fh_dispatch|test_fh_emul$|test_felzenszwalb" \
  --output-on-failure > "$out/ctest_parity.log" 2>&1 || true
tail -30 "$out/ctest_parity.log"
rc=0; "$build/tests/cuda_fh/test_fh_gpu_parity" > "$out/parity.log" 2>&1 || rc=$?
echo "parity rc=$rc (0 pass, 77 no GPU)" | tee -a "$out/parity.log"; tail -3 "$out/parity.log"
if [ "$mode" = quick ]; then
  "$build/personrec" bench segment --sizes 0.15,1 --repeat 5 --json "$out/bench_quick.json" \
    | tee "$out/bench_quick.txt"
  exit 0
fi
rc=0; "$build/tests/cuda_fh/test_fh_gpu_bsds" > "$out/bsds.log" 2>&1 || rc=$?
echo "bsds rc=$rc" | tee -a "$out/bsds.log"
tail -3 "$out/bsds.log"
"$build/personrec" bench segment --sizes 0.15,1,12,50 --repeat 5 --json "$out/bench_sizes.json" \
  | tee "$out/bench_sizes.txt"
"$build/personrec" bench segment --images "$PR_DATA_DIR/bsds500/images" --limit 100 --repeat 3 \
  --json "$out/bench_bsds.json" | tee "$out/bench_bsds.txt"
