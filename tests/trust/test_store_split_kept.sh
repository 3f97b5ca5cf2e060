# r13: 'people split P --faces F --name N' holds through the next label run: exactly the split
# faces are N, every other face of P stays P (before, the next run named them all N).
. "$(dirname "$0")/lib.sh" "$@"
A=$(fresh album)
S2=$S/hfreire_faceclustering_celebs/input
for f in "Oprah Winfrey-JTM-025998" "Oprah Winfrey-JTM-026000" "Oprah Winfrey-JTM-026005" \
         "Oprah Winfrey-JTM-026006" "Barack Obama-JTM-046564" "Barack Obama-JTM-046565"; do
    cp "$S2/$f.jpg" "$A/"
done
"$P" label "$A" --quiet || { echo "first label run failed"; exit 1; }
"$P" people "$A" list --faces >"$W/before"
# The first person with two faces or more; its first face is split off.
who=$(cut -f4 "$W/before" | sort | uniq -c | awk '$1 >= 2 {print $2; exit}')
[ -n "$who" ] || { echo "no person with two faces to split"; cat "$W/before"; exit 1; }
split=$(awk -F'\t' -v p="$who" '$4 == p {print $1; exit}' "$W/before")
stay=$(awk -F'\t' -v p="$who" -v f="$split" '$4 == p && $1 != f {print $1}' "$W/before" | sort)
"$P" people "$A" split "$who" --faces "$split" --name Other >"$W/out" 2>&1
check "split exits 0" test $? -eq 0
# A new photo of someone else makes the next run cluster again.
cp "$S/azure_face_family/images/Family1-Dad1.jpg" "$A/"
"$P" label "$A" >"$W/out" 2>&1
check "the next label run exits 0" test $? -eq 0
check "the next label run clustered again" grep -q "1 processed" "$W/out"
"$P" people "$A" list --faces >"$W/after"
check "the split face is Other" \
    test "$(awk -F'\t' -v f="$split" '$1 == f {print $4}' "$W/after")" = Other
check "only the split face is Other" test "$(awk -F'\t' '$4 == "Other"' "$W/after" | wc -l)" -eq 1
check "the faces that stayed are still $who" \
    test "$(awk -F'\t' -v p="$who" -v f="$split" '$4 == p && $1 != f {print $1}' "$W/after" | sort)" = "$stay"
finish
