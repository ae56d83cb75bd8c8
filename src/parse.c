/*
 * parse.c -- runs the scanner and parser over one file: checks the
 * encoding, then parses, keeping comments for the formatter.  A large
 * file is read as it is scanned, its encoding checked and its lines
 * indexed piece by piece, so that it is never in memory whole; it is also
 * cut in pieces parsed side by side, one a processor.
 */
#define _GNU_SOURCE /* pread, fileno */
#include <ctype.h>
#include <errno.h>
#ifdef __GLIBC__
#include <malloc.h>
#endif
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "parse.h"
#include "schema.h"
#include "chg.tab.h"

typedef void *yyscan_t;
int chgscanlex_init_extra(chg_parser *extra, yyscan_t *scanner);
int chgscanlex_destroy(yyscan_t scanner);
void *chgscan_scan_buffer(char *base, size_t size, yyscan_t scanner);

#define ONES UINT64_C(0x0101010101010101)
#define HIGHS UINT64_C(0x8080808080808080)
/* The high bit of each byte of w that is zero, and of no other (of a word
 * of ASCII: the usual test's borrow marks a 0x01 after a zero too). */
static inline uint64_t zero_bytes(uint64_t w) {
  uint64_t low7 = ~HIGHS;
  return ~(((w & low7) + low7) | w | low7);
}

/* Notes each NUL byte and invalid UTF-8 sequence, the first one on each
 * line, and says the first: a file saved as Latin-1 is one mistake, not
 * one for every `£`.  Called on the whole text, or on a large
 * file piece by piece, each piece ending between two characters (the last
 * piece: anywhere).  With `lines`, it indexes the lines on the way (as
 * chg_lines_scan would, in the same pass over the bytes: a second pass
 * was 3% of check's instructions on a large file). */
static void check_encoding(chg_parser *p, const unsigned char *s, size_t len, uint32_t base,
                           chg_lines *lines) {
  const chg_allocator *al = &p->ctx->al;
  for (size_t i = 0; i < len;) {
    /* eight bytes at a time while they are plain ASCII without NUL:
     * almost all of a portfolio; its newlines are found in the word */
    while (i + 8 <= len) {
      uint64_t w;
      memcpy(&w, s + i, 8);
      if ((w & HIGHS) || zero_bytes(w)) break;
      uint64_t newlines = zero_bytes(w ^ (ONES * '\n'));
      if (newlines) {
        /* counted by one multiply: each newline's mark moved to its
         * byte's lowest bit, and the bytes summed into the top one (a
         * call to libgcc's popcount, without -mpopcnt, cost more) */
        p->encoding_line += (unsigned)(((newlines >> 7) * ONES) >> 56);
        for (; lines && newlines; newlines &= newlines - 1)
          chg_lines_add(lines, al, base + (uint32_t)(i + (size_t)__builtin_ctzll(newlines) / 8 + 1));
      }
      i += 8;
    }
    if (i >= len) break;
    unsigned char c = s[i];
    if (c == '\n') {
      p->encoding_line++;
      i++;
      if (lines) chg_lines_add(lines, al, base + (uint32_t)i);
      continue;
    }
    if (c != 0 && c < 0x80) {
      i++;
      continue;
    }
    if (lines && c >= 0x80 && !chg_lines_wide(lines, lines->count - 1))
      chg_lines_mark_wide(lines, al, lines->count - 1);
    size_t n = c ? chg_utf8_sequence(s + i, len - i) : 0;
    if (n) {
      i += n;
      continue;
    }
    bool first_of_its_kind = c == 0 ? !p->nul_said : !p->utf8_said;
    if (first_of_its_kind || !p->encoding_reported ||
        p->encoding_line != p->encoding_reported_line) {
      chg_span span = {p->file->id, base + (uint32_t)i, base + (uint32_t)i + 1};
      /* each said once, at its first: one mistake, made throughout (the
       * other is another, and said too) */
      if (c == 0 && !p->nul_said) {
        p->nul_said = true;
        chg_error(p->ctx, CHG_E_NUL_BYTE, span, "NUL byte in source file (said once for the file)");
      } else if (c != 0 && !p->utf8_said) {
        p->utf8_said = true;
        /* what Word and Excel write in Windows-1252: said as what it was */
        const char *cp1252 = c == 0x91 || c == 0x92 ? "a curly apostrophe `’`"
                             : c == 0x93 || c == 0x94 ? "a curly quote `“`"
                             : c == 0x96 || c == 0x97 ? "a dash `–`"
                             : c == 0x85 ? "an ellipsis `…`"
                             : c == 0x80 ? "a `€`"
                                         : NULL;
        if (c == 0xA3)
          chg_error(p->ctx, CHG_E_BAD_UTF8, span,
                    "invalid UTF-8 (byte 0xA3, a `£` saved as Latin-1): save the file as UTF-8 "
                    "(said once for the file)");
        else if (cp1252)
          chg_error(p->ctx, CHG_E_BAD_UTF8, span,
                    "invalid UTF-8 (byte 0x%02X, %s saved as Windows-1252): save the file as "
                    "UTF-8 (said once for the file)", c, cp1252);
        else
          chg_error(p->ctx, CHG_E_BAD_UTF8, span,
                    "invalid UTF-8 (byte 0x%02X): sources must be UTF-8 text (said once for the file)", c);
      }
      chg_mark_damage(p->ctx, span); /* later checks stay quiet about the line */
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

/* Fills the stage with the next piece of the file: the encoding checked and
 * the lines indexed as the bytes go by, up to the last whole character
 * (the rest waits for the bytes that complete it). */
static void refill_stage(chg_parser *p) {
  size_t kept = p->stage_len - p->stage_ready;
  memmove(p->stage, p->stage + p->stage_ready, kept);
  chg_piece_bounds *b = p->bounds;
  if (b) {
    pthread_mutex_lock(&b->lock);
    p->read_limit = b->limit;
  }
  /* a file that grows while it is read stops at the most a file may hold,
   * where offsets would no longer fit */
  size_t end = p->read_limit ? p->read_limit : CHG_MAX_FILE_SIZE;
  size_t room = p->stage_cap - kept, left = end - p->read_offset - kept;
  if (room > left) room = left;
  if (b) {
    /* what is read now stays this piece's, wherever its end moves */
    uint32_t to = p->read_offset + (uint32_t)(kept + room);
    if (to > b->claimed) b->claimed = to;
    pthread_mutex_unlock(&b->lock);
  }
  size_t got;
  bool failed;
  if (p->read_fd >= 0) {
    ssize_t n = 0;
    for (got = 0; got < room; got += (size_t)n) {
      n = pread(p->read_fd, p->stage + kept + got, room - got, (off_t)(p->read_offset + kept + got));
      if (n < 0 && errno == EINTR) n = 0;
      else if (n <= 0) break;
    }
    failed = n < 0;
  } else {
    got = fread(p->stage + kept, 1, room, p->file->stream);
    failed = ferror(p->file->stream);
  }
  p->stage_len = kept + got;
  if (got < room || room == 0) {
    if (failed && !p->read_failed) {
      p->read_failed = true;
      p->ctx->io_failed = true;
      chg_error(p->ctx, CHG_E_IO, (chg_span){p->file->id, p->read_offset, p->read_offset},
                "cannot read `%s` past here: %s", p->file->path, strerror(errno));
    }
    p->at_end = true;
  }
  size_t ready = p->at_end ? p->stage_len
                           : whole_characters((const unsigned char *)p->stage, p->stage_len);
  check_encoding(p, (const unsigned char *)p->stage, ready, p->read_offset, &p->file->lines);
  p->read_offset += (uint32_t)ready;
  p->stage_ready = ready;
  p->stage_pos = 0;
}

/* The scanner is given no NUL byte: it takes one for the end of its
 * buffer, and scans the token it is in again from its start to learn
 * otherwise, so that a line of 800 KB with a NUL every 50 bytes took 17 s.
 * A NUL (said already, with the rest of the encoding) is given as 0xFF,
 * a byte never in UTF-8, which the scanner passes over as it did a NUL:
 * inside a comment or a string a byte like any other, elsewhere nothing. */
static void hide_nuls(char *text, size_t n) {
  for (char *z = memchr(text, '\0', n); z; z = memchr(z + 1, '\0', n - (size_t)(z + 1 - text)))
    *z = (char)0xFF;
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
    hide_nuls(buf + n, k);
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
  /* a stretch after the first goes on with the index made so far */
  if (!f->lines.mark) chg_lines_init_at(&f->lines, &p->ctx->al, p->read_offset);
}

static void finish_stream(chg_parser *p) {
  /* what the scanner did not ask for (it stopped early) is still read, so
   * that the line index covers the file */
  while (!p->at_end) refill_stage(p);
  chg_mem_free(&p->ctx->al, p->stage, p->stage_cap);
}

/* Up to size - 1 bytes of a file's text from `start`, NUL-terminated. */
static size_t read_text(chg_file *f, uint32_t start, char *buf, size_t size) {
  size_t n = 0;
  if (f->stream) {
    ssize_t got = pread(fileno(f->stream), buf, size - 1, (off_t)start);
    n = got > 0 ? (size_t)got : 0;
  } else if (start < f->len) {
    n = f->len - start < size - 1 ? f->len - start : size - 1;
    memcpy(buf, f->text + start, n);
  }
  buf[n] = '\0';
  return n;
}

/* Up to `size` - 1 bytes of the source from `start` to `end`, NUL-terminated,
 * for a message quoting what was written. */
size_t chg_parse_quote(chg_parser *p, uint32_t start, uint32_t end, char *buf, size_t size) {
  size_t n = end > start ? end - start : 0;
  return read_text(p->file, start, buf, (n < size - 1 ? n : size - 1) + 1);
}

/* Into `n` bytes of the text read from `from`, the byte flex holds aside
 * where it wrote its NUL in the file's own text (none before its first
 * token, and none in a copy or a stream, which are not read here). */
static void put_back_held(const chg_parser *p, uint32_t from, char *buf, size_t n) {
  if (p->in_place && p->held_char && p->held_at >= from && p->held_at < from + n)
    buf[p->held_at - from] = p->held_char;
}

/* As chg_parse_quote, with the byte the scanner holds back put back. */
size_t chg_parse_text(chg_parser *p, uint32_t start, uint32_t end, char *buf, size_t size) {
  size_t n = chg_parse_quote(p, start, end, buf, size);
  put_back_held(p, start, buf, n);
  return n;
}

bool chg_parse_unquoted_text(chg_parser *p, uint32_t at) {
  if (p->in_expr || at == 0) return false;
  char line[400];
  uint32_t from = at > sizeof line - 1 ? at - (uint32_t)(sizeof line - 1) : 0;
  size_t n = chg_parse_text(p, from, at, line, sizeof line);
  if (n != at - from) return false; /* not all of it at hand */
  size_t k = n;
  while (k > 0 && line[k - 1] != '\n') k--;
  if (k == 0 && from > 0) return false; /* a line too long to judge */
  /* the item `at` is in starts the line, or follows a `{` or `;` on it
   * (`risk r1 "R" { owner Director-General of Finance; impact 3 }`) */
  bool quoted = false;
  for (size_t i = k; i < n; i++) {
    if (line[i] == '"') quoted = !quoted;
    else if (quoted && line[i] == '\\') i++;
    else if (!quoted && (line[i] == '{' || line[i] == ';')) k = i + 1;
  }
  if (quoted) return false; /* `at` is inside a string */
  uint32_t line_start = from + (uint32_t)k;
  if (p->unquoted_line_said && p->unquoted_line == line_start) return true; /* said */
  while (k < n && (line[k] == ' ' || line[k] == '\t')) k++;
  size_t key0 = k;
  while (k < n && (isalnum((unsigned char)line[k]) || line[k] == '_')) k++;
  if (k == key0 || k - key0 >= 64 || k >= n || (line[k] != ' ' && line[k] != '\t')) return false;
  char key[64];
  memcpy(key, line + key0, k - key0);
  key[k - key0] = '\0';
  /* inside a block, `unit X` is the attribute, not a block's head */
  bool head = chg_schema_find_kind(key) != NULL && !(p->nopen > 0 && chg_schema_is_attribute(key));
  /* the values before the text: a block's id; a status's criterion and
   * level (`status overall amber Some slippage`) */
  int before = head ? 1 : chg_schema_key_text_at(key);
  if (before < 0) return false;
  while (k < n && (line[k] == ' ' || line[k] == '\t')) k++;
  size_t id0 = k, id1 = k; /* what stands before the text, as written */
  for (int v = 0; v < before; v++) {
    if (k < n && line[k] == '"') { /* a string: to its closing quote */
      k++;
      while (k < n && line[k] != '"') k += line[k] == '\\' ? 2 : 1;
      if (k >= n) return false;
      k++;
    } else {
      size_t w = k;
      while (k < n && line[k] != ' ' && line[k] != '\t' && line[k] != '"') k++;
      if (k == w || strchr("{};#", line[w])) return false;
      for (size_t c = w; head && c < k; c++) /* a block's id is a name */
        if (!isalnum((unsigned char)line[c]) && line[c] != '_') return false;
    }
    id1 = k;
    if (k >= n || (line[k] != ' ' && line[k] != '\t')) return false;
    while (k < n && (line[k] == ' ' || line[k] == '\t')) k++;
  }
  /* the text runs from here to the line's end, a `;`, a `{` or a `}` */
  if (k >= n || line[k] == '"' || !(isalpha((unsigned char)line[k]) || line[k] & 0x80)) return false;
  size_t text0 = k;
  for (size_t i = text0; i < n; i++)
    if (strchr(";{}\"#", line[i])) return false; /* not text that ran on to `at` */
  char rest[300];
  size_t m = chg_parse_text(p, at, at + (uint32_t)sizeof rest - 1, rest, sizeof rest), e = 0;
  while (e < m && !strchr("\n\r;{}#\"", rest[e])) e++;
  if (e < m && rest[e] == '"') return false; /* a lost opening quote: said by the scanner */
  while (e > 0 && (rest[e - 1] == ' ' || rest[e - 1] == '\t')) e--;
  chg_span span = {p->file->id, from + (uint32_t)text0, at + (uint32_t)e};
  if (head)
    chg_error(p->ctx, CHG_E_BAD_HEAD, span,
              "a title is written in double quotes, as in `%s %.*s \"%.*s%.*s\"`", key,
              (int)(id1 - id0), line + id0, (int)(n - text0), line + text0, (int)e, rest);
  else if (before == 0)
    chg_error(p->ctx, CHG_E_BAD_VALUE, span,
              "`%s` takes a string: write it in double quotes, as in `%s \"%.*s%.*s\"`", key, key,
              (int)(n - text0), line + text0, (int)e, rest);
  else
    chg_error(p->ctx, CHG_E_BAD_VALUE, span,
              "the last value of `%s` is a string: write it in double quotes, as in "
              "`%s %.*s \"%.*s%.*s\"`", key, key, (int)(id1 - id0), line + id0,
              (int)(n - text0), line + text0, (int)e, rest);
  /* what checks the item later (or a rule of the scanner on this line)
   * stays quiet about the text */
  chg_mark_damage(p->ctx, span);
  p->unquoted_line_said = true;
  p->unquoted_line = line_start;
  return true;
}

size_t chg_parse_peek(chg_parser *p, uint32_t start, char *buf, size_t size) {
  return read_text(p->file, start, buf, size);
}

/* Whether `needle` comes at or after `from`, before `end`: the text is
 * read once from the first that asks, what was found holding for every
 * later asker before it.  With `to_nul`, a NUL ends the text (the end of
 * flex's buffer, where a text held whole is scanned in place). */
static bool find_ahead(chg_parser *p, chg_ahead *memo, uint32_t from, const char *needle,
                       bool to_nul, uint32_t end) {
  if (memo->from && memo->from - 1 <= from && (!memo->at || memo->at - 1 >= from))
    return memo->at != 0;
  char buf[1 << 16];
  size_t len = strlen(needle);
  memo->from = from + 1;
  memo->at = 0;
  for (uint32_t at = from; at < end;) {
    size_t n = read_text(p->file, at, buf, sizeof buf);
    put_back_held(p, at, buf, n);
    bool last = n < sizeof buf - 1 || n >= end - at;
    const char *nul = to_nul ? memchr(buf, '\0', n) : NULL;
    if (nul) {
      n = (size_t)(nul - buf);
      last = true;
    }
    if (n > end - at) n = end - at;
    for (size_t i = 0; i + len <= n; i++)
      if (memcmp(buf + i, needle, len) == 0) {
        memo->at = at + (uint32_t)i + 1;
        return true;
      }
    if (last || n < len) return false;
    at += (uint32_t)(n - (len - 1)); /* a needle across the two reads */
  }
  return false;
}

/* A long string's lone `"` asks this of each line after it. */
bool chg_parse_triple_quote_after(chg_parser *p, uint32_t from) {
  return find_ahead(p, &p->triple, from, "\"\"\"", true, UINT32_MAX);
}

/* A C comment's opening asks this, so that a comment closed lines later
 * is passed over whole and one never closed costs its line.  (A flex rule
 * for the closed comment read on to the end of the file at every opening
 * never closed: 8,000 of them took 2.3 s.) */
bool chg_parse_comment_close(chg_parser *p, uint32_t from) {
  chg_piece_bounds *b = p->bounds;
  if (b) {
    /* the search reads on to the piece's end: the rest is all its own */
    pthread_mutex_lock(&b->lock);
    p->read_limit = b->limit;
    b->claimed = p->read_limit ? p->read_limit : UINT32_MAX;
    pthread_mutex_unlock(&b->lock);
  }
  return find_ahead(p, &p->comment_close, from, "*/", false,
                    p->read_limit ? p->read_limit : UINT32_MAX);
}

/* The line (from 1) an offset is on, while the file is being parsed. */
unsigned chg_parse_line(chg_parser *p, uint32_t offset) {
  chg_file *f = p->file;
  if (f->stream) return (unsigned)line_in_index(f, offset) + 1;
  /* asked mostly in the order of the text (a message a line), so counted
   * on from the last asked, not from the start each time */
  if (!p->line_asked || p->line_asked_at > offset) {
    p->line_asked_at = 0;
    p->line_asked = 1;
  }
  uint32_t from = p->line_asked_at;
  unsigned line = p->line_asked + chg_line_at(f->text + from, offset - from) - 1;
  /* the NUL flex holds in the text may stand where a newline was */
  if (p->held_at >= from && p->held_at < offset && p->held_at < f->len && p->held_char == '\n' &&
      f->text[p->held_at] == '\0')
    line++;
  p->line_asked_at = offset;
  p->line_asked = line;
  return line;
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

/* Whether c, written inside block b, stands on a later line than b's head
 * and no further right than it. */
static bool left_of_its_block(chg_file *f, const chg_node *b, const chg_node *c) {
  return line_in_index(f, c->span.start) > line_in_index(f, b->span.start) &&
         column_of(f, c->span.start) <= column_of(f, b->span.start);
}

/* Whether an item inside block b may show where b's `}` went missing: a
 * block, a `use` or `include`, or an item named as a kind of block that is
 * not one of b's attributes (`unit TP "Territorial Policing"` in a
 * portfolio, where `unit` is no attribute). */
static bool could_follow(const chg_node *b, const chg_node *c) {
  if (c->kind == CHG_N_BLOCK) return c->full;
  if (c->kind == CHG_N_USE || c->kind == CHG_N_INCLUDE) return true;
  if (c->kind != CHG_N_ATTR || !c->key) return false;
  const chg_kind_spec *k = chg_schema_find_kind(b->key);
  if (!k) return false;
  const chg_attr_spec *as = chg_schema_find_attr(k, c->key);
  const chg_kind_spec *ck = chg_schema_find_kind(c->key);
  /* `unit TP "Territorial Policing"` after a programme left open: `unit`
   * is one of its attributes, but an id and a title are a block's head,
   * more values than the attribute takes */
  if (as)
    return ck && (ck->where & CHG_KM_TOP) && as->nparams < 2 && c->nargs == 2 &&
           chg_node_args(c)[0].kind == CHG_V_NAME && chg_node_args(c)[1].kind == CHG_V_STRING;
  if (ck) return true;
  /* `status overall red` in a milestone: an attribute of the block around it */
  const chg_kind_spec *outer = b->parent ? chg_schema_find_kind(b->parent->key) : NULL;
  return outer && chg_schema_find_attr(outer, c->key);
}

/* `unit TP` or `programme drm` with no title: an attribute of the block it
 * is in, and also how a top-level block without braces starts.  Where
 * b's contents are indented and this stands no further right than b, it
 * is the block that followed b's missing `}`. */
static bool names_a_top_level_kind(const chg_node *c) {
  const chg_kind_spec *ck = c->kind == CHG_N_ATTR && c->key ? chg_schema_find_kind(c->key) : NULL;
  return ck && (ck->where & CHG_KM_TOP);
}

/* Whether b's contents are written flush left, so that the column of what
 * is in it tells nothing: the first item on a later line than b's head is
 * an attribute, and stands no further right than the head.  (A block there
 * could be what followed b, which is the question.) */
static bool written_flush_left(chg_file *f, const chg_node *b) {
  size_t head_line = line_in_index(f, b->span.start);
  for (const chg_node *c = b->items; c; c = c->next)
    if (line_in_index(f, c->span.start) > head_line)
      return c->kind == CHG_N_ATTR && !could_follow(b, c) &&
             column_of(f, c->span.start) <= column_of(f, b->span.start);
  return false;
}

/* Marks every block written inside another but indented no deeper than it
 * (where the `}` that was never written belonged), and keeps the first, in
 * source order, with the block it fell into. */
static void mark_misindented(chg_file *f, chg_node *items, chg_node **outer,
                             chg_node **first) {
  for (chg_node *b = items; b; b = b->next) {
    if (b->kind != CHG_N_BLOCK || !b->full) continue;
    bool flush_left = written_flush_left(f, b);
    for (chg_node *c = b->items; c; c = c->next) {
      if (c->kind != CHG_N_BLOCK || !c->full || flush_left || !left_of_its_block(f, b, c))
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

/* A block's id, before the checker reads heads: its first value, when a name. */
static const char *head_id(const chg_node *b) {
  const chg_value *head = chg_node_args(b);
  return b->nargs && head->kind == CHG_V_NAME ? chg_path_name(head, 0) : NULL;
}

/* A block left open at the end of a file swallows every block after it,
 * which then stand where they may not: the indentation usually shows
 * which block lost its `}`.  Said once, as a note to the end-of-file error;
 * the checker leaves out the misplacements of the blocks marked here. */
static void explain_unclosed(chg_ctx *ctx, chg_file *f) {
  chg_file_index_lines(ctx, f);
  chg_node *outer = NULL, *inner = NULL;
  mark_misindented(f, f->items, &outer, &inner);
  if (!inner) return;
  unsigned line = (unsigned)line_in_index(f, outer->span.start) + 1;
  const char *id = head_id(outer);
  if (id)
    chg_note(ctx, chg_key_span(inner),
             "the `}` missing may be the one of %s `%s` (line %u): this %s is indented as "
             "if it came after it, not inside it", outer->key, id, line, inner->key);
  else
    chg_note(ctx, chg_key_span(inner),
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

static void add_comment(chg_arena *arena, chg_file *f, chg_span span) {
  if (f->ncomments == f->comments_cap) {
    size_t cap = f->comments_cap ? f->comments_cap * 2 : 16;
    chg_span *c = CHG_NEW_ARRAY(arena, chg_span, cap);
    if (f->ncomments) memcpy(c, f->comments, f->ncomments * sizeof *c);
    f->comments = c;
    f->comments_cap = cap;
  }
  f->comments[f->ncomments++] = span;
}

const char *chg_parse_intern(chg_parser *p, const char *s, size_t n) {
  chg_name_cache *c = p->names;
  if (!c) return chg_intern(&p->ctx->names, s, n);
  uint32_t h = chg_name_hash(s, n);
  chg_cached_name *slot = &c->slots[h & (CHG_NAME_CACHE_SLOTS - 1)];
  if (slot->name && slot->hash == h && slot->len == n && memcmp(slot->name, s, n) == 0)
    return slot->name;
  pthread_mutex_lock(c->lock);
  const char *name = chg_intern_hashed(c->table, c->arena, s, n, h);
  pthread_mutex_unlock(c->lock);
  slot->name = name;
  slot->hash = h;
  slot->len = (uint32_t)n;
  return name;
}

void chg_parse_comment(chg_parser *p, chg_loc loc) {
  add_comment(&p->ctx->arena, p->file, (chg_span){p->file->id, loc.start, loc.end});
}

/* ---- one stretch of a file ------------------------------------------------ */

/* ---- a line that lost its opening quote ------------------------------------ */

/* Whether c is one of `set` (never the NUL that ends it). */
static bool one_of(char c, const char *set) { return c && strchr(set, c); }

/* What is read about an error to judge its line: the text before it, and
 * after it, where a long string's closing `"""` is looked for. */
enum { WINDOW_BEFORE = 4096, WINDOW_AFTER = 16384, MAX_JUDGEMENTS = 256 };

static bool lost_long_opening(chg_parser *p, chg_span span, const char *buf, uint32_t from,
                              size_t n, size_t line);

/* `rationale The programme (SRP) was announced in June 2020."` is read as
 * words, a bracket, a month written out, and each gives an error of its
 * own.  At the first error in the text of a line whose only `"` ends it,
 * the quote is said to have lost its opening one, once, and the other
 * errors in that text are passed over.  Only an error asks: a file
 * without one costs nothing. */
static bool passes_over(void *data, chg_span span, int code) {
  chg_parser *p = data;
  if (span.file != p->file->id || p->judging_line) return false;
  /* never a follow-on of a lost quote: the encoding, said once for the
   * file, and a block left open */
  if (code == CHG_E_BAD_UTF8 || code == CHG_E_NUL_BYTE || code == CHG_E_UNCLOSED_BLOCK ||
      code == CHG_E_UNMATCHED_CLOSE)
    return false;
  if (p->quiet_set && span.start >= p->quiet_from && span.start <= p->quiet_to) return true;
  /* the parser's error at a token the scanner has just said is wrong
   * (`&` at the end of a condition): one mistake, said once */
  if (code == CHG_E_SYNTAX && p->ctx->last_primary != UINT32_MAX &&
      p->ctx->last_primary < p->ctx->ndiags) {
    const chg_diag *last = &p->ctx->diags[p->ctx->last_primary];
    if (last->severity == CHG_ERROR && last->span.file == span.file &&
        last->span.start == span.start)
      return true;
  }
  /* an error on a line judged already, and found to be neither; and a
   * file of hundreds of broken lines is not read again for each */
  if (span.start >= p->judged_from && span.start < p->judged_to) return false;
  if (p->judgements == MAX_JUDGEMENTS) return false;
  p->judgements++;
  char text[WINDOW_BEFORE + WINDOW_AFTER + 1];
  uint32_t from = span.start > WINDOW_BEFORE ? span.start - WINDOW_BEFORE : 0;
  size_t n = read_text(p->file, from, text, sizeof text);
  put_back_held(p, from, text, n);
  size_t at = span.start - from;
  if (at > n) return false;
  size_t start = at, end = at;
  while (start > 0 && text[start - 1] != '\n') start--;
  if (lost_long_opening(p, span, text, from, n, start)) return true;
  while (end < n && text[end] != '\n') end++;
  if (start == 0 && from > 0) return false; /* a line longer than the window */
  size_t quote = end, quotes = 0, first_quote = end;
  bool judged = true; /* the line's verdict holds for its other errors */
  for (size_t i = start; i < end && judged; i++) {
    if (text[i] == '#' && quotes == 0) judged = false; /* a comment: a `"` in it is no quote */
    else if (text[i] == '"') quotes++, quote = i, first_quote = quotes == 1 ? i : first_quote;
  }
  /* `rationale ""Making best use of the estate"`: the opening quote typed
   * twice, an empty string then the text; said once, at the two */
  if (judged && quotes == 3 && first_quote + 2 < quote && text[first_quote + 1] == '"' &&
      !one_of(text[first_quote + 2], " \t\r;}") && at > first_quote + 1 && at <= quote) {
    bool ends_line = true;
    for (size_t i = quote + 1; ends_line && i < end && text[i] != '#'; i++)
      ends_line = one_of(text[i], " \t\r{};");
    if (ends_line) {
      p->quiet_set = true;
      p->quiet_from = from + (uint32_t)first_quote + 2;
      p->quiet_to = from + (uint32_t)quote;
      p->judging_line = true;
      uint32_t q = from + (uint32_t)first_quote;
      int shown = (int)(quote - first_quote - 2);
      chg_error(p->ctx, CHG_E_UNTERMINATED_STRING, (chg_span){p->file->id, q, q + 2},
                "the text opens with `\"\"`, its quote typed twice: write `\"%.*s%s\"`",
                shown > 48 ? 48 : shown, text + first_quote + 2, shown > 48 ? "..." : "");
      p->judging_line = false;
      return true;
    }
  }
  bool lost = judged && quotes == 1;
  for (size_t i = quote + 1; lost && i < end; i++) {
    if (text[i] == '#') break;
    if (!one_of(text[i], " \t\r{};")) lost = false;
  }
  /* a string left open on the line above (its last `"` opens one: text
   * follows it), which this line's `"` closes */
  if (lost && start > 0) {
    size_t above = start - 1, above_quotes = 0, last = 0;
    while (above > 0 && text[above - 1] != '\n') above--;
    for (size_t i = above; i + 1 < start; i++)
      if (text[i] == '"') above_quotes++, last = i;
    bool text_after = false;
    for (size_t i = last + 1; above_quotes % 2 && i + 1 < start && !text_after; i++)
      text_after = !one_of(text[i], " \t\r{};");
    if (above_quotes % 2 && text_after) lost = false;
  }
  /* the text: after the key of the item the quote ends (`;` separates
   * items), up to the quote; a quote of another kind opened it (`“Jane
   * Smith"`), which the scanner says, if it holds one */
  size_t prose = start;
  for (size_t i = start; lost && i < quote; i++) {
    if (text[i] != ';') continue;
    /* an item after it (`; sro Jane Smith"`), not a `;` in the text
     * (`; planning how to take them forward"`) */
    char key[32];
    size_t k = i + 1, len = 0;
    while (k < quote && (text[k] == ' ' || text[k] == '\t')) k++;
    while (k + len < quote && len + 1 < sizeof key &&
           (isalnum((unsigned char)text[k + len]) || text[k + len] == '_'))
      key[len] = text[k + len], len++;
    key[len] = '\0';
    if (len && (chg_schema_is_attribute(key) || chg_schema_find_kind(key))) prose = i + 1;
  }
  while (prose < quote && (text[prose] == ' ' || text[prose] == '\t')) prose++;
  while (prose < quote && (isalnum((unsigned char)text[prose]) || text[prose] == '_')) prose++;
  while (prose < quote && (text[prose] == ' ' || text[prose] == '\t')) prose++;
  /* opened by a quote of another kind (`'Bob Jones"`, `“Jane Smith"`) */
  if (lost && prose < quote &&
      (text[prose] == '\'' || ((unsigned char)text[prose] == 0xE2 && prose + 2 < quote &&
                                (unsigned char)text[prose + 1] == 0x80 &&
                                (unsigned char)text[prose + 2] >= 0x98 &&
                                (unsigned char)text[prose + 2] <= 0x9F)))
    lost = false;
  if (!lost) {
    p->judged_from = from + (uint32_t)start;
    p->judged_to = from + (uint32_t)end + 1;
    return false;
  }
  /* an error before the text (in an item before it, or its key) is its own */
  if (at < prose) return false;
  p->quiet_set = true;
  p->quiet_from = from + (uint32_t)prose;
  p->quiet_to = from + (uint32_t)quote;
  p->judging_line = true;
  uint32_t q = from + (uint32_t)quote;
  chg_error(p->ctx, CHG_E_UNTERMINATED_STRING, (chg_span){p->file->id, q, q + 1},
            "a `\"` ends this line, but no string was opened: is the opening quote missing?");
  /* `include programmes.chg"`: what it was to define is said here */
  size_t word = start;
  while (word < end && (text[word] == ' ' || text[word] == '\t')) word++;
  if (!p->names && end - word > 8 && !memcmp(text + word, "include", 7) &&
      (text[word + 7] == ' ' || text[word + 7] == '\t'))
    chg_include_lost(p->ctx);
  p->judging_line = false;
  return true;
}

static bool has_triple_quote(const char *s, size_t n) {
  for (size_t i = 0; i + 3 <= n; i++)
    if (s[i] == '"' && s[i + 1] == '"' && s[i + 2] == '"') return true;
  return false;
}

/* The indentation of a line of `text` from `at`, and whether it is only
 * `"""` (and white space). */
static size_t indent_of(const char *text, size_t at, size_t end, bool *lone_close) {
  size_t i = at;
  while (i < end && (text[i] == ' ' || text[i] == '\t')) i++;
  size_t indent = i - at;
  *lone_close = end - i >= 3 && !memcmp(text + i, "\"\"\"", 3);
  for (i += 3; *lone_close && i < end; i++)
    if (!one_of(text[i], " \t\r")) *lone_close = false;
  return indent;
}

/* A long string that lost its opening `"""`:
 *
 *   rationale
 *     The impact begins to be felt. Schemes will be launched in
 *     early June.
 *     """
 *
 * Its lines are read as items, an error or more each, and its closing
 * `"""` opens a long string that runs on to the end of the file.  At the
 * first error in such text, the text is said to have lost its opening
 * `"""`, once; the other errors in it are passed over, and the scanner
 * passes over its closing `"""`. */
static bool lost_long_opening(chg_parser *p, chg_span span, const char *buf, uint32_t from,
                              size_t n, size_t line) {
  /* the closing `"""`: the first line below that holds `"""` at all, on its
   * own and indented, as a long string's close stands inside a block */
  size_t close = 0, close_indent = 0;
  bool closed = false;
  for (size_t l = line; l < n && !closed;) {
    size_t end = l;
    while (end < n && buf[end] != '\n') end++;
    /* past what was read, unless the file ends there (no last newline) */
    if (end == n && n == WINDOW_BEFORE + WINDOW_AFTER) return false;
    bool lone;
    size_t indent = indent_of(buf, l, end, &lone);
    if (lone && l > line) closed = true, close = l, close_indent = indent;
    else if (has_triple_quote(buf + l, end - l)) return false;
    l = end + 1;
  }
  if (!closed || close_indent == 0) return false;
  /* the text: up from the error's line, over blank lines and lines as
   * indented as the close, to the key's line, indented less */
  size_t first = line, key = 0;
  bool lone;
  for (;;) {
    size_t end = first;
    while (end < n && buf[end] != '\n') end++;
    if (end > first && indent_of(buf, first, end, &lone) < close_indent) return false;
    if (first == 0) return false; /* no key above it in what was read */
    size_t prev = first - 1;
    while (prev > 0 && buf[prev - 1] != '\n') prev--;
    bool blank = true;
    for (size_t i = prev; i < first - 1 && blank; i++) blank = one_of(buf[i], " \t\r");
    if (!blank && indent_of(buf, prev, first - 1, &lone) < close_indent) {
      key = prev;
      break;
    }
    first = prev;
  }
  while (first < close && one_of(buf[first], " \t\r\n")) first++; /* from its first word */
  /* the key's line ends in a word (`rationale`, `status overall green`),
   * and is no comment and no block's head */
  size_t key_end = first;
  while (key_end > key && one_of(buf[key_end - 1], " \t\r\n")) key_end--;
  size_t w = key_end;
  while (w > key && (isalnum((unsigned char)buf[w - 1]) || buf[w - 1] == '_')) w--;
  size_t lead = key;
  while (lead < key_end && (buf[lead] == ' ' || buf[lead] == '\t')) lead++;
  if (w == key_end || (w > key && !one_of(buf[w - 1], " \t")) || buf[lead] == '#') return false;
  /* no `""` meant as `"""` in the text, nor a string left open, which the
   * scanner says */
  size_t quotes = 0;
  for (size_t i = first; i < close; i++) {
    if (i + 1 < close && buf[i] == '"' && buf[i + 1] == '"') return false;
    quotes += buf[i] == '"';
    if (buf[i] == '\n' && quotes % 2) return false;
  }
  p->quiet_set = true;
  p->quiet_from = from + (uint32_t)first;
  p->quiet_to = from + (uint32_t)close - 1; /* the text's lines, not the close's */
  p->lost_long_close = from + (uint32_t)(close + close_indent) + 1;
  p->judging_line = true;
  /* `rationale` then has no value: said here, not again (at the end of
   * its line, so that a misspelt key is still said) */
  uint32_t key_line_end = from + (uint32_t)key_end;
  chg_mark_damage(p->ctx, (chg_span){p->file->id, key_line_end, key_line_end});
  /* counted from the error's line: a file read as it is parsed has not
   * indexed the lines below it yet */
  unsigned close_line = chg_parse_line(p, span.start);
  for (size_t i = line; i < close; i++) close_line += buf[i] == '\n';
  uint32_t text_at = from + (uint32_t)first;
  chg_error(p->ctx, CHG_E_UNTERMINATED_STRING, (chg_span){p->file->id, text_at, text_at},
            "these lines, down to the `\"\"\"` at line %u, are text that lost its "
            "opening `\"\"\"`: put one at the end of the line above, after `%.*s`",
            close_line, (int)(key_end - w), buf + w);
  /* where each line of it starts, read as an item: the checks after the
   * parse pass over it (chg_damaged_at) */
  for (size_t l = first; l < close;) {
    size_t item = l;
    while (item < close && (buf[item] == ' ' || buf[item] == '\t')) item++;
    if (item < close && buf[item] != '\n')
      chg_mark_damage(p->ctx, (chg_span){p->file->id, from + (uint32_t)item, from + (uint32_t)item});
    while (l < close && buf[l] != '\n') l++;
    l++;
  }
  p->judging_line = false;
  return true;
}

/* What parsing a stretch of a file gave. */
typedef struct stretch {
  chg_node_list top;        /* its top-level items */
  uint32_t end;             /* where reading stopped */
  bool quiet;               /* it said nothing: no error, warning or note */
  bool needs_correction;    /* parsed quickly, it met a syntax error: to be parsed
                               again with look-ahead correction */
  bool ended_between_items; /* it was read whole, without an encoding error
                               (which are counted a file at a time), and
                               its text ran out at the top level */
  bool unclosed_at_end;     /* a block was left open at its end */
  bool unmatched_close;     /* a `}` closed nothing: the first is at close_at */
  uint32_t close_at;
  bool lone_brace;          /* a `{` alone on its line after an attribute, at lone_brace_at,
                               opening lone_brace_block */
  uint32_t lone_brace_at;
  const chg_node *lone_brace_block;
} stretch;

/* Parses `file` from `start` to `limit` (0: to its end) into ctx, its names
 * through `names` when pieces are parsed side by side; `quick`, without
 * look-ahead correction (see chg_parser.quick). */
static void parse_stretch(chg_ctx *ctx, chg_file *file, uint32_t start, uint32_t limit,
                          chg_piece_bounds *bounds, int fd, const atomic_bool *abandon,
                          chg_name_cache *names, const chg_injection *inject, unsigned ninject,
                          bool quick, stretch *out) {
  chg_file *outer = ctx->parsing;
  bool (*outer_passes_over)(void *, chg_span, int) = ctx->passes_over;
  void *outer_parser = ctx->passes_over_parser;
  ctx->parsing = file;
  size_t ndiags = ctx->ndiags, errors = ctx->errors, warnings = ctx->warnings;
  chg_parser p;
  memset(&p, 0, sizeof p);
  ctx->passes_over = passes_over;
  ctx->passes_over_parser = &p;
  p.ctx = ctx;
  p.file = file;
  p.last_token = -1;
  p.before_last_token = -1;
  p.pending = -1;
  p.offset = p.read_offset = start;
  p.read_limit = limit; /* a piece's, as its end stands, at each read (refill_stage) */
  p.bounds = bounds;
  p.read_fd = fd;
  p.abandon = abandon;
  p.names = names;
  p.inject = inject;
  p.ninject = ninject;
  p.quick = quick && !ctx->careful;
  yyscan_t scanner;
  if (chgscanlex_init_extra(&p, &scanner)) chg_out_of_memory();
  p.scanner = scanner;
  char *nul_free = NULL;
  if (file->stream) {
    start_stream(&p); /* the scanner asks for the text through chg_parse_read */
  } else {
    check_encoding(&p, (const unsigned char *)file->text, file->len, 0, NULL);
    /* the text carries two NUL bytes past its end, as flex wants; a text
     * with a NUL of its own is scanned as a copy without (hide_nuls) */
    if (memchr(file->text, '\0', file->len)) {
      nul_free = chg_mem_alloc(&ctx->al, file->len + 2);
      memcpy(nul_free, file->text, file->len + 2);
      hide_nuls(nul_free, file->len);
    }
    p.in_place = !nul_free;
    chgscan_scan_buffer(nul_free ? nul_free : file->text, file->len + 2, scanner);
  }
  if (p.quick) chg_yyparse_quick(&p);
  else chg_yyparse(&p);
  if (bounds) {
    /* where it ended is where it ends: nothing more to take from it */
    pthread_mutex_lock(&bounds->lock);
    p.read_limit = limit = bounds->limit;
    bounds->done = true;
    pthread_mutex_unlock(&bounds->lock);
  }
  /* a stretch to be parsed again needs no line index of the rest */
  if (file->stream && p.needs_correction) chg_mem_free(&ctx->al, p.stage, p.stage_cap);
  else if (file->stream) finish_stream(&p);
  else if (nul_free) chg_mem_free(&ctx->al, nul_free, file->len + 2);
  else if (p.held_at < file->len) file->text[p.held_at] = p.held_char;
  chgscanlex_destroy(scanner);
  ctx->parsing = outer;
  ctx->passes_over = outer_passes_over;
  ctx->passes_over_parser = outer_parser;
  out->top = p.top;
  out->end = file->stream ? p.read_offset : (uint32_t)file->len;
  out->needs_correction = p.needs_correction;
  if (p.needs_correction) ctx->parsed_again++;
  out->quiet = ctx->ndiags == ndiags && ctx->errors == errors && ctx->warnings == warnings &&
               !p.needs_correction;
  out->ended_between_items = p.ended_between_items && !p.stopped && !p.read_failed &&
                             (!limit || p.read_offset == limit) && !p.encoding_reported;
  out->unclosed_at_end = p.unclosed_at_end;
  out->unmatched_close = p.any_unmatched_close;
  out->close_at = p.first_unmatched_close;
  out->lone_brace = p.any_lone_brace;
  out->lone_brace_at = p.lone_brace_at;
  out->lone_brace_block = p.lone_brace_block;
  chg_mem_free(&ctx->al, p.open, p.open_cap * sizeof *p.open);
  chg_mem_free(&ctx->al, p.values, p.values_cap * sizeof *p.values);
  chg_mem_free(&ctx->al, p.pairs, p.pairs_cap * sizeof *p.pairs);
  chg_mem_free(&ctx->al, p.parts, p.parts_cap * sizeof *p.parts);
  chg_buf_release(&ctx->al, &p.long_text);
}

static void join_lists(chg_node_list *list, chg_node_list more) {
  if (!more.head) return;
  if (list->tail) list->tail->next = more.head;
  else list->head = more.head;
  list->tail = more.tail;
}

/* The rest of a file's parse, once its items are all there. */
static void finish_file(chg_ctx *ctx, chg_file *file, chg_node_list items, uint32_t end,
                        bool unclosed_at_end) {
  file->items = items.head;
  if (file->stream) {
    chg_lines_trim(&file->lines, &ctx->al);
    file->len = end;
  }
  if (unclosed_at_end) explain_unclosed(ctx, file);
  /* the encoding is checked before scanning, so sort what was marked */
  if (file->ndamage > 1)
    qsort(file->damage, file->ndamage, sizeof *file->damage, compare_offsets);
}

/* Where a file's parse began, to go back to and parse it again. */
typedef struct parse_mark {
  size_t ndiags, errors, warnings, absences;
  uint32_t last_primary, nparsed_blocks;
  bool limit_reported, io_failed;
} parse_mark;

static parse_mark mark_start(const chg_ctx *ctx) {
  return (parse_mark){ctx->ndiags, ctx->errors, ctx->warnings, ctx->absences.len,
                      ctx->last_primary, ctx->nparsed_blocks, ctx->error_limit_reported,
                      ctx->io_failed};
}

/* Forgets what parsing `file` said and found since `m` (the tree it built
 * stays in the arena, unused). */
static void back_to(chg_ctx *ctx, chg_file *file, parse_mark m) {
  ctx->ndiags = m.ndiags;
  ctx->errors = m.errors;
  ctx->warnings = m.warnings;
  ctx->absences.len = m.absences; /* an include lost to a syntax error said (chg_include_lost) */
  ctx->last_primary = m.last_primary;
  ctx->nparsed_blocks = m.nparsed_blocks;
  ctx->error_limit_reported = m.limit_reported;
  ctx->io_failed = m.io_failed;
  file->ncomments = file->ndamage = 0;
  file->items = NULL;
  chg_lines_release(&file->lines, &ctx->al);
}

/* Whether c, written inside block b, is a block or a `use` or `include`
 * that the schema does not let stand there (a project inside a project). */
static bool cannot_go_in(const chg_node *b, const chg_node *c) {
  if (c->kind == CHG_N_USE || c->kind == CHG_N_INCLUDE) return true;
  if (c->kind != CHG_N_BLOCK || !c->full || !c->key) return false;
  const chg_kind_spec *bk = chg_schema_find_kind(b->key), *ck = chg_schema_find_kind(c->key);
  return bk && ck && !(ck->where & CHG_KM(bk->id));
}

/* The earliest item in the file written inside a block but indented no
 * deeper than it (where that block's `}` went missing), and how many
 * blocks enclose that block. */
static bool find_misindented(chg_file *f, chg_node *items, unsigned depth, chg_node **first,
                             unsigned *outer_depth) {
  for (chg_node *b = items; b; b = b->next) {
    if (b->kind != CHG_N_BLOCK || !b->full) continue;
    if (!written_flush_left(f, b))
      for (chg_node *c = b->items; c; c = c->next)
        if ((could_follow(b, c) || names_a_top_level_kind(c)) && left_of_its_block(f, b, c)) {
          if (!*first || c->span.start < (*first)->span.start) {
            *first = c;
            *outer_depth = depth;
          }
          break;
        }
    find_misindented(f, b->items, depth + 1, first, outer_depth);
  }
  return *first != NULL;
}

/* In blocks whose contents are written flush left, where indentation
 * tells nothing: the earliest item in the file that cannot go in the
 * block it fell into, and how many blocks enclose that block. */
static void find_misplaced(chg_file *f, chg_node *items, unsigned depth, chg_node **first,
                           unsigned *outer_depth) {
  for (chg_node *b = items; b; b = b->next) {
    if (b->kind != CHG_N_BLOCK || !b->full) continue;
    if (written_flush_left(f, b))
      for (chg_node *c = b->items; c; c = c->next)
        if (cannot_go_in(b, c) && (!*first || c->span.start < (*first)->span.start)) {
          *first = c;
          *outer_depth = depth;
          break;
        }
    find_misplaced(f, b->items, depth + 1, first, outer_depth);
  }
}

/* What an injection before `c` says was there instead of the `}`. */
static const char *misplaced_kind(const chg_node *c) {
  return c->kind == CHG_N_USE ? "use" : c->kind == CHG_N_INCLUDE ? "include" : c->key;
}

/* The indentation of a line (from 0), in bytes, or -1 for a blank line or
 * one holding only a comment; its first other byte in *first. */
static int indentation(chg_file *f, size_t line, char *first) {
  char text[256];
  size_t n = read_text(f, chg_lines_start(&f->lines, line), text, sizeof text), i = 0;
  while (i < n && (text[i] == ' ' || text[i] == '\t')) i++;
  if (i == n || text[i] == '\n' || text[i] == '\r' || text[i] == '#') return -1;
  *first = text[i];
  return (int)i;
}

/* The earliest `}` in the file that closes a block though it stands first
 * on its line left of the block's head: the `}` of the block around it,
 * the block's own left out (`impact { unit u; level 1` left open at the
 * end of its line); and how many blocks enclose that block. */
static void find_close_left_of_head(chg_file *f, chg_node *items, unsigned depth,
                                    chg_node **first, unsigned *outer_depth) {
  for (chg_node *b = items; b; b = b->next) {
    if (b->kind != CHG_N_BLOCK || !b->full) continue;
    uint32_t close = b->span.end - 1;
    char c;
    if (b->has_braces && b->span.end > b->span.start &&
        (!*first || close < (*first)->span.end - 1) &&
        line_in_index(f, close) > line_in_index(f, b->span.start) &&
        column_of(f, close) < column_of(f, b->span.start) &&
        indentation(f, line_in_index(f, close), &c) == (int)column_of(f, close) && c == '}') {
      *first = b;
      *outer_depth = depth;
    }
    find_close_left_of_head(f, b->items, depth + 1, first, outer_depth);
  }
}

/* Whether the lines after c's head, up to a `}` at or before close_at,
 * are indented further than c, and that `}` stands in c's column: c's
 * contents and c's `}`, had its head a `{`.  Where that `}` is, in *brace. */
static bool indented_below(chg_file *f, const chg_node *c, uint32_t close_at, uint32_t *brace,
                           size_t *budget) {
  size_t head = line_in_index(f, c->span.start), last = line_in_index(f, close_at);
  uint32_t column = column_of(f, c->span.start);
  bool any = false;
  for (size_t l = head + 1; l <= last; l++) {
    if (*budget == 0) return false;
    --*budget;
    char first;
    int in = indentation(f, l, &first);
    if (in < 0) continue;
    if ((uint32_t)in > column) {
      any = true;
      continue;
    }
    *brace = chg_lines_start(&f->lines, l) + (uint32_t)in;
    return any && (uint32_t)in == column && first == '}';
  }
  return false;
}

/* Once a `}` at close_at closed nothing: the last item before it that
 * names a kind of block, has no braces, and has the lines after it
 * indented below it down to a `}` in its column (`programme a "A"` with
 * its `{` forgotten); how many blocks enclose it, and where that `}` is. */
static void find_missing_open(chg_file *f, chg_node *items, unsigned depth, uint32_t close_at,
                              chg_node **found, unsigned *found_depth, uint32_t *brace,
                              size_t *budget) {
  for (chg_node *c = items; c && c->span.start < close_at; c = c->next) {
    if (c->kind == CHG_N_BLOCK && c->has_braces) {
      find_missing_open(f, c->items, depth + 1, close_at, found, found_depth, brace, budget);
    } else if ((c->kind == CHG_N_BLOCK || c->kind == CHG_N_ATTR) && c->key && !c->has_expr &&
               chg_schema_find_kind(c->key)) {
      uint32_t its_brace;
      if (indented_below(f, c, close_at, &its_brace, budget)) {
        *found = c;
        *found_depth = depth;
        *brace = its_brace;
      }
    }
  }
}

/* Whether the `}` that closed top-level block b is one too many: it opens
 * its line indented further than b's head, the lines after it are
 * indented as b's contents, and the `}` at close_at, which closed
 * nothing, stands in b's column. */
static bool closed_too_soon(chg_file *f, const chg_node *b, uint32_t close_at, size_t *budget) {
  uint32_t brace = b->span.end - 1;
  size_t line = line_in_index(f, brace), last = line_in_index(f, close_at);
  int column = (int)column_of(f, b->span.start);
  char c;
  if (line >= last || indentation(f, line, &c) != (int)column_of(f, brace) || c != '}' ||
      (int)column_of(f, brace) <= column || (int)column_of(f, close_at) != column ||
      indentation(f, last, &c) != column)
    return false;
  bool any = false;
  for (size_t l = line + 1; l < last; l++) {
    if (*budget == 0) return false;
    --*budget;
    int in = indentation(f, l, &c);
    if (in < 0) continue;
    if (in <= column) return false;
    any = true;
  }
  return any;
}

/* Once a `}` at close_at closed nothing: the last top-level block before
 * it closed too soon by a `}` too many (closed_too_soon). */
static chg_node *find_extra_close(chg_file *f, chg_node *top, uint32_t close_at,
                                  size_t *budget) {
  chg_node *found = NULL;
  for (chg_node *b = top; b && b->span.start < close_at; b = b->next)
    if (b->kind == CHG_N_BLOCK && b->has_braces && b->span.end > b->span.start &&
        b->span.end <= close_at && closed_too_soon(f, b, close_at, budget))
      found = b;
  return found;
}

/* In b, closed too soon: the block whose `}` is the one too many.  The
 * `}`s on the lines just above b's close b's last blocks, innermost
 * first; the innermost of them that stands right of its own block's
 * head is the first `}` out of place (in `    }` then `  }` closing a
 * workstream and its programme, the first), else b's own. */
static chg_node *extra_close_block(chg_file *f, chg_node *b) {
  chg_node *target = b;
  for (chg_node *c = b;;) {
    chg_node *last = c->items;
    while (last && last->next) last = last->next;
    if (!last || last->kind != CHG_N_BLOCK || !last->has_braces ||
        last->span.end <= last->span.start ||
        line_in_index(f, last->span.end - 1) + 1 != line_in_index(f, c->span.end - 1))
      return target;
    char first;
    uint32_t brace = last->span.end - 1;
    if (indentation(f, line_in_index(f, brace), &first) != (int)column_of(f, brace) ||
        first != '}')
      return target;
    if (column_of(f, brace) > column_of(f, last->span.start)) target = last;
    c = last;
  }
}

/* Whether the `}` closing block c follows another `}` on its line, with
 * nothing else before it (`    }}`, `    } }`), and stands right of c's
 * head, on a line after it: the second of two braces written where one
 * was meant. */
static bool second_close_on_line(chg_file *f, const chg_node *c) {
  if (c->kind != CHG_N_BLOCK || !c->has_braces || c->span.end <= c->span.start) return false;
  uint32_t brace = c->span.end - 1;
  size_t line = line_in_index(f, brace);
  if (line == line_in_index(f, c->span.start) || column_of(f, brace) <= column_of(f, c->span.start))
    return false;
  uint32_t line_start = brace - column_of(f, brace);
  char text[256];
  size_t len = read_text(f, line_start, text, sizeof text);
  if (len < column_of(f, brace)) return false;
  bool brace_before = false;
  for (uint32_t i = 0; i < column_of(f, brace); i++) {
    if (text[i] == '}') brace_before = true;
    else if (text[i] != ' ' && text[i] != '\t') return false;
  }
  return brace_before;
}

/* Within b, the first block (in the file's order) closed by such a
 * second `}` on a line; NULL if none. */
static chg_node *first_second_close(chg_file *f, chg_node *b) {
  for (chg_node *c = b->items; c; c = c->next) {
    if (c->kind != CHG_N_BLOCK) continue;
    chg_node *inner = first_second_close(f, c);
    if (inner) return inner;
    if (second_close_on_line(f, c)) return c;
  }
  return NULL;
}

/* Lines the two searches above may read between them, so that a file
 * built to make each candidate read to the end costs seconds at most. */
enum { BRACE_SEARCH_LINES = 1u << 19 };

/* Where a `{` goes after the head of c: the end of its last value. */
static uint32_t end_of_head(const chg_node *c) {
  return c->nargs ? chg_node_args(c)[c->nargs - 1].span.end : chg_key_span(c).end;
}

enum { MAX_INJECTIONS = 16 };

/* A file is parsed again when it ended with blocks open and the
 * indentation shows where a `}` went missing: the second parse closes the
 * blocks there, with one error, so that what follows stands where it was
 * meant to -- units and includes at the top level, references to the
 * blocks after it found -- instead of each misplacement an error of its
 * own.  (A mistake's cost: a large file is read twice.) */
static void parse_whole(chg_ctx *ctx, chg_file *file, bool quick) {
  chg_injection inject[MAX_INJECTIONS];
  unsigned ninject = 0;
  bool again = false;
  parse_mark start = mark_start(ctx);
  for (;;) {
    stretch s;
    /* a file read as it is scanned is read again from its start */
    int fd = again && file->stream ? fileno(file->stream) : -1;
    parse_stretch(ctx, file, 0, 0, NULL, fd, NULL, NULL, inject, ninject, quick, &s);
    again = true;
    if (s.needs_correction) {
      back_to(ctx, file, start);
      quick = false;
      continue;
    }
    chg_node *first = NULL;
    unsigned depth = 0;
    const char *misplaced = NULL;
    uint32_t closed_at = 0;
    /* `status ...` and then `{` alone on the next line: when the `}` that
     * closed it stands left of `status`, that `{` took the `}` of the
     * block around it, which the file then lacks.  It is dropped before
     * anything is looked for in the indentation. */
    bool lone_brace = s.unclosed_at_end && s.lone_brace && ninject < MAX_INJECTIONS;
    for (unsigned i = 0; lone_brace && i < ninject; i++)
      lone_brace = inject[i].at != s.lone_brace_at;
    if (lone_brace) {
      const chg_node *b = s.lone_brace_block;
      chg_file_index_lines(ctx, file);
      lone_brace = b->span.end > b->span.start &&
                   column_of(file, b->span.end - 1) < column_of(file, b->span.start);
    }
    if (!lone_brace && s.unclosed_at_end && ninject < MAX_INJECTIONS) {
      chg_file_index_lines(ctx, file);
      find_misindented(file, s.top.head, 0, &first, &depth);
      /* or, before that, a `}` standing where the block around it closes */
      chg_node *closed = NULL;
      unsigned closed_depth = 0;
      find_close_left_of_head(file, s.top.head, 0, &closed, &closed_depth);
      if (closed && (!first || closed->span.end - 1 < first->span.start)) {
        first = closed;
        depth = closed_depth;
        closed_at = closed->span.end - 1;
      }
      if (!first) {
        find_misplaced(file, s.top.head, 0, &first, &depth);
        if (first) misplaced = misplaced_kind(first);
      }
    }
    chg_injection next = {0};
    if (lone_brace) {
      next = (chg_injection){.at = s.lone_brace_at, .drops_open = true,
                               .attr_key = s.lone_brace_block->key};
    } else if (first && closed_at) {
      next = (chg_injection){.at = closed_at, .depth = depth, .at_close = true};
    } else if (first) {
      next = (chg_injection){.at = first->span.start, .depth = depth, .misplaced = misplaced};
    } else if (s.unmatched_close && ninject < MAX_INJECTIONS) {
      chg_file_index_lines(ctx, file);
      uint32_t brace = 0;
      size_t budget = BRACE_SEARCH_LINES;
      find_missing_open(file, s.top.head, 0, s.close_at, &first, &depth, &brace, &budget);
      if (first) {
        next = (chg_injection){.at = end_of_head(first), .depth = depth, .opens = true,
                               .close_line = (unsigned)line_in_index(file, brace) + 1};
      } else if ((first = find_extra_close(file, s.top.head, s.close_at, &budget))) {
        chg_node *closed_by = extra_close_block(file, first);
        /* `    }}` further up, the `}` right of its block: the lines
         * just above b's `}` show nothing out of place */
        chg_node *doubled = closed_by == first ? first_second_close(file, first) : NULL;
        first = doubled ? doubled : closed_by;
        next = (chg_injection){.at = first->span.end - 1,
                               .close_line = (unsigned)line_in_index(file, s.close_at) + 1,
                               .drops = true,
                               .block_line = (unsigned)line_in_index(file, first->span.start) + 1,
                               .block_kind = first->key,
                               .block_id = head_id(first)};
      }
    }
    bool found = lone_brace || first;
    for (unsigned i = 0; found && i < ninject; i++)
      if (inject[i].at == next.at) found = false; /* supplied already, to no avail */
    if (!found) {
      finish_file(ctx, file, s.top, s.end, s.unclosed_at_end);
      return;
    }
    unsigned k = ninject++;
    while (k > 0 && inject[k - 1].at > next.at) {
      inject[k] = inject[k - 1];
      k--;
    }
    inject[k] = next;
    back_to(ctx, file, start);
  }
}

/* ---- a large file, parsed in pieces side by side ----------------------------
 *
 * A national portfolio's file is cut at lines where a top-level block
 * seems to start, and each piece is parsed on its own processor: the first
 * by the caller into ctx, each other by a thread into a context of its own;
 * all intern into ctx's names.  A thread that has finished its piece takes
 * the second half of what another has not yet read, as a piece of its
 * own: the processors of a virtual machine are not always equally fast
 * (one was half as fast again as the other for an hour, the thirty-ninth
 * round in docs/performance.md), and a file cut in even halves waited on
 * the slower.  A piece's tree goes into the memory of the thread that
 * parsed it, which is then taken over whole.  A piece is kept when every
 * piece before it was, the one before ended between top-level items, and
 * it said nothing: then parsing the file straight through would have been
 * in the same state at the cut (were it not, the end of the piece would
 * have been an error) and built the same tree.  Otherwise the whole file
 * is parsed again straight through, so that diagnostics are exactly those
 * of a parse in one go (a mistake's cost, as with a missing `}`). */

enum { MAX_PIECES = 64 };
/* A piece costs some 300 KB (a stage, a cache of names, a thread); a
 * piece of 2 MB is parsed some 20 ms sooner, which for a portfolio of
 * 10,000 projects (8 MB, two pieces) is a third of check's time.  Below
 * that the thread costs more than it saves. */
#define PIECE_MIN ((size_t)2 << 20)
/* What is left of a piece is halved with a thread that has finished when
 * it is at least this (the piece's stage ahead included): a stretch of a
 * half megabyte, some 5 ms of parsing, for a piece's cost of a millisecond. */
#define TAKE_MIN ((uint32_t)1 << 20)

/* A portfolio names something every 400 bytes or so (20,600 names in the
 * 8 MB of 10,000 projects).  The table of names the pieces share is made
 * that big before they start, in ctx's huge pages already in place: grown
 * a step at a time, each step was a new table, rewritten in the small
 * pages of a piece's arena while the other threads waited on its lock
 * (a quarter of the page faults of check of 10,000 projects). */
enum { SOURCE_BYTES_PER_NAME = 512 };

/* The tree of a stretch of source takes some 5 times its bytes (44 MB for
 * the 8 MB of 10,000 projects); 4 is said, so that the guess errs short,
 * and a stretch under a megabyte says nothing (chg_arena_expect). */
enum { TREE_PER_SOURCE_BYTE = 4, EXPECTED_FROM = 1u << 20 };

static void expect_tree(chg_arena *a, size_t source_bytes) {
  if (source_bytes >= EXPECTED_FROM) chg_arena_expect(a, source_bytes * TREE_PER_SOURCE_BYTE);
}

typedef struct piece {
  chg_ctx *ctx;      /* the piece's own context; NULL for the first, ctx's */
  chg_name_cache *names;
  chg_arena names_arena; /* the names it was first to meet: kept, whatever becomes of its tree */
  chg_file file;     /* its view of the file: its own comments and line index */
  uint32_t start;
  chg_piece_bounds bounds;
  stretch out;
  bool parsed;
} piece;

/* The pieces of one file, as they are made: the first the caller's. */
typedef struct piece_set {
  chg_ctx *ctx;
  chg_file view;         /* the file as the parse began, which each piece's view copies */
  pthread_mutex_t lock;  /* over npieces, and the choice of a piece to halve */
  pthread_mutex_t *names_lock;
  piece pieces[MAX_PIECES];
  unsigned npieces;
  atomic_bool abandon;   /* a piece will not be kept: the file is parsed again whole */
} piece_set;

typedef struct parse_thread {
  piece_set *set;
  piece *first;      /* its own piece, then those it takes */
  chg_arena arena;   /* the trees of the pieces it parsed */
  pthread_t thread;
  bool running;
} parse_thread;

static unsigned parse_threads(const chg_ctx *ctx) {
  return ctx->opts.threads ? ctx->opts.threads : chg_processors();
}

/* The start of a line at or after `from`, before `end`, where a top-level
 * block seems to start: best right after a line that is a lone `}`.  0
 * when there is none in the stretch looked at. */
static uint32_t cut_at_or_after(int fd, size_t from, size_t end) {
  char window[1 << 16];
  if (from < 1) from = 1;
  size_t want = end - (from - 1) < sizeof window ? end - (from - 1) : sizeof window;
  ssize_t got = pread(fd, window, want, (off_t)(from - 1));
  if (got < 3) return 0;
  size_t cut = 0;
  for (size_t k = 0; k + 2 < (size_t)got && !cut; k++)
    if (window[k] == '\n' && window[k + 1] == '}' && window[k + 2] == '\n' && k + 3 < (size_t)got &&
        (isalpha((unsigned char)window[k + 3]) || window[k + 3] == '_'))
      cut = from - 1 + k + 3;
  for (size_t k = 0; k + 1 < (size_t)got && !cut; k++)
    if (window[k] == '\n' && (isalpha((unsigned char)window[k + 1]) || window[k + 1] == '_'))
      cut = from - 1 + k + 1;
  return cut < end ? (uint32_t)cut : 0;
}

/* Where each piece after the first starts: at or after the even share.
 * Returns how many pieces. */
static unsigned plan_pieces(chg_ctx *ctx, chg_file *file, uint32_t *cuts) {
  size_t size = (size_t)file->stamp.size;
  unsigned want = ctx->split_pieces;
  if (!want) {
    want = parse_threads(ctx);
    if (want > size / PIECE_MIN) want = (unsigned)(size / PIECE_MIN);
  }
  if (want > MAX_PIECES) want = MAX_PIECES;
  if (want < 2 || !file->stream || ctx->al.alloc != chg_default_allocator.alloc) return 1;
  int fd = fileno(file->stream);
  unsigned n = 0;
  for (unsigned i = 1; i < want; i++) {
    size_t from = size * i / want;
    if (n && from <= cuts[n - 1]) from = cuts[n - 1] + 1;
    uint32_t cut = cut_at_or_after(fd, from, size);
    if (!cut || (n && cut <= cuts[n - 1])) continue;
    cuts[n++] = cut;
  }
  return n + 1;
}

/* A context for one piece: just what the parser uses. */
static chg_ctx *piece_ctx(chg_ctx *ctx, const chg_file *file, chg_file *view) {
  chg_ctx *c = chg_mem_alloc(&ctx->al, sizeof *c);
  memset(c, 0, sizeof *c);
  c->al = ctx->al;
  c->opts = ctx->opts;
  c->opts.allocator = &c->al;
  chg_arena_init(&c->arena, &c->al);
  c->n = ctx->n; /* its names are ctx's, interned through a chg_name_cache */
  c->stream_chunk = ctx->stream_chunk;
  c->careful = ctx->careful;
  c->last_primary = UINT32_MAX;
  *view = *file;
  view->comments = NULL;
  view->ncomments = view->comments_cap = 0;
  view->damage = NULL;
  view->ndamage = view->damage_cap = 0;
  view->items = NULL;
  memset(&view->lines, 0, sizeof view->lines);
  c->files_cap = c->nfiles = file->id + 1;
  c->files = chg_mem_alloc(&c->al, c->files_cap * sizeof *c->files);
  memset(c->files, 0, c->files_cap * sizeof *c->files);
  c->files[file->id] = view;
  return c;
}

static chg_name_cache *new_name_cache(chg_ctx *ctx, pthread_mutex_t *lock, chg_arena *arena) {
  chg_name_cache *c = chg_mem_alloc(&ctx->al, sizeof *c);
  memset(c, 0, sizeof *c);
  c->table = &ctx->names;
  c->lock = lock;
  c->arena = arena;
  return c;
}

/* A piece from `start` to `limit`, ready to parse (the set's lock held,
 * or no thread started yet). */
static piece *add_piece(piece_set *set, uint32_t start, uint32_t limit) {
  piece *w = &set->pieces[set->npieces++];
  w->start = start;
  w->bounds.limit = limit;
  w->bounds.claimed = start;
  pthread_mutex_init(&w->bounds.lock, NULL);
  w->ctx = piece_ctx(set->ctx, &set->view, &w->file);
  chg_arena_init(&w->names_arena, &set->ctx->al);
  w->names = new_name_cache(set->ctx, set->names_lock, &w->names_arena);
  return w;
}

/* Parses piece w, its tree into `arena` (the thread's, lent to the
 * piece's context meanwhile). */
static void parse_piece_into(piece_set *set, piece *w, chg_arena *arena) {
  chg_arena unused = w->ctx->arena;
  w->ctx->arena = *arena;
  parse_stretch(w->ctx, &w->file, w->start, 0, &w->bounds, fileno(w->file.stream), &set->abandon,
                w->names, NULL, 0, true, &w->out);
  *arena = w->ctx->arena;
  w->ctx->arena = unused;
  w->parsed = true;
  if (!w->out.quiet || (w->bounds.limit && !w->out.ended_between_items))
    atomic_store(&set->abandon, true);
}

/* The second half of what the piece with the most left has not yet read,
 * as a new piece, its end moved back to where the new one starts; NULL
 * when no piece has enough left to be worth it. */
static piece *take_half(piece_set *set) {
  piece *taken = NULL;
  pthread_mutex_lock(&set->lock);
  piece *most = NULL;
  uint32_t from = 0, to = 0;
  uint32_t least = set->ctx->take_min ? set->ctx->take_min : TAKE_MIN;
  for (unsigned i = 0; i < set->npieces && !atomic_load(&set->abandon); i++) {
    piece *w = &set->pieces[i];
    pthread_mutex_lock(&w->bounds.lock);
    uint32_t end = w->bounds.limit ? w->bounds.limit : (uint32_t)set->view.stamp.size;
    if (!w->bounds.done && end > w->bounds.claimed && end - w->bounds.claimed >= least &&
        (!most || end - w->bounds.claimed > to - from)) {
      most = w;
      from = w->bounds.claimed;
      to = end;
    }
    pthread_mutex_unlock(&w->bounds.lock);
  }
  uint32_t cut = most && set->npieces < MAX_PIECES
                     ? cut_at_or_after(fileno(set->view.stream), from + (to - from) / 2, to)
                     : 0;
  if (cut) {
    pthread_mutex_lock(&most->bounds.lock);
    /* read on meanwhile, it may have passed the cut */
    uint32_t limit = most->bounds.limit;
    bool still = !most->bounds.done && cut > most->bounds.claimed;
    if (still) most->bounds.limit = cut;
    pthread_mutex_unlock(&most->bounds.lock);
    if (still) taken = add_piece(set, cut, limit);
  }
  pthread_mutex_unlock(&set->lock);
  return taken;
}

static void *parse_pieces(void *arg) {
  parse_thread *t = arg;
  for (piece *w = t->first; w; w = take_half(t->set)) parse_piece_into(t->set, w, &t->arena);
  return NULL;
}

static void piece_release(chg_ctx *ctx, piece *w) {
  chg_ctx *c = w->ctx;
  pthread_mutex_destroy(&w->bounds.lock);
  if (!c) return;
  chg_allocator al = c->al;
  ctx->parsed_again += c->parsed_again;
  /* ctx's table of names holds those the piece met first, tree or no tree */
  chg_arena_adopt(&ctx->arena, &w->names_arena);
  chg_mem_free(&al, w->names, sizeof *w->names);
  chg_lines_release(&w->file.lines, &al);
  chg_mem_free(&al, c->files, c->files_cap * sizeof *c->files);
  chg_mem_free(&al, c->diags, c->diags_cap * sizeof *c->diags);
  chg_arena_release(&c->arena); /* empty: its tree is in its thread's memory */
  chg_mem_free(&al, c, sizeof *c);
  w->ctx = NULL;
}

/* Takes a piece's comments, lines and tree into ctx and file (its memory
 * is its thread's, taken over whole). */
static void adopt(chg_ctx *ctx, chg_file *file, piece *w, chg_node_list *items) {
  chg_lines_append(&file->lines, &ctx->al, &w->file.lines);
  for (size_t i = 0; i < w->file.ncomments; i++) add_comment(&ctx->arena, file, w->file.comments[i]);
  ctx->nparsed_blocks += w->ctx->nparsed_blocks;
  join_lists(items, w->out.top);
}

static int by_start(const void *a, const void *b) {
  const piece *x = *(const piece *const *)a, *y = *(const piece *const *)b;
  return x->start < y->start ? -1 : x->start > y->start;
}

/* Returns how many pieces were kept: all of them, or none, the file then
 * parsed again whole. */
static unsigned parse_in_pieces(chg_ctx *ctx, chg_file *file, const uint32_t *cuts, unsigned npieces) {
  /* a thread that finds the names taken spins a moment rather than
   * sleeps: each is held briefly, and a wake-up on a virtual machine costs
   * more than the wait (some 200 of them at 10,000 projects, each a
   * trip through the hypervisor) */
#ifdef PTHREAD_ADAPTIVE_MUTEX_INITIALIZER_NP
  pthread_mutex_t names_lock = PTHREAD_ADAPTIVE_MUTEX_INITIALIZER_NP;
#else
  pthread_mutex_t names_lock = PTHREAD_MUTEX_INITIALIZER;
#endif
  chg_intern_reserve(&ctx->names, &ctx->arena,
                     ctx->names.count + (size_t)file->stamp.size / SOURCE_BYTES_PER_NAME);
  piece_set *set = chg_mem_alloc(&ctx->al, sizeof *set);
  memset(set, 0, sizeof *set);
  set->ctx = ctx;
  set->view = *file;
  set->names_lock = &names_lock;
  pthread_mutex_init(&set->lock, NULL);
  atomic_init(&set->abandon, false);
  /* the first piece is parsed into ctx: it has no context of its own */
  piece *first_piece = &set->pieces[set->npieces++];
  first_piece->bounds.limit = cuts[0];
  pthread_mutex_init(&first_piece->bounds.lock, NULL);
  parse_thread threads[MAX_PIECES];
  memset(threads, 0, sizeof threads);
  for (unsigned i = 1; i < npieces; i++) {
    parse_thread *t = &threads[i];
    t->set = set;
    t->first = add_piece(set, cuts[i - 1], i + 1 < npieces ? cuts[i] : 0);
    chg_arena_init(&t->arena, &ctx->al);
    chg_arena_set_bulk(&t->arena, true);
    expect_tree(&t->arena, (i + 1 < npieces ? cuts[i] : (size_t)file->stamp.size) - cuts[i - 1]);
  }
  /* (every piece planned is in place before a thread looks for one to halve) */
  for (unsigned i = 1; i < npieces; i++)
    threads[i].running = pthread_create(&threads[i].thread, NULL, parse_pieces, &threads[i]) == 0;
  /* what a parse straight through the file would undo */
  parse_mark start = mark_start(ctx);

  stretch first;
  chg_name_cache *names = new_name_cache(ctx, &names_lock, &ctx->arena);
  parse_stretch(ctx, file, 0, 0, &first_piece->bounds, fileno(file->stream), NULL, names, NULL,
                0, true, &first);
  chg_mem_free(&ctx->al, names, sizeof *names);
  /* Only a piece that said nothing is known to end as the text says: in
   * recovering from a syntax error the parser may drop a `}` that the
   * count of open blocks has seen (fuzz_stream found one). */
  bool all_kept = first.quiet && first.ended_between_items;
  if (!all_kept) atomic_store(&set->abandon, true);
  /* a thread that did not start leaves its piece to this one; then the
   * halves this one takes, into ctx's memory */
  for (unsigned i = 1; i < npieces; i++)
    if (!threads[i].running) parse_piece_into(set, threads[i].first, &ctx->arena);
  for (piece *w = take_half(set); w; w = take_half(set)) parse_piece_into(set, w, &ctx->arena);
  for (unsigned i = 1; i < npieces; i++)
    if (threads[i].running) pthread_join(threads[i].thread, NULL);

  piece *order[MAX_PIECES];
  for (unsigned i = 1; i < set->npieces; i++) order[i - 1] = &set->pieces[i];
  qsort(order, set->npieces - 1, sizeof *order, by_start);
  bool corrected = first.needs_correction; /* some piece met a syntax error */
  uint64_t blocks = ctx->nparsed_blocks;
  uint32_t block_limit = ctx->opts.max_blocks ? ctx->opts.max_blocks : CHG_MAX_BLOCKS_DEFAULT;
  uint32_t end_before = first_piece->bounds.limit;
  for (unsigned i = 0; i + 1 < set->npieces; i++) {
    piece *w = order[i];
    corrected = corrected || (w->parsed && w->out.needs_correction);
    blocks += w->parsed ? w->ctx->nparsed_blocks : 0;
    if (all_kept && !(w->parsed && w->out.quiet && w->start == end_before &&
                      (!w->bounds.limit || w->out.ended_between_items) && blocks <= block_limit))
      all_kept = false;
    end_before = w->bounds.limit;
  }
  for (unsigned i = 1; i < npieces; i++) {
    if (all_kept) chg_arena_adopt(&ctx->arena, &threads[i].arena);
    else chg_arena_release(&threads[i].arena);
  }
  chg_node_list items = first.top;
  uint32_t end = first.end;
  for (unsigned i = 0; i + 1 < set->npieces; i++) {
    piece *w = order[i];
    if (all_kept) {
      adopt(ctx, file, w, &items);
      end = w->out.end;
    }
    piece_release(ctx, w);
  }
  pthread_mutex_destroy(&first_piece->bounds.lock);
  pthread_mutex_destroy(&set->lock);
  pthread_mutex_destroy(&names_lock);
  file->pieces = (uint8_t)set->npieces;
  chg_mem_free(&ctx->al, set, sizeof *set);
#ifdef __GLIBC__
  /* what the threads freed (their pieces' line indexes, caches of names)
   * stays in malloc's arenas, in memory no later stage asks for: at
   * 10,000 projects some 400 KB of check's peak, given back here */
  malloc_trim(0);
#endif
  if (!all_kept) {
    /* Parsed again whole, not on from the first piece not kept: the pieces
     * before it end between items as far as they go, but read straight
     * on, the last item of an attribute's shape (`unit LD "..."`) waits to
     * see whether a `{` opens it on the next line, and an error there
     * takes the item with it (fuzz_stream found it:
     * tests/regress/piece_after_an_item_awaiting_its_brace.chg). */
    back_to(ctx, file, start);
    parse_whole(ctx, file, !corrected);
    return 0;
  }
  finish_file(ctx, file, items, end, false);
  return file->pieces;
}

/* What a file is when it is plainly not UTF-8 text, judged by its first
 * bytes: Notepad's "Unicode", a workbook or a PDF saved over a .chg file.
 * Said once, rather than as an error on every line. */
static const char *not_text(const unsigned char *s, size_t n) {
  if (n >= 2 && ((s[0] == 0xFF && s[1] == 0xFE) || (s[0] == 0xFE && s[1] == 0xFF)))
    return "is UTF-16 text (it starts with a UTF-16 byte-order mark), not UTF-8: save it as UTF-8";
  if (n >= 4 && memcmp(s, "PK\3\4", 4) == 0)
    return "is a ZIP archive, such as an Excel or Word document, not text: export it as UTF-8 text";
  if (n >= 4 && memcmp(s, "\xD0\xCF\x11\xE0", 4) == 0)
    return "is an Office document (Excel, Word), not text: export it as UTF-8 text";
  if (n >= 5 && memcmp(s, "%PDF-", 5) == 0) return "is a PDF document, not text";
  static const struct {
    const char *magic;
    size_t len;
    const char *what;
  } kinds[] = {
      {"\x89PNG\r\n\x1A\n", 8, "is a PNG image, not text"},
      {"\xFF\xD8\xFF", 3, "is a JPEG image, not text"},
      {"GIF8", 4, "is a GIF image, not text"},
      {"\x1F\x8B", 2, "is gzip-compressed, not text: decompress it (gunzip) first"},
      {"\xFD" "7zXZ\x00", 6, "is xz-compressed, not text: decompress it (unxz) first"},
      {"7z\xBC\xAF\x27\x1C", 6, "is a 7-Zip archive, not text"},
      {"SQLite format 3", 16, "is an SQLite database, not text"},
      {"\x7F" "ELF", 4, "is a program (an ELF binary), not text"},
  };
  for (size_t k = 0; k < sizeof kinds / sizeof kinds[0]; k++)
    if (n >= kinds[k].len && memcmp(s, kinds[k].magic, kinds[k].len) == 0)
      return kinds[k].what;
  size_t nuls = 0, controls = 0;
  for (size_t i = 0; i < n; i++) {
    nuls += s[i] == 0;
    /* what no text file holds: control characters other than the white
     * space (tab, line feed, form feed, carriage return) and ESC */
    bool control = s[i] == 0 || (s[i] < 0x20 && !strchr("\t\n\f\r\x1B", s[i])) || s[i] == 0x7F;
    controls += control && (i == 0 || s[i - 1] != s[i]); /* a run of them, once */
  }
  if (n >= 16 && nuls >= n / 8)
    return nuls >= n / 3 && nuls <= n * 2 / 3
               ? "is not UTF-8 text: it is UTF-16 without a byte-order mark (every other "
                 "byte is NUL), or binary; save it as UTF-8"
               : "is not text: it is binary (many of its first bytes are NUL)";
  /* A compressed or encrypted file is bytes at random: one in nine a
   * control character.  A text file pasted from anywhere has a few, and
   * one damaged may have a run of them (NUL padding). */
  if (n >= 64 && controls >= n / 20)
    return "is not text: it is binary (a compressed file, an image or a database?), "
           "with control characters throughout its first bytes";
  /* classic Mac OS line endings: the whole file would read as one line */
  size_t crs = 0, lfs = 0;
  for (size_t i = 0; i < n; i++) {
    crs += s[i] == '\r' && i + 1 < n;
    lfs += s[i] == '\n';
  }
  if (crs && !lfs)
    return "ends its lines with a carriage return alone (the old Mac format), so it would "
           "read as one line: save it with LF or CRLF line endings";
  return NULL;
}

void chg_parse_file(struct chg_ctx *ctx, chg_file *file) {
  unsigned char read[512];
  const unsigned char *head = read;
  size_t n = 0;
  if (file->stream) {
    ssize_t got = pread(fileno(file->stream), read, sizeof read, 0);
    n = got > 0 ? (size_t)got : 0;
  } else if (file->text) {
    head = (const unsigned char *)file->text;
    n = file->len < sizeof read ? file->len : sizeof read;
  }
  const char *what = not_text(head, n);
  if (what) {
    file->not_text = true;
    chg_error(ctx, CHG_E_BAD_UTF8, (chg_span){file->id, 0, 0}, "`%s` %s", file->path, what);
    chg_text_lost(ctx, "that file"); /* said here, not at each reference */
    chg_node_list none = {NULL, NULL};
    finish_file(ctx, file, none, file->stream ? (uint32_t)file->stamp.size : (uint32_t)file->len,
                false);
    return;
  }
  uint32_t cuts[MAX_PIECES];
  unsigned npieces = plan_pieces(ctx, file, cuts);
  chg_arena_set_bulk(&ctx->arena, true);
  expect_tree(&ctx->arena, npieces < 2 ? (file->stream ? (size_t)file->stamp.size : file->len) : cuts[0]);
  if (npieces < 2) {
    parse_whole(ctx, file, true);
  } else {
    file->pieces_kept = (uint8_t)parse_in_pieces(ctx, file, cuts, npieces);
  }
  chg_arena_set_bulk(&ctx->arena, false);
  if (npieces < 2) return;
  if (getenv("CHG_DEBUG_STATS"))
    fprintf(stderr, "chg: parsed %s in %u pieces side by side, %u kept, %u of them taken "
            "from a piece being parsed\n", file->path, file->pieces, file->pieces_kept,
            file->pieces - npieces);
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
