/*
 * eval.h -- evaluating a checked portfolio: the figures a board reads.
 *
 * Evaluation runs after checking, over the blocks the checker collected.
 * Every figure is exact: money in pence, counts and ratios as decimals.
 * What each entity comes to hangs off its block (node->data) as a
 * chg_entity; the portfolio-wide tables live in chg_eval.
 */
#ifndef CHG_EVAL_H
#define CHG_EVAL_H

#include "check.h"

/* ---- runtime values of expressions ---------------------------------- */

typedef struct chg_rv {
  chg_tkind type;
  bool missing; /* a field with no value: comparisons with it are false */
  union {
    chg_dec num;      /* NUMBER, PERCENT, QUANTITY (with `money` false) */
    int64_t pence;    /* MONEY, QUANTITY (with `money` true) */
    int32_t ordinal;  /* DATE, MONTH, QUARTER, FY */
    struct {
      const chg_scale *scale;
      int32_t index;
    } level;
    bool b;
    const char *str;  /* STRING, SYMBOL */
    chg_node *entity; /* ENTITY */
    const chg_node *series; /* SERIES: the attribute holding the pairs */
    const chg_value *list;  /* LIST: a list literal of the source */
    struct {
      int32_t first, last;  /* PERIOD: its first and last day */
    } days;
  } u;
  bool money;         /* a QUANTITY that turned out to be money */
  uint32_t list_len;
  /* what an aggregate counted, for explaining a claim: n of total */
  int64_t counted, of;
} chg_rv;

/* ---- what evaluation finds per entity -------------------------------- */

/* What decided: a rule's escalation or its flag, shared by every entity
 * the rule decides (30,000 risks escalated by the standard rules held
 * 30,000 copies of it), or one call of a hook. */
typedef struct chg_decider {
  const char *severity;     /* a flag's severity */
  const char *message;      /* a flag's message, or a hook's reason */
  const char *source;       /* "rule `high_risks`" or "hooks/x.lua:12" */
  chg_span span;            /* where the decision was made */
  const struct chg_expr *doubt; /* a rule's literal warned of (chg_expr_doubt) */
} chg_decider;

/* A decision about an entity: an escalation or a flag, by a rule or hook. */
typedef struct chg_decision {
  chg_node *entity;
  const chg_decider *by;
  struct chg_decision *next;
  int32_t level;            /* escalation level index, or -1 for a flag */
} chg_decision;

/* A status a hook set: one criterion of one entity. */
typedef struct chg_hook_status {
  const char *criterion;
  int32_t level;            /* RAG index */
  const char *reason;
  const char *source;       /* "rules/x.lua:12" */
  chg_span span;
  struct chg_hook_status *next;
} chg_hook_status;

/* One of these hangs off every programme, project, workstream, milestone,
 * risk and benefit; a national portfolio has millions, so it is 64 bytes:
 * fields as small as their ranges allow (a scale has at most 32,767
 * levels, days fit 32 bits, risk scores are checked to be 1-5), fields
 * of different kinds share their place, and what can be found from the
 * tree (the work an entity is in: chg_owner_work) is not kept. */
typedef struct chg_entity {
  chg_node *node;
  chg_node *unit;           /* the unit named (or inherited) */
  /* escalation: the most senior level any rule or hook gave it */
  chg_decision *escalation;
  /* statuses set by hooks: the newest, whose `next` is the oldest (a ring,
   * so that adding one is a step); walk them with chg_hook_statuses_first
   * and chg_hook_statuses_next */
  chg_hook_status *hook_status_ring;
  union {
    chg_node *slipped_go_live;  /* work: a go-live inside it that slipped */
    const char *at_risk_reason; /* benefits */
  };
  int32_t due_day;          /* milestones: forecast, else baseline; INT32_MIN if none */
  int32_t went_live;        /* the go-live date used for clashes, or INT32_MIN */
  union {
    int32_t slip_days;      /* milestones */
    int32_t max_slip_days;  /* work: worst milestone slip in it */
  };
  int16_t status;           /* rolled-up RAG index, -1 when none */
  int16_t own_status;       /* worst of its own criteria, -1 when none */
  int16_t confidence;       /* DCA index, -1 when none */
  int16_t band;             /* risk_band index, -1 when none */
  /* risks: 1-5 as numbers, or up to a scale's CHG_MAX_LEVELS as levels;
   * the score is their product (chg_risk_score) */
  unsigned likelihood : 10, impact : 10;
  bool has_slip : 1, overdue : 1, done : 1; /* milestones */
  bool slipping : 1, has_overdue : 1;       /* work */
  bool scored : 1;                          /* risks */
  bool at_risk : 1;                         /* benefits */
  bool figures_too_large : 1;               /* benefits: sums left out */
} chg_entity;
_Static_assert(CHG_MAX_LEVELS < 1024, "a risk's likelihood and impact fit ten bits");

static inline int32_t chg_risk_score(const chg_entity *e) {
  return (int32_t)e->likelihood * (int32_t)e->impact;
}
_Static_assert(sizeof(chg_entity) == 64, "an entity is 64 bytes");

/* The statuses hooks set on an entity, oldest first. */
static inline chg_hook_status *chg_hook_statuses_first(const chg_entity *e) {
  return e->hook_status_ring ? e->hook_status_ring->next : NULL;
}
static inline chg_hook_status *chg_hook_statuses_next(const chg_entity *e,
                                                      const chg_hook_status *h) {
  return h == e->hook_status_ring ? NULL : h->next;
}

/* ---- portfolio-wide results ------------------------------------------- */

/* The index in ev->post_categories of a staff category (an interned
 * name), or UINT32_MAX for one no `posts` line names. */
uint32_t chg_post_category_index(const struct chg_eval *ev, const char *name);

/* A staff category that `posts` lines name. */
typedef struct chg_post_category {
  const char *name;
  uint32_t uses;            /* how many lines name it */
  const chg_value *first;   /* where it is first named */
} chg_post_category;

typedef struct chg_fy_total {
  int32_t fy;
  int64_t pence;
  bool has;
} chg_fy_total;

typedef struct chg_heat_cell {
  chg_node *unit;
  int32_t month;
  chg_dec load;
  uint32_t go_lives;
  chg_node *first_go_live, *second_go_live;
  chg_node *last_go_live; /* a go-live with two impacts on the unit counts once */
  uint32_t impacts; /* the impacts the load adds up, the first two of them */
  const chg_node *first_impact, *second_impact;
} chg_heat_cell;

typedef struct chg_claim_result {
  chg_node *claim;
  chg_node *expect;         /* the `expect` attribute */
  bool holds, failed_to_evaluate;
  const char *explanation;  /* the figures that make it what it is */
  const char *quote;        /* a claim without a title: its expression as
                               the report shows it, once quoted (report.c) */
} chg_claim_result;

typedef struct chg_eval {
  chg_ctx *ctx;
  chg_node *portfolio;
  int32_t as_of;            /* days; the reporting date */
  int32_t written_as_of;    /* days; the portfolio's own `as_of` (INT32_MIN: none) */
  unsigned year_start;      /* 1..12 */
  const chg_scale *rag, *dca, *escalation, *band, *rec_status;
  /* the last `rag` level that counts as red: `red` where the scale has
   * it (a portfolio's own may put Black before it), else the worst; -1
   * without a scale of two levels or more */
  int32_t rag_red;
  const chg_scale *likelihood, *impact_scale, *change_impact;

  bool money_too_large;  /* savings totals would overflow: left out */
  int64_t budgets;       /* every work's budget added up, to find one too large */
  bool budgets_too_large; /* said once; the summary's total budget is left out */
  /* some amount of the savings or the requirement (each line's first
   * `money`) is not a whole £100k, so tables of savings cannot show them
   * all in £m to one place */
  bool savings_finer_than_100k;
  bool posts_too_large;  /* posts totals cannot be held exactly: left out */
  bool loads_too_large;  /* the heatmap's loads cannot be held exactly: left out */
  chg_node *rule_entity;  /* the entity a rule is being evaluated for */
  chg_map attributed;     /* (block, NULL) -> chg_attributed: see chg_attributed_savings */
  /* (work with a budget, a key) -> chg_budget_inside: the budgets given in
   * the work inside it, added up (few portfolios give both) */
  chg_map budgets_inside;
  chg_vec budgeted_outer;  /* those, in the order first found */
  chg_vec by_kind[CHG_K__COUNT]; /* every block of each kind, in order: views
                                    of ctx->blocks, not to be released */
  chg_vec work;             /* programmes, projects, workstreams: chg_node */
  chg_vec late;             /* chg_late: dates done or realised after as_of, said at the end */
  chg_vec milestones, benefits, savings, risks, impacts, recommendations;
  chg_vec units, rules, claims, hooks;

  /* savings: the financial years that appear, in order */
  int32_t *fys;
  uint32_t nfys;
  chg_post_category *post_categories; /* in order of first appearance */
  uint32_t ncategories;
  size_t categories_cap;
  chg_map category_of;    /* (ev, category name) -> its index in post_categories, plus one */
  /* the criteria of `status` lines, counted as post_categories are, for
   * the warning about one a typo away from another */
  chg_post_category *criteria;
  uint32_t ncriteria;
  size_t criteria_cap;
  chg_map criterion_of;   /* (ev, criterion) -> its index in criteria, plus one */
  chg_map attrs_of_big;   /* (block with many blocks in it, key) -> its first attribute
                             of that key, and (block, "#attrs") -> its list of them:
                             see chg_attr_of */

  /* heatmap */
  chg_heat_cell *cells;
  size_t ncells;
  int32_t first_month, last_month;

  chg_claim_result *claims_out;
  size_t nclaims;

  chg_decision *decisions, *decisions_tail; /* every escalation and flag */
  size_t ndecisions, nflags;
  uint64_t hook_calls;      /* how many on_* calls the hooks took */
  bool benefits_stale;      /* a hook set a status red since benefits' at_risk was worked out */
  uint64_t failures;        /* expressions that could not be evaluated */
  uint32_t conds_compiled, kept_comparisons; /* chg_cond_compile's, for CHG_DEBUG_STATS */
  /* blocks the aggregates of one rule's test or one claim have visited:
   * aggregates nested in aggregates multiply, and past the limit
   * (chg_options.max_aggregate_steps) the expression fails instead of
   * running for hours */
  uint64_t agg_steps, agg_limit;
  uint64_t agg_total;       /* and all of them in the run, against five times the limit */
  bool agg_over_said;       /* the limit was reported for this expression */
} chg_eval;

static inline bool chg_agg_over_budget(const chg_eval *ev) {
  return ev->agg_steps > ev->agg_limit || ev->agg_total > ev->agg_limit * 5;
}

/* Before each rule's test of an entity, and each claim. */
static inline void chg_agg_budget_reset(chg_eval *ev) {
  ev->agg_steps = 0;
  ev->agg_over_said = false;
}

/* Evaluates everything a report shows; diagnostics (a false claim, a
 * figure that overflows) go to the context.  as_of_override, when not
 * INT32_MIN, stands in for the portfolio's `as_of`. */
chg_eval *chg_eval_run(chg_ctx *ctx, int32_t as_of_override);
void chg_eval_release(chg_eval *ev);

/* The entity record of a block, made on first use. */
chg_entity *chg_entity_of(chg_eval *ev, chg_node *n);

/* One field of an entity, as an expression reads it (`name`: the
 * criterion of `status`, the category of `posts`, else NULL). */
chg_rv chg_field_value(chg_eval *ev, chg_node *n, uint32_t field_id, const char *name);

/* The attributes of a block, one at a time, in order.  A block with many
 * blocks in it (a programme of 100,000 risks, read from each of them) has
 * them in a list made once, not walked among its items each time. */
typedef struct chg_attr_walk {
  chg_node *item;   /* the next item, walking the items */
  chg_node **list;  /* or the block's list of attributes */
  size_t i, n;
} chg_attr_walk;
void chg_attr_walk_start(chg_eval *ev, chg_node *block, chg_attr_walk *w);
chg_node *chg_attr_walk_next(chg_attr_walk *w);
/* The first attribute `key` of a block, as chg_attr finds it, but through
 * a table for a block with many blocks in it. */
chg_node *chg_attr_of(chg_eval *ev, chg_node *block, const char *key);

/* The band of `risk_band` a risk score falls in: the worst whose
 * threshold it reaches; -1 when none (or no such scale). */
int32_t chg_band_of_score(const chg_eval *ev, int32_t score);
/* An expression as claims quote it: one canonical layout, cut short at
 * 80 characters. */
const char *chg_expr_quote(chg_eval *ev, const chg_expr *e);
/* Evaluates an expression for an entity (NULL: the portfolio). */
chg_rv chg_eval_expr(chg_eval *ev, const chg_expr *e, chg_node *self);

/* A condition -- a rule's `when`, an aggregate's `where` -- compiled for
 * the blocks of one kind (or kept whole, to be evaluated in full):
 * chg_cond_holds(c) is whether chg_eval_expr's value of it is true. */
typedef struct chg_cond chg_cond;
const chg_cond *chg_cond_compile(chg_eval *ev, const chg_expr *e, int kind);
bool chg_cond_holds(chg_eval *ev, const chg_cond *c, chg_node *self);

/* The financial year a day falls in, with the portfolio's year start. */
int32_t chg_fy_of_day(const chg_eval *ev, int32_t day);
/* First and last day of a period value (DATE, MONTH, QUARTER, FY). */
void chg_period_days(const chg_eval *ev, const chg_value *v, int32_t *first,
                     int32_t *last);

/* The figures of a benefit: realised to date, planned to date (both
 * missing when the series is absent), and days behind its profile. */
typedef struct chg_benefit_figures {
  chg_rv realised, planned, target, baseline;
  chg_rv planned_total; /* the whole profile, ended periods or not */
  chg_rv slip_value; /* how far behind the plan, when both are known: planned -
                        realised, or the other way for figures meant to fall */
  int64_t slip_days;
  bool has_slip_days;
  bool behind;       /* slip_value is above zero: short of the plan to date */
  bool met;          /* realised has reached the target */
  int32_t profile_end; /* the last day of the profile's last period; INT32_MIN without one */
  /* the baseline and the whole profile go past the target: a plan that
   * overshoots it, most often running totals written as each period's */
  bool profile_past_target;
  /* the whole profile goes the other way from the baseline to the target
   * (a fall written as rises): every figure against it reads backwards */
  bool profile_away;
  bool downward;     /* the figures are meant to fall (fewer complaints) */
  chg_rv reach;      /* when it does: where the profile would bring it */
} chg_benefit_figures;

void chg_benefit_figures_of(chg_eval *ev, chg_node *b, chg_benefit_figures *out);

/* Records an escalation or a flag (rules and hooks alike). */
void chg_decide(chg_eval *ev, chg_decision *d);
/* Recomputes every status roll-up (after hooks have set statuses). */
void chg_roll_up(chg_eval *ev);
/* Works out again which benefits are at risk, once a hook has set a status
 * red: a status only gets worse, so only a benefit not at risk can change. */
void chg_benefits_at_risk_again(chg_eval *ev);
/* A unit's capacity for change a month: its own, else the portfolio's. */
bool chg_unit_capacity(const chg_eval *ev, const chg_node *unit, chg_dec *cap);

/* Whether a rolled-up status (a `rag` index, -1 for none) counts as red:
 * a dependency on it is flagged and a benefit under it is at risk. */
static inline bool chg_status_is_red(const chg_eval *ev, int32_t status) {
  return status >= 0 && status <= ev->rag_red;
}

/* Why a `depends_on` is flagged: not, or its block is red, or slipping
 * (only a high-importance one is flagged). */
typedef enum { CHG_DEP_FINE, CHG_DEP_ON_RED, CHG_DEP_ON_SLIPPING } chg_dep_flag;
chg_dep_flag chg_dependency_flag(chg_eval *ev, const chg_node *depends_on);

/* The heatmap's problems, unit by unit in source order and month by month:
 * an overload (the load above `cap`), then a clash (two go-lives or more). */
typedef struct chg_conflict {
  chg_node *unit;
  const chg_heat_cell *cell;
  bool overload;   /* else a clash */
  bool has_cap;
  chg_dec cap;
} chg_conflict;
/* Which impacts a month's load comes from, for a message or a report cell. */
const char *chg_overload_sources(chg_ctx *ctx, const chg_heat_cell *cell, bool quoted);
/* The go-lives of a clash: "`a` and `b`", or "`a`, `b` and more". */
const char *chg_clash_go_lives(chg_ctx *ctx, const chg_heat_cell *cell, bool quoted);
void chg_each_conflict(const chg_eval *ev, void (*visit)(void *ud, const chg_conflict *c),
                       void *ud);

/* Runs every Lua hook over the portfolio (hooks.c). */
void chg_hooks_run(chg_eval *ev);
/* Compiles every Lua hook of a portfolio that is not evaluated, for its
 * errors, and runs none (hooks.c). */
void chg_hooks_compile(struct chg_ctx *ctx);

/* Runs every claim; a false one is an error (CHG0601). */
void chg_eval_claims(chg_eval *ev);

/* Writes a runtime value for a person (claims, reports). */
size_t chg_rv_format(const chg_eval *ev, const chg_rv *v, char *buf, size_t size);

/* The first value of a block's attribute with this key, or NULL. */
const chg_value *chg_arg0(const chg_node *block, const char *key);
/* chg_arg0 of each of n keys (at most 32), in one walk of the block's
 * items: a programme's items are its projects, each a cache miss away. */
void chg_arg0s(const chg_node *block, const char *const *keys, size_t n, const chg_value **out);
/* A programme, project or workstream. */
bool chg_is_work(const chg_node *n);
/* The outermost programme, project or workstream that holds `from` (or is
 * it); NULL when none does. */
chg_node *chg_top_work(chg_node *from);
/* The programme a savings line counts towards: the top-level programme (or
 * project or workstream) it is written in, or that holds what its
 * `programme` names.  NULL when it belongs to none. */
chg_node *chg_saving_programme(const chg_node *line);
/* The savings lines written at the top level whose `programme` names this
 * block exactly, in source order. */
typedef struct chg_attributed {
  chg_node *line;
  struct chg_attributed *next;
} chg_attributed;
const chg_attributed *chg_attributed_savings(const struct chg_eval *ev, const chg_node *block);

/* The attribute of a block with this key, or NULL. */
chg_node *chg_attr(const chg_node *block, const char *key);
/* A level value's index in its scale, or -1. */
int32_t chg_level_index(const chg_value *v);
/* A 1-5 score: a number, or a level counted from the best end. */
int32_t chg_score_of(const chg_value *v);

#endif
