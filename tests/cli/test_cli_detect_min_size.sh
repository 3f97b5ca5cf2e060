#!/usr/bin/env bash
# detect --min-size holds for every detector: the network found faces of every size (its faces
# were never held to it), so `--detector network --min-size 80` listed 62-px faces. A real group
# photo (faces of about 62 px at the working size, below 1600 px: photo pixels = working pixels).
# usage: test_cli_detect_min_size.sh PERSONREC DATA_DIR
set -u
. "$(dirname "$0")/lib.sh"
pr=$1
data=$2
photo="$data/faceapi_bbt/bbt3.jpg"
[ -f "$photo" ] || { echo "skipped: $photo missing"; exit 77; }
"$pr" detect --help >/dev/null 2>&1 || { echo "skipped: no detect in this build"; exit 77; }
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
smallest() { tail -n +2 "$1" | awk -F, 'BEGIN { m = 1e9 } { s = $4 < $5 ? $4 : $5; if (s < m) m = s } END { print m }'; }
for d in network both; do
    "$pr" detect --detector "$d" "$photo" >"$out/$d.csv" 2>"$out/$d.err"
    if grep -q "not available" "$out/$d.err"; then
        echo "skipped: no network detector (models)"
        exit 77
    fi
    check "$d: the premise, a face below 80 px" awk "BEGIN { exit !($(smallest "$out/$d.csv") < 80) }"
    "$pr" detect --detector "$d" --min-size 80 "$photo" >"$out/$d-80.csv" 2>&1
    check "$d --min-size 80: exits 0" test $? -eq 0
    check "$d --min-size 80: no face below 80 px" \
        awk "BEGIN { exit !($(smallest "$out/$d-80.csv") >= 80) }"
done
finish
