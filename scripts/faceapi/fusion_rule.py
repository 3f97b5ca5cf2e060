#!/usr/bin/env python3
"""The `both` detector's rule for faces only the cascades find, measured outside album.

    fusion_rule.py RUNS_DIR DATA_DIR

RUNS_DIR holds, per set, the network's faces down to score 0.2 and the fused cascades' faces
(made by `scripts/faceapi/fusion_rule_runs.sh`):
    <set>.net.csv     personrec eval detect --detector network --net-score 0.2 --save-pred
    <set>.casc.jsonl  personrec detect --json --detector cascades
Sets: dlib (dlib_faces/boxes.csv as truth), bsds (BSDS500 images, no face truth: the cascade-only
faces are listed for judging by eye, and drawn into RUNS_DIR/bsds_cascade_only/ when ImageMagick is
there), and the face-crop sets essex, att, yale, bbtfaces (one face per image: a kept box centred
within a quarter of the width and 0.3 of the height, at least 0.3 of the shorter side, is that
face; any other box is a false one).

The fusion is detect/fuse_net.c's, replayed: network faces by score take the cascade face they
overlap most (IoU >= 0.3); a network-only face needs 0.5; a cascade-only face needs >= k votes and
a side >= r x the photo's shorter side. Prints, per set and rule, the faces kept and how many of
the cascade-only ones are faces; then the cascade-only faces' sizes relative to the photo.
"""
import csv
import json
import os
import shutil
import subprocess
import sys
from collections import defaultdict

SETS = ["dlib", "bsds", "essex", "att", "yale", "bbtfaces"]
CROP_SIZE = {"att": (92, 112), "yale": (168, 192), "essex": (180, 200), "bbtfaces": (150, 150)}


def iou(a, b):
    x0, y0 = max(a[0], b[0]), max(a[1], b[1])
    x1, y1 = min(a[0] + a[2], b[0] + b[2]), min(a[1] + a[3], b[1] + b[3])
    i = max(0, x1 - x0) * max(0, y1 - y0)
    u = a[2] * a[3] + b[2] * b[3] - i
    return i / u if u > 0 else 0


def load(runs, name):
    net, casc = defaultdict(list), defaultdict(list)
    for r in csv.DictReader(open(f"{runs}/{name}.net.csv")):
        box = tuple(float(r[k]) for k in "xywh")
        net[os.path.realpath(r["image"])].append((box, float(r["score"]) / 100))
    for line in open(f"{runs}/{name}.casc.jsonl"):
        j = json.loads(line)
        casc[os.path.realpath(j["image"])].append(((j["x"], j["y"], j["w"], j["h"]), j["votes"]))
    return net, casc


def fuse(netf, cascf, k, r, short):
    """detect/fuse_net.c: (box, kind, votes) of every kept face."""
    out, used = [], [False] * len(cascf)
    for box, s in sorted(netf, key=lambda t: -t[1]):
        if s < 0.2:
            continue
        best, best_iou = -1, 0.3
        for i, (cb, _) in enumerate(cascf):
            o = 0 if used[i] else iou(cb, box)
            if o >= best_iou:
                best, best_iou = i, o
        if best >= 0:
            used[best] = True
            out.append((cascf[best][0], "matched", cascf[best][1]))
        elif s >= 0.5:
            out.append((box, "network", 0))
    for i, (cb, v) in enumerate(cascf):
        if not used[i] and k > 0 and v >= k and min(cb[2], cb[3]) >= r * short:
            out.append((cb, "cascades", v))
    return out


def size_of(path):
    o = subprocess.run(["identify", "-format", "%w %h", path], capture_output=True, text=True)
    w, h = o.stdout.split()[:2]
    return int(w), int(h)


def main():
    runs, data = sys.argv[1], sys.argv[2]
    rules = [(0, 0), (2, 0), (3, 0), (4, 0), (2, 0.5), (3, 0.5)]
    for name in SETS:
        if not os.path.exists(f"{runs}/{name}.net.csv"):
            continue
        net, casc = load(runs, name)
        truth = defaultdict(list)
        if name == "dlib":
            for r in csv.DictReader(open(f"{data}/dlib_faces/boxes.csv")):
                truth[os.path.realpath(f"{data}/dlib_faces/{r['image']}")].append(
                    tuple(float(r[k]) for k in "xywh"))
            images = sorted(truth)
        else:
            images = sorted(set(net) | set(casc) | {os.path.realpath(r["image"]) for r in
                            csv.DictReader(open(f"{runs}/{name}.images.csv"))})
        sizes = {im: CROP_SIZE.get(name) or size_of(im) for im in images}
        rel = []
        for k, r in rules:
            tp = fp = fn = kept = faces = 0
            for im in images:
                w, h = sizes[im]
                out = fuse(net.get(im, []), casc.get(im, []), k, r, min(w, h))
                if name == "dlib":
                    t, used = truth[im], [False] * len(truth[im])
                    for box, kind, _ in out:
                        j = max(range(len(t)), key=lambda j: -1 if used[j] else iou(box, t[j]),
                                default=-1)
                        hit = j >= 0 and not used[j] and iou(box, t[j]) >= 0.5
                        if hit:
                            used[j] = True
                        tp, fp = tp + hit, fp + (not hit)
                        kept += kind == "cascades"
                        faces += kind == "cascades" and hit
                    fn += used.count(False)
                elif name == "bsds":
                    tp += len(out)
                    for box, kind, v in out:
                        if kind == "cascades":
                            kept += 1
                            if (k, r) == (2, 0):
                                rel.append((min(box[2], box[3]) / min(w, h), v, im, box))
                else:
                    found = False
                    for box, kind, v in out:
                        cx, cy = box[0] + box[2] / 2, box[1] + box[3] / 2
                        face = (not found and abs(cx - w / 2) < 0.25 * w and
                                abs(cy - h / 2) < 0.3 * h and box[2] >= 0.3 * min(w, h))
                        found = found or face
                        tp, fp = tp + face, fp + (not face)
                        if kind == "cascades":
                            kept += 1
                            faces += face
                            if (k, r) == (2, 0):
                                rel.append((min(box[2], box[3]) / min(w, h), v, im, box))
                    fn += not found
            what = "kept (kept faces unjudged)" if name == "bsds" else f"tp {tp} fp {fp} fn {fn}"
            print(f"{name:8s} votes>={k} side>={r:.2f}: {what}; cascade-only kept {kept}" +
                  ("" if name == "bsds" else f", of them faces {faces}"))
        if rel:
            rel.sort()
            print(f"{name:8s} cascade-only faces (votes >= 2) side / shorter side: "
                  f"min {rel[0][0]:.3f} max {rel[-1][0]:.3f}; "
                  f">= 0.5: {sum(1 for x in rel if x[0] >= 0.5)} of {len(rel)}")
        if name == "bsds" and rel and shutil.which("convert"):
            out_dir = f"{runs}/bsds_cascade_only"
            os.makedirs(out_dir, exist_ok=True)
            for i, (x, v, im, b) in enumerate(rel):
                m = 0.5 * b[2]
                x0, y0 = max(0, int(b[0] - m)), max(0, int(b[1] - m))
                subprocess.run(["convert", im, "-crop", f"{int(b[2] + 2 * m)}x{int(b[3] + 2 * m)}"
                                f"+{x0}+{y0}", "+repage", "-fill", "none", "-stroke", "red",
                                "-draw", f"rectangle {int(b[0] - x0)},{int(b[1] - y0)} "
                                f"{int(b[0] - x0 + b[2])},{int(b[1] - y0 + b[3])}",
                                f"{out_dir}/{i:02d}_v{v}_{os.path.basename(im)}.png"], check=False)
                print(f"  bsds cascade-only {i:2d}: {os.path.basename(im)} votes {v} "
                      f"side/short {x:.3f}")


if __name__ == "__main__":
    main()
