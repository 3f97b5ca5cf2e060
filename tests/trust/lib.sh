# Sourced by the trust tests: bash test_X.sh PERSONREC DATA_DIR SCRATCH
#   P: the binary; S: the album photos; W: this test's scratch folder (emptied first).
# check DESCRIPTION COMMAND... counts failures; finish prints "N passed, N failed" and sets the status.
# need TOOL... skips (77) when a tool the case needs is absent.
P=$1
S=$2/album
W=$3
[ -d "$S" ] || { echo "no album photos in $2: skipped"; exit 77; }
rm -rf "$W"
mkdir -p "$W"
. "$(dirname "${BASH_SOURCE[0]}")/../cli/lib.sh"   # check, finish
need() {
    local t
    for t in "$@"; do
        command -v "$t" >/dev/null || { echo "$t not installed: skipped"; exit 77; }
    done
}
fresh() { rm -rf "${W:?}/$1"; mkdir -p "$W/$1"; echo "$W/$1"; }
