/*
 * parse.h -- what the scanner and the parser share: the per-parse state
 * (held in the scanner's extra data and passed to the parser as its
 * parameter) and the location type.
 */
#ifndef CHG_PARSE_H
#define CHG_PARSE_H

#include <pthread.h>
#include <stdatomic.h>

#include "ctx.h"

typedef struct chg_loc {
  uint32_t start, end;
} chg_loc;

/* An open brace the parser has not yet seen closed. */
typedef struct chg_open_block {
  const char *kind, *id; /* NULL when the head had none */
  chg_loc brace;
  /* a `{` with no head before it, said once and kept from the parser,
   * which never sees it or the `}` that closes it */
  bool headless;
} chg_open_block;

/* While a file's pieces are parsed side by side, they intern into one
 * table under a lock.  Most names are met again and again (`risk`,
 * `owner`, `m1`), so each piece first looks in a small cache of its own
 * and takes the lock only for a name it has not met lately. */
enum { CHG_NAME_CACHE_SLOTS = 4096 };

typedef struct chg_cached_name {
  const char *name; /* interned; NULL: an empty slot */
  uint32_t hash, len;
} chg_cached_name;

/* How far a piece parsed beside others may read: its end, which a thread
 * that has finished its own may move back to take the rest, though never
 * below what the piece has read or looked ahead at (`claimed`), so that
 * the piece parses as it would have, cut there from the start. */
typedef struct chg_piece_bounds {
  pthread_mutex_t lock;
  uint32_t limit;   /* where the piece ends; 0: the file's end */
  uint32_t claimed; /* how far its parser has read or searched */
  bool done;        /* its parse has ended: nothing more to take */
} chg_piece_bounds;

typedef struct chg_name_cache {
  chg_names *table;      /* shared */
  pthread_mutex_t *lock; /* held for every use of the table */
  chg_arena *arena;      /* where a name new to the table is copied: the piece's own */
  chg_cached_name slots[CHG_NAME_CACHE_SLOTS]; /* by the hash's low bits */
} chg_name_cache;

typedef struct chg_node_list {
  chg_node *head, *tail;
} chg_node_list;

/* Where a block's `}` was found missing (by the indentation, once a parse
 * ended with blocks open), so that parsing the file again closes the open
 * blocks down to `depth` before the item at `at`. */
typedef struct chg_injection {
  uint32_t at;
  unsigned depth;
  /* the kind of the block that cannot go where it was written, when the
   * schema showed the place (in a file written flush left); NULL when the
   * indentation did */
  const char *misplaced;
  /* at is a `}` standing left of the block it closed: the one of the
   * block around it */
  bool at_close;
  /* a `{` to supply instead, after a block's head that lacks it (found
   * once a `}` closed nothing): at is the end of the head, depth how many
   * blocks enclose the block, close_line the line of the block's `}` */
  bool opens;
  unsigned close_line;
  /* a `}` to drop instead, the one at `at`: it closed block_line's block
   * though indented inside it, and the lines below it are too, down to
   * the `}` on close_line, which closed nothing */
  bool drops;
  /* a `{` to drop instead, the one at `at`: alone on its line after the
   * attribute `attr_key`, it opened a block that took the `}` of the
   * block around it */
  bool drops_open;
  const char *attr_key;
  unsigned block_line;
  const char *block_kind, *block_id;
} chg_injection;

typedef struct chg_quote_scan {
  uint32_t from, to, last_text, last_condition;
  bool goes_on;
} chg_quote_scan;

/* What a search of the text ahead found: searched from `from`, the first
 * found at `at` (each plus one; 0: never searched, none found). */
typedef struct chg_ahead {
  uint32_t from, at;
} chg_ahead;

typedef struct chg_parser {
  struct chg_ctx *ctx;
  chg_file *file;
  void *scanner;
  uint32_t offset;         /* bytes consumed by the scanner */
  uint32_t long_start;     /* where the current long string began */

  /* the token filter between scanner and parser (see yylex in chg.y) */
  int last_token;          /* last token handed to the parser */
  /* newlines scanned, and that count at the last comment written as
   * another language writes it: a run of such lines is said once */
  uint32_t newlines_scanned, foreign_comment_at;
  bool first_on_line;      /* it opened its line */
  chg_loc last_loc;
  chg_loc before_last_loc; /* and the token before it (a line's end, say) */
  int before_last_token;
  int pending;             /* a token held back while a newline goes first */
  chg_loc pending_loc;
  unsigned group_depth;    /* ( and [ nesting: newlines inside are spaces */
  unsigned head_tokens;    /* tokens since the item began */
  const char *head_kind, *head_id;
  chg_open_block *open;    /* braces not yet closed */
  unsigned nopen, open_cap;
  bool unmatched_close;    /* the last `}` closed nothing */
  bool any_unmatched_close; /* some `}` did: the first is at first_unmatched_close */
  uint32_t first_unmatched_close;
  /* The first `{` alone on its line after an attribute (`status ...` and
   * then `{`), taken as the brace of a block headed by the attribute: if
   * the file ends with a block open, that `{` is the stray parse.c drops */
  bool any_lone_brace;
  uint32_t lone_brace_at;
  const struct chg_node *lone_brace_block;
  bool stopped;            /* the parse was cut short (nesting limit) */
  bool unquoted_line_said;   /* chg_parse_unquoted_text said the line at unquoted_line */
  uint32_t unquoted_line;
  bool blocks_stopped;      /* --max-blocks reached: items after blocks_stopped_at are dropped */
  uint32_t blocks_stopped_at;
  /* Parsed first without look-ahead correction (chg_yyparse_quick), which
   * costs a tenth of the parse: a syntax error stops it, and the stretch is
   * parsed again by the parser with it, whose messages name what could
   * have come in the error's place. */
  bool quick;
  bool needs_correction;   /* the quick parse met a syntax error */
  bool closing_quietly;    /* at the end, closing blocks left open */
  bool unclosed_at_end;    /* a block was left open at the end of the file */
  bool headless_said;       /* a `{` with no block before it was said, and
                              nothing has reached the parser since */
  bool eof_mid_item;       /* the file ended inside an unfinished item, in a block
                              (eof_block, the innermost): one error says both */
  chg_open_block eof_block;
  uint32_t eof_at;         /* the end of its last token */
  bool eof_in_expr;        /* that item: a condition, or eof_key's attribute */
  const char *eof_key;
  chg_node_list top;        /* the file's top-level items so far */
  chg_node *last_item;      /* the item made last (a text on the line after
                               a bare key may be its value) */
  chg_value *values;        /* scratch stacks for items being read */
  uint32_t nvalues, values_cap;
  chg_pair *pairs;
  uint32_t npairs, pairs_cap;
  chg_path_part *parts;     /* the parts of the dotted name being read */
  uint32_t nparts, parts_cap;
  chg_loc group_open;       /* the outermost ( or [ not yet closed */
  bool group_spans_lines;   /* and a line has ended inside it */
  bool group_is_list;       /* the outermost bracket open is a list's `[` */
  bool group_cut;           /* this token ended a group left open */
  bool in_expr;             /* the item is a `when` or `expect` */
  bool in_use;              /* the item is a `use` */
  bool use_cut;             /* and its module's name ended with a `.` */
  bool series_eq_said;      /* the item's series has had `=` for `:` said */
  chg_loc colon_ends_head;  /* `programme a "A":` ending its line (end 0: none) */
  bool colon_then_brace;    /* and a `{` follows it on its line */
  const char *colon_head_kind, *colon_head_id; /* the head's, as they were */
  unsigned paren_after_in;  /* `in (`: the depth of that bracket, else 0 */
  bool after_expr;          /* the item before it was */
  uint32_t empty_at_line_end; /* where the last `""` that ended a line is, plus one */
  /* The lines after a `""` that ends its line, read so far for a long
   * string opened with two quotes (chg.l): from `from` to `to` (the start
   * of the first line not yet read), none of them a closing line or a
   * block's; the start of the last with text and of the last naming a
   * condition, plus one (0: none); and whether the last goes on.  The
   * next `""` among them reads on from `to`, not again from its own line:
   * 100,000 lines of `unit u1 ""` were each read 1,200 times. */
  chg_quote_scan quote_scan;
  uint32_t long_short_close; /* a long string opened with `"` or `""`: where the
                                 `"` or `""` that closes it is, plus one (0: none,
                                 or `"""`) */
  bool eof_in_string;       /* the file ended inside a long string */
  /* searches ahead for `"""` and for the star and slash that close a C
   * comment (see find_ahead) */
  chg_ahead triple, comment_close;
  uint32_t line_asked_at;   /* the last offset chg_parse_line was asked of, */
  unsigned line_asked;      /* and its line (0: none asked) */
  /* a line that lost its opening quote: said once, at its `"`, and the
   * other errors from quiet_from to quiet_to passed over */
  uint32_t quiet_from, quiet_to;
  bool quiet_set, judging_line;
  uint32_t judged_from, judged_to; /* the last line judged to be neither */
  unsigned judgements;
  uint32_t lost_long_close;  /* the `"""` of a long string that lost its opening
                                one, passed over by the scanner (+1; 0: none) */
  uint32_t held_at;         /* where flex last wrote its NUL, and the byte */
  char held_char;
  bool in_place;            /* flex scans the file's text itself, where it
                               writes that NUL (not a copy, nor a stream) */
  chg_buf long_text;        /* the long string being read */

  /* the encoding check, over the whole text or piece by piece */
  size_t encoding_line;     /* newlines seen */
  size_t encoding_reported_line;
  unsigned encoding_reported;  /* lines with a NUL or a byte that is not UTF-8 */
  bool nul_said, utf8_said;    /* each said once for the file, at its first */

  /* a large file, read as it is scanned (file->stream): the stage holds
   * the piece read last, checked and indexed up to stage_ready */
  char *stage;
  size_t stage_cap, stage_len, stage_ready, stage_pos;
  uint32_t read_offset;     /* bytes checked and indexed */
  uint32_t read_limit;      /* where the stretch being parsed ends; 0: the file's end */
  chg_piece_bounds *bounds; /* a piece's end, which may move back; NULL: read_limit stays */
  int read_fd;              /* a stretch is read with pread from here; -1: the stream */
  chg_name_cache *names;    /* a piece parsed beside others; NULL: ctx->names alone */
  bool at_end, read_failed;
  bool ended_between_items; /* the text ran out at the top level, between items */
  const atomic_bool *abandon; /* set when this stretch's tree is no longer wanted */
  bool carried;             /* a condition ran on past an operator ending a line */
  chg_loc carried_loc;      /* that operator */
  bool comma_carried;       /* a series ran on past a `,` ending a line */
  bool close_after_comma;   /* the line ended before a `}` was a series' `,` */
  chg_loc close_comma_loc;  /* that `,` */
  chg_loc comma_loc;        /* that comma */
  uint8_t comma_after;      /* tokens read since (stops at 2) */
  bool word_after_comma;    /* the first of them a word: an attribute's key */
  bool error_at_last_token; /* the token last handed over was a syntax error */
  /* the `}`s to supply, in source order (see parse_whole in parse.c) */
  const chg_injection *inject;
  unsigned ninject, next_inject, inject_depth;
  bool injecting;           /* supplying them, the token after them held */
  int held_token;
  chg_loc held_loc;
  _Alignas(16) unsigned char held_value[64]; /* its YYSTYPE */
} chg_parser;

/* Parse one file's text into file->items.  Diagnostics go to ctx. */
void chg_parse_file(struct chg_ctx *ctx, chg_file *file);

/* The scanner's input for a file read as it is scanned: up to max bytes,
 * 0 at the end. */
size_t chg_parse_read(chg_parser *p, char *buf, size_t max);
/* The source from start to end (at most size - 1 bytes), NUL-terminated,
 * for a message that quotes it. */
size_t chg_parse_quote(chg_parser *p, uint32_t start, uint32_t end, char *buf, size_t size);
/* The same, with the byte the scanner holds back after its token (a NUL
 * stands there while it scans a file held whole) put back: for the
 * parser's messages, which read the source around a token. */
size_t chg_parse_text(chg_parser *p, uint32_t start, uint32_t end, char *buf, size_t size);
/* The line (from 1) an offset before the scanner's position is on. */
unsigned chg_parse_line(chg_parser *p, uint32_t offset);
size_t chg_parse_peek(chg_parser *p, uint32_t start, char *buf, size_t size);
/* Whether `"""` stands anywhere in the file from `from` on. */
bool chg_parse_triple_quote_after(chg_parser *p, uint32_t from);
/* Whether the star and slash that close a C comment come at or after
 * `from`, in the stretch being parsed. */
bool chg_parse_comment_close(chg_parser *p, uint32_t from);
/* `owner Director of Resources and Finance`, `workstream dps Director's
 * Property Services {`: an attribute that takes text, or a block's title,
 * written without its quotes and stopped at `at` by a word or character
 * read otherwise (a reserved word, `/`, an apostrophe, a number).  Says
 * so, once for the line, with the text quoted as written; false when the
 * line is not such a one. */
bool chg_parse_unquoted_text(chg_parser *p, uint32_t at);

/* A name the scanner read, interned. */
const char *chg_parse_intern(chg_parser *p, const char *s, size_t n);

/* The scanner calls this for each comment, so the tree keeps them. */
/* The line an offset is on, counted while the file is still being parsed
 * (the line index is made after). */
unsigned chg_line_at(const char *text, uint32_t offset);
void chg_parse_comment(chg_parser *p, chg_loc loc);

#endif
