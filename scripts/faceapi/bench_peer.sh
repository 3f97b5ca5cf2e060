#!/usr/bin/env bash
# The benchmark peer for the face nets: face-api itself (@vladmandic/face-api 1.7.15, tfjs wasm
# backend, one thread, in node) timing landmarks + descriptor per face on the faces you give it.
#   scripts/faceapi/bench_peer.sh [options] FACES.csv
#     --personrec PATH   decoder for the photos (default: build/personrec); decoding is not timed
#     --root DIR         image paths in FACES.csv are relative to DIR (default: the CSV's folder)
#     --repeat N         timed passes over all faces after one warm-up pass (default 3)
#     --threads N        wasm threads (default 1)
#   FACES.csv: a header line, then image,x,y,w,h[,...] rows (the album's truth.csv works as is;
#   so does scripts/faceapi/fixture_faces.csv with --root ../shared/datasets/album).
# Output: one JSON object on stdout, keys:
#   peer, tfjs, backend, threads, node, wasm_simd, faces, repeat, ms_per_face, ms_per_face_mean,
#   landmarks_ms, descriptor_ms, faces_per_s, cpu_ms_per_face, cpu_landmarks_ms, cpu_descriptor_ms
#   ms_per_face = median over faces x passes of the whole chain (crop, landmark net, aligned box,
#   crop, descriptor net); landmarks_ms / descriptor_ms = medians of the two nets alone (each
#   including face-api's own pad-to-square, resize and mean subtraction). Compare personrec's
#   landmarks + descriptor per face with ms_per_face (or with landmarks_ms + descriptor_ms).
#   cpu_* = the same medians in process CPU time (user + system), which a loaded machine inflates
#   far less than wall time.
# Exit status: 0 done; 77 skipped: node or npm missing, or the packages cannot be installed (no
# network) -- then stdout is {"skipped":"<why>"} and the note is repeated on stderr; 1 other errors;
# 2 usage.
# The npm packages are installed once into .cache/faceapi (git-ignored; FACEAPI_CACHE overrides)
# and reused. Environment: PR_MODELS (default ../shared/models/faceapi, checked against SOURCE.txt).
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
# shellcheck source=scripts/faceapi/npm_env.sh
. "$here/npm_env.sh"

usage() {
    sed -n '4,10p' "$0" | sed 's/^# \{0,1\}//' >&2
    exit 2
}

personrec=$root/build/personrec
js_args=()
faces=
while [ $# -gt 0 ]; do
    case $1 in
        --personrec) personrec=${2:-}; shift 2 ;;
        --root | --repeat | --threads) [ $# -ge 2 ] || usage; js_args+=("$1" "$2"); shift 2 ;;
        -h | --help) usage ;;
        -*) echo "bench_peer: unknown option $1" >&2; usage ;;
        *) [ -z "$faces" ] || usage; faces=$1; shift ;;
    esac
done
[ -n "$faces" ] || usage
[ -f "$faces" ] || { echo "bench_peer: $faces: no such file" >&2; exit 2; }
[ -x "$personrec" ] || { echo "bench_peer: $personrec is not an executable" >&2; exit 2; }
models=${PR_MODELS:-$root/../shared/models/faceapi}

cache=${FACEAPI_CACHE:-$root/.cache/faceapi}
faceapi_peer_prepare bench_peer "$cache"

NODE_PATH="$cache/node_modules" exec node "$here/bench_peer.js" --personrec "$(realpath "$personrec")" \
    --models "$models" --faces "$faces" "${js_args[@]}"
