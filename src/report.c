/*
 * report.c -- turning an evaluated portfolio into the board's tables.
 * One builder per section, registered in one table below: adding a
 * section is adding a builder and a line.
 */
#define _POSIX_C_SOURCE 200809L /* fmemopen */
#include "report.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "check.h"
#include "value.h"

/* ---- tables ------------------------------------------------------------- */

static chg_table *new_table(chg_report *r, const char *name, const char *title,
                            const char *note) {
  chg_table *t = CHG_NEW(r->scratch, chg_table);
  t->name = name;
  t->title = title;
  t->note = note;
  return t;
}

static void col(chg_report *r, chg_table *t, const char *name, const char *title,
                bool numeric) {
  if (t->ncols == t->cols_cap) {
    size_t cap = t->cols_cap ? t->cols_cap * 2 : 8;
    chg_column *c = CHG_NEW_ARRAY(r->scratch, chg_column, cap);
    if (t->ncols) memcpy(c, t->cols, t->ncols * sizeof *c);
    t->cols = c;
    t->cols_cap = cap;
  }
  chg_column *c = &t->cols[t->ncols++];
  c->name = name;
  c->title = title;
  c->numeric = numeric;
  c->may_go = false;
}

size_t chg_first_column_for_people(const chg_table *t) {
  return strcmp(t->name, "summary") == 0 ? 1 : 0;
}

const char *chg_columns_shown(const chg_report *rep, const chg_table *t, size_t first,
                              bool *shown) {
  size_t left_out = 0, bytes = 0;
  for (size_t c = 0; c < t->ncols; c++) {
    shown[c] = c == first || !(t->a_row_per_block || t->cols[c].may_go);
    for (size_t r = 0; c > first && r < t->nrows && !shown[c]; r++)
      shown[c] = *chg_cell_str(chg_table_cell(t, r, c), rep->buf, CHG_CELL_MAX, false) != '\0';
    if (c > first && !shown[c]) {
      left_out++;
      bytes += strlen(t->cols[c].title) + 8;
    }
  }
  if (!left_out || !t->nrows) {
    for (size_t c = first; c < t->ncols; c++) shown[c] = true;
    return NULL;
  }
  static const char opening[] = "Columns empty in every row, left out: ";
  char *s = chg_arena_alloc(rep->scratch, sizeof opening + bytes + 2), *end = s;
  end += sprintf(end, "%s", opening);
  size_t named = 0;
  for (size_t c = first + 1; c < t->ncols; c++) {
    if (shown[c]) continue;
    named++;
    const char *joint = named == 1 ? "" : named == left_out ? " and " : ", ";
    end += sprintf(end, "%s%s", joint, t->cols[c].title);
  }
  sprintf(end, ".");
  return s;
}

chg_cell *chg_table_cell(const chg_table *t, size_t row, size_t column) {
  return &t->blocks[row / CHG_ROWS_PER_BLOCK][row % CHG_ROWS_PER_BLOCK * t->ncols + column];
}

static void new_block(chg_report *r, chg_table *t, size_t index, size_t rows) {
  if (index == t->blocks_cap) {
    size_t cap = t->blocks_cap ? t->blocks_cap * 2 : 4;
    chg_cell **b = CHG_NEW_ARRAY(r->scratch, chg_cell *, cap);
    if (t->nblocks) memcpy(b, t->blocks, t->nblocks * sizeof *b);
    t->blocks = b;
    t->blocks_cap = cap;
  }
  chg_cell *cells = CHG_NEW_ARRAY(r->scratch, chg_cell, rows * t->ncols);
  if (index < t->nblocks) memcpy(cells, t->blocks[index], t->nrows * t->ncols * sizeof *cells);
  else t->nblocks = index + 1;
  t->blocks[index] = cells;
}

/* Adds an empty row and returns its index.  Columns are all added first. */
static size_t add_row(chg_report *r, chg_table *t) {
  size_t row = t->nrows;
  if (row < CHG_ROWS_PER_BLOCK && row == t->first_rows) {
    size_t rows = row ? row * 4 : 16;
    t->first_rows = rows < CHG_ROWS_PER_BLOCK ? rows : CHG_ROWS_PER_BLOCK;
    new_block(r, t, 0, t->first_rows);
  } else if (row % CHG_ROWS_PER_BLOCK == 0 && row) {
    new_block(r, t, row / CHG_ROWS_PER_BLOCK, CHG_ROWS_PER_BLOCK);
  }
  return t->nrows++;
}

static chg_cell *at(chg_table *t, size_t row, size_t column) {
  return chg_table_cell(t, row, column);
}

static void set_text(chg_cell *c, const char *s) {
  if (!s) return;
  c->kind = CHG_CELL_TEXT;
  c->u.text = s;
}

static void set_money(chg_cell *c, int64_t pence, chg_money_style style) {
  c->kind = CHG_CELL_MONEY;
  c->style = (uint8_t)style;
  c->u.pence = pence;
}

static void set_count(chg_cell *c, int64_t n) {
  c->kind = CHG_CELL_COUNT;
  c->u.count = n;
}

static void set_num(chg_cell *c, chg_dec d) {
  c->kind = CHG_CELL_NUMBER;
  c->u.num = d;
}

/* A sum of figures as written -- a load, a capacity, posts -- which may
 * have as many places as they had: never rounded for people, so that a
 * load of 2.000000001 does not read as the capacity of 2 it exceeds. */
static void set_sum(chg_cell *c, chg_dec d) {
  set_num(c, d);
  c->style = true;
}

static void set_pct(chg_cell *c, chg_dec fraction) {
  c->kind = CHG_CELL_PERCENT;
  c->u.num = fraction;
}

static void set_date(chg_cell *c, int32_t day) {
  if (day == INT32_MIN) return;
  c->kind = CHG_CELL_DATE;
  c->u.ordinal = day;
}

static void set_level(chg_cell *c, const chg_scale *s, int32_t index) {
  if (!s || index < 0) return;
  c->kind = CHG_CELL_LEVEL;
  c->u.level.scale = s;
  c->u.level.index = index;
}

static void set_bool(chg_cell *c, bool b) {
  c->kind = CHG_CELL_BOOL;
  c->u.b = b;
}

static void set_span(chg_cell *c, chg_span span) {
  c->has_span = true;
  c->span = span;
}

/* A cell from a source literal, keeping where it came from. */
static void set_value(chg_cell *c, const chg_value *v) {
  if (!v) return;
  switch (v->kind) {
  case CHG_V_STRING: set_text(c, v->u.s); break;
  case CHG_V_NUMBER: set_sum(c, chg_value_dec(v)); break; /* as written, every place */
  case CHG_V_PERCENT: set_pct(c, chg_value_dec(v)); break;
  case CHG_V_MONEY: set_money(c, v->u.pence, CHG_MONEY_AUTO); break;
  case CHG_V_DATE: set_date(c, v->u.day); break;
  case CHG_V_MONTH: c->kind = CHG_CELL_MONTH; c->u.ordinal = v->u.month; break;
  case CHG_V_FY: c->kind = CHG_CELL_FY; c->u.ordinal = v->u.fy; break;
  case CHG_V_BOOL: set_bool(c, v->u.b); break;
  case CHG_V_NAME: set_text(c, chg_path_last(v)); break;
  case CHG_V_LEVEL: set_level(c, v->u.scale, chg_level_of(v)); break;
  case CHG_V_REF: set_text(c, chg_block_id(v->u.ref)); break;
  default: return;
  }
  set_span(c, v->span);
}

/* A benefit's figure: a sum of figures as written, or a difference of
 * two (never a quotient), so shown to every place it has. */
static void set_rv(chg_cell *c, const chg_rv *v) {
  if (v->missing) return;
  switch (v->type) {
  case CHG_T_MONEY: set_money(c, v->u.pence, CHG_MONEY_AUTO); break;
  case CHG_T_QUANTITY:
    if (v->money) set_money(c, v->u.pence, CHG_MONEY_AUTO);
    else set_sum(c, v->u.num);
    break;
  case CHG_T_NUMBER: set_sum(c, v->u.num); break;
  case CHG_T_PERCENT: set_pct(c, v->u.num); break;
  default: break;
  }
}

/* A block's record as evaluation made it, for the sections built beside
 * another (write_streaming): chg_entity_of would make a missing one in
 * the context's arena, which is for one thread at a time.  None is
 * missing -- every work, milestone and risk has one, and every entity
 * escalated; CHG_DEBUG_CAREFUL checks -- but were one, the block would
 * read as a record of nothing, not race. */
static const chg_entity *record_of(const chg_node *n) {
  static const chg_entity none = {.status = -1, .own_status = -1, .confidence = -1, .band = -1,
                                   .due_day = INT32_MIN, .went_live = INT32_MIN};
  return n->data ? n->data : &none;
}

/* ---- naming entities ---------------------------------------------------- */

static const char *path_of(chg_report *r, const chg_node *b) {
  if (!b || !b->parent || !b->has_id) return chg_path_in(r->scratch, b);
  enum { N = sizeof r->parent_paths / sizeof r->parent_paths[0] };
  struct chg_parent_path *parent = NULL;
  for (unsigned k = 0; k < N && !parent; k++)
    if (r->parent_paths[k].block == b->parent) parent = &r->parent_paths[k];
  if (!parent) {
    parent = &r->parent_paths[r->next_parent_path++ % N];
    parent->block = b->parent;
    parent->path = chg_path_in(r->scratch, b->parent);
    parent->len = strlen(parent->path);
  }
  const char *id = chg_block_id(b);
  size_t n = strlen(id), at = parent->len;
  char *path = chg_arena_alloc(r->scratch, at + 1 + n + 1);
  memcpy(path, parent->path, at);
  path[at] = '.';
  memcpy(path + at + 1, id, n + 1);
  return path;
}

/* The id column: where the entity is, spanning its id in the source. */
static void set_entity(chg_report *r, chg_cell *c, const chg_node *b) {
  set_text(c, path_of(r, b));
  set_span(c, chg_id_span(b));
}

static const char *title_of(const chg_node *b) {
  return chg_block_title_or_id(b);
}

static const char *fy_key(chg_report *r, int32_t fy) {
  return chg_arena_printf(r->scratch, "fy_%04d_%02d", fy, (fy + 1) % 100);
}

static const char *fy_title(chg_report *r, int32_t fy) {
  return chg_arena_printf(r->scratch, "%04d/%02d", fy, (fy + 1) % 100);
}

/* ---- summary ------------------------------------------------------------ */

static void summary_row(chg_report *r, chg_table *t, const char *key, const char *item,
                        chg_cell value) {
  size_t row = add_row(r, t);
  set_text(at(t, row, 0), key);
  set_text(at(t, row, 1), item);
  *at(t, row, 2) = value;
}

static chg_mark rag_mark(const chg_scale *s, int32_t index) {
  if (!s || index < 0) return CHG_MARK_NONE;
  /* red, and anything a portfolio's own scale puts before it */
  if (index == 0 || (index < (int32_t)s->nlevels && strcmp(s->levels[index], "red") == 0))
    return CHG_MARK_BAD;
  return index + 1 == (int32_t)s->nlevels ? CHG_MARK_GOOD : CHG_MARK_WARN;
}

/* Whether a budget is given above a work: by the work it is in, or above
 * that.  The answer for the last parent asked about is kept: the projects
 * of a programme follow one another, and each reading its programme's
 * items again was most of the summary's time (a programme without a
 * budget is read through to its last project). */
typedef struct budget_memo {
  const chg_node *parent;
  bool above;
} budget_memo;

static bool budget_above(const chg_node *w, budget_memo *memo) {
  if (w->parent && w->parent == memo->parent) return memo->above;
  bool above = false;
  for (const chg_node *p = w->parent; p && chg_is_work(p) && !above; p = p->parent) {
    const chg_value *pb = chg_arg0(p, "budget");
    above = pb && pb->kind == CHG_V_MONEY;
  }
  memo->parent = w->parent;
  memo->above = above;
  return above;
}

static chg_table *build_summary(chg_report *r) {
  chg_eval *ev = r->ev;
  chg_table *t = new_table(r, "summary", "Portfolio summary", NULL);
  col(r, t, "key", "Key", false);
  col(r, t, "item", "Item", false);
  col(r, t, "value", "Value", false);
  chg_cell c;
  if (ev->portfolio) {
    memset(&c, 0, sizeof c);
    set_text(&c, title_of(ev->portfolio));
    if (c.kind) summary_row(r, t, "portfolio", "Portfolio", c); /* neither title nor id: none */
    memset(&c, 0, sizeof c);
    set_value(&c, chg_arg0(ev->portfolio, "owner"));
    if (c.kind) summary_row(r, t, "owner", "Owner", c);
  }
  memset(&c, 0, sizeof c);
  set_date(&c, ev->as_of);
  summary_row(r, t, "as_of", "Reporting date", c);
  int32_t worst = -1;
  size_t programmes = 0, projects = 0, workstreams = 0, top = 0, rated = 0;
  for (size_t i = 0; i < ev->work.len; i++) {
    chg_node *w = ev->work.items[i];
    chg_entity *e = chg_entity_of(ev, w);
    if (w->spec->id == CHG_K_PROGRAMME) programmes++;
    else if (w->spec->id == CHG_K_PROJECT) projects++;
    else workstreams++;
    if (w->parent) continue;
    top++;
    if (e->status >= 0) rated++;
    if (e->status >= 0 && (worst < 0 || e->status < worst)) worst = e->status;
  }
  memset(&c, 0, sizeof c);
  set_level(&c, ev->rag, worst);
  if (c.kind) {
    c.mark = (uint8_t)rag_mark(ev->rag, worst);
    /* the worst of a few, the rest unrated, is not "nothing worse" */
    summary_row(r, t, "status",
                rated == top ? "Overall status (worst programme)"
                             : chg_arena_printf(r->scratch,
                                                "Overall status (worst of the %zu of %zu rated)",
                                                rated, top),
                c);
  }
  if (ev->portfolio) {
    memset(&c, 0, sizeof c);
    const chg_value *dca = chg_arg0(ev->portfolio, "confidence");
    set_value(&c, dca);
    /* marked as the programmes' confidence is, and the status above */
    if (dca && dca->kind == CHG_V_LEVEL) c.mark = (uint8_t)rag_mark(ev->dca, chg_level_index(dca));
    if (c.kind) summary_row(r, t, "confidence", "Delivery confidence", c);
  }
  struct { const char *key, *item; size_t n; } counts[] = {
      {"programmes", "Programmes", programmes},
      {"projects", "Projects", projects},
      {"workstreams", "Workstreams", workstreams},
      {"milestones", "Milestones", ev->milestones.len},
      {"benefits", "Benefits", ev->benefits.len},
      {"risks", "Risks", ev->risks.len},
      {"recommendations", "Recommendations", ev->recommendations.len},
  };
  for (size_t i = 0; i < sizeof counts / sizeof counts[0]; i++) {
    if (!counts[i].n) continue;
    memset(&c, 0, sizeof c);
    set_count(&c, (int64_t)counts[i].n);
    summary_row(r, t, counts[i].key, counts[i].item, c);
  }
  /* each budget once, where it is given highest: a programme's holds its
   * projects' when both are written */
  int64_t budget = 0;
  bool budgeted = false, overflow = false;
  /* and what the total leaves out: work with nothing inside it that has
   * no budget of its own or above it (51 of the GMPP's 244 projects) */
  size_t unbudgeted[3] = {0, 0, 0}; /* programmes, projects, workstreams */
  budget_memo memo = {NULL, false};
  for (size_t i = 0; i < ev->work.len; i++) {
    chg_node *w = ev->work.items[i];
    const chg_value *b = chg_arg0(w, "budget");
    bool given = b && b->kind == CHG_V_MONEY;
    if (budget_above(w, &memo)) continue;
    if (!given) {
      bool holds_work = false;
      for (chg_node *k = w->items; k && !holds_work; k = k->next)
        holds_work = k->kind == CHG_N_BLOCK && chg_is_work(k);
      if (!holds_work) unbudgeted[w->spec->id - CHG_K_PROGRAMME]++;
      continue;
    }
    overflow = overflow || __builtin_add_overflow(budget, b->u.pence, &budget);
    budgeted = true;
  }
  if (budgeted && !overflow && !ev->budgets_too_large) {
    memset(&c, 0, sizeof c);
    set_money(&c, budget, CHG_MONEY_AUTO);
    summary_row(r, t, "budget", "Total budget", c);
    size_t left_out = unbudgeted[0] + unbudgeted[1] + unbudgeted[2];
    if (left_out) {
      static const char *const kinds[] = {"programmes", "projects", "workstreams"};
      char item[96];
      size_t k = 0, said = 0;
      for (size_t i = 0; i < 3; i++) {
        if (!unbudgeted[i]) continue;
        size_t after = 0;
        for (size_t j = i + 1; j < 3; j++) after += unbudgeted[j] != 0;
        k += (size_t)snprintf(item + k, sizeof item - k, "%s%s", said == 0 ? "" : after ? ", " : " and ",
                              kinds[i]);
        said++;
      }
      snprintf(item + k, sizeof item - k, " with no budget");
      item[0] = (char)(item[0] - 'a' + 'A');
      memset(&c, 0, sizeof c);
      set_count(&c, (int64_t)left_out);
      summary_row(r, t, "without_budget", chg_arena_printf(r->scratch, "%s", item), c);
    }
  }
  size_t overdue = 0, escalated = 0, false_claims = 0;
  for (size_t i = 0; i < ev->milestones.len; i++)
    overdue += chg_entity_of(ev, ev->milestones.items[i])->overdue;
  for (chg_decision *d = ev->decisions; d; d = d->next)
    escalated += d->level >= 0 && chg_entity_of(ev, d->entity)->escalation == d;
  for (size_t i = 0; i < ev->nclaims; i++)
    false_claims += !ev->claims_out[i].holds && !ev->claims_out[i].failed_to_evaluate;
  if (ev->milestones.len) {
    memset(&c, 0, sizeof c);
    set_count(&c, (int64_t)overdue);
    c.mark = overdue ? CHG_MARK_BAD : CHG_MARK_NONE;
    summary_row(r, t, "milestones_overdue", "Milestones overdue", c);
  }
  if (escalated) {
    memset(&c, 0, sizeof c);
    set_count(&c, (int64_t)escalated);
    summary_row(r, t, "escalations", "Entities escalated", c);
  }
  if (ev->nflags) {
    size_t serious = 0;
    for (chg_decision *d = ev->decisions; d; d = d->next)
      serious += d->level < 0 && d->by->severity && strcmp(d->by->severity, "info") != 0;
    memset(&c, 0, sizeof c);
    set_count(&c, (int64_t)ev->nflags);
    c.mark = serious ? CHG_MARK_WARN : CHG_MARK_NONE;
    summary_row(r, t, "flags", "Flags raised by rules and hooks", c);
  }
  if (ev->recommendations.len) {
    size_t late = 0;
    for (size_t i = 0; i < ev->recommendations.len; i++) {
      chg_rv v = chg_field_value(ev, ev->recommendations.items[i], CHG_F_OVERDUE, NULL);
      late += !v.missing && v.u.b;
    }
    memset(&c, 0, sizeof c);
    set_count(&c, (int64_t)late);
    c.mark = late ? CHG_MARK_BAD : CHG_MARK_NONE;
    summary_row(r, t, "recommendations_overdue", "Recommendations overdue", c);
  }
  if (ev->nclaims) {
    memset(&c, 0, sizeof c);
    set_count(&c, (int64_t)false_claims);
    c.mark = false_claims ? CHG_MARK_BAD : CHG_MARK_GOOD;
    summary_row(r, t, "false_claims", "Claims found false", c);
  }
  /* A hook that failed may have escalated, flagged or rated nothing it
   * was meant to: the board paper says so, not only the diagnostics. */
  size_t hook_errors = 0;
  for (size_t i = 0; i < ev->ctx->ndiags; i++) {
    const chg_diag *d = &ev->ctx->diags[i];
    hook_errors += d->severity == CHG_ERROR &&
                   (d->code == CHG_E_HOOK_SYNTAX || d->code == CHG_E_HOOK_ERROR ||
                    d->code == CHG_E_HOOK_INSTRUCTIONS || d->code == CHG_E_HOOK_MEMORY);
  }
  if (hook_errors) {
    memset(&c, 0, sizeof c);
    set_count(&c, (int64_t)hook_errors);
    c.mark = CHG_MARK_BAD;
    summary_row(r, t, "hook_errors", "Hook errors: results incomplete", c);
  }
  return t;
}

/* ---- status ------------------------------------------------------------- */


static chg_table *build_status(chg_report *r) {
  chg_eval *ev = r->ev;
  chg_table *t = new_table(r, "status", "Status against criteria",
                           "Each criterion as reported; a block's status is the worst of its criteria "
                           "and of the work inside it (the programmes section).");
  t->a_row_per_block = true; /* a row a criterion: a column empty in every row goes */
  col(r, t, "id", "Id", false);
  col(r, t, "title", "Programme / project", false);
  col(r, t, "criterion", "Criterion", false);
  col(r, t, "rag", "RAG", false);
  col(r, t, "rationale", "Rationale", false);
  col(r, t, "set_by", "Set by", false);
  for (size_t i = 0; i < ev->work.len; i++) {
    chg_node *w = ev->work.items[i];
    for (chg_node *a = w->items; a && !chg_attrs_end_at(w, a); a = a->next) {
      if (a->kind != CHG_N_ATTR || !a->key || strcmp(a->key, "status") != 0 || a->nargs < 2)
        continue;
      size_t row = add_row(r, t);
      set_entity(r, at(t, row, 0), w);
      set_text(at(t, row, 1), title_of(w));
      set_value(at(t, row, 2), &chg_node_args(a)[0]);
      set_value(at(t, row, 3), &chg_node_args(a)[1]);
      at(t, row, 3)->mark = (uint8_t)rag_mark(ev->rag, chg_level_index(&chg_node_args(a)[1]));
      if (a->nargs > 2) set_value(at(t, row, 4), &chg_node_args(a)[2]);
    }
    /* statuses a hook set come after the ones written down */
    const chg_entity *we = record_of(w);
    for (chg_hook_status *h = chg_hook_statuses_first(we); h; h = chg_hook_statuses_next(we, h)) {
      size_t row = add_row(r, t);
      set_entity(r, at(t, row, 0), w);
      set_text(at(t, row, 1), title_of(w));
      set_text(at(t, row, 2), h->criterion);
      set_level(at(t, row, 3), ev->rag, h->level);
      at(t, row, 3)->mark = (uint8_t)rag_mark(ev->rag, h->level);
      set_text(at(t, row, 4), h->reason);
      set_text(at(t, row, 5), h->source);
      set_span(at(t, row, 5), h->span);
    }
  }
  return t;
}

static chg_table *build_programmes(chg_report *r) {
  chg_eval *ev = r->ev;
  chg_table *t = new_table(r, "programmes", "Programmes, projects and workstreams",
                           "Status is the worst of the block's own criteria and of the work inside it.");
  t->a_row_per_block = true;
  col(r, t, "id", "Id", false);
  col(r, t, "title", "Title", false);
  col(r, t, "kind", "Kind", false);
  col(r, t, "unit", "Unit", false);
  col(r, t, "sro", "SRO", false);
  col(r, t, "manager", "Manager", false);
  col(r, t, "status", "Status", false);
  col(r, t, "confidence", "Confidence", false);
  col(r, t, "layer", "Layer", false);
  t->cols[t->ncols - 1].unranked = true; /* how much assurance it needs, not how it is doing */
  col(r, t, "budget", "Budget", true);
  col(r, t, "start", "Start", false);
  col(r, t, "end", "End", false);
  col(r, t, "max_slip_days", "Slip (days)", true);
  col(r, t, "overdue", "Overdue milestones", true);
  col(r, t, "escalation", "Escalated to", false);
  col(r, t, "tags", "Tags", false);
  col(r, t, "rationale", "Rationale", false);
  /* each work's overdue milestones, at any depth: the summary's count,
   * told by where they are */
  uint32_t *overdue = CHG_NEW_ARRAY(r->scratch, uint32_t, ev->ctx->blocks.len);
  for (size_t i = 0; i < ev->milestones.len; i++) {
    chg_node *m = ev->milestones.items[i];
    if (!record_of(m)->overdue) continue;
    for (chg_node *w = chg_owner_work(m); w; w = chg_is_work(w->parent) ? w->parent : NULL)
      overdue[w->index]++;
  }
  budget_memo memo = {NULL, false};
  bool budget_held_above = false; /* a budget inside work that has one */
  for (size_t i = 0; i < ev->work.len; i++) {
    chg_node *w = ev->work.items[i];
    const chg_entity *e = record_of(w);
    size_t row = add_row(r, t);
    set_entity(r, at(t, row, 0), w);
    set_text(at(t, row, 1), title_of(w));
    set_text(at(t, row, 2), w->key);
    if (e->unit) set_entity(r, at(t, row, 3), e->unit);
    static const char *const keys[] = {"sro", "manager", "budget", "start", "end", "layer",
                                       "rationale"};
    const chg_value *v[7];
    chg_arg0s(w, keys, 7, v);
    set_value(at(t, row, 4), v[0]);
    set_value(at(t, row, 5), v[1]);
    set_level(at(t, row, 6), ev->rag, e->status);
    at(t, row, 6)->mark = (uint8_t)rag_mark(ev->rag, e->status);
    set_level(at(t, row, 7), ev->dca, e->confidence);
    at(t, row, 7)->mark = (uint8_t)rag_mark(ev->dca, e->confidence);
    set_value(at(t, row, 8), v[5]);
    set_value(at(t, row, 9), v[2]);
    if (v[2] && v[2]->kind == CHG_V_MONEY && !budget_held_above && budget_above(w, &memo))
      budget_held_above = true;
    set_value(at(t, row, 10), v[3]);
    set_value(at(t, row, 11), v[4]);
    if (e->max_slip_days > 0) {
      set_count(at(t, row, 12), e->max_slip_days);
      at(t, row, 12)->mark = CHG_MARK_WARN;
    }
    if (overdue[w->index]) {
      set_count(at(t, row, 13), overdue[w->index]);
      at(t, row, 13)->mark = CHG_MARK_BAD;
    }
    if (e->escalation) set_level(at(t, row, 14), ev->escalation, e->escalation->level);
    /* the categories a board breaks a portfolio down by (GMPP's `rail`,
     * `ict`), as written */
    const chg_value *tags = chg_arg0(w, "tags");
    if (tags && tags->kind == CHG_V_LIST && chg_list_len(tags)) {
      const char *text = "";
      for (uint32_t j = 0; j < chg_list_len(tags); j++)
        if (tags->u.items[j].kind == CHG_V_NAME)
          text = chg_arena_printf(r->scratch, "%s%s%s", text, *text ? ", " : "",
                                  chg_path_last(&tags->u.items[j]));
      set_text(at(t, row, 15), text);
      set_span(at(t, row, 15), tags->span);
    }
    set_value(at(t, row, 16), v[6]);
  }
  /* the status note only where there is a status column to read it by */
  bool any_status = false;
  for (size_t row = 0; row < t->nrows && !any_status; row++)
    any_status = at(t, row, 6)->kind != CHG_CELL_EMPTY;
  /* a board adds up the column: say why it comes to more than the total */
  const char *budgets = "Budgets are as written: where work inside a programme or project gives "
                        "one as well, it is part of the budget above it, so the column adds up "
                        "to more than the summary's total budget, which counts each once.";
  if (budget_held_above)
    t->note = any_status ? chg_arena_printf(r->scratch, "%s %s", t->note, budgets) : budgets;
  else if (!any_status)
    t->note = NULL;
  return t;
}

static chg_table *build_confidence(chg_report *r) {
  chg_eval *ev = r->ev;
  chg_table *t = new_table(r, "confidence", "Delivery confidence",
                           "How many programmes, projects and workstreams stand at each level; shares of those assessed. "
                           "Shares are rounded for display, so they may not add up to exactly 100%.");
  col(r, t, "level", "Level", false);
  col(r, t, "count", "Count", true);
  col(r, t, "share", "Share", true);
  if (!ev->dca) return t;
  int64_t *counts = CHG_NEW_ARRAY(r->scratch, int64_t, ev->dca->nlevels);
  int64_t total = 0;
  for (size_t i = 0; i < ev->work.len; i++) {
    chg_entity *e = chg_entity_of(ev, ev->work.items[i]);
    if (e->confidence < 0) continue;
    counts[e->confidence]++;
    total++;
  }
  if (!total) return t;
  for (uint32_t k = 0; k < ev->dca->nlevels; k++) {
    size_t row = add_row(r, t);
    set_level(at(t, row, 0), ev->dca, (int32_t)k);
    at(t, row, 0)->mark = (uint8_t)rag_mark(ev->dca, (int32_t)k);
    set_count(at(t, row, 1), counts[k]);
    chg_dec share;
    chg_dec_div(chg_dec_from_int(counts[k]), chg_dec_from_int(total), 12, &share);
    set_pct(at(t, row, 2), share);
  }
  /* what the shares are of, and what they leave out */
  size_t row = add_row(r, t);
  set_text(at(t, row, 0), "Total assessed");
  set_count(at(t, row, 1), total);
  set_pct(at(t, row, 2), chg_dec_from_int(1));
  if ((int64_t)ev->work.len > total) {
    row = add_row(r, t);
    set_text(at(t, row, 0), "Not assessed");
    set_count(at(t, row, 1), (int64_t)ev->work.len - total);
  }
  return t;
}

/* ---- savings -------------------------------------------------------------- */

static int32_t key_fy(const chg_eval *ev, const chg_value *key) {
  if (key->kind == CHG_V_FY) return key->u.fy;
  int32_t first, last;
  chg_period_days(ev, key, &first, &last);
  return first == INT32_MIN ? INT32_MIN : chg_fy_of_day(ev, first);
}

/* Adds a series' entries into per-year sums: money into `pence`, numbers
 * (posts, which may be fractional FTE) into `nums`.  `entries` counts how
 * many entries each year gathered. */
static void series_by_year(const chg_eval *ev, const chg_node *attr, int64_t *pence,
                           chg_dec *nums, bool *has, uint32_t *entries) {
  for (uint32_t i = 0; attr && i < attr->nseries; i++) {
    const chg_pair *p = &chg_node_series(attr)[i];
    int32_t fy = key_fy(ev, &p->key);
    for (uint32_t k = 0; k < ev->nfys; k++) {
      if (ev->fys[k] != fy) continue;
      if (p->value.kind == CHG_V_MONEY && pence) {
        if (ev->money_too_large) continue; /* an error says why the sums are missing */
        pence[k] += p->value.u.pence;
      }
      else if (p->value.kind == CHG_V_NUMBER && nums) {
        if (ev->posts_too_large) continue; /* as for money */
        chg_dec_add(nums[k], chg_value_dec(&p->value), &nums[k]);
      }
      else continue;
      has[k] = true;
      if (entries) entries[k]++;
    }
  }
}

static void year_columns(chg_report *r, chg_table *t) {
  for (uint32_t k = 0; k < r->ev->nfys; k++)
    col(r, t, fy_key(r, r->ev->fys[k]), fy_title(r, r->ev->fys[k]), true);
}

/* The savings tables show £m to one decimal place, as a board paper's
 * savings table does, when every amount written for them (the lines'
 * money and the requirement) is a whole number of £100k: every sum of
 * them, a total or a gap, is then shown exactly too.  A finer figure (a
 * smaller body's £40k, £8.25m) would read as £0.0m or be rounded, so then
 * every amount is shown in its own unit, as the other tables show them. */
static bool savings_in_millions(const chg_report *r) {
  return !r->ev->savings_finer_than_100k; /* found in evaluation, as it reads each line */
}

static chg_table *build_savings(chg_report *r) {
  chg_eval *ev = r->ev;
  chg_money_style style = savings_in_millions(r) ? CHG_MONEY_MILLIONS : CHG_MONEY_FINE;
  chg_table *t = new_table(r, "savings", "Savings by line",
                           style == CHG_MONEY_MILLIONS
                               ? "Change in spend by financial year, in £m to one decimal place "
                                 "(the JSON report has every penny, and totals are of the pennies, "
                                 "so rounded lines may not add up to them exactly); negative is a "
                                 "saving."
                               : "Change in spend by financial year, each amount in its own unit "
                                 "(£m from £1m, to two places), as some are finer than £0.1m (the "
                                 "JSON report has every penny); negative is a saving.");
  col(r, t, "id", "Id", false);
  col(r, t, "line", "Line", false);
  col(r, t, "programme", "Programme", false);
  year_columns(r, t);
  col(r, t, "total", "Total", true);
  int64_t *sums = CHG_NEW_ARRAY(r->scratch, int64_t, ev->nfys + 1);
  bool *has = CHG_NEW_ARRAY(r->scratch, bool, ev->nfys + 1);
  uint32_t *entries = CHG_NEW_ARRAY(r->scratch, uint32_t, ev->nfys + 1);
  for (size_t s = 0; s < ev->savings.len; s++) {
    chg_node *line = ev->savings.items[s];
    chg_node *money = chg_attr(line, "money");
    if (!money) continue;
    memset(sums, 0, (ev->nfys + 1) * sizeof *sums);
    memset(has, 0, (ev->nfys + 1) * sizeof *has);
    memset(entries, 0, (ev->nfys + 1) * sizeof *entries);
    series_by_year(ev, money, sums, NULL, has, entries);
    size_t row = add_row(r, t);
    set_entity(r, at(t, row, 0), line);
    set_text(at(t, row, 1), title_of(line));
    chg_node *prog = chg_saving_programme(line);
    if (prog) set_text(at(t, row, 2), path_of(r, prog));
    int64_t total = 0;
    bool any = false;
    for (uint32_t k = 0; k < ev->nfys; k++) {
      if (!has[k]) continue;
      set_money(at(t, row, 3 + k), sums[k], style);
      /* a year written as one entry keeps its source; a sum has none */
      for (uint32_t i = 0; entries[k] == 1 && i < money->nseries; i++)
        if (key_fy(ev, &chg_node_series(money)[i].key) == ev->fys[k]) set_span(at(t, row, 3 + k), chg_node_series(money)[i].value.span);
      total += sums[k];
      any = true;
    }
    if (any) set_money(at(t, row, 3 + ev->nfys), total, style);
  }
  return t;
}

static chg_table *build_savings_programmes(chg_report *r) {
  chg_eval *ev = r->ev;
  chg_money_style style = savings_in_millions(r) ? CHG_MONEY_MILLIONS : CHG_MONEY_FINE;
  chg_table *t = new_table(r, "savings-programmes", "Savings by programme",
                           style == CHG_MONEY_MILLIONS
                               ? "The savings lines of each programme added up, in £m to one "
                                 "decimal place (added up to the penny, then rounded)."
                               : "The savings lines of each programme added up to the penny, each "
                                 "amount in its own unit (£m from £1m, to two places), as some "
                                 "are finer than £0.1m.");
  col(r, t, "id", "Programme", false);
  col(r, t, "title", "Title", false);
  year_columns(r, t);
  col(r, t, "total", "Total", true);
  /* programmes in the order their first line appears; one pass over the
   * lines, each added into its programme's row */
  chg_map rows;
  chg_map_init(&rows, &r->ctx->al);
  chg_vec order = {0};
  const char *key = chg_intern_cstr(&r->ctx->names, "savings-programmes");
  size_t n = ev->nfys;
  int64_t *sums = CHG_NEW_ARRAY(r->scratch, int64_t, (ev->savings.len + 1) * (n + 1));
  bool *has = CHG_NEW_ARRAY(r->scratch, bool, (ev->savings.len + 1) * (n + 1));
  /* lines of no programme (a top-level saving without `programme`) are
   * added up in a last row, so that the rows add up to the totals */
  size_t unassigned = ev->savings.len;
  bool any_unassigned = false;
  for (size_t s = 0; s < ev->savings.len; s++) {
    chg_node *money = chg_attr(ev->savings.items[s], "money");
    /* a line of posts alone is no line of this table (as in `savings`),
     * and must not give its programme a row or place it in the order */
    if (!money) continue;
    chg_node *p = chg_saving_programme(ev->savings.items[s]);
    size_t slot = unassigned;
    if (p) {
      size_t idx = (size_t)(uintptr_t)chg_map_get(&rows, p, key);
      if (!idx) {
        chg_vec_push(&r->ctx->al, &order, p);
        idx = order.len;
        chg_map_put(&rows, p, key, (void *)(uintptr_t)idx);
      }
      slot = idx - 1;
    } else {
      any_unassigned = true;
    }
    series_by_year(ev, money, sums + slot * (n + 1), NULL, has + slot * (n + 1), NULL);
  }
  for (size_t i = 0; i < order.len + any_unassigned; i++) {
    chg_node *p = i < order.len ? order.items[i] : NULL;
    size_t slot = p ? i : unassigned, row = add_row(r, t);
    if (p) {
      set_entity(r, at(t, row, 0), p);
      set_text(at(t, row, 1), title_of(p));
    } else {
      set_text(at(t, row, 1), "Lines of no programme");
    }
    int64_t total = 0;
    bool any = false;
    for (uint32_t k = 0; k < n; k++) {
      if (!has[slot * (n + 1) + k]) continue;
      set_money(at(t, row, 2 + k), sums[slot * (n + 1) + k], style);
      total += sums[slot * (n + 1) + k];
      any = true;
    }
    if (any) set_money(at(t, row, 2 + n), total, style);
  }
  chg_map_release(&rows);
  chg_vec_release(&r->ctx->al, &order);
  return t;
}

static chg_table *build_posts(chg_report *r) {
  chg_eval *ev = r->ev;
  /* no total across the years: a year's posts are where the establishment
   * stands against the base that year, and -100, -200, -200 PCSOs is 200
   * posts fewer, not 500 */
  chg_table *t = new_table(r, "posts", "Posts by line and staff category",
                           "Change in posts by financial year, against the base; negative is a "
                           "reduction. Years are not added up: each is where that year stands.");
  col(r, t, "id", "Id", false);
  col(r, t, "line", "Line", false);
  col(r, t, "category", "Category", false);
  year_columns(r, t);
  chg_dec *sums = CHG_NEW_ARRAY(r->scratch, chg_dec, ev->nfys + 1);
  bool *has = CHG_NEW_ARRAY(r->scratch, bool, ev->nfys + 1);
  for (size_t s = 0; s < ev->savings.len; s++) {
    chg_node *line = ev->savings.items[s];
    for (chg_node *a = line->items; a; a = a->next) {
      if (a->kind != CHG_N_ATTR || !a->key || strcmp(a->key, "posts") != 0 || !a->nargs) continue;
      memset(sums, 0, (ev->nfys + 1) * sizeof *sums);
      memset(has, 0, (ev->nfys + 1) * sizeof *has);
      series_by_year(ev, a, NULL, sums, has, NULL);
      size_t row = add_row(r, t);
      set_entity(r, at(t, row, 0), line);
      set_text(at(t, row, 1), title_of(line));
      set_value(at(t, row, 2), &chg_node_args(a)[0]);
      for (uint32_t k = 0; k < ev->nfys; k++)
        if (has[k]) set_sum(at(t, row, 3 + k), sums[k]);
    }
  }
  return t;
}

/* Posts by programme: one row for each programme and staff category, the
 * programmes as in savings-programmes, the categories as first written.
 * One pass over the lines adds each into its (programme, category) row;
 * the rows are then put in that order (a look for every category in every
 * programme was thousands by thousands). */
typedef struct posts_row {
  chg_dec *sums;
  bool *has;
  chg_node *programme; /* NULL: the lines of no programme */
  uint32_t order;      /* the programme's place, first seen first; the lines of none last */
  uint32_t category;   /* its place in ev->post_categories */
} posts_row;

static int posts_row_order(const void *a, const void *b) {
  const posts_row *x = *(const posts_row *const *)a, *y = *(const posts_row *const *)b;
  if (x->order != y->order) return x->order < y->order ? -1 : 1;
  return x->category < y->category ? -1 : x->category > y->category;
}

static chg_table *build_posts_programmes(chg_report *r) {
  chg_eval *ev = r->ev;
  chg_table *t = new_table(r, "posts-programmes", "Posts by programme and staff category",
                           "The posts lines of each programme added up, year by year; negative "
                           "is a reduction.");
  col(r, t, "id", "Programme", false);
  col(r, t, "title", "Title", false);
  col(r, t, "category", "Category", false);
  year_columns(r, t);
  size_t n = ev->nfys;
  uint32_t nprogrammes = 0;
  chg_vec rows = {0}; /* posts_row */
  chg_map row_of;     /* (programme, category) -> posts_row; (programme, first_seen) -> place + 1 */
  chg_map_init(&row_of, &r->ctx->al);
  const char *first_seen = chg_intern_cstr(&r->ctx->names, "posts-programmes");
  /* lines of no programme are added up under the table itself, shown last */
  const void *unassigned = t;
  for (size_t s = 0; s < ev->savings.len; s++) {
    chg_node *line = ev->savings.items[s];
    chg_node *p = chg_saving_programme(line);
    const void *scope = p ? (const void *)p : unassigned;
    uint32_t order = UINT32_MAX;
    if (p) {
      uintptr_t place = (uintptr_t)chg_map_get(&row_of, p, first_seen);
      if (!place) {
        place = ++nprogrammes;
        chg_map_put(&row_of, p, first_seen, (void *)place);
      }
      order = (uint32_t)(place - 1);
    }
    for (chg_node *a = line->items; a; a = a->next) {
      if (a->kind != CHG_N_ATTR || !a->key || strcmp(a->key, "posts") != 0 || !a->nargs ||
          chg_node_args(a)[0].kind != CHG_V_NAME)
        continue;
      const char *category = chg_path_name(&chg_node_args(a)[0], 0);
      posts_row *row = chg_map_get(&row_of, scope, category);
      if (!row) {
        row = CHG_NEW(r->scratch, posts_row);
        row->sums = CHG_NEW_ARRAY(r->scratch, chg_dec, n + 1);
        row->has = CHG_NEW_ARRAY(r->scratch, bool, n + 1);
        row->programme = p;
        row->order = order;
        row->category = chg_post_category_index(ev, category);
        chg_map_put(&row_of, scope, category, row);
        chg_vec_push(&r->ctx->al, &rows, row);
      }
      series_by_year(ev, a, NULL, row->sums, row->has, NULL);
    }
  }
  if (rows.len) qsort(rows.items, rows.len, sizeof *rows.items, posts_row_order);
  for (size_t i = 0; i < rows.len; i++) {
    const posts_row *sums = rows.items[i];
    size_t row = add_row(r, t);
    if (sums->programme) {
      set_entity(r, at(t, row, 0), sums->programme);
      set_text(at(t, row, 1), title_of(sums->programme));
    } else {
      set_text(at(t, row, 1), "Lines of no programme");
    }
    set_text(at(t, row, 2), ev->post_categories[sums->category].name);
    for (uint32_t k = 0; k < n; k++)
      if (sums->has[k]) set_sum(at(t, row, 3 + k), sums->sums[k]);
  }
  chg_map_release(&row_of);
  chg_vec_release(&r->ctx->al, &rows);
  return t;
}

static chg_table *build_savings_totals(chg_report *r) {
  chg_eval *ev = r->ev;
  chg_money_style style = savings_in_millions(r) ? CHG_MONEY_MILLIONS : CHG_MONEY_FINE;
  chg_node *req = ev->portfolio ? chg_attr(ev->portfolio, "requirement") : NULL;
  /* without a requirement there is no gap to promise */
  const char *how = style == CHG_MONEY_MILLIONS
                        ? "per year, worked out to the penny and shown in £m to one decimal place."
                        : "per year, worked out to the penny, each amount in its own unit (£m "
                          "from £1m, to two places), as some are finer than £0.1m.";
  chg_table *t = new_table(
      r, "savings-totals", req ? "Savings totals and remaining budget gap" : "Savings totals",
      chg_arena_printf(r->scratch, "%s %s%s",
                       req ? "Remaining budget gap = requirement + total change in spend,"
                           : "The savings lines' change in spend and posts, totalled",
                       how,
                       req ? "" : " The portfolio gives no requirement: there is no remaining "
                                  "budget gap to show."));
  col(r, t, "measure", "Measure", false);
  year_columns(r, t);
  /* a requirement with no savings at all is the whole of it a gap; with
   * no figure for any year there is nothing to total */
  if ((!ev->savings.len && !req) || !ev->nfys) return t;
  size_t n = ev->nfys;
  int64_t *money = CHG_NEW_ARRAY(r->scratch, int64_t, n + 1);
  bool *has_money = CHG_NEW_ARRAY(r->scratch, bool, n + 1);
  for (size_t s = 0; s < ev->savings.len; s++)
    series_by_year(ev, chg_attr(ev->savings.items[s], "money"), money, NULL, has_money, NULL);
  size_t row = add_row(r, t);
  set_text(at(t, row, 0), "Total change in spend");
  /* a year no line gives money is blank, as in savings-programmes: £0.0m
   * would say that the lines given for it come to nothing.  The gap below
   * still counts such a year as no saving, the whole requirement unmet. */
  for (size_t k = 0; k < n; k++)
    if (has_money[k] && !ev->money_too_large) set_money(at(t, row, 1 + k), money[k], style);
  /* each category's posts, year by year, added up in one pass over the
   * lines (a pass for each of thousands of categories was quadratic) */
  chg_dec *posts = CHG_NEW_ARRAY(r->scratch, chg_dec, (size_t)ev->ncategories * (n + 1));
  bool *has = CHG_NEW_ARRAY(r->scratch, bool, (size_t)ev->ncategories * (n + 1));
  for (size_t s = 0; s < ev->savings.len; s++)
    for (chg_node *a = ((chg_node *)ev->savings.items[s])->items; a; a = a->next) {
      if (a->kind != CHG_N_ATTR || !a->key || strcmp(a->key, "posts") != 0 || !a->nargs ||
          chg_node_args(a)[0].kind != CHG_V_NAME)
        continue;
      uint32_t c = chg_post_category_index(ev, chg_path_name(&chg_node_args(a)[0], 0));
      if (c != UINT32_MAX) series_by_year(ev, a, NULL, posts + c * (n + 1), has + c * (n + 1), NULL);
    }
  for (uint32_t c = 0; c < ev->ncategories; c++) {
    row = add_row(r, t);
    set_text(at(t, row, 0), chg_arena_printf(r->scratch, "Posts: %s", ev->post_categories[c].name));
    /* a year no line gives this category is blank, not 0: a year's posts
     * are where it stands, and 0 would say a reduction was reversed */
    for (size_t k = 0; k < n && !ev->posts_too_large; k++)
      if (has[c * (n + 1) + k]) set_sum(at(t, row, 1 + k), posts[c * (n + 1) + k]);
  }
  if (req) {
    int64_t *need = CHG_NEW_ARRAY(r->scratch, int64_t, n + 1);
    bool *has_need = CHG_NEW_ARRAY(r->scratch, bool, n + 1);
    series_by_year(ev, req, need, NULL, has_need, NULL);
    row = add_row(r, t);
    set_text(at(t, row, 0), "Requirement");
    for (size_t k = 0; k < n; k++)
      if (has_need[k]) set_money(at(t, row, 1 + k), need[k], style);
    row = add_row(r, t);
    set_text(at(t, row, 0), "Remaining budget gap");
    for (size_t k = 0; k < n; k++) {
      if (!has_need[k]) continue;
      int64_t gap = need[k] + money[k];
      set_money(at(t, row, 1 + k), gap, style);
      at(t, row, 1 + k)->mark = gap > 0 ? CHG_MARK_BAD : CHG_MARK_GOOD;
    }
  }
  return t;
}

/* ---- benefits -------------------------------------------------------------- */

static chg_table *build_benefits(chg_report *r) {
  chg_eval *ev = r->ev;
  chg_table *t = new_table(r, "benefits", "Benefits realisation",
                           "Realised: actuals recorded for periods begun by the reporting date. "
                           "Planned to date: the profile of periods ended by it; in all: the whole profile.");
  t->a_row_per_block = true;
  col(r, t, "id", "Id", false);
  col(r, t, "title", "Benefit", false);
  col(r, t, "type", "Type", false);
  col(r, t, "baseline", "Baseline", true);
  col(r, t, "target", "Target", true);
  col(r, t, "realised", "Realised", true);
  col(r, t, "planned", "Planned to date", true);
  col(r, t, "planned_total", "Planned in all", true);
  col(r, t, "shortfall", "Behind plan", true);
  col(r, t, "slip_days", "Behind (days)", true);
  col(r, t, "due", "Due", false);
  col(r, t, "met", "Target met", false);
  col(r, t, "at_risk", "At risk", false);
  col(r, t, "benefit_owner", "Owner", false);
  col(r, t, "measure", "Measure", false);
  for (size_t i = 0; i < ev->benefits.len; i++) {
    chg_node *b = ev->benefits.items[i];
    chg_entity *e = chg_entity_of(ev, b);
    chg_benefit_figures f;
    chg_benefit_figures_of(ev, b, &f);
    size_t row = add_row(r, t);
    set_entity(r, at(t, row, 0), b);
    set_text(at(t, row, 1), title_of(b));
    set_value(at(t, row, 2), chg_arg0(b, "type"));
    set_value(at(t, row, 3), chg_arg0(b, "baseline"));
    set_value(at(t, row, 4), chg_arg0(b, "target"));
    /* figures that could not be added up exactly are left out (an error
     * says so), and so is all that is worked out from them */
    bool figures = !e->figures_too_large;
    if (figures) {
      set_rv(at(t, row, 5), &f.realised);
      set_rv(at(t, row, 6), &f.planned);
      set_rv(at(t, row, 7), &f.planned_total);
      set_rv(at(t, row, 8), &f.slip_value);
    }
    if (figures && f.has_slip_days) {
      set_count(at(t, row, 9), f.slip_days);
      /* behind a period that ends on the reporting date itself is 0 days
       * behind, and behind all the same */
      if (f.slip_days > 0 || f.behind) at(t, row, 9)->mark = CHG_MARK_WARN;
    }
    set_value(at(t, row, 10), chg_arg0(b, "due"));
    if (figures && !f.target.missing) {
      /* short of a target not yet due is not a miss; with nothing
       * realised, one past its date is missed, and one with no date is
       * not judged.  With no `due`, the target is due when its profile
       * ends: a benefit on plan whose plan runs on has not missed it. */
      const chg_value *due = chg_arg0(b, "due");
      bool dated = due && due->kind == CHG_V_DATE && ev->as_of != INT32_MIN;
      int32_t due_day = dated ? due->u.day : !due && ev->as_of != INT32_MIN ? f.profile_end : INT32_MIN;
      if (!f.met && due_day != INT32_MIN && due_day > ev->as_of) {
        set_text(at(t, row, 11), "not yet due");
      } else if (!f.realised.missing || dated) {
        set_bool(at(t, row, 11), f.met);
        /* met, good; missed and past its date (or with none), bad */
        at(t, row, 11)->mark = f.met ? CHG_MARK_GOOD : CHG_MARK_BAD;
      }
    }
    if (e->at_risk) {
      set_text(at(t, row, 12), e->at_risk_reason);
      at(t, row, 12)->mark = CHG_MARK_BAD;
    }
    set_value(at(t, row, 13), chg_arg0(b, "owner"));
    set_value(at(t, row, 14), chg_arg0(b, "measure"));
  }
  return t;
}

/* ---- risks and decisions ---------------------------------------------------- */

static chg_table *build_risks(chg_report *r) {
  chg_eval *ev = r->ev;
  chg_table *t = new_table(r, "risks", "Risks",
                           "Score = likelihood \xC3\x97 impact; the band is the worst whose threshold the score reaches; "
                           "the most senior escalation any rule or hook gave wins.");
  t->a_row_per_block = true;
  col(r, t, "id", "Id", false);
  col(r, t, "title", "Risk", false);
  col(r, t, "owner", "In", false);
  col(r, t, "likelihood", "L", true);
  col(r, t, "impact", "I", true);
  col(r, t, "score", "Score", true);
  col(r, t, "band", "Band", false);
  col(r, t, "escalation", "Escalated to", false);
  col(r, t, "decided_by", "Decided by", false);
  col(r, t, "risk_owner", "Owner", false);
  col(r, t, "mitigation", "Mitigation", false);
  col(r, t, "category", "Category", false);
  col(r, t, "proximity", "Proximity", false);
  for (size_t i = 0; i < ev->risks.len; i++) {
    chg_node *k = ev->risks.items[i];
    const chg_entity *e = record_of(k);
    size_t row = add_row(r, t);
    set_entity(r, at(t, row, 0), k);
    set_text(at(t, row, 1), title_of(k));
    chg_node *owner = chg_owner_work(k);
    if (owner) set_text(at(t, row, 2), path_of(r, owner));
    static const char *const keys[] = {"likelihood", "impact", "owner", "mitigation",
                                       "category", "proximity"};
    const chg_value *v[6];
    chg_arg0s(k, keys, 6, v);
    if (e->likelihood) {
      set_count(at(t, row, 3), e->likelihood);
      set_span(at(t, row, 3), v[0]->span);
    }
    if (e->impact) {
      set_count(at(t, row, 4), e->impact);
      set_span(at(t, row, 4), v[1]->span);
    }
    if (e->scored) set_count(at(t, row, 5), chg_risk_score(e));
    set_level(at(t, row, 6), ev->band, e->band);
    at(t, row, 6)->mark = (uint8_t)rag_mark(ev->band, e->band);
    if (e->escalation) {
      set_level(at(t, row, 7), ev->escalation, e->escalation->level);
      set_text(at(t, row, 8), e->escalation->by->source);
      set_span(at(t, row, 8), e->escalation->by->span);
    }
    set_value(at(t, row, 9), v[2]);
    set_value(at(t, row, 10), v[3]);
    set_value(at(t, row, 11), v[4]);
    set_value(at(t, row, 12), v[5]);
  }
  return t;
}

static chg_table *build_escalations(chg_report *r) {
  chg_eval *ev = r->ev;
  chg_table *t = new_table(r, "escalations", "Escalations",
                           "Each entity escalated, at the most senior level a rule or hook gave it.");
  t->a_row_per_block = true;
  col(r, t, "id", "Id", false);
  col(r, t, "kind", "Kind", false);
  col(r, t, "title", "Title", false);
  col(r, t, "level", "Escalated to", false);
  col(r, t, "decided_by", "Decided by", false);
  col(r, t, "reason", "Reason", false);
  for (chg_decision *d = ev->decisions; d; d = d->next) {
    if (d->level < 0 || record_of(d->entity)->escalation != d) continue;
    size_t row = add_row(r, t);
    set_entity(r, at(t, row, 0), d->entity);
    set_text(at(t, row, 1), d->entity->key);
    set_text(at(t, row, 2), title_of(d->entity));
    set_level(at(t, row, 3), ev->escalation, d->level);
    set_text(at(t, row, 4), d->by->source);
    set_span(at(t, row, 4), d->by->span);
    set_text(at(t, row, 5), d->by->message);
  }
  return t;
}

static chg_table *build_flags(chg_report *r) {
  chg_eval *ev = r->ev;
  chg_table *t = new_table(r, "flags", "Flags", "What rules and hooks flagged, in the order they ran.");
  t->a_row_per_block = true;
  col(r, t, "id", "Id", false);
  col(r, t, "kind", "Kind", false);
  /* a board discusses a flag by the name of what it flags, not its id */
  col(r, t, "title", "Title", false);
  col(r, t, "severity", "Severity", false);
  col(r, t, "message", "Message", false);
  col(r, t, "raised_by", "Raised by", false);
  for (chg_decision *d = ev->decisions; d; d = d->next) {
    if (d->level >= 0) continue;
    size_t row = add_row(r, t);
    set_entity(r, at(t, row, 0), d->entity);
    set_text(at(t, row, 1), d->entity->key);
    set_text(at(t, row, 2), title_of(d->entity));
    set_text(at(t, row, 3), d->by->severity);
    at(t, row, 3)->mark = !d->by->severity                         ? CHG_MARK_NONE
                           : strcmp(d->by->severity, "error") == 0   ? CHG_MARK_BAD
                           : strcmp(d->by->severity, "warning") == 0 ? CHG_MARK_WARN
                                                                 : CHG_MARK_NONE;
    set_text(at(t, row, 4), d->by->message);
    set_text(at(t, row, 5), d->by->source);
    set_span(at(t, row, 5), d->by->span);
  }
  return t;
}

/* ---- milestones ------------------------------------------------------------- */

static chg_table *build_milestones(chg_report *r) {
  chg_eval *ev = r->ev;
  chg_table *t = new_table(r, "milestones", "Milestones",
                           "Slip = actual (or, before it is met, forecast) \xE2\x88\x92 baseline, in days. Overdue: not done, and its "
                           "forecast (else baseline) is before the reporting date.");
  t->a_row_per_block = true;
  col(r, t, "id", "Id", false);
  col(r, t, "title", "Milestone", false);
  col(r, t, "baseline", "Baseline", false);
  col(r, t, "forecast", "Forecast", false);
  col(r, t, "actual", "Actual", false);
  col(r, t, "progress", "Progress", true);
  col(r, t, "slip_days", "Slip (days)", true);
  col(r, t, "state", "State", false);
  col(r, t, "overdue_days", "Overdue (days)", true);
  col(r, t, "go_live", "Go-live", false);
  for (size_t i = 0; i < ev->milestones.len; i++) {
    chg_node *m = ev->milestones.items[i];
    const chg_entity *e = record_of(m);
    size_t row = add_row(r, t);
    set_entity(r, at(t, row, 0), m);
    set_text(at(t, row, 1), title_of(m));
    static const char *const keys[] = {"baseline", "forecast", "actual", "progress"};
    const chg_value *v[4];
    chg_arg0s(m, keys, 4, v);
    for (size_t k = 0; k < 4; k++) set_value(at(t, row, 2 + k), v[k]);
    if (e->has_slip) {
      set_count(at(t, row, 6), e->slip_days);
      at(t, row, 6)->mark = e->slip_days > 0 ? CHG_MARK_WARN : CHG_MARK_NONE;
    }
    set_text(at(t, row, 7), e->done ? "done" : e->overdue ? "overdue" : e->due_day == INT32_MIN ? "undated" : "open");
    at(t, row, 7)->mark = e->overdue ? CHG_MARK_BAD : e->done ? CHG_MARK_GOOD : CHG_MARK_NONE;
    /* how late: a milestone with no forecast has no slip to show it */
    if (e->overdue) {
      set_count(at(t, row, 8), (int64_t)ev->as_of - e->due_day);
      at(t, row, 8)->mark = CHG_MARK_BAD;
    }
    if (e->went_live != INT32_MIN) set_bool(at(t, row, 9), true);
  }
  return t;
}

/* ---- dependencies ----------------------------------------------------------- */

static chg_table *build_dependencies(chg_report *r) {
  chg_eval *ev = r->ev;
  chg_table *t = new_table(r, "dependencies", "Dependencies",
                           "A high-importance dependency on red or slipping work is flagged.");
  t->a_row_per_block = true;
  col(r, t, "from", "From", false);
  col(r, t, "to", "Depends on", false);
  col(r, t, "importance", "Importance", false);
  col(r, t, "reason", "Reason", false);
  col(r, t, "to_status", "Its status", false);
  col(r, t, "flag", "Flag", false);
  const chg_vec *dependents = &r->ctx->dependents;
  for (size_t i = 0; i < dependents->len; i++) {
    chg_node *w = dependents->items[i];
    for (chg_node *a = w->items; a; a = a->next) {
      if (!chg_is_dependency(r->ctx, a) || a->nargs < 2) continue;
      chg_node *to = chg_node_args(a)[0].u.ref;
      chg_entity *te = chg_entity_of(ev, to);
      size_t row = add_row(r, t);
      set_entity(r, at(t, row, 0), w);
      set_text(at(t, row, 1), path_of(r, to));
      set_span(at(t, row, 1), chg_node_args(a)[0].span);
      set_value(at(t, row, 2), &chg_node_args(a)[1]);
      if (a->nargs > 2) set_value(at(t, row, 3), &chg_node_args(a)[2]);
      set_level(at(t, row, 4), ev->rag, te->status);
      at(t, row, 4)->mark = (uint8_t)rag_mark(ev->rag, te->status);
      chg_dep_flag flag = chg_dependency_flag(ev, a);
      if (flag != CHG_DEP_FINE) {
        const char *text = "depends on slipping work";
        if (flag == CHG_DEP_ON_RED) {
          /* a portfolio's own `rag` may have a Black, worse than red */
          const chg_scale *rag = ev->rag;
          const char *level = chg_level_label(rag, te->status);
          if (strcmp(rag->levels[te->status], "red") == 0) level = "red";
          text = chg_arena_printf(&r->ctx->arena, "depends on %s work", level);
        }
        set_text(at(t, row, 5), text);
        at(t, row, 5)->mark = CHG_MARK_BAD;
      }
    }
  }
  return t;
}

/* A grid wider than this is no use on a board's paper, and it grows as the
 * square of the work: every piece of a national portfolio depending on the
 * one before would be a grid of 10^10 cells.  `dependencies` lists all. */
enum { MATRIX_COLUMNS_MAX = 100 };

static chg_table *build_dependency_matrix(chg_report *r) {
  chg_table *t = new_table(r, "dependency-matrix", "Dependency matrix",
                           "Rows depend on columns; each cell is the importance.");
  col(r, t, "from", "Depends on \xE2\x86\x92", false);
  /* the work that is depended on, in the order each is first named, a
   * column each (from 1) as far as MATRIX_COLUMNS_MAX, 0 past it */
  const chg_vec *dependents = &r->ctx->dependents;
  const char *depends_on = r->ctx->n.depends_on;
  chg_vec targets = {0};
  chg_map column_of;
  chg_map_init(&column_of, &r->ctx->al);
  size_t ntargets = 0;
  for (size_t i = 0; i < dependents->len; i++)
    for (chg_node *a = ((chg_node *)dependents->items[i])->items; a; a = a->next) {
      if (!chg_is_dependency(r->ctx, a)) continue;
      chg_node *to = chg_node_args(a)[0].u.ref;
      if (chg_map_get(&column_of, to, depends_on)) continue;
      ntargets++;
      size_t column = 0;
      if (targets.len < MATRIX_COLUMNS_MAX) {
        chg_vec_push(&r->ctx->al, &targets, to);
        column = targets.len;
      }
      /* a pointer never NULL, for a column or none */
      chg_map_put(&column_of, to, depends_on, (void *)(uintptr_t)(column * 2 + 1));
    }
  for (size_t k = 0; k < targets.len; k++) {
    const char *p = path_of(r, targets.items[k]);
    col(r, t, chg_arena_printf(r->scratch, "on_%s", p), p, false);
  }
  if (ntargets > targets.len) {
    char count[32];
    chg_fmt_count(count, sizeof count, (int64_t)ntargets, false);
    t->note = chg_arena_printf(r->scratch,
                               "Rows depend on columns; each cell is the importance. %s blocks "
                               "are depended on: the first %d named are shown, and the work "
                               "that depends on them; `dependencies` lists every one.",
                               count, MATRIX_COLUMNS_MAX);
  }
  /* a row for each piece of work that depends on a block shown */
  for (size_t i = 0; i < dependents->len; i++) {
    chg_node *w = dependents->items[i];
    size_t row = SIZE_MAX;
    for (chg_node *a = w->items; a; a = a->next) {
      if (!chg_is_dependency(r->ctx, a)) continue;
      const chg_node *on = chg_node_args(a)[0].u.ref;
      size_t column = (size_t)(uintptr_t)chg_map_get(&column_of, on, depends_on) / 2;
      if (!column) continue;
      if (row == SIZE_MAX) {
        row = add_row(r, t);
        set_entity(r, at(t, row, 0), w);
      }
      if (a->nargs >= 2) set_value(at(t, row, column), &chg_node_args(a)[1]);
    }
  }
  chg_vec_release(&r->ctx->al, &targets);
  chg_map_release(&column_of);
  return t;
}

/* ---- the change heatmap ----------------------------------------------------- */

/* A month the grid writes out: a load, or go-lives that clash there. */
static bool heat_shown(const chg_heat_cell *c) { return c->load.m != 0 || c->go_lives > 1; }

static chg_table *build_heatmap(chg_report *r) {
  chg_eval *ev = r->ev;
  chg_table *t = new_table(r, "heatmap", "Change heatmap",
                           "Sum of impact levels per unit and month; a cell above the unit's capacity is overload.");
  col(r, t, "unit", "Unit", false);
  /* the one place a unit is listed: what its id stands for, where the
   * portfolio says */
  col(r, t, "title", "Title", false);
  t->cols[t->ncols - 1].may_go = true;
  col(r, t, "capacity", "Capacity", true);
  t->cols[t->ncols - 1].may_go = true;
  if (!ev->ncells) return t;
  for (int32_t m = ev->first_month; m <= ev->last_month; m++) {
    char key[16];
    chg_fmt_month(key, sizeof key, m);
    const char *k = chg_arena_printf(r->scratch, "%s", key);
    col(r, t, k, k, true);
  }
  size_t span = (size_t)(ev->last_month - ev->first_month + 1);
  for (size_t u = 0; u < ev->units.len; u++) {
    chg_node *unit = ev->units.items[u];
    bool any = false;
    for (size_t m = 0; m < span && !any; m++) any = heat_shown(&ev->cells[u * span + m]);
    if (!any) continue;
    chg_dec cap;
    bool has_cap = chg_unit_capacity(ev, unit, &cap);
    size_t row = add_row(r, t);
    set_entity(r, at(t, row, 0), unit);
    set_text(at(t, row, 1), chg_block_title(unit));
    if (unit->has_title) set_span(at(t, row, 1), chg_title_span(unit));
    if (has_cap) set_sum(at(t, row, 2), cap);
    for (size_t m = 0; m < span; m++) {
      chg_heat_cell *c = &ev->cells[u * span + m];
      if (!heat_shown(c)) continue;
      chg_cell *cell = at(t, row, 3 + m);
      /* a clash shows even where no load was given; loads that could not be
       * added up exactly are left out, and an error says so */
      if (!ev->loads_too_large) set_sum(cell, c->load);
      if (has_cap && chg_dec_cmp(c->load, cap) > 0) cell->mark = CHG_MARK_BAD;
      else if (c->go_lives > 1) cell->mark = CHG_MARK_WARN;
      cell->clash = c->go_lives > 1;
    }
  }
  return t;
}

typedef struct conflict_rows {
  chg_report *r;
  chg_table *t;
} conflict_rows;

static void add_conflict(void *ud, const chg_conflict *c) {
  conflict_rows *rows = ud;
  chg_report *r = rows->r;
  chg_table *t = rows->t;
  size_t row = add_row(r, t);
  set_entity(r, at(t, row, 0), c->unit);
  at(t, row, 1)->kind = CHG_CELL_MONTH;
  at(t, row, 1)->u.ordinal = c->cell->month;
  set_text(at(t, row, 2), c->overload ? "change overload" : "sequencing clash");
  at(t, row, 2)->mark = CHG_MARK_BAD;
  if (c->overload || !r->ev->loads_too_large) set_sum(at(t, row, 3), c->cell->load);
  if (c->has_cap) set_sum(at(t, row, 4), c->cap);
  if (c->overload)
    set_text(at(t, row, 5), chg_overload_sources(r->ctx, c->cell, false));
  else
    set_text(at(t, row, 5),
             chg_arena_printf(r->scratch, "%u go-lives: %s", c->cell->go_lives,
                              chg_clash_go_lives(r->ctx, c->cell, false)));
}

static chg_table *build_conflicts(chg_report *r) {
  chg_eval *ev = r->ev;
  chg_table *t = new_table(r, "change-conflicts", "Change overload and sequencing clashes",
                           "Overload: a month's load above the unit's capacity. Clash: two go-lives "
                           "landing on one unit in one month.");
  t->a_row_per_block = true;
  col(r, t, "unit", "Unit", false);
  col(r, t, "month", "Month", false);
  col(r, t, "problem", "Problem", false);
  col(r, t, "load", "Load", true);
  col(r, t, "capacity", "Capacity", true);
  col(r, t, "detail", "Detail", false);
  conflict_rows rows = {r, t};
  chg_each_conflict(ev, add_conflict, &rows);
  return t;
}

/* ---- recommendations ---------------------------------------------------------- */

/* A recommendation's status as an index of the scale, or -1 for none. */
static int32_t rec_status(const chg_node *rec) {
  return chg_level_index(chg_arg0(rec, "status"));
}

/* The recommendations one by one, as the Calam report's Appendix 1 lists
 * them: which are open, who owns them, which are past their date. */
static chg_table *build_recommendation_list(chg_report *r) {
  chg_eval *ev = r->ev;
  chg_table *t = new_table(r, "recommendation-list", "Recommendations",
                           "Overdue: its due date has passed and it is not done (its status is "
                           "none of output_produced, closed and its scale's last level).");
  t->a_row_per_block = true;
  col(r, t, "id", "Id", false);
  col(r, t, "number", "No.", true);
  col(r, t, "title", "Recommendation", false);
  col(r, t, "theme", "Theme", false);
  col(r, t, "owner", "Owner", false);
  col(r, t, "status", "Status", false);
  col(r, t, "due", "Due", false);
  col(r, t, "overdue", "Overdue", false);
  col(r, t, "outputs", "Outputs", true);
  col(r, t, "output", "Outputs produced", false);
  col(r, t, "linked", "Linked", false);
  for (size_t i = 0; i < ev->recommendations.len; i++) {
    chg_node *k = ev->recommendations.items[i];
    size_t row = add_row(r, t);
    set_entity(r, at(t, row, 0), k);
    set_value(at(t, row, 1), chg_arg0(k, "number"));
    set_text(at(t, row, 2), title_of(k));
    set_value(at(t, row, 3), chg_arg0(k, "theme"));
    set_value(at(t, row, 4), chg_arg0(k, "owner"));
    set_value(at(t, row, 5), chg_arg0(k, "status"));
    set_value(at(t, row, 6), chg_arg0(k, "due"));
    chg_rv overdue = chg_field_value(ev, k, CHG_F_OVERDUE, NULL);
    if (!overdue.missing && overdue.u.b) {
      set_bool(at(t, row, 7), true);
      at(t, row, 7)->mark = CHG_MARK_BAD;
    }
    chg_rv outputs = chg_field_value(ev, k, CHG_F_OUTPUTS, NULL); /* a whole number */
    set_count(at(t, row, 8), outputs.u.num.m);
    /* what was produced, in the order written: sentences, which may hold
     * commas of their own */
    const char *produced = NULL;
    for (chg_node *a = k->items; a && !chg_attrs_end_at(k, a); a = a->next) {
      if (a->kind != CHG_N_ATTR || !a->key || strcmp(a->key, "output") != 0 || !a->nargs ||
          chg_node_args(a)[0].kind != CHG_V_STRING)
        continue;
      if (!produced) set_span(at(t, row, 9), chg_node_args(a)[0].span);
      produced = produced ? chg_arena_printf(r->scratch, "%s; %s", produced, chg_node_args(a)[0].u.s)
                          : chg_node_args(a)[0].u.s;
    }
    set_text(at(t, row, 9), produced);
    /* what it is linked to, by path, as written */
    const chg_value *linked = chg_arg0(k, "linked");
    if (linked && linked->kind == CHG_V_LIST && chg_list_len(linked)) {
      const char *text = "";
      for (uint32_t j = 0; j < chg_list_len(linked); j++) {
        const chg_value *item = &linked->u.items[j];
        const char *shown = item->kind == CHG_V_REF ? path_of(r, item->u.ref)
                            : item->kind == CHG_V_NAME ? chg_path_last(item) : NULL;
        if (shown) text = chg_arena_printf(r->scratch, "%s%s%s", text, *text ? ", " : "", shown);
      }
      set_text(at(t, row, 10), text);
      set_span(at(t, row, 10), linked->span);
    }
  }
  return t;
}

static chg_table *build_recommendations(chg_report *r) {
  chg_eval *ev = r->ev;
  chg_table *t = new_table(r, "recommendations", "Recommendations by status",
                           "Shares of all recommendations. "
                           "Shares are rounded for display, so they may not add up to exactly 100%.");
  col(r, t, "status", "Status", false);
  col(r, t, "count", "Count", true);
  col(r, t, "share", "Share", true);
  /* without the scale (no `use std.recommendations`) no status can be
   * written: every recommendation is counted as having none */
  const chg_scale *s = ev->rec_status;
  uint32_t nlevels = s ? s->nlevels : 0;
  if (!ev->recommendations.len) return t;
  int64_t total = (int64_t)ev->recommendations.len;
  int64_t *counts = CHG_NEW_ARRAY(r->scratch, int64_t, nlevels + 1); /* last: none */
  for (size_t i = 0; i < ev->recommendations.len; i++) {
    int32_t k = s ? rec_status(ev->recommendations.items[i]) : -1;
    counts[k >= 0 ? (uint32_t)k : nlevels]++;
  }
  for (uint32_t k = 0; k <= nlevels; k++) {
    if (k == nlevels && !counts[k]) break; /* a row for no status only when there are some */
    size_t row = add_row(r, t);
    if (k < nlevels) set_level(at(t, row, 0), s, (int32_t)k);
    else set_text(at(t, row, 0), "(no status)");
    set_count(at(t, row, 1), counts[k]);
    chg_dec share;
    chg_dec_div(chg_dec_from_int(counts[k]), chg_dec_from_int(total), 12, &share);
    set_pct(at(t, row, 2), share);
  }
  bool level_named_total = false;
  for (uint32_t k = 0; k < nlevels; k++)
    level_named_total = level_named_total || strcasecmp(chg_level_label(s, k), "Total") == 0;
  size_t row = add_row(r, t);
  set_text(at(t, row, 0), level_named_total ? "Total (all statuses)" : "Total");
  set_count(at(t, row, 1), total);
  set_pct(at(t, row, 2), chg_dec_from_int(1));
  return t;
}

/* A theme's columns: a count for each status level (and for none), its
 * total and its share of all recommendations. */
static void status_columns(chg_report *r, chg_table *t, const chg_scale *s, bool no_status) {
  static const char *const fixed[] = {"Theme", "No status", "Total", "Share"};
  for (uint32_t k = 0; s && k < s->nlevels; k++) {
    /* a level labelled as one of the table's own columns is told apart
     * from it: a CSV read by its header would take one for the other */
    const char *title = chg_level_label(s, k);
    for (size_t i = 0; i < sizeof fixed / sizeof fixed[0]; i++)
      if (strcasecmp(title, fixed[i]) == 0) title = chg_arena_printf(r->scratch, "%s (status)", title);
    col(r, t, chg_arena_printf(r->scratch, "status_%s", s->levels[k]), title, true);
  }
  if (no_status) col(r, t, "no_status", "No status", true);
  col(r, t, "total", "Total", true);
  col(r, t, "share", "Share", true);
}

static chg_table *build_recommendation_themes(chg_report *r) {
  chg_eval *ev = r->ev;
  chg_table *t = new_table(r, "recommendation-themes", "Recommendations by theme and status",
                           "Each theme's recommendations by status; its share of all recommendations. "
                           "Shares are rounded for display, so they may not add up to exactly 100%.");
  col(r, t, "theme", "Theme", false);
  const chg_scale *s = ev->rec_status; /* none: no status was written (above) */
  uint32_t nlevels = s ? s->nlevels : 0;
  if (!ev->recommendations.len) { /* the columns still, as other sections keep theirs */
    status_columns(r, t, s, false);
    return t;
  }
  /* one pass: each recommendation into its theme's row and status column */
  size_t nrecs = ev->recommendations.len, width = nlevels + 1; /* last: no status */
  chg_vec themes = {0};
  chg_map index; /* (NULL, theme) -> row + 1; themeless ones are row 0 of `none` */
  chg_map_init(&index, &r->ctx->al);
  int64_t *counts = CHG_NEW_ARRAY(r->scratch, int64_t, (nrecs + 1) * width);
  size_t none_row = SIZE_MAX;
  bool any_without_status = false;
  for (size_t i = 0; i < nrecs; i++) {
    chg_node *rec = ev->recommendations.items[i];
    const chg_value *th = chg_arg0(rec, "theme");
    const char *name = th && th->kind == CHG_V_NAME ? chg_path_name(th, 0) : NULL;
    size_t row;
    if (!name) {
      if (none_row == SIZE_MAX) {
        none_row = themes.len;
        chg_vec_push(&r->ctx->al, &themes, NULL);
      }
      row = none_row;
    } else {
      row = (size_t)(uintptr_t)chg_map_get(&index, NULL, name);
      if (!row) {
        chg_vec_push(&r->ctx->al, &themes, (void *)name);
        chg_map_put(&index, NULL, name, (void *)(uintptr_t)themes.len);
        row = themes.len;
      }
      row--;
    }
    int32_t k = s ? rec_status(rec) : -1;
    any_without_status = any_without_status || k < 0;
    counts[row * width + (k >= 0 ? (size_t)k : nlevels)]++;
  }
  status_columns(r, t, s, any_without_status);
  size_t ncounts = nlevels + (any_without_status ? 1 : 0);
  for (size_t k = 0; k < themes.len; k++) {
    const char *name = themes.items[k];
    size_t row = add_row(r, t);
    set_text(at(t, row, 0), name ? name : "(no theme)");
    int64_t total = 0;
    for (size_t c = 0; c < ncounts; c++) {
      set_count(at(t, row, 1 + c), counts[k * width + c]);
      total += counts[k * width + c];
    }
    set_count(at(t, row, 1 + ncounts), total);
    chg_dec share;
    chg_dec_div(chg_dec_from_int(total), chg_dec_from_int((int64_t)nrecs), 12, &share);
    set_pct(at(t, row, 2 + ncounts), share);
  }
  /* as the by-status table: the columns added up, in a row a theme of
   * that name (`theme Total`) cannot be taken for */
  bool theme_named_total = false;
  for (size_t k = 0; k < themes.len; k++)
    theme_named_total = theme_named_total || (themes.items[k] && strcasecmp(themes.items[k], "total") == 0);
  size_t row = add_row(r, t);
  set_text(at(t, row, 0), theme_named_total ? "Total (all themes)" : "Total");
  for (size_t c = 0; c < ncounts; c++) {
    int64_t sum = 0;
    for (size_t k = 0; k < themes.len; k++) sum += counts[k * width + c];
    set_count(at(t, row, 1 + c), sum);
  }
  set_count(at(t, row, 1 + ncounts), (int64_t)nrecs);
  set_pct(at(t, row, 2 + ncounts), chg_dec_from_int(1));
  chg_map_release(&index);
  chg_vec_release(&r->ctx->al, &themes);
  return t;
}

/* ---- claims ------------------------------------------------------------------ */

/* What a claim without a title is shown by: its expression, quoted from
 * the source.  Quoting may read the whole of a large file's text into
 * memory, and a writer on the other thread reads that text for columns
 * (write_streaming): so the quotes are made before the threads start. */
static const char *claim_quote(chg_eval *ev, chg_claim_result *c) {
  if (!c->quote) c->quote = chg_expr_quote(ev, chg_node_expr(c->expect));
  return c->quote;
}

static void quote_untitled_claims(chg_eval *ev) {
  for (size_t i = 0; i < ev->nclaims; i++) {
    chg_claim_result *c = &ev->claims_out[i];
    if (!c->claim->has_title && c->expect && chg_node_expr(c->expect)) claim_quote(ev, c);
  }
}

static chg_table *build_claims(chg_report *r) {
  chg_eval *ev = r->ev;
  chg_table *t = new_table(r, "claims", "Claims checked against the figures",
                           "Each claim's expression worked out from the portfolio; FALSE: the "
                           "figures contradict what the source said.");
  t->a_row_per_block = true;
  col(r, t, "id", "Id", false);
  col(r, t, "claim", "Claim", false);
  col(r, t, "verdict", "Verdict", false);
  col(r, t, "figures", "Figures", false);
  col(r, t, "source", "Made in", false);
  for (size_t i = 0; i < ev->nclaims; i++) {
    chg_claim_result *c = &ev->claims_out[i];
    size_t row = add_row(r, t);
    set_entity(r, at(t, row, 0), c->claim);
    /* a claim without a title is shown by what it claims, not by its id
     * again */
    const chg_expr *expect = c->expect ? chg_node_expr(c->expect) : NULL;
    bool untitled = !c->claim->has_title;
    set_text(at(t, row, 1), untitled && expect ? claim_quote(ev, c) : title_of(c->claim));
    set_text(at(t, row, 2), c->failed_to_evaluate ? "not evaluated" : c->holds ? "true" : "FALSE");
    at(t, row, 2)->mark = c->failed_to_evaluate ? CHG_MARK_WARN : c->holds ? CHG_MARK_GOOD : CHG_MARK_BAD;
    if (expect) set_span(at(t, row, 2), expect->span);
    set_text(at(t, row, 3), c->failed_to_evaluate && !c->explanation
                                ? "could not be worked out: see the error at the claim"
                                : c->explanation);
    set_value(at(t, row, 4), chg_arg0(c->claim, "source"));
  }
  return t;
}

/* ---- the registry ------------------------------------------------------------- */

typedef struct section {
  const char *name;
  chg_table *(*build)(chg_report *r);
  /* Built beside any other section (write_streaming): it reads only the
   * blocks, their records (made in evaluation, so never made here) and
   * the decisions, and allocates only in its own scratch. */
  bool beside;
} section;

static const section sections[] = {
    {"summary", build_summary, false},
    {"programmes", build_programmes, true},
    {"status", build_status, true},
    {"confidence", build_confidence, false},
    {"savings", build_savings, false},
    {"savings-programmes", build_savings_programmes, false},
    {"posts", build_posts, false},
    {"posts-programmes", build_posts_programmes, false},
    {"savings-totals", build_savings_totals, false},
    {"benefits", build_benefits, false},
    {"risks", build_risks, true},
    {"escalations", build_escalations, true},
    {"flags", build_flags, true},
    {"milestones", build_milestones, true},
    {"dependencies", build_dependencies, false},
    {"dependency-matrix", build_dependency_matrix, false},
    {"heatmap", build_heatmap, false},
    {"change-conflicts", build_conflicts, false},
    {"recommendations", build_recommendations, false},
    {"recommendation-themes", build_recommendation_themes, false},
    {"recommendation-list", build_recommendation_list, false},
    {"claims", build_claims, false},
};

enum { NSECTIONS = sizeof sections / sizeof sections[0] };

const char *chg_report_section_name(size_t i) {
  return i < NSECTIONS ? sections[i].name : NULL;
}

static chg_report *new_report(chg_eval *ev) {
  chg_report *r = CHG_NEW(&ev->ctx->arena, chg_report);
  r->ev = ev;
  r->ctx = ev->ctx;
  r->buf = chg_arena_alloc(&ev->ctx->arena, CHG_CELL_MAX);
  return r;
}

/* What each column's cells have in common (chg_column.kind), once the
 * table is built: JSON gives it as the column's type. */
static void column_kinds(chg_table *t) {
  for (size_t c = 0; c < t->ncols; c++) {
    t->cols[c].kind = CHG_COLUMN_NOTHING;
    t->cols[c].scale = NULL;
  }
  for (size_t row = 0; row < t->nrows; row++) {
    const chg_cell *cells = chg_table_cell(t, row, 0);
    for (size_t c = 0; c < t->ncols; c++) {
      chg_column *col = &t->cols[c];
      const chg_cell *cell = &cells[c];
      if (cell->kind == CHG_CELL_EMPTY || col->kind == CHG_COLUMN_MIXED) continue;
      const chg_scale *scale = cell->kind == CHG_CELL_LEVEL ? cell->u.level.scale : NULL;
      if (col->kind == CHG_COLUMN_NOTHING) {
        col->kind = cell->kind;
        col->scale = scale;
      } else if (col->kind != cell->kind || col->scale != scale) {
        col->kind = CHG_COLUMN_MIXED;
        col->scale = NULL;
      }
    }
  }
}

/* Builds the i-th section if it was asked for (all are, when none are
 * named); NULL when it was not, or has no data and was not named. */
static chg_table *build_section(chg_report *r, size_t i, const char *const *names,
                                size_t nnames) {
  bool asked = false;
  for (size_t k = 0; k < nnames; k++) asked = asked || strcmp(names[k], sections[i].name) == 0;
  if (nnames && !asked) return NULL;
  /* the paths were in a scratch arena since reset */
  memset(r->parent_paths, 0, sizeof r->parent_paths);
  chg_table *t = sections[i].build(r);
  column_kinds(t);
  return t->nrows || asked ? t : NULL;
}

chg_report *chg_report_build(chg_eval *ev, const char *const *names, size_t nnames) {
  chg_report *r = new_report(ev);
  r->scratch = &ev->ctx->arena; /* the tables stay as long as the context */
  r->tables = CHG_NEW_ARRAY(&ev->ctx->arena, chg_table *, NSECTIONS);
  for (size_t i = 0; i < NSECTIONS; i++) {
    chg_table *t = build_section(r, i, names, nnames);
    if (t) r->tables[r->ntables++] = t;
  }
  return r;
}

void chg_report_write(const chg_report *r, const chg_writer *w, FILE *out) {
  w->begin(r, out);
  for (size_t i = 0; i < r->ntables; i++) w->table(r, r->tables[i], i, out);
  w->end(r, r->ntables, out);
}

/* Builds, writes and forgets one section at a time. */
/* One section being built: a report of its own, whose scratch holds the
 * section's table until it is written. */
typedef struct section_job {
  chg_report r;
  chg_arena scratch;
  const char *const *names;
  size_t nnames;
  chg_table *table;
} section_job;

/* Builds the i-th section into j: its table, or NULL when there is none
 * to write (not asked for, or empty and not named). */
static void build_job(section_job *j, size_t i) {
  j->table = build_section(&j->r, i, j->names, j->nnames);
}

/* Builds, writes and forgets one section at a time.  With a second
 * processor, two threads share the work: each, when free, writes the next
 * section if it is built and no one is writing, else builds a section not
 * yet taken.  A national portfolio's report spends longer building its
 * tables than writing them (at 10,000 projects, 45 ms of building and 22
 * of writing), so a thread that only built and another that only wrote
 * kept the writer waiting on the builder, and the builder then on the
 * writer.  Sections are written in order.
 *
 * Building reads the evaluation and writing reads positions, so a builder
 * and a writer share nothing but what neither changes.  Two builders
 * would: some sections intern names or make text in the context's arena,
 * which is for one thread at a time.  So the calling thread builds only
 * the sections marked `beside` in sections[] (the large ones: a row a
 * project, criterion, risk, escalation or milestone, and the flags), which
 * write only to their own scratch, and the other thread any section, in
 * order.  The calling
 * thread takes the first such section not yet taken, however far ahead:
 * the risks built beside the escalations, say, while the other thread
 * builds the savings.  A writer that reads the evaluation, and a context
 * with an allocator of its own (which may not be called from two
 * threads), go one section after the other.
 *
 * A section being built or waiting to be written holds a slot, and its
 * table the slot's scratch: the slots bound the memory to that many
 * tables.  A section is taken ahead of the first not taken only while two
 * slots are free, so that one is always left for that first one, which
 * must be written before anything after it. */
enum { SLOTS = 4 };

typedef enum { SECTION_WAITING, SECTION_BUILDING, SECTION_BUILT } section_state;

/* A large table is written in chunks of rows (write_in_chunks), with a
 * writer that has part(): at 10,000 projects the risks, escalations and
 * milestones were the last 10 ms of the report, written on one thread
 * while the other had nothing left to build.  Both threads take chunks
 * in order.  The writing thread writes the next chunk due straight out
 * when it takes it, and otherwise formats a later one into a buffer; the
 * other thread, when it has no section to build, formats chunks into
 * buffers, and the writer copies each out in its turn.  No chunk is
 * taken more than CHUNK_WINDOW ahead of the one due, which bounds the
 * buffers, kept from chunk to chunk. */
enum { CHUNK_ROWS = 2048, CHUNK_WINDOW = 4 };

typedef struct chunk_buffer {
  char *text;  /* from buffer_alloc (chunks are written only with the default
                  allocator), kept for the next chunk that falls to it */
  size_t cap, len;
  bool done;   /* formatted, or failed */
  bool failed; /* no buffer could hold it: the writer formats it itself */
} chunk_buffer;

/* A chunk's buffer of a huge page or more is mapped as huge pages (its
 * 4 KB pages were 400 of the report's page faults at 10,000 projects);
 * the small ones of the tests come from malloc. */
static char *buffer_alloc(size_t cap) {
  return cap >= CHG_HUGE_PAGE ? chg_pages_alloc(cap, true) : malloc(cap);
}

static void buffer_free(char *text, size_t cap) {
  if (cap >= CHG_HUGE_PAGE) chg_pages_free(text, cap);
  else free(text);
}

typedef struct section_queue {
  section_job slots[SLOTS];
  bool slot_used[SLOTS];
  section_state state[NSECTIONS];
  uint8_t slot_of[NSECTIONS];
  pthread_mutex_t lock;
  pthread_cond_t changed;
  size_t first_waiting;  /* every section before it is taken */
  size_t written;        /* sections written, or passed over when empty */
  size_t tables_written; /* of those, the ones that had a table */
  bool writing;          /* a thread is writing section `written` */
  const chg_writer *writer;
  FILE *out;
  /* the table being written in chunks, when one is */
  const chg_table *chunked;
  size_t chunk_rows;   /* CHUNK_ROWS, or fewer under CHG_DEBUG_CHUNK_ROWS */
  size_t buffer_start; /* the size a chunk's buffer starts at */
  bool all_buffered;   /* CHG_DEBUG_CHUNK_ROWS: even the writer's own chunks */
  size_t chunked_index, nchunks;
  size_t next_chunk; /* the first chunk not taken */
  size_t emitted;    /* chunks written out */
  chunk_buffer chunks[CHUNK_WINDOW];
  /* a report, scratch and cell buffer for the thread writing chunks and
   * for the one formatting ahead, each let go after every chunk */
  section_job chunk_writer, chunk_helper;
  size_t tables_chunked, chunks_written, chunks_by_other; /* for CHG_DEBUG_STATS */
} section_queue;

/* The section a thread would take next, or NSECTIONS: the first not
 * taken, or for the calling thread (any_section false) the first not
 * taken that it may build, when that is not the first, only with two
 * slots free. */
static size_t next_to_take(const section_queue *q, bool any_section) {
  size_t i = q->first_waiting, free = 0;
  for (size_t k = 0; k < SLOTS; k++) free += !q->slot_used[k];
  if (i == NSECTIONS || !free) return NSECTIONS;
  if (any_section || sections[i].beside) return i;
  if (free < 2) return NSECTIONS;
  for (i++; i < NSECTIONS; i++)
    if (q->state[i] == SECTION_WAITING && sections[i].beside) return i;
  return NSECTIONS;
}

/* With the lock held, let go meanwhile: builds section i in a free slot
 * and marks it built. */
static void take_and_build(section_queue *q, size_t i) {
  size_t k = 0;
  while (q->slot_used[k]) k++;
  q->slot_used[k] = true;
  q->slot_of[i] = (uint8_t)k;
  q->state[i] = SECTION_BUILDING;
  while (q->first_waiting < NSECTIONS && q->state[q->first_waiting] != SECTION_WAITING)
    q->first_waiting++;
  pthread_cond_broadcast(&q->changed); /* the next may be the other's to take */
  pthread_mutex_unlock(&q->lock);
  build_job(&q->slots[k], i);
  pthread_mutex_lock(&q->lock);
  q->state[i] = SECTION_BUILT;
  pthread_cond_broadcast(&q->changed);
}

static void chunk_rows(const section_queue *q, size_t c, size_t *from, size_t *to) {
  *from = c * q->chunk_rows;
  *to = *from + q->chunk_rows < q->chunked->nrows ? *from + q->chunk_rows : q->chunked->nrows;
}

/* A chunk's buffer grows to this at most: a chunk larger than that (cells
 * of half a megabyte each) is written straight out by the writer. */
enum { CHUNK_BUFFER_MAX = 64 << 20 };

/* Formats rows [from, to) into b, its buffer grown until they fit; false
 * when they do not fit in the largest. */
static bool format_into(const section_queue *q, section_job *job, size_t from, size_t to,
                        chunk_buffer *b) {
  for (;;) {
    if (!b->text) {
      b->cap = q->buffer_start;
      if (!(b->text = buffer_alloc(b->cap))) return false;
    }
    FILE *mem = fmemopen(b->text, b->cap, "w");
    if (!mem) return false;
    q->writer->part(&job->r, q->chunked, q->chunked_index, from, to, mem);
    /* Text that overflowed shows at the flush.  Text that fills the buffer
     * exactly is taken as not fitting: glibc ends it with a NUL in its
     * last byte. */
    bool fitted = fflush(mem) == 0 && !ferror(mem);
    long len = fitted ? ftell(mem) : -1;
    fclose(mem);
    chg_arena_reset(&job->scratch);
    if (len >= 0 && (size_t)len < b->cap) {
      b->len = (size_t)len;
      return true;
    }
    if (b->cap >= CHUNK_BUFFER_MAX) return false;
    char *bigger = buffer_alloc(b->cap * 2);
    if (!bigger) return false;
    buffer_free(b->text, b->cap);
    b->text = bigger;
    b->cap *= 2;
  }
}

/* With the lock held, let go meanwhile: formats the next chunk not taken
 * into its buffer, for the writer to copy out in its turn. */
static void format_chunk(section_queue *q, section_job *job) {
  size_t c = q->next_chunk++, from, to;
  chunk_rows(q, c, &from, &to);
  chunk_buffer *b = &q->chunks[c % CHUNK_WINDOW];
  q->chunks_by_other += job == &q->chunk_helper;
  pthread_mutex_unlock(&q->lock);
  bool formatted = format_into(q, job, from, to, b);
  pthread_mutex_lock(&q->lock);
  b->failed = !formatted;
  b->done = true;
  pthread_cond_broadcast(&q->changed);
}

/* Whether a chunk of the table being written may be taken ahead. */
static bool chunk_to_take(const section_queue *q) {
  return q->chunked && q->next_chunk < q->nchunks && q->next_chunk < q->emitted + CHUNK_WINDOW;
}

/* With the lock held, let go meanwhile: writes a table, built in the slot,
 * chunk by chunk in order. */
static void write_in_chunks(section_queue *q, const chg_table *t, size_t index) {
  section_job *job = &q->chunk_writer;
  q->chunked = t;
  q->chunked_index = index;
  q->nchunks = (t->nrows + q->chunk_rows - 1) / q->chunk_rows;
  q->next_chunk = q->emitted = 0;
  q->tables_chunked++;
  q->chunks_written += q->nchunks;
  pthread_cond_broadcast(&q->changed); /* the other thread may format ahead */
  while (q->emitted < q->nchunks) {
    size_t c = q->emitted, from, to;
    chunk_rows(q, c, &from, &to);
    chunk_buffer *b = &q->chunks[c % CHUNK_WINDOW];
    if (b->done || (q->next_chunk == c && !q->all_buffered)) {
      bool straight = !b->done || b->failed;
      if (!b->done) q->next_chunk++;
      pthread_mutex_unlock(&q->lock);
      if (straight) {
        q->writer->part(&job->r, t, index, from, to, q->out);
        chg_arena_reset(&job->scratch);
      } else {
        fwrite(b->text, 1, b->len, q->out);
      }
      pthread_mutex_lock(&q->lock);
      b->done = b->failed = false;
      q->emitted++;
      pthread_cond_broadcast(&q->changed); /* a buffer is free */
    } else if (chunk_to_take(q)) {
      format_chunk(q, job); /* the one due is the other thread's: one later */
    } else {
      pthread_cond_wait(&q->changed, &q->lock);
    }
  }
  q->chunked = NULL;
}

/* With the lock held, let go meanwhile: writes section `written`, built,
 * and frees its slot. */
static void write_next(section_queue *q) {
  size_t k = q->slot_of[q->written];
  section_job *slot = &q->slots[k];
  size_t index = q->tables_written;
  q->writing = true;
  bool in_chunks = slot->table && q->writer->part && slot->table->nrows >= 2 * q->chunk_rows;
  if (in_chunks) write_in_chunks(q, slot->table, index);
  pthread_mutex_unlock(&q->lock);
  if (slot->table && !in_chunks) q->writer->table(&slot->r, slot->table, index, q->out);
  chg_arena_reset(&slot->scratch);
  pthread_mutex_lock(&q->lock);
  q->tables_written += slot->table != NULL;
  q->written++;
  q->writing = false;
  q->slot_used[k] = false;
  pthread_cond_broadcast(&q->changed);
}

/* Writes and builds until every section is written; any_section: this
 * thread may build every section, not only those marked `beside`. */
static void work_on_sections(section_queue *q, bool any_section) {
  pthread_mutex_lock(&q->lock);
  while (q->written < NSECTIONS) {
    size_t i;
    if (!q->writing && q->state[q->written] == SECTION_BUILT) write_next(q);
    else if ((i = next_to_take(q, any_section)) < NSECTIONS) take_and_build(q, i);
    else if (chunk_to_take(q)) format_chunk(q, &q->chunk_helper);
    else pthread_cond_wait(&q->changed, &q->lock);
  }
  pthread_mutex_unlock(&q->lock);
}

static void *build_ahead(void *arg) {
  work_on_sections(arg, true);
  return NULL;
}

/* CHG_DEBUG_CAREFUL: the records the sections built beside read were all
 * made in evaluation, so that building them makes none (chg_entity_of
 * would allocate in the context's arena, from two threads). */
static void check_records_made(const chg_eval *ev) {
  const chg_vec *lists[] = {&ev->work, &ev->risks, &ev->milestones};
  for (size_t l = 0; l < sizeof lists / sizeof lists[0]; l++)
    for (size_t i = 0; i < lists[l]->len; i++)
      if (!((const chg_node *)lists[l]->items[i])->data) {
        fprintf(stderr, "chg: internal error: a block without its record before the report\n");
        abort();
      }
  for (const chg_decision *d = ev->decisions; d; d = d->next)
    if (d->level >= 0 && d->entity && !d->entity->data) { /* flags read no record */
      fprintf(stderr, "chg: internal error: a decision's entity without its record\n");
      abort();
    }
}

/* From this many blocks a section's table is megabytes of cells (a row a
 * risk or milestone), and its scratch is given huge pages: at 10,000
 * projects the first writes to the 4 KB pages of the tables' cells were
 * 3,300 of the report's 6,000 page faults, a fifth of its time. */
enum { LARGE_TABLES_FROM = 10000 };

/* A job of r's report, with a scratch and a cell buffer of its own. */
static void job_init(section_job *j, const chg_report *r, const char *const *names, size_t nnames) {
  *j = (section_job){.r = *r, .names = names, .nnames = nnames};
  chg_arena_init(&j->scratch, &r->ctx->al);
  if (r->ctx->nparsed_blocks >= LARGE_TABLES_FROM) chg_arena_for_large_tables(&j->scratch);
  j->r.scratch = &j->scratch;
  j->r.buf = chg_arena_alloc(&r->ctx->arena, CHG_CELL_MAX);
}

static void write_streaming(chg_eval *ev, const chg_writer *w, const char *const *names,
                            size_t nnames, FILE *out) {
  chg_ctx *ctx = ev->ctx;
  chg_report *r = new_report(ev);
  r->scratch = &ctx->arena; /* for the little before and after the tables */
  bool beside = w->table_alone && ctx->opts.threads != 1 &&
                ctx->al.alloc == chg_default_allocator.alloc && chg_processors() > 1;
  section_queue q = {.writer = w, .out = out, .chunk_rows = CHUNK_ROWS,
                     .buffer_start = CHG_HUGE_PAGE};
  /* Tests and fuzzing: tables of a few rows written in chunks too, every
   * chunk through a buffer, and buffers that start too small to hold one. */
  const char *debug_rows = getenv("CHG_DEBUG_CHUNK_ROWS");
  char *rows_end;
  unsigned long rows = debug_rows ? strtoul(debug_rows, &rows_end, 10) : 0;
  if (rows > 0 && rows <= CHUNK_ROWS && !*rows_end) {
    q.chunk_rows = rows;
    q.buffer_start = 16;
    q.all_buffered = true;
  }
  for (int k = 0; k < SLOTS; k++) job_init(&q.slots[k], r, names, nnames);
  job_init(&q.chunk_writer, r, NULL, 0);
  job_init(&q.chunk_helper, r, NULL, 0);
  if (ctx->careful) check_records_made(ev);
  if (beside) quote_untitled_claims(ev);
  w->begin(r, out);
  size_t written = 0;
  bool all_written = false;
  pthread_t builder;
  if (beside && pthread_mutex_init(&q.lock, NULL) == 0) {
    if (pthread_cond_init(&q.changed, NULL) == 0) {
      if (pthread_create(&builder, NULL, build_ahead, &q) == 0) {
        work_on_sections(&q, false);
        pthread_join(builder, NULL);
        written = q.tables_written;
        all_written = true;
        if (getenv("CHG_DEBUG_STATS"))
          fprintf(stderr, "chg: report: %zu tables written in chunks, %zu of their %zu chunks "
                  "formatted by the thread not writing\n",
                  q.tables_chunked, q.chunks_by_other, q.chunks_written);
      }
      pthread_cond_destroy(&q.changed);
    }
    pthread_mutex_destroy(&q.lock);
  }
  /* one section after the other, built and written on this thread */
  if (!all_written) {
    section_job *slot = &q.slots[0];
    for (size_t i = 0; i < NSECTIONS; i++) {
      build_job(slot, i);
      if (slot->table) w->table(&slot->r, slot->table, written++, out);
      chg_arena_reset(&slot->scratch);
    }
  }
  w->end(r, written, out);
  for (int k = 0; k < SLOTS; k++) chg_arena_release(&q.slots[k].scratch);
  chg_arena_release(&q.chunk_writer.scratch);
  chg_arena_release(&q.chunk_helper.scratch);
  for (int k = 0; k < CHUNK_WINDOW; k++) buffer_free(q.chunks[k].text, q.chunks[k].cap);
}

/* ---- cells as text --------------------------------------------------------------- */

size_t chg_cell_text(const chg_cell *c, char *buf, size_t size, bool csv) {
  bool minus = !csv;
  switch ((chg_cell_kind)c->kind) {
  case CHG_CELL_EMPTY: return chg_fmt_text(buf, size, "");
  case CHG_CELL_TEXT: return chg_fmt_text(buf, size, c->u.text);
  case CHG_CELL_MONEY:
    if (csv) { /* pounds as a plain number a spreadsheet adds up */
      chg_dec pounds = {c->u.pence, 2};
      return chg_fmt_dec(buf, size, pounds, 2, false, false);
    }
    return chg_fmt_money(buf, size, c->u.pence, (chg_money_style)c->style, minus);
  case CHG_CELL_NUMBER: {
    /* exact in CSV, so that a column adds up to its total; for people, a
     * sum of figures as written exactly, any other figure of up to eight
     * decimals as written, and a longer one -- a quotient, as an average
     * is -- to two */
    if (csv) return chg_dec_format(c->u.num, buf, size);
    chg_dec exact = chg_dec_normalise(c->u.num);
    int places = c->style || exact.scale <= 8 ? (exact.scale > 8 ? exact.scale : 8) : 2;
    return chg_fmt_dec(buf, size, c->u.num, places, true, minus);
  }
  case CHG_CELL_PERCENT: {
    chg_dec hundredths;
    if (csv && chg_dec_mul(c->u.num, chg_dec_from_int(100), &hundredths)) {
      /* exact, as numbers are: shares that add up to 100% still do */
      size_t n = chg_dec_format(hundredths, buf, size);
      if (n + 2 <= size) {
        buf[n] = '%';
        buf[n + 1] = '\0';
        return n + 1;
      }
      return n;
    }
    return chg_fmt_percent(buf, size, c->u.num, minus);
  }
  case CHG_CELL_COUNT:
    if (csv) return (size_t)snprintf(buf, size, "%lld", (long long)c->u.count);
    return chg_fmt_count(buf, size, c->u.count, minus);
  case CHG_CELL_DATE: return chg_fmt_day(buf, size, c->u.ordinal);
  case CHG_CELL_MONTH: return chg_fmt_month(buf, size, c->u.ordinal);
  case CHG_CELL_FY: return chg_fmt_fy(buf, size, c->u.ordinal);
  case CHG_CELL_LEVEL: {
    const chg_scale *s = c->u.level.scale;
    const char *label = s->labels[c->u.level.index];
    return chg_fmt_text(buf, size, label ? label : s->levels[c->u.level.index]);
  }
  case CHG_CELL_BOOL: return chg_fmt_text(buf, size, c->u.b ? "yes" : "no");
  }
  return 0;
}

const char *chg_cell_str(const chg_cell *c, char *buf, size_t size, bool csv) {
  if (c->kind == CHG_CELL_TEXT) return c->u.text;
  chg_cell_text(c, buf, size, csv);
  return buf;
}

/* ---- writers ----------------------------------------------------------------------- */

static const chg_writer *const writers[] = {
    &chg_text_writer, &chg_md_writer, &chg_json_writer, &chg_csv_writer, &chg_html_writer,
};

const chg_writer *chg_report_writer(const char *format) {
  /* the names people write for two of them */
  if (strcmp(format, "markdown") == 0) format = "md";
  else if (strcmp(format, "txt") == 0) format = "text";
  for (size_t i = 0; i < sizeof writers / sizeof writers[0]; i++)
    if (strcmp(writers[i]->name, format) == 0) return writers[i];
  return NULL;
}

const char *chg_report_formats(void) { return "text, md, json, csv or html"; }

/* ---- the public entry points ------------------------------------------------------- */

const char *chg_report_section(size_t i) { return chg_report_section_name(i); }

int chg_report_format_known(const char *format) { return chg_report_writer(format) != NULL; }

const char *chg_report_format(size_t i) {
  return i < sizeof writers / sizeof writers[0] ? writers[i]->name : NULL;
}

const char *chg_report_format_names(void) { return chg_report_formats(); }

static bool parse_day(const char *s, int32_t *day);

int chg_evaluated(const chg_ctx *ctx) { return ctx->eval != NULL; }

size_t chg_evaluate(chg_ctx *ctx) { return (size_t)chg_evaluate_at(ctx, NULL); }

long chg_evaluate_at(chg_ctx *ctx, const char *as_of) {
  int32_t day = INT32_MIN;
  if (as_of && !parse_day(as_of, &day)) return -1;
  chg_check_run(ctx);
  if (ctx->errors == 0) chg_eval_run(ctx, day);
  else chg_hooks_compile(ctx); /* every error in one run: a hook's syntax too */
  return (long)ctx->errors;
}

static bool parse_day(const char *s, int32_t *day) {
  /* exactly YYYY-MM-DD: digits where digits go */
  if (strlen(s) != 10 || s[4] != '-' || s[7] != '-') return false;
  for (int i = 0; i < 10; i++)
    if (i != 4 && i != 7 && (s[i] < '0' || s[i] > '9')) return false;
  int y = (s[0] - '0') * 1000 + (s[1] - '0') * 100 + (s[2] - '0') * 10 + (s[3] - '0');
  int m = (s[5] - '0') * 10 + (s[6] - '0'), d = (s[8] - '0') * 10 + (s[9] - '0');
  if (!chg_date_valid(y, (unsigned)m, (unsigned)d)) return false;
  *day = chg_days_from_civil(y, (unsigned)m, (unsigned)d);
  return true;
}
/* Every section's name, for a message: "summary, programmes, ...". */
static const char *section_list(chg_ctx *ctx) {
  const char *list = "";
  for (size_t i = 0; chg_report_section_name(i); i++)
    list = chg_arena_printf(&ctx->arena, "%s%s%s", list, i ? ", " : "", chg_report_section_name(i));
  return list;
}


int chg_write_report(chg_ctx *ctx, const chg_report_options *opts, FILE *out,
                     const char **why) {
  const char *format = opts && opts->format ? opts->format : "text";
  const chg_writer *w = chg_report_writer(format);
  *why = NULL;
  if (!w) {
    *why = chg_arena_printf(&ctx->arena, "unknown format `%s`: the formats are %s", format,
                            chg_report_formats());
    return -1;
  }
  if (opts && opts->detail) {
    if (w != &chg_json_writer) {
      *why = "--detail is for --format json: the other formats show each cell one way";
      return -1;
    }
    w = &chg_json_detail_writer;
  }
  int32_t as_of = INT32_MIN;
  if (opts && opts->as_of && !parse_day(opts->as_of, &as_of)) {
    *why = chg_arena_printf(&ctx->arena, "--as-of takes a date as YYYY-MM-DD%s, not `%s`",
                            strlen(opts->as_of) == 10 ? " of a day the calendar has" : "",
                            opts->as_of);
    return -1;
  }
  size_t nsections = opts ? opts->nsections : 0;
  for (size_t k = 0; k < nsections; k++) {
    bool known = false;
    for (size_t i = 0; chg_report_section_name(i); i++)
      known = known || strcmp(chg_report_section_name(i), opts->sections[k]) == 0;
    if (!known) {
      chg_suggester meant;
      chg_suggest_init(&meant, opts->sections[k]);
      for (size_t i = 0; chg_report_section_name(i); i++)
        chg_suggest_offer(&meant, chg_report_section_name(i));
      *why = chg_arena_printf(&ctx->arena, "unknown section `%s`%s%s %s", opts->sections[k],
                              chg_suggest_text(ctx, &meant),
                              meant.best ? " The sections are" : "; the sections are",
                              section_list(ctx));
      return -1;
    }
  }
  /* a section named twice is one section */
  const char **unique = CHG_NEW_ARRAY(&ctx->arena, const char *, nsections + 1);
  size_t nunique = 0;
  for (size_t k = 0; k < nsections; k++) {
    bool seen = false;
    for (size_t j = 0; j < nunique && !seen; j++) seen = strcmp(unique[j], opts->sections[k]) == 0;
    if (!seen) unique[nunique++] = opts->sections[k];
  }
  nsections = nunique;
  if (strcmp(format, "csv") == 0 && nsections != 1) {
    *why = nsections == 0
               ? chg_arena_printf(&ctx->arena,
                                  "CSV holds one section at a time: choose it with --section, "
                                  "one of %s", section_list(ctx))
               : "CSV holds one section at a time: give --section one name, and "
                 "run once for each section wanted";
    return -1;
  }
  /* once evaluated, checking was clean: the errors since are findings
   * (false claims) that the report shows */
  if (!ctx->eval) {
    chg_check_run(ctx);
    if (ctx->errors) return 1;
  }
  chg_eval *ev = chg_eval_run(ctx, as_of);
  if (out) write_streaming(ev, w, nsections ? unique : NULL, nsections, out);
  return 0;
}
