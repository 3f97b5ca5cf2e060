#!/usr/bin/env bash
# personrec label / people on tiny albums, without running the detector: a mistyped album path is
# an error that creates nothing; corrections that name a missing person or a face of someone else
# fail (exit 1) and change nothing. Faces are put into the store with the sqlite3 shell.
# usage: test_cli_album.sh PERSONREC
set -u
. "$(dirname "$0")/lib.sh"
pr=$1
command -v sqlite3 >/dev/null || { echo "no sqlite3 shell"; exit 77; }
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT

# --- a mistyped album ---
"$pr" label "$out/no such album" --quiet >"$out/na" 2>&1
check "missing album exits 1" test $? -eq 1
check "missing album is named" grep -q "no such album" "$out/na"
check "missing album is not created" test ! -e "$out/no such album"
echo x > "$out/file.jpg"
"$pr" label "$out/file.jpg" --quiet >"$out/fa" 2>&1
check "a file as album exits 1" test $? -eq 1

# --- an empty album, then two faces put in by hand ---
A="$out/my album"
mkdir -p "$A"
"$pr" label "$A" --quiet >"$out/e" 2>&1
check "empty album exits 0" test $? -eq 0
db="$A/.personrec/album.db"
sqlite3 "$db" "PRAGMA foreign_keys=ON;
INSERT INTO photos (id, path, size, mtime, hash) VALUES (1, 'a.jpg', 1, 1, 1);
INSERT INTO faces (id, photo_id, x, y, w, h, score, pose) VALUES (1, 1, 0, 0, 9, 9, 1, 0),
  (2, 1, 20, 0, 9, 9, 1, 0);
INSERT INTO people (id, name) VALUES (1, 'Amy'), (2, 'Raj');
INSERT INTO assignments VALUES (1, 1, 1, 2), (2, 2, 1, 2);"
check "store filled" test $? -eq 0
people() { "$pr" people "$A" list | awk '{print $1}' | tr '\n' ' '; }
check "two people" test "$(people)" = "Amy Raj "

"$pr" people "$A" merge Nobody Ghost >"$out/m" 2>&1
check "merge of a missing person exits 1" test $? -eq 1
check "merge names the missing person" grep -q "no person named 'Nobody'" "$out/m"
check "merge of a missing person creates nobody" test "$(people)" = "Amy Raj "

"$pr" people "$A" split Amy --faces 2 >"$out/s" 2>&1
check "split of another person's face exits 1" test $? -eq 1
check "split says whose face it is not" grep -q "face 2 is not one of Amy's faces" "$out/s"
check "split of another person's face changes nothing" test "$(people)" = "Amy Raj "
"$pr" people "$A" split Amy --faces "" >"$out/s0" 2>&1
check "split with an empty --faces is a usage error" test $? -eq 2
"$pr" people "$A" split Amy --faces 1 --name Bernadette >"$out/s2" 2>&1
check "split of a person's own face exits 0" test $? -eq 0
check "split moved the face" test "$(people)" = "Bernadette Raj "
# A merge into someone who does not exist is refused (that is a rename, said so); a rename onto
# an existing name is refused (that is a merge, said so).
"$pr" people "$A" merge Raj Howard >"$out/m2" 2>&1
check "merge into a missing person exits 1" test $? -eq 1
check "merge into a missing person points to rename" grep -q "rename" "$out/m2"
check "merge into a missing person changes nothing" test "$(people)" = "Bernadette Raj "
"$pr" people "$A" rename Raj Bernadette >"$out/r2" 2>&1
check "rename onto an existing name exits 1" test $? -eq 1
check "rename onto an existing name points to merge" grep -q "merge" "$out/r2"
check "rename onto an existing name changes nothing" test "$(people)" = "Bernadette Raj "
"$pr" people "$A" rename Raj Howard >"$out/r3" 2>&1
check "rename to a new name exits 0" test $? -eq 0
check "rename to a new name renames" test "$(people)" = "Bernadette Howard "
# A face id too large for any face is named as typed, never as another number (strtoll clamps
# 99999999999999999999 to 9223372036854775807), and changes nothing.
"$pr" people "$A" forget 99999999999999999999 >"$out/big" 2>&1
check "huge face id is a usage error" test $? -eq 2
check "huge face id is named as typed" grep -q "'99999999999999999999' is not a face id" "$out/big"
check "huge face id: no other number" sh -c "! grep -q 9223372036854775807 '$out/big'"
"$pr" people "$A" split Bernadette --faces 1,99999999999999999999 >"$out/big2" 2>&1
check "huge face id in --faces exits 1" test $? -eq 1
check "huge face id in --faces is named as typed" grep -q "'99999999999999999999' is not a face id" "$out/big2"
check "huge face ids change nothing" test "$(people)" = "Bernadette Howard "
# people.csv cannot be put in place (a folder stands there): exit 1 naming the file, what was
# there untouched, and no temporary file left behind (core/fileio.h's atomic writer).
P=$A/.personrec
mv "$P/people.csv" "$out/before.csv"
mkdir "$P/people.csv" && echo keep > "$P/people.csv/x"
"$pr" people "$A" rename Howard Leonard >"$out/full" 2>&1
check "failed write exits 1" test $? -eq 1
check "failed write names the file" grep -q "people.csv" "$out/full"
check "failed write leaves what was there" test "$(cat "$P/people.csv/x")" = keep
check "failed write leaves no temporary file" test -z "$(ls "$P" | grep 'people.csv.tmp')"
rm -rf "$P/people.csv"

# --- forget says the way back (nothing lists forgotten faces); move takes it ---
"$pr" people "$A" forget 2 >"$out/fg" 2>&1
check "forget exits 0" test $? -eq 0
check "forget says how to bring the face back" grep -q "people .*my album move 2 PERSON" "$out/fg"
check "forgotten face hidden" test "$(people)" = "Bernadette "
"$pr" people "$A" move 2 Howard >"$out/mv" 2>&1
check "move brings the forgotten face back" test "$(people)" = "Bernadette Howard "

# --- a face of a --known photo is counted apart: no output shows it ---
sqlite3 "$db" "PRAGMA foreign_keys=ON;
INSERT INTO photos (id, path, size, mtime, hash) VALUES (2, '@known/Colin/c.jpg', 1, 1, 2);
INSERT INTO faces (id, photo_id, x, y, w, h, score, pose) VALUES (3, 2, 0, 0, 9, 9, 1, 0);
INSERT INTO people (id, name) VALUES (10, 'Colin');
INSERT INTO assignments VALUES (3, 10, 1, 1);"
"$pr" people "$A" list >"$out/kl" 2>&1
check "a known photo's face is not an album face" \
    grep -q "^Colin  *0 faces  (0 manual, 0 seed, 1 in --known photos)" "$out/kl"
check "album faces counted as before" grep -q "^Bernadette  *1 faces  (1 manual, 0 seed)$" "$out/kl"

# --- split of an unnamed person needs --name (person_12-2 would pass for a given name) ---
sqlite3 "$db" "PRAGMA foreign_keys=ON;
INSERT INTO faces (id, photo_id, x, y, w, h, score, pose) VALUES (4, 1, 40, 0, 9, 9, 1, 0);
INSERT INTO people (id, name) VALUES (20, 'person_12');
INSERT INTO assignments VALUES (4, 20, 0.9, 0);"
"$pr" people "$A" split person_12 --faces 4 >"$out/sp" 2>&1
check "split of an unnamed person without --name exits 1" test $? -eq 1
check "... says it needs a name" grep -q "person_12 has no name yet.*--name" "$out/sp"
check "... and makes no person_12-2" bash -c "! '$pr' people '$A' list | grep -q person_12-2"
# list --faces is one line of five tab-separated fields per face, whatever the photo's name: a
# tab or newline in it split the line (and an escape sequence drove the terminal); control
# characters are shown as '?', as in the problem lines on stderr.
sqlite3 "$db" "PRAGMA foreign_keys=ON;
INSERT INTO photos (id, path, size, mtime, hash) VALUES (3,
  'odd' || char(9) || 'name' || char(10) || 'x' || char(27) || '[2J.jpg', 1, 1, 3);
INSERT INTO faces (id, photo_id, x, y, w, h, score, pose) VALUES (7, 3, 0, 0, 9, 9, 1, 0);"
"$pr" people "$A" list --faces >"$out/lf" 2>&1
check "list --faces: one line per face" test "$(wc -l <"$out/lf")" -eq "$(sqlite3 "$db" \
    "SELECT count(*) FROM faces f JOIN photos p ON p.id = f.photo_id WHERE p.path NOT LIKE '@%'")"
check "list --faces: five fields on every line" test -z "$(awk -F'\t' 'NF != 5' "$out/lf")"
check "list --faces: control characters shown as ?" grep -q "^7	odd?name?x?\[2J.jpg	" "$out/lf"
finish
