#!/usr/bin/env python3
"""Every CSV report is RFC 4180 as a spreadsheet reads it: CRLF line ends,
the same number of fields in every record, no cell a spreadsheet would
run as a formula.  Usage: csv_check.py FILE.csv..."""
import csv
import io
import sys

bad = 0
for path in sys.argv[1:]:
    data = open(path, 'rb').read()
    quoted, prev, bare = False, b'', False
    for i in range(len(data)):  # a record ends in CR LF; inside quotes a cell may hold a newline
        c = data[i:i + 1]
        if c == b'"':
            quoted = not quoted
        elif c == b'\n' and not quoted and prev != b'\r':
            bare = True
        prev = c
    if bare or quoted:
        print(f'{path}: a record ends without CR LF, or a quote is left open'); bad += 1; continue
    rows = list(csv.reader(io.StringIO(data.decode('utf-8'), newline='')))
    widths = {len(r) for r in rows}
    if len(widths) != 1:
        print(f'{path}: records of {sorted(widths)} fields'); bad += 1
    for r in rows:
        for cell in r:
            if cell[:1] in ('=', '+', '@') or (cell[:1] == '-' and not cell.lstrip('-').replace('.', '', 1).rstrip('%').isdigit()):
                print(f'{path}: {cell[:30]!r} would run as a formula'); bad += 1
print(f'csv: {len(sys.argv) - 1} CSV reports read cleanly as RFC 4180' if not bad else f'csv: {bad} problems')
sys.exit(1 if bad else 0)
