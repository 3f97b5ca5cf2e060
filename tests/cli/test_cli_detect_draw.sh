#!/usr/bin/env bash
# detect --draw DIR never writes over a photo of the run: with DIR the photos' own folder
# (`detect --draw . *.jpg`), DIR/<name>.jpg is the photo itself, which was replaced by its drawn,
# re-encoded copy; a PNG's drawing would replace a JPEG of the same name given in the run. Such a
# drawing is refused (named, exit 1), the photo left byte for byte, the others drawn.
# usage: test_cli_detect_draw.sh PERSONREC DATA_DIR
set -u
. "$(dirname "$0")/lib.sh"
pr=$1
data=$2
photo="$data/album/azure_face_family/images/Family1-Dad1.jpg"
[ -f "$photo" ] || { echo "skipped: $photo missing"; exit 77; }
"$pr" detect --help >/dev/null 2>&1 || { echo "skipped: no detect in this build"; exit 77; }
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
A="$out/photos"
mkdir "$A"
cp "$photo" "$A/dad.jpg"
cp "$photo" "$A/twin.jpg"
"$pr" info --rgb "$out/twin.ppm" "$photo" >/dev/null 2>&1 && cp "$out/twin.ppm" "$A/twin.ppm"
chmod u+w "$A"/*
before=$(sha256sum "$A/dad.jpg" "$A/twin.jpg")

"$pr" detect --draw "$A" "$A/dad.jpg" >"$out/d1" 2>"$out/e1"
check "--draw onto the photo itself exits 1" test $? -eq 1
check "--draw onto the photo itself is named" grep -q "dad.jpg" "$out/e1"
check "the photo is left as it was" test "$(sha256sum "$A/dad.jpg" "$A/twin.jpg")" = "$before"
check "the faces are still listed" grep -q "dad.jpg,[0-9]" "$out/d1"

# twin.ppm would be drawn to twin.jpg, another photo of the run; dad.jpg to itself; both refused.
mkdir "$out/drawn"
"$pr" detect --draw "$A" "$A/twin.ppm" "$A/twin.jpg" >"$out/d2" 2>"$out/e2"
check "--draw onto another photo of the run exits 1" test $? -eq 1
check "the photos are left as they were" test "$(sha256sum "$A/dad.jpg" "$A/twin.jpg")" = "$before"

# The ordinary use still draws.
"$pr" detect --draw "$out/drawn" "$A/dad.jpg" >"$out/d3" 2>"$out/e3"
check "--draw into another folder exits 0" test $? -eq 0
check "--draw into another folder writes the drawing" test -s "$out/drawn/dad.jpg"
"$pr" detect --draw "$out/drawn" "$A/dad.jpg" >"$out/d4" 2>"$out/e4"
check "--draw again over its own drawing exits 0" test $? -eq 0
finish
