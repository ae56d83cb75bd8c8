/*
 * check_expr.c -- type-checking the expressions of `when` and `expect`
 * before anything runs: every name resolved to a field, an entity, a
 * level or a symbol, and every operator given operands it can take.
 */
#include <ctype.h>
#include <string.h>
#include <strings.h>

#include "check.h"
#include "value.h"

static const chg_field fields[] = {
#define X(id, name, kinds, type, elem, scale)                                \
  {CHG_F_##id, name, kinds, type, elem, scale},
#include "fields.h"
#undef X
};

const chg_field *chg_field_find(int kind, const char *name) {
  uint32_t mask = CHG_KM(kind < 0 ? CHG_K_PORTFOLIO : kind);
  for (size_t i = 0; i < sizeof fields / sizeof fields[0]; i++)
    if ((fields[i].kinds & mask) && strcmp(fields[i].name, name) == 0)
      return &fields[i];
  return NULL;
}

bool chg_field_of_any_kind(const char *name) {
  for (size_t i = 0; i < sizeof fields / sizeof fields[0]; i++)
    if (strcmp(fields[i].name, name) == 0) return true;
  return false;
}

void chg_suggest_fields(chg_suggester *s, int kind) {
  uint32_t mask = CHG_KM(kind < 0 ? CHG_K_PORTFOLIO : kind);
  for (size_t i = 0; i < sizeof fields / sizeof fields[0]; i++)
    if (fields[i].kinds & mask) chg_suggest_offer(s, fields[i].name);
}

const char *chg_type_name(chg_tkind t) {
  switch (t) {
  case CHG_T_ERROR: return "an error";
  case CHG_T_NUMBER: return "a number";
  case CHG_T_MONEY: return "money";
  case CHG_T_PERCENT: return "a percentage";
  case CHG_T_DATE: return "a date";
  case CHG_T_MONTH: return "a month";
  case CHG_T_QUARTER: return "a quarter";
  case CHG_T_FY: return "a financial year";
  case CHG_T_LEVEL: return "a level";
  case CHG_T_BOOL: return "true or false";
  case CHG_T_STRING: return "a string";
  case CHG_T_SYMBOL: return "a name";
  case CHG_T_SERIES: return "a series";
  case CHG_T_LIST: return "a list";
  case CHG_T_ENTITY: return "an entity";
  case CHG_T_COLLECTION: return "a kind of block";
  case CHG_T_PERIOD: return "a period";
  case CHG_T_QUANTITY: return "a quantity";
  case CHG_T_WORD: return "a name";
  }
  return "a value";
}

/* "a programme", "an impact" */
static const char *a_kind(chg_ctx *ctx, int kind) {
  const char *name = kind < 0 ? "portfolio" : chg_schema_kind((chg_kind_id)kind)->name;
  return chg_arena_printf(&ctx->arena, "%s %s", chg_a_an(name), name);
}

static chg_tkind set(chg_expr *e, chg_tkind t) {
  e->type = (uint8_t)t;
  return t;
}

static chg_tkind check(chg_ctx *ctx, chg_expr *e, int kind);

/* ---- names ------------------------------------------------------------ */

/* An unknown name in a path: the closest field of the kind, or the
 * closest id among the blocks it could have named -- the children of
 * `within`, or the top level when `top` (`drm.cr` for `drm.cre`). */
static void unknown_field_in(chg_ctx *ctx, chg_span span, const char *name, int kind,
                             const chg_node *within, bool top) {
  /* `go_live == yes`, `== True`: true and false as other tools write them */
  static const char *const yes[] = {"yes", "Yes", "YES", "True", "TRUE", "y", "Y"};
  static const char *const no[] = {"no", "No", "NO", "False", "FALSE", "n", "N"};
  for (size_t i = 0; i < sizeof yes / sizeof yes[0]; i++)
    if (strcmp(name, yes[i]) == 0 || strcmp(name, no[i]) == 0) {
      chg_error(ctx, CHG_E_UNKNOWN_FIELD, span, "`%s` is not a value here: write `%s`", name,
                strcmp(name, yes[i]) == 0 ? "true" : "false");
      return;
    }
  /* `expect risk > 3`: a kind of block where its number was meant */
  const chg_kind_spec *named_kind = chg_schema_find_kind(name);
  if (named_kind && named_kind->id != CHG_K_PORTFOLIO && named_kind->id != CHG_K_SCALE) {
    chg_error(ctx, CHG_E_UNKNOWN_FIELD, span,
              "`%s` is a kind of block, not a field of %s: to count them, write `count(%s)`, "
              "or `count(%s where ...)` for some of them",
              name, a_kind(ctx, kind), name, name);
    return;
  }
  uint32_t mask = CHG_KM(kind < 0 ? CHG_K_PORTFOLIO : kind);
  /* `score >= high`: a level of the scale one of the kind's fields takes
   * (a risk's `band`), compared with something else */
  for (size_t i = 0; i < sizeof fields / sizeof fields[0] && !within && !top; i++) {
    if (!(fields[i].kinds & mask) || fields[i].type != CHG_T_LEVEL || !fields[i].scale) continue;
    const chg_scale *sc = chg_scale_find(ctx, fields[i].scale);
    if (!sc || chg_scale_level(ctx, sc, name) < 0) continue;
    chg_error(ctx, CHG_E_UNKNOWN_FIELD, span,
              "`%s` is a level of the `%s` scale, not a field of %s: compare it with `%s`, "
              "as in `%s >= %s`", name, fields[i].scale, a_kind(ctx, kind), fields[i].name,
              fields[i].name, name);
    return;
  }
  chg_suggester s;
  chg_suggest_init(&s, name);
  for (size_t i = 0; i < sizeof fields / sizeof fields[0]; i++)
    if (fields[i].kinds & mask) chg_suggest_offer(&s, fields[i].name);
  if (within || top) chg_suggest_ids(ctx, &s, within, CHG_KM_ANY, NULL);
  if (top) {
    /* where a path starts: a top-level id was meant more often than a field */
    chg_error(ctx, CHG_E_UNKNOWN_FIELD, span,
              "unknown name `%s`: neither a top-level block's id nor a field of %s%s", name,
              a_kind(ctx, kind), chg_suggest_text(ctx, &s));
    /* said once, not again wherever the name is written */
    chg_vec_push(&ctx->al, &ctx->failed_names, (void *)name);
    return;
  }
  chg_error(ctx, CHG_E_UNKNOWN_FIELD, span, "unknown field `%s` of %s%s", name,
            a_kind(ctx, kind), chg_suggest_text(ctx, &s));
}

static void unknown_field(chg_ctx *ctx, chg_span span, const char *name, int kind) {
  unknown_field_in(ctx, span, name, kind, NULL, false);
}

/* `portfolio.requirement[2013/14]` in a claim, `risk.score` in a rule on
 * risks, `programme.budget` in a claim: the kind written where a block is
 * meant.  Said as such, with the way to write it, since "unknown field
 * `portfolio` of a portfolio" leaves the writer guessing.  `field` is the
 * name after the kind. */
static bool kind_as_path_head(chg_ctx *ctx, chg_span span, const char *name,
                              const char *field, int kind) {
  const chg_kind_spec *named = chg_schema_find_kind(name);
  if (!named) return false;
  int context = kind < 0 ? (int)CHG_K_PORTFOLIO : kind;
  const char *id = ctx->portfolio ? chg_block_id(ctx->portfolio) : NULL;
  if ((int)named->id == context)
    chg_error(ctx, CHG_E_UNKNOWN_FIELD, span,
              "`%s` is a kind of block, not a field of %s: the %s's own fields are read "
              "by their names, as in `%s`", name, a_kind(ctx, kind), name, field);
  else if (named->id == CHG_K_PORTFOLIO && id)
    chg_error(ctx, CHG_E_UNKNOWN_FIELD, span,
              "`portfolio` is a kind of block, not a field of %s: name the portfolio by "
              "its id, as in `%s.%s`", a_kind(ctx, kind), id, field);
  else
    chg_error(ctx, CHG_E_UNKNOWN_FIELD, span,
              "`%s` is a kind of block, not a field of %s: name one %s by its id, or "
              "aggregate over them all, as in `count(%s where ...)`", name,
              a_kind(ctx, kind), name, name);
  return true;
}

static chg_tkind field_type(chg_ctx *ctx, chg_expr *e, const chg_field *f,
                            chg_span at) {
  e->elem = (uint8_t)f->elem;
  if (f->id == CHG_F_ESCALATION && ctx->typing_rule) {
    chg_error(ctx, CHG_E_UNKNOWN_FIELD, at,
              "a rule cannot read `escalation`: rules decide it, one after another, so a "
              "condition on it would depend on their order; a claim can read it, as in "
              "`expect count(risk where escalation == board) <= 3`");
    return CHG_T_ERROR;
  }
  e->scale = f->scale ? chg_scale_find(ctx, f->scale) : NULL;
  if (f->scale && !e->scale && chg_scale_module_missing(ctx, f->scale)) return CHG_T_ERROR;
  if (f->scale && !e->scale) {
    if (chg_unscoped_said(ctx, f->scale)) return CHG_T_ERROR; /* once for the scale */
    const char *module = chg_schema_scale_module(f->scale);
    chg_error(ctx, CHG_E_SCALE_NOT_IN_SCOPE, at,
              "`%s` holds levels of the `%s` scale, which is not in scope; add "
              "`use %s` or define `scale %s`", f->name, f->scale,
              module ? module : "a module that defines it", f->scale);
    chg_unscoped_first(ctx, f->scale);
    return CHG_T_ERROR;
  }
  return f->type;
}

/* ---- criteria and categories ----------------------------------------- */

static void gather(chg_ctx *ctx, chg_map *seen, chg_vec *into, const chg_value *v) {
  if (v->kind != CHG_V_NAME || chg_path_len(v) != 1) return;
  const char *name = chg_path_name(v, 0);
  if (!chg_map_put(seen, into, name, (void *)name)) chg_vec_push(&ctx->al, into, (void *)name);
}

static void gather_selectors(chg_ctx *ctx) {
  if (ctx->selectors_gathered) return;
  ctx->selectors_gathered = true;
  chg_map seen;
  chg_map_init(&seen, &ctx->al);
  for (size_t i = 0; i < ctx->blocks.len; i++) {
    chg_node *b = ctx->blocks.items[i];
    bool work = CHG_KM(b->spec->id) & CHG_KM_WORK, risk = b->spec->id == CHG_K_RISK;
    if (!work && !risk && b->spec->id != CHG_K_SAVING) continue;
    for (chg_node *a = b->items; a; a = a->next) {
      if (a->kind != CHG_N_ATTR || !a->key || a->nargs < 1) continue;
      if (work && strcmp(a->key, "status") == 0) gather(ctx, &seen, &ctx->criteria, chg_node_args(a));
      else if (risk && strcmp(a->key, "category") == 0)
        gather(ctx, &seen, &ctx->risk_categories, &chg_node_args(a)[0]);
      else if (!work && !risk && strcmp(a->key, "posts") == 0)
        gather(ctx, &seen, &ctx->categories, &chg_node_args(a)[0]);
    }
  }
  chg_map_release(&seen);
}

/* `status.overal` or `posts.offcers` would read as missing everywhere: a
 * typo that makes a rule never fire.  A warning, not an error, and none
 * for criteria where there are hooks: a hook may set one no block gives. */
static void check_selector(chg_ctx *ctx, const chg_field *f, const char *name, chg_span at) {
  bool status = f->id == CHG_F_STATUS_RAG;
  if (status && (ctx->kind_counts[CHG_K_HOOK] || ctx->module_hooks.len)) return;
  gather_selectors(ctx);
  const chg_vec *known = status ? &ctx->criteria : &ctx->categories;
  chg_suggester s;
  chg_suggest_init(&s, name);
  for (size_t i = 0; i < known->len; i++) {
    if (strcmp(known->items[i], name) == 0) return;
    chg_suggest_offer(&s, known->items[i]);
  }
  chg_warning(ctx, CHG_E_UNKNOWN_FIELD, at, "no %s line gives %s `%s`, so it is always missing%s",
              status ? "`status`" : "`posts`", status ? "the criterion" : "the staff category",
              name, chg_suggest_text(ctx, &s));
}

/* Reads e's path from `offset`: offset 1 means the first name was a kind
 * an aggregate ranges over, and the rest is read from each entity. */
static chg_tkind resolve_name(chg_ctx *ctx, chg_expr *e, int kind,
                              uint32_t offset) {
  const chg_value *v = &e->value;
  uint32_t len = chg_path_len(v);
  e->steps = CHG_NEW_ARRAY(&ctx->arena, chg_step, len + 1);
  e->nsteps = 0;
  chg_tkind t;
  int cur_kind = kind;
  const chg_field *last_field = NULL;
  chg_node *static_entity = NULL;
  uint32_t i = offset;

  if (offset == 1) {
    e->steps[e->nsteps++].kind = CHG_STEP_SELF;
    e->elem = (uint8_t)kind;
    t = CHG_T_ENTITY;
  } else {
    const char *name = chg_path_name(v, 0);
    const chg_field *f = chg_field_find(kind, name);
    chg_node *top = f ? NULL : chg_symbol_find(ctx, NULL, name);
    if (f) {
      e->also_word = len == 1;
      chg_step *s = &e->steps[e->nsteps++];
      s->kind = CHG_STEP_FIELD;
      s->field = f->id;
      last_field = f;
      t = field_type(ctx, e, f, chg_path_span(v, 0));
      if (t == CHG_T_ERROR) return set(e, t);
      if (t == CHG_T_ENTITY) cur_kind = f->elem;
    } else if (top && top->spec) {
      e->also_word = len == 1;
      chg_step *s = &e->steps[e->nsteps++];
      s->kind = CHG_STEP_ENTITY;
      s->node = top;
      static_entity = top;
      cur_kind = top->spec->id;
      e->elem = (uint8_t)cur_kind;
      t = CHG_T_ENTITY;
    } else if (len == 1) {
      return set(e, CHG_T_WORD); /* a level or symbol, known from context */
    } else {
      /* `infrastructure.budget` for `total_technology.infrastructure.budget`:
       * a nested block named without the blocks around it */
      if (kind_as_path_head(ctx, chg_path_span(v, 0), name, chg_path_name(v, 1), kind))
        return set(e, CHG_T_ERROR);
      for (size_t k = 0; k < ctx->failed_names.len; k++)
        if (ctx->failed_names.items[k] == name) return set(e, CHG_T_ERROR); /* said already */
      chg_node *nested = chg_find_anywhere(ctx, name, CHG_KM_ANY);
      if (nested && nested->parent)
        chg_error(ctx, CHG_E_UNKNOWN_FIELD, chg_path_span(v, 0),
                  "unknown name `%s`; did you mean `%s`? (a path starts from a top-level "
                  "name)", name, chg_path_of(ctx, nested));
      else
        unknown_field_in(ctx, chg_path_span(v, 0), name, kind, NULL, true);
      return set(e, CHG_T_ERROR);
    }
    i = 1;
  }

  for (; i < len; i++) {
    const char *name = chg_path_name(v, i);
    chg_span span = chg_path_span(v, i);
    chg_step *prev = &e->steps[e->nsteps - 1];
    if (last_field && (last_field->id == CHG_F_STATUS_RAG || last_field->id == CHG_F_POSTS) &&
        !prev->name) {
      prev->name = name; /* status.overall: one criterion; posts.officers: one category */
      check_selector(ctx, last_field, name, span);
      continue;
    }
    if (t != CHG_T_ENTITY) {
      chg_error(ctx, CHG_E_UNKNOWN_FIELD, span,
                "`%s` is %s and has no field `%s`", chg_path_name(v, i - 1),
                chg_type_name(t), name);
      return set(e, CHG_T_ERROR);
    }
    if (static_entity) {
      chg_node *child = chg_symbol_find(ctx, static_entity, name);
      if (child && child->spec) {
        prev->node = child; /* still one entity, named from the top */
        static_entity = child;
        cur_kind = child->spec->id;
        e->elem = (uint8_t)cur_kind;
        continue;
      }
    }
    const chg_field *f = chg_field_find(cur_kind, name);
    if (!f && static_entity && i == 1 && (cur_kind == CHG_K_CLAIM || cur_kind == CHG_K_RULE)) {
      /* `expect infrastructure.budget == £5m` in claim `infrastructure`:
       * the id named the claim, not the programme meant */
      chg_suggester sug;
      chg_suggest_init(&sug, chg_path_name(v, 0));
      chg_suggest_ids(ctx, &sug, NULL, CHG_KM_WORK, NULL);
      chg_error(ctx, CHG_E_UNKNOWN_FIELD, span,
                "`%s` is %s `%s`, which has no field `%s`: name the block whose `%s` is "
                "meant by its own id%s",
                chg_path_name(v, 0), cur_kind == CHG_K_CLAIM ? "claim" : "rule",
                chg_path_name(v, 0), name, name, chg_suggest_text(ctx, &sug));
      return set(e, CHG_T_ERROR);
    }
    if (!f) {
      unknown_field_in(ctx, span, name, cur_kind, static_entity, false);
      return set(e, CHG_T_ERROR);
    }
    chg_step *s = &e->steps[e->nsteps++];
    s->kind = CHG_STEP_FIELD;
    s->field = f->id;
    last_field = f;
    static_entity = NULL;
    t = field_type(ctx, e, f, span);
    if (t == CHG_T_ERROR) return set(e, t);
    if (t == CHG_T_ENTITY) cur_kind = f->elem;
  }
  if (last_field && last_field->id == CHG_F_POSTS && !e->steps[e->nsteps - 1].name) {
    chg_error(ctx, CHG_E_UNKNOWN_FIELD, e->span,
              "`posts` needs its staff category, as in `posts.officers`");
    return set(e, CHG_T_ERROR);
  }
  return set(e, t);
}

static bool numeric(chg_tkind t);

/* The scale whose words a risk's `likelihood` or `impact`, or an
 * impact's `level`, stands for, when `e` reads one of them; else NULL. */
static const char *numbered_field_scale(const chg_expr *e) {
  if (!e || e->op != CHG_X_NAME || !e->nsteps) return NULL;
  const chg_step *last = &e->steps[e->nsteps - 1];
  if (last->kind != CHG_STEP_FIELD) return NULL;
  switch (last->field) {
  case CHG_F_LIKELIHOOD: return "likelihood";
  case CHG_F_RISK_IMPACT: return "impact";
  case CHG_F_LOAD: return "change_impact";
  default: return NULL;
  }
}

/* A bare name takes its meaning from what it is compared with (`against`,
 * when that is one expression): a level of that scale, or a symbol such
 * as a theme. */
static chg_tkind bind_word(chg_ctx *ctx, chg_expr *w, chg_tkind other,
                           const chg_scale *scale, int kind, const chg_expr *against) {
  const char *name = chg_path_name(&w->value, 0);
  w->steps = CHG_NEW_ARRAY(&ctx->arena, chg_step, 1);
  w->nsteps = 1;
  if (other == CHG_T_LEVEL) {
    if (!scale) return set(w, CHG_T_ERROR); /* the field's scale is missing */
    int level = chg_scale_level(ctx, scale, name);
    if (level < 0 && scale->node && chg_damaged(ctx, scale->node->span))
      return set(w, CHG_T_ERROR); /* lost to a syntax error in the scale, said there */
    if (level < 0) {
      chg_error(ctx, CHG_E_UNKNOWN_LEVEL, w->span,
                "`%s` is neither a field of %s nor a level of the `%s` scale %s", name,
                a_kind(ctx, kind), scale->name, chg_level_choices(ctx, scale, name));
      return set(w, CHG_T_ERROR);
    }
    w->steps[0].kind = CHG_STEP_LEVEL;
    w->steps[0].scale = scale;
    w->steps[0].level = level;
    w->scale = scale;
    return set(w, CHG_T_LEVEL);
  }
  if (other == CHG_T_SYMBOL) {
    w->steps[0].kind = CHG_STEP_SYMBOL;
    w->steps[0].name = name;
    return set(w, CHG_T_SYMBOL);
  }
  /* `likelihood >= likely`, `level == high`: a risk's likelihood and
   * impact, and an impact's level, are numbers in expressions, whichever
   * way they were written, so a word of the field's own scale compared
   * with it is its number (likely 4, of five), in the scale's order.
   * Only of that scale: `medium` may be 2 of three likelihoods and 3 of
   * five impacts; and compared with any other number (`slip_days >
   * likely`, `likely == 4`) a word has no scale to be read in. */
  const char *words = numbered_field_scale(against);
  const chg_scale *words_scale = words ? chg_scale_find(ctx, words) : NULL;
  int level = numeric(other) && words_scale ? chg_scale_level(ctx, words_scale, name) : -1;
  if (level >= 0) {
    chg_span span = w->value.span;
    memset(&w->value, 0, sizeof w->value);
    w->value.span = span;
    w->value.kind = CHG_V_NUMBER;
    w->value.u.m = (int64_t)words_scale->nlevels - level;
    w->op = CHG_X_LIT;
    w->steps = NULL;
    w->nsteps = 0;
    return set(w, CHG_T_NUMBER);
  }
  /* `impact >= major` with no `impact` scale: the word is meant as one of
   * its levels, so what is missing is the module, not a field `major`.
   * `likelihood >= likley`: a word close to one of the scale's levels is
   * that level misspelt; any other (`scor`) may be a field misspelt */
  chg_suggester near_level;
  chg_suggest_init(&near_level, name);
  for (uint32_t i = 0; words_scale && i < words_scale->nlevels; i++)
    chg_suggest_offer(&near_level, words_scale->levels[i]);
  if (words_scale && near_level.best) {
    chg_error(ctx, CHG_E_UNKNOWN_LEVEL, w->span,
              "`%s` is neither a field of %s nor a level of the `%s` scale %s", name,
              a_kind(ctx, kind), words, chg_level_choices(ctx, words_scale, name));
    return set(w, CHG_T_ERROR);
  }
  if (words && !words_scale) {
    if (!chg_scale_module_missing(ctx, words) && !chg_unscoped_said(ctx, words)) {
      const char *module = chg_schema_scale_module(words);
      const chg_step *field = &against->steps[against->nsteps - 1];
      chg_error(ctx, CHG_E_SCALE_NOT_IN_SCOPE, w->span,
                "`%s` compared with `%s` must be a level of the `%s` scale, which is not in "
                "scope; add `use %s` or define `scale %s`", name, fields[field->field].name,
                words, module ? module : "a module that defines it", words);
      chg_unscoped_first(ctx, words);
    }
    return set(w, CHG_T_ERROR);
  }
  /* `impact >= likely`, `slip_days > likely`: a level of a numbered scale
   * read where that scale is not the one compared with */
  static const char *const numbered_scales[] = {"likelihood", "impact", "change_impact"};
  for (size_t i = 0; numeric(other) && i < 3; i++) {
    const chg_scale *rs = chg_scale_find(ctx, numbered_scales[i]);
    if (!rs || rs == words_scale || chg_scale_level(ctx, rs, name) < 0) continue;
    if (words_scale)
      chg_error(ctx, CHG_E_UNKNOWN_LEVEL, w->span,
                "`%s` is a level of the `%s` scale, not of `%s`, the scale of the field it "
                "is compared with %s", name, rs->name, words, chg_level_choices(ctx, words_scale, name));
    else
      chg_error(ctx, CHG_E_TYPE_MISMATCH, w->span,
                "`%s` is a level of the `%s` scale; it stands for its number only compared "
                "with a field of that scale (a %s), not with another number",
                name, rs->name,
                i == 0 ? "risk's `likelihood`" : i == 1 ? "risk's `impact`" : "change impact's `level`");
    return set(w, CHG_T_ERROR);
  }
  unknown_field(ctx, w->span, name, kind);
  return set(w, CHG_T_ERROR);
}

/* An id or a field and a level (or theme) may share a name: a unit
 * `leadership` and the theme `leadership`, a programme `green` and the
 * RAG level, a risk's field `programme` and the escalation level.
 * Compared with a level or a symbol it cannot be compared with, the name
 * means that: a unit cannot equal a level, so reading it as the entity
 * could only be a type error. */
static chg_tkind rebind_as_word(chg_ctx *ctx, chg_expr *w, chg_tkind t, chg_tkind other,
                                const chg_scale *scale, int kind) {
  if (!w->also_word || (t == other && (t != CHG_T_LEVEL || w->scale == scale))) return t;
  if (other == CHG_T_SYMBOL ||
      (other == CHG_T_LEVEL && scale && chg_scale_level(ctx, scale, chg_path_name(&w->value, 0)) >= 0))
    return bind_word(ctx, w, other, scale, kind, NULL);
  return t;
}

/* `red < amber`, `when amber`: a level with no field beside it to give
 * it a scale. */
static bool level_without_field(chg_ctx *ctx, chg_expr *w, int kind) {
  static const struct { const char *scale, *field; } read_against[] = {
      {"rag", "status.overall"}, {"dca", "confidence"}, {"recommendation_status", "status"}};
  const char *name = chg_path_name(&w->value, 0), *scale_name;
  for (size_t i = 0; (scale_name = chg_schema_standard_scale(i)); i++) {
    const chg_scale *scale = chg_scale_find(ctx, scale_name);
    if (!scale || chg_scale_level(ctx, scale, name) < 0) continue;
    const char *field = NULL;
    for (size_t j = 0; j < sizeof read_against / sizeof read_against[0]; j++)
      if (strcmp(read_against[j].scale, scale_name) == 0) field = read_against[j].field;
    chg_error(ctx, CHG_E_UNKNOWN_FIELD, w->span,
              "`%s` is a level of the `%s` scale, not a field of %s: a level is compared "
              "with a field of its scale%s", name, scale_name, a_kind(ctx, kind),
              field ? chg_arena_printf(&ctx->arena, ", as in `%s <= %s`", field, name) : "");
    return true;
  }
  return false;
}

static void unbound_word(chg_ctx *ctx, chg_expr *w, int kind) {
  if (!level_without_field(ctx, w, kind))
    unknown_field(ctx, w->span, chg_path_name(&w->value, 0), kind);
  set(w, CHG_T_ERROR);
}

/* ---- operators ------------------------------------------------------------- */

static bool numeric(chg_tkind t) {
  return t == CHG_T_NUMBER || t == CHG_T_PERCENT || t == CHG_T_QUANTITY;
}

static bool ordered(chg_tkind t) {
  return numeric(t) || t == CHG_T_MONEY || t == CHG_T_DATE || t == CHG_T_MONTH ||
         t == CHG_T_QUARTER || t == CHG_T_FY || t == CHG_T_LEVEL;
}

/* what a period (an impact's) equals, or holds with `in` */
static bool calendar(chg_tkind t) {
  return t == CHG_T_DATE || t == CHG_T_MONTH || t == CHG_T_QUARTER || t == CHG_T_FY;
}

static bool comparable(chg_tkind a, chg_tkind b) {
  if (a == b) return true;
  if (a == CHG_T_PERIOD || b == CHG_T_PERIOD) return calendar(a == CHG_T_PERIOD ? b : a);
  if (a == CHG_T_QUANTITY) return numeric(b) || b == CHG_T_MONEY;
  if (b == CHG_T_QUANTITY) return numeric(a) || a == CHG_T_MONEY;
  return numeric(a) && numeric(b);
}

/* `progress < 50`: a percentage is a fraction, so the plain number 50 is
 * 5000%, and the comparison is never what was meant.  Allowed, as 0.5
 * is, but said. */
static void percent_against_number(chg_ctx *ctx, chg_expr *n) {
  if (n->op != CHG_X_LIT || n->value.kind != CHG_V_NUMBER ||
      chg_dec_cmp(chg_value_dec(&n->value), chg_dec_from_int(1)) <= 0)
    return;
  char text[64], hundredfold[64];
  chg_dec times;
  if (!chg_dec_mul(chg_value_dec(&n->value), chg_dec_from_int(100), &times)) return;
  chg_dec_format(chg_value_dec(&n->value), text, sizeof text);
  chg_dec_format(chg_dec_normalise(times), hundredfold, sizeof hundredfold);
  chg_warning(ctx, CHG_E_TYPE_MISMATCH, n->span,
              "a percentage compared with the plain number %s, which is %s%%: did you "
              "mean `%s%%`?", text, hundredfold, text);
  n->doubtful = true;
}

/* Whether an operand is a whole number by its nature: a score, a
 * likelihood, a count of days or of blocks. */
static bool whole_by_nature(const chg_expr *e) {
  if (e->op == CHG_X_CALL) return e->fn && strcmp(e->fn, "count") == 0;
  if (e->op != CHG_X_NAME || !e->nsteps || e->steps[e->nsteps - 1].kind != CHG_STEP_FIELD)
    return false;
  switch (e->steps[e->nsteps - 1].field) {
  case CHG_F_SCORE: case CHG_F_LIKELIHOOD: case CHG_F_RISK_IMPACT: case CHG_F_SLIP_DAYS:
  case CHG_F_NUMBER: case CHG_F_OUTPUTS:
    return true;
  default:
    return false;
  }
}

/* `score >= 15%`: a percentage is a fraction, so 15% is 0.15, and a
 * score or a count of days is never compared with that.  Said, as the
 * other way round is. */
static void whole_against_percent(chg_ctx *ctx, const chg_expr *whole, chg_expr *p) {
  if (!whole_by_nature(whole) || p->op != CHG_X_LIT || p->value.kind != CHG_V_PERCENT) return;
  chg_dec hundredfold;
  if (!chg_dec_mul(chg_value_dec(&p->value), chg_dec_from_int(100), &hundredfold)) return;
  char fraction[64], written[64];
  chg_dec_format(chg_dec_normalise(chg_value_dec(&p->value)), fraction, sizeof fraction);
  chg_dec_format(chg_dec_normalise(hundredfold), written, sizeof written);
  chg_warning(ctx, CHG_E_TYPE_MISMATCH, p->span,
              "a whole number compared with the percentage %s%%, which is %s: did you "
              "mean `%s`?", written, fraction, written);
  p->doubtful = true;
}

const chg_expr *chg_expr_doubt(const chg_expr *e) {
  if (!e) return NULL;
  if (e->doubtful) return e;
  const chg_expr *d = chg_expr_doubt(e->a);
  if (!d) d = chg_expr_doubt(e->b);
  for (uint32_t i = 0; !d && i < e->nargs; i++) d = chg_expr_doubt(e->args[i]);
  return d;
}

void chg_note_doubt(chg_ctx *ctx, const chg_expr *doubtful) {
  /* the figure as written, and as the other side would be written */
  chg_dec d = chg_value_dec(&doubtful->value), hundredfold;
  if (!chg_dec_mul(d, chg_dec_from_int(100), &hundredfold)) return;
  char plain[64], times[64];
  chg_dec_format(chg_dec_normalise(d), plain, sizeof plain);
  chg_dec_format(chg_dec_normalise(hundredfold), times, sizeof times);
  bool percent = doubtful->value.kind == CHG_V_PERCENT;
  const char *written = percent ? times : plain;
  chg_note(ctx, doubtful->span,
           "the condition may not say what was meant: `%s%s` is read as %s%s against %s, "
           "where `%s%s` was likely meant", written, percent ? "%" : "", percent ? plain : times,
           percent ? "" : "%", percent ? "a whole number" : "a percentage", written,
           percent ? "" : "%");
}

/* How fine a period is: an index sums the entries of its grain or finer
 * that start within it. */
static int grain(int vkind) {
  switch (vkind) {
  case CHG_V_DATE: return 0;
  case CHG_V_MONTH: return 1;
  case CHG_V_QUARTER: return 2;
  case CHG_V_FY: return 3;
  default: return -1;
  }
}

/* `saving.money[2011-12]`, where every money line is by financial year:
 * a month indexes nothing in them, so the figure is always nothing, most
 * often because a financial year was meant.  A warning: the portfolio
 * could yet be written by month. */
static void index_never_written(chg_ctx *ctx, const chg_expr *e) {
  const chg_expr *name = e->a, *index = e->b;
  if (name->op != CHG_X_NAME || !name->nsteps || index->op != CHG_X_LIT) return;
  const chg_step *last = &name->steps[name->nsteps - 1];
  int want = grain(index->value.kind);
  /* nothing is coarser than a financial year: such an index always finds its lines */
  if (last->kind != CHG_STEP_FIELD || want < 0 || want == grain(CHG_V_FY)) return;
  const chg_field *f = &fields[last->field];
  int finest = 4, coarsest = -1;
  for (size_t i = 0; i < ctx->blocks.len; i++) {
    const chg_node *b = ctx->blocks.items[i];
    if (!b->spec || !(f->kinds & CHG_KM(b->spec->id))) continue;
    for (const chg_node *a = b->items; a; a = a->next) {
      if (a->kind != CHG_N_ATTR || !a->key || strcmp(a->key, f->name) != 0) continue;
      for (uint32_t k = 0; k < a->nseries; k++) {
        int g = grain(chg_node_series(a)[k].key.kind);
        if (g >= 0 && g <= want) return;
        if (g > coarsest) coarsest = g;
        if (g >= 0 && g < finest) finest = g;
      }
    }
  }
  if (coarsest < 0) return;
  static const char *const by[] = {"by date", "by month", "by quarter", "by financial year"};
  static const char *const what[] = {"date", "month", "quarter", "financial year"};
  char text[64], meant[80] = "";
  chg_value_format(&index->value, text, sizeof text);
  int32_t m = index->value.u.month;
  if (index->value.kind == CHG_V_MONTH && finest == 3 && m % 12 + 1 == (m / 12 + 1) % 100)
    snprintf(meant, sizeof meant, "; did you mean `%d/%02d`?", m / 12, m % 12 + 1);
  if (finest == coarsest)
    chg_warning(ctx, CHG_E_TYPE_MISMATCH, index->span,
                "`%s` is a %s, but every `%s` line is written %s, so this is always "
                "nothing%s", text, what[want], f->name, by[finest], meant);
  else
    chg_warning(ctx, CHG_E_TYPE_MISMATCH, index->span,
                "`%s` is a %s, but no `%s` line is written %s or finer, so this is always "
                "nothing%s", text, what[want], f->name, by[want], meant);
}

/* `requirement > £1m`, `tags == 3`, `s.money == s.money`: a series or a
 * list used whole where one of its entries, or `in`, was meant.  Says
 * which to write, in the writer's own name for it; false when neither
 * side is a series or a list. */
static bool used_whole(chg_ctx *ctx, const chg_expr *e, chg_tkind a, chg_tkind b) {
  if (e->op == CHG_X_IN) return false; /* the list there is where `in` looks */
  bool left = a == CHG_T_SERIES || a == CHG_T_LIST;
  if (!left && b != CHG_T_SERIES && b != CHG_T_LIST) return false;
  const chg_expr *side = left ? e->a : e->b;
  bool series = (left ? a : b) == CHG_T_SERIES;
  char name[128];
  snprintf(name, sizeof name, "%s", series ? "money" : "tags");
  if (side->op == CHG_X_NAME) chg_value_format(&side->value, name, sizeof name);
  char what[64];
  bool compares = e->op == CHG_X_EQ || e->op == CHG_X_NE || e->op == CHG_X_LT ||
                  e->op == CHG_X_LE || e->op == CHG_X_GT || e->op == CHG_X_GE;
  if (compares)
    snprintf(what, sizeof what, "cannot compare %s as a whole", series ? "a series" : "a list");
  else
    snprintf(what, sizeof what, "cannot use `%s` on %s as a whole", chg_op_text(e->op),
             series ? "a series" : "a list");
  if (series)
    chg_error(ctx, CHG_E_TYPE_MISMATCH, e->span, "%s; pick one entry, as in `%s[2012/13]`",
              what, name);
  else
    chg_error(ctx, CHG_E_TYPE_MISMATCH, e->span,
              "%s; look in it with `in`, as in `technology in %s`", what, name);
  return true;
}

/* `id == drm`, `id in [drm, tp]`: a block named where its id's text was
 * meant (a name is the block itself; an id is compared as a string). */
static bool block_for_text(chg_ctx *ctx, const chg_expr *text, const chg_expr *named,
                           chg_tkind named_type) {
  if (named_type != CHG_T_ENTITY || named->op != CHG_X_NAME) return false;
  char name[128], field[64] = "the string";
  chg_value_format(&named->value, name, sizeof name);
  if (text->op == CHG_X_NAME) {
    char written[60];
    chg_value_format(&text->value, written, sizeof written);
    snprintf(field, sizeof field, "`%s`", written);
  } else if (text->op == CHG_X_LIT && text->value.kind == CHG_V_STRING) {
    /* `x == "x"`: the string is written already; the block's id is what
     * compares with it */
    chg_error(ctx, CHG_E_TYPE_MISMATCH, named->span,
              "`%s` names the block itself, and the string is text: to compare the block's "
              "id with it, write `%s.id`", name, name);
    return true;
  }
  chg_error(ctx, CHG_E_TYPE_MISMATCH, named->span,
            "`%s` names the block itself, and %s is text: to compare with an id, write it "
            "in quotes, as in `\"%s\"`", name, field, name);
  return true;
}

/* `budget > 50%`, `budget + 10%`: a board paper's "10% of the budget" is
 * the amount times the percentage, and "over half the requirement"
 * compares the quotient of two amounts with one.  Says so, with the
 * writer's own amount where it is a name or a figure; false unless one
 * side is money and the other a percentage, compared or added. */
static bool money_with_percentage(chg_ctx *ctx, const chg_expr *e, chg_tkind a, chg_tkind b) {
  if (!((a == CHG_T_MONEY && b == CHG_T_PERCENT) || (a == CHG_T_PERCENT && b == CHG_T_MONEY)))
    return false;
  bool adds = e->op == CHG_X_ADD || e->op == CHG_X_SUB;
  bool compares = e->op == CHG_X_EQ || e->op == CHG_X_NE || e->op == CHG_X_LT ||
                  e->op == CHG_X_LE || e->op == CHG_X_GT || e->op == CHG_X_GE;
  if (!adds && !compares) return false;
  const chg_expr *money = a == CHG_T_MONEY ? e->a : e->b;
  char amount[128] = "";
  if (money->op == CHG_X_NAME) {
    chg_value_format(&money->value, amount, sizeof amount);
  } else if (money->op == CHG_X_LIT) {
    /* as written: `£8.2m`, not its pence */
    chg_file *f = chg_ctx_file(ctx, money->value.span.file);
    const char *text = f ? chg_file_text(ctx, f) : NULL;
    if (text)
      snprintf(amount, sizeof amount, "%.*s",
               (int)(money->value.span.end - money->value.span.start),
               text + money->value.span.start);
  }
  const char *op = chg_op_text(e->op);
  /* the operands named in the order written, as every other mismatch is */
  const char *both = a == CHG_T_MONEY ? "money and a percentage" : "a percentage and money";
  if (adds)
    chg_error(ctx, CHG_E_TYPE_MISMATCH, e->span,
              "cannot use `%s` on %s: a percentage of an amount is the "
              "amount times it, as in `%s * 10%%`", op, both, *amount ? amount : "budget");
  else
    chg_error(ctx, CHG_E_TYPE_MISMATCH, e->span,
              "cannot use `%s` on %s: compare an amount with an amount, "
              "or the share it is of another amount with the percentage, as in "
              "`%s / £200m %s 50%%`", op, both, *amount ? amount : "budget", op);
  return true;
}

static chg_tkind mismatch(chg_ctx *ctx, chg_expr *e, chg_tkind a, chg_tkind b) {
  if (used_whole(ctx, e, a, b)) return set(e, CHG_T_ERROR);
  /* `status.overall == "Green"`, `category == "capacity"`: a level or a
   * name written in quotes, as a string */
  const chg_expr *quoted = a == CHG_T_STRING ? e->a : e->b;
  chg_tkind other = a == CHG_T_STRING ? b : a;
  if ((a == CHG_T_STRING) != (b == CHG_T_STRING) && quoted->op == CHG_X_LIT &&
      quoted->value.kind == CHG_V_STRING && (other == CHG_T_LEVEL || other == CHG_T_SYMBOL)) {
    const chg_expr *field = a == CHG_T_STRING ? e->b : e->a;
    const char *text = quoted->value.u.s;
    const chg_scale *scale = other == CHG_T_LEVEL ? field->scale : NULL;
    int level = scale ? chg_scale_level(ctx, scale, text) : -1;
    if (level < 0 && scale)
      for (uint32_t i = 0; i < scale->nlevels && level < 0; i++)
        if (strcasecmp(scale->levels[i], text) == 0) level = (int)i;
    if (other == CHG_T_SYMBOL || level >= 0) {
      chg_error(ctx, CHG_E_TYPE_MISMATCH, quoted->span,
                "`\"%s\"` is in quotes, so a string: %s is written without them, as in `%s`",
                text, other == CHG_T_LEVEL ? "a level" : "a name",
                other == CHG_T_LEVEL ? scale->levels[level] : text);
      return set(e, CHG_T_ERROR);
    }
  }
  if ((a == CHG_T_STRING) != (b == CHG_T_STRING) &&
      block_for_text(ctx, quoted, quoted == e->a ? e->b : e->a, other))
    return set(e, CHG_T_ERROR);
  /* `budget > 1000000`: an amount without its `£` */
  const chg_expr *plain = a == CHG_T_NUMBER ? e->a : e->b;
  if (((a == CHG_T_MONEY && b == CHG_T_NUMBER) || (a == CHG_T_NUMBER && b == CHG_T_MONEY)) &&
      plain->op == CHG_X_LIT && plain->value.kind == CHG_V_NUMBER && plain->value.u.m >= 0) {
    char figure[64];
    int64_t m = plain->value.u.m;
    if (plain->value.aux == 0 && m >= 1000000 && m % 1000000 == 0)
      snprintf(figure, sizeof figure, "%lldm", (long long)(m / 1000000));
    else if (plain->value.aux == 0 && m >= 1000 && m % 1000 == 0)
      snprintf(figure, sizeof figure, "%lldk", (long long)(m / 1000));
    else
      chg_value_format(&plain->value, figure, sizeof figure);
    chg_error(ctx, CHG_E_TYPE_MISMATCH, e->span,
              "cannot use `%s` on %s: an amount is written with `£`, as in `£%s`",
              chg_op_text(e->op), a == CHG_T_MONEY ? "money and a number" : "a number and money",
              figure);
    return set(e, CHG_T_ERROR);
  }
  if (money_with_percentage(ctx, e, a, b)) return set(e, CHG_T_ERROR);
  /* `2011/12 > 0`: a division written without spaces reads as a year */
  const chg_expr *year = a == CHG_T_FY ? e->a : e->b;
  bool year_as_number = (a == CHG_T_FY) != (b == CHG_T_FY) && (a == CHG_T_NUMBER || b == CHG_T_NUMBER) &&
                        year->op == CHG_X_LIT && year->value.kind == CHG_V_FY;
  /* `b.realised == b.target`: the yes-or-no read for the figure */
  const chg_expr *side = a == CHG_T_BOOL ? e->a : e->b;
  bool realised = (a == CHG_T_BOOL) != (b == CHG_T_BOOL) && side->op == CHG_X_NAME &&
                  side->nsteps && side->steps[side->nsteps - 1].kind == CHG_STEP_FIELD &&
                  side->steps[side->nsteps - 1].field == CHG_F_REALISED;
  chg_error(ctx, CHG_E_TYPE_MISMATCH, e->span, "cannot use `%s` on %s and %s%s",
            chg_op_text(e->op), chg_type_name(a), chg_type_name(b),
            year_as_number ? " (a financial year is written as `2011/12`: to divide, put "
                             "spaces around `/`, as in `2011 / 12`)"
            : realised ? " (a benefit's `realised` is whether its target is reached, true or "
                         "false; the figure realised to date is `realised_value`)"
                       : "");
  return set(e, CHG_T_ERROR);
}

/* A benefit's `type` is one of three words: `type == cashabel` is a
 * misspelling, not a comparison that is never true. */
static bool benefit_type_word_ok(chg_ctx *ctx, const chg_expr *field, const chg_expr *word) {
  if (field->op != CHG_X_NAME || !field->nsteps ||
      field->steps[field->nsteps - 1].kind != CHG_STEP_FIELD ||
      field->steps[field->nsteps - 1].field != CHG_F_BENEFIT_TYPE)
    return true;
  if (word->op != CHG_X_NAME || word->nsteps != 1 || word->steps[0].kind != CHG_STEP_SYMBOL)
    return true;
  /* the words the schema takes for a benefit's `type` */
  const char *types = chg_schema_find_attr(chg_schema_kind(CHG_K_BENEFIT), "type")->params[0].scale;
  const char *name = word->steps[0].name;
  if (chg_word_in(types, name)) return true;
  chg_suggester s;
  chg_suggest_init(&s, name);
  chg_suggest_words(ctx, &s, types);
  chg_error(ctx, CHG_E_UNKNOWN_FIELD, word->span, "`%s` is not a benefit type (%s)%s", name,
            chg_words_listed(ctx, types, false), chg_suggest_text(ctx, &s));
  return false;
}

/* `category == Capacity` where the risks say `capacity`: a comparison
 * that is never true.  A warning, as for a criterion no block gives. */
static void risk_category_word_check(chg_ctx *ctx, const chg_expr *field, const chg_expr *word) {
  if (field->op != CHG_X_NAME || !field->nsteps ||
      field->steps[field->nsteps - 1].kind != CHG_STEP_FIELD ||
      field->steps[field->nsteps - 1].field != CHG_F_CATEGORY)
    return;
  if (word->op != CHG_X_NAME || word->nsteps != 1 || word->steps[0].kind != CHG_STEP_SYMBOL)
    return;
  const char *name = word->steps[0].name;
  gather_selectors(ctx);
  chg_suggester s;
  chg_suggest_init(&s, name);
  for (size_t i = 0; i < ctx->risk_categories.len; i++) {
    if (strcmp(ctx->risk_categories.items[i], name) == 0) return;
    chg_suggest_offer(&s, ctx->risk_categories.items[i]);
  }
  /* only a near miss: a rule may be written before any risk has its
   * category, and should not fail a strict run for it */
  if (!s.best) return;
  chg_warning(ctx, CHG_E_UNKNOWN_FIELD, word->span,
              "no risk has the category `%s`, so this comparison is never true%s", name,
              chg_suggest_text(ctx, &s));
}

static chg_tkind check_compare(chg_ctx *ctx, chg_expr *e, int kind) {
  chg_tkind a = check(ctx, e->a, kind), b = check(ctx, e->b, kind);
  if (a == CHG_T_ERROR || b == CHG_T_ERROR) return set(e, CHG_T_ERROR);
  if (a == CHG_T_WORD && b == CHG_T_WORD) {
    unbound_word(ctx, e->a, kind);
    return set(e, CHG_T_ERROR);
  }
  if (a == CHG_T_WORD) a = bind_word(ctx, e->a, b, e->b->scale, kind, e->b);
  if (b == CHG_T_WORD) b = bind_word(ctx, e->b, a, e->a->scale, kind, e->a);
  if (a == CHG_T_ERROR || b == CHG_T_ERROR) return set(e, CHG_T_ERROR);
  a = rebind_as_word(ctx, e->a, a, b, e->b->scale, kind);
  b = rebind_as_word(ctx, e->b, b, a, e->a->scale, kind);
  bool equality = e->op == CHG_X_EQ || e->op == CHG_X_NE;
  if (!comparable(a, b)) return mismatch(ctx, e, a, b);
  if (!benefit_type_word_ok(ctx, e->a, e->b) || !benefit_type_word_ok(ctx, e->b, e->a))
    return set(e, CHG_T_ERROR);
  risk_category_word_check(ctx, e->a, e->b);
  risk_category_word_check(ctx, e->b, e->a);
  if (a == CHG_T_LEVEL && e->a->scale != e->b->scale) {
    const chg_scale *sa = e->a->scale, *sb = e->b->scale;
    chg_error(ctx, CHG_E_SCALE_MISMATCH, e->span,
              "cannot compare a level of `%s` with a level of `%s`",
              sa ? sa->name : "?", sb ? sb->name : "?");
    return set(e, CHG_T_ERROR);
  }
  if (!equality && !ordered(a)) {
    chg_error(ctx, CHG_E_TYPE_MISMATCH, e->span,
              "`%s` needs values with an order; %s can only be compared with "
              "`==` or `!=`", chg_op_text(e->op), chg_type_name(a));
    return set(e, CHG_T_ERROR);
  }
  if (a == CHG_T_PERCENT && b == CHG_T_NUMBER) {
    percent_against_number(ctx, e->b);
    whole_against_percent(ctx, e->b, e->a);
  }
  if (b == CHG_T_PERCENT && a == CHG_T_NUMBER) {
    percent_against_number(ctx, e->a);
    whole_against_percent(ctx, e->a, e->b);
  }
  if (used_whole(ctx, e, a, b)) return set(e, CHG_T_ERROR);
  if (a == CHG_T_COLLECTION) {
    chg_error(ctx, CHG_E_TYPE_MISMATCH, e->span, "cannot compare %s as a whole; aggregate "
              "it, as in `count(risk where score >= 15)`", chg_type_name(a));
    return set(e, CHG_T_ERROR);
  }
  return set(e, CHG_T_BOOL);
}

static chg_tkind check_in(chg_ctx *ctx, chg_expr *e, int kind) {
  chg_tkind a = check(ctx, e->a, kind);
  if (a == CHG_T_ERROR) return set(e, CHG_T_ERROR);
  if (e->b->op == CHG_X_LIST && a == CHG_T_LIST) {
    /* `tags in [ict]`: the other way round */
    char list[128] = "tags";
    if (e->a->op == CHG_X_NAME) chg_value_format(&e->a->value, list, sizeof list);
    chg_error(ctx, CHG_E_TYPE_MISMATCH, e->span,
              "a list cannot be looked for in a list: to ask whether a name is in `%s`, "
              "put the name first, as in `technology in %s`", list, list);
    return set(e, CHG_T_ERROR);
  }
  if (e->b->op == CHG_X_LIST) {
    set(e->b, CHG_T_LIST);
    bool said_of_a = false;
    for (uint32_t i = 0; i < e->b->nargs; i++) {
      chg_expr *item = e->b->args[i];
      chg_tkind t = check(ctx, item, kind);
      if (a == CHG_T_WORD && t == CHG_T_WORD) {
        unbound_word(ctx, e->a, kind);
        return set(e, CHG_T_ERROR);
      }
      if (t == CHG_T_WORD) t = bind_word(ctx, item, a, e->a->scale, kind, e->a);
      if (a == CHG_T_WORD) a = bind_word(ctx, e->a, t, item->scale, kind, item);
      if (a == CHG_T_ERROR) return set(e, CHG_T_ERROR);
      if (t == CHG_T_ERROR) continue;
      t = rebind_as_word(ctx, item, t, a, e->a->scale, kind);
      if (a == CHG_T_STRING && block_for_text(ctx, e->a, item, t)) return set(e, CHG_T_ERROR);
      if (!comparable(a, t)) {
        chg_error(ctx, CHG_E_TYPE_MISMATCH, item->span,
                  "this list holds %s, but it is searched for %s",
                  chg_type_name(t), chg_type_name(a));
        return set(e, CHG_T_ERROR);
      }
      if (!benefit_type_word_ok(ctx, e->a, item)) return set(e, CHG_T_ERROR);
      /* each item is compared as by `==`: `progress in [50, 92]` */
      if (a == CHG_T_PERCENT && t == CHG_T_NUMBER) percent_against_number(ctx, item);
      if (t == CHG_T_PERCENT && a == CHG_T_NUMBER && !said_of_a) {
        percent_against_number(ctx, e->a);
        said_of_a = true;
      }
      if (a == CHG_T_LEVEL && item->scale != e->a->scale) {
        const chg_scale *sa = e->a->scale, *si = item->scale;
        chg_error(ctx, CHG_E_SCALE_MISMATCH, item->span,
                  "this list is searched for a level of `%s`, but this is a level of `%s`",
                  sa ? sa->name : "?", si ? si->name : "?");
        return set(e, CHG_T_ERROR);
      }
    }
    return set(e, a == CHG_T_ERROR ? CHG_T_ERROR : CHG_T_BOOL);
  }
  chg_tkind b = check(ctx, e->b, kind);
  if (b == CHG_T_ERROR || a == CHG_T_ERROR) return set(e, CHG_T_ERROR);
  if (b == CHG_T_PERIOD) { /* `2022-05 in period` */
    if (calendar(a)) return set(e, CHG_T_BOOL);
    chg_error(ctx, CHG_E_TYPE_MISMATCH, e->a->span,
              "a period holds dates, months, quarters or financial years, not %s",
              chg_type_name(a));
    return set(e, CHG_T_ERROR);
  }
  if (b != CHG_T_LIST) {
    chg_error(ctx, CHG_E_TYPE_MISMATCH, e->b->span,
              "`in` looks in a list, as in `theme in [governance, people]`, "
              "not in %s", chg_type_name(b));
    return set(e, CHG_T_ERROR);
  }
  if (a == CHG_T_WORD) a = bind_word(ctx, e->a, (chg_tkind)e->b->elem, NULL, kind, NULL);
  /* `ict in tags` where a programme is also called `ict`: the tag */
  a = rebind_as_word(ctx, e->a, a, (chg_tkind)e->b->elem, NULL, kind);
  if (a == CHG_T_ERROR) return set(e, CHG_T_ERROR);
  if (!comparable(a, (chg_tkind)e->b->elem))
    return mismatch(ctx, e, a, b);
  return set(e, CHG_T_BOOL);
}


/* `0`, `0%`, `£0`, `-0`: a divisor known to be zero before anything runs */
static bool is_literal_zero(const chg_expr *e) {
  while (e->op == CHG_X_NEG) e = e->a;
  if (e->op != CHG_X_LIT) return false;
  switch (e->value.kind) {
  case CHG_V_NUMBER:
  case CHG_V_PERCENT: return e->value.u.m == 0;
  case CHG_V_MONEY: return e->value.u.pence == 0;
  default: return false;
  }
}

/* `Amber/Red`, `amber-red`, `amber / red`: a level as a board paper
 * prints it, read as two names and an operator.  One error, the level as
 * it is written (`amber_red`), as in an attribute; NULL when the words
 * joined are no level of a standard scale in scope, or either word alone
 * is an id. */
static const char *level_split_by_operator(chg_ctx *ctx, const chg_expr *e) {
  if ((e->op != CHG_X_SUB && e->op != CHG_X_DIV) || e->a->op != CHG_X_NAME ||
      e->b->op != CHG_X_NAME || chg_path_len(&e->a->value) != 1 ||
      chg_path_len(&e->b->value) != 1)
    return NULL;
  const char *first = chg_path_name(&e->a->value, 0), *second = chg_path_name(&e->b->value, 0);
  if (chg_symbol_find(ctx, NULL, first) || chg_symbol_find(ctx, NULL, second)) return NULL;
  char *joined = chg_arena_printf(&ctx->arena, "%s_%s", first, second);
  for (char *c = joined; *c; c++) *c = (char)tolower((unsigned char)*c);
  const char *level = chg_intern_cstr(&ctx->names, joined); /* levels are found by pointer */
  const char *scale_name;
  for (size_t i = 0; (scale_name = chg_schema_standard_scale(i)); i++) {
    const chg_scale *scale = chg_scale_find(ctx, scale_name);
    if (scale && chg_scale_level(ctx, scale, level) >= 0) return level;
  }
  return NULL;
}

static chg_tkind check_arith(chg_ctx *ctx, chg_expr *e, int kind) {
  const char *level = level_split_by_operator(ctx, e);
  if (level) {
    chg_file *f = chg_ctx_file(ctx, e->span.file);
    const char *written = chg_file_bytes(ctx, f, e->span.start, e->span.end);
    chg_error(ctx, CHG_E_UNKNOWN_LEVEL, e->span,
              "`%.*s` is not a name: a level joins its words with `_`, as in `%s`",
              (int)(e->span.end - e->span.start), written, level);
    return set(e, CHG_T_ERROR);
  }
  chg_tkind a = check(ctx, e->a, kind), b = check(ctx, e->b, kind);
  if (a == CHG_T_WORD) a = bind_word(ctx, e->a, CHG_T_NUMBER, NULL, kind, NULL);
  if (b == CHG_T_WORD) b = bind_word(ctx, e->b, CHG_T_NUMBER, NULL, kind, NULL);
  if (a == CHG_T_ERROR || b == CHG_T_ERROR) return set(e, CHG_T_ERROR);
  bool na = numeric(a), nb = numeric(b);
  bool q = a == CHG_T_QUANTITY || b == CHG_T_QUANTITY;
  switch (e->op) {
  case CHG_X_ADD:
  case CHG_X_SUB:
    if (q && (na || a == CHG_T_MONEY) && (nb || b == CHG_T_MONEY))
      return set(e, CHG_T_QUANTITY);
    if (a == CHG_T_PERCENT && b == CHG_T_PERCENT) return set(e, CHG_T_PERCENT);
    if (na && nb) return set(e, CHG_T_NUMBER);
    if (a == CHG_T_MONEY && b == CHG_T_MONEY) return set(e, CHG_T_MONEY);
    if (a == CHG_T_DATE && b == CHG_T_NUMBER) return set(e, CHG_T_DATE);
    if (e->op == CHG_X_ADD && a == CHG_T_NUMBER && b == CHG_T_DATE)
      return set(e, CHG_T_DATE);
    if (e->op == CHG_X_SUB && a == CHG_T_DATE && b == CHG_T_DATE)
      return set(e, CHG_T_NUMBER); /* days between */
    return mismatch(ctx, e, a, b);
  case CHG_X_MUL:
    if (q && (na || a == CHG_T_MONEY) && (nb || b == CHG_T_MONEY) &&
        !(a == CHG_T_MONEY && b == CHG_T_MONEY))
      return set(e, CHG_T_QUANTITY);
    if (na && nb)
      return set(e, a == CHG_T_PERCENT && b == CHG_T_PERCENT ? CHG_T_PERCENT
                                                             : CHG_T_NUMBER);
    if ((a == CHG_T_MONEY && nb) || (na && b == CHG_T_MONEY))
      return set(e, CHG_T_MONEY);
    return mismatch(ctx, e, a, b);
  case CHG_X_DIV:
    if (is_literal_zero(e->b)) {
      chg_error(ctx, CHG_E_DIVISION_BY_ZERO, e->b->span, "division by zero");
      return set(e, CHG_T_ERROR);
    }
    if (q && (na || a == CHG_T_MONEY) && (nb || b == CHG_T_MONEY))
      return set(e, CHG_T_QUANTITY);
    if (na && nb) return set(e, CHG_T_NUMBER);
    if (a == CHG_T_MONEY && nb) return set(e, CHG_T_MONEY);
    if (a == CHG_T_MONEY && b == CHG_T_MONEY) return set(e, CHG_T_NUMBER);
    return mismatch(ctx, e, a, b);
  default:
    return set(e, CHG_T_ERROR);
  }
}

/* ---- aggregates -------------------------------------------------------------- */

typedef enum agg { AGG_COUNT, AGG_PCT, AGG_SUM, AGG_MIN, AGG_MAX, AGG_AVG,
                   AGG_ANY, AGG_ALL, AGG_NONE } agg;

static agg aggregate_of(const char *fn) {
  static const char *const names[] = {"count", "pct", "sum", "min",
                                      "max",   "avg", "any", "all"};
  for (int i = 0; i < AGG_NONE; i++)
    if (strcmp(fn, names[i]) == 0) return (agg)i;
  return AGG_NONE;
}

/* In a rule, an aggregate ranges over the entity's own descendants; in a
 * claim, over the whole portfolio.  That is decided when it runs, so the
 * context kind plays no part in its type. */
static chg_tkind check_call(chg_ctx *ctx, chg_expr *e, int kind) {
  (void)kind;
  agg a = aggregate_of(e->fn);
  if (a == AGG_NONE) {
    chg_error(ctx, CHG_E_BAD_CALL, e->fn_span,
              "unknown function `%s`; the functions are count, pct, sum, min, "
              "max, avg, any and all", e->fn);
    return set(e, CHG_T_ERROR);
  }
  if (e->nargs != 1) {
    chg_error(ctx, CHG_E_BAD_CALL, e->span,
              "`%s` takes one argument, as in `%s(risk where score >= 15)`",
              e->fn, e->fn);
    return set(e, CHG_T_ERROR);
  }
  chg_expr *arg = e->args[0], *coll = arg, *filter = NULL;
  if (arg->op == CHG_X_WHERE) {
    coll = arg->a;
    filter = arg->b;
  }
  chg_expr *root = coll;
  while (root->op == CHG_X_INDEX) root = root->a;
  const chg_kind_spec *k =
      root->op == CHG_X_NAME ? chg_schema_find_kind(chg_path_name(&root->value, 0))
                             : NULL;
  if (!k || k->id == CHG_K_PORTFOLIO) {
    /* `count(risks)`: the kind, misspelt */
    chg_suggester sg;
    chg_suggest_init(&sg, root->op == CHG_X_NAME ? chg_path_name(&root->value, 0) : "");
    for (int i = 0; root->op == CHG_X_NAME && i < CHG_K__COUNT; i++)
      if (i != CHG_K_PORTFOLIO) chg_suggest_offer(&sg, chg_schema_kind(i)->name);
    bool the_portfolio = k && k->id == CHG_K_PORTFOLIO;
    const char *portfolio_id = ctx->portfolio ? chg_block_id(ctx->portfolio) : NULL;
    chg_error(ctx, CHG_E_BAD_CALL, coll->span,
              "`%s` ranges over a kind of block, as in `%s(%s)`%s%s", e->fn, e->fn,
              a == AGG_SUM                    ? "saving.money[2012/13]"
              : a == AGG_MIN || a == AGG_MAX  ? "milestone.baseline"
              : a == AGG_AVG                  ? "risk.score"
                                              : "risk where score >= 15",
              the_portfolio
                  ? chg_arena_printf(&ctx->arena,
                                     "; not `portfolio`, of which there is one: read its fields "
                                     "%s`%s%sas_of`",
                                     portfolio_id ? "by its id, as in " : "as in ",
                                     portfolio_id ? portfolio_id : "", portfolio_id ? "." : "")
                  : "",
              chg_suggest_text(ctx, &sg));
    return set(e, CHG_T_ERROR);
  }
  int iter = (int)k->id;
  e->iter_kind = iter;
  chg_tkind t;
  if (coll == root) {
    t = resolve_name(ctx, root, iter, 1);
    set(coll, t);
  } else {
    resolve_name(ctx, root, iter, 1);
    t = check(ctx, coll, iter);
  }
  if (chg_path_len(&root->value) == 1 && coll == root) t = set(coll, CHG_T_ENTITY);
  if (filter) {
    chg_tkind ft = check(ctx, filter, iter);
    if (ft == CHG_T_WORD) {
      unbound_word(ctx, filter, iter);
      ft = CHG_T_ERROR;
    }
    if (ft != CHG_T_BOOL && ft != CHG_T_ERROR) {
      chg_error(ctx, CHG_E_NOT_BOOLEAN, filter->span,
                "`where` needs a condition that is true or false, not %s",
                chg_type_name(ft));
      return set(e, CHG_T_ERROR);
    }
  }
  set(arg, t);
  bool counts = a == AGG_COUNT || a == AGG_PCT || a == AGG_ANY || a == AGG_ALL;
  if (counts && (coll != root || chg_path_len(&root->value) > 1)) {
    /* `count(milestone.go_live)`: a field there would be passed over */
    chg_error(ctx, CHG_E_BAD_CALL, coll->span,
              "`%s` counts blocks, not the values of a field: write the condition after "
              "`where`, as in `%s(%s where ...)`", e->fn, e->fn, k->name);
    return set(e, CHG_T_ERROR);
  }
  if (!filter && (a == AGG_PCT || a == AGG_ALL))
    /* `pct(recommendation)`: a share of all of them in all of them */
    chg_warning(ctx, CHG_E_BAD_CALL, e->span,
                "`%s` without `where` is %s: write the condition after `where`, "
                "as in `%s(%s where ...)`", e->fn,
                a == AGG_PCT ? "100% whenever there is one" : "always true", e->fn, k->name);
  switch (a) {
  case AGG_COUNT:
    return set(e, CHG_T_NUMBER);
  case AGG_PCT:
    return set(e, CHG_T_PERCENT);
  case AGG_ANY:
  case AGG_ALL:
    return set(e, CHG_T_BOOL);
  default:
    break;
  }
  if (t == CHG_T_ERROR) return set(e, CHG_T_ERROR);
  chg_tkind elem = t == CHG_T_SERIES ? (chg_tkind)coll->elem : t;
  if (!numeric(elem) && elem != CHG_T_MONEY &&
      !(elem == CHG_T_DATE && (a == AGG_MIN || a == AGG_MAX))) {
    chg_error(ctx, CHG_E_BAD_CALL, coll->span,
              a == AGG_MIN || a == AGG_MAX ? "`%s` takes numbers, money or dates, not %s"
              : a == AGG_AVG               ? "`%s` averages numbers or money, not %s"
                                           : "`%s` adds up numbers or money, not %s",
              e->fn, chg_type_name(t));
    return set(e, CHG_T_ERROR);
  }
  if (t == CHG_T_SERIES && a == AGG_SUM && coll->op == CHG_X_NAME && coll->nsteps &&
      coll->steps[coll->nsteps - 1].kind == CHG_STEP_FIELD &&
      coll->steps[coll->nsteps - 1].field == CHG_F_POSTS) {
    /* posts are a level each year reaches, not a change made each year */
    char path[128];
    chg_value_format(&coll->value, path, sizeof path);
    chg_warning(ctx, CHG_E_BAD_CALL, coll->span,
                "`%s` is where the posts stand each year, not a change made each year: "
                "adding up its years counts the same posts again; pick a year, as in "
                "`sum(%s[2013/14])`", path, path);
  }
  return set(e, elem);
}

/* ---- the walk ---------------------------------------------------------------- */

static chg_tkind check(chg_ctx *ctx, chg_expr *e, int kind) {
  switch (e->op) {
  case CHG_X_LIT:
    switch (e->value.kind) {
    case CHG_V_NUMBER: return set(e, CHG_T_NUMBER);
    case CHG_V_MONEY: return set(e, CHG_T_MONEY);
    case CHG_V_PERCENT: return set(e, CHG_T_PERCENT);
    case CHG_V_DATE: return set(e, CHG_T_DATE);
    case CHG_V_MONTH: return set(e, CHG_T_MONTH);
    case CHG_V_QUARTER: return set(e, CHG_T_QUARTER);
    case CHG_V_FY: return set(e, CHG_T_FY);
    case CHG_V_STRING: return set(e, CHG_T_STRING);
    case CHG_V_BOOL: return set(e, CHG_T_BOOL);
    default: return set(e, CHG_T_ERROR); /* a bad literal, reported already */
    }
  case CHG_X_NAME:
    if (e->nsteps) return (chg_tkind)e->type; /* an aggregate read it */
    return resolve_name(ctx, e, kind, 0);
  case CHG_X_NEG: {
    chg_tkind t = check(ctx, e->a, kind);
    if (t == CHG_T_WORD) t = bind_word(ctx, e->a, CHG_T_NUMBER, NULL, kind, NULL);
    if (t == CHG_T_ERROR) return set(e, t);
    if (!numeric(t) && t != CHG_T_MONEY) {
      chg_error(ctx, CHG_E_TYPE_MISMATCH, e->span, "cannot negate %s",
                chg_type_name(t));
      return set(e, CHG_T_ERROR);
    }
    return set(e, t);
  }
  case CHG_X_NOT: {
    chg_tkind t = check(ctx, e->a, kind);
    if (t == CHG_T_WORD) {
      unbound_word(ctx, e->a, kind);
      return set(e, CHG_T_ERROR);
    }
    if (t != CHG_T_BOOL && t != CHG_T_ERROR) {
      chg_error(ctx, CHG_E_TYPE_MISMATCH, e->a->span,
                "`not` needs true or false, not %s", chg_type_name(t));
      return set(e, CHG_T_ERROR);
    }
    return set(e, t);
  }
  case CHG_X_AND:
  case CHG_X_OR: {
    chg_tkind a = check(ctx, e->a, kind), b = check(ctx, e->b, kind);
    bool bad = false;
    chg_expr *sides[2] = {e->a, e->b};
    chg_tkind types[2] = {a, b};
    for (int i = 0; i < 2; i++) {
      if (types[i] == CHG_T_WORD) {
        unbound_word(ctx, sides[i], kind);
        bad = true;
      } else if (types[i] == CHG_T_ERROR) {
        bad = true;
      } else if (types[i] != CHG_T_BOOL) {
        chg_error(ctx, CHG_E_TYPE_MISMATCH, sides[i]->span,
                  "`%s` needs true or false on each side, not %s",
                  e->op == CHG_X_AND ? "and" : "or", chg_type_name(types[i]));
        bad = true;
      }
    }
    return set(e, bad ? CHG_T_ERROR : CHG_T_BOOL);
  }
  case CHG_X_EQ:
  case CHG_X_NE:
  case CHG_X_LT:
  case CHG_X_LE:
  case CHG_X_GT:
  case CHG_X_GE:
    return check_compare(ctx, e, kind);
  case CHG_X_IN:
    return check_in(ctx, e, kind);
  case CHG_X_ADD:
  case CHG_X_SUB:
  case CHG_X_MUL:
  case CHG_X_DIV:
    return check_arith(ctx, e, kind);
  case CHG_X_LIST:
    chg_error(ctx, CHG_E_TYPE_MISMATCH, e->span,
              "a list can only follow `in`, as in `theme in [governance, people]`");
    return set(e, CHG_T_ERROR);
  case CHG_X_CALL:
    return check_call(ctx, e, kind);
  case CHG_X_INDEX: {
    chg_tkind a = check(ctx, e->a, kind), b = check(ctx, e->b, kind);
    if (a == CHG_T_ERROR || b == CHG_T_ERROR) return set(e, CHG_T_ERROR);
    if (e->a->op == CHG_X_NAME && (a == CHG_T_WORD || a == CHG_T_SYMBOL)) {
      /* `mony[2022/23]`: a name read as a word is a field misspelt */
      unbound_word(ctx, e->a, kind);
      return set(e, CHG_T_ERROR);
    }
    if (a != CHG_T_SERIES) {
      chg_error(ctx, CHG_E_TYPE_MISMATCH, e->span,
                "only a series can be indexed by a period, not %s",
                chg_type_name(a));
      return set(e, CHG_T_ERROR);
    }
    char hint[160];
    if (e->b->op == CHG_X_NAME && chg_path_len(&e->b->value) == 1 &&
        chg_fy_short_hint(chg_path_name(&e->b->value, 0), hint, sizeof hint)) {
      chg_error(ctx, CHG_E_BAD_FY, e->b->span, "%s", hint); /* `money[FY23]` */
      return set(e, CHG_T_ERROR);
    }
    if (b != CHG_T_FY && b != CHG_T_MONTH && b != CHG_T_QUARTER &&
        b != CHG_T_DATE) {
      chg_error(ctx, CHG_E_TYPE_MISMATCH, e->b->span,
                "a series is indexed by a financial year, quarter, month or "
                "date, not %s", chg_type_name(b));
      return set(e, CHG_T_ERROR);
    }
    index_never_written(ctx, e);
    e->scale = e->a->scale;
    return set(e, (chg_tkind)e->a->elem);
  }
  case CHG_X_WHERE:
    chg_error(ctx, CHG_E_BAD_CALL, e->span,
              "`where` filters the argument of count, pct, sum, min, max, avg, "
              "any or all");
    return set(e, CHG_T_ERROR);
  }
  return set(e, CHG_T_ERROR);
}

chg_tkind chg_check_expr(chg_ctx *ctx, chg_expr *e, int kind) {
  chg_tkind t = check(ctx, e, kind);
  if (t == CHG_T_WORD) {
    unbound_word(ctx, e, kind);
    return CHG_T_ERROR;
  }
  return t;
}
