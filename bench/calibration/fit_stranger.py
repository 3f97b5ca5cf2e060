#!/usr/bin/env python3
"""Fits the stranger model of cluster/calibrated.h off-album and writes its line into the shipped
calibration file:

    bench/calibration/fit_stranger.py DESCRIPTORS.csv CALIBRATION.txt

DESCRIPTORS.csv: fit_calibration --descriptors (set,person,128 values per face; the calibration
sets, never the album). The pair LLR is the file's own "descriptor" line. For every face and every
number of candidates M in 3, 10, 30, 100, 300 (as far as the set allows), twice: its best pair LLR
among M faces of other people (a stranger: label 0), and among M - 1 faces of other people plus
one face of its own person (seen once before: label 1). A logistic regression of the label on
(best LLR, ln M), each set and each class given equal total weight, gives
    log-odds(seen before) = c0 + c1 * x + c2 * ln M
written as the line "stranger c0 c1 c2" (an existing one is replaced). Deterministic (seeded draws).
"""
import math
import random
import sys


def read_descriptor_line(path):
    for line in open(path):
        w = line.split()
        if w and w[0] == "descriptor":
            return [float(v) for v in w[1:5]]
    sys.exit("fit_stranger: %s has no descriptor line" % path)


def fit(rows, nf, ridge=1e-4):
    """Set- and class-balanced logistic regression (Newton) of rows' last field on the nf
    features after the set name."""
    cnt = {}
    for r in rows:
        cnt[(r[0], r[-1])] = cnt.get((r[0], r[-1]), 0) + 1
    used = len({r[0] for r in rows})
    w = [0.0] * (nf + 1)
    for _ in range(100):
        g = [0.0] * (nf + 1)
        H = [[0.0] * (nf + 1) for _ in range(nf + 1)]
        for k in range(1, nf + 1):
            g[k] -= ridge * w[k]
            H[k][k] += ridge
        for r in rows:
            x = [1.0] + list(r[1:1 + nf])
            wt = 1.0 / (cnt[(r[0], r[-1])] * used)
            z = max(min(sum(a * b for a, b in zip(w, x)), 50.0), -50.0)
            q = 1.0 / (1.0 + math.exp(-z))
            for a in range(nf + 1):
                g[a] += wt * (r[-1] - q) * x[a]
                for b in range(nf + 1):
                    H[a][b] += wt * q * (1 - q) * x[a] * x[b]
        n = nf + 1
        M = [H[i][:] + [g[i]] for i in range(n)]
        for c in range(n):
            piv = max(range(c, n), key=lambda i: abs(M[i][c]))
            M[c], M[piv] = M[piv], M[c]
            for i in range(n):
                if i != c:
                    f = M[i][c] / M[c][c]
                    for k in range(c, n + 1):
                        M[i][k] -= f * M[c][k]
        step = [M[i][n] / M[i][i] for i in range(n)]
        w = [a + b for a, b in zip(w, step)]
        if sum(abs(s) for s in step) < 1e-10:
            break
    return w


def main():
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    a, b, lo, hi = read_descriptor_line(sys.argv[2])

    def llr(x, y):
        d = math.sqrt(sum((u - v) ** 2 for u, v in zip(x, y)))
        return a + b * min(max(d, lo), hi)

    faces = []
    for line in open(sys.argv[1]):
        p = line.rstrip("\n").split(",")
        faces.append((p[0], p[1], [float(v) for v in p[2:]]))
    random.seed(1)
    rows = []
    for s in sorted({f[0] for f in faces}):
        mine = [f for f in faces if f[0] == s]
        n = len(mine)
        L = [[llr(mine[i][2], mine[j][2]) if i != j else 0.0 for j in range(n)] for i in range(n)]
        for i in range(n):
            same = [j for j in range(n) if j != i and mine[j][1] == mine[i][1]]
            other = [j for j in range(n) if mine[j][1] != mine[i][1]]
            for M in (3, 10, 30, 100, 300):
                if M > len(other):
                    continue
                for _ in range(2):
                    cand = random.sample(other, M)
                    rows.append((s, max(L[i][j] for j in cand), math.log(M), 0))
                    if same:
                        cand = random.sample(other, M - 1) + [random.choice(same)]
                        rows.append((s, max(L[i][j] for j in cand), math.log(M), 1))
    c0, c1, c2 = fit(rows, 2)
    tau = lambda m: -(c0 + c2 * math.log(m)) / c1
    out = [l for l in open(sys.argv[2]) if not l.startswith("stranger ")
           and not l.startswith("# stranger")]
    out.append("# stranger: log-odds(seen before) = c0 + c1 * best LLR + c2 * ln(candidates), "
               "bench/calibration/fit_stranger.py over %d draws; least LLR at 10 / 100 / 300 "
               "candidates %.2f / %.2f / %.2f\n" % (len(rows), tau(10), tau(100), tau(300)))
    out.append("stranger %.6f %.6f %.6f\n" % (c0, c1, c2))
    with open(sys.argv[2], "w") as f:
        f.writelines(out)
    print("stranger %.6f %.6f %.6f" % (c0, c1, c2))


main()
