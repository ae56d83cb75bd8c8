#!/usr/bin/env python3
"""Validates chg's JSON reports against docs/report.schema.json, and
checks what a schema cannot: each row has exactly its section's columns,
in order.  Usage: validate_json.py FILE.json..."""
import json
import sys

import jsonschema

def main(paths):
    with open('docs/report.schema.json') as f:
        schema = json.load(f)
    validator = jsonschema.Draft202012Validator(schema)
    bad = 0
    for path in paths:
        with open(path) as f:
            report = json.load(f)
        errors = sorted(validator.iter_errors(report), key=lambda e: list(e.path))
        for e in errors[:5]:
            print(f'{path}: {"/".join(map(str, e.path))}: {e.message[:200]}')
        bad += bool(errors)
        for s in report['sections']:
            names = [c['name'] for c in s['columns']]
            if len(set(names)) != len(names):
                print(f'{path}: section {s["name"]}: duplicate column names')
                bad += 1
            for i, row in enumerate(s['rows']):
                if list(row) != names:
                    print(f'{path}: section {s["name"]} row {i}: keys {list(row)} are not the columns')
                    bad += 1
                    break
    print(f'json: {len(paths)} reports checked against docs/report.schema.json' if not bad
          else f'json: {bad} reports do not match the schema')
    return 1 if bad else 0

sys.exit(main(sys.argv[1:]))
