/*
 * ast.h -- the syntax tree.  The parser builds it generically: a block is
 * a key, the values of its head and its items; an attribute is a key,
 * plain values, a series and perhaps an expression.  What the key means is
 * the schema's business (schema.c), checked after parsing.  Every node,
 * value and expression carries its span.
 */
#ifndef CHG_AST_H
#define CHG_AST_H

#include <stdio.h>

#include "diag.h"
#include "lines.h"

/* An exact decimal: m / 10^scale. */
typedef struct chg_dec {
  int64_t m;
  int32_t scale;
} chg_dec;

typedef enum chg_vkind {
  CHG_V_NONE,
  CHG_V_NAME,    /* identifier or dotted reference */
  CHG_V_STRING,
  CHG_V_NUMBER,
  CHG_V_MONEY,
  CHG_V_PERCENT, /* held as the fraction: 92% is 0.92 */
  CHG_V_DATE,
  CHG_V_MONTH,
  CHG_V_QUARTER,
  CHG_V_FY,
  CHG_V_RANGE,
  CHG_V_LIST,
  CHG_V_BOOL,
  /* what resolution turns a name into */
  CHG_V_REF,     /* u.ref: the block a reference names */
  CHG_V_LEVEL,   /* u.level: a level of a scale */
  CHG_V_KIND     /* u.kind: a kind of block (a rule's `on`) */
} chg_vkind;

typedef struct chg_value chg_value;

/* One part of a dotted name (`dca.green`); a name of one part, the common
 * case, is held in the value itself. */
typedef struct chg_path_part {
  const char *name; /* interned */
  chg_span span;
} chg_path_part;

/* A value is 24 bytes: a large portfolio is mostly values, so what does
 * not fit in eight bytes of payload goes in `aux` (read it through the
 * accessors below) or behind a pointer. */
#define CHG_AUX_MAX 0xFFFFFFu

struct chg_value {
  chg_span span;
  uint32_t kind : 8; /* chg_vkind */
  uint32_t aux : 24; /* NAME, LIST: how many parts or items; NUMBER, PERCENT:
                        the decimal's scale; LEVEL: its index (0 is the
                        worst); STRING: its length, or CHG_AUX_MAX when longer */
  union {
    const char *name;            /* NAME of one part */
    const chg_path_part *parts;  /* NAME of several */
    const char *s;               /* STRING: decoded, NUL-terminated, UTF-8
                                    (a string never holds a NUL) */
    int64_t m;                   /* NUMBER, PERCENT: m / 10^aux */
    int64_t pence;               /* MONEY */
    int32_t day;                 /* DATE: days since 1970-01-01 */
    int32_t month;               /* MONTH: year * 12 + (month - 1) */
    int32_t quarter;             /* QUARTER: year * 4 + (quarter - 1) */
    int32_t fy;                  /* FY: the calendar year it starts in */
    chg_value *range;            /* RANGE: [0] from, [1] to */
    chg_value *items;            /* LIST */
    bool b;
    struct chg_node *ref;
    const struct chg_scale *scale; /* LEVEL */
    const struct chg_kind_spec *kind;
  } u;
};

static inline uint32_t chg_path_len(const chg_value *v) { return v->aux; }
static inline const char *chg_path_name(const chg_value *v, uint32_t i) {
  return v->aux == 1 ? v->u.name : v->u.parts[i].name;
}
static inline chg_span chg_path_span(const chg_value *v, uint32_t i) {
  return v->aux == 1 ? v->span : v->u.parts[i].span;
}
/* The last part of a name: `green` of `dca.green`. */
static inline const char *chg_path_last(const chg_value *v) {
  return chg_path_name(v, v->aux - 1);
}

static inline size_t chg_str_len(const chg_value *v) {
  return v->aux < CHG_AUX_MAX ? v->aux : __builtin_strlen(v->u.s);
}
static inline void chg_set_str(chg_value *v, const char *s, size_t len) {
  v->u.s = s;
  v->aux = len < CHG_AUX_MAX ? (uint32_t)len : CHG_AUX_MAX;
}

static inline chg_dec chg_value_dec(const chg_value *v) {
  return (chg_dec){v->u.m, (int32_t)v->aux};
}
static inline void chg_set_dec(chg_value *v, chg_dec d) {
  v->u.m = d.m;
  v->aux = (uint32_t)d.scale;
}

static inline uint32_t chg_list_len(const chg_value *v) { return v->aux; }
static inline int32_t chg_level_of(const chg_value *v) { return (int32_t)v->aux; }

typedef struct chg_pair {
  chg_value key, value;
} chg_pair;

typedef struct chg_expr chg_expr;

/* Deeper than this, brackets or operators, an expression is refused. */
#define CHG_MAX_EXPR_DEPTH 1000

typedef enum chg_eop {
  CHG_X_LIT,
  CHG_X_NAME, /* a field, a level or a kind: the checker decides */
  CHG_X_NEG,
  CHG_X_NOT,
  CHG_X_ADD,
  CHG_X_SUB,
  CHG_X_MUL,
  CHG_X_DIV,
  CHG_X_EQ,
  CHG_X_NE,
  CHG_X_LT,
  CHG_X_LE,
  CHG_X_GT,
  CHG_X_GE,
  CHG_X_AND,
  CHG_X_OR,
  CHG_X_IN,
  CHG_X_LIST,
  CHG_X_CALL,
  CHG_X_INDEX,
  CHG_X_WHERE
} chg_eop;

/* How a binary operator is written (`+`, `==`, `and`, `where`...); NULL
 * for any other operation. */
const char *chg_op_text(chg_eop op);

struct chg_type_info; /* see check.h */

struct chg_expr {
  chg_eop op;
  chg_span span;
  chg_expr *a, *b;        /* operands; for WHERE a collection, b filter */
  chg_value value;        /* LIT, NAME */
  const char *fn;         /* CALL */
  chg_span fn_span;
  chg_expr **args;        /* CALL, LIST */
  uint32_t nargs;
  bool also_word;         /* a bare name that is a field or a top-level id
                             and could also be a level or symbol (see
                             check_expr.c) */
  uint16_t depth;         /* operators above the leaves, at most
                             CHG_MAX_EXPR_DEPTH + 1: everything that walks
                             an expression recurses */
  /* filled in by the checker */
  uint8_t type, elem;     /* chg_tkind, see check.h */
  const void *scale;      /* for a level */
  struct chg_step *steps; /* how a NAME is read, step by step */
  uint32_t nsteps;
  int32_t iter_kind;      /* CALL: the kind an aggregate ranges over */
  bool reported;          /* evaluation has already said it failed here */
  bool doubtful;          /* a literal warned of as likely not what was meant
                             (`progress < 50`, `score >= 15%`): what the
                             condition decides is said to hang on it */
  /* WHERE: its filter compiled for evaluation (see chg_cond_compile), once */
  const struct chg_cond *filter_cond;
};

/* One step of reading a NAME: from the entity in hand (or from nothing,
 * for a claim) to a field, an entity, a level or a symbol. */
typedef enum chg_step_kind {
  CHG_STEP_FIELD,  /* field `field` of the current entity; `name` is the
                      criterion of `status.x` or the category of `posts.x` */
  CHG_STEP_ENTITY, /* the block `node`, named from the top level */
  CHG_STEP_LEVEL,  /* level `level` of scale `scale` */
  CHG_STEP_SYMBOL, /* the bare name `name`, compared with a symbol field */
  CHG_STEP_SELF    /* the entity an aggregate is at */
} chg_step_kind;

typedef struct chg_step {
  chg_step_kind kind;
  uint32_t field;
  const char *name;
  struct chg_node *node;
  const void *scale;
  int32_t level;
} chg_step;

typedef enum chg_nkind {
  CHG_N_BLOCK,
  CHG_N_ATTR,
  CHG_N_USE,
  CHG_N_INCLUDE
} chg_nkind;

typedef struct chg_node chg_node;
struct chg_kind_spec;

enum { CHG_SCANNED_CHILDREN_MAX = 16 };

struct chg_node {
  uint8_t kind;          /* chg_nkind */
  bool has_braces : 1;
  bool full : 1;         /* allocated with the block fields below */
  bool has_expr : 1;     /* `when`, `expect`: the union below holds an expression */
  bool misindented : 1;  /* a block left of the block it stands in, in a file
                            that lost a `}`: misplaced by that alone */
  /* A block's id and title are values of its head, found by the checker
   * (read them with chg_block_id and chg_block_title): the id is always
   * the first, the title the first or second. */
  bool has_id : 1, has_title : 1, title_second : 1;
  /* A block with many child blocks (more than CHG_SCANNED_CHILDREN_MAX)
   * has them in the checker's symbol table; a few are found by walking its
   * items, which lie next to it in memory where a hash table's slot would
   * be a cache miss each.  Set by the parser, which has the items at hand. */
  bool children_mapped : 1;
  /* An attribute's entry in the schema, filled by the checker: the kind of
   * its block and its place among that kind's attributes, plus one (0:
   * none, as on every block).  Read it with chg_node_aspec (schema.h). */
  union {
    uint8_t aspec_kind;
    /* A block: whether its attributes all come before the blocks in it,
     * as they are almost always written, set by the parser.  A search for
     * an attribute then stops at the first block (chg_attrs_end_at): a
     * project's risks and milestones are most of its items, each a cache
     * miss for a report that asks whether the project has a `manager`. */
    bool attrs_first;
  };
  uint8_t aspec_index;
  uint32_t nargs, nseries;
  chg_span span;    /* from the key to the end of the values, or to `}` */
  chg_node *next;   /* next sibling, in source order */
  const char *key;  /* block kind or attribute key (interned); NULL for
                       use and include */

  /* An attribute's values, a block's head, or the target of use/include
   * (a dotted module name, or the pattern string) follow the node in
   * memory, in the same allocation: read them with chg_node_args.  A
   * series' pairs follow the values (chg_node_series).  `when` and
   * `expect` have no values but an expression instead (chg_node_expr),
   * whose pointer follows the node in their place.  A pointer to them
   * in every node was 8 bytes of an attribute's 48: 3 MB of 43 at 10,000
   * projects. */

  /* Blocks only: an attribute is allocated without these (the bulk of a
   * large portfolio is attributes), so read them only when kind is BLOCK;
   * an attribute's block is the one whose items hold it. */
  const struct chg_kind_spec *spec; /* filled by the schema */
  chg_node *parent; /* enclosing block, NULL at the top level */
  chg_node *items;
  uint32_t index;   /* a block's position among all blocks */
  /* a block without an id: its number among those of its kind beside it,
   * from 1, when there are several (`claim#2`, `g1.risk#2`); else 0 at the
   * top level, and CHG_UNNAMED_ALONE inside a block once its items are
   * checked (0 there: not yet counted) */
  uint32_t unnamed_position;
  void *data;       /* what later stages hang here */
};

#define CHG_UNNAMED_ALONE UINT32_MAX

/* Whether a search of block b's items for an attribute may stop at its
 * item c: c is a block, and b's attributes all come before its blocks. */
static inline bool chg_attrs_end_at(const chg_node *b, const chg_node *c) {
  return c->kind == CHG_N_BLOCK && b->attrs_first;
}

#define CHG_ATTR_NODE_SIZE offsetof(chg_node, spec)
/* A large portfolio is mostly attribute nodes: keep them this small. */
_Static_assert(CHG_ATTR_NODE_SIZE == 40, "an attribute node is 40 bytes");
/* what follows a node is 8-byte aligned, as a value's payload must be */
_Static_assert(CHG_ATTR_NODE_SIZE % 8 == 0 && sizeof(chg_node) % 8 == 0,
               "a node's size keeps what follows it aligned");

/* A node's values: they follow it, an attribute's after its 40 bytes, a
 * block's after the block fields.  Past the end when nargs is 0. */
static inline chg_value *chg_node_args(const chg_node *n) {
  return (chg_value *)((char *)(uintptr_t)n + (n->full ? sizeof(chg_node) : CHG_ATTR_NODE_SIZE));
}

/* An attribute's series: nseries pairs after its plain values. */
static inline chg_pair *chg_node_series(const chg_node *n) {
  return (chg_pair *)(chg_node_args(n) + n->nargs);
}

/* The condition of a `when` or `expect` attribute; NULL for any other node. */
static inline chg_expr *chg_node_expr(const chg_node *n) {
  return n->has_expr ? *(chg_expr **)(void *)chg_node_args(n) : NULL;
}

/* Spans derived from a node rather than stored in every one. */
static inline chg_span chg_key_span(const chg_node *n) {
  chg_span s = n->span;
  s.end = s.start + (uint32_t)(n->key ? __builtin_strlen(n->key) : 0);
  return s;
}

/* A block's id (interned) and title; NULL when it has none. */
static inline const char *chg_block_id(const chg_node *n) {
  return n->has_id ? chg_path_last(&chg_node_args(n)[0]) : NULL;
}

static inline const char *chg_block_title(const chg_node *n) {
  return n->has_title ? chg_node_args(n)[n->title_second].u.s : NULL;
}

static inline const char *chg_block_id_or(const chg_node *n, const char *otherwise) {
  return n->has_id ? chg_path_last(&chg_node_args(n)[0]) : otherwise;
}

/* What a person calls a block: its title, else its id. */
static inline const char *chg_block_title_or_id(const chg_node *n) {
  return n->has_title ? chg_node_args(n)[n->title_second].u.s : chg_block_id(n);
}

/* Where a block's id is written, else its key. */
static inline chg_span chg_id_span(const chg_node *n) {
  return n->has_id ? chg_path_span(&chg_node_args(n)[0], 0) : chg_key_span(n);
}

static inline chg_span chg_title_span(const chg_node *n) {
  return n->has_title ? chg_node_args(n)[n->title_second].span : chg_key_span(n);
}

/* What a file was when it was read, to know it again. */
typedef struct chg_file_stamp {
  uint64_t device, inode, size;
  int64_t mtime_sec, mtime_nsec;
} chg_file_stamp;

/* A source file and what was parsed from it. */
typedef struct chg_file {
  uint32_t id;         /* 1-based; 0 means "no file" */
  const char *path;    /* as shown in diagnostics */
  const char *real;    /* canonical path for dedup; NULL for memory */
  const char *dir;     /* directory includes are relative to */
  char *text;          /* NUL-padded; read it through chg_file_text: a
                          large file's text is never held whole, but read
                          as it is scanned and again on demand */
  size_t len;
  size_t text_size;    /* bytes allocated for text when owned */
  bool text_owned;     /* text came from the allocator, not the arena */
  bool text_set_aside;
  FILE *stream;        /* while a large file is parsed: where it is read from */
  /* Stretches of a large file's text read again, for the columns of a
   * report's positions (chg_file_bytes): enough, without reading the whole
   * file back. */
  struct chg_text_windows *windows;
  bool window_failed;   /* the file is not the one parsed: read the whole
                           text instead, which says so */
  bool text_changed;   /* the file changed on disk before it was read again:
                          text holds blank lines of the old lengths */
  chg_file_stamp stamp; /* what the file was when read, to know it again */
  chg_lines lines;     /* where each line starts; none (count 0) until needed */
  chg_node *items;     /* top-level items */
  chg_span *comments;  /* every comment, in order: a formatter needs them */
  size_t ncomments, comments_cap;
  uint32_t *damage;    /* offsets of errors found while parsing, in order */
  size_t ndamage, damage_cap;
  bool is_module;
  bool standard;  /* a module of the standard library: a scale the office's own
                     modules define replaces its */
  bool included;       /* an `include` named it (not only the command line or a
                          directory walk) */
  bool not_text;       /* UTF-16, a ZIP, a PDF: said once, not parsed, not excerpted */
  bool is_copy;        /* the same text as a file before it, both found or named
                          (`portfolio copy.chg`): said once, its blocks not named */
  bool loading;        /* on the include stack: seeing it again is a cycle */
  uint8_t pieces, pieces_kept; /* a large file parsed in pieces side by side:
                          how many, and how many of them were kept */
} chg_file;

#endif
