/*
 * diag.c -- recording diagnostics and printing them compiler-style.
 */
#include "ctx.h"

#include <stdlib.h>
#include <string.h>

static const char *const code_strings[] = {
#define X(name, code, title) code,
#include "diag_codes.h"
#undef X
};

static const char *const code_titles[] = {
#define X(name, code, title) title,
#include "diag_codes.h"
#undef X
};

const char *chg_code_string(chg_code code) { return code_strings[code]; }
const char *chg_code_title(chg_code code) { return code_titles[code]; }

const char *chg_error_limit_note(const struct chg_ctx *ctx, char buf[96]) {
  unsigned n = ctx->opts.max_errors;
  snprintf(buf, 96, "stopped after %u error%s (--max-errors 0 for no limit)", n, n == 1 ? "" : "s");
  return buf;
}

bool chg_too_many_errors(const struct chg_ctx *ctx) {
  return ctx->opts.max_errors && ctx->errors >= ctx->opts.max_errors;
}

static chg_diag *push(struct chg_ctx *ctx) {
  if (ctx->ndiags == ctx->diags_cap) {
    size_t cap = ctx->diags_cap ? ctx->diags_cap * 2 : 32;
    ctx->diags = chg_mem_realloc(&ctx->al, ctx->diags,
                                 ctx->diags_cap * sizeof *ctx->diags,
                                 cap * sizeof *ctx->diags);
    ctx->diags_cap = cap;
  }
  chg_diag *d = &ctx->diags[ctx->ndiags++];
  memset(d, 0, sizeof *d);
  return d;
}

/* Past the error limit, errors are counted but not kept, nor their notes;
 * one note says the limit was hit. */

/* Where parsing went wrong, the tree is incomplete; later checks stay
 * quiet about what is missing there rather than pile on. */
void chg_mark_damage(struct chg_ctx *ctx, chg_span span) {
  chg_file *f = ctx->parsing;
  if (!f || span.file != f->id) return;
  if (f->ndamage == f->damage_cap) {
    size_t cap = f->damage_cap ? f->damage_cap * 2 : 16;
    uint32_t *d = CHG_NEW_ARRAY(&ctx->arena, uint32_t, cap);
    if (f->ndamage) memcpy(d, f->damage, f->ndamage * sizeof *d);
    f->damage = d;
    f->damage_cap = cap;
  }
  f->damage[f->ndamage++] = span.start; /* put in order once parsed (finish_file) */
}

/* The first error found at or after `from` in the span's file, and
 * whether it is at or before `to`. */
static bool damage_between(struct chg_ctx *ctx, uint32_t file, uint32_t from, uint32_t to) {
  chg_file *f = chg_ctx_file(ctx, file);
  if (!f || !f->ndamage) return false;
  size_t lo = 0, hi = f->ndamage;
  while (lo < hi) {
    size_t mid = (lo + hi) / 2;
    if (f->damage[mid] < from) lo = mid + 1;
    else hi = mid;
  }
  return lo < f->ndamage && f->damage[lo] <= to;
}

bool chg_damaged_at(struct chg_ctx *ctx, chg_span span) {
  return damage_between(ctx, span.file, span.start, span.start);
}

bool chg_damaged_within(struct chg_ctx *ctx, chg_span span) {
  return damage_between(ctx, span.file, span.start, span.end);
}

/* Where what a span belongs to ends on its line, `line_end` at the
 * furthest: at a `;` or `}` after it, which ends its item (`depends_on
 * a; budget £8.2M`: the error in `budget` is not `depends_on`'s). */
static uint32_t end_of_item_on_line(struct chg_ctx *ctx, chg_file *f, chg_span span,
                                    uint32_t line_end) {
  uint32_t from = span.end > span.start ? span.end - 1 : span.end;
  const char *text = chg_file_bytes(ctx, f, from, line_end);
  if (!text) return line_end;
  if (span.end > span.start && text[0] == ';') return from;
  bool quoted = false;
  for (uint32_t at = span.end; at < line_end; at++) {
    char c = text[at - from];
    if (quoted && c == '\\') at++;
    else if (c == '"') quoted = !quoted;
    else if (!quoted && c == '#') break;
    else if (!quoted && (c == ';' || c == '}')) return at - 1;
  }
  return line_end;
}

bool chg_damaged(struct chg_ctx *ctx, chg_span span) {
  chg_file *f = chg_ctx_file(ctx, span.file);
  if (!f || !f->ndamage) return false;
  /* the span, and the rest of the line it ends on: found in the line
   * index, so that a large file's text is not read back for it */
  chg_file_index_lines(ctx, f);
  /* the line of the span's last byte: an item's span ends past its
   * newline, at the start of the next line, which is not its own */
  size_t line = chg_lines_find(&f->lines, span.end > span.start ? span.end - 1 : span.end);
  uint32_t end = line + 1 < f->lines.count ? chg_lines_start(&f->lines, line + 1) - 1
                                           : (uint32_t)f->len;
  if (!damage_between(ctx, span.file, span.start, end)) return false;
  if (span.end >= end || damage_between(ctx, span.file, span.start, span.end)) return true;
  /* damage after the span on its line: its own only before its item ends */
  return damage_between(ctx, span.file, span.start, end_of_item_on_line(ctx, f, span, end));
}

static void report(struct chg_ctx *ctx, chg_severity sev, chg_code code,
                   chg_span span, const char *fmt, va_list ap) {
  if (sev == CHG_ERROR) chg_mark_damage(ctx, span);
  if (sev == CHG_ERROR && ctx->passes_over && ctx->passes_over(ctx->passes_over_parser, span, (int)code)) {
    ctx->last_primary = UINT32_MAX; /* and its notes with it */
    return;
  }
  if (sev == CHG_ERROR) {
    if (ctx->opts.max_errors && ctx->errors >= ctx->opts.max_errors) {
      ctx->last_primary = UINT32_MAX; /* dropped, and its notes with it */
      return;
    }
    ctx->errors++;
  } else {
    ctx->warnings++;
  }
  chg_diag *d = push(ctx);
  d->severity = sev;
  d->code = code;
  d->span = span;
  d->message = chg_arena_vprintf(&ctx->arena, fmt, ap);
  d->group = (uint32_t)(ctx->ndiags - 1);
  ctx->last_primary = d->group;
  if (sev == CHG_ERROR && ctx->opts.max_errors &&
      ctx->errors == ctx->opts.max_errors)
    ctx->error_limit_reported = true; /* said last, when printing */
}

void chg_error(struct chg_ctx *ctx, chg_code code, chg_span span,
               const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  report(ctx, CHG_ERROR, code, span, fmt, ap);
  va_end(ap);
}

void chg_warning(struct chg_ctx *ctx, chg_code code, chg_span span,
                 const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  report(ctx, CHG_WARNING, code, span, fmt, ap);
  va_end(ap);
}

void chg_note(struct chg_ctx *ctx, chg_span span, const char *fmt, ...) {
  if (ctx->last_primary == UINT32_MAX) return; /* its error was dropped */
  va_list ap;
  va_start(ap, fmt);
  chg_diag *d = push(ctx);
  d->severity = CHG_NOTE;
  d->code = ctx->diags[ctx->last_primary].code;
  d->span = span;
  d->message = chg_arena_vprintf(&ctx->arena, fmt, ap);
  d->group = ctx->last_primary;
  va_end(ap);
}

void chg_log(struct chg_ctx *ctx, chg_span span, const char *message) {
  chg_diag *d = push(ctx);
  d->severity = CHG_NOTE;
  d->code = CHG_E_HOOK_LOG;
  d->span = span;
  d->message = chg_arena_printf(&ctx->arena, "log: %s", message);
  d->group = (uint32_t)(ctx->ndiags - 1);
}

/* ---- positions ------------------------------------------------------ */

void chg_file_index_lines(struct chg_ctx *ctx, chg_file *f) {
  if (f->lines.count) return;
  const char *text = chg_file_text(ctx, f);
  chg_lines_init(&f->lines, &ctx->al);
  chg_lines_scan(&f->lines, &ctx->al, text, f->len, 0);
  chg_lines_trim(&f->lines, &ctx->al);
}

/* Positions are asked for in source order far more often than not (a
 * report walks its rows, each cell's span ends on the line it starts on):
 * the index tries the line it found last, and the one after it, first. */
static size_t line_of(chg_file *f, uint32_t offset) { return chg_lines_find(&f->lines, offset); }

/* Columns count code points, so that a caret under "£8.2m" lines up; a
 * byte that is not UTF-8 (a Windows `’`, 0x92) counts as one, as an
 * editor shows it; a byte-order mark starting the file is white space no
 * editor counts. */
static unsigned count_code_points(const char *s, size_t n) {
  unsigned c = 0;
  for (size_t i = 0; i < n; c++) {
    size_t len = (unsigned char)s[i] < 0x80 ? 1 : chg_utf8_sequence((const unsigned char *)s + i, n - i);
    i += len ? len : 1;
  }
  return c;
}

static unsigned display_columns(const char *s, size_t n) {
  unsigned c = 0;
  size_t len;
  for (size_t i = 0; i < n; i += len) c += chg_char_columns((const unsigned char *)s + i, n - i, &len);
  return c;
}

static unsigned columns_between(chg_ctx *ctx, chg_file *f, uint32_t from, uint32_t to) {
  const char *s = chg_file_bytes(ctx, f, from, to);
  size_t skip = from == 0 && to - from >= 3 && memcmp(s, "\xEF\xBB\xBF", 3) == 0 ? 3 : 0;
  return count_code_points(s + skip, to - from - skip);
}

void chg_file_position(struct chg_ctx *ctx, uint32_t file, uint32_t offset,
                       unsigned *line, unsigned *column) {
  chg_file *f = chg_ctx_file(ctx, file);
  if (!f) {
    *line = *column = 0;
    return;
  }
  chg_file_index_lines(ctx, f);
  if (offset > f->len) offset = (uint32_t)f->len;
  size_t l = line_of(f, offset);
  *line = (unsigned)l + 1;
  uint32_t start = chg_lines_start(&f->lines, l);
  if (!chg_lines_wide(&f->lines, l)) *column = offset - start + 1;
  else *column = columns_between(ctx, f, start, offset) + 1;
}

void chg_span_position(struct chg_ctx *ctx, chg_span span, chg_position *from, chg_position *to) {
  chg_file_position(ctx, span.file, span.start, &from->line, &from->column);
  chg_file *f = chg_ctx_file(ctx, span.file);
  uint32_t end = f && span.end > f->len ? (uint32_t)f->len : span.end;
  /* most spans end on the line they start on: count on from the start */
  if (f && end >= span.start &&
      (from->line >= f->lines.count || end < chg_lines_end(&f->lines, from->line - 1))) {
    to->line = from->line;
    to->column = from->column + (chg_lines_wide(&f->lines, from->line - 1)
                                     ? columns_between(ctx, f, span.start, end)
                                     : end - span.start);
    return;
  }
  chg_file_position(ctx, span.file, span.end, &to->line, &to->column);
}

/* ---- public views ----------------------------------------------------- */

size_t chg_error_count(const chg_ctx *ctx) { return ctx->errors; }
size_t chg_warning_count(const chg_ctx *ctx) { return ctx->warnings; }
int chg_io_failed(const chg_ctx *ctx) { return ctx->io_failed; }
size_t chg_diag_count(const chg_ctx *ctx) { return ctx->ndiags; }

int chg_diag_get(const chg_ctx *cctx, size_t index, chg_diag_view *out) {
  chg_ctx *ctx = (chg_ctx *)cctx; /* line tables are built lazily */
  if (index >= ctx->ndiags) return -1;
  const chg_diag *d = &ctx->diags[index];
  memset(out, 0, sizeof *out);
  out->severity = d->severity;
  out->code = chg_code_string(d->code);
  out->message = d->message;
  chg_file *f = chg_ctx_file(ctx, d->span.file);
  if (f) {
    out->file = f->path;
    chg_position from, to;
    chg_span_position(ctx, d->span, &from, &to);
    out->line = from.line;
    out->column = from.column;
    out->end_line = to.line;
    out->end_column = to.column;
    out->start = d->span.start;
    out->end = d->span.end;
  }
  return 0;
}

/* ---- printing --------------------------------------------------------- */

typedef struct group_ref {
  uint32_t first; /* index of the primary */
  uint32_t file, start, seq;
} group_ref;

static int compare_groups(const void *pa, const void *pb) {
  const group_ref *a = pa, *b = pb;
  if (a->file != b->file) return a->file < b->file ? -1 : 1;
  if (a->start != b->start) return a->start < b->start ? -1 : 1;
  return a->seq < b->seq ? -1 : a->seq > b->seq;
}

static const char *severity_name(chg_severity s) {
  return s == CHG_ERROR ? "error" : s == CHG_WARNING ? "warning" : "note";
}

/* How many digits the line number of a diagnostic's excerpt has; 0 when
 * it shows none. */
static int line_digits(chg_ctx *ctx, const chg_diag *d) {
  chg_file *f = chg_ctx_file(ctx, d->span.file);
  if (!f) return 0;
  chg_file_index_lines(ctx, f);
  char num[32];
  return snprintf(num, sizeof num, "%zu", line_of(f, d->span.start) + 1);
}

/* `margin`: the width of the line numbers of the diagnostic's group, so
 * that the bars of its excerpts and of its notes' line up */
enum { EXCERPT_MAX = 240 }; /* bytes of a line shown */


/* A stretch of a source line as the terminal should show it: a tab as one
 * space, so the caret below stays under its column; a control character,
 * one that acts on the terminal or a byte that is not UTF-8 as `?`, one
 * for each column it counts as. */
static void put_shown(FILE *out, const char *text, size_t n) {
  const unsigned char *s = (const unsigned char *)text;
  size_t plain = 0; /* s[plain..i) is written as it is */
  for (size_t i = 0; i < n;) {
    if (s[i] >= 0x20 && s[i] < 0x7f) {
      i++;
      continue;
    }
    uint32_t cp;
    size_t len = chg_utf8_next(s + i, n - i, &cp);
    if (cp == '\t' || cp < 0x20 || cp == 0x7f || cp == CHG_NOT_UTF8 || chg_acts_on_terminal(cp)) {
      fwrite(s + plain, 1, i - plain, out);
      fputc(cp == '\t' ? ' ' : '?', out);
      plain = i + len;
    }
    i += len;
  }
  fwrite(s + plain, 1, n - plain, out);
}

static void print_excerpt(chg_ctx *ctx, FILE *out, const chg_diag *d, bool colour, int margin) {
  chg_file *f = chg_ctx_file(ctx, d->span.file);
  if (!f || f->not_text) return;
  chg_file_index_lines(ctx, f);
  size_t l = line_of(f, d->span.start);
  size_t from = chg_lines_start(&f->lines, l);
  size_t line_end = l + 1 < f->lines.count ? chg_lines_end(&f->lines, l) - 1 : f->len;
  /* only the line is read, and no more than 4 KB of it, about what is
   * pointed at: a large file's text is not in memory, and a 10 MB line is
   * not worth printing whole */
  uint32_t s = d->span.start, e = d->span.end;
  size_t base = s > from + 2048 ? s - 2048 : from;
  size_t to = line_end > base + 4096 ? base + 4096 : line_end;
  if (to < base) to = base;
  const char *text = chg_file_bytes(ctx, f, (uint32_t)base, (uint32_t)to);
  for (size_t i = 0; i < to - base; i++)
    if (text[i] == '\n') to = base + i; /* a file that changed under us */
  if (to > base && to == line_end && text[to - base - 1] == '\r') /* a CRLF line ends before its CR */
    line_end = --to;
  /* A long line is shown 240 bytes at a time: from its start, or, when
   * what is pointed at lies further on, from a little before it. */
  if (e > to) e = (uint32_t)to;
  if (s > e) s = e;
  if (s < base) s = (uint32_t)base;
  size_t len = to - base, at = s - base, begin = 0, end = len;
  /* a byte-order mark starting the file is not shown: it has no width */
  size_t first = base == 0 && len >= 3 && memcmp(text, "\xEF\xBB\xBF", 3) == 0 ? 3 : 0;
  if (at < first) at = first;
  begin = first;
  if (base > from || (len > EXCERPT_MAX && at > EXCERPT_MAX * 2 / 3)) {
    begin = at > EXCERPT_MAX / 3 ? at - EXCERPT_MAX / 3 : 0;
    while (begin < at && ((unsigned char)text[begin] & 0xC0) == 0x80) begin++;
  }
  bool dots = base > from || begin > first;
  bool cut = end - begin > EXCERPT_MAX || to < line_end;
  if (end - begin > EXCERPT_MAX) {
    end = begin + EXCERPT_MAX;
    while (end > begin && ((unsigned char)text[end] & 0xC0) == 0x80) end--;
  }
  char num[32];
  int w = snprintf(num, sizeof num, "%zu", l + 1);
  if (w < margin) w = margin;
  if (f->text_changed) {
    fprintf(out, " %*s | (%s changed on disk while chg was running: the line is not shown)\n",
            w, num, f->path);
    return;
  }
  fprintf(out, " %*s | ", w, num);
  if (dots) fputs("... ", out);
  put_shown(out, text + begin, end - begin);
  if (cut) fputs(" ...", out);
  fputc('\n', out);
  fprintf(out, " %*s | ", w, "");
  if (at > end) return (void)fputc('\n', out); /* past what is shown */
  /* under the text as the terminal shows it: a wide character (CJK, most
   * emoji) takes two columns */
  unsigned pad = (dots ? 4 : 0) + display_columns(text + begin, at - begin);
  size_t stop = e - base < end ? e - base : end;
  if (stop < at) stop = at; /* a span within the byte-order mark */
  unsigned width = display_columns(text + at, stop - at);
  for (unsigned i = 0; i < pad; i++) fputc(' ', out);
  if (colour) fputs(d->severity == CHG_NOTE ? "\033[1;36m" : "\033[1;32m", out);
  fputc('^', out);
  for (unsigned i = 1; i < width; i++) fputc('~', out);
  if (colour) fputs("\033[0m", out);
  fputc('\n', out);
}

/* A message quotes what the portfolio says (a flag's text, a title),
 * and a location names a file: one diagnostic stays one line, and
 * nothing in it drives the terminal.
 * A line break is shown as `\n`, a tab as `\t`, another control byte as
 * `\xNN`, a character that acts on the terminal as `\u{NNNN}`. */
static void put_message(FILE *out, const char *msg) {
  const unsigned char *s = (const unsigned char *)msg;
  size_t len = strlen(msg), plain = 0; /* s[plain..i) is written as it is */
  for (size_t i = 0; i < len;) {
    if (s[i] >= 0x20 && s[i] < 0x7f) { /* the common case, in one write below */
      i++;
      continue;
    }
    uint32_t cp;
    size_t n = chg_utf8_next(s + i, len - i, &cp);
    bool shown = cp != '\n' && cp != '\t' && cp >= 0x20 && cp != 0x7f && cp != CHG_NOT_UTF8 &&
                 !chg_acts_on_terminal(cp);
    if (!shown) {
      fwrite(s + plain, 1, i - plain, out);
      if (cp == '\n') fputs("\\n", out);
      else if (cp == '\t') fputs("\\t", out);
      else if (cp < 0x20 || cp == 0x7f || cp == CHG_NOT_UTF8) fprintf(out, "\\x%02x", s[i]);
      else fprintf(out, "\\u{%04X}", (unsigned)cp);
      plain = i + n;
    }
    i += n;
  }
  fwrite(s + plain, 1, len - plain, out);
}

static void print_one(chg_ctx *ctx, FILE *out, const chg_diag *d, bool colour, int margin) {
  chg_file *f = chg_ctx_file(ctx, d->span.file);
  const char *sev = severity_name(d->severity);
  const char *sev_colour = d->severity == CHG_ERROR     ? "\033[1;31m"
                           : d->severity == CHG_WARNING ? "\033[1;35m"
                                                        : "\033[1;36m";
  if (colour) fputs("\033[1m", out);
  if (f) {
    unsigned line, col;
    chg_file_position(ctx, d->span.file, d->span.start, &line, &col);
    put_message(out, f->path); /* a file's name drives no terminal either */
    fprintf(out, ":%u:%u: ", line, col);
  } else {
    fputs("chg: ", out);
  }
  if (colour) fprintf(out, "%s%s:\033[0m\033[1m ", sev_colour, sev);
  else fprintf(out, "%s: ", sev);
  put_message(out, d->message);
  /* a note that stands alone (a hook's log line) has a code of its own */
  if (d->severity != CHG_NOTE || (size_t)(d - ctx->diags) == d->group)
    fprintf(out, " [%s]", chg_code_string(d->code));
  if (colour) fputs("\033[0m", out);
  fputc('\n', out);
  print_excerpt(ctx, out, d, colour, margin);
}

static void print_groups(chg_ctx *ctx, FILE *out, int colour, size_t ngroups);

void chg_diag_print(const chg_ctx *cctx, FILE *out, int colour) {
  chg_ctx *ctx = (chg_ctx *)cctx;
  size_t ngroups = 0;
  for (size_t i = 0; i < ctx->ndiags; i++)
    if (ctx->diags[i].group == i) ngroups++;
  if (ngroups) print_groups(ctx, out, colour, ngroups);
  if (ctx->error_limit_reported)
    fprintf(out, "chg: note: %s [%s]\n", chg_error_limit_note(ctx, (char[96]){0}),
            chg_code_string(CHG_E_TOO_MANY_ERRORS));
}

uint32_t *chg_diag_order(const struct chg_ctx *ctx, size_t *ngroups) {
  size_t n = 0;
  for (size_t i = 0; i < ctx->ndiags; i++)
    if (ctx->diags[i].group == i) n++;
  *ngroups = n;
  if (!n) return NULL;
  group_ref *groups = chg_mem_alloc(&ctx->al, n * sizeof *groups);
  size_t k = 0;
  for (size_t i = 0; i < ctx->ndiags; i++) {
    if (ctx->diags[i].group != i) continue;
    groups[k].first = (uint32_t)i;
    groups[k].file = ctx->diags[i].span.file;
    groups[k].start = ctx->diags[i].span.start;
    groups[k].seq = (uint32_t)k;
    k++;
  }
  qsort(groups, n, sizeof *groups, compare_groups);
  uint32_t *order = chg_mem_alloc(&ctx->al, n * sizeof *order);
  for (size_t g = 0; g < n; g++) order[g] = groups[g].first;
  chg_mem_free(&ctx->al, groups, n * sizeof *groups);
  return order;
}

static void print_groups(chg_ctx *ctx, FILE *out, int colour, size_t ngroups) {
  uint32_t *order = chg_diag_order(ctx, &ngroups);
  for (size_t g = 0; g < ngroups; g++) {
    uint32_t first = order[g];
    /* notes are recorded right after the diagnostic they explain */
    size_t end = first + 1;
    while (end < ctx->ndiags && ctx->diags[end].group == first) end++;
    int margin = 0;
    for (size_t i = first; i < end; i++) {
      int digits = line_digits(ctx, &ctx->diags[i]);
      if (digits > margin) margin = digits;
    }
    for (size_t i = first; i < end; i++) print_one(ctx, out, &ctx->diags[i], colour, margin);
  }
  chg_mem_free(&ctx->al, order, ngroups * sizeof *order);
}
