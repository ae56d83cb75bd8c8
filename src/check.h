/*
 * check.h -- what checking builds: scales with their levels, the symbol
 * tables, and the types expressions are checked against.
 */
#ifndef CHG_CHECK_H
#define CHG_CHECK_H

#include "schema.h"

/* Level indexes are kept in 16 bits (evaluated entities are many). */
#define CHG_MAX_LEVELS 1000u

typedef struct chg_scale {
  const char *name;
  chg_node *node;
  uint32_t nlevels;
  const char **levels;      /* interned, worst first */
  const char **labels;      /* NULL where none was given */
  const char **definitions;
  chg_span *spans;
  bool *has_threshold;
  chg_dec *thresholds;      /* lowest score in each level, if given */
} chg_scale;

/* What a person calls a level: its label, else its id. */
static inline const char *chg_level_label(const chg_scale *s, uint32_t index) {
  return s->labels[index] ? s->labels[index] : s->levels[index];
}

/* Types of expressions. */
typedef enum chg_tkind {
  CHG_T_ERROR, /* already reported: stay quiet */
  CHG_T_NUMBER,
  CHG_T_MONEY,
  CHG_T_PERCENT,
  CHG_T_DATE,
  CHG_T_MONTH,
  CHG_T_QUARTER,
  CHG_T_FY,
  CHG_T_LEVEL,
  CHG_T_BOOL,
  CHG_T_STRING,
  CHG_T_SYMBOL,     /* an identifier value: a theme, a category */
  CHG_T_SERIES,     /* of `elem` */
  CHG_T_LIST,       /* of `elem` */
  CHG_T_ENTITY,     /* a block of kind `elem` */
  CHG_T_COLLECTION, /* every block of kind `elem`: the argument of count() */
  CHG_T_PERIOD,
  CHG_T_QUANTITY,   /* a number, percentage or money: known when evaluated */
  CHG_T_WORD        /* a bare name not yet known to be a level or symbol */
} chg_tkind;

typedef enum chg_field_id {
#define X(id, name, kinds, type, elem, scale) CHG_F_##id,
#include "fields.h"
#undef X
  CHG_F__COUNT
} chg_field_id;

typedef struct chg_field {
  chg_field_id id;
  const char *name;
  uint32_t kinds;
  chg_tkind type;
  int elem; /* a series' or list's type, or an entity's kind */
  const char *scale;
} chg_field;

/* The field `name` of an entity of kind `kind`, or NULL. */
const chg_field *chg_field_find(int kind, const char *name);
/* Whether some kind of entity has a field `name`. */
bool chg_field_of_any_kind(const char *name);


const char *chg_type_name(chg_tkind t);

/* Runs the schema, resolution and expression checks. */
void chg_check_run(chg_ctx *ctx);
void chg_check_release(chg_ctx *ctx);

/* Looks up a scale by name, and a level in it (-1 if absent). */
const chg_scale *chg_scale_find(chg_ctx *ctx, const char *name);
/* Whether a `use` not found most likely meant the module of this scale. */
bool chg_scale_module_missing(chg_ctx *ctx, const char *scale_name);
int chg_scale_level(const chg_ctx *ctx, const chg_scale *s, const char *level);

/* The block called `name` directly in `scope` (NULL: the top level), as
 * named while checking: the first of that id, or NULL. */
chg_node *chg_symbol_find(const chg_ctx *ctx, const chg_node *scope, const char *name);

/* The tree lies in the arena in about the order every later walk reads
 * it, and a national portfolio's tree is far larger than the caches: each
 * node read is a miss unless asked for ahead.  A walk asks, at each node,
 * for what lies a page further on (a project and its blocks are about
 * that); the hardware's own prefetching stops at the end of a page. */
static inline void chg_prefetch_ahead(const void *node) {
  /* by address: the node's object ends long before (a prefetch never faults) */
  __builtin_prefetch((const void *)((uintptr_t)node + 4096));
}

/* For a walk over a list of blocks that are not next to one another
 * (one kind of them): at block i, asks for block i + 16 (both its cache
 * lines: a block is 88 bytes, its schema entry and data in the second),
 * and for the items of block i + 8 (asked for eight blocks ago). */
static inline void chg_prefetch_blocks(void *const *blocks, size_t n, size_t i) {
  if (i + 16 < n) {
    __builtin_prefetch(blocks[i + 16]);
    __builtin_prefetch((const char *)blocks[i + 16] + 64);
  }
  if (i + 8 < n) {
    const char *items = (const char *)((const chg_node *)blocks[i + 8])->items;
    for (int line = 0; items && line < 4; line++) __builtin_prefetch(items + 64 * line);
  }
}


/* Type-checks one expression in the context of a kind (`on risk`), or of
 * the portfolio for a claim (kind < 0).  Returns its type. */
chg_tkind chg_check_expr(chg_ctx *ctx, chg_expr *e, int kind);
/* The first literal of a condition warned of as likely not what was meant
 * (`progress < 50`), or NULL; and a note at it, for what the condition
 * decided: a flag, a false claim. */
const chg_expr *chg_expr_doubt(const chg_expr *cond);
void chg_note_doubt(chg_ctx *ctx, const chg_expr *doubtful);

/* "did you mean": the closest of the names offered, within a distance
 * that grows with the name's length (one edit for three letters or fewer,
 * two up to six, three beyond). */
typedef struct chg_suggester {
  const char *want;
  const char *best;
  unsigned best_distance;
} chg_suggester;

/* A schema's words ("cashable|non_cashable|societal"): whether w is one,
 * each offered as a suggestion, and listed for a message ("`a`, `b` or
 * `c`", or without the backticks). */
bool chg_word_in(const char *words, const char *w);
void chg_suggest_words(chg_ctx *ctx, chg_suggester *s, const char *words);
const char *chg_words_listed(chg_ctx *ctx, const char *words, bool quoted);
void chg_suggest_init(chg_suggester *s, const char *want);
void chg_suggest_offer(chg_suggester *s, const char *candidate);
/* Offers the names of the fields of an entity of kind `kind`. */
void chg_suggest_fields(chg_suggester *s, int kind);
/* "; did you mean `x`?", or "" when nothing offered was close */
const char *chg_suggest_text(chg_ctx *ctx, const chg_suggester *s);
/* Offers the ids under `parent` (the top level when NULL) of blocks of
 * `kinds`, or that might hold one; never `holder`'s. */
/* A block of one of `kinds` whose id is `id` (interned), at any depth; NULL
 * if none, or once looking has cost too much. */
chg_node *chg_find_anywhere(chg_ctx *ctx, const char *id, uint32_t kinds);
void chg_suggest_ids(chg_ctx *ctx, chg_suggester *s, const chg_node *parent, uint32_t kinds,
                     const chg_node *holder);
/* "(red, amber, green); did you mean `amber`?": a scale's first eight
 * levels, and the one closest to `wrong` */
const char *chg_level_choices(chg_ctx *ctx, const chg_scale *s, const char *wrong);

/* Where a block is, from the top level: "drm.cre.exits". */
const char *chg_path_of(chg_ctx *ctx, const chg_node *b);
/* How messages name a block: its id, or its path when it has none
 * (`drm.risk#2`, `claim#1`). */
const char *chg_block_name(chg_ctx *ctx, const chg_node *b);
/* The part of a path that names b in its parent: its id, else its kind,
 * numbered among unnamed siblings of that kind (`impact#2`); `buf` holds a
 * numbered part. */
const char *chg_block_path_part(const chg_node *b, char buf[48]);
/* The same, allocated in `arena` (a report's section, say). */
const char *chg_path_in(chg_arena *arena, const chg_node *b);

/* Whether `a` is a checked `depends_on` naming the block it depends on.
 * The work with one is listed in ctx->dependents, in source order, so
 * that nothing need walk every item of every piece of work to find them. */
bool chg_is_dependency(const struct chg_ctx *ctx, const chg_node *a);

/* A scale not in scope is said once: whether it was (counting this place
 * among the others said with it), and, after saying it, that it was. */
bool chg_unscoped_said(struct chg_ctx *ctx, const char *scale_name);
void chg_unscoped_first(struct chg_ctx *ctx, const char *scale_name);
/* The blocks in source order and the kind of each, noted as they were
 * named: their pages given back once the blocks are grouped by kind. */
void chg_blocks_give_back(struct chg_ctx *ctx);
/* The block a `saving`, `risk` or `benefit` belongs to, for roll-ups. */
chg_node *chg_owner_work(chg_node *n);
/* The path of the Lua file a hook block names (it has a title). */
const char *chg_hook_path(chg_ctx *ctx, const chg_node *hook);

#endif
