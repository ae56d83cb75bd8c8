/* libFuzzer: parse and check any bytes as a portfolio.  Nothing may crash,
 * hang, leak or read out of bounds, whatever the input. */
#include <stddef.h>
#include <stdint.h>
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
  chg_options o;
  memset(&o, 0, sizeof o);
  o.stdlib_dir = CHG_FUZZ_STDLIB;
  o.max_errors = 50;
  /* nested aggregates multiply: the default limit is a minute's work under
   * the sanitizers, past the fuzzer's timeout */
  o.max_aggregate_steps = 100000;
  chg_ctx *ctx = chg_new(&o);
  if (!ctx) return 0;
  chg_add_source(ctx, "fuzz.chg", (const char *)data, size);
  chg_check(ctx);
  size_t n = chg_diag_count(ctx);
  for (size_t i = 0; i < n; i++) {
    chg_diag_view v;
    chg_diag_get(ctx, i, &v); /* positions of every diagnostic computed */
  }
  /* and written, in the format each input's length picks: the excerpts
   * (windows of long lines, carets under wide characters) and escaping */
  static FILE *sink;
  if (!sink) sink = fopen("/dev/null", "w");
  static const char *const formats[] = {"text", "json", "sarif", "github"};
  chg_diag_options d = {formats[size % 4], (int)(size / 4 % 2), NULL};
  if (sink) chg_diag_write(ctx, sink, &d);
  chg_free(ctx);
  return 0;
}
