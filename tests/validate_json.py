#!/usr/bin/env python3
"""Validates chg's JSON reports against their schema -- docs/report.schema.json
for version 2 (the default), docs/report-detail.schema.json for version 1
(`--detail`) -- and checks what a schema cannot: each row has exactly its
section's columns, in order; in version 2 each cell is a value of its
column's type; and a version-2 report beside the version-1 report of the
same portfolio (report.json and report-detail.json in one directory) holds
exactly the values of the other, typed as it types them.
Usage: validate_json.py FILE.json..."""
import json
import os
import re
import sys
from decimal import Decimal

import jsonschema

SCHEMAS = {1: 'docs/report-detail.schema.json', 2: 'docs/report.schema.json'}
PATTERNS = {'date': r'[0-9]{4}-[0-9]{2}-[0-9]{2}', 'month': r'[0-9]{4}-[0-9]{2}',
            'financial_year': r'[0-9]{4}/[0-9]{2}'}


def is_value_of(cell, kind):
    """Whether a version-2 cell is a bare value of the column type `kind`."""
    if kind in ('text', 'level'):
        return isinstance(cell, str)
    if kind in ('money', 'count'):
        return isinstance(cell, int) and not isinstance(cell, bool)
    if kind in ('number', 'percent'):
        return isinstance(cell, (int, Decimal)) and not isinstance(cell, bool)
    if kind == 'bool':
        return isinstance(cell, bool)
    return isinstance(cell, str) and re.fullmatch(PATTERNS[kind], cell) is not None


def cell_errors(path, report):
    bad = []
    for s in report['sections']:
        for col in s['columns']:
            kind = col['type']
            for i, row in enumerate(s['rows']):
                cell = row.get(col['name'])
                if cell is None:
                    continue
                if kind is None:
                    bad.append(f'column {col["name"]} is of no type but row {i} has {cell!r}')
                elif kind == 'mixed':
                    if not isinstance(cell, dict):
                        bad.append(f'column {col["name"]} is mixed but row {i} has a bare {cell!r}')
                elif not is_value_of(cell, kind):
                    bad.append(f'column {col["name"]} is {kind} but row {i} has {cell!r}')
                if bad:
                    return [f'{path}: section {s["name"]}: {bad[0]}']
    return []


def bare(cell):
    """The version-2 value of a version-1 cell."""
    if cell is None:
        return None
    return cell['pence'] if cell['type'] == 'money' else cell['value']


def column_type(cells):
    kinds = {(c['type'], c.get('scale')) for c in cells if c is not None}
    if not kinds:
        return None, None
    if len(kinds) > 1:
        return 'mixed', None
    return next(iter(kinds))


def pair_errors(path, values, detail):
    """version 2 against version 1 of the same portfolio"""
    if [s['name'] for s in values['sections']] != [s['name'] for s in detail['sections']]:
        return [f'{path}: the sections differ from --detail\'s']
    if values['portfolio'] != detail['portfolio'] or values['diagnostics'] != detail['diagnostics']:
        return [f'{path}: portfolio or diagnostics differ from --detail\'s']
    for v, d in zip(values['sections'], detail['sections']):
        for vc, dc in zip(v['columns'], d['columns']):
            kind, scale = column_type([row[dc['name']] for row in d['rows']])
            want = dict(dc, type=kind, **({'scale': scale} if scale else {}))
            if vc != want:
                return [f'{path}: section {v["name"]}: column {vc} is not {want}']
        if len(v['rows']) != len(d['rows']):
            return [f'{path}: section {v["name"]}: {len(v["rows"])} rows, --detail has {len(d["rows"])}']
        for i, (vr, dr) in enumerate(zip(v['rows'], d['rows'])):
            for col in v['columns']:
                name, got, full = col['name'], vr[col['name']], dr[col['name']]
                if col['type'] == 'mixed' and full is not None:
                    want = {k: full[k] for k in ('type', 'scale', 'value', 'pence') if k in full}
                else:
                    want = bare(full)
                if got != want or type(got) is not type(want):
                    return [f'{path}: section {v["name"]} row {i} column {name}: {got!r}, '
                            f'but --detail has {full!r}']
    return []


def main(paths):
    validators = {}
    for version, schema_path in SCHEMAS.items():
        with open(schema_path) as f:
            validators[version] = jsonschema.Draft202012Validator(json.load(f))
    bad = pairs = 0
    for path in paths:
        with open(path) as f:
            report = json.load(f, parse_float=Decimal)
        version = report.get('chg_report')
        if version not in validators:
            print(f'{path}: chg_report is {version!r}, not 1 or 2')
            bad += 1
            continue
        # the schema reads numbers as JSON has them
        with open(path) as f:
            plain = json.load(f)
        errors = sorted(validators[version].iter_errors(plain), key=lambda e: list(e.path))
        for e in errors[:5]:
            print(f'{path}: {"/".join(map(str, e.path))}: {e.message[:200]}')
        problems = []
        for s in report['sections']:
            names = [c['name'] for c in s['columns']]
            if len(set(names)) != len(names):
                problems.append(f'{path}: section {s["name"]}: duplicate column names')
            for i, row in enumerate(s['rows']):
                if list(row) != names:
                    problems.append(f'{path}: section {s["name"]} row {i}: keys {list(row)} '
                                    'are not the columns')
                    break
        if version == 2 and not errors and not problems:
            problems += cell_errors(path, report)
            detail_path = os.path.join(os.path.dirname(path), 'report-detail.json')
            if os.path.basename(path) == 'report.json' and os.path.exists(detail_path):
                with open(detail_path) as f:
                    problems += pair_errors(path, report, json.load(f, parse_float=Decimal))
                pairs += 1
        for p in problems[:5]:
            print(p)
        bad += bool(errors or problems)
    if bad:
        print(f'json: {bad} reports do not match their schema')
        return 1
    print(f'json: {len(paths)} reports checked against their schema, {pairs} of them '
          'against the --detail report of the same portfolio')
    return 0


sys.exit(main(sys.argv[1:]))
