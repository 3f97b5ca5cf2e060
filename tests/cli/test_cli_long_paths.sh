#!/usr/bin/env bash
# A photo or folder whose path is longer than the system allows (PATH_MAX, 4096 bytes on Linux:
# here 18 folders of 250 characters deep) cannot be read by path, and was silently left out of
# the album: `info FOLDER` and `label` listed the rest and exited 0, saying nothing. It is named
# with the reason, the rest is processed, and the exit status is 1.
# usage: test_cli_long_paths.sh PERSONREC
set -u
. "$(dirname "$0")/lib.sh"
pr=$1
command -v python3 >/dev/null || { echo "no python3"; exit 77; }
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
A="$out/album"
# A 4x4 grey PGM: any image will do, nothing here needs a face.
python3 - "$A" <<'PY' || { echo "cannot build the deep folders"; exit 77; }
import os, sys
os.makedirs(sys.argv[1])
os.chdir(sys.argv[1])
pgm = b"P5\n4 4\n255\n" + bytes(range(16))
open("top.pgm", "wb").write(pgm)
for _ in range(18):
    os.mkdir("d" * 250)
    os.chdir("d" * 250)
open("deep.pgm", "wb").write(pgm)
PY
"$pr" info "$A" >"$out/info" 2>"$out/info.err"
check "info: exits 1" test $? -eq 1
check "info: the top photo is read" grep -q "top.pgm: pnm 4x4" "$out/info"
check "info: the deep entry is named with its reason" grep -q "ddd: .*too long" "$out/info.err"
if "$pr" label --help >/dev/null 2>&1; then
    "$pr" label "$A" --quiet >"$out/label" 2>&1
    check "label: exits 1" test $? -eq 1
    check "label: the deep entry is named with its reason" grep -q "ddd: .*too long" "$out/label"
    check "label: the rest is labelled" test -f "$A/.personrec/people.csv"
fi
finish
