#!/bin/bash
# r01: every failing photo is named on stderr with its reason -- on every run, also with --quiet --
# and `label` exits 1 after labelling the rest of the album (people.csv written with the good
# photo's face). Before: the failures were only counted, exit 0, and --quiet printed nothing.
. "$(dirname "$0")/lib.sh" "$@"
need python3 /usr/bin/convert
A=$(fresh album)
F=$S/azure_face_family/images
cp "$F/Family1-Dad1.jpg" "$A/good.jpg"
: >"$A/zero.jpg"                                    # empty
head -c 20000 /dev/urandom >"$A/random.jpg"          # not an image at all
echo text >"$A/text.png"                             # text named .png
head -c 22398 "$F/Family1-Dad1.jpg" >"$A/trunc.jpg"  # a copy cut short
/usr/bin/convert "$F/Family1-Mom1.jpg" "$W/mom.png"
python3 - "$W/mom.png" "$A" <<'PY'
import struct, sys, zlib
src, A = sys.argv[1], sys.argv[2]
d = bytearray(open(src, 'rb').read())
i = d.index(b'IDAT')
d[i + 40] ^= 0xFF                                    # one flipped byte: the chunk's CRC is wrong
open(A + '/badcrc.png', 'wb').write(d)
def chunk(t, b):
    return struct.pack('>I', len(b)) + t + b + struct.pack('>I', zlib.crc32(t + b) & 0xffffffff)
ihdr = struct.pack('>IIBBBBB', 20000, 20000, 8, 2, 0, 0, 0)  # 400 megapixels, header only
idat = zlib.compress(b'\0' * 64)
open(A + '/toolarge.png', 'wb').write(b'\x89PNG\r\n\x1a\n' + chunk(b'IHDR', ihdr) +
                                     chunk(b'IDAT', idat) + chunk(b'IEND', b''))
PY
bad="zero.jpg random.jpg text.png trunc.jpg badcrc.png toolarge.png"

# each bad file named exactly once, with "personrec: <album>/<file>: <reason>", path said once
named_once() {
    local err=$1 f n
    for f in $bad; do
        n=$(grep -c "^personrec: $A/$f: .*[a-z]" "$err")
        [ "$n" = 1 ] || { echo "  $f named $n times in $err" >&2; return 1; }
    done
    ! grep -q "$A/[^ ]*: $A/" "$err"
}
has_good_face() { grep -q '^good\.jpg,' "$A/.personrec/people.csv"; }

"$P" label "$A" >"$W/out1" 2>"$W/err1"
rc=$?
check "first run exits 1 (failing photos)" [ "$rc" = 1 ]
check "first run names each failing photo once" named_once "$W/err1"
check "the reasons say what is wrong" \
    grep -q "trunc.jpg: truncated JPEG" "$W/err1"
check "the too-large photo says so" grep -q "toolarge.png: .*megapixels" "$W/err1"
check "the empty file says so" grep -q "zero.jpg: empty file" "$W/err1"
check "good photo labelled: people.csv has its face" has_good_face
check "good photo not named" bash -c "! grep -q 'good.jpg' '$W/err1'"

rm -f "$A/.personrec/people.csv"
"$P" label "$A" --quiet >"$W/out2" 2>"$W/err2"
rc=$?
check "--quiet re-run exits 1" [ "$rc" = 1 ]
check "--quiet re-run still names each failing photo once (stored as skipped earlier)" \
    named_once "$W/err2"
check "--quiet prints nothing but the failures" \
    bash -c "[ \$(grep -vc '^personrec: $A/' '$W/err2') = 0 ]"
check "--quiet re-run writes people.csv again" has_good_face

"$P" cluster --album "$A" --out "$W/cluster.csv" >/dev/null 2>"$W/err7"
check "cluster --album with failing photos: exit 1" [ $? = 1 ]
check "cluster --album names each failing photo once" named_once "$W/err7"
check "cluster --album still writes the good photo's face" grep -q '^good\.jpg,' "$W/cluster.csv"

# a repaired photo is no failure any more: the others are still named, it is not
cp "$F/Family1-Dad1.jpg" "$A/trunc.jpg"
touch -d '2001-01-01' "$A/trunc.jpg"
"$P" label "$A" --quiet 2>"$W/err3"
check "after the repair the photo is not named" bash -c "! grep -q trunc.jpg '$W/err3'"
check "... and is labelled" grep -q '^trunc\.jpg,' "$A/.personrec/people.csv"

# an album of good photos only: exit 0, nothing named
B=$(fresh good)
cp "$F/Family1-Dad1.jpg" "$F/Family1-Mom1.jpg" "$B/"
"$P" label "$B" --quiet 2>"$W/err4"
check "an album without failing photos exits 0" [ $? = 0 ]
check "... and prints nothing with --quiet" [ ! -s "$W/err4" ]

# messages that named the path twice ("personrec: A: A: no such folder")
"$P" label "$W/missing" 2>"$W/err5"
check "missing album: exit 1" [ $? = 1 ]
check "missing album: the path said once" \
    bash -c "[ \$(grep -o '$W/missing' '$W/err5' | wc -l) = 1 ]"
"$P" cluster --album "$W/missing" 2>"$W/err6" >/dev/null
check "cluster on a missing album: the path said once" \
    bash -c "[ \$(grep -o '$W/missing' '$W/err6' | wc -l) = 1 ]"
for cmd in features detect info; do
    "$P" $cmd "$A/random.jpg" >/dev/null 2>"$W/err_$cmd"
    check "$cmd on a broken photo: exit 1" [ $? = 1 ]
    check "$cmd on a broken photo: the path said once" \
        bash -c "[ \$(grep -o '$A/random.jpg' '$W/err_$cmd' | wc -l) = 1 ]"
done
finish
