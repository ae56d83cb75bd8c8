#!/usr/bin/env python3
"""Lists the comments of .chg files, to check that `chg fmt` keeps them.

    fmt_comments.py BEFORE AFTER    exit 1 unless both hold the same comments,
                                    in the same order, with the same text
                                    (trailing white space aside)
    fmt_comments.py --pairs LIST    the same for each line `BEFORE<TAB>AFTER`
                                    of LIST; every pair that differs is named

A comment is `#` to the end of the line outside strings; this reads
strings ("..." with escapes, and raw \"\"\"...\"\"\") the way the scanner
does, independently of chg itself.
"""
import sys


def comments(text):
    out = []
    i, n = 0, len(text)
    while i < n:
        c = text[i]
        if text.startswith('"""', i):
            j = text.find('"""', i + 3)
            i = n if j < 0 else j + 3
        elif c == '"':
            i += 1
            while i < n and text[i] not in '"\n':
                i += 2 if text[i] == "\\" else 1
            i += 1
        elif c == "#":
            j = text.find("\n", i)
            j = n if j < 0 else j
            out.append(text[i:j].rstrip(" \t\r\f\v"))
            i = j
        else:
            i += 1
    return out


def compare(before, after):
    a = comments(open(before, encoding="utf-8", newline="").read())
    b = comments(open(after, encoding="utf-8", newline="").read())
    if a == b:
        return None
    for k, (x, y) in enumerate(zip(a, b)):
        if x != y:
            return "comments differ at #%d: %r became %r" % (k + 1, x, y)
    return "%d comments became %d" % (len(a), len(b))


def main():
    if len(sys.argv) == 3 and sys.argv[1] == "--pairs":
        bad = 0
        for line in open(sys.argv[2], encoding="utf-8"):
            before, after = line.rstrip("\n").split("\t")
            why = compare(before, after)
            if why:
                print("%s: %s" % (before, why))
                bad += 1
        sys.exit(1 if bad else 0)
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    why = compare(sys.argv[1], sys.argv[2])
    if why:
        sys.exit(why)


main()
