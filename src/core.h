/*
 * core.h -- memory and names: the allocator hooks, an arena per
 * compilation, growable arrays, and the table of interned names.
 *
 * Everything a compilation builds lives in its arena and is freed at
 * once with the context; only growable arrays go back to the allocator,
 * and they grow geometrically.  Names are interned, so two names are
 * equal exactly when their pointers are.
 */
#ifndef CHG_CORE_H
#define CHG_CORE_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "chg.h"

/* ---- allocator --------------------------------------------------- */

void *chg_mem_alloc(const chg_allocator *al, size_t size);
void *chg_mem_realloc(const chg_allocator *al, void *p, size_t old_size,
                      size_t new_size);
void chg_mem_free(const chg_allocator *al, void *p, size_t size);
/* An array of `size`-byte items with room for at least `need`: grown by
 * doubling (from 256), *cap updated. */
void *chg_mem_grow(const chg_allocator *al, void *p, size_t *cap, size_t need, size_t size);
/* malloc, realloc and free behind the chg_allocator interface */
extern const chg_allocator chg_default_allocator;

/* Out of memory is not survivable half-way through a tree: it ends the
 * process with status 2 and a message, after the allocator said no. */
_Noreturn void chg_out_of_memory(void);

/* ---- pages ------------------------------------------------------- */

/* The size of a huge page, which chg_pages_alloc aligns to. */
#define CHG_HUGE_PAGE ((size_t)2 << 20)

/* Memory straight from the kernel, zeroed, or NULL.  With `huge`, aligned
 * to a huge page and offered to the kernel as huge pages: on the virtual
 * machines measured, the first write to each 4 KB page of a buffer cost
 * some 11 microseconds, and a huge page a twentieth of its 512 (docs/
 * performance.md).  A huge page goes in whole, so ask for whole ones. */
void *chg_pages_alloc(size_t bytes, bool huge);
void chg_pages_free(void *p, size_t bytes);

/* ---- arena ------------------------------------------------------- */

typedef struct chg_arena_chunk chg_arena_chunk;

typedef struct chg_arena {
  const chg_allocator *al;
  chg_arena_chunk *chunk; /* newest first */
  char *next, *limit;     /* limit: the end of the chunk, or of the part of a
                             mapped chunk whose pages are in place */
  char *mapped_end;       /* the end of the newest chunk when it is mapped */
  bool huge;              /* that chunk is offered to the kernel as huge pages */
  bool bulk;              /* filled in one long run: see chg_arena_set_bulk */
  size_t expect;          /* what the bulk is expected to take: chg_arena_expect */
  size_t total;           /* bytes in all chunks, for statistics */
  chg_arena_chunk *spare; /* chunks emptied by chg_arena_reset, to be filled again */
} chg_arena;

void chg_arena_init(chg_arena *a, const chg_allocator *al);
/* Bytes handed out, and what older chunks left unused at their ends: for
 * statistics. */
size_t chg_arena_used(const chg_arena *a);
void chg_arena_release(chg_arena *a);
/* Forgets everything allocated, keeping the chunks to fill again: a report
 * builds and drops a table at a time, and the memory of the one before is
 * cheaper to clear than new pages are to fault in. */
void chg_arena_reset(chg_arena *a);
/* Takes over every chunk of `from`, which is left empty: what was
 * allocated there lives as long as `a`. */
void chg_arena_adopt(chg_arena *a, chg_arena *from);
/* While an arena is filled in bulk, its big chunks are given huge pages. */
void chg_arena_set_bulk(chg_arena *a, bool bulk);
/* What the bulk being filled is expected to take, in bytes, to the end of
 * the bulk: its chunks are made that big from the first. */
void chg_arena_expect(chg_arena *a, size_t bytes);
/* The next `bytes` allocated are one run (a record for every block), and
 * surely at least that: the huge pages that lie wholly inside them, in
 * the newest chunk, are given as huge pages, and the pages around them as
 * small ones, so that none is left part-used.  (Past the end of a run it
 * underestimates, the pages are small ones, as always out of bulk.)  A
 * run that would begin in a stretch of small pages may begin at the next
 * huge page.  An arena not in bulk puts its pages in place 256 KB at a
 * time, and on the virtual machines measured each 4 KB page still cost
 * some 5 microseconds at its first write. */
void chg_arena_expect_run(chg_arena *a, size_t bytes);
/* What the arena handed out at p and will not be read again (a table
 * used once, early in a run): its whole pages go back to the kernel, so
 * that it does not count in the peak.  The arena goes on past it. */
void chg_arena_give_back(chg_arena *a, void *p, size_t bytes);
/* The same, for memory of an arena whose allocator is `al`. */
void chg_mem_give_back(const chg_allocator *al, void *p, size_t bytes);
/* An arena filled with megabytes and reset, again and again (a report's
 * sections of a national portfolio): its chunks in huge pages, from the
 * first.  Each holds a huge page's worth however little is put in it. */
void chg_arena_for_large_tables(chg_arena *a);
void *chg_arena_alloc(chg_arena *a, size_t size); /* zeroed, 8-aligned */
char *chg_arena_strndup(chg_arena *a, const char *s, size_t n);
char *chg_arena_vprintf(chg_arena *a, const char *fmt, va_list ap);
char *chg_arena_printf(chg_arena *a, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

#define CHG_NEW(arena, type) ((type *)chg_arena_alloc((arena), sizeof(type)))
#define CHG_NEW_ARRAY(arena, type, n)                                        \
  ((type *)chg_arena_alloc((arena), sizeof(type) * (size_t)(n)))

/* ---- growable array of pointers ----------------------------------- */

/* A vector with items but no cap is a view of memory it does not own
 * (a stretch of another vector, or an arena's): released, it lets go of
 * nothing; pushed to, it takes a copy of its own first. */
typedef struct chg_vec {
  void **items;
  size_t len, cap;
} chg_vec;

/* Makes room for at least `cap` items in all, allocated to that size. */
void chg_vec_reserve(const chg_allocator *al, chg_vec *v, size_t cap);
void chg_vec_push(const chg_allocator *al, chg_vec *v, void *item);
void chg_vec_release(const chg_allocator *al, chg_vec *v);

/* ---- growable byte buffer ------------------------------------------ */

typedef struct chg_buf {
  char *data;
  size_t len, cap;
} chg_buf;

void chg_buf_put(const chg_allocator *al, chg_buf *b, const char *s,
                 size_t n);
void chg_buf_putc(const chg_allocator *al, chg_buf *b, char c);
void chg_buf_release(const chg_allocator *al, chg_buf *b);
/* Appends what is left of `fp` (a FILE *), to its end or until b holds
 * `limit` bytes or more.  False on a read error. */
bool chg_buf_read(const chg_allocator *al, chg_buf *b, void *fp, size_t limit);

/* ---- interned names ----------------------------------------------- */

typedef struct chg_intern {
  chg_arena *arena;   /* the names and the table's slots */
  /* the arena's allocator, read for giving back an outgrown table's pages:
   * while pieces of a file are parsed side by side, the table grows under
   * their lock, and the arena itself is being lent to one of them */
  const chg_allocator *al;
  const char **slots; /* open addressing; NULL is empty */
  uint32_t *hashes;
  size_t cap, count;
} chg_names;

uint64_t chg_hash_bytes(const void *p, size_t n);
void chg_intern_init(chg_names *t, chg_arena *arena);
void chg_intern_release(chg_names *t);
const char *chg_intern(chg_names *t, const char *s, size_t n);
/* A name's hash, as the table keeps it. */
static inline uint32_t chg_name_hash(const char *s, size_t n) {
  return (uint32_t)chg_hash_bytes(s, n);
}
/* chg_intern, the hash known, with a name new to the table copied into
 * `arena`: a thread's own, when threads share the table under a lock. */
const char *chg_intern_hashed(chg_names *t, chg_arena *arena, const char *s, size_t n,
                              uint32_t hash);
const char *chg_intern_cstr(chg_names *t, const char *s);
/* Room for `count` names in all, made at once in `arena`: a table grown
 * step by step while threads wait on its lock rewrites itself each time. */
void chg_intern_reserve(chg_names *t, chg_arena *arena, size_t count);

/* ---- a map from (owner, name) to a pointer --------------------------
 * One table serves every scope: the key pairs a scope (any pointer, NULL
 * for the top level) with an interned name. */

typedef struct chg_map_slot {
  const void *scope;
  const char *name;
  void *value;
} chg_map_slot;

typedef struct chg_map {
  const chg_allocator *al;
  chg_arena *arena; /* where the slots are, when not from al */
  chg_map_slot *slots;
  size_t cap, count;
} chg_map;

void chg_map_init(chg_map *m, const chg_allocator *al);
/* A map whose slots are in an arena, their pages given back as it grows
 * and when it is released (which must come before the arena's). */
void chg_map_init_in(chg_map *m, const chg_allocator *al, chg_arena *arena);
void chg_map_release(chg_map *m);
void *chg_map_get(const chg_map *m, const void *scope, const char *name);
/* Returns the value already there, or NULL after inserting. */
void *chg_map_put(chg_map *m, const void *scope, const char *name,
                  void *value);
/* Puts value there, in place of any other. */
void chg_map_set(chg_map *m, const void *scope, const char *name, void *value);

/* ---- UTF-8 ---------------------------------------------------------- */

/* Length of the valid UTF-8 sequence at s (n bytes available), or 0 if it
 * is not one: no overlong forms, surrogates or code points past U+10FFFF. */
size_t chg_utf8_sequence(const unsigned char *s, size_t n);
/* The code point at s in text already checked to be UTF-8 (n bytes
 * available), and its length in *len. */
uint32_t chg_utf8_decode(const unsigned char *s, size_t n, size_t *len);
/* The character at s (n > 0 bytes available): its length, and through
 * *cp its code point -- for a byte that begins no valid sequence, a
 * length of 1 and CHG_NOT_UTF8. */
#define CHG_NOT_UTF8 UINT32_MAX
size_t chg_utf8_next(const unsigned char *s, size_t n, uint32_t *cp);
/* A character that cannot be seen as itself, or acts on the text around
 * it: C1 controls, no-break, narrow, ideographic and zero-width spaces,
 * the soft hyphen, line and paragraph separators, bidirectional marks,
 * the byte-order mark, fillers that look blank (Hangul, braille) and tag
 * characters (hidden text, but for a flag's: see fmt.c).  Shown by its
 * code point, not as it is. */
bool chg_unseen_char(uint32_t cp);
/* Whether a character would act on the terminal rather than show: C1
 * controls (U+009B starts an escape sequence on some), the line and
 * paragraph separators, and the marks that reorder bidirectional text. */
bool chg_acts_on_terminal(uint32_t cp);

/* Whether s ends with `end` (a file's name with `.chg`, say). */
static inline bool chg_ends_with(const char *s, const char *end) {
  size_t n = strlen(s), k = strlen(end);
  return n >= k && memcmp(s + n - k, end, k) == 0;
}
/* How many columns a terminal gives the character at s (n bytes there), and
 * its length in *bytes. */
unsigned chg_char_columns(const unsigned char *s, size_t n, size_t *bytes);

/* "a milestone", "an impact", "a unit": the article for a word */
/* Whether s holds nothing but spaces, tabs and line breaks. */
bool chg_blank(const char *s);
/* Whether text of n bytes shows nothing: white space, control characters,
 * the Unicode spaces and the zero-width characters alone (a flag's
 * message made of them says nothing). */
bool chg_says_nothing(const char *s, size_t n);

/* JSON's escapes, for both JSON writers (the report, the diagnostics):
 * controls, quote and backslash, DEL and the C1 controls, the line and
 * paragraph separators, and a byte that is not UTF-8 as U+FFFD, so that
 * what is written is always UTF-8.  chg_json_needs_escape: whether a byte
 * may start one.  chg_json_escape: the escape, or the bytes as they are,
 * of the character at s (n bytes left, s[0] one that needs it), written
 * to out; how many bytes of s it took in *took. */
static inline bool chg_json_needs_escape(unsigned char c) {
  return c < 0x20 || c == '"' || c == '\\' || c >= 0x7F;
}
size_t chg_json_escape(const char *s, size_t n, char out[6], size_t *took);
const char *chg_a_an(const char *word);
/* A copy of s (UTF-8) for a terminal or a page of text: control bytes
 * other than line breaks and tabs, and characters that act on the
 * terminal, each become `?`. */
char *chg_shown_copy(chg_arena *arena, const char *s);

/* ---- edit distance, for "did you mean" ----------------------------- */

/* Levenshtein distance, capped: returns cap+1 as soon as it exceeds cap. */
unsigned chg_edit_distance(const char *a, const char *b, unsigned cap);

#endif
