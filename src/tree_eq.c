/*
 * tree_eq.c -- whether two parsed trees say the same thing.  The
 * formatter's promise is that fmt(x) parses to the tree of x; this is the
 * check, run on every file it formats and by the tests.  Values compare by
 * what they mean (2011/12 and FY2011/12 are one year), names by spelling:
 * the trees may come from two contexts, whose interned names differ.
 */
#include <string.h>

#include "fmt.h"

static bool same_name(const char *a, const char *b) {
  if (a == b) return true;
  if (!a || !b) return false;
  return strcmp(a, b) == 0;
}

static bool value_equal(const chg_value *a, const chg_value *b) {
  if (a->kind != b->kind) return false;
  switch (a->kind) {
  case CHG_V_NONE:
    return true;
  case CHG_V_NAME:
    if (chg_path_len(a) != chg_path_len(b)) return false;
    for (uint32_t i = 0; i < chg_path_len(a); i++)
      if (!same_name(chg_path_name(a, i), chg_path_name(b, i))) return false;
    return true;
  case CHG_V_STRING:
    return chg_str_len(a) == chg_str_len(b) &&
           memcmp(a->u.s, b->u.s, chg_str_len(a)) == 0;
  case CHG_V_NUMBER:
  case CHG_V_PERCENT:
    /* literals are normalised as they are read: 2.50 is 2.5 */
    return a->u.m == b->u.m && a->aux == b->aux;
  case CHG_V_MONEY:
    return a->u.pence == b->u.pence;
  case CHG_V_DATE:
    return a->u.day == b->u.day;
  case CHG_V_MONTH:
    return a->u.month == b->u.month;
  case CHG_V_QUARTER:
    return a->u.quarter == b->u.quarter;
  case CHG_V_FY:
    return a->u.fy == b->u.fy;
  case CHG_V_RANGE:
    return value_equal(&a->u.range[0], &b->u.range[0]) &&
           value_equal(&a->u.range[1], &b->u.range[1]);
  case CHG_V_LIST:
    if (chg_list_len(a) != chg_list_len(b)) return false;
    for (uint32_t i = 0; i < chg_list_len(a); i++)
      if (!value_equal(&a->u.items[i], &b->u.items[i])) return false;
    return true;
  case CHG_V_BOOL:
    return a->u.b == b->u.b;
  case CHG_V_REF:
  case CHG_V_LEVEL:
  case CHG_V_KIND:
    /* only resolution makes these; a parsed tree holds none */
    return false;
  }
  return false;
}

static bool expr_equal(const chg_expr *a, const chg_expr *b) {
  if (!a || !b) return a == b;
  if (a->op != b->op) return false;
  switch (a->op) {
  case CHG_X_LIT:
  case CHG_X_NAME:
    return value_equal(&a->value, &b->value);
  case CHG_X_CALL:
  case CHG_X_LIST:
    if (!same_name(a->fn, b->fn) || a->nargs != b->nargs) return false;
    for (uint32_t i = 0; i < a->nargs; i++)
      if (!expr_equal(a->args[i], b->args[i])) return false;
    return true;
  default:
    return expr_equal(a->a, b->a) && expr_equal(a->b, b->b);
  }
}

static bool node_equal(const chg_node *a, const chg_node *b) {
  if (a->kind != b->kind || a->has_braces != b->has_braces) return false;
  if (!same_name(a->key, b->key)) return false;
  if (a->nargs != b->nargs || a->nseries != b->nseries) return false;
  for (uint32_t i = 0; i < a->nargs; i++)
    if (!value_equal(&chg_node_args(a)[i], &chg_node_args(b)[i])) return false;
  for (uint32_t i = 0; i < a->nseries; i++)
    if (!value_equal(&chg_node_series(a)[i].key, &chg_node_series(b)[i].key) ||
        !value_equal(&chg_node_series(a)[i].value, &chg_node_series(b)[i].value))
      return false;
  if (!expr_equal(chg_node_expr(a), chg_node_expr(b))) return false;
  /* an attribute is allocated without the block fields */
  if (a->kind == CHG_N_BLOCK) return chg_tree_equal(a->items, b->items);
  return true;
}

bool chg_tree_equal(const chg_node *a, const chg_node *b) {
  for (; a && b; a = a->next, b = b->next)
    if (!node_equal(a, b)) return false;
  return !a && !b;
}

static bool is_blank(char c) {
  return c == ' ' || c == '\t' || c == '\r' || c == '\f' || c == '\v';
}

/* A comment's text without the white space (a CR, say) at its end. */
static size_t comment_len(const chg_file *f, chg_span c) {
  size_t n = c.end - c.start;
  while (n > 1 && is_blank(f->text[c.start + n - 1])) n--;
  return n;
}

bool chg_comments_equal(const chg_file *a, const chg_file *b) {
  if (a->ncomments != b->ncomments) return false;
  for (size_t i = 0; i < a->ncomments; i++) {
    size_t na = comment_len(a, a->comments[i]), nb = comment_len(b, b->comments[i]);
    if (na != nb ||
        memcmp(a->text + a->comments[i].start, b->text + b->comments[i].start, na) != 0)
      return false;
  }
  return true;
}

int chg_same_tree(const chg_ctx *a, uint32_t fa, const chg_ctx *b, uint32_t fb) {
  const chg_file *x = chg_ctx_file(a, fa), *y = chg_ctx_file(b, fb);
  if (!x || !y) return 0;
  return chg_tree_equal(x->items, y->items);
}
