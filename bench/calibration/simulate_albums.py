#!/usr/bin/env python3
"""Off-album check of the clustering guards (cluster/agglomerative.h): simulated albums made of the
calibration sets' faces, clustered by average linkage on the shipped descriptor LLR with and
without the support guard and the stranger model, scored by BCubed F (strangers as ignore faces,
as the album's `unknown`).

    bench/calibration/simulate_albums.py DESCRIPTORS.csv CALIBRATION.txt [ALBUMS_PER_SET]

DESCRIPTORS.csv: fit_calibration --descriptors (set,person,128 values; the calibration sets, never
the album). Each album (per set, ALBUMS_PER_SET of them, default 30, seeded): the set's people in
a random order, the first fifth as one-face strangers, every other person with 1, 2, 3, 4, 6, 8 or
10 faces (drawn), each face a photo of its own. Prints the mean F per set and overall.
"""
import math
import random
import sys
from collections import defaultdict


def shipped(path, key, n):
    for line in open(path):
        w = line.split()
        if w and w[0] == key:
            return [float(v) for v in w[1:1 + n]]
    sys.exit("simulate_albums: %s has no %s line" % (path, key))


def avglink(S, ok):
    """Average linkage to 0 (as cluster/agglomerative.c); a refused merge stays apart."""
    n = len(S)
    members = {i: [i] for i in range(n)}
    M = {(i, j): S[i][j] for i in range(n) for j in range(i + 1, n)}
    while True:
        best, bv = None, 0.0
        for k, v in M.items():
            if v > bv:
                best, bv = k, v
        if best is None:
            break
        a, b = best
        if not ok(members[a], members[b], bv):
            M[best] = -math.inf
            continue
        wa, wb = len(members[a]), len(members[b])
        for c in members:
            if c in (a, b):
                continue
            ka, kb = (min(a, c), max(a, c)), (min(b, c), max(b, c))
            va, vb = M[ka], M.pop(kb)
            M[ka] = -math.inf if math.isinf(va) or math.isinf(vb) else (wa * va + wb * vb) / (wa + wb)
        del M[best]
        members[a] += members.pop(b)
    lab = [0] * n
    for k, m in enumerate(sorted(members)):
        for i in members[m]:
            lab[i] = k
    return lab


def bcubed_f(truth, lab):
    items = [(t, l) for t, l in zip(truth, lab) if t is not None]
    P = R = 0.0
    for t, p in items:
        same_p = [x for x in items if x[1] == p]
        same_t = [x for x in items if x[0] == t]
        c = sum(1 for x in same_p if x[0] == t)
        P += c / len(same_p)
        R += c / len(same_t)
    P, R = P / len(items), R / len(items)
    return 2 * P * R / (P + R)


def main():
    if len(sys.argv) not in (3, 4):
        sys.exit(__doc__)
    a, b, lo, hi = shipped(sys.argv[2], "descriptor", 4)
    c0, c1, c2 = shipped(sys.argv[2], "stranger", 3)
    reps = int(sys.argv[3]) if len(sys.argv) == 4 else 30
    faces = defaultdict(lambda: defaultdict(list))
    for line in open(sys.argv[1]):
        p = line.rstrip("\n").split(",")
        faces[p[0].split("/")[-2]][p[1]].append([float(v) for v in p[2:]])
    random.seed(7)
    res = defaultdict(list)
    names = ("plain", "support", "stranger", "support+stranger")
    for s in sorted(faces):
        people = sorted(faces[s])
        for _ in range(reps):
            random.shuffle(people)
            nstr = max(1, len(people) // 5)
            truth, desc = [], []
            for i, p in enumerate(people):
                k = 1 if i < nstr else random.choice([1, 2, 3, 4, 6, 8, 10])
                for d in random.sample(faces[s][p], min(k, len(faces[s][p]))):
                    truth.append(None if i < nstr else p)
                    desc.append(d)
            n = len(desc)
            S = [[0.0] * n for _ in range(n)]
            for i in range(n):
                for j in range(i + 1, n):
                    d = math.sqrt(sum((u - v) ** 2 for u, v in zip(desc[i], desc[j])))
                    S[i][j] = S[j][i] = a + b * min(max(d, lo), hi)
            tau = -(c0 + c2 * math.log(max(n - 1, 1))) / c1

            def support(x, y, v):
                return 2 * sum(S[i][j] > 0 for i in x for j in y) > len(x) * len(y)

            def stranger(x, y, v):
                return not (len(x) == 1 and len(y) == 1) or v > tau

            rules = {"plain": lambda x, y, v: True, "support": support, "stranger": stranger,
                     "support+stranger": lambda x, y, v: support(x, y, v) and stranger(x, y, v)}
            for name in names:
                res[(s, name)].append(bcubed_f(truth, avglink(S, rules[name])))
    for s in sorted(faces):
        print(s, " ".join("%s %.4f" % (k, sum(res[(s, k)]) / reps) for k in names))
    print("all", " ".join("%s %.4f" % (k, sum(sum(res[(s, k)]) for s in faces) / (reps * len(faces)))
                          for k in names))


main()
