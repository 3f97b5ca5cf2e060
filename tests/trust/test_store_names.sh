# Corrections that would lose or garble names are refused with a clear message and change
# nothing: rename onto an existing name (a merge, asked for by name), merge into a missing person
# (a rename), names the writers cannot carry (newline, CR, TAB, ';', control characters, empty,
# invalid UTF-8) and person_<number> for a new person. Unusual names that can be stored are kept.
. "$(dirname "$0")/lib.sh" "$@"
A=$(fresh album)
for f in Family1-Dad1 Family1-Mom1 Family1-Son1; do cp "$S/azure_face_family/images/$f.jpg" "$A/"; done
"$P" label "$A" --quiet || { echo "first label run failed"; exit 1; }
"$P" people "$A" list --faces >"$W/faces"
f1=$(awk -F'\t' '$2 == "Family1-Dad1.jpg" {print $1; exit}' "$W/faces")
f2=$(awk -F'\t' '$2 == "Family1-Mom1.jpg" {print $1; exit}' "$W/faces")
f3=$(awk -F'\t' '$2 == "Family1-Son1.jpg" {print $1; exit}' "$W/faces")
"$P" people "$A" move "$f1" Dad >/dev/null && "$P" people "$A" move "$f2" Mom >/dev/null &&
    "$P" people "$A" move "$f3" Son >/dev/null || { echo "moves failed"; exit 1; }
snapshot() { "$P" people "$A" list --faces; cat "$A/.personrec/people.csv"; }
snapshot >"$W/snap"

refused() { # what grep-pattern command...: exit 1, the message, nothing changed
    local what=$1 pattern=$2
    shift 2
    "$P" people "$A" "$@" >"$W/out" 2>&1
    check "$what: exits 1" test $? -eq 1
    check "$what: says why" grep -q -- "$pattern" "$W/out"
    check "$what: changes nothing" sh -c "$(declare -f snapshot); P='$P' A='$A' snapshot | cmp -s - '$W/snap'"
}
refused "rename onto an existing name" "merge" rename Dad Mom
refused "merge into a missing person" "rename" merge Dad Nobody
refused "merge of a missing person" "no person named 'Nobody'" merge Nobody Dad
nl='
'
bad_name() { # NAME PATTERN: refused by rename, move and split, each saying why
    local shown
    shown=$(printf '%s' "$1" | od -An -c | tr -s ' ')
    refused "rename to [$shown]" "$2" rename Dad "$1"
    refused "move to [$shown]" "$2" move "$f1" "$1"
    refused "split to [$shown]" "$2" split Dad --faces "$f1" --name "$1"
}
bad_name "Bad${nl}Name" "control character"
bad_name "Bad$(printf '\r')Name" "control character"
bad_name "Bad$(printf '\t')Name" "control character"
bad_name "Bad$(printf '\001')Name" "control character"
bad_name "Bad;Name" "cannot hold ';'"
bad_name "" "non-empty"
bad_name " Padded" "start or end with a space"
bad_name "$(printf 'Bad\377Name')" "UTF-8"
refused "rename to person_<number>" "person_<number>" rename Dad person_12
refused "move to a new person_<number>" "person_<number>" move "$f1" person_99999

# Names that every writer can carry are kept as given, through a label run.
"$P" people "$A" rename Dad 'Zoë "Z" O'"'"'Brien, Jr.' >"$W/out" 2>&1
check "a name with UTF-8, quotes and a comma is accepted" test $? -eq 0
"$P" people "$A" merge Son Mom >"$W/out" 2>&1
check "merge of two existing people exits 0" test $? -eq 0
"$P" label "$A" >"$W/out" 2>&1
check "label after the corrections exits 0" test $? -eq 0
"$P" people "$A" list --faces >"$W/after"
check "the unusual name stays on its face" \
    test "$(awk -F'\t' -v f="$f1" '$1 == f {print $4 "|" $5}' "$W/after")" = 'Zoë "Z" O'"'"'Brien, Jr.|manual'
check "the merged face is Mom's" \
    test "$(awk -F'\t' -v f="$f3" '$1 == f {print $4 "|" $5}' "$W/after")" = "Mom|manual"
check "nobody is called Son any more" test -z "$(awk -F'\t' '$4 == "Son"' "$W/after")"
finish
