#!/bin/bash
# Album measurement for thesis/results/cluster.md: BCubed / pairwise F of each cue alone and of the
# fusion, with and without the cannot-link constraint and the co-occurrence refinement (weight
# 0.1), for each way of choosing k.
#
#   bench/cluster/album_measure.sh PERSONREC FEATURES_FILE PREFIX [KS...]
#
# FEATURES_FILE comes from `personrec cluster --album DIR [--labels truth.csv] --save-features F`.
# Prints one line per configuration: name | options | the JSON of `personrec eval cluster`.
# KS: the ways of choosing k, default "--choose silhouette" "--choose radius".
set -u
P=$1; F=$2; PREFIX=$3; shift 3
A=${PR_DATA_DIR:-$(dirname "$0")/../../../shared/datasets}/album
OUT=${TMPDIR:-/tmp}/cluster_album_measure
mkdir -p "$OUT"
if [ $# -eq 0 ]; then set -- "--choose silhouette" "--choose radius"; fi
run() {
  name=$1; shift
  "$P" cluster --features "$F" --threads 2 --out "$OUT/$name.csv" "$@" 2>"$OUT/$name.err" || return
  echo "$name | $* | $("$P" eval cluster --truth "$A/truth.csv" --pred "$OUT/$name.csv" --json)"
}
for k in "$@"; do
  kn=$(echo $k | tr -d ' -')
  for cue in eigen sift band body background; do
    run ${PREFIX}${cue}_$kn --cues $cue=1 --clothing-everywhere $k
  done
  run ${PREFIX}fusion_$kn $k
  run ${PREFIX}fusion_noconstraint_$kn --no-constraint $k
  run ${PREFIX}fusion_everywhere_$kn --clothing-everywhere $k
  run ${PREFIX}fusion_everywhere_noconstraint_$kn --clothing-everywhere --no-constraint $k
  run ${PREFIX}fusion_cooc_$kn --cooccurrence 0.1 $k
  run ${PREFIX}fusion_everywhere_cooc_$kn --clothing-everywhere --cooccurrence 0.1 $k
done
