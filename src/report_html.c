/*
 * report_html.c -- the board's dashboard: one self-contained HTML page.
 *
 * Inline CSS and SVG only: nothing is fetched, nothing needs JavaScript,
 * and it prints on A4 or A3 landscape.  A level is never told by colour
 * alone: every badge carries its label and a shape.  Every piece of user
 * text goes through esc().  Sections are <details>, open, so a long one
 * can be folded away (one of many rows starts folded, and prints whole);
 * big tables and the heatmap are capped, with a note of what was left out.
 */
#include <string.h>

#include "report.h"
#include "value.h"

enum {
  CELL_MAX = 4096,
  MAX_ROWS = 1000,      /* rows of one table on the page; CSV has them all */
  OPEN_ROWS = 100,      /* a longer section starts folded, so the page opens fast */
  MAX_HEAT_UNITS = 60,
  MAX_TIMELINE = 60
};

/* ---- escaping --------------------------------------------------------- */

static void esc_n(FILE *out, const char *s, size_t n) {
  while (n) {
    unsigned char c = (unsigned char)*s;
    if (c >= 0x80) {
      uint32_t cp;
      size_t len = chg_utf8_next((const unsigned char *)s, n, &cp);
      if (cp == 0x2212)
        /* a minus sign keeps to its figure: no line break after it, or
         * "-" and "£85.7m" may fall on two lines */
        fputs("\xE2\x88\x92\xE2\x81\xA0", out);
      else if (cp == CHG_NOT_UTF8 || chg_acts_on_terminal(cp))
        /* a C1 control, which no page may hold, and what reorders or
         * breaks the text around it (a right-to-left override turning
         * "£10m" round): shown as `?`, as the text report shows them */
        fputc('?', out);
      else
        fwrite(s, 1, len, out);
      s += len;
      n -= len;
      continue;
    }
    switch (c) {
    case '&': fputs("&amp;", out); break;
    case '<': fputs("&lt;", out); break;
    case '>': fputs("&gt;", out); break;
    case '"': fputs("&quot;", out); break;
    case '\'': fputs("&#39;", out); break;
    default:
      /* nor a control character other than white space */
      if ((c < 0x20 && c != '\n' && c != '\t' && c != '\r') || c == 0x7f)
        fputc('?', out);
      else
        fputc(c, out);
    }
    s++;
    n--;
  }
}

static void esc(FILE *out, const char *s) { esc_n(out, s, strlen(s)); }

/* Whether the text between two backticks is a name as chg quotes one
 * (`drm.cre`, `rule_1`, `a.impact#2`): no space in it. */
static bool quoted_name(const char *from, const char *to) {
  if (from == to) return false;
  for (const char *p = from; p < to; p++)
    if (*p == ' ' || *p == '\t' || *p == '\n') return false;
  return true;
}

/* Text whose `quoted` names are set as code, as they would be in Markdown
 * ("rule `x`", "go-live `connect.drop1` slipped"), and with `expressions`
 * too, a claim's figures; other backticks (`it`s Bob`s`, a lone one) are
 * shown as they are. */
static void esc_text(FILE *out, const char *s, bool expressions) {
  const char *open, *close, *from = s;
  while ((open = strchr(from, '`')) && (close = strchr(open + 1, '`'))) {
    if (!expressions && !quoted_name(open + 1, close)) {
      from = close; /* this backtick may open the next pair */
      continue;
    }
    esc_n(out, s, (size_t)(open - s));
    fputs("<code>", out);
    esc_n(out, open + 1, (size_t)(close - open - 1));
    fputs("</code>", out);
    s = from = close + 1;
  }
  esc(out, s);
}

/* ---- the style sheet ---------------------------------------------------- */

static const char CSS[] =
    ":root{--ink:#1b1b1b;--muted:#505a5f;--line:#b1b4b6;--bg:#fff;--panel:#f3f2f1;"
    "--red:#b00020;--amber:#8a5300;--green:#00703c;--blue:#1d70b8}\n"
    "*{box-sizing:border-box}\n"
    "body{font:15px/1.45 system-ui,-apple-system,'Segoe UI',Arial,sans-serif;color:var(--ink);"
    "background:var(--bg);margin:0 auto;padding:1.5rem 2rem;max-width:1400px}\n"
    "header{border-bottom:4px solid var(--blue);margin-bottom:1rem}\n"
    /* a title of one long word (a pasted path, a URL) breaks where it
     * must, rather than making the whole page scroll sideways */
    "h1{font-size:1.8rem;margin:.2rem 0;overflow-wrap:anywhere}"
    "h2{font-size:1.3rem;margin:0;display:inline}\n"
    "p.meta{color:var(--muted);margin:.2rem 0 .8rem;overflow-wrap:anywhere}\n"
    ".long{overflow-wrap:anywhere}.prose{max-width:26em;min-width:10em}\n"
    "details{border-top:1px solid var(--line);padding:.6rem 0}\n"
    "summary{cursor:pointer;padding:.2rem 0}\n"
    "p.note{color:var(--muted);margin:.3rem 0 .6rem;font-size:.9rem}\n"
    ".cards{display:flex;flex-wrap:wrap;gap:.8rem;margin:.8rem 0}\n"
    ".card{background:var(--panel);padding:.6rem .9rem;min-width:9rem;border-left:5px solid var(--blue)}\n"
    ".card b{display:block;font-size:1.5rem}\n"
    ".card.bad{border-left-color:var(--red)}.card.good{border-left-color:var(--green)}"
    ".card.warn{border-left-color:#f47738}\n"
    ".charts{display:flex;flex-wrap:wrap;gap:1.5rem;align-items:flex-start}\n"
    /* a chart wider than a phone scrolls in its own box, as a table does,
     * rather than making the whole page scroll sideways */
    "figure{margin:.4rem 0;max-width:100%;overflow-x:auto}"
    "figcaption{font-weight:600;margin-bottom:.3rem}\n"
    ".scroll{overflow-x:auto;max-width:100%}\n"
    "table{border-collapse:collapse;margin:.3rem 0 .8rem;font-size:.88rem}\n"
    "th,td{border:1px solid var(--line);padding:.25rem .45rem;text-align:left;vertical-align:top}\n"
    "th{background:var(--panel);font-weight:600}\n"
    "td.num,th.num{text-align:right;font-variant-numeric:tabular-nums}td.num{white-space:nowrap}\n"
    "td.date{white-space:nowrap}\n"
    /* not by colour alone: a warning is bold and underlined, as a bad
     * cell is bold (and a bad text flagged with a sign) */
    "td.bad{background:#fde9ec;font-weight:600}"
    "td.warn{background:#fff4d6;font-weight:600;text-decoration:underline dotted}"
    "td.good{background:#e7f4ec}\n"
    ".badge{display:inline-block;padding:0 .4rem;border-radius:3px;font-weight:600;white-space:nowrap;"
    "border:1px solid currentColor}.card .badge{white-space:normal}\n"
    ".l-bad{color:#fff;background:var(--red)}.l-black{color:#fff;background:#0b0c0c}.l-warn{color:#1b1b1b;background:#ffdd00}"
    ".l-good{color:#fff;background:var(--green)}.l-mid{color:#1b1b1b;background:#f0b77a}"
    ".l-orange{color:#1b1b1b;background:#f47738}"
    ".sq-l-bad{background:#fde9ec}.sq-l-orange{background:#fde3d3}.sq-l-mid{background:#fcefdf}"
    ".sq-l-warn{background:#fff8cc}.sq-l-good{background:#e7f4ec}.shape{font-size:.7em;color:#505a5f}"
    ".l-none{color:var(--ink);background:var(--panel)}\n"
    ".heat td.num{min-width:2.6rem}.heat td.over{background:var(--red);color:#fff;font-weight:700}"
    ".heat td.clash{outline:3px dashed #1b1b1b;outline-offset:-3px}\n"
    ".h1{background:#d6e6f3}.h2{background:#b3d1ea}.h3{background:#8fbbe0}.h4{background:#5a9bd2}\n"
    "svg text{font:12px system-ui,Arial,sans-serif;fill:#1b1b1b}\n"
    ".verdict-false{color:var(--red);font-weight:700}.verdict-true{color:var(--green);font-weight:700}\n"
    ".verdict-unknown{color:var(--amber);font-weight:700}\n"
    ".vh{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0);white-space:nowrap}\n"
    "footer{border-top:1px solid var(--line);margin-top:1.5rem;color:var(--muted);font-size:.85rem}\n"
    "@media print{@page{size:A4 landscape;margin:12mm}body{max-width:none;padding:0;font-size:11px}"
    "details{break-inside:avoid-page}summary{list-style:none}.scroll,figure{overflow:visible}"
    /* a folded section prints whole: what is on paper has no button to open it */
    "details::details-content{content-visibility:visible}.folded{display:none}"
    "table{font-size:9px}td.bad,td.warn,td.good,.badge,.heat td,.matrix td{-webkit-print-color-adjust:exact;"
    "print-color-adjust:exact}"
    /* paper does not scroll: a word too long for any width the page leaves
     * its column breaks (wrapping anywhere let a table squeeze a column to
     * `tru`/`e`), and the heatmap's months stand on end in narrow columns
     * (36 months fit A4) */
    "td,th{overflow-wrap:break-word}.heat th{overflow-wrap:normal;padding:1px 2px}"
    ".heat thead th.num{writing-mode:vertical-rl;white-space:nowrap}"
    ".heat td.num{min-width:0;padding:1px 2px}}\n"
    "@media print and (min-width:400mm){@page{size:A3 landscape}}\n";

/* ---- levels as badges ------------------------------------------------------ */

/* Worst, middling or best: a badge's colour, with a shape for those who
 * cannot tell the colours apart, and the label always written out. */
static const char *level_class(const chg_scale *s, int32_t index, const char **shape) {
  int32_t n = (int32_t)s->nlevels;
  /* a Black that a scale of its own puts before red looks black, with a
   * shape of its own: red after it is ■, and on paper the two are grey */
  if (index >= 0 && index < n - 1 && strcmp(s->levels[index], "black") == 0) {
    *shape = "\xE2\x9C\x96"; /* ✖ */
    return "l-black";
  }
  /* red is bad, also where a scale of its own has a Black before it */
  if (index == 0 || (index < n - 1 && strcmp(s->levels[index], "red") == 0)) {
    *shape = "\xE2\x96\xA0"; /* ■ */
    return "l-bad";
  }
  if (index == n - 1) {
    *shape = "\xE2\x97\x8F"; /* ● */
    return "l-good";
  }
  /* between worst and best: orange, amber, then yellow towards the best,
   * each with a shape of its own, so that a scale of four or five levels
   * (a risk's bands, the DCA) does not show two of them alike in print */
  int tenths = 10 * index / (n - 1);
  *shape = tenths < 4 ? "\xE2\x96\xB2"   /* ▲ */
           : tenths < 6 ? "\xE2\x97\x86" /* ◆ */
                        : "\xE2\x96\xBC"; /* ▼ */
  return tenths < 4 ? "l-orange" : tenths < 6 ? "l-mid" : "l-warn";
}

static void badge(FILE *out, const chg_scale *s, int32_t index) {
  const char *shape;
  const char *cls = level_class(s, index, &shape);
  const char *label = chg_level_label(s, index);
  fprintf(out, "<span class=\"badge %s\" title=\"%s\">%s ", cls, s->name, shape);
  esc(out, label);
  fputs("</span>", out);
}

/* ---- tables --------------------------------------------------------------------- */

static const char *mark_class(uint8_t mark) {
  switch (mark) {
  case CHG_MARK_BAD: return " class=\"bad\"";
  case CHG_MARK_WARN: return " class=\"warn\"";
  case CHG_MARK_GOOD: return " class=\"good\"";
  default: return "";
  }
}

/* Whether text holds a run of more than 40 bytes with no space in it. */
static bool has_long_word(const char *text) {
  size_t run = 0;
  for (const char *p = text; *p; p++) {
    run = *p == ' ' || *p == '\n' || *p == '\t' ? 0 : run + 1;
    if (run > 40) return true;
  }
  return false;
}

/* A line under a section's heading or its table, set smaller; a name in
 * backquotes in it set as code, as in the rest of the page. */
static void note(FILE *out, const char *text) {
  fputs("<p class=\"note\">", out);
  esc_text(out, text, false);
  fputs("</p>\n", out);
}

enum { PROSE_CHARS = 60 }; /* a text cell longer than this is prose */

static void cell(FILE *out, const chg_table *t, size_t row, size_t col, char *buf) {
  const chg_cell *c = chg_table_cell(t, row, col);
  bool num = t->cols[col].numeric;
  const char *cls = mark_class(c->mark);
  if (num) fprintf(out, "<td class=\"num%s\">",
                   c->mark == CHG_MARK_BAD ? " bad" : c->mark == CHG_MARK_WARN ? " warn"
                                           : c->mark == CHG_MARK_GOOD ? " good" : "");
  else if (c->kind == CHG_CELL_DATE || c->kind == CHG_CELL_MONTH || c->kind == CHG_CELL_FY)
    fputs("<td class=\"date\">", out);
  else fprintf(out, "<td%s>", c->kind == CHG_CELL_LEVEL ? "" : cls);
  if (c->kind == CHG_CELL_LEVEL && t->cols[col].unranked) {
    esc(out, chg_level_label(c->u.level.scale, c->u.level.index));
  } else if (c->kind == CHG_CELL_LEVEL) {
    badge(out, c->u.level.scale, c->u.level.index);
  } else {
    if (c->kind == CHG_CELL_TEXT && has_long_word(c->u.text)) {
      /* one word wider than a column should be (a path, a URL) may break:
       * else it alone sets the column's width, the rest off the screen */
      fputs("<span class=\"long\">", out);
      esc_text(out, c->u.text, false);
      fputs("</span>", out);
    } else if (c->kind == CHG_CELL_TEXT && strlen(c->u.text) > PROSE_CHARS) {
      /* a sentence or more (a measure, a mitigation, a rationale) wraps at
       * a reading width, so that a table of several such columns fits */
      fputs("<div class=\"prose\">", out);
      esc_text(out, c->u.text, false);
      fputs("</div>", out);
    } else if (c->kind == CHG_CELL_TEXT) {
      esc_text(out, c->u.text, false);
    } else {
      esc(out, chg_cell_str(c, buf, CELL_MAX, false));
    }
    if (c->mark == CHG_MARK_BAD && c->kind == CHG_CELL_TEXT) fputs(" \xE2\x9A\xA0", out); /* ⚠ */
  }
  fputs("</td>", out);
}

static void table(FILE *out, const chg_report *rep, const chg_table *t, char *buf,
                  const char *extra_class) {
  bool *shown = CHG_NEW_ARRAY(rep->scratch, bool, t->ncols);
  const char *left_out = chg_columns_shown(rep, t, 0, shown);
  fprintf(out, "<div class=\"scroll\"><table class=\"%s\" id=\"table-", extra_class);
  esc(out, t->name);
  fputs("\"><caption class=\"vh\">", out);
  esc(out, t->title);
  fputs("</caption>\n<thead><tr>", out);
  for (size_t c = 0; c < t->ncols; c++) {
    if (!shown[c]) continue;
    fprintf(out, "<th scope=\"col\"%s>", t->cols[c].numeric ? " class=\"num\"" : "");
    esc(out, t->cols[c].title);
    fputs("</th>", out);
  }
  fputs("</tr></thead>\n<tbody>\n", out);
  size_t rows = t->nrows < MAX_ROWS ? t->nrows : MAX_ROWS;
  for (size_t r = 0; r < rows; r++) {
    fputs("<tr>", out);
    for (size_t c = 0; c < t->ncols; c++) {
      if (!shown[c]) continue;
      if (c == 0) {
        /* the first column names the row */
        const chg_cell *first = chg_table_cell(t, r, 0);
        fputs("<th scope=\"row\">", out);
        if (first->kind == CHG_CELL_LEVEL) badge(out, first->u.level.scale, first->u.level.index);
        else esc(out, chg_cell_str(first, buf, CELL_MAX, false));
        fputs("</th>", out);
        continue;
      }
      cell(out, t, r, c, buf);
    }
    fputs("</tr>\n", out);
  }
  fputs("</tbody></table></div>\n", out);
  if (left_out) note(out, left_out);
  if (rows < t->nrows) {
    char first[32], all[32];
    chg_fmt_count(first, sizeof first, (int64_t)rows, false);
    chg_fmt_count(all, sizeof all, (int64_t)t->nrows, false);
    fprintf(out, "<p class=\"note\">The first %s of %s rows; <code>chg report --format csv "
                 "--section %s</code> gives them all.</p>\n",
            first, all, t->name);
  }
}

static size_t column(const chg_table *t, const char *name) {
  for (size_t c = 0; c < t->ncols; c++)
    if (strcmp(t->cols[c].name, name) == 0) return c;
  return (size_t)-1;
}

/* ---- charts ----------------------------------------------------------------------- */

static const char *fill_for(const chg_scale *s, int32_t index) {
  const char *shape;
  const char *cls = level_class(s, index, &shape);
  if (!strcmp(cls, "l-bad")) return "#b00020";
  if (!strcmp(cls, "l-black")) return "#0b0c0c";
  if (!strcmp(cls, "l-good")) return "#00703c";
  if (!strcmp(cls, "l-mid")) return "#f0b77a";
  if (!strcmp(cls, "l-orange")) return "#f47738";
  return "#ffdd00";
}

/* A horizontal bar per level of a scale: label, bar, count and share.
 * The shares are of those with a level, `of` of them; the caption says so
 * when some have none, so that 40% is not read as 40% of the portfolio. */
/* Where the bars start: after the widest of the labels written left of
 * them (at about 7 pixels a column of 12-pixel text), and at least 120
 * pixels in. A portfolio's own scale may have long labels ("Red:
 * successful delivery appears unachievable"), which a fixed place would
 * hide under the bars. */
static int bars_start(const chg_scale *s) {
  size_t widest = 0;
  for (uint32_t k = 0; k < s->nlevels; k++) {
    const char *label = chg_level_label(s, k);
    size_t columns = 2, n = strlen(label), bytes; /* the shape and a space */
    for (size_t i = 0; i < n; i += bytes ? bytes : 1)
      columns += chg_char_columns((const unsigned char *)label + i, n - i, &bytes);
    if (columns > widest) widest = columns;
  }
  size_t start = 8 + 7 * widest;
  return start < 120 ? 120 : start > 1000 ? 1000 : (int)start;
}

static void level_bars(FILE *out, const char *caption, const chg_scale *s, const int64_t *counts,
                       int64_t of) {
  int64_t total = 0, most = 1;
  for (uint32_t k = 0; k < s->nlevels; k++) {
    total += counts[k];
    if (counts[k] > most) most = counts[k];
  }
  if (!total) return;
  char full[256];
  if (of > total)
    snprintf(full, sizeof full, "%s: %lld of %lld have one", caption, (long long)total,
             (long long)of);
  else
    snprintf(full, sizeof full, "%s", caption);
  int h = 26 * (int)s->nlevels + 10, start = bars_start(s);
  fputs("<figure><figcaption>", out);
  esc(out, full);
  /* room for the longest bar's "183 (78.88%)" after it */
  fprintf(out, "</figcaption><svg role=\"img\" width=\"%d\" height=\"%d\" viewBox=\"0 0 %d %d\">"
               "<title>", start + 360, h, start + 360, h);
  esc(out, full);
  fputs("</title>", out);
  for (uint32_t k = 0; k < s->nlevels; k++) {
    int y = 5 + 26 * (int)k;
    int w = (int)(220 * counts[k] / most);
    const char *shape;
    level_class(s, (int32_t)k, &shape);
    fprintf(out, "<text x=\"0\" y=\"%d\">%s ", y + 15, shape);
    esc(out, chg_level_label(s, k));
    fprintf(out, "</text><rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"18\" fill=\"%s\" "
                 "stroke=\"#1b1b1b\" stroke-width=\"0.5\"/>",
            start, y + 2, w > 0 ? w : 1, fill_for(s, (int32_t)k));
    /* the share as the tables show it: exact, then to two places */
    chg_dec share;
    char pct[32];
    chg_dec_div(chg_dec_from_int(counts[k]), chg_dec_from_int(total), 12, &share);
    chg_fmt_percent(pct, sizeof pct, share, true);
    fprintf(out, "<text x=\"%d\" y=\"%d\">%lld (%s)</text>", start + 6 + w, y + 15,
            (long long)counts[k], pct);
  }
  fputs("</svg></figure>\n", out);
}

static void charts_status(FILE *out, const chg_report *r) {
  chg_eval *ev = r->ev;
  fputs("<div class=\"charts\">\n", out);
  if (ev->dca) {
    int64_t counts[16] = {0};
    for (size_t i = 0; i < ev->work.len; i++) {
      int32_t c = chg_entity_of(ev, ev->work.items[i])->confidence;
      if (c >= 0 && c < 16) counts[c]++;
    }
    if (ev->dca->nlevels <= 16)
      level_bars(out, "Delivery confidence (programmes, projects and workstreams)", ev->dca, counts,
                 (int64_t)ev->work.len);
  }
  if (ev->rag) {
    int64_t counts[16] = {0}, top = 0;
    bool others = false; /* a project or workstream at the top level */
    for (size_t i = 0; i < ev->work.len; i++) {
      chg_node *w = ev->work.items[i];
      int32_t st = chg_entity_of(ev, w)->status;
      top += !w->parent;
      others = others || (!w->parent && w->spec->id != CHG_K_PROGRAMME);
      if (!w->parent && st >= 0 && st < 16) counts[st]++;
    }
    if (ev->rag->nlevels <= 16)
      level_bars(out, others ? "Status of top-level work (RAG)" : "Status of top-level programmes (RAG)",
                 ev->rag, counts, top);
  }
  fputs("</div>\n", out);
}

/* How long a bar of `amount` is when `most` is `full` long. An amount
 * of money may be near the largest chg holds, where amount * full would
 * pass INT64_MAX: both are halved until it cannot. */
static int bar_length(int64_t amount, int64_t most, int full) {
  if (amount <= 0 || most <= 0) return 0;
  while (most > INT64_MAX / full) {
    amount /= 2;
    most /= 2;
  }
  return (int)(amount * full / most);
}

/* A money cell's pence; 0 for a year the cell is blank (no line gives it). */
static int64_t pence_in(const chg_table *t, size_t row, size_t col) {
  const chg_cell *c = chg_table_cell(t, row, col);
  return c->kind == CHG_CELL_MONEY ? c->u.pence : 0;
}

/* Savings by year against the requirement: a pair of bars a year, and the
 * gap written under them. */
static void chart_savings(FILE *out, const chg_table *totals, char *buf) {
  size_t spend = (size_t)-1, need = (size_t)-1, gap = (size_t)-1;
  for (size_t r = 0; r < totals->nrows; r++) {
    const char *name = chg_cell_str(chg_table_cell(totals, r, 0), buf, CELL_MAX, false);
    if (!strcmp(name, "Total change in spend")) spend = r;
    else if (!strcmp(name, "Requirement")) need = r;
    else if (!strcmp(name, "Remaining budget gap")) gap = r;
  }
  if (spend == (size_t)-1) return;
  size_t years = totals->ncols - 1;
  /* posts and no money: no chart of nothing saved */
  bool any_money = need != (size_t)-1;
  for (size_t k = 0; k < years && !any_money; k++)
    any_money = pence_in(totals, spend, 1 + k) != 0;
  if (!any_money) return;
  int64_t most = 1;
  for (size_t k = 0; k < years; k++) {
    int64_t s = -pence_in(totals, spend, 1 + k);
    if (s > most) most = s;
    int64_t n = need != (size_t)-1 ? pence_in(totals, need, 1 + k) : 0;
    if (n > most) most = n;
  }
  int w = 80 + 120 * (int)years;
  /* the hatched bars are named only where there are some */
  const char *against = need != (size_t)-1 ? " (solid) against the requirement (hatched)" : "";
  fprintf(out, "<figure><figcaption>Savings%s, by year</figcaption>"
               "<svg role=\"img\" width=\"%d\" height=\"250\" viewBox=\"0 0 %d 250\"><title>Savings "
               "by year%s</title>"
               "<defs><pattern id=\"hatch\" width=\"6\" height=\"6\" patternUnits=\"userSpaceOnUse\" "
               "patternTransform=\"rotate(45)\"><rect width=\"6\" height=\"6\" fill=\"#fff\"/>"
               "<line x1=\"0\" y1=\"0\" x2=\"0\" y2=\"6\" stroke=\"#1d70b8\" stroke-width=\"3\"/></pattern></defs>"
               "<line x1=\"40\" y1=\"190\" x2=\"%d\" y2=\"190\" stroke=\"#1b1b1b\"/>",
          against, w, w, against, w - 10);
  for (size_t k = 0; k < years; k++) {
    int x = 50 + 120 * (int)k;
    /* a year no line gives money has no bar and no words, not "no change" */
    chg_cell change = *chg_table_cell(totals, spend, 1 + k);
    bool given = change.kind == CHG_CELL_MONEY;
    if (given) {
      int hs = bar_length(-change.u.pence, most, 170);
      fprintf(out, "<rect x=\"%d\" y=\"%d\" width=\"40\" height=\"%d\" fill=\"#1d70b8\"/>", x,
              190 - hs, hs > 0 ? hs : 1);
    }
    if (need != (size_t)-1 && chg_table_cell(totals, need, 1 + k)->kind == CHG_CELL_MONEY) {
      int hn = bar_length(chg_table_cell(totals, need, 1 + k)->u.pence, most, 170);
      fprintf(out, "<rect x=\"%d\" y=\"%d\" width=\"40\" height=\"%d\" fill=\"url(#hatch)\" "
                   "stroke=\"#1d70b8\"/>", x + 44, 190 - hn, hn > 0 ? hn : 1);
    }
    fprintf(out, "<text x=\"%d\" y=\"206\">", x);
    esc(out, totals->cols[1 + k].title);
    fputs("</text>", out);
    /* a saving is a fall in spend: "saved £85.7m", not "saved -£85.7m" */
    bool saving = given && change.u.pence < 0;
    if (saving) change.u.pence = -change.u.pence;
    if (given && change.u.pence == 0) {
      fprintf(out, "<text x=\"%d\" y=\"222\">no change</text>", x);
    } else if (given) {
      chg_cell_text(&change, buf, CELL_MAX, false);
      fprintf(out, "<text x=\"%d\" y=\"222\">%s ", x, saving ? "saved" : "spends");
      esc(out, buf);
      fputs("</text>", out);
    }
    if (gap != (size_t)-1 && chg_table_cell(totals, gap, 1 + k)->kind == CHG_CELL_MONEY) {
      /* savings past the requirement leave no gap but a surplus: said so,
       * not as a gap of minus that much */
      chg_cell left = *chg_table_cell(totals, gap, 1 + k);
      bool surplus = left.u.pence < 0;
      if (surplus) left.u.pence = -left.u.pence;
      chg_cell_text(&left, buf, CELL_MAX, false);
      fprintf(out, "<text x=\"%d\" y=\"238\">%s ", x, surplus ? "surplus" : "gap");
      esc(out, buf);
      fputs("</text>", out);
    }
  }
  fputs("</svg></figure>\n", out);
}

/* The five-by-five matrix: impact across, likelihood up, a count in each
 * square, the band in its colour and its number. */
static void chart_risk_matrix(FILE *out, const chg_report *r) {
  chg_eval *ev = r->ev;
  int counts[6][6] = {{0}};
  int scored = 0;
  for (size_t i = 0; i < ev->risks.len; i++) {
    chg_entity *e = chg_entity_of(ev, ev->risks.items[i]);
    if (!e->scored || e->likelihood < 1 || e->likelihood > 5 || e->impact < 1 || e->impact > 5) continue;
    counts[e->likelihood][e->impact]++;
    scored++;
  }
  if (!scored) return;
  fputs("<figure><figcaption>Risks by likelihood and impact</figcaption>"
        "<table class=\"matrix\" aria-label=\"Risk matrix: the number of risks in each square\">"
        "<thead><tr><th scope=\"col\">Likelihood \xE2\x86\x93 / Impact \xE2\x86\x92</th>", out);
  for (int i = 1; i <= 5; i++) fprintf(out, "<th scope=\"col\" class=\"num\">%d</th>", i);
  fputs("</tr></thead><tbody>", out);
  /* each square shaded as its score's band of the portfolio's
   * `risk_band` scale, worst red, best green; the band's name is in the
   * square's title and, with its colour, in the key below */
  const chg_scale *band = ev->band;
  for (int l = 5; l >= 1; l--) {
    fprintf(out, "<tr><th scope=\"row\">%d</th>", l);
    for (int i = 1; i <= 5; i++) {
      int score = l * i;
      int32_t k = chg_band_of_score(ev, score);
      const char *shape = "";
      const char *cls = k >= 0 ? level_class(band, k, &shape) : NULL;
      fprintf(out, "<td class=\"num%s%s\" title=\"score %d", cls ? " sq-" : "", cls ? cls : "",
              score);
      if (k >= 0) {
        fputs(", ", out);
        esc(out, chg_level_label(band, k));
      }
      fprintf(out, "\"><span class=\"shape\" aria-hidden=\"true\">%s</span> %d</td>", shape,
              counts[l][i]);
    }
    fputs("</tr>", out);
  }
  fputs("</tbody></table>", out);
  if (band) {
    fputs("<p class=\"note\">Squares by band of the score (likelihood \xC3\x97 impact):", out);
    for (uint32_t k = 0; k < band->nlevels; k++) {
      if (!band->has_threshold[k]) continue;
      char from[48];
      chg_dec_format(band->thresholds[k], from, sizeof from);
      fputc(' ', out);
      badge(out, band, (int32_t)k);
      fprintf(out, " from %s", from);
    }
    fputs("</p>", out);
  }
  fputs("</figure>\n", out);
}

static bool date_attr(chg_node *m, const char *key, int32_t *day) {
  chg_node *a = chg_attr(m, key);
  if (!a || !a->nargs || chg_node_args(a)[0].kind != CHG_V_DATE) return false;
  *day = chg_node_args(a)[0].u.day;
  return true;
}

/* A milestone's baseline and its forecast or actual (the baseline when
 * it has neither), as days.  One with no baseline is drawn by its actual,
 * else its forecast, alone (`*ringed` false): what was achieved is on the
 * chart too.  False when it has no date at all. */
static bool timeline_days(chg_eval *ev, chg_node *m, int32_t *base, int32_t *other,
                          bool *ringed) {
  *ringed = date_attr(m, "baseline", base);
  if (!*ringed) {
    if (!date_attr(m, "actual", base) && !date_attr(m, "forecast", base)) return false;
    *other = *base;
    return true;
  }
  const chg_entity *e = chg_entity_of(ev, m);
  *other = e->has_slip ? *base + (int32_t)e->slip_days : *base;
  return true;
}

/* A date mistyped by a century (2202 for 2022) would squeeze every other
 * milestone into a point: the chart spans at most 25 years either side
 * of the reporting date, as the heatmap keeps to fifty years, and says
 * what it leaves out; the table has every milestone. */
enum { TIMELINE_YEARS_ABOUT = 25 };

static bool in_timeline(const chg_eval *ev, int32_t base, int32_t other) {
  if (ev->as_of == INT32_MIN) return true;
  int32_t reach = TIMELINE_YEARS_ABOUT * 366;
  return base >= ev->as_of - reach && base <= ev->as_of + reach &&
         other >= ev->as_of - reach && other <= ev->as_of + reach;
}

/* A white edge around a label, so that a line it crosses leaves it legible. */
#define HALO " stroke=\"#fff\" stroke-width=\"3\" paint-order=\"stroke\""

/* Baseline and forecast (or actual) of each dated milestone on one time
 * axis: the slip is the line between them. */
/* How many months that start a run of `months_apart` (January, April...
 * for quarters) begin between days lo and hi. */
static unsigned timeline_ticks(int32_t lo, int32_t hi, unsigned months_apart) {
  int y0, y1;
  unsigned m0, m1, d0, d1, ticks = 0;
  chg_civil_from_days(lo, &y0, &m0, &d0);
  chg_civil_from_days(hi, &y1, &m1, &d1);
  for (int y = y0; y <= y1 && ticks < 2; y++)
    for (unsigned m = 1; m <= 12; m += months_apart) {
      int32_t day = chg_days_from_civil(y, m, 1);
      ticks += day >= lo && day <= hi;
    }
  return ticks;
}

static void chart_timeline(FILE *out, const chg_report *r) {
  chg_eval *ev = r->ev;
  int32_t lo = INT32_MAX, hi = INT32_MIN;
  size_t n = 0, left_out = 0, drawable = 0, undated = 0;
  /* every milestone is counted, so that the caption says "the first 60"
   * only when more than 60 have a baseline to draw, and the note counts
   * every one left out */
  for (size_t i = 0; i < ev->milestones.len; i++) {
    int32_t base, other;
    bool ringed;
    if (!timeline_days(ev, ev->milestones.items[i], &base, &other, &ringed)) {
      undated++;
      continue;
    }
    if (!in_timeline(ev, base, other)) {
      left_out++;
      continue;
    }
    if (drawable++ >= MAX_TIMELINE) continue;
    if (base < lo) lo = base;
    if (other < lo) lo = other;
    if (base > hi) hi = base;
    if (other > hi) hi = other;
    n++;
  }
  if (!n) return;
  if (ev->as_of != INT32_MIN) {
    if (ev->as_of < lo) lo = ev->as_of;
    if (ev->as_of > hi) hi = ev->as_of;
  }
  if (hi == lo) hi = lo + 1;
  int rows_bottom = 30 + 18 * (int)n, height = rows_bottom + 18; /* and a scale of dates */
  fprintf(out, "<figure><figcaption>Milestones: baseline (\xE2\x97\x8B) and forecast or actual "
               "(\xE2\x97\x8F)%s</figcaption><div class=\"scroll\"><svg role=\"img\" width=\"960\" "
               "height=\"%d\" viewBox=\"0 0 960 %d\"><title>Milestone timeline</title>",
          drawable > n ? ", the first 60" : "", height, height);
  double scale = 560.0 / (double)(hi - lo);
  /* the scale: the first of each year, or of each quarter when the chart
   * spans less than two years; over many years, every second, fifth or
   * tenth, so that the labels stand apart */
  int y0, y1;
  unsigned m0, m1, d0, d1;
  chg_civil_from_days(lo, &y0, &m0, &d0);
  chg_civil_from_days(hi, &y1, &m1, &d1);
  bool by_year = y1 - y0 >= 2;
  static const int steps[] = {1, 2, 5, 10};
  int step = 1;
  for (size_t k = 0; by_year && k < sizeof steps / sizeof *steps; k++) {
    step = steps[k];
    if (560.0 * step / (double)(y1 - y0 + 1) >= 40) break;
  }
  /* the `as of` line first, so that the dates of the scale are written
   * over it, on a white edge */
  if (ev->as_of != INT32_MIN) {
    int x = 320 + (int)((ev->as_of - lo) * scale);
    char d[16];
    chg_fmt_day(d, sizeof d, ev->as_of);
    /* its label, about 100 pixels, kept inside the picture: the dates run
     * from 320 to 880 pixels, and 80 more on the right hold the labels
     * written after the last of them */
    fprintf(out, "<line x1=\"%d\" y1=\"12\" x2=\"%d\" y2=\"%d\" stroke=\"#1b1b1b\" "
                 "stroke-dasharray=\"4 3\"/><text x=\"%d\" y=\"10\">as of %s</text>",
            x, x, height, x - 30 < 850 ? x - 30 : 850, d);
  }
  /* a span too short for two quarters is marked by the month; one too
   * short for two months has its first and last days written at its ends */
  unsigned months_apart = by_year ? 12 : 3;
  if (!by_year && timeline_ticks(lo, hi, 3) < 2) months_apart = 1;
  bool ends = months_apart == 1 && timeline_ticks(lo, hi, 1) < 2;
  for (int y = y0; y <= y1; y++) {
    if (by_year && y % step) continue;
    for (unsigned m = 1; m <= 12; m += months_apart) {
      int32_t day = chg_days_from_civil(y, m, 1);
      if (day < lo || day > hi) continue;
      int x = 320 + (int)((day - lo) * scale);
      fprintf(out, "<line x1=\"%d\" y1=\"14\" x2=\"%d\" y2=\"%d\" stroke=\"#b1b4b6\" "
                   "stroke-width=\"0.5\"/>", x, x, rows_bottom);
      /* a label at the right-hand end stays inside the picture; where the
       * ends are dated, theirs are the labels */
      if (ends) continue;
      if (by_year)
        fprintf(out, "<text x=\"%d\" y=\"%d\"%s>%d</text>", x - 14, rows_bottom + 14, HALO, y);
      else if (months_apart == 3) /* a quarter as the language writes one */
        fprintf(out, "<text x=\"%d\" y=\"%d\"%s>%d-Q%u</text>", x - 24 < 850 ? x - 24 : 850,
                rows_bottom + 14, HALO, y, (m + 2) / 3);
      else
        fprintf(out, "<text x=\"%d\" y=\"%d\"%s>%d-%02u</text>", x - 24 < 850 ? x - 24 : 850,
                rows_bottom + 14, HALO, y, m);
    }
  }
  if (ends) {
    char first[16], last[16];
    chg_fmt_day(first, sizeof first, lo);
    chg_fmt_day(last, sizeof last, hi);
    fprintf(out, "<text x=\"320\" y=\"%d\"%s>%s</text><text x=\"880\" y=\"%d\" "
                 "text-anchor=\"end\"%s>%s</text>",
            rows_bottom + 14, HALO, first, rows_bottom + 14, HALO, last);
  }
  size_t row = 0;
  for (size_t i = 0; i < ev->milestones.len && row < n; i++) {
    chg_node *m = ev->milestones.items[i];
    chg_entity *e = chg_entity_of(ev, m);
    int32_t base, other;
    bool ringed;
    if (!timeline_days(ev, m, &base, &other, &ringed) || !in_timeline(ev, base, other)) continue;
    int y = 26 + 18 * (int)row++;
    fprintf(out, "<text x=\"0\" y=\"%d\">", y + 4);
    const char *title = chg_block_title_or_id(m);
    char shortened[48];
    snprintf(shortened, sizeof shortened, "%s", title ? title : "?");
    if (title && strlen(title) > 44) {
      /* cut where a character starts: a cut inside one would put bytes
       * that are no UTF-8 on the page */
      size_t len = 41;
      while (len && ((unsigned char)shortened[len] & 0xC0) == 0x80) len--;
      shortened[len] = '\0';
      strcat(shortened, "...");
      /* the whole title, and which milestone, where the pointer rests */
      fputs("<title>", out);
      esc(out, chg_path_of(ev->ctx, m));
      fputs(": ", out);
      esc(out, title);
      fputs("</title>", out);
    }
    esc(out, shortened);
    fputs("</text>", out);
    int xb = 320 + (int)((base - lo) * scale);
    const char *colour = e->overdue ? "#b00020" : e->done ? "#00703c" : "#1d70b8";
    /* the baseline's ring first, so that a forecast on the baseline shows
     * as a dot inside it -- only on the same day: a slip too small to see
     * at this scale still covers the ring */
    if (ringed)
      fprintf(out, "<circle cx=\"%d\" cy=\"%d\" r=\"5\" fill=\"#fff\" stroke=\"%s\" stroke-width=\"2\"/>",
              xb, y, colour);
    else /* no baseline: its actual or forecast alone */
      fprintf(out, "<circle cx=\"%d\" cy=\"%d\" r=\"4\" fill=\"%s\"/>", xb, y, colour);
    int left = xb, right = xb; /* where the row's marks are, for its label */
    if (ringed && e->has_slip) {
      int xf = 320 + (int)((other - lo) * scale);
      if (xf > right) right = xf;
      if (xf < left) left = xf;
      fprintf(out, "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"%s\" stroke-width=\"3\"/>"
                   "<circle cx=\"%d\" cy=\"%d\" r=\"%d\" fill=\"%s\"/>",
              xb, y, xf, y, colour, xf, y, e->slip_days == 0 ? 3 : 5, colour);
    }
    /* on the row's line, after its marks (above them, the first row's
     * label ran into the `as of` date at the top), on a white edge where
     * it crosses the `as of` line */
    /* (about 50 pixels: before the marks where after them would leave
     * the picture) */
    if (e->overdue) {
      bool after = right + 9 + 50 <= 960 || left - 9 - 50 < 320;
      fprintf(out, "<text x=\"%d\" y=\"%d\"%s%s>overdue</text>", after ? right + 9 : left - 9,
              y + 4, HALO, after ? "" : " text-anchor=\"end\"");
    }
  }
  fputs("</svg></div>", out);
  if (left_out) {
    char count[32];
    chg_fmt_count(count, sizeof count, (int64_t)left_out, false);
    fprintf(out, "<p class=\"note\">%s milestone%s with a date more than %d years from the "
                 "reporting date %s left out of the chart (a year mistyped?); the table below "
                 "has %s.</p>", count, left_out == 1 ? "" : "s", TIMELINE_YEARS_ABOUT,
            left_out == 1 ? "is" : "are", left_out == 1 ? "it" : "them");
  }
  if (undated) {
    /* a milestone with no date has nothing to draw, but is no less one
     * of the portfolio's: the chart says it shows only some */
    char count[32], all[32];
    chg_fmt_count(count, sizeof count, (int64_t)undated, false);
    chg_fmt_count(all, sizeof all, (int64_t)ev->milestones.len, false);
    fprintf(out, "<p class=\"note\">%s of the %s milestones %s no date, so %s not "
                 "drawn; the table below has %s.</p>", count, all, undated == 1 ? "has" : "have",
            undated == 1 ? "is" : "are", undated == 1 ? "it" : "them");
  }
  fputs("</figure>\n", out);
}

/* The heatmap: units down, months across, each cell shaded by its load
 * and written out; overload is red with "!", a sequencing clash dashed. */
/* A cell's shade, 1 to 4 (0: a clash with no load): the load against
 * the unit's capacity in quarters, so that 3 reads full on a unit of 3
 * and light on a unit of 10; without a capacity, the load itself. */
static int heat_shade(chg_dec load, const chg_dec *cap) {
  if (chg_dec_cmp(load, chg_dec_from_int(0)) <= 0) return 0;
  chg_dec bound[3] = {chg_dec_from_int(1), chg_dec_from_int(2), chg_dec_from_int(4)};
  chg_dec four_loads = load;
  if (cap && chg_dec_mul(load, chg_dec_from_int(4), &four_loads)) {
    /* load <= k/4 of the capacity: 4 * load <= k * capacity */
    for (int k = 0; k < 3; k++)
      if (!chg_dec_mul(*cap, chg_dec_from_int(k + 1), &bound[k])) return 4;
    load = four_loads;
  }
  for (int k = 0; k < 3; k++)
    if (chg_dec_cmp(load, bound[k]) <= 0) return k + 1;
  return 4;
}

static void heatmap(FILE *out, const chg_report *r, const chg_table *t, char *buf) {
  chg_eval *ev = r->ev;
  size_t span = ev->ncells ? (size_t)(ev->last_month - ev->first_month + 1) : 0;
  if (!span) return;
  /* as the text and Markdown tables do, no column of titles or of
   * capacities where no unit has one */
  bool *columns_shown = CHG_NEW_ARRAY(r->scratch, bool, t->ncols);
  const char *left_out = chg_columns_shown(r, t, 0, columns_shown);
  bool titles = t->nrows && columns_shown[1], capacities = t->nrows && columns_shown[2];
  fputs("<div class=\"scroll\"><table class=\"heat\" id=\"heatmap\"><thead><tr>"
        "<th scope=\"col\">Unit</th>", out);
  if (titles) fputs("<th scope=\"col\">Title</th>", out);
  if (capacities) fputs("<th scope=\"col\" class=\"num\">Capacity</th>", out);
  for (size_t m = 0; m < span; m++) {
    chg_fmt_month(buf, CELL_MAX, ev->first_month + (int32_t)m);
    fprintf(out, "<th scope=\"col\" class=\"num\">%s</th>", buf);
  }
  fputs("</tr></thead><tbody>\n", out);
  size_t shown = 0, unit = 0;
  for (size_t row = 0; row < t->nrows && shown < MAX_HEAT_UNITS; row++, shown++) {
    /* the rows are units in order, those with something to show: find this
     * one, to read its go-lives (a month can be overloaded and clash) */
    const char *id = chg_table_cell(t, row, 0)->u.text;
    while (unit < ev->units.len && strcmp(chg_block_id(ev->units.items[unit]), id) != 0) unit++;
    fputs("<tr><th scope=\"row\">", out);
    esc(out, chg_cell_str(chg_table_cell(t, row, 0), buf, CELL_MAX, false));
    fputs("</th>", out);
    if (titles) cell(out, t, row, 1, buf);
    if (capacities) cell(out, t, row, 2, buf);
    chg_dec cap;
    bool has_cap = unit < ev->units.len && chg_unit_capacity(ev, ev->units.items[unit], &cap) &&
                   chg_dec_cmp(cap, chg_dec_from_int(0)) > 0;
    for (size_t m = 0; m < span; m++) {
      const chg_cell *c = chg_table_cell(t, row, 3 + m);
      if (c->kind == CHG_CELL_EMPTY) {
        fputs("<td class=\"num\"></td>", out);
        continue;
      }
      int shade = heat_shade(c->u.num, has_cap ? &cap : NULL);
      bool over = c->mark == CHG_MARK_BAD;
      bool clash = c->mark == CHG_MARK_WARN ||
                   (unit < ev->units.len && ev->cells[unit * span + m].go_lives >= 2);
      chg_cell_text(c, buf, CELL_MAX, false);
      fprintf(out, "<td class=\"num %s%s\"%s>%s%s%s</td>", over ? "over" : "h",
              over ? "" : (shade == 0 ? "0" : shade == 1 ? "1" : shade == 2 ? "2" : shade == 3 ? "3" : "4"),
              clash ? " data-clash=\"yes\" style=\"outline:3px dashed #1b1b1b;outline-offset:-3px\"" : "",
              buf, over ? " !" : "", clash ? " " CHG_CLASH_MARK : "");
    }
    fputs("</tr>\n", out);
  }
  fputs("</tbody></table></div>\n", out);
  fputs("<p class=\"note\">Shade: the month's load against the unit's capacity, from "
        "lightest (up to a quarter of it) to darkest (over three quarters); for a unit with "
        "no capacity, the load itself (up to 1, 2, 4, over 4). <b>!</b> on red: above the "
        "unit's capacity (change overload). " CHG_CLASH_MARK " with a dashed border: two go-lives "
        "land on the unit that month (a sequencing clash).</p>\n", out);
  if (left_out) note(out, left_out);
  if (t->nrows > MAX_HEAT_UNITS)
  {
    char all[32];
    chg_fmt_count(all, sizeof all, (int64_t)t->nrows, false);
    fprintf(out, "<p class=\"note\">The first %d of %s units with load are shown; "
                 "<code>chg report --format csv --section heatmap</code> gives them all.</p>\n",
            MAX_HEAT_UNITS, all);
  }
}

/* ---- sections ------------------------------------------------------------------------ */

static void open_section(FILE *out, const chg_table *t, const char *id) {
  bool open = t->nrows <= OPEN_ROWS || !strcmp(id, "summary") || !strcmp(id, "heatmap");
  fprintf(out, "<details%s id=\"section-%s\"><summary><h2>", open ? " open" : "", id);
  esc(out, t->title);
  fputs("</h2>", out);
  if (!open) {
    char rows[32];
    chg_fmt_count(rows, sizeof rows, (int64_t)t->nrows, false);
    fprintf(out, " <span class=\"note folded\">(%s rows: open to read)</span>", rows);
  }
  fputs("</summary>\n", out);
  if (t->note) note(out, t->note);
}

static void summary_cards(FILE *out, const chg_table *t, char *buf) {
  size_t cards = 0;
  for (size_t r = 0; r < t->nrows; r++) {
    const char *k = chg_cell_str(chg_table_cell(t, r, 0), buf, CELL_MAX, false);
    cards += strcmp(k, "portfolio") && strcmp(k, "owner") && strcmp(k, "as_of");
  }
  if (!cards) { /* the header has the title and date: say what is not there */
    fputs("<p>Nothing to show: the portfolio holds no programmes, projects, workstreams, "
          "risks, savings or recommendations yet.</p>\n", out);
    return;
  }
  fputs("<div class=\"cards\">\n", out);
  for (size_t r = 0; r < t->nrows; r++) {
    const chg_cell *key = chg_table_cell(t, r, 0), *item = chg_table_cell(t, r, 1),
                   *value = chg_table_cell(t, r, 2);
    const char *k = chg_cell_str(key, buf, CELL_MAX, false);
    if (!strcmp(k, "portfolio") || !strcmp(k, "owner") || !strcmp(k, "as_of")) continue;
    fprintf(out, "<div class=\"card%s\" data-key=\"", value->mark == CHG_MARK_BAD ? " bad"
                                                     : value->mark == CHG_MARK_WARN ? " warn"
                                                     : value->mark == CHG_MARK_GOOD ? " good" : "");
    esc(out, k);
    fputs("\"><b>", out);
    if (value->kind == CHG_CELL_LEVEL) badge(out, value->u.level.scale, value->u.level.index);
    else esc(out, chg_cell_str(value, buf, CELL_MAX, false));
    fputs("</b>", out);
    esc(out, chg_cell_str(item, buf, CELL_MAX, false));
    fputs("</div>\n", out);
  }
  fputs("</div>\n", out);
}

static void begin(const chg_report *r, FILE *out) {
  char *buf = r->buf;
  const chg_eval *ev = r->ev;
  const char *title = ev->portfolio ? chg_block_title_or_id(ev->portfolio)
                                    : NULL;
  if (!title) title = "Portfolio report";
  fputs("<!DOCTYPE html>\n<html lang=\"en-GB\">\n<head>\n<meta charset=\"utf-8\">\n"
        "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
        "<meta name=\"generator\" content=\"chg " CHG_VERSION "\">\n<title>", out);
  esc(out, title);
  fputs("</title>\n<style>\n", out);
  fputs(CSS, out);
  fputs("</style>\n</head>\n<body>\n<header>\n<h1>", out);
  esc_text(out, title, false);
  fputs("</h1>\n<p class=\"meta\">", out);
  if (ev->as_of != INT32_MIN) {
    chg_fmt_day(buf, CELL_MAX, ev->as_of);
    fprintf(out, "Position at <time datetime=\"%s\">%s</time>", buf, buf);
  }
  if (ev->portfolio) {
    chg_node *owner = chg_attr(ev->portfolio, "owner");
    if (owner && owner->nargs && chg_node_args(owner)[0].kind == CHG_V_STRING) {
      fputs(" \xC2\xB7 ", out);
      esc_text(out, chg_node_args(owner)[0].u.s, false);
    }
  }
  fputs("</p>\n</header>\n<main>\n", out);
}

static void section(const chg_report *r, const chg_table *t, size_t index, FILE *out) {
  (void)index;
  char *buf = r->buf;
  const char *name = t->name;
  if (!strcmp(name, "summary")) {
    open_section(out, t, name);
    summary_cards(out, t, buf);
    charts_status(out, r);
    fputs("</details>\n", out);
    return;
  }
  open_section(out, t, name);
  if (t->nrows == 0) { /* asked for with --section, and empty: as the text report says */
    fputs("<p class=\"note\">Nothing to show.</p>\n</details>\n", out);
    return;
  }
  if (!strcmp(name, "savings-totals")) chart_savings(out, t, buf);
  if (!strcmp(name, "risks")) chart_risk_matrix(out, r);
  if (!strcmp(name, "milestones")) chart_timeline(out, r);
  if (!strcmp(name, "heatmap")) {
    heatmap(out, r, t, buf);
  } else if (!strcmp(name, "claims")) {
    /* verdicts as words and weight, not colour alone */
    size_t v = column(t, "verdict");
    /* `Made in` left out when no claim says where it was made, as the
     * other formats leave out a column empty in every row */
    bool made_in = false;
    for (size_t row = 0; row < t->nrows && !made_in; row++)
      made_in = chg_table_cell(t, row, 4)->kind != CHG_CELL_EMPTY;
    fprintf(out, "<div class=\"scroll\"><table id=\"table-claims\"><thead><tr><th scope=\"col\">Id</th>"
                 "<th scope=\"col\">Claim</th><th scope=\"col\">Verdict</th><th scope=\"col\">Figures</th>"
                 "%s</tr></thead><tbody>\n", made_in ? "<th scope=\"col\">Made in</th>" : "");
    for (size_t row = 0; row < t->nrows; row++) {
      const char *verdict = chg_cell_str(chg_table_cell(t, row, v), buf, CELL_MAX, false);
      bool false_claim = !strcmp(verdict, "FALSE");
      /* the id is what a false claim's diagnostic names */
      fputs("<tr><td><code>", out);
      esc(out, chg_cell_str(chg_table_cell(t, row, 0), buf, CELL_MAX, false));
      fputs("</code></td><th scope=\"row\">", out);
      esc_text(out, chg_cell_str(chg_table_cell(t, row, 1), buf, CELL_MAX, false), false);
      bool true_claim = !strcmp(verdict, "true");
      fprintf(out, "</th><td class=\"verdict-%s\">%s</td><td>",
              false_claim ? "false" : true_claim ? "true" : "unknown",
              false_claim  ? "\xE2\x9C\x97 FALSE"
              : true_claim ? "\xE2\x9C\x93 true"
                           : "? not evaluated");
      esc_text(out, chg_cell_str(chg_table_cell(t, row, 3), buf, CELL_MAX, false), true);
      fputs("</td>", out);
      if (made_in) {
        fputs("<td>", out);
        esc_text(out, chg_cell_str(chg_table_cell(t, row, 4), buf, CELL_MAX, false), false);
        fputs("</td>", out);
      }
      fputs("</tr>\n", out);
    }
    fputs("</tbody></table></div>\n", out);
    if (!made_in) fputs("<p class=\"note\">Columns empty in every row, left out: Made in.</p>\n", out);
  } else {
    table(out, r, t, buf, "");
  }
  fputs("</details>\n", out);
}

static void end(const chg_report *r, size_t ntables, FILE *out) {
  (void)r, (void)ntables;
  fputs("</main>\n<footer><p>Made by chg " CHG_VERSION " from the portfolio's own files: every "
        "figure is worked out exactly and rounded once, for display. Judged at the reporting "
        "date, not the day it was made.</p></footer>\n</body>\n</html>\n", out);
}

const chg_writer chg_html_writer = {"html", begin, section, end, false, NULL};
