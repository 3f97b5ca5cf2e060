#!/usr/bin/env bash
# label on a folder that shares no photo with the store it is given: `label B --out X` (or --db)
# where X holds album A's store, or an album whose folder is not mounted while its store lives
# elsewhere. The scan dropped every photo of A with the names given with 'personrec people'
# (exit 0, nothing said). Now it is refused (exit 1) naming a name that would go, and the store
# is left as it was; the store's own album still labels. Faces are put in with the sqlite3 shell.
# usage: test_cli_other_store.sh PERSONREC
set -u
. "$(dirname "$0")/lib.sh"
pr=$1
command -v sqlite3 >/dev/null || { echo "no sqlite3 shell"; exit 77; }
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
A="$out/album A"
B="$out/album B"
X="$out/store"
mkdir "$A" "$B" "$X"
"$pr" label "$A" --out "$X" --quiet >"$out/first" 2>&1
check "empty album A exits 0" test $? -eq 0
# A photo of A with a face a person named Amy (source 2: manual).
printf 'P5\n4 4\n255\n0123456789abcdef' >"$A/a.pgm"
sqlite3 "$X/album.db" "PRAGMA foreign_keys=ON;
INSERT INTO photos (id, path, size, mtime, hash) VALUES (1, 'a.pgm', $(stat -c %s "$A/a.pgm"),
  $(stat -c %Y "$A/a.pgm"), 1);
INSERT INTO faces (id, photo_id, x, y, w, h, score, pose) VALUES (1, 1, 0, 0, 4, 4, 1, 0);
INSERT INTO people (id, name) VALUES (1, 'Amy');
INSERT INTO assignments VALUES (1, 1, 1, 2);"
check "store filled" test $? -eq 0
before=$(sqlite3 "$X/album.db" "SELECT count(*) FROM photos; SELECT count(*) FROM assignments")
printf 'P5\n4 4\n255\n fedcba987654321' >"$B/b.pgm"
"$pr" label "$B" --out "$X" --quiet >"$out/other" 2>&1
check "another album's store: exits 1" test $? -eq 1
check "another album's store: names a name that would go" grep -q "'Amy' on a.pgm" "$out/other"
check "another album's store: nothing dropped or added" \
    test "$(sqlite3 "$X/album.db" "SELECT count(*) FROM photos; SELECT count(*) FROM assignments")" = "$before"
check "another album's store: Amy still there" sh -c "'$pr' people '$A' --out '$X' list | grep -q '^Amy '"
"$pr" label "$B" --db "$X/album.db" --quiet >"$out/db" 2>&1
check "--db of another album: exits 1" test $? -eq 1
# A's folder emptied (not mounted): the same.
mv "$A/a.pgm" "$out/away.pgm"
"$pr" label "$A" --out "$X" --quiet >"$out/gone" 2>&1
check "album folder emptied: exits 1" test $? -eq 1
check "album folder emptied: Amy still there" sh -c "'$pr' people '$A' --out '$X' list | grep -q '^Amy '"
mv "$out/away.pgm" "$A/a.pgm"
"$pr" label "$A" --out "$X" --quiet >"$out/own" 2>&1
check "its own album still labels (exit 0)" test $? -eq 0
finish
