# r06: a photo whose bytes change (another tool edits its metadata) keeps its faces: the same
# face ids, a manual name stays manual, a forgotten face stays forgotten. A photo only touched
# (same bytes, new time) is not processed again.
. "$(dirname "$0")/lib.sh" "$@"
need exiftool
A=$(fresh album)
for f in Family1-Dad1 Family1-Dad2 Family1-Mom1 Family1-Mom2 Family1-Son1; do
    cp "$S/azure_face_family/images/$f.jpg" "$A/"
done
"$P" label "$A" --quiet || { echo "first label run failed"; exit 1; }
"$P" people "$A" list --faces >"$W/before"
dad=$(awk -F'\t' '$2 == "Family1-Dad1.jpg" {print $1; exit}' "$W/before")
mom=$(awk -F'\t' '$2 == "Family1-Mom1.jpg" {print $1; exit}' "$W/before")
[ -n "$dad" ] && [ -n "$mom" ] || { echo "no face found on Dad1 or Mom1"; cat "$W/before"; exit 1; }
"$P" people "$A" move "$dad" Dad >/dev/null
"$P" people "$A" forget "$mom" >/dev/null
"$P" people "$A" list --faces >"$W/corrected"
# Another tool edits both photos: new bytes, same pixels.
exiftool -q -overwrite_original -Artist=someone "$A/Family1-Dad1.jpg" "$A/Family1-Mom1.jpg"
"$P" label "$A" >"$W/out" 2>&1
check "the label run after the edit exits 0" test $? -eq 0
check "both edited photos were processed again" grep -q "2 processed" "$W/out"
"$P" people "$A" list --faces >"$W/after"
check "the corrected face keeps its id, name and manual source" \
    test "$(awk -F'\t' -v id="$dad" '$1 == id {print $2 "|" $4 "|" $5}' "$W/after")" = \
    "Family1-Dad1.jpg|Dad|manual"
check "the forgotten face stays forgotten" \
    test -z "$(awk -F'\t' -v id="$mom" '$1 == id' "$W/after")"
check "no face of the edited Mom1 came back under a new id" \
    test "$(grep -c 'Family1-Mom1.jpg' "$W/after")" -eq "$(grep -c 'Family1-Mom1.jpg' "$W/corrected")"
check "every face id is the one it had" \
    test "$(cut -f1,2,3 "$W/after" | sort)" = "$(cut -f1,2,3 "$W/corrected" | sort)"
check "people.csv names Dad on Dad1" grep -q '^Family1-Dad1.jpg,.*,Dad,' "$A/.personrec/people.csv"
# Touched only: the same bytes under a new time are not described again.
touch -d '2001-02-03 04:05:06' "$A/Family1-Dad2.jpg"
"$P" label "$A" >"$W/out2" 2>&1
check "a touched photo is not processed again" grep -q "(0 processed" "$W/out2"
finish
