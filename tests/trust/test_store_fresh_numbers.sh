# New people get person_<number> names of their own: when the face ids of a new photo are the
# numbers older people keep (SQLite hands out ids above the highest, which an old person_<n> may
# hold), each new person still gets a number no one else has, never person_0 shared by strangers.
. "$(dirname "$0")/lib.sh" "$@"
need sqlite3
A=$(fresh album)
for f in Family1-Dad1 Family1-Dad2 Family1-Mom1 Family1-Mom2 Family1-Son1; do
    cp "$S/azure_face_family/images/$f.jpg" "$A/"
done
"$P" label "$A" --quiet || { echo "first label run failed"; exit 1; }
db=$A/.personrec/album.db
# The unnamed people take the numbers the next faces stored will get as ids.
sqlite3 "$db" "UPDATE people SET name = 'person_' || ((SELECT max(id) FROM faces) + id)
               WHERE name GLOB 'person_[0-9]*'"
cp "$S/faceapi_bbt/bbt1.jpg" "$A/new.jpg"   # several people not seen before
"$P" label "$A" >"$W/out" 2>&1
check "the run with a new photo exits 0" test $? -eq 0
"$P" people "$A" list --faces | awk -F'\t' '$2 ~ /new.jpg/ {print $4}' | sort >"$W/new"
check "the new photo has several faces" test "$(wc -l <"$W/new")" -ge 3
check "no one is person_0" test -z "$(grep -x 'person_0' "$W/new")"
check "the new photo's faces are different people (same-photo cannot-link)" \
    test "$(sort -u "$W/new" | wc -l)" -eq "$(wc -l <"$W/new")"
finish
