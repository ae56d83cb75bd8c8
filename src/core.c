/*
 * core.c -- allocator hooks, arena, growable arrays, interning, maps.
 */
#define _DEFAULT_SOURCE /* MAP_ANONYMOUS, madvise */
#include "core.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

/* ---- allocator --------------------------------------------------- */

static void *default_alloc(void *ud, size_t size) {
  (void)ud;
  return malloc(size);
}

static void *default_realloc(void *ud, void *p, size_t old_size,
                             size_t new_size) {
  (void)ud;
  (void)old_size;
  return realloc(p, new_size);
}

static void default_free(void *ud, void *p, size_t size) {
  (void)ud;
  (void)size;
  free(p);
}

const chg_allocator chg_default_allocator = {default_alloc, default_realloc,
                                             default_free, NULL};

_Noreturn void chg_out_of_memory(void) {
  fputs("chg: out of memory\n", stderr);
  exit(2);
}

void *chg_mem_alloc(const chg_allocator *al, size_t size) {
  void *p = al->alloc(al->ud, size ? size : 1);
  if (!p) chg_out_of_memory();
  return p;
}

void *chg_mem_realloc(const chg_allocator *al, void *p, size_t old_size,
                      size_t new_size) {
  void *q = al->realloc(al->ud, p, old_size, new_size ? new_size : 1);
  if (!q) chg_out_of_memory();
  return q;
}

void chg_mem_free(const chg_allocator *al, void *p, size_t size) {
  if (p) al->free(al->ud, p, size);
}

void *chg_mem_grow(const chg_allocator *al, void *p, size_t *cap, size_t need, size_t size) {
  if (need <= *cap) return p;
  size_t grown = *cap ? *cap * 2 : 256;
  while (grown < need) grown *= 2;
  p = chg_mem_realloc(al, p, *cap * size, grown * size);
  *cap = grown;
  return p;
}

/* ---- arena ------------------------------------------------------- */

struct chg_arena_chunk {
  chg_arena_chunk *prev;
  size_t size;
  /* data follows, aligned to 16 */
};

#define CHUNK_HEADER ((sizeof(chg_arena_chunk) + 15u) & ~(size_t)15u)
#define CHUNK_MIN ((size_t)64 * 1024)

void chg_arena_init(chg_arena *a, const chg_allocator *al) {
  memset(a, 0, sizeof *a);
  a->al = al;
}

/* Big chunks from the default allocator are mapped directly, so that
 * releasing them gives the memory back at once.  While an arena is filled
 * in bulk (a parse), they are aligned to a huge page and offered to the
 * kernel as such: on the virtual machines measured, the first write to
 * each 4 KB page cost the hypervisor more than the parse's own work on it
 * (400 MB took 0.45 s to touch, 0.05 s as huge pages; docs/performance.md,
 * the fifteenth round).  A huge page goes in whole, so up to 2 MB of one
 * may stand unused: after the bulk, small pages again, so that what comes
 * later (evaluation's records, at the peak) does not add that. */
enum { HUGE_CHUNK = 2u << 20 };
#define PLACE_AHEAD ((size_t)256 << 10)

static bool maps_directly(const chg_arena *a, size_t bytes) {
  return a->al->alloc == chg_default_allocator.alloc && bytes >= HUGE_CHUNK;
}

void *chg_pages_alloc(size_t bytes, bool huge) {
  if (!huge) {
    void *p = mmap(NULL, bytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    return p == MAP_FAILED ? NULL : p;
  }
  /* map a huge page more than asked and trim both ends to align it */
  size_t span = bytes + HUGE_CHUNK;
  char *p = mmap(NULL, span, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  if (p == MAP_FAILED) return NULL;
  char *aligned = (char *)(((uintptr_t)p + HUGE_CHUNK - 1) & ~(uintptr_t)(HUGE_CHUNK - 1));
  if (aligned > p) munmap(p, (size_t)(aligned - p));
  if (p + span > aligned + bytes) munmap(aligned + bytes, (size_t)(p + span - (aligned + bytes)));
#ifdef MADV_HUGEPAGE
  (void)madvise(aligned, bytes, MADV_HUGEPAGE);
#endif
  return aligned;
}

void chg_pages_free(void *p, size_t bytes) {
  if (p) munmap(p, bytes);
}

static void *chunk_alloc(chg_arena *a, size_t bytes) {
  if (!maps_directly(a, bytes)) return chg_mem_alloc(a->al, bytes);
  /* in bulk, bytes is a whole number of huge pages */
  a->huge = a->bulk;
  void *p = chg_pages_alloc(bytes, a->huge);
  if (!p) chg_out_of_memory();
  return p;
}

void chg_arena_set_bulk(chg_arena *a, bool bulk) {
  a->bulk = bulk;
  if (!bulk) a->expect = 0;
  if (bulk || !a->huge) return;
  a->huge = false;
#ifdef MADV_NOHUGEPAGE
  /* the huge page being filled is in place; the rest of the chunk is not */
  char *from = (char *)(((uintptr_t)a->limit + HUGE_CHUNK - 1) & ~(uintptr_t)(HUGE_CHUNK - 1));
  if (a->mapped_end && from < a->mapped_end)
    (void)madvise(from, (size_t)(a->mapped_end - from), MADV_NOHUGEPAGE);
#endif
}

/* Chunks that double from 64 KB reach the huge pages only after 5 MB,
 * taken in malloc's small pages: on the virtual machines measured, each of
 * those 1,200 pages cost a trap to the hypervisor on its first write, a
 * fifth of the time `chg check` took for 10,000 projects (docs/
 * performance.md, the thirty-first round).  A parse that knows it is big
 * starts with the big chunks. */
void chg_arena_expect(chg_arena *a, size_t bytes) { a->expect = bytes; }

void chg_arena_expect_run(chg_arena *a, size_t bytes) {
  if (!a->mapped_end || a->huge) return;
  uintptr_t next = (uintptr_t)a->next, limit = (uintptr_t)a->limit;
  /* the first huge page not yet touched: the kernel puts a whole one in
   * place at the first write inside it */
  uintptr_t from = (limit + HUGE_CHUNK - 1) & ~(uintptr_t)(HUGE_CHUNK - 1);
  if (from >= (uintptr_t)a->mapped_end) return;
  /* A run that would begin in small pages (the stretch put in place ahead
   * of what came before) begins at that huge page instead, when that
   * gives it one more whole: the skipped stretch's pages go back.  Before
   * a huge page already in place (the last of a parse), it begins where
   * it is, on pages that cost nothing more. */
  size_t whole = bytes / HUGE_CHUNK, before = from - next;
  if (limit != from && whole > (bytes > before ? bytes - before : 0) / HUGE_CHUNK &&
      whole * HUGE_CHUNK <= (uintptr_t)a->mapped_end - from) {
    chg_arena_give_back(a, a->next, (size_t)(limit - next));
    a->next = a->limit = (char *)from;
  }
  uintptr_t end = (size_t)(a->mapped_end - a->next) < bytes ? (uintptr_t)a->mapped_end
                                                             : (uintptr_t)a->next + bytes;
  uintptr_t to = end & ~(uintptr_t)(HUGE_CHUNK - 1);
  if (to <= from) return;
#ifdef MADV_HUGEPAGE
  (void)madvise((void *)from, to - from, MADV_HUGEPAGE);
#endif
}

void chg_arena_give_back(chg_arena *a, void *p, size_t bytes) {
  chg_mem_give_back(a->al, p, bytes);
}

void chg_mem_give_back(const chg_allocator *al, void *p, size_t bytes) {
  /* only the default allocator's memory, the process's own: another
   * allocator's may be anything */
  if (!p || al->alloc != chg_default_allocator.alloc) return;
  uintptr_t page_size = (uintptr_t)sysconf(_SC_PAGESIZE);
  uintptr_t from = ((uintptr_t)p + page_size - 1) & ~(page_size - 1);
  uintptr_t to = ((uintptr_t)p + bytes) & ~(page_size - 1);
  if (to > from) (void)madvise((void *)from, to - from, MADV_DONTNEED);
}

void chg_arena_for_large_tables(chg_arena *a) {
  a->bulk = true;
  a->expect = HUGE_CHUNK - CHUNK_HEADER; /* the first chunk one huge page */
}

static void chunk_free(chg_arena *a, void *p, size_t bytes) {
  if (maps_directly(a, bytes)) chg_pages_free(p, bytes);
  else chg_mem_free(a->al, p, bytes);
}

static void free_chunks(chg_arena *a, chg_arena_chunk *c) {
  while (c) {
    chg_arena_chunk *prev = c->prev;
    chunk_free(a, c, c->size);
    c = prev;
  }
}

void chg_arena_release(chg_arena *a) {
  free_chunks(a, a->chunk);
  free_chunks(a, a->spare);
  a->chunk = a->spare = NULL;
  a->next = a->limit = a->mapped_end = NULL;
  a->total = 0;
}

void chg_arena_reset(chg_arena *a) {
  while (a->chunk) {
    chg_arena_chunk *c = a->chunk;
    a->chunk = c->prev;
    c->prev = a->spare;
    a->spare = c;
  }
  a->next = a->limit = a->mapped_end = NULL;
  a->total = 0;
}

/* A spare chunk with room for `size`, taken off the list, or NULL */
static chg_arena_chunk *take_spare(chg_arena *a, size_t size) {
  for (chg_arena_chunk **at = &a->spare; *at; at = &(*at)->prev) {
    chg_arena_chunk *c = *at;
    if (c->size - CHUNK_HEADER >= size) {
      *at = c->prev;
      return c;
    }
  }
  return NULL;
}

void chg_arena_adopt(chg_arena *a, chg_arena *from) {
  if (!from->chunk) return;
  chg_arena_chunk *oldest = from->chunk;
  while (oldest->prev) oldest = oldest->prev;
  /* behind the chunk in use, which goes on being filled */
  if (a->chunk) {
    oldest->prev = a->chunk->prev;
    a->chunk->prev = from->chunk;
  } else {
    a->chunk = from->chunk;
    a->next = a->limit = a->mapped_end = NULL;
  }
  a->total += from->total;
  /* the pages put in place ahead in its last chunk will not be used now */
  if (from->mapped_end && from->limit > from->next) {
    uintptr_t page_size = (uintptr_t)sysconf(_SC_PAGESIZE);
    char *page = (char *)(((uintptr_t)from->next + page_size - 1) & ~(page_size - 1));
    if (page < from->limit) (void)madvise(page, (size_t)(from->limit - page), MADV_DONTNEED);
  }
  from->chunk = NULL;
  from->next = from->limit = from->mapped_end = NULL;
  from->total = 0;
}

/* A mapped chunk's pages are put in place a stretch (or a huge page) at
 * a time, ahead of use: one call instead of a fault per page (100,000 of
 * them for a national portfolio), and never more than a stretch in memory
 * unused.  The pages come zeroed. */
static bool place_pages(chg_arena *a, size_t size) {
  if (!a->mapped_end || (size_t)(a->mapped_end - a->next) < size) return false;
  char *from = a->limit;
  uintptr_t step = a->huge ? HUGE_CHUNK : PLACE_AHEAD;
  uintptr_t want = ((uintptr_t)(a->next + size) + step - 1) & ~(step - 1);
  char *to = want > (uintptr_t)a->mapped_end ? a->mapped_end : (char *)want;
#ifdef MADV_POPULATE_WRITE
  /* where the kernel cannot, the pages fault in one by one as before */
  uintptr_t page_size = (uintptr_t)sysconf(_SC_PAGESIZE);
  char *page = (char *)((uintptr_t)from & ~(page_size - 1));
  (void)madvise(page, (size_t)(to - page), MADV_POPULATE_WRITE);
#endif
  a->limit = to;
  return true;
}

void *chg_arena_alloc(chg_arena *a, size_t size) {
  size = (size + 7u) & ~(size_t)7u;
  if ((size_t)(a->limit - a->next) < size) {
    if (place_pages(a, size)) {
      void *p = a->next;
      a->next += size;
      return p; /* fresh pages: zero already */
    }
    chg_arena_chunk *spare = take_spare(a, size);
    if (spare) { /* written before: cleared as it is handed out */
      spare->prev = a->chunk;
      a->chunk = spare;
      a->next = (char *)spare + CHUNK_HEADER;
      a->limit = (char *)spare + spare->size;
      a->mapped_end = NULL;
      a->total += spare->size;
      void *p = a->next;
      a->next += size;
      memset(p, 0, size);
      return p;
    }
    /* Chunks double as the arena grows, so a big tree costs few mallocs. */
    size_t want = a->total / 2 > CHUNK_MIN ? a->total / 2 : CHUNK_MIN;
    if (want < a->expect) want = a->expect;
    if (want > (size_t)16 << 20) want = (size_t)16 << 20;
    if (want < size) want = size;
    size_t bytes = CHUNK_HEADER + want;
    if (bytes >= HUGE_CHUNK) bytes = (bytes + HUGE_CHUNK - 1) & ~(size_t)(HUGE_CHUNK - 1);
    chg_arena_chunk *c = chunk_alloc(a, bytes);
    c->prev = a->chunk;
    c->size = bytes;
    a->chunk = c;
    a->next = (char *)c + CHUNK_HEADER;
    a->total += bytes;
    if (maps_directly(a, bytes)) {
      a->mapped_end = (char *)c + bytes;
      a->limit = a->next;
      place_pages(a, size);
    } else {
      a->mapped_end = NULL;
      a->limit = (char *)c + bytes;
    }
  }
  void *p = a->next;
  a->next += size;
  /* a mapped chunk's pages are fresh from the kernel, zero already */
  if (!a->mapped_end) memset(p, 0, size);
  return p;
}

size_t chg_arena_used(const chg_arena *a) {
  if (!a->chunk) return 0;
  return a->total - (size_t)((char *)a->chunk + a->chunk->size - a->next);
}

char *chg_arena_strndup(chg_arena *a, const char *s, size_t n) {
  char *p = chg_arena_alloc(a, n + 1);
  if (n) memcpy(p, s, n);
  p[n] = '\0';
  return p;
}

char *chg_arena_vprintf(chg_arena *a, const char *fmt, va_list ap) {
  va_list copy;
  va_copy(copy, ap);
  int n = vsnprintf(NULL, 0, fmt, copy);
  va_end(copy);
  if (n < 0) n = 0;
  char *p = chg_arena_alloc(a, (size_t)n + 1);
  vsnprintf(p, (size_t)n + 1, fmt, ap);
  return p;
}

char *chg_arena_printf(chg_arena *a, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  char *p = chg_arena_vprintf(a, fmt, ap);
  va_end(ap);
  return p;
}

/* ---- growable arrays ---------------------------------------------- */

/* A view becomes a vector of its own, with room for `cap` items. */
static void own_items(const chg_allocator *al, chg_vec *v, size_t cap) {
  void **items = chg_mem_alloc(al, cap * sizeof(void *));
  if (v->len) memcpy(items, v->items, v->len * sizeof(void *));
  v->items = items;
  v->cap = cap;
}

void chg_vec_reserve(const chg_allocator *al, chg_vec *v, size_t cap) {
  if (cap <= v->cap) return;
  if (v->items && !v->cap) {
    own_items(al, v, cap > v->len ? cap : v->len);
    return;
  }
  v->items = chg_mem_realloc(al, v->items, v->cap * sizeof(void *), cap * sizeof(void *));
  v->cap = cap;
}

void chg_vec_push(const chg_allocator *al, chg_vec *v, void *item) {
  if (v->len >= v->cap) {
    size_t cap = v->cap ? v->cap * 2 : v->len ? v->len * 2 : 8;
    if (v->items && !v->cap) own_items(al, v, cap);
    else {
      v->items = chg_mem_realloc(al, v->items, v->cap * sizeof(void *), cap * sizeof(void *));
      v->cap = cap;
    }
  }
  v->items[v->len++] = item;
}

void chg_vec_release(const chg_allocator *al, chg_vec *v) {
  if (v->cap) chg_mem_free(al, v->items, v->cap * sizeof(void *));
  memset(v, 0, sizeof *v);
}

void chg_buf_put(const chg_allocator *al, chg_buf *b, const char *s,
                 size_t n) {
  if (b->len + n + 1 > b->cap) {
    size_t cap = b->cap ? b->cap : 256;
    while (cap < b->len + n + 1) cap *= 2;
    b->data = chg_mem_realloc(al, b->data, b->cap, cap);
    b->cap = cap;
  }
  if (n) memcpy(b->data + b->len, s, n);
  b->len += n;
  b->data[b->len] = '\0';
}

void chg_buf_putc(const chg_allocator *al, chg_buf *b, char c) {
  chg_buf_put(al, b, &c, 1);
}

void chg_buf_release(const chg_allocator *al, chg_buf *b) {
  chg_mem_free(al, b->data, b->cap);
  memset(b, 0, sizeof *b);
}

bool chg_buf_read(const chg_allocator *al, chg_buf *b, void *fp, size_t limit) {
  char chunk[65536];
  size_t got;
  while (b->len < limit && (got = fread(chunk, 1, sizeof chunk, fp)) > 0)
    chg_buf_put(al, b, chunk, got);
  return !ferror((FILE *)fp);
}

/* ---- hashing and interning ----------------------------------------- */

uint64_t chg_hash_bytes(const void *p, size_t n) {
  /* FNV-1a: names are short, and this is fast enough not to show. */
  const unsigned char *s = p;
  uint64_t h = 1469598103934665603ull;
  for (size_t i = 0; i < n; i++) {
    h ^= s[i];
    h *= 1099511628211ull;
  }
  return h;
}

void chg_intern_init(chg_names *t, chg_arena *arena) {
  memset(t, 0, sizeof *t);
  t->arena = arena;
  t->al = arena->al;
}

/* The table is in the arena with the names, where a parse's pages are
 * huge ones already in place: in malloc's 4 KB pages, the first writes
 * to a growing table were 165 page faults of a parse of 10,000 projects.
 * A table outgrown gives its pages back. */
void chg_intern_release(chg_names *t) {
  chg_mem_give_back(t->al, t->slots, t->cap * sizeof *t->slots);
  chg_mem_give_back(t->al, t->hashes, t->cap * sizeof *t->hashes);
  t->slots = NULL;
  t->hashes = NULL;
  t->cap = t->count = 0;
}

/* In the arena the names go to: a table shared by a parse's pieces has an
 * arena of its own, used under the same lock, while the pieces fill
 * theirs. */
static void intern_resize(chg_names *t, chg_arena *arena, size_t cap) {
  const char **slots = CHG_NEW_ARRAY(arena, const char *, cap); /* zeroed */
  uint32_t *hashes = CHG_NEW_ARRAY(arena, uint32_t, cap);
  for (size_t i = 0; i < t->cap; i++) {
    if (!t->slots[i]) continue;
    size_t j = t->hashes[i] & (cap - 1);
    while (slots[j]) j = (j + 1) & (cap - 1);
    slots[j] = t->slots[i];
    hashes[j] = t->hashes[i];
  }
  size_t count = t->count;
  chg_intern_release(t);
  t->slots = slots;
  t->hashes = hashes;
  t->cap = cap;
  t->count = count;
}

void chg_intern_reserve(chg_names *t, chg_arena *arena, size_t count) {
  size_t cap = t->cap ? t->cap : 1024;
  while (count * 4 > cap * 3) cap *= 2;
  if (cap > t->cap) intern_resize(t, arena, cap);
}

const char *chg_intern_hashed(chg_names *t, chg_arena *arena, const char *s, size_t n,
                              uint32_t h) {
  if ((t->count + 1) * 4 > t->cap * 3) intern_resize(t, arena, t->cap ? t->cap * 2 : 1024);
  size_t i = h & (t->cap - 1);
  while (t->slots[i]) {
    if (t->hashes[i] == h && strncmp(t->slots[i], s, n) == 0 &&
        t->slots[i][n] == '\0')
      return t->slots[i];
    i = (i + 1) & (t->cap - 1);
  }
  const char *copy = chg_arena_strndup(arena, s, n);
  t->slots[i] = copy;
  t->hashes[i] = h;
  t->count++;
  return copy;
}

const char *chg_intern(chg_names *t, const char *s, size_t n) {
  return chg_intern_hashed(t, t->arena, s, n, chg_name_hash(s, n));
}

const char *chg_intern_cstr(chg_names *t, const char *s) {
  return chg_intern(t, s, strlen(s));
}

/* ---- (scope, name) map --------------------------------------------- */

static size_t map_hash(const void *scope, const char *name) {
  uintptr_t a = (uintptr_t)scope, b = (uintptr_t)name;
  uint64_t h = (uint64_t)a * 0x9E3779B97F4A7C15ull ^ (uint64_t)b;
  h ^= h >> 29;
  h *= 0xBF58476D1CE4E5B9ull;
  h ^= h >> 32;
  return (size_t)h;
}

void chg_map_init(chg_map *m, const chg_allocator *al) {
  memset(m, 0, sizeof *m);
  m->al = al;
}

void chg_map_init_in(chg_map *m, const chg_allocator *al, chg_arena *arena) {
  chg_map_init(m, al);
  m->arena = arena;
}

static void free_slots(chg_map *m) {
  if (m->arena) chg_arena_give_back(m->arena, m->slots, m->cap * sizeof *m->slots);
  else chg_mem_free(m->al, m->slots, m->cap * sizeof *m->slots);
}

void chg_map_release(chg_map *m) {
  free_slots(m);
  m->slots = NULL;
  m->cap = m->count = 0;
}

void *chg_map_get(const chg_map *m, const void *scope, const char *name) {
  if (!m->cap) return NULL;
  size_t i = map_hash(scope, name) & (m->cap - 1);
  while (m->slots[i].name) {
    if (m->slots[i].name == name && m->slots[i].scope == scope)
      return m->slots[i].value;
    i = (i + 1) & (m->cap - 1);
  }
  return NULL;
}

static void map_grow(chg_map *m) {
  size_t cap = m->cap ? m->cap * 2 : 256;
  chg_map_slot *slots;
  if (m->arena) slots = CHG_NEW_ARRAY(m->arena, chg_map_slot, cap); /* zeroed */
  else {
    slots = chg_mem_alloc(m->al, cap * sizeof *slots);
    memset(slots, 0, cap * sizeof *slots);
  }
  for (size_t i = 0; i < m->cap; i++) {
    chg_map_slot s = m->slots[i];
    if (!s.name) continue;
    size_t j = map_hash(s.scope, s.name) & (cap - 1);
    while (slots[j].name) j = (j + 1) & (cap - 1);
    slots[j] = s;
  }
  free_slots(m);
  m->slots = slots;
  m->cap = cap;
}

void *chg_map_put(chg_map *m, const void *scope, const char *name,
                  void *value) {
  if ((m->count + 1) * 4 > m->cap * 3) map_grow(m);
  size_t i = map_hash(scope, name) & (m->cap - 1);
  while (m->slots[i].name) {
    if (m->slots[i].name == name && m->slots[i].scope == scope)
      return m->slots[i].value;
    i = (i + 1) & (m->cap - 1);
  }
  m->slots[i].scope = scope;
  m->slots[i].name = name;
  m->slots[i].value = value;
  m->count++;
  return NULL;
}

void chg_map_set(chg_map *m, const void *scope, const char *name, void *value) {
  if (!chg_map_put(m, scope, name, value)) return;
  size_t i = map_hash(scope, name) & (m->cap - 1);
  while (m->slots[i].name != name || m->slots[i].scope != scope) i = (i + 1) & (m->cap - 1);
  m->slots[i].value = value;
}

/* ---- edit distance -------------------------------------------------- */

/* Edits to turn a into b -- an insertion, deletion, substitution or a
 * swap of two neighbours each count one, since `stauts` is `status`
 * mistyped, not `start` -- or cap + 1 once it is known to exceed cap. */
unsigned chg_edit_distance(const char *a, const char *b, unsigned cap) {
  size_t la = strlen(a), lb = strlen(b);
  if (la > 64 || lb > 64) return cap + 1;
  /* What the two share at either end costs no edit, so only what lies
   * between is compared: `grade_tqqsxjja` against `grade_kpxmzwqa`, six
   * letters, not fourteen.  A staff category is checked against a
   * thousand others (eval.c), and whole rows of fourteen letters were a
   * seventh of checking a portfolio of 2,500 of them. */
  while (la && lb && *a == *b) a++, b++, la--, lb--;
  while (la && lb && a[la - 1] == b[lb - 1]) la--, lb--;
  if ((la > lb ? la - lb : lb - la) > cap) return cap + 1;
  /* A cell more than cap off the diagonal is more than cap edits: each
   * row is worked out only within cap of it, what lies outside counted
   * as too many. */
  unsigned big = cap + 1;
  unsigned rows[3][65]; /* rows i - 2, i - 1 and i, in turn */
  unsigned *before = rows[0], *prev = rows[1], *row = rows[2];
  for (size_t j = 0; j <= lb; j++) prev[j] = j <= cap ? (unsigned)j : big;
  unsigned prev_best = 0;
  for (size_t i = 1; i <= la; i++) {
    size_t lo = i > cap ? i - cap : 1, hi = i + cap < lb ? i + cap : lb;
    row[0] = i <= cap ? (unsigned)i : big;
    if (lo > 1) row[lo - 1] = big;
    unsigned best = row[0];
    for (size_t j = lo; j <= hi; j++) {
      unsigned v = prev[j - 1] + (a[i - 1] == b[j - 1] ? 0u : 1u);
      if (prev[j] + 1 < v) v = prev[j] + 1;
      if (row[j - 1] + 1 < v) v = row[j - 1] + 1;
      if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] && before[j - 2] + 1 < v)
        v = before[j - 2] + 1;
      row[j] = v;
      if (v < best) best = v;
    }
    if (hi < lb) row[hi + 1] = big; /* read as the next row's cell above */
    /* a row draws only on the two before it */
    if (best > cap && prev_best > cap) return cap + 1;
    prev_best = best;
    unsigned *spare = before;
    before = prev;
    prev = row;
    row = spare;
  }
  return prev[lb] > cap ? cap + 1 : prev[lb];
}

uint32_t chg_utf8_decode(const unsigned char *s, size_t n, size_t *len) {
  unsigned char c = s[0];
  size_t l = c < 0x80 ? 1 : c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : 2;
  if (l > n) l = n;
  uint32_t cp = l == 1 ? c : c & (l == 4 ? 0x07u : l == 3 ? 0x0Fu : 0x1Fu);
  for (size_t k = 1; k < l; k++) cp = (cp << 6) | (s[k] & 0x3Fu);
  *len = l;
  return cp;
}

bool chg_acts_on_terminal(uint32_t cp) {
  return (cp >= 0x80 && cp <= 0x9F) || cp == 0x2028 || cp == 0x2029 ||
         (cp >= 0x202A && cp <= 0x202E) || (cp >= 0x2066 && cp <= 0x2069);
}

/* 0 for combining marks and zero-width characters, 2 for East Asian wide
 * and fullwidth ones (CJK, Hangul, fullwidth forms, most emoji), 1 for
 * the rest: a byte that is not UTF-8, a control character or one that
 * acts on the terminal is shown as one `?`. */
/* Whether cp falls in one of `n` sorted, disjoint ranges. */
static bool in_ranges(uint32_t cp, const uint32_t (*r)[2], size_t n) {
  size_t lo = 0, hi = n;
  while (lo < hi) {
    size_t mid = (lo + hi) / 2;
    if (cp < r[mid][0]) hi = mid;
    else if (cp > r[mid][1]) lo = mid + 1;
    else return true;
  }
  return false;
}

unsigned chg_char_columns(const unsigned char *s, size_t n, size_t *bytes) {
  uint32_t cp;
  *bytes = chg_utf8_next(s, n, &cp);
  if (cp < 0x80 || cp == CHG_NOT_UTF8 || chg_acts_on_terminal(cp)) return 1;
  /* what a terminal gives no column: combining marks (Unicode's Mn and
   * Me), format characters, Hangul's medial and final jamo, emoji skin
   * tones and tags, variation selectors */
  static const uint32_t zero[][2] = {
      {0x0300, 0x036F}, {0x0483, 0x0489}, {0x0591, 0x05BD}, {0x05BF, 0x05BF},
      {0x05C1, 0x05C2}, {0x05C4, 0x05C5}, {0x05C7, 0x05C7}, {0x0610, 0x061A},
      {0x061C, 0x061C}, {0x064B, 0x065F}, {0x0670, 0x0670}, {0x06D6, 0x06DC},
      {0x06DF, 0x06E4}, {0x06E7, 0x06E8}, {0x06EA, 0x06ED}, {0x0711, 0x0711},
      {0x0730, 0x074A}, {0x07A6, 0x07B0}, {0x07EB, 0x07F3}, {0x0816, 0x0819},
      {0x081B, 0x0823}, {0x0825, 0x0827}, {0x0829, 0x082D}, {0x0859, 0x085B},
      {0x08D3, 0x08E1}, {0x08E3, 0x0902}, {0x093A, 0x093A}, {0x093C, 0x093C},
      {0x0941, 0x0948}, {0x094D, 0x094D}, {0x0951, 0x0957}, {0x0962, 0x0963},
      {0x0981, 0x0981}, {0x09BC, 0x09BC}, {0x09C1, 0x09C4}, {0x09CD, 0x09CD},
      {0x09E2, 0x09E3}, {0x0A01, 0x0A02}, {0x0A3C, 0x0A3C}, {0x0A41, 0x0A51},
      {0x0A70, 0x0A71}, {0x0A75, 0x0A75}, {0x0A81, 0x0A82}, {0x0ABC, 0x0ABC},
      {0x0AC1, 0x0AC8}, {0x0ACD, 0x0ACD}, {0x0AE2, 0x0AE3}, {0x0B01, 0x0B01},
      {0x0B3C, 0x0B3C}, {0x0B3F, 0x0B3F}, {0x0B41, 0x0B44}, {0x0B4D, 0x0B4D},
      {0x0B56, 0x0B56}, {0x0B62, 0x0B63}, {0x0B82, 0x0B82}, {0x0BC0, 0x0BC0},
      {0x0BCD, 0x0BCD}, {0x0C00, 0x0C00}, {0x0C3E, 0x0C40}, {0x0C46, 0x0C56},
      {0x0C62, 0x0C63}, {0x0C81, 0x0C81}, {0x0CBC, 0x0CBC}, {0x0CCC, 0x0CCD},
      {0x0CE2, 0x0CE3}, {0x0D00, 0x0D01}, {0x0D41, 0x0D44}, {0x0D4D, 0x0D4D},
      {0x0D62, 0x0D63}, {0x0DCA, 0x0DCA}, {0x0DD2, 0x0DD6}, {0x0E31, 0x0E31},
      {0x0E34, 0x0E3A}, {0x0E47, 0x0E4E}, {0x0EB1, 0x0EB1}, {0x0EB4, 0x0EBC},
      {0x0EC8, 0x0ECD}, {0x0F18, 0x0F19}, {0x0F35, 0x0F35}, {0x0F37, 0x0F37},
      {0x0F39, 0x0F39}, {0x0F71, 0x0F7E}, {0x0F80, 0x0F84}, {0x0F86, 0x0F87},
      {0x0F8D, 0x0FBC}, {0x0FC6, 0x0FC6}, {0x102D, 0x1030}, {0x1032, 0x1037},
      {0x1039, 0x103A}, {0x103D, 0x103E}, {0x1058, 0x1059}, {0x105E, 0x1060},
      {0x1071, 0x1074}, {0x1082, 0x1082}, {0x1085, 0x1086}, {0x108D, 0x108D},
      {0x109D, 0x109D}, {0x1160, 0x11FF}, {0x135D, 0x135F}, {0x1712, 0x1714},
      {0x1732, 0x1734}, {0x1752, 0x1753}, {0x1772, 0x1773}, {0x17B4, 0x17B5},
      {0x17B7, 0x17BD}, {0x17C6, 0x17C6}, {0x17C9, 0x17D3}, {0x17DD, 0x17DD},
      {0x180B, 0x180E}, {0x1885, 0x1886}, {0x18A9, 0x18A9}, {0x1920, 0x1922},
      {0x1927, 0x1928}, {0x1932, 0x1932}, {0x1939, 0x193B}, {0x1A17, 0x1A18},
      {0x1A1B, 0x1A1B}, {0x1A56, 0x1A56}, {0x1A58, 0x1A60}, {0x1A62, 0x1A62},
      {0x1A65, 0x1A6C}, {0x1A73, 0x1A7F}, {0x1AB0, 0x1AFF}, {0x1B00, 0x1B03},
      {0x1B34, 0x1B34}, {0x1B36, 0x1B3A}, {0x1B3C, 0x1B3C}, {0x1B42, 0x1B42},
      {0x1B6B, 0x1B73}, {0x1B80, 0x1B81}, {0x1BA2, 0x1BA5}, {0x1BA8, 0x1BAD},
      {0x1BE6, 0x1BE6}, {0x1BE8, 0x1BE9}, {0x1BED, 0x1BED}, {0x1BEF, 0x1BF1},
      {0x1C2C, 0x1C33}, {0x1C36, 0x1C37}, {0x1CD0, 0x1CD2}, {0x1CD4, 0x1CE0},
      {0x1CE2, 0x1CE8}, {0x1CED, 0x1CED}, {0x1CF4, 0x1CF4}, {0x1CF8, 0x1CF9},
      {0x1DC0, 0x1DFF}, {0x200B, 0x200F}, {0x202A, 0x202E}, {0x2060, 0x2064},
      {0x20D0, 0x20FF}, {0x2CEF, 0x2CF1}, {0x2D7F, 0x2D7F}, {0x2DE0, 0x2DFF},
      {0x302A, 0x302D}, {0x3099, 0x309A}, {0xA66F, 0xA672}, {0xA674, 0xA67D},
      {0xA69E, 0xA69F}, {0xA6F0, 0xA6F1}, {0xA802, 0xA802}, {0xA806, 0xA806},
      {0xA80B, 0xA80B}, {0xA825, 0xA826}, {0xA8C4, 0xA8C5}, {0xA8E0, 0xA8F1},
      {0xA8FF, 0xA8FF}, {0xA926, 0xA92D}, {0xA947, 0xA951}, {0xA980, 0xA982},
      {0xA9B3, 0xA9B3}, {0xA9B6, 0xA9B9}, {0xA9BC, 0xA9BD}, {0xA9E5, 0xA9E5},
      {0xAA29, 0xAA2E}, {0xAA31, 0xAA32}, {0xAA35, 0xAA36}, {0xAA43, 0xAA43},
      {0xAA4C, 0xAA4C}, {0xAA7C, 0xAA7C}, {0xAAB0, 0xAAB0}, {0xAAB2, 0xAAB4},
      {0xAAB7, 0xAAB8}, {0xAABE, 0xAABF}, {0xAAC1, 0xAAC1}, {0xAAEC, 0xAAED},
      {0xAAF6, 0xAAF6}, {0xABE5, 0xABE5}, {0xABE8, 0xABE8}, {0xABED, 0xABED},
      {0xD7B0, 0xD7FF}, {0xFB1E, 0xFB1E}, {0xFE00, 0xFE0F}, {0xFE20, 0xFE2F},
      {0xFEFF, 0xFEFF}, {0xFFF9, 0xFFFB}, {0x1D167, 0x1D169}, {0x1D173, 0x1D182},
      {0x1D185, 0x1D18B}, {0x1D1AA, 0x1D1AD}, {0x1F3FB, 0x1F3FF}, {0xE0001, 0xE0001},
      {0xE0020, 0xE007F}, {0xE0100, 0xE01EF}};
  /* Unicode's East Asian Wide and Fullwidth: CJK, Hangul syllables, and
   * the emoji shown as pictures (the RAG circles included) */
  static const uint32_t wide[][2] = {
      {0x1100, 0x115F}, {0x231A, 0x231B}, {0x2329, 0x232A}, {0x23E9, 0x23EC},
      {0x23F0, 0x23F0}, {0x23F3, 0x23F3}, {0x25FD, 0x25FE}, {0x2614, 0x2615},
      {0x2648, 0x2653}, {0x267F, 0x267F}, {0x2693, 0x2693}, {0x26A1, 0x26A1},
      {0x26AA, 0x26AB}, {0x26BD, 0x26BE}, {0x26C4, 0x26C5}, {0x26CE, 0x26CE},
      {0x26D4, 0x26D4}, {0x26EA, 0x26EA}, {0x26F2, 0x26F5}, {0x26FA, 0x26FA},
      {0x26FD, 0x26FD}, {0x2705, 0x2705}, {0x270A, 0x270B}, {0x2728, 0x2728},
      {0x274C, 0x274C}, {0x274E, 0x274E}, {0x2753, 0x2755}, {0x2757, 0x2757},
      {0x2795, 0x2797}, {0x27B0, 0x27B0}, {0x27BF, 0x27BF}, {0x2B1B, 0x2B1C},
      {0x2B50, 0x2B50}, {0x2B55, 0x2B55}, {0x2E80, 0x303E}, {0x3041, 0x33FF},
      {0x3400, 0x4DBF}, {0x4E00, 0x9FFF}, {0xA000, 0xA4CF}, {0xA960, 0xA97F},
      {0xAC00, 0xD7A3}, {0xF900, 0xFAFF}, {0xFE10, 0xFE19}, {0xFE30, 0xFE6F},
      {0xFF00, 0xFF60}, {0xFFE0, 0xFFE6}, {0x16FE0, 0x16FE4}, {0x17000, 0x18CFF},
      {0x1B000, 0x1B2FF}, {0x1F004, 0x1F004}, {0x1F0CF, 0x1F0CF}, {0x1F18E, 0x1F18E},
      {0x1F191, 0x1F19A}, {0x1F200, 0x1F2FF}, {0x1F300, 0x1F64F}, {0x1F680, 0x1F6FF},
      {0x1F7E0, 0x1F7EB}, {0x1F900, 0x1F9FF}, {0x1FA70, 0x1FAFF}, {0x20000, 0x3FFFD}};
  if (in_ranges(cp, zero, sizeof zero / sizeof zero[0])) return 0;
  if (in_ranges(cp, wide, sizeof wide / sizeof wide[0])) return 2;
  return 1;
}


size_t chg_utf8_next(const unsigned char *s, size_t n, uint32_t *cp) {
  if (s[0] < 0x80) {
    *cp = s[0];
    return 1;
  }
  size_t len = chg_utf8_sequence(s, n), used;
  *cp = len ? chg_utf8_decode(s, len, &used) : CHG_NOT_UTF8;
  return len ? len : 1;
}

char *chg_shown_copy(chg_arena *arena, const char *s) {
  size_t len = strlen(s), o = 0;
  char *out = chg_arena_alloc(arena, len + 1);
  for (size_t i = 0; i < len;) {
    uint32_t cp;
    size_t n = chg_utf8_next((const unsigned char *)s + i, len - i, &cp);
    bool hidden = cp < 0x80 ? (cp < 0x20 && cp != '\n' && cp != '\t') || cp == 0x7f
                            : cp == CHG_NOT_UTF8 || chg_acts_on_terminal(cp);
    if (hidden) {
      out[o++] = '?';
    } else {
      memcpy(out + o, s + i, n);
      o += n;
    }
    i += n;
  }
  out[o] = '\0';
  return out;
}

bool chg_unseen_char(uint32_t cp) {
  return (cp >= 0x80 && cp <= 0xA0) || cp == 0xAD || cp == 0x034F || cp == 0x061C ||
         cp == 0x115F || cp == 0x1160 || cp == 0x180E || (cp >= 0x200B && cp <= 0x200F) ||
         (cp >= 0x2028 && cp <= 0x202F) || (cp >= 0x205F && cp <= 0x2064) ||
         (cp >= 0x2066 && cp <= 0x206F) || cp == 0x2800 || cp == 0x3000 || cp == 0x3164 ||
         cp == 0xFEFF || cp == 0xFFA0 || (cp >= 0xE0000 && cp <= 0xE007F) ||
         /* variation selectors (seen only in what they select: see fmt.c),
          * interlinear annotation marks, musical format characters */
         (cp >= 0xFE00 && cp <= 0xFE0F) || (cp >= 0xE0100 && cp <= 0xE01EF) ||
         (cp >= 0xFFF9 && cp <= 0xFFFB) || (cp >= 0x1D173 && cp <= 0x1D17A);
}

/* Length of the valid UTF-8 sequence at s, or 0 if it is not one. */
size_t chg_utf8_sequence(const unsigned char *s, size_t n) {
  unsigned char c = s[0];
  size_t len;
  uint32_t min;
  uint32_t cp;
  if (c < 0x80) return 1;
  if (c >= 0xC2 && c <= 0xDF) { len = 2; min = 0x80; cp = c & 0x1F; }
  else if (c >= 0xE0 && c <= 0xEF) { len = 3; min = 0x800; cp = c & 0x0F; }
  else if (c >= 0xF0 && c <= 0xF4) { len = 4; min = 0x10000; cp = c & 0x07; }
  else return 0;
  if (n < len) return 0;
  for (size_t i = 1; i < len; i++) {
    if ((s[i] & 0xC0) != 0x80) return 0;
    cp = (cp << 6) | (s[i] & 0x3F);
  }
  if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return 0;
  return len;
}

bool chg_says_nothing(const char *s, size_t n) {
  const unsigned char *u = (const unsigned char *)s;
  for (size_t i = 0, len; i < n; i += len) {
    uint32_t cp;
    len = chg_utf8_next(u + i, n - i, &cp);
    bool nothing = cp <= 0x20 || (cp >= 0x7F && cp <= 0xA0) || cp == 0x1680 || cp == 0x180E ||
                   (cp >= 0x2000 && cp <= 0x200F) || (cp >= 0x2028 && cp <= 0x202F) ||
                   (cp >= 0x205F && cp <= 0x2064) || cp == 0x3000 || cp == 0xFEFF;
    if (!nothing) return false;
  }
  return true;
}

bool chg_blank(const char *s) {
  for (; *s; s++)
    if (*s != ' ' && *s != '\t' && *s != '\n' && *s != '\r') return false;
  return true;
}

const char *chg_a_an(const char *word) {
  /* "a unit", "a use": the vowel is said as "you" */
  if (strncmp(word, "un", 2) == 0 || strncmp(word, "us", 2) == 0) return "a";
  return strchr("aeiou", word[0]) ? "an" : "a";
}

static size_t hex_escape(uint32_t cp, char *out) {
  static const char hex[] = "0123456789abcdef";
  out[0] = '\\';
  out[1] = 'u';
  for (int i = 0; i < 4; i++) out[2 + i] = hex[(cp >> (12 - 4 * i)) & 15];
  return 6;
}

size_t chg_json_escape(const char *s, size_t n, char out[6], size_t *took) {
  unsigned char c = (unsigned char)s[0];
  *took = 1;
  out[0] = '\\';
  switch (c) {
  case '"': out[1] = '"'; return 2;
  case '\\': out[1] = '\\'; return 2;
  case '\n': out[1] = 'n'; return 2;
  case '\r': out[1] = 'r'; return 2;
  case '\t': out[1] = 't'; return 2;
  default: break;
  }
  if (c <= 0x7F) return hex_escape(c, out);
  size_t k = chg_utf8_sequence((const unsigned char *)s, n);
  if (!k) return hex_escape(0xFFFD, out);
  *took = k;
  uint32_t cp = k == 2 ? ((c & 0x1Fu) << 6) | ((unsigned char)s[1] & 0x3Fu) : 0;
  bool separator = k == 3 && c == 0xE2 && (unsigned char)s[1] == 0x80 &&
                   ((unsigned char)s[2] == 0xA8 || (unsigned char)s[2] == 0xA9);
  if (separator) return hex_escape((unsigned char)s[2] == 0xA8 ? 0x2028 : 0x2029, out);
  if (k == 2 && cp <= 0x9F) return hex_escape(cp, out);
  memcpy(out, s, k);
  return k;
}
