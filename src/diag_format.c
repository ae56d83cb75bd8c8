/*
 * diag_format.c -- diagnostics for machines, beside the compiler-style text
 * of diag.c: JSON lines, SARIF 2.1.0 (for code-scanning uploads) and
 * GitHub Actions workflow commands (annotations on a pull request).  All
 * of them walk the diagnostics in the order the text uses, so the formats
 * agree line for line.
 */
#include <string.h>

#include "ctx.h"

static const char FORMATS[] = "text, json, sarif or github";

const char *chg_diag_formats(void) { return FORMATS; }

/* Where a diagnostic is: its file and 1-based positions, end exclusive. */
typedef struct where {
  const char *file; /* NULL: none */
  unsigned line, column, end_line, end_column;
} where;

static where locate(chg_ctx *ctx, const chg_diag *d) {
  where w;
  memset(&w, 0, sizeof w);
  chg_file *f = chg_ctx_file(ctx, d->span.file);
  if (!f) return w;
  w.file = f->path;
  chg_position from, to;
  chg_span_position(ctx, d->span, &from, &to);
  w.line = from.line;
  w.column = from.column;
  w.end_line = to.line;
  w.end_column = to.column;
  return w;
}

static const char *severity_name(chg_severity s) {
  return s == CHG_ERROR ? "error" : s == CHG_WARNING ? "warning" : "note";
}

/* A stand-alone note (a hook's log line) is a diagnostic of its own. */
static bool is_primary(const chg_ctx *ctx, size_t i) { return ctx->diags[i].group == i; }

/* ---- JSON ------------------------------------------------------------- */

/* Messages quote source text, and a string token may hold bytes that are
 * not UTF-8; JSON may not, so those become U+FFFD (see chg_utf8_sequence). */
static void json_string(FILE *out, const char *s) {
  if (!s) {
    fputs("null", out);
    return;
  }
  size_t n = strlen(s);
  fputc('"', out);
  for (size_t i = 0; i < n;) {
    size_t k = 1;
    if (!chg_json_needs_escape((unsigned char)s[i])) {
      while (i + k < n && !chg_json_needs_escape((unsigned char)s[i + k])) k++;
      fwrite(s + i, 1, k, out);
    } else {
      char e[6];
      fwrite(e, 1, chg_json_escape(s + i, n - i, e, &k), out);
    }
    i += k;
  }
  fputc('"', out);
}

static void json_position(FILE *out, const where *w) {
  fputs(",\"file\":", out);
  json_string(out, w->file);
  if (w->file)
    fprintf(out, ",\"line\":%u,\"column\":%u,\"end_line\":%u,\"end_column\":%u", w->line,
            w->column, w->end_line, w->end_column);
  else
    fputs(",\"line\":null,\"column\":null,\"end_line\":null,\"end_column\":null", out);
}

static void write_json(chg_ctx *ctx, FILE *out, const uint32_t *order, size_t n) {
  for (size_t g = 0; g < n; g++) {
    const chg_diag *d = &ctx->diags[order[g]];
    where w = locate(ctx, d);
    fprintf(out, "{\"severity\":\"%s\",\"code\":\"%s\",\"message\":", severity_name(d->severity),
            chg_code_string(d->code));
    json_string(out, d->message);
    json_position(out, &w);
    bool any = false;
    for (size_t i = order[g] + 1; i < ctx->ndiags && !is_primary(ctx, i) &&
                                  ctx->diags[i].group == order[g];
         i++) {
      where nw = locate(ctx, &ctx->diags[i]);
      fputs(any ? ",{\"message\":" : ",\"notes\":[{\"message\":", out);
      json_string(out, ctx->diags[i].message);
      json_position(out, &nw);
      fputc('}', out);
      any = true;
    }
    if (any) fputc(']', out);
    fputs("}\n", out);
  }
  if (ctx->error_limit_reported) {
    fprintf(out, "{\"severity\":\"note\",\"code\":\"%s\",\"message\":\"%s\"",
            chg_code_string(CHG_E_TOO_MANY_ERRORS), chg_error_limit_note(ctx, (char[96]){0}));
    where none;
    memset(&none, 0, sizeof none);
    json_position(out, &none);
    fputs("}\n", out);
  }
}

/* ---- SARIF 2.1.0 -------------------------------------------------------- */

/* The anchor GitHub and most Markdown renderers give a heading
 * "### CHG0301 unknown attribute": "chg0301-unknown-attribute". */
static void anchor(FILE *out, chg_code code) {
  char buf[160];
  snprintf(buf, sizeof buf, "%s %s", chg_code_string(code), chg_code_title(code));
  for (const char *p = buf; *p; p++) {
    char c = *p;
    if (c >= 'A' && c <= 'Z') fputc(c - 'A' + 'a', out);
    else if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-') fputc(c, out);
    else if (c == ' ') fputc('-', out);
  }
}

/* A path as a URI reference: relative paths stay relative (to the
 * directory chg ran in, which code scanning takes as the checkout), an
 * absolute one becomes a file: URI; anything but unreserved characters and
 * `/` is percent-encoded. */
static void uri(FILE *out, const char *path) {
  static const char hex[] = "0123456789ABCDEF";
  fputc('"', out);
  bool absolute = path[0] == '/';
  /* `./a.chg`, `.//a.chg`: relative, as `a.chg`, not the root's `/a.chg` */
  while (!absolute && path[0] == '.' && path[1] == '/')
    for (path += 2; path[0] == '/';) path++;
  if (absolute) fputs("file://", out);
  for (const unsigned char *p = (const unsigned char *)path; *p; p++) {
    unsigned char c = *p;
    if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
        c == '-' || c == '.' || c == '_' || c == '~' || c == '/')
      fputc(c, out);
    else
      fprintf(out, "%%%c%c", hex[c >> 4], hex[c & 15]);
  }
  fputc('"', out);
}

static void sarif_location(FILE *out, const where *w, const char *message, int id) {
  fputc('{', out);
  if (id >= 0) fprintf(out, "\"id\":%d,", id);
  if (w->file) {
    fputs("\"physicalLocation\":{\"artifactLocation\":{\"uri\":", out);
    uri(out, w->file);
    /* SARIF regions are 1-based, end column exclusive, as ours */
    fprintf(out,
            "},\"region\":{\"startLine\":%u,\"startColumn\":%u,\"endLine\":%u,\"endColumn\":%u}}",
            w->line, w->column, w->end_line, w->end_column);
    if (message) fputc(',', out);
  }
  if (message) {
    fputs("\"message\":{\"text\":", out);
    json_string(out, message);
    fputc('}', out);
  }
  fputc('}', out);
}

static const char *sarif_level(chg_severity s) {
  return s == CHG_ERROR ? "error" : s == CHG_WARNING ? "warning" : "note";
}

static void sarif_result(chg_ctx *ctx, FILE *out, chg_code code, chg_severity sev,
                         const char *message, const where *w, size_t first, bool *comma) {
  fputs(*comma ? ",\n        " : "\n        ", out);
  *comma = true;
  fprintf(out, "{\"ruleId\":\"%s\",\"ruleIndex\":%d,\"level\":\"%s\",\"message\":{\"text\":",
          chg_code_string(code), (int)code, sarif_level(sev));
  json_string(out, message);
  fputc('}', out);
  if (w && w->file) {
    fputs(",\"locations\":[", out);
    sarif_location(out, w, NULL, -1);
    fputc(']', out);
  }
  /* notes are related locations, each with its message; ids keep them
   * distinct, as the schema wants the array's items unique */
  int id = 0;
  for (size_t i = first + 1; first != (size_t)-1 && i < ctx->ndiags && !is_primary(ctx, i) &&
                             ctx->diags[i].group == first;
       i++) {
    where nw = locate(ctx, &ctx->diags[i]);
    fputs(id ? "," : ",\"relatedLocations\":[", out);
    sarif_location(out, &nw, ctx->diags[i].message, ++id);
  }
  if (id) fputc(']', out);
  fputc('}', out);
}

static void sarif_notification(FILE *out, chg_code code, chg_severity sev, const char *message,
                               bool *first) {
  fputs(*first ? "\n            " : ",\n            ", out);
  *first = false;
  /* the rule it is said under: `descriptor` would index
   * tool.driver.notifications, which chg does not write */
  fprintf(out, "{\"associatedRule\":{\"id\":\"%s\",\"index\":%d},\"level\":\"%s\",\"message\":{\"text\":",
          chg_code_string(code), (int)code, sarif_level(sev));
  json_string(out, message);
  fputs("}}", out);
}

static void write_sarif(chg_ctx *ctx, FILE *out, const uint32_t *order, size_t n,
                        const char *docs) {
  fputs("{\n  \"$schema\": \"https://raw.githubusercontent.com/oasis-tcs/sarif-spec/master/"
        "Schemata/sarif-schema-2.1.0.json\",\n  \"version\": \"2.1.0\",\n  \"runs\": [\n    {\n"
        "      \"tool\": {\n        \"driver\": {\n          \"name\": \"chg\",\n"
        "          \"version\": \"" CHG_VERSION "\",\n",
        out);
  /* without a manual to point at (none beside the stdlib, none installed),
   * no address: a link to nothing is worse than none */
  if (docs) {
    fputs("          \"informationUri\": ", out);
    json_string(out, docs);
    fputs(",\n", out);
  }
  fputs("          \"rules\": [", out);
  for (int c = 0; c < CHG_E__COUNT; c++) {
    fprintf(out, "%s\n            {\"id\":\"%s\",\"shortDescription\":{\"text\":", c ? "," : "",
            chg_code_string((chg_code)c));
    json_string(out, chg_code_title((chg_code)c));
    if (!docs) {
      fputs("}}", out);
      continue;
    }
    fputs("},\"helpUri\":", out);
    /* the anchor is plain ASCII: no escaping needed past the base */
    fputc('"', out);
    for (const char *p = docs; *p; p++) {
      if (*p == '"' || *p == '\\') fputc('\\', out);
      if ((unsigned char)*p >= 0x20) fputc(*p, out);
    }
    fputc('#', out);
    anchor(out, (chg_code)c);
    fputs("\"}", out);
  }
  fputs("\n          ]\n        }\n      },\n      \"columnKind\": \"unicodeCodePoints\",\n"
        "      \"results\": [",
        out);
  /* A result has a place in a file (code scanning refuses the whole log
   * for one without); what has none (a directory with no .chg files, the
   * error limit) is said of the run, as a notification. */
  bool comma = false;
  size_t placeless = ctx->error_limit_reported;
  for (size_t g = 0; g < n; g++) {
    const chg_diag *d = &ctx->diags[order[g]];
    where w = locate(ctx, d);
    if (w.file) sarif_result(ctx, out, d->code, d->severity, d->message, &w, order[g], &comma);
    else placeless++;
  }
  fputs(comma ? "\n      ]" : "]", out);
  if (placeless) {
    fprintf(out, ",\n      \"invocations\": [\n        {\"executionSuccessful\": %s, "
                 "\"toolExecutionNotifications\": [",
            ctx->io_failed ? "false" : "true");
    bool first = true;
    for (size_t g = 0; g < n; g++) {
      const chg_diag *d = &ctx->diags[order[g]];
      where w = locate(ctx, d);
      if (!w.file) sarif_notification(out, d->code, d->severity, d->message, &first);
    }
    if (ctx->error_limit_reported) {
      char msg[96];
      sarif_notification(out, CHG_E_TOO_MANY_ERRORS, CHG_NOTE, chg_error_limit_note(ctx, msg),
                         &first);
    }
    fputs("\n          ]}\n      ]", out);
  }
  fputs("\n    }\n  ]\n}\n", out);
}

/* ---- GitHub Actions workflow commands ------------------------------------ */

/* The escapes of the runner's toolkit (core/src/command.ts): a message
 * escapes %, CR and LF; a property value also , and :.  Bytes that are
 * not UTF-8 become U+FFFD, as in JSON.  What would act on the log or the
 * annotation (a control, a bidirectional override) is written as the
 * text format writes it: `\x1b`, `\u{202E}`. */
static void gh_escape(FILE *out, const char *s, bool property) {
  const unsigned char *p = (const unsigned char *)s;
  size_t n = strlen(s);
  for (size_t i = 0; i < n;) {
    unsigned char c = p[i];
    if (c == '%') fputs("%25", out), i++;
    else if (c == '\r') fputs("%0D", out), i++;
    else if (c == '\n') fputs("%0A", out), i++;
    else if (property && c == ':') fputs("%3A", out), i++;
    else if (property && c == ',') fputs("%2C", out), i++;
    else if ((c < 0x20 && c != '\t') || c == 0x7f) fprintf(out, "\\x%02x", c), i++; /* the log would act on it */
    else {
      uint32_t cp;
      size_t k = chg_utf8_next(p + i, n - i, &cp);
      if (cp == CHG_NOT_UTF8) fputs("\xEF\xBF\xBD", out);
      /* a C1 control, U+2028, a bidirectional override */
      else if (chg_acts_on_terminal(cp)) fprintf(out, "\\u{%04X}", (unsigned)cp);
      else fwrite(p + i, 1, k, out);
      i += k;
    }
  }
}

static void write_github(chg_ctx *ctx, FILE *out, const uint32_t *order, size_t n) {
  for (size_t g = 0; g < n; g++) {
    const chg_diag *d = &ctx->diags[order[g]];
    where w = locate(ctx, d);
    const char *cmd = d->severity == CHG_ERROR ? "error" : d->severity == CHG_WARNING ? "warning"
                                                                                       : "notice";
    fprintf(out, "::%s ", cmd);
    if (w.file) {
      fputs("file=", out);
      gh_escape(out, w.file, true);
      fprintf(out, ",line=%u,col=%u,endLine=%u,endColumn=%u,", w.line, w.column, w.end_line,
              w.end_column);
    }
    fputs("title=", out);
    gh_escape(out, chg_code_string(d->code), true);
    fputs("::", out);
    gh_escape(out, d->message, false);
    /* an annotation has one place: its notes go into its text */
    for (size_t i = order[g] + 1; i < ctx->ndiags && !is_primary(ctx, i) &&
                                  ctx->diags[i].group == order[g];
         i++) {
      where nw = locate(ctx, &ctx->diags[i]);
      char pos[64] = "";
      if (nw.file) snprintf(pos, sizeof pos, ":%u:%u", nw.line, nw.column);
      fputs("%0Anote: ", out);
      if (nw.file) {
        gh_escape(out, nw.file, false);
        gh_escape(out, pos, false);
        fputs(": ", out);
      }
      gh_escape(out, ctx->diags[i].message, false);
    }
    fputc('\n', out);
  }
  if (ctx->error_limit_reported)
    fprintf(out, "::notice title=%s::%s\n", chg_code_string(CHG_E_TOO_MANY_ERRORS),
            chg_error_limit_note(ctx, (char[96]){0}));
}

int chg_diag_write(const chg_ctx *cctx, FILE *out, const chg_diag_options *opts) {
  chg_ctx *ctx = (chg_ctx *)cctx; /* line tables are built lazily */
  const char *format = opts && opts->format ? opts->format : "text";
  enum { TEXT, JSON, SARIF, GITHUB } kind;
  if (strcmp(format, "text") == 0) kind = TEXT;
  else if (strcmp(format, "json") == 0) kind = JSON;
  else if (strcmp(format, "sarif") == 0) kind = SARIF;
  else if (strcmp(format, "github") == 0) kind = GITHUB;
  else return -1;
  if (kind == TEXT) {
    chg_diag_print(ctx, out, opts ? opts->colour : 0);
    return 0;
  }
  size_t n = 0;
  uint32_t *order = chg_diag_order(ctx, &n);
  if (kind == JSON) write_json(ctx, out, order, n);
  else if (kind == SARIF)
    write_sarif(ctx, out, order, n, opts ? opts->docs_url : NULL);
  else write_github(ctx, out, order, n);
  chg_mem_free(&ctx->al, order, n * sizeof *order);
  return 0;
}
