/*
 * lines.h -- where each line of a source file starts, in about a byte a
 * line.  A national portfolio has millions of lines; a table of 4-byte
 * offsets was 14 MB of a 400 MB check.  Each line's length is kept in a
 * byte (255 and longer in a side list), with the full offset of every
 * 64th line, so that a lookup adds up at most 63 lengths.
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
  size_t count;        /* lines; the last runs to the end of the file */
  size_t len_cap, mark_cap, nlong, long_cap;
  uint32_t last_start; /* where the last line starts */
  size_t hint;         /* the line found last (lookups come in source order) */
  uint32_t hint_start;
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
/* Gives back what growing left unused. */
void chg_lines_trim(chg_lines *lines, const chg_allocator *al);
void chg_lines_release(chg_lines *lines, const chg_allocator *al);

/* Where line `line` (from 0, below count) starts. */
uint32_t chg_lines_start(const chg_lines *lines, size_t line);
/* Where the line after `line` (from 0, below count - 1) starts. */
uint32_t chg_lines_end(const chg_lines *lines, size_t line);
/* The line (from 0) an offset is on. */
size_t chg_lines_find(chg_lines *lines, uint32_t offset);

#endif
