#!/usr/bin/env python3
"""The album truth-box clustering diagnostic of thesis/results/recognition.md: our descriptor
alone and with a candidate net's appended, clustered the way the product clusters.

    album_cluster.py TRUTH.csv STORE CALIB_OURS.csv CALIB_NEW.csv ALBUM_NEW.csv [W...]
                     [--calibration FILE] [--product OUT.csv] [--pred-dir DIR]

TRUTH.csv: ../shared/datasets/album/truth.csv. STORE: the SQLite store of
`personrec cluster --album COPY --labels TRUTH.csv --save-features STORE` (COPY: the album without
truth.csv), whose faces are the truth boxes; each truth face's descriptor is the face of the same
image with the highest IoU (>= 0.5). CALIB_OURS.csv: fit_calibration --descriptors
(desc-similarity-1.csv, README step 2); CALIB_NEW.csv: to_csv.py's CSV of the candidate net on the
same crops (README step 3); ALBUM_NEW.csv: album.py's CSV of the same net, same variant, on the
album (step 6). recognition.md's rows are faceres-bgrm's (mfn-faceres-bgrm.csv and
album-faceres-bgrm.csv). W: the weights of the appended descriptor (default 0.5 1.0).

The calibration of a descriptor is fit_calibration's (bench/calibration/fit_calibration.c): pairs
within each calibration set, distance rounded to float, a logistic regression of "same person"
on it with each set and each class given equal total weight, Newton with a ridge of 1e-7 on the
slope; lo = the 1 % quantile of the same pairs' distances, hi = the 99 % one of the different
pairs'. Ours uses the shipped line (--calibration, default cluster/params/calibration.txt);
its refit on CALIB_OURS.csv is printed as a check (the CSV's %.7g values are not the floats
fit_calibration fitted on, so it agrees to about 4 digits). The combined descriptor is
concat(ours, W * new), as combine.py makes it, its line fitted the same way on the calibration
sets' combined descriptors.

The clustering is the product's default calibrated path (pipeline/people.c, cluster/
calibrated.c, cluster/agglomerative.c): LLR = a + b * clamp(d, lo, hi) rounded to float, average
linkage while the best average is above 0, the same-photo cannot-link, the support guard (a merge
needs more than half of its cross pairs above 0), a refused merge never proposed again, ties to
the lower index; no stranger model, no clothing (off by default). Faces in the store's order
(path, x, y, w, h). Scored as `personrec eval cluster` scores it: truth faces named `unknown` are
clustered but left out of the score; clusters = distinct clusters among the faces scored.

Rows printed: ours on all truth faces with a stored descriptor (with --product, also the product's
own CSV of that run scored the same way, and whether the partitions agree), then on the faces
ALBUM_NEW.csv holds (the others dropped before clustering): ours, and ours + W x new per W.
--pred-dir DIR writes each row's partition as DIR/ROW.csv (image,x,y,w,h,person) for
`personrec eval cluster --truth TRUTH.csv --pred DIR/ROW.csv`. Standard library only."""
import argparse
import csv
import math
import operator
import os
import sqlite3
import struct
import sys
from collections import defaultdict

from album import iou  # this folder's album.py (its directory is on sys.path when run)

DIM = 128
RIDGE = 1e-7
MIN_IOU = 0.5
IGNORE = "unknown"


def f32(x):
    """x rounded to a C float."""
    return struct.unpack("f", struct.pack("f", x))[0]


def sqdist(a, b):
    """Sum of squared differences in double, left to right, as the product's loop adds them
    (sum() of floats adds left to right up to Python 3.11; from 3.12 it compensates, which may
    move the last bit)."""
    d = list(map(operator.sub, a, b))
    return sum(map(operator.mul, d, d))


# --- calibration ------------------------------------------------------------------------------

def read_shipped(path):
    for line in open(path):
        f = line.split("#", 1)[0].split()
        if len(f) >= 5 and f[0] == "descriptor":
            return tuple(float(v) for v in f[1:5])
    sys.exit("album_cluster: %s: no descriptor line" % path)


def read_desc_csv(path):
    """set,person,v... per line (fit_calibration --descriptors, to_csv.py)."""
    rows = []
    for line in open(path):
        f = line.rstrip("\n").split(",")
        rows.append((f[0], f[1], [float(v) for v in f[2:]]))
    return rows


def calib_pairs(ours, new, w):
    """(set index, same, distance rounded to float) of every pair within a set, fit_calibration's
    order; the descriptor is concat(ours, w * new), or ours alone when new is None."""
    if new is not None and (len(ours) != len(new) or any(x[:2] != y[:2] for x, y in zip(ours, new))):
        sys.exit("album_cluster: the two calibration CSVs hold different faces")
    sets = []
    for r in ours:
        if r[0] not in sets:
            sets.append(r[0])
    faces = []
    for k, r in enumerate(ours):
        v = r[2] if new is None else r[2] + [w * x for x in new[k][2]]
        faces.append((sets.index(r[0]), r[1], v))
    pairs = []
    for i in range(len(faces)):
        si, pi, vi = faces[i]
        for j in range(i + 1, len(faces)):
            sj, pj, vj = faces[j]
            if si == sj:
                pairs.append((si, pi == pj, f32(math.sqrt(sqdist(vi, vj)))))
    return pairs, len(sets)


def fit_logistic(pairs, nsets):
    cnt = [[0.0, 0.0] for _ in range(nsets)]
    for s, same, _d in pairs:
        cnt[s][same] += 1
    used = sum(1 for c in cnt if c[0] > 0 and c[1] > 0)
    x0 = x1 = 0.0
    for _ in range(100):
        g0, g1, h00, h01, h11 = 0.0, -RIDGE * x1, 0.0, 0.0, RIDGE
        for s, same, d in pairs:
            c = cnt[s]
            if c[0] == 0 or c[1] == 0:
                continue
            w = 1.0 / (c[same] * used)
            q = 1.0 / (1.0 + math.exp(-(x0 + x1 * d)))
            r, v = same - q, q * (1 - q)
            g0 += w * r
            g1 += w * r * d
            h00 += w * v
            h01 += w * v * d
            h11 += w * v * d * d
        det = h00 * h11 - h01 * h01
        if not det > 0:
            break
        s0, s1 = (h11 * g0 - h01 * g1) / det, (h00 * g1 - h01 * g0) / det
        x0 += s0
        x1 += s1
        if abs(s0) + abs(s1) < 1e-10:
            break
    return x0, x1


def quantile(pairs, want, q):
    v = sorted(d for _s, same, d in pairs if same == want)
    return v[int(q * (len(v) - 1) + 0.5)] if v else float("nan")


def fit_line(pairs, nsets):
    a, b = fit_logistic(pairs, nsets)
    return a, b, quantile(pairs, True, 0.01), quantile(pairs, False, 0.99)


def llr(cal, d):
    a, b, lo, hi = cal
    return f32(a + b * min(max(d, lo), hi))


# --- the album --------------------------------------------------------------------------------

def read_truth(path):
    with open(path, newline="") as fh:
        rows = list(csv.DictReader(fh))
    return [(r["image"], tuple(float(r[c]) for c in "xywh"), r["person"]) for r in rows]


def store_descriptors(path, truth):
    """Each truth face's stored box and descriptor (None where the store has none)."""
    db = sqlite3.connect("file:%s?mode=ro" % path, uri=True)
    faces = defaultdict(list)
    for p, x, y, w, h, blob in db.execute(
            "SELECT p.path, f.x, f.y, f.w, f.h, f.descriptor FROM faces f JOIN photos p ON "
            "p.id = f.photo_id WHERE p.skip_reason IS NULL AND f.ignored = 0 "
            "ORDER BY p.path, f.x, f.y, f.w, f.h, f.score DESC, f.id"):
        desc = list(struct.unpack("<%df" % DIM, blob)) if blob is not None and len(blob) == 4 * DIM else None
        faces[os.path.normpath(p)].append(((x, y, w, h), desc))
    db.close()
    out = []
    for image, box, _person in truth:
        cands = faces.get(os.path.normpath(image), [])
        best = max(range(len(cands)), key=lambda j: iou(box, cands[j][0]), default=None)
        if best is None or iou(box, cands[best][0]) < MIN_IOU:
            out.append(None)
        else:
            out.append(cands[best])
    return out


def read_album_new(path):
    """album.py's CSV: (image, x, y, w, h) -> descriptor."""
    new = {}
    with open(path, newline="") as fh:
        r = csv.reader(fh)
        next(r)
        for f in r:
            new[(f[0],) + tuple(float(v) for v in f[1:5])] = [float(v) for v in f[6:]]
    return new


def agglomerate(score, n, group):
    """pr_agglomerate with the defaults (threshold 0, cannot-link, support guard, no singles'
    minimum): cluster labels 0..k-1 numbered by each cluster's first face."""
    ninf = float("-inf")
    s = [[ninf if i == j or group[i] == group[j] else score[i][j] for j in range(n)] for i in range(n)]
    alive = [True] * n
    size = [1] * n
    owner = list(range(n))
    members = [[i] for i in range(n)]
    best = [-1] * n
    bestv = [ninf] * n

    def rescan(i):
        row, b, bv = s[i], -1, ninf
        for j in range(n):
            if j != i and alive[j] and row[j] > bv:
                bv, b = row[j], j
        best[i], bestv[i] = b, bv

    def allowed(a, b):
        pos = sum(1 for u in members[a] for v in members[b] if score[u][v] > 0.0)
        return 2 * pos > size[a] * size[b]

    def merge(a, b):
        wa, wb = float(size[a]), float(size[b])
        for c in range(n):
            if not alive[c] or c == a or c == b:
                continue
            sa, sb = s[a][c], s[b][c]
            v = ninf if math.isinf(sa) or math.isinf(sb) else f32((wa * sa + wb * sb) / (wa + wb))
            s[a][c] = s[c][a] = v
        alive[b] = False
        owner[b] = a
        size[a] += size[b]
        members[a] += members[b]
        rescan(a)
        for c in range(n):
            if not alive[c] or c == a:
                continue
            if best[c] == a or best[c] == b:
                rescan(c)
            else:
                v = s[c][a]
                if v > bestv[c] or (v == bestv[c] and v > ninf and a < best[c]):
                    best[c], bestv[c] = a, v

    for i in range(n):
        rescan(i)
    while True:
        i, bv = -1, ninf
        for r in range(n):
            if alive[r] and best[r] >= 0 and bestv[r] > bv:
                bv, i = bestv[r], r
        if i < 0 or not bestv[i] > 0.0:
            break
        j = best[i]
        if not allowed(i, j):
            s[i][j] = s[j][i] = ninf
            rescan(i)
            rescan(j)
            continue
        merge(min(i, j), max(i, j))
    ids, labels = {}, []
    for i in range(n):
        r = i
        while not alive[r]:
            r = owner[r]
        labels.append(ids.setdefault(r, len(ids)))
    return labels


def cluster(faces, descs, cal):
    """faces: (truth index, image, box, person) in the store's order; descs: their descriptors
    (None = no evidence). The product's calibrated path -> labels."""
    n = len(faces)
    score = [[0.0] * n for _ in range(n)]
    for i in range(n):
        for j in range(i + 1, n):
            if descs[i] is not None and descs[j] is not None:
                score[i][j] = score[j][i] = llr(cal, math.sqrt(sqdist(descs[i], descs[j])))
    photo = {}
    group = [photo.setdefault(f[1], len(photo)) for f in faces]
    return agglomerate(score, n, group)


def bcubed(persons, labels):
    """pr_cluster_eval's BCubed over the faces not named `unknown`: (clusters, P, R, F)."""
    keep = [(p, c) for p, c in zip(persons, labels) if p and p != IGNORE]
    n = float(len(keep))
    nij, ai, bj = defaultdict(int), defaultdict(int), defaultdict(int)
    for p, c in keep:
        nij[(p, c)] += 1
        ai[p] += 1
        bj[c] += 1
    prec = sum(v * v / bj[c] for (p, c), v in nij.items()) / n
    rec = sum(v * v / ai[p] for (p, c), v in nij.items()) / n
    f = 2 * prec * rec / (prec + rec) if prec + rec > 0 else 0.0
    return len(bj), prec, rec, f


def same_partition(a, b):
    fwd, back = {}, {}
    return all(fwd.setdefault(x, y) == y and back.setdefault(y, x) == x for x, y in zip(a, b))


def fmt_cal(cal):
    return "descriptor %.6f %.6f %.4f %.4f" % cal


def report(name, faces, labels, pred_dir):
    k, p, r, f = bcubed([x[3] for x in faces], labels)
    scored = sum(1 for x in faces if x[3] and x[3] != IGNORE)
    print("%-34s %3d faces (%3d scored)  %3d clusters  BCubed P %.4f R %.4f F %.4f" % (
        name, len(faces), scored, k, p, r, f))
    if pred_dir:
        path = os.path.join(pred_dir, name.split()[0].replace("/", "_") + ".csv")
        with open(path, "w") as o:
            o.write("image,x,y,w,h,person\n")
            for x, c in zip(faces, labels):
                o.write("%s,%s,person_%d\n" % (x[1], ",".join("%g" % v for v in x[2]), c))


def main(argv):
    ap = argparse.ArgumentParser(usage=__doc__.split("\n\n")[1].strip(),
                                 description=__doc__.split("\n\n", 2)[2],
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("truth")
    ap.add_argument("store")
    ap.add_argument("calib_ours")
    ap.add_argument("calib_new")
    ap.add_argument("album_new")
    ap.add_argument("weights", nargs="*", type=float)
    here = os.path.dirname(os.path.abspath(__file__))
    ap.add_argument("--calibration", default=os.path.join(here, "..", "..", "cluster", "params",
                                                          "calibration.txt"))
    ap.add_argument("--product")
    ap.add_argument("--pred-dir")
    a = ap.parse_args(argv)
    weights = a.weights or [0.5, 1.0]
    if a.pred_dir:
        os.makedirs(a.pred_dir, exist_ok=True)

    shipped = read_shipped(a.calibration)
    calib_ours = read_desc_csv(a.calib_ours)
    pairs, nsets = calib_pairs(calib_ours, None, 0)
    refit = fit_line(pairs, nsets)
    print("shipped (%s): %s" % (os.path.relpath(a.calibration), fmt_cal(shipped)))
    print("refit on %s (%d faces, %d pairs): %s" % (a.calib_ours, len(calib_ours), len(pairs),
                                                    fmt_cal(refit)))

    truth = read_truth(a.truth)
    stored = store_descriptors(a.store, truth)
    missing = [k for k, s in enumerate(stored) if s is None]
    if missing:
        print("truth faces without a stored face: %d (left out)" % len(missing))
    # The store's order: path, then the stored box.
    order = sorted((k for k, s in enumerate(stored) if s is not None),
                   key=lambda k: (truth[k][0], stored[k][0], k))
    faces = [(k, truth[k][0], truth[k][1], truth[k][2]) for k in order]
    ours = {k: stored[k][1] for k in order}
    nodesc = sum(1 for k in order if ours[k] is None)
    print("truth faces %d, with a stored face %d, without a descriptor %d" % (
        len(truth), len(order), nodesc))

    labels = cluster(faces, [ours[x[0]] for x in faces], shipped)
    report("ours-all (shipped calibration)", faces, labels, a.pred_dir)
    if a.product:
        prod = read_truth(a.product)  # image,x,y,w,h,person(,confidence)
        plab = []
        for x in faces:
            c = [(iou(x[2], b), p) for img, b, p in prod if os.path.normpath(img) == os.path.normpath(x[1])]
            plab.append(max(c)[1] if c and max(c)[0] >= MIN_IOU else None)
        ids = {}
        plab = [ids.setdefault(p, len(ids)) for p in plab]
        report("product-all (%s)" % os.path.basename(a.product), faces, plab, None)
        print("  same partition as the product's: %s" % ("yes" if same_partition(labels, plab) else "NO"))

    new = read_album_new(a.album_new)
    key = lambda x: (x[1],) + x[2]
    sub = [x for x in faces if key(x) in new]
    print("faces with a %s descriptor: %d of %d" % (os.path.basename(a.album_new), len(sub), len(faces)))
    labels = cluster(sub, [ours[x[0]] for x in sub], shipped)
    report("ours (shipped calibration)", sub, labels, a.pred_dir)
    calib_new = read_desc_csv(a.calib_new)
    for w in weights:
        pairs, nsets = calib_pairs(calib_ours, calib_new, w)
        cal = fit_line(pairs, nsets)
        print("combined w = %g, fitted on the calibration sets: %s" % (w, fmt_cal(cal)))
        descs = [None if ours[x[0]] is None else ours[x[0]] + [w * v for v in new[key(x)]] for x in sub]
        labels = cluster(sub, descs, cal)
        report("ours+%gxnew" % w, sub, labels, a.pred_dir)


if __name__ == "__main__":
    main(sys.argv[1:])
