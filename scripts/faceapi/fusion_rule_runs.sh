#!/usr/bin/env bash
# The detector runs behind scripts/faceapi/fusion_rule.py, on data outside album: the network's
# faces down to score 0.2 and the fused cascades' faces (full scan) over dlib_faces, BSDS500 and the
# face-crop sets (Essex Faces94, AT&T, cropped Yale B, the TV-cast crops).
#   fusion_rule_runs.sh PERSONREC DATA_DIR OUT_DIR [THREADS]
set -euo pipefail
P=$1 D=$2 OUT=$3 T=${4:-2}
mkdir -p "$OUT"
# A photo list as a label file (one dummy 'unknown' box per photo): eval detect runs the detector
# over the photos a label file names.
list() { # name, then image paths
    local name=$1
    shift
    { echo "image,x,y,w,h,person"; for f in "$@"; do echo "$f,0,0,1,1,unknown"; done; } \
        >"$OUT/$name.images.csv"
}
col() { tail -n +2 "$1" | cut -d, -f"$2"; }
list dlib $(col "$D/dlib_faces/boxes.csv" 1 | sort -u | sed "s#^#$D/dlib_faces/#")
list bsds $(ls "$D/bsds500/images/"*.jpg)
list essex $(col "$D/essex_faces94_subset/labels.csv" 1 | sed "s#^#$D/essex_faces94_subset/#")
list att $(col "$D/att_orl/labels.csv" 1 | sed "s#^#$D/att_orl/#")
list yale $(col "$D/cropped_yaleB/labels.csv" 1 | sed "s#^#$D/cropped_yaleB/#")
list bbtfaces $(col "$D/facerecognitionjs_bbt_faces/labels.csv" 1 |
    sed "s#^#$D/facerecognitionjs_bbt_faces/#")
for s in dlib bsds essex att yale bbtfaces; do
    "$P" eval detect --truth "$OUT/$s.images.csv" --threads "$T" --detector network \
        --net-score 0.2 --save-pred "$OUT/$s.net.csv" >/dev/null
    # shellcheck disable=SC2046 # one argument per photo
    "$P" detect --json --detector cascades --threads "$T" $(col "$OUT/$s.images.csv" 1) \
        >"$OUT/$s.casc.jsonl"
done
