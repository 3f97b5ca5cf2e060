#!/usr/bin/env bash
# Recomputes tests/nn/fixtures/faceapi_ssd.json: face-api's own SSD MobileNet v1 detections (boxes
# and scores, default options) on the photos in scripts/faceapi/detect_fixture_photos.txt, for the
# C port's exactness test (tests/detect/test_ssd_fixture.c).
#   scripts/faceapi/make_detect_fixture.sh [PERSONREC]     (default PERSONREC: build/personrec)
# Environment as make_fixture.sh: PR_DATA_DIR, PR_MODELS, FACEAPI_NODE_MODULES_DIR (reuse an
# install such as .cache/faceapi; by default a mktemp -d folder removed at exit). Needs node, npm
# and the network for the install. The pure-JS cpu backend takes a few CPU seconds per photo.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
# shellcheck source=scripts/faceapi/npm_env.sh
. "$here/npm_env.sh"

personrec=$(realpath "${1:-$root/build/personrec}")
data=${PR_DATA_DIR:-$root/../shared/datasets}
models=${PR_MODELS:-$root/../shared/models/faceapi}
out=$root/tests/nn/fixtures/faceapi_ssd.json
[ -x "$personrec" ] || { echo "make_detect_fixture: $personrec is not an executable" >&2; exit 1; }
command -v node >/dev/null || { echo "make_detect_fixture: node not found" >&2; exit 1; }

pkgdir=${FACEAPI_NODE_MODULES_DIR:-}
if [ -z "$pkgdir" ]; then
    pkgdir=$(mktemp -d "${TMPDIR:-/tmp}/faceapi-npm.XXXXXX")
    trap 'rm -rf "$pkgdir"' EXIT
fi
faceapi_install "$pkgdir" || { echo "make_detect_fixture: npm install failed" >&2; exit 1; }

NODE_PATH="$pkgdir/node_modules" node "$here/make_detect_fixture.js" --personrec "$personrec" \
    --data "$data" --models "$models" --photos "$here/detect_fixture_photos.txt" --backend cpu \
    --out "$out"
echo "make_detect_fixture: wrote $out" >&2
