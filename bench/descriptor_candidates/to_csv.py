#!/usr/bin/env python3
"""embed.js output -> a descriptor CSV that bench/calibration/compare_front_ends.py reads.

    to_csv.py OUT.csv MASK.txt PIECE.tsv...

PIECE.tsv: embed.js's OUT_PREFIX-VARIANT.tsv files of one variant (the pieces of a split run, in
any order); together they must cover the list's images 0..n-1 once each. OUT.csv: set,person,v...
one line per image in the list's order (the labels files' order, as fit_calibration --descriptors
writes it, so the two line up row by row): the largest face human found (box area), or the
whole-image line where it found none; L2-normalised, %.7g. MASK.txt: one line per image, 1 where
human found a face, 0 where the whole image stands in. Standard library only."""
import math
import sys
from collections import Counter


def main(argv):
    if len(argv) < 3:
        sys.exit(__doc__)
    out, mask, pieces = argv[0], argv[1], argv[2:]
    images = {}
    for piece in pieces:
        for line in open(piece):
            idx, st, key, tag, box, _score, vec = line.rstrip("\n").split("\t")
            x, y, w, h = (float(v) for v in box.split(","))
            images.setdefault(int(idx), []).append((tag, w * h, st, key, vec))
    n = len(images)
    if sorted(images) != list(range(n)):
        sys.exit("to_csv: the pieces do not cover images 0..%d once each" % (n - 1))
    found, total = Counter(), Counter()
    with open(out, "w") as o, open(mask, "w") as m:
        for i in range(n):
            faces = [r for r in images[i] if r[0] == "face"]
            if not faces and len(images[i]) != 1:
                sys.exit("to_csv: image %d: more than one whole-image line (a piece given twice?)" % i)
            best = max(faces, key=lambda r: r[1]) if faces else images[i][0]  # first of equal areas
            v = [float(x) for x in best[4].split(",")]
            norm = math.sqrt(sum(x * x for x in v))
            o.write(best[2] + "," + best[3] + "," + ",".join("%.7g" % (x / norm) for x in v) + "\n")
            m.write("1\n" if faces else "0\n")
            total[best[2]] += 1
            found[best[2]] += bool(faces)
    print("%s: %d images; human found a face in %s" % (
        out, n, ", ".join("%s %d/%d" % (s, found[s], total[s]) for s in total)))


if __name__ == "__main__":
    main(sys.argv[1:])
