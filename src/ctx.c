/*
 * ctx.c -- the context and its sources: reading files, walking
 * directories, following `include` and `use`, and noticing cycles.
 */
#define _GNU_SOURCE /* realpath, glob, DT_*, sched_getaffinity */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <glob.h>
#include <limits.h>
#include <sched.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "check.h"
#include "eval.h"
#include "parse.h"
#include "value.h"

chg_ctx *chg_new(const chg_options *opts) {
  const chg_allocator *al =
      opts && opts->allocator ? opts->allocator : &chg_default_allocator;
  chg_ctx *ctx = al->alloc(al->ud, sizeof *ctx);
  if (!ctx) return NULL;
  memset(ctx, 0, sizeof *ctx);
  ctx->al = *al;
  if (opts) ctx->opts = *opts;
  ctx->opts.allocator = &ctx->al;
  chg_arena_init(&ctx->arena, &ctx->al);
  ctx->stream_min = CHG_STREAM_MIN;
  ctx->stream_chunk = CHG_STREAM_CHUNK;
  ctx->started = chg_seconds_now();
  /* CHG_DEBUG_STREAM=N: every file read as it is scanned, N bytes at a
   * time, for tests that it reads the same as a file read whole */
  const char *stream = getenv("CHG_DEBUG_STREAM");
  if (stream && atoi(stream) > 0) {
    ctx->stream_min = 0;
    ctx->stream_chunk = (size_t)atoi(stream);
  }
  /* CHG_DEBUG_SPLIT=K: a file read as it is scanned is parsed in K pieces
   * side by side, however small, for tests that it parses the same */
  const char *split = getenv("CHG_DEBUG_SPLIT");
  if (split && atoi(split) > 0) ctx->split_pieces = (unsigned)atoi(split);
  /* CHG_DEBUG_TAKE=N: a thread that has finished its piece halves what
   * another has left from N bytes on, rather than from a megabyte, so that
   * tests see pieces cut while they are parsed */
  const char *take = getenv("CHG_DEBUG_TAKE");
  if (take && atoi(take) > 0) ctx->take_min = (uint32_t)atoi(take);
  /* CHG_DEBUG_CAREFUL=1: no shortcut -- every file parsed with look-ahead
   * correction from the start, every condition evaluated in full -- for
   * tests that the shortcuts say the same */
  const char *careful = getenv("CHG_DEBUG_CAREFUL");
  ctx->careful = careful && atoi(careful) > 0;
  chg_intern_init(&ctx->names, &ctx->arena);
  /* the biggest table of naming, on the pages the parse left in place */
  chg_map_init_in(&ctx->symbols, &ctx->al, &ctx->arena);
  chg_map_init(&ctx->scales, &ctx->al);
  chg_map_init(&ctx->loaded, &ctx->al);
  ctx->last_primary = UINT32_MAX;
  chg_vec_push(&ctx->al, (chg_vec *)&ctx->files, NULL);
#define NAME(field) ctx->n.field = chg_intern_cstr(&ctx->names, #field)
  NAME(portfolio); NAME(scale); NAME(unit); NAME(programme); NAME(project);
  NAME(workstream); NAME(milestone); NAME(benefit); NAME(saving); NAME(risk);
  NAME(impact); NAME(recommendation); NAME(rule); NAME(claim); NAME(hook);
  NAME(level); NAME(std); NAME(when); NAME(expect); NAME(period);
  NAME(depends_on); NAME(actual); NAME(progress);
#undef NAME
  if (ctx->opts.stdlib_dir)
    chg_vec_push(&ctx->al, &ctx->search_dirs,
                 chg_arena_strndup(&ctx->arena, ctx->opts.stdlib_dir,
                                   strlen(ctx->opts.stdlib_dir)));
  if (ctx->opts.use_env_path) {
    const char *path = getenv("CHG_PATH");
    while (path && *path) {
      const char *colon = strchr(path, ':');
      size_t n = colon ? (size_t)(colon - path) : strlen(path);
      if (n) chg_vec_push(&ctx->al, &ctx->search_dirs,
                          chg_arena_strndup(&ctx->arena, path, n));
      path = colon ? colon + 1 : NULL;
    }
  }
  return ctx;
}

unsigned chg_processors(void) {
  cpu_set_t set;
  if (sched_getaffinity(0, sizeof set, &set) == 0) return (unsigned)CPU_COUNT(&set);
  long n = sysconf(_SC_NPROCESSORS_ONLN);
  return n > 0 ? (unsigned)n : 1;
}

double chg_seconds_now(void) {
  struct timespec now;
  clock_gettime(CLOCK_MONOTONIC, &now);
  return (double)now.tv_sec + (double)now.tv_nsec / 1e9;
}

/* CHG_DEBUG_STATS=1: what each phase leaves in memory, for profiling. */
void chg_debug_phase(const chg_ctx *ctx, const char *phase) {
  if (!getenv("CHG_DEBUG_STATS")) return;
  struct rusage ru;
  getrusage(RUSAGE_SELF, &ru);
  long pages = 0, resident = 0;
  FILE *statm = fopen("/proc/self/statm", "r");
  if (statm) {
    if (fscanf(statm, "%ld %ld", &pages, &resident) != 2) resident = 0;
    fclose(statm);
  }
  double mb = 1048576, page = (double)sysconf(_SC_PAGESIZE);
  fprintf(stderr,
          "chg: %-9s %8.3f s, arena %6.1f MB (%.1f used), RSS %6.1f MB, peak RSS %6.1f MB, "
          "%zu names, %zu blocks\n",
          phase, chg_seconds_now() - ctx->started, (double)ctx->arena.total / mb,
          (double)chg_arena_used(&ctx->arena) / mb, (double)resident * page / mb,
          (double)ru.ru_maxrss / 1024, ctx->names.count, ctx->blocks.len);
}

static void release_windows(const chg_allocator *al, chg_file *f);

void chg_free(chg_ctx *ctx) {
  if (!ctx) return;
  chg_allocator al = ctx->al;
  chg_debug_phase(ctx, "done");
  if (getenv("CHG_DEBUG_STATS"))
    fprintf(stderr, "chg: arena %zu bytes, %zu names, %zu blocks, %zu files, %u parsed again\n",
            ctx->arena.total, ctx->names.count, ctx->blocks.len, ctx->nfiles - 1,
            ctx->parsed_again);
  if (ctx->eval) chg_eval_release(ctx->eval);
  chg_check_release(ctx);
  for (size_t i = 1; i < ctx->nfiles; i++) {
    chg_file *f = ctx->files[i];
    if (f->text_owned && f->text) chg_mem_free(&al, f->text, f->text_size);
    chg_lines_release(&f->lines, &al);
    release_windows(&al, f);
  }
  chg_mem_free(&al, ctx->files, ctx->files_cap * sizeof *ctx->files);
  chg_vec_release(&al, &ctx->search_dirs);
  chg_mem_free(&al, ctx->diags, ctx->diags_cap * sizeof *ctx->diags);
  chg_map_release(&ctx->symbols);
  chg_map_release(&ctx->scales);
  chg_map_release(&ctx->loaded);
  chg_vec_release(&al, &ctx->loading);
  chg_vec_release(&al, &ctx->module_hooks);
  chg_vec_release(&al, &ctx->missing_modules);
  chg_vec_release(&al, &ctx->failed_names);
  chg_vec_release(&al, &ctx->absences);
  chg_intern_release(&ctx->names);
  chg_arena_release(&ctx->arena);
  al.free(al.ud, ctx, sizeof *ctx);
}

int chg_add_include_dir(chg_ctx *ctx, const char *dir) {
  chg_vec_push(&ctx->al, &ctx->search_dirs,
               chg_arena_strndup(&ctx->arena, dir, strlen(dir)));
  return 0;
}

chg_file *chg_ctx_file(const chg_ctx *ctx, uint32_t id) {
  return id && id < ctx->nfiles ? ctx->files[id] : NULL;
}

static const char *dirname_of(chg_ctx *ctx, const char *path) {
  const char *slash = strrchr(path, '/');
  if (!slash) return ".";
  if (slash == path) return "/";
  return chg_arena_strndup(&ctx->arena, path, (size_t)(slash - path));
}

const char *chg_file_read(const chg_ctx *ctx, size_t i) {
  return i + 1 < ctx->nfiles ? ctx->files[i + 1]->path : NULL; /* files[0] is "no file" */
}

chg_file *chg_ctx_add_file(chg_ctx *ctx, const char *path, const char *real,
                           char *text, size_t len) {
  chg_file *f = CHG_NEW(&ctx->arena, chg_file);
  f->path = chg_arena_strndup(&ctx->arena, path, strlen(path));
  f->real = real;
  f->dir = dirname_of(ctx, f->path);
  f->text = text;
  f->len = len;
  chg_vec v = {(void **)ctx->files, ctx->nfiles, ctx->files_cap};
  chg_vec_push(&ctx->al, &v, f);
  ctx->files = (chg_file **)v.items;
  ctx->nfiles = v.len;
  ctx->files_cap = v.cap;
  f->id = (uint32_t)(ctx->nfiles - 1);
  return f;
}

/* The file loaded already as `real`, or under another name for the same
 * file: a hard link (`alias.chg` beside `units.chg`) has a path of its
 * own, but is loaded once, as every file is. */
static chg_file *find_loaded(chg_ctx *ctx, const char *real) {
  chg_file *f = chg_map_get(&ctx->loaded, NULL, chg_intern_cstr(&ctx->names, real));
  struct stat st;
  if (f || stat(real, &st) != 0 || !S_ISREG(st.st_mode)) return f;
  for (size_t i = 0; i < ctx->nfiles; i++) {
    chg_file *g = ctx->files[i];
    if (g && g->stamp.inode && g->stamp.inode == (uint64_t)st.st_ino &&
        g->stamp.device == (uint64_t)st.st_dev)
      return g;
  }
  return NULL;
}

/* "a.chg -> b.chg -> a.chg": the files on the include stack from `seen`. */
static const char *include_chain(chg_ctx *ctx, chg_file *seen) {
  chg_buf b = {0};
  bool on = false;
  for (size_t i = 0; i < ctx->loading.len; i++) {
    chg_file *f = ctx->loading.items[i];
    if (f == seen) on = true;
    if (!on) continue;
    chg_buf_put(&ctx->al, &b, f->path, strlen(f->path));
    chg_buf_put(&ctx->al, &b, " -> ", 4);
  }
  chg_buf_put(&ctx->al, &b, seen->path, strlen(seen->path));
  const char *s = chg_arena_strndup(&ctx->arena, b.data, b.len);
  chg_buf_release(&ctx->al, &b);
  return s;
}

typedef struct source_read {
  char *text;   /* NULL when the file is to be read as it is scanned */
  FILE *stream; /* then, the open file */
  size_t len;
  chg_file_stamp stamp;
} source_read;

static chg_file_stamp stamp_of(const struct stat *st) {
  return (chg_file_stamp){(uint64_t)st->st_dev, (uint64_t)st->st_ino, (uint64_t)st->st_size,
                          (int64_t)st->st_mtim.tv_sec, (int64_t)st->st_mtim.tv_nsec};
}

/* A file whose size the system does not say (one under /proc says 0): read
 * to its end, or to the limit, whatever its size claimed. */
static bool read_unsized(chg_ctx *ctx, FILE *fp, source_read *r, const char **why,
                         bool *too_large) {
  chg_buf b = {0};
  bool ok = chg_buf_read(&ctx->al, &b, fp, CHG_MAX_FILE_SIZE) && b.len < CHG_MAX_FILE_SIZE;
  if (!ok) {
    *too_large = b.len >= CHG_MAX_FILE_SIZE;
    *why = *too_large ? "larger than 1 GiB, the most a source file may hold" : strerror(errno);
  } else {
    r->text = chg_arena_alloc(&ctx->arena, b.len + 2);
    if (b.len) memcpy(r->text, b.data, b.len);
    r->text[b.len] = r->text[b.len + 1] = '\0';
    r->len = b.len;
  }
  chg_buf_release(&ctx->al, &b);
  fclose(fp);
  return ok;
}

/* Opens a source file and reads it whole, NUL-padded for the scanner,
 * into the arena; a large file is left open to be read as it is scanned,
 * since its text is not needed once parsed and would double the memory a
 * national portfolio takes.  Returns false and says why. */
static bool read_file(chg_ctx *ctx, const char *path, source_read *r, const char **why,
                      bool *too_large) {
  /* opened without blocking, so that a FIFO is refused below rather than
   * waited on for ever */
  int fd = open(path, O_RDONLY | O_NONBLOCK);
  FILE *fp = fd >= 0 ? fdopen(fd, "rb") : NULL;
  if (!fp) {
    *why = strerror(errno);
    if (fd >= 0) close(fd);
    return false;
  }
  struct stat st;
  if (fstat(fileno(fp), &st) != 0 || !S_ISREG(st.st_mode)) {
    /* a directory, a device such as /dev/zero, a FIFO that would block */
    *why = S_ISDIR(st.st_mode) ? "it is a directory" : "it is not an ordinary file";
    fclose(fp);
    return false;
  }
  if ((uint64_t)st.st_size >= CHG_MAX_FILE_SIZE) {
    *why = "larger than 1 GiB, the most a source file may hold";
    *too_large = true;
    fclose(fp);
    return false;
  }
  size_t size = (size_t)st.st_size;
  r->stamp = stamp_of(&st);
  if (size >= ctx->stream_min) {
    r->stream = fp;
    r->len = size;
    return true;
  }
  if (size == 0) return read_unsized(ctx, fp, r, why, too_large);
  r->text = chg_arena_alloc(&ctx->arena, size + 2);
  size_t n = fread(r->text, 1, size, fp);
  /* a file that grew or shrank while being read is read as it was */
  if (ferror(fp)) {
    *why = strerror(errno);
    fclose(fp);
    return false;
  }
  fclose(fp);
  r->text[n] = r->text[n + 1] = '\0';
  r->len = n;
  return true;
}

/* ---- a large file's text, read again ------------------------------------ */

/* A large file's text is needed, once parsed, only to show a diagnostic's
 * line, count a column or quote a claim: the tree holds everything else,
 * and the line index made as it was read keeps lines right whatever
 * happens to the file.  It is read again after checking that it is the
 * file that was parsed. */
static bool same_file(const chg_file *f, const struct stat *st) {
  chg_file_stamp now = stamp_of(st);
  return now.device == f->stamp.device && now.inode == f->stamp.inode &&
         now.size == f->stamp.size && now.mtime_sec == f->stamp.mtime_sec &&
         now.mtime_nsec == f->stamp.mtime_nsec;
}

static bool read_again(const chg_file *f, char *text) {
  FILE *fp = fopen(f->real, "rb");
  if (!fp) return false;
  struct stat st;
  bool ok = fstat(fileno(fp), &st) == 0 && same_file(f, &st) &&
            fread(text, 1, f->len, fp) == f->len && !ferror(fp);
  fclose(fp);
  return ok;
}

const char *chg_file_text(const chg_ctx *ctx, chg_file *f) {
  if (f->text || !f->text_set_aside) return f->text;
  char *text = chg_mem_alloc(&ctx->al, f->len + 2);
  text[f->len] = text[f->len + 1] = '\0';
  if (!read_again(f, text)) {
    /* The file is not what was parsed: blank lines of the old lengths keep
     * every line and column right; the diagnostics say the lines are gone. */
    memset(text, ' ', f->len);
    for (size_t l = 1; l < f->lines.count; l++) text[chg_lines_start(&f->lines, l) - 1] = '\n';
    f->text_changed = true;
  }
  f->text = text;
  f->text_size = f->len + 2;
  f->text_owned = true;
  return text;
}

/* A report's positions come in source order, but a row's cells also name
 * blocks far from it (the unit a project belongs to, written at the top):
 * a few stretches are kept, the one used longest ago read over. */
enum { WINDOWS = 8, WINDOW = 128u << 10 };

typedef struct chg_text_window {
  char *bytes;
  size_t cap;
  uint32_t start, len;
  uint64_t used;        /* when last used, on the file's own clock */
} chg_text_window;

struct chg_text_windows {
  FILE *from;           /* the file, opened once and known to be the one parsed */
  chg_text_window w[WINDOWS];
  uint64_t clock;
  uint32_t reads;       /* stretches read, for CHG_DEBUG_STATS */
  uint32_t last_end;    /* where the last stretch asked for ended */
};

/* A stretch asked for out of order -- a diagnostic's line, its note's far
 * away -- is read alone, not with the 128 KB around it that a report
 * reading on in order will use next: a thousand warnings about a national
 * portfolio were a thousand such reads. */
enum { LONE_READ = 4u << 10 };

static chg_text_window *window_holding(struct chg_text_windows *ws, uint32_t start,
                                       uint32_t end) {
  for (int i = 0; i < WINDOWS; i++) {
    chg_text_window *c = &ws->w[i];
    if (c->bytes && start >= c->start && end <= c->start + c->len) return c;
  }
  return NULL;
}

const char *chg_file_bytes(const chg_ctx *ctx, chg_file *f, uint32_t start, uint32_t end) {
  if (f->text || !f->text_set_aside || f->window_failed) return chg_file_text(ctx, f) + start;
  struct chg_text_windows *ws = f->windows;
  if (!ws) {
    FILE *fp = fopen(f->real, "rb");
    struct stat st;
    if (!fp || fstat(fileno(fp), &st) != 0 || !same_file(f, &st)) {
      if (fp) fclose(fp);
      f->window_failed = true;
      return chg_file_text(ctx, f) + start;
    }
    ws = f->windows = chg_mem_alloc(&ctx->al, sizeof *ws);
    memset(ws, 0, sizeof *ws);
    ws->from = fp;
  }
  ws->clock++;
  chg_text_window *w = window_holding(ws, start, end);
  if (!w) {
    w = &ws->w[0];
    for (int i = 1; i < WINDOWS; i++)
      if (ws->w[i].used < w->used) w = &ws->w[i];
    bool in_order = start >= ws->last_end && start - ws->last_end < WINDOW;
    /* from a little before: what is asked for next is most often after */
    uint32_t behind = in_order ? WINDOW / 8 : 0, stretch = in_order ? WINDOW : LONE_READ;
    uint32_t from = start > behind ? start - behind : 0;
    size_t want = (size_t)(end - from) > stretch ? (size_t)(end - from) : stretch;
    if (want > f->len - from) want = f->len - from;
    if (want + 1 > w->cap) {
      w->bytes = chg_mem_realloc(&ctx->al, w->bytes, w->cap, want + 1);
      w->cap = want + 1;
    }
    if (fseek(ws->from, (long)from, SEEK_SET) != 0 || fread(w->bytes, 1, want, ws->from) != want) {
      f->window_failed = true;
      return chg_file_text(ctx, f) + start;
    }
    w->start = from;
    w->len = (uint32_t)want;
    ws->reads++;
  }
  w->used = ws->clock;
  ws->last_end = end;
  return w->bytes + (start - w->start);
}

static void release_windows(const chg_allocator *al, chg_file *f) {
  struct chg_text_windows *ws = f->windows;
  if (!ws) return;
  if (getenv("CHG_DEBUG_STATS"))
    fprintf(stderr, "chg: %s: %u stretches read again\n", f->path, ws->reads);
  for (int i = 0; i < WINDOWS; i++) chg_mem_free(al, ws->w[i].bytes, ws->w[i].cap);
  fclose(ws->from);
  chg_mem_free(al, ws, sizeof *ws);
}

static void load_dependencies(chg_ctx *ctx, chg_file *f);

/* An include that loaded nothing: a name referenced but defined nowhere
 * may be in what it was meant to load, and is said once, in this
 * diagnostic, rather than at every reference (check.c). */
static chg_absence *absence_said_by(chg_ctx *ctx, uint32_t diag, const char *meant) {
  chg_absence *a = CHG_NEW(&ctx->arena, chg_absence);
  a->diag = diag;
  a->lost = "what it was meant to load";
  char real[PATH_MAX];
  if (meant && realpath(meant, real)) a->meant_real = chg_arena_strndup(&ctx->arena, real, strlen(real));
  chg_vec_push(&ctx->al, &ctx->absences, a);
  return a;
}

static void include_meant_failed(chg_ctx *ctx, const char *meant) {
  if (ctx->last_primary == UINT32_MAX) return; /* past the error limit: not kept */
  absence_said_by(ctx, ctx->last_primary, meant);
}

static void include_failed(chg_ctx *ctx) { include_meant_failed(ctx, NULL); }

void chg_include_lost(chg_ctx *ctx) { include_failed(ctx); }

void chg_text_lost(chg_ctx *ctx, const char *lost) {
  if (ctx->last_primary == UINT32_MAX) return;
  absence_said_by(ctx, ctx->last_primary, NULL)->lost = lost;
}

/* Loads a file once.  `from` is the span that asked for it (an include
 * or use), or a span with file 0 for a root named on the command line;
 * `by_use` when a `use` asked for it. */
static chg_file *load_file_as(chg_ctx *ctx, const char *path, chg_span from,
                              bool is_module, bool by_use) {
  char real[PATH_MAX];
  const char *why = NULL;
  struct stat st;
  if (!realpath(path, real)) {
    /* /dev/stdin on a pipe is no file of a name realpath can give */
    why = errno == ENOENT && stat(path, &st) == 0 && !S_ISREG(st.st_mode) && !S_ISDIR(st.st_mode)
              ? "it is not an ordinary file (to read standard input, name it `-`)"
              : strerror(errno);
  } else {
    chg_file *seen = find_loaded(ctx, real);
    if (seen && from.file && !by_use) seen->included = true;
    if (seen) {
      /* Modules that use each other are loaded once, as the manual says;
       * only includes cannot go round in a circle, in a module too. */
      if (seen->loading && !(by_use && seen->is_module)) {
        chg_error(ctx, CHG_E_INCLUDE_CYCLE, from, "include cycle: %s",
                  include_chain(ctx, seen));
      }
      /* a file a `use` names is a module, whichever way it was reached
       * first: a directory walk that met lib/ before main.chg must not
       * make its scales the portfolio's own */
      if (by_use && !seen->loading) seen->is_module = true;
      return seen;
    }
  }
  source_read read = {0};
  bool too_large = false;
  if (!why && !read_file(ctx, path, &read, &why, &too_large) && !why) why = "cannot be read";
  if (why) {
    if (too_large) {
      chg_error(ctx, CHG_E_FILE_TOO_LARGE, from, "`%s` is %s", path, why);
      if (from.file) include_failed(ctx);
    } else if (from.file) {
      /* a module that cannot be read is not found, as one that is not there */
      chg_error(ctx, by_use ? CHG_E_MODULE_NOT_FOUND : CHG_E_INCLUDE_NOT_FOUND, from,
                "cannot read `%s`: %s", path, why);
      include_failed(ctx);
    } else {
      chg_error(ctx, CHG_E_IO, from, "cannot read `%s`: %s", path, why);
      ctx->io_failed = true;
    }
    return NULL;
  }
  const char *real_name = chg_intern_cstr(&ctx->names, real);
  chg_file *f = chg_ctx_add_file(ctx, path, real_name, read.text, read.len);
  f->stamp = read.stamp;
  f->stream = read.stream;
  f->text_set_aside = read.stream != NULL;
  chg_map_put(&ctx->loaded, NULL, real_name, f);
  f->is_module = is_module;
  f->included = from.file && !by_use;
  f->loading = true;
  chg_vec_push(&ctx->al, &ctx->loading, f);
  size_t errors_before = ctx->errors;
  chg_parse_file(ctx, f);
  if (f->stream) {
    fclose(f->stream);
    f->stream = NULL;
  }
  if (from.file && !is_module && !f->items && !f->ncomments && ctx->errors == errors_before) {
    /* cut short by a bad merge or an editor: not even a comment to say it
     * was meant to hold nothing, and what it held would pass unchecked */
    chg_error(ctx, CHG_E_INCLUDE_NOT_FOUND, from,
              "included file `%s` is empty: nothing in it was checked (a file meant to be "
              "empty says so in a comment)", path);
    include_failed(ctx);
  }
  /* a module a `use` brings in is at no include depth of its own: only
   * includes inside includes count against the limit the manual gives */
  if (!by_use && ctx->include_depth > CHG_MAX_INCLUDE_DEPTH) {
    chg_error(ctx, CHG_E_INCLUDE_TOO_DEEP, from,
              "includes nested more than %u deep", CHG_MAX_INCLUDE_DEPTH);
    include_failed(ctx);
  } else if (ctx->load_depth > CHG_MAX_LOAD_DEPTH) {
    chg_error(ctx, CHG_E_INCLUDE_TOO_DEEP, from,
              "files nested more than %u deep, modules and includes together",
              CHG_MAX_LOAD_DEPTH);
    include_failed(ctx);
  } else {
    if (!by_use) ctx->include_depth++;
    ctx->load_depth++;
    load_dependencies(ctx, f);
    ctx->load_depth--;
    if (!by_use) ctx->include_depth--;
  }
  f->loading = false;
  ctx->loading.len--;
  return f;
}

/* A file included or named: its own, and no module's way round a circle. */
static chg_file *load_file(chg_ctx *ctx, const char *path, chg_span from, bool is_module) {
  return load_file_as(ctx, path, from, is_module, false);
}

static bool has_glob_chars(const char *s) { return strpbrk(s, "*?[") != NULL; }

/* "a/b/../c//./d" -> "a/c/d": the path shown for an included file.  Only
 * the spelling changes; `..` at the start is kept. */
static const char *tidy_path(chg_ctx *ctx, const char *path) {
  size_t n = strlen(path);
  char *out = chg_arena_alloc(&ctx->arena, n + 1);
  size_t k = 0, kept = 0; /* kept: parts that `..` may remove */
  bool absolute = path[0] == '/';
  if (absolute) out[k++] = '/';
  for (const char *p = path; *p;) {
    while (*p == '/') p++;
    const char *e = p;
    while (*e && *e != '/') e++;
    size_t len = (size_t)(e - p);
    if (len == 0) break;
    if (len == 1 && p[0] == '.') {
    } else if (len == 2 && p[0] == '.' && p[1] == '.' && kept > 0) {
      while (k > (absolute ? 1u : 0u) && out[k - 1] != '/') k--;
      if (k > (absolute ? 1u : 0u)) k--;
      kept--;
    } else {
      if (k > (absolute ? 1u : 0u)) out[k++] = '/';
      memcpy(out + k, p, len);
      k += len;
      if (!(len == 2 && p[0] == '.' && p[1] == '.')) kept++;
    }
    p = e;
  }
  if (k == 0) out[k++] = '.';
  out[k] = '\0';
  return out;
}

/* The entry of `dir` whose name is nearest `want`: a file ending in `ext`,
 * or a directory when `ext` is NULL; NULL if none is near.  A directory of
 * very many files is read only in part: a suggestion is worth no long
 * wait. */
static const char *nearest_entry(chg_ctx *ctx, const char *dir, const char *want, const char *ext) {
  enum { ENTRIES_READ_MAX = 4096 };
  DIR *d = opendir(dir);
  if (!d) return NULL;
  chg_suggester s;
  chg_suggest_init(&s, want);
  struct dirent *entry;
  for (int n = 0; n < ENTRIES_READ_MAX && (entry = readdir(d)); n++) {
    const char *name = entry->d_name;
    if (ext ? !chg_ends_with(name, ext) : name[0] == '.') continue;
    if (!ext) {
      struct stat st;
      const char *path = chg_arena_printf(&ctx->arena, "%s%s", dir, name);
      if (stat(path, &st) != 0 || !S_ISDIR(st.st_mode)) continue;
    }
    chg_suggest_offer(&s, chg_arena_strndup(&ctx->arena, name, strlen(name)));
  }
  closedir(d);
  return s.best;
}

/* `include "risk.chg"` for `risks.chg`, `"Risks.chg"` for `risks.chg`,
 * `"programes/drm.chg"` for `programmes/drm.chg`: the file ending in `ext`
 * nearest where `full` was looked for, beside it or, when its directory
 * is not there, in the directory nearest that, as the pattern would name
 * it; "" if none is near.  *meant is where that file is, or NULL. */
const char *chg_file_near_miss(chg_ctx *ctx, const char *pattern, const char *full, const char *ext,
                               const char **meant) {
  if (meant) *meant = NULL;
  const char *slash = strrchr(full, '/');
  const char *dir = slash ? chg_arena_strndup(&ctx->arena, full, (size_t)(slash - full + 1)) : "./";
  const char *want = slash ? slash + 1 : full;
  const char *own = strrchr(pattern, '/');
  size_t kept = own ? (size_t)(own - pattern + 1) : 0;
  const char *shown_dir = chg_arena_strndup(&ctx->arena, pattern, kept);
  const char *best = nearest_entry(ctx, dir, want, ext);
  struct stat st;
  if (!best && slash && kept && stat(dir, &st) != 0) {
    /* the directory misspelt: its parent, and the name it has there */
    const char *dir_path = chg_arena_strndup(&ctx->arena, full, (size_t)(slash - full));
    const char *up = strrchr(dir_path, '/');
    const char *parent = up ? chg_arena_strndup(&ctx->arena, dir_path, (size_t)(up - dir_path + 1)) : "./";
    const char *written = up ? up + 1 : dir_path;
    size_t wlen = strlen(written);
    const char *near = *written ? nearest_entry(ctx, parent, written, NULL) : NULL;
    /* the pattern's directory ends with the name misspelt, as `full`'s does */
    if (near && kept > wlen && strncmp(pattern + kept - 1 - wlen, written, wlen) == 0 &&
        (kept == wlen + 1 || pattern[kept - 2 - wlen] == '/')) {
      dir = chg_arena_printf(&ctx->arena, "%s%s/", parent, near);
      shown_dir = chg_arena_printf(&ctx->arena, "%.*s%s/", (int)(kept - 1 - wlen), pattern, near);
      /* the file as written, there, or the one nearest it */
      const char *there = chg_arena_printf(&ctx->arena, "%s%s", dir, want);
      best = stat(there, &st) == 0 && S_ISREG(st.st_mode) ? want : nearest_entry(ctx, dir, want, ext);
    }
  }
  if (!best) return "";
  if (meant) *meant = chg_arena_printf(&ctx->arena, "%s%s", dir, best);
  return chg_arena_printf(&ctx->arena, "; did you mean `%s%s`?", shown_dir, best);
}

/* The path an included file is read and shown by: tidied, unless a
 * directory the `..` would take out is a link (`link/../shared.chg`,
 * where `link` leads elsewhere), when the tidy spelling names another
 * file, or none, and the path stays as written. */
const char *chg_shown_path(chg_ctx *ctx, const char *path) {
  const char *tidy = tidy_path(ctx, path);
  if (!strstr(path, "..")) return tidy;
  char real[PATH_MAX], real_tidy[PATH_MAX];
  if (!realpath(path, real)) return tidy; /* said as not found, by the tidy name */
  return realpath(tidy, real_tidy) && strcmp(real, real_tidy) == 0 ? tidy : path;
}

/* `dir` with a backslash before each character glob(3) would read as
 * part of a pattern, so that it matches only itself. */
/* The directory a pattern's first wildcard looks in (`dir` of `dir/a*.chg`),
 * when it exists but may not be listed; NULL otherwise (errno set when
 * not NULL). */
static const char *unreadable_glob_dir(chg_ctx *ctx, const char *pattern) {
  size_t wild = strcspn(pattern, "*?[");
  const char *slash = NULL;
  for (const char *p = pattern; p < pattern + wild; p++)
    if (*p == '/') slash = p;
  const char *dir = !slash ? "." : slash == pattern ? "/"
                    : chg_arena_strndup(&ctx->arena, pattern, (size_t)(slash - pattern));
  DIR *d = opendir(dir);
  if (d) {
    closedir(d);
    return NULL;
  }
  return errno == ENOENT || errno == ENOTDIR ? NULL : dir;
}

static const char *glob_quoted(chg_ctx *ctx, const char *dir) {
  if (!strpbrk(dir, "*?[]\\")) return dir;
  chg_buf b = {0};
  for (const char *c = dir; *c; c++) {
    if (strchr("*?[]\\", *c)) chg_buf_putc(&ctx->al, &b, '\\');
    chg_buf_putc(&ctx->al, &b, *c);
  }
  const char *s = chg_arena_strndup(&ctx->arena, b.data, b.len);
  chg_buf_release(&ctx->al, &b);
  return s;
}

const char *chg_link_elsewhere(chg_ctx *ctx, const char *path, const char *ext) {
  char real[PATH_MAX], here[PATH_MAX];
  if (!realpath(path, real) || chg_ends_with(real, ext)) return NULL;
  /* named from here when it is below here, as the path was */
  const char *shown = real;
  size_t n = getcwd(here, sizeof here) ? strlen(here) : 0;
  if (n > 1 && strncmp(real, here, n) == 0 && real[n] == '/') shown = real + n + 1;
  return chg_arena_strndup(&ctx->arena, shown, strlen(shown));
}

/* An included file that is a link to a file of another kind: said, and
 * not read (see chg_link_elsewhere). */
static bool include_leads_elsewhere(chg_ctx *ctx, const char *path, chg_span at) {
  const char *target = chg_link_elsewhere(ctx, path, ".chg");
  if (!target) return false;
  chg_error(ctx, CHG_E_INCLUDE_NOT_FOUND, at,
            "`%s` is a link to `%s`, which is not a .chg file: `include` reads portfolio "
            "files, and follows no link to a file of another kind", path, target);
  include_failed(ctx);
  return true;
}

/* `include "programes/drm*.chg"`: a pattern whose directory, written without
 * wildcards, does not exist matches nothing because of a typo, not because
 * the directory is empty.  The message for it, with the directory meant
 * when one is near; NULL when the directory is there (or has wildcards). */
static const char *missing_pattern_dir(chg_ctx *ctx, const char *pattern, const char *full) {
  const char *own = strrchr(pattern, '/'), *slash = strrchr(full, '/');
  if (!own || !slash || own == pattern) return NULL;
  const char *dir_written = chg_arena_strndup(&ctx->arena, pattern, (size_t)(own - pattern));
  if (has_glob_chars(dir_written)) return NULL;
  const char *dir = chg_arena_strndup(&ctx->arena, full, (size_t)(slash - full));
  struct stat st;
  if (stat(dir, &st) == 0 || errno != ENOENT) return NULL;
  /* the last directory's name, near one beside it */
  const char *up = strrchr(dir, '/');
  const char *parent = up ? chg_arena_strndup(&ctx->arena, dir, (size_t)(up - dir + 1)) : "./";
  const char *name = up ? up + 1 : dir;
  const char *near = *name && stat(parent, &st) == 0 ? nearest_entry(ctx, parent, name, NULL) : NULL;
  const char *wup = strrchr(dir_written, '/');
  size_t keep = wup ? (size_t)(wup - dir_written + 1) : 0;
  if (near)
    return chg_arena_printf(&ctx->arena,
                            "include pattern `%s` matches no file: directory `%s` does not "
                            "exist; did you mean `%.*s%s%s`?",
                            pattern, dir_written, (int)keep, dir_written, near, own);
  return chg_arena_printf(&ctx->arena,
                          "include pattern `%s` matches no file: directory `%s` does not exist",
                          pattern, dir_written);
}

static void load_include(chg_ctx *ctx, chg_file *f, chg_node *inc) {
  const chg_value *v = &chg_node_args(inc)[0];
  /* a path with a bad escape or a NUL byte has been reported, and is not
   * followed: it would name something else (`"*\0/"`, cut at the NUL,
   * every file here) */
  if (v->kind != CHG_V_STRING || strlen(v->u.s) != chg_str_len(v) || chg_damaged(ctx, v->span)) {
    /* what it would have loaded is lost: said by the path's error */
    for (uint32_t d = 0; d < ctx->ndiags; d++)
      if (ctx->diags[d].severity == CHG_ERROR && ctx->diags[d].group == d &&
          ctx->diags[d].span.file == v->span.file && ctx->diags[d].span.start >= v->span.start &&
          ctx->diags[d].span.end <= v->span.end) {
        absence_said_by(ctx, d, NULL);
        break;
      }
    return;
  }
  const char *pattern = v->u.s;
  chg_span at = v->span;
  if (!*pattern) {
    chg_error(ctx, CHG_E_INCLUDE_NOT_FOUND, at, "include of an empty path");
    include_failed(ctx);
    return;
  }
  const char *full = pattern[0] == '/' || strcmp(f->dir, ".") == 0
                         ? pattern
                         : chg_arena_printf(&ctx->arena, "%s/%s", f->dir, pattern);
  if (!has_glob_chars(pattern)) {
    /* only .chg files: an include of `/proc/self/environ` would otherwise
     * quote its lines, the secrets of a CI job, in the diagnostics */
    if (!chg_ends_with(pattern, ".chg")) {
      struct stat st;
      size_t n = strlen(pattern);
      if (stat(full, &st) == 0 && S_ISDIR(st.st_mode))
        chg_error(ctx, CHG_E_INCLUDE_NOT_FOUND, at,
                  "`%s` is a directory: include the files in it with a pattern, as in "
                  "`include \"%.*s/*.chg\"`",
                  pattern, (int)(n && pattern[n - 1] == '/' ? n - 1 : n), pattern);
      else
        chg_error(ctx, CHG_E_INCLUDE_NOT_FOUND, at,
                  "`%s` is not a .chg file: `include` reads portfolio files, whose names end "
                  "in `.chg`", pattern);
      include_failed(ctx);
      return;
    }
    struct stat st;
    if (stat(full, &st) != 0) {
      const char *meant = NULL;
      if (errno == ENOENT || errno == ENOTDIR)
        chg_error(ctx, CHG_E_INCLUDE_NOT_FOUND, at,
                  "included file `%s` not found (looked for `%s`)%s", pattern,
                  chg_shown_path(ctx, full), chg_file_near_miss(ctx, pattern, full, ".chg", &meant));
      else /* there, but not to be reached: a loop of links, a folder not to be entered */
        chg_error(ctx, CHG_E_INCLUDE_NOT_FOUND, at, "included file `%s` cannot be read: %s",
                  full, strerror(errno));
      include_meant_failed(ctx, meant);
      return;
    }
    if (include_leads_elsewhere(ctx, full, at)) return;
    load_file(ctx, chg_shown_path(ctx, full), at, f->is_module);
    return;
  }
  /* only the pattern is a pattern: the directory of the file naming it
   * is taken as it is spelt, `[` and all (`Portfolio [2022]/main.chg`) */
  const char *to_glob = full == pattern ? pattern
                        : chg_arena_printf(&ctx->arena, "%s/%s", glob_quoted(ctx, f->dir), pattern);
  glob_t g;
  int rc = glob(to_glob, 0, NULL, &g);
  if (rc == GLOB_NOMATCH) {
    /* none found, or none could be looked for: a directory that may not
     * be read is an error, as a file that may not be read is */
    const char *unread = unreadable_glob_dir(ctx, to_glob);
    const char *missing = unread ? NULL : missing_pattern_dir(ctx, pattern, full);
    if (unread)
      chg_error(ctx, CHG_E_INCLUDE_NOT_FOUND, at,
                "include pattern `%s` cannot be matched: directory `%s` cannot be read: %s",
                pattern, unread, strerror(errno));
    else if (missing)
      chg_error(ctx, CHG_E_INCLUDE_NOT_FOUND, at, "%s", missing);
    else
      chg_warning(ctx, CHG_E_INCLUDE_NOT_FOUND, at,
                  "include pattern `%s` matches no file", pattern);
    include_failed(ctx);
    return;
  }
  if (rc != 0) {
    chg_error(ctx, CHG_E_INCLUDE_NOT_FOUND, at,
              "cannot expand include pattern `%s`", pattern);
    include_failed(ctx);
    return;
  }
  size_t files = 0, others = 0;
  for (size_t i = 0; i < g.gl_pathc; i++) {
    struct stat st;
    if (stat(g.gl_pathv[i], &st) == 0 && S_ISDIR(st.st_mode)) continue;
    if (!chg_ends_with(g.gl_pathv[i], ".chg")) { /* a README beside the portfolio's files */
      others++;
      continue;
    }
    files++;
    /* `include "*.chg"` in main.chg beside its parts means the parts: the
     * file itself is not included again (named alone, it is a cycle) */
    char real[PATH_MAX];
    if (f->real && realpath(g.gl_pathv[i], real) && strcmp(real, f->real) == 0) continue;
    if (include_leads_elsewhere(ctx, g.gl_pathv[i], at)) continue;
    load_file(ctx, chg_shown_path(ctx, g.gl_pathv[i]), at, f->is_module);
  }
  if (!files) {
    chg_warning(ctx, CHG_E_INCLUDE_NOT_FOUND, at,
                "include pattern `%s` matches no .chg file, only %s", pattern,
                others ? "files of other kinds, which are not read"
                : g.gl_pathc == 1 ? "a directory" : "directories");
    include_failed(ctx);
  }
  globfree(&g);
}

static const char *module_relpath(chg_ctx *ctx, const chg_value *name) {
  chg_buf b = {0};
  for (uint32_t i = 0; i < chg_path_len(name); i++) {
    if (i) chg_buf_putc(&ctx->al, &b, '/');
    chg_buf_put(&ctx->al, &b, chg_path_name(name, i),
                strlen(chg_path_name(name, i)));
  }
  chg_buf_put(&ctx->al, &b, ".chg", 4);
  const char *s = chg_arena_strndup(&ctx->arena, b.data, b.len);
  chg_buf_release(&ctx->al, &b);
  return s;
}

/* Whether the module of dotted name `name` is on the search path. */
static bool module_on_path(chg_ctx *ctx, const char *name) {
  char rel[256];
  size_t n = strlen(name);
  if (n + 5 > sizeof rel) return false;
  for (size_t i = 0; i < n; i++) rel[i] = name[i] == '.' ? '/' : name[i];
  memcpy(rel + n, ".chg", 5);
  for (size_t i = 0; i < ctx->search_dirs.len; i++) {
    char full[PATH_MAX];
    struct stat st;
    if (snprintf(full, sizeof full, "%s/%s", (const char *)ctx->search_dirs.items[i], rel) <
            (int)sizeof full &&
        stat(full, &st) == 0 && !S_ISDIR(st.st_mode))
      return true;
  }
  return false;
}

static void load_use(chg_ctx *ctx, chg_node *use) {
  chg_value *args = chg_node_args(use);
  const char *rel = module_relpath(ctx, &args[0]);
  for (size_t i = 0; i < ctx->search_dirs.len; i++) {
    const char *dir = ctx->search_dirs.items[i];
    const char *full = chg_arena_printf(&ctx->arena, "%s/%s", dir, rel);
    struct stat st;
    if (stat(full, &st) == 0 && !S_ISDIR(st.st_mode)) {
      const char *target = chg_link_elsewhere(ctx, full, ".chg");
      if (target) {
        chg_error(ctx, CHG_E_MODULE_NOT_FOUND, args[0].span,
                  "module file `%s` is a link to `%s`, which is not a .chg file: chg follows "
                  "no link to a file of another kind", full, target);
        return;
      }
      chg_file *f = load_file_as(ctx, full, args[0].span, true, true);
      if (f && i == 0 && ctx->opts.stdlib_dir) f->standard = true; /* searched first */
      /* a module's Lua companion runs as a hook: x.chg beside x.lua */
      const char *lua = chg_arena_printf(&ctx->arena, "%.*s.lua", (int)(strlen(full) - 4), full);
      bool seen = false;
      for (size_t k = 0; k < ctx->module_hooks.len; k++)
        seen = seen || strcmp(ctx->module_hooks.items[k], lua) == 0;
      if (f && !seen && stat(lua, &st) == 0 && !S_ISDIR(st.st_mode)) {
        /* said at the `use` that brings it in, as a hook block's is at
         * the block: a companion that links to another kind of file */
        const char *lua_target = chg_link_elsewhere(ctx, lua, ".lua");
        if (lua_target)
          chg_error(ctx, CHG_E_HOOK_NOT_FOUND, args[0].span,
                    "the module's Lua companion `%s` is a link to `%s`, which is not a Lua "
                    "file, and is not read", lua, lua_target);
        else
          chg_vec_push(&ctx->al, &ctx->module_hooks, (void *)lua);
      }
      return;
    }
  }
  char name[256];
  chg_value_format(&args[0], name, sizeof name);
  chg_suggester sg;
  chg_suggest_init(&sg, name);
  static const char *const standard[] = {"std.rag", "std.dca", "std.risk5x5", "std.layers",
                                         "std.escalation", "std.recommendations", "std.change"};
  bool is_standard = false;
  const char *begun = NULL; /* `std.risk`: the start of a module's name */
  size_t len = strlen(name);
  for (size_t i = 0; i < sizeof standard / sizeof *standard; i++) {
    is_standard = is_standard || strcmp(name, standard[i]) == 0;
    if (!module_on_path(ctx, standard[i])) continue;
    chg_suggest_offer(&sg, standard[i]);
    if (len > 4 && strncmp(name, standard[i], len) == 0) begun = standard[i];
  }
  if (begun && !is_standard) sg.best = begun;
  const char *set_to = getenv("CHG_STDLIB");
  if (is_standard && ctx->search_dirs.len && set_to && *set_to)
    /* not a misspelling: CHG_STDLIB sends chg to the wrong place */
    chg_error(ctx, CHG_E_MODULE_NOT_FOUND, args[0].span,
              "module `%s` not found: chg's standard library is not in %s, where CHG_STDLIB "
              "sends it; set CHG_STDLIB to the folder that holds std/, or unset it",
              name, (const char *)ctx->search_dirs.items[0]);
  else if (is_standard && ctx->search_dirs.len)
    /* not a misspelling: the standard library is not where chg looks */
    chg_error(ctx, CHG_E_MODULE_NOT_FOUND, args[0].span,
              "module `%s` not found: chg's standard library is not in %s; set CHG_STDLIB "
              "to its folder", name, (const char *)ctx->search_dirs.items[0]);
  else
    chg_error(ctx, CHG_E_MODULE_NOT_FOUND, args[0].span,
              "module `%s` not found%s", name, chg_suggest_text(ctx, &sg));
  /* what a portfolio's own module defines, named elsewhere, is said here
   * once, as an include's is (the standard library's define scales, whose
   * levels are said missing at their first use) */
  if (strncmp(name, "std.", 4) != 0) include_failed(ctx);
  chg_vec_push(&ctx->al, &ctx->missing_modules, chg_arena_strndup(&ctx->arena, name, strlen(name)));
  if (ctx->search_dirs.len == 0)
    chg_note(ctx, args[0].span, "no module directories are set");
  for (size_t i = 0; i < ctx->search_dirs.len; i++)
    chg_note(ctx, args[0].span, "looked for `%s/%s`",
             (const char *)ctx->search_dirs.items[i], rel);
  /* `chg check .` that read lib/office/scales.chg on its way: the module
   * is there, and the directory above its name is what to search */
  size_t rel_len = strlen(rel);
  for (size_t f = 1; f < ctx->nfiles; f++) {
    const char *path = ctx->files[f] ? ctx->files[f]->path : NULL;
    size_t n = path ? strlen(path) : 0;
    if (n < rel_len || strcmp(path + n - rel_len, rel) != 0 ||
        (n > rel_len && path[n - rel_len - 1] != '/'))
      continue;
    int dir = n > rel_len ? (int)(n - rel_len - 1) : 1;
    chg_note(ctx, args[0].span,
             "`%s`, read in this run, is that module's file: to use it as the module, search "
             "its directory with `-I %.*s` (or put it on CHG_PATH)", path, dir,
             n > rel_len ? path : ".");
    break;
  }
}

static void load_dependencies(chg_ctx *ctx, chg_file *f) {
  for (chg_node *n = f->items; n; n = n->next) {
    if (n->kind == CHG_N_INCLUDE) load_include(ctx, f, n);
    else if (n->kind == CHG_N_USE) load_use(ctx, n);
  }
}

static int compare_strings(const void *a, const void *b) {
  return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* Every *.chg below a directory, in sorted order so runs are repeatable. */
/* The directories a walk has read, known by device and inode: a link back
 * up the tree (`up -> ..`) would have the walk read every level again
 * beneath it, and two such links twice over at every level, until the
 * depth limit, 2^64 times. */
typedef struct seen_dirs {
  struct seen_dir {
    dev_t device;
    ino_t inode;
  } *dirs;
  size_t len, cap;
  size_t chg_files; /* .chg files found, read now or before */
} seen_dirs;

/* Whether the directory `st` describes is met for the first time */
static bool first_visit(chg_ctx *ctx, seen_dirs *seen, const struct stat *st) {
  for (size_t i = 0; i < seen->len; i++)
    if (seen->dirs[i].device == st->st_dev && seen->dirs[i].inode == st->st_ino) return false;
  seen->dirs = chg_mem_grow(&ctx->al, seen->dirs, &seen->cap, seen->len + 1, sizeof *seen->dirs);
  seen->dirs[seen->len++] = (struct seen_dir){st->st_dev, st->st_ino};
  return true;
}

/* A `.chg` found in a directory or named (`chg check *.chg` in CI) that is
 * a link to a file of another kind -- `env.chg` to /proc/self/environ --
 * is said and not read, as an included one is: its syntax errors would
 * quote the file, a CI job's secrets, in the log. */
static bool named_link_elsewhere(chg_ctx *ctx, const char *path) {
  const char *target = chg_link_elsewhere(ctx, path, ".chg");
  if (!target) return false;
  chg_error(ctx, CHG_E_INCLUDE_NOT_FOUND, (chg_span){0, 0, 0},
            "`%s` is a link to `%s`, which is not a .chg file, and is not read: a portfolio's "
            "files are .chg files, and no link to a file of another kind is followed",
            path, target);
  return true;
}

/* What a walk does with each .chg file it finds: check loads it, fmt
 * lists it. */
typedef struct dir_walk {
  seen_dirs seen;
  void (*found)(void *ud, const char *path);
  void *ud;
} dir_walk;

static void add_directory(chg_ctx *ctx, const char *dir, unsigned depth, dir_walk *walk) {
  seen_dirs *seen = &walk->seen;
  DIR *d = opendir(dir);
  if (!d) {
    chg_error(ctx, CHG_E_IO, (chg_span){0, 0, 0}, "cannot read directory `%s`: %s",
              dir, strerror(errno));
    /* the one named fails the run; one found in it is a part of the
     * portfolio missing, and the rest is still checked */
    if (depth == 0) ctx->io_failed = true;
    return;
  }
  chg_vec names = {0};
  struct dirent *e;
  while ((e = readdir(d)) != NULL) {
    if (e->d_name[0] == '.') continue;
    chg_vec_push(&ctx->al, &names,
                 chg_arena_printf(&ctx->arena, "%s/%s", dir, e->d_name));
  }
  closedir(d);
  if (names.len) qsort(names.items, names.len, sizeof(void *), compare_strings);
  for (size_t i = 0; i < names.len; i++) {
    const char *path = names.items[i];
    struct stat st;
    /* a .chg that cannot be reached (a link to nothing) or is no file (a
     * FIFO) is a file of the portfolio missing: an error in the portfolio,
     * as an include of it would be, and the rest is still checked */
    bool reached = stat(path, &st) == 0;
    /* and one that may not be read (its mode, as nobody), likewise */
    bool unreadable = reached && S_ISREG(st.st_mode) && access(path, R_OK) != 0;
    if (!reached || unreadable || (!S_ISDIR(st.st_mode) && !S_ISREG(st.st_mode))) {
      /* a path too long to name, a directory or a .chg file: what is below
       * it is not read, and that is said, not passed over */
      if (!reached && errno == ENAMETOOLONG) {
        seen->chg_files += chg_ends_with(path, ".chg");
        chg_error(ctx, CHG_E_IO, (chg_span){0, 0, 0},
                  "cannot read `%s`: its path is longer than this system can name (%d bytes), so "
                  "nothing there is read", path, PATH_MAX);
        continue;
      }
      if (chg_ends_with(path, ".chg")) {
        seen->chg_files++;
        chg_error(ctx, CHG_E_IO, (chg_span){0, 0, 0}, "cannot read `%s`: %s", path,
                  reached && !unreadable ? "it is not an ordinary file" : strerror(errno));
      }
      continue;
    }
    if (S_ISDIR(st.st_mode)) {
      if (depth + 1 > CHG_MAX_DIRECTORY_DEPTH)
        chg_warning(ctx, CHG_E_IO, (chg_span){0, 0, 0},
                    "`%s` is more than %d directories down: the files below it are not read",
                    path, CHG_MAX_DIRECTORY_DEPTH);
      else if (first_visit(ctx, seen, &st))
        add_directory(ctx, path, depth + 1, walk);
    } else {
      if (chg_ends_with(path, ".chg")) {
        seen->chg_files++;
        if (!named_link_elsewhere(ctx, path)) walk->found(walk->ud, path);
      }
    }
  }
  chg_vec_release(&ctx->al, &names);
}

void chg_add_read_failure(chg_ctx *ctx, const char *what, int errnum) {
  chg_error(ctx, CHG_E_IO, (chg_span){0, 0, 0}, "cannot read %s: %s", what, strerror(errnum));
  ctx->io_failed = true;
}

/* Every .chg file below a directory, to `walk`: a directory that cannot be
 * read, one too deep, and one that holds no .chg file said as diagnostics
 * of ctx.  Returns 0, or -1 when the directory named failed the run. */
static int walk_directory(chg_ctx *ctx, const char *path, const struct stat *st, dir_walk *walk) {
  /* "examples/mps_2011/" walks as "examples/mps_2011" */
  size_t n = strlen(path);
  while (n > 1 && path[n - 1] == '/') n--;
  path = chg_arena_strndup(&ctx->arena, path, n);
  size_t before = ctx->errors;
  bool io_before = ctx->io_failed;
  first_visit(ctx, &walk->seen, st);
  add_directory(ctx, path, 0, walk);
  chg_mem_free(&ctx->al, walk->seen.dirs, walk->seen.cap * sizeof *walk->seen.dirs);
  /* a directory whose files were all named already (`dir dir/sub`) adds
   * nothing, and is no failure */
  if (walk->seen.chg_files == 0 && ctx->errors == before) {
    /* nothing to check is not a clean portfolio */
    chg_error(ctx, CHG_E_IO, (chg_span){0, 0, 0}, "`%s` holds no .chg files", path);
    ctx->io_failed = true;
    return -1;
  }
  return ctx->io_failed && !io_before && ctx->errors > before ? -1 : 0;
}

static void load_found(void *ud, const char *path) {
  chg_ctx *ctx = ud;
  /* shown as an included file is: `./main.chg` as `main.chg` */
  load_file(ctx, chg_shown_path(ctx, path), (chg_span){0, 0, 0}, false);
}

int chg_add_path(chg_ctx *ctx, const char *path) {
  struct stat st;
  if (stat(path, &st) == 0 && S_ISDIR(st.st_mode)) {
    dir_walk walk = {.found = load_found, .ud = ctx};
    return walk_directory(ctx, path, &st, &walk);
  }
  if (chg_ends_with(path, ".chg") && named_link_elsewhere(ctx, path)) return 0;
  return load_file(ctx, path, (chg_span){0, 0, 0}, false) ? 0 : -1;
}

int chg_each_file_below(chg_ctx *ctx, const char *dir,
                        void (*found)(void *ud, const char *path), void *ud) {
  struct stat st;
  if (stat(dir, &st) != 0 || !S_ISDIR(st.st_mode)) return -1;
  dir_walk walk = {.found = found, .ud = ud};
  return walk_directory(ctx, dir, &st, &walk);
}

int chg_add_source(chg_ctx *ctx, const char *name, const char *text,
                   size_t len) {
  if (len >= CHG_MAX_FILE_SIZE) {
    chg_error(ctx, CHG_E_FILE_TOO_LARGE, (chg_span){0, 0, 0},
              "`%s` is larger than 1 GiB, the most a source may hold", name);
    return -1;
  }
  char *copy = chg_arena_alloc(&ctx->arena, len + 2);
  if (len) memcpy(copy, text, len);
  chg_file *f = chg_ctx_add_file(ctx, name, NULL, copy, len);
  f->loading = true;
  chg_parse_file(ctx, f);
  load_dependencies(ctx, f);
  f->loading = false;
  return 0;
}
