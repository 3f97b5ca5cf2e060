# Issue 15 r04: one zero-area face entry in .picasa.ini no longer disables every name in it: the
# bad entry is named on stderr (exit 1) and skipped, Carol's name from Picasa is used, and
# --write-picasa keeps every entry and contact it did not make exactly as it was (Carol's entry,
# Dan's malformed one), without adding Carol's face a second time.
. "$(dirname "$0")/lib.sh" "$@"
A=$(fresh album)
cp "$S/faceapi_bbt/bbt1.jpg" "$A/a.jpg"
cp "$S/azure_face_family/images/Family1-Dad1.jpg" "$A/c.jpg"
printf '[c.jpg]\nfaces=rect64(0a172a7dcc4bce12),1111111111111111\n[a.jpg]\nfaces=rect64(1000100010002000),2222222222222222\nstar=yes\n[Contacts2]\n1111111111111111=Carol;;\n2222222222222222=Dan;;\n' >"$A/.picasa.ini"
"$P" label "$A" --write-picasa 2>"$W/err1"
check "a bad entry: exit 1" test $? -eq 1
check "the zero-area entry is named with its line" grep -q '\.picasa\.ini:4: .*no area' "$W/err1"
check "Carol's name from Picasa is used" grep -q '^c\.jpg,.*,Carol,1\.000,seed' "$A/.personrec/people.csv"
ini=$A/.picasa.ini
cat "$ini"
check "Carol's entry kept as it was" grep -qx 'faces=rect64(0a172a7dcc4bce12),1111111111111111' "$ini"
check "Dan's malformed entry kept as it was" grep -q '^faces=rect64(1000100010002000),2222222222222222;rect64(' "$ini"
check "other keys kept" grep -qx 'star=yes' "$ini"
check "Carol's contact kept" grep -qx '1111111111111111=Carol;;' "$ini"
check "Dan's contact kept" grep -qx '2222222222222222=Dan;;' "$ini"
check "a.jpg's detected faces added" test "$(grep '^faces=' "$ini" | sed -n 2p | tr ';' '\n' | wc -l)" -ge 3
cp "$ini" "$W/first.ini"
"$P" label "$A" --write-picasa --quiet 2>>"$W/err1"
check "a second run writes the same file (its own entries replaced, not added)" cmp -s "$ini" "$W/first.ini"
# A fresh store reads its own .picasa.ini back: no entry rejected but Dan's, Carol still named.
rm -rf "$A/.personrec"
"$P" label "$A" --write-picasa 2>"$W/err2"
check "a fresh run names only Dan's entry" test "$(grep -c '^personrec: ' "$W/err2")" -eq 1
check "a fresh run still names Carol" grep -q '^c\.jpg,.*,Carol,1\.000,seed' "$A/.personrec/people.csv"
finish
