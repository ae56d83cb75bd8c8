/*
 * expr.c -- evaluating the expressions of rules and claims, exactly, and
 * explaining a claim's verdict with the figures behind it.
 *
 * The checker has typed every expression and resolved every name into
 * steps (check_expr.c), so evaluation only follows them.  A field with no
 * value is "missing": arithmetic with it stays missing, and a comparison
 * with it is false.
 */
#include <stdlib.h>
#include <string.h>

#include "eval.h"
#include "format.h"
#include "value.h"

static chg_rv missing(chg_tkind t) {
  chg_rv v;
  memset(&v, 0, sizeof v);
  v.type = t;
  v.missing = true;
  return v;
}

static chg_rv rv_bool(bool b) {
  chg_rv v;
  memset(&v, 0, sizeof v);
  v.type = CHG_T_BOOL;
  v.u.b = b;
  return v;
}

static chg_rv rv_num(chg_tkind t, chg_dec d) {
  chg_rv v;
  memset(&v, 0, sizeof v);
  v.type = t;
  v.u.num = d;
  return v;
}

static chg_rv rv_money(int64_t pence) {
  chg_rv v;
  memset(&v, 0, sizeof v);
  v.type = CHG_T_MONEY;
  v.u.pence = pence;
  v.money = true;
  return v;
}

static chg_rv rv_ordinal(chg_tkind t, int32_t ord) {
  chg_rv v;
  memset(&v, 0, sizeof v);
  v.type = t;
  v.u.ordinal = ord;
  return v;
}

static chg_rv rv_str(chg_tkind t, const char *s) {
  if (!s) return missing(t);
  chg_rv v;
  memset(&v, 0, sizeof v);
  v.type = t;
  v.u.str = s;
  return v;
}

static chg_rv rv_level(const chg_scale *scale, int32_t index) {
  if (!scale || index < 0) return missing(CHG_T_LEVEL);
  chg_rv v;
  memset(&v, 0, sizeof v);
  v.type = CHG_T_LEVEL;
  v.u.level.scale = scale;
  v.u.level.index = index;
  return v;
}

static chg_rv rv_entity(chg_node *n) {
  if (!n) return missing(CHG_T_ENTITY);
  chg_rv v;
  memset(&v, 0, sizeof v);
  v.type = CHG_T_ENTITY;
  v.u.entity = n;
  return v;
}

/* A literal of the source as a runtime value. */
static chg_rv of_value(const chg_value *x) {
  if (!x) return missing(CHG_T_ERROR);
  switch (x->kind) {
  case CHG_V_NUMBER: return rv_num(CHG_T_NUMBER, chg_value_dec(x));
  case CHG_V_PERCENT: return rv_num(CHG_T_PERCENT, chg_value_dec(x));
  case CHG_V_MONEY: return rv_money(x->u.pence);
  case CHG_V_DATE: return rv_ordinal(CHG_T_DATE, x->u.day);
  case CHG_V_MONTH: return rv_ordinal(CHG_T_MONTH, x->u.month);
  case CHG_V_QUARTER: return rv_ordinal(CHG_T_QUARTER, x->u.quarter);
  case CHG_V_FY: return rv_ordinal(CHG_T_FY, x->u.fy);
  case CHG_V_STRING: return rv_str(CHG_T_STRING, x->u.s);
  case CHG_V_BOOL: return rv_bool(x->u.b);
  case CHG_V_NAME: return rv_str(CHG_T_SYMBOL, chg_path_name(x, 0));
  case CHG_V_LEVEL: return rv_level(x->u.scale, chg_level_of(x));
  case CHG_V_REF: return rv_entity(x->u.ref);
  default: return missing(CHG_T_ERROR);
  }
}

/* A quantity in a benefit or a series: number, percentage or money. */
static chg_rv quantity(const chg_value *x) {
  chg_rv v = of_value(x);
  if (v.missing) return missing(CHG_T_QUANTITY);
  return v;
}

/* ---- reporting what cannot be evaluated ------------------------------- */

static chg_rv failed(chg_eval *ev, const chg_expr *e, const char *why) {
  ev->failures++;
  /* once per expression: a rule runs for every entity of its kind.
   * (With no expression, a benefit's own figures did not add up; the
   * report shows them as missing.) */
  if (e && !e->reported) {
    ((chg_expr *)e)->reported = true;
    /* said once, for the first entity a rule met it on */
    chg_node *at = ev->rule_entity;
    if (at)
      chg_error(ev->ctx, CHG_E_EVAL_FAILED, e->span,
                "cannot evaluate this for %s `%s` (and any others like it): %s", at->key,
                chg_path_of(ev->ctx, at), why);
    else
      chg_error(ev->ctx, CHG_E_EVAL_FAILED, e->span, "cannot evaluate this: %s", why);
  }
  return missing(CHG_T_ERROR);
}

static chg_tkind type_of(const chg_expr *e) {
  return e ? (chg_tkind)e->type : CHG_T_QUANTITY;
}

/* ---- arithmetic on quantities ---------------------------------------- */

static bool is_dec(const chg_rv *v) {
  return !v->money && (v->type == CHG_T_NUMBER || v->type == CHG_T_PERCENT ||
                       v->type == CHG_T_QUANTITY);
}

static bool is_money(const chg_rv *v) {
  return v->money || v->type == CHG_T_MONEY;
}

/* The days a period, month, quarter, date or financial year spans; false
 * for any other value. */
static bool rv_days(const chg_eval *ev, const chg_rv *v, int32_t *first, int32_t *last) {
  chg_value t;
  memset(&t, 0, sizeof t);
  switch (v->type) {
  case CHG_T_PERIOD:
    *first = v->u.days.first;
    *last = v->u.days.last;
    return true;
  case CHG_T_DATE: t.kind = CHG_V_DATE; t.u.day = v->u.ordinal; break;
  case CHG_T_MONTH: t.kind = CHG_V_MONTH; t.u.month = v->u.ordinal; break;
  case CHG_T_QUARTER: t.kind = CHG_V_QUARTER; t.u.quarter = v->u.ordinal; break;
  case CHG_T_FY: t.kind = CHG_V_FY; t.u.fy = v->u.ordinal; break;
  default: return false;
  }
  chg_period_days(ev, &t, first, last);
  return *first != INT32_MIN;
}

/* A period equals a month (or another period) spanning the same days. */
static bool same_span(const chg_eval *ev, const chg_rv *a, const chg_rv *b) {
  int32_t af, al, bf, bl;
  return rv_days(ev, a, &af, &al) && rv_days(ev, b, &bf, &bl) && af == bf && al == bl;
}

/* `2022-05 in period`: the month's days all fall in the period's. */
static bool within(const chg_eval *ev, const chg_rv *x, const chg_rv *period) {
  int32_t xf, xl, pf, pl;
  return rv_days(ev, x, &xf, &xl) && rv_days(ev, period, &pf, &pl) && xf >= pf && xl <= pl;
}

/* -1, 0, 1, or 2 when the two cannot be compared. */
static int compare(const chg_rv *a, const chg_rv *b) {
  if (is_dec(a) && is_dec(b)) return chg_dec_cmp(a->u.num, b->u.num);
  if (is_money(a) && is_money(b))
    return a->u.pence < b->u.pence ? -1 : a->u.pence > b->u.pence;
  if (a->type != b->type) return 2;
  switch (a->type) {
  case CHG_T_DATE: case CHG_T_MONTH: case CHG_T_QUARTER: case CHG_T_FY:
    return a->u.ordinal < b->u.ordinal ? -1 : a->u.ordinal > b->u.ordinal;
  case CHG_T_LEVEL:
    /* worst first: a lower index is a worse level, so it compares lower */
    return a->u.level.index < b->u.level.index ? -1 : a->u.level.index > b->u.level.index;
  case CHG_T_BOOL:
    return a->u.b == b->u.b ? 0 : a->u.b ? 1 : -1;
  case CHG_T_STRING: case CHG_T_SYMBOL: {
    int c = strcmp(a->u.str, b->u.str);
    return c < 0 ? -1 : c > 0;
  }
  case CHG_T_ENTITY:
    return a->u.entity == b->u.entity ? 0 : 2;
  default:
    return 2;
  }
}

/* `==` and `in`: a period equals what spans its days; the rest compare. */
static bool equal(const chg_eval *ev, const chg_rv *a, const chg_rv *b) {
  if (a->type == CHG_T_PERIOD || b->type == CHG_T_PERIOD) return same_span(ev, a, b);
  return compare(a, b) == 0;
}

static chg_rv add_values(chg_eval *ev, const chg_expr *e, chg_rv a, chg_rv b,
                         bool subtract) {
  if (a.missing || b.missing) return missing(type_of(e));
  if (is_money(&a) && is_money(&b)) {
    int64_t r;
    if ((subtract ? __builtin_sub_overflow(a.u.pence, b.u.pence, &r)
                  : __builtin_add_overflow(a.u.pence, b.u.pence, &r)) || r == INT64_MIN)
      return failed(ev, e, "the amount is too large");
    return rv_money(r);
  }
  if (is_dec(&a) && is_dec(&b)) {
    chg_dec r;
    if (!(subtract ? chg_dec_sub(a.u.num, b.u.num, &r) : chg_dec_add(a.u.num, b.u.num, &r)))
      return failed(ev, e, "the number is too large");
    return rv_num(a.type == CHG_T_PERCENT && b.type == CHG_T_PERCENT ? CHG_T_PERCENT
                                                                     : CHG_T_NUMBER, r);
  }
  if (a.type == CHG_T_DATE && is_dec(&b)) {
    chg_dec whole = chg_dec_normalise(b.u.num);
    if (whole.scale != 0) return failed(ev, e, "a date moves by whole days");
    /* in 64 bits, then only a date a literal could name (years 0000 to
     * 9999): never one wrapped round to another */
    int64_t d;
    if ((subtract ? __builtin_sub_overflow((int64_t)a.u.ordinal, whole.m, &d)
                  : __builtin_add_overflow((int64_t)a.u.ordinal, whole.m, &d)) ||
        !chg_day_writable(d))
      return failed(ev, e, "the date would fall outside the years 0000 to 9999");
    return rv_ordinal(CHG_T_DATE, (int32_t)d);
  }
  if (!subtract && is_dec(&a) && b.type == CHG_T_DATE) return add_values(ev, e, b, a, false);
  if (subtract && a.type == CHG_T_DATE && b.type == CHG_T_DATE)
    return rv_num(CHG_T_NUMBER, chg_dec_from_int((int64_t)a.u.ordinal - b.u.ordinal));
  /* the two kinds as they met (a benefit's figures money in one benefit
   * and a percentage in another, say), made only for the one message */
  if (!e || e->reported) return failed(ev, e, "");
  return failed(ev, e, chg_arena_printf(&ev->ctx->arena, "%s and %s cannot be %s",
                                        chg_type_name(a.type), chg_type_name(b.type),
                                        subtract ? "subtracted" : "added"));
}

/* Money times a number is rounded to the penny, half away from zero.  The
 * product is taken whole in 128 bits (two 64-bit factors fit) and only the
 * penny it rounds to need fit: £8,234,567.89 times a third kept to twelve
 * places is £2.74m, though the exact product has 21 digits. */
static bool money_times(int64_t pence, chg_dec k, int64_t *out) {
  __int128 m = (__int128)pence * k.m;
  int32_t scale = k.scale;
  for (; scale < 0; scale++) {
    if (m > (__int128)INT64_MAX * 10 || m < (__int128)INT64_MIN * 10) return false;
    m *= 10;
  }
  __int128 div = 1;
  for (int32_t i = 0; i < scale; i++) div *= 10; /* scale is at most 18 */
  __int128 q = m / div, rem = m % div;
  if ((rem < 0 ? -rem : rem) * 2 >= div) q += m < 0 ? -1 : 1;
  if (q > INT64_MAX || q < INT64_MIN) return false;
  *out = (int64_t)q;
  return true;
}

static chg_rv mul_values(chg_eval *ev, const chg_expr *e, chg_rv a, chg_rv b) {
  if (a.missing || b.missing) return missing(type_of(e));
  if (is_money(&a) && is_dec(&b)) {
    int64_t r;
    if (!money_times(a.u.pence, b.u.num, &r)) return failed(ev, e, "the amount is too large");
    return rv_money(r);
  }
  if (is_dec(&a) && is_money(&b)) return mul_values(ev, e, b, a);
  if (is_dec(&a) && is_dec(&b)) {
    chg_dec r;
    if (!chg_dec_mul(a.u.num, b.u.num, &r))
      return failed(ev, e, a.u.num.scale + b.u.num.scale > CHG_DEC_MAX_SCALE
                               ? "the product cannot be held exactly: it has more than 19 "
                                 "digits or 18 decimal places"
                               : "the number is too large");
    return rv_num(a.type == CHG_T_PERCENT && b.type == CHG_T_PERCENT ? CHG_T_PERCENT
                                                                     : CHG_T_NUMBER, r);
  }
  return failed(ev, e, "money cannot be multiplied by money");
}

enum { DIV_SCALE = 12 }; /* digits kept when dividing; see docs/reports.md */

static chg_rv div_values(chg_eval *ev, const chg_expr *e, chg_rv a, chg_rv b) {
  if (a.missing || b.missing) return missing(type_of(e));
  chg_dec num, den;
  bool money_result = false;
  if (is_money(&a) && is_money(&b)) {
    num = chg_dec_from_int(a.u.pence);
    den = chg_dec_from_int(b.u.pence);
  } else if (is_money(&a) && is_dec(&b)) {
    num = chg_dec_from_int(a.u.pence);
    den = b.u.num;
    money_result = true;
  } else if (is_dec(&a) && is_dec(&b)) {
    num = a.u.num;
    den = b.u.num;
  } else {
    return failed(ev, e, "a number cannot be divided by money");
  }
  if (den.m == 0) return failed(ev, e, "division by zero");
  chg_dec r;
  /* to the penny, half away from zero, as money times a number is: halving
   * £0.05 is £0.03 whether written `/ 2` or `* 0.5`; rounded once, so
   * £0.01 / 2.0000000000001 is £0, not a twelve-place 0.5p rounded up */
  if (!(money_result ? chg_dec_div_whole(num, den, &r) : chg_dec_div(num, den, DIV_SCALE, &r)))
    return failed(ev, e, "the result is too large");
  return money_result ? rv_money(r.m) : rv_num(CHG_T_NUMBER, r);
}

/* ---- series ---------------------------------------------------------------- */

/* Adds x into a series' running total; false when the sum cannot be held. */
static bool accumulate(chg_rv *total, chg_rv x) {
  if (total->missing) *total = x;
  else if (is_money(total) && is_money(&x))
    return !__builtin_add_overflow(total->u.pence, x.u.pence, &total->u.pence) &&
           total->u.pence != INT64_MIN;
  else if (is_dec(total) && is_dec(&x))
    return chg_dec_add(total->u.num, x.u.num, &total->u.num);
  return true;
}

static chg_rv series_total(const chg_node *attr) {
  chg_rv total = missing(CHG_T_QUANTITY);
  for (uint32_t i = 0; attr && i < attr->nseries; i++) {
    chg_rv x = quantity(&chg_node_series(attr)[i].value);
    if (x.missing) continue;
    if (!accumulate(&total, x)) return missing(CHG_T_ERROR);
  }
  return total;
}

/* How coarse a period is: a date, a month, a quarter, a financial year. */
static int grain(chg_vkind k) {
  switch (k) {
  case CHG_V_DATE: return 0;
  case CHG_V_MONTH: return 1;
  case CHG_V_QUARTER: return 2;
  case CHG_V_FY: return 3;
  default: return -1;
  }
}

/* A series indexed by a period: the total of every entry whose period
 * falls inside it, as a financial year gathers its quarters, months and
 * days.  An entry is placed by the day it starts, as the savings tables
 * place it (a calendar quarter that straddles a year starting in May
 * counts in the year it starts in); an entry coarser than the index (a
 * year asked for by a month) is not part of it, so alone it is missing. */
static chg_rv series_at(chg_eval *ev, const chg_expr *e, const chg_node *attr,
                        const chg_rv *key) {
  chg_value index;
  memset(&index, 0, sizeof index);
  switch (key->type) {
  case CHG_T_DATE: index.kind = CHG_V_DATE; index.u.day = key->u.ordinal; break;
  case CHG_T_MONTH: index.kind = CHG_V_MONTH; index.u.month = key->u.ordinal; break;
  case CHG_T_QUARTER: index.kind = CHG_V_QUARTER; index.u.quarter = key->u.ordinal; break;
  case CHG_T_FY: index.kind = CHG_V_FY; index.u.fy = key->u.ordinal; break;
  default: return missing(CHG_T_QUANTITY);
  }
  int32_t from, to;
  chg_period_days(ev, &index, &from, &to);
  chg_rv total = missing(CHG_T_QUANTITY);
  for (uint32_t i = 0; attr && i < attr->nseries; i++) {
    const chg_value *k = &chg_node_series(attr)[i].key;
    int g = grain((chg_vkind)k->kind);
    if (g < 0 || g > grain((chg_vkind)index.kind)) continue;
    int32_t first, last;
    chg_period_days(ev, k, &first, &last);
    if (first < from || first > to) continue;
    chg_rv x = quantity(&chg_node_series(attr)[i].value);
    if (!accumulate(&total, x))
      return failed(ev, e, is_money(&x) ? "the amount is too large" : "the number is too large");
  }
  return total;
}

/* ---- fields ---------------------------------------------------------------- */

static chg_node *posts_attr(const chg_node *saving, const char *category) {
  for (chg_node *a = saving->items; a; a = a->next)
    if (a->kind == CHG_N_ATTR && a->key && strcmp(a->key, "posts") == 0 && a->nargs &&
        chg_node_args(a)[0].kind == CHG_V_NAME &&
        strcmp(chg_path_name(chg_node_args(a), 0), category) == 0)
      return a;
  return NULL;
}

static chg_rv series_rv(const chg_node *attr) {
  if (!attr) return missing(CHG_T_SERIES);
  chg_rv v;
  memset(&v, 0, sizeof v);
  v.type = CHG_T_SERIES;
  v.u.series = attr;
  return v;
}

static bool recommendation_done(const chg_eval *ev, const chg_value *status) {
  if (!status || status->kind != CHG_V_LEVEL) return false;
  const chg_scale *s = status->u.scale;
  const char *name = s->levels[chg_level_of(status)];
  if (strcmp(name, "output_produced") == 0 || strcmp(name, "closed") == 0) return true;
  (void)ev;
  return chg_level_of(status) == (int32_t)s->nlevels - 1;
}

static chg_rv field(chg_eval *ev, chg_node *n, const chg_step *step);

/* The portfolio's status rolls up from its top-level work, as the
 * summary's overall status does: the worst of their statuses (of one
 * criterion, with `status.CRITERION`).  Missing when none has one. */
static chg_rv portfolio_status(chg_eval *ev, const chg_step *step) {
  chg_rv worst = missing(CHG_T_LEVEL);
  for (size_t i = 0; i < ev->work.len; i++) {
    chg_node *w = ev->work.items[i];
    if (w->parent) continue;
    chg_rv v = field(ev, w, step);
    if (v.missing || v.type != CHG_T_LEVEL) continue;
    if (worst.missing || v.u.level.index < worst.u.level.index) worst = v;
  }
  return worst;
}

/* A field of a block read from each block inside it (a rule on each of
 * 100,000 risks reading `programme.budget`) is found without walking the
 * block's items each time: see chg_attr_of. */
static const chg_value *field_arg0(chg_eval *ev, chg_node *n, const char *key) {
  chg_node *a = chg_attr_of(ev, n, key);
  return a && a->nargs ? &chg_node_args(a)[0] : NULL;
}

static chg_rv field(chg_eval *ev, chg_node *n, const chg_step *step) {
  chg_entity *e = n->spec && n->spec->id != CHG_K_SCALE && n->spec->id != CHG_K_UNIT &&
                          n->spec->id != CHG_K_PORTFOLIO
                      ? chg_entity_of(ev, n) : NULL;
  chg_benefit_figures bf;
  switch ((chg_field_id)step->field) {
  case CHG_F_ID: return rv_str(CHG_T_STRING, chg_block_id(n));
  case CHG_F_TITLE: return rv_str(CHG_T_STRING, chg_block_title_or_id(n));
  case CHG_F_UNIT:
    if (n->spec->id == CHG_K_IMPACT) return of_value(field_arg0(ev, n, "unit"));
    return rv_entity(e ? e->unit : NULL);
  case CHG_F_SRO: return of_value(field_arg0(ev, n, "sro"));
  case CHG_F_MANAGER: return of_value(field_arg0(ev, n, "manager"));
  case CHG_F_RATIONALE: return of_value(field_arg0(ev, n, "rationale"));
  case CHG_F_LAYER: return of_value(field_arg0(ev, n, "layer"));
  case CHG_F_STATUS_RAG:
    if (n->spec->id == CHG_K_PORTFOLIO) return portfolio_status(ev, step);
    if (step->name) { /* one criterion: as written, and as hooks set it */
      chg_rv worst = missing(CHG_T_LEVEL);
      chg_attr_walk w;
      chg_attr_walk_start(ev, n, &w);
      for (chg_node *a; (a = chg_attr_walk_next(&w)) != NULL;)
        if (strcmp(a->key, "status") == 0 &&
            a->nargs > 1 && chg_node_args(a)[0].kind == CHG_V_NAME &&
            chg_path_name(&chg_node_args(a)[0], 0) == step->name) {
          worst = of_value(&chg_node_args(a)[1]);
          break;
        }
      for (chg_hook_status *h = e ? chg_hook_statuses_first(e) : NULL; h;
           h = chg_hook_statuses_next(e, h))
        if (strcmp(h->criterion, step->name) == 0 &&
            (worst.missing || (worst.u.level.scale == ev->rag && h->level < worst.u.level.index)))
          worst = rv_level(ev->rag, h->level);
      return worst;
    }
    return rv_level(ev->rag, e ? e->status : -1);
  case CHG_F_CONFIDENCE:
    if (n->spec->id == CHG_K_PORTFOLIO) return of_value(field_arg0(ev, n, "confidence"));
    return rv_level(ev->dca, e ? e->confidence : -1);
  case CHG_F_START: return of_value(field_arg0(ev, n, "start"));
  case CHG_F_END: return of_value(field_arg0(ev, n, "end"));
  case CHG_F_BUDGET: return of_value(field_arg0(ev, n, "budget"));
  case CHG_F_TAGS: {
    const chg_value *t = field_arg0(ev, n, "tags");
    if (!t || t->kind != CHG_V_LIST) return missing(CHG_T_LIST);
    chg_rv v;
    memset(&v, 0, sizeof v);
    v.type = CHG_T_LIST;
    v.u.list = t->u.items;
    v.list_len = chg_list_len(t);
    return v;
  }
  case CHG_F_SLIP_DAYS:
    if (n->spec->id == CHG_K_MILESTONE)
      return e->has_slip ? rv_num(CHG_T_NUMBER, chg_dec_from_int(e->slip_days)) : missing(CHG_T_NUMBER);
    if (n->spec->id == CHG_K_BENEFIT) {
      chg_benefit_figures_of(ev, n, &bf);
      return bf.has_slip_days ? rv_num(CHG_T_NUMBER, chg_dec_from_int(bf.slip_days))
                              : missing(CHG_T_NUMBER);
    }
    return rv_num(CHG_T_NUMBER, chg_dec_from_int(e ? e->max_slip_days : 0));
  case CHG_F_OVERDUE:
    if (n->spec->id == CHG_K_MILESTONE) return rv_bool(e->overdue);
    if (n->spec->id == CHG_K_RECOMMENDATION) {
      const chg_value *due = field_arg0(ev, n, "due");
      return rv_bool(due && due->kind == CHG_V_DATE && due->u.day < ev->as_of &&
                     !recommendation_done(ev, field_arg0(ev, n, "status")));
    }
    return rv_bool(e && e->has_overdue);
  case CHG_F_PROGRAMME: {
    if (n->spec->id == CHG_K_SAVING) return rv_entity(chg_saving_programme(n));
    return rv_entity(chg_top_work(n->parent));
  }
  case CHG_F_BASELINE_DATE: return of_value(field_arg0(ev, n, "baseline"));
  case CHG_F_FORECAST: return of_value(field_arg0(ev, n, "forecast"));
  case CHG_F_ACTUAL_DATE: return of_value(field_arg0(ev, n, "actual"));
  case CHG_F_PROGRESS: return of_value(field_arg0(ev, n, "progress"));
  case CHG_F_GO_LIVE: {
    const chg_value *g = field_arg0(ev, n, "go_live");
    return rv_bool(g && g->kind == CHG_V_BOOL && g->u.b);
  }
  case CHG_F_DONE: return rv_bool(e && e->done);
  case CHG_F_BENEFIT_TYPE: return of_value(field_arg0(ev, n, "type"));
  case CHG_F_OWNER: return of_value(field_arg0(ev, n, "owner"));
  case CHG_F_MEASURE: return of_value(field_arg0(ev, n, "measure"));
  case CHG_F_BASELINE_VALUE: return quantity(field_arg0(ev, n, "baseline"));
  case CHG_F_TARGET: return quantity(field_arg0(ev, n, "target"));
  case CHG_F_DUE: return of_value(field_arg0(ev, n, "due"));
  case CHG_F_PROFILE: return series_rv(chg_attr_of(ev, n, "profile"));
  case CHG_F_ACTUAL_SERIES: return series_rv(chg_attr_of(ev, n, "actual"));
  case CHG_F_REALISED:
    chg_benefit_figures_of(ev, n, &bf);
    return rv_bool(bf.met);
  case CHG_F_REALISED_VALUE:
    chg_benefit_figures_of(ev, n, &bf);
    return bf.realised;
  case CHG_F_PLANNED:
    chg_benefit_figures_of(ev, n, &bf);
    return bf.planned;
  case CHG_F_SHORTFALL:
    chg_benefit_figures_of(ev, n, &bf);
    return bf.slip_value;
  case CHG_F_AT_RISK: return rv_bool(e && e->at_risk);
  case CHG_F_MONEY: return series_rv(chg_attr_of(ev, n, "money"));
  case CHG_F_POSTS: return series_rv(step->name ? posts_attr(n, step->name) : NULL);
  case CHG_F_LIKELIHOOD:
    return e && e->likelihood ? rv_num(CHG_T_NUMBER, chg_dec_from_int(e->likelihood)) : missing(CHG_T_NUMBER);
  case CHG_F_RISK_IMPACT:
    return e && e->impact ? rv_num(CHG_T_NUMBER, chg_dec_from_int(e->impact)) : missing(CHG_T_NUMBER);
  case CHG_F_SCORE:
    return e && e->scored ? rv_num(CHG_T_NUMBER, chg_dec_from_int(chg_risk_score(e))) : missing(CHG_T_NUMBER);
  case CHG_F_BAND: return rv_level(ev->band, e ? e->band : -1);
  case CHG_F_ESCALATION:
    return rv_level(ev->escalation, e && e->escalation ? e->escalation->level : -1);
  case CHG_F_CATEGORY: return of_value(field_arg0(ev, n, "category"));
  case CHG_F_PROXIMITY: return of_value(field_arg0(ev, n, "proximity"));
  case CHG_F_MITIGATION: return of_value(field_arg0(ev, n, "mitigation"));
  case CHG_F_LOAD: {
    const chg_value *l = field_arg0(ev, n, "level");
    if (!l) return missing(CHG_T_NUMBER);
    if (l->kind == CHG_V_LEVEL)
      return rv_num(CHG_T_NUMBER, chg_dec_from_int((int64_t)l->u.scale->nlevels -
                                                   chg_level_of(l)));
    return of_value(l);
  }
  case CHG_F_PERIOD: {
    const chg_value *period = field_arg0(ev, n, "period");
    chg_rv v = missing(CHG_T_PERIOD);
    if (!period) return v;
    chg_period_days(ev, period, &v.u.days.first, &v.u.days.last);
    v.missing = v.u.days.first == INT32_MIN;
    return v;
  }
  case CHG_F_NUMBER: return of_value(field_arg0(ev, n, "number"));
  case CHG_F_THEME: return of_value(field_arg0(ev, n, "theme"));
  case CHG_F_REC_STATUS: return of_value(field_arg0(ev, n, "status"));
  case CHG_F_OUTPUTS: {
    int64_t count = 0;
    chg_attr_walk w;
    chg_attr_walk_start(ev, n, &w);
    for (chg_node *a; (a = chg_attr_walk_next(&w)) != NULL;) count += strcmp(a->key, "output") == 0;
    return rv_num(CHG_T_NUMBER, chg_dec_from_int(count));
  }
  case CHG_F_CAPACITY: {
    const chg_value *c = field_arg0(ev, n, "capacity");
    if (!c && n->spec->id == CHG_K_UNIT && ev->portfolio) c = chg_arg0(ev->portfolio, "capacity");
    return of_value(c);
  }
  case CHG_F_AS_OF:
    return ev->as_of == INT32_MIN ? missing(CHG_T_DATE) : rv_ordinal(CHG_T_DATE, ev->as_of);
  case CHG_F_REQUIREMENT: return series_rv(chg_attr_of(ev, n, "requirement"));
  case CHG_F_CURRENCY: return of_value(field_arg0(ev, n, "currency"));
  case CHG_F__COUNT: break;
  }
  return missing(CHG_T_ERROR);
}

chg_rv chg_field_value(chg_eval *ev, chg_node *n, uint32_t field_id, const char *name) {
  chg_step s;
  memset(&s, 0, sizeof s);
  s.kind = CHG_STEP_FIELD;
  s.field = field_id;
  s.name = name;
  return field(ev, n, &s);
}

static chg_rv read_name(chg_eval *ev, const chg_expr *e, chg_node *self) {
  chg_rv cur = missing(CHG_T_ERROR);
  chg_node *at = self ? self : ev->portfolio;
  for (uint32_t i = 0; i < e->nsteps; i++) {
    const chg_step *s = &e->steps[i];
    switch (s->kind) {
    case CHG_STEP_SELF: cur = rv_entity(self); break;
    case CHG_STEP_ENTITY: cur = rv_entity(s->node); break;
    case CHG_STEP_LEVEL: cur = rv_level(s->scale, s->level); break;
    case CHG_STEP_SYMBOL: cur = rv_str(CHG_T_SYMBOL, s->name); break;
    case CHG_STEP_FIELD:
      if (i > 0) {
        if (cur.missing || cur.type != CHG_T_ENTITY) return missing((chg_tkind)e->type);
        at = cur.u.entity;
      }
      if (!at) return missing((chg_tkind)e->type);
      cur = field(ev, at, s);
      break;
    }
  }
  return cur;
}

/* ---- aggregates -------------------------------------------------------------- */

static bool nests_in(chg_kind_id inner, chg_kind_id outer) {
  /* can a block of kind `inner` sit somewhere inside one of kind `outer`? */
  uint32_t seen = 0, frontier = CHG_KM(outer);
  while (frontier) {
    seen |= frontier;
    uint32_t next = 0;
    for (int k = 0; k < CHG_K__COUNT; k++)
      if (chg_schema_kind((chg_kind_id)k)->where & frontier) next |= CHG_KM(k);
    if (next & CHG_KM(inner)) return true;
    frontier = next & ~seen;
  }
  return false;
}

typedef struct agg_state {
  chg_eval *ev;
  const chg_expr *call;
  const chg_expr *value;
  const chg_cond *filter; /* its `where`, compiled; NULL when none */
  int64_t matched, total;
  int64_t values; /* how many had a value: what avg divides by */
  chg_rv acc;
  bool any_value;
  const char *incomparable; /* min or max met two values of different kinds */
  const char *fn;
} agg_state;

static void agg_visit(agg_state *st, chg_node *item) {
  chg_eval *ev = st->ev;
  ev->agg_steps++;
  ev->agg_total++;
  if (chg_agg_over_budget(ev)) return;
  st->total++;
  if (st->filter && !chg_cond_holds(ev, st->filter, item)) return;
  st->matched++;
  const char *fn = st->fn;
  if (!strcmp(fn, "count") || !strcmp(fn, "pct") || !strcmp(fn, "any") || !strcmp(fn, "all"))
    return;
  chg_rv v = chg_eval_expr(ev, st->value, item);
  if (v.type == CHG_T_SERIES && !v.missing) {
    v = series_total(v.u.series);
    /* a block's series whose own total is too large to hold is not a
     * block without one: left out, the aggregate would be wrong */
    if (v.missing && v.type == CHG_T_ERROR) {
      failed(ev, st->call, chg_arena_printf(&ev->ctx->arena,
                                            "the entries of `%s` add up to more than can be "
                                            "held exactly", chg_path_of(ev->ctx, item)));
      return;
    }
  }
  if (v.missing) return;
  st->values++;
  if (!st->any_value) {
    st->acc = v;
    st->any_value = true;
    return;
  }
  if (!strcmp(fn, "sum") || !strcmp(fn, "avg")) {
    st->acc = add_values(ev, st->call, st->acc, v, false);
  } else {
    int c = compare(&v, &st->acc);
    if (c == 2 && !st->incomparable) {
      /* which is least would depend on the order of the blocks */
      char x[64], y[64];
      chg_rv_format(ev, &st->acc, x, sizeof x);
      chg_rv_format(ev, &v, y, sizeof y);
      st->incomparable = chg_arena_printf(&ev->ctx->arena, "%s cannot be compared with %s", x, y);
    }
    if (c != 2 && ((!strcmp(fn, "min") && c < 0) || (!strcmp(fn, "max") && c > 0)))
      st->acc = v;
  }
}

static void agg_walk(agg_state *st, chg_node *block, chg_kind_id kind) {
  /* a line written at the top level counts where its `programme` points */
  if (kind == CHG_K_SAVING)
    for (const chg_attributed *a = chg_attributed_savings(st->ev, block); a; a = a->next)
      agg_visit(st, a->line);
  for (chg_node *c = block->items; c; c = c->next) {
    if (c->kind != CHG_N_BLOCK || !c->spec) continue;
    if (c->spec->id == kind) agg_visit(st, c);
    agg_walk(st, c, kind);
  }
}

static chg_rv aggregate(chg_eval *ev, const chg_expr *e, chg_node *self) {
  const chg_expr *arg = e->args[0];
  agg_state st;
  memset(&st, 0, sizeof st);
  st.ev = ev;
  st.call = e;
  st.fn = e->fn;
  st.value = arg->op == CHG_X_WHERE ? arg->a : arg;
  chg_kind_id kind = (chg_kind_id)e->iter_kind;
  if (e->iter_kind < 0) return missing(CHG_T_ERROR);
  if (arg->op == CHG_X_WHERE) {
    /* a claim's filter runs on every block of the kind, a rule's on every
     * block in each entity: compiled the first time, kept with it */
    chg_expr *where = (chg_expr *)arg;
    if (!where->filter_cond) where->filter_cond = chg_cond_compile(ev, where->b, (int)kind);
    st.filter = where->filter_cond;
  }
  /* in a rule, over what the entity holds; in a claim, over everything.
   * Savings lines name the work they count for, a workstream included,
   * though none can be written inside one. */
  if (self && self->spec &&
      (nests_in(kind, self->spec->id) || (kind == CHG_K_SAVING && chg_is_work(self)))) {
    agg_walk(&st, self, kind);
  } else {
    const chg_vec *all = &ev->by_kind[kind];
    for (size_t i = 0; i < all->len && !chg_agg_over_budget(ev); i++)
      agg_visit(&st, all->items[i]);
  }
  if (chg_agg_over_budget(ev)) {
    /* said once, by the aggregate that found it; those around it fail too */
    if (!ev->agg_over_said) {
      ev->agg_over_said = true;
      char one[32], all[32];
      chg_fmt_count(one, sizeof one, (int64_t)ev->agg_limit, false);
      chg_fmt_count(all, sizeof all, (int64_t)ev->agg_limit * 5, false);
      /* which limit: this test's own, or the run's, that many tests filled */
      if (ev->agg_steps > ev->agg_limit)
        return failed(ev, e, chg_arena_printf(&ev->ctx->arena,
                                              "too much work: its aggregates would visit more "
                                              "blocks than chg allows one rule's test or one "
                                              "claim (%s)", one));
      return failed(ev, e, chg_arena_printf(&ev->ctx->arena,
                                            "too much work: the aggregates of the rules and "
                                            "claims before it have visited %s blocks, as many "
                                            "as chg allows in a run", all));
    }
    ev->failures++;
    return missing(CHG_T_ERROR);
  }
  const char *fn = e->fn;
  chg_rv out;
  if (!strcmp(fn, "count")) {
    out = rv_num(CHG_T_NUMBER, chg_dec_from_int(st.matched));
  } else if (!strcmp(fn, "pct")) {
    if (!st.total) return missing(CHG_T_PERCENT);
    chg_dec r;
    chg_dec_div(chg_dec_from_int(st.matched), chg_dec_from_int(st.total), DIV_SCALE, &r);
    out = rv_num(CHG_T_PERCENT, r);
  } else if (!strcmp(fn, "any")) {
    out = rv_bool(st.matched > 0);
  } else if (!strcmp(fn, "all")) {
    out = rv_bool(st.matched == st.total);
  } else if (st.incomparable) {
    return failed(ev, e, st.incomparable);
  } else if (!st.any_value) {
    /* a sum of nothing is nothing, as a spreadsheet's SUM and the savings
     * totals say: a budget gap is still a gap in a year no line has reached
     * yet.  A least, greatest or mean of nothing is no figure at all, and a
     * sum of figures whose kind is known only from their values has no kind */
    if (!strcmp(fn, "sum") && e->type == CHG_T_MONEY) out = rv_money(0);
    else if (!strcmp(fn, "sum") && (e->type == CHG_T_NUMBER || e->type == CHG_T_PERCENT))
      out = rv_num((chg_tkind)e->type, chg_dec_from_int(0));
    else return missing((chg_tkind)e->type);
  } else if (!strcmp(fn, "avg")) {
    /* of the values there are: a missing one is not a zero */
    chg_rv n = rv_num(CHG_T_NUMBER, chg_dec_from_int(st.values));
    out = div_values(ev, e, st.acc, n);
    if (!out.missing && !is_money(&st.acc)) out.type = st.acc.type;
  } else {
    out = st.acc;
  }
  out.counted = st.matched;
  out.of = st.total;
  return out;
}

/* ---- the walk ---------------------------------------------------------------- */

/* Money against a plain number, which only a benefit's figures (money or
 * numbers, as each was written) bring together: no answer, but an error. */
static bool money_against_number(const chg_rv *a, const chg_rv *b) {
  return (is_money(a) && is_dec(b)) || (is_dec(a) && is_money(b));
}

static chg_rv cannot_compare(chg_eval *ev, const chg_expr *e, chg_node *self, const chg_rv *a,
                             const chg_rv *b) {
  char x[64], y[64];
  chg_rv_format(ev, a, x, sizeof x);
  chg_rv_format(ev, b, y, sizeof y);
  const char *why = chg_arena_printf(&ev->ctx->arena, "%s cannot be compared with %s", x, y);
  if (self && !ev->rule_entity) /* a rule's failure names its entity already */
    why = chg_arena_printf(&ev->ctx->arena, "for %s `%s`, %s", self->key,
                           chg_path_of(ev->ctx, self), why);
  return failed(ev, e, why);
}

static chg_rv in_list(chg_eval *ev, const chg_expr *e, chg_node *self, chg_rv a) {
  if (a.missing) return rv_bool(false);
  if (e->b->op == CHG_X_LIST) {
    for (uint32_t i = 0; i < e->b->nargs; i++) {
      chg_rv x = chg_eval_expr(ev, e->b->args[i], self);
      if (!x.missing && money_against_number(&a, &x)) return cannot_compare(ev, e, self, &a, &x);
      if (!x.missing && equal(ev, &a, &x)) return rv_bool(true);
    }
    return rv_bool(false);
  }
  chg_rv list = chg_eval_expr(ev, e->b, self);
  if (list.missing) return rv_bool(false);
  if (list.type == CHG_T_PERIOD) return rv_bool(within(ev, &a, &list));
  for (uint32_t i = 0; i < list.list_len; i++) {
    chg_rv x = of_value(&list.u.list[i]);
    if (!x.missing && compare(&a, &x) == 0) return rv_bool(true);
  }
  return rv_bool(false);
}

chg_rv chg_eval_expr(chg_eval *ev, const chg_expr *e, chg_node *self) {
  switch (e->op) {
  case CHG_X_LIT:
    return of_value(&e->value);
  case CHG_X_NAME:
    return read_name(ev, e, self);
  case CHG_X_NEG: {
    chg_rv a = chg_eval_expr(ev, e->a, self);
    if (a.missing) return a;
    /* the most negative figure has no positive twin */
    int64_t *m = is_money(&a) ? &a.u.pence : &a.u.num.m;
    if (*m == INT64_MIN)
      return failed(ev, e, is_money(&a) ? "the amount is too large" : "the number is too large");
    *m = -*m;
    return a;
  }
  case CHG_X_NOT: {
    /* a true/false field with no value reads as false, as a comparison
     * with a missing value is: its `not` is true */
    chg_rv a = chg_eval_expr(ev, e->a, self);
    return rv_bool(a.missing || !a.u.b);
  }
  case CHG_X_AND: {
    chg_rv a = chg_eval_expr(ev, e->a, self);
    if (a.missing || !a.u.b) return rv_bool(false);
    chg_rv b = chg_eval_expr(ev, e->b, self);
    return rv_bool(!b.missing && b.u.b);
  }
  case CHG_X_OR: {
    chg_rv a = chg_eval_expr(ev, e->a, self);
    if (!a.missing && a.u.b) return rv_bool(true);
    chg_rv b = chg_eval_expr(ev, e->b, self);
    return rv_bool(!b.missing && b.u.b);
  }
  case CHG_X_EQ: case CHG_X_NE: case CHG_X_LT: case CHG_X_LE: case CHG_X_GT:
  case CHG_X_GE: {
    chg_rv a = chg_eval_expr(ev, e->a, self), b = chg_eval_expr(ev, e->b, self);
    if (a.missing || b.missing) return rv_bool(false);
    if (a.type == CHG_T_PERIOD || b.type == CHG_T_PERIOD) /* == and != only */
      return rv_bool(equal(ev, &a, &b) == (e->op == CHG_X_EQ));
    int c = compare(&a, &b);
    if (c == 2 && ((e->op != CHG_X_NE && e->op != CHG_X_EQ) || money_against_number(&a, &b)))
      return cannot_compare(ev, e, self, &a, &b);
    if (c == 2) return rv_bool(e->op == CHG_X_NE);
    switch (e->op) {
    case CHG_X_EQ: return rv_bool(c == 0);
    case CHG_X_NE: return rv_bool(c != 0);
    case CHG_X_LT: return rv_bool(c < 0);
    case CHG_X_LE: return rv_bool(c <= 0);
    case CHG_X_GT: return rv_bool(c > 0);
    default: return rv_bool(c >= 0);
    }
  }
  case CHG_X_IN:
    return in_list(ev, e, self, chg_eval_expr(ev, e->a, self));
  case CHG_X_ADD:
  case CHG_X_SUB:
    return add_values(ev, e, chg_eval_expr(ev, e->a, self), chg_eval_expr(ev, e->b, self),
                      e->op == CHG_X_SUB);
  case CHG_X_MUL:
    return mul_values(ev, e, chg_eval_expr(ev, e->a, self), chg_eval_expr(ev, e->b, self));
  case CHG_X_DIV:
    return div_values(ev, e, chg_eval_expr(ev, e->a, self), chg_eval_expr(ev, e->b, self));
  case CHG_X_CALL:
    return aggregate(ev, e, self);
  case CHG_X_INDEX: {
    chg_rv s = chg_eval_expr(ev, e->a, self), k = chg_eval_expr(ev, e->b, self);
    if (s.missing || k.missing || s.type != CHG_T_SERIES) return missing((chg_tkind)e->type);
    return series_at(ev, e, s.u.series, &k);
  }
  case CHG_X_LIST:
  case CHG_X_WHERE:
    break;
  }
  return missing(CHG_T_ERROR);
}

/* ---- a condition, compiled ---------------------------------------------------
 *
 * A rule is tried on every block of its kind, and an aggregate's `where`
 * on every block it ranges over: the standard rules on every risk of a
 * national portfolio, where working out `score >= 12 and score < 20` as
 * values (a field read, a literal read, two comparisons of decimals, each
 * value built and copied) was nine tenths of the rules' time.  A rule's
 * `when` or an aggregate's `where` is compiled once, for the kind of block
 * it is tried on, into a tree of `and`, `or` and `not` whose leaves that
 * compare a number the entity record keeps (a risk's score, likelihood
 * and impact, a milestone's slip, the worst slip in a piece of work) with
 * a number or percentage written in the rule read the record and compare
 * two decimals; any other leaf is an expression evaluated in full.  The
 * answer is always chg_eval_expr's: CHG_DEBUG_CAREFUL=1 evaluates every
 * condition in full, and tests/quick_parse.sh compares the two on the
 * golden portfolios. */

typedef enum cond_op {
  COND_AND,
  COND_OR,
  COND_NOT,
  COND_KEPT,  /* a kept number against a written one */
  COND_EXPR,  /* any other operand, evaluated in full */
  COND_WHOLE  /* a condition not compiled, evaluated in full */
} cond_op;

/* The numbers an entity record keeps that a rule may compare. */
typedef enum kept_number {
  KEPT_SCORE,
  KEPT_LIKELIHOOD,
  KEPT_IMPACT,
  KEPT_SLIP,      /* a milestone's, missing when it has none */
  KEPT_WORST_SLIP /* a programme's, project's or workstream's, 0 when none */
} kept_number;

struct chg_cond {
  cond_op op;
  chg_eop cmp;       /* KEPT: how the kept number compares with `written` */
  kept_number kept;  /* KEPT */
  chg_dec written;   /* KEPT */
  const chg_cond *a, *b;
  const chg_expr *expr; /* EXPR */
};

/* Which kept number a field of a block of `kind` reads, as field() reads
 * it, or -1 when it is not one. */
static int kept_number_of(const chg_expr *e, int kind) {
  if (e->op != CHG_X_NAME || e->nsteps != 1 || e->steps[0].kind != CHG_STEP_FIELD ||
      e->steps[0].name)
    return -1;
  switch ((chg_field_id)e->steps[0].field) {
  case CHG_F_SCORE: return kind == CHG_K_RISK ? KEPT_SCORE : -1;
  case CHG_F_LIKELIHOOD: return kind == CHG_K_RISK ? KEPT_LIKELIHOOD : -1;
  case CHG_F_RISK_IMPACT: return kind == CHG_K_RISK ? KEPT_IMPACT : -1;
  case CHG_F_SLIP_DAYS:
    if (kind == CHG_K_MILESTONE) return KEPT_SLIP;
    return CHG_KM(kind) & CHG_KM_WORK ? KEPT_WORST_SLIP : -1;
  default: return -1;
  }
}

static bool written_number(const chg_expr *e, chg_dec *d) {
  if (e->op != CHG_X_LIT || (e->value.kind != CHG_V_NUMBER && e->value.kind != CHG_V_PERCENT))
    return false;
  *d = chg_value_dec(&e->value);
  return true;
}

/* `20 <= score` is `score >= 20` */
static chg_eop turned_round(chg_eop op) {
  switch (op) {
  case CHG_X_LT: return CHG_X_GT;
  case CHG_X_LE: return CHG_X_GE;
  case CHG_X_GT: return CHG_X_LT;
  case CHG_X_GE: return CHG_X_LE;
  default: return op;
  }
}

static const chg_cond *compile_cond(chg_eval *ev, const chg_expr *e, int kind) {
  chg_cond *c = CHG_NEW(&ev->ctx->arena, chg_cond);
  c->op = COND_EXPR;
  c->expr = e;
  switch (e->op) {
  case CHG_X_AND: case CHG_X_OR:
    c->op = e->op == CHG_X_AND ? COND_AND : COND_OR;
    c->a = compile_cond(ev, e->a, kind);
    c->b = compile_cond(ev, e->b, kind);
    break;
  case CHG_X_NOT:
    c->op = COND_NOT;
    c->a = compile_cond(ev, e->a, kind);
    break;
  case CHG_X_EQ: case CHG_X_NE: case CHG_X_LT: case CHG_X_LE: case CHG_X_GT:
  case CHG_X_GE: {
    int kept = kept_number_of(e->a, kind);
    if (kept >= 0 && written_number(e->b, &c->written)) {
      c->cmp = e->op;
    } else if ((kept = kept_number_of(e->b, kind)) >= 0 && written_number(e->a, &c->written)) {
      c->cmp = turned_round(e->op);
    } else {
      break;
    }
    c->op = COND_KEPT;
    c->kept = (kept_number)kept;
    ev->kept_comparisons++;
    break;
  }
  default: break;
  }
  return c;
}

const chg_cond *chg_cond_compile(chg_eval *ev, const chg_expr *e, int kind) {
  /* A condition that is no `and`, `or`, `not` or comparison is left to
   * chg_eval_expr whole: the value of those four is always true or false,
   * and so the same whether tested as a rule's (true, not missing) or as
   * an operand (not missing, true). */
  switch (ev->ctx->careful ? CHG_X_LIT : e->op) {
  case CHG_X_AND: case CHG_X_OR: case CHG_X_NOT: case CHG_X_EQ: case CHG_X_NE:
  case CHG_X_LT: case CHG_X_LE: case CHG_X_GT: case CHG_X_GE:
    ev->conds_compiled++;
    return compile_cond(ev, e, kind);
  default: {
    chg_cond *c = CHG_NEW(&ev->ctx->arena, chg_cond);
    c->op = COND_WHOLE;
    c->expr = e;
    return c;
  }
  }
}

/* The kept number of `self`, false when it has none (as field() says). */
static bool kept_value(chg_eval *ev, kept_number kept, chg_node *self, int64_t *v) {
  const chg_entity *e = chg_entity_of(ev, self);
  switch (kept) {
  case KEPT_SCORE: *v = chg_risk_score(e); return e->scored;
  case KEPT_LIKELIHOOD: *v = e->likelihood; return e->likelihood != 0;
  case KEPT_IMPACT: *v = e->impact; return e->impact != 0;
  case KEPT_SLIP: *v = e->slip_days; return e->has_slip;
  case KEPT_WORST_SLIP: *v = e->max_slip_days; return true;
  }
  return false;
}

bool chg_cond_holds(chg_eval *ev, const chg_cond *c, chg_node *self) {
  switch (c->op) {
  case COND_AND: return chg_cond_holds(ev, c->a, self) && chg_cond_holds(ev, c->b, self);
  case COND_OR: return chg_cond_holds(ev, c->a, self) || chg_cond_holds(ev, c->b, self);
  case COND_NOT: return !chg_cond_holds(ev, c->a, self);
  case COND_KEPT: {
    int64_t v;
    if (!kept_value(ev, c->kept, self, &v)) return false; /* compared with nothing */
    int k = chg_dec_cmp(chg_dec_from_int(v), c->written);
    switch (c->cmp) {
    case CHG_X_EQ: return k == 0;
    case CHG_X_NE: return k != 0;
    case CHG_X_LT: return k < 0;
    case CHG_X_LE: return k <= 0;
    case CHG_X_GT: return k > 0;
    default: return k >= 0;
    }
  }
  case COND_EXPR: {
    chg_rv v = chg_eval_expr(ev, c->expr, self);
    return !v.missing && v.u.b;
  }
  case COND_WHOLE: {
    chg_rv v = chg_eval_expr(ev, c->expr, self);
    return v.type == CHG_T_BOOL && !v.missing && v.u.b;
  }
  }
  return false;
}

/* ---- benefits ------------------------------------------------------------------ */

/* Zero of the same kind as x: nothing realised yet, in the plan's terms. */
static chg_rv zero_like(chg_rv x) {
  if (is_money(&x)) x.u.pence = 0;
  else x.u.num = chg_dec_from_int(0);
  return x;
}

void chg_benefit_figures_of(chg_eval *ev, chg_node *b, chg_benefit_figures *out) {
  memset(out, 0, sizeof *out);
  out->target = quantity(chg_arg0(b, "target"));
  out->baseline = quantity(chg_arg0(b, "baseline"));
  out->realised = missing(CHG_T_QUANTITY);
  out->planned = missing(CHG_T_QUANTITY);
  out->planned_total = missing(CHG_T_QUANTITY);
  out->slip_value = missing(CHG_T_QUANTITY);
  chg_node *actual = chg_attr(b, "actual"), *profile = chg_attr(b, "profile");
  /* Which way is better: a target under the baseline (fewer complaints),
   * or without them a profile that adds up below zero, means the figures
   * are meant to fall, and being behind means being above the plan. */
  bool downward = false;
  int c0 = out->target.missing || out->baseline.missing ? 2 : compare(&out->target, &out->baseline);
  if (c0 != 2) {
    downward = c0 < 0;
  } else if (profile) {
    chg_rv sum = series_total(profile), zero = zero_like(sum);
    downward = !sum.missing && compare(&sum, &zero) == -1;
  }
  /* realised: what was recorded for periods begun by the reporting date */
  for (uint32_t i = 0; actual && i < actual->nseries; i++) {
    int32_t first, last;
    chg_period_days(ev, &chg_node_series(actual)[i].key, &first, &last);
    if (first == INT32_MIN || first > ev->as_of) continue;
    chg_rv x = quantity(&chg_node_series(actual)[i].value);
    if (x.missing) continue;
    out->realised = out->realised.missing ? x : add_values(ev, NULL, out->realised, x, false);
  }
  /* planned: the profile of the periods ended by the reporting date.  The
   * entries are taken in the order their periods end, whatever order they
   * were written in and however long each is (a year begun before a month
   * may end after it), those ending on one day together. */
  uint32_t n = profile ? profile->nseries : 0;
  uint32_t *order = n ? CHG_NEW_ARRAY(&ev->ctx->arena, uint32_t, n) : NULL;
  int32_t *ends = n ? CHG_NEW_ARRAY(&ev->ctx->arena, int32_t, n) : NULL;
  for (uint32_t i = 0; i < n; i++) {
    int32_t first, last;
    chg_period_days(ev, &chg_node_series(profile)[i].key, &first, &last);
    ends[i] = first == INT32_MIN ? INT32_MIN : last;
    uint32_t j = i;
    while (j > 0 && ends[order[j - 1]] > ends[i]) {
      order[j] = order[j - 1];
      j--;
    }
    order[j] = i;
  }
  chg_rv cumulative = missing(CHG_T_QUANTITY);
  int32_t behind_since = INT32_MIN;
  for (uint32_t k = 0; k < n; k++) {
    uint32_t i = order[k];
    int32_t last = ends[i];
    chg_rv x = quantity(&chg_node_series(profile)[i].value);
    if (last == INT32_MIN) continue;
    if (!x.missing) cumulative = cumulative.missing ? x : add_values(ev, NULL, cumulative, x, false);
    if (cumulative.missing) continue;
    if (k + 1 < n && ends[order[k + 1]] == last) continue; /* the day's plan is not all in */
    if (last > ev->as_of) continue;
    out->planned = cumulative;
    /* behind since the end of the first period of the latest run whose
     * plans are not met: a plan met since (a profile that dips, or a
     * figure that caught up) is not behind at all */
    chg_rv got = out->realised.missing ? zero_like(cumulative) : out->realised;
    int c = compare(&got, &cumulative);
    if (c == 2) continue;
    if (downward ? c > 0 : c < 0) {
      if (behind_since == INT32_MIN) behind_since = last;
    } else {
      behind_since = INT32_MIN;
    }
  }
  if (behind_since != INT32_MIN) {
    out->has_slip_days = true;
    out->slip_days = (int64_t)ev->as_of - behind_since;
  }
  out->planned_total = cumulative;
  out->profile_end = n ? ends[order[n - 1]] : INT32_MIN;
  out->downward = downward;
  if ((c0 == -1 || c0 == 1) && !cumulative.missing) {
    chg_rv zero = zero_like(cumulative);
    int way = compare(&cumulative, &zero);
    out->profile_away = (way == 1 || way == -1) && way == -c0;
  }
  if (!cumulative.missing && !out->target.missing) {
    chg_rv reach = out->baseline.missing ? cumulative
                                          : add_values(ev, NULL, out->baseline, cumulative, false);
    int c = reach.missing ? 2 : compare(&reach, &out->target);
    out->profile_past_target = c != 2 && (downward ? c < 0 : c > 0);
    out->reach = reach;
  }
  /* on profile, 0 days; with no period of the plan ended yet, nothing to
   * be behind (blank, not 0, which reads as "on plan") */
  if (profile && !out->has_slip_days && !out->planned.missing) out->has_slip_days = true;
  if (!out->planned.missing) {
    chg_rv got = out->realised.missing ? zero_like(out->planned) : out->realised;
    out->slip_value = downward ? add_values(ev, NULL, got, out->planned, true)
                               : add_values(ev, NULL, out->planned, got, true);
    chg_rv zero = zero_like(out->slip_value);
    out->behind = !out->slip_value.missing && compare(&out->slip_value, &zero) == 1;
  }
  if (!out->target.missing && !out->realised.missing) {
    /* the target is a value to reach from the baseline, and the actuals
     * are what was realised on the way: compare where they have brought it */
    chg_rv reached = out->baseline.missing
                         ? out->realised
                         : add_values(ev, NULL, out->baseline, out->realised, false);
    int c = reached.missing ? 2 : compare(&reached, &out->target);
    out->met = c != 2 && (downward ? c <= 0 : c >= 0);
  }
}

/* ---- explaining claims --------------------------------------------------------- */

size_t chg_rv_format(const chg_eval *ev, const chg_rv *v, char *buf, size_t size) {
  if (v->missing) return (size_t)snprintf(buf, size, "missing");
  switch (v->type) {
  case CHG_T_MONEY:
    return chg_fmt_money(buf, size, v->u.pence, CHG_MONEY_AUTO, true);
  case CHG_T_QUANTITY:
    if (v->money) return chg_fmt_money(buf, size, v->u.pence, CHG_MONEY_AUTO, true);
    return chg_fmt_dec(buf, size, v->u.num, 4, true, true);
  case CHG_T_PERCENT:
    return chg_fmt_percent(buf, size, v->u.num, true);
  case CHG_T_NUMBER:
    return chg_fmt_dec(buf, size, v->u.num, 4, true, true);
  case CHG_T_DATE: return chg_fmt_day(buf, size, v->u.ordinal);
  case CHG_T_MONTH: return chg_fmt_month(buf, size, v->u.ordinal);
  case CHG_T_FY: return chg_fmt_fy(buf, size, v->u.ordinal);
  case CHG_T_QUARTER:
    return (size_t)snprintf(buf, size, "%04d-Q%d", v->u.ordinal / 4, v->u.ordinal % 4 + 1);
  case CHG_T_PERIOD: {
    /* whole months as months, else days: 2022-11..2023-02, 2022-11-07 */
    int y, y2;
    unsigned m, d, m2, d2;
    chg_civil_from_days(v->u.days.first, &y, &m, &d);
    chg_civil_from_days(v->u.days.last, &y2, &m2, &d2);
    char from[16], to[16];
    if (d == 1 && d2 == chg_days_in_month(y2, m2)) {
      chg_fmt_month(from, sizeof from, y * 12 + (int)m - 1);
      chg_fmt_month(to, sizeof to, y2 * 12 + (int)m2 - 1);
    } else {
      chg_fmt_day(from, sizeof from, v->u.days.first);
      chg_fmt_day(to, sizeof to, v->u.days.last);
    }
    if (strcmp(from, to) == 0) return (size_t)snprintf(buf, size, "%s", from);
    return (size_t)snprintf(buf, size, "%s..%s", from, to);
  }
  case CHG_T_LEVEL: {
    /* as the board knows it, `Amber/Red` for `amber_red`, unless the label
     * would not tell the level from another (the figures must never read
     * "Amber, not equal to Amber") */
    const chg_scale *scale = v->u.level.scale;
    uint32_t index = (uint32_t)v->u.level.index;
    const char *label = chg_level_label(scale, index);
    for (uint32_t i = 0; i < scale->nlevels; i++)
      if (i != index && (strcmp(chg_level_label(scale, i), label) == 0 ||
                         strcmp(scale->levels[i], label) == 0))
        label = scale->levels[index];
    return (size_t)snprintf(buf, size, "%s", label);
  }
  case CHG_T_BOOL: return (size_t)snprintf(buf, size, "%s", v->u.b ? "true" : "false");
  case CHG_T_STRING: return (size_t)snprintf(buf, size, "\"%s\"", v->u.str);
  case CHG_T_SYMBOL: return (size_t)snprintf(buf, size, "%s", v->u.str);
  case CHG_T_ENTITY:
    /* by its path: ids are unique only among siblings */
    return (size_t)snprintf(buf, size, "%s `%s`", v->u.entity->key,
                            chg_path_of(ev->ctx, v->u.entity));
  default:
    break;
  }
  (void)ev;
  return (size_t)snprintf(buf, size, "?");
}

/* ---- an expression as a claim quotes it ---------------------------------- */

/* How tightly an operator binds, as the grammar has it: `not` looser than
 * a comparison, so `not a == b` is `not (a == b)`. */
static int binding(const chg_expr *e) {
  switch (e->op) {
  case CHG_X_WHERE: return 0;
  case CHG_X_OR: return 1;
  case CHG_X_AND: return 2;
  case CHG_X_NOT: return 3;
  case CHG_X_EQ: case CHG_X_NE: case CHG_X_LT: case CHG_X_LE: case CHG_X_GT:
  case CHG_X_GE: case CHG_X_IN: return 4;
  case CHG_X_ADD: case CHG_X_SUB: return 5;
  case CHG_X_MUL: case CHG_X_DIV: return 6;
  case CHG_X_NEG: return 7;
  default: return 8;
  }
}

enum { QUOTE_MAX = 80 }; /* characters of an expression a claim quotes */

/* Writes e in one canonical layout -- one space about each operator, no
 * comment, only the brackets its meaning needs -- so that how a file is
 * laid out (and `chg fmt`) never changes what a report says. */
static void put_expr(chg_eval *ev, chg_buf *b, const chg_expr *e, int outer) {
  const chg_allocator *al = &ev->ctx->al;
  if (b->len > QUOTE_MAX + 8) return; /* cut short below in any case */
  int p = binding(e);
  bool brackets = p < outer;
  if (brackets) chg_buf_putc(al, b, '(');
  switch (e->op) {
  case CHG_X_LIT: {
    chg_file *f = chg_ctx_file(ev->ctx, e->value.span.file);
    const char *text = f ? chg_file_text(ev->ctx, f) : NULL;
    if (text) chg_buf_put(al, b, text + e->value.span.start, e->value.span.end - e->value.span.start);
    else chg_buf_putc(al, b, '?');
    break;
  }
  case CHG_X_NAME: {
    char name[QUOTE_MAX + 8]; /* cut short below in any case */
    chg_buf_put(al, b, name, chg_value_format(&e->value, name, sizeof name));
    break;
  }
  case CHG_X_NEG: {
    chg_buf_putc(al, b, '-');
    /* `-(-£1)`, not `--£1`: a minus of a minus keeps its brackets */
    size_t at = b->len;
    put_expr(ev, b, e->a, p);
    if (b->len > at && b->data[at] == '-') {
      b->len = at;
      chg_buf_putc(al, b, '(');
      put_expr(ev, b, e->a, 0);
      chg_buf_putc(al, b, ')');
    }
    break;
  }
  case CHG_X_NOT:
    /* `not (confidence >= red)`: bracketed for the reader, though `not`
     * binds more loosely than the comparison */
    chg_buf_put(al, b, "not ", 4);
    put_expr(ev, b, e->a, e->a->op == CHG_X_NOT ? 0 : 5); /* `not not x` reads plainly */
    break;
  case CHG_X_CALL:
  case CHG_X_LIST:
    if (e->op == CHG_X_CALL) chg_buf_put(al, b, e->fn, strlen(e->fn));
    chg_buf_putc(al, b, e->op == CHG_X_CALL ? '(' : '[');
    for (uint32_t i = 0; i < e->nargs; i++) {
      if (i) chg_buf_put(al, b, ", ", 2);
      put_expr(ev, b, e->args[i], 0);
    }
    chg_buf_putc(al, b, e->op == CHG_X_CALL ? ')' : ']');
    break;
  case CHG_X_INDEX:
    put_expr(ev, b, e->a, 8);
    chg_buf_putc(al, b, '[');
    put_expr(ev, b, e->b, 0);
    chg_buf_putc(al, b, ']');
    break;
  default: {
    const char *op = chg_op_text(e->op);
    bool chains = p == 1 || p == 2 || p == 5 || p == 6; /* left to right */
    put_expr(ev, b, e->a, chains ? p : p + 1);
    chg_buf_putc(al, b, ' ');
    chg_buf_put(al, b, op ? op : "?", op ? strlen(op) : 1);
    chg_buf_putc(al, b, ' ');
    put_expr(ev, b, e->b, p + 1);
    break;
  }
  }
  if (brackets) chg_buf_putc(al, b, ')');
}

static const char *expr_text(chg_eval *ev, const chg_expr *e) {
  chg_buf b = {0};
  put_expr(ev, &b, e, 0);
  size_t n = b.len;
  if (n > QUOTE_MAX) {
    n = QUOTE_MAX - 3; /* not inside a UTF-8 sequence */
    while (n && ((unsigned char)b.data[n] & 0xC0) == 0x80) n--;
  }
  const char *s = chg_arena_printf(&ev->ctx->arena, "%.*s%s", (int)n, b.data ? b.data : "",
                                   n < b.len ? "..." : "");
  chg_buf_release(&ev->ctx->al, &b);
  return s;
}

const char *chg_expr_quote(chg_eval *ev, const chg_expr *e) { return expr_text(ev, e); }

/* An expression as code, in backquotes; one with a backquote in it (a
 * string, `sro == "x\`y"`) between more of them than any run in it, and
 * spaced, so that it stays one code span. */
static const char *expr_code(chg_eval *ev, const chg_expr *e) {
  const char *text = expr_text(ev, e);
  size_t run = 0, longest = 0;
  for (const char *c = text; *c; c++) {
    run = *c == '`' ? run + 1 : 0;
    if (run > longest) longest = run;
  }
  if (!longest) return chg_arena_printf(&ev->ctx->arena, "`%s`", text);
  char fence[8];
  size_t n = longest + 1 < sizeof fence ? longest + 1 : sizeof fence - 1;
  memset(fence, '`', n);
  fence[n] = '\0';
  return chg_arena_printf(&ev->ctx->arena, "%s %s %s", fence, text, fence);
}

/* A figure as a claim shows it: a number to `places` decimal places (a
 * percentage, the fraction to `places`: two fewer once times 100), money
 * in its shortest unit or, `exact_money`, to the penny. */
static void format_figure(const chg_eval *ev, const chg_rv *v, int places, bool exact_money,
                          char *buf, size_t size) {
  if (!v->missing && is_money(v)) {
    chg_fmt_money(buf, size, v->u.pence, exact_money ? CHG_MONEY_EXACT : CHG_MONEY_AUTO, true);
    return;
  }
  chg_dec pct;
  if (!v->missing && v->type == CHG_T_PERCENT &&
      chg_dec_mul(v->u.num, chg_dec_from_int(100), &pct)) {
    /* never whole or none when it is not: 99.9999999% is not 100% */
    int shown = places > 2 ? places - 2 : 0;
    for (;;) {
      chg_dec r = chg_dec_round(pct, shown);
      bool edge = r.m == 0 || chg_dec_cmp(r, chg_dec_from_int(100)) == 0 ||
                  chg_dec_cmp(r, chg_dec_from_int(-100)) == 0;
      if (!edge || shown >= CHG_DEC_MAX_SCALE || chg_dec_cmp(r, pct) == 0) break;
      shown++;
    }
    size_t n = chg_fmt_dec(buf, size, pct, shown, false, true);
    if (n + 2 <= size) strcat(buf, "%");
    return;
  }
  if (!v->missing && is_dec(v)) {
    chg_fmt_dec(buf, size, v->u.num, places, true, true);
    return;
  }
  chg_rv_format(ev, v, buf, size);
}

enum { FIGURE_PLACES = 4 }; /* a number in a claim's figures; see docs/reports.md */

/* Four places, or as many as a value other than zero needs not to look
 * like 0 (up to the exact value: a decimal has at most 18). */
static int places_for(const chg_rv *v) {
  int p = FIGURE_PLACES;
  if (!v->missing && is_dec(v) && v->u.num.m != 0)
    while (p < CHG_DEC_MAX_SCALE && chg_dec_round(v->u.num, p).m == 0) p++;
  return p;
}

/* Whether `pence` reads back from its usual figure unchanged: £1,025,000
 * is shown as £1.03m, which is not it. */
static bool money_shown_exactly(int64_t pence) {
  char shown[64], digits[64];
  size_t n = 0;
  uint64_t magnitude = pence < 0 ? (uint64_t)0 - (uint64_t)pence : (uint64_t)pence;
  if (magnitude > INT64_MAX) return false;
  chg_fmt_money(shown, sizeof shown, (int64_t)magnitude, CHG_MONEY_AUTO, false);
  for (const char *c = shown; *c && n + 1 < sizeof digits; c++)
    if (*c != ',' && (unsigned char)*c < 0x80) digits[n++] = *c; /* past `£` */
  int64_t back;
  return chg_money_parse(digits, n, &back) == CHG_LIT_OK && back == (int64_t)magnitude;
}

/* The two sides of a comparison, shown so that they never contradict the
 * verdict: where rounding would make two different figures look the same
 * (1 / 3 * 3 against 1), both get the places that tell them apart, and
 * two amounts of money are shown to the penny. */
typedef struct figures {
  int places[2];
  bool exact_money;
} figures;

static figures figures_for(const chg_rv *a, const chg_rv *b, bool a_side_written) {
  figures f = {{places_for(a), places_for(b)}, false};
  if (a->missing || b->missing || compare(a, b) == 2) return f;
  if (compare(a, b) == 0) {
    /* equal: shown exactly where a side is written out, so that
     * `== 3.00000001` is not quoted as 3; two figures worked out, equal,
     * need no more places than usual to agree (1 / 6 is 16.67%) */
    if (a_side_written && is_dec(a) && is_dec(b)) {
      int exact = chg_dec_normalise(a->u.num).scale;
      for (int i = 0; i < 2; i++)
        if (f.places[i] < exact) f.places[i] = exact;
    }
    /* and `== £729_446.31m` is not quoted as £729.45bn */
    if (a_side_written && is_money(a) && is_money(b)) f.exact_money = !money_shown_exactly(a->u.pence);
    return f;
  }
  if (is_dec(a) && is_dec(b)) {
    while ((f.places[0] < CHG_DEC_MAX_SCALE || f.places[1] < CHG_DEC_MAX_SCALE) &&
           chg_dec_cmp(chg_dec_round(a->u.num, f.places[0]),
                       chg_dec_round(b->u.num, f.places[1])) == 0) {
      if (f.places[0] < CHG_DEC_MAX_SCALE) f.places[0]++;
      if (f.places[1] < CHG_DEC_MAX_SCALE) f.places[1]++;
    }
  } else if (is_money(a) && is_money(b)) {
    /* £471.82bn against £471.82bn: rounding hid the difference */
    char x[64], y[64];
    chg_fmt_money(x, sizeof x, a->u.pence, CHG_MONEY_AUTO, true);
    chg_fmt_money(y, sizeof y, b->u.pence, CHG_MONEY_AUTO, true);
    f.exact_money = strcmp(x, y) == 0;
  }
  return f;
}

/* A literal, a level or a name such as a theme: shown as its value. */
static bool is_literal(const chg_expr *e) {
  if (e->op == CHG_X_NAME)
    return e->nsteps == 1 &&
           (e->steps[0].kind == CHG_STEP_LEVEL || e->steps[0].kind == CHG_STEP_SYMBOL);
  return e->op == CHG_X_LIT || (e->op == CHG_X_NEG && e->a->op == CHG_X_LIT);
}

static bool is_literal_list(const chg_expr *e) {
  if (e->op != CHG_X_LIST) return false;
  for (uint32_t i = 0; i < e->nargs; i++)
    if (!is_literal(e->args[i])) return false;
  return true;
}

/* The blocks a claim's `!=` filter turned away only because the figure it
 * compares is not written: `all(project where confidence != green)` is
 * false for a project with no confidence at all, which "1 of 2" alone
 * would send the reader looking for a green one.  (Read as "not equal",
 * nothing would pass; `==` and the orderings turn it away as a reader
 * expects.)  "" when there are none. */
static const char *compared_with_nothing(chg_eval *ev, const chg_expr *call) {
  const chg_expr *filter = call->args[0]->b;
  if (call->iter_kind < 0 || filter->op != CHG_X_NE) return "";
  const chg_expr *side = !is_literal(filter->a) ? filter->a : filter->b;
  if (side->op != CHG_X_NAME || is_literal(side)) return "";
  const chg_vec *all = &ev->by_kind[call->iter_kind];
  size_t without = 0;
  chg_node *first = NULL;
  for (size_t i = 0; i < all->len; i++) {
    chg_node *b = all->items[i];
    if (!chg_eval_expr(ev, side, b).missing) continue;
    if (!without++) first = b;
  }
  if (!without) return "";
  const char *field = expr_code(ev, side);
  if (without == 1)
    return chg_arena_printf(&ev->ctx->arena,
                            "; `%s` has no %s, and a comparison with nothing is false",
                            chg_path_of(ev->ctx, first), field);
  char n[32];
  chg_fmt_count(n, sizeof n, (int64_t)without, true);
  return chg_arena_printf(&ev->ctx->arena,
                          "; %s have no %s, `%s` the first, and a comparison with nothing "
                          "is false", n, field, chg_path_of(ev->ctx, first));
}

/* One side: its value `v`, shown with `places` (see figures_for); the
 * right-hand side of a comparison reads "`b`, which is 3". */
static const char *describe_as(chg_eval *ev, const chg_expr *e, const chg_rv *v, int places,
                               bool exact_money, bool right) {
  char buf[128];
  format_figure(ev, v, places, exact_money, buf, sizeof buf);
  if (is_literal(e)) return chg_arena_printf(&ev->ctx->arena, "%s", buf);
  const char *is = right ? ", which is" : " is";
  /* a filtered count says out of how many */
  if (e->op == CHG_X_CALL && !v->missing && e->nargs && e->args[0]->op == CHG_X_WHERE &&
      (!strcmp(e->fn, "pct") || !strcmp(e->fn, "count") || !strcmp(e->fn, "any") ||
       !strcmp(e->fn, "all")))
  {
    char counted[32], of[32];
    chg_fmt_count(counted, sizeof counted, v->counted, true);
    chg_fmt_count(of, sizeof of, v->of, true);
    return chg_arena_printf(&ev->ctx->arena, "%s%s %s (%s of %s%s)", expr_code(ev, e), is,
                            buf, counted, of, compared_with_nothing(ev, e));
  }
  return chg_arena_printf(&ev->ctx->arena, "%s%s %s", expr_code(ev, e), is, buf);
}

static const char *describe(chg_eval *ev, const chg_expr *e, chg_node *self) {
  chg_rv v = chg_eval_expr(ev, e, self);
  return describe_as(ev, e, &v, places_for(&v), false, false);
}

/* The items of the list `e`, evaluated once: those written out, or those
 * of the list it reads; NULL for a list that is missing or a period
 * (`2022-10 in a.i1.period`). */
static chg_rv *list_values(chg_eval *ev, const chg_expr *e, chg_node *self, uint32_t *n) {
  chg_rv list = {0};
  if (e->op == CHG_X_LIST) {
    *n = e->nargs;
  } else {
    list = chg_eval_expr(ev, e, self);
    if (list.missing || list.type != CHG_T_LIST) return NULL;
    *n = list.list_len;
  }
  chg_rv *items = CHG_NEW_ARRAY(&ev->ctx->arena, chg_rv, *n + 1);
  for (uint32_t i = 0; i < *n; i++)
    items[i] = e->op == CHG_X_LIST ? chg_eval_expr(ev, e->args[i], self) : of_value(&list.u.list[i]);
  return items;
}

/* A list's value: [estates, ict], its figures shown with the places that
 * tell them apart from `against`, the value looked for (see figures_for);
 * `items` as list_values gave them. */
static const char *list_text(chg_eval *ev, const chg_expr *e, chg_node *self,
                             const chg_rv *against, const chg_rv *items, uint32_t n) {
  char buf[128];
  if (!items) {
    chg_rv list = chg_eval_expr(ev, e, self);
    if (list.missing) return "missing";
    chg_rv_format(ev, &list, buf, sizeof buf); /* a period */
    return chg_arena_strndup(&ev->ctx->arena, buf, strlen(buf));
  }
  const char *text = "[";
  for (uint32_t i = 0; i < n; i++) {
    if (items[i].missing) snprintf(buf, sizeof buf, "missing");
    else {
      figures f = figures_for(against, &items[i], true);
      format_figure(ev, &items[i], f.places[1], f.exact_money, buf, sizeof buf);
    }
    text = chg_arena_printf(&ev->ctx->arena, "%s%s%s", text, i ? ", " : "", buf);
  }
  return chg_arena_printf(&ev->ctx->arena, "%s]", text);
}

/* The value `v` of `e` looked for by `in`, shown with the places that
 * tell it apart from every item: `1 / 3` is 0.33333, not 0.3333, when
 * the list holds 0.3333. */
static const char *describe_in(chg_eval *ev, const chg_expr *e, const chg_rv *v,
                               const chg_rv *items, uint32_t n) {
  int places = places_for(v);
  bool exact_money = false;
  for (uint32_t i = 0; i < n; i++) {
    figures f = figures_for(v, &items[i], true);
    if (f.places[0] > places) places = f.places[0];
    exact_money = exact_money || f.exact_money;
  }
  return describe_as(ev, e, v, places, exact_money, false);
}

/* Comparisons in words, as a board paper would put them. */
static const char *op_name(chg_eop op) {
  switch (op) {
  case CHG_X_EQ: return "equal to";
  case CHG_X_NE: return "other than";
  case CHG_X_LT: return "under";
  case CHG_X_LE: return "at most";
  case CHG_X_GT: return "over";
  default: return "at least";
  }
}

/* Why a boolean expression came out as it did, in its own figures. */
static const char *explain(chg_eval *ev, const chg_expr *e, chg_node *self, bool value) {
  chg_arena *A = &ev->ctx->arena;
  switch (e->op) {
  case CHG_X_EQ: case CHG_X_NE: case CHG_X_LT: case CHG_X_LE: case CHG_X_GT:
  case CHG_X_GE: {
    chg_rv a = chg_eval_expr(ev, e->a, self), b = chg_eval_expr(ev, e->b, self);
    /* a ratio compared with a percentage is shown as one: "33.21%, which
     * is at least 33%", not "0.3321"; a score compared with one, warned
     * of (`score < 20%`), is the whole number it is, not 1600% */
    if (!a.missing && !b.missing && a.type == CHG_T_NUMBER && b.type == CHG_T_PERCENT && !e->b->doubtful)
      a.type = CHG_T_PERCENT;
    if (!a.missing && !b.missing && b.type == CHG_T_NUMBER && a.type == CHG_T_PERCENT && !e->a->doubtful)
      b.type = CHG_T_PERCENT;
    figures f = figures_for(&a, &b, is_literal(e->a) || is_literal(e->b));
    /* two amounts that differ, said to be equal or not, are shown as they
     * are when either would be rounded: `£1.025m` is not "£1.03m" */
    if ((e->op == CHG_X_EQ || e->op == CHG_X_NE) && !a.missing && !b.missing && is_money(&a) &&
        is_money(&b) && a.u.pence != b.u.pence &&
        (!money_shown_exactly(a.u.pence) || !money_shown_exactly(b.u.pence)))
      f.exact_money = true;
    /* a number written out is shown as written, never rounded */
    const chg_rv *side[2] = {&a, &b};
    const chg_expr *written[2] = {e->a, e->b};
    for (int i = 0; i < 2; i++)
      if (!side[i]->missing && is_dec(side[i]) && is_literal(written[i])) {
        int exact = chg_dec_normalise(side[i]->u.num).scale;
        if (f.places[i] < exact) f.places[i] = exact;
      }
    /* a missing figure compares as false whatever the operator: say which */
    if (a.missing || b.missing) {
      const char *which =
          a.missing && b.missing
              ? chg_arena_printf(A, "%s and %s",
                                 describe_as(ev, e->a, &a, f.places[0], f.exact_money, false),
                                 describe_as(ev, e->b, &b, f.places[1], f.exact_money, false))
          : a.missing ? describe_as(ev, e->a, &a, f.places[0], f.exact_money, false)
                      : describe_as(ev, e->b, &b, f.places[1], f.exact_money, false);
      return chg_arena_printf(A, "%s: a comparison with a missing figure is false", which);
    }
    return chg_arena_printf(A, "%s, %s %s %s",
                            describe_as(ev, e->a, &a, f.places[0], f.exact_money, false),
                            value ? "which is" : "not", op_name(e->op),
                            describe_as(ev, e->b, &b, f.places[1], f.exact_money, true));
  }
  case CHG_X_AND:
    if (value)
      return chg_arena_printf(A, "%s; and %s", explain(ev, e->a, self, true),
                              explain(ev, e->b, self, true));
    {
      chg_rv a = chg_eval_expr(ev, e->a, self);
      return a.missing || !a.u.b ? explain(ev, e->a, self, false)
                                 : explain(ev, e->b, self, false);
    }
  case CHG_X_OR:
    if (!value)
      return chg_arena_printf(A, "%s; and %s", explain(ev, e->a, self, false),
                              explain(ev, e->b, self, false));
    {
      chg_rv a = chg_eval_expr(ev, e->a, self);
      return !a.missing && a.u.b ? explain(ev, e->a, self, true)
                                 : explain(ev, e->b, self, true);
    }
  case CHG_X_NOT: {
    /* `not not true`: nothing in the portfolio to point at */
    const chg_expr *inner = e->a;
    while (inner->op == CHG_X_NOT) inner = inner->a;
    if (is_literal(inner))
      return chg_arena_printf(A, "%s is %s whatever the portfolio holds", expr_code(ev, e),
                              value ? "true" : "false");
    return explain(ev, e->a, self, !value);
  }
  case CHG_X_IN: {
    /* the value that is or is not in the list: `status in [green, amber]`
     * is false because the status is red */
    chg_rv a = chg_eval_expr(ev, e->a, self);
    uint32_t n = 0;
    const chg_rv *items = list_values(ev, e->b, self, &n);
    const char *list = is_literal_list(e->b)
                           ? expr_text(ev, e->b)
                           : chg_arena_printf(A, "%s, which is %s", expr_code(ev, e->b),
                                              list_text(ev, e->b, self, &a, items, n));
    const char *what = describe_in(ev, e->a, &a, items, n);
    if (is_literal(e->a))
      return chg_arena_printf(A, "%s is %s %s", what, value ? "in" : "not in", list);
    return chg_arena_printf(A, "%s, %s %s", what, value ? "which is in" : "not in", list);
  }
  default:
    return describe(ev, e, self);
  }
}

void chg_eval_claims(chg_eval *ev) {
  ev->nclaims = ev->claims.len;
  ev->claims_out = CHG_NEW_ARRAY(&ev->ctx->arena, chg_claim_result, ev->nclaims + 1);
  for (size_t i = 0; i < ev->claims.len; i++) {
    chg_node *c = ev->claims.items[i];
    chg_claim_result *r = &ev->claims_out[i];
    r->claim = c;
    r->expect = chg_attr(c, "expect");
    if (!r->expect || !chg_node_expr(r->expect) || chg_node_expr(r->expect)->type != CHG_T_BOOL) {
      r->failed_to_evaluate = true;
      continue;
    }
    uint64_t failures = ev->failures;
    chg_agg_budget_reset(ev);
    chg_rv v = chg_eval_expr(ev, chg_node_expr(r->expect), NULL);
    if (ev->failures != failures) {
      r->failed_to_evaluate = true;
      continue;
    }
    r->holds = !v.missing && v.u.b;
    chg_agg_budget_reset(ev); /* explaining evaluates the parts again */
    r->explanation = explain(ev, chg_node_expr(r->expect), NULL, r->holds);
    if (!r->holds) {
      chg_error(ev->ctx, CHG_E_FALSE_CLAIM, chg_node_expr(r->expect)->span,
                "claim `%s` is false: %s", chg_block_name(ev->ctx, c), r->explanation);
      const chg_value *src = chg_arg0(c, "source");
      if (src && src->kind == CHG_V_STRING)
        chg_note(ev->ctx, src->span, "the claim was made here");
      const chg_expr *doubt = chg_expr_doubt(chg_node_expr(r->expect));
      if (doubt) chg_note_doubt(ev->ctx, doubt);
    }
  }
}
