/*
 * lines.c -- the line index of a source file (see lines.h).
 */
#include "lines.h"

#include <string.h>

enum { GROUP = 64, LONG = 255 };

void chg_lines_init(chg_lines *lines, const chg_allocator *al) { chg_lines_init_at(lines, al, 0); }

void chg_lines_init_at(chg_lines *lines, const chg_allocator *al, uint32_t start) {
  memset(lines, 0, sizeof *lines);
  lines->mark = chg_mem_grow(al, NULL, &lines->mark_cap, 1, sizeof *lines->mark);
  lines->mark[0] = start;
  lines->last_start = start;
  lines->hint_start = start;
  lines->other = SIZE_MAX;
  lines->count = 1;
}

void chg_lines_add(chg_lines *lines, const chg_allocator *al, uint32_t start) {
  size_t l = lines->count - 1; /* the line this start ends */
  uint32_t len = start - lines->last_start;
  /* called for every line of a national portfolio: the call to grow only
   * when it must */
  if (l >= lines->len_cap) lines->len = chg_mem_grow(al, lines->len, &lines->len_cap, l + 1, 1);
  if (len < LONG) {
    lines->len[l] = (uint8_t)len;
  } else {
    lines->len[l] = LONG;
    lines->long_lines = chg_mem_grow(al, lines->long_lines, &lines->long_cap, lines->nlong + 1,
                             sizeof *lines->long_lines);
    lines->long_lines[lines->nlong++] = (chg_long_line){(uint32_t)l, len};
  }
  if (lines->count % GROUP == 0) {
    size_t g = lines->count / GROUP;
    lines->mark = chg_mem_grow(al, lines->mark, &lines->mark_cap, g + 1, sizeof *lines->mark);
    lines->mark[g] = start;
  }
  lines->count++;
  lines->last_start = start;
}

void chg_lines_mark_wide(chg_lines *lines, const chg_allocator *al, size_t line) {
  if (line / 64 >= lines->wide_cap) {
    size_t old = lines->wide_cap;
    lines->wide = chg_mem_grow(al, lines->wide, &lines->wide_cap, line / 64 + 1, sizeof *lines->wide);
    memset(lines->wide + old, 0, (lines->wide_cap - old) * sizeof *lines->wide);
  }
  lines->wide[line / 64] |= (uint64_t)1 << (line % 64);
}

/* Whether any of n bytes is past ASCII: eight at a time */
static bool any_wide(const char *s, size_t n) {
  uint64_t seen = 0;
  size_t i = 0;
  for (; i + 8 <= n; i += 8) {
    uint64_t w;
    memcpy(&w, s + i, 8);
    seen |= w;
  }
  for (; i < n; i++) seen |= (unsigned char)s[i];
  return seen & 0x8080808080808080u;
}

void chg_lines_scan(chg_lines *lines, const chg_allocator *al, const char *text, size_t n,
                    uint32_t base) {
  const char *p = text, *end = text + n;
  while (p < end) {
    const char *newline = memchr(p, '\n', (size_t)(end - p));
    const char *stop = newline ? newline : end;
    size_t line = lines->count - 1;
    if (!chg_lines_wide(lines, line) && any_wide(p, (size_t)(stop - p)))
      chg_lines_mark_wide(lines, al, line);
    if (!newline) break;
    chg_lines_add(lines, al, base + (uint32_t)(newline - text) + 1);
    p = newline + 1;
  }
}

void chg_lines_trim(chg_lines *lines, const chg_allocator *al) {
  size_t nlen = lines->count - 1, nmark = (lines->count - 1) / GROUP + 1;
  if (lines->len_cap > nlen && nlen) {
    lines->len = chg_mem_realloc(al, lines->len, lines->len_cap, nlen);
    lines->len_cap = nlen;
  }
  if (lines->mark_cap > nmark) {
    lines->mark = chg_mem_realloc(al, lines->mark, lines->mark_cap * sizeof *lines->mark,
                                  nmark * sizeof *lines->mark);
    lines->mark_cap = nmark;
  }
  size_t nwide = (lines->count + 63) / 64;
  if (lines->wide_cap > nwide) {
    lines->wide = chg_mem_realloc(al, lines->wide, lines->wide_cap * sizeof *lines->wide,
                                  nwide * sizeof *lines->wide);
    lines->wide_cap = nwide;
  }
}

void chg_lines_release(chg_lines *lines, const chg_allocator *al) {
  chg_mem_free(al, lines->len, lines->len_cap);
  chg_mem_free(al, lines->mark, lines->mark_cap * sizeof *lines->mark);
  chg_mem_free(al, lines->long_lines, lines->long_cap * sizeof *lines->long_lines);
  chg_mem_free(al, lines->wide, lines->wide_cap * sizeof *lines->wide);
  memset(lines, 0, sizeof *lines);
}

/* The length of line l (not the last). */
static uint32_t length(const chg_lines *lines, size_t l) {
  if (lines->len[l] < LONG) return lines->len[l];
  size_t lo = 0, hi = lines->nlong;
  while (hi - lo > 1) {
    size_t mid = (lo + hi) / 2;
    if (lines->long_lines[mid].line <= l) lo = mid;
    else hi = mid;
  }
  return lines->long_lines[lo].len;
}

void chg_lines_append(chg_lines *lines, const chg_allocator *al, const chg_lines *more) {
  /* more's first line is lines' last */
  size_t first = lines->count - 1;
  uint32_t start = more->mark[0];
  for (size_t l = 0; l + 1 < more->count; l++) {
    start += length(more, l);
    chg_lines_add(lines, al, start);
  }
  for (size_t w = 0; w < more->wide_cap; w++)
    for (uint64_t bits = more->wide[w]; bits; bits &= bits - 1)
      chg_lines_mark_wide(lines, al, first + w * 64 + (size_t)__builtin_ctzll(bits));
}

uint32_t chg_lines_start(const chg_lines *lines, size_t line) {
  if (line == lines->hint) return lines->hint_start; /* the line just found */
  size_t l = line / GROUP * GROUP;
  uint32_t start = lines->mark[line / GROUP];
  for (; l < line; l++) start += length(lines, l);
  return start;
}

uint32_t chg_lines_end(const chg_lines *lines, size_t line) {
  return chg_lines_start(lines, line) + length(lines, line);
}

static bool holds(const chg_lines *lines, size_t l, uint32_t start, uint32_t offset) {
  return start <= offset && (l + 1 == lines->count || offset < start + length(lines, l));
}

/* From line `l`, starting at `start`, on to the line holding `offset`. */
static void walk_to(const chg_lines *lines, size_t *l, uint32_t *start, uint32_t offset) {
  while (*l + 1 < lines->count && offset >= *start + length(lines, *l)) *start += length(lines, (*l)++);
}

/* Line `l`, starting at `start`, or a line after it in the same group of
 * GROUP lines, holding `offset`: walked to, at most GROUP lengths. */
static bool walk_in_group(const chg_lines *lines, size_t *l, uint32_t *start, uint32_t offset) {
  size_t next_group = *l / GROUP + 1;
  if (offset < *start || (next_group * GROUP < lines->count && offset >= lines->mark[next_group]))
    return false;
  walk_to(lines, l, start, offset);
  return true;
}

size_t chg_lines_find(chg_lines *lines, uint32_t offset) {
  size_t l = lines->hint;
  uint32_t start = lines->hint_start;
  if (l < lines->count && holds(lines, l, start, offset)) return l;
  /* A report asks in source order, but a row's cells also name blocks far
   * from it (the unit at the top of the file): the line found before last
   * is kept too, and a line a few on from either is walked to, not found
   * from the start of its group, which added up to 63 lengths a time (a
   * twentieth of the JSON report's instructions). */
  bool found = l < lines->count && walk_in_group(lines, &l, &start, offset);
  if (!found && lines->other < lines->count) {
    l = lines->other;
    start = lines->other_start;
    found = walk_in_group(lines, &l, &start, offset);
  }
  if (!found) {
    size_t lo = 0, hi = (lines->count - 1) / GROUP + 1;
    while (hi - lo > 1) {
      size_t mid = (lo + hi) / 2;
      if (lines->mark[mid] <= offset) lo = mid;
      else hi = mid;
    }
    l = lo * GROUP;
    start = lines->mark[lo];
    walk_to(lines, &l, &start, offset);
  }
  if (l != lines->hint) {
    lines->other = lines->hint;
    lines->other_start = lines->hint_start;
  }
  lines->hint = l;
  lines->hint_start = start;
  return l;
}
