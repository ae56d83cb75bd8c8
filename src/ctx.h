/*
 * ctx.h -- the compilation context.  Everything one run knows lives here
 * and is passed explicitly; there is no global mutable state.
 */
#ifndef CHG_CTX_H
#define CHG_CTX_H

#include "ast.h"

#define CHG_DEFAULT_MAX_DEPTH 64u
#define CHG_MAX_INCLUDE_DEPTH 32u
/* Files loaded inside each other, modules a `use` brings in counted too:
 * a bound on the recursion, far past any real chain of modules. */
#define CHG_MAX_LOAD_DEPTH 256u
/* Files this large are read as they are scanned, and their text is never
 * held whole (see chg_file_text): a national portfolio's tree is what
 * memory is for. */
#define CHG_STREAM_MIN ((size_t)4 << 20)
#define CHG_STREAM_CHUNK ((size_t)256 << 10) /* each piece parsed side by side has one */

struct chg_scale;

/* A diagnostic that may be why a name is defined nowhere: an include that
 * loaded nothing (the name may be in what it was meant to load).  A
 * reference to such a name is not reported on its own: the diagnostic
 * says which names it is taken to explain (check.c). */
typedef struct chg_absence {
  uint32_t diag;  /* its index in ctx->diags */
  /* the file its did-you-mean names, as realpath(3) gives it; NULL when
   * none: if that file is loaded all the same, what is missing is not in
   * it, and the absence explains nothing */
  const char *meant_real;
  const struct chg_file *meant_file; /* that file, when it was read (check.c) */
  const char *lost; /* where the names are taken to be: "what it was meant to load" */
} chg_absence;

/* A reference to a name defined nowhere, taken to be explained by an
 * absence. */
typedef struct chg_absent_ref {
  const struct chg_value *name;
  const chg_absence *by;
} chg_absent_ref;

struct chg_ctx {
  chg_allocator al;
  chg_arena arena;
  chg_names names;
  chg_options opts;

  /* diagnostics */
  chg_diag *diags;
  size_t ndiags, diags_cap;
  size_t errors, warnings;
  uint64_t suggestion_reads; /* ids read for "did you mean" (check.c) */
  uint32_t last_primary;
  bool error_limit_reported;
  bool io_failed;
  chg_file *parsing;    /* while a file is parsed, its errors mark damage */
  /* while a file is parsed: whether an error only repeats one said on its
   * line, and is passed over (parse.c, a line that lost its opening quote) */
  bool (*passes_over)(void *parser, chg_span span, int code);
  void *passes_over_parser;

  /* sources: files[0] is unused so that file id 0 means "none" */
  chg_file **files;
  size_t nfiles, files_cap;
  chg_vec search_dirs;  /* const char *, in search order */
  unsigned include_depth;   /* includes inside includes (a `use` not counted) */
  unsigned load_depth;      /* files loading inside each other, however asked for */
  chg_map loaded;       /* (NULL, interned real path) -> chg_file */
  chg_vec loading;      /* the include stack, for cycle messages */
  chg_vec module_hooks; /* the .lua companions of modules in use: paths */
  chg_vec missing_modules; /* `use` names not found, for quieter checks */
  chg_vec unscoped_scales; /* chg_unscoped: a scale not in scope, said once */
  chg_vec replaced_scales; /* chg_replaced: a module's levels the portfolio's
                              own scale of that name lacks, said once */
  chg_vec failed_names; /* ids of blocks of no known kind: not "unknown" again
                           where they are named */
  chg_vec absences;     /* chg_absence *, in the arena, in the order said */
  size_t stream_min; /* CHG_STREAM_MIN: files this large are read as
                           they are scanned; tests lower it */
  double started;       /* when the context was made, for CHG_DEBUG_STATS */
  unsigned split_pieces; /* CHG_DEBUG_SPLIT: a large file parsed in this many
                           pieces whatever its size; 0: as plan_pieces decides */
  uint32_t take_min;    /* CHG_DEBUG_TAKE: what a piece must have left for a
                           thread to take half of it; 0: TAKE_MIN (parse.c) */
  size_t stream_chunk;  /* CHG_STREAM_CHUNK: how much of such a file is read
                           at a time; tests lower it */
  bool careful;         /* CHG_DEBUG_CAREFUL: no shortcut (the quick parser,
                           compiled conditions), for tests that they change
                           nothing */
  unsigned parsed_again; /* stretches the quick parser gave back (a syntax
                           error), for CHG_DEBUG_STATS */

  /* semantic tables, built by chg_check */
  bool checked;
  bool hooks_compiled;  /* alone, the portfolio having errors (chg_hooks_compile) */
  chg_map symbols;      /* (parent block or NULL, id) -> chg_node */
  chg_map scales;       /* (NULL, scale name) -> struct chg_scale */
  chg_vec blocks;       /* every block, in source order; once evaluated,
                           grouped by kind (each kind in source order); a
                           view of the arena (chg_check_run) */
  uint8_t *block_kinds; /* the kind of each in blocks, until they are grouped:
                           read there from the blocks themselves, scattered
                           through the tree, it was a cache miss each */
  size_t blocks_room;   /* room in blocks and block_kinds */
  /* what the checker comes back to, so as not to walk every block again:
   * portfolios, rules and claims, and work with a `depends_on` */
  chg_vec portfolios, conditions, dependents;
  /* blocks whose id an earlier block of their scope took (an error said
   * once): a reference that wants their kind finds them, not a second error */
  chg_vec shadowed;
  /* the status criteria, staff categories and risk categories some block
   * gives, gathered when an expression first names one (check_expr.c) */
  bool selectors_gathered;
  bool typing_rule; /* a rule's condition is being typed, not a claim's */
  /* how many levels the portfolio's scale of a score has (`likelihood`,
   * `impact`; 0: none), looked up once each */
  struct {
    const char *scale;
    int64_t levels;
  } score_scales[2];
  /* the `scale` blocks as written, for hints while scales are being read
   * (check.c): gathered at the first hint, in the arena */
  const struct chg_node **written_scales;
  size_t nwritten_scales;
  bool written_scales_gathered;
  chg_vec criteria, categories, risk_categories;
  chg_vec absent_refs; /* chg_absent_ref *, in the arena */
  uint32_t kind_counts[32]; /* blocks registered of each kind (chg_kind_id) */
  uint32_t nparsed_blocks; /* blocks parsed so far, against max_blocks */
  chg_node *portfolio;
  struct chg_eval *eval; /* once evaluated */
  /* the schema's kind names and attribute keys, interned, so that the
   * checker compares pointers (see check.c) */
  const char *kind_names[16];
  const char **attr_keys[16];

  /* names the checker compares against, interned once */
  struct {
    const char *portfolio, *scale, *unit, *programme, *project, *workstream,
        *milestone, *benefit, *saving, *risk, *impact, *recommendation, *rule,
        *claim, *hook, *level, *std, *when, *expect, *period, *depends_on, *actual,
        *progress;
  } n;
};

chg_file *chg_ctx_add_file(struct chg_ctx *ctx, const char *path,
                           const char *real, char *text, size_t len);
chg_file *chg_ctx_file(const struct chg_ctx *ctx, uint32_t id);
/* The error just said was an include lost to a syntax error (`include
 * x.chg`): names defined nowhere are taken to be in what it was to load,
 * and said there, not at each reference. */
void chg_include_lost(struct chg_ctx *ctx);
/* The error just said lost text (a file not read, a long string that took
 * the rest of its file): names defined nowhere are taken to be in it, `lost`
 * ("that file"), and said there. */
void chg_text_lost(struct chg_ctx *ctx, const char *lost);
/* The path a file named from another (an include, a hook) is read and
 * shown by: `.` and `..` taken out (`sub/../shared/x.lua` is
 * `shared/x.lua`), unless a link makes that another file. */
const char *chg_shown_path(struct chg_ctx *ctx, const char *path);
/* A file's text, read again from disk for a large file (read as it was
 * scanned, never held whole).  Never NULL for a loaded file. */
const char *chg_file_text(const struct chg_ctx *ctx, chg_file *f);
/* The text from start to end (end <= f->len), without reading the whole of
 * a large file again: valid until the next call for the same file. */
const char *chg_file_bytes(const struct chg_ctx *ctx, chg_file *f, uint32_t start, uint32_t end);
/* Makes the file's table of line starts, once (diag.c). */
void chg_file_index_lines(struct chg_ctx *ctx, chg_file *f);
/* With CHG_DEBUG_STATS set, says on stderr what a phase left in memory. */
void chg_debug_phase(const struct chg_ctx *ctx, const char *phase);
/* The processors this process may run on. */
/* Where a path leads, through links, when the file there has a name that
 * does not end in `ext`; NULL when it does, or leads nowhere (for the
 * caller to say it is not found).  A hook named `x.lua` that is a link
 * to /proc/self/environ would otherwise quote a CI job's secrets in a
 * syntax error. */
const char *chg_link_elsewhere(struct chg_ctx *ctx, const char *path, const char *ext);
/* "; did you mean `rules/escalation.lua`?" for a file not found, or "";
 * *meant (when not NULL) is set to the path of the file meant, or NULL */
const char *chg_file_near_miss(struct chg_ctx *ctx, const char *pattern, const char *full,
                               const char *ext, const char **meant);

unsigned chg_processors(void);
/* A monotonic clock, in seconds, for CHG_DEBUG_STATS's timings. */
double chg_seconds_now(void);

#endif
