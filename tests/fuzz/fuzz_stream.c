/* libFuzzer, differential: a file read as it is scanned, in pieces of 5 to
 * 68 bytes, and parsed in 1 to 4 pieces side by side (the first byte of
 * the input picks both), must give exactly
 * the diagnostics it gives read whole: codes, messages and positions.  They
 * are compared in the order they are printed (by position): read in
 * pieces, an encoding error is found when its piece arrives, not first.
 * A portfolio without errors must give the same JSON report both ways
 * (its positions' columns read the file back a stretch at a time). */
#define _POSIX_C_SOURCE 200809L /* setenv, unsetenv */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "chg.h"
#include "fuzz_input.h"

/* the project's stdlib, by its absolute path: the fuzzer runs in an empty
 * directory, so that an `include "*"` it makes up finds nothing there */
#ifndef CHG_FUZZ_STDLIB
#define CHG_FUZZ_STDLIB "stdlib"
#endif

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static chg_ctx *checked(const char *path, const char *stream, const char *split, bool take) {
  if (take) setenv("CHG_DEBUG_TAKE", "1", 1);
  else unsetenv("CHG_DEBUG_TAKE");
  if (stream) setenv("CHG_DEBUG_STREAM", stream, 1);
  else unsetenv("CHG_DEBUG_STREAM");
  if (split) setenv("CHG_DEBUG_SPLIT", split, 1);
  else unsetenv("CHG_DEBUG_SPLIT");
  chg_options o;
  memset(&o, 0, sizeof o);
  o.stdlib_dir = CHG_FUZZ_STDLIB;
  o.max_errors = 0; /* every error: a limit keeps the first found, and read in
                       pieces an encoding error is found later */
  o.max_aggregate_steps = 100000; /* the default is a minute's work under the sanitizers */
  chg_ctx *ctx = chg_new(&o);
  unsetenv("CHG_DEBUG_STREAM");
  unsetenv("CHG_DEBUG_SPLIT");
  unsetenv("CHG_DEBUG_TAKE");
  if (!ctx) abort();
  chg_add_path(ctx, path);
  chg_check(ctx);
  return ctx;
}

static void same(const char *what, const char *a, const char *b) {
  if ((a == NULL) != (b == NULL) || (a && strcmp(a, b) != 0)) {
    fprintf(stderr, "%s differs: `%s` read whole, `%s` in pieces\n", what, a ? a : "(none)",
            b ? b : "(none)");
    abort();
  }
}

/* The JSON report, in memory; NULL when there is none. */
static char *json_report(chg_ctx *ctx, size_t *len) {
  char *out = NULL;
  FILE *fp = open_memstream(&out, len);
  if (!fp) abort();
  chg_report_options ro;
  memset(&ro, 0, sizeof ro);
  ro.format = "json";
  ro.detail = 1; /* with every cell's source span */
  const char *why = NULL;
  int rc = chg_write_report(ctx, &ro, fp, &why);
  fclose(fp);
  if (rc != 0) {
    free(out);
    return NULL;
  }
  return out;
}

static int by_position(const void *x, const void *y) {
  const chg_diag_view *a = x, *b = y;
  int c = strcmp(a->file ? a->file : "", b->file ? b->file : "");
  if (c) return c;
  if (a->start != b->start) return a->start < b->start ? -1 : 1;
  if ((c = strcmp(a->code, b->code))) return c;
  return strcmp(a->message, b->message);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  if (reaches_outside(data, size)) return 0;
  if (size < 1) return 0;
  char path[64];
  snprintf(path, sizeof path, "chg-fuzz-stream-%ld.chg", (long)getpid()); /* in the empty directory it runs in */
  FILE *fp = fopen(path, "wb");
  if (!fp) return 0;
  fwrite(data + 1, 1, size - 1, fp);
  fclose(fp);
  char piece[16], split[16];
  snprintf(piece, sizeof piece, "%d", 5 + data[0] % 64);
  snprintf(split, sizeof split, "%d", 1 + data[0] / 64);
  /* inputs of an odd length: a thread that has finished its piece takes
   * half of what another has left, wherever it can (CHG_DEBUG_TAKE) */
  chg_ctx *whole = checked(path, NULL, NULL, false),
          *pieces = checked(path, piece, split, size % 2 == 1);
  size_t n = chg_diag_count(whole);
  if (chg_diag_count(pieces) != n) {
    fprintf(stderr, "%zu diagnostics read whole, %zu in pieces of %s\n", n,
            chg_diag_count(pieces), piece);
    abort();
  }
  chg_diag_view *a = calloc(n + 1, sizeof *a), *b = calloc(n + 1, sizeof *b);
  if (!a || !b) abort();
  for (size_t i = 0; i < n; i++) {
    chg_diag_get(whole, i, &a[i]);
    chg_diag_get(pieces, i, &b[i]);
  }
  qsort(a, n, sizeof *a, by_position);
  qsort(b, n, sizeof *b, by_position);
  for (size_t i = 0; i < n; i++) {
    same("code", a[i].code, b[i].code);
    same("message", a[i].message, b[i].message);
    if (a[i].line != b[i].line || a[i].column != b[i].column || a[i].start != b[i].start ||
        a[i].end != b[i].end) {
      fprintf(stderr, "diagnostic %zu at %u:%u read whole, %u:%u in pieces\n", i, a[i].line,
              a[i].column, b[i].line, b[i].column);
      abort();
    }
  }
  free(a);
  free(b);
  if (chg_error_count(whole) == 0) {
    size_t na = 0, nb = 0;
    char *ra = json_report(whole, &na), *rb = json_report(pieces, &nb);
    if ((ra == NULL) != (rb == NULL) || (ra && (na != nb || memcmp(ra, rb, na) != 0))) {
      fprintf(stderr, "the JSON report differs read whole and in pieces of %s\n", piece);
      abort();
    }
    free(ra);
    free(rb);
  }
  chg_free(whole);
  chg_free(pieces);
  unlink(path);
  return 0;
}
