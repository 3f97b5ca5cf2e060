#!/bin/bash
# An album store's descriptors follow the front end `label` describes with
# (pipeline/refresh_descriptors.h): real photos (four LFW people, two BBT stills, one immich
# portrait), a real store, the real models.
#   0. a fresh label stamps the store with its front end; the people are corrected by hand
#      (rename, move, forget) and labelled again: the reference descriptors and assignments.
#   a. the stamp says another front end and the descriptors are garbage: label recomputes every
#      one, byte for byte the fresh run's, and says so; face ids, boxes, forgotten flags, names,
#      corrections and every assignment (person_N, confidence, source) stay as they were.
#   a2. descriptors without a stamp (a store from before it): the same, said so (on its own line
#      with --recluster, which gives the clustering its own reason).
#   b. a real version-2 store (no descriptor column, no stamp): opening adds the column, label
#      fills every face's descriptor, the same bytes again, the people the same.
#   c. another front end's descriptors and a photo that cannot be read now (its bytes broken,
#      size and time kept, so the scan takes it as unchanged): it is named on stderr, exit status
#      1, its faces have no descriptor (not the old ones), the others are recomputed; with the
#      photo readable again the next run gives its faces theirs and ends with 0.
#   d. with descriptors off (no models, or k-medoids) the store's descriptors and stamp are not
#      touched.
#   e. another front end's descriptors and a descriptor model that cannot be loaded: label fails
#      (exit status 1) before anything is cleared; the descriptors and the stamp stay.
#   f. --known photos: another front end's descriptors and a run without --known (which cannot
#      read them): their faces are cleared with the others (no two front ends in one store) and
#      the summary says how many wait for a run with --known; that run gives them theirs again.
#   g. one face without a descriptor: "1 face", "1 photo"; with --quiet nothing is said. A face
#      the net cannot take (its box moved off the photo here) is said so and marked refused.
#   h. a malformed descriptor (neither 512 bytes nor the empty refused mark) is computed again.
#   i. a recompute marks the clustering out of date once per stored chunk, not once per face
#      (counted by a trigger on the meta table).
# usage: test_album_descriptor_refresh.sh PERSONREC DATA_DIR MODELS_DIR SCRATCH
set -u
bin=$1 data=$2/album models=$3 scratch=$4
. "$(dirname "$0")/../cli/lib.sh"
[ -d "$data/lfw10x10" ] && [ -d "$data/faceapi_bbt" ] && [ -d "$data/immich_testassets_faces" ] ||
    { echo "no album dataset"; exit 77; }
[ -f "$models/face_recognition_model.bin" ] || { echo "no face-api models"; exit 77; }
command -v sqlite3 > /dev/null || { echo "no sqlite3"; exit 77; }
export PERSONREC_MODELS=$models
rm -rf "$scratch"
A=$scratch/album
mkdir -p "$A"
for p in Ariel_Sharon Colin_Powell George_W_Bush Tony_Blair; do
    cp "$data/lfw10x10/$p/${p}_0001.jpg" "$data/lfw10x10/$p/${p}_0002.jpg" "$A/"
done
cp "$data/faceapi_bbt/bbt1.jpg" "$data/faceapi_bbt/bbt2.jpg" \
    "$data/immich_testassets_faces/portrait.jpg" "$A/"
chmod -R u+w "$A"
db=$A/.personrec/album.db
label() { "$bin" label "$A" --threads 2 --no-labels "$@"; }
q() { sqlite3 "$db" "$1"; }
# every face's descriptor as hex ("" when it has none), by face id
descriptors() { q "SELECT id, hex(descriptor) FROM faces ORDER BY id"; }
# what must never change: face ids, photos, boxes, forgotten flags
faces() { q "SELECT f.id, p.path, quote(f.x), quote(f.y), quote(f.w), quote(f.h), f.ignored
             FROM faces f JOIN photos p ON p.id = f.photo_id ORDER BY f.id"; }
assignments() { q "SELECT a.face_id, p.name, quote(a.confidence), a.source FROM assignments a
                   JOIN people p ON p.id = a.person_id ORDER BY a.face_id"; }
stamp() { q "SELECT value FROM meta WHERE key = 'descriptor_front_end'"; }
same() { cmp -s "$1" "$2"; }
# the lines of a descriptors() file but those of the faces with the ids in $2 (space-separated)
others() {
    awk -F'|' -v skip="$2" \
        'BEGIN { n = split(skip, a, " "); for (i = 1; i <= n; i++) s[a[i]] = 1 } !($1 in s)' "$1"
}

# --- 0. the reference ---
label 2> "$scratch/run0.err"
check "first label succeeds" test $? -eq 0
front=$(stamp)
echo "front end: $front"
check "a new store is stamped with the front end" grep -q '^face-api ' <<< "$front"
nfaces=$(q "SELECT count(*) FROM faces")
check "every face has a descriptor" \
    test "$(q "SELECT count(*) FROM faces WHERE length(descriptor) = 512")" -eq "$nfaces"
check "at least 14 faces" test "$nfaces" -ge 14
descriptors > "$scratch/desc0.txt"
sharon=$("$bin" people "$A" list --faces | awk -F'\t' '$2 == "Ariel_Sharon_0001.jpg" {print $4}')
"$bin" people "$A" rename "$sharon" "Ariel Sharon"
check "rename succeeds" test $? -eq 0
moved=$("$bin" people "$A" list --faces | awk -F'\t' '$2 == "bbt2.jpg" {print $1; exit}')
"$bin" people "$A" move "$moved" "Sheldon"
check "move succeeds" test $? -eq 0
forgot=$("$bin" people "$A" list --faces | awk -F'\t' '$2 == "bbt1.jpg" {print $1; exit}')
"$bin" people "$A" forget "$forgot"
check "forget succeeds" test $? -eq 0
label 2> "$scratch/run1.err"
check "label after the corrections succeeds" test $? -eq 0
check "nothing recomputed when nothing changed" \
    bash -c "! grep -q 'descriptors' '$scratch/run1.err'"
check "descriptors untouched by a label with the same front end" \
    same "$scratch/desc0.txt" <(descriptors)
faces > "$scratch/faces.txt"
assignments > "$scratch/people.txt"
check "the move is a manual assignment" grep -q "^$moved|Sheldon|1.0|2$" "$scratch/people.txt"
check "the rename is kept" grep -q "|Ariel Sharon|1.0|2$" "$scratch/people.txt"

# --- a. another front end's descriptors (garbage here) ---
old="face-api 1.7.15 square"
changed="front end changed from $old to $front"
q "UPDATE meta SET value = '$old' WHERE key = 'descriptor_front_end';
   UPDATE faces SET descriptor = randomblob(512)"
# `cluster --features` on such a store (a copy: it writes) says the shipped calibration does not
# fit its descriptors; with --calibration it is a measurement and says nothing.
cp "$db" "$scratch/copy.db"
"$bin" cluster --features "$scratch/copy.db" --out "$scratch/copy.csv" 2> "$scratch/cf.err"
check "(a) cluster --features warns of the other front end" grep -q -F \
    "its descriptors were made by $old, the shipped calibration is for $front" "$scratch/cf.err"
cp "$db" "$scratch/copy.db"
"$bin" cluster --features "$scratch/copy.db" --out "$scratch/copy.csv" \
    --calibration "$(dirname "$0")/../../cluster/params/calibration.txt" 2> "$scratch/cf.err"
check "(a) not with --calibration" bash -c "! grep -q 'descriptors were made by' '$scratch/cf.err'"
label 2> "$scratch/runa.err"
check "(a) label succeeds" test $? -eq 0
cat "$scratch/runa.err"
check "(a) every descriptor recomputed, byte for byte the fresh run's" \
    same "$scratch/desc0.txt" <(descriptors)
check "(a) the summary says so, on its own line" grep -q -F -x \
    "face descriptors recomputed for $nfaces faces ($changed)" "$scratch/runa.err"
nphotos=$(q "SELECT count(DISTINCT photo_id) FROM faces")
check "(a) a line says so before the recompute" grep -q -F -x \
    "descriptors: $changed, recomputing $nfaces faces in $nphotos photos" "$scratch/runa.err"
check "(a) before the summary" test "$(grep -n '^descriptors: front end' "$scratch/runa.err" |
    cut -d: -f1)" -lt "$(grep -n '^face descriptors recomputed' "$scratch/runa.err" | cut -d: -f1)"
check "(a) the people are found again" grep -q "^clustered every face again: " "$scratch/runa.err"
check "(a) the store names this front end" test "$(stamp)" = "$front"
check "(a) face ids, boxes, forgotten flags unchanged" same "$scratch/faces.txt" <(faces)
check "(a) names, corrections and every assignment unchanged" \
    same "$scratch/people.txt" <(assignments)
label 2> "$scratch/runa2.err"
check "(a) the next run recomputes nothing" bash -c "! grep -q 'descriptors' '$scratch/runa2.err'"

# --- a2. descriptors but no stamp (a store from before it): taken for another front end's ---
q "DELETE FROM meta WHERE key = 'descriptor_front_end';
   UPDATE faces SET descriptor = randomblob(512)"
# every store from before the stamp holds face-api's square descriptors: cluster --features says
# the shipped calibration does not fit them (not with --calibration)
cp "$db" "$scratch/copy.db"
"$bin" cluster --features "$scratch/copy.db" --out "$scratch/copy.csv" 2> "$scratch/cf.err"
check "(a2) cluster --features warns of descriptors from before the stamp" grep -q -F \
    "its descriptors were made before personrec recorded the front end ($old)" "$scratch/cf.err"
check "(a2) and names the shipped calibration's" grep -q -F \
    "the shipped calibration is for $front" "$scratch/cf.err"
cp "$db" "$scratch/copy.db"
"$bin" cluster --features "$scratch/copy.db" --out "$scratch/copy.csv" \
    --calibration "$(dirname "$0")/../../cluster/params/calibration.txt" 2> "$scratch/cf.err"
check "(a2) not with --calibration" bash -c "! grep -q 'descriptors were made' '$scratch/cf.err'"
label --recluster 2> "$scratch/runa3.err"
check "(a2) label --recluster succeeds" test $? -eq 0
check "(a2) every descriptor recomputed, the fresh run's" same "$scratch/desc0.txt" <(descriptors)
unrecorded="the store did not record the front end that made them; now $front"
check "(a2) the summary says so on its own line, --recluster too" grep -q -F -x \
    "face descriptors recomputed for $nfaces faces ($unrecorded)" "$scratch/runa3.err"
check "(a2) stamped" test "$(stamp)" = "$front"
check "(a2) names, corrections and every assignment unchanged" \
    same "$scratch/people.txt" <(assignments)

# --- b. a version-2 store: no descriptor column, no stamp ---
q "ALTER TABLE faces DROP COLUMN descriptor; DELETE FROM meta WHERE key = 'descriptor_front_end';
   PRAGMA user_version = 2"
cp "$db" "$scratch/copy.db"
"$bin" cluster --features "$scratch/copy.db" --out "$scratch/copy.csv" 2> "$scratch/cf.err"
check "(b) cluster --features: no descriptor, no warning" \
    bash -c "! grep -q 'descriptors were made' '$scratch/cf.err'"
label 2> "$scratch/runb.err"
check "(b) label on a version-2 store succeeds" test $? -eq 0
cat "$scratch/runb.err"
check "(b) the store is version 3" test "$(q "PRAGMA user_version")" -eq 3
check "(b) every face got its descriptor, the fresh run's" same "$scratch/desc0.txt" <(descriptors)
check "(b) the summary says so" grep -q -F \
    "face descriptors computed for $nfaces faces that had none ($front)" "$scratch/runb.err"
check "(b) stamped" test "$(stamp)" = "$front"
check "(b) face ids, boxes, forgotten flags unchanged" same "$scratch/faces.txt" <(faces)
check "(b) names, corrections and every assignment unchanged" \
    same "$scratch/people.txt" <(assignments)

# --- c. another front end's descriptors, and a photo that cannot be read now ---
q "UPDATE meta SET value = '$old' WHERE key = 'descriptor_front_end';
   UPDATE faces SET descriptor = randomblob(512)"
cp -p "$A/bbt2.jpg" "$scratch/bbt2.jpg"
bbt2=$(q "SELECT count(*) FROM faces f JOIN photos p ON p.id = f.photo_id
          WHERE p.path = 'bbt2.jpg'")
head -c 8192 /dev/zero | dd of="$A/bbt2.jpg" conv=notrunc status=none
touch -r "$scratch/bbt2.jpg" "$A/bbt2.jpg"
label 2> "$scratch/runc.err"
rc=$?
cat "$scratch/runc.err"
check "(c) exit status 1" test $rc -eq 1
check "(c) the photo is named" \
    grep -q "^personrec: $A/bbt2.jpg: .*no descriptor until it can be read" "$scratch/runc.err"
check "(c) the photo was not taken for changed" grep -q "(0 processed, " "$scratch/runc.err"
check "(c) its faces have no descriptor (neither old nor new)" \
    test "$(q "SELECT count(*) FROM faces f JOIN photos p ON p.id = f.photo_id
               WHERE p.path = 'bbt2.jpg' AND f.descriptor IS NULL")" -eq "$bbt2"
descriptors > "$scratch/descc.txt"
ids=$(q "SELECT group_concat(f.id, ' ') FROM faces f JOIN photos p ON p.id = f.photo_id
         WHERE p.path = 'bbt2.jpg'")
check "(c) every other face's recomputed" \
    same <(others "$scratch/desc0.txt" "$ids") <(others "$scratch/descc.txt" "$ids")
unread="$bbt2 faces of photos that cannot be read have none until a later run"
check "(c) the summary says which" grep -q -F \
    "recomputed for $((nfaces - bbt2)) faces ($changed); $unread" "$scratch/runc.err"
check "(c) no old descriptor left beside the new ones: the store names only this front end" \
    test "$(stamp)" = "$front"
check "(c) names and corrections kept" grep -q "^$moved|Sheldon|1.0|2$" <(assignments)
cp -p "$scratch/bbt2.jpg" "$A/bbt2.jpg"
label 2> "$scratch/runc2.err"
rc=$?
cat "$scratch/runc2.err"
check "(c) readable again: exit status 0" test $rc -eq 0
check "(c) readable again: its faces get theirs" grep -q -F \
    "face descriptors computed for $bbt2 faces that had none" "$scratch/runc2.err"
check "(c) readable again: every descriptor the fresh run's" \
    same "$scratch/desc0.txt" <(descriptors)
check "(c) face ids, boxes, forgotten flags unchanged" same "$scratch/faces.txt" <(faces)
check "(c) names, corrections and every assignment unchanged" \
    same "$scratch/people.txt" <(assignments)

# --- d. descriptors off: nothing touched. (k-medoids takes no descriptor; label runs so, with
# p.descriptor 0, when it finds no models too, which a test cannot arrange: the source tree's
# models are the search's last resort.) ---
q "UPDATE meta SET value = '$old' WHERE key = 'descriptor_front_end';
   UPDATE faces SET descriptor = randomblob(512)"
descriptors > "$scratch/descd.txt"
label --cluster kmedoids 2> "$scratch/rund.err"
check "(d) label with descriptors off succeeds" test $? -eq 0
cat "$scratch/rund.err"
check "(d) descriptors untouched" same "$scratch/descd.txt" <(descriptors)
check "(d) stamp untouched" test "$(stamp)" = "$old"

# --- e. the descriptor model cannot be loaded (cut short): nothing cleared, nothing stamped ---
cp -r "$models" "$scratch/models"
chmod -R u+w "$scratch/models"
truncate -s 4096 "$scratch/models/face_recognition_model.bin"
PERSONREC_MODELS=$scratch/models label 2> "$scratch/rune.err"
rc=$?
cat "$scratch/rune.err"
check "(e) a model that cannot be loaded: exit status 1" test $rc -eq 1
check "(e) descriptors untouched" same "$scratch/descd.txt" <(descriptors)
check "(e) stamp untouched" test "$(stamp)" = "$old"

# --- f. --known photos and a run without --known ---
K=$scratch/known
mkdir -p "$K/Ariel Sharon" "$K/Colin Powell"
cp "$data/lfw10x10/Ariel_Sharon/Ariel_Sharon_0003.jpg" "$K/Ariel Sharon/"
cp "$data/lfw10x10/Colin_Powell/Colin_Powell_0003.jpg" "$K/Colin Powell/"
label --known "$K" 2> "$scratch/runf0.err"
check "(f) label --known succeeds" test $? -eq 0
descriptors > "$scratch/descf0.txt"
kfaces() { q "SELECT f.id FROM faces f JOIN photos p ON p.id = f.photo_id
              WHERE p.path LIKE '@known/%' $1"; }
nknown=$(kfaces "" | wc -l)
check "(f) the known photos' faces are stored" test "$nknown" -ge 2
check "(f) with descriptors" test "$(kfaces "AND length(f.descriptor) = 512" | wc -l)" -eq "$nknown"
kids=$(kfaces "" | tr '\n' ' ')
q "UPDATE meta SET value = '$old' WHERE key = 'descriptor_front_end';
   UPDATE faces SET descriptor = randomblob(512)"
label 2> "$scratch/runf1.err"
check "(f) label without --known succeeds" test $? -eq 0
cat "$scratch/runf1.err"
check "(f) the known photos' faces keep no descriptor of the other front end" \
    test "$(kfaces "AND f.descriptor IS NULL" | wc -l)" -eq "$nknown"
check "(f) the album's are recomputed" \
    same <(others "$scratch/descf0.txt" "$kids") <(others <(descriptors) "$kids")
check "(f) the summary says how many wait for --known" grep -q -F \
    "$nknown faces of --known photos have none until a run with --known" "$scratch/runf1.err"
check "(f) stamped" test "$(stamp)" = "$front"
label --known "$K" 2> "$scratch/runf2.err"
check "(f) label --known again succeeds" test $? -eq 0
cat "$scratch/runf2.err"
check "(f) the known photos' faces get theirs again" same "$scratch/descf0.txt" <(descriptors)
check "(f) the summary says so" grep -q -F \
    "face descriptors computed for $nknown faces that had none" "$scratch/runf2.err"

# --- g. one face: singular; --quiet says nothing ---
one="UPDATE faces SET descriptor = NULL WHERE photo_id =
     (SELECT id FROM photos WHERE path = 'portrait.jpg')"
check "(g) the portrait has one face" test "$(q "SELECT count(*) FROM faces f JOIN photos p
    ON p.id = f.photo_id WHERE p.path = 'portrait.jpg'")" -eq 1
q "$one"
label --known "$K" 2> "$scratch/rung.err"
check "(g) label succeeds" test $? -eq 0
cat "$scratch/rung.err"
check "(g) one face, singular" grep -q -F -x \
    "face descriptors computed for 1 face that had none ($front)" "$scratch/rung.err"
check "(g) the line before, singular" grep -q -F -x \
    "descriptors: computing 1 face without one in 1 photo ($front)" "$scratch/rung.err"
q "$one"
label --known "$K" --quiet 2> "$scratch/rung2.err"
check "(g) label --quiet succeeds" test $? -eq 0
check "(g) --quiet: nothing said" test ! -s "$scratch/rung2.err"
check "(g) every descriptor the --known run's" same "$scratch/descf0.txt" <(descriptors)
q "$one; UPDATE faces SET x = -500, y = -500, w = 10, h = 10 WHERE photo_id =
   (SELECT id FROM photos WHERE path = 'portrait.jpg')"
label --known "$K" 2> "$scratch/rung3.err"
check "(g) a face the net cannot take: label succeeds" test $? -eq 0
cat "$scratch/rung3.err"
check "(g) said so" grep -q -F -x "face descriptors: 1 face the net could not take" \
    "$scratch/rung3.err"
check "(g) marked refused" test "$(q "SELECT quote(f.descriptor) FROM faces f JOIN photos p
    ON p.id = f.photo_id WHERE p.path = 'portrait.jpg'")" = "X''"

# --- h. a malformed descriptor ---
descriptors > "$scratch/desch.txt"
q "UPDATE faces SET descriptor = randomblob(100) WHERE photo_id =
   (SELECT id FROM photos WHERE path = 'Tony_Blair_0002.jpg')"
label --known "$K" 2> "$scratch/runh.err"
check "(h) label succeeds" test $? -eq 0
cat "$scratch/runh.err"
check "(h) the malformed descriptor is computed again" same "$scratch/desch.txt" <(descriptors)
check "(h) said so" grep -q -F -x "face descriptors computed for 1 face that had none ($front)" \
    "$scratch/runh.err"

# --- i. the clustering marked out of date per chunk, not per face ---
q "CREATE TABLE dirty_log (n INTEGER);
   CREATE TRIGGER dirty_ins AFTER INSERT ON meta
       WHEN new.key = 'cluster_dirty' AND new.value = '1' BEGIN INSERT INTO dirty_log VALUES (1); END;
   CREATE TRIGGER dirty_upd AFTER UPDATE ON meta
       WHEN new.key = 'cluster_dirty' AND new.value = '1' BEGIN INSERT INTO dirty_log VALUES (1); END;
   UPDATE meta SET value = '$old' WHERE key = 'descriptor_front_end';
   UPDATE faces SET descriptor = randomblob(512)"
label --known "$K" 2> "$scratch/runi.err"
check "(i) label succeeds" test $? -eq 0
cat "$scratch/runi.err"
marks=$(q "SELECT count(*) FROM dirty_log")
described=$(q "SELECT count(DISTINCT photo_id) FROM faces")
echo "clustering marked out of date $marks times for $described photos"
check "(i) fewer marks than photos described (one per chunk of 8, and the clear's)" \
    test "$marks" -lt "$described"
check "(i) every descriptor recomputed" same "$scratch/desch.txt" <(descriptors)
q "DROP TRIGGER dirty_ins; DROP TRIGGER dirty_upd; DROP TABLE dirty_log"
finish
