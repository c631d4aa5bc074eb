#!/usr/bin/env python3
"""Fails when a test was skipped for any reason but a designed one. Reads the TRX logs of a
`dotnet test --logger trx` run; a skip is allowed only when its reason starts with "By design: "
(IpIqa.TestSupport.SkipReasons.ByDesign). A missing fixture or tool is not by design.
Usage: check-skips.py RESULTS_DIR TEST_PROJECTS (one TRX log is expected per test project)"""
import pathlib
import sys
import xml.etree.ElementTree as ET

NS = {"t": "http://microsoft.com/schemas/VisualStudio/TeamTest/2010"}
PREFIX = "By design: "

logs = sorted(pathlib.Path(sys.argv[1]).glob("*.trx"))
if len(logs) != int(sys.argv[2]):
    sys.exit(f"{len(logs)} TRX logs under {sys.argv[1]}, expected one per test project ({sys.argv[2]})")
designed, unexpected = 0, []
for log in logs:
    for result in ET.parse(log).getroot().iterfind(".//t:UnitTestResult[@outcome='NotExecuted']", NS):
        reason = result.findtext("t:Output/t:ErrorInfo/t:Message", default="", namespaces=NS).strip()
        if reason.startswith(PREFIX):
            designed += 1
        else:
            unexpected.append(f"{result.get('testName')}: {reason or '(no reason given)'}")
print(f"{len(logs)} TRX logs: {designed} skipped by design, {len(unexpected)} skipped otherwise")
for line in unexpected:
    print(f"  skipped, not by design: {line}", file=sys.stderr)
sys.exit(1 if unexpected else 0)
