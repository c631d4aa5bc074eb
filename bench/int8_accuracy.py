#!/usr/bin/env python3
"""Compares the predictions of an fp32 and an int8 bundle on the same held-out set (#16).

Both files are `ipiqa-train evaluate --predictions` CSVs (image,prompt,mos_quality,pred_quality,
mos_align,pred_align) over the same rows. Prints, per output, SRCC and PLCC of int8 against fp32
and of each against the MOS, the max and mean |int8 - fp32|, and how many pass/fail verdicts flip
at the README thresholds (quality >= 2.5 and alignment >= 3 pass). Standard library only.

usage: bench/int8_accuracy.py FP32.csv INT8.csv [--quality-threshold 2.5] [--alignment-threshold 3]
"""
import argparse
import csv
import math


def ranks(values):
    order = sorted(range(len(values)), key=lambda i: values[i])
    result = [0.0] * len(values)
    i = 0
    while i < len(order):
        j = i
        while j + 1 < len(order) and values[order[j + 1]] == values[order[i]]:
            j += 1
        for k in range(i, j + 1):
            result[order[k]] = (i + j) / 2.0 + 1.0
        i = j + 1
    return result


def pearson(a, b):
    ma, mb = sum(a) / len(a), sum(b) / len(b)
    cov = sum((x - ma) * (y - mb) for x, y in zip(a, b))
    return cov / math.sqrt(sum((x - ma) ** 2 for x in a) * sum((y - mb) ** 2 for y in b))


def spearman(a, b):
    return pearson(ranks(a), ranks(b))


def read(path):
    with open(path, newline="", encoding="utf-8") as f:
        return list(csv.DictReader(f))


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("fp32")
    parser.add_argument("int8")
    parser.add_argument("--quality-threshold", type=float, default=2.5)
    parser.add_argument("--alignment-threshold", type=float, default=3.0)
    args = parser.parse_args()
    fp32, int8 = read(args.fp32), read(args.int8)
    if [(r["image"], r["prompt"]) for r in fp32] != [(r["image"], r["prompt"]) for r in int8]:
        raise SystemExit("the two files do not hold the same rows in the same order")

    print(f"n = {len(fp32)}")
    print("output    | SRCC int8~fp32 | PLCC int8~fp32 | SRCC fp32~MOS | SRCC int8~MOS | SRCC drop | PLCC fp32~MOS | PLCC int8~MOS | max |d| | mean |d|")
    for output, pred, mos in (("quality", "pred_quality", "mos_quality"), ("alignment", "pred_align", "mos_align")):
        a = [float(r[pred]) for r in fp32]
        b = [float(r[pred]) for r in int8]
        m = [float(r[mos]) for r in fp32]
        d = [abs(x - y) for x, y in zip(a, b)]
        s32, s8 = spearman(a, m), spearman(b, m)
        print(f"{output:9} | {spearman(a, b):.5f} | {pearson(a, b):.5f} | {s32:.4f} | {s8:.4f} | {s32 - s8:+.4f} | "
              f"{pearson(a, m):.4f} | {pearson(b, m):.4f} | {max(d):.4f} | {sum(d) / len(d):.4f}")

    def verdict(r):
        return float(r["pred_quality"]) >= args.quality_threshold and float(r["pred_align"]) >= args.alignment_threshold

    flips = sum(verdict(x) != verdict(y) for x, y in zip(fp32, int8))
    passed = sum(verdict(x) for x in fp32)
    print(f"verdict flips at quality >= {args.quality_threshold:g}, alignment >= {args.alignment_threshold:g}: "
          f"{flips} of {len(fp32)} ({100.0 * flips / len(fp32):.2f} %); fp32 passes {passed}")


if __name__ == "__main__":
    main()
