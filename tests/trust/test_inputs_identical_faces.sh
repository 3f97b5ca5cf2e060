#!/bin/bash
# r08: byte-identical copies of one face photo are normal in an album. Before: three copies made
# the album's eigenfaces fail ("eigenfaces train: the rows do not vary"), label exited 1 and wrote
# no people.csv, on every run. Now the eigen cue is absent for rows that do not vary, and the
# copies are labelled, as one person.
. "$(dirname "$0")/lib.sh" "$@"
F=$S/azure_face_family/images
A=$(fresh copies)
for i in 1 2 3; do cp "$F/Family1-Dad1.jpg" "$A/copy$i.jpg"; done
"$P" label "$A" 2>"$W/err1" >/dev/null
check "three copies: label exits 0" [ $? = 0 ]
check "three copies: no eigenfaces error" bash -c "! grep -q 'do not vary' '$W/err1'"
check "three copies: people.csv has all three faces" \
    [ "$(grep -c '^copy[123]\.jpg,' "$A/.personrec/people.csv" 2>/dev/null)" = 3 ]
check "three copies: one person" \
    [ "$(tail -n +2 "$A/.personrec/people.csv" | cut -d, -f6 | sort -u | wc -l)" = 1 ]
"$P" label "$A" --quiet 2>"$W/err2"
check "three copies: the re-run exits 0 too" [ $? = 0 ]
"$P" label "$A" --thesis --quiet --out "$W/thesis" 2>"$W/err3"
check "three copies, the thesis' k-medoids over the classic cues: exit 0" [ $? = 0 ]
"$P" cluster --album "$A" >"$W/cluster.csv" 2>"$W/err4"
check "three copies: cluster --album exits 0" [ $? = 0 ]

# copies among other people: still one person for the copies, the others apart
B=$(fresh mixed)
for i in 1 2 3 4; do cp "$F/Family1-Mom1.jpg" "$B/mom_copy$i.jpg"; done
cp "$F/Family1-Dad1.jpg" "$F/Family1-Son1.jpg" "$B/"
"$P" label "$B" --quiet 2>"$W/err5"
check "copies among others: exit 0" [ $? = 0 ]
check "copies among others: the four copies are one person" \
    [ "$(grep '^mom_copy' "$B/.personrec/people.csv" | cut -d, -f6 | sort -u | wc -l)" = 1 ]
finish
