/*
 * schema.h -- what each kind of block may contain: where it may appear,
 * what its head holds, which attributes it takes with which values, and
 * how many times.  The tables live in schema.c; adding an attribute is
 * adding a line there.
 */
#ifndef CHG_SCHEMA_H
#define CHG_SCHEMA_H

#include "ctx.h"

typedef enum chg_kind_id {
  CHG_K_PORTFOLIO,
  CHG_K_SCALE,
  CHG_K_UNIT,
  CHG_K_PROGRAMME,
  CHG_K_PROJECT,
  CHG_K_WORKSTREAM,
  CHG_K_MILESTONE,
  CHG_K_BENEFIT,
  CHG_K_SAVING,
  CHG_K_RISK,
  CHG_K_IMPACT,
  CHG_K_RECOMMENDATION,
  CHG_K_RULE,
  CHG_K_CLAIM,
  CHG_K_HOOK,
  CHG_K__COUNT
} chg_kind_id;

#define CHG_KM(k) (1u << (k))
#define CHG_KM_TOP (1u << 31) /* "at the top level" in a `where` mask */
#define CHG_KM_WORK                                                          \
  (CHG_KM(CHG_K_PROGRAMME) | CHG_KM(CHG_K_PROJECT) | CHG_KM(CHG_K_WORKSTREAM))
#define CHG_KM_ANY 0x7fffffffu

typedef enum chg_ptype {
  CHG_P_STRING,
  CHG_P_DATE,
  CHG_P_MONTH_NAME, /* january .. december */
  CHG_P_NAME,       /* a plain identifier: a criterion, a theme, a category */
  CHG_P_LEVEL,      /* a level of the scale named in `scale` */
  CHG_P_NUMBER,     /* at least 0 */
  CHG_P_ORDINAL,    /* a whole number from 1: a recommendation's number */
  CHG_P_MONEY,
  CHG_P_PERCENT,
  CHG_P_BOOL,
  CHG_P_REF,        /* a dotted reference to a block of `kinds` */
  CHG_P_REF_LIST,
  CHG_P_NAME_LIST,
  CHG_P_PERIOD,     /* a month, quarter, date or financial year, or a range */
  CHG_P_QUANTITY,   /* a number, a percentage or an amount of money */
  CHG_P_SCORE,      /* 1-5, or a level of `scale` */
  CHG_P_LOAD,       /* a number of at least 0, or a level of `scale` */
  CHG_P_KIND,       /* the name of a kind of block */
  CHG_P_WORD        /* one of the words in `words`, separated by `|` */
} chg_ptype;

typedef struct chg_param {
  chg_ptype type;
  bool optional;
  const char *what;  /* how messages call it: "criterion", "rationale" */
  const char *scale; /* LEVEL, SCORE, LOAD; WORD: its words */
  uint32_t kinds;    /* REF, REF_LIST */
} chg_param;

typedef enum chg_series_type {
  CHG_S_NONE,
  CHG_S_MONEY,
  CHG_S_NUMBER,
  CHG_S_QUANTITY
} chg_series_type;

enum {
  CHG_A_REQUIRED = 1,
  CHG_A_REPEATABLE = 2,
  CHG_A_TOP_ONLY = 4,  /* only when the block is written at the top level */
  CHG_A_SERIES_ONLY = 8,
  CHG_A_EXPR = 16,     /* `when`, `expect` */
  CHG_A_KEYED = 32     /* repeatable, but once for each first value */
};

typedef struct chg_attr_spec {
  const char *key;
  chg_param params[3];
  uint8_t nparams;
  uint8_t series; /* chg_series_type */
  uint8_t flags;
  const char *doc;
} chg_attr_spec;

typedef enum chg_head_rule {
  CHG_HEAD_ID,          /* id required, title optional */
  CHG_HEAD_OPTIONAL_ID, /* both optional */
  CHG_HEAD_TITLE_ONLY   /* no id; the title is required (hook "x.lua") */
} chg_head_rule;

typedef struct chg_kind_spec {
  chg_kind_id id;
  const char *name;
  uint32_t where; /* CHG_KM_TOP and the kinds it may nest in */
  chg_head_rule head;
  const chg_attr_spec *attrs;
  size_t nattrs;
  const char *doc;
} chg_kind_spec;

const chg_kind_spec *chg_schema_kind(chg_kind_id id);

/* An attribute's entry in its block's kind, once checked; NULL if unknown. */
static inline const chg_attr_spec *chg_node_aspec(const chg_node *a) {
  return a->aspec_index ? &chg_schema_kind((chg_kind_id)a->aspec_kind)->attrs[a->aspec_index - 1]
                        : NULL;
}
static inline void chg_node_set_aspec(chg_node *a, const chg_kind_spec *k,
                                      const chg_attr_spec *as) {
  a->aspec_kind = (uint8_t)k->id;
  a->aspec_index = (uint8_t)(as - k->attrs + 1);
}
const chg_kind_spec *chg_schema_find_kind(const char *name);
/* Whether some kind of block has an attribute `key`. */
bool chg_schema_is_attribute(const char *key);
/* Where the text of some kind's attribute `key` stands among its values,
 * when its last is a string: 0 for `owner` or `rationale` (text alone), 2
 * for `status` (`status overall amber "why"`); -1 when it takes none. */
int chg_schema_key_text_at(const char *key);
/* Whether some kind's attribute `key` takes money (`budget`, `money`). */
bool chg_schema_key_takes_money(const char *key);
const chg_attr_spec *chg_schema_find_attr(const chg_kind_spec *k,
                                          const char *key);
/* The stdlib module that defines a scale, for "add `use std.rag`". */
const char *chg_schema_scale_module(const char *scale);
const char *chg_schema_standard_scale(size_t i);

#endif
