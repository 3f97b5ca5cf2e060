#!/bin/bash
# The same photos give the same people, bit for bit, whatever the thread count and timing, and
# `personrec label` and `personrec cluster --album` give the same partition (one front end, one
# back end: pipeline/). The album is assembled at test time from the shared datasets: portraits
# and group photos of very different sizes, the three real photos above the 1600 px working size
# (two in album/face_recognition_knn, one in dlib_faces), and an EXIF-rotated photo made from a
# real one (pixels turned a quarter, Orientation 6 set, by make_rotated).
# usage: test_album_deterministic.sh PERSONREC MAKE_ROTATED DATA_DIR SCRATCH
set -u
bin=$1 make_rotated=$2 data=$3 scratch=$4
. "$(dirname "$0")/../cli/lib.sh"
knn=$data/album/face_recognition_knn/images/knn_examples
[ -d "$data/album/lfw10x10" ] && [ -d "$data/album/faceapi_bbt" ] && [ -d "$knn" ] &&
    [ -f "$data/dlib_faces/bald_guys.jpg" ] || { echo "no album dataset"; exit 77; }
rm -rf "$scratch"
A=$scratch/a
mkdir -p "$A/lfw" "$A/group" "$A/big" "$A/rotated"
for p in Ariel_Sharon Colin_Powell George_W_Bush; do
    for i in 1 2 3; do cp "$data/album/lfw10x10/$p/${p}_000$i.jpg" "$A/lfw/"; done
done
cp "$data/album/faceapi_bbt/bbt1.jpg" "$data/album/faceapi_bbt/bbt3.jpg" "$A/group/"
cp "$knn/train/biden/biden.jpg" "$knn/test/obama_and_biden.jpg" "$data/dlib_faces/bald_guys.jpg" \
    "$A/big/"
"$make_rotated" "$data/album/lfw10x10/Colin_Powell/Colin_Powell_0004.jpg" "$A/rotated/powell.jpg"
check "rotated photo made" test $? -eq 0
chmod -R u+w "$A"
check "three photos above the working size" test "$(python3 - "$A/big" <<'PY'
import os, struct, sys
def size(p):
    d = open(p, 'rb').read()
    i = 2
    while i < len(d) - 9:
        if d[i] != 0xFF: i += 1; continue
        if d[i + 1] in (0xC0, 0xC1, 0xC2):
            h, w = struct.unpack('>HH', d[i + 5:i + 9]); return max(w, h)
        i += 2 + struct.unpack('>H', d[i + 2:i + 4])[0]
    return 0
print(sum(size(os.path.join(sys.argv[1], f)) > 1600 for f in os.listdir(sys.argv[1])))
PY
)" -eq 3

label() { # label THREADS NAME: a fresh labelling, people.csv kept as NAME.csv
    rm -rf "$A/.personrec"
    "$bin" label "$A" --threads "$1" --quiet --no-labels
    check "label --threads $1 ($2) succeeds" test $? -eq 0
    cp "$A/.personrec/people.csv" "$scratch/$2.csv"
}
label 2 t2a
label 2 t2b
label 1 t1
check "people.csv has faces" test "$(tail -n +2 "$scratch/t1.csv" | wc -l)" -ge 15
check "the big photos have faces" test "$(grep -c '^big/' "$scratch/t1.csv")" -ge 3
check "the rotated photo has its face, upright" grep -q '^rotated/powell.jpg' "$scratch/t1.csv"
check "two runs with 2 threads: identical people.csv" cmp "$scratch/t2a.csv" "$scratch/t2b.csv"
check "2 threads and 1 thread: identical people.csv" cmp "$scratch/t2a.csv" "$scratch/t1.csv"

# The rotated photo is read upright: its face box is the original's (same photo, same detector).
orig=$(mktemp -d "$scratch/orig.XXXX")
cp "$data/album/lfw10x10/Colin_Powell/Colin_Powell_0004.jpg" "$orig/powell.jpg"
"$bin" label "$orig" --threads 1 --quiet --no-labels
check "original and rotated copy give the same face (IoU >= 0.7, after a JPEG re-encode)" \
    python3 - "$orig/.personrec/people.csv" "$scratch/t1.csv" <<'PY'
import csv, sys
a = [list(map(float, r[1:5])) for r in list(csv.reader(open(sys.argv[1])))[1:]]
b = [list(map(float, r[1:5])) for r in list(csv.reader(open(sys.argv[2])))[1:]
     if r[0] == 'rotated/powell.jpg']
def iou(p, q):
    w = min(p[0] + p[2], q[0] + q[2]) - max(p[0], q[0])
    h = min(p[1] + p[3], q[1] + q[3]) - max(p[1], q[1])
    i = max(w, 0) * max(h, 0)
    return i / (p[2] * p[3] + q[2] * q[3] - i)
sys.exit(0 if a and b and all(max(iou(p, q) for q in b) >= 0.7 for p in a) else 1)
PY

# same_partition A.csv B.csv: same faces, and two faces share a cluster in A exactly when in B.
same_partition() { python3 "$(dirname "$0")/same_partition.py" "$1" "$2"; }
"$bin" cluster --album "$A" --threads 2 --save-features "$scratch/store.db" \
    --out "$scratch/cluster.csv" 2> "$scratch/cluster.err"
check "cluster --album succeeds" test $? -eq 0
check "label and cluster --album: same faces, same partition" same_partition "$scratch/t1.csv" \
    "$scratch/cluster.csv"
# At a fixed k (the issue's case): both re-cluster their stored faces only.
"$bin" cluster --features "$scratch/store.db" --threads 2 --k 6 --out "$scratch/cluster6.csv" \
    2> /dev/null
check "cluster --features --k 6 succeeds" test $? -eq 0
"$bin" label "$A" --threads 2 --quiet --no-labels --k 6
check "label --k 6 succeeds" test $? -eq 0
check "label and cluster at --k 6: same partition" same_partition "$A/.personrec/people.csv" \
    "$scratch/cluster6.csv"
finish
