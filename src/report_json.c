/*
 * report_json.c -- the report as JSON, documented in docs/report-json.md
 * and its two JSON Schemas.  Two shapes, one writer:
 *
 *   - version 2 (the default): each cell is its bare value -- a string,
 *     a number, true or false -- and each column says the type of its
 *     cells, so that `jq '.rows[].score'` reads a score; a report is a
 *     few bytes for each byte of source.
 *   - version 1 (`--detail`): each cell is an object with its type,
 *     exact value, the text a person sees, how it should catch the eye
 *     and where in the source it came from; some twelve bytes for each
 *     byte of source.
 *
 * A national portfolio's report is hundreds of megabytes, so the writer
 * fills its own buffer and formats numbers itself: a stdio call for
 * every token cost more than building the report.
 */
#include <string.h>

#include "report.h"
#include "value.h"

/* A report repeats a few strings millions of times -- each cell's column
 * name, each source's file -- so they are escaped once per table. */
typedef struct quoted {
  const char *text; /* with its quotes, escaped */
  size_t len;
} quoted;

typedef struct json_out {
  FILE *out;
  size_t len;
  size_t flushes; /* so a writer can tell its output is still in buf */
  quoted *keys;  /* `"name": ` of each column of the table being written */
  quoted *files; /* `"path"` of each source file, by id; NULL text until needed */
  size_t nfiles;
  char buf[1u << 16];
} json_out;

static void flush(json_out *o) {
  if (o->len) fwrite(o->buf, 1, o->len, o->out);
  o->len = 0;
  o->flushes++;
}

static inline void put(json_out *o, const char *s, size_t n) {
  if (o->len + n > sizeof o->buf) {
    flush(o);
    if (n > sizeof o->buf) {
      fwrite(s, 1, n, o->out);
      return;
    }
  }
  memcpy(o->buf + o->len, s, n);
  o->len += n;
}

#define PUT(o, literal) put((o), literal, sizeof literal - 1)

static void putc_(json_out *o, char c) {
  if (o->len == sizeof o->buf) flush(o);
  o->buf[o->len++] = c;
}

/* Two digits at a time: a report's integers are mostly line and column
 * numbers, millions of them. */
static const char digit_pairs[] = "00010203040506070809101112131415161718192021222324"
                                  "25262728293031323334353637383940414243444546474849"
                                  "50515253545556575859606162636465666768697071727374"
                                  "75767778798081828384858687888990919293949596979899";

static void integer(json_out *o, long long v) {
  char digits[24];
  size_t n = sizeof digits;
  unsigned long long u = v < 0 ? 0ull - (unsigned long long)v : (unsigned long long)v;
  while (u >= 100) {
    n -= 2;
    memcpy(digits + n, digit_pairs + 2 * (u % 100), 2);
    u /= 100;
  }
  if (u >= 10) {
    n -= 2;
    memcpy(digits + n, digit_pairs + 2 * u, 2);
  } else {
    digits[--n] = (char)('0' + u);
  }
  if (v < 0) digits[--n] = '-';
  put(o, digits + n, sizeof digits - n);
}

/* Which bytes a JSON string cannot hold as they are: controls, quote and
 * backslash; and which may start a character to be looked at (any byte
 * from DEL up): the C1 controls and the line and paragraph separators are
 * escaped too, and a byte that is not UTF-8 (in a file's name, which no
 * check read) is U+FFFD, so that the report is always UTF-8. */
static bool needs_escape(unsigned char c) { return chg_json_needs_escape(c); }

/* Whether any of eight bytes needs escaping: below 0x20, a quote or a
 * backslash, or from DEL up (each test is exact for "any", which is all
 * that is asked). */
static inline bool any_needs_escape(uint64_t w) {
  const uint64_t ones = 0x0101010101010101u, highs = 0x8080808080808080u;
  uint64_t quote = w ^ (ones * '"'), backslash = w ^ (ones * '\\'), del = w ^ (ones * 0x7F);
  return ((((w - ones * 0x20) & ~w) | ((quote - ones) & ~quote) | ((backslash - ones) & ~backslash) |
           ((del - ones) & ~del)) & highs) || (w & highs);
}

/* `s` escaped, without quotes: runs of eight plain bytes are copied whole,
 * since a report's strings need escaping almost never */
static void escaped(json_out *o, const char *s, size_t n) {
  while (n) {
    if (o->len + 8 > sizeof o->buf) flush(o);
    size_t room = sizeof o->buf - o->len, done = 0;
    char *dst = o->buf + o->len;
    while (n - done >= 8 && room - done >= 8) {
      uint64_t w;
      memcpy(&w, s + done, 8);
      if (any_needs_escape(w)) break;
      memcpy(dst + done, &w, 8);
      done += 8;
    }
    while (done < n && done < room && !needs_escape((unsigned char)s[done])) {
      dst[done] = s[done];
      done++;
    }
    o->len += done;
    s += done;
    n -= done;
    if (n && needs_escape((unsigned char)*s)) {
      char e[6];
      size_t took;
      put(o, e, chg_json_escape(s, n, e, &took));
      s += took;
      n -= took;
    }
  }
}

/* `s` quoted and escaped.  Most of a report's strings are short ids and
 * titles with nothing to escape, which fit the buffer as they are: those
 * are checked and copied eight bytes at a time, the last eight overlapping
 * the ones before, with no byte looked at alone. */
static void str(json_out *o, const char *s) {
  size_t n = strlen(s);
  if (n >= 8 && o->len + n + 2 <= sizeof o->buf) {
    char *dst = o->buf + o->len + 1;
    uint64_t w;
    size_t done = 0;
    for (; done + 8 <= n; done += 8) {
      memcpy(&w, s + done, 8);
      if (any_needs_escape(w)) break;
      memcpy(dst + done, &w, 8);
    }
    if (done + 8 > n) {
      memcpy(&w, s + n - 8, 8);
      if (!any_needs_escape(w)) {
        memcpy(dst + n - 8, &w, 8);
        o->buf[o->len] = '"';
        dst[n] = '"';
        o->len += n + 2;
        return;
      }
    }
  }
  putc_(o, '"');
  escaped(o, s, n);
  putc_(o, '"');
}

static void str_or_null(json_out *o, const char *s) {
  if (s) str(o, s);
  else PUT(o, "null");
}

/* `s` escaped and quoted, then `suffix`, kept in `arena` */
static quoted quote(chg_arena *arena, const char *s, const char *suffix) {
  size_t cap = 3 + strlen(suffix), len = strlen(s);
  for (const char *c = s; *c; c++) cap += needs_escape((unsigned char)*c) ? 6 : 1;
  char *text = chg_arena_alloc(arena, cap), *t = text;
  *t++ = '"';
  for (const char *end = s + len; s < end;) {
    size_t took = 1;
    if (needs_escape((unsigned char)*s)) t += chg_json_escape(s, (size_t)(end - s), t, &took);
    else *t = *s, t++;
    s += took;
  }
  *t++ = '"';
  size_t n = strlen(suffix);
  memcpy(t, suffix, n + 1);
  t += n;
  return (quoted){text, (size_t)(t - text)};
}

static void put_quoted(json_out *o, quoted q) { put(o, q.text, q.len); }

static void source(const chg_report *r, json_out *o, chg_span span) {
  chg_file *f = chg_ctx_file(r->ctx, span.file);
  if (!f) {
    PUT(o, "null");
    return;
  }
  if (span.file >= o->nfiles) {
    size_t n = (size_t)span.file + 8;
    quoted *files = chg_arena_alloc(r->scratch, n * sizeof *files);
    memset(files, 0, n * sizeof *files);
    if (o->nfiles) memcpy(files, o->files, o->nfiles * sizeof *files);
    o->files = files;
    o->nfiles = n;
  }
  quoted *path = &o->files[span.file];
  if (!path->text) *path = quote(r->scratch, f->path, "");
  chg_position from, to;
  chg_span_position(r->ctx, span, &from, &to);
  PUT(o, "{\"file\": ");
  put_quoted(o, *path);
  PUT(o, ", \"line\": ");
  integer(o, from.line);
  PUT(o, ", \"column\": ");
  integer(o, from.column);
  PUT(o, ", \"end_line\": ");
  integer(o, to.line);
  PUT(o, ", \"end_column\": ");
  integer(o, to.column);
  putc_(o, '}');
}

/* ---- version 1: each cell an object with everything known of it ---- */

static void cell_detail(const chg_report *r, json_out *o, const chg_cell *c) {
#define TYPE(name) {"{\"type\": \"" name "\"", sizeof "{\"type\": \"" name "\"" - 1}
  static const quoted types[] = {TYPE("empty"), TYPE("text"),    TYPE("money"),
                                 TYPE("number"), TYPE("percent"), TYPE("count"),
                                 TYPE("date"),  TYPE("month"),   TYPE("financial_year"),
                                 TYPE("level"), TYPE("bool")};
#undef TYPE
  char *buf = r->buf;
  bool display_written = false;
  if (c->kind == CHG_CELL_EMPTY) {
    PUT(o, "null");
    return;
  }
  put_quoted(o, types[c->kind]);
  switch ((chg_cell_kind)c->kind) {
  case CHG_CELL_MONEY:
    PUT(o, ", \"pence\": ");
    integer(o, c->u.pence);
    break;
  case CHG_CELL_NUMBER:
  case CHG_CELL_PERCENT:
    PUT(o, ", \"value\": ");
    put(o, buf, chg_dec_format(c->u.num, buf, CHG_CELL_MAX));
    break;
  case CHG_CELL_COUNT:
    PUT(o, ", \"value\": ");
    integer(o, c->u.count);
    break;
  case CHG_CELL_BOOL:
    if (c->u.b) PUT(o, ", \"value\": true");
    else PUT(o, ", \"value\": false");
    break;
  case CHG_CELL_LEVEL:
    PUT(o, ", \"scale\": ");
    str(o, c->u.level.scale->name);
    PUT(o, ", \"value\": ");
    str(o, c->u.level.scale->levels[c->u.level.index]);
    PUT(o, ", \"rank\": ");
    integer(o, c->u.level.index);
    break;
  case CHG_CELL_TEXT: {
    /* the display is the value: escaped once, and copied */
    PUT(o, ", \"value\": ");
    size_t from = o->len, flushes = o->flushes;
    str(o, c->u.text);
    size_t n = o->len - from;
    if (o->flushes == flushes && n <= CHG_CELL_MAX) {
      memcpy(buf, o->buf + from, n);
      PUT(o, ", \"display\": ");
      put(o, buf, n);
      display_written = true;
    }
    break;
  }
  case CHG_CELL_DATE:
  case CHG_CELL_MONTH:
  case CHG_CELL_FY:
    chg_cell_text(c, buf, CHG_CELL_MAX, true);
    PUT(o, ", \"value\": ");
    str(o, buf);
    break;
  case CHG_CELL_EMPTY:
    break;
  }
  if (!display_written) {
    PUT(o, ", \"display\": ");
    str(o, chg_cell_str(c, buf, CHG_CELL_MAX, false));
  }
  if (c->mark) {
    static const char *const marks[] = {"none", "good", "warning", "bad"};
    PUT(o, ", \"mark\": ");
    str(o, marks[c->mark]);
  }
  if (c->has_span) {
    PUT(o, ", \"source\": ");
    source(r, o, c->span);
  }
  putc_(o, '}');
}

static void begin(const chg_report *r, FILE *out, bool detail) {
  json_out *o = chg_arena_alloc(&r->ctx->arena, sizeof *o);
  o->out = out;
  const chg_eval *ev = r->ev;
  if (detail) PUT(o, "{\n  \"chg_report\": 1,\n  \"portfolio\": ");
  else PUT(o, "{\n  \"chg_report\": 2,\n  \"portfolio\": ");
  if (ev->portfolio) {
    PUT(o, "{\"id\": ");
    str_or_null(o, chg_block_id(ev->portfolio));
    PUT(o, ", \"title\": ");
    str_or_null(o, chg_block_title(ev->portfolio));
    PUT(o, ", \"as_of\": ");
    if (ev->as_of != INT32_MIN) {
      chg_fmt_day(r->buf, CHG_CELL_MAX, ev->as_of);
      str(o, r->buf);
    } else {
      PUT(o, "null");
    }
    PUT(o, ", \"source\": ");
    source(r, o, chg_key_span(ev->portfolio));
    putc_(o, '}');
  } else {
    PUT(o, "null");
  }
  PUT(o, ",\n  \"sections\": [");
  flush(o);
}

static void begin_detail(const chg_report *r, FILE *out) { begin(r, out, true); }
static void begin_values(const chg_report *r, FILE *out) { begin(r, out, false); }

/* ---- version 2: each cell its bare value, typed by its column ---- */

static const char *const type_names[] = {"empty", "text",  "money", "number",
                                         "percent", "count", "date",  "month",
                                         "financial_year", "level", "bool"};

/* a cell as its bare value: money in pence, a percentage as its fraction,
 * a level by its name, a date, month or year as text */
static void value(const chg_report *r, json_out *o, const chg_cell *c) {
  char *buf = r->buf;
  switch ((chg_cell_kind)c->kind) {
  case CHG_CELL_EMPTY: PUT(o, "null"); break;
  case CHG_CELL_TEXT: str(o, c->u.text); break;
  case CHG_CELL_MONEY: integer(o, c->u.pence); break;
  case CHG_CELL_NUMBER:
  case CHG_CELL_PERCENT: put(o, buf, chg_dec_format(c->u.num, buf, CHG_CELL_MAX)); break;
  case CHG_CELL_COUNT: integer(o, c->u.count); break;
  case CHG_CELL_BOOL:
    if (c->u.b) PUT(o, "true");
    else PUT(o, "false");
    break;
  case CHG_CELL_LEVEL: str(o, c->u.level.scale->levels[c->u.level.index]); break;
  case CHG_CELL_DATE:
  case CHG_CELL_MONTH:
  case CHG_CELL_FY:
    chg_cell_text(c, buf, CHG_CELL_MAX, true);
    str(o, buf);
    break;
  }
}

/* a cell of a mixed column: its value with its type, as version 1 names
 * them (money's value is `pence`) */
static void value_typed(const chg_report *r, json_out *o, const chg_cell *c) {
  if (c->kind == CHG_CELL_EMPTY) {
    PUT(o, "null");
    return;
  }
  PUT(o, "{\"type\":");
  str(o, type_names[c->kind]);
  if (c->kind == CHG_CELL_LEVEL) {
    PUT(o, ",\"scale\":");
    str(o, c->u.level.scale->name);
  }
  if (c->kind == CHG_CELL_MONEY) PUT(o, ",\"pence\":");
  else PUT(o, ",\"value\":");
  value(r, o, c);
  putc_(o, '}');
}

enum { PREFETCH_ROWS = 4 };

/* A table's name, title, note and columns, up to where its rows begin. */
static void head(json_out *o, const chg_table *t, size_t index, bool detail) {
  if (index) PUT(o, ",\n    {");
  else PUT(o, "\n    {");
  PUT(o, "\"name\": ");
  str(o, t->name);
  PUT(o, ", \"title\": ");
  str(o, t->title);
  PUT(o, ", \"note\": ");
  str_or_null(o, t->note);
  PUT(o, ",\n     \"columns\": [");
  for (size_t c = 0; c < t->ncols; c++) {
    if (c) PUT(o, ", ");
    PUT(o, "{\"name\": ");
    str(o, t->cols[c].name);
    PUT(o, ", \"title\": ");
    str(o, t->cols[c].title);
    if (t->cols[c].numeric) PUT(o, ", \"numeric\": true");
    else PUT(o, ", \"numeric\": false");
    if (!detail) {
      PUT(o, ", \"type\": ");
      const chg_column *col = &t->cols[c];
      if (col->kind == CHG_COLUMN_NOTHING) PUT(o, "null");
      else if (col->kind == CHG_COLUMN_MIXED) PUT(o, "\"mixed\"");
      else str(o, type_names[col->kind]);
      if (col->scale) {
        PUT(o, ", \"scale\": ");
        str(o, col->scale->name);
      }
    }
    putc_(o, '}');
  }
  PUT(o, "],\n     \"rows\": [");
}

/* Rows [from, to) of a table, after its head when from is 0 and followed
 * by its end when to is its last row. */
static void table(const chg_report *r, const chg_table *t, size_t index, size_t from, size_t to,
                  FILE *out, bool detail) {
  json_out *o = chg_arena_alloc(r->scratch, sizeof *o);
  o->out = out;
  o->len = 0;
  o->files = NULL;
  o->nfiles = 0;
  o->keys = chg_arena_alloc(r->scratch, (t->ncols ? t->ncols : 1) * sizeof *o->keys);
  for (size_t c = 0; c < t->ncols; c++)
    o->keys[c] = quote(r->scratch, t->cols[c].name, detail ? ": " : ":");
  if (from == 0) head(o, t, index, detail);
  for (size_t row = from; row < to; row++) {
    /* a cell's text lies anywhere in the tree: ask for a later row's while
     * this one is written, or each waits on memory in turn */
    if (row + PREFETCH_ROWS < t->nrows) {
      const chg_cell *ahead = chg_table_cell(t, row + PREFETCH_ROWS, 0);
      for (size_t c = 0; c < t->ncols; c++)
        if (ahead[c].kind == CHG_CELL_TEXT) __builtin_prefetch(ahead[c].u.text);
    }
    const chg_cell *cells = chg_table_cell(t, row, 0);
    if (row) PUT(o, ",\n       {");
    else PUT(o, "\n       {");
    for (size_t c = 0; c < t->ncols; c++) {
      const chg_cell *cell = &cells[c];
      if (detail) {
        if (c) PUT(o, ", ");
        put_quoted(o, o->keys[c]);
        cell_detail(r, o, cell);
      } else {
        if (c) putc_(o, ',');
        put_quoted(o, o->keys[c]);
        if (t->cols[c].kind == CHG_COLUMN_MIXED) value_typed(r, o, cell);
        else value(r, o, cell);
      }
    }
    putc_(o, '}');
  }
  if (to == t->nrows) {
    if (t->nrows) PUT(o, "\n     ]}");
    else PUT(o, "]}");
  }
  flush(o);
}

static void table_detail(const chg_report *r, const chg_table *t, size_t index, FILE *out) {
  table(r, t, index, 0, t->nrows, out, true);
}
/* Version 2 reads no source positions (version 1's spans do, and the
 * line index they read is one thread's at a time), so two threads may
 * write parts of one table. */
static void part_values(const chg_report *r, const chg_table *t, size_t index, size_t from,
                        size_t to, FILE *out) {
  table(r, t, index, from, to, out, false);
}
static void table_values(const chg_report *r, const chg_table *t, size_t index, FILE *out) {
  part_values(r, t, index, 0, t->nrows, out);
}

/* what checking and evaluating found, so a consumer sees false claims */
static void end(const chg_report *r, size_t ntables, FILE *out) {
  json_out *o = chg_arena_alloc(&r->ctx->arena, sizeof *o);
  o->out = out;
  if (ntables) PUT(o, "\n  ]");
  else PUT(o, "]");
  PUT(o, ",\n  \"diagnostics\": [");
  size_t n = chg_diag_count(r->ctx);
  for (size_t i = 0; i < n; i++) {
    chg_diag_view d;
    chg_diag_get(r->ctx, i, &d);
    if (i) PUT(o, ",\n    {");
    else PUT(o, "\n    {");
    PUT(o, "\"severity\": ");
    str(o, d.severity == CHG_ERROR ? "error" : d.severity == CHG_WARNING ? "warning" : "note");
    PUT(o, ", \"code\": ");
    str(o, d.code);
    PUT(o, ", \"message\": ");
    str(o, d.message);
    if (d.file) {
      PUT(o, ", \"file\": ");
      str(o, d.file);
      PUT(o, ", \"line\": ");
      integer(o, d.line);
      PUT(o, ", \"column\": ");
      integer(o, d.column);
    }
    putc_(o, '}');
  }
  if (n) PUT(o, "\n  ]\n}\n");
  else PUT(o, "]\n}\n");
  flush(o);
}

const chg_writer chg_json_writer = {"json", begin_values, table_values, end, true, part_values};
const chg_writer chg_json_detail_writer = {"json", begin_detail, table_detail, end, true, NULL};
