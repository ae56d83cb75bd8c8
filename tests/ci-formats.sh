#!/bin/sh
# The machine formats of diagnostics, for CI: `--format json` is JSON lines,
# `--format sarif` validates against the SARIF 2.1.0 schema (the subset in
# tests/sarif-2.1.0-subset.schema.json), `--format github` is workflow
# commands escaped by the runner's rules; all three say what the text
# says, and the exit status does not depend on the format.
#   sh tests/ci-formats.sh path/to/chg
set -u
CHG=${1:?usage: ci-formats.sh path/to/chg}
case $CHG in /*) ;; */*) CHG=$(pwd)/$CHG ;; esac
root=$(cd "$(dirname "$0")/.." && pwd) || exit 2
cd "$root" || exit 2
CHG_STDLIB=stdlib
export CHG_STDLIB
unset CHG_PATH CHG_DOCS_URL
NO_COLOR=1
export NO_COLOR
check=tests/ci_formats.py

if ! python3 -c 'import jsonschema' 2>/dev/null; then
  echo "ci-formats: python3-jsonschema is needed (apt-get install python3-jsonschema)" >&2
  exit 1
fi

tmp=$(mktemp -d "${TMPDIR:-/tmp}/chg-ci.XXXXXX") || exit 2
trap 'rm -rf "$tmp"' EXIT
failed=0
cases=0

# ---- inputs ------------------------------------------------------------
# a file name with every character a property must escape
mkdir -p "$tmp/in"
printf 'portfolio p "P" { as_of 2022-06-30; ownr "x" }\nprogramme q { unit nowhere }\n' \
  >"$tmp/in/we,ird:na%me.chg"
# messages with `%`, `:` and `,`, and a byte that is not UTF-8 in a hook's log
cat >"$tmp/in/hooked.chg" <<'EOF'
portfolio p "P" { as_of 2022-06-30 }
hook "hooked.lua"
EOF
printf 'function on_portfolio(p)\n  chg.log("100%% done: a, b; bad byte \\255 here")\nend\n' \
  >"$tmp/in/hooked.lua"
# a string token that is not UTF-8, quoted in a syntax error
printf 'portfolio p "P" { as_of 2022-06-30 }\n"caf\351" x\n' >"$tmp/in/latin1.chg"

# each case: a name, then the arguments to chg
run_case() {
  name=$1
  shift
  cases=$((cases + 1))
  "$CHG" check --color never "$@" >"$tmp/$name.stdout" 2>"$tmp/$name.txt"
  st_text=$?
  "$CHG" check --format text --color never "$@" >/dev/null 2>"$tmp/$name.txt2"
  "$CHG" check --format json "$@" >"$tmp/$name.jsonl" 2>"$tmp/$name.jsonl.err"
  st_json=$?
  "$CHG" check --format sarif "$@" >"$tmp/$name.sarif" 2>"$tmp/$name.sarif.err"
  st_sarif=$?
  "$CHG" check --format github "$@" >"$tmp/$name.gh" 2>"$tmp/$name.gh.err"
  st_gh=$?
  if [ "$st_text" != "$st_json" ] || [ "$st_text" != "$st_sarif" ] || [ "$st_text" != "$st_gh" ]; then
    echo "ci-formats: $name: exit statuses differ: text $st_text, json $st_json, sarif $st_sarif, github $st_gh"
    failed=1
  fi
  cmp -s "$tmp/$name.txt" "$tmp/$name.txt2" || { echo "ci-formats: $name: --format text is not the default"; failed=1; }
  for f in jsonl.err sarif.err gh.err; do
    [ -s "$tmp/$name.$f" ] && { echo "ci-formats: $name: a machine format wrote to stderr:"; cat "$tmp/$name.$f"; failed=1; }
  done
  python3 $check json "$tmp/$name.jsonl" "$tmp/$name.txt" || failed=1
  python3 $check sarif "$tmp/$name.sarif" "$tmp/$name.jsonl" || failed=1
  python3 $check github "$tmp/$name.gh" "$tmp/$name.jsonl" || failed=1
}

run_case clean examples/calam_2022
run_case five_errors tests/bad/five_errors_in_one_file.chg
run_case notes tests/bad/unclosed_list_bracket.chg docs/diagnostics/CHG0305.chg docs/diagnostics/CHG0202.chg
run_case weird_name "$tmp/in/we,ird:na%me.chg"
run_case hook_log "$tmp/in/hooked.chg"
run_case latin1 "$tmp/in/latin1.chg"
run_case limit --max-errors 1 tests/bad/five_errors_in_one_file.chg
run_case missing "$tmp/in/no such file.chg"
run_case warning tests/bad/include_glob_no_match.chg

# ---- what the formats hold -------------------------------------------------
python3 $check rules "$tmp/clean.sarif" || failed=1
grep -q '^{"severity":"note","code":"CHG0205"' "$tmp/limit.jsonl" ||
  { echo "ci-formats: the error limit is not in the JSON lines"; failed=1; }
grep -q '^::error file=.*we%2Cird%3Ana%25me.chg,line=1,col=37,endLine=1,endColumn=41,title=CHG0301::' "$tmp/weird_name.gh" ||
  { echo "ci-formats: a file name is not escaped as a property"; cat "$tmp/weird_name.gh"; failed=1; }
grep -q '100%25 done: a, b' "$tmp/hook_log.gh" ||
  { echo "ci-formats: a message is not escaped as data"; cat "$tmp/hook_log.gh"; failed=1; }
grep -q '"uri":"[^"]*we%2Cird%3Ana%25me.chg"' "$tmp/weird_name.sarif" ||
  { echo "ci-formats: an artifact uri is not percent-encoded"; failed=1; }
# a flag's text that would act on the log (a bidirectional override, a line
# separator, a C1 control, an escape) is written as the text format writes it
printf 'portfolio p "P" { as_of 2022-06-30 }\nhook "bidi.lua"\n' >"$tmp/bidi.chg"
printf 'function on_portfolio(p)\n  chg.flag(p, "warning", "a\\u{202E}b\\u{2028}c\\u{85}d\\27e")\nend\n' >"$tmp/bidi.lua"
"$CHG" check --format github "$tmp/bidi.chg" >"$tmp/bidi.gh" 2>/dev/null
grep -qF 'a\u{202E}b\u{2028}c\u{0085}d\x1be' "$tmp/bidi.gh" ||
  { echo "ci-formats: github lets loose what acts on the log:"; cat -A "$tmp/bidi.gh"; failed=1; }
# `.//a.chg` (a script's "$dir/$f" with dir=./) is the relative `a.chg`,
# not the root's `/a.chg`
printf 'portfolio p "P" { as_of 2022-07-04; ownr "x" }\n' >"$tmp/dotslash.chg"
(cd "$tmp" && "$CHG" check --format sarif .//dotslash.chg >"$tmp/dotslash.sarif" 2>/dev/null)
grep -q '"uri":"dotslash.chg"' "$tmp/dotslash.sarif" ||
  { echo "ci-formats: .//file is not the relative uri of file"; grep -o '"uri":"[^"]*"' "$tmp/dotslash.sarif"; failed=1; }
[ -s "$tmp/clean.jsonl" ] && { echo "ci-formats: a clean portfolio gave JSON lines"; failed=1; }
python3 -c '
import json, sys
d = json.load(open(sys.argv[1]))
assert d["runs"][0]["results"] == [], "results of a clean run"
assert d["runs"][0]["columnKind"] == "unicodeCodePoints"
' "$tmp/clean.sarif" || { echo "ci-formats: the SARIF of a clean run"; failed=1; }
# CHG_DOCS_URL sets where the rules point
CHG_DOCS_URL=https://example.org/chg/docs/diagnostics.md "$CHG" check --format sarif examples/mps_2011 >"$tmp/url.sarif"
grep -q '"helpUri":"https://example.org/chg/docs/diagnostics.md#chg0301-unknown-attribute"' "$tmp/url.sarif" ||
  { echo "ci-formats: CHG_DOCS_URL is not used"; failed=1; }
# a bad --format is a usage error
"$CHG" check --format xml examples/mps_2011 >/dev/null 2>&1
[ $? = 2 ] || { echo "ci-formats: --format xml is not a usage error"; failed=1; }

# ---- chg fmt: syntax errors and unformatted files, for a machine ---------------
cp tests/bad/five_errors_in_one_file.chg "$tmp/in/"
printf 'unit   a "A"\n' >"$tmp/in/ugly.chg"
printf 'unit a "A"\n' >"$tmp/in/tidy.chg"
printf 'unit a {\n' >"$tmp/in/broken.chg"
for fmt in json sarif github; do
  "$CHG" fmt --check --format $fmt "$tmp/in/ugly.chg" "$tmp/in/tidy.chg" "$tmp/in/broken.chg" \
    >"$tmp/fmt.$fmt.out" 2>"$tmp/fmt.$fmt"
  [ $? = 1 ] || { echo "ci-formats: fmt --check --format $fmt: exit status"; failed=1; }
done
"$CHG" fmt --check --format json "$tmp/in/ugly.chg" "$tmp/in/tidy.chg" "$tmp/in/broken.chg" 2>/dev/null >/dev/null
grep -c '"code":"CHG0802"' "$tmp/fmt.json" | grep -qx 1 ||
  { echo "ci-formats: fmt --check --format json does not report the one unformatted file"; cat "$tmp/fmt.json"; failed=1; }
grep -q '"code":"CHG0202"' "$tmp/fmt.json" ||
  { echo "ci-formats: fmt --format json does not report the syntax error"; failed=1; }
grep -qx "$tmp/in/ugly.chg" "$tmp/fmt.json.out" ||
  { echo "ci-formats: fmt --check does not list the file"; failed=1; }
python3 $check json "$tmp/fmt.json" || failed=1
python3 $check sarif "$tmp/fmt.sarif" "$tmp/fmt.json" || failed=1
python3 $check github "$tmp/fmt.github" "$tmp/fmt.json" || failed=1

# ---- the CI configurations shipped for portfolio repositories ---------------------------
python3 - "$tmp/five_errors.jsonl" "$tmp/notes.jsonl" "$tmp/missing.jsonl" <<'PY' || failed=1
import json, subprocess, sys
def fail(msg):
    sys.exit("ci-formats: " + msg)
try:
    import yaml
except ImportError:
    print("ci-formats: python3-yaml is not installed; the CI configurations were not read (skipped)")
    sys.exit(0)
hooks = yaml.safe_load(open(".pre-commit-hooks.yaml"))
ids = {h["id"]: h for h in hooks}
if set(ids) != {"chg-check", "chg-fmt"}:
    fail(".pre-commit-hooks.yaml: hooks %s" % sorted(ids))
for h in hooks:
    for k in ("id", "name", "entry", "language"):
        if k not in h:
            fail(".pre-commit-hooks.yaml: %s has no %s" % (h.get("id"), k))
if not ids["chg-fmt"]["entry"].startswith("chg fmt --check"):
    fail("the chg-fmt hook does not run chg fmt --check")
gh = yaml.safe_load(open("examples/ci/github-actions.yml"))
steps = [s.get("run", "") + s.get("uses", "") for s in gh["jobs"]["check"]["steps"]]
for want in ("chg check --format github", "chg fmt --check --format github",
             "chg check --format sarif", "upload-sarif", "make -C"):
    if not any(want in s for s in steps):
        fail("examples/ci/github-actions.yml does not run %r" % want)
# what runs after a failed check runs only once chg was built: an upload of
# an empty log would bury the build's failure
for st in gh["jobs"]["check"]["steps"]:
    if "cancelled()" in str(st.get("if", "")) and "steps.build.outcome" not in st["if"]:
        fail("examples/ci/github-actions.yml: step %r runs even when chg was not built" % st.get("name"))
if gh["permissions"].get("actions") != "read":
    fail("examples/ci/github-actions.yml: the SARIF upload in a private repository needs actions: read")
gl = yaml.safe_load(open("examples/ci/gitlab-ci.yml"))
job = gl["chg"]
if job["artifacts"]["reports"]["codequality"] != "gl-code-quality-report.json":
    fail("examples/ci/gitlab-ci.yml: no Code Quality report")
# the job's converter, on real JSON lines
lines = "".join(open(p).read() for p in sys.argv[1:])
out = subprocess.run(["python3", "-c", gl["variables"]["CHG_CODEQUALITY"]], input=lines,
                     capture_output=True, text=True)
if out.returncode:
    fail("the Code Quality converter failed: " + out.stderr)
issues = json.loads(out.stdout)
if len(issues) != len(lines.splitlines()):
    fail("Code Quality: %d issues for %d diagnostics" % (len(issues), len(lines.splitlines())))
for i in issues:
    if set(i) < {"description", "check_name", "fingerprint", "severity", "location"} or \
            i["severity"] not in ("info", "minor", "major", "critical", "blocker") or \
            not isinstance(i["location"]["lines"]["begin"], int):
        fail("Code Quality issue %r" % i)
if len({i["fingerprint"] for i in issues}) != len(issues):
    fail("Code Quality fingerprints are not unique")
# a syntax error said by both chg check and chg fmt --check, the latter
# naming a file found in `.` as `./x.chg`: one issue, by one path
twice = lines + "".join(
    json.dumps(dict(d, file="./" + d["file"]) if d.get("file") else d) + "\n"
    for d in map(json.loads, lines.splitlines()))
out = subprocess.run(["python3", "-c", gl["variables"]["CHG_CODEQUALITY"]], input=twice,
                     capture_output=True, text=True)
again = json.loads(out.stdout) if out.returncode == 0 else None
if again != issues:
    fail("Code Quality: the same diagnostics said twice, once as ./file, are not one issue each")
PY

[ $failed = 0 ] && echo "ci-formats: $cases cases; json lines parse, SARIF validates, github commands escape; CI configurations hold"
exit $failed
