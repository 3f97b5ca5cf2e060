#!/usr/bin/env bash
# personrec info over real photos: all 500 BSDS500 JPEGs succeed; a folder that also holds a
# truncated JPEG, an empty file and a text file reports those three by name, processes the rest
# and exits 1.
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
check "truncated JPEG reported" grep -q "truncated.jpg: corrupt JPEG" "$scratch/mixed.err"
check "empty file reported" grep -q "empty.jpg: empty file" "$scratch/mixed.err"
check "text file reported" grep -q "notes.txt: not a JPEG, PNG or binary PNM image" "$scratch/mixed.err"
check "summary counts 3 of 8" grep -q "3 of 8 files could not be read" "$scratch/mixed.err"
finish
