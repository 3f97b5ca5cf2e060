# r07: a run killed after it stored new photos but before it clustered them. The next run must
# cluster (the store says the clustering is out of date), so the new faces get a person; before,
# every later run said nothing changed and left them without one for ever.
. "$(dirname "$0")/lib.sh" "$@"
need gdb sqlite3
A=$(fresh album)
for f in Family1-Dad1 Family1-Dad2 Family1-Mom1 Family1-Mom2; do
    cp "$S/azure_face_family/images/$f.jpg" "$A/"
done
"$P" label "$A" --quiet || { echo "first label run failed"; exit 1; }
cp "$S/faceapi_bbt/bbt1.jpg" "$A/new.jpg"
# SIGKILL at the start of the clustering (pr_people_store: pr_album_cluster may be inlined):
# the new photo is stored, not clustered.
gdb -q -batch -ex 'break pr_people_store' -ex 'run' -ex 'kill' \
    --args "$P" label "$A" --quiet >"$W/gdb" 2>&1
check "the killed run stopped at the clustering" grep -q "Breakpoint 1, .*pr_people_store" "$W/gdb"
check "the killed run stored the new photo" \
    test "$(sqlite3 "$A/.personrec/album.db" "SELECT count(*) FROM photos WHERE path = 'new.jpg'")" = 1
"$P" label "$A" >"$W/out" 2>&1
check "the next run exits 0" test $? -eq 0
csv=$A/.personrec/people.csv
check "people.csv has the new photo's faces" grep -q '^new.jpg,' "$csv"
check "every face of the new photo has a person" \
    test -z "$(awk -F, '$1 == "new.jpg" && $6 == ""' "$csv")"
check "every face of the album has a person" test -z "$(awk -F, 'NR > 1 && $6 == ""' "$csv")"
finish
