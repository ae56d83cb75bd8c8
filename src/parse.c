/*
 * parse.c -- runs the scanner and parser over one file: checks the
 * encoding, then parses, keeping comments for the formatter.  A large
 * file is read as it is scanned, its encoding checked and its lines
 * indexed piece by piece, so that it is never in memory whole.
 */
#define _POSIX_C_SOURCE 200809L /* pread, fileno */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "parse.h"
#include "chg.tab.h"

typedef void *yyscan_t;
int chgscanlex_init_extra(chg_parser *extra, yyscan_t *scanner);
int chgscanlex_destroy(yyscan_t scanner);
void *chgscan_scan_buffer(char *base, size_t size, yyscan_t scanner);

/* Reports each NUL byte and invalid UTF-8 sequence, at most one per line
 * and a few per file: a binary file should not bury everything else.
 * Called on the whole text, or on a large file piece by piece, each piece
 * ending between two characters (the last piece: anywhere). */
static void check_encoding(chg_parser *p, const unsigned char *s, size_t len, uint32_t base) {
  for (size_t i = 0; i < len;) {
    /* eight bytes at a time while they are plain ASCII without NUL or
     * newline: almost all of a portfolio */
    while (i + 8 <= len) {
      uint64_t w;
      memcpy(&w, s + i, 8);
      const uint64_t ones = 0x0101010101010101ull, highs = 0x8080808080808080ull;
      uint64_t nl = w ^ (ones * '\n');
      if ((w & highs) || ((w - ones) & ~w & highs) || ((nl - ones) & ~nl & highs)) break;
      i += 8;
    }
    if (i >= len) break;
    unsigned char c = s[i];
    if (c == '\n') {
      p->encoding_line++;
      i++;
      continue;
    }
    if (c != 0 && c < 0x80) {
      i++;
      continue;
    }
    size_t n = c ? chg_utf8_sequence(s + i, len - i) : 0;
    if (n) {
      i += n;
      continue;
    }
    if (p->encoding_reported < 20 &&
        (!p->encoding_reported || p->encoding_line != p->encoding_reported_line)) {
      chg_span span = {p->file->id, base + (uint32_t)i, base + (uint32_t)i + 1};
      if (c == 0)
        chg_error(p->ctx, CHG_E_NUL_BYTE, span, "NUL byte in source file");
      else if (c == 0xA3)
        chg_error(p->ctx, CHG_E_BAD_UTF8, span,
                  "invalid UTF-8 (byte 0xA3, a `£` saved as Latin-1): save the file as UTF-8");
      else
        chg_error(p->ctx, CHG_E_BAD_UTF8, span,
                  "invalid UTF-8 (byte 0x%02X): sources must be UTF-8 text", c);
      p->encoding_reported++;
      p->encoding_reported_line = p->encoding_line;
    }
    i++;
  }
}

static size_t line_in_index(chg_file *f, uint32_t offset);

/* ---- a large file, read as it is scanned ------------------------------------ */

/* Where a piece of text may end without cutting a character in two: before
 * a lead byte whose sequence runs past the end. */
static size_t whole_characters(const unsigned char *s, size_t n) {
  for (size_t back = 1; back <= 3 && back <= n; back++) {
    unsigned char c = s[n - back];
    if ((c & 0xC0) == 0x80) continue; /* a continuation byte: look further back */
    size_t need = c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : c >= 0xC0 ? 2 : 1;
    return need > back ? n - back : n;
  }
  return n;
}

static void index_lines(chg_parser *p, const char *s, size_t n, uint32_t base) {
  chg_lines *lines = &p->file->lines;
  for (const char *q = s, *end = s + n; (q = memchr(q, '\n', (size_t)(end - q))); q++)
    chg_lines_add(lines, &p->ctx->al, base + (uint32_t)(q - s) + 1);
}

/* Fills the stage with the next piece of the file: the encoding checked and
 * the lines indexed as the bytes go by, up to the last whole character
 * (the rest waits for the bytes that complete it). */
static void refill_stage(chg_parser *p) {
  size_t kept = p->stage_len - p->stage_ready;
  memmove(p->stage, p->stage + p->stage_ready, kept);
  /* a file that grows while it is read stops at the most a file may hold,
   * where offsets would no longer fit */
  size_t room = p->stage_cap - kept, left = CHG_MAX_FILE_SIZE - p->read_offset - kept;
  if (room > left) room = left;
  size_t got = fread(p->stage + kept, 1, room, p->file->stream);
  p->stage_len = kept + got;
  if (got < room || room == 0) {
    if (ferror(p->file->stream) && !p->read_failed) {
      p->read_failed = true;
      p->ctx->io_failed = true;
      chg_error(p->ctx, CHG_E_IO, (chg_span){p->file->id, p->read_offset, p->read_offset},
                "cannot read `%s` past here: %s", p->file->path, strerror(errno));
    }
    p->at_end = true;
  }
  size_t ready = p->at_end ? p->stage_len
                           : whole_characters((const unsigned char *)p->stage, p->stage_len);
  check_encoding(p, (const unsigned char *)p->stage, ready, p->read_offset);
  index_lines(p, p->stage, ready, p->read_offset);
  p->read_offset += (uint32_t)ready;
  p->stage_ready = ready;
  p->stage_pos = 0;
}

size_t chg_parse_read(chg_parser *p, char *buf, size_t max) {
  /* as much as is asked for: flex scans a token cut by the end of its
   * buffer again from its start, so a 10 MB string read a piece at a time
   * would be scanned hundreds of times over */
  size_t n = 0;
  while (n < max) {
    if (p->stage_pos == p->stage_ready) {
      if (p->at_end) break;
      refill_stage(p); /* with room for a whole character, always gets on */
      continue;
    }
    size_t k = p->stage_ready - p->stage_pos;
    if (k > max - n) k = max - n;
    memcpy(buf + n, p->stage + p->stage_pos, k);
    p->stage_pos += k;
    n += k;
  }
  return n;
}

static void start_stream(chg_parser *p) {
  chg_file *f = p->file;
  /* room for the longest character and the byte after it */
  p->stage_cap = p->ctx->stream_chunk > 5 ? p->ctx->stream_chunk : 5;
  p->stage = chg_mem_alloc(&p->ctx->al, p->stage_cap);
  chg_lines_init(&f->lines, &p->ctx->al);
}

static void finish_stream(chg_parser *p) {
  chg_file *f = p->file;
  /* what the scanner did not ask for (it stopped early) is still read, so
   * that the line index covers the file */
  while (!p->at_end) refill_stage(p);
  chg_mem_free(&p->ctx->al, p->stage, p->stage_cap);
  chg_lines_trim(&f->lines, &p->ctx->al);
  f->len = p->read_offset;
}

/* Up to `size` - 1 bytes of the source from `start`, NUL-terminated, for a
 * message quoting what was written. */
size_t chg_parse_quote(chg_parser *p, uint32_t start, uint32_t end, char *buf, size_t size) {
  chg_file *f = p->file;
  size_t n = end > start ? end - start : 0;
  if (n > size - 1) n = size - 1;
  if (f->stream) {
    ssize_t got = pread(fileno(f->stream), buf, n, (off_t)start);
    n = got > 0 ? (size_t)got : 0;
  } else {
    if (start > f->len) start = (uint32_t)f->len;
    if (n > f->len - start) n = f->len - start;
    memcpy(buf, f->text + start, n);
  }
  buf[n] = '\0';
  return n;
}

/* The line (from 1) an offset is on, while the file is being parsed. */
unsigned chg_parse_line(chg_parser *p, uint32_t offset) {
  chg_file *f = p->file;
  return f->stream ? (unsigned)line_in_index(f, offset) + 1 : chg_line_at(f->text, offset);
}

/* ---- a missing `}`, found by indentation --------------------------------- */

/* The line (from 0) an offset is on, in a file whose lines are indexed. */
static size_t line_in_index(chg_file *f, uint32_t offset) {
  return chg_lines_find(&f->lines, offset);
}

/* The column of an offset, counting bytes from the start of its line. */
static uint32_t column_of(chg_file *f, uint32_t offset) {
  return offset - chg_lines_start(&f->lines, line_in_index(f, offset));
}

/* Marks every block written inside another but indented no deeper than it
 * (where the `}` that was never written belonged), and keeps the first, in
 * source order, with the block it fell into. */
static void mark_misindented(chg_file *f, chg_node *items, chg_node **outer,
                             chg_node **first) {
  for (chg_node *b = items; b; b = b->next) {
    if (b->kind != CHG_N_BLOCK || !b->full) continue;
    size_t line = line_in_index(f, b->span.start);
    uint32_t col = column_of(f, b->span.start);
    for (chg_node *c = b->items; c; c = c->next) {
      if (c->kind != CHG_N_BLOCK || !c->full || line_in_index(f, c->span.start) <= line ||
          column_of(f, c->span.start) > col)
        continue;
      c->misindented = true;
      if (!*first) {
        *outer = b;
        *first = c;
      }
    }
    mark_misindented(f, b->items, outer, first);
  }
}

/* A block left open at the end of a file swallows every block after it,
 * which then stand where they may not: the indentation usually shows
 * which block lost its `}`.  Said once, as a note to the end-of-file error;
 * the checker leaves out the misplacements of the blocks marked here. */
static void explain_unclosed(chg_parser *p) {
  chg_file *f = p->file;
  chg_file_index_lines(p->ctx, f);
  chg_node *outer = NULL, *inner = NULL;
  mark_misindented(f, f->items, &outer, &inner);
  if (!inner) return;
  unsigned line = (unsigned)line_in_index(f, outer->span.start) + 1;
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
  chg_parser p;
  memset(&p, 0, sizeof p);
  p.ctx = ctx;
  p.file = file;
  p.last_token = -1;
  p.pending = -1;
  yyscan_t scanner;
  if (chgscanlex_init_extra(&p, &scanner)) chg_out_of_memory();
  p.scanner = scanner;
  if (file->stream) {
    start_stream(&p); /* the scanner asks for the text through chg_parse_read */
  } else {
    check_encoding(&p, (const unsigned char *)file->text, file->len, 0);
    /* the text carries two NUL bytes past its end, as flex wants */
    chgscan_scan_buffer(file->text, file->len + 2, scanner);
  }
  chg_yyparse(&p);
  if (file->stream) finish_stream(&p);
  else if (p.held_at < file->len) file->text[p.held_at] = p.held_char;
  chgscanlex_destroy(scanner);
  if (p.unclosed_at_end) explain_unclosed(&p);
  ctx->parsing = outer;
  /* the encoding is checked before scanning, so sort what was marked */
  if (file->ndamage > 1)
    qsort(file->damage, file->ndamage, sizeof *file->damage, compare_offsets);
  chg_mem_free(&ctx->al, p.open, p.open_cap * sizeof *p.open);
  chg_mem_free(&ctx->al, p.values, p.values_cap * sizeof *p.values);
  chg_mem_free(&ctx->al, p.pairs, p.pairs_cap * sizeof *p.pairs);
  chg_mem_free(&ctx->al, p.parts, p.parts_cap * sizeof *p.parts);
  chg_buf_release(&ctx->al, &p.long_text);
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
