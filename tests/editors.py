#!/usr/bin/env python3
"""Checks the editor support in editors/ (run by tests/editors.sh).

    python3 tests/editors.py [--vim]

VS Code: package.json and language-configuration.json are valid and say
what they should (comments `#`, the three kinds of brackets, auto-closing
quotes); the TextMate grammar is valid JSON, every regex in it compiles
(with Python's `re`, which reads the subset of Oniguruma the grammar keeps
to; a construct only Oniguruma has is an error here), and highlighting
every file in examples/ leaves no money, date, month, quarter, financial
year, percentage, reserved word, string or comment without its scope.  The
tokens are found by a reference lexer written from grammar/chg.l, not by
the grammar under test; highlighting is done by a small TextMate engine
(match, begin/end, captures, includes) that tokenizes line by line as
editors do.

Vim (with --vim, when vim is installed): editors/vim/syntax/chg.vim loads
without error, ftdetect sets the filetype, and every such token of the
examples has the syntax group it should.
"""
import glob
import json
import os
import re
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
TOP = os.path.dirname(HERE)
VSCODE = os.path.join(TOP, "editors", "vscode")
failures = []


def fail(msg):
    failures.append(msg)
    print("editors: " + msg)


# ---- the reference lexer ------------------------------------------------------

NUM = r"[0-9][0-9_]*(?:\.[0-9][0-9_]*)?"
IDENT = r"[A-Za-z_][A-Za-z0-9_]*"
# (kind, regex), tried together; the longest match wins, then the first, as in flex
LEX = [
    ("money", "£" + NUM + "(?:k|m|bn)?"),
    ("percent", NUM + "%"),
    ("number", NUM),
    ("date", r"[0-9]{4}-[0-9]{2}-[0-9]{2}"),
    ("month", r"[0-9]{4}-[0-9]{2}"),
    ("quarter", r"[0-9]{4}-Q[0-9]"),
    ("fy", r"(?:FY)?[0-9]{4}/[0-9]{2}"),
    ("ident", IDENT),
]
LEX = [(k, re.compile(r)) for k, r in LEX]
RESERVED = {"use", "include", "when", "expect", "where", "and", "or", "not", "in",
            "true", "false"}


def reference_tokens(text):
    """Yields (kind, start, end) over the whole text: comments, strings
    (both kinds), literals and reserved words."""
    i, n = 0, len(text)
    while i < n:
        c = text[i]
        if c == "#":
            j = text.find("\n", i)
            j = n if j < 0 else j
            yield "comment", i, j
            i = j
        elif text.startswith('"""', i):
            j = text.find('"""', i + 3)
            j = n if j < 0 else j + 3
            yield "longstring", i, j
            i = j
        elif c == '"':
            j = i + 1
            while j < n and text[j] not in '"\n':
                j += 2 if text[j] == "\\" else 1
            j = min(j + 1, n) if j < n and text[j] == '"' else j
            yield "string", i, j
            i = j
        else:
            best = None
            for kind, rx in LEX:
                m = rx.match(text, i)
                if m and (best is None or m.end() > best[2]):
                    best = (kind, i, m.end())
            if best:
                kind, s, e = best
                if kind == "ident":
                    word = text[s:e]
                    if word in RESERVED:
                        yield "reserved:" + word, s, e
                else:
                    yield kind, s, e
                i = e
            else:
                i += 1


# the scope each kind of token must carry
WANT = {
    "comment": "comment.line.number-sign",
    "string": "string.quoted.double",
    "longstring": "string.quoted.triple",
    "money": "constant.numeric.money",
    "percent": "constant.numeric.percent",
    "date": "constant.numeric.date",
    "month": "constant.numeric.month",
    "quarter": "constant.numeric.quarter",
    "fy": "constant.numeric.financial-year",
    "number": "constant.numeric",
}
WANT_WORD = {"use": "keyword.control.import", "include": "keyword.control.import",
             "when": "keyword.control", "expect": "keyword.control", "where": "keyword.control",
             "and": "keyword.operator.logical", "or": "keyword.operator.logical",
             "not": "keyword.operator.logical", "in": "keyword.operator.logical",
             "true": "constant.language.boolean", "false": "constant.language.boolean"}


def want_scope(kind):
    return WANT_WORD[kind.split(":", 1)[1]] if kind.startswith("reserved:") else WANT[kind]


# ---- a small TextMate engine ----------------------------------------------------

ONIG_ONLY = [r"\\h", r"\\G", r"\\A", r"\\z", r"\(\?<[A-Za-z]", r"\\k<", r"\\p\{", r"[*+?}]\+",
             r"\(\?~", r"\\x\{"]


def compile_rx(rx, where):
    for bad in ONIG_ONLY:
        if re.search(bad, rx):
            fail("%s: %r uses %s, which only Oniguruma reads" % (where, rx, bad))
    try:
        return re.compile(rx)
    except re.error as e:
        fail("%s: %r does not compile: %s" % (where, rx, e))
        return re.compile(r"(?!x)x")


class Grammar:
    def __init__(self, g):
        self.repo = g.get("repository", {})
        self.top = self.rules(g["patterns"], "patterns")

    def rules(self, pats, where):
        out = []
        for k, p in enumerate(pats):
            w = "%s[%d]" % (where, k)
            if "include" in p:
                name = p["include"]
                if name == "$self":
                    continue  # the top level; not used by this grammar
                if not name.startswith("#") or name[1:] not in self.repo:
                    fail("%s: include of unknown %r" % (w, name))
                    continue
                r = self.repo[name[1:]]
                if "patterns" in r and "match" not in r and "begin" not in r:
                    out.extend(self.rules(r["patterns"], "repository." + name[1:]))
                else:
                    out.extend(self.rules([r], "repository." + name[1:]))
                continue
            rule = dict(p)
            if "match" in p:
                rule["rx"] = compile_rx(p["match"], w)
            elif "begin" in p:
                rule["rx"] = compile_rx(p["begin"], w + ".begin")
                if "end" not in p:
                    fail(w + ": begin without end")
                rule["end_rx"] = compile_rx(p.get("end", "$"), w + ".end")
                rule["inner"] = self.rules(p.get("patterns", []), w)
            elif "patterns" in p:
                out.extend(self.rules(p["patterns"], w))
                continue
            else:
                fail(w + ": neither match, begin nor include")
                continue
            out.append(rule)
        return out


def paint(scopes, start, end, names):
    for i in range(start, end):
        scopes[i].extend(n for n in names if n)


def captures(scopes, m, caps):
    for k, v in (caps or {}).items():
        g = int(k)
        if m.start(g) >= 0 and "name" in v:
            paint(scopes, m.start(g), m.end(g), [v["name"]])


def tokenize(grammar, text):
    """Scopes of every character of text, line by line."""
    stack = []  # begin/end rules open across lines
    scopes = [[] for _ in text]
    offset = 0
    for line in text.split("\n"):
        pos = 0
        while pos <= len(line):
            rules = stack[-1]["inner"] if stack else grammar.top
            best, best_rule, is_end = None, None, False
            if stack:
                m = stack[-1]["end_rx"].search(line, pos)
                if m:
                    best, is_end = m, True
            for r in rules:
                m = r["rx"].search(line, pos)
                if m and (best is None or m.start() < best.start()):
                    best, best_rule, is_end = m, r, False
            outer = [s.get("name") for s in stack]
            if best is None:
                paint(scopes, offset + pos, offset + len(line), outer)
                break
            paint(scopes, offset + pos, offset + best.start(), outer)
            if is_end:
                r = stack.pop()
                paint(scopes, offset + best.start(), offset + best.end(), outer)
                line_scopes = scopes[offset:offset + len(line)]
                captures(line_scopes, best, r.get("endCaptures"))
            elif "match" in best_rule:
                paint(scopes, offset + best.start(), offset + best.end(),
                      outer + [best_rule.get("name")])
                line_scopes = scopes[offset:offset + len(line)]
                captures(line_scopes, best, best_rule.get("captures"))
            else:
                stack.append(best_rule)
                paint(scopes, offset + best.start(), offset + best.end(),
                      outer + [best_rule.get("name")])
                line_scopes = scopes[offset:offset + len(line)]
                captures(line_scopes, best, best_rule.get("beginCaptures"))
            if best.end() == pos and not is_end and "begin" not in (best_rule or {}):
                pos += 1  # an empty match must not stall
            else:
                pos = max(best.end(), pos if is_end or "begin" in (best_rule or {}) else pos + 1)
            if pos > len(line):
                break
        offset += len(line) + 1
    return scopes


def has_scope(names, want):
    return any(n == want or n.startswith(want + ".") for n in names)


# ---- the checks -----------------------------------------------------------------

def check_vscode():
    try:
        pkg = json.load(open(os.path.join(VSCODE, "package.json"), encoding="utf-8"))
        conf = json.load(open(os.path.join(VSCODE, "language-configuration.json"), encoding="utf-8"))
        g = json.load(open(os.path.join(VSCODE, "syntaxes", "chg.tmLanguage.json"), encoding="utf-8"))
    except (OSError, ValueError) as e:
        fail("not valid JSON: %s" % e)
        return None
    langs = pkg.get("contributes", {}).get("languages", [])
    gram = pkg.get("contributes", {}).get("grammars", [])
    if not langs or langs[0].get("id") != "chg" or ".chg" not in langs[0].get("extensions", []):
        fail("package.json does not declare the chg language for .chg files")
    if not gram or gram[0].get("scopeName") != g.get("scopeName") or \
            not os.path.exists(os.path.join(VSCODE, gram[0].get("path", "?"))):
        fail("package.json does not point at the grammar")
    if langs and not os.path.exists(os.path.join(VSCODE, langs[0].get("configuration", "?"))):
        fail("package.json does not point at the language configuration")
    if conf.get("comments", {}).get("lineComment") != "#":
        fail("language-configuration: comments are not #")
    if sorted(map(tuple, conf.get("brackets", []))) != sorted([("{", "}"), ("[", "]"), ("(", ")")]):
        fail("language-configuration: brackets")
    if not any(p.get("open") == '"' for p in conf.get("autoClosingPairs", [])):
        fail("language-configuration: quotes do not close themselves")
    for k in ("wordPattern",):
        compile_rx(conf[k], "language-configuration." + k)
    for k, v in conf.get("indentationRules", {}).items():
        compile_rx(v, "language-configuration.indentationRules." + k)
    if g.get("scopeName") != "source.chg":
        fail("the grammar's scopeName is not source.chg")
    return Grammar(g)


def examples():
    """The examples, and editors/sample.chg, which has every lexical form."""
    return sorted(glob.glob(os.path.join(TOP, "examples", "**", "*.chg"), recursive=True)) + \
        [os.path.join(TOP, "editors", "sample.chg")]


def check_highlighting(grammar):
    counts = {}
    for path in examples():
        text = open(path, encoding="utf-8").read()
        scopes = tokenize(grammar, text)
        for kind, s, e in reference_tokens(text):
            want = want_scope(kind)
            counts[kind] = counts.get(kind, 0) + 1
            for i in range(s, e):
                if text[i] == "\n":
                    continue  # a line end is no character of either line
                if not has_scope(scopes[i], want):
                    line = text.count("\n", 0, s) + 1
                    fail("%s:%d: %s %r is not scoped %s (has %s)" % (
                        os.path.relpath(path, TOP), line, kind, text[s:e], want, scopes[i]))
                    break
    for kind in ("money", "percent", "date", "month", "quarter", "fy", "comment", "string",
                 "longstring", "reserved:use", "reserved:include", "reserved:when",
                 "reserved:expect", "reserved:where", "reserved:and", "reserved:true"):
        if not counts.get(kind):
            fail("the examples hold no %s: the check would not notice it unscoped" % kind)
    return counts


VIM_GROUP = {"money": "chgMoney", "percent": "chgPercent", "date": "chgDate", "month": "chgMonth",
             "quarter": "chgQuarter", "fy": "chgFinancialYear", "number": "chgNumber",
             "comment": "chgComment", "string": "chgString", "longstring": "chgLongString"}
VIM_WORD = {"use": "chgInclude", "include": "chgInclude", "when": "chgStatement",
            "expect": "chgStatement", "where": "chgStatement", "and": "chgLogical",
            "or": "chgLogical", "not": "chgLogical", "in": "chgLogical", "true": "chgBoolean",
            "false": "chgBoolean"}


def check_vim():
    vim = subprocess.run(["sh", "-c", "command -v vim"], capture_output=True, text=True).stdout.strip()
    if not vim:
        print("editors: vim is not installed; the Vim syntax was not loaded (skipped)")
        return 0
    checked = 0
    with tempfile.TemporaryDirectory() as tmp:
        for path in examples():
            text = open(path, encoding="utf-8").read()
            data = text.encode("utf-8")
            # positions as Vim counts them: line, byte column (1-based)
            probes = []
            for kind, s, e in reference_tokens(text):
                group = VIM_WORD[kind.split(":")[1]] if kind.startswith("reserved:") else VIM_GROUP[kind]
                b = len(text[:s].encode("utf-8"))
                line = data.count(b"\n", 0, b) + 1
                col = b - (data.rfind(b"\n", 0, b) + 1) + 1
                if kind == "longstring":
                    continue  # a long string's region is checked at its start below
                probes.append((line, col, group, kind, text[s:e][:30]))
            script = os.path.join(tmp, "probe.vim")
            result = os.path.join(tmp, "result.txt")
            with open(script, "w", encoding="utf-8") as f:
                f.write("let s:bad = []\n")
                f.write("if &filetype !=# 'chg' | call add(s:bad, 'filetype is ' . &filetype) | endif\n")
                f.write("if get(b:, 'current_syntax', '') !=# 'chg' | call add(s:bad, 'no chg syntax') | endif\n")
                f.write("if v:errmsg !=# '' | call add(s:bad, 'error: ' . v:errmsg) | endif\n")
                f.write("if &formatprg !=# 'chg fmt -' | call add(s:bad, 'ftplugin: formatprg is ' . &formatprg) | endif\n")
                f.write("if &makeprg !~# '^chg check' | call add(s:bad, 'compiler: makeprg is ' . &makeprg) | endif\n")
                for line, col, group, kind, tok in probes:
                    f.write("let s:g = synIDattr(synID(%d, %d, 1), 'name')\n" % (line, col))
                    f.write("if s:g !=# '%s' | call add(s:bad, '%d:%d: %s %s is ' . s:g) | endif\n"
                            % (group, line, col, kind, tok.replace("'", "''").replace("\n", " ")
                               .replace("|", "/")))
                f.write("call writefile(s:bad, '%s')\nqa!\n" % result)
            r = subprocess.run([vim, "-Es", "-u", "NONE", "-N", "--cmd", "set encoding=utf-8",
                                "-c", "set rtp^=" + os.path.join(TOP, "editors", "vim"),
                                "-c", "filetype plugin on", "-c", "syntax on",
                                "-c", "edit " + path, "-c", "source " + script],
                               capture_output=True, text=True, timeout=120)
            if not os.path.exists(result):
                fail("vim did not run the probe on %s (exit %d): %s" % (path, r.returncode, r.stderr))
                continue
            for bad in open(result, encoding="utf-8").read().splitlines():
                fail("vim: %s:%s" % (os.path.relpath(path, TOP), bad))
            checked += len(probes)
    return checked


def main():
    grammar = check_vscode()
    counts = check_highlighting(grammar) if grammar else {}
    vim_checked = check_vim() if "--vim" in sys.argv else 0
    if failures:
        sys.exit(1)
    total = sum(counts.values())
    print("editors: TextMate grammar valid; %d tokens of %d example files highlighted as they "
          "should be (%s)%s" % (
              total, len(examples()),
              ", ".join("%s %d" % (k, counts[k]) for k in sorted(counts)),
              "; vim: %d tokens checked" % vim_checked if vim_checked else ""))


main()
