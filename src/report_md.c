/*
 * report_md.c -- Markdown for a board paper: a heading and a pipe table
 * per section, as in the 2011 report's Criteria | RAG | Rationale.
 */
#include <string.h>

#include "report.h"


/* A cell's text made safe inside a pipe table; control characters, which
 * no Markdown shows, as `?` (chg_shown_copy). */
/* Where the code span opened by the run of backquotes at s ends (just
 * after its closing run of as many), or NULL when none closes it. */
static const char *code_span_end(const char *s) {
  size_t n = strspn(s, "`");
  for (const char *p = s + n; (p = strchr(p, '`')) != NULL;) {
    size_t m = strspn(p, "`");
    if (m == n) return p + m;
    p += m;
  }
  return NULL;
}

static void put_cell(const chg_report *rep, FILE *out, const char *s) {
  for (s = chg_shown_copy(rep->scratch, s); *s; s++) {
    /* in a code span nothing is HTML, and a backslash is shown as it is:
     * only the table's `|` needs its escape there */
    const char *code_end = *s == '`' ? code_span_end(s) : NULL;
    if (code_end) {
      for (; s < code_end; s++) {
        if (*s == '|') fputc('\\', out);
        fputc(*s == '\n' ? ' ' : *s, out);
      }
      s--;
      continue;
    }
    /* a backslash before a `|` or `<` escaped here would escape the
     * escape: doubled, it stays the backslash written.  A `<` would open
     * raw HTML (`<!--` hides the rest of the page), so it is escaped too. */
    if (*s == '\\' && (s[1] == '|' || s[1] == '<')) fputs("\\\\", out);
    else if (*s == '|') fputs("\\|", out);
    else if (*s == '<') fputs("\\<", out);
    else if (*s == '\n') {
      /* a line break in the source text is where a long string wrapped, a
       * space, as text and HTML show it; a blank line between paragraphs
       * is kept */
      if (s[1] == '\n') {
        fputs("<br><br>", out);
        while (s[1] == '\n') s++;
      } else {
        fputc(' ', out);
      }
    } else fputc(*s, out);
  }
}

/* A heading is one line: line breaks in a title become spaces.  A run of
 * `#` that ends it would be read as the heading's closing marks and left
 * out ("Report #" shown as "Report"): its first is escaped. */
static void put_heading(const chg_report *rep, FILE *out, const char *marks, const char *s) {
  fputs(marks, out);
  s = chg_shown_copy(rep->scratch, s);
  size_t n = strlen(s), closing = n;
  while (closing > 0 && s[closing - 1] == '#') closing--;
  bool escape = closing < n && (closing == 0 || s[closing - 1] == ' ' || s[closing - 1] == '\t');
  for (size_t i = 0; i < n; i++) {
    if (escape && i == closing) fputc('\\', out);
    if (s[i] == '<' || (s[i] == '\\' && s[i + 1] == '<')) fputc('\\', out); /* as in a cell */
    bool blank = s[i] == '\n' || s[i] == '\t';
    /* a title's paragraphs run on in one line, one space apart */
    if (blank && i > 0 && (s[i - 1] == ' ' || s[i - 1] == '\n' || s[i - 1] == '\t')) continue;
    fputc(blank ? ' ' : s[i], out);
  }
  fputs("\n\n", out);
}

static void write_table(const chg_report *rep, const chg_table *t, size_t index, FILE *out) {
  (void)index;
  fprintf(out, "## %s\n\n", t->title);
  if (t->note) fprintf(out, "%s\n\n", t->note);
  if (!t->nrows) {
    fputs("Nothing to show.\n\n", out);
    return;
  }
  size_t c0 = chg_first_column_for_people(t);
  bool *shown = CHG_NEW_ARRAY(rep->scratch, bool, t->ncols);
  const char *left_out = chg_columns_shown(rep, t, c0, shown);
  char *buf = rep->buf;
  bool heatmap = strcmp(t->name, "heatmap") == 0, overloaded = false, clashed = false;
  fputc('|', out);
  for (size_t c = c0; c < t->ncols; c++) {
    if (!shown[c]) continue;
    fputc(' ', out);
    put_cell(rep, out, t->cols[c].title);
    fputs(" |", out);
  }
  fputs("\n|", out);
  for (size_t c = c0; c < t->ncols; c++)
    if (shown[c]) fputs(t->cols[c].numeric ? " ---: |" : " --- |", out);
  fputc('\n', out);
  for (size_t r = 0; r < t->nrows; r++) {
    fputc('|', out);
    for (size_t c = c0; c < t->ncols; c++) {
      if (!shown[c]) continue;
      const chg_cell *cell = chg_table_cell(t, r, c);
      const char *text = chg_cell_str(cell, buf, CHG_CELL_MAX, false);
      fputc(' ', out);
      if (cell->mark == CHG_MARK_BAD) {
        /* `** Red **` is not bold: the spaces around a label are left out */
        while (*text == ' ') text++;
        size_t n = strlen(text);
        while (n && text[n - 1] == ' ') n--;
        text = chg_arena_strndup(rep->scratch, text, n);
      }
      bool strong = cell->mark == CHG_MARK_BAD && *text;
      /* a heatmap month above capacity: `!`, as the text report and the
       * dashboard mark it, besides the bold */
      bool over = heatmap && t->cols[c].numeric && cell->mark == CHG_MARK_BAD;
      overloaded = overloaded || over;
      if (strong) fputs("**", out);
      put_cell(rep, out, text);
      if (over) fputc('!', out);
      if (strong) fputs("**", out);
      /* go-lives that clash, marked as the dashboard marks them */
      if (heatmap && t->cols[c].numeric && cell->clash) {
        fputs(*text ? " " CHG_CLASH_MARK : CHG_CLASH_MARK, out);
        clashed = true;
      }
      fputs(" |", out);
    }
    fputc('\n', out);
  }
  fputc('\n', out);
  if (overloaded) fputs("! above the unit's capacity: change overload\n\n", out);
  if (clashed) fputs(CHG_CLASH_MARK " two go-lives land on the unit that month: sequencing clash\n\n", out);
  if (left_out) {
    put_cell(rep, out, left_out);
    fputs("\n\n", out);
  }
}

static void begin(const chg_report *r, FILE *out) {
  const char *title = NULL;
  if (r->ev->portfolio)
    title = chg_block_title_or_id(r->ev->portfolio);
  char date[16] = "";
  if (r->ev->as_of != INT32_MIN) chg_fmt_day(date, sizeof date, r->ev->as_of);
  put_heading(r, out, "# ", title ? title : "Portfolio report");
  /* as the dashboard's header says it: the date, then whose portfolio */
  const chg_value *owner = r->ev->portfolio ? chg_arg0(r->ev->portfolio, "owner") : NULL;
  bool by = owner && owner->kind == CHG_V_STRING && *owner->u.s;
  if (*date) fprintf(out, "Position at %s", date);
  if (by) {
    fputs(*date ? " \xC2\xB7 " : "Owner: ", out);
    put_cell(r, out, owner->u.s);
  }
  if (*date || by) fputs(".\n\n", out);
}

static void end(const chg_report *r, size_t ntables, FILE *out) { (void)r, (void)ntables, (void)out; }

const chg_writer chg_md_writer = {"md", begin, write_table, end, true, NULL};
