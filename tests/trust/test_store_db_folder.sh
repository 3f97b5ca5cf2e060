# --db in a folder that does not exist is refused (a typo must not start a new, empty store
# beside the real one); the folder is not created.
. "$(dirname "$0")/lib.sh" "$@"
A=$(fresh album)
cp "$S/azure_face_family/images/Family1-Dad1.jpg" "$A/"
"$P" label "$A" --quiet --db "$W/missing/sub/album.db" >"$W/out" 2>&1
check "label with --db in a missing folder exits 1" test $? -eq 1
check "the message names the folder" grep -qF "$W/missing/sub" "$W/out"
check "the folder is not created" test ! -e "$W/missing"
check "no store is created in the album" test ! -e "$A/.personrec/album.db"
mkdir -p "$W/stores"
"$P" label "$A" --quiet --db "$W/stores/album.db" >"$W/out" 2>&1
check "label with --db in an existing folder exits 0" test $? -eq 0
check "the store is there" test -s "$W/stores/album.db"
finish
