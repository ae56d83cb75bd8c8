/*
 * chg.h -- the public API of libchg, the library behind the `chg` tool.
 *
 * A portfolio is compiled in a context: add source files (or strings),
 * then check.  Every diagnostic carries a file, a byte span and a stable
 * code; the caller decides how to print them.  Nothing here keeps global
 * state, so several contexts may live side by side in one process.
 */
#ifndef CHG_H
#define CHG_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#ifdef __cplusplus
extern "C" {
#endif

#define CHG_VERSION "0.1.0"

typedef struct chg_ctx chg_ctx;

typedef enum chg_severity {
  CHG_NOTE,
  CHG_WARNING,
  CHG_ERROR
} chg_severity;

/* Allocation is routed through these, so an embedder (or a test) may
 * supply its own allocator -- including one that fails on demand. */
typedef struct chg_allocator {
  void *(*alloc)(void *ud, size_t size);
  void *(*realloc)(void *ud, void *ptr, size_t old_size, size_t new_size);
  void (*free)(void *ud, void *ptr, size_t size);
  void *ud;
} chg_allocator;

typedef struct chg_options {
  const chg_allocator *allocator; /* NULL: malloc and friends */
  const char *stdlib_dir;         /* NULL: the installed stdlib */
  int use_env_path;               /* consult CHG_PATH */
  unsigned max_errors;            /* 0: no limit */
  unsigned max_depth;             /* block nesting limit; 0: default */
  uint64_t hook_instructions;     /* per hook file; 0: the default */
  size_t hook_memory;             /* bytes for all hooks; 0: the default */
} chg_options;

#define CHG_HOOK_INSTRUCTIONS_DEFAULT 50000000u /* about a second of Lua */
#define CHG_HOOK_MEMORY_DEFAULT ((size_t)64 << 20)

/* A context owns every file, tree and diagnostic of one compilation. */
chg_ctx *chg_new(const chg_options *opts);
void chg_free(chg_ctx *ctx);

/* Module search path: the stdlib, then CHG_PATH, then each added dir. */
int chg_add_include_dir(chg_ctx *ctx, const char *dir);

/* Add a root file, or every *.chg below a directory.  Returns 0, or -1
 * when the path cannot be read (a diagnostic says why). */
int chg_add_path(chg_ctx *ctx, const char *path);

/* Add a root source held in memory; `name` is how diagnostics call it. */
int chg_add_source(chg_ctx *ctx, const char *name, const char *text,
                   size_t len);

/* Resolve, check the schema, references, levels and expressions.
 * Returns the number of errors found so far in the context. */
size_t chg_check(chg_ctx *ctx);

/* Checks, then evaluates what a report would show (rules, hooks, claims):
 * a false claim is an error.  Returns the number of errors. */
size_t chg_evaluate(chg_ctx *ctx);

typedef struct chg_report_options {
  const char *format;          /* "text" (default), "md", "json", "csv" */
  const char *const *sections; /* NULL: every section that has data */
  size_t nsections;
  const char *as_of;           /* "YYYY-MM-DD" in place of the portfolio's */
} chg_report_options;

/* Checks, evaluates and writes a report to `out`.  Returns 0 when written
 * (false claims are shown in it, and counted as errors), 1 when the
 * portfolio has errors that stop a report (nothing is written), -1 when
 * the options are wrong (nothing is written; `why` says what). */
int chg_write_report(chg_ctx *ctx, const chg_report_options *opts, FILE *out,
               const char **why);

/* The name of the i-th report section, in report order; NULL past the end. */
const char *chg_report_section(size_t i);

/* What the run found. */
size_t chg_error_count(const chg_ctx *ctx);
size_t chg_warning_count(const chg_ctx *ctx);
int chg_io_failed(const chg_ctx *ctx);

/* Diagnostics in the order they were found. */
typedef struct chg_diag_view {
  chg_severity severity;
  const char *code;    /* "CHG0301" */
  const char *message;
  const char *file;    /* NULL for a diagnostic with no source */
  unsigned line, column;         /* 1-based; column in code points */
  unsigned end_line, end_column; /* end of the span, exclusive */
  size_t start, end;             /* byte offsets */
} chg_diag_view;

size_t chg_diag_count(const chg_ctx *ctx);
int chg_diag_get(const chg_ctx *ctx, size_t index, chg_diag_view *out);

/* Print every diagnostic compiler-style: location, message, the source
 * line with the span underlined, then notes. */
void chg_diag_print(const chg_ctx *ctx, FILE *out, int colour);

#ifdef __cplusplus
}
#endif
#endif
