#!/usr/bin/env bash
# An album store that cannot be written (a read-only .personrec folder, as on a read-only copy or
# a share) is a permission problem, not damage: label and people exit 1 naming album.db and
# saying it cannot be written, and never call the store damaged nor advise moving it aside (which
# would lose the corrections it holds). The store is left as it was and works again once writable.
# A read-only album without a store is said to be one, with --out as the way out.
# Runs as root through setpriv (root ignores permissions), skipped (77) where that is impossible.
# usage: test_cli_store_access.sh PERSONREC
set -u
. "$(dirname "$0")/lib.sh"
pr=$1
as_user=()
if [ "$(id -u)" -eq 0 ]; then
    command -v setpriv >/dev/null || { echo "root without setpriv"; exit 77; }
    as_user=(setpriv --reuid=nobody --regid=nogroup --clear-groups)
fi
out=$(mktemp -d)
trap 'chmod -R u+w "$out"; rm -rf "$out"' EXIT
chmod 755 "$out"
"${as_user[@]}" "$pr" --version >/dev/null 2>&1 || { echo "cannot run personrec as nobody"; exit 77; }
A="$out/album"
mkdir "$A"
[ ${#as_user[@]} -eq 0 ] || chown nobody "$A"
"${as_user[@]}" "$pr" label "$A" --quiet >"$out/first" 2>&1
check "first run exits 0" test $? -eq 0
db="$A/.personrec/album.db"
before=$(sha256sum "$db")
chmod a-w "$A/.personrec"
for cmd in "label $A --quiet" "people $A list" "people $A rename person_1 Ann"; do
    # shellcheck disable=SC2086
    "${as_user[@]}" "$pr" $cmd >"$out/ro" 2>&1
    rc=$?
    check "$cmd: read-only store exits 1" test $rc -eq 1
    check "$cmd: names album.db" grep -q "album.db" "$out/ro"
    check "$cmd: says it cannot be written" grep -qi "read-only\|readonly\|permission" "$out/ro"
    check "$cmd: does not call the store damaged" sh -c "! grep -qi 'damaged' '$out/ro'"
    check "$cmd: does not advise moving it aside" sh -c "! grep -q 'mv ' '$out/ro'"
done
check "read-only store left as it was" test "$(sha256sum "$db")" = "$before"
# A read-only album with no store yet: the message says so and points to --out, which works.
B="$out/read-only album"
mkdir "$B"
chmod 555 "$B"
"${as_user[@]}" "$pr" label "$B" --quiet >"$out/rob" 2>&1
check "read-only album exits 1" test $? -eq 1
check "read-only album: names .personrec" grep -q ".personrec" "$out/rob"
check "read-only album: points to --out" grep -q -- "--out" "$out/rob"
mkdir "$out/elsewhere"
[ ${#as_user[@]} -eq 0 ] || chown nobody "$out/elsewhere"
"${as_user[@]}" "$pr" label "$B" --quiet --out "$out/elsewhere" >"$out/rob2" 2>&1
check "read-only album with --out exits 0" test $? -eq 0
chmod u+w "$A/.personrec"
"${as_user[@]}" "$pr" label "$A" --quiet >"$out/again" 2>&1
check "writable again: label exits 0" test $? -eq 0
finish
