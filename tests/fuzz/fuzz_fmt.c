/* libFuzzer: the fmt round trip.  Any input that parses without errors
 * must format (chg_format never refuses its own work), the result must
 * parse to the same tree, and formatting it again must change nothing. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "chg.h"

/* the project's stdlib, by its absolute path: the fuzzer runs in an empty
 * directory, so that an `include "*"` it makes up finds nothing there */
#ifndef CHG_FUZZ_STDLIB
#define CHG_FUZZ_STDLIB "stdlib"
#endif

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static chg_ctx *new_ctx(void) {
  chg_options o;
  memset(&o, 0, sizeof o);
  o.stdlib_dir = CHG_FUZZ_STDLIB;
  o.max_errors = 50;
  return chg_new(&o);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  chg_ctx *ctx = new_ctx();
  if (!ctx) return 0;
  uint32_t file = chg_parse_source(ctx, "fuzz.chg", (const char *)data, size);
  const char *text;
  size_t len;
  int st = file ? chg_format(ctx, file, &text, &len) : 1;
  if (st == -1) abort(); /* the formatter produced something that reads differently */
  if (st == 0) {
    chg_ctx *again = new_ctx();
    if (!again) abort();
    uint32_t file2 = chg_parse_source(again, "formatted.chg", text, len);
    if (!file2 || chg_error_count(again) != 0) abort(); /* its output must parse */
    if (!chg_same_tree(ctx, file, again, file2)) abort();
    const char *text2;
    size_t len2;
    if (chg_format(again, file2, &text2, &len2) != 0) abort();
    if (len2 != len || memcmp(text, text2, len) != 0) abort(); /* not idempotent */
    chg_free(again);
  }
  chg_free(ctx);
  return 0;
}
