#!/usr/bin/python3
"""Independent numpy oracle for the verify analysis (compare/analysis*.cc).

Writes synthetic outputs (.npy) with known answers and expected.txt ("key value" lines)
computed here from textbook formulas, without looking at the C++ code paths. The gtest
tests/analysis/oracle_test.cc feeds the same outputs through the Analyzer and compares.

usage: oracle.py <out_dir> [seed]
"""
import math
import os
import sys

import numpy as np

Z = 1.959963984540054


def softmax(x):
    e = np.exp(x - x.max(axis=-1, keepdims=True))
    return (e / e.sum(axis=-1, keepdims=True)).astype(np.float32)


def wilson(k, n):
    p = k / n
    denom = 1 + Z * Z / n
    center = (p + Z * Z / (2 * n)) / denom
    half = Z * math.sqrt(p * (1 - p) / n + Z * Z / (4 * n * n)) / denom
    return max(0.0, center - half), min(1.0, center + half)


def mcnemar_exact(b, c):
    n = b + c
    if n == 0:
        return 1.0
    k = min(b, c)
    return min(1.0, 2 * sum(math.comb(n, i) for i in range(k + 1)) / 2 ** n)


def kappa(a, b, k):
    m = np.zeros((k, k))
    np.add.at(m, (a, b), 1)
    n = m.sum()
    po = np.trace(m) / n
    pe = (m.sum(1) * m.sum(0)).sum() / n / n
    return (po - pe) / (1 - pe)


def ece(conf, correct, bins=10):
    idx = np.clip(np.floor(conf * bins).astype(int), 0, bins - 1)
    total = 0.0
    for b in range(bins):
        sel = idx == b
        if sel.any():
            total += sel.sum() / len(conf) * abs(correct[sel].mean() - conf[sel].mean())
    return total


def auc(scores, labels):
    pos, neg = scores[labels == 1], scores[labels == 0]
    greater = (pos[:, None] > neg[None, :]).sum()
    ties = (pos[:, None] == neg[None, :]).sum()
    return (greater + 0.5 * ties) / (len(pos) * len(neg))


def classification(out, rng, exp):
    n, k, variants = 600, 7, 2
    labels = rng.integers(1, k, size=n)
    labels[::150] = 0  # class 0 is rare: 4 of 600 samples (< 1%)
    logits = rng.normal(size=(n, k))
    logits[np.arange(n), labels] += 2.5
    ref = softmax(logits)
    tiny_logits = np.stack([logits + rng.normal(scale=0.4 * (v + 1), size=(n, k))
                            for v in range(variants)])
    flip = np.arange(1, n, 40)  # confident wrong answers on the tiny side
    tiny_logits[:, flip, (labels[flip] + 1) % k] += 9.0
    tiny = softmax(tiny_logits)
    np.save(os.path.join(out, "cls_ref.npy"), ref)
    np.save(os.path.join(out, "cls_tiny.npy"), tiny)
    np.save(os.path.join(out, "cls_labels.npy"), labels.astype(np.int64))
    r64, t64 = ref.astype(np.float64), tiny.astype(np.float64)
    ref_pred = r64.argmax(1)
    ref_right = ref_pred == labels
    top5 = lambda p: (np.argsort(-p, axis=1, kind="stable")[:, :5] == labels[:, None]).any(1)
    exp["ref.top1"] = ref_right.mean()
    exp["ref.top5"] = top5(r64).mean()
    exp["ref.ece"] = ece(r64.max(1), ref_right)
    slice_ids = np.arange(0, n, 3)  # user slice "third" = every third sample
    for v in range(variants):
        p = f"v{v}."
        t = t64[v]
        pred = t.argmax(1)
        right = pred == labels
        b = int((ref_right & ~right).sum())
        c = int((~ref_right & right).sum())
        d = (b - c) / n
        half = Z * math.sqrt(max(0.0, ((b + c) / n - d * d) / n))
        exp[p + "top1"] = right.mean()
        exp[p + "top5"] = top5(t).mean()
        exp[p + "top1_drop_pp"] = d * 100
        exp[p + "top1_drop_ci_lo"] = (d - half) * 100
        exp[p + "top1_drop_ci_hi"] = (d + half) * 100
        agree = pred == ref_pred
        exp[p + "agreement"] = agree.mean()
        exp[p + "agreement_ci_lo"], exp[p + "agreement_ci_hi"] = wilson(int(agree.sum()), n)
        exp[p + "mcnemar_p"] = mcnemar_exact(b, c)
        exp[p + "kappa"] = kappa(ref_pred, pred, k)
        exp[p + "ref_right_tiny_wrong"] = b
        exp[p + "ref_wrong_tiny_right"] = c
        conf = t.max(1)
        exp[p + "high_conf_flips"] = int((ref_right & ~right & (conf >= 0.9)).sum())
        exp[p + "ece"] = ece(conf, right)
        drops = []
        for cls in range(k):
            sel = labels == cls
            rr, tr = ref_right[sel].mean(), right[sel].mean()
            exp[p + f"class{cls}.ref_recall"] = rr
            exp[p + f"class{cls}.tiny_recall"] = tr
            exp[p + f"class{cls}.tiny_precision"] = (labels[pred == cls] == cls).mean() \
                if (pred == cls).any() else 0.0
            drops.append((rr - tr) * 100)
        exp[p + "class_drop_max_pp"] = max(0.0, max(drops))
        rare = labels == 0
        exp[p + "rare.count"] = int(rare.sum())
        exp[p + "rare.tiny_top1"] = right[rare].mean()
        sl = np.zeros(n, bool)
        sl[slice_ids] = True
        exp[p + "slice.count"] = int(sl.sum())
        exp[p + "slice.top1_drop_pp"] = (ref_right[sl].mean() - right[sl].mean()) * 100
        exp[p + "slice.agreement"] = agree[sl].mean()
        diff = r64 - t
        exp[p + "max_abs_diff"] = np.abs(diff).max()
        exp[p + "mean_max_abs_diff"] = np.abs(diff).max(1).mean()
        cos = (r64 * t).sum(1) / np.linalg.norm(r64, axis=1) / np.linalg.norm(t, axis=1)
        exp[p + "mean_cosine"] = cos.mean()
        exp[p + "min_cosine"] = cos.min()
        # KL of the renormalised rows (tiny clipped at 1e-7 first).
        pr = np.maximum(r64, 0.0)
        pr = pr / pr.sum(1, keepdims=True)
        qt = np.maximum(t.astype(np.float64), 1e-7)
        qt = qt / qt.sum(1, keepdims=True)
        with np.errstate(divide="ignore", invalid="ignore"):
            kl = np.where(pr > 0, pr * np.log(pr / qt), 0.0).sum(1)
        exp[p + "mean_kl"] = kl.mean()
        exp[p + "max_kl"] = kl.max()
        exp[p + "snr_db"] = 10 * math.log10((r64 ** 2).sum() / (diff ** 2).sum())
        sorted_sortmargin = np.sort(r64, axis=1)
        margin = sorted_sortmargin[:, -1] - sorted_sortmargin[:, -2]
        edges = [0.0, 0.05, 0.1, 0.2, 0.4, 0.6, 0.8, 1.0]
        bucket = np.clip(np.searchsorted(edges, margin, side="right") - 1, 0, len(edges) - 2)
        exp[p + "margin0.count"] = int((bucket == 0).sum())
        exp[p + "margin0.disagree"] = int(((bucket == 0) & ~agree).sum())
        exp[p + "margin6.count"] = int((bucket == 6).sum())


def regression(out, rng, exp):
    n, variants = 300, 2
    labels = (rng.random(n) < 0.3).astype(np.int64)
    ref = (rng.normal(size=(n, 1)) + 1.5 * labels[:, None]).astype(np.float32)
    target = (ref + rng.normal(scale=0.2, size=(n, 1))).astype(np.float32)
    tiny = np.stack([(ref + rng.normal(scale=0.3 * (v + 1), size=(n, 1))).astype(np.float32)
                     for v in range(variants)])
    tiny[0, 5, 0] = ref[5, 0]  # a few exact ties for the AUC tie handling
    np.save(os.path.join(out, "reg_ref.npy"), ref)
    np.save(os.path.join(out, "reg_tiny.npy"), tiny)
    np.save(os.path.join(out, "reg_target.npy"), target)
    np.save(os.path.join(out, "reg_labels.npy"), labels)
    r, y = ref.astype(np.float64), target.astype(np.float64)
    exp["reg.ref_auc"] = auc(r[:, 0], labels)
    for v in range(variants):
        p = f"reg.v{v}."
        t = tiny[v].astype(np.float64)
        d = r - t
        exp[p + "mae"] = np.abs(d).mean()
        exp[p + "rmse"] = math.sqrt((d ** 2).mean())
        exp[p + "max_error"] = np.abs(d).max()
        exp[p + "cosine"] = (r * t).sum() / np.linalg.norm(r) / np.linalg.norm(t)
        exp[p + "ref_mae_target"] = np.abs(r - y).mean()
        exp[p + "tiny_mae_target"] = np.abs(t - y).mean()
        exp[p + "tiny_rmse_target"] = math.sqrt(((t - y) ** 2).mean())
        exp[p + "tiny_auc"] = auc(t[:, 0], labels)


def main():
    out = sys.argv[1]
    seed = int(sys.argv[2]) if len(sys.argv) > 2 else 20261126
    os.makedirs(out, exist_ok=True)
    rng = np.random.default_rng(seed)
    exp = {"seed": seed}
    classification(out, rng, exp)
    regression(out, rng, exp)
    with open(os.path.join(out, "expected.txt"), "w") as f:
        for key, value in exp.items():
            f.write(f"{key} {float(value)!r}\n")


if __name__ == "__main__":
    main()
