/* Evaluation: every computation, with its edge cases. */
#include "eval.h"
#include "report.h"
#include "testutil.h"

static chg_eval *evaluate(const char *src) {
  chg_ctx *ctx = compile(src);
  if (chg_error_count(ctx)) dump(ctx);
  assert_int_equal(chg_error_count(ctx), 0);
  return chg_eval_run(ctx, INT32_MIN);
}

static chg_node *block(chg_eval *ev, const char *id) {
  for (size_t i = 0; i < ev->ctx->blocks.len; i++) {
    chg_node *b = ev->ctx->blocks.items[i];
    if (chg_block_id(b) && strcmp(chg_block_id(b), id) == 0) return b;
  }
  fail_msg("no block %s", id);
  return NULL;
}

static chg_table *section(chg_eval *ev, const char *name) {
  const char *names[] = {name};
  chg_report *r = chg_report_build(ev, names, 1);
  assert_int_equal(r->ntables, 1);
  return r->tables[0];
}

/* The row whose first cell reads `first`. */
static size_t row_of(chg_table *t, const char *first) {
  char buf[256];
  for (size_t r = 0; r < t->nrows; r++) {
    chg_cell_text(chg_table_cell(t, r, 0), buf, sizeof buf, true);
    if (strcmp(buf, first) == 0) return r;
  }
  fail_msg("no row %s in %s", first, t->name);
  return 0;
}

/* The column named `name`: a test that reads a cell by its column's
 * place would break each time a column is added before it. */
static size_t column_of(chg_table *t, const char *name) {
  for (size_t c = 0; c < t->ncols; c++)
    if (strcmp(t->cols[c].name, name) == 0) return c;
  fail_msg("no column %s in %s", name, t->name);
  return 0;
}

static void test_2011_savings_totals(void **state) {
  (void)state;
  chg_ctx *ctx = test_ctx();
  assert_int_equal(chg_add_path(ctx, "examples/mps_2011"), 0);
  assert_int_equal(chg_evaluate(ctx), 0);
  chg_eval *ev = ctx->eval;
  chg_table *t = section(ev, "savings-totals");
  size_t money = row_of(t, "Total change in spend");
  const int64_t spend[] = {-8570000000LL, -15350000000LL, -18390000000LL};
  const int64_t gap[] = {0, 9280000000LL, 17430000000LL};
  size_t g = row_of(t, "Remaining budget gap");
  for (int k = 0; k < 3; k++) {
    assert_int_equal(chg_table_cell(t, money, 1 + k)->u.pence, spend[k]);
    assert_int_equal(chg_table_cell(t, g, 1 + k)->u.pence, gap[k]);
  }
  const char *cats[] = {"Posts: officers", "Posts: staff", "Posts: PCSOs"};
  const int64_t posts[3][3] = {{-783, -1009, -1119}, {-663, -954, -1025}, {-100, -200, -200}};
  for (int c = 0; c < 3; c++) {
    size_t row = row_of(t, cats[c]);
    for (int k = 0; k < 3; k++) assert_int_equal(chg_table_cell(t, row, 1 + k)->u.count, posts[c][k]);
  }
  char buf[64];
  chg_cell_text(chg_table_cell(t, money, 2), buf, sizeof buf, false);
  assert_string_equal(buf, "\xE2\x88\x92£153.5m");
  chg_cell_text(chg_table_cell(t, g, 1), buf, sizeof buf, false);
  assert_string_equal(buf, "£0.0m");
  chg_free(ctx);
}

static void test_calam_claim_is_false(void **state) {
  (void)state;
  chg_ctx *ctx = test_ctx();
  assert_int_equal(chg_add_path(ctx, "tests/claims/calam_over_95.chg"), 0);
  assert_int_equal(chg_evaluate(ctx), 1);
  chg_diag_view d = find_code(ctx, "CHG0601");
  assert_non_null(strstr(d.message, "is 93.75% (30 of 32), not over 95%"));
  chg_eval *ev = ctx->eval;
  size_t holding = 0;
  for (size_t i = 0; i < ev->nclaims; i++) holding += ev->claims_out[i].holds;
  assert_int_equal(holding, ev->nclaims - 1);
  chg_free(ctx);
}

static void test_overload_and_clash(void **state) {
  (void)state;
  chg_eval *ev = evaluate(
      "use std.change\n"
      "portfolio p { as_of 2022-07-04; capacity 4 }\n"
      "unit bcu \"Frontline BCUs\" { capacity 3 }\n"
      "unit ld \"Learning\"\n"
      "programme connect { unit bcu\n"
      "  milestone drop1 { baseline 2022-11-15; go_live true\n"
      "    impact { unit bcu; level high; period 2022-10..2022-12 } } }\n"
      "project cc { unit bcu\n"
      "  milestone live { baseline 2022-11-30; go_live true }\n"
      "  impact { unit bcu; level 2; period 2022-11 } }\n"
      "project lms { unit ld\n"
      "  impact { unit ld; level 4; period 2022-08 } }\n");
  chg_table *t = section(ev, "change-conflicts");
  /* BCU in November: 3 + 2 = 5 over capacity 3, and two go-lives */
  assert_int_equal(t->nrows, 2);
  char buf[128];
  chg_cell_text(chg_table_cell(t, 0, 1), buf, sizeof buf, true);
  assert_string_equal(buf, "2022-11");
  chg_cell_text(chg_table_cell(t, 0, 2), buf, sizeof buf, true);
  assert_string_equal(buf, "change overload");
  assert_int_equal(chg_dec_cmp(chg_table_cell(t, 0, 3)->u.num, chg_dec_from_int(5)), 0);
  chg_cell_text(chg_table_cell(t, 1, 2), buf, sizeof buf, true);
  assert_string_equal(buf, "sequencing clash");
  chg_cell_text(chg_table_cell(t, 1, 5), buf, sizeof buf, true);
  assert_non_null(strstr(buf, "connect.drop1 and cc.live"));
  /* LD takes 4 in August: not over the portfolio's default of 4 */
  chg_table *h = section(ev, "heatmap");
  size_t ld = row_of(h, "ld");
  chg_cell_text(chg_table_cell(h, ld, column_of(h, "capacity")), buf, sizeof buf, true);
  assert_string_equal(buf, "4");
  chg_free(ev->ctx);
}

/* More go-lives than impacts, the room made for their notes at first:
 * every one is noted in the heatmap, none lost as the room grows. */
static void test_go_lives_past_the_notes_reserved(void **state) {
  (void)state;
  char src[8192];
  int n = snprintf(src, sizeof src,
                   "use std.change\n"
                   "portfolio p { as_of 2022-07-04 }\n"
                   "unit u \"Unit\" { capacity 3 }\n"
                   "project w { unit u\n"
                   "  impact { unit u; level 1; period 2022-11 }\n");
  for (int i = 1; i <= 40; i++)
    n += snprintf(src + n, sizeof src - (size_t)n,
                  "  milestone m%d { baseline 2022-11-%02d; go_live true }\n", i, i % 28 + 1);
  snprintf(src + n, sizeof src - (size_t)n, "}\n");
  chg_eval *ev = evaluate(src);
  unsigned most = 0, load = 0;
  for (size_t i = 0; i < ev->ncells; i++) {
    if (ev->cells[i].go_lives > most) most = ev->cells[i].go_lives;
    load += ev->cells[i].impacts;
  }
  assert_int_equal(most, 40);
  assert_int_equal(load, 1);
  chg_free(ev->ctx);
}

static void test_no_requirement_and_empty(void **state) {
  (void)state;
  chg_eval *ev = evaluate(PORTFOLIO "saving s { money 2022/23: -£1m }\n");
  chg_table *t = section(ev, "savings-totals");
  assert_int_equal(t->nrows, 1); /* spend only: no requirement, no gap */
  chg_free(ev->ctx);
  ev = evaluate(PORTFOLIO);
  chg_report *r = chg_report_build(ev, NULL, 0);
  assert_int_equal(r->ntables, 1); /* the summary alone */
  assert_string_equal(r->tables[0]->name, "summary");
  chg_free(ev->ctx);
}

static void test_financial_years(void **state) {
  (void)state;
  chg_eval *ev = evaluate("portfolio p { as_of 2022-06-30 }\n"
                          "saving s { money 2022-03: -£1m, 2022-04: -£2m, 2023-03: -£4m }\n");
  assert_int_equal(ev->year_start, 4);
  assert_int_equal(ev->nfys, 2);
  assert_int_equal(ev->fys[0], 2021); /* March 2022 is in 2021/22 */
  assert_int_equal(ev->fys[1], 2022);
  chg_table *t = section(ev, "savings");
  assert_int_equal(chg_table_cell(t, 0, 3)->u.pence, -100000000);
  assert_int_equal(chg_table_cell(t, 0, 4)->u.pence, -600000000);
  chg_free(ev->ctx);
  ev = evaluate("portfolio p { as_of 2022-06-30; year_start january }\n"
                "saving s { money 2022-03: -£1m, 2022-04: -£2m }\n");
  assert_int_equal(ev->nfys, 1); /* both in the calendar year 2022 */
  assert_int_equal(chg_fy_of_day(ev, chg_days_from_civil(2022, 12, 31)), 2022);
  chg_free(ev->ctx);
  ev = evaluate("portfolio p { as_of 2022-06-30; year_start july }\n");
  assert_int_equal(chg_fy_of_day(ev, chg_days_from_civil(2022, 6, 30)), 2021);
  assert_int_equal(chg_fy_of_day(ev, chg_days_from_civil(2022, 7, 1)), 2022);
  chg_value fy = {.kind = CHG_V_FY, .u.fy = 2022};
  int32_t first, last;
  chg_period_days(ev, &fy, &first, &last);
  assert_int_equal(first, chg_days_from_civil(2022, 7, 1));
  assert_int_equal(last, chg_days_from_civil(2023, 6, 30));
  chg_free(ev->ctx);
}

static void test_milestones(void **state) {
  (void)state;
  chg_eval *ev = evaluate(
      "portfolio p { as_of 2024-03-10 }\n"
      "programme a {\n"
      "  milestone leap { baseline 2024-02-28; forecast 2024-03-01 }\n"  /* 2 days: 2024 is leap */
      "  milestone plain { baseline 2023-02-28; actual 2023-03-01 }\n"   /* 1 day */
      "  milestone late { baseline 2024-03-01 }\n"                        /* no forecast: overdue */
      "  milestone future { baseline 2024-04-01 }\n"
      "  milestone complete { baseline 2024-01-01; progress 100% }\n"
      "  milestone early { baseline 2024-05-01; forecast 2024-04-20 }\n"
      "}\n");
  chg_entity *e = chg_entity_of(ev, block(ev, "leap"));
  assert_true(e->has_slip);
  assert_int_equal(e->slip_days, 2);
  assert_true(e->overdue); /* forecast 1 March, before 10 March, not done */
  e = chg_entity_of(ev, block(ev, "plain"));
  assert_int_equal(e->slip_days, 1);
  assert_true(e->done);
  e = chg_entity_of(ev, block(ev, "late"));
  assert_false(e->has_slip);
  assert_true(e->overdue);
  assert_false(chg_entity_of(ev, block(ev, "future"))->overdue);
  assert_false(chg_entity_of(ev, block(ev, "complete"))->overdue);
  assert_int_equal(chg_entity_of(ev, block(ev, "early"))->slip_days, -11);
  chg_entity *a = chg_entity_of(ev, block(ev, "a"));
  assert_true(a->slipping);
  assert_int_equal(a->max_slip_days, 2);
  chg_free(ev->ctx);
}

static void test_leap_day_overdue(void **state) {
  (void)state;
  /* as_of on a leap day: a milestone due that day is not yet overdue */
  chg_eval *ev = evaluate("portfolio p { as_of 2024-02-29 }\n"
                          "programme a { milestone m { baseline 2024-02-29 }\n"
                          "  milestone n { baseline 2024-02-28 } }\n");
  assert_false(chg_entity_of(ev, block(ev, "m"))->overdue);
  assert_true(chg_entity_of(ev, block(ev, "n"))->overdue);
  chg_free(ev->ctx);
}

static void test_status_roll_up(void **state) {
  (void)state;
  chg_eval *ev = evaluate("use std.rag\nuse std.dca\n" PORTFOLIO
                          "programme pg { status overall green; status risks amber\n"
                          "  project q { status overall red; confidence amber_red }\n"
                          "  project r { status overall green } }\n"
                          "programme s { }\n");
  assert_int_equal(chg_entity_of(ev, block(ev, "q"))->status, 0);
  assert_int_equal(chg_entity_of(ev, block(ev, "pg"))->own_status, 1); /* amber */
  assert_int_equal(chg_entity_of(ev, block(ev, "pg"))->status, 0);     /* red from q */
  assert_int_equal(chg_entity_of(ev, block(ev, "r"))->status, 2);
  assert_int_equal(chg_entity_of(ev, block(ev, "s"))->status, -1);
  chg_table *c = section(ev, "confidence");
  assert_int_equal(c->nrows, 7); /* five levels, the assessed, the rest */
  assert_int_equal(chg_table_cell(c, 1, 1)->u.count, 1); /* amber_red */
  assert_int_equal(chg_dec_cmp(chg_table_cell(c, 1, 2)->u.num, chg_dec_from_int(1)), 0);
  assert_string_equal(chg_table_cell(c, 5, 0)->u.text, "Total assessed");
  assert_int_equal(chg_table_cell(c, 5, 1)->u.count, 1);
  assert_string_equal(chg_table_cell(c, 6, 0)->u.text, "Not assessed");
  assert_int_equal(chg_table_cell(c, 6, 1)->u.count, 3); /* pg, r, s */
  assert_int_equal(chg_table_cell(c, 6, 2)->kind, CHG_CELL_EMPTY);
  chg_free(ev->ctx);
}

static void test_risks_and_rules(void **state) {
  (void)state;
  chg_eval *ev = evaluate(
      "use std.risk5x5\nuse std.escalation\n" PORTFOLIO
      "programme a {\n"
      "  risk r1 { likelihood 4; impact 5 }\n"         /* 20: critical, board */
      "  risk r2 { likelihood likely; impact major }\n" /* 4 x 4 = 16: high */
      "  risk r3 { likelihood 1; impact 2 }\n"         /* 2: low, no rule */
      "}\n"
      "rule watch { on risk; when score >= 10; escalate programme }\n"
      "rule many { on programme; when count(risk where score >= 12) >= 2;\n"
      "  flag warning \"two or more high risks\" }\n");
  chg_entity *r1 = chg_entity_of(ev, block(ev, "r1"));
  assert_int_equal(chg_risk_score(r1), 20);
  assert_string_equal(ev->band->levels[r1->band], "critical");
  /* std's rule says board, ours says programme: the most senior wins */
  assert_string_equal(ev->escalation->levels[r1->escalation->level], "board");
  chg_entity *r2 = chg_entity_of(ev, block(ev, "r2"));
  assert_int_equal(r2->likelihood, 4);
  assert_int_equal(r2->impact, 4);
  assert_string_equal(ev->band->levels[r2->band], "high");
  assert_string_equal(ev->escalation->levels[r2->escalation->level], "portfolio");
  chg_entity *r3 = chg_entity_of(ev, block(ev, "r3"));
  assert_string_equal(ev->band->levels[r3->band], "low");
  assert_null(r3->escalation);
  size_t flags = 0;
  for (chg_decision *d = ev->decisions; d; d = d->next) flags += d->level < 0;
  assert_int_equal(flags, 1);
  chg_free(ev->ctx);
}

/* Rules are tried entity by entity, but what they decide is recorded rule
 * by rule, each rule's decisions in source order, as if every rule ran
 * over every entity in turn; and the most senior escalation wins whatever
 * the order the rules are written in. */
static void test_rule_decisions_in_rule_order(void **state) {
  (void)state;
  chg_eval *ev = evaluate(
      PORTFOLIO
      "scale escalation \"Escalation\" { level board; level programme; level project }\n"
      "programme a {\n"
      "  milestone m1 { baseline 2021-01-01; forecast 2021-03-01 }\n"
      "  risk r1 { likelihood 4; impact 5 }\n"
      "  risk r2 { likelihood 2; impact 2 }\n"
      "}\n"
      "rule low { on risk; when likelihood >= 2; escalate project }\n"
      "rule slip { on milestone; when slip_days > 0; flag warning \"late\" }\n"
      "rule high { on risk; when impact >= 5; escalate board }\n"
      "rule note { on risk; when likelihood >= 1; flag info \"seen\" }\n");
  const char *want[][2] = {{"low", "r1"}, {"low", "r2"}, {"slip", "m1"},
                           {"high", "r1"}, {"note", "r1"}, {"note", "r2"}};
  size_t n = 0;
  for (chg_decision *d = ev->decisions; d; d = d->next, n++) {
    assert_true(n < 6);
    char source[32];
    snprintf(source, sizeof source, "rule `%s`", want[n][0]);
    assert_string_equal(d->by->source, source);
    assert_string_equal(chg_block_id(d->entity), want[n][1]);
  }
  assert_int_equal(n, 6);
  assert_int_equal(ev->ndecisions, 6);
  chg_entity *r1 = chg_entity_of(ev, block(ev, "r1"));
  assert_string_equal(ev->escalation->levels[r1->escalation->level], "board");
  chg_entity *r2 = chg_entity_of(ev, block(ev, "r2"));
  assert_string_equal(ev->escalation->levels[r2->escalation->level], "project");
  chg_free(ev->ctx);
}

/* A likelihood or impact scale may have more than five levels: the score
 * is still the product, however large. */
static void test_risk_scales_of_many_levels(void **state) {
  (void)state;
  chg_buf src = {0};
  const chg_allocator *al = &chg_default_allocator;
  const char *head = PORTFOLIO "scale likelihood \"L\" {";
  chg_buf_put(al, &src, head, strlen(head));
  for (int k = 300; k >= 1; k--) {
    char level[32];
    snprintf(level, sizeof level, " level l%d;", k);
    chg_buf_put(al, &src, level, strlen(level));
  }
  const char *tail = " }\nscale impact \"I\" { level huge; level small }\n"
                     "programme a { risk r { likelihood l300; impact huge } }\n"
                     "claim big \"Scores add up\" { expect sum(risk.score) == 600 }\n";
  chg_buf_put(al, &src, tail, strlen(tail) + 1);
  chg_eval *ev = evaluate(src.data);
  chg_entity *r = chg_entity_of(ev, block(ev, "r"));
  assert_true(r->scored);
  assert_int_equal(r->likelihood, 300);
  assert_int_equal(r->impact, 2);
  assert_int_equal(chg_risk_score(r), 600);
  assert_int_equal(ev->nclaims, 1);
  assert_true(ev->claims_out[0].holds);
  chg_free(ev->ctx);
  chg_buf_release(al, &src);
}

static void test_benefits(void **state) {
  (void)state;
  chg_eval *ev = evaluate(
      "use std.rag\n"
      "portfolio p { as_of 2022-07-04 }\n"
      "programme ok { status overall green\n"
      "  benefit cash { type cashable; target £3m\n"
      "    profile 2020/21: £1m, 2021/22: £1m, 2022/23: £1m\n"
      "    actual  2020/21: £1m, 2021/22: £0.5m }\n"
      "  milestone live { baseline 2022-01-31; forecast 2022-03-31; go_live true }\n"
      "  benefit trained { target 25_000; actual 2022-07-04: 25_876 } }\n"
      "programme bad { status overall red\n"
      "  benefit b { target 10 } }\n");
  chg_benefit_figures f;
  chg_benefit_figures_of(ev, block(ev, "cash"), &f);
  assert_true(f.realised.money);
  assert_int_equal(f.realised.u.pence, 150000000);
  assert_int_equal(f.planned.u.pence, 200000000); /* 2022/23 has not ended */
  assert_int_equal(f.slip_value.u.pence, 50000000);
  assert_true(f.has_slip_days);
  /* behind since 2021/22 ended on 31 March 2022: 95 days before 4 July */
  assert_int_equal(f.slip_days, 95);
  assert_false(f.met);
  chg_entity *cash = chg_entity_of(ev, block(ev, "cash"));
  assert_true(cash->at_risk); /* the go-live slipped */
  chg_benefit_figures_of(ev, block(ev, "trained"), &f);
  assert_true(f.met);
  assert_true(chg_entity_of(ev, block(ev, "b"))->at_risk); /* red programme */
  chg_free(ev->ctx);
}

static void test_dependencies_and_recommendations(void **state) {
  (void)state;
  chg_eval *ev = evaluate(
      "use std.rag\nuse std.recommendations\n" PORTFOLIO
      "programme a { depends_on b high \"needs it\"; depends_on c low }\n"
      "programme b { status overall red }\n"
      "programme c { status overall red }\n"
      "recommendation r1 { theme people; status closed }\n"
      "recommendation r2 { theme people; status open }\n"
      "recommendation r3 { theme data; status closed }\n");
  chg_table *d = section(ev, "dependencies");
  assert_int_equal(d->nrows, 2);
  char buf[128];
  chg_cell_text(chg_table_cell(d, 0, 5), buf, sizeof buf, true);
  assert_string_equal(buf, "depends on red work");
  assert_int_equal(chg_table_cell(d, 1, 5)->kind, CHG_CELL_EMPTY); /* low importance */
  chg_table *r = section(ev, "recommendations");
  size_t closed = row_of(r, "Closed");
  assert_int_equal(chg_table_cell(r, closed, 1)->u.count, 2);
  chg_dec two_thirds;
  chg_dec_div(chg_dec_from_int(2), chg_dec_from_int(3), 12, &two_thirds);
  assert_int_equal(chg_dec_cmp(chg_table_cell(r, closed, 2)->u.num, two_thirds), 0);
  chg_cell_text(chg_table_cell(r, closed, 2), buf, sizeof buf, false);
  assert_string_equal(buf, "66.67%"); /* for people: rounded once */
  chg_cell_text(chg_table_cell(r, closed, 2), buf, sizeof buf, true);
  assert_string_equal(buf, "66.6666666667%"); /* for a spreadsheet: exact */
  chg_free(ev->ctx);
}

static void test_exact_arithmetic_in_claims(void **state) {
  (void)state;
  chg_ctx *ctx = compile(PORTFOLIO
                         "saving a { money 2022/23: £0.1m }\n"
                         "saving b { money 2022/23: £0.1m }\n"
                         "saving c { money 2022/23: £0.1m }\n"
                         "claim three { expect sum(saving.money[2022/23]) == £0.3m }\n"
                         "claim ratio { expect sum(saving.money) / £0.9m == 1 / 3 }\n"
                         "claim wrong { expect count(saving) > 3 }\n");
  chg_evaluate(ctx);
  assert_int_equal(count_code(ctx, "CHG0601"), 1);
  assert_non_null(strstr(find_code(ctx, "CHG0601").message, "claim `wrong` is false"));
  chg_free(ctx);
}

/* max_aggregate_steps bounds the blocks one claim's aggregates visit, and
 * five times as many in the run; a claim within it is evaluated. */
static void test_aggregate_work_is_bounded(void **state) {
  (void)state;
  const char *src = PORTFOLIO
      "programme a \"A\"\nprogramme b \"B\"\nprogramme c \"C\"\n"
      "claim within { expect count(programme) == 3 }\n"
      "claim nested { expect count(programme where count(programme where count(programme) > 0) > 0) == 3 }\n";
  chg_options o;
  memset(&o, 0, sizeof o);
  o.stdlib_dir = CHG_TEST_STDLIB;
  o.max_aggregate_steps = 10; /* 3 + 9 + 27 would be visited */
  chg_ctx *ctx = chg_new(&o);
  chg_add_source(ctx, "t.chg", src, strlen(src));
  chg_evaluate(ctx);
  assert_int_equal(count_code(ctx, "CHG0602"), 1);
  assert_non_null(strstr(find_code(ctx, "CHG0602").message, "too much work"));
  assert_int_equal(count_code(ctx, "CHG0601"), 0);
  chg_free(ctx);
  /* the default lets it through */
  ctx = compile(src);
  chg_evaluate(ctx);
  assert_int_equal(chg_error_count(ctx), 0);
  chg_free(ctx);
}

static void test_as_of_override(void **state) {
  (void)state;
  chg_ctx *ctx = compile("portfolio p { as_of 2022-01-01 }\n"
                         "programme a { milestone m { baseline 2022-06-01 } }\n");
  chg_eval *ev = chg_eval_run(ctx, chg_days_from_civil(2022, 7, 1));
  assert_true(chg_entity_of(ev, block(ev, "m"))->overdue);
  chg_free(ctx);
}

/* A table longer than a block of rows keeps every row in order: 2,500
 * projects with their budgets, read back across the block boundaries. */
static void test_long_tables_keep_every_row(void **state) {
  (void)state;
  enum { N = 2500 };
  chg_buf src = {0};
  const chg_allocator *al = &chg_default_allocator;
  const char *head = "portfolio x \"X\" { as_of 2024-01-01 }\nprogramme g \"G\" {\n";
  chg_buf_put(al, &src, head, strlen(head));
  for (int i = 0; i < N; i++) {
    char line[128];
    int n = snprintf(line, sizeof line, "  project p%d \"P%d\" { budget \u00a3%dm }\n", i, i, i + 1);
    chg_buf_put(al, &src, line, (size_t)n);
  }
  chg_buf_put(al, &src, "}\n", 3);
  chg_eval *ev = evaluate(src.data);
  chg_buf_release(al, &src);
  chg_table *t = section(ev, "programmes");
  assert_int_equal(t->nrows, N + 1);
  size_t budget = column_of(t, "budget");
  char buf[64], want[64];
  for (int i = 0; i < N; i++) {
    const chg_cell *id = chg_table_cell(t, (size_t)i + 1, 0);
    chg_cell_text(id, buf, sizeof buf, true);
    snprintf(want, sizeof want, "g.p%d", i);
    assert_string_equal(buf, want);
    assert_int_equal(chg_table_cell(t, (size_t)i + 1, budget)->u.pence, (int64_t)(i + 1) * 100000000);
  }
  chg_free(ev->ctx);
}

/* A programme's savings are the lines inside it, inside its projects and
 * workstreams, and at the top level naming any of them: the report, a
 * claim's `programme ==` and a rule's sum agree. */
static void test_savings_count_towards_the_programme(void **state) {
  (void)state;
  chg_eval *ev = evaluate(
      "portfolio p { as_of 2011-06-13 }\n"
      "programme drm \"DRM\" {\n"
      "  workstream cre \"Corporate Real Estate\" { }\n"
      "  project proc \"Procurement\" {\n"
      "    saving inner \"Procurement savings\" { money 2012/13: -\u00a35m }\n"
      "  }\n"
      "}\n"
      "programme other \"Other\" { }\n"
      "saving estate \"Estate\" { programme drm.cre; money 2012/13: -\u00a317.8m }\n"
      "saving direct \"Direct\" { programme drm; money 2012/13: -\u00a31m }\n"
      "saving elsewhere \"Elsewhere\" { programme other; money 2012/13: -\u00a32m }\n"
      "rule big \"Big savers\" { on programme; when sum(saving.money[2012/13]) <= -\u00a320m; flag info \"big\" }\n"
      "claim k { expect sum(saving.money[2012/13] where programme == drm) == -\u00a323.8m }\n");
  chg_table *t = section(ev, "savings-programmes");
  assert_int_equal(t->nrows, 2);
  size_t drm = row_of(t, "drm");
  assert_int_equal(chg_table_cell(t, drm, 2)->u.pence, -2380000000LL);
  assert_int_equal(chg_table_cell(t, row_of(t, "other"), 2)->u.pence, -200000000LL);
  t = section(ev, "savings");
  char buf[64];
  chg_cell_text(chg_table_cell(t, row_of(t, "estate"), 2), buf, sizeof buf, true);
  assert_string_equal(buf, "drm");
  t = section(ev, "flags");
  assert_int_equal(t->nrows, 1);
  assert_int_equal(row_of(t, "drm"), 0);
  assert_int_equal(count_code(ev->ctx, "CHG0601"), 0); /* the claim holds */
  chg_free(ev->ctx);

  /* posts too: two lines of one programme, and one inside it */
  ev = evaluate("portfolio p { as_of 2011-06-13 }\n"
                "programme training \"Training\" {\n"
                "  saving c \"Line C\" { posts staff 2011/12: -5 }\n"
                "}\n"
                "saving a \"Line A\" { programme training; posts officers 2011/12: -91 }\n"
                "saving b \"Line B\" { programme training; posts officers 2011/12: -100.5 }\n");
  t = section(ev, "posts-programmes");
  assert_int_equal(t->nrows, 2);
  char text[32];
  chg_cell_text(chg_table_cell(t, 0, 2), text, sizeof text, true);
  assert_string_equal(text, "staff");
  chg_cell_text(chg_table_cell(t, 1, 2), text, sizeof text, true);
  assert_string_equal(text, "officers");
  chg_cell_text(chg_table_cell(t, 1, 3), text, sizeof text, true);
  assert_string_equal(text, "-191.5");
  chg_free(ev->ctx);
}

/* A benefit meant to fall (target under baseline, or a profile adding up
 * below zero) is behind when its figures stay above the plan; a go-live
 * that is overdue puts its programme's benefits at risk. */
static void test_falling_benefits_and_overdue_go_lives(void **state) {
  (void)state;
  chg_eval *ev = evaluate(
      "portfolio p { as_of 2022-06-15 }\n"
      "benefit on_plan \"Fewer complaints\" { baseline 100; target 80\n"
      "  profile 2022-01: -10, 2022-02: -10; actual 2022-01: -10, 2022-02: -10 }\n"
      "benefit behind \"Fewer complaints\" { baseline 100; target 80\n"
      "  profile 2022-01: -10, 2022-02: -10; actual 2022-01: -10, 2022-02: 0 }\n"
      "benefit no_target \"Falling\" { profile 2022-01: -10, 2022-02: -10; actual 2022-01: -10, 2022-02: -10 }\n"
      "programme a \"A\" {\n"
      "  milestone launch { baseline 2022-01-01; go_live true }\n"
      "  benefit b \"Benefit of launch\" { target 10 }\n"
      "}\n");
  chg_benefit_figures f;
  chg_benefit_figures_of(ev, block(ev, "on_plan"), &f);
  assert_true(f.has_slip_days);
  assert_int_equal(f.slip_days, 0);
  assert_int_equal(chg_dec_cmp(f.slip_value.u.num, chg_dec_from_int(0)), 0);
  chg_benefit_figures_of(ev, block(ev, "behind"), &f);
  assert_int_equal(f.slip_days, 107); /* behind since the end of February */
  assert_int_equal(chg_dec_cmp(f.slip_value.u.num, chg_dec_from_int(10)), 0);
  chg_benefit_figures_of(ev, block(ev, "no_target"), &f);
  assert_int_equal(f.slip_days, 0);
  chg_entity *b = chg_entity_of(ev, block(ev, "b"));
  assert_true(b->at_risk);
  assert_non_null(strstr(b->at_risk_reason, "go-live `a.launch` is overdue"));
  chg_free(ev->ctx);
}

/* Recommendations without a status or theme are counted where the rows
 * can add up: a "(no status)" row and column, a "(no theme)" row. */
static void test_recommendations_add_up(void **state) {
  (void)state;
  chg_eval *ev = evaluate(
      "use std.recommendations\n"
      "portfolio p { as_of 2022-06-15 }\n"
      "recommendation r1 \"R1\" { number 1; theme governance; status closed }\n"
      "recommendation r2 \"R2\" { number 2; theme governance }\n"
      "recommendation r3 \"R3\" { number 3 }\n");
  chg_table *t = section(ev, "recommendations");
  assert_int_equal(t->nrows, 6); /* four levels, no status, total */
  assert_int_equal(chg_table_cell(t, row_of(t, "(no status)"), 1)->u.count, 2);
  assert_int_equal(chg_table_cell(t, row_of(t, "Total"), 1)->u.count, 3);
  t = section(ev, "recommendation-themes");
  assert_int_equal(t->ncols, 1 + 4 + 1 + 2);
  size_t g = row_of(t, "governance"), none = row_of(t, "(no theme)");
  assert_int_equal(chg_table_cell(t, g, 5)->u.count, 1);  /* no status */
  assert_int_equal(chg_table_cell(t, g, 6)->u.count, 2);  /* total */
  assert_int_equal(chg_table_cell(t, none, 6)->u.count, 1);
  char share[16];
  chg_cell_text(chg_table_cell(t, g, 7), share, sizeof share, false);
  assert_string_equal(share, "66.67%");
  chg_free(ev->ctx);
}

/* An id may share its name with a level or a theme: compared with a
 * level or a symbol, the name is read as that. */
static void test_ids_named_like_levels(void **state) {
  (void)state;
  chg_eval *ev = evaluate(
      "use std.rag\nuse std.recommendations\n"
      "portfolio p { as_of 2022-06-15 }\n"
      "unit leadership \"Leadership team\"\n"
      "recommendation r1 \"Leadership development\" { theme leadership; status open }\n"
      "recommendation r2 \"Other\" { theme culture; status open }\n"
      "programme green \"Green energy programme\" { status overall green }\n"
      "programme grey \"Grey\" { status overall amber }\n"
      "rule r \"On track\" { on programme; when status == green; flag info \"on track\" }\n"
      "rule s \"Leadership\" { on recommendation; when theme in [leadership, people]; flag info \"leads\" }\n"
      "claim k { expect count(recommendation where theme == leadership) == 1 }\n"
      "claim u { expect green.status == green and leadership == leadership }\n");
  assert_int_equal(count_code(ev->ctx, "CHG0601"), 0);
  chg_table *t = section(ev, "flags");
  assert_int_equal(t->nrows, 2);
  row_of(t, "green");
  row_of(t, "r1");
  chg_free(ev->ctx);
}

/* The figures of claim `id`, which must have been evaluated. */
static const char *figures_of(chg_eval *ev, const char *id) {
  for (size_t i = 0; i < ev->nclaims; i++)
    if (strcmp(chg_block_id(ev->claims_out[i].claim), id) == 0) {
      assert_false(ev->claims_out[i].failed_to_evaluate);
      return ev->claims_out[i].explanation;
    }
  fail_msg("no claim %s", id);
  return NULL;
}

static bool holds(chg_eval *ev, const char *id) {
  for (size_t i = 0; i < ev->nclaims; i++)
    if (strcmp(chg_block_id(ev->claims_out[i].claim), id) == 0)
      return ev->claims_out[i].holds && !ev->claims_out[i].failed_to_evaluate;
  fail_msg("no claim %s", id);
  return false;
}

/* Date arithmetic past what a date literal can name (years 0000 to 9999)
 * cannot be evaluated; it never wraps round to another date. */
static void test_dates_out_of_range(void **state) {
  (void)state;
  chg_ctx *ctx = compile("portfolio p { as_of 2022-06-15 }\n"
                         "claim wrap { expect as_of + 4_294_967_296 > as_of }\n"
                         "claim far { expect as_of + 100_000_000 > as_of }\n"
                         "claim back { expect as_of - 800_000 < 0001-01-01 }\n"
                         "claim huge { expect as_of + 9_223_372_036_854_775_807 > as_of }\n"
                         "claim least { expect as_of - (0 - 9_223_372_036_854_775_807 - 1) > as_of }\n"
                         "claim last { expect 9999-12-30 + 1 == 9999-12-31 and 0000-01-02 - 1 == 0000-01-01 }\n"
                         "claim past { expect 9999-12-31 + 1 > 9999-12-31 }\n"
                         "claim before { expect 0000-01-01 - 1 < 0000-01-01 }\n");
  chg_evaluate(ctx);
  assert_int_equal(count_code(ctx, "CHG0601"), 0);
  assert_int_equal(count_code(ctx, "CHG0602"), 7);
  assert_non_null(strstr(find_code(ctx, "CHG0602").message, "outside the years 0000 to 9999"));
  chg_eval *ev = ctx->eval;
  for (size_t i = 0; i < ev->nclaims; i++)
    assert_int_equal(ev->claims_out[i].failed_to_evaluate,
                     strcmp(chg_block_id(ev->claims_out[i].claim), "last") != 0);
  assert_true(holds(ev, "last"));
  chg_free(ctx);
}

/* An index covers every entry whose period falls inside it; an entry
 * coarser than the index is not part of it. */
static void test_series_index_covers_finer_entries(void **state) {
  (void)state;
  chg_eval *ev = evaluate(
      "portfolio p { as_of 2022-06-15 }\n"
      "saving m { money 2022-04: -£1m, 2022-05: -£2m, 2022-07: -£4m; posts staff 2022-05: -3, 2022-06: -4 }\n"
      "saving d { money 2022-04-10: -£1m, 2022-04-20: -£2m, 2022-05-01: -£8m }\n"
      "saving y { money 2022/23: -£1m, 2023/24: -£2m }\n"
      "saving qs { money 2022-Q2: -£2m, 2022-Q4: -£1m }\n"
      "claim q { expect m.money[2022-Q2] == -£3m and m.money[2022-Q3] == -£4m }\n"
      "claim posts { expect m.posts.staff[2022-Q2] == -7 and m.posts.staff[2022/23] == -7 }\n"
      "claim month { expect d.money[2022-04] == -£3m and d.money[2022-05] == -£8m }\n"
      "claim quarter { expect d.money[2022-Q2] == -£11m and d.money[2022/23] == -£11m }\n"
      "claim day { expect d.money[2022-04-10] == -£1m }\n"
      "claim fy { expect m.money[2022/23] == -£7m and y.money[2022/23] == -£1m }\n"
      "claim fy_q { expect qs.money[2022/23] == -£3m and qs.money[2022-Q4] == -£1m }\n"
      "claim coarse { expect y.money[2022-05] == -£1m }\n"
      "claim coarse_q { expect qs.money[2022-05] == -£2m }\n"
      "claim none { expect m.money[2022-Q1] == £0 }\n");
  const char *yes[] = {"q", "posts", "month", "quarter", "day", "fy", "fy_q"};
  for (size_t i = 0; i < sizeof yes / sizeof yes[0]; i++) {
    if (!holds(ev, yes[i])) fail_msg("claim %s: %s", yes[i], figures_of(ev, yes[i]));
  }
  assert_false(holds(ev, "coarse"));
  assert_non_null(strstr(figures_of(ev, "coarse"), "is missing"));
  assert_false(holds(ev, "coarse_q"));
  assert_non_null(strstr(figures_of(ev, "coarse_q"), "is missing"));
  assert_false(holds(ev, "none"));
  chg_free(ev->ctx);
  /* a year starting in August: months, dates and quarters fall in the
   * year their first day does, a quarter straddling two years in the
   * first (as the savings tables place it) */
  ev = evaluate("portfolio p { as_of 2022-06-15; year_start august }\n"
                "saving m { money 2022-07: -£1m, 2022-08: -£2m, 2023-07: -£4m }\n"
                "saving d { money 2022-07-31: -£1m, 2022-08-01: -£2m }\n"
                "saving q { money 2022-Q3: -£1m, 2022-Q4: -£2m }\n"
                "claim a { expect m.money[2021/22] == -£1m and m.money[2022/23] == -£6m }\n"
                "claim b { expect d.money[2021/22] == -£1m and d.money[2022/23] == -£2m }\n"
                "claim c { expect q.money[2022/23] == -£2m and q.money[2021/22] == -£1m }\n");
  assert_true(holds(ev, "a"));
  assert_true(holds(ev, "b"));
  assert_true(holds(ev, "c"));
  chg_free(ev->ctx);
}

/* The portfolio's status is the worst of its top-level work's, as the
 * summary's overall status; of one criterion with `status.CRITERION`. */
static void test_portfolio_status(void **state) {
  (void)state;
  chg_eval *ev = evaluate(
      "use std.rag\n"
      "portfolio p { as_of 2022-06-15 }\n"
      "programme a { status overall amber; status risks red\n"
      "  project x { status overall red } }\n"
      "programme b { status overall green; status risks amber }\n"
      "workstream w { status overall amber }\n"
      "claim worst { expect status == red and p.status == red }\n"
      "claim overall { expect status.overall == amber }\n"
      "claim risks { expect p.status.risks == red }\n"
      "claim none { expect status.budget == red }\n"
      "rule r { on portfolio; when status < amber; flag warning \"red\" }\n");
  assert_true(holds(ev, "worst"));
  assert_true(holds(ev, "overall"));
  assert_true(holds(ev, "risks"));
  assert_false(holds(ev, "none"));
  assert_string_equal(figures_of(ev, "worst"),
                      "`status` is Red, which is equal to Red; and `p.status` is Red, which is "
                      "equal to Red");
  chg_table *t = section(ev, "flags");
  assert_int_equal(t->nrows, 1);
  row_of(t, "p");
  chg_free(ev->ctx);
  /* no work with a status: missing, so a comparison is false */
  ev = evaluate("use std.rag\nportfolio p { as_of 2022-06-15 }\nprogramme a { }\n"
                "claim k { expect status == red or status != red }\n");
  assert_false(holds(ev, "k"));
  chg_free(ev->ctx);
}

/* A claim's figures never contradict its verdict: four places unless
 * fewer would hide a difference; a bare level is shown as its value. */
static void test_claim_figures(void **state) {
  (void)state;
  chg_eval *ev = evaluate(
      "use std.rag\nuse std.recommendations\n"
      "portfolio p { as_of 2022-06-15 }\n"
      "programme a { status overall red }\n"
      "recommendation r1 { theme leadership; status open }\n"
      "recommendation r2 { theme people; status closed }\n"
      "recommendation r3 { theme people; status closed }\n"
      "claim tiny { expect 0.000000000000000001 > 0 }\n"
      "claim third { expect 1 / 3 * 3 < 1 }\n"
      "claim four { expect 2 / 3 > 0.6 }\n"
      "claim lvl { expect a.status == red }\n"
      "claim theme { expect r1.theme == leadership }\n"
      "claim share { expect pct(recommendation where status == closed) > 66.6666666666% }\n"
      "claim round { expect pct(recommendation where status == closed) < 67% }\n"
      "claim small { expect -0.00001 < 0.5 }\n"
      "claim close { expect 0.12341 != 0.12344 }\n"
      "claim money { expect £1_000_000_000.01 > £1bn }\n");
  struct { const char *id, *figures; } want[] = {
      {"tiny", "0.000000000000000001, which is over 0"},
      {"third", "`1 / 3 * 3` is 0.999999999999, which is under 1"},
      {"four", "`2 / 3` is 0.6667, which is over 0.6"},
      {"lvl", "`a.status` is Red, which is equal to Red"},
      {"theme", "`r1.theme` is leadership, which is equal to leadership"},
      {"share", "`pct(recommendation where status == closed)` is 66.6666666667% (2 of 3), "
                "which is over 66.6666666666%"},
      {"round", "`pct(recommendation where status == closed)` is 66.67% (2 of 3), which is "
                "under 67%"},
      {"small", "\xE2\x88\x92" "0.00001, which is under 0.5"},
      {"close", "0.12341, which is other than 0.12344"},
      {"money", "\xC2\xA3" "1,000,000,000.01, which is over \xC2\xA3" "1,000,000,000"},
  };
  for (size_t i = 0; i < sizeof want / sizeof want[0]; i++) {
    assert_true(holds(ev, want[i].id));
    assert_string_equal(figures_of(ev, want[i].id), want[i].figures);
  }
  chg_free(ev->ctx);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_2011_savings_totals),
      cmocka_unit_test(test_calam_claim_is_false),
      cmocka_unit_test(test_overload_and_clash),
      cmocka_unit_test(test_no_requirement_and_empty),
      cmocka_unit_test(test_financial_years),
      cmocka_unit_test(test_milestones),
      cmocka_unit_test(test_leap_day_overdue),
      cmocka_unit_test(test_status_roll_up),
      cmocka_unit_test(test_risks_and_rules),
      cmocka_unit_test(test_rule_decisions_in_rule_order),
      cmocka_unit_test(test_risk_scales_of_many_levels),
      cmocka_unit_test(test_benefits),
      cmocka_unit_test(test_dependencies_and_recommendations),
      cmocka_unit_test(test_exact_arithmetic_in_claims),
      cmocka_unit_test(test_aggregate_work_is_bounded),
      cmocka_unit_test(test_as_of_override),
      cmocka_unit_test(test_long_tables_keep_every_row),
      cmocka_unit_test(test_savings_count_towards_the_programme),
      cmocka_unit_test(test_falling_benefits_and_overdue_go_lives),
      cmocka_unit_test(test_go_lives_past_the_notes_reserved),
      cmocka_unit_test(test_recommendations_add_up),
      cmocka_unit_test(test_ids_named_like_levels),
      cmocka_unit_test(test_dates_out_of_range),
      cmocka_unit_test(test_series_index_covers_finer_entries),
      cmocka_unit_test(test_portfolio_status),
      cmocka_unit_test(test_claim_figures),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
