/*
 * diag.h -- collecting diagnostics.  A diagnostic is a code, a message and
 * a span; notes follow the diagnostic they explain.  Lines and columns are
 * worked out only when something is printed.
 */
#ifndef CHG_DIAG_H
#define CHG_DIAG_H

#include "core.h"

typedef enum chg_code {
#define X(name, code, title) CHG_E_##name,
#include "diag_codes.h"
#undef X
  CHG_E__COUNT
} chg_code;

const char *chg_code_string(chg_code code);
const char *chg_code_title(chg_code code);

/* A span: a file and two byte offsets into it.  file is 0 for "no file". */
typedef struct chg_span {
  uint32_t file;
  uint32_t start, end;
} chg_span;

typedef struct chg_diag {
  chg_severity severity;
  chg_code code;
  const char *message;
  chg_span span;
  uint32_t group; /* index of the primary diagnostic a note belongs to */
} chg_diag;

struct chg_ctx;

void chg_error(struct chg_ctx *ctx, chg_code code, chg_span span,
               const char *fmt, ...) __attribute__((format(printf, 4, 5)));
void chg_warning(struct chg_ctx *ctx, chg_code code, chg_span span,
                 const char *fmt, ...) __attribute__((format(printf, 4, 5)));
/* A note explains the diagnostic reported just before it. */
void chg_note(struct chg_ctx *ctx, chg_span span, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* A line a hook logged (chg.log, print): a note of its own. */
void chg_log(struct chg_ctx *ctx, chg_span span, const char *message);

/* True if parsing reported an error inside the span or on its last line. */
/* Marks where parsing went wrong without saying so (said once elsewhere). */
void chg_mark_damage(struct chg_ctx *ctx, chg_span span);
bool chg_damaged(struct chg_ctx *ctx, chg_span span);
/* Whether an error was found exactly where `span` starts: an item that is
 * a line of text read as one (a long string that lost its opening). */
bool chg_damaged_at(struct chg_ctx *ctx, chg_span span);
/* Whether an error was found within `span`, its end included (the `"`
 * straight after the last word of `owner Jane Smith"`). */
bool chg_damaged_within(struct chg_ctx *ctx, chg_span span);

/* True once the error limit is reached: callers may stop early. */
bool chg_too_many_errors(const struct chg_ctx *ctx);
/* The note that ends the diagnostics when --max-errors stopped them:
 * "stopped after 2 errors (--max-errors 0 for no limit)", in buf. */
const char *chg_error_limit_note(const struct chg_ctx *ctx, char buf[96]);

/* The primary diagnostics in the order they are printed (by file and
 * offset, then as found), as indices into ctx->diags; each one's notes
 * follow it there.  Free with chg_mem_free(&ctx->al, p, n * 4). */
uint32_t *chg_diag_order(const struct chg_ctx *ctx, size_t *ngroups);

/* Line (1-based) and column (1-based, in code points) of an offset. */
void chg_file_position(struct chg_ctx *ctx, uint32_t file, uint32_t offset,
                       unsigned *line, unsigned *column);

typedef struct chg_position {
  unsigned line, column; /* from 1; columns in code points */
} chg_position;

/* Where a span starts and where it ends (just past it). */
void chg_span_position(struct chg_ctx *ctx, chg_span span, chg_position *from, chg_position *to);

#endif
