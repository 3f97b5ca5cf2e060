#!/usr/bin/env python3
"""Compares descriptor front ends off-album, and averages of two of them (an ensemble):

    bench/calibration/compare_front_ends.py NAME=DESC.csv ... [NAME=DESC1.csv+DESC2.csv ...]

DESC.csv: fit_calibration --descriptors (set,person,128 values per face; the calibration sets,
never the album), one file per front end made from the same crops in the same order.
NAME=A.csv+B.csv scores the element-wise mean of the two files' descriptors (one 128-d
descriptor, as a product would store it). Printed per front end, for each set: the pair AUC
(pairs within the set) and the balanced log-loss of a logistic fit of "same person" on the
distance made without that set (leave-one-set-out; 0.693 = no information), then their means.
The fit is fit_calibration's without the clamp to [lo, hi], so the losses differ from its
printed ones in the third decimal; every front end is scored the same way here.
"""
import math
import sys


def read(path):
    faces = []
    for line in open(path):
        f = line.rstrip("\n").split(",")
        faces.append((f[0], f[1], [float(v) for v in f[2:]]))
    return faces


def mean_of(a, b):
    if len(a) != len(b) or any(x[:2] != y[:2] for x, y in zip(a, b)):
        sys.exit("compare_front_ends: the two files hold different faces")
    return [(x[0], x[1], [(u + v) / 2 for u, v in zip(x[2], y[2])]) for x, y in zip(a, b)]


def pairs_by_set(faces):
    out = {}
    for s in sorted({f[0] for f in faces}):
        sub = [f for f in faces if f[0] == s]
        d, same = [], []
        for i in range(len(sub)):
            vi = sub[i][2]
            for j in range(i + 1, len(sub)):
                d.append(math.sqrt(sum((p - q) ** 2 for p, q in zip(vi, sub[j][2]))))
                same.append(sub[i][1] == sub[j][1])
        out[s] = (d, same)
    return out


def weighted(sets):
    """(d, y, w) with each set and each class given equal total weight."""
    rows = []
    for d, same in sets:
        npos = max(sum(same), 1)
        nneg = max(len(same) - sum(same), 1)
        rows += [(x, y, 0.5 / (npos if y else nneg)) for x, y in zip(d, same)]
    return rows


def fit(rows, iterations=50):
    a = b = 0.0
    for _ in range(iterations):  # Newton on the weighted log-likelihood
        ga = gb = haa = hab = hbb = 0.0
        for d, y, w in rows:
            p = 1 / (1 + math.exp(-max(-60.0, min(60.0, a + b * d))))
            r, h = w * (p - y), w * p * (1 - p)
            ga, gb = ga + r, gb + r * d
            haa, hab, hbb = haa + h, hab + h * d, hbb + h * d * d
        det = haa * hbb - hab * hab + 1e-12
        a -= (hbb * ga - hab * gb) / det
        b -= (haa * gb - hab * ga) / det
    return a, b


def balanced_loss(a, b, d, same):
    pos = neg = 0.0
    npos = sum(same)
    for x, y in zip(d, same):
        p = min(max(1 / (1 + math.exp(-max(-60.0, min(60.0, a + b * x)))), 1e-12), 1 - 1e-12)
        if y:
            pos -= math.log(p)
        else:
            neg -= math.log(1 - p)
    return 0.5 * pos / max(npos, 1) + 0.5 * neg / max(len(same) - npos, 1)


def auc(d, same):
    order = sorted(range(len(d)), key=lambda i: d[i])  # nearer = more likely the same person
    rank_sum = sum(r for r, i in enumerate(order) if same[i])
    npos = sum(same)
    nneg = len(same) - npos
    return 1 - (rank_sum - npos * (npos - 1) / 2) / (npos * nneg)


def main(argv):
    if not argv or any("=" not in a for a in argv):
        sys.exit(__doc__)
    cache = {}
    for arg in argv:
        name, spec = arg.split("=", 1)
        parts = [cache.setdefault(p, read(p)) for p in spec.split("+")]
        if len(parts) > 2:
            sys.exit("compare_front_ends: at most two files per ensemble")
        faces = parts[0] if len(parts) == 1 else mean_of(*parts)
        sets = pairs_by_set(faces)
        aucs, losses = [], []
        for held in sets:
            a, b = fit(weighted([sets[s] for s in sets if s != held]))
            aucs.append(auc(*sets[held]))
            losses.append(balanced_loss(a, b, *sets[held]))
        print("%-24s AUC %s mean %.4f | LOSO loss %s mean %.4f" % (
            name, " ".join("%.4f" % v for v in aucs), sum(aucs) / len(aucs),
            " ".join("%.4f" % v for v in losses), sum(losses) / len(losses)))
    print("sets, in this order:", " ".join(sorted({f[0] for f in next(iter(cache.values()))})))


if __name__ == "__main__":
    main(sys.argv[1:])
