#!/bin/bash
# r12: hostile headers. Before: a 161-byte JPEG claiming 9999 x 9999 was decoded as a 100 MP photo
# of grey padding (four of them: 1.1 GB), a truncated JPEG with an end marker appended was accepted
# grey-padded (its face silently lost), and --threads 1024 on two photos built 1024 detectors
# (76 s, 1.37 GB). Now the header is checked against the data before anything is allocated, a
# photo whose data ends early is "truncated" and named, and the workers are never more than the
# photos (--threads above 256, 0 or negative is refused).
. "$(dirname "$0")/lib.sh" "$@"
need python3 /usr/bin/convert /usr/bin/time
F=$S/azure_face_family/images
A=$(fresh bombs)
cp "$F/Family1-Dad1.jpg" "$A/good.jpg"
/usr/bin/convert -size 16x16 xc:gray "$W/s.jpg"
python3 - "$W/s.jpg" "$A" <<'PY'
import sys
src, A = sys.argv[1], sys.argv[2]
d = bytearray(open(src, 'rb').read()); i = 2
while i < len(d):                        # the SOF marker: claim 9999 x 9999
    if d[i + 1] in (0xC0, 0xC1, 0xC2):
        d[i + 5:i + 7] = (9999).to_bytes(2, 'big'); d[i + 7:i + 9] = (9999).to_bytes(2, 'big'); break
    i += 2 + int.from_bytes(d[i + 2:i + 4], 'big')
for k in range(4):
    open(A + '/h%d.jpg' % k, 'wb').write(d)
PY
head -c 22398 "$F/Family1-Dad1.jpg" >"$A/trunc_eoi.jpg"
printf '\xff\xd9' >>"$A/trunc_eoi.jpg"
bad="h0.jpg h1.jpg h2.jpg h3.jpg trunc_eoi.jpg"

# Memory is measured against a run over as many good photos (so as many workers, each with its
# detector), so that the detector's own size (which changes with its models) does not move the
# bound.
G=$(fresh good_only)
for i in 0 1 2 3 4 5; do cp "$F/Family1-Dad1.jpg" "$G/good$i.jpg"; done
/usr/bin/time -o "$W/rss0" -f %M "$P" label "$G" --threads 4 --quiet 2>/dev/null
base=$(tail -1 "$W/rss0")
/usr/bin/time -o "$W/rss1" -f %M "$P" label "$A" --threads 4 2>"$W/err1" >/dev/null
rc=$?
rss=$(tail -1 "$W/rss1")
echo "label over 4 header bombs + a truncated photo + a good one: max RSS $rss kB (six good photos: $base kB)"
check "header bombs: exit 1" [ "$rc" = 1 ]
for f in $bad; do
    check "$f named once" [ "$(grep -c "^personrec: $A/$f: " "$W/err1")" = 1 ]
done
check "header bomb called corrupt (the data cannot hold the pixels)" \
    grep -q "h0.jpg: corrupt JPEG: the header claims 9999x9999" "$W/err1"
check "truncated + end marker called truncated" grep -q "trunc_eoi.jpg: truncated JPEG" "$W/err1"
check "the good photo is labelled" grep -q '^good\.jpg,' "$A/.personrec/people.csv"
check "header bombs: max RSS within 150 MB of as many good photos (was +1 GB)" \
    [ "$rss" -lt $((base + 150000)) ]

# the one loader says the same in every command
"$P" info "$A/trunc_eoi.jpg" >/dev/null 2>"$W/err_info"
check "info: truncated + end marker refused, exit 1" [ $? = 1 ]
check "info: named as truncated" grep -q "trunc_eoi.jpg: truncated JPEG" "$W/err_info"
"$P" detect "$A/trunc_eoi.jpg" >"$W/detect.csv" 2>"$W/err_detect"
check "detect: truncated + end marker refused, exit 1" [ $? = 1 ]
# relative to info on a good photo: a CUDA build maps its runtime (~240 MB resident) in any command
/usr/bin/time -o "$W/rss_info" -f %M "$P" info "$A/h0.jpg" >/dev/null 2>&1
/usr/bin/time -o "$W/rss_good" -f %M "$P" info "$S/azure_face_family/images/Family1-Dad1.jpg" \
    >/dev/null 2>&1
check "info: a header bomb costs no memory (under 50 MB more than a good photo)" \
    [ "$(tail -1 "$W/rss_info")" -lt $(($(tail -1 "$W/rss_good") + 50000)) ]

# --threads: refused beyond reason, and never more workers than photos
for t in 0 -3 1024 abc; do
    "$P" label "$A" --threads "$t" >/dev/null 2>"$W/err_t"
    check "label --threads $t refused (exit 2)" [ $? = 2 ]
    check "label --threads $t: the message says the range" grep -q -- "--threads must be 1 to 256\|needs an integer" "$W/err_t"
done
"$P" detect --threads 0 "$A/good.jpg" >/dev/null 2>&1
check "detect --threads 0 refused (exit 2)" [ $? = 2 ]
B=$(fresh two)
cp "$F/Family1-Dad1.jpg" "$F/Family1-Mom1.jpg" "$B/"
/usr/bin/time -o "$W/rss2a" -f "%e %M" "$P" label "$B" --threads 2 --quiet --out "$W/two_out" 2>/dev/null
read -r secs2a rss2a <"$W/rss2a"
/usr/bin/time -o "$W/rss2" -f "%e %M" "$P" label "$B" --threads 256 --quiet 2>"$W/err2"
check "--threads 256 on two photos: exit 0" [ $? = 0 ]
read -r secs rss2 <"$W/rss2"
echo "label over 2 photos: --threads 256 $secs s, max RSS $rss2 kB; --threads 2 $secs2a s, $rss2a kB"
check "--threads 256 on two photos: max RSS within 100 MB of --threads 2 (two workers, not 256)" \
    [ "$rss2" -lt $((rss2a + 100000)) ]
/usr/bin/time -o "$W/rss3a" -f "%e %M" "$P" detect --threads 1 "$B/Family1-Dad1.jpg" >/dev/null 2>&1
read -r secs3a rss3a <"$W/rss3a"
/usr/bin/time -o "$W/rss3" -f "%e %M" "$P" detect --threads 256 "$B/Family1-Dad1.jpg" >/dev/null 2>&1
read -r secs3 rss3 <"$W/rss3"
echo "detect over 1 photo: --threads 256 $secs3 s, max RSS $rss3 kB; --threads 1 $secs3a s, $rss3a kB"
check "detect --threads 256 on one photo: max RSS within 50 MB of --threads 1 (one worker)" \
    [ "$rss3" -lt $((rss3a + 50000)) ]
finish
