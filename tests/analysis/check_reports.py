#!/usr/bin/python3
"""Validates a report directory written by `tinyverify verify` / report_demo with independent
parsers: report.json (json module, required schema keys), junit.xml (xml.etree), samples.csv
(csv module, one row per sample), report.html (html.parser: balanced non-void elements).

usage: check_reports.py <report_dir>
"""
import csv
import json
import os
import sys
import xml.etree.ElementTree as ET
from html.parser import HTMLParser

REQUIRED = ["n", "ref.top1", "tiny.top1", "ref.top5", "tiny.top5", "paired.top1_drop_pp",
            "paired.top1_drop_ci95_pp", "paired.agreement", "paired.mcnemar_p", "paired.kappa",
            "paired.flips.ref_right_tiny_wrong", "paired.flips.ref_wrong_tiny_right",
            "paired.high_conf_flips", "per_class", "gates", "passed", "variants"]
VOID = {"meta", "img", "br", "hr", "input", "link", "rect", "line", "path", "circle"}


class Balance(HTMLParser):
    def __init__(self):
        super().__init__()
        self.stack, self.errors = [], []

    def handle_starttag(self, tag, attrs):
        if tag not in VOID:
            self.stack.append(tag)

    def handle_startendtag(self, tag, attrs):
        pass

    def handle_endtag(self, tag):
        if tag in VOID:
            return
        if not self.stack or self.stack[-1] != tag:
            self.errors.append(f"</{tag}> closes {self.stack[-1] if self.stack else 'nothing'}")
        else:
            self.stack.pop()


def fail(msg):
    print("FAIL:", msg)
    sys.exit(1)


def main():
    d = sys.argv[1]
    with open(os.path.join(d, "report.json")) as f:
        report = json.load(f)
    if report.get("schema") != "tinyverify.report/1":
        fail("schema")
    for key in REQUIRED:
        node = report
        for part in key.split("."):
            if not isinstance(node, dict) or part not in node:
                fail(f"report.json lacks {key}")
            node = node[part]
    for frac in ("paired.agreement",):
        v = report["paired"]["agreement"]
        if v is not None and not 0.0 <= v <= 1.0:
            fail(f"{frac} out of 0..1: {v}")
    suite = ET.parse(os.path.join(d, "junit.xml")).getroot()
    cases = suite.findall(".//testcase")
    if len(cases) != len(report["gates"]):
        fail(f"junit has {len(cases)} testcases for {len(report['gates'])} gates")
    failures = sum(1 for c in cases if c.find("failure") is not None)
    if failures != sum(1 for g in report["gates"] if not g["passed"]):
        fail("junit failures disagree with report.json")
    with open(os.path.join(d, "samples.csv"), newline="") as f:
        rows = list(csv.reader(f))
    if rows[0][:8] != ["id", "label", "ref_pred", "tiny_pred", "ref_conf", "tiny_conf",
                       "max_abs_diff", "kl"]:
        fail(f"samples.csv header {rows[0]}")
    if len(rows) - 1 != report["n"] or any(len(r) != len(rows[0]) for r in rows):
        fail("samples.csv row count or width")
    parser = Balance()
    with open(os.path.join(d, "report.html"), encoding="utf-8") as f:
        parser.feed(f.read())
    if parser.errors or parser.stack:
        fail(f"report.html unbalanced: {parser.errors[:3]} open={parser.stack[:5]}")
    print(f"ok: {d} ({report['n']} samples, {len(report['variants'])} variants, "
          f"{len(cases)} gates)")


if __name__ == "__main__":
    main()
