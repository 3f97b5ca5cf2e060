#!/bin/sh
# Run on the GPU machine from the repository root (nvcc 13, CMake, ninja; no OpenCV, no image -dev
# packages, no registry). Needs .cache/gpu_sysroot and .cache/gpu_inputs from bench/gpu/prepare.sh
# (device tool: carry [".cache/gpu_sysroot", ".cache/gpu_inputs"]). Builds core, cuda and segment
# with libjpeg from the sysroot, runs the gpu-labelled parity tests and the benchmark, and copies
# logs and JSON to $OUT (or out/gpu when OUT is unset).
# Descriptor nets (run_nn below) also need .cache/gpu_nn: carry [".cache/gpu_sysroot",
# ".cache/gpu_inputs", ".cache/gpu_nn"] (about 53 MB together).
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
# Descriptor nets: a second build (core;cuda;nn) against .cache/gpu_nn (jansson, nettle and netlib
# BLAS as shared libraries; LAPACKE is not called by nn, so the BLAS library stands in for it),
# then the GPU-vs-CPU parity test of both nets and faces/s at batches 1/64/1024.
run_nn() {
  nn=$root/.cache/gpu_nn
  if [ ! -d "$nn/sysroot" ]; then echo "nn: .cache/gpu_nn missing (bench/gpu/prepare.sh)"; return 0; fi
  ns=$nn/sysroot/usr; lib=$ns/lib/x86_64-linux-gnu
  export LD_LIBRARY_PATH="$lib:$lib/blas${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}"
  export PKG_CONFIG_LIBDIR=$lib/pkgconfig PKG_CONFIG_SYSROOT_DIR=$nn/sysroot
  pc=$(command -v pkg-config || echo "$ns/bin/pkgconf")
  nb=${PR_NN_BUILD:-$root/build-gpu-nn}
  # shellcheck disable=SC2086
  cmake -S "$root" -B "$nb" -G Ninja -DCMAKE_BUILD_TYPE=Release -DPR_MODULES="core;cuda;nn" \
    -DPR_WITH_OPENCV=OFF -DPR_WITH_CUDA=ON $jpeg -DPKG_CONFIG_EXECUTABLE="$pc" \
    -DCBLAS_INCLUDE_DIR="$ns/include/x86_64-linux-gnu" -DOPENBLAS_LIBRARY="$lib/blas/libblas.so.3" \
    -DLAPACKE_INCLUDE_DIR="$ns/include" -DLAPACKE_LIBRARY="$lib/blas/libblas.so.3" \
    > "$out/nn_configure.log" 2>&1 || { tail -20 "$out/nn_configure.log"; return 0; }
  cmake --build "$nb" -j"$(nproc)" --target test_nn_gpu test_nn_dispatch bench_descriptor_gpu \
    > "$out/nn_build.log" 2>&1 || { tail -40 "$out/nn_build.log"; return 0; }
  export PERSONREC_MODELS=$nn/models
  rc=0; PR_DATA_DIR=$nn "$nb/tests/nn/test_nn_gpu" > "$out/nn_parity.log" 2>&1 || rc=$?
  echo "nn parity rc=$rc (0 pass, 77 no GPU)" | tee -a "$out/nn_parity.log"; tail -16 "$out/nn_parity.log"
  rc=0; "$nb/tests/nn/test_nn_dispatch" > "$out/nn_dispatch.log" 2>&1 || rc=$?
  echo "nn dispatch rc=$rc"
  reps=5; if [ "$mode" = quick ]; then reps=3; fi
  "$nb/bench/descriptor_gpu/bench_descriptor_gpu" --batches 1,64,1024 --repeat $reps \
    --json "$out/bench_descriptor.json" | tee "$out/bench_descriptor.txt"
  if [ "$mode" != quick ]; then
    "$nb/bench/descriptor_gpu/bench_descriptor_gpu" --batches 1,64,1024 --repeat $reps --tf32 \
      --json "$out/bench_descriptor_tf32.json" | tee "$out/bench_descriptor_tf32.txt"
  fi
}
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
  run_nn
  exit 0
fi
rc=0; "$build/tests/cuda_fh/test_fh_gpu_bsds" > "$out/bsds.log" 2>&1 || rc=$?
echo "bsds rc=$rc" | tee -a "$out/bsds.log"
tail -3 "$out/bsds.log"
"$build/personrec" bench segment --sizes 0.15,1,12,50 --repeat 5 --json "$out/bench_sizes.json" \
  | tee "$out/bench_sizes.txt"
"$build/personrec" bench segment --images "$PR_DATA_DIR/bsds500/images" --limit 100 --repeat 3 \
  --json "$out/bench_bsds.json" | tee "$out/bench_bsds.txt"
run_nn
