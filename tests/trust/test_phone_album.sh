# A phone-like album labelled end to end (issue 15's "done when"): JPEG, HEIC, a WebP saved as
# .jpg, PNG, a portrait stored sideways with EXIF Orientation 6, byte-identical copies, and broken
# files. Every broken file is named and the run exits 1; every good photo is labelled; one person's
# faces in different formats are one person; the rotated photo's box is the upright copy's; the
# HEIC photo's sidecar is photo.heic.xmp with its regions inside the stored frame.
. "$(dirname "$0")/lib.sh" "$@"
need exiftool /usr/bin/convert
IM=/usr/bin/convert
A=$(fresh phone)
F=$S/azure_face_family/images
cp "$F/Family1-Dad1.jpg" "$A/dad1.jpg"
cp "$F/Family1-Dad1.jpg" "$A/dad1-copy1.jpg"
cp "$F/Family1-Dad1.jpg" "$A/dad1-copy2.jpg"
$IM "$F/Family1-Dad2.jpg" "$A/dad2.heic" && test -s "$A/dad2.heic" || { echo "no HEIC encoder: skipped"; exit 77; }
$IM "$F/Family1-Mom1.jpg" "webp:$A/mom1.jpg"         # a WebP with a .jpg name
$IM "$F/Family1-Mom2.jpg" "$A/mom2.png"
cp "$F/Family1-Son1.jpg" "$A/son1-upright.jpg"
$IM "$F/Family1-Son1.jpg" -rotate -90 "$A/son1-portrait.jpg"
exiftool -q -n -overwrite_original -Orientation=6 "$A/son1-portrait.jpg"
: >"$A/zero.jpg"
head -c 4000 "$A/dad2.heic" >"$A/cut.heic"
head -c 20000 /dev/urandom >"$A/noise.webp"

"$P" label "$A" --write-xmp --quiet >"$W/out" 2>"$W/err"
status=$?
cat "$W/err"
check "the run exits 1 (broken files)" test $status -eq 1
for f in zero.jpg cut.heic noise.webp; do
    check "$f is named on stderr" grep -q "$f" "$W/err"
done
check "no good photo is named" test -z "$(grep -E 'dad1|dad2|mom1|mom2|son1' "$W/err")"
csv=$A/.personrec/people.csv
person() { awk -F, -v p="$1" '$1 == p {print $6}' "$csv"; }
for f in dad1.jpg dad1-copy1.jpg dad1-copy2.jpg dad2.heic mom1.jpg mom2.png son1-upright.jpg son1-portrait.jpg; do
    check "$f has one labelled face" test "$(person "$f" | grep -c .)" -eq 1
done
dad=$(person dad1.jpg)
mom=$(person mom1.jpg)
check "the copies and the HEIC are dad's person" \
    test "$(person dad1-copy1.jpg)$(person dad1-copy2.jpg)$(person dad2.heic)" = "$dad$dad$dad"
check "the WebP-as-.jpg and the PNG are one person" test "$(person mom2.png)" = "$mom"
check "dad and mom are two people" test "$dad" != "$mom"
check "the portrait and its upright copy are one person" \
    test "$(person son1-portrait.jpg)" = "$(person son1-upright.jpg)"
box() { awk -F, -v p="$1" '$1 == p {print $2, $3, $4, $5}' "$csv"; }
read -r x1 y1 w1 h1 <<<"$(box son1-upright.jpg)"
read -r x2 y2 w2 h2 <<<"$(box son1-portrait.jpg)"
# (convert re-encodes the rotated JPEG, so the pixels differ slightly: IoU, not equality)
check "the portrait's box (upright frame) is the upright copy's (IoU >= 0.8)" \
    awk -v a="$x1 $y1 $w1 $h1" -v b="$x2 $y2 $w2 $h2" 'BEGIN { split(a, p); split(b, q);
        ix = (p[1] + p[3] < q[1] + q[3] ? p[1] + p[3] : q[1] + q[3]) - (p[1] > q[1] ? p[1] : q[1]);
        iy = (p[2] + p[4] < q[2] + q[4] ? p[2] + p[4] : q[2] + q[4]) - (p[2] > q[2] ? p[2] : q[2]);
        i = (ix > 0 && iy > 0) ? ix * iy : 0;
        exit !(i / (p[3] * p[4] + q[3] * q[4] - i) >= 0.8) }'
check "the HEIC photo's sidecar is dad2.heic.xmp" test -s "$A/dad2.heic.xmp"
check "the HEIC sidecar's region is inside the photo" \
    exiftool -s3 -n -RegionAreaX -RegionAreaY "$A/dad2.heic.xmp" | awk '$1 <= 0 || $1 >= 1 {exit 1}'
read -r sw sh <<<"$(exiftool -s3 -n -ImageWidth -ImageHeight "$A/son1-portrait.jpg" | tr '\n' ' ')"
check "the portrait's regions apply to its stored size (MWG 2.0 5.9)" test \
    "$(exiftool -s3 -n -RegionAppliedToDimensionsW -RegionAppliedToDimensionsH "$A/son1-portrait.jpg.xmp" | tr '\n' ' ')" = "$sw $sh "
"$P" label "$A" --quiet >/dev/null 2>"$W/err2"
check "a re-run still names the broken files and exits 1" \
    sh -c "test \$(grep -c -E 'zero.jpg|cut.heic|noise.webp' '$W/err2') -eq 3"
finish
