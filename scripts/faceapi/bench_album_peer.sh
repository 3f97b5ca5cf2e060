#!/usr/bin/env bash
# The peer of `personrec bench album`: face-api's whole per-photo pipeline (SSD detection +
# landmarks + descriptor, tfjs wasm backend, one thread, in node) on a list of photos.
#   scripts/faceapi/bench_album_peer.sh --personrec PATH PHOTOS.txt
#     PHOTOS.txt: one photo path per line (`personrec bench album --peer` writes it and calls this)
# Output: one JSON object on stdout (bench_album_peer.js has the keys). Exit status: 0 done; 77
# skipped (node or npm missing, packages not installable) with {"skipped":"<why>"} on stdout;
# 1 other errors; 2 usage. Packages: .cache/faceapi (FACEAPI_CACHE overrides), as bench_peer.sh.
# Environment: PR_MODELS (default ../shared/models/faceapi).
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
# shellcheck source=scripts/faceapi/npm_env.sh
. "$here/npm_env.sh"

usage() {
    sed -n '4,5p' "$0" | sed 's/^# \{0,1\}//' >&2
    exit 2
}

personrec=$root/build/personrec
list=
while [ $# -gt 0 ]; do
    case $1 in
        --personrec) personrec=${2:-}; shift 2 ;;
        -h | --help) usage ;;
        -*) echo "bench_album_peer: unknown option $1" >&2; usage ;;
        *) [ -z "$list" ] || usage; list=$1; shift ;;
    esac
done
[ -n "$list" ] && [ -f "$list" ] || usage
[ -x "$personrec" ] || { echo "bench_album_peer: $personrec is not an executable" >&2; exit 2; }
models=${PR_MODELS:-$root/../shared/models/faceapi}

cache=${FACEAPI_CACHE:-$root/.cache/faceapi}
faceapi_peer_prepare bench_album_peer "$cache"

NODE_PATH="$cache/node_modules" exec node "$here/bench_album_peer.js" \
    --personrec "$(realpath "$personrec")" --models "$models" --list "$list"
