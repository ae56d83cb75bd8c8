/* Arena, names, maps, edit distance, and every out-of-memory path. */
#include <sys/wait.h>
#include <unistd.h>

#include "testutil.h"

static void test_arena(void **state) {
  (void)state;
  chg_arena a;
  chg_arena_init(&a, &chg_default_allocator);
  char *first = chg_arena_alloc(&a, 3);
  char *second = chg_arena_alloc(&a, 5);
  assert_true(((uintptr_t)first & 7) == 0 && ((uintptr_t)second & 7) == 0);
  assert_true(second >= first + 3);
  /* a block larger than a chunk gets one of its own */
  char *big = chg_arena_alloc(&a, (size_t)1 << 20);
  big[((size_t)1 << 20) - 1] = 'x';
  for (int i = 0; i < 10000; i++) assert_non_null(chg_arena_alloc(&a, 100));
  char *s = chg_arena_printf(&a, "%s-%d", "fy", 2011);
  assert_string_equal(s, "fy-2011");
  chg_arena_release(&a);
}

/* A national portfolio's arena is mapped and its pages put in place ahead
 * of use: everything it hands out is still zeroed, across stretches and
 * chunks. */
static void test_arena_mapped_chunks_zeroed(void **state) {
  (void)state;
  chg_arena a;
  chg_arena_init(&a, &chg_default_allocator);
  size_t total = 0;
  for (int i = 0; total < ((size_t)40 << 20); i++) {
    size_t n = (size_t)(i % 7 == 0 ? 300000 : 24 + (i % 13) * 8);
    unsigned char *p = chg_arena_alloc(&a, n);
    for (size_t k = 0; k < n; k += 509) assert_int_equal(p[k], 0);
    assert_int_equal(p[n - 1], 0);
    memset(p, 0xAB, n);
    total += n;
  }
  assert_true(a.total >= total);
  chg_arena_release(&a);
}

/* A bulk that says what it expects starts with one chunk that size,
 * mapped, not a ramp of small ones; its memory is zeroed; once the bulk
 * ends, chunks ramp again from what is there. */
static void test_arena_expected_bulk_one_chunk(void **state) {
  (void)state;
  chg_arena a;
  chg_arena_init(&a, &chg_default_allocator);
  chg_arena_set_bulk(&a, true);
  chg_arena_expect(&a, (size_t)6 << 20);
  size_t total = 0;
  while (total < ((size_t)5 << 20)) {
    unsigned char *p = chg_arena_alloc(&a, 4000);
    assert_int_equal(p[0], 0);
    assert_int_equal(p[3999], 0);
    memset(p, 0xEE, 4000);
    total += 4000;
  }
  size_t chunks = 0;
  for (const chg_arena_chunk *c = a.chunk; c; c = *(chg_arena_chunk *const *)c) chunks++;
  assert_int_equal(chunks, 1);
  assert_true(a.total >= ((size_t)6 << 20));
  assert_non_null(a.mapped_end);
  chg_arena_set_bulk(&a, false);
  assert_int_equal(a.expect, 0);
  chg_arena_release(&a);
  /* without the expectation, the same bulk is several chunks */
  chg_arena_init(&a, &chg_default_allocator);
  chg_arena_set_bulk(&a, true);
  for (total = 0; total < ((size_t)5 << 20); total += 4000) (void)chg_arena_alloc(&a, 4000);
  chunks = 0;
  for (const chg_arena_chunk *c = a.chunk; c; c = *(chg_arena_chunk *const *)c) chunks++;
  assert_true(chunks > 3);
  chg_arena_release(&a);
}

/* A report's scratch for large tables: its first chunk is one huge page,
 * mapped and aligned to it; a table filled, written over, reset and
 * filled again (bigger than the first chunk) is zeroed every time. */
static void test_arena_for_large_tables(void **state) {
  (void)state;
  chg_arena a;
  chg_arena_init(&a, &chg_default_allocator);
  chg_arena_for_large_tables(&a);
  unsigned char *first = chg_arena_alloc(&a, 64);
  assert_int_equal(a.total, CHG_HUGE_PAGE);
  assert_non_null(a.mapped_end);
  assert_int_equal((uintptr_t)a.chunk % CHG_HUGE_PAGE, 0);
  assert_true(first > (unsigned char *)a.chunk);
  for (int round = 0; round < 3; round++) {
    size_t want = (size_t)(round + 1) * (3u << 20) / 2, total = 0;
    while (total < want) {
      size_t n = 1000 + total % 5000;
      unsigned char *p = chg_arena_alloc(&a, n);
      for (size_t k = 0; k < n; k += 97) assert_int_equal(p[k], 0);
      assert_int_equal(p[n - 1], 0);
      memset(p, 0x5A, n);
      total += n;
    }
    chg_arena_reset(&a);
  }
  chg_arena_release(&a);
  /* a buffer of whole huge pages, aligned, zeroed, given back */
  unsigned char *b = chg_pages_alloc(2 * CHG_HUGE_PAGE, true);
  assert_non_null(b);
  assert_int_equal((uintptr_t)b % CHG_HUGE_PAGE, 0);
  assert_int_equal(b[0], 0);
  assert_int_equal(b[2 * CHG_HUGE_PAGE - 1], 0);
  memset(b, 1, 2 * CHG_HUGE_PAGE);
  chg_pages_free(b, 2 * CHG_HUGE_PAGE);
}

/* The kilobytes of huge pages the mapping holding p has, per
 * /proc/self/smaps, or -1 when that cannot be read. */
static long huge_kb_around(const void *p) {
  FILE *f = fopen("/proc/self/smaps", "r");
  if (!f) return -1;
  char line[512];
  bool inside = false;
  long kb = -1;
  while (fgets(line, sizeof line, f)) {
    unsigned long lo, hi;
    if (sscanf(line, "%lx-%lx ", &lo, &hi) == 2 && strchr(line, '-') < strchr(line, ' ')) {
      inside = (uintptr_t)p >= lo && (uintptr_t)p < hi;
      continue;
    }
    if (inside && sscanf(line, "AnonHugePages: %ld kB", &kb) == 1) break;
  }
  fclose(f);
  return kb;
}

static bool transparent_huge_pages(void) {
  FILE *f = fopen("/sys/kernel/mm/transparent_hugepage/enabled", "r");
  if (!f) return false;
  char line[128] = "";
  bool on = fgets(line, sizeof line, f) && !strstr(line, "[never]");
  fclose(f);
  return on;
}

/* A run announced in a chunk of small pages (every block's record): it is
 * handed out zeroed, the huge pages wholly inside it are taken as such,
 * and nothing past its end is put in place beyond the usual stretch. */
static void test_arena_expected_run(void **state) {
  (void)state;
  chg_arena a;
  chg_arena_init(&a, &chg_default_allocator);
  chg_arena_expect(&a, (size_t)16 << 20);
  (void)chg_arena_alloc(&a, 100);
  assert_non_null(a.mapped_end);
  size_t run = (size_t)7 << 20;
  chg_arena_expect_run(&a, run);
  /* begun in small pages, the run begins at the next huge page: three
   * whole ones, not two */
  char *start = a.next;
  assert_int_equal((uintptr_t)start % CHG_HUGE_PAGE, 0);
  for (size_t total = 0; total < run; total += 64) {
    unsigned char *p = chg_arena_alloc(&a, 64);
    assert_int_equal(p[0], 0);
    assert_int_equal(p[63], 0);
    memset(p, 0x77, 64);
  }
  assert_true(a.next - start >= (ptrdiff_t)run);
  /* put in place: the run, and at most a stretch beyond it */
  assert_true(a.limit - a.next <= (ptrdiff_t)(256 << 10));
  if (transparent_huge_pages()) assert_true(huge_kb_around(start + run / 2) >= 6144);
  /* past the run, small pages again, still zeroed */
  for (int i = 0; i < 1000; i++) {
    unsigned char *p = chg_arena_alloc(&a, 4000);
    assert_int_equal(p[0], 0);
    assert_int_equal(p[3999], 0);
  }
  chg_arena_release(&a);
  /* in an arena of malloc's small chunks, a run changes nothing */
  chg_arena_init(&a, &chg_default_allocator);
  (void)chg_arena_alloc(&a, 100);
  chg_arena_expect_run(&a, run);
  for (int i = 0; i < 100; i++) assert_int_equal(*(unsigned char *)chg_arena_alloc(&a, 4000), 0);
  chg_arena_release(&a);
}

/* A vector that views memory it does not own (the blocks sorted into an
 * arena): released, it frees nothing; pushed to or reserved, it takes a
 * copy of its own and keeps its items. */
static void test_vec_view(void **state) {
  (void)state;
  chg_arena a;
  chg_arena_init(&a, &chg_default_allocator);
  int x[5];
  void **items = CHG_NEW_ARRAY(&a, void *, 3);
  for (int i = 0; i < 3; i++) items[i] = &x[i];
  chg_vec view = {items, 3, 0};
  chg_vec_release(&chg_default_allocator, &view); /* would free arena memory */
  assert_null(view.items);
  view = (chg_vec){items, 3, 0};
  chg_vec_push(&chg_default_allocator, &view, &x[3]);
  assert_ptr_not_equal(view.items, items);
  assert_true(view.cap >= 4);
  assert_int_equal(view.len, 4);
  for (int i = 0; i < 4; i++) assert_ptr_equal(view.items[i], &x[i]);
  assert_ptr_equal(items[2], &x[2]); /* the memory viewed is as it was */
  chg_vec_release(&chg_default_allocator, &view);
  view = (chg_vec){items, 3, 0};
  chg_vec_reserve(&chg_default_allocator, &view, 10);
  assert_int_equal(view.cap, 10);
  assert_int_equal(view.len, 3);
  assert_ptr_equal(view.items[1], &x[1]);
  view.items[3] = &x[4];
  chg_vec_release(&chg_default_allocator, &view);
  /* what an arena gives back reads as zero, and the arena goes on */
  unsigned char *big = chg_arena_alloc(&a, (size_t)1 << 20);
  memset(big, 0xCD, (size_t)1 << 20);
  chg_arena_give_back(&a, big, (size_t)1 << 20);
  unsigned char *after = chg_arena_alloc(&a, 64);
  assert_true(after + 64 <= big || after >= big + ((size_t)1 << 20));
  assert_int_equal(after[0], 0);
  chg_arena_release(&a);
}

/* An arena reset and filled again reuses its chunks, written all over,
 * and still hands out zeroed memory; a block bigger than any spare chunk
 * gets a new one. */
static void test_arena_reset_reuses_zeroed(void **state) {
  (void)state;
  chg_arena a;
  chg_arena_init(&a, &chg_default_allocator);
  size_t after_first_round = 0;
  for (int round = 0; round < 3; round++) {
    size_t total = 0;
    for (int i = 0; total < ((size_t)24 << 20); i++) {
      size_t n = (size_t)(i % 5 == 0 ? 200000 : 16 + (i % 11) * 8);
      unsigned char *p = chg_arena_alloc(&a, n);
      for (size_t k = 0; k < n; k += 251) assert_int_equal(p[k], 0);
      assert_int_equal(p[n - 1], 0);
      memset(p, 0xCD, n);
      total += n;
    }
    assert_non_null(a.chunk);
    chg_arena_reset(&a);
    assert_null(a.chunk);
    size_t chunks = 0;
    for (const chg_arena_chunk *c = a.spare; c; c = *(chg_arena_chunk *const *)c) chunks++;
    if (round == 0) after_first_round = chunks;
    else assert_true(chunks <= after_first_round + 1); /* filled again, not grown anew */
  }
  unsigned char *huge = chg_arena_alloc(&a, (size_t)40 << 20);
  assert_int_equal(huge[0], 0);
  assert_int_equal(huge[((size_t)40 << 20) - 1], 0);
  chg_arena_release(&a);
  assert_null(a.spare);
}

/* The line index against a plain table of starts: lines of every length
 * (to 70,000 bytes), looked up in order, backwards and at random. */
static void test_line_index(void **state) {
  (void)state;
  enum { LINES = 5000 };
  static uint32_t starts[LINES];
  chg_lines lines;
  chg_lines_init(&lines, &chg_default_allocator);
  starts[0] = 0;
  uint32_t at = 0, seed = 12345;
  for (size_t l = 1; l < LINES; l++) {
    seed = seed * 1103515245u + 12345u;
    uint32_t len = (seed >> 16) % 100 == 0 ? 70000 : (seed >> 16) % 10 == 0 ? 254 + (seed >> 8) % 3
                                                                                : 1 + (seed >> 20) % 120;
    at += len;
    starts[l] = at;
    chg_lines_add(&lines, &chg_default_allocator, at);
  }
  chg_lines_trim(&lines, &chg_default_allocator);
  assert_int_equal(lines.count, LINES);
  uint32_t end = at + 50; /* the last line runs on to the end of the file */
  for (size_t l = 0; l < LINES; l++) {
    assert_int_equal(chg_lines_start(&lines, l), starts[l]);
    assert_int_equal(chg_lines_find(&lines, starts[l]), l);
    uint32_t last = l + 1 < LINES ? starts[l + 1] - 1 : end;
    assert_int_equal(chg_lines_find(&lines, last), l);
  }
  for (size_t l = LINES; l-- > 0;) assert_int_equal(chg_lines_find(&lines, starts[l]), l);
  for (int i = 0; i < 20000; i++) {
    seed = seed * 1103515245u + 12345u;
    uint32_t offset = seed % (end + 1);
    size_t lo = 0, hi = LINES;
    while (hi - lo > 1) {
      size_t mid = (lo + hi) / 2;
      if (starts[mid] <= offset) lo = mid;
      else hi = mid;
    }
    assert_int_equal(chg_lines_find(&lines, offset), lo);
  }
  /* as a report asks: a row's cells a few lines on, each row also naming
   * a block far back (its unit), and now and then a line just before */
  for (size_t row = 0; row + 8 < LINES; row += 5) {
    size_t far = (row * 7) % 40;
    size_t asked[] = {row, row + 1, far, row + 3, far, row + 8, row + 2, row + 70 < LINES ? row + 70 : row};
    for (size_t k = 0; k < sizeof asked / sizeof asked[0]; k++) {
      uint32_t inside = starts[asked[k]] + (asked[k] + 1 < LINES && starts[asked[k] + 1] > starts[asked[k]] + 1);
      assert_int_equal(chg_lines_find(&lines, inside), asked[k]);
      assert_int_equal(chg_lines_start(&lines, asked[k]), starts[asked[k]]);
    }
  }
  chg_lines_release(&lines, &chg_default_allocator);
}

/* Which lines hold a byte past ASCII, found scanning a text whole, in
 * pieces of every size (a piece may end inside a character or a line),
 * and in two indexes joined at a line's start, as a file parsed in pieces
 * is. */
static void test_line_index_wide(void **state) {
  (void)state;
  enum { LINES = 3000 };
  static char text[LINES * 80];
  static bool wide[LINES];
  static uint32_t starts[LINES];
  size_t n = 0;
  uint32_t seed = 777;
  for (size_t l = 0; l < LINES; l++) {
    seed = seed * 1103515245u + 12345u;
    starts[l] = (uint32_t)n;
    size_t len = (seed >> 16) % 70;
    wide[l] = (seed >> 8) % 5 == 0;
    size_t at = wide[l] ? (seed >> 4) % (len + 1) : len + 1;
    for (size_t i = 0; i < len; i++) {
      if (i == at) {
        memcpy(text + n, "\xc2\xa3", 2); /* £ */
        n += 2;
      } else {
        text[n++] = (char)('a' + i % 26);
      }
    }
    if (wide[l] && at == len) {
      memcpy(text + n, "\xc2\xa3", 2);
      n += 2;
    }
    if (l + 1 < LINES) text[n++] = '\n';
  }
  for (size_t piece = 1; piece <= 67; piece += 11) {
    chg_lines lines;
    chg_lines_init(&lines, &chg_default_allocator);
    for (size_t at = 0; at < n; at += piece)
      chg_lines_scan(&lines, &chg_default_allocator, text + at, at + piece < n ? piece : n - at,
                     (uint32_t)at);
    chg_lines_trim(&lines, &chg_default_allocator);
    assert_int_equal(lines.count, LINES);
    for (size_t l = 0; l < LINES; l++) {
      assert_int_equal(chg_lines_start(&lines, l), starts[l]);
      assert_int_equal(chg_lines_wide(&lines, l), wide[l]);
    }
    chg_lines_release(&lines, &chg_default_allocator);
  }
  for (size_t cut = 1; cut < LINES; cut += 997) {
    chg_lines head, tail;
    chg_lines_init(&head, &chg_default_allocator);
    chg_lines_scan(&head, &chg_default_allocator, text, starts[cut], 0);
    chg_lines_init_at(&tail, &chg_default_allocator, starts[cut]);
    chg_lines_scan(&tail, &chg_default_allocator, text + starts[cut], n - starts[cut], starts[cut]);
    chg_lines_append(&head, &chg_default_allocator, &tail);
    assert_int_equal(head.count, LINES);
    for (size_t l = 0; l < LINES; l++) {
      assert_int_equal(chg_lines_start(&head, l), starts[l]);
      assert_int_equal(chg_lines_wide(&head, l), wide[l]);
    }
    chg_lines_release(&head, &chg_default_allocator);
    chg_lines_release(&tail, &chg_default_allocator);
  }
}

static void test_names(void **state) {
  (void)state;
  chg_arena a;
  chg_arena_init(&a, &chg_default_allocator);
  chg_names t;
  chg_intern_init(&t, &a);
  const char *x = chg_intern(&t, "programme", 9);
  assert_ptr_equal(x, chg_intern_cstr(&t, "programme"));
  assert_ptr_not_equal(x, chg_intern(&t, "program", 7));
  /* through several rehashes, every name stays unique */
  char buf[32];
  const char *kept[5000];
  for (int i = 0; i < 5000; i++) {
    snprintf(buf, sizeof buf, "name%d", i);
    kept[i] = chg_intern_cstr(&t, buf);
  }
  for (int i = 0; i < 5000; i++) {
    snprintf(buf, sizeof buf, "name%d", i);
    assert_ptr_equal(kept[i], chg_intern_cstr(&t, buf));
  }
  assert_ptr_equal(x, chg_intern_cstr(&t, "programme"));
  chg_intern_release(&t);
  chg_arena_release(&a);
}

/* A table given room for its names up front (a parse in pieces) keeps the
 * names it had, finds them again, and takes that many more without a
 * table made anew. */
static void test_names_reserved(void **state) {
  (void)state;
  chg_arena a;
  chg_arena_init(&a, &chg_default_allocator);
  chg_names t;
  chg_intern_init(&t, &a);
  const char *before = chg_intern_cstr(&t, "programme");
  chg_intern_reserve(&t, &a, 3000);
  size_t cap = t.cap;
  assert_true(cap * 3 >= 3000 * 4);
  assert_int_equal(t.count, 1);
  assert_ptr_equal(before, chg_intern_cstr(&t, "programme"));
  char buf[32];
  const char *kept[2999];
  for (int i = 0; i < 2999; i++) {
    snprintf(buf, sizeof buf, "p%d", i);
    kept[i] = chg_intern_cstr(&t, buf);
  }
  assert_int_equal(t.cap, cap); /* no step of growth */
  assert_int_equal(t.count, 3000);
  for (int i = 0; i < 2999; i++) {
    snprintf(buf, sizeof buf, "p%d", i);
    assert_ptr_equal(kept[i], chg_intern_cstr(&t, buf));
  }
  /* room asked for that it has: nothing changes */
  chg_intern_reserve(&t, &a, 10);
  assert_int_equal(t.cap, cap);
  assert_ptr_equal(before, chg_intern_cstr(&t, "programme"));
  chg_intern_release(&t);
  chg_arena_release(&a);
}

static void test_map(void **state) {
  (void)state;
  chg_map m;
  chg_map_init(&m, &chg_default_allocator);
  int scopes[3], values[3];
  const char *r1 = "r1", *r2 = "r2";
  assert_null(chg_map_put(&m, &scopes[0], r1, &values[0]));
  assert_null(chg_map_put(&m, &scopes[1], r1, &values[1])); /* same id, other parent */
  assert_ptr_equal(chg_map_put(&m, &scopes[0], r1, &values[2]), &values[0]);
  assert_ptr_equal(chg_map_get(&m, &scopes[1], r1), &values[1]);
  assert_null(chg_map_get(&m, &scopes[0], r2));
  assert_null(chg_map_get(&m, NULL, r1));
  chg_map_release(&m);
  /* in an arena, through growth from 256 slots to 65,536: every name found */
  chg_arena a;
  chg_arena_init(&a, &chg_default_allocator);
  chg_map_init_in(&m, &chg_default_allocator, &a);
  static char names[40000][16];
  for (int i = 0; i < 40000; i++) {
    snprintf(names[i], sizeof names[i], "n%d", i);
    assert_null(chg_map_put(&m, &scopes[i % 3], names[i], &values[i % 3]));
  }
  assert_int_equal(m.count, 40000);
  for (int i = 0; i < 40000; i++) {
    assert_ptr_equal(chg_map_get(&m, &scopes[i % 3], names[i]), &values[i % 3]);
    assert_null(chg_map_get(&m, &scopes[(i + 1) % 3], names[i]));
  }
  chg_map_release(&m);
  assert_null(m.slots);
  chg_arena_release(&a);
}

/* The columns a terminal gives a string, as the text report pads it. */
static unsigned columns_of(const char *s) {
  unsigned cols = 0;
  size_t n = strlen(s), bytes;
  for (size_t i = 0; i < n; i += bytes)
    cols += chg_char_columns((const unsigned char *)s + i, n - i, &bytes);
  return cols;
}

static void test_char_columns(void **state) {
  (void)state;
  assert_int_equal(columns_of("Amber"), 5);
  assert_int_equal(columns_of("caf\u00e9"), 4);
  assert_int_equal(columns_of("e\u0301"), 1);                   /* a combining accent */
  assert_int_equal(columns_of("\u65e5\u672c"), 4);                 /* CJK */
  assert_int_equal(columns_of("\U0001F7E2\u26A1\u2B50"), 6);      /* RAG circle, emoji */
  assert_int_equal(columns_of("\u05E9\u05C1\u05B8"), 1);          /* Hebrew points */
  assert_int_equal(columns_of("\u0915\u094D"), 1);                 /* a virama */
  assert_int_equal(columns_of("\U0001F44D\U0001F3FD"), 2);         /* a skin tone */
  /* the flag of England: a black flag and tag characters */
  assert_int_equal(columns_of("\U0001F3F4\U000E0067\U000E0062\U000E0065\U000E006E\U000E0067\U000E007F"), 2);
}

static void test_edit_distance(void **state) {
  (void)state;
  assert_int_equal(chg_edit_distance("ownr", "owner", 3), 1);
  assert_int_equal(chg_edit_distance("programe", "programme", 3), 1);
  assert_int_equal(chg_edit_distance("abc", "abc", 3), 0);
  assert_int_equal(chg_edit_distance("kitten", "sitting", 3), 3);
  assert_int_equal(chg_edit_distance("a", "completely", 2), 3); /* capped */
  /* two neighbours swapped are one slip of the fingers */
  assert_int_equal(chg_edit_distance("stauts", "status", 3), 1);
  assert_int_equal(chg_edit_distance("sor", "sro", 1), 1);
  assert_int_equal(chg_edit_distance("stauts", "start", 3), 2);
  assert_int_equal(chg_edit_distance("ab", "ba", 0), 1); /* capped */
  assert_int_equal(chg_edit_distance("abcdef", "badcfe", 3), 3);
  assert_int_equal(chg_edit_distance("abcdefgh", "hgfedcba", 2), 3);
  assert_int_equal(chg_edit_distance("grade_tqqsxjja", "grade_tqqsxjjb", 3), 1);
  assert_int_equal(chg_edit_distance("grade_tqqsxjja", "grade_kpxmzwqa", 3), 4);
  assert_int_equal(chg_edit_distance("overall", "overal", 2), 1);
  assert_int_equal(chg_edit_distance("", "abc", 3), 3);
  assert_int_equal(chg_edit_distance("abc", "", 2), 3);
}

/* The distance the whole table gives, every cell worked out: what the
 * shortcuts (the shared ends left out, the band about the diagonal, the
 * early stop) must agree with. */
static unsigned distance_in_full(const char *a, const char *b) {
  size_t la = strlen(a), lb = strlen(b);
  unsigned d[12][12];
  for (size_t i = 0; i <= la; i++)
    for (size_t j = 0; j <= lb; j++) {
      if (!i || !j) {
        d[i][j] = (unsigned)(i + j);
        continue;
      }
      unsigned v = d[i - 1][j - 1] + (a[i - 1] != b[j - 1]);
      if (d[i - 1][j] + 1 < v) v = d[i - 1][j] + 1;
      if (d[i][j - 1] + 1 < v) v = d[i][j - 1] + 1;
      if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] && d[i - 2][j - 2] + 1 < v)
        v = d[i - 2][j - 2] + 1;
      d[i][j] = v;
    }
  return d[la][lb];
}

/* A word of up to ten letters from three, where shared ends, swaps and
 * repeats are common. */
static void random_word(uint32_t *seed, char w[11]) {
  *seed = *seed * 1103515245u + 12345u;
  size_t len = (*seed >> 16) % 11;
  for (size_t k = 0; k < len; k++) {
    *seed = *seed * 1103515245u + 12345u;
    w[k] = (char)('a' + (*seed >> 16) % 3);
  }
  w[len] = '\0';
}

static void test_edit_distance_as_in_full(void **state) {
  (void)state;
  uint32_t seed = 12345;
  for (int n = 0; n < 200000; n++) {
    char a[11], b[11];
    random_word(&seed, a);
    random_word(&seed, b);
    unsigned full = distance_in_full(a, b);
    for (unsigned cap = 0; cap <= 4; cap++) {
      unsigned want = full > cap ? cap + 1 : full;
      if (chg_edit_distance(a, b, cap) != want)
        fail_msg("`%s` to `%s` with cap %u: %u, not %u", a, b, cap, chg_edit_distance(a, b, cap), want);
    }
  }
}

/* An allocator that fails after a given number of allocations. */
typedef struct failing {
  long left;
} failing;

static void *failing_alloc(void *ud, size_t size) {
  failing *f = ud;
  if (f->left-- <= 0) return NULL;
  return malloc(size);
}

static void *failing_realloc(void *ud, void *p, size_t old, size_t size) {
  failing *f = ud;
  (void)old;
  if (f->left-- <= 0) return NULL;
  return realloc(p, size);
}

static void failing_free(void *ud, void *p, size_t size) {
  (void)ud;
  (void)size;
  free(p);
}

static const char *const sample =
    "use std.rag\nuse std.risk5x5\nuse std.escalation\n"
    "portfolio p \"P\" { as_of 2022-06-30; requirement 2022/23: £1m }\n"
    "unit u \"U\" { capacity 3 }\n"
    "programme a \"A\" { unit u; status overall amber \"x\"; depends_on b high\n"
    "  milestone m { baseline 2022-01-01; forecast 2022-03-01; progress 50% }\n"
    "  risk r { likelihood 4; impact 4 } }\n"
    "programme b \"B\" { unit q }\n"
    "saving s { programme a; money 2022/23: -£1m }\n"
    "rule big { on risk; when score >= 12; escalate board }\n";

/* Runs a whole compilation with the allocator failing at the n-th call.
 * Returns the child's exit status, or -signal if it crashed. */
static int compile_failing_at(long n) {
  fflush(NULL);
  pid_t pid = fork();
  if (pid == 0) {
    if (!freopen("/dev/null", "w", stderr)) _exit(3);
    failing f = {n};
    chg_allocator al = {failing_alloc, failing_realloc, failing_free, &f};
    chg_options o;
    memset(&o, 0, sizeof o);
    o.allocator = &al;
    o.stdlib_dir = CHG_TEST_STDLIB;
    chg_ctx *ctx = chg_new(&o);
    if (!ctx) _exit(2);
    chg_add_source(ctx, "t.chg", sample, strlen(sample));
    chg_check(ctx);
    chg_diag_print(ctx, stderr, 0);
    chg_free(ctx);
    _exit(0);
  }
  int status = 0;
  waitpid(pid, &status, 0);
  if (WIFSIGNALED(status)) return -WTERMSIG(status);
  return WEXITSTATUS(status);
}

static void test_every_allocation_failure_is_clean(void **state) {
  (void)state;
  /* fail the first allocation, then the second, ... until a run has
   * enough: each failure must end in status 2, never a crash */
  long n = 0;
  for (;; n++) {
    int st = compile_failing_at(n);
    if (st == 0) break;
    if (st != 2) fail_msg("failing allocation %ld: status %d", n, st);
    assert_true(n < 100000);
  }
  assert_true(n > 20); /* the run really allocates */
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_arena),
      cmocka_unit_test(test_arena_mapped_chunks_zeroed),
      cmocka_unit_test(test_arena_reset_reuses_zeroed),
      cmocka_unit_test(test_arena_expected_bulk_one_chunk),
      cmocka_unit_test(test_arena_for_large_tables),
      cmocka_unit_test(test_arena_expected_run),
      cmocka_unit_test(test_vec_view),
      cmocka_unit_test(test_line_index),
      cmocka_unit_test(test_line_index_wide),
      cmocka_unit_test(test_names),
      cmocka_unit_test(test_names_reserved),
      cmocka_unit_test(test_map),
      cmocka_unit_test(test_char_columns),
      cmocka_unit_test(test_edit_distance),
      cmocka_unit_test(test_edit_distance_as_in_full),
      cmocka_unit_test(test_every_allocation_failure_is_clean),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
