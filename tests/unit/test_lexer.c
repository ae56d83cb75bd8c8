/* Every lexical form of LANGUAGE.md, and its edge cases. */
#include "testutil.h"

/* Parses `x { k VALUE }` and returns the attribute's first value. */
static chg_value value_of(chg_ctx **out, const char *text) {
  char src[512];
  snprintf(src, sizeof src, "x {\n  k %s\n}\n", text);
  chg_ctx *ctx = parse_only(src);
  *out = ctx;
  chg_node *b = first_block(ctx);
  assert_non_null(b);
  chg_node *a = attr_of(b, "k");
  assert_non_null(a);
  assert_true(a->nargs >= 1);
  return chg_node_args(a)[0];
}

#define LEX_OK(text, kind_)                                                  \
  chg_ctx *ctx;                                                              \
  chg_value v = value_of(&ctx, text);                                        \
  if (chg_error_count(ctx)) dump(ctx);                                       \
  assert_int_equal(chg_error_count(ctx), 0);                                 \
  assert_int_equal(v.kind, kind_)

static void lex_error_at(const char *text, const char *code, unsigned column) {
  chg_ctx *ctx;
  value_of(&ctx, text);
  if (count_code(ctx, code) != 1) dump(ctx);
  assert_int_equal(count_code(ctx, code), 1);
  chg_diag_view d = find_code(ctx, code);
  assert_int_equal(d.line, 2);
  assert_int_equal(d.column, column);
  chg_free(ctx);
}

/* Most errors sit on the value, which starts at column 5. */
static void lex_error(const char *text, const char *code) { lex_error_at(text, code, 5); }

static void test_numbers(void **state) {
  (void)state;
  {
    LEX_OK("42", CHG_V_NUMBER);
    assert_int_equal(v.u.m, 42);
    chg_free(ctx);
  }
  {
    LEX_OK("25_876", CHG_V_NUMBER);
    assert_int_equal(v.u.m, 25876);
    chg_free(ctx);
  }
  {
    LEX_OK("-308", CHG_V_NUMBER);
    assert_int_equal(v.u.m, -308);
    chg_free(ctx);
  }
  {
    LEX_OK("3.5", CHG_V_NUMBER);
    assert_int_equal(v.u.m, 35);
    assert_int_equal(chg_value_dec(&v).scale, 1);
    chg_free(ctx);
  }
  lex_error("1__0", "CHG0112");
  lex_error("12abc", "CHG0112");
  lex_error("99999999999999999999", "CHG0107");
}

static void test_money(void **state) {
  (void)state;
  {
    LEX_OK("£8.2m", CHG_V_MONEY);
    assert_int_equal(v.u.pence, 820000000);
    chg_free(ctx);
  }
  {
    LEX_OK("-£8.2m", CHG_V_MONEY);
    assert_int_equal(v.u.pence, -820000000);
    chg_free(ctx);
  }
  {
    LEX_OK("£600k", CHG_V_MONEY);
    assert_int_equal(v.u.pence, 60000000);
    chg_free(ctx);
  }
  {
    LEX_OK("£1.5bn", CHG_V_MONEY);
    assert_int_equal(v.u.pence, 150000000000LL);
    chg_free(ctx);
  }
  {
    LEX_OK("£12_500", CHG_V_MONEY);
    assert_int_equal(v.u.pence, 1250000);
    chg_free(ctx);
  }
  lex_error("£0.001", "CHG0108");
  lex_error("£5x", "CHG0108");
  lex_error("£99999999999999999999bn", "CHG0108");
  lex_error("£", "CHG0108");
}

static void test_percent(void **state) {
  (void)state;
  {
    LEX_OK("92%", CHG_V_PERCENT);
    assert_int_equal(v.u.m, 92);
    assert_int_equal(chg_value_dec(&v).scale, 2); /* 0.92 */
    chg_free(ctx);
  }
  {
    LEX_OK("12.5%", CHG_V_PERCENT);
    assert_int_equal(v.u.m, 125);
    assert_int_equal(chg_value_dec(&v).scale, 3); /* 0.125 */
    chg_free(ctx);
  }
}

static void test_dates_and_periods(void **state) {
  (void)state;
  {
    LEX_OK("2022-08-22", CHG_V_DATE);
    assert_int_equal(v.u.day, chg_days_from_civil(2022, 8, 22));
    chg_free(ctx);
  }
  {
    LEX_OK("2024-02-29", CHG_V_DATE); /* a leap day */
    chg_free(ctx);
  }
  lex_error("2023-02-29", "CHG0109");
  lex_error("2022-02-30", "CHG0109");
  lex_error("2022-13-01", "CHG0109");
  lex_error("2022-8-1", "CHG0109");
  {
    LEX_OK("2022-08", CHG_V_MONTH);
    assert_int_equal(v.u.month, 2022 * 12 + 7);
    chg_free(ctx);
  }
  lex_error("2022-13", "CHG0110");
  {
    LEX_OK("2022-Q3", CHG_V_QUARTER);
    assert_int_equal(v.u.quarter, 2022 * 4 + 2);
    chg_free(ctx);
  }
  lex_error("2022-Q5", "CHG0110");
  {
    LEX_OK("FY2011/12", CHG_V_FY);
    assert_int_equal(v.u.fy, 2011);
    chg_free(ctx);
  }
  {
    LEX_OK("2011/12", CHG_V_FY);
    assert_int_equal(v.u.fy, 2011);
    chg_free(ctx);
  }
  {
    LEX_OK("1999/00", CHG_V_FY); /* across a century */
    assert_int_equal(v.u.fy, 1999);
    chg_free(ctx);
  }
  lex_error("2011/13", "CHG0111");
  lex_error("FY2011/11", "CHG0111");
}

static void test_ranges(void **state) {
  (void)state;
  {
    LEX_OK("2022-09..2022-12", CHG_V_RANGE);
    assert_int_equal((&v.u.range[0])->kind, CHG_V_MONTH);
    assert_int_equal((&v.u.range[1])->u.month, 2022 * 12 + 11);
    chg_free(ctx);
  }
  {
    LEX_OK("2011/12..2013/14", CHG_V_RANGE);
    chg_free(ctx);
  }
  {
    LEX_OK("2022-Q1..2022-Q1", CHG_V_RANGE); /* one period is fine */
    chg_free(ctx);
  }
  lex_error("2022-12..2022-09", "CHG0206");
  lex_error("2022-09..2022-Q4", "CHG0206");
  lex_error("3..5", "CHG0206");
}

/* A literal cut short at the end of a line is one error on that line, and
 * the next line is read on its own: a trailing `-` does not carry it on. */
static void cut_short(const char *text, const char *code) {
  char src[256];
  snprintf(src, sizeof src, "x {\n  k %s\n  j 1\n}\n", text);
  chg_ctx *ctx = parse_only(src);
  if (chg_error_count(ctx) != 1) dump(ctx);
  assert_int_equal(chg_error_count(ctx), 1);
  chg_diag_view d = find_code(ctx, code);
  assert_int_equal(d.line, 2);
  assert_int_equal(d.column, 5);
  assert_non_null(strstr(d.message, text));
  chg_node *k = attr_of(first_block(ctx), "k");
  assert_non_null(k);
  assert_int_equal(k->nargs, 1);
  assert_int_equal(chg_node_args(k)[0].kind, CHG_V_NONE);
  chg_node *j = attr_of(first_block(ctx), "j");
  assert_non_null(j);
  assert_int_equal(j->nargs, 1);
  assert_int_equal(chg_node_args(j)[0].kind, CHG_V_NUMBER);
  chg_free(ctx);
}

static void test_literals_cut_short(void **state) {
  (void)state;
  cut_short("2022-", "CHG0109");
  cut_short("2022-01-", "CHG0109");
  cut_short("22-08-", "CHG0109");
  cut_short("2022-01-01-", "CHG0109");
  cut_short("2022-Q", "CHG0110");
  cut_short("2022-Q12", "CHG0110");
  cut_short("\xC2\xA3" "1.", "CHG0108");
  cut_short("\xC2\xA3" "1.m", "CHG0108");
  cut_short("12.", "CHG0112");
  cut_short("12.%", "CHG0112");
  /* `..` after the digits is a range, not a point */
  lex_error("\xC2\xA3" "1..\xC2\xA3" "2", "CHG0206");
  lex_error("1..5", "CHG0206");
  {
    LEX_OK("2022-01..2022-03", CHG_V_RANGE);
    chg_free(ctx);
  }
  {
    /* a year with a space before `-` is a number, then a negative number */
    chg_ctx *ctx = parse_only("x {\n  k 2022 -1\n}\n");
    assert_int_equal(chg_error_count(ctx), 0);
    chg_node *k = attr_of(first_block(ctx), "k");
    assert_int_equal(k->nargs, 2);
    assert_int_equal(chg_node_args(k)[1].u.m, -1);
    chg_free(ctx);
  }
}

static void test_strings(void **state) {
  (void)state;
  {
    LEX_OK("\"Corporate Real Estate\"", CHG_V_STRING);
    assert_string_equal(v.u.s, "Corporate Real Estate");
    chg_free(ctx);
  }
  {
    LEX_OK("\"a \\\"b\\\" \\\\ \\n\\t\\u{2019}\"", CHG_V_STRING);
    assert_string_equal(v.u.s, "a \"b\" \\ \n\t\xE2\x80\x99");
    chg_free(ctx);
  }
  {
    LEX_OK("\"Met\xE2\x80\x99s \xC2\xA3\"", CHG_V_STRING); /* UTF-8 passes */
    chg_free(ctx);
  }
  /* an escape is reported where it stands in the string */
  lex_error_at("\"bad \\q\"", "CHG0105", 10);
  lex_error_at("\"bad \\u{D800}\"", "CHG0105", 10);
  lex_error_at("\"bad \\u{110000}\"", "CHG0105", 10);
  lex_error_at("\"bad \\u2019\"", "CHG0105", 10);
  lex_error("\"never closed", "CHG0104");
}

static void test_long_strings(void **state) {
  (void)state;
  chg_ctx *ctx = parse_only("x {\n"
                            "  k \"\"\"\n"
                            "      First line\n"
                            "        indented more\n"
                            "\n"
                            "      last line\n"
                            "      \"\"\"\n"
                            "}\n");
  assert_int_equal(chg_error_count(ctx), 0);
  chg_node *a = attr_of(first_block(ctx), "k");
  assert_string_equal(chg_node_args(a)[0].u.s,
                      "First line\n  indented more\n\nlast line");
  chg_free(ctx);
  /* text on the opening line: the lines below share their indentation
   * without it */
  ctx = parse_only("x {\n"
                   "  k \"\"\"Text on the opening line\n"
                   "      next line\n"
                   "        indented more\n"
                   "      \"\"\"\n"
                   "}\n");
  assert_int_equal(chg_error_count(ctx), 0);
  assert_string_equal(chg_node_args(attr_of(first_block(ctx), "k"))[0].u.s,
                      "Text on the opening line\nnext line\n  indented more");
  chg_free(ctx);
  /* a line of white space alone is blank, whatever it holds */
  ctx = parse_only("x {\n"
                   "  k \"\"\"\n"
                   "    x\n"
                   "      \n"
                   "\t\n"
                   "    y\n"
                   "    \"\"\"\n"
                   "}\n");
  assert_int_equal(chg_error_count(ctx), 0);
  assert_string_equal(chg_node_args(attr_of(first_block(ctx), "k"))[0].u.s, "x\n\n\ny");
  chg_free(ctx);
  ctx = parse_only("x { k \"\"\"one line\"\"\" }\n");
  assert_int_equal(chg_error_count(ctx), 0);
  assert_string_equal(chg_node_args(attr_of(first_block(ctx), "k"))[0].u.s, "one line");
  chg_free(ctx);
  ctx = parse_only("x {\n  k \"\"\"\n never closed\n}\n");
  assert_int_equal(count_code(ctx, "CHG0106"), 1);
  assert_int_equal(find_code(ctx, "CHG0106").line, 2);
  chg_free(ctx);
}

/* `""` for `"""`, closed by two quotes or three: one error, the text kept;
 * before a block, `""` is the empty string it says. */
static void test_long_string_opened_with_two_quotes(void **state) {
  (void)state;
  const char *closers[] = {"\"\"", "\"\"\""};
  for (int i = 0; i < 2; i++) {
    char text[256];
    snprintf(text, sizeof text,
             "x {\n  k \"\"\n    First line,\n    \"quoted\" \"\" and last.\n  %s\n  j 1\n}\n",
             closers[i]);
    chg_ctx *ctx = parse_only(text);
    assert_int_equal(chg_error_count(ctx), 1);
    assert_int_equal(find_code(ctx, "CHG0106").line, 2);
    assert_string_equal(chg_node_args(attr_of(first_block(ctx), "k"))[0].u.s,
                        "First line,\n\"quoted\" \"\" and last.");
    assert_non_null(attr_of(first_block(ctx), "j"));
    chg_free(ctx);
  }
  chg_ctx *ctx = parse_only("x {\n  k \"\"\n  y {\n    j 1\n  }\n  \"\"\n}\n");
  assert_int_equal(count_code(ctx, "CHG0106"), 0);
  assert_string_equal(chg_node_args(attr_of(first_block(ctx), "k"))[0].u.s, "");
  chg_free(ctx);
}

static void test_identifiers_lists_references(void **state) {
  (void)state;
  {
    LEX_OK("drm.cre", CHG_V_NAME);
    assert_int_equal(chg_path_len(&v), 2);
    assert_string_equal(chg_path_name(&v, 0), "drm");
    assert_string_equal(chg_path_name(&v, 1), "cre");
    chg_free(ctx);
  }
  {
    LEX_OK("[ict, national]", CHG_V_LIST);
    assert_int_equal(chg_list_len(&v), 2);
    assert_string_equal(chg_path_name(&v.u.items[1], 0), "national");
    chg_free(ctx);
  }
  {
    LEX_OK("[\n  a,\n  b,\n]", CHG_V_LIST); /* newlines inside brackets */
    assert_int_equal(chg_list_len(&v), 2);
    chg_free(ctx);
  }
  {
    LEX_OK("DoR", CHG_V_NAME);
    assert_string_equal(chg_path_name(&v, 0), "DoR");
    chg_free(ctx);
  }
  {
    LEX_OK("true", CHG_V_BOOL);
    assert_true(v.u.b);
    chg_free(ctx);
  }
}

static void test_encoding(void **state) {
  (void)state;
  const char bad_utf8[] = "x { k \"a\xff\" }\n";
  chg_ctx *ctx = parse_only(bad_utf8);
  assert_int_equal(count_code(ctx, "CHG0101"), 1);
  assert_int_equal(find_code(ctx, "CHG0101").column, 9);
  chg_free(ctx);
  const char overlong[] = "x { k \"\xC0\xAF\" }\n";
  ctx = parse_only(overlong);
  assert_int_equal(count_code(ctx, "CHG0101"), 1);
  chg_free(ctx);
  const char with_nul[] = "x { k 1 }\n\0\n";
  ctx = test_ctx();
  chg_add_source(ctx, "t.chg", with_nul, sizeof with_nul - 1);
  assert_int_equal(count_code(ctx, "CHG0102"), 1);
  assert_int_equal(find_code(ctx, "CHG0102").line, 2);
  chg_free(ctx);
  /* columns count code points: `?` after "£1 " is column 10, not 11 */
  ctx = parse_only("x { k \xC2\xA3" "1 ? }\n");
  assert_int_equal(find_code(ctx, "CHG0103").column, 10);
  chg_free(ctx);
}

static void test_comments_are_kept(void **state) {
  (void)state;
  chg_ctx *ctx = parse_only("# top\nx { # after brace\n  k 1 # trailing\n}\n");
  assert_int_equal(chg_error_count(ctx), 0);
  chg_file *f = ctx->files[1];
  assert_int_equal(f->ncomments, 3);
  assert_int_equal(f->comments[0].start, 0);
  assert_int_equal(f->comments[0].end, 5);
  chg_free(ctx);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_numbers),
      cmocka_unit_test(test_money),
      cmocka_unit_test(test_percent),
      cmocka_unit_test(test_dates_and_periods),
      cmocka_unit_test(test_ranges),
      cmocka_unit_test(test_literals_cut_short),
      cmocka_unit_test(test_strings),
      cmocka_unit_test(test_long_strings),
      cmocka_unit_test(test_long_string_opened_with_two_quotes),
      cmocka_unit_test(test_identifiers_lists_references),
      cmocka_unit_test(test_encoding),
      cmocka_unit_test(test_comments_are_kept),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
