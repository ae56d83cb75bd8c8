/*
 * eval.c -- what a checked portfolio comes to: statuses rolled up,
 * milestone slips, risk scores and escalations, savings by year, benefits,
 * the change heatmap, recommendations and the verdict on every claim.
 *
 * The expressions of rules and claims are evaluated by expr.c; this file
 * walks the portfolio and computes everything else.
 */
#include "eval.h"

#include <stdlib.h>
#include <string.h>

#include "format.h"
#include "value.h"

/* ---- small helpers ---------------------------------------------------- */

chg_node *chg_attr(const chg_node *block, const char *key) {
  for (chg_node *a = block->items; a && !chg_attrs_end_at(block, a); a = a->next)
    if (a->kind == CHG_N_ATTR && a->key && a->key[0] == key[0] && strcmp(a->key, key) == 0)
      return a;
  return NULL;
}

int32_t chg_level_index(const chg_value *v) {
  return v && v->kind == CHG_V_LEVEL ? chg_level_of(v) : -1;
}

int32_t chg_score_of(const chg_value *v) {
  if (v->kind == CHG_V_NUMBER) return (int32_t)v->u.m;
  if (v->kind == CHG_V_LEVEL) /* worst first: the worst level of five is 5 */
    return (int32_t)v->u.scale->nlevels - chg_level_of(v);
  return 0;
}

const chg_value *chg_arg0(const chg_node *block, const char *key) {
  chg_node *a = chg_attr(block, key);
  return a && a->nargs ? &chg_node_args(a)[0] : NULL;
}

void chg_arg0s(const chg_node *block, const char *const *keys, size_t n, const chg_value **out) {
  uint32_t wanted = (1u << n) - 1, found = 0;
  for (size_t k = 0; k < n; k++) out[k] = NULL;
  for (chg_node *a = block->items; a && found != wanted && !chg_attrs_end_at(block, a); a = a->next) {
    if (a->kind != CHG_N_ATTR || !a->key) continue;
    for (size_t k = 0; k < n; k++)
      if (!(found & (1u << k)) && a->key[0] == keys[k][0] && strcmp(a->key, keys[k]) == 0) {
        found |= 1u << k;
        out[k] = a->nargs ? &chg_node_args(a)[0] : NULL;
        break;
      }
  }
}

static bool date_of(const chg_node *block, const char *key, int32_t *day) {
  const chg_value *v = chg_arg0(block, key);
  if (!v || v->kind != CHG_V_DATE) return false;
  *day = v->u.day;
  return true;
}

chg_entity *chg_entity_of(chg_eval *ev, chg_node *n) {
  if (n->data) return n->data;
  chg_entity *e = CHG_NEW(&ev->ctx->arena, chg_entity);
  e->node = n;
  e->status = e->own_status = e->confidence = e->band = -1;
  e->due_day = e->went_live = INT32_MIN;
  n->data = e;
  return e;
}

bool chg_is_work(const chg_node *n) {
  return n && n->spec && (CHG_KM(n->spec->id) & CHG_KM_WORK);
}

chg_node *chg_top_work(chg_node *from) {
  chg_node *top = NULL;
  for (chg_node *p = from; p; p = p->parent)
    if (chg_is_work(p)) top = p;
  return top;
}

/* What a top-level savings line's `programme` names, or NULL. */
static chg_node *named_programme(const chg_node *line) {
  const chg_value *named = line->parent ? NULL : chg_arg0(line, "programme");
  return named && named->kind == CHG_V_REF ? named->u.ref : NULL;
}

chg_node *chg_saving_programme(const chg_node *line) {
  chg_node *named = named_programme(line);
  return chg_top_work(named ? named : line->parent);
}

/* A block's attributed lines: the first, and the last to append to. */
typedef struct attributed_list {
  chg_attributed *first, *last;
} attributed_list;

const chg_attributed *chg_attributed_savings(const chg_eval *ev, const chg_node *block) {
  const attributed_list *l = chg_map_get(&ev->attributed, block, ev->ctx->n.saving);
  return l ? l->first : NULL;
}

/* Top-level lines that name their programme, filed under what they name,
 * so that a rule on that programme sees them as it sees the lines inside. */
static void attribute_savings(chg_eval *ev) {
  chg_map_init(&ev->attributed, &ev->ctx->al);
  for (size_t i = 0; i < ev->savings.len; i++) {
    chg_node *line = ev->savings.items[i], *named = named_programme(line);
    if (!named) continue;
    attributed_list *l = chg_map_get(&ev->attributed, named, ev->ctx->n.saving);
    if (!l) {
      l = CHG_NEW(&ev->ctx->arena, attributed_list);
      chg_map_put(&ev->attributed, named, ev->ctx->n.saving, l);
    }
    chg_attributed *a = CHG_NEW(&ev->ctx->arena, chg_attributed);
    a->line = line;
    if (l->last) l->last->next = a;
    else l->first = a;
    l->last = a;
  }
}

/* ---- periods ------------------------------------------------------------ */

int32_t chg_fy_of_day(const chg_eval *ev, int32_t day) {
  int y;
  unsigned m, d;
  chg_civil_from_days(day, &y, &m, &d);
  return m >= ev->year_start ? y : y - 1;
}

void chg_period_days(const chg_eval *ev, const chg_value *v, int32_t *first,
                     int32_t *last) {
  int y;
  unsigned m;
  switch (v->kind) {
  case CHG_V_DATE:
    *first = *last = v->u.day;
    return;
  case CHG_V_MONTH:
    y = v->u.month / 12;
    m = (unsigned)(v->u.month % 12) + 1;
    *first = chg_days_from_civil(y, m, 1);
    *last = chg_days_from_civil(y, m, chg_days_in_month(y, m));
    return;
  case CHG_V_QUARTER: /* calendar quarters */
    y = v->u.quarter / 4;
    m = (unsigned)(v->u.quarter % 4) * 3 + 1;
    *first = chg_days_from_civil(y, m, 1);
    *last = chg_days_from_civil(y, m + 2, chg_days_in_month(y, m + 2));
    return;
  case CHG_V_FY:
    *first = chg_days_from_civil(v->u.fy, ev->year_start, 1);
    *last = chg_days_from_civil(v->u.fy + 1, ev->year_start, 1) - 1;
    return;
  case CHG_V_RANGE: {
    int32_t a, b;
    chg_period_days(ev, &v->u.range[0], first, &a);
    chg_period_days(ev, &v->u.range[1], &b, last);
    return;
  }
  default:
    *first = *last = INT32_MIN;
  }
}

/* The financial year a series key falls in (by the day it starts). */
static int32_t fy_of_key(const chg_eval *ev, const chg_value *key) {
  if (key->kind == CHG_V_FY) return key->u.fy;
  int32_t first, last;
  chg_period_days(ev, key, &first, &last);
  return chg_fy_of_day(ev, first);
}

static int month_of_day(int32_t day) {
  int y;
  unsigned m, d;
  chg_civil_from_days(day, &y, &m, &d);
  return y * 12 + (int)m - 1;
}

/* ---- collecting ----------------------------------------------------------- */

/* Every block by kind, in source order.  The context's list of blocks is
 * sorted by kind (stably) and each kind's list is a view of its stretch,
 * shared rather than copied: a national portfolio has 600,000 milestones
 * and risks.  Only work, of three kinds, is gathered in a list of its own,
 * in source order.  Sorted before the records are made, so that the list
 * in source order is let go first (both lists and every record were
 * evaluation's peak of memory); evaluate_blocks then walks the tree. */
static void sort_blocks(chg_eval *ev) {
  chg_ctx *ctx = ev->ctx;
  size_t at[CHG_K__COUNT]; /* where the next block of each kind goes */
  size_t from = 0, work = 0;
  for (int k = 0; k < CHG_K__COUNT; k++) {
    at[k] = from;
    from += ctx->kind_counts[k];
    if (CHG_KM(k) & CHG_KM_WORK) work += ctx->kind_counts[k];
  }
  /* in the arena, with the records after it (chg_eval_run): a view, whose
   * release lets go of nothing */
  chg_vec sorted = {CHG_NEW_ARRAY(&ctx->arena, void *, ctx->blocks.len), 0, 0};
  chg_vec_reserve(&ctx->al, &ev->work, work);
  for (size_t i = 0; i < ctx->blocks.len; i++) {
    chg_node *b = ctx->blocks.items[i];
    unsigned kind = ctx->block_kinds[i];
    sorted.items[at[kind]++] = b;
    if (CHG_KM(kind) & CHG_KM_WORK) chg_vec_push(&ctx->al, &ev->work, b);
  }
  sorted.len = ctx->blocks.len;
  chg_blocks_give_back(ctx);
  ctx->blocks = sorted;
  for (int k = 0; k < CHG_K__COUNT; k++) /* at[k] is now the end of its stretch */
    ev->by_kind[k] = (chg_vec){ctx->blocks.items + at[k] - ctx->kind_counts[k],
                               ctx->kind_counts[k], 0};
  ev->milestones = ev->by_kind[CHG_K_MILESTONE];
  ev->benefits = ev->by_kind[CHG_K_BENEFIT];
  ev->savings = ev->by_kind[CHG_K_SAVING];
  ev->risks = ev->by_kind[CHG_K_RISK];
  ev->impacts = ev->by_kind[CHG_K_IMPACT];
  ev->recommendations = ev->by_kind[CHG_K_RECOMMENDATION];
  ev->units = ev->by_kind[CHG_K_UNIT];
  ev->rules = ev->by_kind[CHG_K_RULE];
  ev->claims = ev->by_kind[CHG_K_CLAIM];
  ev->hooks = ev->by_kind[CHG_K_HOOK];
}

/* ---- work, milestones, risks --------------------------------------------- */

static void count_name(chg_eval *ev, chg_map *index_of, chg_post_category **names, uint32_t *n,
                       size_t *cap, const chg_value *v);

/* The summary's total budget counts each budget once (not one inside work
 * that has one), so budgets that all fit together fit there: said here,
 * where a diagnostic can be, when they do not. */
/* a map's key names something; this one, the sum inside a work */
static const char INSIDE_KEY[] = "budgets inside";

typedef struct chg_budget_inside {
  const chg_node *work;
  const chg_value *budget;
  int64_t sum;
  bool too_large;
} chg_budget_inside;

static void add_budget(chg_eval *ev, const chg_node *w, const chg_node *a) {
  const chg_value *v = a->nargs ? &chg_node_args(a)[0] : NULL;
  if (!v || v->kind != CHG_V_MONEY || v->u.pence < 0) return;
  /* one inside work with a budget is part of that budget, and adds up to
   * no more than it (said after the walk) */
  for (const chg_node *up = w->parent; up && chg_is_work(up); up = up->parent) {
    const chg_value *above = chg_arg0(up, "budget");
    if (!above || above->kind != CHG_V_MONEY) continue;
    chg_budget_inside *in = chg_map_get(&ev->budgets_inside, up, INSIDE_KEY);
    if (!in) {
      in = CHG_NEW(&ev->ctx->arena, chg_budget_inside);
      in->work = up;
      in->budget = above;
      chg_map_put(&ev->budgets_inside, up, INSIDE_KEY, in);
      chg_vec_push(&ev->ctx->al, &ev->budgeted_outer, in);
    }
    in->too_large = in->too_large || __builtin_add_overflow(in->sum, v->u.pence, &in->sum);
    return;
  }
  if (ev->budgets_too_large) return;
  if (!__builtin_add_overflow(ev->budgets, v->u.pence, &ev->budgets)) return;
  ev->budgets_too_large = true;
  chg_error(ev->ctx, CHG_E_EVAL_FAILED, v->span,
            "the budgets add up to more than \xC2\xA3" "92,233,720,368,547,758.07, the most chg "
            "can hold exactly: the summary's total budget is left out");
}

static void eval_work(chg_eval *ev, chg_node *w) {
  chg_entity *e = chg_entity_of(ev, w);
  for (chg_node *a = w->items; a && !chg_attrs_end_at(w, a); a = a->next) {
    chg_prefetch_ahead(a);
    if (a->kind != CHG_N_ATTR || !a->key) continue;
    if (a->key[0] == 'b' && strcmp(a->key, "budget") == 0) {
      add_budget(ev, w, a);
      continue;
    }
    if (strcmp(a->key, "status") != 0) continue;
    const chg_value *criterion = chg_node_args(a);
    if (a->nargs > 1 && criterion->kind == CHG_V_NAME && chg_path_len(criterion) == 1)
      count_name(ev, &ev->criterion_of, &ev->criteria, &ev->ncriteria, &ev->criteria_cap, criterion);
    int32_t lv = a->nargs > 1 ? chg_level_index(&chg_node_args(a)[1]) : -1;
    if (lv >= 0 && (e->own_status < 0 || lv < e->own_status)) e->own_status = lv;
  }
  e->status = e->own_status;
  e->confidence = chg_level_index(chg_arg0(w, "confidence"));
  const chg_value *u = chg_arg0(w, "unit");
  if (u && u->kind == CHG_V_REF) e->unit = u->u.ref;
  else if (chg_is_work(w->parent)) e->unit = chg_entity_of(ev, w->parent)->unit;
}

/* Budgets given in work inside work with a budget are part of it: where
 * they add up to more, one of them is wrong, and the summary's total
 * (which counts the outer one) is short by the difference. */
static void budgets_inside_over(chg_eval *ev) {
  for (size_t i = 0; i < ev->budgeted_outer.len; i++) {
    const chg_budget_inside *in = ev->budgeted_outer.items[i];
    if (in->too_large || in->sum <= in->budget->u.pence) continue;
    char inside[48], own[48], over[48];
    chg_fmt_money(inside, sizeof inside, in->sum, CHG_MONEY_AUTO, false);
    chg_fmt_money(own, sizeof own, in->budget->u.pence, CHG_MONEY_AUTO, false);
    chg_fmt_money(over, sizeof over, in->sum - in->budget->u.pence, CHG_MONEY_AUTO, false);
    chg_warning(ev->ctx, CHG_E_BUDGETS_INSIDE_OVER, in->budget->span,
                "the budgets given in the work inside %s `%s` add up to %s, %s more than "
                "its own budget of %s, which they are part of: one of them is wrong, and the "
                "summary's total budget counts only its %s",
                in->work->key, chg_path_of(ev->ctx, in->work), inside, over, own, own);
  }
}

/* ---- dates after the reporting date ------------------------------------- */

/* A milestone met, or a benefit's actual for a period begun, after the
 * reporting date: not known then, so not counted.  Said each at its date
 * when they are few; when they are many, it is most likely the year of
 * `as_of` that is wrong, and that is said once, there. */
typedef struct chg_late {
  const chg_node *block;
  const chg_value *at; /* a milestone's actual, or a benefit's actual's key */
  int32_t day;
} chg_late;

enum { LATE_SAID_EACH = 3 };

static void note_late(chg_eval *ev, const chg_node *block, const chg_value *at, int32_t day) {
  chg_late *l = CHG_NEW(&ev->ctx->arena, chg_late);
  *l = (chg_late){block, at, day};
  chg_vec_push(&ev->ctx->al, &ev->late, l);
}

static void say_late(chg_eval *ev) {
  chg_ctx *ctx = ev->ctx;
  char as_of[16];
  chg_fmt_day(as_of, sizeof as_of, ev->written_as_of);
  const chg_value *written = ev->portfolio ? chg_arg0(ev->portfolio, "as_of") : NULL;
  if (ev->late.len > LATE_SAID_EACH && written) {
    int32_t lo = INT32_MAX, hi = INT32_MIN;
    for (size_t i = 0; i < ev->late.len; i++) {
      const chg_late *l = ev->late.items[i];
      if (l->day < lo) lo = l->day;
      if (l->day > hi) hi = l->day;
    }
    char from[16], to[16];
    chg_fmt_day(from, sizeof from, lo);
    chg_fmt_day(to, sizeof to, hi);
    chg_warning(ctx, CHG_E_INCONSISTENT_DATES, written->span,
                "%zu milestones met or benefits realised are dated after the reporting date "
                "(%s), from %s to %s: not known at that date, none is counted; is the year of "
                "`as_of` right?", ev->late.len, as_of, from, to);
    const chg_late *first = ev->late.items[0];
    chg_note(ctx, first->at->span, "the first, in %s `%s`", first->block->key,
             chg_path_of(ctx, first->block));
    return;
  }
  for (size_t i = 0; i < ev->late.len; i++) {
    const chg_late *l = ev->late.items[i];
    if (l->block->spec->id == CHG_K_MILESTONE) {
      char met[16];
      chg_fmt_day(met, sizeof met, l->day);
      chg_warning(ctx, CHG_E_INCONSISTENT_DATES, l->at->span,
                  "milestone `%s` was met on %s, after the portfolio's reporting date (%s): "
                  "not known at that date, it is not counted as met, and its forecast stands; "
                  "move `as_of` on, or check the year", chg_block_name(ctx, l->block), met, as_of);
    } else {
      char period[64];
      chg_value_format(l->at, period, sizeof period);
      chg_warning(ctx, CHG_E_INCONSISTENT_DATES, l->at->span,
                  "benefit `%s` has an actual for %s, which begins after the portfolio's "
                  "reporting date (%s): what was realised cannot be known yet, and it is not "
                  "counted until that period has begun",
                  chg_block_name(ctx, l->block), period, as_of);
    }
  }
}

static void eval_milestone(chg_eval *ev, chg_node *m) {
  chg_entity *e = chg_entity_of(ev, m);
  int32_t baseline = 0, forecast = 0, actual = 0;
  bool has_b = date_of(m, "baseline", &baseline);
  bool has_f = date_of(m, "forecast", &forecast);
  bool has_a = date_of(m, "actual", &actual);
  const chg_value *progress = chg_arg0(m, "progress");
  bool complete = progress && progress->kind == CHG_V_PERCENT &&
                  chg_dec_cmp(chg_value_dec(progress), chg_dec_from_int(1)) >= 0;
  /* judged at the reporting date: a milestone met after it (looking back
   * with --as-of) was not met yet, as an actual of a benefit after it is
   * not counted */
  bool met_by_then = has_a && actual <= ev->as_of;
  e->done = met_by_then || complete;
  if (has_a && actual > ev->written_as_of && ev->written_as_of != INT32_MIN)
    note_late(ev, m, chg_arg0(m, "actual"), actual);
  /* what had slipped by the reporting date: an actual after it was not
   * known then, so the forecast stands */
  if (has_b && (met_by_then || has_f)) {
    e->has_slip = true;
    e->slip_days = (int64_t)(met_by_then ? actual : forecast) - baseline;
  }
  e->due_day = has_f ? forecast : has_b ? baseline : INT32_MIN;
  e->overdue = !e->done && e->due_day != INT32_MIN && e->due_day < ev->as_of;
  const chg_value *gl = chg_arg0(m, "go_live");
  if (gl && gl->kind == CHG_V_BOOL && gl->u.b)
    e->went_live = met_by_then ? actual : has_f ? forecast : has_b ? baseline : INT32_MIN;
  /* a go-live slips when it is forecast or done late, or is overdue */
  bool slipped_go_live = e->went_live != INT32_MIN && ((e->has_slip && e->slip_days > 0) || e->overdue);
  for (chg_node *w = chg_owner_work(m); w; w = chg_is_work(w->parent) ? w->parent : NULL) {
    chg_entity *we = chg_entity_of(ev, w);
    /* slipping is now: a milestone met late long ago is history, not a
     * reason to flag what depends on the work */
    if ((e->has_slip && e->slip_days > 0 && !e->done) || e->overdue) we->slipping = true;
    if (e->overdue) we->has_overdue = true;
    if (e->has_slip && e->slip_days > we->max_slip_days) we->max_slip_days = e->slip_days;
    if (slipped_go_live && !we->slipped_go_live) we->slipped_go_live = m;
  }
}

static void eval_risk(chg_eval *ev, chg_node *r) {
  chg_entity *e = chg_entity_of(ev, r);
  const chg_value *l = chg_arg0(r, "likelihood"), *i = chg_arg0(r, "impact");
  int32_t likelihood = l ? chg_score_of(l) : 0, impact = i ? chg_score_of(i) : 0;
  /* each kept as written (0: none), so that a rule on the likelihood
   * alone still reads it; the score and band need both */
  if (likelihood >= 1) e->likelihood = (unsigned)likelihood & 1023u;
  if (impact >= 1) e->impact = (unsigned)impact & 1023u;
  if (likelihood < 1 || impact < 1) return;
  e->scored = true;
  e->band = (int16_t)chg_band_of_score(ev, chg_risk_score(e));
}

/* A block's attributes, listed once, with each key's first in the table:
 * for a block with many blocks in it, read by each of them. */
typedef struct attr_list {
  size_t n;
  chg_node *attrs[];
} attr_list;

static const attr_list *wide_block_attrs(chg_eval *ev, chg_node *b) {
  const char *listed = chg_intern_cstr(&ev->ctx->names, "#attrs"); /* no key is spelt so */
  const attr_list *l = chg_map_get(&ev->attrs_of_big, b, listed);
  if (l) return l;
  size_t n = 0;
  for (chg_node *a = b->items; a; a = a->next) n += a->kind == CHG_N_ATTR && a->key;
  attr_list *made = chg_arena_alloc(&ev->ctx->arena, sizeof *made + n * sizeof made->attrs[0]);
  made->n = 0;
  for (chg_node *a = b->items; a; a = a->next)
    if (a->kind == CHG_N_ATTR && a->key) {
      made->attrs[made->n++] = a;
      chg_map_put(&ev->attrs_of_big, b, a->key, a); /* the first of each key */
    }
  chg_map_put(&ev->attrs_of_big, b, listed, made);
  return made;
}

/* A wide block's list is made the first time it is read, by rules, hooks
 * or claims, all on one thread.  A report's sections, built beside its
 * writing, read fields only of recommendations, which hold no blocks and
 * are never wide: so the table is not written from two threads. */
static bool wide(const chg_node *b) { return b->kind == CHG_N_BLOCK && b->children_mapped; }

void chg_attr_walk_start(chg_eval *ev, chg_node *block, chg_attr_walk *w) {
  memset(w, 0, sizeof *w);
  if (wide(block)) {
    const attr_list *l = wide_block_attrs(ev, block);
    w->list = (chg_node **)l->attrs;
    w->n = l->n;
  } else {
    w->item = block->items;
  }
}

chg_node *chg_attr_walk_next(chg_attr_walk *w) {
  if (w->list) return w->i < w->n ? w->list[w->i++] : NULL;
  while (w->item && (w->item->kind != CHG_N_ATTR || !w->item->key)) w->item = w->item->next;
  chg_node *a = w->item;
  if (a) w->item = a->next;
  return a;
}

chg_node *chg_attr_of(chg_eval *ev, chg_node *block, const char *key) {
  if (!wide(block)) return chg_attr(block, key);
  wide_block_attrs(ev, block);
  return chg_map_get(&ev->attrs_of_big, block, chg_intern_cstr(&ev->ctx->names, key));
}

int32_t chg_band_of_score(const chg_eval *ev, int32_t score) {
  const chg_scale *band = ev->band;
  /* the worst band whose threshold the score reaches */
  for (uint32_t k = 0; band && k < band->nlevels; k++)
    if (band->has_threshold[k] &&
        chg_dec_cmp(chg_dec_from_int(score), band->thresholds[k]) >= 0)
      return (int32_t)k;
  return -1;
}

/* Statuses roll up: a block's status is the worst of its own criteria and
 * of the work inside it.  Blocks are registered parent first, so walking
 * them backwards sees children before parents. */
void chg_roll_up(chg_eval *ev) {
  for (size_t i = 0; i < ev->work.len; i++) {
    chg_entity *e = chg_entity_of(ev, ev->work.items[i]);
    e->status = e->own_status;
  }
  for (size_t i = ev->work.len; i-- > 0;) {
    chg_node *w = ev->work.items[i];
    chg_entity *e = chg_entity_of(ev, w);
    if (!chg_is_work(w->parent)) continue;
    chg_entity *p = chg_entity_of(ev, w->parent);
    if (e->status >= 0 && (p->status < 0 || e->status < p->status)) p->status = e->status;
  }
}

/* ---- rules ---------------------------------------------------------------- */

static void record_decision(chg_eval *ev, chg_decision *d) {
  if (ev->decisions_tail) ev->decisions_tail->next = d;
  else ev->decisions = d;
  ev->decisions_tail = d;
  ev->ndecisions++;
  if (d->level < 0) ev->nflags++;
}

static void escalate_entity(chg_eval *ev, chg_decision *d) {
  chg_entity *e = chg_entity_of(ev, d->entity);
  /* the most senior level wins, the first of equals; levels are listed
   * most senior first */
  if (!e->escalation || d->level < e->escalation->level) e->escalation = d;
}

void chg_decide(chg_eval *ev, chg_decision *d) {
  record_decision(ev, d);
  if (d->level >= 0) escalate_entity(ev, d);
}

/* A rule, read once. */
typedef struct rule_plan {
  int kind;                   /* what it is on */
  chg_node *rule, *flag;
  const chg_cond *cond;       /* its `when`, compiled */
  const chg_value *escalate;
  const chg_decider *escalated, *flagged; /* for its decisions */
  chg_decision *first, *last; /* what it decided, in order */
  bool too_costly; /* its test ran out of work on one entity: not run again */
} rule_plan;

static chg_decision *decision(chg_eval *ev, rule_plan *r, chg_node *entity,
                              const chg_decider *by) {
  chg_decision *d = CHG_NEW(&ev->ctx->arena, chg_decision);
  d->entity = entity;
  d->by = by;
  if (r->last) r->last->next = d;
  else r->first = d;
  r->last = d;
  return d;
}

/* Rules run kind by kind: every rule on risks is tried on one risk, then
 * the next, so that each risk is brought into the caches once, not once
 * a rule.  A condition cannot read what rules decide, so the order of
 * trying changes nothing; the decisions are recorded rule by rule, as if
 * each rule had run over every entity in turn.  An entity's escalation is
 * settled while it is at hand: its decisions come to it in the order of
 * the rules either way. */
static void run_rules(chg_eval *ev) {
  chg_ctx *ctx = ev->ctx;
  if (!ev->rules.len) return;
  rule_plan *plans = chg_mem_alloc(&ctx->al, ev->rules.len * sizeof *plans);
  size_t nplans = 0;
  for (size_t r = 0; r < ev->rules.len; r++) {
    chg_node *rule = ev->rules.items[r];
    const chg_value *on = chg_arg0(rule, "on");
    chg_node *when = chg_attr(rule, "when");
    if (!on || on->kind != CHG_V_KIND || !when || !chg_node_expr(when)) continue;
    rule_plan *p = &plans[nplans++];
    memset(p, 0, sizeof *p);
    p->kind = (int)on->u.kind->id;
    p->rule = rule;
    p->cond = chg_cond_compile(ev, chg_node_expr(when), p->kind);
    const chg_value *esc = chg_arg0(rule, "escalate");
    p->escalate = esc && esc->kind == CHG_V_LEVEL ? esc : NULL;
    chg_node *flag = chg_attr(rule, "flag");
    p->flag = flag && flag->nargs >= 2 && chg_node_args(flag)[1].kind == CHG_V_STRING ? flag : NULL;
    const char *source = chg_arena_printf(&ctx->arena, "rule `%s`", chg_block_name(ctx, rule));
    chg_decider *escalated = CHG_NEW(&ctx->arena, chg_decider);
    /* the rule's title says why, as a hook's reason does */
    *escalated = (chg_decider){.message = chg_block_title(rule), .source = source, .span = rule->span};
    p->escalated = escalated;
    if (p->flag) {
      chg_decider *flagged = CHG_NEW(&ctx->arena, chg_decider);
      *flagged = (chg_decider){.severity = chg_path_name(&chg_node_args(p->flag)[0], 0),
                               .message = chg_node_args(p->flag)[1].u.s,
                               .source = source,
                               .span = p->flag->span,
                               .doubt = chg_expr_doubt(chg_node_expr(when))};
      p->flagged = flagged;
    }
  }
  for (int kind = 0; kind < CHG_K__COUNT; kind++) {
    bool any = false;
    for (size_t r = 0; r < nplans && !any; r++) any = plans[r].kind == kind;
    const chg_vec *of_kind = &ev->by_kind[kind];
    for (size_t i = 0; any && i < of_kind->len; i++) {
      chg_node *b = of_kind->items[i];
      chg_prefetch_blocks(of_kind->items, of_kind->len, i);
      for (size_t r = 0; r < nplans; r++) {
        rule_plan *p = &plans[r];
        if (p->kind != kind || p->too_costly) continue;
        ev->rule_entity = b;
        chg_agg_budget_reset(ev);
        uint64_t failures = ev->failures;
        bool holds = chg_cond_holds(ev, p->cond, b);
        ev->rule_entity = NULL;
        p->too_costly = chg_agg_over_budget(ev);
        /* a test that could not be evaluated decides nothing: its part
         * that failed reads as false, and `not` or `or` around it would
         * otherwise act on that (an error already says why) */
        if (!holds || ev->failures != failures) continue;
        if (p->escalate) {
          chg_decision *d = decision(ev, p, b, p->escalated);
          d->level = chg_level_of(p->escalate);
          escalate_entity(ev, d);
        }
        if (p->flag) decision(ev, p, b, p->flagged)->level = -1;
      }
    }
  }
  for (size_t r = 0; r < nplans; r++)
    for (chg_decision *d = plans[r].first, *next; d; d = next) {
      next = d->next;
      d->next = NULL;
      record_decision(ev, d);
    }
  chg_mem_free(&ctx->al, plans, ev->rules.len * sizeof *plans);
}

/* ---- savings -------------------------------------------------------------- */

static void add_fy(chg_eval *ev, int32_t fy) {
  for (uint32_t i = 0; i < ev->nfys; i++)
    if (ev->fys[i] == fy) return;
  int32_t *fys = CHG_NEW_ARRAY(&ev->ctx->arena, int32_t, ev->nfys + 1);
  uint32_t k = 0;
  bool placed = false;
  for (uint32_t i = 0; i < ev->nfys; i++) {
    if (!placed && fy < ev->fys[i]) {
      fys[k++] = fy;
      placed = true;
    }
    fys[k++] = ev->fys[i];
  }
  if (!placed) fys[k++] = fy;
  ev->fys = fys;
  ev->nfys = k;
}

/* A `posts` line's category: counted, and kept in order of first use.
 * A portfolio may name thousands (one for each grade in each office), so
 * they are found in a table, not by a walk of those seen so far. */
static void count_name(chg_eval *ev, chg_map *index_of, chg_post_category **names, uint32_t *n,
                       size_t *cap, const chg_value *v) {
  const char *name = chg_path_name(v, 0);
  uintptr_t known = (uintptr_t)chg_map_get(index_of, ev, name);
  if (known) {
    (*names)[known - 1].uses++;
    return;
  }
  *names = chg_mem_grow(&ev->ctx->al, *names, cap, *n + 1, sizeof **names);
  (*names)[(*n)++] = (chg_post_category){name, 1, v};
  chg_map_put(index_of, ev, name, (void *)(uintptr_t)*n);
}

static void add_category(chg_eval *ev, const chg_value *category) {
  count_name(ev, &ev->category_of, &ev->post_categories, &ev->ncategories, &ev->categories_cap,
             category);
}

uint32_t chg_post_category_index(const chg_eval *ev, const char *name) {
  uintptr_t known = (uintptr_t)chg_map_get(&ev->category_of, ev, name);
  return known ? (uint32_t)(known - 1) : UINT32_MAX;
}

/* Every sum of a set of figures (a savings line over its years, a
 * programme, a year, the gap against the requirement; posts; loads; a
 * benefit's entries) is exact if the sum of their sizes, all written with
 * the most decimal places any of them has, fits in 64 bits: money counts
 * in pence, with none.  False once it does not (10 + 0.000000000000000001
 * needs 20 digits). */
typedef struct dec_bound {
  int32_t scale;
  uint64_t sum;
} dec_bound;

static bool times_power_of_ten(uint64_t *v, int32_t times) {
  for (int32_t i = 0; i < times; i++)
    if (__builtin_mul_overflow(*v, 10u, v)) return false;
  return true;
}

static bool bound_dec(dec_bound *b, chg_dec d) {
  if (d.scale > b->scale) {
    if (!times_power_of_ten(&b->sum, d.scale - b->scale)) return false;
    b->scale = d.scale;
  }
  uint64_t size = d.m < 0 ? 0u - (uint64_t)d.m : (uint64_t)d.m;
  return times_power_of_ten(&size, b->scale - d.scale) &&
         !__builtin_add_overflow(b->sum, size, &b->sum) && b->sum <= (uint64_t)INT64_MAX;
}

static bool bound_value(dec_bound *b, const chg_value *v) {
  if (v->kind == CHG_V_MONEY) return bound_dec(b, (chg_dec){v->u.pence, 0});
  if (v->kind == CHG_V_NUMBER || v->kind == CHG_V_PERCENT) return bound_dec(b, chg_value_dec(v));
  return true;
}

static void bound_money(chg_eval *ev, const chg_node *series, dec_bound *bound) {
  for (uint32_t i = 0; series && i < series->nseries && !ev->money_too_large; i++) {
    const chg_value *v = &chg_node_series(series)[i].value;
    if (v->kind != CHG_V_MONEY || bound_value(bound, v)) continue;
    ev->money_too_large = true;
    chg_error(ev->ctx, CHG_E_EVAL_FAILED, v->span,
              "the savings and the requirement are too large to total exactly: "
              "their sizes together pass \xC2\xA3" "92,233,720,368,547,758.07, the most "
              "chg can be sure of holding at every step of a total; the savings' money, "
              "by line and by year, and the budget gap are left out");
  }
}

static void posts_cannot_be_totalled(chg_eval *ev, const chg_value *v) {
  ev->posts_too_large = true;
  chg_error(ev->ctx, CHG_E_EVAL_FAILED, v->span,
            "the posts add up to a figure chg cannot hold exactly (more than 18 "
            "digits, counting decimal places); their totals are left out");
}

/* Whether any amount of a series of money is finer than a whole £100k. */
static bool finer_than_100k(const chg_node *series) {
  for (uint32_t i = 0; series && i < series->nseries; i++) {
    const chg_value *v = &chg_node_series(series)[i].value;
    if (v->kind == CHG_V_MONEY && v->u.pence % 10000000 != 0) return true;
  }
  return false;
}

/* ---- series whose periods overlap ------------------------------------------ */

typedef struct key_days {
  int32_t first, last;
  uint32_t at; /* the pair's place in its series */
} key_days;

static int by_first_day_widest_first(const void *pa, const void *pb) {
  const key_days *a = pa, *b = pb;
  if (a->first != b->first) return a->first < b->first ? -1 : 1;
  if (a->last != b->last) return a->last > b->last ? -1 : 1;
  return a->at < b->at ? -1 : a->at > b->at;
}

/* `2022/23: -£1m, 2022-05: -£2m`: a year and a month inside it, both
 * given, are both counted, so the month most likely twice (the same key
 * twice is an error, CHG0207; keys of one kind never overlap otherwise).
 * Said once a series; true when it was. */
static bool overlapping_keys(chg_eval *ev, const chg_node *a) {
  uint32_t n = a->nseries;
  const chg_pair *pairs = chg_node_series(a);
  bool mixed = false;
  for (uint32_t i = 1; i < n && !mixed; i++) mixed = pairs[i].key.kind != pairs[0].key.kind;
  if (!mixed) return false;
  key_days *keys = chg_mem_alloc(&ev->ctx->al, n * sizeof *keys);
  uint32_t nkeys = 0;
  for (uint32_t i = 0; i < n; i++) {
    int32_t first, last;
    chg_period_days(ev, &pairs[i].key, &first, &last);
    if (first != INT32_MIN) keys[nkeys++] = (key_days){first, last, i};
  }
  qsort(keys, nkeys, sizeof *keys, by_first_day_widest_first);
  /* each period counted twice is said, the first eight in full */
  enum { OVERLAPS_SAID = 8 };
  bool said = false;
  uint32_t overlaps = 0;
  chg_span more_at = a->span; /* where the first not said in full is */
  for (uint32_t k = 1, widest = 0; k < nkeys; k++) {
    if (keys[k].first > keys[widest].last) {
      widest = k;
      continue;
    }
    if (++overlaps > OVERLAPS_SAID) {
      if (overlaps == OVERLAPS_SAID + 1) more_at = pairs[keys[k].at].key.span;
      continue;
    }
    const chg_value *inner = &pairs[keys[k].at].key, *outer = &pairs[keys[widest].at].key;
    char in[32], out[32];
    chg_value_format(inner, in, sizeof in);
    chg_value_format(outer, out, sizeof out);
    bool within = keys[k].last <= keys[widest].last;
    chg_warning(ev->ctx, CHG_E_BAD_SERIES, inner->span,
                "%s %s %s, also given in this series of `%s`: both figures are counted, so "
                "what they share is counted twice; give each period once", in,
                within ? "lies within" : "overlaps", out, a->key);
    chg_note(ev->ctx, outer->span, "%s is here", out);
    said = true;
  }
  if (overlaps > OVERLAPS_SAID)
    chg_warning(ev->ctx, CHG_E_BAD_SERIES, more_at,
                "this period and %u more of this series of `%s` lie within or overlap others "
                "given in it, and are counted twice too",
                overlaps - OVERLAPS_SAID - 1, a->key);
  chg_mem_free(&ev->ctx->al, keys, n * sizeof *keys);
  return said;
}

/* `posts staff 2022-Q2: -10, 2022-Q3: -10`: a posts figure is where the
 * establishment stands that year, yet two in one year are added up as
 * changes would be.  Said once a series. */
static void posts_twice_in_a_year(chg_eval *ev, const chg_node *a) {
  const chg_pair *pairs = chg_node_series(a);
  for (uint32_t i = 1; i < a->nseries; i++) {
    if (pairs[i].key.kind == CHG_V_NONE) continue;
    int32_t fy = fy_of_key(ev, &pairs[i].key);
    for (uint32_t j = 0; j < i; j++) {
      if (pairs[j].key.kind == CHG_V_NONE || fy_of_key(ev, &pairs[j].key) != fy) continue;
      char one[32], other[32], year[16];
      chg_value_format(&pairs[j].key, one, sizeof one);
      chg_value_format(&pairs[i].key, other, sizeof other);
      chg_fmt_fy(year, sizeof year, fy);
      chg_warning(ev->ctx, CHG_E_BAD_SERIES, pairs[i].key.span,
                  "%s and %s both fall in %s: a `posts` figure is where the establishment "
                  "stands against its base that year, so give one a financial year (two in "
                  "a year are added up, as changes would be)", one, other, year);
      return;
    }
  }
}

/* The years and categories a savings line uses, and the bound on its money. */
static void note_saving(chg_eval *ev, const chg_node *line, dec_bound *money_bound,
                        dec_bound *posts_bound) {
  bool first_money = true;
  for (chg_node *a = line->items; a; a = a->next) {
    if (a->kind != CHG_N_ATTR || !a->key) continue;
    bool money = strcmp(a->key, "money") == 0, posts = strcmp(a->key, "posts") == 0;
    if (!money && !posts) continue;
    if (posts && a->nargs) add_category(ev, &chg_node_args(a)[0]);
    if (money) bound_money(ev, a, money_bound);
    if (money && first_money && finer_than_100k(a)) ev->savings_finer_than_100k = true;
    first_money = first_money && !money;
    for (uint32_t i = 0; posts && i < a->nseries && !ev->posts_too_large; i++)
      if (!bound_value(posts_bound, &chg_node_series(a)[i].value))
        posts_cannot_be_totalled(ev, &chg_node_series(a)[i].value);
    for (uint32_t i = 0; i < a->nseries; i++)
      if (chg_node_series(a)[i].key.kind != CHG_V_NONE) add_fy(ev, fy_of_key(ev, &chg_node_series(a)[i].key));
    if (!overlapping_keys(ev, a) && posts) posts_twice_in_a_year(ev, a);
  }
}

static void note_requirement(chg_eval *ev, dec_bound *money_bound) {
  if (!ev->portfolio) return;
  chg_node *req = chg_attr(ev->portfolio, "requirement");
  for (uint32_t i = 0; req && i < req->nseries; i++)
    if (chg_node_series(req)[i].key.kind != CHG_V_NONE) add_fy(ev, fy_of_key(ev, &chg_node_series(req)[i].key));
  bound_money(ev, req, money_bound);
  if (finer_than_100k(req)) ev->savings_finer_than_100k = true;
  if (req) overlapping_keys(ev, req);
}

/* ---- heatmap -------------------------------------------------------------- */

static chg_dec impact_load(const chg_value *level) {
  if (level->kind == CHG_V_NUMBER) return chg_value_dec(level);
  if (level->kind == CHG_V_LEVEL) /* worst first: high of three is 3 */
    return chg_dec_from_int((int64_t)level->u.scale->nlevels - chg_level_of(level));
  return chg_dec_from_int(0);
}

/* What the heatmap needs of an impact or a go-live, noted when the block
 * is visited: the grid's months are known only once every block has been.
 * Its load and where its months are written are read again from the
 * impact when the grid is made: a national portfolio's notes are held
 * at evaluation's peak of memory. */
typedef struct heat_load {
  const chg_node *unit; /* NULL: no load, only months */
  const chg_node *impact;
  int32_t first, last;  /* months */
} heat_load;

/* An impact's period, unit and level, the first of each written. */
typedef struct impact_values {
  const chg_value *period, *unit, *level;
} impact_values;

static impact_values impact_values_of(const chg_ctx *ctx, const chg_node *imp) {
  impact_values v = {NULL, NULL, NULL};
  for (chg_node *a = imp->items; a; a = a->next) {
    if (a->kind != CHG_N_ATTR || !a->nargs) continue;
    if (!v.period && a->key == ctx->n.period) v.period = &chg_node_args(a)[0];
    else if (!v.unit && a->key == ctx->n.unit) v.unit = &chg_node_args(a)[0];
    else if (!v.level && a->key == ctx->n.level) v.level = &chg_node_args(a)[0];
  }
  return v;
}

typedef struct heat_go_live {
  const chg_node *unit;
  int32_t month;
  chg_node *milestone;
} heat_go_live;

typedef struct heat_notes {
  heat_load *loads;
  size_t nloads, loads_cap;
  heat_go_live *lives;
  size_t nlives, lives_cap;
  int32_t lo, hi;       /* the months seen */
  bool any;
  dec_bound load_bound; /* of every load: see bound_dec */
} heat_notes;

/* Room for the heatmap's notes, made once: grown by doubling from
 * nothing, they were copied again and again, a megabyte for 10,000
 * projects, each page first written in evaluation's serial part.  An
 * impact notes one load; a go-live notes a unit for each impact in it, or
 * one for its work, so a go-live for each impact is the common case, and
 * more are made room for as they come (more_notes).  Room for every one
 * there could be, a go-live for each milestone and impact, was half of
 * it never written, and in the run's huge pages it would all count. */
static void heat_caps(const chg_eval *ev, size_t *loads, size_t *lives) {
  const uint32_t *counts = ev->ctx->kind_counts;
  *loads = counts[CHG_K_IMPACT];
  *lives = counts[CHG_K_IMPACT];
}

/* The notes live in the arena, in the run of the blocks' records (chg_eval_run),
 * and their pages go back once the heatmap is made (release_heat_notes). */
static void reserve_heat_notes(chg_eval *ev, heat_notes *h) {
  heat_caps(ev, &h->loads_cap, &h->lives_cap);
  h->loads = CHG_NEW_ARRAY(&ev->ctx->arena, heat_load, h->loads_cap);
  h->lives = CHG_NEW_ARRAY(&ev->ctx->arena, heat_go_live, h->lives_cap);
}

static void release_heat_notes(chg_eval *ev, heat_notes *h) {
  chg_arena_give_back(&ev->ctx->arena, h->loads, h->loads_cap * sizeof *h->loads);
  chg_arena_give_back(&ev->ctx->arena, h->lives, h->lives_cap * sizeof *h->lives);
}

/* Room for one more note: the old notes' pages go back. */
static void *more_notes(chg_eval *ev, void *notes, size_t n, size_t *cap, size_t size) {
  if (n < *cap) return notes;
  size_t grown = *cap ? *cap * 2 : 16;
  void *bigger = chg_arena_alloc(&ev->ctx->arena, grown * size);
  if (n) memcpy(bigger, notes, n * size);
  chg_arena_give_back(&ev->ctx->arena, notes, *cap * size);
  *cap = grown;
  return bigger;
}

static void note_go_live_unit(chg_eval *ev, heat_notes *h, chg_node *unit, int32_t month,
                              chg_node *m) {
  h->lives = more_notes(ev, h->lives, h->nlives, &h->lives_cap, sizeof *h->lives);
  h->lives[h->nlives++] = (heat_go_live){unit, month, m};
}

static void note_months(heat_notes *h, int32_t first, int32_t last) {
  if (first < h->lo) h->lo = first;
  if (last > h->hi) h->hi = last;
  h->any = true;
}

static void note_impact(chg_eval *ev, heat_notes *h, const chg_node *imp) {
  impact_values v = impact_values_of(ev->ctx, imp);
  const chg_value *p = v.period, *u = v.unit, *level = v.level;
  if (!p || p->kind == CHG_V_NONE) return;
  int32_t first, last;
  chg_period_days(ev, p, &first, &last);
  if (first == INT32_MIN) return;
  h->loads = more_notes(ev, h->loads, h->nloads, &h->loads_cap, sizeof *h->loads);
  heat_load *l = &h->loads[h->nloads++];
  l->first = month_of_day(first);
  l->last = month_of_day(last);
  l->unit = u && level && u->kind == CHG_V_REF ? u->u.ref : NULL;
  l->impact = imp;
  if (l->unit && !ev->loads_too_large && !bound_dec(&h->load_bound, impact_load(level))) {
    ev->loads_too_large = true;
    chg_error(ev->ctx, CHG_E_EVAL_FAILED, level->span,
              "the impact levels add up to a figure chg cannot hold exactly (more than "
              "18 digits, counting decimal places); the heatmap's loads are left out");
  }
  note_months(h, l->first, l->last);
}

/* A go-live lands on the unit of every impact written in it (a unit
 * named twice counts once, when the cells are counted), else on the
 * unit of the work it is in. */
static void note_go_live(chg_eval *ev, heat_notes *h, chg_node *m) {
  chg_entity *e = chg_entity_of(ev, m);
  if (e->went_live == INT32_MIN) return;
  int32_t month = month_of_day(e->went_live);
  size_t before = h->nlives;
  for (chg_node *c = m->items; c; c = c->next) {
    if (c->kind != CHG_N_BLOCK || !c->spec || c->spec->id != CHG_K_IMPACT) continue;
    const chg_value *u = chg_arg0(c, "unit");
    if (u && u->kind == CHG_V_REF) note_go_live_unit(ev, h, u->u.ref, month, m);
  }
  if (h->nlives == before) {
    chg_node *owner = chg_owner_work(m);
    chg_node *unit = owner ? chg_entity_of(ev, owner)->unit : NULL;
    if (unit) note_go_live_unit(ev, h, unit, month, m);
  }
  /* one that lands on no unit has no cell: no month of the grid for it */
  if (h->nlives > before) note_months(h, month, month);
}

/* A unit's row in the grid, plus one (0: not a unit). */
static size_t unit_row(const chg_eval *ev, const chg_map *rows, const chg_node *unit) {
  return (size_t)(uintptr_t)chg_map_get(rows, unit, ev->ctx->n.unit);
}

/* A portfolio over decades would make a useless grid: fifty years at
 * most, and about the reporting date, so that a typo (an impact in 1922
 * for 2022) does not push the years that matter out of the grid, and of
 * the overload and clash checks made from it.  What falls outside is
 * said, at the first such impact or go-live. */
enum { HEAT_MONTHS_MAX = 600 };

static void heat_window(chg_eval *ev, const heat_notes *h, int32_t *lo, int32_t *hi) {
  if (ev->as_of != INT32_MIN) {
    int32_t centre = month_of_day(ev->as_of) - HEAT_MONTHS_MAX / 2;
    if (centre > *lo) *lo = centre;
    if (*lo > *hi - HEAT_MONTHS_MAX) *lo = *hi - HEAT_MONTHS_MAX;
  }
  *hi = *lo + HEAT_MONTHS_MAX;
  size_t outside = 0;
  chg_span at = {0, 0, 0}; /* the first outside, in source order */
  int32_t at_month = 0;
  for (size_t i = 0; i < h->nloads; i++) {
    const heat_load *l = &h->loads[i];
    if (l->first >= *lo && l->last <= *hi) continue;
    if (!outside++) {
      at = impact_values_of(ev->ctx, l->impact).period->span;
      at_month = l->first < *lo ? l->first : l->last;
    }
  }
  for (size_t i = 0; i < h->nlives; i++) {
    const heat_go_live *g = &h->lives[i];
    if (g->month >= *lo && g->month <= *hi) continue;
    if (i && h->lives[i - 1].milestone == g->milestone) continue; /* its other units */
    chg_span key = chg_key_span(g->milestone);
    if (!outside++ || key.file < at.file || (key.file == at.file && key.start < at.start)) {
      at = key;
      at_month = g->month;
    }
  }
  if (!outside) return;
  char month[16], from[16], to[16];
  chg_fmt_month(month, sizeof month, at_month);
  chg_fmt_month(from, sizeof from, *lo);
  chg_fmt_month(to, sizeof to, *hi);
  chg_warning(ev->ctx, CHG_E_OUTSIDE_HEATMAP, at,
              "%s falls outside the heatmap's fifty years, %s to %s%s: it is left out of the "
              "heatmap and of the overload and clash checks%s",
              month, from, to, ev->as_of != INT32_MIN ? " about the reporting date" : "",
              outside > 1 ? chg_arena_printf(&ev->ctx->arena, " (%zu impacts and go-lives in all)",
                                             outside)
                          : "");
}

static void build_heatmap(chg_eval *ev, heat_notes *h) {
  chg_ctx *ctx = ev->ctx;
  if (h->any && ev->units.len) {
    chg_map rows;
    chg_map_init(&rows, &ctx->al);
    for (size_t u = 0; u < ev->units.len; u++)
      chg_map_put(&rows, ev->units.items[u], ctx->n.unit, (void *)(uintptr_t)(u + 1));
    int32_t lo = h->lo, hi = h->hi;
    if (hi - lo > HEAT_MONTHS_MAX) heat_window(ev, h, &lo, &hi);
    ev->first_month = lo;
    ev->last_month = hi;
    size_t span = (size_t)(hi - lo + 1);
    ev->ncells = ev->units.len * span;
    ev->cells = CHG_NEW_ARRAY(&ctx->arena, chg_heat_cell, ev->ncells);
    for (size_t u = 0; u < ev->units.len; u++)
      for (size_t m = 0; m < span; m++) {
        chg_heat_cell *c = &ev->cells[u * span + m];
        c->unit = ev->units.items[u];
        c->month = lo + (int32_t)m;
      }
    for (size_t i = 0; i < h->nloads && !ev->loads_too_large; i++) {
      const heat_load *l = &h->loads[i];
      size_t row = unit_row(ev, &rows, l->unit);
      chg_dec load = row ? impact_load(impact_values_of(ctx, l->impact).level) : chg_dec_from_int(0);
      for (int32_t mo = l->first > lo ? l->first : lo; row && mo <= l->last && mo <= hi; mo++) {
        chg_heat_cell *c = &ev->cells[(row - 1) * span + (size_t)(mo - lo)];
        chg_dec_add(c->load, load, &c->load);
        if (load.m == 0) continue; /* `level 0` adds nothing to an overload's sources */
        if (c->impacts == 0) c->first_impact = l->impact;
        else if (c->impacts == 1) c->second_impact = l->impact;
        c->impacts++;
      }
    }
    for (size_t i = 0; i < h->nlives; i++) {
      const heat_go_live *g = &h->lives[i];
      size_t row = unit_row(ev, &rows, g->unit);
      if (!row || g->month < lo || g->month > hi) continue;
      chg_heat_cell *c = &ev->cells[(row - 1) * span + (size_t)(g->month - lo)];
      if (c->last_go_live == g->milestone) continue; /* its unit named again */
      c->last_go_live = g->milestone;
      if (c->go_lives == 0) c->first_go_live = g->milestone;
      else if (c->go_lives == 1) c->second_go_live = g->milestone;
      c->go_lives++;
    }
    chg_map_release(&rows);
  }
  release_heat_notes(ev, h);
}

typedef struct block_walk {
  chg_eval *ev;
  heat_notes *heat;
  dec_bound money_bound, posts_bound;
  size_t visited;
} block_walk;

static void evaluate_block(block_walk *w, chg_node *b) {
  chg_eval *ev = w->ev;
  chg_prefetch_ahead(b);
  /* the checker numbered the blocks in its walk: CHG_DEBUG_CAREFUL (as
   * tests/quick_parse.sh runs every golden portfolio) checks this one is
   * the same */
  if (ev->ctx->careful && b->index != w->visited) {
    fprintf(stderr, "chg: internal error: block %u walked as %zu\n", b->index, w->visited);
    abort();
  }
  w->visited++;
  switch ((chg_kind_id)b->spec->id) {
  case CHG_K_PROGRAMME:
  case CHG_K_PROJECT:
  case CHG_K_WORKSTREAM: eval_work(ev, b); break;
  case CHG_K_MILESTONE:
    eval_milestone(ev, b);
    note_go_live(ev, w->heat, b);
    break;
  case CHG_K_RISK: eval_risk(ev, b); break;
  case CHG_K_IMPACT: note_impact(ev, w->heat, b); break;
  case CHG_K_SAVING: note_saving(ev, b, &w->money_bound, &w->posts_bound); break;
  default: break;
  }
  for (chg_node *c = b->items; c; c = c->next)
    if (c->kind == CHG_N_BLOCK && c->spec) evaluate_block(w, c);
}

/* Everything that depends on a block alone, or on the blocks that hold it,
 * done in one walk in source order, which visits each block's subtree
 * once while it is in the caches (a walk per kind brought each in again:
 * a national portfolio is far larger than the caches).  Blocks come
 * before what they hold, so a work's unit is known before its children's.
 * The walk is the checker's, which listed the blocks in this order: every
 * block of a known kind, top items file by file, each before its items. */
static void evaluate_blocks(chg_eval *ev, heat_notes *heat) {
  chg_ctx *ctx = ev->ctx;
  block_walk w = {ev, heat, {0, 0}, {0, 0}, 0};
  note_requirement(ev, &w.money_bound);
  for (size_t f = 1; f < ctx->nfiles; f++)
    for (chg_node *n = ctx->files[f]->items; n; n = n->next)
      if (n->kind == CHG_N_BLOCK && n->spec) evaluate_block(&w, n);
  if (ctx->careful && w.visited != ctx->blocks.len) {
    fprintf(stderr, "chg: internal error: %zu blocks walked of %zu\n", w.visited, ctx->blocks.len);
    abort();
  }
}

/* ---- benefits ------------------------------------------------------------- */

/* A benefit's realised and planned figures are sums of its entries; when
 * they cannot be held exactly they are left out, once, with an error. */
static void bound_benefit_figures(chg_eval *ev, chg_node *b) {
  dec_bound bound = {0, 0};
  for (chg_node *a = b->items; a; a = a->next) {
    if (a->kind != CHG_N_ATTR || !a->key || (strcmp(a->key, "actual") != 0 && strcmp(a->key, "profile") != 0))
      continue;
    for (uint32_t i = 0; i < a->nseries; i++) {
      const chg_value *v = &chg_node_series(a)[i].value;
      if (bound_value(&bound, v)) continue;
      chg_entity_of(ev, b)->figures_too_large = true;
      chg_error(ev->ctx, CHG_E_EVAL_FAILED, v->span,
                "the figures of benefit `%s` add up to a figure chg cannot hold exactly "
                "(more than 18 digits, counting decimal places); its realised and "
                "planned figures are left out", chg_block_name(ev->ctx, b));
      return;
    }
  }
}

/* Two slips of writing a benefit's series that chg can see: an actual
 * for a period not yet begun (most often a wrong year), which is not
 * counted until it has begun, and a profile that takes the benefit past
 * its target, most often running totals where each entry should be what
 * its period adds. */
static void check_benefit_series(chg_eval *ev, chg_node *b) {
  chg_node *actual = chg_attr(b, "actual");
  if (actual) overlapping_keys(ev, actual);
  if (chg_attr(b, "profile")) overlapping_keys(ev, chg_attr(b, "profile"));
  for (uint32_t i = 0; actual && ev->written_as_of != INT32_MIN && i < actual->nseries; i++) {
    const chg_value *key = &chg_node_series(actual)[i].key;
    int32_t first, last;
    chg_period_days(ev, key, &first, &last);
    if (first == INT32_MIN || first <= ev->written_as_of) continue;
    note_late(ev, b, key, first);
  }
  chg_node *profile = chg_attr(b, "profile");
  if (!profile) return;
  chg_benefit_figures f;
  chg_benefit_figures_of(ev, b, &f);
  if (f.profile_away) {
    char total[64], target[64], baseline[64];
    chg_rv_format(ev, &f.planned_total, total, sizeof total);
    chg_rv_format(ev, &f.target, target, sizeof target);
    chg_rv_format(ev, &f.baseline, baseline, sizeof baseline);
    bool falls = f.downward;
    chg_warning(ev->ctx, CHG_E_PROFILE_PAST_TARGET, profile->span,
                "the profile of benefit `%s` adds up to %s, away from its target: from a "
                "baseline of %s to a target of %s the figure %s, so each period's entry is %s",
                chg_block_name(ev->ctx, b), total, baseline, target, falls ? "falls" : "rises",
                falls ? "negative, what it takes off" : "positive, what it adds");
    return;
  }
  if (!f.profile_past_target) return;
  char reach[64], target[64];
  chg_rv_format(ev, &f.reach, reach, sizeof reach);
  chg_rv_format(ev, &f.target, target, sizeof target);
  chg_warning(ev->ctx, CHG_E_PROFILE_PAST_TARGET, profile->span,
              "the profile of benefit `%s` adds up to %s%s, past its target of %s: each "
              "entry is what its period adds, not a running total",
              chg_block_name(ev->ctx, b), reach, f.baseline.missing ? "" : " with the baseline",
              target);
}

static void eval_benefit(chg_eval *ev, chg_node *b) {
  chg_entity *e = chg_entity_of(ev, b);
  chg_node *owner = chg_owner_work(b);
  if (!owner) return;
  /* a target already met is not at risk, whatever befalls its programme */
  chg_benefit_figures met;
  chg_benefit_figures_of(ev, b, &met);
  if (met.met) return;
  chg_entity *w = chg_entity_of(ev, owner);
  /* its programme red, or a go-live in its programme slipped */
  for (chg_node *p = owner; p; p = chg_is_work(p->parent) ? p->parent : NULL) {
    chg_entity *pe = chg_entity_of(ev, p);
    if (chg_status_is_red(ev, pe->status)) {
      e->at_risk = true;
      e->at_risk_reason = chg_arena_printf(&ev->ctx->arena, "%s `%s` is %s",
                                           p->key, chg_block_name(ev->ctx, p),
                                           chg_level_label(ev->rag, pe->status));
      return;
    }
  }
  /* the nearest first: a go-live inside its owner, else one elsewhere in
   * a block its owner is written in (a sibling project's, the programme's) */
  chg_node *m = w->slipped_go_live;
  for (chg_node *p = owner->parent; !m && chg_is_work(p); p = p->parent)
    m = chg_entity_of(ev, p)->slipped_go_live;
  if (m) {
    const chg_entity *me = chg_entity_of(ev, m);
    e->at_risk = true;
    if (me->has_slip && me->slip_days > 0) {
      char days[32];
      chg_fmt_count(days, sizeof days, me->slip_days, false);
      e->at_risk_reason = chg_arena_printf(&ev->ctx->arena, "go-live `%s` slipped %s day%s",
                                           chg_path_of(ev->ctx, m), days,
                                           me->slip_days == 1 ? "" : "s");
    } else {
      char due[16];
      chg_fmt_day(due, sizeof due, me->due_day);
      e->at_risk_reason = chg_arena_printf(&ev->ctx->arena,
                                           "go-live `%s` is overdue (due %s, not done)",
                                           chg_path_of(ev->ctx, m), due);
    }
  }
}

void chg_benefits_at_risk_again(chg_eval *ev) {
  for (size_t i = 0; i < ev->benefits.len; i++)
    if (!chg_entity_of(ev, ev->benefits.items[i])->at_risk) eval_benefit(ev, ev->benefits.items[i]);
  ev->benefits_stale = false;
}

/* ---- flags as diagnostics ------------------------------------------------- */

/* A flag of severity error or warning is what CI runs `chg check` for: it
 * becomes a diagnostic at the flagged entity, with a note where the rule
 * or hook raised it.  Info flags stay in the report. */
static void report_flags(chg_eval *ev) {
  chg_ctx *ctx = ev->ctx;
  /* a national portfolio's escalations are many, and none is a flag */
  for (chg_decision *d = ev->nflags ? ev->decisions : NULL; d; d = d->next) {
    if (d->level >= 0 || !d->by->severity || !d->entity) continue;
    bool error = strcmp(d->by->severity, "error") == 0;
    if (!error && strcmp(d->by->severity, "warning") != 0) continue;
    chg_node *e = d->entity;
    chg_span at = chg_id_span(e);
    const char *what = chg_path_of(ctx, e);
    if (error)
      chg_error(ctx, CHG_E_FLAGGED, at, "%s `%s`: %s (flagged by %s)", e->key, what, d->by->message,
                d->by->source);
    else
      chg_warning(ctx, CHG_E_FLAGGED, at, "%s `%s`: %s (flagged by %s)", e->key, what,
                  d->by->message, d->by->source);
    chg_note(ctx, d->by->span, "flagged here");
    if (d->by->doubt) chg_note_doubt(ctx, d->by->doubt);
  }
}

/* ---- what evaluation finds ------------------------------------------------- */

bool chg_unit_capacity(const chg_eval *ev, const chg_node *unit, chg_dec *cap) {
  const chg_value *c = chg_arg0(unit, "capacity");
  if (!c && ev->portfolio) c = chg_arg0(ev->portfolio, "capacity");
  if (!c || c->kind != CHG_V_NUMBER) return false;
  *cap = chg_value_dec(c);
  return true;
}

chg_dep_flag chg_dependency_flag(chg_eval *ev, const chg_node *a) {
  if (a->nargs < 2 || chg_node_args(a)[0].kind != CHG_V_REF || chg_node_args(a)[1].kind != CHG_V_NAME ||
      strcmp(chg_path_name(&chg_node_args(a)[1], 0), "high") != 0)
    return CHG_DEP_FINE;
  const chg_entity *te = chg_entity_of(ev, chg_node_args(a)[0].u.ref);
  if (chg_status_is_red(ev, te->status)) return CHG_DEP_ON_RED;
  return te->slipping ? CHG_DEP_ON_SLIPPING : CHG_DEP_FINE;
}

void chg_each_conflict(const chg_eval *ev, void (*visit)(void *ud, const chg_conflict *c),
                       void *ud) {
  size_t span = ev->ncells ? (size_t)(ev->last_month - ev->first_month + 1) : 0;
  for (size_t u = 0; u < ev->units.len && span; u++) {
    chg_conflict c = {.unit = ev->units.items[u]};
    c.has_cap = chg_unit_capacity(ev, c.unit, &c.cap);
    for (size_t m = 0; m < span; m++) {
      c.cell = &ev->cells[u * span + m];
      c.overload = true;
      if (c.has_cap && chg_dec_cmp(c.cell->load, c.cap) > 0) visit(ud, &c);
      c.overload = false;
      if (c.cell->go_lives > 1) visit(ud, &c);
    }
  }
}

/* The milestone that makes `work` slipping (late and not done, or
 * overdue), the first in source order at any depth; NULL if none. */
static chg_node *slipping_milestone(chg_eval *ev, chg_node *work) {
  for (chg_node *c = work->items; c; c = c->next) {
    if (c->kind != CHG_N_BLOCK || !c->spec) continue;
    if (c->spec->id == CHG_K_MILESTONE) {
      const chg_entity *e = chg_entity_of(ev, c);
      if ((e->has_slip && e->slip_days > 0 && !e->done) || e->overdue) return c;
    } else if (chg_is_work(c)) {
      chg_node *m = slipping_milestone(ev, c);
      if (m) return m;
    }
  }
  return NULL;
}

/* The work inside `work` whose own criteria are as bad as its rolled-up
 * status, the first in source order; NULL when its own criteria are. */
static chg_node *red_within(chg_eval *ev, chg_node *work) {
  const chg_entity *e = chg_entity_of(ev, work);
  if (e->own_status == e->status) return NULL;
  for (chg_node *c = work->items; c; c = c->next) {
    if (c->kind != CHG_N_BLOCK || !chg_is_work(c)) continue;
    const chg_entity *ce = chg_entity_of(ev, c);
    if (ce->status == e->status) {
      chg_node *deeper = red_within(ev, c);
      return deeper ? deeper : c;
    }
  }
  return NULL;
}

/* Why work is flagged, in its own figures: "Red (from project `a.p`)",
 * "slipping: milestone `a.m1` is overdue (due 2022-03-01)". */
static const char *troubled_because(chg_eval *ev, chg_node *to, chg_dep_flag flag) {
  chg_ctx *ctx = ev->ctx;
  if (flag == CHG_DEP_ON_RED) {
    const char *level = chg_level_label(ev->rag, chg_entity_of(ev, to)->status);
    chg_node *from = red_within(ev, to);
    return from ? chg_arena_printf(&ctx->arena, "%s (from %s `%s`)", level, from->key,
                                   chg_path_of(ctx, from))
                : level;
  }
  chg_node *m = slipping_milestone(ev, to);
  if (!m) return "slipping: a milestone is late or overdue";
  const chg_entity *me = chg_entity_of(ev, m);
  char day[16];
  chg_fmt_day(day, sizeof day, me->due_day);
  if (me->overdue)
    return chg_arena_printf(&ctx->arena, "slipping: milestone `%s` is overdue (due %s, not done)",
                            chg_path_of(ctx, m), day);
  char days[32];
  chg_fmt_count(days, sizeof days, me->slip_days, false);
  return chg_arena_printf(&ctx->arena, "slipping: milestone `%s` is forecast %s day%s late",
                          chg_path_of(ctx, m), days, me->slip_days == 1 ? "" : "s");
}

/* The problems LANGUAGE.md names -- a high-importance dependency on red or
 * slipping work, a unit's month above its capacity, two go-lives on one
 * unit in one month -- are warnings, so `chg check` says what the report
 * would show and `--strict` can fail on them. */
static void report_dependencies(chg_eval *ev) {
  /* only the work checking saw with a `depends_on`: a walk of every item of
   * every piece of work would be a second pass over a national portfolio */
  const chg_vec *dependents = &ev->ctx->dependents;
  for (size_t i = 0; i < dependents->len; i++) {
    chg_node *w = dependents->items[i];
    for (chg_node *a = w->items; a; a = a->next) {
      if (!chg_is_dependency(ev->ctx, a)) continue;
      chg_dep_flag flag = chg_dependency_flag(ev, a);
      if (flag == CHG_DEP_FINE) continue;
      chg_node *to = chg_node_args(a)[0].u.ref;
      chg_warning(ev->ctx, CHG_E_TROUBLED_DEPENDENCY, chg_node_args(a)[0].span,
                  "%s `%s` depends on %s `%s` (high importance), which is %s", w->key,
                  chg_path_of(ev->ctx, w), to->key, chg_path_of(ev->ctx, to),
                  troubled_because(ev, to, flag));
    }
  }
}

/* A staff category is any name, and each is added up on its own: one
 * written `offcers` beside `officers` everywhere else would be a row of
 * its own on the board's paper.  A category written less often than one
 * a typo away from it is a warning at its first use. */
static const char *times(chg_ctx *ctx, uint32_t n) {
  return n == 1 ? "once" : n == 2 ? "twice" : chg_arena_printf(&ctx->arena, "%u times", n);
}

/* A typo is written less often than the category it misspells, so each
 * category is compared with those written more often than it, as far as
 * the CATEGORIES_COMPARED most used: every category with every other
 * would be 500 million comparisons for a portfolio of 22,000 (one for
 * each grade in each office), and a misspelling of one of the rest is
 * its own row in posts-programmes all the same. */
enum { CATEGORIES_COMPARED = 1000 };

typedef struct category_rank {
  uint32_t index, uses, len;
  uint64_t bytes; /* bit b % 64 for each byte b of the name */
} category_rank;

static uint64_t bytes_of(const char *name) {
  uint64_t bits = 0;
  for (const unsigned char *c = (const unsigned char *)name; *c; c++) bits |= (uint64_t)1 << (*c % 64);
  return bits;
}

/* At most the edit distance of two names: a byte of one that the other
 * lacks must be replaced or dropped, once for each such byte at least */
static unsigned distance_at_least(uint64_t a, uint64_t b) {
  unsigned only_a = (unsigned)__builtin_popcountll(a & ~b), only_b = (unsigned)__builtin_popcountll(b & ~a);
  return only_a > only_b ? only_a : only_b;
}

static int more_used_first(const void *a, const void *b) {
  const category_rank *x = a, *y = b;
  if (x->uses != y->uses) return x->uses > y->uses ? -1 : 1;
  return x->index < y->index ? -1 : x->index > y->index;
}

/* A name written once or a few times, a typo away from one written more
 * often: a staff category (`offcers` beside `officers`) or a status
 * criterion (`overal` beside `overall`), each of which is otherwise added
 * up or rated on its own without a word. */
static void report_lone_names(chg_eval *ev, const chg_post_category *names, uint32_t n,
                              chg_code code, const char *noun, const char *consequence) {
  chg_ctx *ctx = ev->ctx;
  if (n < 2) return;
  category_rank *ranked = chg_mem_alloc(&ctx->al, n * sizeof *ranked);
  for (uint32_t c = 0; c < n; c++)
    ranked[c] = (category_rank){c, names[c].uses, (uint32_t)strlen(names[c].name),
                                bytes_of(names[c].name)};
  qsort(ranked, n, sizeof *ranked, more_used_first);
  uint32_t compared = n < CATEGORIES_COMPARED ? n : CATEGORIES_COMPARED;
  for (uint32_t c = 0; c < n; c++) {
    const chg_post_category *lone = &names[c];
    chg_suggester sg;
    chg_suggest_init(&sg, lone->name);
    uint32_t best_uses = 0, len = (uint32_t)strlen(lone->name);
    uint64_t bytes = bytes_of(lone->name);
    /* the closest, then the first in byte order: the same in any order */
    for (uint32_t k = 0; k < compared && ranked[k].uses > lone->uses; k++) {
      uint32_t other = ranked[k].len;
      if ((other > len ? other - len : len - other) > sg.best_distance ||
          distance_at_least(bytes, ranked[k].bytes) > sg.best_distance)
        continue; /* too far to be a typo, as edit distance would say more slowly */
      const char *before = sg.best;
      chg_suggest_offer(&sg, names[ranked[k].index].name);
      if (sg.best != before) best_uses = ranked[k].uses;
    }
    if (!sg.best) continue;
    chg_warning(ctx, code, lone->first->span, "%s `%s` is written %s and `%s` %s, and each is %s%s",
                noun, lone->name, times(ctx, lone->uses), sg.best, times(ctx, best_uses),
                consequence, chg_suggest_text(ctx, &sg));
  }
  chg_mem_free(&ctx->al, ranked, n * sizeof *ranked);
}

const char *chg_overload_sources(chg_ctx *ctx, const chg_heat_cell *cell, bool quoted) {
  const char *q = quoted ? "`" : "";
  if (!cell->first_impact) return "no impact";
  if (cell->impacts == 1)
    return chg_arena_printf(&ctx->arena, "impact %s%s%s", q, chg_path_of(ctx, cell->first_impact), q);
  return chg_arena_printf(&ctx->arena, "%u impacts: %s%s%s%s %s%s%s%s", cell->impacts, q,
                          chg_path_of(ctx, cell->first_impact), q, cell->impacts > 2 ? "," : " and",
                          q, chg_path_of(ctx, cell->second_impact), q,
                          cell->impacts > 2 ? " and more" : "");
}

const char *chg_clash_go_lives(chg_ctx *ctx, const chg_heat_cell *cell, bool quoted) {
  const char *q = quoted ? "`" : "";
  return chg_arena_printf(&ctx->arena, "%s%s%s%s %s%s%s%s", q, chg_path_of(ctx, cell->first_go_live), q,
                          cell->go_lives > 2 ? "," : " and", q,
                          chg_path_of(ctx, cell->second_go_live), q,
                          cell->go_lives > 2 ? " and more" : "");
}

static void report_clash(chg_eval *ev, const chg_node *unit, const chg_heat_cell *cell) {
  char month[16];
  chg_fmt_month(month, sizeof month, cell->month);
  chg_warning(ev->ctx, CHG_E_SEQUENCING_CLASH, chg_id_span(cell->second_go_live),
              "sequencing clash: go-lives %s land on unit `%s` in %s",
              chg_clash_go_lives(ev->ctx, cell, true), chg_path_of(ev->ctx, unit), month);
  chg_note(ev->ctx, chg_id_span(cell->first_go_live), "the first go-live that month");
}

/* A unit over its capacity in `n` months running, from `first` on: one
 * warning, not one a month (an impact over a quarter is three). */
static void report_overload(chg_eval *ev, const chg_node *unit, chg_dec cap,
                            const chg_heat_cell *first, size_t n) {
  enum { LOADS_SHOWN = 6 };
  char month[16], last[16], load[64], capacity[64];
  chg_fmt_month(month, sizeof month, first->month);
  chg_dec_format(cap, capacity, sizeof capacity);
  if (n == 1) {
    chg_dec_format(first->load, load, sizeof load);
    chg_warning(ev->ctx, CHG_E_CHANGE_OVERLOAD, chg_id_span(unit),
                "change overload: unit `%s` takes a change load of %s in %s, above its "
                "capacity of %s, from %s", chg_path_of(ev->ctx, unit), load, month, capacity,
                chg_overload_sources(ev->ctx, first, true));
    if (first->first_impact)
      chg_note(ev->ctx, chg_key_span(first->first_impact), "the first impact that month");
    return;
  }
  chg_fmt_month(last, sizeof last, first[n - 1].month);
  chg_buf loads = {0};
  for (size_t k = 0; k < n && k < LOADS_SHOWN; k++) {
    chg_dec_format(first[k].load, load, sizeof load);
    const char *sep = k == 0 ? "" : k + 1 == n ? " and " : ", ";
    chg_buf_put(&ev->ctx->al, &loads, sep, strlen(sep));
    chg_buf_put(&ev->ctx->al, &loads, load, strlen(load));
  }
  if (n > LOADS_SHOWN) chg_buf_put(&ev->ctx->al, &loads, ", ...", 5);
  chg_warning(ev->ctx, CHG_E_CHANGE_OVERLOAD, chg_id_span(unit),
              "change overload: unit `%s` takes a change load above its capacity of %s in %zu "
              "months running, %s to %s (%.*s); in %s from %s", chg_path_of(ev->ctx, unit),
              capacity, n, month, last, (int)loads.len, loads.data, month,
              chg_overload_sources(ev->ctx, first, true));
  chg_buf_release(&ev->ctx->al, &loads);
  if (first->first_impact)
    chg_note(ev->ctx, chg_key_span(first->first_impact), "the first impact in %s", month);
}

/* Every unit's months over capacity, a run of them at a time, and its
 * months with two go-lives, in the order of the units and the months. */
static void report_conflicts(chg_eval *ev) {
  size_t span = ev->ncells ? (size_t)(ev->last_month - ev->first_month + 1) : 0;
  for (size_t u = 0; u < ev->units.len && span; u++) {
    const chg_node *unit = ev->units.items[u];
    chg_dec cap;
    bool has_cap = chg_unit_capacity(ev, unit, &cap);
    const chg_heat_cell *row = &ev->cells[u * span];
    for (size_t m = 0; m < span; m++) {
      size_t end = m;
      if (has_cap && chg_dec_cmp(row[m].load, cap) > 0) {
        while (end + 1 < span && chg_dec_cmp(row[end + 1].load, cap) > 0) end++;
        report_overload(ev, unit, cap, &row[m], end - m + 1);
      }
      for (size_t k = m; k <= end; k++)
        if (row[k].go_lives > 1) report_clash(ev, unit, &row[k]);
      m = end;
    }
  }
}

/* ---- driver --------------------------------------------------------------- */

void chg_eval_release(chg_eval *ev) {
  const chg_allocator *al = &ev->ctx->al;
  chg_vec_release(al, &ev->work); /* the others are views of ctx->blocks */
  chg_vec_release(al, &ev->late);
  chg_map_release(&ev->attributed);
  chg_map_release(&ev->category_of);
  chg_map_release(&ev->criterion_of);
  chg_mem_free(al, ev->criteria, ev->criteria_cap * sizeof *ev->criteria);
  chg_map_release(&ev->attrs_of_big);
  chg_map_release(&ev->budgets_inside);
  chg_vec_release(al, &ev->budgeted_outer);
  chg_mem_free(al, ev->post_categories, ev->categories_cap * sizeof *ev->post_categories);
}

enum { ENTITIES_IN_BULK = 32u << 20 };

chg_eval *chg_eval_run(chg_ctx *ctx, int32_t as_of_override) {
  chg_check_run(ctx);
  if (ctx->eval) return ctx->eval;
  chg_debug_phase(ctx, "checked");
  chg_eval *ev = CHG_NEW(&ctx->arena, chg_eval);
  ctx->eval = ev;
  ev->ctx = ctx;
  chg_map_init(&ev->category_of, &ctx->al);
  chg_map_init(&ev->criterion_of, &ctx->al);
  chg_map_init(&ev->attrs_of_big, &ctx->al);
  chg_map_init(&ev->budgets_inside, &ctx->al);
  ev->portfolio = ctx->portfolio;
  ev->year_start = 4; /* April */
  ev->agg_limit = ctx->opts.max_aggregate_steps ? ctx->opts.max_aggregate_steps
                                                : CHG_AGGREGATE_STEPS_DEFAULT;
  ev->as_of = INT32_MIN;
  if (ev->portfolio) {
    int32_t d;
    if (date_of(ev->portfolio, "as_of", &d)) ev->as_of = d;
    const chg_value *ys = chg_arg0(ev->portfolio, "year_start");
    if (ys && ys->kind == CHG_V_NAME) {
      int m = chg_month_from_name(chg_path_name(ys, 0));
      if (m) ev->year_start = (unsigned)m;
    }
  }
  ev->written_as_of = ev->as_of;
  if (as_of_override != INT32_MIN) ev->as_of = as_of_override;
  ev->rag = chg_scale_find(ctx, "rag");
  ev->rag_red = ev->rag && ev->rag->nlevels > 1 ? 0 : -1;
  /* (the checker's table of levels is gone by now: a scale is short) */
  for (uint32_t i = 1; ev->rag_red == 0 && i < ev->rag->nlevels; i++)
    if (strcmp(ev->rag->levels[i], "red") == 0) ev->rag_red = (int32_t)i;
  ev->dca = chg_scale_find(ctx, "dca");
  ev->escalation = chg_scale_find(ctx, "escalation");
  ev->band = chg_scale_find(ctx, "risk_band");
  ev->rec_status = chg_scale_find(ctx, "recommendation_status");
  ev->likelihood = chg_scale_find(ctx, "likelihood");
  ev->impact_scale = chg_scale_find(ctx, "impact");
  ev->change_impact = chg_scale_find(ctx, "change_impact");

  /* The blocks by kind, the heatmap's notes and the blocks' records are
   * made here, in one run of the arena.  For a large tree they are many
   * megabytes, so huge pages (chg_arena_set_bulk) are worth the one left
   * part-used; for a small one that part would be a noticeable share, and
   * only the huge pages the run surely fills are taken: the records the
   * walk of every block makes (of work, milestones and risks; an impact's
   * or saving's is made only if asked for).  At 10,000 projects, the
   * first writes to their 4 KB pages were some 9 ms of the 21 the
   * evaluation took. */
  size_t loads_cap, lives_cap, records = 0;
  heat_caps(ev, &loads_cap, &lives_cap);
  for (int k = 0; k < CHG_K__COUNT; k++)
    if ((CHG_KM(k) & CHG_KM_WORK) || k == CHG_K_MILESTONE || k == CHG_K_RISK)
      records += ctx->kind_counts[k];
  size_t run = ctx->blocks.len * sizeof(void *) + records * sizeof(chg_entity) +
               loads_cap * sizeof(heat_load) + lives_cap * sizeof(heat_go_live);
  bool bulk = ctx->blocks.len * sizeof(chg_entity) >= ENTITIES_IN_BULK;
  if (bulk) chg_arena_set_bulk(&ctx->arena, true);
  else chg_arena_expect_run(&ctx->arena, run);
  heat_notes heat = {.lo = INT32_MAX, .hi = INT32_MIN};
  reserve_heat_notes(ev, &heat);
  sort_blocks(ev); /* from here on, the blocks are grouped by kind */
  evaluate_blocks(ev, &heat);
  if (bulk) chg_arena_set_bulk(&ctx->arena, false);
  budgets_inside_over(ev);
  attribute_savings(ev);
  chg_roll_up(ev);
  for (size_t i = 0; i < ev->benefits.len; i++) {
    bound_benefit_figures(ev, ev->benefits.items[i]);
    if (!chg_entity_of(ev, ev->benefits.items[i])->figures_too_large)
      check_benefit_series(ev, ev->benefits.items[i]);
    eval_benefit(ev, ev->benefits.items[i]);
  }
  say_late(ev);
  build_heatmap(ev, &heat);
  run_rules(ev);
  if (ev->hooks.len || ctx->module_hooks.len) {
    chg_hooks_run(ev);
    chg_roll_up(ev);
    /* a status a hook set can put a benefit at risk */
    for (size_t i = 0; i < ev->benefits.len; i++) {
      chg_entity *b = chg_entity_of(ev, ev->benefits.items[i]);
      b->at_risk = false;
      b->at_risk_reason = NULL;
      eval_benefit(ev, ev->benefits.items[i]);
    }
  }
  report_flags(ev);
  report_dependencies(ev);
  report_lone_names(ev, ev->post_categories, ev->ncategories, CHG_E_LIKELY_MISSPELT_CATEGORY,
                    "staff category", "added up on its own");
  report_lone_names(ev, ev->criteria, ev->ncriteria, CHG_E_LIKELY_MISSPELT_CRITERION,
                    "status criterion", "rated on its own");
  report_conflicts(ev);
  chg_eval_claims(ev);
  if (getenv("CHG_DEBUG_STATS"))
    fprintf(stderr, "chg: conditions %u compiled, %u comparisons read from the records\n",
            ev->conds_compiled, ev->kept_comparisons);
  chg_debug_phase(ctx, "evaluated");
  return ev;
}
