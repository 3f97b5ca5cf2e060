#!/bin/sh
# Run on a development machine (with a package registry and the shared datasets) before going to
# the GPU machine. Puts into .cache/ (ignored by git, carried by the device tool, < 64 MiB):
#   .cache/gpu_sysroot/  libjpeg-turbo headers + static library, unpacked from Debian .debs
#   .cache/gpu_inputs/bsds500/images/  the 500 BSDS500 JPEGs (about 25 MB; not committed)
#   .cache/gpu_nn/  the descriptor nets' libraries, models and 64 album faces (see the end)
# Usage: bench/gpu/prepare.sh [DATA_DIR]   (default ../shared/datasets)
set -eu
root=$(cd "$(dirname "$0")/../.." && pwd)
data=${1:-${PR_DATA_DIR:-$root/../shared/datasets}}
cache=$root/.cache
mkdir -p "$cache/gpu_debs" "$cache/gpu_sysroot" "$cache/gpu_inputs/bsds500/images"
cd "$cache/gpu_debs"
ls libjpeg62-turbo-dev_*.deb >/dev/null 2>&1 || apt-get download libjpeg62-turbo-dev libjpeg62-turbo
for deb in "$cache"/gpu_debs/*.deb; do dpkg -x "$deb" "$cache/gpu_sysroot"; done
cp "$data"/bsds500/images/*.jpg "$cache/gpu_inputs/bsds500/images/"
du -sh "$cache/gpu_sysroot" "$cache/gpu_inputs"
# Descriptor nets (cuda/nn.cu, its parity test and bench; bench/gpu/run.sh builds core;cuda;nn):
#   .cache/gpu_nn/sysroot/  jansson, nettle, netlib BLAS with CBLAS (shared libraries, ~2 MB) and
#                           pkgconf, from Debian .debs. Netlib, not OpenBLAS: OpenBLAS's 36 MB library
#                           (or LAPACK's 10 MB, which nn does not call) would not fit the 64 MiB carry
#                           beside the BSDS images, and there the CPU runner is only the parity
#                           reference.
#   .cache/gpu_nn/models/   the landmark and recognition nets (../shared/models/faceapi, ~7 MB)
#   .cache/gpu_nn/album/    truth.csv with its first 64 faces and their photos (~5 MB)
nn=$cache/gpu_nn
models=${PERSONREC_MODELS:-$root/../shared/models/faceapi}
mkdir -p "$cache/gpu_nn_debs" "$nn/sysroot" "$nn/models" "$nn/album"
cd "$cache/gpu_nn_debs"
ls libjansson-dev_*.deb >/dev/null 2>&1 || apt-get download libblas3 libblas-dev libjansson4 \
  libjansson-dev libnettle8 nettle-dev pkgconf-bin libpkgconf3
for deb in "$cache"/gpu_nn_debs/*.deb; do dpkg -x "$deb" "$nn/sysroot"; done
cp "$nn/sysroot/usr/include/x86_64-linux-gnu/cblas-netlib.h" \
  "$nn/sysroot/usr/include/x86_64-linux-gnu/cblas.h"
find "$nn/sysroot" -name '*.a' -delete
rm -rf "$nn/sysroot/usr/share"
cp "$models"/face_landmark_68_model* "$models"/face_recognition_model* "$nn/models/"
head -65 "$data/album/truth.csv" > "$nn/album/truth.csv"
tail -n +2 "$nn/album/truth.csv" | cut -d, -f1 | sort -u | while read -r f; do
  mkdir -p "$nn/album/$(dirname "$f")"
  cp "$data/album/$f" "$nn/album/$f"
done
du -sh "$nn"
