# Issue 15 r14: the sidecar writer. A kill during a sidecar write leaves a temporary file that the
# next run removes (here the process is killed by gdb at the rename that would have put the
# sidecar in place, so the kill lands in the write every time); a temporary file of a process
# still running is left alone. Rewriting a sidecar that is a symbolic link writes the file it
# points to and leaves the link a link; a sidecar keeps its mode and (as root) its owner.
. "$(dirname "$0")/lib.sh" "$@"
need exiftool gdb
fam=$S/azure_face_family/images
A=$(fresh killed)
cp "$fam/Family1-Dad1.jpg" "$fam/Family1-Mom1.jpg" "$A/"
"$P" label "$A" --quiet 2>"$W/err0"
temps() { find "$A" -name '.personrec-tmp.*' -o -name '*.tmp[0-9A-Za-z]*' | grep -v '/\.personrec/' ; }
# The first rename is people.csv's; the second puts the first XMP sidecar in place.
gdb -q -batch -ex 'set breakpoint pending on' -ex 'break rename' -ex 'run' -ex 'continue' \
    -ex 'kill' --args "$P" label "$A" --write-xmp --quiet >"$W/gdb.log" 2>&1
check "the killed write left its temporary file in the album" test -n "$(temps)"
temps
sleep 30 &
live=$!
: >"$A/.personrec-tmp.$live.abcdef" # a write in progress elsewhere (its process is alive)
"$P" label "$A" --quiet 2>"$W/err1"
check "the next run exits 0" test $? -eq 0
check "the next run removed the killed write's temporary file" test -z "$(temps | grep -v "tmp\.$live\.")"
check "a live process's temporary file is left alone" test -f "$A/.personrec-tmp.$live.abcdef"
kill "$live" 2>/dev/null
rm -f "$A/.personrec-tmp.$live.abcdef"
"$P" label "$A" --write-xmp --quiet 2>>"$W/err1"
check "then the sidecars are written" test -f "$A/Family1-Dad1.jpg.xmp" -a -f "$A/Family1-Mom1.jpg.xmp"
check "and no temporary file is left" test -z "$(temps)"
# A sidecar that is a symbolic link into another folder, and one with its own mode and owner.
B=$(fresh links)
mkdir -p "$W/elsewhere"
cp "$fam/Family1-Dad1.jpg" "$fam/Family1-Mom1.jpg" "$B/"
printf '<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"><rdf:Description rdf:about="" xmlns:xmp="http://ns.adobe.com/xap/1.0/" xmp:Rating="2"/></rdf:RDF></x:xmpmeta>\n' >"$W/elsewhere/shared.xmp"
ln -s "$W/elsewhere/shared.xmp" "$B/Family1-Dad1.jpg.xmp"
cp "$W/elsewhere/shared.xmp" "$B/Family1-Mom1.jpg.xmp"
chmod 600 "$B/Family1-Mom1.jpg.xmp"
root=0
if [ "$(id -u)" = 0 ] && id nobody >/dev/null 2>&1; then
    chown nobody "$B/Family1-Mom1.jpg.xmp"
    root=1
fi
before=$(stat -c '%U:%G' "$B/Family1-Mom1.jpg.xmp")
"$P" label "$B" --write-xmp --quiet 2>"$W/err2"
check "links: exit 0" test $? -eq 0
check "the link is still a link" test -L "$B/Family1-Dad1.jpg.xmp"
check "the file it points to got the regions" test -n "$(exiftool -s3 -RegionName -RegionType "$W/elsewhere/shared.xmp")"
check "the file it points to kept its rating" test "$(exiftool -s3 -Rating "$W/elsewhere/shared.xmp")" = 2
check "no file left beside the link's target" test -z "$(find "$W/elsewhere" -name '.personrec-tmp.*')"
check "the private sidecar got the regions" test -n "$(exiftool -s3 -RegionType "$B/Family1-Mom1.jpg.xmp")"
check "the private sidecar is still mode 600" test "$(stat -c %a "$B/Family1-Mom1.jpg.xmp")" = 600
if [ $root = 1 ]; then
    check "the sidecar is still its owner's ($before)" test "$(stat -c '%U:%G' "$B/Family1-Mom1.jpg.xmp")" = "$before"
fi
cat "$W/err0" "$W/err1" "$W/err2"
finish
