/* libFuzzer: check, evaluate and write every report format for any
 * input that checks clean enough to report. */
#define _POSIX_C_SOURCE 200809L /* setenv, open_memstream */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "chg.h"
#include "fuzz_input.h"

/* the project's stdlib, by its absolute path: the fuzzer runs in an empty
 * directory, so that an `include "*"` it makes up finds nothing there */
#ifndef CHG_FUZZ_STDLIB
#define CHG_FUZZ_STDLIB "stdlib"
#endif

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static chg_ctx *new_ctx(const uint8_t *data, size_t size, unsigned threads) {
  chg_options o;
  memset(&o, 0, sizeof o);
  o.stdlib_dir = CHG_FUZZ_STDLIB;
  o.max_errors = 50;
  o.hook_instructions = 100000;
  o.max_aggregate_steps = 100000; /* the default is a minute's work under the sanitizers */
  o.threads = threads;
  chg_ctx *ctx = chg_new(&o);
  if (ctx) chg_add_source(ctx, "fuzz.chg", (const char *)data, size);
  return ctx;
}

/* The JSON report written with its tables in chunks of three rows, each
 * formatted into a buffer that starts too small (report.c's
 * write_in_chunks, as a table of thousands of rows would be), must be the
 * one written on one thread, byte for byte. */
static void json_in_chunks_as_on_one_thread(const uint8_t *data, size_t size) {
  char *text[2] = {NULL, NULL};
  size_t len[2] = {0, 0};
  int rc[2] = {-1, -1};
  for (int run = 0; run < 2; run++) {
    if (run == 0) setenv("CHG_DEBUG_CHUNK_ROWS", "3", 1);
    else unsetenv("CHG_DEBUG_CHUNK_ROWS");
    FILE *out = open_memstream(&text[run], &len[run]);
    chg_ctx *ctx = out ? new_ctx(data, size, run == 0 ? 0 : 1) : NULL;
    if (ctx) {
      chg_report_options ro;
      memset(&ro, 0, sizeof ro);
      ro.format = "json";
      const char *why;
      rc[run] = chg_write_report(ctx, &ro, out, &why);
      chg_free(ctx);
    }
    if (out) fclose(out);
  }
  if (rc[0] != rc[1] || (rc[0] == 0 && (len[0] != len[1] || memcmp(text[0], text[1], len[0]) != 0))) {
    fprintf(stderr, "fuzz_report: the JSON written in chunks differs from one thread's\n");
    abort();
  }
  free(text[0]);
  free(text[1]);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  if (reaches_outside(data, size)) return 0;
  /* "detail": JSON with --detail */
  static const char *const formats[] = {"text", "md", "json", "detail", "html"};
  FILE *sink = fopen("/dev/null", "w");
  if (!sink) return 0;
  unsetenv("CHG_DEBUG_CHUNK_ROWS");
  for (size_t f = 0; f < sizeof formats / sizeof formats[0]; f++) {
    chg_ctx *ctx = new_ctx(data, size, 0);
    if (!ctx) break;
    chg_report_options ro;
    memset(&ro, 0, sizeof ro);
    ro.format = formats[f];
    if (strcmp(ro.format, "detail") == 0) {
      ro.format = "json";
      ro.detail = 1;
    }
    const char *why;
    int rc = chg_write_report(ctx, &ro, sink, &why);
    if (rc == 0 && f == 0) {
      /* and each section as CSV, in chunks of two rows */
      setenv("CHG_DEBUG_CHUNK_ROWS", "2", 1);
      for (size_t i = 0; chg_report_section(i); i++) {
        const char *one[] = {chg_report_section(i)};
        ro.format = "csv";
        ro.sections = one;
        ro.nsections = 1;
        chg_write_report(ctx, &ro, sink, &why);
      }
      unsetenv("CHG_DEBUG_CHUNK_ROWS");
    }
    chg_free(ctx);
    if (rc != 0) break; /* it will not report in any format */
    if (f == 2) json_in_chunks_as_on_one_thread(data, size);
  }
  fclose(sink);
  return 0;
}
