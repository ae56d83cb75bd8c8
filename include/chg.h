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
  uint32_t max_blocks;            /* blocks in all files; 0: the default */
  uint64_t hook_instructions;     /* per hook file; 0: the default */
  size_t hook_memory;             /* bytes for all hooks; 0: the default */
  unsigned threads;               /* a large file is parsed on this many threads
                                     at most; 0: one per processor */
  uint64_t max_aggregate_steps;   /* blocks the aggregates of one rule's test or
                                     one claim may visit, five times that in a
                                     run; 0: the default */
} chg_options;

#define CHG_MAX_BLOCKS_DEFAULT 50000000u /* some 5 million projects */
#define CHG_HOOK_INSTRUCTIONS_DEFAULT 50000000u /* about a second of Lua */
#define CHG_MAX_FILE_SIZE ((size_t)1 << 30) /* the largest source: spans are 32-bit offsets */
#define CHG_MAX_DIRECTORY_DEPTH 64 /* a directory named as a source is read this far down */
#define CHG_HOOK_MEMORY_DEFAULT ((size_t)64 << 20)
#define CHG_AGGREGATE_STEPS_DEFAULT 20000000u /* a second or two of work */

/* A context owns every file, tree and diagnostic of one compilation. */
chg_ctx *chg_new(const chg_options *opts);
void chg_free(chg_ctx *ctx);

/* Module search path: the stdlib, then CHG_PATH, then each added dir. */
int chg_add_include_dir(chg_ctx *ctx, const char *dir);

/* Add a root file, or every *.chg below a directory.  Returns 0, or -1
 * when the path cannot be read (a diagnostic says why). */
int chg_add_path(chg_ctx *ctx, const char *path);

/* Calls `found` with each *.chg file below a directory, as chg_add_path
 * would read them (in order, hidden names and links to other kinds of
 * file left out), without reading them; what cannot be read is said as a
 * diagnostic.  Returns 0, or -1 when the directory failed the run. */
int chg_each_file_below(chg_ctx *ctx, const char *dir,
                        void (*found)(void *ud, const char *path), void *ud);

/* Add a root source held in memory; `name` is how diagnostics call it. */
int chg_add_source(chg_ctx *ctx, const char *name, const char *text,
                   size_t len);

/* Record that a source the caller was to add could not be read (standard
 * input, say): an I/O failure (CHG0411, exit status 2) among the run's
 * diagnostics, in every format, as a file that cannot be read is. */
void chg_add_read_failure(chg_ctx *ctx, const char *what, int errnum);

/* Resolve, check the schema, references, levels and expressions.
 * Returns the number of errors found so far in the context. */
size_t chg_check(chg_ctx *ctx);

/* Checks, then evaluates what a report would show (rules, hooks, claims):
 * a false claim is an error.  Returns the number of errors. */
size_t chg_evaluate(chg_ctx *ctx);
/* The same, judging what is overdue and slipped at `as_of` ("YYYY-MM-DD")
 * instead of the portfolio's date (NULL: the portfolio's).  Returns the
 * number of errors, or -1 when `as_of` is not a date. */
long chg_evaluate_at(chg_ctx *ctx, const char *as_of);
/* Whether rules, hooks and claims have been run: not when checking found
 * errors, since they would run on a portfolio known to be wrong. */
int chg_evaluated(const chg_ctx *ctx);

typedef struct chg_report_options {
  const char *format;          /* "text" (default), "md", "json", "csv" */
  const char *const *sections; /* NULL: every section that has data */
  size_t nsections;
  const char *as_of;           /* "YYYY-MM-DD" in place of the portfolio's */
  int detail;                  /* json: every cell an object with its display
                                * text, mark and source (format version 1) */
} chg_report_options;

/* Checks, evaluates and writes a report to `out`.  Returns 0 when written
 * (false claims are shown in it, and counted as errors), 1 when the
 * portfolio has errors that stop a report (nothing is written), -1 when
 * the options are wrong (nothing is written; `why` says what).  With `out`
 * NULL it checks and evaluates only, so that a caller can open its output
 * once the report is sure to be written. */
int chg_write_report(chg_ctx *ctx, const chg_report_options *opts, FILE *out,
               const char **why);

/* The name of the i-th report section, in report order; NULL past the end. */
const char *chg_report_section(size_t i);
/* Whether chg_write_report knows a format, and their names for a usage
 * message: "text, md, json, csv, html". */
int chg_report_format_known(const char *format);
const char *chg_report_format_names(void);
/* The i-th report format's name ("text", "md", ...); NULL past the end. */
const char *chg_report_format(size_t i);

/* Of `names` (NULL-ended), the one a mistyped `want` most likely meant,
 * as chg's own "did you mean" chooses (case aside, within an edit or
 * three by length); NULL when none is close.  For a command line's
 * unknown commands, options and values. */
const char *chg_nearest_name(const char *want, const char *const *names);

/* The i-th file the compilation read (a source, an included file, a
 * module, a hook), by the path its diagnostics give; NULL past the end. */
const char *chg_file_read(const chg_ctx *ctx, size_t i);

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

/* Diagnostics for machines, in the order chg_diag_print uses:
 *   "text"    as chg_diag_print;
 *   "json"    JSON lines, one object per diagnostic, its notes inside it;
 *   "sarif"   one SARIF 2.1.0 log (a single run; every code a rule);
 *   "github"  GitHub Actions workflow commands (::error file=...::...).
 * Returns 0, or -1 for an unknown format (nothing is written). */
typedef struct chg_diag_options {
  const char *format;   /* NULL: "text" */
  int colour;           /* text only */
  const char *docs_url; /* sarif: the address of docs/diagnostics.md, to
                           which each rule's helpUri adds its anchor;
                           NULL: CHG_DOCS_URL */
} chg_diag_options;

#ifndef CHG_DOCS_URL
#define CHG_DOCS_URL "file:///usr/local/share/doc/chg/diagnostics.md"
#endif

int chg_diag_write(const chg_ctx *ctx, FILE *out, const chg_diag_options *opts);

/* The names chg_diag_write knows, for a usage message: "text, json, ...". */
const char *chg_diag_formats(void);

/* ---- formatting (chg fmt) ------------------------------------------- */

/* Reads and parses one file on its own, without following its `use` and
 * `include` lines, as the formatter needs it.  Returns the file's id, or
 * 0 when it cannot be read (a diagnostic says why).  Syntax errors are
 * diagnostics as usual. */
uint32_t chg_parse_path(chg_ctx *ctx, const char *path);
uint32_t chg_parse_source(chg_ctx *ctx, const char *name, const char *text,
                          size_t len);

/* The bytes of a file in the context (valid until chg_free). */
const char *chg_source_text(const chg_ctx *ctx, uint32_t file, size_t *len);

/* Lays a parsed file out canonically.  Returns 0 with *text (valid until
 * chg_free) and *len set; 1 when the file has syntax errors (it is not
 * formatted); -1 when the result would not parse to the same tree and
 * comments as the input -- a bug, reported as a diagnostic, and nothing is
 * produced.  chg_format_file writes the text to `out`. */
int chg_format(chg_ctx *ctx, uint32_t file, const char **text, size_t *len);
int chg_format_file(chg_ctx *ctx, uint32_t file, FILE *out);

/* Whether a parsed file is laid out canonically: 0 yes, 1 no (and when
 * `report` is set, an error CHG0802 points at the first line that would
 * change), -1 when it cannot be formatted (see chg_format). */
int chg_format_check(chg_ctx *ctx, uint32_t file, int report);
/* The error CHG0802 itself, given the text chg_format produced (nothing
 * when it is the file's own). */
void chg_format_report(chg_ctx *ctx, uint32_t file, const char *text, size_t len);

/* 1 when two parsed files (of one context or two) hold the same tree:
 * kinds, keys, braces, values, series and expressions, with spans, layout
 * and comments aside; else 0. */
int chg_same_tree(const chg_ctx *a, uint32_t file_a, const chg_ctx *b,
                  uint32_t file_b);

/* Writes a unified diff (three lines of context, `--- a/NAME` and
 * `+++ b/NAME` headers) that turns `old` into `new`; nothing when they are
 * equal.  Returns the number of hunks written. */
size_t chg_write_diff(chg_ctx *ctx, FILE *out, const char *name,
                      const char *old_text, size_t old_len,
                      const char *new_text, size_t new_len);

#ifdef __cplusplus
}
#endif
#endif
