#!/bin/bash
# r02: a sub-folder that cannot be read, a photo that cannot be read and a link to a photo that is
# gone are each named on stderr and skipped; the rest of the album is labelled (people.csv) and
# `label` exits 1. Before: one unreadable sub-folder aborted the whole run, no people.csv.
# Permissions do not stop root, so the permission cases run the binary as `nobody` (setpriv) on an
# album nobody owns; without root they run as the caller. The dangling link runs as anyone.
. "$(dirname "$0")/lib.sh" "$@"
F=$S/azure_face_family/images
has_face() { grep -q "^$1," "$2/.personrec/people.csv"; }
count_named() { grep -c "^personrec: $1: " "$2"; }

# 1. a link with a photo's name that leads nowhere (no permission needed)
A=$(fresh links)
cp "$F/Family1-Dad1.jpg" "$A/ok.jpg"
ln -s "$W/nowhere/gone.jpg" "$A/gone.jpg"
"$P" label "$A" --quiet 2>"$W/err_links"
check "dangling link: exit 1" [ $? = 1 ]
check "dangling link: named once" [ "$(count_named "$A/gone.jpg" "$W/err_links")" = 1 ]
check "dangling link: the rest labelled" has_face ok.jpg "$A"

# 2. permissions: a locked sub-folder and a locked photo
run_as=()
if [ "$(id -u)" = 0 ]; then
    if command -v setpriv >/dev/null && id nobody >/dev/null 2>&1; then
        run_as=(setpriv --reuid=nobody --regid="$(id -gn nobody)" --clear-groups)
    fi
    # nobody must reach the binary and the scratch folder
    if [ ${#run_as[@]} = 0 ] || ! "${run_as[@]}" test -x "$P" || ! "${run_as[@]}" test -x "$W"; then
        run_as=(none)
    fi
fi
if [ "${run_as[0]:-}" = none ]; then
    echo "running as root and cannot drop to nobody here: permission cases not run"
else
    A=$(fresh perms)
    mkdir "$A/locked" "$A/open"
    cp "$F/Family1-Dad1.jpg" "$A/ok.jpg"
    cp "$F/Family1-Son1.jpg" "$A/open/son.jpg"
    cp "$F/Family1-Mom1.jpg" "$A/locked/in.jpg"
    cp "$F/Family1-Daughter2.jpg" "$A/secret.jpg"
    [ "$(id -u)" = 0 ] && chown -R nobody "$A"
    chmod 000 "$A/locked" "$A/secret.jpg"
    "${run_as[@]}" "$P" label "$A" 2>"$W/err_perms" >/dev/null
    rc=$?
    chmod 755 "$A/locked"
    chmod 644 "$A/secret.jpg"
    check "locked folder: exit 1 (not the old abort)" [ "$rc" = 1 ]
    check "locked folder: named once" [ "$(count_named "$A/locked" "$W/err_perms")" = 1 ]
    check "locked photo: named once" [ "$(count_named "$A/secret.jpg" "$W/err_perms")" = 1 ]
    check "locked folder: people.csv written" test -f "$A/.personrec/people.csv"
    check "locked folder: the photo beside it labelled" has_face ok.jpg "$A"
    check "locked folder: the photo in a sibling folder labelled" has_face open/son.jpg "$A"
    check "locked folder: nothing inside it listed" bash -c "! grep -q '^locked/' '$A/.personrec/people.csv'"
    # unlocked again (size and mtime unchanged): the next run tries the photo that failed again
    # and labels the folder, and names nothing
    [ "$(id -u)" = 0 ] && chown -R nobody "$A"
    "${run_as[@]}" "$P" label "$A" --quiet 2>"$W/err_perms2"
    check "unlocked: exit 0" [ $? = 0 ]
    check "unlocked: the folder's photo labelled" has_face locked/in.jpg "$A"
    check "unlocked: the photo that failed is labelled (tried again)" has_face secret.jpg "$A"
fi
finish
