/*
 * testutil.h -- shared helpers for the cmocka unit tests: compile a
 * source held in a string, and ask which diagnostics it produced.
 */
#ifndef CHG_TESTUTIL_H
#define CHG_TESTUTIL_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "check.h"
#include "chg.h"
#include "ctx.h"
#include "value.h"

#ifndef CHG_TEST_STDLIB
#define CHG_TEST_STDLIB "stdlib"
#endif

/* A context with the source tree's stdlib on its search path. */
static inline chg_ctx *test_ctx(void) {
  chg_options o;
  memset(&o, 0, sizeof o);
  o.stdlib_dir = CHG_TEST_STDLIB;
  chg_ctx *ctx = chg_new(&o);
  assert_non_null(ctx);
  return ctx;
}

/* Parses and checks `src` as one file named "t.chg". */
static inline chg_ctx *compile(const char *src) {
  chg_ctx *ctx = test_ctx();
  chg_add_source(ctx, "t.chg", src, strlen(src));
  chg_check(ctx);
  return ctx;
}

/* Parses only. */
static inline chg_ctx *parse_only(const char *src) {
  chg_ctx *ctx = test_ctx();
  chg_add_source(ctx, "t.chg", src, strlen(src));
  return ctx;
}

/* How many diagnostics carry this code. */
static inline int count_code(chg_ctx *ctx, const char *code) {
  int n = 0;
  chg_diag_view v;
  for (size_t i = 0; i < chg_diag_count(ctx); i++)
    if (chg_diag_get(ctx, i, &v) == 0 && v.severity != CHG_NOTE &&
        strcmp(v.code, code) == 0)
      n++;
  return n;
}

/* The first diagnostic with this code, or fail. */
static inline chg_diag_view find_code(chg_ctx *ctx, const char *code) {
  chg_diag_view v;
  for (size_t i = 0; i < chg_diag_count(ctx); i++)
    if (chg_diag_get(ctx, i, &v) == 0 && v.severity != CHG_NOTE &&
        strcmp(v.code, code) == 0)
      return v;
  fail_msg("no diagnostic %s", code);
  memset(&v, 0, sizeof v);
  return v;
}

static inline void dump(chg_ctx *ctx) { chg_diag_print(ctx, stderr, 0); }

/* Asserts a clean compile, printing what went wrong if it was not. */
#define assert_clean(ctx)                                                    \
  do {                                                                       \
    if (chg_error_count(ctx) || chg_warning_count(ctx)) dump(ctx);           \
    assert_int_equal(chg_error_count(ctx), 0);                               \
  } while (0)

/* Asserts exactly one error, with this code, at this line. */
#define assert_one_error(ctx, code, line_no)                                 \
  do {                                                                       \
    if (chg_error_count(ctx) != 1) dump(ctx);                                \
    assert_int_equal(chg_error_count(ctx), 1);                               \
    chg_diag_view v_ = find_code(ctx, code);                                 \
    assert_int_equal(v_.line, line_no);                                      \
  } while (0)

#define PORTFOLIO "portfolio p \"P\" { as_of 2022-06-30 }\n"

/* The first top-level block of the only file. */
static inline chg_node *first_block(chg_ctx *ctx) {
  return ctx->files[1]->items;
}

/* The first attribute of a block with this key. */
static inline chg_node *attr_of(chg_node *b, const char *key) {
  for (chg_node *a = b->items; a; a = a->next)
    if (a->kind == CHG_N_ATTR && a->key && strcmp(a->key, key) == 0) return a;
  return NULL;
}

#endif
