#!/usr/bin/env python3
"""Counts GoogleTest/JUnit XML results: prints "passed failed skipped" and,
with --list-failures, the names of failed cases on stderr."""
import sys
import xml.etree.ElementTree as ET


def count(paths):
    passed = failed = skipped = 0
    failures = []
    for path in paths:
        try:
            root = ET.parse(path).getroot()
        except (ET.ParseError, OSError) as err:
            failed += 1
            failures.append(f"{path}: unreadable result ({err})")
            continue
        for case in root.iter("testcase"):
            name = f"{case.get('classname')}.{case.get('name')}"
            if case.find("failure") is not None or case.find("error") is not None:
                failed += 1
                failures.append(name)
            elif (case.find("skipped") is not None or case.get("result") == "skipped"
                  or case.get("status") == "notrun"):
                skipped += 1
            else:
                passed += 1
    return passed, failed, skipped, failures


if __name__ == "__main__":
    args = sys.argv[1:]
    listing = "--list-failures" in args
    paths = [a for a in args if a != "--list-failures"]
    p, f, s, names = count(paths)
    if listing:
        for n in names:
            print(f"FAILED: {n}", file=sys.stderr)
    print(p, f, s)
