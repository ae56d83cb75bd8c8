/*
 * parse.c -- runs the scanner and parser over one file: checks the
 * encoding first, then parses, keeping comments for the formatter.
 */
#include <stdlib.h>
#include <string.h>

#include "parse.h"
#include "chg.tab.h"

typedef void *yyscan_t;
int chgscanlex_init_extra(chg_parser *extra, yyscan_t *scanner);
int chgscanlex_destroy(yyscan_t scanner);
void *chgscan_scan_buffer(char *base, size_t size, yyscan_t scanner);

/* Reports each NUL byte and invalid UTF-8 sequence, at most one per line
 * and a few per file: a binary file should not bury everything else. */
static void check_encoding(struct chg_ctx *ctx, chg_file *f) {
  const unsigned char *s = (const unsigned char *)f->text;
  unsigned reported = 0;
  size_t last_line_reported = (size_t)-1, line = 0;
  for (size_t i = 0; i < f->len;) {
    /* eight bytes at a time while they are plain ASCII without NUL or
     * newline: almost all of a portfolio */
    while (i + 8 <= f->len) {
      uint64_t w;
      memcpy(&w, s + i, 8);
      const uint64_t ones = 0x0101010101010101ull, highs = 0x8080808080808080ull;
      uint64_t nl = w ^ (ones * '\n');
      if ((w & highs) || ((w - ones) & ~w & highs) || ((nl - ones) & ~nl & highs)) break;
      i += 8;
    }
    if (i >= f->len) break;
    unsigned char c = s[i];
    if (c == '\n') {
      line++;
      i++;
      continue;
    }
    if (c != 0 && c < 0x80) {
      i++;
      continue;
    }
    size_t n = c ? chg_utf8_sequence(s + i, f->len - i) : 0;
    if (n) {
      i += n;
      continue;
    }
    if (line != last_line_reported && reported < 20) {
      chg_span span = {f->id, (uint32_t)i, (uint32_t)i + 1};
      if (c == 0)
        chg_error(ctx, CHG_E_NUL_BYTE, span, "NUL byte in source file");
      else if (c == 0xA3)
        chg_error(ctx, CHG_E_BAD_UTF8, span,
                  "invalid UTF-8 (byte 0xA3, a `£` saved as Latin-1): save the file as UTF-8");
      else
        chg_error(ctx, CHG_E_BAD_UTF8, span,
                  "invalid UTF-8 (byte 0x%02X): sources must be UTF-8 text", c);
      reported++;
      last_line_reported = line;
    }
    i++;
  }
}

/* ---- a missing `}`, found by indentation --------------------------------- */

/* The column of an offset, counting bytes from the start of its line. */
static uint32_t column_of(const char *text, uint32_t offset) {
  uint32_t start = offset;
  while (start > 0 && text[start - 1] != '\n') start--;
  return offset - start;
}

static bool on_later_line(const char *text, uint32_t from, uint32_t to) {
  return to > from && memchr(text + from, '\n', to - from) != NULL;
}

/* Marks every block written inside another but indented no deeper than it
 * (where the `}` that was never written belonged), and keeps the first, in
 * source order, with the block it fell into. */
static void mark_misindented(const char *text, chg_node *items, chg_node **outer,
                             chg_node **first) {
  for (chg_node *b = items; b; b = b->next) {
    if (b->kind != CHG_N_BLOCK || !b->full) continue;
    uint32_t col = column_of(text, b->span.start);
    for (chg_node *c = b->items; c; c = c->next) {
      if (c->kind != CHG_N_BLOCK || !c->full || !on_later_line(text, b->span.start, c->span.start) ||
          column_of(text, c->span.start) > col)
        continue;
      c->misindented = true;
      if (!*first) {
        *outer = b;
        *first = c;
      }
    }
    mark_misindented(text, b->items, outer, first);
  }
}

/* A block left open at the end of a file swallows every block after it,
 * which then stand where they may not: the indentation usually shows
 * which block lost its `}`.  Said once, as a note to the end-of-file error;
 * the checker leaves out the misplacements of the blocks marked here. */
static void explain_unclosed(chg_parser *p) {
  chg_file *f = p->file;
  chg_node *outer = NULL, *inner = NULL;
  mark_misindented(f->text, f->items, &outer, &inner);
  if (!inner) return;
  unsigned line = chg_line_at(f->text, outer->span.start);
  /* ids are read from the head by the checker; here it is the first value */
  const char *id = outer->nargs && outer->args[0].kind == CHG_V_NAME
                       ? chg_path_name(&outer->args[0], 0) : NULL;
  if (id)
    chg_note(p->ctx, chg_key_span(inner),
             "the `}` missing may be the one of %s `%s` (line %u): this %s is indented as "
             "if it came after it, not inside it", outer->key, id, line, inner->key);
  else
    chg_note(p->ctx, chg_key_span(inner),
             "the `}` missing may be the one of the %s at line %u: this %s is indented as "
             "if it came after it, not inside it", outer->key, line, inner->key);
}

unsigned chg_line_at(const char *text, uint32_t offset) {
  unsigned line = 1;
  for (const char *p = text, *end = text + offset; (p = memchr(p, '\n', (size_t)(end - p))); p++)
    line++;
  return line;
}

static int compare_offsets(const void *a, const void *b) {
  uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
  return x < y ? -1 : x > y;
}

void chg_parse_comment(chg_parser *p, chg_loc loc) {
  chg_file *f = p->file;
  if (f->ncomments == f->comments_cap) {
    size_t cap = f->comments_cap ? f->comments_cap * 2 : 16;
    chg_span *c = CHG_NEW_ARRAY(&p->ctx->arena, chg_span, cap);
    if (f->ncomments) memcpy(c, f->comments, f->ncomments * sizeof *c);
    f->comments = c;
    f->comments_cap = cap;
  }
  f->comments[f->ncomments++] = (chg_span){f->id, loc.start, loc.end};
}

void chg_parse_file(struct chg_ctx *ctx, chg_file *file) {
  chg_file *outer = ctx->parsing;
  ctx->parsing = file;
  check_encoding(ctx, file);
  chg_parser p;
  memset(&p, 0, sizeof p);
  p.ctx = ctx;
  p.file = file;
  p.last_token = -1;
  p.pending = -1;
  yyscan_t scanner;
  if (chgscanlex_init_extra(&p, &scanner)) chg_out_of_memory();
  p.scanner = scanner;
  /* the text carries two NUL bytes past its end, as flex wants */
  chgscan_scan_buffer(file->text, file->len + 2, scanner);
  chg_yyparse(&p);
  if (p.held_at < file->len) file->text[p.held_at] = p.held_char;
  if (p.unclosed_at_end) explain_unclosed(&p);
  chgscanlex_destroy(scanner);
  ctx->parsing = outer;
  /* the encoding is checked before scanning, so sort what was marked */
  if (file->ndamage > 1)
    qsort(file->damage, file->ndamage, sizeof *file->damage, compare_offsets);
  chg_mem_free(&ctx->al, p.open, p.open_cap * sizeof *p.open);
  chg_mem_free(&ctx->al, p.values, p.values_cap * sizeof *p.values);
  chg_mem_free(&ctx->al, p.pairs, p.pairs_cap * sizeof *p.pairs);
  chg_mem_free(&ctx->al, p.parts, p.parts_cap * sizeof *p.parts);
}

const char *chg_op_text(chg_eop op) {
  switch (op) {
  case CHG_X_ADD: return "+";
  case CHG_X_SUB: return "-";
  case CHG_X_MUL: return "*";
  case CHG_X_DIV: return "/";
  case CHG_X_EQ: return "==";
  case CHG_X_NE: return "!=";
  case CHG_X_LT: return "<";
  case CHG_X_LE: return "<=";
  case CHG_X_GT: return ">";
  case CHG_X_GE: return ">=";
  case CHG_X_AND: return "and";
  case CHG_X_OR: return "or";
  case CHG_X_IN: return "in";
  case CHG_X_WHERE: return "where";
  default: return NULL;
  }
}
