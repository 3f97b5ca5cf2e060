# person_<number> names stay when the album is clustered again: a photo processed again (edited
# by another tool) or a new photo must not renumber the people nobody named yet. The store's
# numbers are first moved away from the medoid face ids a fresh clustering would hand out
# (person_9001...), so that keeping them is what is tested, not a coincidence.
. "$(dirname "$0")/lib.sh" "$@"
need exiftool sqlite3
A=$(fresh album)
for f in Family1-Dad1 Family1-Dad2 Family1-Mom1 Family1-Mom2 Family1-Son1; do
    cp "$S/azure_face_family/images/$f.jpg" "$A/"
done
"$P" label "$A" --quiet || { echo "first label run failed"; exit 1; }
sqlite3 "$A/.personrec/album.db" \
    "UPDATE people SET name = 'person_' || (9000 + id) WHERE name GLOB 'person_[0-9]*'"
"$P" people "$A" list --faces | cut -f1,4 | sort >"$W/before"
check "the album has unnamed people" grep -q "person_900" "$W/before"

exiftool -q -overwrite_original -Artist=someone "$A/Family1-Dad1.jpg" "$A/Family1-Son1.jpg"
"$P" label "$A" >"$W/out" 2>&1
check "the run after the edit exits 0" test $? -eq 0
check "the edited photos were processed again" grep -q "2 processed" "$W/out"
"$P" people "$A" list --faces | cut -f1,4 | sort >"$W/after"
check "every face keeps its person_<number> after photos are processed again" \
    cmp -s "$W/before" "$W/after"

cp "$S/azure_face_family/images/Family1-Son2.jpg" "$A/"
"$P" label "$A" >"$W/out" 2>&1
check "the run with a new photo exits 0" test $? -eq 0
"$P" people "$A" list --faces | cut -f1,4 | sort >"$W/added"
check "every old face keeps its person_<number> after a photo is added" \
    test -z "$(join -t "$(printf '\t')" "$W/before" "$W/added" | awk -F'\t' '$2 != $3')"
check "the old faces are all still there" \
    test "$(join -t "$(printf '\t')" "$W/before" "$W/added" | wc -l)" -eq "$(wc -l <"$W/before")"
finish
