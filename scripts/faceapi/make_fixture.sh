#!/usr/bin/env bash
# Recomputes tests/nn/fixtures/faceapi_album.json: face-api's own 68 landmarks, dlib-style aligned
# box and 128-d descriptor for the album faces listed in scripts/faceapi/fixture_faces.csv (truth
# boxes, plus non-square, past-the-border and tiny ones), for the C port's exactness test.
#   scripts/faceapi/make_fixture.sh [PERSONREC]     (default PERSONREC: build/personrec)
# The photos are decoded by PERSONREC (`info --rgb`), so face-api sees the pixels the C side sees.
# Environment: PR_DATA_DIR (default ../shared/datasets), PR_MODELS (default ../shared/models/faceapi,
# checked against its SOURCE.txt), FACEAPI_NODE_MODULES_DIR (a folder where faceapi_install already
# ran, e.g. .cache/faceapi after bench_peer.sh, to skip the npm install; by default the packages go
# to a mktemp -d folder removed at exit).
# Needs node >= 14, npm and the network (registry.npmjs.org). Takes ~2.5 CPU minutes (the
# pure-JS cpu backend), then re-runs the faces on the wasm backend and prints the difference.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
# shellcheck source=scripts/faceapi/npm_env.sh
. "$here/npm_env.sh"

personrec=$(realpath "${1:-$root/build/personrec}")
data=${PR_DATA_DIR:-$root/../shared/datasets}
models=${PR_MODELS:-$root/../shared/models/faceapi}
out=$root/tests/nn/fixtures/faceapi_album.json
[ -x "$personrec" ] || { echo "make_fixture: $personrec is not an executable" >&2; exit 1; }
command -v node >/dev/null || { echo "make_fixture: node not found" >&2; exit 1; }

pkgdir=${FACEAPI_NODE_MODULES_DIR:-}
if [ -z "$pkgdir" ]; then
    pkgdir=$(mktemp -d "${TMPDIR:-/tmp}/faceapi-npm.XXXXXX")
    trap 'rm -rf "$pkgdir"' EXIT
fi
faceapi_install "$pkgdir" || { echo "make_fixture: npm install failed" >&2; exit 1; }

run() { NODE_PATH="$pkgdir/node_modules" node "$here/make_fixture.js" --personrec "$personrec" \
    --album "$data/album" --models "$models" --faces "$here/fixture_faces.csv" "$@"; }
run --backend cpu --out "$out"
echo "make_fixture: wrote $out" >&2
echo "make_fixture: the same faces on the wasm backend, largest differences:" >&2
run --backend wasm --check "$out"
