#!/bin/bash
# Odd options and side files. Before: detector options took negative values (--min-size -5 ran),
# --threads 0 / negative were taken, and the XMP sidecars personrec itself wrote (photo.jpg.xmp)
# were counted as "files that are not images". Now absurd values are refused with a message and
# exit 2, and sidecars and the other files that belong beside photos are not counted.
. "$(dirname "$0")/lib.sh" "$@"
F=$S/azure_face_family/images
A=$(fresh album)
cp "$F/Family1-Dad1.jpg" "$A/good.jpg"
refused() { # refused DESCRIPTION OPTION-NAME COMMAND...: exit 2 and the option named
    local what=$1 name=$2
    shift 2
    "$P" "$@" >/dev/null 2>"$W/err"
    local rc=$?
    check "$what: exit 2" [ "$rc" = 2 ]
    check "$what: the message names $name" grep -q -- "$name" "$W/err"
}
refused "detect --min-size -5" --min-size detect --min-size -5 "$A/good.jpg"
refused "detect --min-size 0" --min-size detect --min-size 0 "$A/good.jpg"
refused "detect --long-side -3" --long-side detect --long-side -3 "$A/good.jpg"
refused "detect --min-neighbors 0" --min-neighbors detect --min-neighbors 0 "$A/good.jpg"
refused "detect --threads -1" --threads detect --threads -1 "$A/good.jpg"
refused "features --threads 0" --threads features --threads 0 "$A/good.jpg"
refused "label --threads -2" --threads label "$A" --threads -2
refused "label --max-photos -1" --max-photos label "$A" --max-photos -1
"$P" detect --min-size 40 --long-side 0 --min-neighbors 3 "$A/good.jpg" >/dev/null 2>&1
check "sensible detector options still run (exit 0)" [ $? = 0 ]

# side files: sidecars (ours and others'), Picasa.ini, Thumbs.db, iOS .aae are not "not images"
printf '<x:xmpmeta xmlns:x="adobe:ns:meta/"/>\n' >"$A/good.jpg.xmp"
printf '<x:xmpmeta xmlns:x="adobe:ns:meta/"/>\n' >"$A/other.xmp"
printf '[good.jpg]\n' >"$A/Picasa.ini"
head -c 100 /dev/zero >"$A/Thumbs.db"
printf '<plist/>\n' >"$A/IMG_0001.AAE"
echo notes >"$A/notes.txt"
"$P" label "$A" 2>"$W/err1" >/dev/null
check "side files: exit 0 (nothing failing)" [ $? = 0 ]
check "side files: only notes.txt counted as not an image" grep -q "; 1 files that are not images" "$W/err1"
rm "$A/notes.txt"
"$P" label "$A" --write-xmp 2>"$W/err2" >/dev/null
check "--write-xmp: exit 0" [ $? = 0 ]
"$P" label "$A" 2>"$W/err3" >/dev/null
check "re-run after --write-xmp: exit 0" [ $? = 0 ]
check "re-run after --write-xmp: our sidecars are not counted" \
    bash -c "! grep -q 'files that are not images' '$W/err3'"
finish
