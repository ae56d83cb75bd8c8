/*
 * diff.c -- a unified diff of two texts, for `chg fmt --diff`.  Lines are
 * numbered by content.  Lines that occur exactly once in each text and in
 * the same order (the longest such run, as patience diff finds it) cut the
 * texts into small pieces -- in a formatted file nearly every block head is
 * such a line -- and each piece is compared with Myers' O(ND) algorithm in
 * its linear-space form (the middle snake, as GNU diff does it), giving up
 * on the shortest script, as GNU diff does, when a piece costs too much.
 * So a file that changes on every other line is still quick, and memory
 * stays in proportion to the texts.  Output follows `diff -u`: three lines
 * of context, hunks closer than six lines merged, "\ No newline at end of
 * file" where it applies.
 */
#include <limits.h>
#include <string.h>

#include "ctx.h"

typedef struct line {
  const char *s;
  size_t n; /* with its newline, if it has one */
} line;

typedef struct text {
  line *lines;
  size_t n;
  uint32_t *id; /* equal lines have equal ids */
} text;

typedef struct differ {
  const chg_allocator *al;
  const uint32_t *a, *b;
  bool *del, *ins; /* lines of a taken out, lines of b put in */
  long *fd, *bd;   /* the forward and backward furthest x, by diagonal */
  long too_expensive; /* edit cost past which a split need not be optimal */
} differ;

static void split_lines(const chg_allocator *al, const char *s, size_t len, text *t) {
  size_t n = 0;
  for (size_t i = 0; i < len; i++)
    if (s[i] == '\n') n++;
  if (len && s[len - 1] != '\n') n++;
  t->n = n;
  t->lines = chg_mem_alloc(al, (n ? n : 1) * sizeof *t->lines);
  t->id = chg_mem_alloc(al, (n ? n : 1) * sizeof *t->id);
  size_t k = 0, start = 0;
  for (size_t i = 0; i < len; i++)
    if (s[i] == '\n') {
      t->lines[k++] = (line){s + start, i + 1 - start};
      start = i + 1;
    }
  if (start < len) t->lines[k++] = (line){s + start, len - start};
}

/* Gives every distinct line one id, through a table over both texts;
 * returns how many ids there are. */
static uint32_t number_lines(const chg_allocator *al, text *a, text *b) {
  size_t total = a->n + b->n, cap = 16;
  while (cap < total * 2) cap *= 2;
  const line **slot = chg_mem_alloc(al, cap * sizeof *slot);
  uint32_t *slot_id = chg_mem_alloc(al, cap * sizeof *slot_id);
  memset(slot, 0, cap * sizeof *slot);
  uint32_t next = 0;
  text *ts[2] = {a, b};
  for (int w = 0; w < 2; w++)
    for (size_t i = 0; i < ts[w]->n; i++) {
      const line *l = &ts[w]->lines[i];
      size_t h = (size_t)chg_hash_bytes(l->s, l->n) & (cap - 1);
      while (slot[h] && !(slot[h]->n == l->n && memcmp(slot[h]->s, l->s, l->n) == 0))
        h = (h + 1) & (cap - 1);
      if (!slot[h]) {
        slot[h] = l;
        slot_id[h] = next++;
      }
      ts[w]->id[i] = slot_id[h];
    }
  chg_mem_free(al, slot, cap * sizeof *slot);
  chg_mem_free(al, slot_id, cap * sizeof *slot_id);
  return next;
}

/* The middle snake of a[xoff, xlim) against b[yoff, ylim): a point that an
 * edit script of least length passes through. */
static void middle(differ *d, long xoff, long xlim, long yoff, long ylim, long *xmid,
                   long *ymid) {
  const uint32_t *a = d->a, *b = d->b;
  long *fd = d->fd, *bd = d->bd;
  long dmin = xoff - ylim, dmax = xlim - yoff;
  long fmid = xoff - yoff, bmid = xlim - ylim;
  long fmin = fmid, fmax = fmid, bmin = bmid, bmax = bmid;
  bool odd = ((fmid - bmid) & 1) != 0;
  fd[fmid] = xoff;
  bd[bmid] = xlim;
  for (long c = 1;; c++) {
    if (fmin > dmin) fd[--fmin - 1] = -1;
    else ++fmin;
    if (fmax < dmax) fd[++fmax + 1] = -1;
    else --fmax;
    for (long k = fmax; k >= fmin; k -= 2) {
      long lo = fd[k - 1], hi = fd[k + 1];
      long x = lo >= hi ? lo + 1 : hi, y = x - k;
      while (x < xlim && y < ylim && a[x] == b[y]) x++, y++;
      fd[k] = x;
      if (odd && bmin <= k && k <= bmax && bd[k] <= x) {
        *xmid = x;
        *ymid = y;
        return;
      }
    }
    if (bmin > dmin) bd[--bmin - 1] = LONG_MAX;
    else ++bmin;
    if (bmax < dmax) bd[++bmax + 1] = LONG_MAX;
    else --bmax;
    for (long k = bmax; k >= bmin; k -= 2) {
      long lo = bd[k - 1], hi = bd[k + 1];
      long x = lo < hi ? lo : hi - 1, y = x - k;
      while (x > xoff && y > yoff && a[x - 1] == b[y - 1]) x--, y--;
      bd[k] = x;
      if (!odd && fmin <= k && k <= fmax && x <= fd[k]) {
        *xmid = x;
        *ymid = y;
        return;
      }
    }
    if (c < d->too_expensive) continue;
    /* Too costly for the shortest script: split at the diagonal that got
     * furthest, forward or backward (GNU diff's heuristic). */
    long fxybest = -1, fxbest = xoff, bxybest = LONG_MAX, bxbest = xlim;
    for (long k = fmax; k >= fmin; k -= 2) {
      long x = fd[k] < xlim ? fd[k] : xlim, y = x - k;
      if (ylim < y) x = ylim + k, y = ylim;
      if (fxybest < x + y) fxybest = x + y, fxbest = x;
    }
    for (long k = bmax; k >= bmin; k -= 2) {
      long x = bd[k] > xoff ? bd[k] : xoff, y = x - k;
      if (y < yoff) x = yoff + k, y = yoff;
      if (x + y < bxybest) bxybest = x + y, bxbest = x;
    }
    if ((xlim + ylim) - bxybest < fxybest - (xoff + yoff)) {
      *xmid = fxbest;
      *ymid = fxybest - fxbest;
    } else {
      *xmid = bxbest;
      *ymid = bxybest - bxbest;
    }
    return;
  }
}

static void compare(differ *d, long xoff, long xlim, long yoff, long ylim) {
  while (xoff < xlim && yoff < ylim && d->a[xoff] == d->b[yoff]) xoff++, yoff++;
  while (xlim > xoff && ylim > yoff && d->a[xlim - 1] == d->b[ylim - 1]) xlim--, ylim--;
  if (xoff == xlim) {
    for (long y = yoff; y < ylim; y++) d->ins[y] = true;
  } else if (yoff == ylim) {
    for (long x = xoff; x < xlim; x++) d->del[x] = true;
  } else {
    long xmid, ymid;
    middle(d, xoff, xlim, yoff, ylim, &xmid, &ymid);
    if ((xmid == xoff && ymid == yoff) || (xmid == xlim && ymid == ylim)) {
      /* no progress (it does not happen; this keeps it so) */
      for (long x = xoff; x < xlim; x++) d->del[x] = true;
      for (long y = yoff; y < ylim; y++) d->ins[y] = true;
      return;
    }
    compare(d, xoff, xmid, yoff, ymid);
    compare(d, xmid, xlim, ymid, ylim);
  }
}

/* Cuts the texts at the lines each holds once, where those lines come in
 * the same order in both (the longest increasing run of their positions,
 * found by patience sorting), and compares the pieces between them. */
static void anchored(differ *d, const text *a, const text *b, uint32_t nids) {
  const chg_allocator *al = d->al;
  /* how often each line occurs in a and in b (2 means "more than once"),
   * and where in b the once-only ones are */
  uint8_t *ca = chg_mem_alloc(al, nids + 1), *cb = chg_mem_alloc(al, nids + 1);
  uint32_t *where_b = chg_mem_alloc(al, (nids + 1) * sizeof *where_b);
  memset(ca, 0, nids + 1);
  memset(cb, 0, nids + 1);
  for (size_t i = 0; i < a->n; i++)
    if (ca[a->id[i]] < 2) ca[a->id[i]]++;
  for (size_t j = 0; j < b->n; j++) {
    if (cb[b->id[j]] < 2) cb[b->id[j]]++;
    where_b[b->id[j]] = (uint32_t)j;
  }
  /* candidates, in the order of a: (i, j) */
  size_t n = 0;
  for (size_t i = 0; i < a->n; i++)
    if (ca[a->id[i]] == 1 && cb[a->id[i]] == 1) n++;
  size_t *ci = chg_mem_alloc(al, (n + 1) * sizeof *ci), *cj = chg_mem_alloc(al, (n + 1) * sizeof *cj);
  size_t k = 0;
  for (size_t i = 0; i < a->n; i++)
    if (ca[a->id[i]] == 1 && cb[a->id[i]] == 1) {
      ci[k] = i;
      cj[k] = where_b[a->id[i]];
      k++;
    }
  /* longest increasing run of cj: tops of the piles, and back links */
  size_t *top = chg_mem_alloc(al, (n + 1) * sizeof *top), *prev = chg_mem_alloc(al, (n + 1) * sizeof *prev);
  size_t piles = 0;
  for (size_t q = 0; q < n; q++) {
    size_t lo = 0, hi = piles;
    while (lo < hi) {
      size_t mid = (lo + hi) / 2;
      if (cj[top[mid]] < cj[q]) lo = mid + 1;
      else hi = mid;
    }
    prev[q] = lo ? top[lo - 1] : (size_t)-1;
    top[lo] = q;
    if (lo == piles) piles++;
  }
  /* walk the run back, marking its members, then compare between them */
  bool *keep = chg_mem_alloc(al, n + 1);
  memset(keep, 0, n + 1);
  for (size_t q = piles ? top[piles - 1] : (size_t)-1; q != (size_t)-1; q = prev[q]) keep[q] = true;
  long x = 0, y = 0;
  for (size_t q = 0; q < n; q++) {
    if (!keep[q]) continue;
    compare(d, x, (long)ci[q], y, (long)cj[q]);
    x = (long)ci[q] + 1;
    y = (long)cj[q] + 1;
  }
  compare(d, x, (long)a->n, y, (long)b->n);
  chg_mem_free(al, keep, n + 1);
  chg_mem_free(al, top, (n + 1) * sizeof *top);
  chg_mem_free(al, prev, (n + 1) * sizeof *prev);
  chg_mem_free(al, ci, (n + 1) * sizeof *ci);
  chg_mem_free(al, cj, (n + 1) * sizeof *cj);
  chg_mem_free(al, where_b, (nids + 1) * sizeof *where_b);
  chg_mem_free(al, ca, nids + 1);
  chg_mem_free(al, cb, nids + 1);
}

static void put_line(FILE *out, char mark, const line *l) {
  fputc(mark, out);
  fwrite(l->s, 1, l->n, out);
  if (l->n == 0 || l->s[l->n - 1] != '\n') fputs("\n\\ No newline at end of file\n", out);
}

/* `-5,3`, `-5` for one line, `-4,0` for none (the line before). */
static void range(FILE *out, char sign, size_t start, size_t count) {
  if (count == 1) fprintf(out, "%c%zu", sign, start + 1);
  else fprintf(out, "%c%zu,%zu", sign, count ? start + 1 : start, count);
}

size_t chg_write_diff(chg_ctx *ctx, FILE *out, const char *name, const char *old_text,
                      size_t old_len, const char *new_text, size_t new_len) {
  const chg_allocator *al = &ctx->al;
  if (old_len == new_len && memcmp(old_text, new_text, old_len) == 0) return 0;
  text a, b;
  split_lines(al, old_text, old_len, &a);
  split_lines(al, new_text, new_len, &b);
  uint32_t nids = number_lines(al, &a, &b);
  differ d;
  d.al = al;
  d.a = a.id;
  d.b = b.id;
  d.del = chg_mem_alloc(al, a.n + 1);
  d.ins = chg_mem_alloc(al, b.n + 1);
  memset(d.del, 0, a.n + 1);
  memset(d.ins, 0, b.n + 1);
  size_t diags = a.n + b.n + 3;
  long *fbuf = chg_mem_alloc(al, diags * sizeof *fbuf);
  long *bbuf = chg_mem_alloc(al, diags * sizeof *bbuf);
  d.fd = fbuf + b.n + 1;
  d.bd = bbuf + b.n + 1;
  d.too_expensive = 4096;
  for (size_t k = diags; k > 4096 * 4096; k >>= 2) d.too_expensive <<= 1;
  anchored(&d, &a, &b, nids);

  /* Hunks: runs of changes with three lines of context, merged when the
   * unchanged lines between them are six or fewer. */
  enum { CONTEXT = 3 };
  size_t hunks = 0, i = 0, j = 0;
  while (i < a.n || j < b.n) {
    if (!(i < a.n && d.del[i]) && !(j < b.n && d.ins[j])) {
      i++, j++;
      continue;
    }
    /* a change starts at (i, j): find where the hunk ends */
    size_t hi = i, hj = j, ei = i, ej = j;
    for (;;) {
      while ((ei < a.n && d.del[ei]) || (ej < b.n && d.ins[ej])) {
        if (ei < a.n && d.del[ei]) ei++;
        else ej++;
      }
      /* unchanged lines up to the next change */
      size_t k = 0;
      while (ei + k < a.n && ej + k < b.n && !d.del[ei + k] && !d.ins[ej + k]) k++;
      bool more = (ei + k < a.n && d.del[ei + k]) || (ej + k < b.n && d.ins[ej + k]);
      if (more && k <= 2 * CONTEXT) {
        ei += k;
        ej += k;
        continue;
      }
      break;
    }
    size_t before = hi < CONTEXT ? hi : CONTEXT;
    size_t after = 0;
    while (after < CONTEXT && ei + after < a.n && ej + after < b.n) after++;
    size_t si = hi - before, sj = hj - before;
    size_t ci = ei + after - si, cj = ej + after - sj;
    if (hunks++ == 0) {
      /* a name with a space ends at a tab, as diff -u and git write it,
       * so that patch -p1 reads it whole; an absolute one is under a/ */
      const char *shown = name[0] == '/' ? name + 1 : name, *end = strpbrk(name, " \t") ? "\t" : "";
      fprintf(out, "--- a/%s%s\n+++ b/%s%s\n", shown, end, shown, end);
    }
    fputs("@@ ", out);
    range(out, '-', si, ci);
    fputc(' ', out);
    range(out, '+', sj, cj);
    fputs(" @@\n", out);
    size_t x = si, y = sj;
    while (x < ei + after || y < ej + after) {
      if (x < a.n && d.del[x]) put_line(out, '-', &a.lines[x++]);
      else if (y < b.n && d.ins[y]) put_line(out, '+', &b.lines[y++]);
      else {
        put_line(out, ' ', &a.lines[x]);
        x++, y++;
      }
    }
    i = ei + after;
    j = ej + after;
  }
  chg_mem_free(al, fbuf, diags * sizeof *fbuf);
  chg_mem_free(al, bbuf, diags * sizeof *bbuf);
  chg_mem_free(al, d.del, a.n + 1);
  chg_mem_free(al, d.ins, b.n + 1);
  chg_mem_free(al, a.lines, (a.n ? a.n : 1) * sizeof *a.lines);
  chg_mem_free(al, b.lines, (b.n ? b.n : 1) * sizeof *b.lines);
  chg_mem_free(al, a.id, (a.n ? a.n : 1) * sizeof *a.id);
  chg_mem_free(al, b.id, (b.n ? b.n : 1) * sizeof *b.id);
  return hunks;
}
