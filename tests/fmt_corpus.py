#!/usr/bin/env python3
"""Writes a synthetic corpus of .chg files for `chg fmt` to chew on.

    python3 tests/fmt_corpus.py DIR [COUNT] [SEED]

Every file is meant to parse: the generator only writes forms the grammar
accepts, but in every layout it allows -- tabs, runs of spaces, `;`
between items, blocks on one line, series and lists broken after any
comma, expressions broken after operators and inside brackets, CRLF line
ends, and comments in every place a line may end: after an item, after
`{` and `}`, after a comma in a series or a list, after an operator.  The
literals cover every lexical form (money, percentages, dates, months,
quarters, both spellings of a financial year, ranges, `_` in numbers,
escapes, long strings indented any way).  tests/fmt.sh formats each file
and checks that the tree, the comments and a second formatting are
unchanged.  The same seed always gives the same files.
"""
import os
import random
import sys

RESERVED = {"use", "include", "when", "expect", "where", "and", "or", "not", "in",
            "true", "false"}
KEYS = ["owner", "as_of", "unit", "status", "tags", "money", "posts", "requirement",
        "baseline", "forecast", "progress", "budget", "level", "period", "linked",
        "depends_on", "rationale", "capacity", "target", "profile", "x", "a_long_key_name"]
KINDS = ["programme", "project", "workstream", "milestone", "benefit", "saving", "risk",
         "impact", "recommendation", "unit", "scale"]


class Gen:
    def __init__(self, rnd):
        self.r = rnd
        self.comment_no = 0

    # ---- white space and comments ------------------------------------
    def ws(self):
        return self.r.choice([" ", " ", " ", "  ", "\t", "   "])

    def comment(self):
        self.comment_no += 1
        words = self.r.choice(["why", "note", "TODO check", "£8.2m # not a value",
                               "\"quoted\"", "para 13", "ünïcödé ✓", ""])
        return "#" + self.r.choice([" ", "", "  "]) + words + " c%d" % self.comment_no

    def nl(self, indent=""):
        """A line end where one is allowed, maybe with a comment before it
        and comment lines after it."""
        s = ""
        if self.r.random() < 0.3:
            s += self.ws() + self.comment()
        s += "\n"
        if self.r.random() < 0.15:
            s += indent + self.comment() + "\n"
        if self.r.random() < 0.1:
            s += "\n"
        return s + indent + "  "

    def brk(self, indent=""):
        """White space after a token that lets the line go on."""
        if self.r.random() < 0.2:
            return self.nl(indent)
        return self.ws()

    # ---- literals -------------------------------------------------------
    def ident(self):
        while True:
            s = self.r.choice("abcdefghijklmnopqrstuvwxyz_") + "".join(
                self.r.choice("abcdefghijklmnopqrstuvwxyz0123456789_")
                for _ in range(self.r.randint(0, 8)))
            if s not in RESERVED:
                return s

    def path(self):
        return ".".join(self.ident() for _ in range(self.r.choice([1, 1, 1, 2, 3])))

    def number(self):
        c = self.r.random()
        if c < 0.3:
            return str(self.r.randint(0, 99999))
        if c < 0.5:
            return "%d_%03d" % (self.r.randint(1, 999), self.r.randint(0, 999))
        if c < 0.8:
            return "%d.%d" % (self.r.randint(0, 999), self.r.randint(0, 99))
        return "1_000_000.000_1"

    def money(self):
        return "£" + self.r.choice(["8.2m", "600k", "1.5bn", "12_500", "0.01", "85.7m",
                                    "100m", "10.6m", "3", "246.3m", "1_000k"])

    def date(self):
        return "%04d-%02d-%02d" % (self.r.randint(2000, 2030), self.r.randint(1, 12),
                                   self.r.randint(1, 28))

    def month(self):
        return "%04d-%02d" % (self.r.randint(2000, 2030), self.r.randint(1, 12))

    def quarter(self):
        return "%04d-Q%d" % (self.r.randint(2000, 2030), self.r.randint(1, 4))

    def fy(self):
        y = self.r.randint(1998, 2030)
        return self.r.choice(["", "FY"]) + "%04d/%02d" % (y, (y + 1) % 100)

    def period(self):
        return self.r.choice([self.date, self.month, self.quarter, self.fy])()

    def range_(self):
        kind = self.r.choice(["month", "quarter", "fy", "date"])
        a, b = sorted([self.r.randint(2000, 2030), self.r.randint(2000, 2030)])
        if kind == "month":
            lo, hi = "%04d-01" % a, "%04d-12" % b
        elif kind == "quarter":
            lo, hi = "%04d-Q1" % a, "%04d-Q4" % b
        elif kind == "date":
            lo, hi = "%04d-01-01" % a, "%04d-12-31" % b
        else:
            lo, hi = "%04d/%02d" % (a, (a + 1) % 100), "FY%04d/%02d" % (b, (b + 1) % 100)
        return lo + self.r.choice(["..", "..", " .. "]) + hi

    def string(self):
        parts = []
        for _ in range(self.r.randint(0, 6)):
            parts.append(self.r.choice([
                "Directorate", " of ", "Resources", "\\\"Lean\\\"", "\\\\", "\\n", "\\t",
                "\\u{2019}", "\\u{200B}", "\\u{A0}", "£8.2m", "#not a comment", "é", "\t",
                "a, b", "{ }", "doesn\\u{2019}t", "\\u{1F600}"]))
        return '"' + "".join(parts) + '"'

    def long_string(self, indent):
        inner = indent + " " * self.r.choice([0, 2, 4, 6])
        lines = [inner + self.r.choice(["Radically change", "the way", "  deeper",
                                         "", "text with \\ backslash", "\t tabbed"])
                 for _ in range(self.r.randint(1, 4))]
        close = inner if self.r.random() < 0.7 else indent
        if self.r.random() < 0.2:
            return '"""' + "inline first" + '\n' + "\n".join(lines) + '"""'
        return '"""\n' + "\n".join(lines) + "\n" + close + '"""'

    def literal(self):
        c = self.r.random()
        if c < 0.15:
            return self.number()
        if c < 0.3:
            return self.money()
        if c < 0.4:
            return self.number().replace("_", "")[:6] + "%"
        if c < 0.5:
            return self.date()
        if c < 0.6:
            return self.month()
        if c < 0.7:
            return self.quarter()
        return self.fy()

    def value(self, indent, depth=0):
        c = self.r.random()
        if c < 0.2:
            return self.path()
        if c < 0.35:
            return self.string()
        if c < 0.4 and depth == 0:
            return self.long_string(indent)
        if c < 0.55:
            return self.literal()
        if c < 0.65:
            return "-" + self.r.choice(["", "", " "]) + self.r.choice(
                [self.number, self.money, lambda: "12.5%"])()
        if c < 0.72:
            return self.range_()
        if c < 0.75:
            return self.r.choice(["true", "false"])
        if depth < 2:
            return self.list_(indent, depth + 1)
        return self.path()

    def list_(self, indent, depth):
        n = self.r.randint(0, 4)
        items = [self.value(indent + "  ", depth) for _ in range(n)]
        if self.r.random() < 0.3 and items:
            # one item a line, maybe with comments and a trailing comma
            s = "[" + self.nl(indent)
            for i, it in enumerate(items):
                s += it + ("," + self.nl(indent) if i + 1 < n else "")
            if self.r.random() < 0.5:
                s += ","
            return s + self.nl(indent)[:-2] + "]"
        sep = "," + self.ws()
        return "[" + sep.join(items) + ("," if items and self.r.random() < 0.2 else "") + "]"

    def series(self, indent):
        n = self.r.randint(1, 9)
        out = []
        for i in range(n):
            out.append(self.period() + ":" + self.ws() + self.r.choice(
                [self.money, self.number, lambda: "-" + self.number(), self.literal])())
        s = out[0]
        for e in out[1:]:
            s += "," + self.brk(indent) + e
        return s

    # ---- expressions ----------------------------------------------------
    # precedence, loosest first, as in grammar/chg.y
    PREC = {"or": 1, "and": 2, "==": 4, "!=": 4, "<": 4, "<=": 4, ">": 4, ">=": 4,
            "in": 4, "+": 5, "-": 5, "*": 6, "/": 6}

    def expr(self, indent, depth=0):
        return self.expr2(indent, depth)[0]

    def expr2(self, indent, depth=0):
        """An expression and the precedence of its outermost operator (9 for
        an operand), parenthesised so that the text parses as generated:
        comparisons do not chain, so `a < b < c` is a syntax error."""
        if depth > 3 or self.r.random() < 0.3:
            return self.operand(indent, depth), 9
        c = self.r.random()
        if c < 0.6:
            op = self.r.choice(list(self.PREC))
            p = self.PREC[op]
            sides = []
            for side in range(2):
                text, cp = self.expr2(indent, depth + 1)
                if cp < p or (cp == p and (p == 4 or side == 1)):
                    text = "(" + text + ")"
                sides.append(text)
            return sides[0] + self.ws() + op + self.brk(indent) + sides[1], p
        if c < 0.7:
            return "not" + self.r.choice([" ", "  ", "\t"]) + self.operand(indent, depth + 1), 3
        if c < 0.8:
            return "-" + self.operand(indent, depth + 1), 7
        if c < 0.9:
            inner = self.expr(indent, depth + 1)
            return "(" + self.r.choice(["", " ", self.nl(indent)]) + inner + self.r.choice(
                ["", " "]) + ")", 9
        return self.operand(indent, depth) + "[" + self.period() + "]", 9

    def operand(self, indent, depth):
        c = self.r.random()
        if c < 0.35:
            return self.path()
        if c < 0.55:
            return self.literal()
        if c < 0.6:
            return self.string()
        if c < 0.65:
            return self.r.choice(["true", "false"])
        if c < 0.85 and depth < 4:
            fn = self.r.choice(["count", "sum", "pct", "max", "f"])
            if self.r.random() < 0.1:
                return fn + "()"
            arg = self.expr(indent, depth + 1)
            if self.r.random() < 0.5:
                arg += self.ws() + "where" + self.brk(indent) + self.expr(indent, depth + 1)
            return fn + "(" + arg + ")"
        if depth < 4:
            n = self.r.randint(1, 3)
            return "[" + ("," + self.ws()).join(self.operand(indent, depth + 1)
                                               for _ in range(n)) + "]"
        return "(" + self.path() + ")"

    # ---- items ------------------------------------------------------------
    def attribute(self, indent):
        key = self.r.choice(KEYS)
        c = self.r.random()
        if c < 0.12:
            kw = self.r.choice(["when", "expect"])
            return kw + self.brk(indent) + self.expr(indent)
        s = key
        for _ in range(self.r.choice([0, 1, 1, 1, 2, 3])):
            s += self.ws() + self.value(indent)
        if self.r.random() < 0.25:
            s += self.ws() + self.series(indent)
        return s

    def block(self, indent, depth):
        kind = self.r.choice(KINDS)
        head = kind
        if self.r.random() < 0.8:
            head += self.ws() + self.ident()
        if self.r.random() < 0.6:
            head += self.ws() + self.string()
        n = self.r.randint(0, 6)
        if self.r.random() < 0.2:
            # on one line
            items = [self.attribute("") .replace("\n", " ") for _ in range(min(n, 3))]
            items = [i for i in items if '"""' not in i and "#" not in i and "\n" not in i]
            return head + self.ws() + "{" + self.ws() + (";" + self.ws()).join(items) + \
                self.ws() + "}"
        body = ""
        for _ in range(n):
            sub = indent + "  "
            if depth < 4 and self.r.random() < 0.2:
                item = self.block(sub, depth + 1)
            else:
                item = self.attribute(sub)
            lead = ""
            if self.r.random() < 0.2:
                lead += sub + self.comment() + "\n"
            if self.r.random() < 0.1:
                lead = "\n" + lead
            end = self.r.choice(["\n", "\n", "\n", ";\n", ";" + self.ws()])
            if end.startswith(";") and not end.endswith("\n"):
                body += lead + self.r.choice([sub, "\t" + sub, sub + "  "]) + item + end + \
                    self.attribute(sub) + "\n"
            else:
                tail = (self.ws() + self.comment()) if self.r.random() < 0.2 else ""
                body += lead + self.r.choice([sub, sub, "\t", sub + "   "]) + item + tail + end
        brace_comment = (self.ws() + self.comment()) if self.r.random() < 0.2 else ""
        close_comment = (indent + "  " + self.comment() + "\n") if self.r.random() < 0.15 else ""
        return head + self.ws() + "{" + brace_comment + "\n" + body + close_comment + indent + "}"

    def top_item(self):
        c = self.r.random()
        if c < 0.1:
            return "use" + self.ws() + self.path()
        if c < 0.15:
            return "include" + self.ws() + '"' + self.ident() + '.chg"'
        if c < 0.35:
            return self.r.choice(["unit", "programme"]) + self.ws() + self.ident() + \
                ((self.ws() + self.string()) if self.r.random() < 0.7 else "")
        return self.block("", 0)

    def file(self):
        out = ""
        if self.r.random() < 0.5:
            out += self.comment() + "\n" + self.r.choice(["", "\n"])
        for _ in range(self.r.randint(1, 12)):
            if self.r.random() < 0.2:
                out += self.comment() + "\n"
            item = self.top_item()
            tail = (self.ws() + self.comment()) if self.r.random() < 0.2 else ""
            out += item + tail + self.r.choice(["\n", "\n", "\n\n", "\n\n\n", ";\n"])
        if self.r.random() < 0.3:
            out += self.comment() + ("\n" if self.r.random() < 0.7 else "")
        if self.r.random() < 0.1:
            out = out.replace("\n", "\r\n")
        return out


def main():
    if len(sys.argv) < 2:
        sys.exit(__doc__)
    out = sys.argv[1]
    count = int(sys.argv[2]) if len(sys.argv) > 2 else 200
    seed = int(sys.argv[3]) if len(sys.argv) > 3 else 2011
    os.makedirs(out, exist_ok=True)
    for i in range(count):
        g = Gen(random.Random(seed * 100003 + i))
        with open(os.path.join(out, "synth%04d.chg" % i), "w", encoding="utf-8",
                  newline="") as f:
            f.write(g.file())


if __name__ == "__main__":
    main()
