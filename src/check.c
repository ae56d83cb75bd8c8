/*
 * check.c -- after parsing: the schema of each block, the symbol tables,
 * references, levels, dependency cycles, then the expressions.
 */
#include "check.h"

#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "format.h"
#include "value.h"

/* ---- describing things in messages ---------------------------------- */

static const char *value_kind_name(const chg_value *v) {
  switch (v->kind) {
  case CHG_V_NAME: return chg_path_len(v) > 1 ? "a reference" : "a name";
  case CHG_V_STRING: return "a string";
  case CHG_V_NUMBER: return "a number";
  case CHG_V_MONEY: return "an amount of money";
  case CHG_V_PERCENT: return "a percentage";
  case CHG_V_DATE: return "a date";
  case CHG_V_MONTH: return "a month";
  case CHG_V_QUARTER: return "a quarter";
  case CHG_V_FY: return "a financial year";
  case CHG_V_RANGE: return "a range";
  case CHG_V_LIST: return "a list";
  case CHG_V_BOOL: return "true or false";
  case CHG_V_REF: return "a reference";
  case CHG_V_LEVEL: return "a level";
  case CHG_V_KIND: return "a kind of block";
  case CHG_V_NONE: break;
  }
  return "nothing";
}

/* "; did you mean `cashable`?" for `cash`: the one word that begins so,
 * which a spelling distance finds too far */
static const char *word_begun(chg_ctx *ctx, const char *words, const char *begun) {
  size_t n = strlen(begun), len = 0;
  const char *found = NULL;
  if (n < 3) return "";
  for (const char *s = words; *s;) {
    const char *bar = strchr(s, '|');
    size_t k = bar ? (size_t)(bar - s) : strlen(s);
    if (k > n && strncmp(s, begun, n) == 0) {
      if (found) return ""; /* two begin so: neither is meant more */
      found = s;
      len = k;
    }
    s += k + (bar ? 1 : 0);
  }
  return found ? chg_arena_printf(&ctx->arena, "; did you mean `%.*s`?", (int)len, found) : "";
}

static const char *param_type_name(const chg_param *p) {
  switch (p->type) {
  case CHG_P_STRING: return "a string";
  case CHG_P_DATE: return "a date (YYYY-MM-DD)";
  case CHG_P_MONTH_NAME: return "a month name (january .. december)";
  case CHG_P_NAME: return "a name";
  case CHG_P_LEVEL: return "a level";
  case CHG_P_NUMBER: return "a number";
  case CHG_P_ORDINAL: return "a whole number from 1";
  case CHG_P_MONEY: return "an amount of money (£8.2m)";
  case CHG_P_PERCENT: return "a percentage";
  case CHG_P_BOOL: return "true or false";
  case CHG_P_REF: return "a reference";
  case CHG_P_REF_LIST: return "a list of references ([a, b.c])";
  case CHG_P_NAME_LIST: return "a list of names ([a, b])";
  case CHG_P_PERIOD: return "a month, quarter, financial year, date or range (2022-09..2022-12)";
  case CHG_P_QUANTITY: return "a number, percentage or amount of money";
  case CHG_P_SCORE: return "a score from 1 to 5 or a level";
  case CHG_P_LOAD: return "a number or a level";
  case CHG_P_KIND: return "a kind of block";
  case CHG_P_WORD: return "one of the words";
  }
  return "a value";
}

/* "programme `drm`"; a block without an id by its path, "risk
 * `drm.risk#1`", unless it stands alone at the top level ("claim") */
static const char *block_label(chg_ctx *ctx, const chg_node *b) {
  const char *id = chg_block_id(b);
  if (id) return chg_arena_printf(&ctx->arena, "%s `%s`", b->key, id);
  if (!b->parent && !b->unnamed_position) return b->key;
  return chg_arena_printf(&ctx->arena, "%s `%s`", b->key, chg_path_of(ctx, b));
}

/* ---- "did you mean" ------------------------------------------------------ */

void chg_suggest_init(chg_suggester *s, const char *want) {
  s->want = want;
  s->best = NULL;
  size_t n = strlen(want);
  s->best_distance = n <= 3 ? 1 : n <= 6 ? 2 : 3;
}

void chg_suggest_offer(chg_suggester *s, const char *candidate) {
  if (!candidate || strcmp(candidate, s->want) == 0) return;
  /* `std.RAG`, `unit bcu`: a name differing only in case is the nearest */
  unsigned d = strcasecmp(s->want, candidate) == 0
                   ? 0
                   : chg_edit_distance(s->want, candidate, s->best_distance);
  if (d <= s->best_distance && (!s->best || d < s->best_distance ||
                                strcmp(candidate, s->best) < 0)) {
    s->best = candidate;
    s->best_distance = d;
  }
}

const char *chg_nearest_name(const char *want, const char *const *names) {
  chg_suggester s;
  chg_suggest_init(&s, want);
  for (; *names; names++) chg_suggest_offer(&s, *names);
  return s.best;
}

const char *chg_suggest_text(chg_ctx *ctx, const chg_suggester *s) {
  return s->best ? chg_arena_printf(&ctx->arena, "; did you mean `%s`?", s->best)
                 : "";
}

/* ---- scales ---------------------------------------------------------------- */

const char *chg_level_choices(chg_ctx *ctx, const chg_scale *s, const char *wrong) {
  chg_suggester sg;
  chg_suggest_init(&sg, wrong);
  for (uint32_t j = 0; j < s->nlevels; j++) chg_suggest_offer(&sg, s->levels[j]);
  chg_buf list = {0};
  for (uint32_t j = 0; j < s->nlevels && j < 8; j++) {
    if (j) chg_buf_put(&ctx->al, &list, ", ", 2);
    chg_buf_put(&ctx->al, &list, s->levels[j], strlen(s->levels[j]));
  }
  const char *out = chg_arena_printf(&ctx->arena, "(%s)%s",
                                     list.data ? list.data : "it has no levels",
                                     chg_suggest_text(ctx, &sg));
  chg_buf_release(&ctx->al, &list);
  return out;
}

const chg_scale *chg_scale_find(chg_ctx *ctx, const char *name) {
  return chg_map_get(&ctx->scales, NULL, chg_intern_cstr(&ctx->names, name));
}

int chg_scale_level(const chg_ctx *ctx, const chg_scale *s, const char *level) {
  void *v = chg_map_get(&ctx->symbols, s, level);
  return v ? (int)((uintptr_t)v - 1) : -1;
}

/* A scale is listed from worst to best, and everything that rolls up
 * takes the first level as the worst.  Written the other way round, with
 * the words that say which end is which (`green` before `red`), every
 * roll-up would call the portfolio green for its one red criterion. */
static void warn_if_best_first(chg_ctx *ctx, const chg_scale *s) {
  static const char *const worst_to_best[][2] = {
      {"red", "green"}, {"almost_certain", "rare"}, {"severe", "minimal"}, {"open", "closed"}};
  chg_file *f = chg_ctx_file(ctx, s->node->span.file);
  if (f && f->is_module) return;
  for (size_t w = 0; w < sizeof worst_to_best / sizeof worst_to_best[0]; w++) {
    uint32_t worst = UINT32_MAX, best = UINT32_MAX;
    for (uint32_t i = 0; i < s->nlevels; i++) {
      if (strcmp(s->levels[i], worst_to_best[w][0]) == 0) worst = i;
      if (strcmp(s->levels[i], worst_to_best[w][1]) == 0) best = i;
    }
    if (worst == UINT32_MAX || best == UINT32_MAX || best > worst) continue;
    chg_warning(ctx, CHG_E_SCALE_BEST_FIRST, s->spans[best],
                "scale `%s` lists `%s` before `%s`, but a scale is listed from worst to best: "
                "`%s` would be read as the worse, and roll up as it; list `%s` first",
                s->name, s->levels[best], s->levels[worst], s->levels[best], s->levels[worst]);
    return;
  }
}

/* Whether the line holding `span` ends, after it, in its only `"`, which
 * the scanner found closing nothing (`owner Jane Smith"`, `rationale
 * Review the estate; then act"`): the words were a string that lost its
 * opening quote, said there, not again here. */
static bool ends_in_lost_quote(chg_ctx *ctx, chg_span span) {
  chg_file *f = chg_ctx_file(ctx, span.file);
  if (!f || !f->ndamage || f->not_text) return false;
  chg_file_index_lines(ctx, f);
  size_t line = chg_lines_find(&f->lines, span.start);
  uint32_t end = line + 1 < f->lines.count ? chg_lines_start(&f->lines, line + 1) - 1 : (uint32_t)f->len;
  if (end <= span.start || end - span.start > 4096) return false;
  const char *t = chg_file_bytes(ctx, f, span.start, end);
  size_t n = end - span.start, quote = n;
  for (size_t i = 0; i < n; i++) {
    if (t[i] != '"') continue;
    if (quote != n) return false; /* a second: a string of its own */
    quote = i;
  }
  if (quote == n) return false;
  for (size_t i = quote + 1; i < n; i++)
    if (t[i] != ' ' && t[i] != '\t' && t[i] != '\r' && t[i] != '{' && t[i] != '}' && t[i] != ';')
      return false;
  uint32_t at = span.start + (uint32_t)quote;
  return chg_damaged_within(ctx, (chg_span){span.file, at, at});
}

/* An empty block closed where a syntax error was found, on the line its
 * span ends at: a head written twice (`scale rag {` on two lines), whose
 * first copy holds nothing because the second took what was meant for
 * it.  One that holds items lacks what it lacks, its `}` missing or not. */
static bool closed_by_recovery(chg_ctx *ctx, const chg_node *b) {
  return !b->items && chg_damaged(ctx, (chg_span){b->span.file, b->span.end, b->span.end});
}

/* Whose a scale is, the nearest first: the portfolio's own files, the
 * office's own modules, the standard library. */
static int scale_rank(const chg_file *f) {
  return !f || !f->is_module ? 0 : f->standard ? 2 : 1;
}

static void build_scale(chg_ctx *ctx, chg_node *b) {
  chg_scale *s = CHG_NEW(&ctx->arena, chg_scale);
  s->name = chg_block_id(b);
  s->node = b;
  b->data = s;
  uint32_t n = 0;
  for (chg_node *a = b->items; a; a = a->next)
    if (a->kind == CHG_N_ATTR && a->key == ctx->n.level && a->nargs >= 1) n++;
  s->levels = CHG_NEW_ARRAY(&ctx->arena, const char *, n);
  s->labels = CHG_NEW_ARRAY(&ctx->arena, const char *, n);
  s->definitions = CHG_NEW_ARRAY(&ctx->arena, const char *, n);
  s->spans = CHG_NEW_ARRAY(&ctx->arena, chg_span, n);
  s->has_threshold = CHG_NEW_ARRAY(&ctx->arena, bool, n);
  s->thresholds = CHG_NEW_ARRAY(&ctx->arena, chg_dec, n);
  for (chg_node *a = b->items; a; a = a->next) {
    if (a->kind != CHG_N_ATTR || a->key != ctx->n.level || a->nargs < 1 ||
        chg_node_args(a)[0].kind != CHG_V_NAME || chg_path_len(&chg_node_args(a)[0]) != 1)
      continue;
    const char *name = chg_path_name(&chg_node_args(a)[0], 0);
    if (s->nlevels == CHG_MAX_LEVELS) {
      chg_error(ctx, CHG_E_TOO_MANY, chg_node_args(a)[0].span,
                "scale `%s` has more than %u levels", s->name, CHG_MAX_LEVELS);
      break;
    }
    void *prev = chg_map_put(&ctx->symbols, s, name,
                             (void *)(uintptr_t)(s->nlevels + 1));
    if (prev) {
      chg_error(ctx, CHG_E_DUPLICATE_ID, chg_node_args(a)[0].span,
                "level `%s` appears twice in scale `%s`", name, s->name);
      chg_note(ctx, s->spans[(uintptr_t)prev - 1], "first defined here");
      continue;
    }
    uint32_t i = s->nlevels++;
    s->levels[i] = name;
    s->spans[i] = chg_node_args(a)[0].span;
    /* a blank label would show a level as an empty cell, read as none */
    const chg_value *label = a->nargs > 1 ? &chg_node_args(a)[1] : NULL;
    s->labels[i] = label && label->kind == CHG_V_STRING && !chg_blank(label->u.s) ? label->u.s : NULL;
    s->definitions[i] = a->nargs > 2 && chg_node_args(a)[2].kind == CHG_V_STRING
                            ? chg_node_args(a)[2].u.s : NULL;
  }
  warn_if_best_first(ctx, s);
  chg_scale *prev = chg_map_put(&ctx->scales, NULL, s->name, s);
  if (!prev) return;
  /* The portfolio's own scale takes the place of a module's of that name
   * (the 2011 report's own RAG definitions next to `use std.rag`, or its
   * own `impact` next to std.escalation, which uses std.risk5x5), and a
   * module of the office's own (-I, CHG_PATH) the standard library's. */
  int prev_rank = scale_rank(chg_ctx_file(ctx, prev->node->span.file));
  int mine_rank = scale_rank(chg_ctx_file(ctx, b->span.file));
  if (prev_rank != mine_rank) {
    /* whichever was read first: the module's, through a `use` above an
     * `include` of the file with the portfolio's own */
    if (mine_rank < prev_rank) chg_map_set(&ctx->scales, NULL, s->name, s);
    return;
  }
  chg_error(ctx, CHG_E_DUPLICATE_ID, chg_id_span(b), "scale `%s` is defined twice", s->name);
  chg_note(ctx, chg_id_span(prev->node), "also defined here");
  /* `scale rag {` written twice: the first, closed where the second
   * began, holds nothing, and the levels are the second's */
  if (!prev->nlevels && s->nlevels && closed_by_recovery(ctx, prev->node))
    chg_map_set(&ctx->scales, NULL, s->name, s);
}

/* ---- the schema pass ------------------------------------------------------ */

static void intern_schema(chg_ctx *ctx) {
  for (int k = 0; k < CHG_K__COUNT; k++) {
    const chg_kind_spec *spec = chg_schema_kind((chg_kind_id)k);
    ctx->kind_names[k] = chg_intern_cstr(&ctx->names, spec->name);
    ctx->attr_keys[k] = CHG_NEW_ARRAY(&ctx->arena, const char *, spec->nattrs + 1);
    for (size_t i = 0; i < spec->nattrs; i++)
      ctx->attr_keys[k][i] = chg_intern_cstr(&ctx->names, spec->attrs[i].key);
  }
}

/* The schema's lookups, by interned name: these run for every node. */
static const chg_kind_spec *find_kind(chg_ctx *ctx, const char *name) {
  for (int k = 0; k < CHG_K__COUNT; k++)
    if (ctx->kind_names[k] == name) return chg_schema_kind((chg_kind_id)k);
  return NULL;
}

static const chg_attr_spec *find_attr(chg_ctx *ctx, const chg_kind_spec *k,
                                      const char *key) {
  const char **keys = ctx->attr_keys[k->id];
  for (size_t i = 0; i < k->nattrs; i++)
    if (keys[i] == key) return &k->attrs[i];
  return NULL;
}

static bool is_single_name(const chg_value *v) {
  return v->kind == CHG_V_NAME && chg_path_len(v) == 1;
}

/* Values from..to-1 that read as words of text, its quotes left out, as
 * the text they would be between quotes, and where they stand; NULL if
 * they do not.  The first is a word; after it, a number or a period may
 * stand in the text too (`Planned building exits 2010/11`), given as
 * written. */
static const char *words_as_text(chg_ctx *ctx, const chg_value *args, uint32_t from, uint32_t to,
                                 chg_span *at) {
  if (from >= to || !is_single_name(&args[from])) return NULL;
  bool words = true;
  for (uint32_t i = from + 1; i < to; i++) {
    chg_vkind k = (chg_vkind)args[i].kind;
    if (k == CHG_V_STRING || k == CHG_V_NONE || k == CHG_V_LIST || k == CHG_V_RANGE) return NULL;
    words = words && is_single_name(&args[i]);
  }
  *at = (chg_span){args[from].span.file, args[from].span.start, args[to - 1].span.end};
  chg_file *f = words ? NULL : chg_ctx_file(ctx, at->file);
  const char *written = f && at->end <= f->len ? chg_file_bytes(ctx, f, at->start, at->end) : NULL;
  if (!words && !written) return NULL;
  chg_buf text = {0};
  if (written) { /* as written, each run of spaces one */
    for (uint32_t i = 0; i < at->end - at->start; i++) {
      char c = written[i] == '\t' ? ' ' : written[i];
      if (c == ' ' && text.len && text.data[text.len - 1] == ' ') continue;
      chg_buf_putc(&ctx->al, &text, c);
    }
  } else {
    for (uint32_t i = from; i < to; i++) {
      const char *w = chg_path_name(&args[i], 0);
      if (i > from) chg_buf_putc(&ctx->al, &text, ' ');
      chg_buf_put(&ctx->al, &text, w, strlen(w));
    }
  }
  const char *joined = chg_arena_strndup(&ctx->arena, text.data, text.len);
  chg_buf_release(&ctx->al, &text);
  return joined;
}

static bool is_period_value(const chg_value *v) {
  return v->kind == CHG_V_DATE || v->kind == CHG_V_MONTH ||
         v->kind == CHG_V_QUARTER || v->kind == CHG_V_FY;
}

static bool dec_is_integer(chg_dec d) { return chg_dec_normalise(d).scale == 0; }

/* An attribute of one value is named alone in messages ("`level` takes
 * ..."); one of several names the value ("the importance in ..."). */
static bool takes_one_value(const chg_node *attr) {
  const chg_attr_spec *as = chg_node_aspec(attr);
  return as && as->nparams == 1;
}

/* The level a string spells, in any case (`"Green"`): of p's scale when it
 * is known by now, else of the standard RAG and DCA scales, since a
 * module's scales may be read after the blocks that use them. */
static const char *level_written(chg_ctx *ctx, const chg_param *p, const char *text) {
  const chg_scale *sc = p->scale ? chg_scale_find(ctx, p->scale) : NULL;
  for (uint32_t i = 0; sc && i < sc->nlevels; i++)
    if (strcasecmp(sc->levels[i], text) == 0 ||
        (sc->labels[i] && strcasecmp(sc->labels[i], text) == 0))
      return sc->levels[i];
  static const char *const standard[] = {"red", "amber_red", "amber", "amber_green", "green"};
  for (size_t i = 0; !sc && i < sizeof standard / sizeof *standard; i++)
    if (strcasecmp(standard[i], text) == 0) return standard[i];
  return NULL;
}

/* `drm`, `drm.cre`: what a reference may be */
/* Whether s is a name as an id is written: a letter or `_`, then letters,
 * digits and `_`. */
static bool is_identifier(const char *s) {
  if (!isalpha((unsigned char)*s) && *s != '_') return false;
  for (; *s; s++)
    if (!isalnum((unsigned char)*s) && *s != '_') return false;
  return true;
}

static bool is_dotted_name(const char *s) {
  for (;; s++) {
    if (!(isalpha((unsigned char)*s) || *s == '_')) return false;
    while (isalnum((unsigned char)s[1]) || s[1] == '_') s++;
    if (s[1] == '\0') return true;
    if (*++s != '.') return false;
  }
}

/* `2011-06-13`, a day the calendar has */
static bool is_date_text(const char *s) {
  if (strlen(s) != 10 || s[4] != '-' || s[7] != '-') return false;
  for (int i = 0; i < 10; i++)
    if (i != 4 && i != 7 && !isdigit((unsigned char)s[i])) return false;
  return chg_date_valid(atoi(s), (unsigned)atoi(s + 5), (unsigned)atoi(s + 8));
}

/* What a quoted value would be written as without its quotes, when that is
 * what the attribute takes: a name, a reference, a level (in any case, its
 * words apart as a board paper prints them: "Amber/Red"), a date, true or
 * false; NULL when the quotes are not all that is wrong. */
static const char *quoted_as_meant(chg_ctx *ctx, const chg_param *p, const char *text) {
  switch (p->type) {
  case CHG_P_REF:
    return is_dotted_name(text) ? text : NULL;
  case CHG_P_NAME:
  case CHG_P_KIND:
    return is_dotted_name(text) && !strchr(text, '.') ? text : NULL;
  case CHG_P_LEVEL:
  case CHG_P_SCORE:
  case CHG_P_LOAD: {
    char *joined = chg_arena_strndup(&ctx->arena, text, strlen(text));
    for (char *c = joined; *c; c++)
      if (*c == ' ' || *c == '/' || *c == '-') *c = '_';
    const char *level = level_written(ctx, p, text);
    return level ? level : level_written(ctx, p, joined);
  }
  case CHG_P_DATE:
    return is_date_text(text) ? text : NULL;
  case CHG_P_BOOL:
    return strcmp(text, "true") == 0 || strcmp(text, "false") == 0 ? text : NULL;
  default:
    return NULL;
  }
}

/* A value as it was written (`-£8.2m`, not `-£8200000`), for an example
 * that puts it right. */
static void value_as_written(chg_ctx *ctx, const chg_value *v, char *buf, size_t size) {
  chg_file *f = chg_ctx_file(ctx, v->span.file);
  size_t n = v->span.end - v->span.start;
  const char *text = f && n < size ? chg_file_bytes(ctx, f, v->span.start, v->span.end) : NULL;
  if (!text || memchr(text, '\n', n)) {
    chg_value_format(v, buf, size);
    return;
  }
  memcpy(buf, text, n);
  buf[n] = '\0';
}

/* "risk, milestone or benefit" (`quoted`: "`risk`, `milestone` or `benefit`") */
static const char *kinds_listed(chg_ctx *ctx, uint32_t kinds, bool quoted) {
  chg_buf b = {0};
  int total = 0, n = 0;
  for (int i = 0; i < CHG_K__COUNT; i++)
    if (kinds & CHG_KM(i)) total++;
  for (int i = 0; i < CHG_K__COUNT; i++) {
    if (!(kinds & CHG_KM(i))) continue;
    const char *sep = n == 0 ? "" : n == total - 1 ? " or " : ", ";
    chg_buf_put(&ctx->al, &b, sep, strlen(sep));
    const char *name = chg_schema_kind(i)->name;
    if (quoted) chg_buf_putc(&ctx->al, &b, '`');
    chg_buf_put(&ctx->al, &b, name, strlen(name));
    if (quoted) chg_buf_putc(&ctx->al, &b, '`');
    n++;
  }
  const char *out = chg_arena_strndup(&ctx->arena, b.data ? b.data : "", b.len);
  chg_buf_release(&ctx->al, &b);
  return out;
}

/* The id of the top-level block of one of `kinds` titled `title`, in
 * any file, or NULL: asked only of a mistake, so every file is read. */
static const char *id_titled(chg_ctx *ctx, uint32_t kinds, const char *title) {
  for (size_t f = 1; f < ctx->nfiles; f++)
    for (const chg_node *n = ctx->files[f]->items; n; n = n->next) {
      const chg_kind_spec *k = n->kind == CHG_N_BLOCK && n->key ? chg_schema_find_kind(n->key) : NULL;
      if (!k || !(kinds & CHG_KM(k->id)) || n->nargs < 2 || chg_node_args(n)[0].kind != CHG_V_NAME ||
          chg_node_args(n)[1].kind != CHG_V_STRING || strcmp(chg_node_args(n)[1].u.s, title) != 0)
        continue;
      return chg_path_last(&chg_node_args(n)[0]);
    }
  return NULL;
}

static void bad_value(chg_ctx *ctx, const chg_node *attr, const chg_param *p,
                      const chg_value *v) {
  const chg_value *args = chg_node_args(attr);
  /* `status overall "green" "on track"`: the level quoted like the rationale */
  const char *quoted = v->kind == CHG_V_STRING && strcmp(attr->key, "status") == 0 &&
                               !takes_one_value(attr) && v == &args[1]
                           ? level_written(ctx, p, v->u.s) : NULL;
  if (quoted) {
    chg_error(ctx, CHG_E_BAD_VALUE, v->span,
              "the level of a `status` is a name, not a string: write it without quotes, "
              "as in `status %s %s \"rationale\"`",
              args[0].kind == CHG_V_NAME ? chg_path_last(&args[0]) : "overall", quoted);
    return;
  }
  /* `status amber "late"`: the level was read as the criterion */
  if (strcmp(attr->key, "status") == 0 && !takes_one_value(attr) && attr->nargs >= 2 &&
      v == &args[1] && v->kind == CHG_V_STRING && args[0].kind == CHG_V_NAME &&
      chg_path_len(&args[0]) == 1) {
    const char *level = chg_path_name(&args[0], 0);
    const char *as_level = level_written(ctx, p, level);
    if (as_level)
      chg_error(ctx, CHG_E_BAD_VALUE, args[0].span,
                "a `status` line names its criterion before the level: `status CRITERION LEVEL "
                "\"rationale\"`, as in `status overall %s`", as_level);
    else /* `status overall "On track"`: the criterion, and no level after it */
      chg_error(ctx, CHG_E_BAD_VALUE, v->span,
                "`status %s` has no level before its rationale: `status CRITERION LEVEL "
                "\"rationale\"`, as in `status %s green \"...\"`", level, level);
    return;
  }
  /* `period FY23`: a name to the scanner, which reads `FY23` short for a
   * financial year only as a series' key */
  char hint[160];
  if ((p->type == CHG_P_PERIOD || p->type == CHG_P_DATE) &&
      v->kind == CHG_V_NAME && chg_path_len(v) == 1 &&
      chg_fy_short_hint(chg_path_name(v, 0), hint, sizeof hint)) {
    chg_error(ctx, CHG_E_BAD_FY, v->span, "%s", hint);
    return;
  }
  /* `unit "DoR"`, `as_of "2011-06-13"`: quoted, as a spreadsheet's cell may
   * be.  Curly quotes there were said by the scanner, with the name meant. */
  const char *unquoted = v->kind == CHG_V_STRING ? quoted_as_meant(ctx, p, v->u.s) : NULL;
  if (unquoted && chg_damaged(ctx, v->span)) return;
  const char *meant = NULL;
  const char *titled = !unquoted && p->type == CHG_P_REF && v->kind == CHG_V_STRING
                           ? id_titled(ctx, p->kinds, v->u.s) : NULL;
  if (unquoted) {
    meant = chg_arena_printf(&ctx->arena, "; write it without quotes, as in `%s %s`", attr->key,
                             unquoted);
  } else if (titled) {
    /* `unit "Directorate of Resources"`: the title where the id goes */
    meant = chg_arena_printf(&ctx->arena, "; a block is named by its id, not its title: "
                             "write `%s %s`", attr->key, titled);
  } else if (p->type == CHG_P_BOOL && v->kind == CHG_V_NAME && chg_path_len(v) == 1) {
    const char *w = chg_path_name(v, 0);
    meant = !strcasecmp(w, "true") || !strcasecmp(w, "yes") ? "true"
            : !strcasecmp(w, "false") || !strcasecmp(w, "no") ? "false" : NULL;
    if (meant) meant = chg_arena_printf(&ctx->arena, "; write `%s`", meant);
  } else if (p->type == CHG_P_MONEY && v->kind == CHG_V_NUMBER) {
    char written[64];
    value_as_written(ctx, v, written, sizeof written);
    meant = chg_arena_printf(&ctx->arena, "; an amount is written with `\xC2\xA3`, as in "
                             "`\xC2\xA3%s`", written);
  } else if (p->type == CHG_P_PERCENT && v->kind == CHG_V_NUMBER) {
    meant = "; a percentage is written with `%`, as in `92%` for 0.92";
  } else if (p->type == CHG_P_DATE && v->kind == CHG_V_MONTH) {
    /* `end Nov 2022`: the scanner has said how a month is written, which
     * alone would lead to this error next */
    int year = (int)(v->u.month / 12);
    unsigned month = (unsigned)(v->u.month % 12) + 1;
    unsigned day = strcmp(attr->key, "start") == 0 ? 1 : chg_days_in_month(year, month);
    meant = chg_arena_printf(&ctx->arena, ": give the day too, as in `%04d-%02u-%02u`", year,
                             month, day);
  }
  /* `rationale Grow the Met's 2021/22 uplift"`: a string that lost its
   * opening quote, said at the quote */
  if (p->type == CHG_P_STRING && ends_in_lost_quote(ctx, v->span)) return;
  /* `owner Chief-Executive`: said by the scanner, as text to quote */
  if (p->type == CHG_P_STRING && v->kind == CHG_V_NAME && chg_damaged_within(ctx, v->span)) return;
  if (takes_one_value(attr))
    chg_error(ctx, CHG_E_BAD_VALUE, v->span, "`%s` takes %s, not %s%s",
              attr->key, param_type_name(p), value_kind_name(v), meant ? meant : "");
  else
    chg_error(ctx, CHG_E_BAD_VALUE, v->span,
              "the %s in `%s` should be %s, not %s%s", p->what, attr->key,
              param_type_name(p), value_kind_name(v),
              unquoted ? "; write it without quotes" : "");
}

bool chg_word_in(const char *words, const char *w) {
  size_t n = strlen(w);
  for (const char *s = words; *s;) {
    const char *bar = strchr(s, '|');
    size_t len = bar ? (size_t)(bar - s) : strlen(s);
    if (len == n && strncmp(s, w, n) == 0) return true;
    s += len + (bar ? 1 : 0);
  }
  return false;
}

void chg_suggest_words(chg_ctx *ctx, chg_suggester *sg, const char *words) {
  for (const char *s = words; *s;) {
    const char *bar = strchr(s, '|');
    size_t len = bar ? (size_t)(bar - s) : strlen(s);
    /* a copy that outlives the loop: the suggester keeps the best */
    chg_suggest_offer(sg, chg_arena_strndup(&ctx->arena, s, len));
    s += len + (bar ? 1 : 0);
  }
}

const char *chg_words_listed(chg_ctx *ctx, const char *words, bool quoted) {
  chg_buf b = {0};
  for (const char *s = words; *s;) {
    const char *bar = strchr(s, '|');
    size_t len = bar ? (size_t)(bar - s) : strlen(s);
    if (b.len) chg_buf_put(&ctx->al, &b, bar ? ", " : " or ", bar ? 2 : 4);
    if (quoted) chg_buf_putc(&ctx->al, &b, '`');
    chg_buf_put(&ctx->al, &b, s, len);
    if (quoted) chg_buf_putc(&ctx->al, &b, '`');
    s += len + (bar ? 1 : 0);
  }
  const char *out = chg_arena_strndup(&ctx->arena, b.data ? b.data : "", b.len);
  chg_buf_release(&ctx->al, &b);
  return out;
}

static const uint32_t rule_kinds =
    CHG_KM_WORK | CHG_KM(CHG_K_MILESTONE) | CHG_KM(CHG_K_BENEFIT) |
    CHG_KM(CHG_K_SAVING) | CHG_KM(CHG_K_RISK) | CHG_KM(CHG_K_IMPACT) |
    CHG_KM(CHG_K_RECOMMENDATION) | CHG_KM(CHG_K_UNIT) |
    CHG_KM(CHG_K_PORTFOLIO);

/* An item of a list of references or names that is neither (a bad
 * literal, NONE, has had its error). */
static bool wrong_in_list(const chg_param *p, const chg_value *item) {
  if (item->kind == CHG_V_NONE) return false;
  return p->type == CHG_P_REF_LIST ? item->kind != CHG_V_NAME : !is_single_name(item);
}

static void check_param(chg_ctx *ctx, const chg_node *attr, const chg_param *p,
                        chg_value *v) {
  if (v->kind == CHG_V_NONE) return; /* a bad literal, reported already */
  switch (p->type) {
  case CHG_P_STRING:
    if (v->kind != CHG_V_STRING) bad_value(ctx, attr, p, v);
    else if (strcmp(attr->key, "flag") == 0 && chg_says_nothing(v->u.s, chg_str_len(v)))
      chg_error(ctx, CHG_E_BAD_VALUE, v->span,
                "a flag needs a message: it is all the flag says, as in `flag warning "
                "\"Go-live has slipped\"`");
    else if (chg_says_nothing(v->u.s, chg_str_len(v)) && !chg_damaged(ctx, v->span))
      chg_warning(ctx, CHG_E_BLANK_TEXT, v->span,
                  "a blank %s, which the reports would show as nothing: write it, or leave "
                  "out `%s`", p->what, attr->key);
    return;
  case CHG_P_DATE:
    if (v->kind != CHG_V_DATE) bad_value(ctx, attr, p, v);
    return;
  case CHG_P_MONTH_NAME:
    if (!is_single_name(v)) bad_value(ctx, attr, p, v);
    else if (!chg_month_from_name(chg_path_name(v, 0))) {
      chg_suggester s;
      chg_suggest_init(&s, chg_path_name(v, 0));
      for (unsigned m = 1; m <= 12; m++) chg_suggest_offer(&s, chg_month_name(m));
      chg_error(ctx, CHG_E_BAD_VALUE, v->span,
                "`%s` is not a month: `%s` takes a month's name, january to december%s",
                chg_path_name(v, 0), attr->key, chg_suggest_text(ctx, &s));
    }
    return;
  case CHG_P_NAME:
  case CHG_P_LEVEL:
    if (!is_single_name(v)) bad_value(ctx, attr, p, v);
    return;
  case CHG_P_NUMBER:
    if (v->kind != CHG_V_NUMBER) {
      bad_value(ctx, attr, p, v);
    } else if (v->u.m < 0) {
      chg_error(ctx, CHG_E_OUT_OF_RANGE, v->span, "`%s` cannot be negative",
                attr->key);
    }
    return;
  case CHG_P_ORDINAL:
    if (v->kind != CHG_V_NUMBER) {
      bad_value(ctx, attr, p, v);
    } else if (chg_dec_cmp(chg_value_dec(v), chg_dec_from_int(1)) < 0 ||
               !dec_is_integer(chg_value_dec(v))) {
      char buf[64];
      chg_dec_format(chg_value_dec(v), buf, sizeof buf);
      chg_error(ctx, CHG_E_OUT_OF_RANGE, v->span, "`%s` is a whole number from 1, not %s",
                attr->key, buf);
    }
    return;
  case CHG_P_MONEY: /* a budget: what a piece of work may spend */
    if (v->kind != CHG_V_MONEY) bad_value(ctx, attr, p, v);
    else if (v->u.pence < 0)
      chg_error(ctx, CHG_E_OUT_OF_RANGE, v->span, "`%s` cannot be negative", attr->key);
    return;
  case CHG_P_PERCENT:
    if (v->kind != CHG_V_PERCENT) {
      bad_value(ctx, attr, p, v);
    } else if (chg_dec_cmp(chg_value_dec(v), chg_dec_from_int(0)) < 0 ||
               chg_dec_cmp(chg_value_dec(v), chg_dec_from_int(1)) > 0) {
      char buf[64];
      chg_value_format(v, buf, sizeof buf);
      chg_error(ctx, CHG_E_OUT_OF_RANGE, v->span,
                "%s of %s is out of range: it runs from 0%% to 100%%", p->what,
                buf);
    }
    return;
  case CHG_P_BOOL:
    if (v->kind != CHG_V_BOOL) bad_value(ctx, attr, p, v);
    return;
  case CHG_P_REF:
    if (v->kind != CHG_V_NAME) bad_value(ctx, attr, p, v);
    return;
  case CHG_P_REF_LIST:
  case CHG_P_NAME_LIST:
    if (v->kind != CHG_V_LIST) {
      bad_value(ctx, attr, p, v);
      return;
    }
    /* once for the list: `linked [7, 9, 10]` is one mistake made three times */
    for (uint32_t i = 0; i < chg_list_len(v); i++) {
      chg_value *item = &v->u.items[i];
      if (!wrong_in_list(p, item)) continue;
      uint32_t more = 0;
      for (uint32_t j = i + 1; j < chg_list_len(v); j++) more += wrong_in_list(p, &v->u.items[j]);
      const char *also = more ? chg_arena_printf(&ctx->arena, " (nor %s %u more in the list)",
                                                  more == 1 ? "is" : "are", more)
                              : "";
      if (p->type == CHG_P_REF_LIST && item->kind == CHG_V_NUMBER)
        chg_error(ctx, CHG_E_BAD_VALUE, item->span,
                  "`%s` lists blocks by their ids, as in `%s [c07, c09]`, not by number%s",
                  attr->key, attr->key, also);
      else
        chg_error(ctx, CHG_E_BAD_VALUE, item->span,
                  "the %s of `%s` should hold %s, not %s%s", p->what, attr->key,
                  p->type == CHG_P_REF_LIST ? "references" : "names",
                  value_kind_name(item), also);
      break;
    }
    return;
  case CHG_P_PERIOD:
    if (!is_period_value(v) && v->kind != CHG_V_RANGE)
      bad_value(ctx, attr, p, v);
    return;
  case CHG_P_QUANTITY:
    if (v->kind != CHG_V_NUMBER && v->kind != CHG_V_PERCENT &&
        v->kind != CHG_V_MONEY)
      bad_value(ctx, attr, p, v);
    return;
  case CHG_P_SCORE: /* a number's range is its scale's, known once every block is named */
    if (!is_single_name(v) && v->kind != CHG_V_NUMBER) bad_value(ctx, attr, p, v);
    return;
  case CHG_P_LOAD:
    if (is_single_name(v)) return;
    if (v->kind != CHG_V_NUMBER) bad_value(ctx, attr, p, v);
    else if (v->u.m < 0)
      chg_error(ctx, CHG_E_OUT_OF_RANGE, v->span, "`%s` cannot be negative",
                attr->key);
    return;
  case CHG_P_KIND: {
    const chg_kind_spec *k =
        is_single_name(v) ? chg_schema_find_kind(chg_path_name(v, 0)) : NULL;
    if (!is_single_name(v)) {
      bad_value(ctx, attr, p, v);
    } else if (!k || !(rule_kinds & CHG_KM(k->id))) {
      chg_suggester s;
      chg_suggest_init(&s, chg_path_name(v, 0));
      for (int i = 0; i < CHG_K__COUNT; i++)
        if (rule_kinds & CHG_KM(i)) chg_suggest_offer(&s, chg_schema_kind(i)->name);
      const char *meant = chg_suggest_text(ctx, &s);
      chg_error(ctx, CHG_E_BAD_VALUE, v->span, "a rule cannot apply to `%s`%s%s %s",
                chg_path_name(v, 0), meant, *meant ? " A rule applies to" : "; a rule applies to",
                kinds_listed(ctx, rule_kinds, true));
    } else {
      v->kind = CHG_V_KIND;
      v->u.kind = k;
    }
    return;
  }
  case CHG_P_WORD: {
    /* `type "cashable"`: the word, quoted */
    if (v->kind == CHG_V_STRING && chg_word_in(p->scale, v->u.s)) {
      if (takes_one_value(attr))
        chg_error(ctx, CHG_E_BAD_VALUE, v->span,
                  "write `%s %s`, without quotes: `%s` is one of chg's words, not text",
                  attr->key, v->u.s, v->u.s);
      else
        chg_error(ctx, CHG_E_BAD_VALUE, v->span,
                  "the %s `%s` is written without quotes: it is one of chg's words, not text",
                  p->what, v->u.s);
      return;
    }
    /* `depends_on tp_dev "reason"`: the word left out before the text */
    const chg_attr_spec *as = chg_node_aspec(attr);
    size_t at = as ? (size_t)(p - as->params) : 0;
    if (v->kind == CHG_V_STRING && as && at < as->nparams && at + 1 < as->nparams &&
        as->params[at + 1].type == CHG_P_STRING && attr->nargs == at + 1) {
      chg_error(ctx, CHG_E_BAD_VALUE, v->span,
                "`%s` has no %s: write %s before the %s", attr->key, p->what,
                chg_words_listed(ctx, p->scale, true), as->params[at + 1].what);
      return;
    }
    if (!is_single_name(v) || !chg_word_in(p->scale, chg_path_name(v, 0))) {
      /* `type cash`: the word meant, when one is close */
      const char *meant = "";
      if (is_single_name(v)) {
        chg_suggester sg;
        chg_suggest_init(&sg, chg_path_name(v, 0));
        chg_suggest_words(ctx, &sg, p->scale);
        meant = chg_suggest_text(ctx, &sg);
        if (!*meant) meant = word_begun(ctx, p->scale, chg_path_name(v, 0));
      }
      if (takes_one_value(attr))
        chg_error(ctx, CHG_E_BAD_VALUE, v->span, "`%s` should be %s%s",
                  attr->key, chg_words_listed(ctx, p->scale, true), meant);
      else
        chg_error(ctx, CHG_E_BAD_VALUE, v->span, "the %s in `%s` should be %s%s",
                  p->what, attr->key, chg_words_listed(ctx, p->scale, true), meant);
    }
    return;
  }
  }
}

/* A series key by its kind and ordinal (a date's day, a month's month and
 * so on: each an int32 in the same place of the value), with where it
 * stands: sorted, the keys given twice lie side by side, the first given
 * leading. */
typedef struct series_key {
  int32_t kind, ordinal;
  uint32_t at;
} series_key;

static int by_key_then_place(const void *pa, const void *pb) {
  const series_key *a = pa, *b = pb;
  if (a->kind != b->kind) return a->kind < b->kind ? -1 : 1;
  if (a->ordinal != b->ordinal) return a->ordinal < b->ordinal ? -1 : 1;
  return a->at < b->at ? -1 : a->at > b->at;
}

enum { SERIES_LOOKED_THROUGH = 32 };

/* For each pair of a series, the place of the pair that first gave its key,
 * or UINT32_MAX where none did before it, in `few` when the series is
 * short.  A series of a few years is looked through; one of thousands of
 * dates is sorted, since comparing every pair of 200,000 keys took
 * seconds. */
static uint32_t *find_repeated_keys(chg_ctx *ctx, const chg_node *attr,
                                    uint32_t few[SERIES_LOOKED_THROUGH]) {
  uint32_t n = attr->nseries;
  const chg_pair *pairs = chg_node_series(attr);
  uint32_t *first = n <= SERIES_LOOKED_THROUGH ? few : chg_mem_alloc(&ctx->al, n * sizeof *first);
  for (uint32_t i = 0; i < n; i++) first[i] = UINT32_MAX;
  if (n <= SERIES_LOOKED_THROUGH) {
    for (uint32_t i = 0; i < n; i++) {
      if (!is_period_value(&pairs[i].key)) continue;
      for (uint32_t j = 0; j < i; j++)
        if (pairs[j].key.kind == pairs[i].key.kind &&
            pairs[j].key.u.day == pairs[i].key.u.day) {
          first[i] = j;
          break;
        }
    }
    return first;
  }
  series_key *keys = chg_mem_alloc(&ctx->al, n * sizeof *keys);
  uint32_t nkeys = 0;
  for (uint32_t i = 0; i < n; i++)
    if (is_period_value(&pairs[i].key))
      keys[nkeys++] = (series_key){(int32_t)pairs[i].key.kind, pairs[i].key.u.day, i};
  qsort(keys, nkeys, sizeof *keys, by_key_then_place);
  for (uint32_t k = 1; k < nkeys; k++) {
    uint32_t lead = k - 1;
    while (k < nkeys && keys[k].kind == keys[lead].kind && keys[k].ordinal == keys[lead].ordinal)
      first[keys[k++].at] = keys[lead].at;
  }
  chg_mem_free(&ctx->al, keys, n * sizeof *keys);
  return first;
}

/* `money 2011/12: -£8.2m, 2012/13: -£10.6`: an amount in pounds among
 * amounts in millions, ten thousand times smaller than the largest, most
 * likely lost its `m`.  Valid, so a warning, once for the series. */
static void unit_left_off(chg_ctx *ctx, const chg_node *attr) {
  int64_t largest = 0;
  for (uint32_t i = 0; i < attr->nseries; i++) {
    const chg_value *v = &chg_node_series(attr)[i].value;
    int64_t m = v->kind == CHG_V_MONEY ? (v->u.pence < 0 ? -v->u.pence : v->u.pence) : 0;
    if (m > largest) largest = m;
  }
  if (largest < 100000000) return; /* £1m */
  chg_file *f = chg_ctx_file(ctx, attr->span.file);
  for (uint32_t i = 0; f && i < attr->nseries; i++) {
    const chg_value *v = &chg_node_series(attr)[i].value;
    int64_t m = v->kind == CHG_V_MONEY ? (v->u.pence < 0 ? -v->u.pence : v->u.pence) : 0;
    if (!m || m > largest / 10000 || chg_damaged_at(ctx, v->span) || v->span.end > f->len) continue;
    const char *text = chg_file_bytes(ctx, f, v->span.start, v->span.end);
    size_t n = v->span.end - v->span.start;
    if (!text || !n || text[n - 1] < '0' || text[n - 1] > '9') continue; /* it has its unit */
    chg_warning(ctx, CHG_E_BAD_VALUE, v->span,
                "`%.*s` is an amount in pounds, among amounts in millions in `%s`: did you "
                "mean `%.*sm`?", (int)n, text, attr->key, (int)n, text);
    return;
  }
}

/* `money 2011-12: -£8.2m, 2012/13: ...`: a month among financial years
 * whose month is the year after its year, `2011-12` for `2011/12`, reads
 * as December 2011.  Valid, so a warning, once for the series. */
static void month_for_a_year(chg_ctx *ctx, const chg_node *attr) {
  bool years = false;
  for (uint32_t i = 0; i < attr->nseries && !years; i++)
    years = chg_node_series(attr)[i].key.kind == CHG_V_FY;
  for (uint32_t i = 0; years && i < attr->nseries; i++) {
    const chg_value *k = &chg_node_series(attr)[i].key;
    if (k->kind != CHG_V_MONTH) continue;
    int32_t year = k->u.month / 12, month = k->u.month % 12 + 1;
    if (month != (year + 1) % 100 || month == 0) continue;
    char name[16];
    snprintf(name, sizeof name, "%s", chg_month_name((unsigned)month));
    name[0] = (char)toupper((unsigned char)name[0]);
    chg_warning(ctx, CHG_E_BAD_SERIES, k->span,
                "`%04d-%02d` is the month %s %d, among financial years: the financial year "
                "%d/%02d is written `%d/%02d`", (int)year, (int)month, name, (int)year,
                (int)year, (int)month, (int)year, (int)month);
    return;
  }
}

static void check_series(chg_ctx *ctx, const chg_node *attr,
                         const chg_attr_spec *as) {
  if (!attr->nseries) {
    /* a series cut short (`money 2011/`) was reported where it was cut */
    if ((as->flags & CHG_A_SERIES_ONLY || as->series != CHG_S_NONE) && !chg_damaged(ctx, attr->span)) {
      /* the example carries the values before the series (posts' category);
       * a value past them (`posts officers -308`) lacks only its period */
      char value[64] = "", before[64] = "";
      if (attr->nargs > as->nparams) {
        value_as_written(ctx, &chg_node_args(attr)[as->nparams], value, sizeof value);
        for (uint32_t k = 0; k < as->nparams; k++) {
          size_t used = strlen(before);
          if (used + 2 >= sizeof before) break;
          before[used] = ' ';
          value_as_written(ctx, &chg_node_args(attr)[k], before + used + 1, sizeof before - used - 1);
        }
        const chg_value *first = &chg_node_args(attr)[as->nparams];
        char next[64] = "";
        if (attr->nargs > (uint32_t)as->nparams + 1)
          value_as_written(ctx, &chg_node_args(attr)[as->nparams + 1], next, sizeof next);
        if (is_period_value(first) && *next)
          /* `money 2011/12 -£1m`: the period is there, its `:` is not */
          chg_error(ctx, CHG_E_BAD_SERIES, first->span,
                    "a `:` goes between a period and its value: `%s%s %s: %s`", attr->key,
                    before, value, next);
        else if (is_period_value(first))
          chg_error(ctx, CHG_E_BAD_SERIES, first->span,
                    "`%s` needs a value for the period `%s`, as in `%s%s %s: %s`", attr->key,
                    value, attr->key, before, value, as->series == CHG_S_MONEY ? "-£8.2m" : "-308");
        else
          chg_error(ctx, CHG_E_BAD_SERIES, first->span,
                    "`%s` needs a series of values by period: give `%s` its period, as in "
                    "`%s%s 2011/12: %s`", attr->key, value, attr->key, before, value);
      } else {
        chg_error(ctx, CHG_E_BAD_SERIES, attr->span,
                  "`%s` needs a series of values by period, as in `%s%s 2011/12: %s`",
                  attr->key, attr->key,
                  as->nparams && as->params[0].type == CHG_P_NAME ? " officers" : "",
                  as->series == CHG_S_MONEY ? "-£8.2m" : "-308");
      }
    }
    return;
  }
  if (as->series == CHG_S_NONE) {
    chg_error(ctx, CHG_E_BAD_SERIES, chg_node_series(attr)[0].key.span,
              "`%s` does not take a series of values by period", attr->key);
    return;
  }
  uint32_t few[SERIES_LOOKED_THROUGH];
  uint32_t *first_given = find_repeated_keys(ctx, attr, few);
  bool years_said = false; /* `2011: -£8.2m, 2012: ...`: one mistake, said once */
  for (uint32_t i = 0; i < attr->nseries; i++) {
    chg_pair *pr = &chg_node_series(attr)[i];
    if (pr->key.kind == CHG_V_NONE) {
      /* a bad literal, reported already */
    } else if (pr->key.kind == CHG_V_RANGE) {
      /* `2011/12 - 2012/13:` was said to be a range written otherwise */
      if (!chg_damaged(ctx, pr->key.span))
        chg_error(ctx, CHG_E_BAD_SERIES, pr->key.span,
                  "a series key is one period, not a range: give each its own value, "
                  "as in `2011/12: -£8.2m, 2012/13: -£10.6m`");
    } else if (pr->key.kind == CHG_V_NUMBER && pr->key.aux == 0 && pr->key.u.m >= 1900 &&
               pr->key.u.m < 2200) {
      /* a year alone: the financial year it starts is most likely meant */
      if (!years_said)
        chg_error(ctx, CHG_E_BAD_SERIES, pr->key.span,
                  "a series key is a financial year, quarter, month or date, not a number: "
                  "the financial year that starts in %lld is written `%lld/%02lld`%s",
                  (long long)pr->key.u.m, (long long)pr->key.u.m,
                  (long long)((pr->key.u.m + 1) % 100),
                  i + 1 < attr->nseries ? ", and so on for each key of the series" : "");
      years_said = true;
    } else if (!is_period_value(&pr->key)) {
      chg_error(ctx, CHG_E_BAD_SERIES, pr->key.span,
                "a series key is a financial year, quarter, month or date, "
                "not %s", value_kind_name(&pr->key));
    } else if (first_given[i] != UINT32_MAX) {
      char buf[32];
      chg_value_format(&pr->key, buf, sizeof buf);
      chg_error(ctx, CHG_E_BAD_SERIES, pr->key.span,
                "%s appears twice in the series of `%s`", buf, attr->key);
      chg_note(ctx, chg_node_series(attr)[first_given[i]].key.span, "first given here");
    }
    const chg_value *v = &pr->value;
    if (v->kind == CHG_V_NONE) continue;
    bool ok = as->series == CHG_S_MONEY    ? v->kind == CHG_V_MONEY
              : as->series == CHG_S_NUMBER ? v->kind == CHG_V_NUMBER
                                           : (v->kind == CHG_V_NUMBER ||
                                              v->kind == CHG_V_MONEY ||
                                              v->kind == CHG_V_PERCENT);
    /* a series of quantities (a benefit's profile and actuals) holds one
     * kind of figure, as the benefit's other figures do: check_benefit_figures
     * says so, naming the figure it should match */
    if (!ok)
      chg_error(ctx, CHG_E_BAD_VALUE, v->span,
                "the values of `%s` should be %s, not %s", attr->key,
                as->series == CHG_S_MONEY    ? "amounts of money"
                : as->series == CHG_S_NUMBER ? "numbers"
                                             : "numbers, percentages or money",
                value_kind_name(v));
  }
  if (first_given != few) chg_mem_free(&ctx->al, first_given, attr->nseries * sizeof *first_given);
  if (as->series == CHG_S_MONEY) unit_left_off(ctx, attr);
  month_for_a_year(ctx, attr);
  /* the savings a budget needs: written like a saving, with a minus, it
   * would read as money to spare and the remaining gap as good */
  if (strcmp(attr->key, "requirement") == 0)
    for (uint32_t i = 0; i < attr->nseries; i++) {
      const chg_value *v = &chg_node_series(attr)[i].value;
      if (v->kind != CHG_V_MONEY || v->u.pence >= 0) continue;
      char amount[64], year[32] = "its year";
      chg_fmt_money(amount, sizeof amount, -v->u.pence, CHG_MONEY_AUTO, false);
      if (chg_node_series(attr)[i].key.kind != CHG_V_NONE)
        chg_value_format(&chg_node_series(attr)[i].key, year, sizeof year);
      chg_error(ctx, CHG_E_OUT_OF_RANGE, v->span,
                "a `requirement` is the savings the budget needs, so it cannot be negative: "
                "write `%s` for %s (the savings themselves are written negative, as changes "
                "in spend)", amount, year);
      break; /* once: the others are the same slip */
    }
}

/* `"The "Alpha" programme"`: a quote meant inside a string ends it, and
 * what follows it straight after reads as a name. */
static void note_quote_inside_string(chg_ctx *ctx, const chg_value *args, uint32_t i) {
  if (i == 0 || args[i - 1].kind != CHG_V_STRING || args[i - 1].span.end != args[i].span.start)
    return;
  /* a long string takes `"` as it is, and cannot hold `"""` at all */
  chg_span prev = args[i - 1].span;
  chg_file *f = chg_ctx_file(ctx, prev.file);
  if (f && prev.end - prev.start >= 6) {
    const char *text = chg_file_bytes(ctx, f, prev.start, prev.start + 3);
    if (text && memcmp(text, "\"\"\"", 3) == 0) return;
  }
  chg_note(ctx, args[i].span,
           "a `\"` inside a string ends it; to keep one in the text, write `\\\"`, as in "
           "`\"The \\\"Alpha\\\" programme\"`");
}

/* Whether a `scale` block of this name, in any file, lists this level:
 * asked of a mistake while the scales are still being read. */
static bool scale_written_has_level(chg_ctx *ctx, const char *scale, const char *level) {
  if (!ctx->written_scales_gathered) { /* once: a file may hold a million blocks */
    ctx->written_scales_gathered = true;
    size_t n = 0;
    for (int pass = 0; pass < 2; pass++) {
      for (size_t f = 1; f < ctx->nfiles; f++)
        for (const chg_node *b = ctx->files[f]->items; b; b = b->next)
          if (b->kind == CHG_N_BLOCK && b->key && strcmp(b->key, "scale") == 0) {
            if (pass) ctx->written_scales[ctx->nwritten_scales++] = b;
            else n++;
          }
      if (!pass) ctx->written_scales = CHG_NEW_ARRAY(&ctx->arena, const chg_node *, n + 1);
    }
  }
  for (size_t i = 0; i < ctx->nwritten_scales; i++) {
    const chg_node *b = ctx->written_scales[i];
    if (!b->nargs || !is_single_name(&chg_node_args(b)[0]) ||
        strcmp(chg_path_name(&chg_node_args(b)[0], 0), scale) != 0)
      continue;
    for (const chg_node *a = b->items; a; a = a->next)
      if (a->kind == CHG_N_ATTR && a->key && strcmp(a->key, "level") == 0 && a->nargs &&
          is_single_name(chg_node_args(a)) && strcmp(chg_path_name(chg_node_args(a), 0), level) == 0)
        return true;
  }
  return false;
}

/* What an attribute takes, for a message: "one, a number" or "3 (the
 * criterion, the level, the rationale)". */
static const char *values_taken(chg_ctx *ctx, const chg_attr_spec *as) {
  if (as->nparams == 1) return chg_arena_printf(&ctx->arena, "one, %s", param_type_name(&as->params[0]));
  bool optional = false;
  const char *list = "";
  for (uint32_t i = 0; i < as->nparams; i++) {
    optional = optional || as->params[i].optional;
    list = chg_arena_printf(&ctx->arena, "%s%s%s", list, i ? ", " : "", as->params[i].what);
  }
  return chg_arena_printf(&ctx->arena, "%s%u (%s)", optional ? "at most " : "", as->nparams, list);
}

static bool is_figure(const chg_value *v) {
  return v->kind == CHG_V_NUMBER || v->kind == CHG_V_MONEY || v->kind == CHG_V_PERCENT;
}

/* The words of an attribute from its value `at` on, where that value is
 * a string among two or more: their text, its quotes left out, or NULL. */
static const char *unquoted_from(chg_ctx *ctx, const chg_node *attr, const chg_attr_spec *as,
                                 uint32_t at, chg_span *words_at) {
  return as->nparams >= 2 && as->params[at].type == CHG_P_STRING && attr->nargs > at && !attr->nseries
             ? words_as_text(ctx, chg_node_args(attr), at, attr->nargs, words_at)
             : NULL;
}

static void check_attr(chg_ctx *ctx, chg_node *block, chg_node *attr,
                       const chg_attr_spec *as) {
  chg_value *args = chg_node_args(attr);
  chg_node_set_aspec(attr, block->spec, as);
  if (as->flags & CHG_A_EXPR) return; /* checked once every name is known */
  if ((as->flags & CHG_A_TOP_ONLY) && block->parent) {
    chg_error(ctx, CHG_E_UNKNOWN_ATTRIBUTE, chg_key_span(attr),
              "`%s` is only for a %s written at the top level; this one "
              "belongs to %s already", attr->key, block->key,
              block_label(ctx, block->parent));
    return;
  }
  /* one message for a series where none belongs, or none where one must */
  if (as->series == CHG_S_NONE && attr->nseries) {
    chg_error(ctx, CHG_E_BAD_SERIES, chg_node_series(attr)[0].key.span,
              "`%s` does not take a series of values by period", attr->key);
    return;
  }
  if ((as->flags & CHG_A_SERIES_ONLY) && !attr->nseries) {
    check_series(ctx, attr, as);
    return;
  }
  uint32_t required = 0;
  for (uint32_t i = 0; i < as->nparams; i++)
    if (!as->params[i].optional) required++;
  /* `owner Director of Resources`: the text of a string, its quotes left out */
  chg_span words_at;
  const char *unquoted = as->nparams == 1 && as->params[0].type == CHG_P_STRING && attr->nargs > 1 &&
                              !attr->nseries
                          ? words_as_text(ctx, args, 0, attr->nargs, &words_at)
                          : NULL;
  if (unquoted) {
    /* `owner Jane Smith"`: the scanner said the quote was missing; or the
     * parser said the text, quotes and all (chg_parse_unquoted_text) */
    if (ends_in_lost_quote(ctx, words_at) || chg_damaged(ctx, words_at)) return;
    chg_error(ctx, CHG_E_BAD_VALUE, words_at,
              "`%s` takes a string: write it in double quotes, as in `%s \"%s\"`", attr->key,
              attr->key, unquoted);
    return;
  }
  /* `depends_on a "reason" high`: the last two swapped, a string before a
   * word of the one before it; `status overall green amber`: two levels */
  if (as->nparams == 3 && attr->nargs == 3 && !attr->nseries &&
      as->params[2].type == CHG_P_STRING && args[2].kind == CHG_V_NAME &&
      chg_path_len(&args[2]) == 1) {
    const char *w = chg_path_name(&args[2], 0);
    const chg_param *mid = &as->params[1];
    chg_span both = {args[1].span.file, args[1].span.start, args[2].span.end};
    if (mid->type == CHG_P_WORD && args[1].kind == CHG_V_STRING && chg_word_in(mid->scale, w)) {
      char first[64];
      value_as_written(ctx, &args[0], first, sizeof first);
      chg_error(ctx, CHG_E_BAD_VALUE, both,
                "the %s comes before the %s: `%s %s %s \"...\"`", mid->what,
                as->params[2].what, attr->key, first, w);
      return;
    }
    if (mid->type == CHG_P_LEVEL && args[1].kind == CHG_V_NAME &&
        scale_written_has_level(ctx, mid->scale, w)) {
      chg_error(ctx, CHG_E_BAD_VALUE, args[2].span,
                "a second level: `%s` gives one %s for its %s, then a %s in double quotes, "
                "as in `%s ... %s \"...\"`", attr->key, mid->what, as->params[0].what,
                as->params[2].what, attr->key, chg_path_name(&args[1], 0));
      return;
    }
  }
  /* `depends_on high tp_dev`, `status green overall`: the first two
   * swapped, a word or level of the second first */
  if (as->nparams >= 2 && attr->nargs >= 2 && !attr->nseries && is_single_name(&args[0]) &&
      is_single_name(&args[1]) &&
      (as->params[1].type == CHG_P_WORD || as->params[1].type == CHG_P_LEVEL)) {
    const chg_param *second = &as->params[1];
    const char *w0 = chg_path_name(&args[0], 0), *w1 = chg_path_name(&args[1], 0);
    bool fits0 = second->type == CHG_P_WORD ? chg_word_in(second->scale, w0)
                                            : scale_written_has_level(ctx, second->scale, w0);
    bool fits1 = fits0 && (second->type == CHG_P_WORD ? chg_word_in(second->scale, w1)
                                                      : scale_written_has_level(ctx, second->scale, w1));
    if (fits0 && !fits1) {
      chg_span both = {args[0].span.file, args[0].span.start, args[1].span.end};
      chg_error(ctx, CHG_E_BAD_VALUE, both,
                "the %s comes before the %s: `%s %s %s%s`", as->params[0].what, second->what,
                attr->key, w1, w0, attr->nargs > 2 ? " ..." : "");
      args[0].kind = args[1].kind = CHG_V_NONE; /* nothing more to say of them */
      return;
    }
  }
  /* `status overall amber Some slippage`: the last value, a string, with
   * its quotes left out: one mistake, said with the line as meant */
  uint32_t last_at = as->nparams ? as->nparams - 1 : 0;
  /* `level amber Successful delivery feasible...`: where strings end it
   * (a label, a definition), the words are the first of them, or failing
   * that (`level amber "Label" Some words`) the last */
  uint32_t text_at = last_at;
  while (text_at > 0 && as->params[text_at - 1].type == CHG_P_STRING) text_at--;
  unquoted = unquoted_from(ctx, attr, as, text_at, &words_at);
  if (!unquoted && text_at < last_at) unquoted = unquoted_from(ctx, attr, as, text_at = last_at, &words_at);
  if (unquoted) {
    for (uint32_t i = 0; i < text_at; i++) check_param(ctx, attr, &as->params[i], &args[i]);
    chg_error(ctx, CHG_E_BAD_VALUE, words_at,
              "the %s in `%s` is a string: write it in double quotes, as in `\"%s\"`",
              as->params[text_at].what, attr->key, unquoted);
    return;
  }
  if (attr->nargs > as->nparams) {
    /* `impact { unit TP level 2 }`: an attribute of the block run on into
     * the next, for want of a `;` */
    chg_value *extra = &args[as->nparams];
    const char *next_key = NULL;
    for (uint32_t i = as->nparams; i < attr->nargs && !next_key; i++)
      if (args[i].kind == CHG_V_NAME && chg_list_len(&args[i]) <= 1 &&
          chg_schema_find_attr(block->spec, chg_path_name(&args[i], 0))) {
        next_key = chg_path_name(&args[i], 0);
        extra = &args[i];
      }
    /* `confidence amber red`: a level of two words, as a board paper prints it */
    const chg_param *last = &as->params[as->nparams ? as->nparams - 1 : 0];
    const char *joined = NULL;
    if (!next_key && as->nparams &&
        (last->type == CHG_P_LEVEL || last->type == CHG_P_SCORE || last->type == CHG_P_LOAD) &&
        extra > args &&
        is_single_name(extra) && is_single_name(extra - 1)) {
      joined = chg_arena_printf(&ctx->arena, "%s_%s", chg_path_name(extra - 1, 0),
                                chg_path_name(extra, 0));
      if (!scale_written_has_level(ctx, last->scale, joined)) joined = NULL;
    }
    /* `escalate to portfolio`, `owner is "..."`: a word of prose before the value */
    const char *filler = NULL;
    if (!next_key && attr->nargs == (uint32_t)as->nparams + 1 && is_single_name(&args[0])) {
      static const char *const fillers[] = {"to", "at", "as", "is", "of", "by", "on"};
      for (size_t i = 0; i < sizeof fillers / sizeof fillers[0] && !filler; i++)
        if (strcmp(chg_path_name(&args[0], 0), fillers[i]) == 0) filler = fillers[i];
    }
    if (filler) {
      char rest[96];
      chg_value_format(&args[1], rest, sizeof rest);
      chg_error(ctx, CHG_E_BAD_VALUE, args[0].span,
                "unexpected `%s`: an attribute is its key then its values, as in `%s %s%s`",
                filler, attr->key, rest, as->nparams > 1 ? " ..." : "");
      /* checked, and resolved, as if written without it: the values after
       * it, and its series after them, move up in its place */
      chg_value *first = args;
      memmove(first, first + 1,
              (attr->nargs - 1) * sizeof *first + attr->nseries * sizeof(chg_pair));
      attr->nargs--;
    } else if (next_key)
      chg_error(ctx, CHG_E_BAD_VALUE, extra->span,
                "too many values for `%s`: `%s` is an attribute of its own; end `%s` with "
                "`;` or a new line before it", attr->key, next_key, attr->key);
    else if (joined) {
      chg_error(ctx, CHG_E_BAD_VALUE, (chg_span){extra->span.file, extra[-1].span.start,
                                                 extra->span.end},
                "too many values for `%s`: a level's words are joined with `_`, as in `%s`",
                attr->key, joined);
      /* `status output produced`: its first word is no level of its own,
       * and saying so again would be a second error for one mistake */
      extra[-1].kind = CHG_V_NONE;
    }
    else if (!attr->nseries && as->series != CHG_S_NONE && as->nparams > 0) {
      /* `posts officers -308`: a value without its period, which
       * check_series says, with the period put in */
    } else if (!ends_in_lost_quote(ctx, extra->span) && !chg_damaged_at(ctx, extra->span)) {
      /* not where the scanner said it already: `owner Jane Smith"`, a
       * string left open */
      if (as->nparams == 0)
        chg_error(ctx, CHG_E_BAD_VALUE, extra->span,
                  "`%s` takes no plain values, only a series by period", attr->key);
      else
        chg_error(ctx, CHG_E_BAD_VALUE, extra->span, "too many values for `%s`, which takes %s%s",
                  attr->key, values_taken(ctx, as),
                  /* `target 500 officers`: what the figure counts, after it */
                  extra == args + 1 && is_single_name(extra) && is_figure(&args[0])
                      ? ": a figure is written alone, and what it counts said elsewhere "
                        "(a benefit's `measure`, or a comment)"
                      : "");
      note_quote_inside_string(ctx, args, (uint32_t)(extra - args));
    }
  } else if (attr->nargs < required && attr->nargs > 0 && as->params[0].type == CHG_P_WORD &&
             args[0].kind == CHG_V_STRING && as->params[attr->nargs].type == CHG_P_STRING) {
    /* `flag "Go-live has slipped"`: the message written, the severity before it left out */
    const char *words = as->params[0].scale;
    chg_error(ctx, CHG_E_BAD_VALUE, attr->span,
              "`%s` needs its %s before the %s, as in `%s %.*s \"...\"` (%s)", attr->key,
              as->params[0].what, as->params[attr->nargs].what, attr->key,
              (int)strcspn(words, "|"), words, chg_words_listed(ctx, words, true));
    return;
  } else if (attr->nargs < required && !chg_damaged(ctx, attr->span)) {
    const chg_param *missing = &as->params[attr->nargs];
    const char *type =
        missing->type == CHG_P_WORD ? chg_words_listed(ctx, missing->scale, true)
        : missing->type == CHG_P_LEVEL
            ? chg_arena_printf(&ctx->arena, "a level of the `%s` scale", missing->scale)
            : param_type_name(missing);
    /* `status amber`: the level written, its criterion left out */
    const char *written = missing->type == CHG_P_LEVEL && attr->nargs == 1 &&
                                  is_single_name(&args[0])
                              ? chg_path_name(&args[0], 0) : NULL;
    /* `depends_on high`: the word written, what it qualifies left out */
    const char *word = missing->type == CHG_P_WORD && attr->nargs == 1 &&
                               is_single_name(&args[0]) &&
                               chg_word_in(missing->scale, chg_path_name(&args[0], 0))
                           ? chg_path_name(&args[0], 0) : NULL;
    if (as->nparams == 1 && attr->nargs == 0 && attr->nseries && missing->type == CHG_P_NAME)
      /* `posts 2011/12: -308`: the series written, what it is of left out */
      chg_error(ctx, CHG_E_BAD_VALUE, attr->span,
                "`%s` needs its %s before the series, as in `%s officers 2011/12: -308`",
                attr->key, missing->what, attr->key);
    else if (as->nparams == 1)
      chg_error(ctx, CHG_E_BAD_VALUE, attr->span, "`%s` needs a value: %s",
                attr->key, type);
    else if (word) {
      chg_error(ctx, CHG_E_BAD_VALUE, attr->span,
                "`%s` needs its %s before the %s, as in `%s %s %s%s`: `%s` was read as the %s",
                attr->key, as->params[0].what, missing->what, attr->key,
                as->params[0].type == CHG_P_REF ? "other_programme" : as->params[0].what, word,
                as->nparams > 2 ? " \"reason\"" : "", word, as->params[0].what);
      args[0].kind = CHG_V_NONE; /* said: not a name to look up */
    } else if (written && scale_written_has_level(ctx, missing->scale, written))
      chg_error(ctx, CHG_E_BAD_VALUE, attr->span,
                "`%s` needs its %s before the level, as in `%s %s %s%s`: `%s` was read "
                "as the %s", attr->key, as->params[0].what, attr->key,
                strcmp(attr->key, "status") == 0 ? "overall" : as->params[0].what, written,
                as->nparams > 2 ? " \"rationale\"" : "", written, as->params[0].what);
    else
      chg_error(ctx, CHG_E_BAD_VALUE, attr->span, "`%s` needs its %s: %s",
                attr->key, missing->what, type);
  }
  uint32_t n = attr->nargs < as->nparams ? attr->nargs : as->nparams;
  for (uint32_t i = 0; i < n; i++)
    check_param(ctx, attr, &as->params[i], &args[i]);
  if (as->series != CHG_S_NONE || attr->nseries) check_series(ctx, attr, as);
}

/* Turns the values of a head into an id and a title. */
static void read_head(chg_ctx *ctx, chg_node *b, bool placed) {
  chg_value *args = chg_node_args(b);
  const chg_kind_spec *k = b->spec;
  if (b->nseries) {
    chg_error(ctx, CHG_E_BAD_HEAD, chg_node_series(b)[0].key.span,
              "a %s's head is its id and title; a series goes inside the braces",
              b->key);
  }
  uint32_t i = 0;
  /* `programme "Developing Resource Management" drm`: the id after the
   * title; said once, and read as meant, so that what names it resolves */
  if (k->head != CHG_HEAD_TITLE_ONLY && b->nargs >= 2 && args[0].kind == CHG_V_STRING &&
      args[1].kind == CHG_V_NAME && chg_path_len(&args[1]) == 1) {
    chg_error(ctx, CHG_E_BAD_HEAD, args[1].span,
              "the id goes before the title: `%s %s \"...\"`", b->key, chg_path_name(&args[1], 0));
    chg_value title = args[0];
    args[0] = args[1];
    args[1] = title;
  }
  /* `workstream asset tracking "Asset tracking"`: an id of two words */
  if (k->head != CHG_HEAD_TITLE_ONLY && b->nargs >= 3 && is_single_name(&args[0]) &&
      is_single_name(&args[1]) && args[2].kind == CHG_V_STRING &&
      !chg_schema_find_attr(k, chg_path_name(&args[1], 0))) {
    chg_error(ctx, CHG_E_BAD_HEAD,
              (chg_span){args[0].span.file, args[0].span.start, args[1].span.end},
              "an id is one word: join its words with `_`, as in `%s %s_%s \"%s\"`", b->key,
              chg_path_name(&args[0], 0), chg_path_name(&args[1], 0), args[2].u.s);
    /* read as `asset "Asset tracking"`: one error, not one for the title
     * too; what follows the title is read, and said, as after any title */
    chg_pair *pairs = chg_node_series(b); /* they follow the values: moved with them */
    memmove(&args[1], &args[2], (b->nargs - 2) * sizeof *args);
    b->nargs--;
    if (b->nseries) memmove(chg_node_series(b), pairs, b->nseries * sizeof *pairs);
  }
  if (k->head == CHG_HEAD_TITLE_ONLY && b->nargs >= 2 &&
      args[0].kind == CHG_V_NAME && args[1].kind == CHG_V_STRING) {
    chg_error(ctx, CHG_E_BAD_HEAD, args[0].span,
              "a %s has no id: write `%s \"%s\"`", b->key, b->key, args[1].u.s);
    i = 1;
  }
  /* `programme "drm" "Developing Resource Management"`: the id quoted, a
   * word as an id is; said once, and read as the id meant */
  if (k->head != CHG_HEAD_TITLE_ONLY && i == 0 && b->nargs >= 2 &&
      args[0].kind == CHG_V_STRING && args[1].kind == CHG_V_STRING &&
      is_identifier(args[0].u.s)) {
    const char *id = args[0].u.s;
    chg_error(ctx, CHG_E_BAD_HEAD, args[0].span,
              "an id is written without quotes, as in `%s %s \"%s\"`", b->key, id, args[1].u.s);
    args[0].kind = CHG_V_NAME;
    args[0].aux = 1;
    args[0].u.name = chg_intern_cstr(&ctx->names, id);
  }
  if (k->head != CHG_HEAD_TITLE_ONLY && i < b->nargs &&
      args[i].kind == CHG_V_NAME) {
    uint32_t len = chg_path_len(&args[i]);
    if (len != 1)
      chg_error(ctx, CHG_E_BAD_HEAD, args[i].span,
                "a block's id is a plain name, not a dotted reference: write "
                "the %s inside its parent's braces", b->key);
    /* `drm.cre` most likely meant `cre`: take the last name as the id */
    b->has_id = true; /* the id is the first value */
    i++;
  }
  if (i < b->nargs && args[i].kind == CHG_V_STRING) {
    /* `programme a ""`: shown as a blank heading and an empty cell, read
     * as no title at all; a block without a title shows its id */
    b->has_title = k->head == CHG_HEAD_TITLE_ONLY ||
                   !chg_says_nothing(args[i].u.s, chg_str_len(&args[i]));
    if (!b->has_title && !chg_damaged(ctx, args[i].span))
      chg_warning(ctx, CHG_E_BLANK_TEXT, args[i].span,
                  "a blank title, which the reports would show as nothing: give the %s its "
                  "title, or leave the quotes out and it is shown by its id", b->key);
    b->title_second = i == 1;
    i++;
  }
  bool id_said = false;
  /* `unit DoR Directorate of Resources`: the title, its quotes left out
   * (`unit DoR capacity 3` is its contents without braces, said below) */
  chg_span title_at;
  const char *title = b->has_id && !b->has_title && i < b->nargs &&
                              !(is_single_name(&args[i]) &&
                                chg_schema_find_attr(k, chg_path_name(&args[i], 0)))
                          ? words_as_text(ctx, args, i, b->nargs, &title_at)
                          : NULL;
  if (title) {
    if (!ends_in_lost_quote(ctx, title_at) && !chg_damaged(ctx, title_at)) /* `unit HR Human Resources"`: said by the scanner or the parser */
      chg_error(ctx, CHG_E_BAD_HEAD, title_at, "a title is written in double quotes, as in `%s %s \"%s\"`",
                b->key, chg_path_last(&args[0]), title);
  } else if (i < b->nargs) {
    const chg_value *v = &args[i];
    if (v->kind == CHG_V_NONE || (k->head == CHG_HEAD_TITLE_ONLY && !chg_block_title(b))) {
      /* a bad literal, reported already; or said below */
    } else if (i == 0 && k->head == CHG_HEAD_ID) {
      /* `programme 3`: one mistake, said once */
      chg_error(ctx, CHG_E_BAD_HEAD, v->span,
                "a %s's id is a plain name, not %s, as in `%s my_%s \"Title\"`", b->key,
                value_kind_name(v), b->key, b->key);
      id_said = true;
    } else if (!b->has_braces && !b->parent)
      chg_error(ctx, CHG_E_BAD_HEAD, v->span,
                "%s cannot follow the head of this %s: a block's contents go "
                "inside `{ }`", value_kind_name(v), b->key);
    else
    {
      chg_error(ctx, CHG_E_BAD_HEAD, v->span,
                "%s cannot stand in the head of this %s: a head is `%s [id] [\"title\"]`",
                value_kind_name(v), b->key, b->key);
      note_quote_inside_string(ctx, args, i);
    }
  }
  /* one written where it cannot go has been said so: a missing id is the
   * same mistake seen again (`unit { }` inside a programme) */
  if (k->head == CHG_HEAD_ID && !chg_block_id(b) && !id_said && placed &&
      !chg_damaged(ctx, chg_key_span(b)))
    chg_error(ctx, CHG_E_BAD_HEAD, chg_key_span(b),
              "this %s needs an id, as in `%s my_%s \"Title\"`", b->key, b->key,
              b->key);
  if (k->head == CHG_HEAD_TITLE_ONLY && !chg_block_title(b))
    chg_error(ctx, CHG_E_BAD_HEAD, chg_key_span(b),
              "a %s names its file, as in `hook \"rules/escalation.lua\"`",
              b->key);
}

static void check_block(chg_ctx *ctx, chg_node *b);

/* Where a kind of block goes: "at the top level or in a programme". */
static const char *places_of(chg_ctx *ctx, const chg_kind_spec *k) {
  chg_buf places = {0};
  int n = 0, total = 0;
  for (int i = 0; i < CHG_K__COUNT; i++)
    if (k->where & CHG_KM(i)) total++;
  if (k->where & CHG_KM_TOP) total++;
  if (k->where & CHG_KM_TOP) {
    chg_buf_put(&ctx->al, &places, "at the top level", 16);
    n++;
  }
  for (int i = 0; i < CHG_K__COUNT; i++) {
    if (!(k->where & CHG_KM(i))) continue;
    const char *name = chg_schema_kind(i)->name;
    const char *sep = n == 0 ? "in a " : n == total - 1 ? " or in a " : ", in a ";
    chg_buf_put(&ctx->al, &places, sep, strlen(sep));
    chg_buf_put(&ctx->al, &places, name, strlen(name));
    n++;
  }
  const char *text = chg_arena_strndup(&ctx->arena, places.data ? places.data : "", places.len);
  chg_buf_release(&ctx->al, &places);
  return text;
}

/* The kinds that take an attribute of this name, "a programme, project,
 * workstream or impact", or NULL if none does. */
static const char *kinds_taking(chg_ctx *ctx, const char *key) {
  const char *names[CHG_K__COUNT];
  int n = 0;
  for (int i = 0; i < CHG_K__COUNT; i++)
    if (chg_schema_find_attr(chg_schema_kind(i), key)) names[n++] = chg_schema_kind(i)->name;
  if (!n) return NULL;
  chg_buf text = {0};
  for (int i = 0; i < n; i++) {
    const char *sep = i == 0 ? chg_a_an(names[0]) : i == n - 1 ? " or" : ",";
    chg_buf_put(&ctx->al, &text, sep, strlen(sep));
    chg_buf_put(&ctx->al, &text, " ", 1);
    chg_buf_put(&ctx->al, &text, names[i], strlen(names[i]));
  }
  const char *joined = chg_arena_strndup(&ctx->arena, text.data, text.len);
  chg_buf_release(&ctx->al, &text);
  return joined;
}

/* `programme infra` written without braces inside a risk: not a block
 * that cannot go there, but a try at saying the risk is the programme's */
static bool names_its_owner(const chg_node *item, const chg_kind_spec *k) {
  const chg_kind_spec *owner = item->key && !item->has_braces ? chg_schema_find_kind(item->key) : NULL;
  return owner && item->nargs == 1 && chg_node_args(item)[0].kind == CHG_V_NAME &&
         (k->where & CHG_KM(owner->id));
}

static void misplaced(chg_ctx *ctx, chg_node *b, const chg_kind_spec *k) {
  if (b->misindented) return; /* the file lost a `}`: the parser said so once */
  /* at the top level, with a line naming its owner inside (`programme
   * drm` in a milestone): that line says it */
  if (!b->parent)
    for (const chg_node *a = b->items; a; a = a->next)
      if (names_its_owner(a, k)) return;
  if (b->parent)
    chg_error(ctx, CHG_E_MISPLACED_BLOCK, chg_key_span(b),
              "%s %s cannot go in %s: it goes %s", chg_a_an(b->key), b->key,
              block_label(ctx, b->parent), places_of(ctx, k));
  else
    chg_error(ctx, CHG_E_MISPLACED_BLOCK, chg_key_span(b),
              "%s %s cannot be written at the top level: it goes %s",
              chg_a_an(b->key), b->key, places_of(ctx, k));
}

_Static_assert(CHG_K__COUNT <= 32, "chg_ctx counts blocks of 32 kinds at most");

/* Whether register_block named c in its parent: mirrors it exactly. */
static bool is_named_block(const chg_node *c) {
  return c->kind == CHG_N_BLOCK && c->spec && c->spec->id != CHG_K_SCALE && c->has_id;
}

static chg_node *scan_children(const chg_node *scope, const char *name, const chg_node *until) {
  for (chg_node *c = scope->items; c && c != until; c = c->next)
    if (is_named_block(c) && chg_block_id(c) == name) return c;
  return NULL;
}

chg_node *chg_symbol_find(const chg_ctx *ctx, const chg_node *scope, const char *name) {
  if (!scope || scope->children_mapped) return chg_map_get(&ctx->symbols, scope, name);
  return scan_children(scope, name, NULL);
}

/* Whether a span lies in a module's file (the stdlib, CHG_PATH, -I). */
static bool in_module(chg_ctx *ctx, chg_span span) {
  chg_file *f = chg_ctx_file(ctx, span.file);
  return f && f->is_module;
}

_Static_assert(CHG_K__COUNT <= UINT8_MAX, "a block's kind fits a byte");

/* The blocks and their kinds are in the arena, where the last huge page
 * of the parse's tree has room already in place: in malloc's fresh 4 KB
 * pages, each page's first write cost some 11 microseconds on the
 * machines measured, 2 ms of naming 10,000 projects.  Room is made for
 * every block parsed; a top-level attribute the schema makes a block may
 * need more. */
static void make_room_for_blocks(chg_ctx *ctx, size_t room) {
  void **items = CHG_NEW_ARRAY(&ctx->arena, void *, room);
  uint8_t *kinds = CHG_NEW_ARRAY(&ctx->arena, uint8_t, room);
  if (ctx->blocks.len) {
    memcpy(items, ctx->blocks.items, ctx->blocks.len * sizeof *items);
    memcpy(kinds, ctx->block_kinds, ctx->blocks.len);
  }
  size_t len = ctx->blocks.len;
  chg_blocks_give_back(ctx);
  ctx->blocks = (chg_vec){items, len, 0}; /* a view of the arena */
  ctx->block_kinds = kinds;
  ctx->blocks_room = room;
}

static void register_block(chg_ctx *ctx, chg_node *b) {
  if (ctx->blocks.len == ctx->blocks_room) make_room_for_blocks(ctx, ctx->blocks_room * 2 + 16);
  b->index = (uint32_t)ctx->blocks.len;
  ctx->blocks.items[ctx->blocks.len++] = b;
  ctx->block_kinds[b->index] = (uint8_t)b->spec->id;
  ctx->kind_counts[b->spec->id]++;
  /* one misplaced inside a block is said so, not also as a second one */
  if (b->spec->id == CHG_K_PORTFOLIO && !b->parent) chg_vec_push(&ctx->al, &ctx->portfolios, b);
  if (b->spec->id == CHG_K_RULE || b->spec->id == CHG_K_CLAIM)
    chg_vec_push(&ctx->al, &ctx->conditions, b);
  const char *id = chg_block_id(b);
  if (b->spec->id == CHG_K_SCALE) {
    if (id) build_scale(ctx, b);
    return;
  }
  if (!id) return;
  chg_node *prev = !b->parent || b->parent->children_mapped
                       ? chg_map_put(&ctx->symbols, b->parent, id, b)
                       : scan_children(b->parent, id, b);
  /* `programme fsp {` written twice: the first, closed where the second
   * began, holds nothing, and names inside are found in the second */
  if (prev && prev->spec == b->spec && !prev->items && b->items &&
      (!b->parent || b->parent->children_mapped) && closed_by_recovery(ctx, prev))
    chg_map_set(&ctx->symbols, b->parent, id, b);
  if (prev && prev->spec != b->spec) chg_vec_push(&ctx->al, &ctx->shadowed, b);
  /* a second portfolio of the same id is said to be a second portfolio */
  if (prev && !(prev->spec == b->spec && b->spec->id == CHG_K_PORTFOLIO)) {
    /* the error goes where it can be mended: not into a module in use */
    const chg_node *at = b, *other = prev;
    bool module_too = in_module(ctx, b->span) != in_module(ctx, prev->span);
    if (module_too && in_module(ctx, b->span)) {
      at = prev;
      other = b;
    }
    if (b->parent)
      chg_error(ctx, CHG_E_DUPLICATE_ID, chg_id_span(at), "`%s` is defined twice in %s", id,
                block_label(ctx, b->parent));
    else
      chg_error(ctx, CHG_E_DUPLICATE_ID, chg_id_span(at),
                prev->key == b->key ? "%s `%s` is defined twice at the top level"
                                    : "`%s` is defined twice at the top level (as %s and as %s)",
                prev->key == b->key ? b->key : id, prev->key == b->key ? id : other->key,
                at->key);
    chg_note(ctx, chg_id_span(other),
             module_too ? "also defined here, in a module in use" : "first defined here");
    /* `programme drm` alone on the line above `saving estate { ... }`: an
     * attribute of the saving, written outside its braces */
    const chg_node *next = b->next;
    const chg_kind_spec *next_kind = next && next->kind == CHG_N_BLOCK && next->key
                                         ? chg_schema_find_kind(next->key) : NULL;
    if (!b->parent && !b->has_braces && !b->has_title && b->nargs == 1 && next_kind &&
        next->has_braces && chg_schema_find_attr(next_kind, b->key)) {
      const char *next_id = next->nargs && chg_node_args(next)[0].kind == CHG_V_NAME
                                ? chg_path_last(chg_node_args(next)) : NULL;
      chg_note(ctx, chg_key_span(b),
               "a `%s %s` line at the top level starts a %s of its own; if it names the %s "
               "of the %s%s%s%s below, move it inside its braces", b->key, id, b->key, b->key,
               next->key, next_id ? " `" : "", next_id ? next_id : "", next_id ? "`" : "");
    }
  }
}

static void unknown_kind(chg_ctx *ctx, chg_node *b) {
  /* `sro "x" milestone m { ... }`: an attribute and a block on one line,
   * with no `;` between, read as one block of kind `sro` */
  if (b->kind == CHG_N_BLOCK && b->parent && b->parent->spec &&
      chg_schema_find_attr(b->parent->spec, b->key)) {
    for (uint32_t i = 0; i < b->nargs; i++) {
      const chg_value *v = &chg_node_args(b)[i];
      if (v->kind != CHG_V_NAME || chg_path_len(v) != 1 ||
          !chg_schema_find_kind(chg_path_name(v, 0)))
        continue;
      chg_error(ctx, CHG_E_UNKNOWN_KIND, v->span,
                "`%s` is an attribute of a %s, and a `%s` block follows it on its line: end "
                "the attribute with `;` or a new line before the block",
                b->key, b->parent->key, chg_path_name(v, 0));
      return;
    }
    /* `sro "x" {`: an attribute's line ended with a brace -- unless a
     * syntax error inside made it one (`tags [a` left open before a block) */
    if (b->has_braces) {
      if (!chg_damaged(ctx, b->span))
        chg_error(ctx, CHG_E_UNKNOWN_KIND, chg_key_span(b),
                  "`%s` is an attribute of a %s, not a block: remove the `{` after its %s "
                  "(and its `}`, if it has one)", b->key, b->parent->key,
                  b->nargs == 1 ? "value" : "values");
      return;
    }
  }
  chg_suggester s;
  chg_suggest_init(&s, b->key);
  for (int i = 0; i < CHG_K__COUNT; i++) chg_suggest_offer(&s, chg_schema_kind(i)->name);
  if (!b->parent) { /* `inlcude "x.chg"` */
    chg_suggest_offer(&s, "include");
    chg_suggest_offer(&s, "use");
  }
  if (b->parent && b->parent->spec) {
    const chg_kind_spec *pk = b->parent->spec;
    for (size_t i = 0; i < pk->nattrs; i++) chg_suggest_offer(&s, pk->attrs[i].key);
  }
  if (b->kind == CHG_N_BLOCK)
    chg_error(ctx, CHG_E_UNKNOWN_KIND, chg_key_span(b), "unknown kind of block `%s`%s",
              b->key, chg_suggest_text(ctx, &s));
  else
    chg_error(ctx, CHG_E_UNKNOWN_KIND, chg_key_span(b),
              "unknown kind of block `%s` at the top level%s", b->key,
              chg_suggest_text(ctx, &s));
}

/* `go live true`, `as of 2022-07-04`: an attribute's name written as two
 * words, the second read as its first value. */
/* An attribute's text as written, key and values; its key alone when the
 * text is not to be had. */
static const char *attr_as_written(chg_ctx *ctx, const chg_node *a) {
  chg_file *f = chg_ctx_file(ctx, a->span.file);
  if (!f || a->span.end > f->len || a->span.end <= a->span.start) return a->key;
  const char *text = chg_file_bytes(ctx, f, a->span.start, a->span.end);
  return text ? chg_arena_strndup(&ctx->arena, text, a->span.end - a->span.start) : a->key;
}

static const char *joined_attribute(chg_ctx *ctx, const chg_kind_spec *k, const chg_node *a,
                                    bool *with_underscore) {
  if (!a->nargs || chg_node_args(a)[0].kind != CHG_V_NAME || chg_path_len(&chg_node_args(a)[0]) != 1)
    return NULL;
  const char *second = chg_path_name(&chg_node_args(a)[0], 0);
  const char *joined = chg_arena_printf(&ctx->arena, "%s_%s", a->key, second);
  *with_underscore = true;
  if (chg_schema_find_attr(k, joined)) return joined;
  *with_underscore = false;
  joined = chg_arena_printf(&ctx->arena, "%s%s", a->key, second); /* `fore cast` */
  return chg_schema_find_attr(k, joined) ? joined : NULL;
}

/* Says a is no attribute of b's kind; returns the attribute of b's kind it
 * was taken for, if any (a missing attribute of that name is then not said
 * again). */
static const char *unknown_attribute(chg_ctx *ctx, chg_node *b, chg_node *a, chg_node **absorbed) {
  chg_value *args = chg_node_args(a);
  const chg_kind_spec *k = b->spec;
  const char *joined;
  bool with_underscore;
  chg_suggester s;
  chg_suggest_init(&s, a->key);
  for (size_t i = 0; i < k->nattrs; i++) chg_suggest_offer(&s, k->attrs[i].key);
  const char *attr_meant = s.best;
  for (int i = 0; i < CHG_K__COUNT; i++)
    if (chg_schema_kind(i)->where & CHG_KM(k->id))
      chg_suggest_offer(&s, chg_schema_kind(i)->name);
  if (s.best != attr_meant) attr_meant = NULL; /* a kind of block fits better */
  /* a rule's condition after `expect`, a claim's after `when`, or either
   * misspelt (`whenn`) */
  bool conditional = chg_edit_distance(a->key, "when", 2) <= 2 ||
                     chg_edit_distance(a->key, "expect", 2) <= 2;
  const char *condition = conditional ? (chg_schema_find_attr(k, "when") ? "when"
                                         : chg_schema_find_attr(k, "expect") ? "expect" : NULL)
                                      : NULL;
  if (condition && !strcmp(a->key, condition)) condition = NULL;
  const chg_kind_spec *as_kind = chg_schema_find_kind(a->key);
  if (condition) {
    if (!strcmp(a->key, "when") || !strcmp(a->key, "expect"))
      chg_error(ctx, CHG_E_UNKNOWN_ATTRIBUTE, chg_key_span(a),
                "unknown attribute `%s` in %s: %s %s's condition is written after `%s`",
                a->key, block_label(ctx, b), chg_a_an(b->key), b->key, condition);
    else
      chg_error(ctx, CHG_E_UNKNOWN_ATTRIBUTE, chg_key_span(a),
                "unknown attribute `%s` in %s; did you mean `%s`?", a->key,
                block_label(ctx, b), condition);
    return condition;
  }
  if (as_kind && (as_kind->where & CHG_KM(k->id))) {
    /* `milestone m "Supp` where the file was cut short: the head's line
     * has its own error, and its brace never came */
    if (chg_damaged(ctx, a->span)) return NULL;
    /* the head as written, title and all: `workstream si "Service Integration" { ... }` */
    const char *id = a->nargs && args[0].kind == CHG_V_NAME ? chg_path_name(&args[0], 0)
                                                                : "my_id";
    const chg_value *title = a->nargs > 1 && args[1].kind == CHG_V_STRING ? &args[1]
                             : a->nargs && args[0].kind == CHG_V_STRING   ? &args[0]
                                                                             : NULL;
    char quoted[96] = "";
    /* a long title is shown by its place: the fix is the braces */
    if (title && chg_value_format(title, quoted, sizeof quoted) > 48) strcpy(quoted, "\"...\"");
    /* `impact unit DoR; level 1; period 2011-07`: its attributes written
     * after its key, for braces around them; the ones on its line that
     * are its own are then not unknown in the block around it */
    if (a->nargs >= 1 && is_single_name(&args[0]) &&
        chg_schema_find_attr(as_kind, chg_path_name(&args[0], 0))) {
      unsigned line, column, next_line;
      chg_file_position(ctx, a->span.file, a->span.start, &line, &column);
      const char *inside = attr_as_written(ctx, a) + strlen(a->key); /* its values */
      inside += strspn(inside, " \t");
      for (chg_node *n = a->next; n && n->kind == CHG_N_ATTR && n->key &&
                                  chg_schema_find_attr(as_kind, n->key); n = n->next) {
        chg_file_position(ctx, n->span.file, n->span.start, &next_line, &column);
        if (next_line != line) break;
        inside = chg_arena_printf(&ctx->arena, "%s; %s", inside, attr_as_written(ctx, n));
        *absorbed = n;
      }
      chg_error(ctx, CHG_E_MISPLACED_BLOCK, chg_key_span(a),
                "%s %s inside %s needs braces around its attributes, as in `%s { %s }`",
                chg_a_an(a->key), a->key, block_label(ctx, b), a->key, inside);
      return NULL;
    }
    chg_error(ctx, CHG_E_MISPLACED_BLOCK, chg_key_span(a),
              "%s %s inside %s needs braces, as in `%s %s%s%s { ... }`", chg_a_an(a->key),
              a->key, block_label(ctx, b), a->key, id, title ? " " : "", quoted);
  } else if (as_kind && names_its_owner(a, k)) {
    char owner[128];
    chg_value_format(&args[0], owner, sizeof owner);
    chg_error(ctx, CHG_E_MISPLACED_BLOCK, a->span,
              "`%s %s`: %s %s has no `%s` attribute, and %s %s cannot go in one; to make %s "
              "part of %s `%s`, write it inside that %s's braces",
              a->key, owner, chg_a_an(k->name), k->name, a->key, chg_a_an(a->key), a->key,
              block_label(ctx, b), a->key, owner, a->key);
  } else if (as_kind && !a->has_braces && a->nargs == 1 && args[0].kind == CHG_V_NAME &&
             (joined = kinds_taking(ctx, a->key))) {
    /* `unit TP` in a risk: a reference, as it would be in a project, not a
     * unit block to move to the top level (which would define it twice) */
    char named[128];
    chg_value_format(&args[0], named, sizeof named);
    bool links = chg_schema_find_attr(k, "linked") != NULL;
    chg_error(ctx, CHG_E_UNKNOWN_ATTRIBUTE, a->span,
              "`%s %s`: %s %s has no `%s` attribute (%s takes one), and %s %s cannot go "
              "in one%s%s%s", a->key, named, chg_a_an(k->name), k->name, a->key, joined,
              chg_a_an(a->key), a->key, links ? "; it names the blocks it concerns in `linked [" : "",
              links ? named : "", links ? "]`" : "");
  } else if (as_kind)
    chg_error(ctx, CHG_E_MISPLACED_BLOCK, chg_key_span(a),
              "%s %s cannot go in %s: it goes %s", chg_a_an(a->key), a->key, block_label(ctx, b),
              places_of(ctx, as_kind));
  else if ((joined = joined_attribute(ctx, k, a, &with_underscore))) {
    chg_error(ctx, CHG_E_UNKNOWN_ATTRIBUTE, chg_key_span(a),
              "unknown attribute `%s` in %s; did you mean `%s`? An attribute's name is one "
              "word%s", a->key, block_label(ctx, b), joined,
              with_underscore ? ", joined with `_`" : "");
    return joined;
  } else {
    /* `score 20` on a risk: a field chg works out; `baseline` on a
     * programme: another kind's attribute */
    const char *hint = chg_suggest_text(ctx, &s);
    const char *elsewhere = !s.best ? kinds_taking(ctx, a->key) : NULL;
    if (!s.best && chg_field_find((int)k->id, a->key))
      hint = chg_arena_printf(&ctx->arena, ": `%s` is worked out by chg for %s %s (conditions "
                              "and reports read it), not written", a->key, chg_a_an(k->name),
                              k->name);
    else if (elsewhere)
      hint = chg_arena_printf(&ctx->arena, ": `%s` is an attribute of %s", a->key, elsewhere);
    chg_error(ctx, CHG_E_UNKNOWN_ATTRIBUTE, chg_key_span(a),
              "unknown attribute `%s` in %s%s", a->key, block_label(ctx, b), hint);
    return attr_meant;
  }
  return NULL;
}

/* Says that `a` gives again the key that `first` gave. */
static void keyed_repeated(chg_ctx *ctx, chg_node *b, const chg_node *first, chg_node *a) {
  char name[256];
  chg_value_format(&chg_node_args(a)[0], name, sizeof name);
  chg_error(ctx, CHG_E_REPEATED_ATTRIBUTE, chg_node_args(a)[0].span,
            "`%s %s` is given more than once in %s", a->key, name,
            block_label(ctx, b));
  chg_note(ctx, chg_node_args(first)[0].span, "first given here");
}

/* A keyed attribute's key as one interned name (`drm.cre` for a path) */
static const char *keyed_name(chg_ctx *ctx, const chg_node *a) {
  if (chg_path_len(&chg_node_args(a)[0]) == 1) return chg_path_name(&chg_node_args(a)[0], 0);
  char name[256];
  chg_value_format(&chg_node_args(a)[0], name, sizeof name);
  return chg_intern_cstr(&ctx->names, name);
}

/* A repeatable attribute keyed by its first value (`status overall`,
 * `depends_on drm`, `posts officers`) is still given once per key in a
 * block.  The few of a block written by hand are looked through; past
 * that (a generated list of 40,000 dependencies took two seconds) they go
 * in a table of the block's own, by attribute and key. */
enum { KEYED_LOOKED_THROUGH = 32 };

static void check_keyed_repeat(chg_ctx *ctx, chg_node *b, chg_node *first,
                               chg_node *a, uint32_t nkeyed, chg_map *seen) {
  if (!a->nargs || chg_node_args(a)[0].kind != CHG_V_NAME) return;
  if (nkeyed > KEYED_LOOKED_THROUGH) {
    if (nkeyed == KEYED_LOOKED_THROUGH + 1) /* the table starts with those before */
      for (chg_node *x = first; x != a; x = x->next)
        if (x->kind == CHG_N_ATTR && x->key == a->key && x->nargs &&
            chg_node_args(x)[0].kind == CHG_V_NAME)
          (void)chg_map_put(seen, x->key, keyed_name(ctx, x), x);
    chg_node *x = chg_map_put(seen, a->key, keyed_name(ctx, a), a);
    if (x) keyed_repeated(ctx, b, x, a);
    return;
  }
  for (chg_node *x = first; x && x != a; x = x->next) {
    if (x->kind != CHG_N_ATTR || x->key != a->key || !x->nargs ||
        chg_node_args(x)[0].kind != CHG_V_NAME ||
        chg_path_len(&chg_node_args(x)[0]) != chg_path_len(&chg_node_args(a)[0]))
      continue;
    bool same = true;
    for (uint32_t i = 0; i < chg_path_len(&chg_node_args(a)[0]); i++)
      same = same && chg_path_name(&chg_node_args(x)[0], i) == chg_path_name(&chg_node_args(a)[0], i);
    if (!same) continue;
    keyed_repeated(ctx, b, x, a);
    return;
  }
}

/* Whether `key` was written as a value of another attribute past the
 * values it takes (`unit TP level 2`): said once, as too many values. */
static bool run_on(const chg_node *b, const char *key) {
  for (const chg_node *a = b->items; a; a = a->next) {
    const chg_attr_spec *as = a->kind == CHG_N_ATTR ? chg_node_aspec(a) : NULL;
    for (uint32_t i = as ? as->nparams : a->nargs; i < a->nargs; i++)
      if (chg_node_args(a)[i].kind == CHG_V_NAME &&
          strcmp(chg_path_name(&chg_node_args(a)[i], 0), key) == 0)
        return true;
  }
  return false;
}

/* Blocks without an id inside a block are told apart by their order
 * among those of their kind (`g1.risk#2`), numbered once their ids are
 * known: a path is asked for again and again, and each of 30,000 nameless
 * risks counting its siblings was 900 million steps. */
typedef struct unnamed_kind {
  const char *key;
  uint32_t count;
} unnamed_kind;

typedef struct unnamed_kinds {
  unnamed_kind kinds[8];
  size_t nkinds;
} unnamed_kinds;

static void count_unnamed(unnamed_kinds *u, const chg_node *c) {
  for (size_t i = 0; i < u->nkinds; i++)
    if (u->kinds[i].key == c->key) {
      u->kinds[i].count++;
      return;
    }
  if (u->nkinds < sizeof u->kinds / sizeof u->kinds[0]) u->kinds[u->nkinds++] = (unnamed_kind){c->key, 1};
}

/* Each unnamed child block its number, or CHG_UNNAMED_ALONE; a kind past
 * the eight counted is left to be counted when its path is asked for. */
static void number_unnamed(chg_node *b, unnamed_kinds *u) {
  uint32_t seen[sizeof u->kinds / sizeof u->kinds[0]] = {0};
  for (chg_node *c = b->items; c; c = c->next) {
    if (c->kind != CHG_N_BLOCK || c->has_id) continue;
    for (size_t i = 0; i < u->nkinds; i++)
      if (u->kinds[i].key == c->key) {
        c->unnamed_position = u->kinds[i].count > 1 ? ++seen[i] : CHG_UNNAMED_ALONE;
        break;
      }
  }
}

/* Whether a block stands where its kind may: one that does not has had
 * its error, and what it lacks is not said as well. */
static bool placed_where_it_may(const chg_node *b) {
  uint32_t where = b->parent ? (b->parent->spec ? CHG_KM(b->parent->spec->id) : 0) : CHG_KM_TOP;
  return (b->spec->where & where) != 0;
}

/* `unit Estates "Estates team"` inside a programme: a unit's definition,
 * id and title, where the attribute names the unit the work belongs to.
 * Said once, as what it is, not as a second `unit`, an unknown unit and a
 * value too many.  Whether it was. */
static bool defines_in_passing(chg_ctx *ctx, chg_node *b, chg_node *a) {
  /* the shape first: every attribute of a large portfolio comes here */
  if (a->nargs != 2 || chg_node_args(a)[1].kind != CHG_V_STRING || a->has_braces || a->nseries ||
      !is_single_name(&chg_node_args(a)[0]))
    return false;
  const chg_kind_spec *kind = chg_schema_find_kind(a->key);
  if (!kind || (kind->where & CHG_KM(b->spec->id))) return false;
  char id[128];
  chg_value_format(&chg_node_args(a)[0], id, sizeof id);
  chg_error(ctx, CHG_E_MISPLACED_BLOCK, a->span,
            "`%s %s \"...\"` is written as %s %s is defined, with an id and a title, and "
            "that goes %s; inside %s, `%s` names the %s it belongs to, as in `%s %s`",
            a->key, id, chg_a_an(a->key), a->key, places_of(ctx, kind), block_label(ctx, b),
            a->key, a->key, a->key, id);
  return true;
}

static void check_items(chg_ctx *ctx, chg_node *b) {
  const chg_kind_spec *k = b->spec;
  enum { MAX_ATTRS = 16 };
  chg_node *first[MAX_ATTRS] = {0};
  unnamed_kinds unnamed = {.nkinds = 0};
  const char *meant_keys[8]; /* attributes misspelt, said so already */
  size_t nmeant = 0;
  uint32_t nkeyed[MAX_ATTRS] = {0};
  chg_map keyed_seen;
  chg_map_init(&keyed_seen, &ctx->al);
  for (chg_node *a = b->items; a; a = a->next) {
    chg_prefetch_ahead(a);
    if (chg_too_many_errors(ctx)) {
      chg_map_release(&keyed_seen);
      return;
    }
    if (a->kind == CHG_N_BLOCK) {
      check_block(ctx, a);
      if (!a->has_id) count_unnamed(&unnamed, a);
      continue;
    }
    if (a->kind == CHG_N_USE || a->kind == CHG_N_INCLUDE) {
      chg_error(ctx, CHG_E_SYNTAX, a->span, "`%s` goes at the top level of a file",
                a->kind == CHG_N_USE ? "use" : "include");
      continue;
    }
    const chg_attr_spec *as = find_attr(ctx, k, a->key);
    if (!as) {
      /* a line of text, said as such: of a long string, or of a string
       * that lost its opening quote (`planning how ...` after a `;` in it) */
      if (chg_damaged_at(ctx, chg_key_span(a)) || ends_in_lost_quote(ctx, chg_key_span(a))) continue;
      chg_node *absorbed = NULL; /* what it said with it */
      const char *meant = unknown_attribute(ctx, b, a, &absorbed);
      if (absorbed) a = absorbed;
      if (meant && nmeant < sizeof meant_keys / sizeof meant_keys[0]) meant_keys[nmeant++] = meant;
      continue;
    }
    if (defines_in_passing(ctx, b, a)) continue;
    size_t idx = (size_t)(as - k->attrs);
    if (first[idx] && !(as->flags & CHG_A_REPEATABLE)) {
      chg_error(ctx, CHG_E_REPEATED_ATTRIBUTE, chg_key_span(a),
                "`%s` is given more than once in %s", a->key, block_label(ctx, b));
      chg_note(ctx, chg_key_span(first[idx]), "first given here");
    }
    if (as->flags & CHG_A_KEYED) nkeyed[idx]++;
    if (!first[idx]) first[idx] = a;
    else if (as->flags & CHG_A_KEYED)
      check_keyed_repeat(ctx, b, first[idx], a, nkeyed[idx], &keyed_seen);
    check_attr(ctx, b, a, as);
  }
  chg_map_release(&keyed_seen);
  if (unnamed.nkinds) number_unnamed(b, &unnamed);
  bool damaged = chg_damaged(ctx, b->span) || closed_by_recovery(ctx, b) || !placed_where_it_may(b);
  for (size_t i = 0; i < k->nattrs; i++) {
    if (!(k->attrs[i].flags & CHG_A_REQUIRED) || first[i] || damaged ||
        run_on(b, k->attrs[i].key))
      continue;
    bool misspelt = false;
    for (size_t j = 0; j < nmeant && !misspelt; j++) misspelt = !strcmp(meant_keys[j], k->attrs[i].key);
    if (misspelt) continue;
    chg_error(ctx, CHG_E_MISSING_ATTRIBUTE, chg_key_span(b),
              "%s has no `%s` (%s)", block_label(ctx, b), k->attrs[i].key,
              k->attrs[i].doc);
  }
}

static void check_block(chg_ctx *ctx, chg_node *b) {
  const chg_kind_spec *k = find_kind(ctx, b->key);
  if (!k) {
    unknown_kind(ctx, b);
    /* `programm drm`: said once, not again wherever `drm` is named */
    if (b->nargs && chg_node_args(b)[0].kind == CHG_V_NAME && chg_path_len(&chg_node_args(b)[0]) == 1)
      chg_vec_push(&ctx->al, &ctx->failed_names, (void *)chg_path_name(&chg_node_args(b)[0], 0));
    return;
  }
  b->kind = CHG_N_BLOCK;
  b->spec = k;
  bool placed = placed_where_it_may(b);
  if (!placed) misplaced(ctx, b, k);
  read_head(ctx, b, placed);
  register_block(ctx, b);
  check_items(ctx, b);
}

static bool attribute_outside(const chg_node *n) {
  return n && n->kind == CHG_N_ATTR && !chg_node_expr(n) && !chg_schema_find_kind(n->key) &&
         chg_schema_is_attribute(n->key);
}

/* Checks a top-level item; returns the last item it took (several: the
 * attributes of a block whose head was lost, said once). */
static chg_node *check_top_item(chg_ctx *ctx, chg_node *n) {
  if (n->kind == CHG_N_USE || n->kind == CHG_N_INCLUDE) return n;
  if (n->kind == CHG_N_ATTR) {
    if (chg_node_expr(n)) {
      chg_error(ctx, CHG_E_TOP_LEVEL_ATTRIBUTE, chg_key_span(n), "`%s` belongs inside a %s",
                n->key, strcmp(n->key, "when") == 0 ? "rule, as in `rule r { on risk; when score >= 15; escalate board }`"
                                                     : "claim, as in `claim c { expect count(risk) > 0 }`");
      return n;
    }
    if (attribute_outside(n)) {
      chg_node *last = n;
      unsigned more = 0;
      while (attribute_outside(last->next) && last->next->span.file == n->span.file) last = last->next, more++;
      if (more == 0)
        chg_error(ctx, CHG_E_TOP_LEVEL_ATTRIBUTE, chg_key_span(n),
                  "attribute `%s` is outside any block (at the top level, "
                  "every item is a block)", n->key);
      else {
        unsigned line, col;
        chg_file_position(ctx, last->span.file, last->span.start, &line, &col);
        chg_error(ctx, CHG_E_TOP_LEVEL_ATTRIBUTE, chg_key_span(n),
                  "attribute `%s` and the %u after it, to `%s` at line %u, are outside any "
                  "block: is the head of their block (`KIND id \"title\" {`) missing above them?",
                  n->key, more, last->key, line);
      }
      return last;
    }
  }
  check_block(ctx, n);
  return n;
}

/* ---- references and levels ------------------------------------------------ */

/* Offers the ids under a parent: blocks of the kinds wanted, and at the
 * top level, blocks that might hold one (a reference runs through them). */
/* `holder` is the block the reference is written in: never a suggestion
 * for it (`depends_on b` inside `b` would be a cycle of one). */
/* "Did you mean" for a wrong reference reads every top-level id: thousands
 * of wrong references in a portfolio of a million blocks were billions of
 * comparisons (20,000 of them ran past a minute).  Past this many ids read
 * in a run (500 suggestions among 10,000 ids, five among a million),
 * and once --max-errors is reached, the errors are given without one. */
enum { SUGGESTION_READS_MAX = 5000000 };

static bool may_read_all_ids(chg_ctx *ctx) {
  if (chg_too_many_errors(ctx) || ctx->suggestion_reads > SUGGESTION_READS_MAX) return false;
  ctx->suggestion_reads += ctx->blocks.len;
  return true;
}

void chg_suggest_ids(chg_ctx *ctx, chg_suggester *s, const chg_node *parent, uint32_t kinds,
                     const chg_node *holder) {
  uint32_t holders = 0;
  for (int k = 0; k < CHG_K__COUNT; k++)
    if (kinds & CHG_KM(k)) holders |= chg_schema_kind((chg_kind_id)k)->where;
  uint32_t wanted = kinds | (holders & ~CHG_KM_TOP);
  if (parent) {
    for (chg_node *c = parent->items; c; c = c->next)
      if (c != holder && c->kind == CHG_N_BLOCK && chg_block_id(c) && c->spec &&
          (wanted & CHG_KM(c->spec->id)))
        chg_suggest_offer(s, chg_block_id(c));
    return;
  }
  if (!may_read_all_ids(ctx)) return;
  for (size_t i = 0; i < ctx->blocks.len; i++) {
    chg_node *b = ctx->blocks.items[i];
    if (b != holder && !b->parent && chg_block_id(b) && (wanted & CHG_KM(b->spec->id)))
      chg_suggest_offer(s, chg_block_id(b));
  }
}

/* Looks for the last part of a path anywhere, to suggest a full path. */
chg_node *chg_find_anywhere(chg_ctx *ctx, const char *id, uint32_t kinds) {
  if (!may_read_all_ids(ctx)) return NULL;
  for (size_t i = 0; i < ctx->blocks.len; i++) {
    chg_node *b = ctx->blocks.items[i];
    if (chg_block_id(b) == id && (kinds & CHG_KM(b->spec->id))) return b;
  }
  return NULL;
}

/* The part of a path that names b in its parent: its id, else its kind,
 * numbered when its parent holds other blocks of that kind without an id
 * (`a.impact#2`), so that two unnamed impacts are not one path.  `buf`
 * holds a numbered part. */
const char *chg_block_path_part(const chg_node *b, char buf[48]) {
  if (b->has_id) return chg_block_id(b);
  if (!b->parent) {
    if (!b->unnamed_position) return b->key;
    snprintf(buf, 48, "%.24s#%u", b->key, b->unnamed_position);
    return buf;
  }
  if (b->unnamed_position == CHG_UNNAMED_ALONE) return b->key;
  if (b->unnamed_position) {
    snprintf(buf, 48, "%.24s#%u", b->key, b->unnamed_position);
    return buf;
  }
  /* not yet numbered (a diagnostic while checking) */
  unsigned position = 0, unnamed = 0;
  for (const chg_node *c = b->parent->items; c; c = c->next) {
    if (c->kind != CHG_N_BLOCK || c->has_id || c->key != b->key) continue;
    unnamed++;
    if (c == b) position = unnamed;
  }
  if (unnamed < 2) return b->key;
  snprintf(buf, 48, "%.24s#%u", b->key, position);
  return buf;
}

/* `g1.p1.r1`: the dotted path that names a block, in one allocation (a
 * top-level block's path is its id, allocated not at all). */
const char *chg_path_in(chg_arena *arena, const chg_node *b) {
  if (!b) return NULL;
  if (!b->parent && !b->unnamed_position) return chg_block_id_or(b, b->key);
  char buf[48];
  size_t len = 0;
  for (const chg_node *p = b; p; p = p->parent) len += strlen(chg_block_path_part(p, buf)) + 1;
  char *s = chg_arena_alloc(arena, len), *end = s + len - 1;
  *end = '\0';
  for (const chg_node *p = b; p; p = p->parent) {
    const char *part = chg_block_path_part(p, buf);
    size_t n = strlen(part);
    end -= n;
    memcpy(end, part, n);
    if (end > s) *--end = '.';
  }
  return s;
}

const char *chg_path_of(chg_ctx *ctx, const chg_node *b) { return chg_path_in(&ctx->arena, b); }

const char *chg_block_name(chg_ctx *ctx, const chg_node *b) {
  return b->has_id ? chg_block_id(b) : chg_path_of(ctx, b);
}

/* An include not found whose did-you-mean names a file that was read all
 * the same (by another include, or a directory walk): what is defined
 * nowhere is not in that file.  Each absence learns it once, before any
 * reference is resolved. */
static void settle_absences(chg_ctx *ctx) {
  for (size_t i = 0; i < ctx->absences.len; i++) {
    chg_absence *a = ctx->absences.items[i];
    for (size_t f = 1; a->meant_real && f < ctx->nfiles && !a->meant_file; f++)
      if (ctx->files[f] && ctx->files[f]->real && strcmp(ctx->files[f]->real, a->meant_real) == 0)
        a->meant_file = ctx->files[f];
  }
}

/* A top-level name defined nowhere, and like nothing defined, where an
 * include loaded nothing: taken to be in what the first such include was
 * meant to load, and said once, by explain_absences, not at each
 * reference. */
static bool absent_for_a_reason(chg_ctx *ctx, const chg_value *v) {
  const chg_absence *by = NULL;
  for (size_t i = 0; i < ctx->absences.len && !by; i++)
    if (!((const chg_absence *)ctx->absences.items[i])->meant_file) by = ctx->absences.items[i];
  if (!by) return false;
  chg_absent_ref *r = CHG_NEW(&ctx->arena, chg_absent_ref);
  r->name = v;
  r->by = by;
  chg_vec_push(&ctx->al, &ctx->absent_refs, r);
  return true;
}

/* Each absence with references taken to be explained by it says which
 * names they are, in its own message: an include pattern that matched
 * nothing was a warning, and is an error once something needed it. */
static void explain_absences(chg_ctx *ctx) {
  enum { NAMES_SHOWN = 3 };
  /* (absence, name) once each: a national portfolio's references into a
   * lost file are many, and comparing each with those before it was
   * quadratic */
  chg_map seen;
  chg_map_init(&seen, &ctx->al);
  for (size_t i = 0; i < ctx->absences.len; i++) {
    const chg_absence *a = ctx->absences.items[i];
    const chg_file *meant = a->meant_file;
    if (meant) {
      /* read because a directory was checked, it is still to be named
       * right: the portfolio's own file, checked alone, needs it */
      chg_diag *d = &ctx->diags[a->diag];
      if (meant->included)
        d->message = chg_arena_printf(&ctx->arena, "%s That file is included already, so this "
                                      "include is one too many", d->message);
      continue;
    }
    size_t refs = 0, distinct = 0;
    const char *shown[NAMES_SHOWN];
    chg_span first_named[NAMES_SHOWN];
    for (size_t k = 0; k < ctx->absent_refs.len; k++) {
      const chg_absent_ref *r = ctx->absent_refs.items[k];
      if (r->by != a) continue;
      refs++;
      const char *name = chg_path_name(r->name, 0);
      if (chg_map_put(&seen, a, name, (void *)name)) continue;
      if (distinct < NAMES_SHOWN) {
        shown[distinct] = name;
        first_named[distinct] = r->name->span;
      }
      distinct++;
    }
    if (!refs) continue;
    chg_diag *d = &ctx->diags[a->diag];
    if (d->severity == CHG_WARNING) {
      d->severity = CHG_ERROR;
      ctx->warnings--;
      ctx->errors++;
    }
    /* `a`; `a` and `b`; `a`, `b` and `c`; `a`, `b`, `c` and 2 other names */
    chg_buf names = {0};
    size_t listed = distinct < NAMES_SHOWN ? distinct : NAMES_SHOWN;
    for (size_t k = 0; k < listed; k++) {
      const char *sep = k == 0 ? "" : k + 1 == listed && distinct == listed ? " and " : ", ";
      const char *one = chg_arena_printf(&ctx->arena, "%s`%s`", sep, shown[k]);
      chg_buf_put(&ctx->al, &names, one, strlen(one));
    }
    const char *others =
        distinct > listed ? chg_arena_printf(&ctx->arena, " and %zu other name%s",
                                             distinct - listed, distinct - listed == 1 ? "" : "s")
                          : "";
    d->message = chg_arena_printf(
        &ctx->arena,
        "%s%s %.*s%s, named by %zu reference%s and defined nowhere, %s taken to be in %s",
        d->message, d->message[0] && d->message[strlen(d->message) - 1] == '?' ? "" : ";",
        (int)names.len, names.data ? names.data : "", others, refs, refs == 1 ? "" : "s",
        distinct == 1 ? "is" : "are", a->lost);
    chg_buf_release(&ctx->al, &names);
    /* where each is named: should the guess be wrong, the reference is
     * the mistake, and this is where it is */
    uint32_t primary = ctx->last_primary;
    ctx->last_primary = a->diag;
    for (size_t k = 0; k < listed; k++)
      chg_note(ctx, first_named[k], "`%s` is named here%s", shown[k],
               k == 0 && refs > distinct ? " (the first of its references)" : "");
    ctx->last_primary = primary;
  }
  chg_map_release(&seen);
}

/* Whether b, a block of the kinds wanted, is titled starting with the
 * word `name`, in any case ("Infrastructure Programme" for
 * `infrastructure`). */
static bool titled_with(const chg_node *b, const char *name, size_t n, uint32_t kinds) {
  const char *t = b->kind == CHG_N_BLOCK && b->spec && (kinds & CHG_KM(b->spec->id)) &&
                          chg_block_id(b)
                      ? chg_block_title(b)
                      : NULL;
  return t && strncasecmp(t, name, n) == 0 && !isalnum((unsigned char)t[n]) && t[n] != '_';
}

/* `depends_on infrastructure` for `infra`, titled "Infrastructure
 * Programme": the one block of the kinds wanted among the scope's (the
 * top level's) whose title starts with the name; NULL when none, or more
 * than one, does. */
static const chg_node *titled_as(chg_ctx *ctx, const chg_node *scope, const char *name,
                                 uint32_t kinds, const chg_node *holder) {
  size_t n = strlen(name), matches = 0;
  const chg_node *found = NULL;
  if (scope) {
    for (const chg_node *c = scope->items; c; c = c->next)
      if (c != holder && titled_with(c, name, n, kinds)) found = c, matches++;
  } else if (may_read_all_ids(ctx)) {
    for (size_t i = 0; i < ctx->blocks.len; i++) {
      const chg_node *b = ctx->blocks.items[i];
      if (b != holder && !b->parent && titled_with(b, name, n, kinds)) found = b, matches++;
    }
  }
  return matches == 1 ? found : NULL;
}

static void resolve_ref(chg_ctx *ctx, chg_value *v, uint32_t kinds,
                        const char *what, const char *key, const chg_node *holder) {
  chg_node *scope = NULL;
  for (uint32_t i = 0; i < chg_path_len(v); i++) {
    const char *name = chg_path_name(v, i);
    chg_node *found = chg_symbol_find(ctx, scope, name);
    if (!found && !scope)
      for (size_t k = 0; k < ctx->failed_names.len; k++)
        if (ctx->failed_names.items[k] == name) return; /* its block's kind was said */
    if (!found) {
      chg_suggester s;
      chg_suggest_init(&s, name);
      chg_suggest_ids(ctx, &s, scope, kinds, holder);
      const char *hint = chg_suggest_text(ctx, &s);
      /* `cre`, or `cre.exits`, for `drm.cre...`: the first part is inside a
       * block, where a reference does not start */
      chg_node *elsewhere =
          s.best || scope  ? NULL
          : chg_path_len(v) == 1 ? chg_find_anywhere(ctx, name, kinds)
                                 : chg_find_anywhere(ctx, name, CHG_KM_ANY);
      if (elsewhere && chg_path_len(v) > 1 && !elsewhere->parent) elsewhere = NULL;
      const chg_node *titled = !s.best && !elsewhere ? titled_as(ctx, scope, name, kinds, holder) : NULL;
      if (titled && chg_block_id(titled) && chg_block_title(titled))
        hint = chg_arena_printf(&ctx->arena, "; did you mean `%s`, titled \"%s\"?",
                                chg_block_id(titled), chg_block_title(titled));
      if (!scope && !s.best && !elsewhere && !titled && absent_for_a_reason(ctx, v)) return;
      if (elsewhere && !elsewhere->parent) /* named apart from blocks: a scale */
        hint = chg_arena_printf(&ctx->arena, " (`%s` is a %s, which no reference can name)",
                                name, elsewhere->key);
      else if (elsewhere) {
        /* the rest of the path as written after it */
        const char *rest = "";
        for (uint32_t r = 1; r < chg_path_len(v); r++)
          rest = chg_arena_printf(&ctx->arena, "%s.%s", rest, chg_path_name(v, r));
        hint = chg_arena_printf(&ctx->arena,
                                "; did you mean `%s%s`? (references start from "
                                "a top-level name)",
                                chg_path_of(ctx, elsewhere), rest);
      }
      if (scope)
        chg_error(ctx, CHG_E_UNKNOWN_REFERENCE, chg_path_span(v, i),
                  "%s has nothing called `%s`%s", block_label(ctx, scope), name,
                  hint);
      else
        chg_error(ctx, CHG_E_UNKNOWN_REFERENCE, chg_path_span(v, i),
                  "unknown %s `%s`%s", what, name, hint);
      return;
    }
    scope = found;
  }
  for (size_t k = 0; !(kinds & CHG_KM(scope->spec->id)) && k < ctx->shadowed.len; k++) {
    chg_node *twin = ctx->shadowed.items[k];
    if (twin->parent == scope->parent && chg_block_id(twin) == chg_block_id(scope) &&
        (kinds & CHG_KM(twin->spec->id)))
      scope = twin; /* `unit dft` beside `portfolio dft`: the clash is said once */
  }
  if (!(kinds & CHG_KM(scope->spec->id))) {
    chg_error(ctx, CHG_E_WRONG_KIND_REFERENCE, v->span,
              "`%s` names a %s, but `%s` needs a %s", chg_path_of(ctx, scope),
              scope->key, key, kinds_listed(ctx, kinds, false));
    chg_note(ctx, chg_id_span(scope), "%s is defined here", chg_path_of(ctx, scope));
    return;
  }
  v->kind = CHG_V_REF;
  v->u.ref = scope;
}

bool chg_scale_module_missing(chg_ctx *ctx, const char *scale_name) {
  const char *module = chg_schema_scale_module(scale_name);
  for (size_t i = 0; module && i < ctx->missing_modules.len; i++) {
    chg_suggester sg;
    chg_suggest_init(&sg, ctx->missing_modules.items[i]);
    chg_suggest_offer(&sg, module);
    if (sg.best || strcmp(ctx->missing_modules.items[i], module) == 0) return true;
  }
  return false;
}

/* Which of two scales was defined first: the order of their blocks, then
 * of their names.  (The table of scales is in no order a reader would
 * know, nor the same one for a file parsed in pieces.) */
static bool defined_before(const chg_scale *a, const chg_scale *b) {
  uint32_t ia = a->node ? a->node->index : UINT32_MAX, ib = b->node ? b->node->index : UINT32_MAX;
  return ia != ib ? ia < ib : strcmp(a->name, b->name) < 0;
}

/* `status overall amber_red`: "; `amber_red` is a level of the `dca`
 * scale", when a scale in scope has it (the first defined, if several) */
static const char *level_of_another_scale(chg_ctx *ctx, const chg_scale *wanted,
                                          const char *level) {
  const chg_scale *first = NULL;
  for (size_t i = 0; i < ctx->scales.cap; i++) {
    const chg_scale *other = ctx->scales.slots[i].value;
    if (other && other != wanted && chg_scale_level(ctx, other, level) >= 0 &&
        (!first || defined_before(other, first)))
      first = other;
  }
  return first ? chg_arena_printf(&ctx->arena, "; `%s` is a level of the `%s` scale", level,
                                  first->name)
               : "";
}

/* A scale not in scope is said at the first level written of it, once,
 * as a compiler says an undeclared name once: a portfolio that forgot
 * `use std.rag` writes a level of it on every status line. */
typedef struct chg_unscoped {
  const char *scale;
  size_t diag;    /* the error, which says at the end how many more */
  uint32_t more;
} chg_unscoped;

bool chg_unscoped_said(chg_ctx *ctx, const char *scale_name) {
  for (size_t i = 0; i < ctx->unscoped_scales.len; i++) {
    chg_unscoped *u = ctx->unscoped_scales.items[i];
    if (strcmp(u->scale, scale_name) == 0) {
      u->more++;
      return true;
    }
  }
  return false;
}

void chg_unscoped_first(chg_ctx *ctx, const char *scale_name) {
  if (ctx->last_primary == UINT32_MAX) return;
  chg_unscoped *u = CHG_NEW(&ctx->arena, chg_unscoped);
  *u = (chg_unscoped){scale_name, ctx->last_primary, 0};
  chg_vec_push(&ctx->al, &ctx->unscoped_scales, u);
}

static void count_unscoped(chg_ctx *ctx) {
  for (size_t i = 0; i < ctx->unscoped_scales.len; i++) {
    const chg_unscoped *u = ctx->unscoped_scales.items[i];
    if (!u->more || u->diag >= ctx->ndiags) continue;
    chg_diag *d = &ctx->diags[u->diag];
    d->message = chg_arena_printf(&ctx->arena, "%s (said once: %u more place%s name%s a level "
                                  "of `%s`)", d->message, u->more, u->more == 1 ? "" : "s",
                                  u->more == 1 ? "s" : "", u->scale);
  }
}

/* `use std.escalation` and a `scale escalation` of the portfolio's own,
 * without `board`: the module's rules name levels the scale that replaces
 * the module's lacks.  Said once, at the portfolio's scale, where it can
 * be mended, naming each level, not once for each line of the module. */
typedef struct chg_replaced {
  const chg_scale *scale;
  size_t diag;        /* the error, said again with each level found */
  const char *levels; /* "`board`, `portfolio`" */
} chg_replaced;

static void module_level_missing(chg_ctx *ctx, const chg_scale *s, const char *scale_name,
                                 const char *level, chg_span at) {
  const char *quoted = chg_arena_printf(&ctx->arena, "`%s`", level);
  chg_replaced *r = NULL;
  for (size_t i = 0; i < ctx->replaced_scales.len && !r; i++)
    if (((chg_replaced *)ctx->replaced_scales.items[i])->scale == s) r = ctx->replaced_scales.items[i];
  if (r && strstr(r->levels, quoted)) return;
  const char *module = chg_schema_scale_module(scale_name);
  const char *levels = r ? chg_arena_printf(&ctx->arena, "%s, %s", r->levels, quoted) : quoted;
  const char *message = chg_arena_printf(
      &ctx->arena,
      "the portfolio's own `%s` scale replaces the one %s%s%s defines, whose blocks name "
      "levels it does not have: %s; add them to it, or leave out the `use`",
      chg_block_id(s->node), module ? "`" : "a module", module ? module : "", module ? "`" : "",
      levels);
  if (r) {
    r->levels = levels;
    if (r->diag < ctx->ndiags) ctx->diags[r->diag].message = message;
    return;
  }
  chg_error(ctx, CHG_E_UNKNOWN_LEVEL, chg_id_span(s->node), "%s", message);
  r = CHG_NEW(&ctx->arena, chg_replaced);
  *r = (chg_replaced){s, ctx->last_primary, levels};
  chg_note(ctx, at, "the module names `%s` here", level);
  chg_vec_push(&ctx->al, &ctx->replaced_scales, r);
}

/* A scale the portfolio defined under a name close to the one an
 * attribute reads (`RAG`, `dcaa` for `rag`, `dca`): meant as it, most likely. */
static const chg_scale *scale_named_nearly(chg_ctx *ctx, const char *scale_name) {
  chg_suggester sg;
  chg_suggest_init(&sg, scale_name);
  const chg_map *m = &ctx->scales;
  for (size_t i = 0; i < m->cap; i++)
    if (m->slots[i].name && !m->slots[i].scope) chg_suggest_offer(&sg, m->slots[i].name);
  return sg.best ? chg_scale_find(ctx, sg.best) : NULL;
}

static void resolve_level(chg_ctx *ctx, chg_value *v, const char *scale_name,
                          const char *what) {
  const char *level = chg_path_name(v, 0);
  const chg_scale *s = chg_scale_find(ctx, scale_name);
  if (!s && chg_scale_module_missing(ctx, scale_name)) return; /* the `use` was said */
  if (!s && chg_unscoped_said(ctx, scale_name)) return;
  if (!s) {
    size_t errors_before = ctx->errors;
    const char *module = chg_schema_scale_module(scale_name);
    /* a module not found may have been the one to define it */
    const char *unless = ctx->missing_modules.len
                             ? chg_arena_printf(&ctx->arena, " (unless `%s`, not found, was to define it)",
                                                (const char *)ctx->missing_modules.items[0])
                             : "";
    const chg_scale *near = scale_named_nearly(ctx, scale_name);
    if (near) {
      chg_error(ctx, CHG_E_SCALE_NOT_IN_SCOPE, v->span,
                "%s `%s` must be a level of the `%s` scale, which is not in scope; the "
                "portfolio defines scale `%s`, but a scale's name must match exactly: "
                "name it `%s`%s%s%s", what, level, scale_name, near->name,
                scale_name, module ? ", or add `use " : "", module ? module : "",
                module ? "`" : "");
      chg_note(ctx, chg_id_span(near->node), "scale `%s` is defined here", near->name);
    } else if (module)
      chg_error(ctx, CHG_E_SCALE_NOT_IN_SCOPE, v->span,
                "%s `%s` must be a level of the `%s` scale, which is not in scope%s; "
                "add `use %s` or define `scale %s`", what, level, scale_name, unless,
                module, scale_name);
    else
      chg_error(ctx, CHG_E_SCALE_NOT_IN_SCOPE, v->span,
                "%s `%s` must be a level of the `%s` scale, which is not defined",
                what, level, scale_name);
    if (ctx->errors > errors_before) chg_unscoped_first(ctx, scale_name);
    return;
  }
  int i = chg_scale_level(ctx, s, level);
  if (i < 0 && in_module(ctx, v->span) && !in_module(ctx, s->node->span)) {
    module_level_missing(ctx, s, scale_name, level, v->span);
    return;
  }
  /* a scale with a syntax error in it may have lost this level there,
   * where it was said: not again at every use */
  if (i < 0 && s->node && chg_damaged(ctx, s->node->span)) return;
  if (i < 0) {
    chg_error(ctx, CHG_E_UNKNOWN_LEVEL, v->span, "`%s` is not a level of the `%s` scale %s%s",
              level, scale_name, chg_level_choices(ctx, s, level),
              level_of_another_scale(ctx, s, level));
    return;
  }
  v->kind = CHG_V_LEVEL;
  v->u.scale = s;
  v->aux = (uint32_t)(i);
}

/* How many levels the portfolio's scale of a score has (`likelihood`,
 * `impact`), or 0 where it has none. */
static int64_t score_levels(chg_ctx *ctx, const char *scale_name) {
  size_t i = 0;
  while (i < 2 && ctx->score_scales[i].scale && ctx->score_scales[i].scale != scale_name) i++;
  if (i < 2 && ctx->score_scales[i].scale == scale_name) return ctx->score_scales[i].levels;
  const chg_scale *s = chg_scale_find(ctx, scale_name);
  int64_t levels = s ? (int64_t)s->nlevels : 0;
  if (i < 2) {
    ctx->score_scales[i].scale = scale_name;
    ctx->score_scales[i].levels = levels;
  }
  return levels;
}

/* A score's numbers are 1 to 5, the five-point matrix every source
 * report uses, built in whatever scale the portfolio has; and beyond, to
 * the length of a longer scale of its own (a seven-point `likelihood`
 * goes to 7).  A number past a shorter scale of its own is allowed, as
 * built in, but said: it scores as the number it is. */
static void check_score_number(chg_ctx *ctx, const chg_param *p, const chg_value *v) {
  chg_dec d = chg_value_dec(v);
  bool whole = dec_is_integer(d) && chg_dec_cmp(d, chg_dec_from_int(1)) >= 0;
  int64_t levels = score_levels(ctx, p->scale), top = levels > 5 ? levels : 5;
  bool past_top = !whole || chg_dec_cmp(d, chg_dec_from_int(top)) > 0;
  bool past_scale = levels > 1 && chg_dec_cmp(d, chg_dec_from_int(levels)) > 0;
  if (!past_top && !past_scale) return;
  char buf[64];
  chg_value_format(v, buf, sizeof buf);
  if (past_top) {
    if (top != 5)
      chg_error(ctx, CHG_E_OUT_OF_RANGE, v->span,
                "%s %s is out of range: it is a whole number from 1 to %lld, as the `%s` scale "
                "has %lld levels", p->what, buf, (long long)top, p->scale, (long long)top);
    else
      chg_error(ctx, CHG_E_OUT_OF_RANGE, v->span,
                "%s %s is out of range: it is a whole number from 1 to 5", p->what, buf);
  } else {
    chg_warning(ctx, CHG_E_OUT_OF_RANGE, v->span,
                "%s %s is past the portfolio's own `%s` scale, which has %lld levels: it "
                "scores as %s, more than the scale's worst level, which scores %lld", p->what,
                buf, p->scale, (long long)levels, buf, (long long)levels);
  }
}

static void resolve_attr(chg_ctx *ctx, const chg_node *holder, chg_node *a) {
  const chg_attr_spec *as = chg_node_aspec(a);
  uint32_t n = a->nargs < as->nparams ? a->nargs : as->nparams;
  for (uint32_t i = 0; i < n; i++) {
    const chg_param *p = &as->params[i];
    chg_value *v = &chg_node_args(a)[i];
    switch (p->type) {
    case CHG_P_REF:
      if (v->kind == CHG_V_NAME) resolve_ref(ctx, v, p->kinds, p->what, a->key, holder);
      break;
    case CHG_P_REF_LIST:
      if (v->kind != CHG_V_LIST) break;
      for (uint32_t j = 0; j < chg_list_len(v); j++)
        if (v->u.items[j].kind == CHG_V_NAME)
          resolve_ref(ctx, &v->u.items[j], p->kinds, "linked block", a->key, holder);
      break;
    case CHG_P_SCORE:
      if (v->kind == CHG_V_NUMBER) check_score_number(ctx, p, v);
      /* fall through */
    case CHG_P_LEVEL:
    case CHG_P_LOAD:
      if (is_single_name(v)) resolve_level(ctx, v, p->scale, p->what);
      break;
    default:
      break;
    }
  }
}

/* A band is the worst level whose threshold a score reaches (chg_band_of_score),
 * so thresholds that do not fall from the worst level to the best leave a
 * level no score can reach; a `risk_band` with none bands no risk at all,
 * and a threshold on any other scale bands nothing.  Each is said, for
 * each leaves a report's band column quietly wrong or empty. */
static void check_band_thresholds(chg_ctx *ctx, chg_node *b, const chg_scale *s,
                                  const chg_span *at) {
  bool is_band = strcmp(chg_block_id(b), "risk_band") == 0;
  uint32_t first = s->nlevels;
  for (uint32_t i = 0; i < s->nlevels && first == s->nlevels; i++)
    if (s->has_threshold[i]) first = i;
  if (!is_band) {
    if (first < s->nlevels)
      chg_warning(ctx, CHG_E_BAND_THRESHOLDS, at[first],
                  "a threshold on scale `%s` bands nothing: only the `risk_band` scale's "
                  "thresholds band a risk's score", chg_block_id(b));
    return;
  }
  if (first == s->nlevels) {
    if (s->nlevels)
      chg_warning(ctx, CHG_E_BAND_THRESHOLDS, chg_id_span(b),
                  "scale `risk_band` has no `threshold`: no risk will have a band, and a "
                  "condition on `band` is never true; give each level the lowest score it "
                  "takes (`threshold %s 20`: scores of 20 and over)", s->levels[0]);
    return;
  }
  uint32_t worse = first; /* the worse level with the lowest threshold so far */
  for (uint32_t j = first + 1; j < s->nlevels; j++) {
    if (!s->has_threshold[j]) continue;
    if (chg_dec_cmp(s->thresholds[j], s->thresholds[worse]) < 0) {
      worse = j;
      continue;
    }
    char mine[64], theirs[64];
    chg_dec_format(s->thresholds[j], mine, sizeof mine);
    chg_dec_format(s->thresholds[worse], theirs, sizeof theirs);
    chg_warning(ctx, CHG_E_BAND_THRESHOLDS, at[j],
                "no score is banded `%s`: its threshold, %s, is not below that of `%s`, a "
                "worse level, at %s, and a score takes the worst band whose threshold it "
                "reaches; thresholds fall from the worst level to the best",
                s->levels[j], mine, s->levels[worse], theirs);
  }
}

static void resolve_scale_thresholds(chg_ctx *ctx, chg_node *b) {
  chg_scale *s = b->data;
  if (!s) return;
  chg_span *at = CHG_NEW_ARRAY(&ctx->arena, chg_span, s->nlevels ? s->nlevels : 1);
  for (chg_node *a = b->items; a; a = a->next) {
    if (a->kind != CHG_N_ATTR || !chg_node_aspec(a) || strcmp(a->key, "threshold") != 0 ||
        a->nargs < 2 || !is_single_name(&chg_node_args(a)[0]) ||
        chg_node_args(a)[1].kind != CHG_V_NUMBER)
      continue;
    const char *level = chg_path_name(&chg_node_args(a)[0], 0);
    int i = chg_scale_level(ctx, s, level);
    if (i < 0) {
      chg_error(ctx, CHG_E_UNKNOWN_LEVEL, chg_node_args(a)[0].span,
                "`%s` is not a level of the `%s` scale %s", level, chg_block_id(b),
                chg_level_choices(ctx, s, level));
      continue;
    }
    s->has_threshold[i] = true;
    s->thresholds[i] = chg_value_dec(&chg_node_args(a)[1]);
    at[i] = chg_node_args(a)[1].span;
  }
  if (!chg_damaged(ctx, b->span)) check_band_thresholds(ctx, b, s, at);
}

/* ---- dependency cycles ----------------------------------------------------- */

typedef struct dep_walk {
  chg_ctx *ctx;
  uint8_t *colour; /* 0 unseen, 1 on the path, 2 done; by block index */
  chg_vec path;    /* the blocks on the path from where the walk began, each
                      followed by the next of its items to look at: a walk
                      of its own, not the C stack, for a chain of dependencies
                      may be as long as the portfolio */
} dep_walk;

bool chg_is_dependency(const chg_ctx *ctx, const chg_node *a) {
  return a->kind == CHG_N_ATTR && chg_node_aspec(a) && a->key == ctx->n.depends_on &&
         a->nargs >= 1 && chg_node_args(a)[0].kind == CHG_V_REF;
}

/* A cycle longer than this is shown by its first and last blocks. */
enum { CYCLE_SHOWN = 12, CYCLE_HEAD = 8, CYCLE_TAIL = 3 };

/* The cycle closed by a dependency on `to`, which is on the path: from
 * `to` along the path to the block that depends on it, and back. */
static void report_cycle(dep_walk *w, const chg_node *depends_on, chg_node *to) {
  const chg_allocator *al = &w->ctx->al;
  size_t from = w->path.len - 2;
  while (from > 0 && w->path.items[from] != to) from -= 2;
  size_t blocks = (w->path.len - from) / 2; /* `to` and those after it */
  const char *p0 = chg_path_of(w->ctx, to);
  if (blocks == 1) {
    chg_error(w->ctx, CHG_E_DEPENDENCY_CYCLE, chg_node_args(depends_on)[0].span,
              "dependency cycle: `%s` depends on itself", p0);
    return;
  }
  chg_buf chain = {0};
  chg_buf_put(al, &chain, p0, strlen(p0));
  for (size_t k = 1; k < blocks; k++) {
    if (blocks > CYCLE_SHOWN && k == CYCLE_HEAD) {
      char more[48];
      int n = snprintf(more, sizeof more, " -> ... (%zu more)", blocks - CYCLE_HEAD - CYCLE_TAIL);
      chg_buf_put(al, &chain, more, (size_t)n);
      k = blocks - CYCLE_TAIL;
    }
    const char *p = chg_path_of(w->ctx, w->path.items[from + 2 * k]);
    chg_buf_put(al, &chain, " -> ", 4);
    chg_buf_put(al, &chain, p, strlen(p));
  }
  chg_buf_put(al, &chain, " -> ", 4);
  chg_buf_put(al, &chain, p0, strlen(p0));
  chg_error(w->ctx, CHG_E_DEPENDENCY_CYCLE, chg_node_args(depends_on)[0].span, "dependency cycle: %s",
            chain.data);
  chg_buf_release(al, &chain);
}

static void enter(dep_walk *w, chg_node *b) {
  w->colour[b->index] = 1;
  chg_vec_push(&w->ctx->al, &w->path, b);
  chg_vec_push(&w->ctx->al, &w->path, b->items);
}

static void dep_visit(dep_walk *w, chg_node *root) {
  enter(w, root);
  while (w->path.len) {
    chg_node *b = w->path.items[w->path.len - 2], *a = w->path.items[w->path.len - 1];
    while (a && !chg_is_dependency(w->ctx, a)) a = a->next;
    if (!a) { /* every dependency of b followed */
      w->colour[b->index] = 2;
      w->path.len -= 2;
      continue;
    }
    w->path.items[w->path.len - 1] = a->next;
    chg_node *to = chg_node_args(a)[0].u.ref;
    if (w->colour[to->index] == 1) report_cycle(w, a, to);
    else if (w->colour[to->index] == 0) enter(w, to);
  }
}

static void check_dependency_cycles(chg_ctx *ctx) {
  dep_walk w = {ctx, NULL, {0}};
  w.colour = chg_mem_alloc(&ctx->al, ctx->blocks.len + 1);
  memset(w.colour, 0, ctx->blocks.len + 1);
  /* a cycle runs through work that depends on something: starting from
   * each, in source order, finds the cycles a walk from every block would */
  for (size_t i = 0; i < ctx->dependents.len; i++) {
    chg_node *b = ctx->dependents.items[i];
    if (w.colour[b->index] == 0) dep_visit(&w, b);
  }
  chg_vec_release(&ctx->al, &w.path);
  chg_mem_free(&ctx->al, w.colour, ctx->blocks.len + 1);
}

/* ---- cross-attribute checks ------------------------------------------------ */

static chg_node *attr_of_block(chg_node *b, const char *key) {
  for (chg_node *a = b->items; a && !chg_attrs_end_at(b, a); a = a->next)
    if (a->kind == CHG_N_ATTR && chg_node_aspec(a) && strcmp(a->key, key) == 0) return a;
  return NULL;
}

static void check_dates(chg_ctx *ctx, chg_node *b) {
  chg_node *start = attr_of_block(b, "start"), *end = attr_of_block(b, "end");
  if (start && end && start->nargs && end->nargs &&
      chg_node_args(start)[0].kind == CHG_V_DATE && chg_node_args(end)[0].kind == CHG_V_DATE &&
      chg_node_args(end)[0].u.day < chg_node_args(start)[0].u.day) {
    chg_error(ctx, CHG_E_INCONSISTENT_DATES, chg_node_args(end)[0].span,
              "%s ends before it starts", block_label(ctx, b));
    chg_note(ctx, chg_node_args(start)[0].span, "it starts here");
  }
  /* a milestone of the work dated after the work ends: a plan that does
   * not fit, or an overrun the `end` does not show yet */
  if (!end || !end->nargs || chg_node_args(end)[0].kind != CHG_V_DATE) return;
  int32_t ends = chg_node_args(end)[0].u.day;
  for (chg_node *m = b->items; m; m = m->next) {
    if (m->kind != CHG_N_BLOCK || m->key != ctx->n.milestone) continue;
    /* the latest word on its date: met, else forecast, else planned (one
     * pass over its items: a national portfolio has a million of them) */
    static const char *const how[] = {"was met on", "is forecast for", "is planned for"};
    const chg_value *dates[3] = {NULL, NULL, NULL};
    for (chg_node *a = m->items; a; a = a->next) {
      if (a->kind != CHG_N_ATTR || !a->nargs || chg_node_args(a)[0].kind != CHG_V_DATE) continue;
      int k = strcmp(a->key, "actual") == 0     ? 0
              : strcmp(a->key, "forecast") == 0 ? 1
              : strcmp(a->key, "baseline") == 0 ? 2
                                                 : -1;
      if (k >= 0 && !dates[k]) dates[k] = &chg_node_args(a)[0];
    }
    int k = dates[0] ? 0 : dates[1] ? 1 : 2;
    if (!dates[k] || dates[k]->u.day <= ends) continue;
    char on[16], by[16];
    chg_fmt_day(on, sizeof on, dates[k]->u.day);
    chg_fmt_day(by, sizeof by, ends);
    chg_warning(ctx, CHG_E_INCONSISTENT_DATES, dates[k]->span,
                "milestone `%s` %s %s, after %s ends (%s)", chg_block_name(ctx, m), how[k], on,
                block_label(ctx, b), by);
    chg_note(ctx, chg_node_args(end)[0].span, "the end is here");
  }
}

/* A milestone with an `actual` date was met, and is reported so; a
 * `progress` short of 100% beside it says it was not: one of the two was
 * not brought up to date (`progress 40%` left from the report before). */
static void check_met_progress(chg_ctx *ctx, const chg_node *m, const chg_node *actual,
                               const chg_node *progress) {
  if (!actual->nargs || chg_node_args(actual)[0].kind != CHG_V_DATE || !progress->nargs ||
      chg_node_args(progress)[0].kind != CHG_V_PERCENT)
    return;
  const chg_value *pct = &chg_node_args(progress)[0];
  if (chg_dec_cmp(chg_value_dec(pct), chg_dec_from_int(1)) >= 0) return;
  char on[16], shown[48];
  chg_fmt_day(on, sizeof on, chg_node_args(actual)[0].u.day);
  chg_fmt_percent(shown, sizeof shown, chg_value_dec(pct), false);
  chg_warning(ctx, CHG_E_MET_BUT_NOT_COMPLETE, pct->span,
              "milestone `%s` was met on %s (its `actual`), but its `progress` is %s: it is "
              "counted as met; if it was, make the progress 100%% or leave it out, and if it "
              "was not, take away the `actual` date",
              chg_block_name(ctx, m), on, shown);
  chg_note(ctx, chg_node_args(actual)[0].span, "the actual date is here");
}

/* A benefit's figures are all money, all numbers or all percentages: a
 * money target with actuals in numbers, or a target of 25% with an actual
 * of 25 (2,500%), could only be compared wrongly ("target met: yes"), so
 * it is an error here, before anything is worked out. */
static const char *figure_kind(const chg_value *v, bool plural) {
  if (v->kind == CHG_V_MONEY) return "money";
  if (v->kind == CHG_V_PERCENT) return plural ? "percentages" : "a percentage";
  return plural ? "numbers" : "a number";
}

static void check_benefit_figures(chg_ctx *ctx, chg_node *b) {
  const chg_value *first = NULL;
  const char *first_key = NULL;
  for (chg_node *a = b->items; a; a = a->next) {
    if (a->kind != CHG_N_ATTR || !chg_node_aspec(a) || !a->key) continue;
    bool series = strcmp(a->key, "profile") == 0 || strcmp(a->key, "actual") == 0;
    if (!series && strcmp(a->key, "target") != 0 && strcmp(a->key, "baseline") != 0) continue;
    uint32_t n = series ? a->nseries : (a->nargs ? 1 : 0);
    for (uint32_t i = 0; i < n; i++) {
      const chg_value *v = series ? &chg_node_series(a)[i].value : &chg_node_args(a)[0];
      if (v->kind != CHG_V_MONEY && v->kind != CHG_V_NUMBER && v->kind != CHG_V_PERCENT) continue;
      if (!first) {
        first = v;
        first_key = a->key;
        continue;
      }
      if (v->kind == first->kind) continue;
      chg_error(ctx, CHG_E_TYPE_MISMATCH, v->span,
                "%s's figures are %s, but this `%s` figure is %s: write them all in the "
                "same kind", block_label(ctx, b), figure_kind(first, true), a->key,
                figure_kind(v, false));
      chg_note(ctx, first->span, "the first figure, its `%s`", first_key);
      break; /* once a line: its other figures are most likely the same slip */
    }
  }
}

chg_node *chg_owner_work(chg_node *n) {
  for (chg_node *p = n->parent; p; p = p->parent)
    if (p->spec && (CHG_KM(p->spec->id) & CHG_KM_WORK)) return p;
  return NULL;
}

/* A hook names a Lua file, relative to the file that names it (a source
 * given in memory has no directory to be relative to). */
const char *chg_hook_path(chg_ctx *ctx, const chg_node *hook) {
  const char *name = chg_block_title(hook);
  chg_file *f = chg_ctx_file(ctx, hook->span.file);
  if (name[0] == '/' || !f || !f->real || strcmp(f->dir, ".") == 0) return chg_shown_path(ctx, name);
  return chg_shown_path(ctx, chg_arena_printf(&ctx->arena, "%s/%s", f->dir, name));
}

static void check_hook_file(chg_ctx *ctx, chg_node *b) {
  if (!chg_block_title(b)) return; /* reported with the head */
  /* a path with a bad escape (`rules\x.lua`) was said as that */
  if (chg_damaged_within(ctx, chg_title_span(b))) return;
  if (!chg_block_title(b)[0]) {
    chg_error(ctx, CHG_E_HOOK_NOT_FOUND, chg_title_span(b),
              "`hook` names its Lua file, relative to this one, as in "
              "`hook \"rules/escalation.lua\"`: this path is empty");
    return;
  }
  const char *path = chg_hook_path(ctx, b);
  /* only .lua files: a hook of `/proc/self/environ` would otherwise
   * quote it, the secrets of a CI job, in a syntax error */
  if (!chg_ends_with(path, ".lua")) {
    chg_error(ctx, CHG_E_HOOK_NOT_FOUND, chg_title_span(b),
              "`%s` is not a Lua file: a hook names a file whose name ends in `.lua`, as in "
              "`hook \"rules/escalation.lua\"`", chg_block_title(b));
    return;
  }
  /* stat, not open: opening a FIFO would wait for a writer for ever */
  struct stat st;
  if (stat(path, &st) != 0) {
    if (errno == ENOENT || errno == ENOTDIR)
      chg_error(ctx, CHG_E_HOOK_NOT_FOUND, chg_title_span(b),
                "hook file `%s` not found (looked for `%s`)%s", chg_block_title(b), path,
                chg_file_near_miss(ctx, chg_block_title(b), path, ".lua", NULL));
    else /* there, but not to be reached: a loop of links, a folder not to be entered */
      chg_error(ctx, CHG_E_HOOK_NOT_FOUND, chg_title_span(b), "cannot read hook file `%s`: %s",
                path, strerror(errno));
    return;
  }
  const char *target = chg_link_elsewhere(ctx, path, ".lua");
  if (target) {
    chg_error(ctx, CHG_E_HOOK_NOT_FOUND, chg_title_span(b),
              "`%s` is a link to `%s`, which is not a Lua file: a hook follows no link to a "
              "file whose name does not end in `.lua`", chg_block_title(b), target);
    return;
  }
  if (access(path, R_OK) != 0) { /* there, but not to be read: say so, and why */
    chg_error(ctx, CHG_E_HOOK_NOT_FOUND, chg_title_span(b), "cannot read hook file `%s`: %s",
              path, strerror(errno));
    return;
  }
  if (!S_ISREG(st.st_mode))
    chg_error(ctx, CHG_E_HOOK_NOT_FOUND, chg_title_span(b), "hook `%s` is not an ordinary file",
              path);
}

/* ---- blocks without an id --------------------------------------------------- */

/* Top-level blocks of one kind without an id are told apart by their
 * order (`claim#1`, `claim#2`), as unnamed siblings inside a block are. */
static void number_unnamed_top_blocks(chg_ctx *ctx) {
  uint32_t unnamed[CHG_K__COUNT] = {0}, seen[CHG_K__COUNT] = {0};
  for (int pass = 0; pass < 2; pass++)
    for (size_t f = 1; f < ctx->nfiles; f++)
      for (chg_node *n = ctx->files[f]->items; n; n = n->next) {
        if (n->kind != CHG_N_BLOCK || !n->spec || n->has_id) continue;
        int k = (int)n->spec->id;
        if (k == CHG_K_PORTFOLIO || k == CHG_K_HOOK) continue;
        if (pass == 0) unnamed[k]++;
        else if (unnamed[k] > 1) n->unnamed_position = ++seen[k];
      }
}

/* ---- recommendation numbers ------------------------------------------------ */

typedef struct numbered {
  chg_dec number;
  const chg_value *at;
  const chg_node *block;
} numbered;

typedef struct numbering {
  numbered *items;
  size_t len, cap;
} numbering;

static void note_number(chg_ctx *ctx, numbering *seen, chg_node *b) {
  chg_node *a = attr_of_block(b, "number");
  if (!a || a->nargs < 1 || chg_node_args(a)[0].kind != CHG_V_NUMBER) return;
  seen->items = chg_mem_grow(&ctx->al, seen->items, &seen->cap, seen->len + 1, sizeof *seen->items);
  seen->items[seen->len++] = (numbered){chg_value_dec(&chg_node_args(a)[0]), &chg_node_args(a)[0], b};
}

/* by number, then where written: the first written is the one kept */
static int by_number(const void *pa, const void *pb) {
  const numbered *a = pa, *b = pb;
  int c = chg_dec_cmp(a->number, b->number);
  if (c) return c;
  chg_span x = a->at->span, y = b->at->span;
  if (x.file != y.file) return x.file < y.file ? -1 : 1;
  return (x.start > y.start) - (x.start < y.start);
}

/* A recommendation's number is how the report and the board refer to it:
 * two with one number are a typo. */
static void check_numbers(chg_ctx *ctx, numbering *seen) {
  if (seen->len > 1) qsort(seen->items, seen->len, sizeof *seen->items, by_number);
  size_t run = 0; /* where the numbers equal to the one at hand begin */
  for (size_t i = 1; i < seen->len && !chg_too_many_errors(ctx); i++) {
    const numbered *first = &seen->items[run], *again = &seen->items[i];
    if (chg_dec_cmp(first->number, again->number) != 0) {
      run = i;
      continue;
    }
    char buf[64];
    chg_dec_format(again->number, buf, sizeof buf);
    chg_error(ctx, CHG_E_DUPLICATE_ID, again->at->span,
              "recommendation `%s` has number %s, as `%s` has", chg_block_name(ctx, again->block),
              buf, chg_block_name(ctx, first->block));
    chg_note(ctx, first->at->span, "`%s` is numbered %s here", chg_block_name(ctx, first->block),
             buf);
  }
  chg_mem_free(&ctx->al, seen->items, seen->cap * sizeof *seen->items);
}

/* ---- driver ---------------------------------------------------------------- */

/* An attribute the schema does not know, said already: perhaps the one
 * found missing, misspelt (`escalte board`). */
static bool has_unknown_attribute(const chg_node *b) {
  for (const chg_node *a = b->items; a; a = a->next)
    if (a->kind == CHG_N_ATTR && !chg_node_aspec(a)) return true;
  return false;
}

/* A saving with no figures (a line the source names but does not
 * quantify) adds nothing to any table, and would be missing from them
 * silently. */
static void check_saving_figures(chg_ctx *ctx, chg_node *b) {
  if (attr_of_block(b, "money") || attr_of_block(b, "posts") || has_unknown_attribute(b) ||
      chg_damaged(ctx, b->span) || !placed_where_it_may(b))
    return;
  chg_warning(ctx, CHG_E_MISSING_ATTRIBUTE, chg_id_span(b),
              "%s has neither `money` nor `posts`, so it adds nothing to the savings tables: "
              "give its figures by year, as in `money 2014/15: -\xC2\xA3" "1.5m`",
              block_label(ctx, b));
}

/* `Portfolio p "P" {`, `portfolo`: the unknown kind's error says what was
 * meant, and that the portfolio is missing would be its echo. */
static bool portfolio_misspelt(chg_ctx *ctx) {
  for (size_t f = 1; f < ctx->nfiles; f++)
    for (chg_node *n = ctx->files[f]->items; n; n = n->next)
      if (n->kind == CHG_N_BLOCK && n->key && !chg_schema_find_kind(n->key) &&
          (strcasecmp(n->key, "portfolio") == 0 || chg_edit_distance(n->key, "portfolio", 3) <= 3))
        return true;
  return false;
}

/* One file of a portfolio checked alone (`chg check programmes/drm.chg`):
 * its references to the rest and the scales the portfolio's file brings in
 * are missing too, so a `portfolio.chg` beside it or up to three
 * directories up is named, with the command that checks the whole. */
static void note_portfolio_nearby(chg_ctx *ctx) {
  chg_file *named = chg_ctx_file(ctx, 1);
  if (!named || !named->path || !named->real) return;
  uint32_t error = ctx->last_primary; /* the missing portfolio's */
  const char *slash = strrchr(named->path, '/');
  const char *dir = slash ? chg_arena_strndup(&ctx->arena, named->path, (size_t)(slash - named->path))
                          : ".";
  /* beside it, or up to three directories up (programmes/digital/x.chg) */
  const char *where = dir;
  for (size_t up = 0; up < 4; up++) {
    const char *path = chg_arena_printf(&ctx->arena, "%s/portfolio.chg", where);
    struct stat st;
    if (stat(path, &st) == 0 && S_ISREG(st.st_mode)) {
      /* checked already (the file named, or read from a directory): then
       * it has no portfolio either, and naming it says nothing */
      bool read_already = false;
      for (size_t f = 1; f < ctx->nfiles && !read_already; f++)
        read_already = ctx->files[f]->real && ctx->files[f]->stamp.device == (uint64_t)st.st_dev &&
                       ctx->files[f]->stamp.inode == (uint64_t)st.st_ino;
      if (read_already) return;
      const char *how_far = up == 0 ? "beside this file"
                            : up == 1 ? "a directory up"
                                      : chg_arena_printf(&ctx->arena, "%zu directories up", up);
      chg_note(ctx, (chg_span){0, 0, 0},
               "`%s` is %s: a portfolio in several files is checked whole, as in `chg check %s`",
               path, how_far, where);
      /* the names this file uses from the rest are said once, with it,
       * not as an unknown reference each */
      ctx->last_primary = error;
      chg_text_lost(ctx, chg_arena_printf(&ctx->arena, "the rest of the portfolio, with `%s`",
                                          path));
      return;
    }
    /* the directory above: `..` climbs on, a name is taken off */
    const char *last = strrchr(where, '/');
    const char *tail = last ? last + 1 : where;
    if (strcmp(where, ".") == 0) where = "..";
    else if (strcmp(tail, "..") == 0) where = chg_arena_printf(&ctx->arena, "%s/..", where);
    else if (last && last > where) where = chg_arena_strndup(&ctx->arena, where, (size_t)(last - where));
    else if (last) return; /* `/tmp`: the root above it is no portfolio's */
    else where = ".";
  }
}

/* `portfolio_v2.chg` beside `portfolio.chg`, the same text: a copy left in
 * the directory checked, read with the rest, would have every block in
 * it defined twice.  Said once, and its blocks are not named. */
static void set_copies_aside(chg_ctx *ctx) {
  if (ctx->nfiles < 3) return;
  /* each file's text hashed once, when another is of its size: a
   * directory of many files is not compared pair by pair */
  uint64_t *hash = chg_mem_alloc(&ctx->al, ctx->nfiles * sizeof *hash);
  bool *hashed = chg_mem_alloc(&ctx->al, ctx->nfiles * sizeof *hashed);
  memset(hashed, 0, ctx->nfiles * sizeof *hashed);
  for (size_t f = 2; f < ctx->nfiles; f++) {
    chg_file *copy = ctx->files[f];
    if (copy->is_module || copy->included || copy->not_text || !copy->len || !copy->items) continue;
    for (size_t g = 1; g < f; g++) {
      chg_file *first = ctx->files[g];
      if (first->is_module || first->included || first->is_copy || first->len != copy->len)
        continue;
      for (size_t k = 0; k < 2; k++) {
        size_t at = k ? f : g;
        if (!hashed[at]) {
          hash[at] = chg_hash_bytes(chg_file_text(ctx, ctx->files[at]), ctx->files[at]->len);
          hashed[at] = true;
        }
      }
      if (hash[g] != hash[f]) continue;
      const char *a = chg_file_text(ctx, first);
      size_t len = first->len;
      char *kept = chg_mem_alloc(&ctx->al, len); /* a large file's text is read into one buffer */
      memcpy(kept, a, len);
      bool same = memcmp(kept, chg_file_text(ctx, copy), len) == 0;
      chg_mem_free(&ctx->al, kept, len);
      if (!same) continue;
      /* the copy is the one with the longer name (`portfolio copy.chg`,
       * `portfolio_v2.chg`), whichever sorts first */
      const char *a_name = strrchr(first->path, '/'), *b_name = strrchr(copy->path, '/');
      a_name = a_name ? a_name + 1 : first->path;
      b_name = b_name ? b_name + 1 : copy->path;
      chg_file *made = strlen(a_name) > strlen(b_name) ? first : copy;
      chg_file *original = made == first ? copy : first;
      made->is_copy = true;
      chg_error(ctx, CHG_E_DUPLICATE_ID, (chg_span){made->id, 0, 0},
                "`%s` is a copy of `%s` (the same text), read with the files checked: every "
                "block in it would be defined twice; delete it, or move it out of the "
                "directory", made->path, original->path);
      if (made == copy) break;
    }
  }
  chg_mem_free(&ctx->al, hash, ctx->nfiles * sizeof *hash);
  chg_mem_free(&ctx->al, hashed, ctx->nfiles * sizeof *hashed);
}

/* `chg check examples`: several portfolios, each in a directory of its
 * own (read from the directories, not included), checked as one.  Every
 * name they share would be an error of its own; one error says what
 * happened instead, and nothing more is checked.  True when so. */
static bool several_portfolios_apart(chg_ctx *ctx) {
  chg_node *found[2] = {NULL, NULL};
  const char *dirs[2] = {NULL, NULL};
  size_t count = 0;
  bool apart = true;
  for (size_t f = 1; f < ctx->nfiles; f++) {
    /* files named or found in a directory: an included file belongs to
     * the file that includes it, wherever it is */
    if (ctx->files[f]->is_module || ctx->files[f]->included) continue;
    for (chg_node *n = ctx->files[f]->items; n; n = n->next) {
      if (n->kind != CHG_N_BLOCK || !n->key || strcmp(n->key, "portfolio") != 0) continue;
      const char *dir = ctx->files[f]->dir;
      for (size_t k = 0; k < count && k < 2; k++)
        if (strcmp(dirs[k], dir) == 0) apart = false;
      if (count < 2) {
        found[count] = n;
        dirs[count] = dir;
      }
      count++;
    }
  }
  if (count < 2 || !apart) return false;
  char many[32];
  chg_fmt_count(many, sizeof many, (int64_t)count, false);
  chg_error(ctx, CHG_E_PORTFOLIO_COUNT, chg_key_span(found[1]),
            "the files checked hold %s portfolios, each in a directory of its own: a run "
            "checks one portfolio, so check each directory on its own, as in `chg check %s`",
            many, dirs[0]);
  chg_note(ctx, chg_key_span(found[0]), "the first is here");
  return true;
}

/* A risk moved out of its programme with its indentation: a block at the
 * top level indented further than the block above it, of a kind that
 * could stand inside that block.  Valid as it is, but most often meant to
 * be inside, where it would count for that block; said, as a warning. */
static void indented_under(chg_ctx *ctx, const chg_node *above, const chg_node *b) {
  /* a kind that may not stand at the top level has had its error */
  if (!above->spec || !b->spec || !above->has_braces || above->span.file != b->span.file ||
      !(b->spec->where & CHG_KM_TOP) || !(b->spec->where & CHG_KM(above->spec->id)) ||
      chg_damaged(ctx, b->span))
    return;
  unsigned above_line, above_col, line, col, close_line, close_col;
  chg_file_position(ctx, b->span.file, above->span.start, &above_line, &above_col);
  chg_file_position(ctx, b->span.file, b->span.start, &line, &col);
  chg_file_position(ctx, b->span.file, above->span.end ? above->span.end - 1 : 0, &close_line,
                    &close_col);
  if (col <= above_col || close_col > above_col || close_line == above_line) return;
  const char *label = block_label(ctx, above);
  chg_warning(ctx, CHG_E_MISPLACED_BLOCK, chg_key_span(b),
              "%s stands at the top level, though it is indented as if inside %s, which "
              "closed at line %u: if it belongs to it, move it inside its braces; if not, "
              "take away its indentation", block_label(ctx, b), label, close_line);
}

void chg_check_run(chg_ctx *ctx) {
  if (ctx->checked) return;
  ctx->checked = true;
  chg_debug_phase(ctx, "parsed");
  if (several_portfolios_apart(ctx)) return;
  intern_schema(ctx);
  make_room_for_blocks(ctx, ctx->nparsed_blocks); /* each is registered */
  set_copies_aside(ctx);
  for (size_t f = 1; f < ctx->nfiles; f++) {
    chg_node *above = NULL;
    if (ctx->files[f]->is_copy) continue;
    for (chg_node *n = ctx->files[f]->items; n; n = n->next) {
      if (chg_too_many_errors(ctx)) return;
      n = check_top_item(ctx, n);
      if (above && n->kind == CHG_N_BLOCK) indented_under(ctx, above, n);
      above = n->kind == CHG_N_BLOCK ? n : NULL;
    }
  }

  number_unnamed_top_blocks(ctx);

  /* exactly one portfolio, outside the modules */
  chg_node *first = NULL;
  for (size_t i = 0; i < ctx->portfolios.len; i++) {
    chg_node *b = ctx->portfolios.items[i];
    if (!first) {
      first = b;
      continue;
    }
    chg_error(ctx, CHG_E_PORTFOLIO_COUNT, chg_key_span(b),
              "a second portfolio: the files checked together describe one portfolio");
    chg_note(ctx, chg_key_span(first), "the first is here");
  }
  ctx->portfolio = first;
  chg_debug_phase(ctx, "named");
  /* a file that is not text (said already) may be where the portfolio was */
  bool unread = false;
  for (uint32_t f = 1; f <= ctx->nfiles && !unread; f++) {
    chg_file *file = chg_ctx_file(ctx, f);
    unread = file && file->not_text;
  }
  if (!first && ctx->nfiles > 1 && !unread && !ctx->kind_counts[CHG_K_PORTFOLIO] &&
      !portfolio_misspelt(ctx)) {
    chg_error(ctx, CHG_E_PORTFOLIO_COUNT, (chg_span){1, 0, 0},
              "no `portfolio` block: a portfolio needs one, with its `as_of` "
              "reporting date");
    note_portfolio_nearby(ctx);
  }

  settle_absences(ctx);
  numbering numbers = {0};
  for (size_t i = 0; i < ctx->blocks.len; i++) {
    chg_node *b = ctx->blocks.items[i];
    if (b->spec->id == CHG_K_SCALE) resolve_scale_thresholds(ctx, b);
    if (b->spec->id == CHG_K_RECOMMENDATION) note_number(ctx, &numbers, b);
    bool depends = false;
    const chg_node *actual = NULL, *progress = NULL; /* of a milestone */
    for (chg_node *a = b->items; a; a = a->next) {
      chg_prefetch_ahead(a);
      if (a->kind == CHG_N_ATTR && chg_node_aspec(a)) {
        resolve_attr(ctx, b, a);
        depends = depends || a->key == ctx->n.depends_on;
        if (a->key == ctx->n.actual && !actual) actual = a;
        else if (a->key == ctx->n.progress && !progress) progress = a;
      }
    }
    if (b->spec->id == CHG_K_MILESTONE && actual && progress) check_met_progress(ctx, b, actual, progress);
    if (depends && (CHG_KM(b->spec->id) & CHG_KM_WORK)) chg_vec_push(&ctx->al, &ctx->dependents, b);
    if (CHG_KM(b->spec->id) & CHG_KM_WORK) check_dates(ctx, b);
    if (b->spec->id == CHG_K_BENEFIT) check_benefit_figures(ctx, b);
    if (b->spec->id == CHG_K_SAVING) check_saving_figures(ctx, b);
    if (b->spec->id == CHG_K_HOOK) check_hook_file(ctx, b);
  }
  check_numbers(ctx, &numbers);
  explain_absences(ctx);
  chg_debug_phase(ctx, "resolved");
  check_dependency_cycles(ctx);

  for (size_t i = 0; i < ctx->conditions.len; i++) {
    chg_node *b = ctx->conditions.items[i];
    int on = -1;
    if (b->spec->id == CHG_K_RULE) {
      if (!attr_of_block(b, "escalate") && !attr_of_block(b, "flag") &&
          !chg_damaged(ctx, b->span) && !closed_by_recovery(ctx, b) && !has_unknown_attribute(b) &&
          placed_where_it_may(b))
        chg_warning(ctx, CHG_E_MISSING_ATTRIBUTE, chg_key_span(b),
                    "rule `%s` neither escalates nor flags, so it does nothing: give it "
                    "`escalate LEVEL` or `flag SEVERITY \"message\"`",
                    chg_block_name(ctx, b));
      chg_node *a = attr_of_block(b, "on");
      if (!a || !a->nargs || chg_node_args(a)[0].kind != CHG_V_KIND) continue; /* reported */
      on = (int)chg_node_args(a)[0].u.kind->id;
    }
    ctx->typing_rule = b->spec->id == CHG_K_RULE;
    for (chg_node *a = b->items; a; a = a->next)
      if (a->kind == CHG_N_ATTR && chg_node_expr(a) && chg_node_aspec(a)) {
        chg_tkind t = chg_check_expr(ctx, chg_node_expr(a), on);
        if (t != CHG_T_BOOL && t != CHG_T_ERROR && !chg_damaged(ctx, chg_node_expr(a)->span))
          chg_error(ctx, CHG_E_NOT_BOOLEAN, chg_node_expr(a)->span,
                    "`%s` needs a condition that is true or false, not %s",
                    a->key, chg_type_name(t));
      }
  }
  ctx->typing_rule = false;
  count_unscoped(ctx); /* levels and conditions alike */
  /* Every name is resolved to the block it names: the table that found
   * them is the biggest thing evaluation would otherwise carry. */
  chg_debug_phase(ctx, "typed");
  chg_map_release(&ctx->symbols);
}

void chg_blocks_give_back(chg_ctx *ctx) {
  chg_arena_give_back(&ctx->arena, ctx->blocks.items, ctx->blocks_room * sizeof(void *));
  chg_arena_give_back(&ctx->arena, ctx->block_kinds, ctx->blocks_room);
  ctx->blocks = (chg_vec){0};
  ctx->block_kinds = NULL;
  ctx->blocks_room = 0;
}

void chg_check_release(chg_ctx *ctx) {
  chg_vec_release(&ctx->al, &ctx->blocks);
  ctx->block_kinds = NULL;
  ctx->blocks_room = 0;
  chg_vec_release(&ctx->al, &ctx->portfolios);
  chg_vec_release(&ctx->al, &ctx->conditions);
  chg_vec_release(&ctx->al, &ctx->dependents);
  chg_vec_release(&ctx->al, &ctx->shadowed);
  chg_vec_release(&ctx->al, &ctx->criteria);
  chg_vec_release(&ctx->al, &ctx->unscoped_scales);
  chg_vec_release(&ctx->al, &ctx->replaced_scales);
  chg_vec_release(&ctx->al, &ctx->categories);
  chg_vec_release(&ctx->al, &ctx->risk_categories);
  chg_vec_release(&ctx->al, &ctx->absent_refs);
}

size_t chg_check(chg_ctx *ctx) {
  chg_check_run(ctx);
  return ctx->errors;
}

