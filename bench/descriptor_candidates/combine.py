#!/usr/bin/env python3
"""Descriptor CSVs (set,person,v...) combined for bench/calibration/compare_front_ends.py.

    combine.py concat A.csv B.csv W OUT.csv   each row: A's values, then W times B's (one longer
        descriptor: squared distance = A's + W^2 * B's; A and B each L2-normalised, so W sets
        B's share). The README's concat(sim, w*new): A = fit_calibration's --descriptors CSV.
    combine.py subset MASK.txt IN.csv OUT.csv the rows whose MASK.txt line is 1 (to_csv.py's mask:
        the images where human found a face), to score both front ends on the same faces.
A and B (and MASK and IN) must hold the same faces in the same order. Standard library only."""
import sys


def rows(path):
    return [line.rstrip("\n").split(",") for line in open(path)]


def concat(a_path, b_path, w, out):
    a, b, w = rows(a_path), rows(b_path), float(w)
    if len(a) != len(b) or any(x[:2] != y[:2] for x, y in zip(a, b)):
        sys.exit("combine: %s and %s hold different faces" % (a_path, b_path))
    with open(out, "w") as o:
        for x, y in zip(a, b):
            o.write(",".join(x + [repr(w * float(v)) for v in y[2:]]) + "\n")


def subset(mask_path, in_path, out):
    mask = [line.strip() == "1" for line in open(mask_path)]
    r = rows(in_path)
    if len(mask) != len(r):
        sys.exit("combine: %s has %d lines, %s %d" % (mask_path, len(mask), in_path, len(r)))
    with open(out, "w") as o:
        for keep, x in zip(mask, r):
            if keep:
                o.write(",".join(x) + "\n")


def main(argv):
    if len(argv) == 5 and argv[0] == "concat":
        concat(*argv[1:])
    elif len(argv) == 4 and argv[0] == "subset":
        subset(*argv[1:])
    else:
        sys.exit(__doc__)


if __name__ == "__main__":
    main(sys.argv[1:])
