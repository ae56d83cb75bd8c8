/* Schema, resolution, levels, cycles and expression types. */
#define _DEFAULT_SOURCE /* mkstemp, open_memstream */
#include <unistd.h>

#include "testutil.h"

static void test_clean_portfolio(void **state) {
  (void)state;
  chg_ctx *ctx = compile(
      "use std.rag\nuse std.dca\nuse std.risk5x5\nuse std.escalation\n"
      "portfolio mps \"MPS\" { owner \"Director\"; as_of 2011-06-13; year_start april\n"
      "  requirement 2011/12: £85.7m, 2012/13: £246.3m }\n"
      "unit DoR \"Directorate of Resources\"\n"
      "unit TP \"Territorial Policing\" { capacity 6 }\n"
      "programme tp_dev \"TP Development\" { unit TP; status overall green \"ok\" }\n"
      "programme drm \"DRM\" {\n"
      "  unit DoR\n  confidence amber_red\n"
      "  depends_on tp_dev high \"Public access review\"\n"
      "  workstream cre \"Corporate Real Estate\" {\n"
      "    milestone exits { baseline 2011-03-31; progress 92% }\n"
      "    risk r1 { likelihood 4; impact major }\n"
      "  }\n"
      "}\n"
      "saving recruitment { programme drm.cre\n"
      "  money 2011/12: -£8.2m\n  posts officers 2011/12: -308 }\n"
      "rule big { on risk; when score >= 15 and band >= high; escalate board }\n"
      "claim c { expect sum(saving.money[2011/12]) == -£8.2m and drm.confidence <= amber }\n");
  assert_clean(ctx);
  chg_free(ctx);
}

static void test_unknown_attribute_suggests(void **state) {
  (void)state;
  chg_ctx *ctx = compile(PORTFOLIO "programme drm { ownr \"x\" }\n"
                                   "programme tp { manger \"y\" }\n");
  assert_int_equal(count_code(ctx, "CHG0301"), 2);
  chg_diag_view d = find_code(ctx, "CHG0301");
  assert_non_null(strstr(d.message, "unknown attribute `ownr` in programme `drm`"));
  /* `ownr` is close to nothing a programme takes; `manger` is close to manager */
  chg_diag_view v;
  chg_diag_get(ctx, chg_diag_count(ctx) - 1, &v);
  assert_non_null(strstr(v.message, "did you mean `manager`?"));
  chg_free(ctx);
}

static void test_kinds_and_nesting(void **state) {
  (void)state;
  chg_ctx *ctx = compile(PORTFOLIO "programe drm { }\n");
  assert_one_error(ctx, "CHG0302", 2);
  assert_non_null(strstr(find_code(ctx, "CHG0302").message, "did you mean `programme`?"));
  chg_free(ctx);
  ctx = compile(PORTFOLIO "milestone m { baseline 2022-01-01 }\n");
  assert_one_error(ctx, "CHG0303", 2);
  chg_free(ctx);
  ctx = compile(PORTFOLIO "programme a { programme b { } }\n");
  assert_one_error(ctx, "CHG0303", 2);
  chg_free(ctx);
  ctx = compile(PORTFOLIO "owner \"x\"\n");
  assert_one_error(ctx, "CHG0310", 2);
  chg_free(ctx);
}

static void test_counts_and_heads(void **state) {
  (void)state;
  chg_ctx *ctx = compile("portfolio p { owner \"a\" }\n");
  assert_one_error(ctx, "CHG0304", 1); /* no as_of */
  chg_free(ctx);
  ctx = compile(PORTFOLIO "programme a { sro \"x\"\n sro \"y\" }\n");
  assert_one_error(ctx, "CHG0305", 3);
  chg_free(ctx);
  ctx = compile(PORTFOLIO "programme \"No id\" { }\n");
  assert_one_error(ctx, "CHG0307", 2);
  chg_free(ctx);
  ctx = compile(PORTFOLIO "portfolio q { as_of 2022-01-01 }\n");
  assert_one_error(ctx, "CHG0309", 2);
  chg_free(ctx);
  ctx = compile("unit a \"A\"\n");
  assert_one_error(ctx, "CHG0309", 1);
  chg_free(ctx);
}

static void test_value_types_and_ranges(void **state) {
  (void)state;
  chg_ctx *ctx = compile(PORTFOLIO "programme a { budget 12 }\n");
  assert_one_error(ctx, "CHG0306", 2);
  chg_free(ctx);
  ctx = compile(PORTFOLIO "programme a { milestone m { progress 100.5% } }\n");
  assert_one_error(ctx, "CHG0308", 2);
  chg_free(ctx);
  ctx = compile(PORTFOLIO "programme a { milestone m { progress 100% } }\n");
  assert_clean(ctx);
  chg_free(ctx);
  ctx = compile("use std.risk5x5\n" PORTFOLIO "risk r { likelihood 6; impact 0 }\n");
  assert_int_equal(count_code(ctx, "CHG0308"), 2);
  chg_free(ctx);
  ctx = compile(PORTFOLIO "unit u { capacity -1 }\n");
  assert_one_error(ctx, "CHG0308", 2);
  chg_free(ctx);
  ctx = compile(PORTFOLIO "programme a { depends_on a urgent }\n");
  assert_true(count_code(ctx, "CHG0306") >= 1);
  chg_free(ctx);
}

static void test_series_checks(void **state) {
  (void)state;
  chg_ctx *ctx = compile(PORTFOLIO "saving s { money 2011/12: -£1m, 2011/12: -£2m }\n");
  assert_one_error(ctx, "CHG0207", 2);
  chg_free(ctx);
  /* periods of different kinds may share a series */
  ctx = compile(PORTFOLIO "saving s { money 2011/12: -£1m, 2012-04: -£2m }\n");
  assert_int_equal(chg_error_count(ctx), 0);
  chg_free(ctx);
  ctx = compile(PORTFOLIO "saving s { money 2011: -£1m }\n");
  assert_one_error(ctx, "CHG0207", 2);
  chg_free(ctx);
  ctx = compile(PORTFOLIO "saving s { money 2011/12: 5 }\n");
  assert_one_error(ctx, "CHG0306", 2);
  chg_free(ctx);
  ctx = compile(PORTFOLIO "saving s { money -£1m }\n");
  assert_true(chg_error_count(ctx) >= 1);
  chg_free(ctx);
}

static void test_references(void **state) {
  (void)state;
  chg_ctx *ctx = compile(PORTFOLIO "unit DoR\nprogramme a { unit DoX }\n");
  assert_one_error(ctx, "CHG0404", 3);
  assert_non_null(strstr(find_code(ctx, "CHG0404").message, "did you mean `DoR`?"));
  chg_free(ctx);
  ctx = compile(PORTFOLIO "unit u\nprogramme a { depends_on u high }\n");
  assert_one_error(ctx, "CHG0409", 3);
  chg_free(ctx);
  ctx = compile(PORTFOLIO "programme a { workstream w { } }\n"
                          "programme b { depends_on a.w low; depends_on a.x low }\n");
  assert_one_error(ctx, "CHG0404", 3);
  chg_free(ctx);
  /* a bare name found only deeper is suggested by its full path */
  ctx = compile(PORTFOLIO "programme a { workstream cre { } }\n"
                          "programme b { depends_on cre low }\n");
  assert_non_null(strstr(find_code(ctx, "CHG0404").message, "`a.cre`"));
  chg_free(ctx);
}

static void test_duplicates_and_cycles(void **state) {
  (void)state;
  chg_ctx *ctx = compile(PORTFOLIO "unit a\nprogramme a { }\n");
  assert_one_error(ctx, "CHG0405", 3);
  chg_free(ctx);
  /* two projects may each have a risk r1 */
  ctx = compile(PORTFOLIO "project a { risk r1 { } }\nproject b { risk r1 { } }\n");
  assert_clean(ctx);
  chg_free(ctx);
  ctx = compile(PORTFOLIO "programme a { depends_on b high }\n"
                          "programme b { depends_on c high }\n"
                          "programme c { depends_on a high }\n");
  assert_int_equal(count_code(ctx, "CHG0406"), 1);
  assert_non_null(strstr(find_code(ctx, "CHG0406").message, "a -> b -> c -> a"));
  chg_free(ctx);
  ctx = compile(PORTFOLIO "programme a { depends_on a high }\n");
  assert_int_equal(count_code(ctx, "CHG0406"), 1);
  chg_free(ctx);
}

static void test_levels(void **state) {
  (void)state;
  chg_ctx *ctx = compile(PORTFOLIO "programme a { status overall green }\n");
  assert_one_error(ctx, "CHG0408", 2);
  assert_non_null(strstr(find_code(ctx, "CHG0408").message, "use std.rag"));
  chg_free(ctx);
  ctx = compile("use std.rag\n" PORTFOLIO "programme a { status overall gren }\n");
  assert_one_error(ctx, "CHG0407", 3);
  assert_non_null(strstr(find_code(ctx, "CHG0407").message, "did you mean `green`?"));
  chg_free(ctx);
  /* a portfolio's own scale of the same name stands in for the module */
  ctx = compile(PORTFOLIO "scale rag { level red; level green }\n"
                          "programme a { status overall green }\n");
  assert_clean(ctx);
  chg_free(ctx);
  ctx = compile("use std.dca\n" PORTFOLIO "programme a { confidence amber_red }\n");
  assert_clean(ctx);
  chg_free(ctx);
}

static void test_expressions(void **state) {
  (void)state;
  chg_ctx *ctx = compile("use std.risk5x5\n" PORTFOLIO
                         "rule r { on risk; when score > 2022-01-01 }\n");
  assert_one_error(ctx, "CHG0501", 3);
  chg_free(ctx);
  ctx = compile("use std.risk5x5\nuse std.rag\n" PORTFOLIO
                "rule r { on risk; when sore > 3 }\n");
  assert_one_error(ctx, "CHG0502", 4);
  assert_non_null(strstr(find_code(ctx, "CHG0502").message, "did you mean `score`?"));
  chg_free(ctx);
  ctx = compile("use std.rag\nuse std.dca\n" PORTFOLIO
                "rule r { on programme; when status == confidence }\n");
  assert_one_error(ctx, "CHG0504", 4);
  chg_free(ctx);
  ctx = compile("use std.rag\n" PORTFOLIO
                "rule r { on programme; when status == purple }\n");
  assert_one_error(ctx, "CHG0407", 3);
  chg_free(ctx);
  ctx = compile(PORTFOLIO "claim c { expect median(programme) > 1 }\n");
  assert_one_error(ctx, "CHG0503", 2);
  chg_free(ctx);
  ctx = compile(PORTFOLIO "claim c { expect count(as_of) > 1 }\n");
  assert_one_error(ctx, "CHG0503", 2);
  chg_free(ctx);
  ctx = compile(PORTFOLIO "claim c { expect as_of }\n");
  assert_one_error(ctx, "CHG0505", 2);
  chg_free(ctx);
  ctx = compile(PORTFOLIO "claim c { expect sum(saving.money) > £1m }\n");
  assert_clean(ctx);
  chg_free(ctx);
  ctx = compile(PORTFOLIO "claim c { expect sum(saving.money[2022-Q1]) < -£1m and as_of - 2022-01-01 > 30 }\n");
  assert_clean(ctx);
  chg_free(ctx);
  ctx = compile("use std.recommendations\n" PORTFOLIO
                "claim c { expect pct(recommendation where status == output_produced "
                "and theme in [governance, people]) > 95% }\n");
  assert_clean(ctx);
  chg_free(ctx);
}

/* A large file's text is never held whole (it is read as it is scanned)
 * and is read again for what needs it: the line and column of a diagnostic, its excerpt, the words of
 * a false claim.  If the file changed meanwhile, lines and the message
 * stay right and the excerpt says why it is missing. */
static const char set_aside_src[] =
    "portfolio p \"P\" { as_of 2024-01-01 }\n"
    "programme g \"Caf\xc3\xa9\" {\n"
    "  project a \"\xc2\xa3" "A\" { unit nowhere }\n"
    "}\n"
    "claim c \"Two programmes\" {\n"
    "  expect count(programme) == 2\n"
    "}\n";

static chg_ctx *load_set_aside(const char *path) {
  chg_ctx *ctx = test_ctx();
  ctx->stream_min = 0;
  assert_int_equal(chg_add_path(ctx, path), 0);
  chg_file *f = chg_ctx_file(ctx, 1);
  assert_non_null(f);
  assert_true(f->text_set_aside);
  assert_null(f->text);
  return ctx;
}

static char *printed(chg_ctx *ctx) {
  char *out = NULL;
  size_t len = 0;
  FILE *fp = open_memstream(&out, &len);
  assert_non_null(fp);
  chg_diag_print(ctx, fp, 0);
  fclose(fp);
  return out;
}

static void test_large_file_text_set_aside(void **state) {
  (void)state;
  char path[] = "/tmp/chg-set-aside-XXXXXX";
  int fd = mkstemp(path);
  assert_true(fd >= 0);
  assert_int_equal(write(fd, set_aside_src, sizeof set_aside_src - 1), (ssize_t)(sizeof set_aside_src - 1));
  close(fd);

  chg_ctx *ctx = load_set_aside(path);
  chg_evaluate(ctx);
  chg_diag_view v = find_code(ctx, "CHG0404");
  assert_int_equal(v.line, 3);
  assert_int_equal(v.column, 25); /* code points: the pound sign is one */
  chg_evaluate(ctx);
  char *out = printed(ctx);
  assert_non_null(strstr(out, " 3 |   project a \"\xc2\xa3" "A\" { unit nowhere }\n"));
  assert_non_null(strstr(out, "^~~~~~~"));
  chg_free(ctx);
  free(out);

  /* no error: the claim's own words are quoted from the text read again */
  FILE *fp = fopen(path, "w");
  assert_non_null(fp);
  fputs("portfolio p \"P\" { as_of 2024-01-01 }\nprogramme g \"G\" { }\n"
        "claim c \"Two\" {\n  expect count(programme) == 2\n}\n", fp);
  fclose(fp);
  ctx = load_set_aside(path);
  chg_evaluate(ctx);
  v = find_code(ctx, "CHG0601");
  assert_non_null(strstr(v.message, "count(programme)"));
  chg_free(ctx);

  /* the file changes between parsing and printing */
  fp = fopen(path, "w");
  assert_non_null(fp);
  fputs(set_aside_src, fp);
  fclose(fp);
  ctx = load_set_aside(path);
  fp = fopen(path, "w");
  assert_non_null(fp);
  fputs("something else entirely\n", fp);
  fclose(fp);
  chg_evaluate(ctx);
  v = find_code(ctx, "CHG0404");
  assert_int_equal(v.line, 3);
  out = printed(ctx);
  assert_non_null(strstr(out, "changed on disk while chg was running"));
  assert_null(strstr(out, "something else"));
  chg_free(ctx);
  free(out);
  unlink(path);
}

/* A new file made from the template `path`, open for writing. */
static FILE *temp_source(char *path) {
  int fd = mkstemp(path);
  assert_true(fd >= 0);
  FILE *fp = fdopen(fd, "w");
  assert_non_null(fp);
  return fp;
}

/* The text of a large file read back a stretch at a time: what is read is
 * what the file holds, wherever and in whatever order it is asked for. */
static void test_large_file_read_back_in_stretches(void **state) {
  (void)state;
  char path[] = "/tmp/chg-stretches-XXXXXX";
  FILE *fp = temp_source(path);
  fputs("portfolio p \"P\" { as_of 2024-01-01 }\n", fp);
  for (int i = 0; i < 40000; i++) fprintf(fp, "unit u%d \"Unit \xc2\xa3%d\" { capacity %d }\n", i, i, i % 9 + 1);
  fclose(fp);
  chg_ctx *ctx = load_set_aside(path);
  chg_file *f = chg_ctx_file(ctx, 1);
  FILE *in = fopen(path, "rb");
  assert_non_null(in);
  char *whole = malloc(f->len + 1);
  assert_int_equal(fread(whole, 1, f->len, in), f->len);
  fclose(in);
  uint32_t seed = 7;
  for (int i = 0; i < 5000; i++) {
    seed = seed * 1103515245u + 12345u;
    /* now near the start, now anywhere, now a long stretch */
    uint32_t start = i % 3 == 0 ? seed % 200 : (uint32_t)(seed % f->len);
    uint32_t n = i % 97 == 0 ? 300000 : seed % 300;
    if (n > f->len - start) n = (uint32_t)(f->len - start);
    const char *got = chg_file_bytes(ctx, f, start, start + n);
    assert_memory_equal(got, whole + start, n);
  }
  assert_null(f->text); /* never read back whole */
  free(whole);
  chg_free(ctx);
  unlink(path);
}


/* Every name in a tree is the one interned: pieces parsed side by side
 * intern their own, and must hand over every one. */
static void assert_names_interned(chg_ctx *ctx, const chg_value *v) {
  if (v->kind == CHG_V_NAME)
    for (uint32_t i = 0; i < chg_path_len(v); i++) {
      const char *name = chg_path_name(v, i);
      assert_ptr_equal(name, chg_intern_cstr(&ctx->names, name));
    }
  if (v->kind == CHG_V_LIST)
    for (uint32_t i = 0; i < chg_list_len(v); i++) assert_names_interned(ctx, &v->u.items[i]);
}

static void assert_tree_interned(chg_ctx *ctx, const chg_node *n) {
  for (; n; n = n->next) {
    if (n->key) assert_ptr_equal(n->key, chg_intern_cstr(&ctx->names, n->key));
    for (uint32_t i = 0; i < n->nargs && !n->has_expr; i++)
      assert_names_interned(ctx, &chg_node_args(n)[i]);
    if (n->kind == CHG_N_BLOCK) assert_tree_interned(ctx, n->items);
  }
}

/* Both say something, and the same; both are freed. */
static void assert_same_diagnostics(chg_ctx *a, chg_ctx *b) {
  char *x = printed(a), *y = printed(b);
  assert_non_null(strstr(x, "CHG0"));
  assert_string_equal(x, y);
  free(x);
  free(y);
  chg_free(a);
  chg_free(b);
}

/* A file read as it is scanned and parsed in n pieces side by side. */
static chg_ctx *load_in_pieces(const char *path, unsigned n) {
  chg_ctx *ctx = test_ctx();
  ctx->stream_min = 0;
  ctx->split_pieces = n;
  assert_int_equal(chg_add_path(ctx, path), 0);
  return ctx;
}

/* Writes `text` over the file at `offset` from `whence` (SEEK_SET, SEEK_END). */
static void overwrite(const char *path, long offset, int whence, const char *text) {
  FILE *fp = fopen(path, "r+");
  assert_non_null(fp);
  fseek(fp, offset, whence);
  fputs(text, fp);
  fclose(fp);
}

/* A large file parsed in pieces side by side gives the tree, comments,
 * lines and diagnostics of one parsed straight through. */
static void test_large_file_parsed_in_pieces(void **state) {
  (void)state;
  char path[] = "/tmp/chg-pieces-XXXXXX";
  FILE *fp = temp_source(path);
  fputs("use std.rag\n# the portfolio\nportfolio p \"P\" { as_of 2024-01-01 }\n", fp);
  for (int i = 0; i < 3000; i++)
    fprintf(fp, "# unit %d\nunit u%d \"Unit %d\" { capacity %d } # trailing\n"
                "programme g%d \"G\" {\n  unit u%d\n  status overall amber \"x\"\n  tags [a, b.c]\n}\n",
            i, i, i, i % 9 + 1, i, i);
  fputs("claim c { expect count(unit) == 2 }\n", fp); /* false: a diagnostic near the end */
  fclose(fp);

  chg_ctx *whole = load_set_aside(path);
  chg_ctx *pieces = load_in_pieces(path, 4);
  chg_file *a = chg_ctx_file(whole, 1), *b = chg_ctx_file(pieces, 1);
  assert_int_equal(a->pieces, 0);
  assert_int_equal(b->pieces, 4);
  assert_int_equal(b->pieces_kept, 4);
  assert_int_equal(a->len, b->len);
  assert_int_equal(a->ncomments, b->ncomments);
  assert_int_equal(a->ncomments, 1 + 2 * 3000);
  assert_memory_equal(a->comments, b->comments, a->ncomments * sizeof *a->comments);
  assert_int_equal(a->lines.count, b->lines.count);
  for (size_t l = 0; l < a->lines.count; l += 97)
    assert_int_equal(chg_lines_start(&a->lines, l), chg_lines_start(&b->lines, l));
  size_t na = 0, nb = 0;
  for (const chg_node *n = a->items; n; n = n->next) na++;
  for (const chg_node *n = b->items; n; n = n->next) nb++;
  assert_int_equal(na, nb);
  assert_tree_interned(pieces, b->items);
  chg_evaluate(whole);
  chg_evaluate(pieces);
  assert_same_diagnostics(whole, pieces);

  /* an error in the first piece: the file is parsed again straight
   * through, and says what it would have said */
  overwrite(path, 60, SEEK_SET, "=");
  whole = load_set_aside(path);
  pieces = load_in_pieces(path, 3);
  assert_int_equal(chg_ctx_file(pieces, 1)->pieces, 3);
  assert_int_equal(chg_ctx_file(pieces, 1)->pieces_kept, 0);
  assert_same_diagnostics(whole, pieces);

  /* a block left open in the first piece: it does not end between items,
   * and the file is parsed again straight through */
  overwrite(path, 60, SEEK_SET, "0 {"); /* `2024-01-0 { }`: the portfolio's brace is never closed */
  whole = load_set_aside(path);
  pieces = load_in_pieces(path, 3);
  assert_int_equal(chg_ctx_file(pieces, 1)->pieces_kept, 0);
  assert_same_diagnostics(whole, pieces);

  /* and one near the end: the file is parsed again whole, not on from the
   * piece the error is in, where the item before the cut would be taken
   * as complete (tests/regress/piece_after_an_item_awaiting_its_brace) */
  overwrite(path, 60, SEEK_SET, "01 }"); /* mended */
  overwrite(path, -300, SEEK_END, "\"unterminated\n");
  whole = load_set_aside(path);
  pieces = load_in_pieces(path, 3);
  assert_int_equal(chg_ctx_file(pieces, 1)->pieces_kept, 0);
  assert_same_diagnostics(whole, pieces);
  unlink(path);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_large_file_text_set_aside),
      cmocka_unit_test(test_large_file_parsed_in_pieces),
      cmocka_unit_test(test_large_file_read_back_in_stretches),
      cmocka_unit_test(test_clean_portfolio),
      cmocka_unit_test(test_unknown_attribute_suggests),
      cmocka_unit_test(test_kinds_and_nesting),
      cmocka_unit_test(test_counts_and_heads),
      cmocka_unit_test(test_value_types_and_ranges),
      cmocka_unit_test(test_series_checks),
      cmocka_unit_test(test_references),
      cmocka_unit_test(test_duplicates_and_cycles),
      cmocka_unit_test(test_levels),
      cmocka_unit_test(test_expressions),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
