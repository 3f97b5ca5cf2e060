#!/usr/bin/env bash
# personrec's command-line contract: help, version, and exit status 2 with a one-line error and
# the usage for unknown commands, unknown options, bad values and missing arguments.
set -u
. "$(dirname "$0")/lib.sh"
pr=$1
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT

"$pr" --help >"$out/help" 2>&1; check "--help exits 0" test $? -eq 0
check "--help lists info" grep -q "^  info " "$out/help"
"$pr" --version >"$out/v" 2>&1; check "--version exits 0" test $? -eq 0
check "--version prints the version" grep -Eq "^personrec [0-9]+\.[0-9]+\.[0-9]+$" "$out/v"
"$pr" >"$out/none" 2>&1; check "no command exits 2" test $? -eq 2
"$pr" frobnicate >"$out/unk" 2>&1; check "unknown command exits 2" test $? -eq 2
check "unknown command is named" grep -q "unknown command 'frobnicate'" "$out/unk"
"$pr" info --help >"$out/ih" 2>&1; check "info --help exits 0" test $? -eq 0
check "info --help shows usage" grep -q "^usage: personrec info" "$out/ih"
"$pr" info --bogus x.jpg >"$out/bo" 2>&1; check "unknown option exits 2" test $? -eq 2
check "unknown option: one-line error first" sh -c "head -1 '$out/bo' | grep -q \"unknown option '--bogus'\""
check "unknown option: then usage" grep -q "^usage: personrec info" "$out/bo"
"$pr" info >"$out/ma" 2>&1; check "missing argument exits 2" test $? -eq 2
check "missing argument is said" grep -q "missing IMAGE" "$out/ma"
"$pr" info --max-megapixels abc x.jpg >"$out/bv" 2>&1; check "bad number exits 2" test $? -eq 2
check "bad number is said" grep -q "needs a number" "$out/bv"
"$pr" info --max-megapixels >"$out/mv" 2>&1; check "missing value exits 2" test $? -eq 2
"$pr" info "$out/does-not-exist.jpg" >"$out/nf" 2>&1; check "missing file exits 1" test $? -eq 1
check "missing file is named" grep -q "does-not-exist.jpg" "$out/nf"

# The evaluation and benchmark commands (their harnesses live in eval/ and segment/bench.h): each
# option check still answers with exit 2, the message, then the usage. A command missing from this
# build (no OpenCV, no VLFeat) is passed over.
usage_error() { # usage_error "COMMAND WORDS" MESSAGE ARGS...
    local words=$1 msg=$2
    shift 2
    # shellcheck disable=SC2086
    "$pr" $words --help >/dev/null 2>&1 || return 0
    # shellcheck disable=SC2086
    "$pr" $words "$@" >"$out/ue" 2>&1
    check "$words $*: exits 2" test $? -eq 2
    check "$words $*: says '$msg'" grep -qF -- "$msg" "$out/ue"
    check "$words $*: then the usage" grep -q "^usage: personrec $words" "$out/ue"
}
usage_error "eval segment" "--images and --truth are required" --images x
usage_error "eval segment" "--k must be positive numbers" --images x --truth y --k 100,x
usage_error "eval segment" "--tolerance must be in [0, 20]" --images x --truth y --tolerance 30
usage_error "eval eigenfaces" "--labels is required"
usage_error "eval eigenfaces" "--distance must be l2, cos or wcos" --labels x --distance l1
usage_error "eval eigenfaces" "option out of range" --labels x --size 4
usage_error "eval pairs" "--truth is required"
usage_error "eval pairs" "--body must be prior or mask" --truth x --body box
usage_error "eval detect" "--iou must be in (0, 1]" --truth x --iou 0
usage_error "eval cluster" "--truth and --pred are required" --truth x
usage_error "eval naming" "--iou must be in (0, 1]" --truth x --pred y --iou 2
usage_error "eval naming" "--named must be >= 1" --truth x --pred y --named 0
usage_error "cluster" "--k-max must be a positive number" --album x --k-max -1
usage_error "detect" "missing IMAGE"
usage_error "bench segment" "--sizes: bad size list" --sizes 1,x
usage_error "bench segment" "--device must be cpu, gpu or both" --device tpu
usage_error "segment" "--mode must be exact or fast" --mode quick x.jpg
usage_error "body" "--faces must be x,y,w,h" --faces 1,2,3 x.jpg
# An output option naming the input photo itself is a usage error, and the photo stays as it was
# (segment/body --overlay and info --rgb replaced it by their drawing or copy).
printf 'P6\n2 2\n255\n0123456789ab' >"$out/p.ppm"
cp "$out/p.ppm" "$out/p.pnm"
before=$(cksum <"$out/p.ppm")
usage_error "segment" "--overlay OUT is IMAGE itself" --overlay "$out/p.ppm" "$out/p.ppm"
usage_error "segment" "--labels OUT is IMAGE itself" --labels "$out/p.pnm" "$out/p.pnm"
usage_error "body" "--overlay OUT is IMAGE itself" --overlay "$out/p.ppm" "$out/p.ppm"
usage_error "info" "--rgb OUT is IMAGE itself" --rgb "$out/p.ppm" "$out/p.ppm"
check "the photo named as its own output is left as it was" test "$(cksum <"$out/p.ppm")" = "$before"
# A missing input is exit 1 and names the file.
if "$pr" eval eigenfaces --help >/dev/null 2>&1; then
    "$pr" eval eigenfaces --labels "$out/none.csv" >"$out/el" 2>&1
    check "eval eigenfaces: missing labels exits 1" test $? -eq 1
    check "eval eigenfaces: missing labels is named" grep -q "none.csv" "$out/el"
fi
finish
