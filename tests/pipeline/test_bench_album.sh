#!/usr/bin/env bash
# personrec bench album on 3 real album photos: once as they are, once brought to 4 MP (the
# resized-copy path and describe's scaled JPEG decode); every stage is printed for the 1- and the
# 2-thread run, photos/s and CPU lines for both, the JSON names 3 photos, 2 runs and every stage,
# the temporary folder is gone afterwards.
#   test_bench_album.sh PERSONREC DATA_DIR SCRATCH
set -u
P=$1
data=${PR_DATA_DIR:-$2}
scratch=$3
[ -d "$data/album" ] || { echo "skipped: $data/album missing"; exit 77; }
rm -rf "$scratch" && mkdir -p "$scratch/tmp" || exit 1
fails=0
check() { # message command...
    local msg=$1
    shift
    if "$@"; then echo "ok: $msg"; else echo "FAILED: $msg"; fails=$((fails + 1)); fi
}

run_case() { # name extra-args...
    local name=$1
    shift
    TMPDIR="$scratch/tmp" "$P" bench album "$data/album" --limit 3 --threads 2 --no-peer \
        --json "$scratch/$name.json" "$@" >"$scratch/$name.out" 2>"$scratch/$name.err"
    check "$name: exits 0" [ $? -eq 0 ]
    cat "$scratch/$name.out"
    for stage in decode detect descriptor body features store total; do
        check "$name: stage $stage in both runs" \
            [ "$(grep -cE "^$stage +\|.*\|" "$scratch/$name.out")" -eq 1 ]
    done
    check "$name: 1 thread photos/s" grep -qE '^1 thread: [0-9.]+ photos/s .*CPU [0-9]+%' "$scratch/$name.out"
    check "$name: 2 threads photos/s" grep -qE '^2 threads: [0-9.]+ photos/s' "$scratch/$name.out"
    check "$name: peak memory" grep -q '^peak memory' "$scratch/$name.out"
    check "$name: 3 photos" grep -q '^bench album: 3 photos' "$scratch/$name.out"
    python3 - "$scratch/$name.json" <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))
assert r["photos"] == 3 and r["skipped"] == 0, r
assert len(r["runs"]) == 2 and [x["threads"] for x in r["runs"]] == [1, 2], r["runs"]
for run in r["runs"]:
    st = run["stages"]
    assert set(st) == {"decode", "detect", "descriptor", "body", "features", "store"}, st
    for k in ("decode", "detect", "features", "store"):
        assert st[k]["wall_ms"] > 0 and st[k]["cpu_ms"] >= 0, (k, st[k])
    assert run["wall_ms"] > 0 and run["cpu_ms"] > 0
assert r["runs"][0]["faces"] == r["runs"][1]["faces"], "faces differ between 1 and 2 threads"
PY
    check "$name: JSON complete, same faces on 1 and 2 threads" [ $? -eq 0 ]
}

run_case small
run_case phone --size 4
check "phone: 4 MP copies" grep -qE '^bench album: 3 photos, 4\.00 MP mean \(resized' "$scratch/phone.out"
check "temporary folder removed" [ -z "$(ls -A "$scratch/tmp")" ]
"$P" bench album "$data/album" --size -1 >/dev/null 2>&1
check "bad --size is a usage error" [ $? -eq 2 ]

[ $fails -eq 0 ] || { echo "$fails failed"; exit 1; }
echo "all passed"
