/* What the fuzz targets share: inputs that would read the machine's own
 * files are passed over.  An `include` of an absolute path or of one with
 * `..` (`include "/usr/lib/x.chg"`) is legal and means what it says, but it parses
 * whatever lies on the fuzzing machine, which is not the input under test
 * and can take minutes.  Includes within the empty directory the fuzzer
 * runs in are still followed. */
#ifndef CHG_FUZZ_INPUT_H
#define CHG_FUZZ_INPUT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

static inline bool reaches_outside(const uint8_t *data, size_t size) {
  for (size_t i = 0; i + 7 <= size; i++) {
    if (memcmp(data + i, "include", 7) != 0) continue;
    /* whatever the scanner passes over may stand before the path: white
     * space, a NUL, a byte that is not UTF-8, as in `include\0"/x"` */
    size_t j = i + 7;
    while (j < size && data[j] != '"' && data[j] != '\n') j++;
    size_t k = j;
    while (k < size && data[k] == '"') k++; /* `"/x"` or `"""/x"""` */
    if (k > j && k < size && (data[k] == '/' || data[k] == '\\')) return true; /* or `\u{2F}` */
    for (; j + 1 < size && data[j] != '\n'; j++)
      if (data[j] == '.' && data[j + 1] == '.') return true;
  }
  return false;
}

#endif
