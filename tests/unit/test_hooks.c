/* The Lua bridge: the API, entity views, the sandbox and its limits. */
#define _DEFAULT_SOURCE /* mkdtemp */
#include <sys/stat.h>
#include <unistd.h>

#include "eval.h"
#include "report.h"
#include "testutil.h"

static char dir[64];

static int make_dir(void **state) {
  (void)state;
  snprintf(dir, sizeof dir, "/tmp/chg-hooks-XXXXXX");
  return mkdtemp(dir) ? 0 : -1;
}

static int remove_dir(void **state) {
  (void)state;
  char cmd[128];
  snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
  return system(cmd) == 0 ? 0 : -1;
}

static void write_file(const char *name, const char *text) {
  char path[160];
  snprintf(path, sizeof path, "%s/%s", dir, name);
  FILE *f = fopen(path, "w");
  assert_non_null(f);
  fputs(text, f);
  fclose(f);
}

static const char *const portfolio =
    "use std.rag\nuse std.risk5x5\nuse std.escalation\n"
    "portfolio p \"P\" { as_of 2022-07-04 }\n"
    "unit bcu \"Frontline\"\n"
    "programme connect \"CONNECT\" { unit bcu; status overall green \"ok\"\n"
    "  risk r1 \"Training load\" { likelihood 2; impact 2 }\n"
    "  milestone drop1 { baseline 2020-11-30; forecast 2022-11-30; go_live true }\n"
    "}\n"
    "programme other { risk r2 { likelihood 1; impact 1 } }\n";

/* Writes the portfolio with these hooks and evaluates it. */
static chg_ctx *run_hooks(const char *hooks_chg, chg_options *extra) {
  char text[4096];
  snprintf(text, sizeof text, "%s%s", portfolio, hooks_chg);
  write_file("p.chg", text);
  chg_options o;
  memset(&o, 0, sizeof o);
  if (extra) o = *extra;
  o.stdlib_dir = CHG_TEST_STDLIB;
  chg_ctx *ctx = chg_new(&o);
  char path[160];
  snprintf(path, sizeof path, "%s/p.chg", dir);
  assert_int_equal(chg_add_path(ctx, path), 0);
  chg_evaluate(ctx);
  return ctx;
}

static chg_node *block(chg_ctx *ctx, const char *id) {
  for (size_t i = 0; i < ctx->blocks.len; i++) {
    chg_node *b = ctx->blocks.items[i];
    if (chg_block_id(b) && strcmp(chg_block_id(b), id) == 0) return b;
  }
  fail_msg("no block %s", id);
  return NULL;
}

static void test_api_changes_the_evaluation(void **state) {
  (void)state;
  write_file("h.lua",
             "function on_risk(r)\n"
             "  if r.score >= 4 then chg.escalate(r, \"board\", \"score \" .. r.score) end\n"
             "end\n"
             "function on_milestone(m)\n"
             "  chg.flag(m, \"warning\", m.path .. \" slipped \" .. m.slip_days .. \" days\")\n"
             "  chg.status(m.parent, \"schedule\", \"red\", \"late\")\n"
             "end\n");
  chg_ctx *ctx = run_hooks("hook \"h.lua\"\n", NULL);
  assert_clean(ctx);
  chg_eval *ev = ctx->eval;
  chg_entity *r1 = chg_entity_of(ev, block(ctx, "r1"));
  assert_non_null(r1->escalation);
  assert_string_equal(ev->escalation->levels[r1->escalation->level], "board");
  assert_non_null(strstr(r1->escalation->by->source, "h.lua:2"));
  assert_null(chg_entity_of(ev, block(ctx, "r2"))->escalation);
  chg_decision *flag = NULL;
  for (chg_decision *d = ev->decisions; d; d = d->next)
    if (d->level < 0) flag = d;
  assert_non_null(flag);
  assert_string_equal(flag->by->message, "connect.drop1 slipped 730 days");
  assert_non_null(strstr(flag->by->source, "h.lua:5"));
  /* the status a hook set rolls up: the programme is now red */
  assert_int_equal(chg_entity_of(ev, block(ctx, "connect"))->status, 0);
  assert_true(ev->hook_calls >= 3);
  chg_free(ctx);
}

/* Statuses a hook sets on one entity are kept oldest first, every one. */
static void test_statuses_in_order(void **state) {
  (void)state;
  write_file("s.lua",
             "function on_programme(p)\n"
             "  if p.id ~= \"connect\" then return end\n"
             "  chg.status(p, \"schedule\", \"amber\", \"first\")\n"
             "  chg.status(p, \"cost\", \"red\", \"second\")\n"
             "  chg.status(p, \"people\", \"green\", \"third\")\n"
             "end\n");
  chg_ctx *ctx = run_hooks("hook \"s.lua\"\n", NULL);
  assert_clean(ctx);
  chg_entity *e = chg_entity_of(ctx->eval, block(ctx, "connect"));
  const char *want[] = {"first", "second", "third"};
  size_t n = 0;
  for (chg_hook_status *h = chg_hook_statuses_first(e); h; h = chg_hook_statuses_next(e, h)) {
    assert_true(n < 3);
    assert_string_equal(h->reason, want[n++]);
  }
  assert_int_equal(n, 3);
  assert_int_equal(e->status, 0); /* the red one decides */
  chg_free(ctx);
}

static void test_views(void **state) {
  (void)state;
  write_file("v.lua",
             "function on_programme(p)\n"
             "  if p.id ~= \"connect\" then return end\n"
             "  assert(p.kind == \"programme\" and p.title == \"CONNECT\")\n"
             "  assert(p.unit.id == \"bcu\" and p.unit.title == \"Frontline\")\n"
             "  assert(p.status == \"green\" and p.criteria.overall == \"green\")\n"
             "  assert(#p.risks == 1 and p.risks[1].score == 4 and p.risks[1].parent == p)\n"
             "  assert(p.milestones[1].forecast == \"2022-11-30\")\n"
             "  assert(p.nonsense == nil and p.parent.kind == \"portfolio\")\n"
             "  assert(p.parent.parent == nil)\n"
             "  local ok = pcall(function() p.title = \"x\" end)\n"
             "  assert(not ok, \"a view took a write\")\n"
             "  chg.flag(p, \"info\", \"views ok\")\n"
             "end\n");
  chg_ctx *ctx = run_hooks("hook \"v.lua\"\n", NULL);
  assert_clean(ctx);
  size_t ok = 0;
  for (chg_decision *d = ctx->eval->decisions; d; d = d->next)
    ok += d->by->message && strcmp(d->by->message, "views ok") == 0;
  assert_int_equal(ok, 1);
  chg_free(ctx);
}

static void test_sandbox(void **state) {
  (void)state;
  write_file("s.lua",
             "assert(io == nil and require == nil and debug == nil and package == nil)\n"
             "assert(loadfile == nil and dofile == nil and string.dump == nil)\n"
             "assert(os.execute == nil and os.remove == nil and os.getenv == nil)\n"
             "assert(type(os.time()) == \"number\")\n"
             "assert(getmetatable(\"\") == \"locked\")\n"
             "assert(not pcall(function() string.upper = nil end))\n"
             "assert(not pcall(rawset, string, \"x\", 1))\n"
             "assert(not pcall(setmetatable, {}, {__gc = function() end}))\n"
             "assert(load(\"\\27Lua\") == nil)\n"
             "assert(load(\"return _G\")() == _G)\n"
             "mine = 1\n"
             "function on_portfolio(p) chg.flag(p, \"info\", \"sandbox ok\") end\n");
  write_file("t.lua",
             "assert(mine == nil, \"a global leaked from another hook\")\n"
             "assert(string.upper(\"a\") == \"A\")\n"
             "function on_portfolio(p) chg.flag(p, \"info\", \"isolated ok\") end\n");
  chg_ctx *ctx = run_hooks("hook \"s.lua\"\nhook \"t.lua\"\n", NULL);
  assert_clean(ctx);
  size_t ok = 0;
  for (chg_decision *d = ctx->eval->decisions; d; d = d->next)
    ok += d->by->message && (!strcmp(d->by->message, "sandbox ok") || !strcmp(d->by->message, "isolated ok"));
  assert_int_equal(ok, 2);
  chg_free(ctx);
}

static void test_errors_at_lua_lines(void **state) {
  (void)state;
  write_file("syntax.lua", "function on_risk(r)\n  if r.score > then\nend\n");
  chg_ctx *ctx = run_hooks("hook \"syntax.lua\"\n", NULL);
  chg_diag_view d = find_code(ctx, "CHG0701");
  assert_non_null(strstr(d.file, "syntax.lua"));
  assert_int_equal(d.line, 2);
  chg_free(ctx);
  write_file("runtime.lua", "function on_programme(p)\n  local x = nil\n  return x.field\nend\n");
  ctx = run_hooks("hook \"runtime.lua\"\n", NULL);
  assert_int_equal(count_code(ctx, "CHG0702"), 1); /* once, not once per programme */
  d = find_code(ctx, "CHG0702");
  assert_int_equal(d.line, 3);
  chg_free(ctx);
  write_file("badarg.lua", "function on_risk(r) chg.escalate(r, \"urgent\") end\n");
  ctx = run_hooks("hook \"badarg.lua\"\n", NULL);
  assert_non_null(strstr(find_code(ctx, "CHG0702").message, "`urgent` is not a level of the `escalation` scale"));
  chg_free(ctx);
  write_file("object.lua",
             "error(setmetatable({}, {__tostring = function() while true do end end}))\n");
  ctx = run_hooks("hook \"object.lua\"\n", NULL);
  assert_non_null(strstr(find_code(ctx, "CHG0702").message, "error object that is a table"));
  chg_free(ctx);
}

static void test_limits(void **state) {
  (void)state;
  chg_options o;
  memset(&o, 0, sizeof o);
  o.hook_instructions = 200000;
  write_file("loop.lua",
             "function on_risk(r)\n"
             "  while true do pcall(function() while true do end end) end\n"
             "end\n");
  chg_ctx *ctx = run_hooks("hook \"loop.lua\"\n", &o);
  assert_int_equal(count_code(ctx, "CHG0703"), 1);
  assert_int_equal(find_code(ctx, "CHG0703").line, 2);
  chg_free(ctx);
  write_file("co.lua",
             "local co = coroutine.wrap(function() while true do end end)\nco()\n");
  ctx = run_hooks("hook \"co.lua\"\n", &o);
  assert_int_equal(count_code(ctx, "CHG0703"), 1);
  chg_free(ctx);
  o.hook_instructions = 0;
  o.hook_memory = (size_t)4 << 20;
  write_file("bomb.lua", "local s = \"x\"\nwhile true do s = s .. s end\n");
  ctx = run_hooks("hook \"bomb.lua\"\n", &o);
  assert_int_equal(count_code(ctx, "CHG0704"), 1);
  chg_free(ctx);
  write_file("pattern.lua", "string.rep(\"a\", 100000):find(\".-.-.-.-b\")\n");
  ctx = run_hooks("hook \"pattern.lua\"\n", NULL);
  assert_non_null(strstr(find_code(ctx, "CHG0702").message, "too costly"));
  chg_free(ctx);
}

static void test_log_is_a_note(void **state) {
  (void)state;
  write_file("log.lua", "print(\"hello\", 1, true, nil)\n");
  chg_ctx *ctx = run_hooks("hook \"log.lua\"\n", NULL);
  assert_int_equal(chg_error_count(ctx), 0);
  chg_diag_view d;
  bool found = false;
  for (size_t i = 0; i < chg_diag_count(ctx); i++) {
    chg_diag_get(ctx, i, &d);
    if (strcmp(d.code, "CHG0705") == 0) {
      found = true;
      assert_string_equal(d.message, "log: hello 1 true nil");
      assert_int_equal(d.line, 1);
    }
  }
  assert_true(found);
  chg_free(ctx);
}

/* A status a hook sets rolls up at once: the same hook and later hook
 * files read it, as they read escalations.  The portfolio can be
 * escalated from a hook as from a rule. */
static void test_status_rolls_up_at_once(void **state) {
  (void)state;
  write_file("a.lua",
             "function on_programme(p)\n"
             "  if p.id == \"connect\" then chg.status(p, \"risk\", \"red\", \"training load\") end\n"
             "  print(\"a sees\", p.id, p.status)\n"
             "end\n"
             "function on_portfolio(pf) chg.escalate(pf, \"board\", \"from a hook\") end\n");
  write_file("b.lua", "function on_programme(p) print(\"b sees\", p.id, p.status) end\n");
  chg_ctx *ctx = run_hooks("hook \"a.lua\"\nhook \"b.lua\"\n", NULL);
  assert_int_equal(chg_error_count(ctx), 0);
  int seen = 0;
  chg_diag_view d;
  for (size_t i = 0; i < chg_diag_count(ctx); i++) {
    chg_diag_get(ctx, i, &d);
    if (strcmp(d.code, "CHG0705") != 0 || !strstr(d.message, "connect")) continue;
    assert_non_null(strstr(d.message, "connect red"));
    seen++;
  }
  assert_int_equal(seen, 2);
  chg_entity *pf = chg_entity_of(ctx->eval, block(ctx, "p"));
  assert_non_null(pf->escalation);
  chg_free(ctx);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_api_changes_the_evaluation),
      cmocka_unit_test(test_statuses_in_order),
      cmocka_unit_test(test_views),
      cmocka_unit_test(test_sandbox),
      cmocka_unit_test(test_errors_at_lua_lines),
      cmocka_unit_test(test_limits),
      cmocka_unit_test(test_log_is_a_note),
      cmocka_unit_test(test_status_rolls_up_at_once),
  };
  return cmocka_run_group_tests(tests, make_dir, remove_dir);
}
