/*
 * lines.h -- where each line of a source file starts, in about a byte a
 * line.  A national portfolio has millions of lines; a table of 4-byte
 * offsets was 14 MB of a 400 MB check.  Each line's length is kept in a
 * byte (255 and longer in a side list), with the full offset of every
 * 64th line, so that a lookup adds up at most 63 lengths.
 *
 * A bit a line says whether it holds any byte past ASCII.  Columns count
 * code points; on a line of ASCII a column is its offset from the line's
 * start, so the report of a large file, whose text is not kept, need not
 * read the file again for each of its millions of positions.
 */
#ifndef CHG_LINES_H
#define CHG_LINES_H

#include "core.h"

typedef struct chg_long_line {
  uint32_t line, len;
} chg_long_line;

typedef struct chg_lines {
  uint8_t *len;        /* len[l]: from line l's start to line l+1's; 255: in long_lines */
  uint32_t *mark;      /* mark[g]: where line 64g starts */
  chg_long_line *long_lines; /* the lines of 255 bytes and more, in order */
  uint64_t *wide;      /* bit l: line l has a byte of 0x80 or more; past wide_cap words, none */
  size_t count;        /* lines; the last runs to the end of the file */
  size_t len_cap, mark_cap, nlong, long_cap, wide_cap;
  uint32_t last_start; /* where the last line starts */
  size_t hint;         /* the line found last (lookups come in source order) */
  uint32_t hint_start;
  size_t other;        /* the one found before it, SIZE_MAX for none */
  uint32_t other_start;
} chg_lines;

/* One line, starting at 0. */
void chg_lines_init(chg_lines *lines, const chg_allocator *al);
/* One line, starting at `start`: the index of a stretch of a file. */
void chg_lines_init_at(chg_lines *lines, const chg_allocator *al, uint32_t start);
/* The lines of `more`, an index begun where the last line of `lines`
 * starts, added after them. */
void chg_lines_append(chg_lines *lines, const chg_allocator *al, const chg_lines *more);
/* A new line starts at `start`, after the last one's. */
void chg_lines_add(chg_lines *lines, const chg_allocator *al, uint32_t start);
/* Line `line` holds a byte past ASCII. */
void chg_lines_mark_wide(chg_lines *lines, const chg_allocator *al, size_t line);
/* Adds the lines of `n` bytes of text that start at offset `base`, where
 * the last line goes on: each newline starts a line, and a line with a
 * byte past ASCII is marked wide. */
void chg_lines_scan(chg_lines *lines, const chg_allocator *al, const char *text, size_t n,
                    uint32_t base);
/* Gives back what growing left unused. */
void chg_lines_trim(chg_lines *lines, const chg_allocator *al);
void chg_lines_release(chg_lines *lines, const chg_allocator *al);

/* Where line `line` (from 0, below count) starts. */
uint32_t chg_lines_start(const chg_lines *lines, size_t line);
/* Where the line after `line` (from 0, below count - 1) starts. */
uint32_t chg_lines_end(const chg_lines *lines, size_t line);
/* Whether line `line` holds a byte past ASCII: where it does not, a
 * column is a count of bytes. */
static inline bool chg_lines_wide(const chg_lines *lines, size_t line) {
  return line / 64 < lines->wide_cap && (lines->wide[line / 64] >> (line % 64) & 1);
}
/* The line (from 0) an offset is on. */
size_t chg_lines_find(chg_lines *lines, uint32_t offset);

#endif
