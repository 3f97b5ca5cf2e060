#!/usr/bin/env bash
# label --report FILE never replaces a file that is not an HTML page: pointed at the album store
# (a tab completion of --report ALBUM/.personrec/), a photo or people.csv, it replaced it with the
# page, exit 0, and the store with every name given with 'personrec people' was gone. Such a
# report is refused (named, exit 1), the file left byte for byte and the other outputs written; an
# earlier report is replaced as before; cluster --out the same. A face is put in with the sqlite3
# shell.
# usage: test_cli_report_target.sh PERSONREC
set -u
. "$(dirname "$0")/lib.sh"
pr=$1
command -v sqlite3 >/dev/null || { echo "no sqlite3 shell"; exit 77; }
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
A="$out/album"
mkdir "$A"
"$pr" label "$A" --quiet >"$out/first" 2>&1
check "empty album exits 0" test $? -eq 0
printf 'P5\n4 4\n255\n0123456789abcdef' >"$A/a.pgm"
db="$A/.personrec/album.db"
sqlite3 "$db" "PRAGMA foreign_keys=ON;
INSERT INTO photos (id, path, size, mtime, hash) VALUES (1, 'a.pgm', $(stat -c %s "$A/a.pgm"),
  $(stat -c %Y "$A/a.pgm"), 1);
INSERT INTO faces (id, photo_id, x, y, w, h, score, pose) VALUES (1, 1, 0, 0, 4, 4, 1, 0);
INSERT INTO people (id, name) VALUES (1, 'Amy');
INSERT INTO assignments VALUES (1, 1, 1, 2);"
check "store filled" test $? -eq 0
for target in "$db" "$A/a.pgm" "$A/.personrec/people.csv"; do
    name=${target##*/}
    before=$(head -c 16 "$target" | od -c | head -1)
    "$pr" label "$A" --quiet --report "$target" >"$out/rep" 2>&1
    check "--report onto $name exits 1" test $? -eq 1
    check "--report onto $name names it" grep -q "$name" "$out/rep"
    check "--report onto $name leaves it as it was" test "$(head -c 16 "$target" | od -c | head -1)" = "$before"
done
check "the store still holds Amy" sh -c "'$pr' people '$A' list | grep -q '^Amy '"
check "people.csv still written" grep -q "a.pgm,.*Amy" "$A/.personrec/people.csv"
"$pr" label "$A" --quiet --report "$out/report.html" >"$out/r1" 2>&1
check "a new report exits 0" test $? -eq 0
"$pr" label "$A" --quiet --report "$out/report.html" >"$out/r2" 2>&1
check "an earlier report is replaced (exit 0)" test $? -eq 0
check "the report is a page" grep -q "<html" "$out/report.html"
# cluster --out FILE likewise: a file there that is not cluster's own CSV is refused before the
# run (it replaced the store the same way), an earlier output is replaced.
if "$pr" cluster --help >/dev/null 2>&1; then
    before=$(head -c 16 "$db" | od -c | head -1)
    "$pr" cluster --album "$A" --out "$db" >"$out/c1" 2>&1
    check "cluster --out onto the store exits 1" test $? -eq 1
    check "cluster --out onto the store names it" grep -q "album.db" "$out/c1"
    check "cluster --out onto the store leaves it" test "$(head -c 16 "$db" | od -c | head -1)" = "$before"
    "$pr" cluster --album "$A" --out "$out/c.csv" >"$out/c2" 2>&1
    check "cluster --out to a new file exits 0" test $? -eq 0
    "$pr" cluster --album "$A" --out "$out/c.csv" >"$out/c3" 2>&1
    check "cluster --out over its own output exits 0" test $? -eq 0
fi
finish
