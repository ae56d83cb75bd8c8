#!/usr/bin/env python3
"""Checks the machine formats of chg's diagnostics (tests/ci-formats.sh runs
it).

    ci_formats.py json    OUT.jsonl TEXT.txt
    ci_formats.py sarif   OUT.sarif OUT.jsonl   (needs python3-jsonschema)
    ci_formats.py github  OUT.txt   OUT.jsonl
    ci_formats.py rules   OUT.sarif             (the rules: every code, its title, its help)

json:   every line is a JSON object of the documented shape, in valid UTF-8,
        one per diagnostic of the text output (notes inside their
        diagnostic), in the same order.
sarif:  validates against tests/sarif-2.1.0-subset.schema.json, with the
        formats the schema names (uri, uri-reference) checked here, since
        jsonschema only checks them with extra packages; the results say
        what the JSON lines say.
github: every line is a workflow command whose properties and message,
        unescaped by the runner's rules, give back the JSON line's file,
        positions, code and message (notes appended).
Exits 1 with a message on the first failure.
"""
import json
import os
import re
import sys
import urllib.parse

HERE = os.path.dirname(os.path.abspath(__file__))
TOP = os.path.dirname(HERE)


def fail(msg):
    sys.exit("ci-formats: " + msg)


def read_lines_utf8(path, strict=True):
    data = open(path, "rb").read()
    if not strict:  # the text format quotes source bytes as they are
        return data.decode("utf-8", errors="replace").splitlines()
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as e:
        fail("%s is not UTF-8: %s" % (path, e))
    return text.splitlines()


def load_json_lines(path):
    out = []
    for i, line in enumerate(read_lines_utf8(path), 1):
        try:
            obj = json.loads(line)
        except ValueError as e:
            fail("%s:%d: not JSON: %s: %r" % (path, i, e, line[:200]))
        out.append(obj)
    return out


POS = ("line", "column", "end_line", "end_column")


def check_position(obj, where):
    f = obj.get("file", "missing")
    if f is None:
        for k in POS:
            if obj.get(k, "missing") is not None:
                fail("%s: %s should be null when file is" % (where, k))
        return
    if not isinstance(f, str) or not f:
        fail("%s: file %r" % (where, f))
    for k in POS:
        v = obj.get(k)
        if not isinstance(v, int) or isinstance(v, bool) or v < 1:
            fail("%s: %s is %r, not a positive integer" % (where, k, v))
    if (obj["end_line"], obj["end_column"]) < (obj["line"], obj["column"]):
        fail("%s: the span ends before it starts" % where)


def check_json(path, text_path):
    objs = load_json_lines(path)
    for i, o in enumerate(objs, 1):
        where = "%s:%d" % (path, i)
        if not isinstance(o, dict):
            fail(where + ": not an object")
        allowed = {"severity", "code", "message", "file"} | set(POS) | {"notes"}
        if set(o) - allowed or not {"severity", "code", "message", "file"} <= set(o):
            fail("%s: keys %s" % (where, sorted(o)))
        if o["severity"] not in ("error", "warning", "note"):
            fail("%s: severity %r" % (where, o["severity"]))
        if not re.fullmatch(r"CHG\d{4}", o["code"]):
            fail("%s: code %r" % (where, o["code"]))
        if not isinstance(o["message"], str) or not o["message"]:
            fail(where + ": message")
        check_position(o, where)
        if "notes" in o:
            if not isinstance(o["notes"], list) or not o["notes"]:
                fail(where + ": notes must be a non-empty list when present")
            for n in o["notes"]:
                if set(n) != {"message", "file"} | set(POS):
                    fail("%s: note keys %s" % (where, sorted(n)))
                check_position(n, where + " (note)")
    # the same diagnostics as the text output, in the same order
    heads = []
    for line in read_lines_utf8(text_path, strict=False) if text_path else []:
        m = re.match(r"^(.*?):(\d+):(\d+): (error|warning|note): (.*) \[(CHG\d{4})\]$", line)
        m2 = re.match(r"^chg: (error|warning|note): (.*) \[(CHG\d{4})\]$", line)
        if m:
            heads.append((m.group(6), m.group(4), m.group(1), int(m.group(2)), int(m.group(3))))
        elif m2:
            heads.append((m2.group(3), m2.group(1), None, None, None))
    if text_path:
        got = [(o["code"], o["severity"], o["file"], o.get("line"), o.get("column")) for o in objs]
        if got != heads:
            fail("json and text disagree:\n  json %s\n  text %s" % (got, heads))
    return objs


def is_uri(s):
    """RFC 3986 absolute URI: a scheme, then characters allowed in a URI."""
    return re.fullmatch(r"[A-Za-z][A-Za-z0-9+.-]*:[A-Za-z0-9\-._~:/?#\[\]@!$&'()*+,;=%]*", s) \
        and not re.search(r"%(?![0-9A-Fa-f]{2})", s)


def is_uri_reference(s):
    return re.fullmatch(r"[A-Za-z0-9\-._~:/?#\[\]@!$&'()*+,;=%]*", s) \
        and not re.search(r"%(?![0-9A-Fa-f]{2})", s)


def check_sarif(path, jsonl_path):
    try:
        import jsonschema
    except ImportError:
        fail("python3-jsonschema is not installed (apt-get install python3-jsonschema)")
    try:
        doc = json.loads(open(path, "rb").read().decode("utf-8"))
    except ValueError as e:
        fail("%s: not JSON: %s" % (path, e))
    schema = json.load(open(os.path.join(HERE, "sarif-2.1.0-subset.schema.json")))
    jsonschema.Draft7Validator.check_schema(schema)
    errors = sorted(jsonschema.Draft7Validator(schema).iter_errors(doc), key=lambda e: e.path)
    if errors:
        e = errors[0]
        fail("%s does not validate: %s at %s" % (path, e.message, "/".join(map(str, e.path))))
    # the formats jsonschema leaves unchecked without extra packages
    if not is_uri(doc["$schema"]):
        fail("$schema is not a URI")
    run = doc["runs"][0]
    if len(doc["runs"]) != 1:
        fail("one run expected")
    driver = run["tool"]["driver"]
    if driver["name"] != "chg":
        fail("tool.driver.name")
    if "informationUri" in driver and not is_uri(driver["informationUri"]):
        fail("informationUri %r is not an absolute URI" % driver["informationUri"])
    rules = driver["rules"]
    for r in rules:
        if not is_uri(r["helpUri"]):
            fail("helpUri %r is not an absolute URI" % r["helpUri"])
    for res in run["results"]:
        rule = rules[res["ruleIndex"]]
        if rule["id"] != res["ruleId"]:
            fail("ruleIndex %d is %s, not %s" % (res["ruleIndex"], rule["id"], res["ruleId"]))
        for loc in res.get("locations", []) + res.get("relatedLocations", []):
            pl = loc.get("physicalLocation")
            if pl and not is_uri_reference(pl["artifactLocation"]["uri"]):
                fail("artifact uri %r" % pl["artifactLocation"]["uri"])
    # what the JSON lines say, the results say: each with its one place in
    # a file (code scanning refuses a log with a result that has none), and
    # what has no place as a notification of the run
    objs = load_json_lines(jsonl_path)
    placed = [o for o in objs if o["file"] is not None]
    placeless = [o for o in objs if o["file"] is None]
    if len(placed) != len(run["results"]):
        fail("%d results, %d JSON lines with a file" % (len(run["results"]), len(placed)))
    notes = [n for inv in run.get("invocations", []) for n in inv.get("toolExecutionNotifications", [])]
    if len(placeless) != len(notes):
        fail("%d notifications, %d JSON lines without a file" % (len(notes), len(placeless)))
    level = {"error": "error", "warning": "warning", "note": "note"}
    for o, n in zip(placeless, notes):
        # the rule it is said under (descriptor would index notifications)
        if "descriptor" in n:
            fail("notification %r names a descriptor: chg writes no notification descriptors" % (n,))
        rule = n["associatedRule"]
        rules = run["tool"]["driver"]["rules"]
        if not (0 <= rule.get("index", -1) < len(rules)) or rules[rule["index"]]["id"] != rule["id"]:
            fail("notification %r: its rule index is not that rule's place in tool.driver.rules" % (n,))
        if (n["associatedRule"]["id"], n["level"], n["message"]["text"]) != (
                o["code"], level[o["severity"]], o["message"]):
            fail("notification %r differs from %r" % (n, o))
    for o, res in zip(placed, run["results"]):
        if (res["ruleId"], res["level"], res["message"]["text"]) != (
                o["code"], level[o["severity"]], o["message"]):
            fail("result %r differs from %r" % (res, o))
        locs = res.get("locations", [])
        if len(locs) != 1:
            fail("result %r has %d locations, not one" % (res, len(locs)))
        pl = locs[0]["physicalLocation"]
        uri = urllib.parse.unquote(pl["artifactLocation"]["uri"])
        want = o["file"][2:] if o["file"].startswith("./") else o["file"]
        if uri != want and uri != "file://" + want:
            fail("uri %r for file %r" % (uri, o["file"]))
        reg = pl["region"]
        if (reg["startLine"], reg["startColumn"], reg["endLine"], reg["endColumn"]) != \
                tuple(o[k] for k in POS):
            fail("region %r for %r" % (reg, o))
        notes = o.get("notes", [])
        rel = res.get("relatedLocations", [])
        if [n["message"] for n in notes] != [r["message"]["text"] for r in rel]:
            fail("related locations differ from notes in %r" % o)


def check_rules(path):
    doc = json.loads(open(path, encoding="utf-8").read())
    rules = doc["runs"][0]["tool"]["driver"]["rules"]
    codes = re.findall(r'X\(\w+, "(CHG\d{4})", "([^"]*)"\)',
                       open(os.path.join(TOP, "src", "diag_codes.h")).read())
    if [(r["id"], r["shortDescription"]["text"]) for r in rules] != codes:
        fail("the rules are not the codes of src/diag_codes.h with their titles")
    docs = open(os.path.join(TOP, "docs", "diagnostics.md"), encoding="utf-8").read()
    anchors = {re.sub(r"[^a-z0-9 -]", "", h.lower()).replace(" ", "-")
               for h in re.findall(r"^### (.*)$", docs, re.M)}
    for r in rules:
        frag = r["helpUri"].split("#", 1)
        if len(frag) != 2 or frag[1] not in anchors:
            fail("helpUri %r names no heading of docs/diagnostics.md" % r["helpUri"])


def unescape_data(s):
    return s.replace("%0D", "\r").replace("%0A", "\n").replace("%25", "%")


def unescape_property(s):
    return s.replace("%3A", ":").replace("%2C", ",").replace("%0D", "\r") \
        .replace("%0A", "\n").replace("%25", "%")


def check_github(path, jsonl_path):
    objs = load_json_lines(jsonl_path)
    lines = read_lines_utf8(path)
    if len(lines) != len(objs):
        fail("%d workflow commands, %d JSON lines" % (len(lines), len(objs)))
    cmd_of = {"error": "error", "warning": "warning", "note": "notice"}
    for line, o in zip(lines, objs):
        m = re.fullmatch(r"::(error|warning|notice) ([^:]*)::(.*)", line)
        if not m:
            fail("not a workflow command: %r" % line)
        cmd, props, msg = m.groups()
        if cmd != cmd_of[o["severity"]]:
            fail("%r for a %s" % (cmd, o["severity"]))
        # properties: name=value, split on the commas left unescaped
        kv = {}
        for part in props.split(","):
            k, _, v = part.partition("=")
            if k in kv or not re.fullmatch(r"file|line|col|endLine|endColumn|title", k):
                fail("property %r in %r" % (k, line))
            if re.search(r"[,:\r\n]", v) or re.search(r"%(?!25|0D|0A|3A|2C)", v):
                fail("property %s=%r is not escaped" % (k, v))
            kv[k] = unescape_property(v)
        if kv.get("title") != o["code"]:
            fail("title %r for %s" % (kv.get("title"), o["code"]))
        if o["file"] is None:
            if set(kv) != {"title"}:
                fail("a diagnostic with no file has positions: %r" % line)
        else:
            if kv.get("file") != o["file"]:
                fail("file %r for %r" % (kv.get("file"), o["file"]))
            got = tuple(int(kv[k]) for k in ("line", "col", "endLine", "endColumn"))
            if got != tuple(o[k] for k in POS):
                fail("positions %r for %r" % (got, o))
        if re.search(r"[\r\n]", msg) or re.search(r"%(?!25|0D|0A)", msg):
            fail("message not escaped: %r" % msg)
        text = unescape_data(msg)
        want = o["message"]
        for n in o.get("notes", []):
            where = "%s:%d:%d: " % (n["file"], n["line"], n["column"]) if n["file"] else ""
            want += "\nnote: " + where + n["message"]
        if text != want:
            fail("message %r, wanted %r" % (text, want))


def main():
    if len(sys.argv) < 3:
        sys.exit(__doc__)
    kind = sys.argv[1]
    if kind == "json":
        check_json(sys.argv[2], sys.argv[3] if len(sys.argv) > 3 else None)
    elif kind == "sarif":
        check_sarif(sys.argv[2], sys.argv[3])
    elif kind == "github":
        check_github(sys.argv[2], sys.argv[3])
    elif kind == "rules":
        check_rules(sys.argv[2])
    else:
        sys.exit(__doc__)


main()
