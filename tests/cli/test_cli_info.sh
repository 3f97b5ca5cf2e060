#!/usr/bin/env bash
# personrec info over real photos: all 500 BSDS500 JPEGs succeed; a folder that also holds a
# truncated JPEG, an empty file and a text file reports those three by name, processes the rest
# and exits 1. --rgb writes the decoded pixels as a P6 whose size matches --json, keeps a PPM
# byte for byte, replicates a grey PGM into R=G=B, leaves no file behind on a failure, and refuses
# several images or a name not ending in .ppm.
set -u
. "$(dirname "$0")/lib.sh"
pr=$1
data=$2
scratch=$3
images="$data/bsds500/images"
[ -d "$images" ] || { echo "skipped: $images missing"; exit 77; }
rm -rf "$scratch"
mkdir -p "$scratch/mixed"

"$pr" info --json "$images"/*.jpg >"$scratch/all.json" 2>"$scratch/all.err"
check "info over BSDS500 exits 0" test $? -eq 0
check "500 JSON lines" test "$(wc -l <"$scratch/all.json")" -eq 500
check "every line has width and datetime keys" test "$(grep -c '"width":[0-9]*,"height":[0-9]*,.*"datetime":' "$scratch/all.json")" -eq 500
if command -v python3 >/dev/null; then
    check "each line is valid JSON" python3 -c "import json,sys; [json.loads(l) for l in open(sys.argv[1])]" "$scratch/all.json"
fi

for f in 100007 100039 100075 101027 101084; do cp "$images/$f.jpg" "$scratch/mixed/"; done
head -c 5000 "$images/100007.jpg" >"$scratch/mixed/truncated.jpg"
: >"$scratch/mixed/empty.jpg"
echo "holiday notes, not a photo" >"$scratch/mixed/notes.txt"
"$pr" info --json "$scratch/mixed"/* >"$scratch/mixed.json" 2>"$scratch/mixed.err"
check "mixed folder exits 1" test $? -eq 1
check "the 5 good photos are processed" test "$(wc -l <"$scratch/mixed.json")" -eq 5
check "truncated JPEG reported" grep -q "truncated.jpg: truncated JPEG" "$scratch/mixed.err"
check "empty file reported" grep -q "empty.jpg: empty file" "$scratch/mixed.err"
check "text file reported" grep -q "notes.txt: not a JPEG, PNG, HEIF/HEIC, AVIF, WebP, TIFF, GIF or binary PNM image" "$scratch/mixed.err"
check "summary counts 3 of 8" grep -q "3 of 8 files could not be read" "$scratch/mixed.err"

# A folder given whole: a link with a photo's name that leads nowhere is named, the rest read.
mkdir -p "$scratch/tree/sub"
cp "$images/100007.jpg" "$scratch/tree/"
ln -s "$scratch/nowhere.jpg" "$scratch/tree/sub/gone.jpg"
"$pr" info "$scratch/tree" >"$scratch/tree.out" 2>"$scratch/tree.err"
check "folder with a dangling link exits 1" test $? -eq 1
check "the dangling link is named" grep -q "tree/sub/gone.jpg: cannot open" "$scratch/tree.err"
check "the good photo is read" grep -q "100007.jpg: jpeg" "$scratch/tree.out"

# --rgb: the decoded pixels as P6.
jpg="$images/100007.jpg"
"$pr" info --json --rgb "$scratch/a.ppm" "$jpg" >"$scratch/rgb.json"
check "--rgb exits 0" test $? -eq 0
w=$(sed 's/.*"width":\([0-9]*\).*/\1/' "$scratch/rgb.json")
h=$(sed 's/.*"height":\([0-9]*\).*/\1/' "$scratch/rgb.json")
header="P6
$w $h
255"
check "--rgb header is P6 with the --json size" test "$(head -n 3 "$scratch/a.ppm")" = "$header"
check "--rgb holds width*height*3 pixel bytes" \
    test "$(wc -c <"$scratch/a.ppm")" -eq $((${#header} + 1 + w * h * 3))
"$pr" info --rgb "$scratch/b.ppm" "$scratch/a.ppm" >/dev/null
check "--rgb of a P6 gives the same bytes" cmp -s "$scratch/a.ppm" "$scratch/b.ppm"
pgm=$(find "$data/att_orl" -name '*.pgm' | sort | head -n 1)
if [ -n "$pgm" ] && command -v python3 >/dev/null; then
    "$pr" info --rgb "$scratch/grey.ppm" "$pgm" >/dev/null
    check "--rgb of a grey PGM replicates each level into R, G and B" python3 -c '
import sys
def pixels(path, magic):
    b = open(path, "rb").read()
    f = b.split(maxsplit=4)
    assert f[0] == magic and f[3] == b"255", f[:4]
    return int(f[1]), int(f[2]), f[4]
gw, gh, g = pixels(sys.argv[1], b"P5")
cw, ch, c = pixels(sys.argv[2], b"P6")
assert (cw, ch) == (gw, gh) and len(g) == gw * gh and c == bytes(v for v in g for _ in range(3))
' "$pgm" "$scratch/grey.ppm"
fi
"$pr" info --rgb "$scratch/bad.ppm" "$scratch/mixed/truncated.jpg" >/dev/null 2>"$scratch/bad.err"
check "--rgb of a truncated JPEG exits 1" test $? -eq 1
check "--rgb leaves no output after a failure" test ! -e "$scratch/bad.ppm"
"$pr" info --rgb "$scratch/two.ppm" "$jpg" "$images/100039.jpg" >/dev/null 2>&1
check "--rgb with two images is a usage error" test $? -eq 2
"$pr" info --rgb "$scratch/a.jpg" "$jpg" >/dev/null 2>&1
check "--rgb to a non-.ppm name is a usage error" test $? -eq 2
check "usage errors write nothing" test ! -e "$scratch/two.ppm" -a ! -e "$scratch/a.jpg"
finish
