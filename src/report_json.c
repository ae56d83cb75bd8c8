/*
 * report_json.c -- the report as JSON, documented in docs/report-json.md
 * and docs/report.schema.json.  Every cell carries its exact value, the
 * text a person would see, and where in the source it came from.
 */
#include <string.h>

#include "report.h"
#include "value.h"

enum { CELL_MAX = 4096 };

static void str(FILE *out, const char *s) {
  fputc('"', out);
  for (;;) {
    /* the bytes that need no escape go out in one run */
    size_t run = 0;
    while ((unsigned char)s[run] >= 0x20 && s[run] != '"' && s[run] != '\\') run++;
    if (run) fwrite(s, 1, run, out);
    s += run;
    unsigned char c = (unsigned char)*s;
    if (!c) break;
    switch (c) {
    case '"': fputs("\\\"", out); break;
    case '\\': fputs("\\\\", out); break;
    case '\n': fputs("\\n", out); break;
    case '\r': fputs("\\r", out); break;
    case '\t': fputs("\\t", out); break;
    default: fprintf(out, "\\u%04x", c);
    }
    s++;
  }
  fputc('"', out);
}

static void source(const chg_report *r, FILE *out, chg_span span) {
  chg_file *f = chg_ctx_file(r->ctx, span.file);
  if (!f) {
    fputs("null", out);
    return;
  }
  unsigned line, col, end_line, end_col;
  chg_file_position(r->ctx, span.file, span.start, &line, &col);
  chg_file_position(r->ctx, span.file, span.end, &end_line, &end_col);
  fputs("{\"file\": ", out);
  str(out, f->path);
  fprintf(out, ", \"line\": %u, \"column\": %u, \"end_line\": %u, \"end_column\": %u}",
          line, col, end_line, end_col);
}

static void cell(const chg_report *r, FILE *out, const chg_cell *c, char *buf) {
  if (c->kind == CHG_CELL_EMPTY) {
    fputs("null", out);
    return;
  }
  static const char *const types[] = {"empty", "text", "money", "number", "percent", "count",
                                      "date", "month", "financial_year", "level", "bool"};
  fputs("{\"type\": ", out);
  str(out, types[c->kind]);
  switch ((chg_cell_kind)c->kind) {
  case CHG_CELL_MONEY:
    fprintf(out, ", \"pence\": %lld", (long long)c->u.pence);
    break;
  case CHG_CELL_NUMBER:
  case CHG_CELL_PERCENT:
    chg_dec_format(c->u.num, buf, CELL_MAX);
    fprintf(out, ", \"value\": %s", buf);
    break;
  case CHG_CELL_COUNT:
    fprintf(out, ", \"value\": %lld", (long long)c->u.count);
    break;
  case CHG_CELL_BOOL:
    fprintf(out, ", \"value\": %s", c->u.b ? "true" : "false");
    break;
  case CHG_CELL_LEVEL:
    fputs(", \"scale\": ", out);
    str(out, c->u.level.scale->name);
    fputs(", \"value\": ", out);
    str(out, c->u.level.scale->levels[c->u.level.index]);
    fprintf(out, ", \"rank\": %d", c->u.level.index);
    break;
  case CHG_CELL_TEXT:
    fputs(", \"value\": ", out);
    str(out, c->u.text);
    break;
  case CHG_CELL_DATE:
  case CHG_CELL_MONTH:
  case CHG_CELL_FY:
    chg_cell_text(c, buf, CELL_MAX, true);
    fputs(", \"value\": ", out);
    str(out, buf);
    break;
  case CHG_CELL_EMPTY:
    break;
  }
  fputs(", \"display\": ", out);
  str(out, chg_cell_str(c, buf, CELL_MAX, false));
  if (c->mark) {
    static const char *const marks[] = {"none", "good", "warning", "bad"};
    fputs(", \"mark\": ", out);
    str(out, marks[c->mark]);
  }
  if (c->has_span) {
    fputs(", \"source\": ", out);
    source(r, out, c->span);
  }
  fputc('}', out);
}

void chg_write_json(const chg_report *r, FILE *out) {
  char *buf = chg_arena_alloc(&r->ctx->arena, CELL_MAX);
  const chg_eval *ev = r->ev;
  fputs("{\n  \"chg_report\": 1,\n  \"portfolio\": ", out);
  if (ev->portfolio) {
    fputs("{\"id\": ", out);
    if (ev->portfolio->id) str(out, ev->portfolio->id);
    else fputs("null", out);
    fputs(", \"title\": ", out);
    if (ev->portfolio->title) str(out, ev->portfolio->title);
    else fputs("null", out);
    fputs(", \"as_of\": ", out);
    if (ev->as_of != INT32_MIN) {
      chg_fmt_day(buf, CELL_MAX, ev->as_of);
      str(out, buf);
    } else {
      fputs("null", out);
    }
    fputs(", \"source\": ", out);
    source(r, out, chg_key_span(ev->portfolio));
    fputc('}', out);
  } else {
    fputs("null", out);
  }
  fputs(",\n  \"sections\": [", out);
  for (size_t i = 0; i < r->ntables; i++) {
    const chg_table *t = r->tables[i];
    fputs(i ? ",\n    {" : "\n    {", out);
    fputs("\"name\": ", out);
    str(out, t->name);
    fputs(", \"title\": ", out);
    str(out, t->title);
    fputs(", \"note\": ", out);
    if (t->note) str(out, t->note);
    else fputs("null", out);
    fputs(",\n     \"columns\": [", out);
    for (size_t c = 0; c < t->ncols; c++) {
      fputs(c ? ", {\"name\": " : "{\"name\": ", out);
      str(out, t->cols[c].name);
      fputs(", \"title\": ", out);
      str(out, t->cols[c].title);
      fprintf(out, ", \"numeric\": %s}", t->cols[c].numeric ? "true" : "false");
    }
    fputs("],\n     \"rows\": [", out);
    for (size_t row = 0; row < t->nrows; row++) {
      fputs(row ? ",\n       {" : "\n       {", out);
      for (size_t c = 0; c < t->ncols; c++) {
        if (c) fputs(", ", out);
        str(out, t->cols[c].name);
        fputs(": ", out);
        cell(r, out, chg_table_cell(t, row, c), buf);
      }
      fputc('}', out);
    }
    fputs(t->nrows ? "\n     ]}" : "]}", out);
  }
  fputs(r->ntables ? "\n  ]" : "]", out);
  /* what checking and evaluating found, so a consumer sees false claims */
  fputs(",\n  \"diagnostics\": [", out);
  size_t n = chg_diag_count(r->ctx);
  for (size_t i = 0; i < n; i++) {
    chg_diag_view d;
    chg_diag_get(r->ctx, i, &d);
    fputs(i ? ",\n    {" : "\n    {", out);
    fputs("\"severity\": ", out);
    str(out, d.severity == CHG_ERROR ? "error" : d.severity == CHG_WARNING ? "warning" : "note");
    fputs(", \"code\": ", out);
    str(out, d.code);
    fputs(", \"message\": ", out);
    str(out, d.message);
    if (d.file) {
      fputs(", \"file\": ", out);
      str(out, d.file);
      fprintf(out, ", \"line\": %u, \"column\": %u", d.line, d.column);
    }
    fputc('}', out);
  }
  fputs(n ? "\n  ]\n}\n" : "]\n}\n", out);
}
