# Issue 15 r05: on rotated photos (EXIF Orientation 2..8; 6 and 8 are every portrait phone photo)
# XMP MWG/MP regions and Picasa rect64 are fractions of the image as stored, before its
# orientation (MWG 2.0 section 5.9; thesis/notes/regions-orientation.md), AppliedToDimensions is
# the stored size, and reading inverts writing exactly. The eight orientations of one album photo
# (made with ImageMagick + exiftool -Orientation=N -n) are labelled; for each, exiftool reads the
# regions back in [0, 1], the stored image cropped at each region and turned upright by
# ImageMagick shows the same pixels as the upright photo at that face's box in people.csv, rect64
# agrees with the MWG area, and names given to the faces come back at the same faces from the
# sidecars alone (fresh store), from XMP and from .picasa.ini.
. "$(dirname "$0")/lib.sh" "$@"
need exiftool convert compare
A=$(fresh album)
C=$(fresh crops)
src=$S/faceapi_bbt/bbt3.jpg # five faces side by side: a mirror or a wrong turn moves them
# The stored image of orientation N is the upright photo turned back (N applied gives upright).
ops=("" "" "-flop" "-rotate 180" "-flip" "-transpose" "-rotate -90" "-transverse" "-rotate 90")
for o in 1 2 3 4 5 6 7 8; do
    # shellcheck disable=SC2086
    convert "$src" ${ops[$o]} -quality 95 "$A/o$o.jpg"
    exiftool -q -n -overwrite_original "-Orientation=$o" "$A/o$o.jpg"
done
# Small grey thumbnails for comparing crops; rmse A B prints ImageMagick's normalised RMSE.
thumb() { convert "$@" -resize '24x24!' -colorspace Gray -depth 8 pgm:-; }
rmse() { compare -metric RMSE "$1" "$2" null: 2>&1 | sed 's/.*(\(.*\)).*/\1/'; }
below() { awk -v a="$1" -v b="$2" 'BEGIN { exit !(a < b) }'; }
thumb "$A/o1.jpg" >"$C/upright.pgm"
for o in 2 3 4 5 6 7 8; do
    thumb "$A/o$o.jpg" -auto-orient >"$C/o$o.pgm"
    check "test photo o$o shows the same picture upright" below "$(rmse "$C/o$o.pgm" "$C/upright.pgm")" 0.03
done
"$P" label "$A" --write-xmp --write-picasa --quiet 2>"$W/err1"
check "labelling the rotated photos exits 0" test $? -eq 0
csv=$A/.personrec/people.csv
# What the inputs give: bbt3's five faces in every orientation, each face in a person (so each is
# named by the round trip below).
upright=$(grep -c '^o1\.jpg,' "$csv")
check "o1: bbt3's five faces found ($upright)" test "$upright" -eq 5
in_people=$(cut -d, -f6 "$csv" | grep -c '^person_')
check "every face of the eight photos is in a person ($in_people of $((8 * upright)))" \
    test "$in_people" -eq $((8 * upright))
regions() { exiftool -n -s3 -sep ' ' -RegionAreaX -RegionAreaY -RegionAreaW -RegionAreaH "$1"; }
crop() { # photo x y w h (MWG centre + size, fractions of the stored image) -> upright thumbnail
    local wh W H
    wh=$(exiftool -n -s3 -ImageWidth -ImageHeight "$1" | tr '\n' ' ')
    read -r W H <<<"$wh"
    local g
    g=$(awk -v W="$W" -v H="$H" -v x="$2" -v y="$3" -v w="$4" -v h="$5" \
        'BEGIN { printf "%dx%d+%d+%d", w*W+0.5, h*H+0.5, (x-w/2)*W+0.5, (y-h/2)*H+0.5 }')
    thumb "$1" -crop "$g" +repage -auto-orient
}
for o in 1 2 3 4 5 6 7 8; do
    x=$A/o$o.jpg.xmp
    check "o$o: a sidecar" test -f "$x"
    [ -f "$x" ] || continue
    stored=$(exiftool -n -s3 -ImageWidth -ImageHeight "$A/o$o.jpg" | tr '\n' ' ')
    applied=$(exiftool -n -s3 -RegionAppliedToDimensionsW -RegionAppliedToDimensionsH "$x" | tr '\n' ' ')
    check "o$o: AppliedToDimensions is the stored size ($stored)" test "$applied" = "$stored"
    mapfile -t r < <(regions "$x")
    n=$(wc -w <<<"${r[0]}")
    check "o$o: as many regions as faces in people.csv" test "$n" -eq "$(grep -c "^o$o\.jpg," "$csv")"
    check "o$o: as many faces as the upright photo ($n)" test "$n" -eq "$upright"
    inside=$(awk -v X="${r[0]}" -v Y="${r[1]}" -v Wd="${r[2]}" -v Ht="${r[3]}" 'BEGIN {
        n = split(X, x, " "); split(Y, y, " "); split(Wd, w, " "); split(Ht, h, " "); ok = 1
        for (i = 1; i <= n; i++)
            if (w[i] <= 0 || h[i] <= 0 || x[i] - w[i]/2 < -1e-6 || x[i] + w[i]/2 > 1 + 1e-6 ||
                y[i] - h[i]/2 < -1e-6 || y[i] + h[i]/2 > 1 + 1e-6) ok = 0
        print ok }')
    check "o$o: every MWG area lies in [0, 1]" test "$inside" = 1
    # Microsoft Photo regions: one rectangle (left, top, width, height) per MWG region, the same
    # area, inside [0, 1]; none at all, or fewer, fails.
    mp=$(exiftool -n -s3 -sep ' ' -RegionRectangle "$x" | tr -d ',')
    check "o$o: an MP rectangle per MWG region ($(wc -w <<<"$mp") numbers for $n regions)" \
        test "$(wc -w <<<"$mp")" -eq $((4 * n)) -a "$n" -gt 0
    check "o$o: every MP rectangle is its MWG area and lies in [0, 1]" awk -v v="$mp" \
        -v X="${r[0]}" -v Y="${r[1]}" -v Wd="${r[2]}" -v Ht="${r[3]}" 'BEGIN {
        n = split(v, a, " "); m = split(X, x, " "); split(Y, y, " "); split(Wd, w, " "); split(Ht, h, " ")
        if (n == 0 || n != 4 * m) exit 1
        for (i = 1; i <= n; i += 4) {
            if (a[i] < 0 || a[i+1] < 0 || a[i+2] <= 0 || a[i+3] <= 0 ||
                a[i] + a[i+2] > 1 + 1e-6 || a[i+1] + a[i+3] > 1 + 1e-6) exit 1
            k = (i + 3) / 4; d[1] = a[i] - (x[k] - w[k]/2); d[2] = a[i+1] - (y[k] - h[k]/2)
            d[3] = a[i+2] - w[k]; d[4] = a[i+3] - h[k]
            for (j = 1; j <= 4; j++) if (d[j] > 1e-5 || d[j] < -1e-5) exit 1
        } }'
    # Each region, cut from the stored pixels and turned upright, shows what the upright photo
    # shows at that face's box in people.csv (the sidecar lists the faces in people.csv's order;
    # the same face re-encoded differs by RMSE < 0.09 here, two different faces by > 0.19).
    mapfile -t rows < <(grep "^o$o\.jpg," "$csv")
    for ((i = 1; i <= n; i++)); do
        crop "$A/o$o.jpg" "$(cut -d' ' -f$i <<<"${r[0]}")" "$(cut -d' ' -f$i <<<"${r[1]}")" \
            "$(cut -d' ' -f$i <<<"${r[2]}")" "$(cut -d' ' -f$i <<<"${r[3]}")" >"$C/o$o-$i.pgm"
        IFS=, read -r _ bx by bw bh _ <<<"${rows[$((i - 1))]}"
        thumb "$A/o1.jpg" -crop "${bw}x${bh}+${bx}+${by}" +repage >"$C/u$o-$i.pgm"
        e=$(rmse "$C/o$o-$i.pgm" "$C/u$o-$i.pgm")
        check "o$o region $i: the stored pixels there are the face at $bx,$by (RMSE $e)" below "$e" 0.12
    done
    # rect64 (left, top, right, bottom of the stored image) = the MWG area of the same face.
    faces=$(awk -v s="[o$o.jpg]" '$0 == s { f = 1; next } /^\[/ { f = 0 } f && /^faces=/ { print substr($0, 7) }' "$A/.picasa.ini")
    agree=$(awk -v F="$faces" -v X="${r[0]}" -v Y="${r[1]}" -v Wd="${r[2]}" -v Ht="${r[3]}" '
        function hex(s,   i, v) { v = 0; for (i = 1; i <= length(s); i++) v = v * 16 + index("0123456789abcdef", substr(s, i, 1)) - 1; return v }
        BEGIN { n = split(F, e, ";"); split(X, x, " "); split(Y, y, " "); split(Wd, w, " "); split(Ht, h, " "); ok = n > 0
            for (i = 1; i <= n; i++) {
                s = e[i]; sub(/^rect64\(/, "", s); sub(/\).*/, "", s)
                while (length(s) < 16) s = "0" s
                l = hex(substr(s, 1, 4)) / 65535; t = hex(substr(s, 5, 4)) / 65535
                r = hex(substr(s, 9, 4)) / 65535; b = hex(substr(s, 13, 4)) / 65535
                d = l - (x[i] - w[i]/2); if (d < 0) d = -d; if (d > 2e-4) ok = 0
                d = t - (y[i] - h[i]/2); if (d < 0) d = -d; if (d > 2e-4) ok = 0
                d = r - (x[i] + w[i]/2); if (d < 0) d = -d; if (d > 2e-4) ok = 0
                d = b - (y[i] + h[i]/2); if (d < 0) d = -d; if (d > 2e-4) ok = 0
                if (r <= l || b <= t) ok = 0
            }
            print ok }')
    check "o$o: rect64 is the MWG area, with width and height" test "$agree" = 1
done
# Round trip: give every person a name, write the sidecars, forget the store; the names come back
# from the sidecars at the same faces: from XMP, and from .picasa.ini alone.
k=0
for p in $(cut -d, -f6 "$csv" | grep '^person_' | sort -u); do
    k=$((k + 1))
    "$P" people "$A" rename "$p" "Name$k" >/dev/null 2>&1
done
"$P" label "$A" --write-xmp --write-picasa --quiet 2>>"$W/err1"
cut -d, -f1-6 "$csv" | sort >"$W/named.csv"
named=$(grep -c ',Name[0-9]*$' "$W/named.csv")
check "every face in a person was named ($named of $in_people)" test "$named" -eq "$in_people"
from_sidecars() { # WHAT ERR: a fresh store, labelled from the sidecars alone, names every face again
    rm -rf "$A/.personrec"
    "$P" label "$A" --quiet 2>"$W/$2"
    check "a fresh run reading its own $1 exits 0 (nothing rejected)" test $? -eq 0
    cut -d, -f1-6 "$csv" | sort >"$W/from-$2.csv"
    check "from $1: every face has its name back" cmp -s "$W/named.csv" "$W/from-$2.csv"
    check "from $1: the names are seeds" test "$(grep -c ',seed$' "$csv")" -eq "$named"
    diff "$W/named.csv" "$W/from-$2.csv" | head -5
}
from_sidecars XMP err2
mkdir -p "$W/xmp-aside" && mv "$A"/*.xmp "$W/xmp-aside/"
from_sidecars .picasa.ini err3
cat "$W/err1" "$W/err2" "$W/err3"
finish
