#!/bin/sh
# JSON reports validate against docs/report.schema.json, and the schema
# is strict enough to reject a broken one.  Usage: json.sh
set -u
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
python3 tests/validate_json.py tests/golden/*/report.json || exit 1
# a money cell whose pence is a string, and a row missing a column
sed '0,/"pence": -\{0,1\}[0-9]*/s//"pence": "lots"/' tests/golden/mps_2011/report.json >"$tmp/bad1.json"
python3 - "$tmp/bad2.json" <<'PY'
import json, sys
r = json.load(open('tests/golden/mps_2011/report.json'))
row = r['sections'][0]['rows'][0]
row.pop(next(iter(row)))
json.dump(r, open(sys.argv[1], 'w'))
PY
for f in "$tmp/bad1.json" "$tmp/bad2.json"; do
  if python3 tests/validate_json.py "$f" >/dev/null 2>&1; then
    echo "json: the schema accepted a broken report ($f)"; exit 1
  fi
done
echo "json: the schema rejects broken reports"
python3 tests/csv_check.py tests/golden/*/csv/*.csv || exit 1
