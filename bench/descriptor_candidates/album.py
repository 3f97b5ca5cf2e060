#!/usr/bin/env python3
"""Matches the album's truth boxes to human's detections -> one descriptor per truth face.

    album.py TRUTH.csv OUT.csv UNMATCHED.txt PIECE.tsv...

TRUTH.csv: ../shared/datasets/album/truth.csv (image,x,y,w,h,person,origin). PIECE.tsv: embed.js's
OUT_PREFIX-VARIANT.tsv over `make_list.py album TRUTH.csv` (one variant; pieces of a split run in any
order). human's face.box is the blazeface box enlarged 1.4x (its config.face.detector.scale) and
recentred on the mesh, so the enlargement is undone around the box's centre before matching.
Truth boxes and detections of an image are paired greedily by IoU, best first, each used once, a
pair only at IoU >= 0.3. OUT.csv: image,x,y,w,h,person,v0... for each matched truth face, in
truth order, the descriptor L2-normalised (%.7g). UNMATCHED.txt: the truth faces no detection
matched (with the image's detection count). Standard library only."""
import csv
import math
import sys
from collections import defaultdict

SCALE = 1.4
MIN_IOU = 0.3


def iou(a, b):
    ax, ay, aw, ah = a
    bx, by, bw, bh = b
    ix = max(0.0, min(ax + aw, bx + bw) - max(ax, bx))
    iy = max(0.0, min(ay + ah, by + bh) - max(ay, by))
    i = ix * iy
    u = aw * ah + bw * bh - i
    return i / u if u > 0 else 0.0


def main(argv):
    if len(argv) < 4:
        sys.exit(__doc__)
    truth, out, unmatched, pieces = argv[0], argv[1], argv[2], argv[3:]
    det = defaultdict(list)  # image -> [(box with the enlargement undone, descriptor text)]
    for piece in pieces:
        for line in open(piece):
            _idx, _set, image, tag, box, _score, vec = line.rstrip("\n").split("\t")
            if tag != "face":
                continue
            x, y, w, h = (float(v) for v in box.split(","))
            det[image].append(((x + w * (1 - 1 / SCALE) / 2, y + h * (1 - 1 / SCALE) / 2, w / SCALE, h / SCALE), vec))
    with open(truth, newline="") as fh:
        rows = list(csv.DictReader(fh))
    by_image = defaultdict(list)
    for k, r in enumerate(rows):
        by_image[r["image"]].append(k)
    match = {}
    for image, ks in by_image.items():
        cands = sorted(((iou(tuple(float(rows[k][c]) for c in "xywh"), d[0]), k, j)
                        for k in ks for j, d in enumerate(det[image])), reverse=True)
        used_k, used_j = set(), set()
        for v, k, j in cands:
            if v < MIN_IOU or k in used_k or j in used_j:
                continue
            match[k] = det[image][j][1]
            used_k.add(k)
            used_j.add(j)
    if not match:
        sys.exit("album: no truth face matched")
    dim = len(next(iter(match.values())).split(","))
    with open(out, "w") as o, open(unmatched, "w") as u:
        o.write("image,x,y,w,h,person," + ",".join("v%d" % i for i in range(dim)) + "\n")
        for k, r in enumerate(rows):
            cols = [r["image"], r["x"], r["y"], r["w"], r["h"], r["person"]]
            if k in match:
                v = [float(x) for x in match[k].split(",")]
                norm = math.sqrt(sum(x * x for x in v))
                o.write(",".join(cols) + "," + ",".join("%.7g" % (x / norm) for x in v) + "\n")
            else:
                u.write("%s,%s (detections in image: %d)\n" % (",".join(cols), r["origin"], len(det[r["image"]])))
    print("%s: truth faces %d, matched %d; images with a detection %d/%d" % (
        out, len(rows), len(match), sum(1 for i in by_image if det[i]), len(by_image)))


if __name__ == "__main__":
    main(sys.argv[1:])
