/* The grammar: structure, spans, newlines, recovery, limits. */
#include "testutil.h"

static void test_structure_and_spans(void **state) {
  (void)state;
  const char *src = "use std.rag\n"
                    "programme drm \"Developing Resource Management\" {\n"
                    "  unit DoR\n"
                    "  status overall green \"On track\"\n"
                    "  workstream cre \"Corporate Real Estate\" {\n"
                    "    milestone exits { baseline 2011-03-31; progress 92% }\n"
                    "  }\n"
                    "}\n"
                    "unit DoR \"Directorate of Resources\"\n";
  chg_ctx *ctx = parse_only(src);
  assert_int_equal(chg_error_count(ctx), 0);
  chg_node *use = first_block(ctx);
  assert_int_equal(use->kind, CHG_N_USE);
  assert_int_equal(chg_path_len(&chg_node_args(use)[0]), 2);
  chg_node *drm = use->next;
  assert_int_equal(drm->kind, CHG_N_BLOCK);
  assert_string_equal(drm->key, "programme");
  /* the span of a block runs from its kind to its closing brace */
  assert_int_equal(drm->span.start, 12);
  assert_int_equal(src[drm->span.end - 1], '}');
  chg_node *status = attr_of(drm, "status");
  assert_non_null(status);
  assert_int_equal(status->nargs, 3);
  assert_memory_equal(src + status->span.start, "status overall green \"On track\"",
                      status->span.end - status->span.start);
  chg_node *cre = status->next;
  assert_int_equal(cre->kind, CHG_N_BLOCK);
  assert_ptr_equal(cre->parent, drm);
  chg_node *ms = cre->items;
  assert_int_equal(ms->kind, CHG_N_BLOCK);
  assert_non_null(attr_of(ms, "baseline"));
  assert_non_null(attr_of(ms, "progress"));
  chg_node *unit = drm->next;
  assert_int_equal(unit->kind, CHG_N_ATTR); /* a braceless top-level block, before the schema */
  chg_free(ctx);
}

static void test_series(void **state) {
  (void)state;
  chg_ctx *ctx = parse_only(
      "saving recruitment {\n"
      "  money  2011/12: -£8.2m, 2012/13: -£10.6m,\n"
      "         2013/14: -£10.6m\n"
      "  posts  officers 2011/12: -308, 2012/13: -265\n"
      "}\n");
  assert_int_equal(chg_error_count(ctx), 0);
  chg_node *money = attr_of(first_block(ctx), "money");
  assert_int_equal(money->nargs, 0);
  assert_int_equal(money->nseries, 3); /* a comma carries the series on */
  assert_int_equal(chg_node_series(money)[2].key.u.fy, 2013);
  assert_int_equal(chg_node_series(money)[2].value.u.pence, -1060000000);
  chg_node *posts = attr_of(first_block(ctx), "posts");
  assert_int_equal(posts->nargs, 1);
  assert_string_equal(chg_path_name(&chg_node_args(posts)[0], 0), "officers");
  assert_int_equal(posts->nseries, 2);
  chg_free(ctx);
}

static void test_expressions(void **state) {
  (void)state;
  chg_ctx *ctx = parse_only(
      "rule r {\n"
      "  when score >= 15 and\n"
      "       category in [ops, people] or not (impact < 2)\n"
      "}\n"
      "claim c { expect pct(recommendation where status == output_produced) > 95% }\n"
      "claim d { expect sum(saving.money[2012/13]) == -£153.5m; source \"x\" }\n");
  assert_int_equal(chg_error_count(ctx), 0);
  chg_node *when = attr_of(first_block(ctx), "when");
  assert_non_null(chg_node_expr(when));
  assert_int_equal(chg_node_expr(when)->op, CHG_X_OR); /* and binds tighter */
  assert_int_equal(chg_node_expr(when)->a->op, CHG_X_AND);
  assert_int_equal(chg_node_expr(when)->b->op, CHG_X_NOT);
  chg_node *claim = first_block(ctx)->next;
  chg_expr *e = chg_node_expr(attr_of(claim, "expect"));
  assert_int_equal(e->op, CHG_X_GT);
  assert_int_equal(e->a->op, CHG_X_CALL);
  assert_string_equal(e->a->fn, "pct");
  assert_int_equal(e->a->args[0]->op, CHG_X_WHERE);
  chg_node *claim2 = claim->next;
  chg_expr *sum = chg_node_expr(attr_of(claim2, "expect"))->a;
  assert_int_equal(sum->args[0]->op, CHG_X_INDEX);
  assert_int_equal(sum->args[0]->b->value.kind, CHG_V_FY);
  assert_non_null(attr_of(claim2, "source")); /* `;` ends the expression */
  chg_free(ctx);
}

static void test_division_needs_spaces(void **state) {
  (void)state;
  chg_ctx *ctx = parse_only("claim c { expect 2011/12 == 2011/12 }\n"
                            "claim d { expect 10 / 4 > 2 }\n");
  assert_int_equal(chg_error_count(ctx), 0);
  chg_expr *e = chg_node_expr(attr_of(first_block(ctx), "expect"));
  assert_int_equal(e->a->value.kind, CHG_V_FY);
  chg_expr *d = chg_node_expr(attr_of(first_block(ctx)->next, "expect"));
  assert_int_equal(d->a->op, CHG_X_DIV);
  chg_free(ctx);
}

/* `-` with spaces, or inside an expression, still subtracts; only a date
 * cut short (`2022-`) is a malformed date. */
static void test_minus_still_subtracts(void **state) {
  (void)state;
  chg_ctx *ctx = parse_only("rule r { when start - 30 < as_of\n"
                            "  expect 2022 - 1 == 2021 }\n"
                            "rule s { when 2022 -\n 1 > 0 }\n");
  assert_int_equal(chg_error_count(ctx), 0);
  chg_expr *e = chg_node_expr(attr_of(first_block(ctx), "when"));
  assert_int_equal(e->a->op, CHG_X_SUB);
  e = chg_node_expr(attr_of(first_block(ctx), "expect"));
  assert_int_equal(e->a->op, CHG_X_SUB);
  assert_int_equal(e->a->a->value.kind, CHG_V_NUMBER);
  /* a line ending in ` -` still goes on */
  e = chg_node_expr(attr_of(first_block(ctx)->next, "when"));
  assert_int_equal(e->op, CHG_X_GT);
  assert_int_equal(e->a->op, CHG_X_SUB);
  chg_free(ctx);
  ctx = compile(PORTFOLIO "claim c { expect 2022 - 1 == 2021 }\n");
  assert_clean(ctx);
  assert_int_equal(chg_evaluate(ctx), 0);
  chg_free(ctx);
}

/* `[]` is the empty list, in a condition as in a value. */
static void test_empty_list(void **state) {
  (void)state;
  chg_ctx *ctx = parse_only("rule r { when x in [] }\n"
                            "rule s { when x in [\n] }\n");
  assert_int_equal(chg_error_count(ctx), 0);
  for (chg_node *b = first_block(ctx); b; b = b->next) {
    chg_expr *e = chg_node_expr(attr_of(b, "when"));
    assert_int_equal(e->op, CHG_X_IN);
    assert_int_equal(e->b->op, CHG_X_LIST);
    assert_int_equal(e->b->nargs, 0);
  }
  chg_free(ctx);
  /* nothing is in it */
  ctx = compile(PORTFOLIO "claim a { expect not (5 in []) }\n"
                          "claim b { expect 5 in [] }\n");
  assert_clean(ctx);
  assert_int_equal(chg_evaluate(ctx), 1);
  assert_non_null(strstr(find_code(ctx, "CHG0601").message, "5 is not in []"));
  chg_free(ctx);
}

static void test_recovery_reports_every_error(void **state) {
  (void)state;
  chg_ctx *ctx = parse_only("programme a {\n"
                            "  unit ]\n"
                            "  sro \"ok\"\n"
                            "  budget ( \n"
                            "}\n"
                            "programme b { manager } }\n"
                            "programme c { start 2022-01-01 }\n");
  assert_int_equal(count_code(ctx, "CHG0201"), 2);
  assert_int_equal(count_code(ctx, "CHG0203"), 1);
  /* what follows the errors still parses */
  chg_node *n = first_block(ctx);
  int blocks = 0;
  for (; n; n = n->next) blocks++;
  assert_int_equal(blocks, 3);
  chg_free(ctx);
}

static void test_unclosed_block(void **state) {
  (void)state;
  chg_ctx *ctx = parse_only("programme a {\n  unit x\n  project b {\n    sro \"s\"\n");
  assert_int_equal(chg_error_count(ctx), 1);
  chg_diag_view d = find_code(ctx, "CHG0202");
  assert_non_null(strstr(d.message, "project `b` opened at line 3"));
  /* the blocks are kept, closed, so their contents are still checked */
  chg_node *a = first_block(ctx);
  assert_non_null(a);
  assert_int_equal(a->kind, CHG_N_BLOCK);
  assert_non_null(attr_of(a->items->next, "sro"));
  chg_free(ctx);
}

static void test_nesting_limit(void **state) {
  (void)state;
  size_t n = 100000;
  char *src = malloc(n * 2 + 1);
  for (size_t i = 0; i < n; i++) {
    src[i] = '{';
    src[n + i] = '}';
  }
  src[2 * n] = '\0';
  memcpy(src, "x ", 2);
  chg_ctx *ctx = parse_only(src);
  assert_int_equal(count_code(ctx, "CHG0204"), 1);
  chg_free(ctx);
  /* brackets and negations deep enough to exhaust the parser's stack */
  for (size_t i = 0; i < n; i++) src[i] = '(';
  memcpy(src, "rule r { when ", 14);
  src[n] = '\0';
  ctx = parse_only(src);
  assert_true(count_code(ctx, "CHG0204") >= 1);
  chg_free(ctx);
  memcpy(src, "rule r { when ", 14);
  for (size_t i = 14; i + 4 < n; i += 4) memcpy(src + i, "not ", 4);
  src[n] = '\0';
  ctx = parse_only(src);
  assert_true(count_code(ctx, "CHG0204") >= 1);
  chg_free(ctx);
  free(src);
}

static void test_reentrant(void **state) {
  (void)state;
  /* two compilations side by side do not disturb each other */
  chg_ctx *a = test_ctx(), *b = test_ctx();
  chg_add_source(a, "a.chg", "unit x \"X\"\n", 11);
  chg_add_source(b, "b.chg", "unit y {\n", 9);
  assert_int_equal(chg_error_count(a), 0);
  assert_int_equal(chg_error_count(b), 1);
  assert_string_equal(first_block(a)->key, "unit");
  chg_free(a);
  chg_free(b);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_structure_and_spans),
      cmocka_unit_test(test_series),
      cmocka_unit_test(test_expressions),
      cmocka_unit_test(test_division_needs_spaces),
      cmocka_unit_test(test_minus_still_subtracts),
      cmocka_unit_test(test_empty_list),
      cmocka_unit_test(test_recovery_reports_every_error),
      cmocka_unit_test(test_unclosed_block),
      cmocka_unit_test(test_nesting_limit),
      cmocka_unit_test(test_reentrant),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
