#!/bin/bash
# The face-descriptor cue end to end through the pipeline: `label --descriptor W` computes the
# 128-d descriptor per face in the front end (pipeline/describe.h) and the store keeps it;
# `cluster --features STORE --cues descriptor=1` clusters on it alone and must find the people of
# nine real LFW portraits (three each of three people). Needs the face-api models (exit 77 without).
# usage: test_album_descriptor.sh PERSONREC DATA_DIR MODELS_DIR SCRATCH
set -u
bin=$1 data=$2/album models=$3 scratch=$4
. "$(dirname "$0")/../cli/lib.sh"
[ -d "$data/lfw10x10" ] || { echo "no album dataset"; exit 77; }
[ -f "$models/face_recognition_model.bin" ] || { echo "no face-api models"; exit 77; }
export PERSONREC_MODELS=$models
rm -rf "$scratch"
A=$scratch/a
mkdir -p "$A"
for p in Ariel_Sharon Colin_Powell George_W_Bush; do
    for i in 1 2 3; do cp "$data/lfw10x10/$p/${p}_000$i.jpg" "$A/"; done
done
chmod -R u+w "$A"
"$bin" label "$A" --threads 2 --quiet --no-labels --descriptor 1
check "label --descriptor succeeds" test $? -eq 0
db=$A/.personrec/album.db
check "every face has a stored descriptor of 128 floats" test \
    "$(sqlite3 "$db" "SELECT count(*) FROM faces WHERE length(descriptor) = 512")" -eq \
    "$(sqlite3 "$db" "SELECT count(*) FROM faces")"
"$bin" cluster --features "$db" --cues descriptor=1 --threads 2 --out "$scratch/d.csv" 2> /dev/null
check "cluster on the descriptor alone succeeds" test $? -eq 0
# truth: the person is the file name without _000N.jpg
python3 - "$scratch/d.csv" > "$scratch/truth.csv" <<'PY'
import csv, sys
rows = list(csv.reader(open(sys.argv[1])))
w = csv.writer(sys.stdout)
w.writerow(rows[0])
for r in rows[1:]:
    w.writerow(r[:5] + [r[0].rsplit('_', 1)[0]] + r[6:])
PY
check "nine faces" test "$(tail -n +2 "$scratch/d.csv" | wc -l)" -eq 9
check "the descriptor alone finds the three people" \
    python3 "$(dirname "$0")/same_partition.py" "$scratch/truth.csv" "$scratch/d.csv"
finish
