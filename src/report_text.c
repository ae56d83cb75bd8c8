/*
 * report_text.c -- aligned tables for a terminal.  Long text wraps within
 * its column, so a rationale does not push the table off the screen.
 */
#include <ctype.h>
#include <stdint.h>
#include <string.h>

#include "report.h"

/* Text wraps at 48 columns, but a word is not broken (a hook's
 * `path/to/file.lua:12` stays whole) unless it is longer than 96.  A
 * table wider than a terminal of 120 columns, that would fit it with its
 * text wrapped narrower, has its widest text column narrowed first, down
 * to 16 columns or its longest word -- a path's longest piece between
 * `/`s, since a path may break after one then; one that would not fit
 * even so is written in parts (write_in_parts). */
enum { WRAP = 48, LONGEST_WORD = 96, PAGE = 120, NARROWEST_TEXT = 16 };

/* How many columns a terminal gives the character at s (valid UTF-8, as
 * every string chg prints is), and its length in bytes. */
static size_t columns_of(const char *s, size_t *bytes) {
  if ((unsigned char)s[0] < 0x80) { /* most of a report */
    *bytes = 1;
    return 1;
  }
  size_t avail = 1; /* a cell cut short may end inside a character */
  while (avail < 4 && s[avail]) avail++;
  return chg_char_columns((const unsigned char *)s, avail, bytes);
}

/* Text as a table's line shows it: nothing that acts on the terminal, and
 * line breaks and tabs as spaces. */
static char *one_line(chg_arena *A, const char *text) {
  char *shown = chg_shown_copy(A, text);
  for (char *p = shown; *p; p++)
    if (*p == '\n' || *p == '\t') *p = ' ';
  return shown;
}

static size_t width_of(const char *s) {
  size_t w = 0, n;
  for (; *s; s += n) w += columns_of(s, &n);
  return w;
}

/* The width of the longest run of s without a space (a line break or a
 * tab, shown as one, is one too).  Chinese and Japanese are written
 * without spaces and may break after any of their characters (a wide
 * one, two columns), so each ends a run. */
static size_t longest_word(const char *s) {
  size_t best = 0, w = 0, n;
  for (; *s; s += n) {
    if (*s == ' ' || *s == '\n' || *s == '\t') {
      w = 0;
      n = 1;
      continue;
    }
    size_t cw = columns_of(s, &n);
    w += cw;
    if (w > best) best = w;
    if (cw == 2) w = 0;
  }
  return best;
}

/* How narrow a column of s may go without breaking a word: its longest
 * word, except that a long path (a hook's file and line) may break after
 * a `/` when the page needs it (see fit), so its longest piece counts. */
static size_t narrowest_unbroken(const char *s) {
  size_t best = 0, w = 0, piece = 0, widest_piece = 0, n;
  bool slash = false, code = false;
  for (;; s += n) {
    if (!*s || *s == ' ' || *s == '\n' || *s == '\t') {
      if (piece > widest_piece) widest_piece = piece;
      size_t counted = slash && !code && w > NARROWEST_TEXT ? widest_piece : w;
      if (counted > best) best = counted;
      if (!*s) return best;
      w = piece = widest_piece = 0;
      slash = code = false;
      n = 1;
      continue;
    }
    size_t cw = columns_of(s, &n);
    w += cw;
    piece += cw;
    if (cw == 2) { /* a wide character: a line may break after it */
      if (w > best && !slash) best = w;
      if (!slash) w = 0;
    }
    if (*s == '(' || *s == '[' || *s == '`') code = true; /* `saving.money[2011/12]` */
    if (*s == '/' && !code) {
      slash = true;
      if (piece > widest_piece) widest_piece = piece;
      piece = 0;
    }
  }
}

/* The byte length of the longest prefix of s that fits in `width`
 * columns, broken at the last space in it, so that no word is split unless
 * it is wider than the column. */
/* Whether the character at s is U+200D, the joiner inside an emoji of
 * several (a family, 👨‍👩‍👧), after which no line may break. */
static bool joiner(const char *s) { return !memcmp(s, "\xE2\x80\x8D", 3); }

static size_t fit(const char *s, size_t width, size_t *next) {
  size_t bytes = 0, w = 0, last_space = 0, after_slash = 0, after_dot = 0, after_wide = 0;
  size_t cluster = 0;        /* where the character being read began, with
                                its joiner and marks: no break inside it */
  bool joined = false;       /* the last character was a joiner */
  bool code = false; /* the word holds a bracket or a backtick: not a path */
  while (s[bytes]) {
    size_t n, cw = columns_of(s + bytes, &n);
    if (w + cw > width && w > 0) {
      /* the emoji this one is joined to goes to the next line with it */
      if (joined && cluster > 0) bytes = cluster;
      break;
    }
    if (cw > 0 && !joined) cluster = bytes;
    joined = joiner(s + bytes);
    if (s[bytes] == ' ') last_space = bytes;
    if (cw == 2) after_wide = bytes + n; /* Chinese, Japanese: a break after any */
    /* ... but not before what joins on to it: a skin tone, a variation
     * selector, a joiner and the emoji after it */
    if (cw == 0 && after_wide == bytes) after_wide = bytes + n;
    if (joined && after_wide == bytes + n) after_wide = cluster;
    if (s[bytes] == '(' || s[bytes] == '[' || s[bytes] == '`') code = true;
    if (s[bytes] == '/' && !code) after_slash = bytes + 1;
    /* an id's path, `programme.project.workstream`, not a decimal point */
    if (s[bytes] == '.' && (isalpha((unsigned char)s[bytes + 1]) || s[bytes + 1] == '_'))
      after_dot = bytes + 1;
    bytes += n;
    w += cw;
  }
  if (!s[bytes]) {
    *next = bytes;
    return bytes;
  }
  if (s[bytes] == ' ') { /* the text filled the column up to a space */
    *next = bytes + 1;
    return bytes;
  }
  if (after_wide > last_space && after_wide <= bytes) {
    *next = after_wide;
    return after_wide;
  }
  if (last_space > 0) {
    *next = last_space + 1;
    return last_space;
  }
  /* a word wider than the column: after its last `/` that fits, a path's
   * directory on one line and its file on the next, or after the last `.`
   * of an id's path, else where it must */
  size_t part = after_slash > 0 ? after_slash : after_dot;
  if (part > 0 && part < bytes) {
    *next = part;
    return part;
  }
  *next = bytes;
  return bytes;
}

/* A table line is gathered here and written without trailing blanks. */
typedef struct line {
  const chg_allocator *al;
  char *data;
  size_t len, cap;
} line;

static void put(line *l, const char *s, size_t n) {
  if (l->len + n + 1 > l->cap) {
    size_t cap = l->cap ? l->cap * 2 : 256;
    while (cap < l->len + n + 1) cap *= 2;
    l->data = chg_mem_realloc(l->al, l->data, l->cap, cap);
    l->cap = cap;
  }
  memcpy(l->data + l->len, s, n);
  l->len += n;
}

static void pad(line *l, size_t n) {
  for (size_t i = 0; i < n; i++) put(l, " ", 1);
}

static void end_line(line *l, FILE *out) {
  while (l->len && l->data[l->len - 1] == ' ') l->len--;
  fwrite(l->data ? l->data : "", 1, l->len, out);
  fputc('\n', out);
  l->len = 0;
}

static void rule_line(FILE *out, size_t n, const char *ch) {
  for (size_t i = 0; i < n; i++) fputs(ch, out);
  fputc('\n', out);
}

/* A heatmap month's mark: plain text has no colour, so one above its
 * unit's capacity is marked `!` and one where go-lives clash `⇄`, as the
 * dashboard marks them; NULL for any other cell. */
static const char *heat_mark(const chg_table *t, bool heatmap, size_t r, size_t c) {
  if (!heatmap || !t->cols[c].numeric) return NULL;
  const chg_cell *cell = chg_table_cell(t, r, c);
  bool over = cell->mark == CHG_MARK_BAD;
  return over && cell->clash ? "! " CHG_CLASH_MARK : over ? "!" : cell->clash ? " " CHG_CLASH_MARK : NULL;
}

static const char *cell_text(const chg_report *rep, const chg_table *t, bool heatmap, size_t r,
                             size_t c) {
  const char *s = chg_cell_str(chg_table_cell(t, r, c), rep->buf, CHG_CELL_MAX, false);
  const char *mark = heat_mark(t, heatmap, r, c);
  /* a clash with no load written is the mark alone */
  if (mark && !*s && *mark == ' ') mark++;
  return mark ? chg_arena_printf(rep->scratch, "%s%s", s, mark) : s;
}

/* A paragraph (a table's note), wrapped at PAGE columns. */
static void put_paragraph(FILE *out, const char *text) {
  for (const char *s = text; *s;) {
    size_t next, n = fit(s, PAGE, &next);
    fwrite(s, 1, n, out);
    fputc('\n', out);
    s += next;
  }
}

/* Narrows the columns of wrapping text, the widest first, until the table
 * fits PAGE columns or none can give more: not below NARROWEST_TEXT, nor
 * below its heading. */
static void fit_page(const chg_report *rep, const chg_table *t, size_t c0, const bool *shown,
                     const char **titles, size_t *w) {
  size_t total = 0;
  /* how narrow each may go: 0 for one that does not wrap; no narrower
   * than its heading or its longest word (an id is not cut in two) */
  size_t *least = CHG_NEW_ARRAY(rep->scratch, size_t, t->ncols);
  for (size_t c = c0; c < t->ncols; c++) {
    if (!shown[c]) continue;
    total += w[c] + 2;
    bool wraps = false;
    size_t word = width_of(titles[c]);
    for (size_t r = 0; r < t->nrows; r++) {
      const chg_cell *cell = chg_table_cell(t, r, c);
      if (cell->kind != CHG_CELL_TEXT) continue;
      wraps = true;
      size_t n = narrowest_unbroken(chg_cell_str(cell, rep->buf, CHG_CELL_MAX, false));
      if (n > word) word = n;
    }
    if (wraps) least[c] = word > NARROWEST_TEXT ? word : NARROWEST_TEXT;
  }
  /* a table too wide for the page even at its narrowest keeps its widths:
   * narrower text would make it longer and no easier to read */
  size_t narrowest = 0;
  for (size_t c = c0; c < t->ncols; c++)
    if (shown[c]) narrowest += (least[c] && least[c] < w[c] ? least[c] : w[c]) + 2;
  if (narrowest - 2 > PAGE) return;
  while (total - 2 > PAGE) {
    size_t widest = SIZE_MAX;
    for (size_t c = c0; c < t->ncols; c++)
      if (shown[c] && least[c] && w[c] > least[c] && (widest == SIZE_MAX || w[c] > w[widest]))
        widest = c;
    if (widest == SIZE_MAX) return;
    w[widest]--;
    total--;
  }
}

/* A table's headings, its rule and its rows, in the columns of `shown`. */
static void write_rows(const chg_report *rep, const chg_table *t, size_t c0, const bool *shown,
                       const char **titles, const size_t *w, bool heatmap, FILE *out) {
  chg_arena *A = rep->scratch;
  line l = {&rep->ctx->al, NULL, 0, 0};
  for (size_t c = c0; c < t->ncols; c++) {
    if (!shown[c]) continue;
    const char *title = titles[c];
    size_t n = width_of(title);
    if (t->cols[c].numeric) pad(&l, w[c] - n);
    put(&l, title, strlen(title));
    if (!t->cols[c].numeric) pad(&l, w[c] - n);
    put(&l, "  ", 2);
  }
  end_line(&l, out);
  size_t total = 0;
  for (size_t c = c0; c < t->ncols; c++)
    if (shown[c]) total += w[c] + 2;
  total -= 2; /* no gap after the last */
  rule_line(out, total, "-");
  /* each row may take several lines when its text wraps */
  const char **rest = CHG_NEW_ARRAY(A, const char *, t->ncols);
  char **texts = CHG_NEW_ARRAY(A, char *, t->ncols);
  for (size_t r = 0; r < t->nrows; r++) {
    for (size_t c = c0; c < t->ncols; c++) {
      if (!shown[c]) continue;
      texts[c] = one_line(A, cell_text(rep, t, heatmap, r, c));
      rest[c] = texts[c];
    }
    bool more = true;
    while (more) {
      more = false;
      for (size_t c = c0; c < t->ncols; c++) {
        if (!shown[c]) continue;
        const char *s = rest[c] ? rest[c] : "";
        size_t next, n = fit(s, w[c], &next);
        size_t seen = 0;
        for (size_t i = 0, len; i < n; i += len) seen += columns_of(s + i, &len);
        if (t->cols[c].numeric) pad(&l, w[c] - seen);
        put(&l, s, n);
        if (!t->cols[c].numeric) pad(&l, w[c] - seen);
        put(&l, "  ", 2);
        rest[c] = s + next;
        if (*rest[c]) more = true;
      }
      end_line(&l, out);
    }
  }
  chg_mem_free(l.al, l.data, l.cap);
}

/* A table too wide for the page even with its text narrowed (a benefit's
 * fifteen figures, a heatmap of three years) is written in parts, each
 * as many of its columns as fit, left to right, after its first column
 * (the row's id or unit), which every part repeats: a terminal would
 * otherwise fold every line of it in two. */
static void write_in_parts(const chg_report *rep, const chg_table *t, size_t c0, const bool *shown,
                           const char **titles, size_t *w, bool heatmap, FILE *out) {
  size_t first = c0;
  while (first < t->ncols && !shown[first]) first++;
  bool *part = CHG_NEW_ARRAY(rep->scratch, bool, t->ncols);
  size_t c = first + 1;
  while (c < t->ncols) {
    memset(part, 0, t->ncols * sizeof *part);
    part[first] = true;
    size_t width = w[first], taken = 0;
    for (; c < t->ncols; c++) {
      if (!shown[c]) continue;
      if (taken && width + 2 + w[c] > PAGE) break;
      part[c] = true;
      width += 2 + w[c];
      taken++;
    }
    if (!taken) break;
    fit_page(rep, t, c0, part, titles, w);
    write_rows(rep, t, c0, part, titles, w, heatmap, out);
    bool last = true;
    for (size_t k = c; k < t->ncols && last; k++) last = !shown[k];
    if (!last) fputc('\n', out);
  }
}

static void write_table(const chg_report *rep, const chg_table *t, size_t index, FILE *out) {
  (void)index;
  chg_arena *A = rep->scratch;
  fprintf(out, "%s\n", t->title);
  rule_line(out, width_of(t->title), "=");
  if (t->note) put_paragraph(out, one_line(A, t->note));
  fputc('\n', out);
  if (!t->nrows) {
    fputs("(nothing to show)\n\n", out);
    return;
  }
  size_t c0 = chg_first_column_for_people(t);
  bool *shown = CHG_NEW_ARRAY(A, bool, t->ncols);
  const char *left_out = chg_columns_shown(rep, t, c0, shown);
  size_t *w = CHG_NEW_ARRAY(A, size_t, t->ncols);
  char *buf = rep->buf;
  /* a heading may be a scale's label, which can hold a line break */
  const char **titles = CHG_NEW_ARRAY(A, const char *, t->ncols);
  for (size_t c = c0; c < t->ncols; c++) {
    if (!shown[c]) continue;
    titles[c] = one_line(A, t->cols[c].title);
    w[c] = width_of(titles[c]);
  }
  bool heatmap = strcmp(t->name, "heatmap") == 0, overloaded = false, clashed = false;
  for (size_t r = 0; r < t->nrows; r++)
    for (size_t c = c0; c < t->ncols; c++) {
      if (!shown[c]) continue;
      const char *mark = heat_mark(t, heatmap, r, c);
      overloaded = overloaded || (mark && *mark == '!');
      clashed = clashed || (mark && strstr(mark, CHG_CLASH_MARK));
      size_t n = width_of(cell_text(rep, t, heatmap, r, c));
      if (chg_table_cell(t, r, c)->kind == CHG_CELL_TEXT && n > WRAP) {
        size_t word = longest_word(chg_cell_str(chg_table_cell(t, r, c), buf, CHG_CELL_MAX, false));
        n = word > WRAP ? (word < LONGEST_WORD ? word : LONGEST_WORD) : WRAP;
      }
      if (n > w[c]) w[c] = n;
    }
  fit_page(rep, t, c0, shown, titles, w);
  size_t total = 0, columns = 0;
  for (size_t c = c0; c < t->ncols; c++)
    if (shown[c]) total += w[c] + 2, columns++;
  if (total - 2 > PAGE && columns > 2)
    write_in_parts(rep, t, c0, shown, titles, w, heatmap, out);
  else
    write_rows(rep, t, c0, shown, titles, w, heatmap, out);
  if (overloaded) fputs("! above the unit's capacity: change overload\n", out);
  if (clashed) fputs(CHG_CLASH_MARK " two go-lives land on the unit that month: sequencing clash\n", out);
  if (left_out) put_paragraph(out, one_line(A, left_out));
  fputc('\n', out);
}

static void nothing_before(const chg_report *r, FILE *out) { (void)r, (void)out; }
static void nothing_after(const chg_report *r, size_t ntables, FILE *out) {
  (void)r, (void)ntables, (void)out;
}

const chg_writer chg_text_writer = {"text", nothing_before, write_table, nothing_after, true, NULL};
