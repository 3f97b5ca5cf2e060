# Issue 15 r09: one odd item no longer stops every later output. Each output (people.csv,
# .picasa.ini, each XMP sidecar, the report) is written on its own: the item an output cannot
# carry is named on stderr and left out of that output only, everything else is written, and the
# run ends with exit 1. Odd items: a file name with '[', ']' and ';' (no .picasa.ini section can
# hold it), names already in the store with a newline or a ';' (put there with sqlite3, whatever
# 'people rename' accepts), and one malformed existing sidecar.
. "$(dirname "$0")/lib.sh" "$@"
need exiftool sqlite3
# named_exactly ERR N TEXT...: ERR names exactly N problems ("personrec: ..." lines), its summary
# says so, and each TEXT stands in exactly one of those lines (fixed strings).
named_exactly() {
    local err=$1 n=$2 t
    shift 2
    [ "$(grep -c '^personrec: ' "$err")" -eq "$n" ] || return 1
    grep -Eq ": $n problems? named above; exit status 1\$" "$err" || return 1
    for t in "$@"; do
        [ "$(grep '^personrec: ' "$err" | grep -cF -- "$t")" -eq 1 ] || return 1
    done
}
fam=$S/azure_face_family/images
# A file name .picasa.ini cannot hold.
A=$(fresh names)
cp "$fam/Family1-Dad1.jpg" "$A/[x];y.jpg"
cp "$fam/Family1-Mom1.jpg" "$A/b.jpg"
"$P" label "$A" --write-picasa --write-xmp --report "$A/r.html" 2>"$W/err1"
check "odd file name: exit 1" test $? -eq 1
check "odd file name: named on stderr, it alone, for .picasa.ini" \
    named_exactly "$W/err1" 1 "personrec: [x];y.jpg: a file name .picasa.ini cannot store"
check "odd file name: people.csv lists it" grep -q '^"\?\[x\];y\.jpg' "$A/.personrec/people.csv"
check "odd file name: .picasa.ini written for the other photo" grep -qx '\[b\.jpg\]' "$A/.picasa.ini"
check "odd file name: its XMP sidecar written (XMP can carry it)" test -f "$A/[x];y.jpg.xmp"
check "odd file name: the other XMP sidecar written" test -f "$A/b.jpg.xmp"
check "odd file name: the report written" test -s "$A/r.html"
# Names the writers cannot all carry, already in the store.
B=$(fresh store)
for f in Family1-Dad1 Family1-Mom1 Family1-Son1; do cp "$fam/$f.jpg" "$B/"; done
"$P" label "$B" --quiet 2>"$W/err2"
person_of() { cut -d, -f1,6 "$B/.personrec/people.csv" | grep "^$1.jpg," | cut -d, -f2; }
dad=$(person_of Family1-Dad1)
mom=$(person_of Family1-Mom1)
check "three people to rename" test -n "$dad" -a -n "$mom" -a "$dad" != "$mom"
sqlite3 "$B/.personrec/album.db" "UPDATE people SET name = 'Ann' || char(10) || 'Lee' WHERE name = '$dad'; UPDATE people SET name = 'Bo;b' WHERE name = '$mom';"
"$P" label "$B" --write-picasa --write-xmp --report "$B/r.html" 2>"$W/err3"
check "odd names: exit 1" test $? -eq 1
# Named: each odd name for .picasa.ini, and the newline name for the XMP sidecar of its photo
# (the ';' name is fine in XMP); nothing else.
check "odd names: exactly the odd names named, each where it cannot be written" \
    named_exactly "$W/err3" 3 "personrec: $B/.picasa.ini: the name 'Bo;b'" \
    "personrec: $B/.picasa.ini: the name 'Ann?Lee'" "personrec: $B/Family1-Dad1.jpg.xmp:"
check "odd names: .picasa.ini written with the third photo" grep -qx '\[Family1-Son1\.jpg\]' "$B/.picasa.ini"
check "odd names: .picasa.ini holds neither odd name" test -z "$(grep -e 'Bo;b' -e Ann "$B/.picasa.ini")"
check "odd names: every XMP sidecar written" test -f "$B/Family1-Dad1.jpg.xmp" -a -f "$B/Family1-Mom1.jpg.xmp" -a -f "$B/Family1-Son1.jpg.xmp"
check "odd names: XMP carries the ';' name" test "$(exiftool -s3 -RegionName "$B/Family1-Mom1.jpg.xmp")" = "Bo;b"
check "odd names: the report written, with the ';' name" grep -q 'Bo;b' "$B/r.html"
"$P" label "$B" --quiet 2>"$W/err4"
check "odd names: the sidecars written are read back: exit 0" test $? -eq 0
check "odd names: ... and nothing at all on stderr" test ! -s "$W/err4"
# One malformed existing sidecar.
C=$(fresh sidecar)
cp "$S/faceapi_bbt/bbt1.jpg" "$C/a.jpg"
cp "$S/faceapi_bbt/bbt2.jpg" "$C/b.jpg"
cp "$fam/Family1-Dad1.jpg" "$C/c.jpg"
echo '<x:xmpmeta broken' >"$C/b.jpg.xmp"
"$P" label "$C" --write-xmp --write-picasa --report "$C/r.html" 2>"$W/err5"
check "malformed sidecar: exit 1" test $? -eq 1
check "malformed sidecar: named twice, when read and when not rewritten" \
    named_exactly "$W/err5" 2 "(its names are not used)" \
    "(not a valid sidecar: kept as it is, not rewritten)"
check "malformed sidecar: no other file named" \
    test -z "$(grep '^personrec: ' "$W/err5" | grep -vF "personrec: $C/b.jpg.xmp:1: ")"
check "malformed sidecar: left as it was" test "$(cat "$C/b.jpg.xmp")" = '<x:xmpmeta broken'
check "malformed sidecar: the sidecars before and after it written" test -f "$C/a.jpg.xmp" -a -f "$C/c.jpg.xmp"
check "malformed sidecar: .picasa.ini written" grep -qx '\[c\.jpg\]' "$C/.picasa.ini"
check "malformed sidecar: the report written" test -s "$C/r.html"
cat "$W/err1" "$W/err3" "$W/err4" "$W/err5"
finish
