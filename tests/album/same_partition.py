# same_partition.py A.csv B.csv: the same faces (image,x,y,w,h) in both CSV files, and two faces
# share a cluster (person column) in A exactly when they do in B. Exit 1 with the first difference.
import csv
import sys


def load(path):
    with open(path) as f:
        return {tuple(r[:5]): r[5] for r in list(csv.reader(f))[1:]}


a, b = load(sys.argv[1]), load(sys.argv[2])
if set(a) != set(b):
    print("different faces:", sorted(set(a) ^ set(b)))
    sys.exit(1)
ab, ba = {}, {}
for face in a:
    if ab.setdefault(a[face], b[face]) != b[face] or ba.setdefault(b[face], a[face]) != a[face]:
        print("different partition at", face)
        sys.exit(1)
print(len(a), "faces,", len(ab), "clusters in both")
