#!/usr/bin/env python3
"""Writes the image list embed.js reads: set <TAB> key <TAB> image path, one image a line.

    make_list.py crops LABELS.csv... > LIST.tsv   the calibration sets, as fit_calibration --crops
        reads them: each file's first column is the image path relative to the file's folder, the
        second the person; the header line, '#' lines and empty lines skipped; files and rows in the
        order given. set = the LABELS.csv argument as written (fit_calibration's --descriptors
        writes the same, so the CSVs line up row by row); key = the person.
    make_list.py album TRUTH.csv > LIST.tsv       each image of the album's truth once (first
        appearance order); set = "album", key = the image column (path relative to TRUTH.csv's
        folder), which album.py matches on.
Standard library only."""
import csv
import os
import sys


def crops(files):
    for f in files:
        folder = os.path.dirname(f)
        with open(f, newline="") as fh:
            for n, line in enumerate(fh.read().split("\n")):
                if n == 0 or not line or line.startswith("#"):
                    continue
                cols = line.rstrip("\r").split(",")
                if len(cols) < 2:
                    continue
                yield f, cols[1], os.path.join(folder, cols[0])


def album(truth):
    folder, seen = os.path.dirname(truth), set()
    with open(truth, newline="") as fh:
        for row in csv.DictReader(fh):
            if row["image"] not in seen:
                seen.add(row["image"])
                yield "album", row["image"], os.path.join(folder, row["image"])


def main(argv):
    if len(argv) < 2 or argv[0] not in ("crops", "album") or (argv[0] == "album" and len(argv) != 2):
        sys.exit(__doc__)
    rows = crops(argv[1:]) if argv[0] == "crops" else album(argv[1])
    for r in rows:
        if any("\t" in c or "\n" in c for c in r):
            sys.exit("make_list: a tab or newline in %r" % (r,))
        print("\t".join(r))


if __name__ == "__main__":
    main(sys.argv[1:])
