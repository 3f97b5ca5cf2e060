#!/bin/bash
# A name given with `personrec people` survives its photos leaving the album for a while: a
# sub-folder moved out and back, a drive not mounted for one run, photos restored from a backup
# under another folder. The scan dropped every photo no longer in the folder with its faces and
# their names (Mom gone for good, exit 0). Now such a photo is kept, hidden (not in people.csv, its
# name listed with 0 faces), the summary says how many are kept, the run is not a failure, and
# when the photo is back (same path, or same bytes elsewhere) its faces are Mom again.
# Real photos (LFW), real store, the real binary.
# usage: test_album_missing.sh PERSONREC DATA_DIR SCRATCH
set -u
bin=$1 data=$2 scratch=$3
. "$(dirname "$0")/../cli/lib.sh"
[ -d "$data/lfw10x10" ] || { echo "no lfw10x10 dataset"; exit 77; }
rm -rf "$scratch"
A=$scratch/album
mkdir -p "$A/home" "$A/trip"
for i in 1 2 3; do
    cp "$data/lfw10x10/Ariel_Sharon/Ariel_Sharon_000$i.jpg" "$A/home/"
    cp "$data/lfw10x10/Colin_Powell/Colin_Powell_000$i.jpg" "$A/home/"
    cp "$data/lfw10x10/George_W_Bush/George_W_Bush_000$i.jpg" "$A/trip/"
done
chmod -R u+w "$A"
csv=$A/.personrec/people.csv
label() { "$bin" label "$A" --threads 2 --no-labels --quiet "$@"; }
labelv() { "$bin" label "$A" --threads 2 --no-labels "$@"; }
# the person of the largest face of a photo (people.csv: image,x,y,w,h,person,...)
person_of() { awk -F, -v img="$1" '$1 == img && $4 * $5 > best {best = $4 * $5; p = $6}
                                   END {print p}' "$csv"; }
mom_faces() { "$bin" people "$A" list | awk '$1 == "Mom" {print $2}'; }

label 2>"$scratch/run1.err"
check "first label succeeds" test $? -eq 0
bush=$(person_of trip/George_W_Bush_0001.jpg)
check "a face found on trip/George_W_Bush_0001.jpg" test -n "$bush"
"$bin" people "$A" rename "$bush" Mom >"$scratch/rename.out" 2>&1
check "rename $bush to Mom" test $? -eq 0
label 2>"$scratch/run2.err"
check "Mom on the trip photo" test "$(person_of trip/George_W_Bush_0001.jpg)" = Mom
before=$(mom_faces)

# The trip folder leaves the album for one run (moved out, a drive not mounted).
mv "$A/trip" "$scratch/trip-away"
labelv 2>"$scratch/away.err"
check "label with the trip folder gone: exit 0" test $? -eq 0
check "the summary says the photos are kept for their names" \
    grep -Eq "[1-9][0-9]* missing kept for their names" "$scratch/away.err"
check "kept photos are no problem named" sh -c "! grep -q 'photo skipped\|problem' '$scratch/away.err'"
check "people.csv shows no trip photo" sh -c "! grep -q '^trip/' '$csv'"
check "Mom is still listed (0 faces shown)" test "$(mom_faces)" = 0
label 2>"$scratch/away2.err" # a second run while it is gone keeps them too
check "second run with the trip folder gone: exit 0" test $? -eq 0

# Back at the same path.
mv "$scratch/trip-away" "$A/trip"
labelv 2>"$scratch/back.err"
check "label with the trip folder back: exit 0" test $? -eq 0
check "Mom back on trip/George_W_Bush_0001.jpg" \
    test "$(person_of trip/George_W_Bush_0001.jpg)" = Mom
check "Mom has her faces again ($before)" test "$(mom_faces)" = "$before"
check "nothing kept missing any more" sh -c "! grep -q 'missing kept' '$scratch/back.err'"

# Gone again, then restored from a backup under another folder (same bytes, new path).
mv "$A/trip" "$scratch/trip-away"
label 2>"$scratch/away3.err"
check "gone again: exit 0" test $? -eq 0
cp -r "$scratch/trip-away" "$A/restored"
label 2>"$scratch/restored.err"
check "label with the photos restored elsewhere: exit 0" test $? -eq 0
check "Mom on restored/George_W_Bush_0001.jpg" \
    test "$(person_of restored/George_W_Bush_0001.jpg)" = Mom
check "Mom has her faces again after the restore ($before)" test "$(mom_faces)" = "$before"
finish
