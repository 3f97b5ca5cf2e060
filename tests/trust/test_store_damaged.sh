# r10: a damaged store is refused, never taken for a new album: an empty album.db, one with a
# table missing, one that is not a database at all, one with a damaged page (each made the same way
# every run). Each time label and people exit 1, name the file, say how to recover, and leave the
# file as it was; moving it aside (the recovery the message gives) starts afresh.
. "$(dirname "$0")/lib.sh" "$@"
need sqlite3
A=$(fresh album)
for f in Family1-Dad1 Family1-Mom1; do cp "$S/azure_face_family/images/$f.jpg" "$A/"; done
"$P" label "$A" --quiet || { echo "first label run failed"; exit 1; }
face=$("$P" people "$A" list --faces | awk -F'\t' 'NR == 1 {print $1}')
"$P" people "$A" move "$face" Dad >/dev/null || { echo "move failed"; exit 1; }
DB=$A/.personrec/album.db
cp "$DB" "$W/good.db"

refused() { # what: label and people refuse the store in $DB, leaving it byte for byte
    local what=$1
    cp "$DB" "$W/damaged.db"
    "$P" label "$A" >"$W/out" 2>&1
    check "$what: label exits 1" test $? -eq 1
    check "$what: label names the store" grep -qF "$DB" "$W/out"
    check "$what: label says how to recover" grep -q "move it aside" "$W/out"
    "$P" people "$A" list >"$W/out" 2>&1
    check "$what: people list exits 1" test $? -eq 1
    check "$what: people list names the store" grep -qF "$DB" "$W/out"
    check "$what: the store is left untouched" cmp -s "$DB" "$W/damaged.db"
    rm -f "$DB-wal" "$DB-shm"
}

: >"$DB"
refused "empty album.db"
check "empty album.db: still empty" test ! -s "$DB"

cp "$W/good.db" "$DB"
sqlite3 "$DB" "DROP TABLE people"
refused "people table missing"

cp "$W/good.db" "$DB"
sqlite3 "$DB" "ALTER TABLE faces DROP COLUMN descriptor"
refused "a column missing"

yes "not a database" | head -c 100000 >"$DB"
refused "not a database"

# A damaged page, made the same way every run: the faces table's root page (its place read from
# the schema, which page 1 keeps intact) overwritten with 0xFF bytes, which no b-tree page can
# hold. SQLite's own check must see the damage, or the case would test nothing; no root page found
# fails the test rather than skipping the case.
cp "$W/good.db" "$DB"
psize=$(sqlite3 "$DB" "PRAGMA page_size")
pages=$(sqlite3 "$DB" "PRAGMA page_count")
root=$(sqlite3 "$DB" "SELECT rootpage FROM sqlite_master WHERE type = 'table' AND name = 'faces'")
check "the faces table's root page is in the store (page $root of $pages)" \
    test -n "$root" -a "${root:-0}" -gt 1 -a "${root:-0}" -le "${pages:-0}"
if [ -n "$root" ] && [ "$root" -gt 1 ]; then
    head -c "$psize" /dev/zero | tr '\0' '\377' |
        dd of="$DB" bs="$psize" seek=$((root - 1)) count=1 conv=notrunc 2>/dev/null
    check "a damaged page: SQLite's quick_check sees it" \
        test "$(sqlite3 "$DB" "PRAGMA quick_check" 2>&1 | head -1)" != ok
    refused "a damaged page"
fi

# The recovery the message gives: move it aside, label afresh.
mv "$DB" "$DB.damaged"
"$P" label "$A" --quiet >"$W/out" 2>&1
check "after moving the store aside, label starts afresh and exits 0" test $? -eq 0
check "the new store has the album's faces" test -s "$A/.personrec/people.csv"
# The good store put back: Dad is there again.
"$P" people "$A" list >/dev/null 2>&1
cp "$W/good.db" "$DB"
rm -f "$DB-wal" "$DB-shm"
check "the good store still holds Dad" sh -c "'$P' people '$A' list | grep -q '^Dad '"
finish
