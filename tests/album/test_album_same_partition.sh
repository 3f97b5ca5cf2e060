#!/bin/bash
# `personrec label` and `personrec cluster --album` run the same pipeline (cluster --album labels
# into a temporary store): on the same small album they must give the same partition, up to the
# names of the clusters. Also with the radius method, and a fixed k. (Photos above the 1600 px
# working size and an EXIF-rotated photo: test_album_deterministic.sh.)
# usage: test_album_same_partition.sh PERSONREC DATA_DIR SCRATCH
set -u
bin=$1 data=$2/album scratch=$3
. "$(dirname "$0")/../cli/lib.sh"
[ -d "$data/lfw10x10" ] && [ -d "$data/faceapi_bbt" ] || { echo "no album dataset"; exit 77; }
rm -rf "$scratch"
mkdir -p "$scratch/a/lfw" "$scratch/a/group"
for p in Ariel_Sharon Colin_Powell George_W_Bush; do
    for i in 1 2 3; do cp "$data/lfw10x10/$p/${p}_000$i.jpg" "$scratch/a/lfw/"; done
done
cp "$data/faceapi_bbt/bbt3.jpg" "$data/faceapi_bbt/bbt1.jpg" "$scratch/a/group/"
chmod -R u+w "$scratch/a"

# same_partition A.csv B.csv: same faces, and two faces share a cluster in A exactly when in B.
same_partition() { python3 "$(dirname "$0")/same_partition.py" "$1" "$2"; }

run_both() { # run_both NAME OPTIONS...: label and cluster with the same clustering options
    local name=$1
    shift
    rm -rf "$scratch/a/.personrec"
    "$bin" label "$scratch/a" --threads 2 --quiet "$@"
    check "$name: label succeeds" test $? -eq 0
    "$bin" cluster --album "$scratch/a" --threads 2 --out "$scratch/$name.csv" "$@" 2> /dev/null
    check "$name: cluster succeeds" test $? -eq 0
    check "$name: label found faces" test "$(tail -n +2 "$scratch/a/.personrec/people.csv" | wc -l)" -ge 10
    check "$name: same faces, same partition" same_partition "$scratch/a/.personrec/people.csv" \
        "$scratch/$name.csv"
}

run_both default
run_both radius --choose radius
run_both k4 --k 4
finish
