/*
 * fmt.c -- `chg fmt`: one canonical layout for a .chg file.
 *
 * The text is rebuilt from the tree, never by patching the source: each
 * literal is written exactly as the user spelt it (its source text, so a
 * number, an amount or a date never changes), strings are re-escaped
 * canonically, and expressions are reprinted token by token, keeping their
 * parentheses and the line breaks the writer chose.  Comments are not in
 * the tree; each is placed by its offset as the tokens around it are
 * written.  The result is parsed again and compared with the input, tree
 * and comments both, so a file is never rewritten into something that
 * means anything else: if the check fails, nothing is written.
 *
 * The layout, in short (docs/language.md, section 10, says it for people):
 *   - two spaces per level; one item per line, `{` at the end of its head;
 *   - in a run of attributes (no blank line or block between them) the
 *     values start in one column; consecutive attributes with the same key
 *     line up their values, and consecutive series line up as a table;
 *   - a series stays on one line up to 100 columns, else one entry a line;
 *   - a block written on one line stays on one line if it fits;
 *   - one blank line between top-level blocks, except that runs of use,
 *     include, or one-line blocks of one kind (`unit X "Y"`) keep the
 *     blank lines they had; inside blocks, at most one blank line as in
 *     the source, none after `{` or before `}`;
 *   - a comment on its own line stays on its own line, indented with what
 *     follows it; a trailing comment stays at the end of its line, and the
 *     trailing comments of consecutive lines indented alike share a column.
 *
 * Every decision depends only on the tree, the comments and where the
 * writer put blank lines and line breaks -- all of which the output keeps
 * -- so formatting twice changes nothing.
 */
#define _POSIX_C_SOURCE 200809L /* fileno */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "fmt.h"
#include "parse.h"

enum { TOK_CONT = 1, TOK_OPEN = 2, TOK_CLOSE = 4 };

/* How one item of a body is laid out, worked out before it is written. */
typedef struct lay {
  int mode;              /* blank line before it: +1 always, -1 never, 0 as in the source */
  bool blank;            /* whether a blank line comes before it */
  bool oneline;          /* a block written `head { a; b }` */
  bool series_ml;        /* its series goes one entry per line */
  bool simple;           /* one line of plain cells: it may join a table */
  unsigned key_w;        /* the key is padded to this width (0: one space) */
  const unsigned *cell_w; /* plain value i is padded to cell_w[i] (0: one space) */
  unsigned series_col;   /* the series starts at this column (0: one space) */
  const unsigned *entry_w; /* series entry j, comma included, is padded to this */
} lay;

typedef struct fmt {
  chg_ctx *ctx;
  const chg_allocator *al;
  const chg_file *f;
  const char *src;
  chg_buf out;
  size_t line;           /* where the current output line starts */
  unsigned column;       /* code points on the current line so far */
  bool blank;            /* the current line holds only spaces so far */
  const chg_span *comments;
  size_t nc, ci;         /* the comments, and the next one to place */
  size_t *marks;         /* output offsets of the `#` of trailing comments */
  size_t nmarks, marks_cap;
  bool cont;             /* the last token lets the line break after it */
  unsigned groups;       /* ( and [ open in the item being written */
  unsigned cont_col;     /* where a line broken inside an item goes on */
  bool expr_mode;        /* in an expression, nesting indents a broken line */
  uint32_t cur;          /* expressions: the source read up to here */
  uint32_t tok_end;      /* expressions: end of the last token written */
  int delta;             /* how far the current item moved right, for long strings */
  bool quiet;            /* measuring: comments are left where they are */
  bool failed;
} fmt;

/* ---- output ---------------------------------------------------------- */

/* Appends text, keeping count of the column (a long string brings its
 * own line breaks), so that no question about the current line costs more
 * than the text written: a line may be megabytes long. */
static void out_put(fmt *fm, const char *s, size_t n) {
  chg_buf_put(fm->al, &fm->out, s, n);
  for (size_t i = 0; i < n; i++) {
    unsigned char c = (unsigned char)s[i];
    if (c == '\n') {
      fm->line = fm->out.len - n + i + 1;
      fm->column = 0;
      fm->blank = true;
    } else {
      if ((c & 0xC0) != 0x80) fm->column++;
      if (c != ' ') fm->blank = false;
    }
  }
}

/* Takes back the spaces at the end of the current line. */
static void trim_spaces(fmt *fm) {
  while (fm->out.len > fm->line && fm->out.data[fm->out.len - 1] == ' ') {
    fm->out.len--;
    fm->column--;
  }
  fm->out.data[fm->out.len] = '\0';
}

/* Columns on a screen, as the 100-column limit counts them: a CJK
 * character takes two, a combining accent none, so that comments said to
 * share a column do on the screen. */
static unsigned width_of(const char *s, size_t n) {
  unsigned w = 0;
  for (size_t i = 0, len; i < n; i += len ? len : 1)
    w += chg_char_columns((const unsigned char *)s + i, n - i, &len);
  return w;
}

static unsigned col(const fmt *fm) { return fm->column; }

static bool at_line_start(const fmt *fm) { return fm->blank; }

static unsigned line_indent(const fmt *fm) {
  unsigned n = 0;
  while (fm->line + n < fm->out.len && fm->out.data[fm->line + n] == ' ') n++;
  return n;
}

static void spaces(fmt *fm, unsigned n) {
  static const char blanks[] = "                                ";
  while (n > 0) {
    unsigned k = n < 32 ? n : 32;
    out_put(fm, blanks, k);
    n -= k;
  }
}

/* One space, unless the line is empty so far or already ends in one. */
static void sp(fmt *fm) {
  if (!at_line_start(fm) && fm->out.data[fm->out.len - 1] != ' ') out_put(fm, " ", 1);
}

/* Pads to a column, with at least one space after what came before. */
static void pad_to(fmt *fm, unsigned target) {
  unsigned c = col(fm);
  if (c < target) spaces(fm, target - c);
  else sp(fm);
}

static void end_line(fmt *fm) {
  trim_spaces(fm);
  out_put(fm, "\n", 1);
}

static void blank_line(fmt *fm) {
  /* never at the top of the file, never two */
  if (fm->out.len == 0) return;
  if (fm->out.len >= 2 && fm->out.data[fm->out.len - 2] == '\n') return;
  out_put(fm, "\n", 1);
}

/* ---- source ---------------------------------------------------------- */

static bool is_blank(char c) {
  return c == ' ' || c == '\t' || c == '\r' || c == '\f' || c == '\v';
}

static bool has_newline(const fmt *fm, uint32_t a, uint32_t b) {
  return b > a && memchr(fm->src + a, '\n', b - a) != NULL;
}

/* A blank line between two offsets: two line ends with nothing between. */
static bool has_blank(const fmt *fm, uint32_t a, uint32_t b) {
  unsigned n = 0;
  for (uint32_t i = a; i < b; i++)
    if (fm->src[i] == '\n' && ++n == 2) return true;
  return false;
}

/* Past white space, line ends and comments. */
static uint32_t skip_space(const fmt *fm, uint32_t i, uint32_t end) {
  while (i < end) {
    char c = fm->src[i];
    if (is_blank(c) || c == '\n') {
      i++;
    } else if (c == '#') {
      while (i < end && fm->src[i] != '\n') i++;
    } else {
      break;
    }
  }
  return i;
}

/* The first comment that starts at or after an offset. */
static size_t comment_at(const fmt *fm, uint32_t off) {
  size_t lo = 0, hi = fm->nc;
  while (lo < hi) {
    size_t mid = (lo + hi) / 2;
    if (fm->comments[mid].start < off) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

static bool comments_within(const fmt *fm, uint32_t a, uint32_t b) {
  size_t i = comment_at(fm, a);
  return i < fm->nc && fm->comments[i].start < b;
}

/* A comment alone on its line, as opposed to one after code. */
static bool own_line(const fmt *fm, chg_span c) {
  for (uint32_t i = c.start; i > 0; i--) {
    char ch = fm->src[i - 1];
    if (ch == '\n') return true;
    /* a `;` alone before it ends no item and is not written: the comment
     * stands on its own line once formatted, and must be placed so the
     * first time, or formatting again would move what is around it */
    if (!is_blank(ch) && ch != ';') return false;
  }
  return true;
}

/* The white space before the first token of the line holding `off`, or
 * -1 when it holds a tab (a long string is then left as it is). */
static int source_indent(const fmt *fm, uint32_t off) {
  uint32_t s = off;
  while (s > 0 && fm->src[s - 1] != '\n') s--;
  int n = 0;
  for (uint32_t i = s; i < off && is_blank(fm->src[i]); i++) {
    if (fm->src[i] != ' ') return -1;
    n++;
  }
  return n;
}

/* ---- comments -------------------------------------------------------- */

static bool pending(const fmt *fm, uint32_t before) {
  return !fm->quiet && fm->ci < fm->nc && fm->comments[fm->ci].start < before;
}

static void comment_text(fmt *fm, chg_span c) {
  uint32_t e = c.end;
  while (e > c.start + 1 && is_blank(fm->src[e - 1])) e--;
  out_put(fm, fm->src + c.start, e - c.start);
}

static void trailing(fmt *fm) {
  chg_span c = fm->comments[fm->ci++];
  trim_spaces(fm);
  out_put(fm, " ", 1);
  if (fm->nmarks == fm->marks_cap) {
    size_t cap = fm->marks_cap ? fm->marks_cap * 2 : 64;
    fm->marks = chg_mem_realloc(fm->al, fm->marks, fm->marks_cap * sizeof *fm->marks,
                                cap * sizeof *fm->marks);
    fm->marks_cap = cap;
  }
  fm->marks[fm->nmarks++] = fm->out.len;
  comment_text(fm, c);
}

/* Where a line broken inside an item goes on. */
static unsigned cont_indent(const fmt *fm, unsigned flags) {
  unsigned g = fm->groups;
  if ((flags & TOK_CLOSE) && g) g--;
  return fm->cont_col + (fm->expr_mode ? 2 * g : 0);
}

/* Places the comments that come before a token about to be written.  In
 * the middle of a line a comment ends it; that is only done where a line
 * may break (after a comma, an operator, inside brackets) -- which is
 * where the comment was in the source, since the tokens are the same.
 * Where it may not, the comment waits for the end of the item. */
static void flush_before(fmt *fm, uint32_t off, unsigned flags) {
  while (pending(fm, off)) {
    chg_span c = fm->comments[fm->ci];
    if (at_line_start(fm)) {
      unsigned ind = col(fm);
      comment_text(fm, c);
      fm->ci++;
      end_line(fm);
      spaces(fm, ind);
      continue;
    }
    if (!fm->cont && !fm->groups) return;
    if (!own_line(fm, c)) trailing(fm);
    end_line(fm);
    spaces(fm, cont_indent(fm, flags));
  }
}

static void put(fmt *fm, const char *s, size_t n, uint32_t off, unsigned flags) {
  flush_before(fm, off, flags);
  out_put(fm, s, n);
  fm->cont = (flags & TOK_CONT) != 0;
  if (flags & TOK_OPEN) fm->groups++;
  if ((flags & TOK_CLOSE) && fm->groups) fm->groups--;
}

/* Ends the line, with the comment that trailed it in the source. */
static void finish_line(fmt *fm, uint32_t next) {
  if (pending(fm, next) && !at_line_start(fm) && !own_line(fm, fm->comments[fm->ci]))
    trailing(fm);
  end_line(fm);
}

static void line_break(fmt *fm, uint32_t next, unsigned indent) {
  finish_line(fm, next);
  spaces(fm, indent);
}

/* The comments before an item (or before a `}` or the end of the file,
 * when `item` is false), each on its own line, with the blank lines the
 * source had between them.  `mode` says what comes before the first. */
static void leading(fmt *fm, uint32_t prev_end, uint32_t next, int mode, unsigned indent,
                    bool item) {
  uint32_t at = prev_end;
  bool first = true;
  while (pending(fm, next)) {
    chg_span c = fm->comments[fm->ci];
    if (first ? mode > 0 || (mode == 0 && has_blank(fm, at, c.start)) : has_blank(fm, at, c.start))
      blank_line(fm);
    first = false;
    spaces(fm, indent);
    comment_text(fm, c);
    fm->ci++;
    end_line(fm);
    if (c.end > at) at = c.end;
  }
  if (!item) return;
  if (first ? mode > 0 || (mode == 0 && has_blank(fm, at, next)) : has_blank(fm, at, next))
    blank_line(fm);
  spaces(fm, indent);
}

/* What leading() will do about blank lines, worked out beforehand. */
static bool gap_blank(const fmt *fm, uint32_t prev_end, uint32_t next, int mode) {
  if (mode > 0) return true;
  uint32_t at = prev_end;
  bool first = true;
  for (size_t i = comment_at(fm, prev_end); i < fm->nc && fm->comments[i].start < next; i++) {
    chg_span c = fm->comments[i];
    if (!own_line(fm, c)) continue; /* it trails the line before */
    if (first ? mode == 0 && has_blank(fm, at, c.start) : has_blank(fm, at, c.start)) return true;
    first = false;
    at = c.end;
  }
  return first ? mode == 0 && has_blank(fm, at, next) : has_blank(fm, at, next);
}

/* ---- measuring ------------------------------------------------------- */

typedef struct saved {
  size_t len, line, ci;
  bool cont, quiet, expr_mode, blank;
  unsigned groups, cont_col, column;
  uint32_t cur, tok_end;
} saved;

/* Writes something quietly to see how wide it is, then takes it back. */
static saved begin_measure(fmt *fm) {
  saved s = {fm->out.len, fm->line,      fm->ci,     fm->cont,   fm->quiet, fm->expr_mode,
             fm->blank,   fm->groups,    fm->cont_col, fm->column, fm->cur, fm->tok_end};
  fm->quiet = true;
  fm->line = fm->out.len;
  fm->column = 0;
  fm->blank = true;
  return s;
}

static unsigned end_measure(fmt *fm, saved s) {
  unsigned w = width_of(fm->out.data + s.len, fm->out.len - s.len);
  fm->out.len = s.len;
  fm->out.data[fm->out.len] = '\0';
  fm->line = s.line;
  fm->column = s.column;
  fm->blank = s.blank;
  fm->ci = s.ci;
  fm->cont = s.cont;
  fm->quiet = s.quiet;
  fm->expr_mode = s.expr_mode;
  fm->groups = s.groups;
  fm->cont_col = s.cont_col;
  fm->cur = s.cur;
  fm->tok_end = s.tok_end;
  return w;
}

/* ---- values ---------------------------------------------------------- */

/* A string in canonical form: the fewest escapes that keep it on one
 * line and readable; characters that cannot be seen are escaped so that
 * they can be. */
/* A character an emoji sequence joins with U+200D: a pictograph, or the
 * variation selector that asks for one (❤️‍🔥). */
static bool joins_emoji(uint32_t cp) {
  return cp >= 0x1F000 || (cp >= 0x2600 && cp <= 0x27BF) || cp == 0xFE0F;
}

static void escape_string(fmt *fm, const char *s, size_t n, chg_buf *b) {
  char tmp[16];
  bool flag_open = false; /* tag characters after U+1F3F4 spell a flag (Wales's, Scotland's) */
  uint32_t before = 0;    /* the character before, for a joiner inside an emoji */
  chg_buf_putc(fm->al, b, '"');
  for (size_t i = 0; i < n;) {
    unsigned char c = (unsigned char)s[i];
    if (c < 0x80) before = c;
    if (c == '"' || c == '\\') {
      chg_buf_putc(fm->al, b, '\\');
      chg_buf_putc(fm->al, b, (char)c);
      i++;
    } else if (c == '\n') {
      chg_buf_put(fm->al, b, "\\n", 2);
      i++;
    } else if (c == '\t') {
      chg_buf_put(fm->al, b, "\\t", 2);
      i++;
    } else if (c < 0x20 || c == 0x7F) {
      chg_buf_put(fm->al, b, tmp, (size_t)snprintf(tmp, sizeof tmp, "\\u{%X}", c));
      i++;
    } else if (c < 0x80) {
      chg_buf_putc(fm->al, b, (char)c);
      i++;
    } else {
      size_t len; /* the source was checked to be UTF-8 */
      uint32_t cp = chg_utf8_decode((const unsigned char *)s + i, n - i, &len);
      bool in_flag = flag_open && cp >= 0xE0020 && cp <= 0xE007F;
      flag_open = cp == 0x1F3F4 || (in_flag && cp != 0xE007F);
      /* 👨‍👩‍👧 is one picture: its joiners are part of it, not hidden */
      size_t next_len;
      bool in_emoji = cp == 0x200D && joins_emoji(before) && i + len < n &&
                      joins_emoji(chg_utf8_decode((const unsigned char *)s + i + len, n - i - len,
                                                  &next_len));
      /* a variation selector after a character it can select a form of
       * (❤️, 1️⃣, an ideograph's variant) is part of what is seen */
      bool selects = ((cp >= 0xFE00 && cp <= 0xFE0F) || (cp >= 0xE0100 && cp <= 0xE01EF)) &&
                     before > 0x20 && before != 0x7F && !chg_unseen_char(before);
      before = cp;
      if (chg_unseen_char(cp) && !in_flag && !in_emoji && !selects)
        chg_buf_put(fm->al, b, tmp, (size_t)snprintf(tmp, sizeof tmp, "\\u{%X}", (unsigned)cp));
      else
        chg_buf_put(fm->al, b, s + i, len);
      i += len;
    }
  }
  chg_buf_putc(fm->al, b, '"');
}

/* Whether the lines of a long string can move `delta` columns without
 * changing its text: its first line must be blank (else it sets the
 * indentation the others lose), and moving left must not cut into any
 * line's text. */
static bool long_string_movable(const fmt *fm, uint32_t s, uint32_t e, int delta) {
  uint32_t i = s + 3;
  bool text = false; /* with no line of text, blank lines keep all their spaces */
  while (i < e - 3 && is_blank(fm->src[i])) i++;
  if (fm->src[i] != '\n') return false;
  /* moving left cuts the same bytes from every line: the indentation a
   * long string loses is what its lines share byte for byte, so a tab on
   * one line and spaces on another cannot both go */
  const char *cut = NULL;
  while (i < e - 3) {
    i++; /* past the line end */
    int ws = 0;
    uint32_t line = i;
    while (i < e && (fm->src[i] == ' ' || fm->src[i] == '\t')) i++, ws++;
    bool blank_line = i >= e - 3 ? (i == e - 3) : (fm->src[i] == '\n' || fm->src[i] == '\r');
    if (!blank_line && ws < -delta) return false;
    if (delta < 0 && ws >= -delta) {
      if (!cut) cut = fm->src + line;
      else if (memcmp(cut, fm->src + line, (size_t)-delta) != 0) return false;
    }
    text = text || !blank_line;
    while (i < e - 3 && fm->src[i] != '\n') i++;
  }
  return text;
}

/* Source text copied as it is, but for its line ends: the output's lines
 * end in LF, a long string's as well as the rest (a CRLF file would
 * otherwise come out with both).  Only a lone CR before LF goes: a long
 * string's value loses one CR at each line end, so more are text. */
static void put_lf(fmt *fm, chg_buf *b, uint32_t from, uint32_t to) {
  uint32_t run = from;
  for (uint32_t i = from; i < to; i++)
    if (fm->src[i] == '\r' && i + 1 < to && fm->src[i + 1] == '\n' &&
        (i == 0 || fm->src[i - 1] != '\r')) {
      chg_buf_put(fm->al, b, fm->src + run, i - run);
      run = i + 1;
    }
  chg_buf_put(fm->al, b, fm->src + run, to - run);
}

/* A long string, its lines moved with the item that holds it. */
static void long_string(fmt *fm, uint32_t s, uint32_t e, chg_buf *b) {
  int delta = fm->delta;
  if (delta == 0 || !long_string_movable(fm, s, e, delta)) {
    put_lf(fm, b, s, e);
    return;
  }
  uint32_t i = s;
  while (i < e) {
    uint32_t nl = i;
    while (nl < e && fm->src[nl] != '\n') nl++;
    if (i > s) { /* not the opening line */
      uint32_t t = i, ws = 0;
      while (t < e && (fm->src[t] == ' ' || fm->src[t] == '\t')) t++, ws++;
      if (nl > i) {
        if (delta > 0) {
          for (int k = 0; k < delta; k++) chg_buf_putc(fm->al, b, ' ');
        } else {
          uint32_t cut = ws < (uint32_t)-delta ? ws : (uint32_t)-delta;
          i += cut;
        }
      }
    }
    bool lone_cr = nl < e && nl > i && fm->src[nl - 1] == '\r' && (nl - 1 == i || fm->src[nl - 2] != '\r');
    put_lf(fm, b, i, lone_cr ? nl - 1 : nl);
    if (nl < e) chg_buf_putc(fm->al, b, '\n');
    i = nl + 1;
  }
}

static bool is_long_string(const fmt *fm, const chg_value *v) {
  return v->span.end - v->span.start >= 6 && memcmp(fm->src + v->span.start, "\"\"\"", 3) == 0;
}

static void string_text(fmt *fm, const chg_value *v, chg_buf *b) {
  if (is_long_string(fm, v)) long_string(fm, v->span.start, v->span.end, b);
  else escape_string(fm, v->u.s, chg_str_len(v), b);
}

static void path_text(fmt *fm, const chg_value *v, chg_buf *b) {
  for (uint32_t i = 0; i < chg_path_len(v); i++) {
    if (i) chg_buf_putc(fm->al, b, '.');
    chg_buf_put(fm->al, b, chg_path_name(v, i), strlen(chg_path_name(v, i)));
  }
}

/* A value that will take more than one line. */
static bool value_multiline(const fmt *fm, const chg_value *v) {
  if (v->kind == CHG_V_LIST || (v->kind == CHG_V_STRING && is_long_string(fm, v)))
    return has_newline(fm, v->span.start, v->span.end);
  return false;
}

static void emit_value(fmt *fm, const chg_value *v);

static void emit_list(fmt *fm, const chg_value *v) {
  uint32_t close = v->span.end - 1;
  uint32_t n = chg_list_len(v);
  const chg_value *items = v->u.items;
  bool multi = has_newline(fm, v->span.start, v->span.end) &&
               (n > 0 || comments_within(fm, v->span.start, v->span.end));
  put(fm, "[", 1, v->span.start, TOK_OPEN | TOK_CONT);
  if (!multi) {
    for (uint32_t i = 0; i < n; i++) {
      if (i) {
        put(fm, ",", 1, items[i - 1].span.end, TOK_CONT);
        sp(fm);
      }
      emit_value(fm, &items[i]);
    }
    put(fm, "]", 1, close, TOK_CLOSE);
    return;
  }
  /* one item a line, each with its comma; `]` under the line's start */
  unsigned ind = line_indent(fm), saved_col = fm->cont_col;
  fm->cont_col = ind + 2;
  for (uint32_t i = 0; i < n; i++) {
    line_break(fm, items[i].span.start, ind + 2);
    emit_value(fm, &items[i]);
    put(fm, ",", 1, items[i].span.end, TOK_CONT);
  }
  line_break(fm, close, ind);
  put(fm, "]", 1, close, TOK_CLOSE);
  fm->cont_col = saved_col;
}

static void emit_value(fmt *fm, const chg_value *v) {
  const char *s = fm->src + v->span.start;
  switch (v->kind) {
  case CHG_V_NAME: {
    chg_buf b = {0};
    path_text(fm, v, &b);
    put(fm, b.data, b.len, v->span.start, 0);
    chg_buf_release(fm->al, &b);
    return;
  }
  case CHG_V_STRING: {
    chg_buf b = {0};
    string_text(fm, v, &b);
    put(fm, b.data, b.len, v->span.start, 0);
    chg_buf_release(fm->al, &b);
    return;
  }
  case CHG_V_NUMBER:
  case CHG_V_MONEY:
  case CHG_V_PERCENT:
  case CHG_V_DATE:
  case CHG_V_MONTH:
  case CHG_V_QUARTER:
  case CHG_V_FY:
    if (*s == '-') {
      /* `- 308` is `-308`: the literal as written, after its sign */
      uint32_t lit = skip_space(fm, v->span.start + 1, v->span.end);
      put(fm, "-", 1, v->span.start, TOK_CONT);
      put(fm, fm->src + lit, v->span.end - lit, lit, 0);
    } else {
      put(fm, s, v->span.end - v->span.start, v->span.start, 0);
    }
    return;
  case CHG_V_RANGE:
    emit_value(fm, &v->u.range[0]);
    put(fm, "..", 2, v->u.range[0].span.end, TOK_CONT);
    emit_value(fm, &v->u.range[1]);
    return;
  case CHG_V_LIST:
    emit_list(fm, v);
    return;
  case CHG_V_BOOL:
    put(fm, v->u.b ? "true" : "false", v->u.b ? 4 : 5, v->span.start, 0);
    return;
  default:
    /* resolution makes the other kinds; a file with errors is not formatted */
    fm->failed = true;
    return;
  }
}

static unsigned measure_value(fmt *fm, const chg_value *v) {
  saved s = begin_measure(fm);
  emit_value(fm, v);
  return end_measure(fm, s);
}

static void emit_entry(fmt *fm, const chg_pair *p) {
  emit_value(fm, &p->key);
  put(fm, ":", 1, p->key.span.end, TOK_CONT);
  sp(fm);
  emit_value(fm, &p->value);
}

/* An entry's width, with its comma when another follows. */
static unsigned measure_entry(fmt *fm, const chg_pair *p, bool comma) {
  saved s = begin_measure(fm);
  emit_entry(fm, p);
  return end_measure(fm, s) + (comma ? 1u : 0u);
}

/* ---- expressions ----------------------------------------------------- */

static uint32_t next_tok(fmt *fm) { return skip_space(fm, fm->cur, (uint32_t)fm->f->len); }

/* Writes an expression token read from the source at `off`.  A line
 * break the writer put before it is kept, since it was legal there. */
static void xtok(fmt *fm, const char *s, size_t n, uint32_t off, uint32_t src_len,
                 unsigned flags) {
  if (!fm->quiet && has_newline(fm, fm->tok_end, off)) {
    flush_before(fm, off, flags);
    if (!at_line_start(fm) && (fm->cont || fm->groups)) {
      end_line(fm);
      spaces(fm, cont_indent(fm, flags));
    }
  }
  put(fm, s, n, off, flags);
  fm->tok_end = off + src_len;
  fm->cur = off + src_len;
}

/* Reads the punctuation or operator `s` from the source and writes it. */
static void xexpect(fmt *fm, const char *s, unsigned flags) {
  uint32_t p = next_tok(fm);
  size_t n = strlen(s);
  if (p + n > fm->f->len || memcmp(fm->src + p, s, n) != 0) {
    fm->failed = true;
    return;
  }
  xtok(fm, s, n, p, (uint32_t)n, flags);
}

static void x_bare(fmt *fm, const chg_expr *e);

/* An operand, with the parentheses the writer put around it. */
static void x_wrapped(fmt *fm, const chg_expr *e) {
  unsigned parens = 0;
  for (;;) {
    uint32_t p = next_tok(fm);
    if (p >= e->span.start || fm->src[p] != '(') break;
    xtok(fm, "(", 1, p, 1, TOK_OPEN | TOK_CONT);
    parens++;
  }
  if (next_tok(fm) != e->span.start) {
    fm->failed = true;
    return;
  }
  x_bare(fm, e);
  while (parens-- > 0 && !fm->failed) xexpect(fm, ")", TOK_CLOSE);
}

static void x_value(fmt *fm, const chg_value *v) {
  chg_buf b = {0};
  if (v->kind == CHG_V_STRING) string_text(fm, v, &b);
  else if (v->kind == CHG_V_NAME) path_text(fm, v, &b);
  else if (v->kind == CHG_V_BOOL) chg_buf_put(fm->al, &b, v->u.b ? "true" : "false", v->u.b ? 4 : 5);
  else chg_buf_put(fm->al, &b, fm->src + v->span.start, v->span.end - v->span.start);
  xtok(fm, b.data, b.len, v->span.start, v->span.end - v->span.start, 0);
  chg_buf_release(fm->al, &b);
}

/* Whether an operand is written starting with `-`: a negation, or a
 * negative literal. */
static bool starts_with_minus(const chg_expr *e) {
  if (e->op == CHG_X_NEG) return true;
  if (e->op != CHG_X_LIT) return false;
  switch (e->value.kind) {
  case CHG_V_NUMBER: case CHG_V_PERCENT: return e->value.u.m < 0;
  case CHG_V_MONEY: return e->value.u.pence < 0;
  default: return false;
  }
}

static void x_bare(fmt *fm, const chg_expr *e) {
  if (fm->failed) return;
  switch (e->op) {
  case CHG_X_LIT:
  case CHG_X_NAME:
    x_value(fm, &e->value);
    return;
  case CHG_X_NEG:
    xexpect(fm, "-", TOK_CONT);
    /* `- -1`, not `--1`; `-(-1)` as it is */
    if (starts_with_minus(e->a) && fm->src[next_tok(fm)] != '(') sp(fm);
    x_wrapped(fm, e->a);
    return;
  case CHG_X_NOT:
    xexpect(fm, "not", TOK_CONT);
    sp(fm);
    x_wrapped(fm, e->a);
    return;
  case CHG_X_CALL:
    xtok(fm, e->fn, strlen(e->fn), e->fn_span.start, e->fn_span.end - e->fn_span.start, 0);
    xexpect(fm, "(", TOK_OPEN | TOK_CONT);
    for (uint32_t i = 0; i < e->nargs && !fm->failed; i++) {
      if (i) {
        xexpect(fm, ",", TOK_CONT);
        sp(fm);
      }
      x_wrapped(fm, e->args[i]);
    }
    xexpect(fm, ")", TOK_CLOSE);
    return;
  case CHG_X_LIST:
    xexpect(fm, "[", TOK_OPEN | TOK_CONT);
    for (uint32_t i = 0; i < e->nargs && !fm->failed; i++) {
      if (i) {
        xexpect(fm, ",", TOK_CONT);
        sp(fm);
      }
      x_wrapped(fm, e->args[i]);
    }
    /* a trailing comma is dropped */
    if (fm->src[next_tok(fm)] == ',') fm->cur = next_tok(fm) + 1;
    xexpect(fm, "]", TOK_CLOSE);
    return;
  case CHG_X_INDEX:
    x_wrapped(fm, e->a);
    xexpect(fm, "[", TOK_OPEN | TOK_CONT);
    x_wrapped(fm, e->b);
    xexpect(fm, "]", TOK_CLOSE);
    return;
  default: {
    const char *op = chg_op_text(e->op);
    if (!op) {
      fm->failed = true;
      return;
    }
    x_wrapped(fm, e->a);
    sp(fm);
    xexpect(fm, op, TOK_CONT);
    sp(fm);
    x_wrapped(fm, e->b);
    return;
  }
  }
}

/* ---- items ----------------------------------------------------------- */

/* Where an item's text ends: its last token, before the line end (which
 * a `use`, `include`, `when` or `expect` holds in its span). */
static uint32_t item_end(const fmt *fm, const chg_node *n) {
  if (n->kind == CHG_N_USE || n->kind == CHG_N_INCLUDE) return chg_node_args(n)[0].span.end;
  if (n->kind == CHG_N_BLOCK || !chg_node_expr(n)) return n->span.end;
  uint32_t e = n->span.end;
  if (e > n->span.start && (fm->src[e - 1] == '\n' || fm->src[e - 1] == ';')) e--;
  for (;;) {
    while (e > n->span.start && is_blank(fm->src[e - 1])) e--;
    /* a comment just before the line end */
    size_t i = comment_at(fm, e);
    if (i == 0 || fm->comments[i - 1].end != e || fm->comments[i - 1].start < n->span.start) break;
    e = fm->comments[i - 1].start;
  }
  return e;
}

static bool has_values(const chg_node *n) { return n->nargs || n->nseries || chg_node_expr(n); }

/* The offset of a block's `{`: the first thing after its head. */
static uint32_t open_brace(const fmt *fm, const chg_node *n) {
  uint32_t e = n->span.start + (uint32_t)strlen(n->key);
  const chg_value *last = n->nargs ? &chg_node_args(n)[n->nargs - 1] : NULL;
  if (last && last->span.end > e) e = last->span.end;
  if (n->nseries) e = chg_node_series(n)[n->nseries - 1].value.span.end;
  while (e < n->span.end && fm->src[e] != '{') e++;
  return e;
}

static void emit_item(fmt *fm, const chg_node *n, unsigned indent, const lay *l);
static void emit_body(fmt *fm, const chg_node *items, unsigned indent, bool top,
                      uint32_t open_end, uint32_t close);

/* A key and its values: plain cells, then the series. */
static void emit_attr(fmt *fm, const chg_node *n, unsigned indent, const lay *l) {
  put(fm, n->key, strlen(n->key), n->span.start, 0);
  if (!n->nargs && !n->nseries) return;
  if (l->key_w) pad_to(fm, indent + l->key_w + 1);
  else sp(fm);
  fm->cont_col = col(fm);
  for (uint32_t i = 0; i < n->nargs; i++) {
    unsigned start = col(fm);
    emit_value(fm, &chg_node_args(n)[i]);
    if (i + 1 == n->nargs) break;
    if (l->cell_w && l->cell_w[i]) pad_to(fm, start + l->cell_w[i] + 1);
    else sp(fm);
  }
  if (!n->nseries) return;
  /* the series column, or one space after the plain cells */
  if (l->series_col) pad_to(fm, l->series_col);
  else if (n->nargs) sp(fm);
  unsigned sc = col(fm);
  fm->cont_col = sc;
  for (uint32_t j = 0; j < n->nseries; j++) {
    const chg_pair *p = &chg_node_series(n)[j];
    if (j && l->series_ml) line_break(fm, p->key.span.start, sc);
    unsigned start = col(fm);
    emit_entry(fm, p);
    if (j + 1 == n->nseries) break;
    put(fm, ",", 1, p->value.span.end, TOK_CONT);
    if (l->series_ml) continue;
    if (l->entry_w) pad_to(fm, start + l->entry_w[j] + 1);
    else sp(fm);
  }
}

/* How deeply an expression nests, counted up to `cap`. */
static unsigned expr_depth(const chg_expr *e, unsigned cap) {
  if (!e || cap == 0) return 0;
  unsigned d = 0;
  if (e->op == CHG_X_CALL || e->op == CHG_X_LIST) {
    for (uint32_t i = 0; i < e->nargs && d < cap - 1; i++) {
      unsigned k = expr_depth(e->args[i], cap - 1);
      if (k > d) d = k;
    }
  } else {
    unsigned a = expr_depth(e->a, cap - 1), b = a < cap - 1 ? expr_depth(e->b, cap - 1) : 0;
    d = a > b ? a : b;
  }
  return d + 1;
}

/* Past this depth an expression is copied as it was written: reprinting
 * it would recurse as deep, and no one writes such a thing by hand. */
#define CHG_FMT_MAX_EXPR_DEPTH 1000u

static void emit_expr_attr(fmt *fm, const chg_node *n, unsigned indent, const lay *l) {
  size_t klen = strlen(n->key);
  put(fm, n->key, klen, n->span.start, TOK_CONT);
  if (l->key_w) pad_to(fm, indent + l->key_w + 1);
  else sp(fm);
  fm->cont_col = col(fm);
  if (expr_depth(chg_node_expr(n), CHG_FMT_MAX_EXPR_DEPTH + 1) > CHG_FMT_MAX_EXPR_DEPTH) {
    uint32_t from = skip_space(fm, n->span.start + (uint32_t)klen, n->span.end);
    uint32_t to = item_end(fm, n);
    put(fm, fm->src + from, to - from, from, 0);
    /* the comments inside went with the text */
    while (!fm->quiet && fm->ci < fm->nc && fm->comments[fm->ci].start < to) fm->ci++;
    return;
  }
  fm->expr_mode = true;
  fm->cur = fm->tok_end = n->span.start + (uint32_t)klen;
  x_wrapped(fm, chg_node_expr(n));
  fm->expr_mode = false;
  /* nothing but white space and comments may be left */
  uint32_t e = n->span.end;
  if (e > n->span.start && (fm->src[e - 1] == '\n' || fm->src[e - 1] == ';')) e--;
  if (next_tok(fm) < e) fm->failed = true;
}

/* Whether a block written on one line can stay there. */
static bool block_oneline(fmt *fm, const chg_node *n, unsigned indent) {
  uint32_t open = open_brace(fm, n), close = n->span.end - 1;
  if (comments_within(fm, open, close)) return false;
  if (!n->items) return true; /* `{ }` */
  if (has_newline(fm, open, close)) return false;
  saved s = begin_measure(fm);
  lay none;
  memset(&none, 0, sizeof none);
  none.oneline = true;
  emit_item(fm, n, indent, &none);
  return indent + end_measure(fm, s) <= CHG_FMT_WIDTH;
}

static void emit_block(fmt *fm, const chg_node *n, unsigned indent, bool oneline) {
  lay head;
  memset(&head, 0, sizeof head);
  emit_attr(fm, n, indent, &head);
  uint32_t open = open_brace(fm, n), close = n->span.end - 1;
  sp(fm);
  put(fm, "{", 1, open, 0);
  if (oneline) {
    lay inner;
    memset(&inner, 0, sizeof inner);
    for (const chg_node *c = n->items; c; c = c->next) {
      sp(fm);
      inner.oneline = c->kind == CHG_N_BLOCK;
      emit_item(fm, c, indent, &inner);
      if (c->next) put(fm, ";", 1, item_end(fm, c), 0);
    }
    sp(fm);
    put(fm, "}", 1, close, 0);
    return;
  }
  emit_body(fm, n->items, indent + 2, false, open + 1, close);
  spaces(fm, indent);
  put(fm, "}", 1, close, 0);
}

static void emit_item(fmt *fm, const chg_node *n, unsigned indent, const lay *l) {
  const chg_value *args = chg_node_args(n);
  fm->cont = false;
  fm->groups = 0;
  fm->cont_col = indent + 4;
  switch (n->kind) {
  case CHG_N_USE:
    put(fm, "use", 3, n->span.start, 0);
    sp(fm);
    emit_value(fm, &args[0]);
    return;
  case CHG_N_INCLUDE:
    put(fm, "include", 7, n->span.start, 0);
    sp(fm);
    /* a path takes no escapes (a `\` in it is an error): written as it
     * is, a character that a string would escape stays what it was
     * (fuzz_fmt: tests/regress/fmt_include_path_control_char.chg) */
    if (args[0].kind == CHG_V_STRING)
      put(fm, fm->src + args[0].span.start, args[0].span.end - args[0].span.start,
          args[0].span.start, 0);
    else
      emit_value(fm, &args[0]);
    return;
  case CHG_N_BLOCK:
    emit_block(fm, n, indent, l->oneline);
    return;
  default:
    if (chg_node_expr(n)) emit_expr_attr(fm, n, indent, l);
    else emit_attr(fm, n, indent, l);
    return;
  }
}

/* ---- layout of a body ------------------------------------------------ */

/* Top-level items that may follow each other without a blank line: runs
 * of `use` and `include` lines, and of one-line blocks of one kind
 * (`unit X "Y"`, `programme p "P" { }`). */
static bool may_touch(const chg_node *a, const lay *la, const chg_node *b, const lay *lb) {
  bool da = a->kind == CHG_N_USE || a->kind == CHG_N_INCLUDE;
  bool db = b->kind == CHG_N_USE || b->kind == CHG_N_INCLUDE;
  if (da || db) return da && db;
  bool one_a = a->kind == CHG_N_ATTR || la->oneline, one_b = b->kind == CHG_N_ATTR || lb->oneline;
  return one_a && one_b && a->key == b->key;
}

/* Width of the plain cells of a row as laid out, each with its space. */
static unsigned plain_width(const chg_node *n, const lay *l, const unsigned *nat) {
  unsigned w = 0;
  for (uint32_t i = 0; i < n->nargs; i++) {
    unsigned c = l->cell_w && l->cell_w[i] > nat[i] ? l->cell_w[i] : nat[i];
    w += c + 1;
  }
  return w;
}

typedef struct row {
  unsigned *nat;         /* natural widths of the plain cells */
  unsigned *ent;         /* natural widths of the series entries, commas included */
  unsigned series_w;     /* the series on one line */
} row;

/* Works out, before a body is written, what comes before each item and
 * where its cells go: the runs of attributes, their key column, the
 * tables of same-key cells and of series, and which series must break. */
static void layout_body(fmt *fm, const chg_node **items, size_t n, unsigned indent, bool top,
                        uint32_t open_end, lay *L) {
  chg_arena *A = &fm->ctx->arena;
  row *R = CHG_NEW_ARRAY(A, row, n ? n : 1);
  uint32_t prev_end = open_end;
  for (size_t i = 0; i < n; i++)
    if (items[i]->kind == CHG_N_BLOCK) L[i].oneline = block_oneline(fm, items[i], indent);
  for (size_t i = 0; i < n; i++) {
    const chg_node *it = items[i];
    L[i].mode = i == 0 ? -1 : top && !may_touch(items[i - 1], &L[i - 1], it, &L[i]) ? 1 : 0;
    L[i].blank = i > 0 && gap_blank(fm, prev_end, it->span.start, L[i].mode);
    prev_end = item_end(fm, it);
  }
  for (size_t i = 0; i < n;) {
    if (items[i]->kind != CHG_N_ATTR) {
      i++;
      continue;
    }
    /* a run of attributes, none with a blank line before it */
    size_t j = i + 1;
    while (j < n && items[j]->kind == CHG_N_ATTR && !L[j].blank) j++;
    unsigned key_w = 0;
    for (size_t k = i; k < j; k++)
      if (has_values(items[k])) {
        unsigned w = (unsigned)strlen(items[k]->key);
        if (w > key_w) key_w = w;
      }
    for (size_t k = i; k < j; k++) {
      const chg_node *it = items[k];
      if (!has_values(it)) continue;
      L[k].key_w = key_w;
      if (chg_node_expr(it)) continue;
      row *r = &R[k];
      r->nat = CHG_NEW_ARRAY(A, unsigned, it->nargs + 1);
      r->ent = CHG_NEW_ARRAY(A, unsigned, it->nseries + 1);
      unsigned plain = 0;
      bool multi = false;
      for (uint32_t a = 0; a < it->nargs; a++) {
        r->nat[a] = measure_value(fm, &chg_node_args(it)[a]);
        plain += r->nat[a] + 1;
        bool last = a + 1 == it->nargs && !it->nseries;
        if (value_multiline(fm, &chg_node_args(it)[a]) &&
            !(last && chg_node_args(it)[a].kind == CHG_V_STRING))
          multi = true;
      }
      for (uint32_t s = 0; s < it->nseries; s++) {
        bool comma = s + 1 < it->nseries;
        r->ent[s] = measure_entry(fm, &chg_node_series(it)[s], comma);
        r->series_w += r->ent[s] + (comma ? 1 : 0);
        if (value_multiline(fm, &chg_node_series(it)[s].value) || value_multiline(fm, &chg_node_series(it)[s].key))
          multi = true;
      }
      uint32_t first =
          it->nargs ? chg_node_args(it)[0].span.start : chg_node_series(it)[0].key.span.start;
      bool inner = comments_within(fm, first, it->span.end);
      if (it->nseries) {
        uint32_t s0 = chg_node_series(it)[0].key.span.start;
        L[k].series_ml = multi || comments_within(fm, s0, it->span.end) ||
                         indent + key_w + 1 + plain + r->series_w > CHG_FMT_WIDTH;
      }
      L[k].simple = !multi && !inner && !L[k].series_ml;
    }
    /* consecutive rows with one key line up their plain cells */
    for (size_t k = i; k < j;) {
      if (!L[k].simple) {
        k++;
        continue;
      }
      size_t m = k + 1;
      while (m < j && L[m].simple && items[m]->key == items[k]->key) m++;
      if (m - k > 1) {
        uint32_t cells = 0;
        for (size_t q = k; q < m; q++)
          if (items[q]->nargs > cells) cells = items[q]->nargs;
        unsigned *w = CHG_NEW_ARRAY(A, unsigned, cells + 1);
        for (size_t q = k; q < m; q++)
          for (uint32_t a = 0; a < items[q]->nargs; a++) {
            bool last = a + 1 == items[q]->nargs && !items[q]->nseries;
            if (!last && R[q].nat[a] > w[a]) w[a] = R[q].nat[a];
          }
        for (size_t q = k; q < m; q++) L[q].cell_w = w;
      }
      k = m;
    }
    /* consecutive series line up as a table, if the table fits */
    for (size_t k = i; k < j;) {
      if (!L[k].simple || !items[k]->nseries) {
        k++;
        continue;
      }
      size_t m = k + 1;
      while (m < j && L[m].simple && items[m]->nseries) m++;
      if (m - k > 1) {
        unsigned start = 0;
        uint32_t cols = 0;
        for (size_t q = k; q < m; q++) {
          unsigned s = key_w + 1 + plain_width(items[q], &L[q], R[q].nat);
          if (s > start) start = s;
          if (items[q]->nseries > cols) cols = items[q]->nseries;
        }
        unsigned *w = CHG_NEW_ARRAY(A, unsigned, cols + 1);
        for (size_t q = k; q < m; q++)
          for (uint32_t s = 0; s + 1 < items[q]->nseries; s++)
            if (R[q].ent[s] > w[s]) w[s] = R[q].ent[s];
        bool table = true, column = true;
        for (size_t q = k; q < m; q++) {
          unsigned tw = 0;
          for (uint32_t s = 0; s < items[q]->nseries; s++)
            tw += s + 1 < items[q]->nseries ? w[s] + 1 : R[q].ent[s];
          if (indent + start + tw > CHG_FMT_WIDTH) table = false;
          if (indent + start + R[q].series_w > CHG_FMT_WIDTH) column = false;
        }
        for (size_t q = k; q < m; q++) {
          if (column) L[q].series_col = indent + start;
          if (table && column) L[q].entry_w = w;
        }
      }
      k = m;
    }
    i = j;
  }
}

static void emit_body(fmt *fm, const chg_node *items, unsigned indent, bool top,
                      uint32_t open_end, uint32_t close) {
  size_t n = 0;
  for (const chg_node *c = items; c; c = c->next) n++;
  const chg_node **v = chg_mem_alloc(fm->al, (n ? n : 1) * sizeof *v);
  size_t k = 0;
  for (const chg_node *c = items; c; c = c->next) v[k++] = c;
  lay *L = chg_mem_alloc(fm->al, (n ? n : 1) * sizeof *L);
  memset(L, 0, (n ? n : 1) * sizeof *L);
  layout_body(fm, v, n, indent, top, open_end, L);
  /* a block's body starts after the line of its `{` */
  if (!top) finish_line(fm, n ? v[0]->span.start : close);
  uint32_t prev_end = open_end;
  for (size_t i = 0; i < n && !fm->failed; i++) {
    leading(fm, prev_end, v[i]->span.start, L[i].mode, indent, true);
    /* a long string moves with its item */
    int was = source_indent(fm, v[i]->span.start);
    fm->delta = was < 0 ? 0 : (int)indent - was;
    emit_item(fm, v[i], indent, &L[i]);
    finish_line(fm, i + 1 < n ? v[i + 1]->span.start : close);
    prev_end = item_end(fm, v[i]);
  }
  leading(fm, prev_end, close, n ? 0 : -1, indent, false);
  chg_mem_free(fm->al, v, (n ? n : 1) * sizeof *v);
  chg_mem_free(fm->al, L, (n ? n : 1) * sizeof *L);
}

static size_t indent_at(const char *s, size_t p, size_t len) {
  size_t n = 0;
  while (p + n < len && s[p + n] == ' ') n++;
  return n;
}

/* The trailing comments of consecutive lines indented alike share one
 * column: one space past the longest line of code among them.  A line
 * whose code runs past the width (a long string) stands alone: lined up
 * with it, the short lines' comments would go past the width too. */
static void align_comments(fmt *fm, chg_buf *final) {
  const char *s = fm->out.data;
  size_t len = fm->out.len, m = 0;
  size_t pos = 0;
  while (pos < len) {
    /* a group: consecutive lines, indented alike, each ending in a
     * trailing comment */
    size_t gstart = pos, gm = m;
    unsigned target = 0;
    size_t p = pos, ind = indent_at(s, pos, len);
    while (p < len && m < fm->nmarks) {
      const char *nl = memchr(s + p, '\n', len - p);
      size_t end = nl ? (size_t)(nl - s) : len;
      if (fm->marks[m] < p || fm->marks[m] > end || indent_at(s, p, len) != ind) break;
      unsigned w = width_of(s + p, fm->marks[m] - 1 - p);
      bool wide = w >= CHG_FMT_WIDTH;
      if (p > gstart && (wide || target > CHG_FMT_WIDTH)) break; /* it, or the one before */
      if (w + 1 > target) target = w + 1;
      m++;
      p = end + 1;
    }
    if (p == gstart) {
      /* a line without one */
      const char *nl = memchr(s + pos, '\n', len - pos);
      size_t end = nl ? (size_t)(nl - s) + 1 : len;
      chg_buf_put(fm->al, final, s + pos, end - pos);
      pos = end;
      continue;
    }
    for (size_t q = gstart, k = gm; q < p; k++) {
      const char *nl = memchr(s + q, '\n', len - q);
      size_t end = nl ? (size_t)(nl - s) : len;
      size_t code = fm->marks[k] - 1 - q;
      unsigned w = width_of(s + q, code);
      chg_buf_put(fm->al, final, s + q, code);
      for (unsigned c = w; c < target; c++) chg_buf_putc(fm->al, final, ' ');
      chg_buf_put(fm->al, final, s + fm->marks[k], end - fm->marks[k]);
      if (nl) chg_buf_putc(fm->al, final, '\n');
      q = end + 1;
    }
    pos = p;
  }
}

/* ---- loading and the public entry points ------------------------------ */

static uint32_t parse_text(chg_ctx *ctx, const char *name, const char *text, size_t len) {
  if (len >= CHG_MAX_FILE_SIZE) {
    chg_error(ctx, CHG_E_FILE_TOO_LARGE, (chg_span){0, 0, 0},
              "`%s` is larger than 1 GiB, the most a source may hold", name);
    ctx->io_failed = true;
    return 0;
  }
  /* the scanner wants two NUL bytes past the end */
  char *copy = chg_arena_alloc(&ctx->arena, len + 2);
  if (len) memcpy(copy, text, len);
  chg_file *f = chg_ctx_add_file(ctx, name, NULL, copy, len);
  chg_parse_file(ctx, f);
  return f->id;
}

uint32_t chg_parse_source(chg_ctx *ctx, const char *name, const char *text, size_t len) {
  return parse_text(ctx, name, text, len);
}

uint32_t chg_parse_path(chg_ctx *ctx, const char *path) {
  /* opened without blocking, so that a FIFO is refused, not waited on */
  int fd = open(path, O_RDONLY | O_NONBLOCK);
  FILE *fp = fd >= 0 ? fdopen(fd, "rb") : NULL;
  const char *why = NULL;
  struct stat st;
  if (!fp) {
    why = strerror(errno);
    if (fd >= 0) close(fd);
  } else if (fstat(fileno(fp), &st) != 0) why = strerror(errno);
  else if (S_ISDIR(st.st_mode)) why = "it is a directory";
  else if (!S_ISREG(st.st_mode)) why = "it is not an ordinary file";
  if (why) {
    if (fp) fclose(fp);
    chg_error(ctx, CHG_E_IO, (chg_span){0, 0, 0}, "cannot read `%s`: %s", path, why);
    ctx->io_failed = true;
    return 0;
  }
  chg_buf b = {0};
  bool failed = !chg_buf_read(&ctx->al, &b, fp, CHG_MAX_FILE_SIZE);
  fclose(fp);
  uint32_t id = 0;
  if (failed) {
    chg_error(ctx, CHG_E_IO, (chg_span){0, 0, 0}, "cannot read `%s`: %s", path, strerror(errno));
    ctx->io_failed = true;
  } else {
    id = parse_text(ctx, path, b.data ? b.data : "", b.len);
  }
  chg_buf_release(&ctx->al, &b);
  return id;
}

const char *chg_source_text(const chg_ctx *ctx, uint32_t file, size_t *len) {
  chg_file *f = chg_ctx_file(ctx, file);
  if (!f) return NULL;
  if (len) *len = f->len;
  return chg_file_text(ctx, f);
}

/* A path as a shell takes it as one word: quoted where it holds anything
 * a shell would read otherwise (a space, a quote, `$`). */
static const char *shell_word(chg_arena *arena, const char *path) {
  bool plain = *path != '\0';
  size_t quotes = 0, n = 0;
  for (const char *c = path; *c; c++, n++) {
    plain = plain && ((*c >= 'a' && *c <= 'z') || (*c >= 'A' && *c <= 'Z') ||
                      (*c >= '0' && *c <= '9') || strchr("/._-+,:@%", *c) ||
                      (unsigned char)*c >= 0x80);
    quotes += *c == '\'';
  }
  if (plain) return path;
  char *word = chg_arena_alloc(arena, n + 3 * quotes + 3), *w = word;
  *w++ = '\'';
  for (const char *c = path; *c; c++) {
    if (*c == '\'') { /* closed, an escaped quote, opened again */
      memcpy(w, "'\\''", 4);
      w += 4;
    } else {
      *w++ = *c;
    }
  }
  *w++ = '\'';
  *w = '\0';
  return word;
}

/* Parses the result on its own and compares it with the input. */
static bool same_meaning(chg_ctx *ctx, const chg_file *f, const char *text, size_t len) {
  chg_options o;
  memset(&o, 0, sizeof o);
  o.allocator = &ctx->al;
  chg_ctx *scratch = chg_new(&o);
  if (!scratch) chg_out_of_memory();
  uint32_t id = parse_text(scratch, f->path, text, len);
  const chg_file *g = chg_ctx_file(scratch, id);
  bool same = g && chg_error_count(scratch) == 0 && chg_tree_equal(f->items, g->items) &&
              chg_comments_equal(f, g);
  chg_free(scratch);
  return same;
}

int chg_format(chg_ctx *ctx, uint32_t file, const char **text, size_t *len) {
  chg_file *f = chg_ctx_file(ctx, file);
  if (!f) return -1;
  if (f->ndamage) return 1; /* a file with syntax errors is left alone */
  fmt fm;
  memset(&fm, 0, sizeof fm);
  fm.ctx = ctx;
  fm.al = &ctx->al;
  fm.f = f;
  fm.src = chg_file_text(ctx, f); /* and f->text from here on */
  fm.comments = f->comments;
  fm.nc = f->ncomments;
  chg_buf_put(fm.al, &fm.out, "", 0);
  fm.blank = true;
  emit_body(&fm, f->items, 0, true, 0, (uint32_t)f->len);
  chg_buf final = {0};
  chg_buf_put(fm.al, &final, "", 0);
  if (!fm.failed) align_comments(&fm, &final);
  bool ok = !fm.failed && fm.ci == fm.nc && same_meaning(ctx, f, final.data, final.len);
  if (ok) {
    *text = chg_arena_strndup(&ctx->arena, final.data, final.len);
    *len = final.len;
  } else {
    /* what would have been written, to see what went wrong */
    if (getenv("CHG_DEBUG_FMT")) {
      fprintf(stderr, "[fmt: failed %d, comments placed %zu of %zu]\n", fm.failed, fm.ci, fm.nc);
      if (fm.failed) fwrite(fm.out.data, 1, fm.out.len, stderr);
      else fwrite(final.data, 1, final.len, stderr);
    }
    chg_error(ctx, CHG_E_FORMAT, (chg_span){f->id, 0, 0},
              "cannot format this file without changing what it says; it is left as "
              "it is (this is a bug in chg fmt: please report it with the file)");
  }
  chg_buf_release(fm.al, &final);
  chg_buf_release(fm.al, &fm.out);
  chg_mem_free(fm.al, fm.marks, fm.marks_cap * sizeof *fm.marks);
  return ok ? 0 : -1;
}

int chg_format_file(chg_ctx *ctx, uint32_t file, FILE *out) {
  const char *text;
  size_t len;
  int rc = chg_format(ctx, file, &text, &len);
  if (rc != 0) return rc;
  if (fwrite(text, 1, len, out) != len) return -1;
  return 0;
}

void chg_format_report(chg_ctx *ctx, uint32_t file, const char *text, size_t len) {
  chg_file *f = chg_ctx_file(ctx, file);
  if (!f || (len == f->len && memcmp(text, chg_file_text(ctx, f), len) == 0)) return;
  /* point at the first line that would change */
  size_t i = 0, line_start = 0, line = 1;
  while (i < len && i < f->len && text[i] == f->text[i]) {
    if (text[i] == '\n') {
      line_start = i + 1;
      line++;
    }
    i++;
  }
  size_t end = line_start;
  while (end < f->len && f->text[end] != '\n') end++;
  const char *fix = strcmp(f->path, "<stdin>") == 0
                        ? "`chg fmt -` writes it laid out" /* -w cannot rewrite stdin */
                        : chg_arena_printf(&ctx->arena, "run `chg fmt -w %s%s`",
                                           f->path[0] == '-' ? "-- " : "",
                                           shell_word(&ctx->arena, f->path));
  /* a Windows checkout changes every line, and a byte-order mark the
   * first: said, or the message gives no cause */
  bool bom = f->len >= 3 && memcmp(f->text, "\xEF\xBB\xBF", 3) == 0;
  const char *cr = memchr(f->text, '\r', f->len);
  bool crlf = cr && (size_t)(cr - f->text) + 1 < f->len && cr[1] == '\n';
  const char *why = bom && crlf ? "; it starts with a byte-order mark and ends its lines with "
                                  "CRLF, and chg fmt writes UTF-8 without one and LF"
                    : bom       ? "; it starts with a byte-order mark, which chg fmt leaves out"
                    : crlf      ? "; its lines end with CRLF, and chg fmt writes LF"
                                : "";
  chg_error(ctx, CHG_E_NOT_FORMATTED, (chg_span){f->id, (uint32_t)line_start, (uint32_t)end},
            "not laid out as `chg fmt` would lay it out, from line %zu on (%s)%s", line, fix, why);
}

int chg_format_check(chg_ctx *ctx, uint32_t file, int report) {
  const char *text;
  size_t len;
  if (chg_format(ctx, file, &text, &len) != 0) return -1;
  chg_file *f = chg_ctx_file(ctx, file);
  if (len == f->len && memcmp(text, f->text, len) == 0) return 0;
  if (report) chg_format_report(ctx, file, text, len);
  return 1;
}
