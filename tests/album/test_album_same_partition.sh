#!/bin/bash
# `personrec label` and `personrec cluster --album` run the same code from person records to people
# (cluster/instances.h) with the same defaults: on the same small album (photos under the 1600 px
# at which label computes features, so both see the same faces and cues) they must give the same
# partition, up to the names of the clusters. Also with the radius method, and a fixed k.
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

# same_partition A.csv B.csv: the faces (image,x,y,w,h) are the same, and two faces share a
# cluster in A exactly when they do in B.
same_partition() {
    python3 - "$1" "$2" <<'PY'
import csv, sys
def load(path):
    with open(path) as f:
        return {tuple(r[:5]): r[5] for r in list(csv.reader(f))[1:]}
a, b = load(sys.argv[1]), load(sys.argv[2])
if set(a) != set(b):
    print("different faces:", sorted(set(a) ^ set(b)))
    sys.exit(1)
ab, ba = {}, {}
for face in a:
    if ab.setdefault(a[face], b[face]) != b[face] or ba.setdefault(b[face], a[face]) != a[face]:
        print("different partition at", face)
        sys.exit(1)
print(len(a), "faces,", len(ab), "clusters in both")
PY
}

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
