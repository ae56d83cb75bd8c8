/* libFuzzer: check, evaluate and write every report format for any
 * input that checks clean enough to report. */
#define _POSIX_C_SOURCE 200809L /* setenv */
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

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  if (reaches_outside(data, size)) return 0;
  /* "detail": JSON with --detail */
  static const char *const formats[] = {"text", "md", "json", "detail", "html"};
  FILE *sink = fopen("/dev/null", "w");
  if (!sink) return 0;
  for (size_t f = 0; f < sizeof formats / sizeof formats[0]; f++) {
    chg_options o;
    memset(&o, 0, sizeof o);
    o.stdlib_dir = CHG_FUZZ_STDLIB;
    o.max_errors = 50;
    o.hook_instructions = 100000;
    o.max_aggregate_steps = 100000; /* the default is a minute's work under the sanitizers */
    chg_ctx *ctx = chg_new(&o);
    if (!ctx) break;
    chg_add_source(ctx, "fuzz.chg", (const char *)data, size);
    chg_report_options ro;
    memset(&ro, 0, sizeof ro);
    ro.format = formats[f];
    if (strcmp(ro.format, "detail") == 0) {
      ro.format = "json";
      ro.detail = 1;
    }
    /* JSON's tables written in chunks of three rows, each formatted into
     * a buffer that starts too small (report.c's write_in_chunks), as a
     * table of thousands of rows would be */
    if (strcmp(formats[f], "json") == 0) setenv("CHG_DEBUG_CHUNK_ROWS", "3", 1);
    else unsetenv("CHG_DEBUG_CHUNK_ROWS");
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
    }
    chg_free(ctx);
    if (rc != 0) break; /* it will not report in any format */
  }
  fclose(sink);
  return 0;
}
