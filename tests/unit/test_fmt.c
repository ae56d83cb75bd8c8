/* chg fmt: the layout, the promise that formatting never changes what a
 * file says (same tree, same comments, idempotent) over every file in the
 * repository, the tree comparison itself, and the unified diff. */
#define _POSIX_C_SOURCE 200809L /* glob */
#include <glob.h>

#include "testutil.h"
#include "fmt.h"

/* Formats `src`; fails the test unless it formats. */
static char *format_text(const char *src, size_t len, size_t *out_len) {
  chg_ctx *ctx = test_ctx();
  uint32_t id = chg_parse_source(ctx, "t.chg", src, len);
  assert_int_not_equal(id, 0);
  if (chg_error_count(ctx)) dump(ctx);
  assert_int_equal(chg_error_count(ctx), 0);
  const char *text;
  size_t n;
  int rc = chg_format(ctx, id, &text, &n);
  if (rc) dump(ctx);
  assert_int_equal(rc, 0);
  char *copy = malloc(n + 1);
  memcpy(copy, text, n);
  copy[n] = '\0';
  *out_len = n;
  chg_free(ctx);
  return copy;
}

static void expect_layout(const char *src, const char *want) {
  size_t n;
  char *got = format_text(src, strlen(src), &n);
  if (strcmp(got, want) != 0) fprintf(stderr, "--- got:\n%s--- wanted:\n%s", got, want);
  assert_string_equal(got, want);
  free(got);
}

static void test_layout(void **state) {
  (void)state;
  expect_layout("use std.rag\nuse std.dca\ninclude \"programmes/*.chg\"\n"
                "portfolio p \"P\" {\nowner \"Director\"   # who\n        as_of 2011-06-13\n"
                "  requirement 2011/12: £85.7m, 2012/13: £246.3m\n}\n"
                "unit DoR \"Directorate of Resources\"\nunit TP \"Territorial Policing\"\n\n"
                "unit Corporate \"Corporate Projects\"\n"
                "programme drm \"Developing Resource Management\" {\n\n  unit DoR\n"
                "  status overall green \"On track\"\n  status risks amber \"Dependencies\"\n"
                "  milestone exits { baseline 2011-03-31; progress 92% }\n  saving s {\n"
                "    money 2011/12: -£8.2m, 2012/13: -£10.6m\n"
                "    posts officers 2011/12: -308, 2012/13: -265\n"
                "    posts staff 2011/12: -1, 2012/13: -2\n  }\n  # before the brace\n\n}\n"
                "rule r {\n  on risk\n  when score>=15 and\n       impact<3\n  escalate board\n}\n",
                "use std.rag\n"
                "use std.dca\n"
                "include \"programmes/*.chg\"\n"
                "\n"
                "portfolio p \"P\" {\n"
                "  owner       \"Director\" # who\n"
                "  as_of       2011-06-13\n"
                "  requirement 2011/12: £85.7m, 2012/13: £246.3m\n"
                "}\n"
                "\n"
                "unit DoR \"Directorate of Resources\"\n"
                "unit TP  \"Territorial Policing\"\n"
                "\n"
                "unit Corporate \"Corporate Projects\"\n"
                "\n"
                "programme drm \"Developing Resource Management\" {\n"
                "  unit   DoR\n"
                "  status overall green \"On track\"\n"
                "  status risks   amber \"Dependencies\"\n"
                "  milestone exits { baseline 2011-03-31; progress 92% }\n"
                "  saving s {\n"
                "    money          2011/12: -£8.2m, 2012/13: -£10.6m\n"
                "    posts officers 2011/12: -308,   2012/13: -265\n"
                "    posts staff    2011/12: -1,     2012/13: -2\n"
                "  }\n"
                "  # before the brace\n"
                "}\n"
                "\n"
                "rule r {\n"
                "  on       risk\n"
                "  when     score >= 15 and\n"
                "           impact < 3\n"
                "  escalate board\n"
                "}\n");
}

static void test_layout_details(void **state) {
  (void)state;
  /* a series past 100 columns: one entry a line, under the first */
  expect_layout("saving s { money 2011/12: -£8.2m, 2012/13: -£10.6m, 2013/14: -£10.6m, "
                "2014/15: -£10.6m, 2015/16: -£10.6m, 2016/17: -£1m }\n",
                "saving s {\n"
                "  money 2011/12: -£8.2m,\n"
                "        2012/13: -£10.6m,\n"
                "        2013/14: -£10.6m,\n"
                "        2014/15: -£10.6m,\n"
                "        2015/16: -£10.6m,\n"
                "        2016/17: -£1m\n"
                "}\n");
  /* literals as written; strings re-escaped; `- 308` is `-308` */
  expect_layout("x { a FY2011/12 2011/12 25_876 £8.2m 12.5% 2022-Q3 2022-09..2022-12 - 308 "
                "\"it\\u{2019}s \\\"q\\\"\\ttab\" }\n",
                "x { a FY2011/12 2011/12 25_876 £8.2m 12.5% 2022-Q3 2022-09..2022-12 -308 "
                "\"it’s \\\"q\\\"\\ttab\" }\n");
  /* what cannot be seen is escaped: no-break, ideographic and zero-width
   * spaces, a blank filler, a tag character alone; a flag's tags (Wales)
   * and a variation selector (the emoji form of a heart) are not */
  expect_layout("x { a \"\\u{a0}|\\u{3000}|\\u{200b}|\\u{3164}|\\u{2800}|\\u{e0041}|"
                "\\u{1F3F4}\\u{E0067}\\u{E0062}\\u{E0077}\\u{E006C}\\u{E0073}\\u{E007F}|\\u{2764}\\u{FE0F}\" }\n",
                "x { a \"\\u{A0}|\\u{3000}|\\u{200B}|\\u{3164}|\\u{2800}|\\u{E0041}|"
                "\U0001F3F4\U000E0067\U000E0062\U000E0077\U000E006C\U000E0073\U000E007F|\u2764\uFE0F\" }\n");
  /* a zero-width joiner inside an emoji (a family) is part of it; between
   * letters it cannot be seen */
  expect_layout("x { a \"\\u{1F468}\\u{200D}\\u{1F469}|a\\u{200D}b\" }\n",
                "x { a \"\U0001F468\u200D\U0001F469|a\\u{200D}b\" }\n");
  /* expressions: operators spaced, parentheses kept, division ` / ` */
  expect_layout("claim c { expect (a+b)/2>=sum(saving.money[2012/13])and not(x in[p,q]) }\n",
                "claim c { expect (a + b) / 2 >= sum(saving.money[2012/13]) and not (x in [p, q]) }\n");
  /* trailing comments of consecutive lines share a column; a comment at
   * the top of a block stays, with no blank line after `{` */
  expect_layout("b {\n\n  # first\n  a 1 # one\n  bbb 22   # two\n  c 3\n}\n",
                "b {\n  # first\n  a   1  # one\n  bbb 22 # two\n  c   3\n}\n");
  /* ; splits items; a long one-line block opens up; an empty block is { } */
  expect_layout("p { a 1; b 2 }; q {\n}\nr { aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa \"bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb\"; "
                "cccccccccccccccccc \"ddddddddddddddddddddddddd\" }\n",
                "p { a 1; b 2 }\n\nq { }\n\nr {\n  aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa \"bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb\"\n"
                "  cccccccccccccccccc              \"ddddddddddddddddddddddddd\"\n}\n");
  /* a list written over lines: one item a line, trailing commas */
  expect_layout("r { linked [\n  c07, # first\n c09 ] }\n",
                "r {\n  linked [\n    c07, # first\n    c09,\n  ]\n}\n");
  /* a long string moves with its item; its text does not change */
  expect_layout("p {\n      rationale \"\"\"\n        one\n          two\n        \"\"\"\n}\n",
                "p {\n  rationale \"\"\"\n    one\n      two\n    \"\"\"\n}\n");
  /* nothing in, nothing out; comments only */
  expect_layout("", "");
  expect_layout("\n\n# a\n\n\n# b", "# a\n\n# b\n");
}

static void test_syntax_errors_not_formatted(void **state) {
  (void)state;
  chg_ctx *ctx = test_ctx();
  uint32_t id = chg_parse_source(ctx, "t.chg", "unit x {\n", 9);
  const char *text = NULL;
  size_t n = 0;
  assert_int_equal(chg_format(ctx, id, &text, &n), 1);
  assert_null(text);
  chg_free(ctx);
}

/* Two sources mean the same, or not. */
static int same(const char *a, const char *b) {
  chg_ctx *x = test_ctx(), *y = test_ctx();
  uint32_t ia = chg_parse_source(x, "a.chg", a, strlen(a));
  uint32_t ib = chg_parse_source(y, "b.chg", b, strlen(b));
  assert_int_equal(chg_error_count(x) + chg_error_count(y), 0);
  int r = chg_same_tree(x, ia, y, ib);
  chg_free(x);
  chg_free(y);
  return r;
}

static void test_tree_equality(void **state) {
  (void)state;
  /* layout, comments and spellings of one value do not matter */
  assert_true(same("p x { a 1; b 2 }", "# c\np   x {\n  a 1 # one\n\n  b 2\n}\n"));
  assert_true(same("s { money 2011/12: £8.2m }", "s { money FY2011/12: £8_200k }"));
  assert_true(same("r { when (a + b) * c }", "r { when ((a + b)) * c }"));
  assert_true(same("x 2.50", "x 2.5"));
  /* anything that changes what is said does */
  assert_false(same("p x { a 1 }", "p y { a 1 }"));
  assert_false(same("p x { a 1 }", "p x { b 1 }"));
  assert_false(same("p x { a 1 }", "p x { a 1; b 2 }"));
  assert_false(same("p x { a 1 }", "p x { a -1 }"));
  assert_false(same("p x { }", "p x"));
  assert_false(same("s { money 2011/12: £8.2m }", "s { money 2012/13: £8.2m }"));
  assert_false(same("s { money 2011/12: £8.2m }", "s { money 2011/12: £8.3m }"));
  assert_false(same("x \"a\"", "x \"b\""));
  assert_false(same("x 2022-09", "x 2022-Q3"));
  assert_false(same("x [a, b]", "x [b, a]"));
  assert_false(same("r { when a + b * c }", "r { when (a + b) * c }"));
  assert_false(same("r { when a < b }", "r { when a <= b }"));
  assert_false(same("r { when count(risk where a) }", "r { when count(risk) }"));
  assert_false(same("x a.b", "x a.c"));
  assert_false(same("p x { q y { a 1 } }", "p x { q y { a 2 } }"));
}

/* ---- every file in the repository ----------------------------------- */

static char *slurp(const char *path, size_t *len) {
  FILE *f = fopen(path, "rb");
  assert_non_null(f);
  fseek(f, 0, SEEK_END);
  long n = ftell(f);
  fseek(f, 0, SEEK_SET);
  char *buf = malloc((size_t)n + 1);
  assert_int_equal(fread(buf, 1, (size_t)n, f), (size_t)n);
  fclose(f);
  buf[n] = '\0';
  *len = (size_t)n;
  return buf;
}

/* fmt(x) parses to the tree of x, with the same comments, and
 * fmt(fmt(x)) is fmt(x).  Returns 0 when x has syntax errors. */
static int check_roundtrip(const char *name, const char *src, size_t len) {
  chg_ctx *ctx = test_ctx();
  uint32_t id = chg_parse_source(ctx, name, src, len);
  if (chg_error_count(ctx)) {
    chg_free(ctx);
    return 0;
  }
  const char *text;
  size_t n;
  int rc = chg_format(ctx, id, &text, &n);
  if (rc) {
    fprintf(stderr, "cannot format %s\n", name);
    dump(ctx);
  }
  assert_int_equal(rc, 0);
  chg_ctx *again = test_ctx();
  uint32_t id2 = chg_parse_source(again, name, text, n);
  assert_int_equal(chg_error_count(again), 0);
  if (!chg_same_tree(ctx, id, again, id2)) fail_msg("%s: the tree changed", name);
  if (!chg_comments_equal(chg_ctx_file(ctx, id), chg_ctx_file(again, id2)))
    fail_msg("%s: the comments changed", name);
  const char *text2;
  size_t n2;
  assert_int_equal(chg_format(again, id2, &text2, &n2), 0);
  if (n2 != n || memcmp(text, text2, n) != 0) fail_msg("%s: formatting it again changes it", name);
  chg_free(again);
  chg_free(ctx);
  return 1;
}

static void test_every_file_round_trips(void **state) {
  (void)state;
  const char *patterns[] = {"examples/*/*.chg", "examples/*/*/*.chg", "tests/bad/*.chg",
                            "tests/bad/inc/*.chg", "tests/hooks/*.chg", "tests/claims/*.chg",
                            "tests/regress/*.chg", "docs/diagnostics/*.chg", "stdlib/std/*.chg"};
  int formatted = 0, skipped = 0;
  for (size_t p = 0; p < sizeof patterns / sizeof *patterns; p++) {
    glob_t g;
    if (glob(patterns[p], 0, NULL, &g) != 0) continue;
    for (size_t i = 0; i < g.gl_pathc; i++) {
      size_t len;
      char *src = slurp(g.gl_pathv[i], &len);
      if (check_roundtrip(g.gl_pathv[i], src, len)) formatted++;
      else skipped++;
      free(src);
    }
    globfree(&g);
  }
  fprintf(stderr, "round trip: %d files formatted, %d with syntax errors skipped\n", formatted,
          skipped);
  assert_true(formatted >= 150);
}

/* ---- diff --------------------------------------------------------------- */

/* Applies a unified diff made by chg_write_diff to `old`; returns the
 * result (malloc'd). */
static char *apply(const char *old, const char *patch) {
  size_t cap = strlen(old) + strlen(patch) + 1, k = 0;
  char *out = malloc(cap);
  const char *o = old; /* next unread line of old */
  unsigned oline = 1;
  const char *p = patch;
  bool in_hunk = false; /* the --- and +++ lines come first */
  while (*p) {
    const char *eol = strchr(p, '\n');
    size_t n = eol ? (size_t)(eol - p + 1) : strlen(p);
    if (strncmp(p, "@@ -", 4) == 0) {
      in_hunk = true;
      unsigned start = (unsigned)strtoul(p + 4, NULL, 10);
      const char *comma = p + 4 + strspn(p + 4, "0123456789");
      unsigned count = *comma == ',' ? (unsigned)strtoul(comma + 1, NULL, 10) : 1;
      if (count == 0) start++; /* `-4,0` is after line 4 */
      while (oline < start) { /* copy untouched lines */
        const char *e = strchr(o, '\n');
        size_t m = e ? (size_t)(e - o + 1) : strlen(o);
        memcpy(out + k, o, m), k += m, o += m, oline++;
      }
    } else if (in_hunk && (p[0] == ' ' || p[0] == '-' || p[0] == '+')) {
      bool no_newline = strncmp(p + n, "\\ No newline", 12) == 0;
      size_t m = n - 1 - (no_newline ? 1 : 0);
      if (p[0] != '-') memcpy(out + k, p + 1, m), k += m;
      if (p[0] != '+') {
        const char *e = strchr(o, '\n');
        o += e ? (size_t)(e - o + 1) : strlen(o);
        oline++;
      }
    }
    p += n;
  }
  size_t rest = strlen(o);
  memcpy(out + k, o, rest), k += rest;
  out[k] = '\0';
  return out;
}

static char *random_text(unsigned *seed, size_t lines) {
  static const char *pool[] = {"a\n", "b\n", "c\n", "}\n", "  x 1\n", "\n", "d\n", "e\n"};
  char *s = malloc(lines * 8 + 8);
  size_t k = 0;
  for (size_t i = 0; i < lines; i++) {
    const char *l = pool[rand_r(seed) % 8];
    size_t n = strlen(l);
    memcpy(s + k, l, n), k += n;
  }
  if (k && rand_r(seed) % 4 == 0) k--; /* no newline at the end */
  s[k] = '\0';
  return s;
}

static void test_diff(void **state) {
  (void)state;
  chg_ctx *ctx = test_ctx();
  unsigned seed = 2011;
  for (int t = 0; t < 400; t++) {
    char *a = random_text(&seed, (size_t)(rand_r(&seed) % 40));
    char *b = random_text(&seed, (size_t)(rand_r(&seed) % 40));
    char *patch = NULL;
    size_t plen = 0;
    FILE *out = open_memstream(&patch, &plen);
    size_t hunks = chg_write_diff(ctx, out, "f.chg", a, strlen(a), b, strlen(b));
    fclose(out);
    assert_int_equal(hunks == 0, strcmp(a, b) == 0);
    char *got = apply(a, patch);
    if (strcmp(got, b) != 0) fail_msg("patch does not apply:\n%s\n--- from\n%s--- to\n%s", patch, a, b);
    free(got);
    free(patch);
    free(a);
    free(b);
  }
  chg_free(ctx);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_layout),
      cmocka_unit_test(test_layout_details),
      cmocka_unit_test(test_syntax_errors_not_formatted),
      cmocka_unit_test(test_tree_equality),
      cmocka_unit_test(test_every_file_round_trips),
      cmocka_unit_test(test_diff),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
