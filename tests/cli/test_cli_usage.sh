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
finish
