#!/bin/bash
# The Picasa naming workflow end to end (thesis/results/recognition.md): scripts/picasa-name-faces
# names one face per person of the five BBT stills in a .picasa.ini, `personrec label` takes them
# as seeds and suggests names for the rest, scripts/naming-score scores the suggestions. Checks
# that the script's choice is deterministic, that the .picasa.ini names reach the store as seeds,
# that the suggestions are right, and that naming-score counts them as its docstring says.
# Needs the album dataset and the face-api models (exit 77 without).
# usage: test_picasa_naming.sh PERSONREC SCRIPTS_DIR DATA_DIR MODELS_DIR SCRATCH
set -u
bin=$1 scripts=$2 data=$3/album models=$4 scratch=$5
[ -d "$data/faceapi_bbt" ] && [ -f "$data/truth.csv" ] || { echo "no album dataset"; exit 77; }
[ -f "$models/face_recognition_model.bin" ] || { echo "no face-api models"; exit 77; }
export PERSONREC_MODELS=$models
fail=0
check() { if eval "$2"; then echo "ok: $1"; else echo "FAIL: $1"; fail=1; fi; }
rm -rf "$scratch" && mkdir -p "$scratch/album"
cp -r "$data/faceapi_bbt" "$scratch/album/" && chmod -R u+w "$scratch/album"
{ head -1 "$data/truth.csv"; grep '^faceapi_bbt/' "$data/truth.csv"; } > "$scratch/truth.csv"

"$scripts/picasa-name-faces" "$scratch/truth.csv" "$scratch/album" 1 > "$scratch/named.csv" ||
    { echo "FAIL: picasa-name-faces"; exit 1; }
"$scripts/picasa-name-faces" "$scratch/truth.csv" "$scratch/album" 1 > "$scratch/named2.csv"
people=$(tail -n +2 "$scratch/truth.csv" | cut -d, -f6 | grep -v '^unknown$' | sort -u | wc -l)
check "one named face per person ($people)" "[ $(tail -n +2 "$scratch/named.csv" | wc -l) -eq $people ]"
check "the choice is deterministic" "cmp -s '$scratch/named.csv' '$scratch/named2.csv'"
check "the .picasa.ini names every person" \
    "[ $(grep -c '=.*;;$' "$scratch/album/faceapi_bbt/.picasa.ini") -eq $people ]"

"$bin" label "$scratch/album" --threads 2 > "$scratch/label.log" 2>&1 ||
    { echo "FAIL: label"; cat "$scratch/label.log"; exit 1; }
csv=$scratch/album/.personrec/people.csv
seeds=$(tail -n +2 "$csv" | awk -F, '$8 == "seed"' | wc -l)
check "the named faces became seeds ($seeds of $people)" "[ $seeds -ge $((people - 1)) ]"
out=$("$scripts/naming-score" "$scratch/truth.csv" "$csv" "$scratch/named.csv")
echo "$out"
P=$(echo "$out" | awk '{print $3}') R=$(echo "$out" | awk '{print $5}')
check "precision >= 0.9 ($P)" "awk 'BEGIN{exit !($P >= 0.9)}'"
check "recall >= 0.6 ($R)" "awk 'BEGIN{exit !($R >= 0.6)}'"
# naming-score by hand on a made-up prediction: one wrong name, two right, one person_N.
cat > "$scratch/pred.csv" <<CSV
image,x,y,w,h,person,confidence,source
faceapi_bbt/bbt2.jpg,0,0,10,10,nobody_here,0.9,auto
CSV
tail -n +2 "$scratch/truth.csv" | grep -v ',unknown,' | head -2 | while IFS=, read -r im x y w h p o; do
    echo "$im,$x,$y,$w,$h,$p,0.9,auto"; done >> "$scratch/pred.csv"
tail -n +2 "$scratch/truth.csv" | grep -v ',unknown,' | sed -n 3p | while IFS=, read -r im x y w h p o; do
    echo "$im,$x,$y,$w,$h,person_7,0.9,auto"; done >> "$scratch/pred.csv"
head -1 "$scratch/truth.csv" | cut -d, -f1-6 > "$scratch/none.csv"
out=$("$scripts/naming-score" "$scratch/truth.csv" "$scratch/pred.csv" "$scratch/none.csv")
echo "$out"
# nothing named by the user -> no named people -> every face's name is still a suggestion: 3
# suggestions (false detection wrong, two right), recall over 0 faces to name = 0.
check "naming-score counts suggestions" "echo '$out' | grep -q '(3 suggested, 2 correct, 0 faces to name'"
rm -rf "$scratch"
exit $fail
