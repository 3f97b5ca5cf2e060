#!/bin/sh
# Run on a development machine (with a package registry and the shared datasets) before going to
# the GPU machine. Puts into .cache/ (ignored by git, carried by the device tool, < 64 MiB):
#   .cache/gpu_sysroot/  libjpeg-turbo headers + static library, unpacked from Debian .debs
#   .cache/gpu_inputs/bsds500/images/  the 500 BSDS500 JPEGs (about 25 MB; not committed)
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
