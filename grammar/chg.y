/*
 * chg.y -- the grammar of .chg.  A pure parser with locations; it builds
 * the generic tree of ast.h and leaves meaning to the schema.  It recovers
 * at the end of each line, so one run reports every syntax error.
 *
 * Newlines end attributes.  A filter between scanner and parser (yylex,
 * below) drops the newlines that cannot end anything -- inside ( ) and
 * [ ], after a comma or an operator -- and supplies one before a `}` and
 * at the end of the file, so that `{ owner "x" }` reads like two lines.
 */
%code top {
/* A location is two byte offsets; a rule spans its first to last symbol,
 * and an empty rule sits where the previous symbol ended. */
#define YYLLOC_DEFAULT(Cur, Rhs, N)                                        \
  do {                                                                     \
    if (N) {                                                               \
      (Cur).start = YYRHSLOC(Rhs, 1).start;                                \
      (Cur).end = YYRHSLOC(Rhs, N).end;                                    \
    } else {                                                               \
      (Cur).start = (Cur).end = YYRHSLOC(Rhs, 0).end;                      \
    }                                                                      \
  } while (0)
/* Deep enough for any real portfolio; past it is a diagnostic. */
#define YYINITDEPTH 256
#define YYMAXDEPTH 20000
}

%code requires {
#include "parse.h"

/* Values and pairs being read sit on the parser's scratch stacks until
 * their item is complete; an item's own run of them starts at vstart and
 * pstart.  Only the finished arrays are copied into the arena. */
typedef struct chg_args {
  uint32_t vstart, nvalues;
  uint32_t pstart, npairs;
} chg_args;

typedef struct chg_expr_list {
  chg_expr **items;
  uint32_t len, cap;
} chg_expr_list;

/* A dotted name being read: its parts sit on the parser's scratch stack
 * from `start` (a name's tokens are consecutive, so names never interleave). */
typedef struct chg_path_list {
  uint32_t start, len;
} chg_path_list;
}

%code provides {
/* Whether a token ends an operand of a condition, so that what follows
 * it there is an operator (the scanner's question as well as the
 * parser's, when it says what went wrong). */
static inline bool chg_ends_operand(int token) {
  switch (token) {
  case IDENT: case STRING: case NUMBER: case MONEY: case PERCENT: case DATE: case MONTH:
  case QUARTER: case FY: case BOOL: case ')': case ']':
    return true;
  default:
    return false;
  }
}

int chg_yyparse(chg_parser *p);
/* The same grammar built without look-ahead correction (the Makefile
 * renames its chg_yyparse): see chg_parser.quick. */
int chg_yyparse_quick(chg_parser *p);
}

%code {
#include <ctype.h>
#include <string.h>
#include "schema.h"
#include "value.h"

int chgscanlex(YYSTYPE *lval, YYLTYPE *lloc, void *scanner);
static int yylex(YYSTYPE *lval, YYLTYPE *lloc, chg_parser *p);
static void yyerror(YYLTYPE *loc, chg_parser *p, const char *msg);

#define A (&p->ctx->arena)
#define SPAN(l) ((chg_span){p->file->id, (l).start, (l).end})


static void begin_args(chg_parser *p, chg_args *a);
static chg_node *target_item(chg_parser *p, chg_nkind kind, chg_value v, YYLTYPE loc);
static chg_node *expr_item(chg_parser *p, const char *key, chg_expr *e, YYLTYPE loc);
static chg_node *top_item(chg_parser *p, chg_node *n);
static chg_node *quoted_use(chg_parser *p, const chg_value *text, YYLTYPE at, YYLTYPE whole);
static chg_node *new_node(chg_parser *p, chg_nkind kind, YYLTYPE loc, size_t trailing);
static void take_items(chg_node *block, chg_node_list items);
static chg_args plain_add(chg_parser *p, chg_args plain, chg_value v);
static chg_node *new_item(chg_parser *p, chg_nkind kind, const char *key,
                          YYLTYPE key_loc, chg_args *args, YYLTYPE loc);
static void list_append(chg_node_list *l, chg_node *n);
static void brace_on_own_line(chg_parser *p, const chg_node *block, YYLTYPE brace);
static void stray_string(chg_parser *p, YYLTYPE at, const chg_value *text, bool opens_block);
static void args_value(chg_parser *p, chg_args *a, chg_value v);
static void args_pair(chg_parser *p, chg_args *a, chg_value k, chg_value v);
static chg_value negate(chg_parser *p, chg_value v, YYLTYPE loc);
static chg_value make_range(chg_parser *p, chg_value lo, chg_value hi, YYLTYPE loc);
static chg_value make_list(chg_parser *p, chg_args *items, YYLTYPE loc);
static chg_value make_path(chg_parser *p, chg_path_list *l, YYLTYPE loc);
static void path_push(chg_parser *p, chg_path_list *l, const char *name, YYLTYPE loc);
static chg_expr *new_expr(chg_parser *p, chg_eop op, YYLTYPE loc, chg_expr *a, chg_expr *b);
static chg_expr *lit_expr(chg_parser *p, chg_value v, YYLTYPE loc);
static void expr_list_push(chg_parser *p, chg_expr_list *l, chg_expr *e);
static chg_expr *call_expr(chg_parser *p, const char *fn, YYLTYPE fn_loc,
                           chg_expr_list *args, YYLTYPE loc);
}

%define api.pure full
%define api.prefix {chg_yy}
%define api.location.type {chg_loc}
%define parse.error custom
%define parse.lac full
%locations
%param {chg_parser *p}
%expect 0

%initial-action { @$.start = @$.end = 0; }

%union {
  chg_value val;
  const char *name;
  chg_node *node;
  chg_node_list nodes;
  chg_args args;
  chg_expr *expr;
  chg_expr_list exprs;
  chg_path_list path;
}

%token END 0 "end of file"
%token NL "end of line"
%token <name> IDENT "name"
%token <val> STRING "string"
%token <val> NUMBER "number"
%token <val> MONEY "amount of money"
%token <val> PERCENT "percentage"
%token <val> DATE "date"
%token <val> MONTH "month"
%token <val> QUARTER "quarter"
%token <val> FY "financial year"
%token <val> BOOL "true or false"
%token USE "use" INCLUDE "include" WHEN "when" EXPECT "expect"
%token WHERE "where" AND "and" OR "or" NOT "not" IN "in"
%token DOTDOT ".." EQ "==" NE "!=" LE "<=" GE ">="

%type <nodes> items
%type <node> item
%type <args> args plain series list_items
%type <val> value compound scalar literal
%type <path> path
%type <expr> expr primary postfix arg
%type <exprs> arg_list expr_items

%left OR
%left AND
%precedence NOT
%nonassoc EQ NE '<' LE '>' GE IN
%left '+' '-'
%left '*' '/'
%precedence UMINUS

%%

/* Top-level items join the file as soon as they are read, so an error
 * that ends the parse early loses nothing before it. */
file
  : %empty
  | file item               {
                              /* past --max-blocks, the parse ends: an item begun
                               * on the token it had read ahead is not one */
                              if ($2 && !(p->blocks_stopped && @2.start > p->blocks_stopped_at))
                                list_append(&p->top, top_item(p, $2));
                              p->file->items = p->top.head;
                            }
  | file NL
  | file ';'
  | file error end_of_item  { yyerrok; }
  ;

items
  : %empty                  { $$.head = $$.tail = NULL; }
  | items item              { $$ = $1; if ($2) list_append(&$$, $2); }
  | items NL                { $$ = $1; }
  | items ';'               { $$ = $1; }
  | items error end_of_item { $$ = $1; yyerrok; }
  ;

item
  : IDENT args NL           { $$ = new_item(p, CHG_N_ATTR, $1, @1, &$2, @$); }
  | IDENT args ';'          { $$ = new_item(p, CHG_N_ATTR, $1, @1, &$2, @$); }
  | IDENT args '{' items '}'
                            {
                              $$ = new_item(p, CHG_N_BLOCK, $1, @1, &$2, @$);
                              $$->span.end = @5.end;
                              take_items($$, $4);
                            }
  | IDENT args NL '{' items '}'
                            {
                              /* a `{` on the line after its head (the brace
                               * style of C#): one error, and the block read
                               * as meant, rather than a cascade */
                              $$ = new_item(p, CHG_N_BLOCK, $1, @1, &$2, @$);
                              $$->span.end = @6.end;
                              take_items($$, $5);
                              brace_on_own_line(p, $$, @4);
                            }
  | IDENT plain error end_of_item
                            { $$ = NULL; p->nvalues = $2.vstart; p->npairs = $2.pstart; yyerrok; }
  | IDENT plain error '{' items '}'
                            {
                              /* a bad head: keep the block, so its contents are checked */
                              $$ = new_item(p, CHG_N_BLOCK, $1, @1, &$2, @$);
                              $$->span.end = @6.end;
                              take_items($$, $5);
                              yyerrok;
                            }
  | STRING plain end_of_item
                            {
                              /* text at the start of an item: one error here, and
                               * the item before it (already reduced, as it could
                               * not be were this a syntax error) still checked */
                              $$ = NULL;
                              stray_string(p, @1, &$1, false);
                              p->nvalues = $2.vstart;
                            }
  | STRING plain '{' items '}'
                            {
                              $$ = NULL;
                              stray_string(p, @1, &$1, true);
                              p->nvalues = $2.vstart;
                            }
  | WHEN expr end_of_item   { $$ = expr_item(p, p->ctx->n.when, $2, @$); }
  | EXPECT expr end_of_item { $$ = expr_item(p, p->ctx->n.expect, $2, @$); }
  | USE path end_of_item    {
                              /* `use std.`: said where it stops, and not also
                               * looked for as a module `std` */
                              if (p->use_cut) $$ = NULL;
                              else $$ = target_item(p, CHG_N_USE, make_path(p, &$2, @2), @$);
                            }
  | USE STRING end_of_item  { $$ = quoted_use(p, &$2, @2, @$); }
  | INCLUDE STRING end_of_item { $$ = target_item(p, CHG_N_INCLUDE, $2, @$); }
  ;

end_of_item
  : NL
  | ';'
  ;

/* An attribute's values: plain ones first, then a series of pairs.  (The
 * items above are not written with `plain series` in place of `args`,
 * which would save a reduction an item: an error on the line after an
 * attribute that may yet open a block would then be taken as more of its
 * head, where it is now the start of an item gone wrong.) */
args
  : plain                   { $$ = $1; }
  | plain series            { $$ = $1; $$.pstart = $2.pstart; $$.npairs = $2.npairs; }
  ;

/* An item's plain values.  A token is taken straight in, not reduced to
 * a `value` first: a portfolio is mostly such values, and each unit
 * reduction cost the parser as much as the token did. */
plain
  : %empty                  { begin_args(p, &$$); }
  | plain NUMBER            { $$ = plain_add(p, $1, $2); }
  | plain MONEY             { $$ = plain_add(p, $1, $2); }
  | plain PERCENT           { $$ = plain_add(p, $1, $2); }
  | plain DATE              { $$ = plain_add(p, $1, $2); }
  | plain MONTH             { $$ = plain_add(p, $1, $2); }
  | plain QUARTER           { $$ = plain_add(p, $1, $2); }
  | plain FY                { $$ = plain_add(p, $1, $2); }
  | plain STRING            { $$ = plain_add(p, $1, $2); }
  | plain BOOL              { $$ = plain_add(p, $1, $2); }
  | plain path              { $$ = plain_add(p, $1, make_path(p, &$2, @2)); }
  | plain compound          { $$ = plain_add(p, $1, $2); }
  ;

/* The schema checks that a series key is a period; any value parses. */
series
  : value ':' value         { begin_args(p, &$$); args_pair(p, &$$, $1, $3); }
  | series ',' value ':' value
                            { $$ = $1; args_pair(p, &$$, $3, $5); }
  ;

/* The common values are tokens reduced once, straight to a value: a
 * literal used to pass through `literal` and `scalar` on its way, and
 * those unit reductions were an eighth of the parser's instructions
 * (callgrind, 10,000 projects: 4.6% of check's). */
value
  : NUMBER | MONEY | PERCENT | DATE | MONTH | QUARTER | FY | STRING | BOOL
  | path                    { $$ = make_path(p, &$1, @1); }
  | compound
  ;

/* A value of more than one token. */
compound
  : '-' literal             { $$ = negate(p, $2, @$); }
  | scalar DOTDOT scalar    { $$ = make_range(p, $1, $3, @$); }
  | '[' ']'                 { chg_args none; begin_args(p, &none); $$ = make_list(p, &none, @$); }
  | '[' list_items ']'      { $$ = make_list(p, &$2, @$); }
  | '[' list_items ',' ']'  { $$ = make_list(p, &$2, @$); }
  ;

list_items
  : value                   { begin_args(p, &$$); args_value(p, &$$, $1); }
  | list_items ',' value    { $$ = $1; args_value(p, &$$, $3); }
  ;

scalar
  : literal                 { $$ = $1; }
  | path                    { $$ = make_path(p, &$1, @1); }
  | STRING                  { $$ = $1; }
  | BOOL                    { $$ = $1; }
  ;

literal
  : NUMBER | MONEY | PERCENT | DATE | MONTH | QUARTER | FY
  ;

path
  : IDENT                   { $$.start = p->nparts; $$.len = 0; path_push(p, &$$, $1, @1); }
  | path '.' IDENT          { $$ = $1; path_push(p, &$$, $3, @3); }
  ;

/* ---- expressions, for `when` and `expect` ---- */

expr
  : expr OR expr            { $$ = new_expr(p, CHG_X_OR, @$, $1, $3); }
  | expr AND expr           { $$ = new_expr(p, CHG_X_AND, @$, $1, $3); }
  | NOT expr                { $$ = new_expr(p, CHG_X_NOT, @$, $2, NULL); }
  | expr EQ expr            { $$ = new_expr(p, CHG_X_EQ, @$, $1, $3); }
  | expr NE expr            { $$ = new_expr(p, CHG_X_NE, @$, $1, $3); }
  | expr '<' expr           { $$ = new_expr(p, CHG_X_LT, @$, $1, $3); }
  | expr LE expr            { $$ = new_expr(p, CHG_X_LE, @$, $1, $3); }
  | expr '>' expr           { $$ = new_expr(p, CHG_X_GT, @$, $1, $3); }
  | expr GE expr            { $$ = new_expr(p, CHG_X_GE, @$, $1, $3); }
  | expr IN expr            { $$ = new_expr(p, CHG_X_IN, @$, $1, $3); }
  | expr '+' expr           { $$ = new_expr(p, CHG_X_ADD, @$, $1, $3); }
  | expr '-' expr           { $$ = new_expr(p, CHG_X_SUB, @$, $1, $3); }
  | expr '*' expr           { $$ = new_expr(p, CHG_X_MUL, @$, $1, $3); }
  | expr '/' expr           { $$ = new_expr(p, CHG_X_DIV, @$, $1, $3); }
  | '-' expr %prec UMINUS   { $$ = new_expr(p, CHG_X_NEG, @$, $2, NULL); }
  | postfix                 { $$ = $1; }
  ;

postfix
  : primary                 { $$ = $1; }
  | postfix '[' expr ']'    { $$ = new_expr(p, CHG_X_INDEX, @$, $1, $3); }
  ;

primary
  : literal                 { $$ = lit_expr(p, $1, @$); }
  | STRING                  { $$ = lit_expr(p, $1, @$); }
  | BOOL                    { $$ = lit_expr(p, $1, @$); }
  | path                    { $$ = new_expr(p, CHG_X_NAME, @$, NULL, NULL); $$->value = make_path(p, &$1, @1); }
  | IDENT '(' ')'           { chg_expr_list none = {0}; $$ = call_expr(p, $1, @1, &none, @$); }
  | IDENT '(' arg_list ')'  { $$ = call_expr(p, $1, @1, &$3, @$); }
  | '(' expr ')'            { $$ = $2; }
  | '[' ']'                 { chg_expr_list none = {0}; $$ = call_expr(p, NULL, @1, &none, @$); $$->op = CHG_X_LIST; }
  | '[' expr_items ']'      { $$ = call_expr(p, NULL, @1, &$2, @$); $$->op = CHG_X_LIST; }
  | '[' expr_items ',' ']'  { $$ = call_expr(p, NULL, @1, &$2, @$); $$->op = CHG_X_LIST; }
  ;

expr_items
  : expr                    { memset(&$$, 0, sizeof $$); expr_list_push(p, &$$, $1); }
  | expr_items ',' expr     { $$ = $1; expr_list_push(p, &$$, $3); }
  ;

arg_list
  : arg                     { memset(&$$, 0, sizeof $$); expr_list_push(p, &$$, $1); }
  | arg_list ',' arg        { $$ = $1; expr_list_push(p, &$$, $3); }
  ;

arg
  : expr                    { $$ = $1; }
  | expr WHERE expr         { $$ = new_expr(p, CHG_X_WHERE, @$, $1, $3); }
  ;

%%

/* ---- tree building ------------------------------------------------- */

/* The number of blocks is limited (--max-blocks), so that a runaway
 * generator meets a diagnostic rather than the machine's memory limit. */
static void count_block(chg_parser *p, YYLTYPE loc) {
  chg_ctx *ctx = p->ctx;
  uint32_t limit = ctx->opts.max_blocks ? ctx->opts.max_blocks : CHG_MAX_BLOCKS_DEFAULT;
  if (ctx->nparsed_blocks++ < limit) return;
  if (ctx->nparsed_blocks == limit + 1) {
    chg_error(ctx, CHG_E_TOO_MANY, SPAN(loc),
              "more than %u block%s: chg reads at most %u (--max-blocks); "
              "the rest is skipped", limit, limit == 1 ? "" : "s", limit);
    /* what the blocks skipped define is said here, not at each reference
     * (a piece's errors are renumbered: a piece past the limit is parsed
     * again whole) */
    if (!p->names) chg_text_lost(ctx, "the blocks skipped");
  }
  if (!p->blocks_stopped) p->blocks_stopped_at = loc.start;
  p->blocks_stopped = p->stopped = true;
}

/* A node with `trailing` bytes after it, where its values go
 * (chg_node_args). */
static chg_node *new_node(chg_parser *p, chg_nkind kind, YYLTYPE loc, size_t trailing) {
  /* Only a block needs the block fields; an attribute that turns out to
   * stand at the top level (where the schema makes it a block) is given
   * them by top_item. */
  bool full = kind == CHG_N_BLOCK;
  if (full) count_block(p, loc);
  chg_node *n = chg_arena_alloc(A, (full ? sizeof(chg_node) : CHG_ATTR_NODE_SIZE) + trailing);
  n->full = full;
  n->kind = kind;
  n->span = SPAN(loc);
  p->last_item = n;
  return n;
}

/* A block's items, between its braces: while they are at hand, each
 * child block learns its parent, and the block whether it has so many
 * that the checker should find them by name in a table. */
static void take_items(chg_node *block, chg_node_list items) {
  uint32_t blocks = 0;
  bool attr_after_block = false;
  block->has_braces = true;
  block->items = items.head;
  for (chg_node *c = items.head; c; c = c->next) {
    if (c->full) {
      c->parent = block;
      blocks++;
    }
    attr_after_block = attr_after_block || (blocks && c->kind == CHG_N_ATTR);
  }
  block->children_mapped = blocks > CHG_SCANNED_CHILDREN_MAX;
  block->attrs_first = !attr_after_block;
}

/* The bytes of a node's values and the pairs of its series, after it */
static size_t values_size(uint32_t nvalues, uint32_t npairs) {
  return nvalues * sizeof(chg_value) + npairs * sizeof(chg_pair);
}

static chg_node *new_item(chg_parser *p, chg_nkind kind, const char *key,
                          YYLTYPE key_loc, chg_args *args, YYLTYPE loc) {
  /* The pairs of a series follow the plain values.  An attribute with
   * neither has room for one value all the same: text_of_bare_key may
   * give it its text, found on the line after. */
  size_t trailing = values_size(args->nvalues, args->npairs);
  if (!trailing && kind == CHG_N_ATTR) trailing = sizeof(chg_value);
  chg_node *n = new_node(p, kind, loc, trailing);
  n->key = key;
  n->nargs = args->nvalues;
  n->nseries = args->npairs;
  if (n->nargs) memcpy(chg_node_args(n), p->values + args->vstart, n->nargs * sizeof(chg_value));
  if (n->nseries)
    memcpy(chg_node_series(n), p->pairs + args->pstart, n->nseries * sizeof(chg_pair));
  p->nvalues = args->vstart;
  p->npairs = args->pstart;
  /* the span of an attribute stops before its newline */
  uint32_t end = key_loc.end;
  if (n->nargs) end = chg_node_args(n)[n->nargs - 1].span.end;
  if (n->nseries) end = chg_node_series(n)[n->nseries - 1].value.span.end;
  n->span.end = end;
  return n;
}

/* A top-level item may become a block (`unit DoR "..."`): it needs the
 * block fields, which an attribute is allocated without. */
static chg_node *top_item(chg_parser *p, chg_node *n) {
  if (n->full) return n;
  count_block(p, (YYLTYPE){n->span.start, n->span.end});
  size_t trailing = n->has_expr ? sizeof(chg_expr *) : values_size(n->nargs, n->nseries);
  chg_node *whole = chg_arena_alloc(A, sizeof(chg_node) + trailing);
  memcpy(whole, n, CHG_ATTR_NODE_SIZE);
  whole->full = true;
  /* its values follow the block fields now */
  if (trailing) memcpy(chg_node_args(whole), chg_node_args(n), trailing);
  return whole;
}

/* `plain` with one more value appended, as a grammar action's result. */
static chg_args plain_add(chg_parser *p, chg_args plain, chg_value v) {
  args_value(p, &plain, v);
  return plain;
}

/* `use "std.dca"`: a module's name quoted.  Said once, and used as meant
 * when the text is a dotted name, so that its levels are in scope. */
static chg_node *quoted_use(chg_parser *p, const chg_value *text, YYLTYPE at, YYLTYPE whole) {
  const char *s = text->u.s;
  size_t n = chg_str_len(text);
  bool dotted = n > 0 && n < 200;
  for (size_t i = 0; i < n && dotted; i++) {
    bool start = i == 0 || s[i - 1] == '.';
    dotted = s[i] == '.' ? !start && i + 1 < n
                         : isalpha((unsigned char)s[i]) || s[i] == '_' ||
                               (!start && isdigit((unsigned char)s[i]));
  }
  if (!dotted) {
    chg_error(p->ctx, CHG_E_SYNTAX, SPAN(at),
              "a module's name is not quoted, and is dotted, as in `use std.dca`");
    return NULL;
  }
  chg_error(p->ctx, CHG_E_SYNTAX, SPAN(at), "a module's name is not quoted: write `use %s`", s);
  chg_path_list l = {p->nparts, 0};
  for (size_t i = 0; i < n;) {
    size_t k = i;
    while (k < n && s[k] != '.') k++;
    path_push(p, &l, chg_parse_intern(p, s + i, k - i), at);
    i = k + 1;
  }
  return target_item(p, CHG_N_USE, make_path(p, &l, at), whole);
}

/* `use` or `include` and what it names */
static chg_node *target_item(chg_parser *p, chg_nkind kind, chg_value v, YYLTYPE loc) {
  chg_node *n = new_node(p, kind, loc, sizeof(chg_value));
  chg_node_args(n)[0] = v;
  n->nargs = 1;
  return n;
}

/* `when` or `expect` and its condition */
static chg_node *expr_item(chg_parser *p, const char *key, chg_expr *e, YYLTYPE loc) {
  chg_node *n = new_node(p, CHG_N_ATTR, loc, sizeof e);
  n->key = key;
  n->has_expr = true;
  memcpy(chg_node_args(n), &e, sizeof e);
  return n;
}

static void list_append(chg_node_list *l, chg_node *n) {
  if (l->tail) l->tail->next = n;
  else l->head = n;
  l->tail = n;
}

static void begin_args(chg_parser *p, chg_args *a) {
  a->vstart = p->nvalues;
  a->nvalues = 0;
  a->pstart = p->npairs;
  a->npairs = 0;
}

static void args_value(chg_parser *p, chg_args *a, chg_value v) {
  if (p->nvalues == p->values_cap) {
    uint32_t cap = p->values_cap ? p->values_cap * 2 : 64;
    p->values = chg_mem_realloc(&p->ctx->al, p->values, p->values_cap * sizeof *p->values,
                                cap * sizeof *p->values);
    p->values_cap = cap;
  }
  p->values[p->nvalues++] = v;
  a->nvalues++;
}

static void args_pair(chg_parser *p, chg_args *a, chg_value k, chg_value v) {
  if (p->npairs == p->pairs_cap) {
    uint32_t cap = p->pairs_cap ? p->pairs_cap * 2 : 32;
    p->pairs = chg_mem_realloc(&p->ctx->al, p->pairs, p->pairs_cap * sizeof *p->pairs,
                               cap * sizeof *p->pairs);
    p->pairs_cap = cap;
  }
  p->pairs[p->npairs].key = k;
  p->pairs[p->npairs].value = v;
  p->npairs++;
  a->npairs++;
}

static chg_value negate(chg_parser *p, chg_value v, YYLTYPE loc) {
  v.span = SPAN(loc);
  switch (v.kind) {
  case CHG_V_NONE:
    return v; /* already reported */
  case CHG_V_NUMBER:
  case CHG_V_PERCENT:
    v.u.m = -v.u.m; /* literals are never INT64_MIN */
    return v;
  case CHG_V_MONEY:
    v.u.pence = -v.u.pence;
    return v;
  default:
    chg_error(p->ctx, CHG_E_BAD_VALUE, v.span,
              "only a number, a percentage or an amount of money can be negative");
    v.kind = CHG_V_NONE; /* what takes it says nothing more of it */
    return v;
  }
}

static bool is_period(chg_vkind k) {
  return k == CHG_V_DATE || k == CHG_V_MONTH || k == CHG_V_QUARTER || k == CHG_V_FY;
}

static int32_t period_ordinal(const chg_value *v) {
  switch (v->kind) {
  case CHG_V_DATE: return v->u.day;
  case CHG_V_MONTH: return v->u.month;
  case CHG_V_QUARTER: return v->u.quarter;
  default: return v->u.fy;
  }
}

static chg_value make_range(chg_parser *p, chg_value lo, chg_value hi, YYLTYPE loc) {
  chg_value v;
  memset(&v, 0, sizeof v);
  v.kind = CHG_V_RANGE;
  v.span = SPAN(loc);
  v.u.range = CHG_NEW_ARRAY(A, chg_value, 2);
  v.u.range[0] = lo;
  v.u.range[1] = hi;
  if (lo.kind == CHG_V_NONE || hi.kind == CHG_V_NONE)
    v.kind = CHG_V_NONE; /* already reported */
  else if (!is_period(lo.kind) || !is_period(hi.kind)) {
    chg_error(p->ctx, CHG_E_BAD_RANGE, v.span,
              "a range runs between two months, quarters, dates or financial years");
    v.kind = CHG_V_NONE; /* said: not a range of anything, nor a value to check again */
  }
  else if (lo.kind != hi.kind)
    chg_error(p->ctx, CHG_E_BAD_RANGE, v.span,
              "a range must start and end with the same kind of period");
  else if (period_ordinal(&lo) > period_ordinal(&hi))
    chg_error(p->ctx, CHG_E_BAD_RANGE, v.span,
              "range is reversed: it ends before it starts");
  return v;
}

static chg_value make_list(chg_parser *p, chg_args *items, YYLTYPE loc) {
  chg_value v;
  memset(&v, 0, sizeof v);
  v.kind = CHG_V_LIST;
  v.span = SPAN(loc);
  uint32_t n = items->nvalues;
  if (n >= CHG_AUX_MAX) {
    chg_error(p->ctx, CHG_E_TOO_MANY, v.span,
              "a list of %u items: a list holds at most %u", n, CHG_AUX_MAX - 1);
    n = 0;
    v.kind = CHG_V_NONE;
  }
  v.aux = n;
  if (n) {
    v.u.items = CHG_NEW_ARRAY(A, chg_value, n);
    memcpy(v.u.items, p->values + items->vstart, n * sizeof *v.u.items);
  }
  p->nvalues = items->vstart;
  return v;
}

static void path_push(chg_parser *p, chg_path_list *l, const char *name, YYLTYPE loc) {
  if (p->nparts == p->parts_cap) {
    uint32_t cap = p->parts_cap ? p->parts_cap * 2 : 16;
    p->parts = chg_mem_realloc(&p->ctx->al, p->parts, p->parts_cap * sizeof *p->parts,
                               cap * sizeof *p->parts);
    p->parts_cap = cap;
  }
  p->parts[p->nparts].name = name;
  p->parts[p->nparts].span = SPAN(loc);
  p->nparts++;
  l->len++;
}

static chg_value make_path(chg_parser *p, chg_path_list *l, YYLTYPE loc) {
  chg_value v;
  memset(&v, 0, sizeof v);
  v.kind = CHG_V_NAME;
  v.span = SPAN(loc);
  const chg_path_part *parts = p->parts + l->start;
  p->nparts = l->start;
  if (l->len >= CHG_AUX_MAX) {
    chg_error(p->ctx, CHG_E_TOO_MANY, v.span,
              "a name of %u parts: a dotted name has at most %u", l->len, CHG_AUX_MAX - 1);
    v.kind = CHG_V_NONE;
    return v;
  }
  v.aux = l->len;
  if (l->len == 1) {
    v.u.name = parts[0].name;
  } else {
    chg_path_part *copy = CHG_NEW_ARRAY(A, chg_path_part, l->len);
    memcpy(copy, parts, l->len * sizeof *copy);
    v.u.parts = copy;
  }
  return v;
}

/* A chain of 20,000 `and`s is as deep as 20,000 brackets, though the
 * parser's stack stays shallow: depth is counted as the tree is built. */
static void set_depth(chg_parser *p, chg_expr *e, const chg_expr *child) {
  if (!child || child->depth < e->depth) return;
  e->depth = (uint16_t)(child->depth + 1);
  if (e->depth > CHG_MAX_EXPR_DEPTH && !p->stopped) {
    chg_error(p->ctx, CHG_E_TOO_DEEP, e->span,
              "an expression more than %d operators deep; the rest of this file is skipped",
              CHG_MAX_EXPR_DEPTH);
    p->stopped = true;
  }
  if (e->depth > CHG_MAX_EXPR_DEPTH) e->depth = CHG_MAX_EXPR_DEPTH + 1;
}

static chg_expr *new_expr(chg_parser *p, chg_eop op, YYLTYPE loc, chg_expr *a, chg_expr *b) {
  chg_expr *e = CHG_NEW(A, chg_expr);
  e->op = op;
  e->span = SPAN(loc);
  e->a = a;
  e->b = b;
  set_depth(p, e, a);
  set_depth(p, e, b);
  return e;
}

static chg_expr *lit_expr(chg_parser *p, chg_value v, YYLTYPE loc) {
  chg_expr *e = new_expr(p, CHG_X_LIT, loc, NULL, NULL);
  e->value = v;
  return e;
}

static void expr_list_push(chg_parser *p, chg_expr_list *l, chg_expr *e) {
  if (l->len == l->cap) {
    uint32_t cap = l->cap ? l->cap * 2 : 4;
    chg_expr **items = CHG_NEW_ARRAY(A, chg_expr *, cap);
    if (l->len) memcpy(items, l->items, l->len * sizeof *items);
    l->items = items;
    l->cap = cap;
  }
  l->items[l->len++] = e;
}

static chg_expr *call_expr(chg_parser *p, const char *fn, YYLTYPE fn_loc,
                           chg_expr_list *args, YYLTYPE loc) {
  chg_expr *e = new_expr(p, CHG_X_CALL, loc, NULL, NULL);
  e->fn = fn;
  e->fn_span = SPAN(fn_loc);
  e->args = args->items;
  e->nargs = args->len;
  for (uint32_t i = 0; i < e->nargs; i++) set_depth(p, e, e->args[i]);
  return e;
}

/* ---- the token filter ------------------------------------------------ */

/* After these a line goes on: a newline there is only white space. */
static bool continues_line(int t) {
  switch (t) {
  case ',': case '(': case '[': case ':': case '+': case '-': case '*': case '/':
  case '<': case '>': case EQ: case NE: case LE: case GE: case AND: case OR:
  case NOT: case IN: case WHERE: case DOTDOT: case WHEN: case EXPECT:
    return true;
  default:
    return false;
  }
}

static bool ends_item(int t) { return t == NL || t == ';' || t == '{' || t == '}' || t == 0; }

static void open_push(chg_parser *p, chg_loc brace) {
  if (p->nopen == p->open_cap) {
    unsigned cap = p->open_cap ? p->open_cap * 2 : 16;
    p->open = chg_mem_realloc(&p->ctx->al, p->open, p->open_cap * sizeof *p->open,
                              cap * sizeof *p->open);
    p->open_cap = cap;
  }
  chg_open_block *o = &p->open[p->nopen++];
  o->kind = p->head_kind;
  o->id = p->head_id;
  o->brace = brace;
  o->headless = false;
}

/* How deep blocks may nest (--max-depth, else the default). */
static unsigned depth_limit(const chg_parser *p) {
  return p->ctx->opts.max_depth ? p->ctx->opts.max_depth : CHG_DEFAULT_MAX_DEPTH;
}

/* A `{` where an item starts, after a block or at the start of a file or
 * block: no kind before it, so no block it could open.  (After an
 * attribute or a block's head on the line above, it is a brace on its own
 * line, which the grammar says.) */
static bool opens_no_block(const chg_parser *p, int t) {
  if (t != '{' || p->head_tokens != 0 || p->in_expr || p->group_depth != 0) return false;
  int last = p->last_token, before = p->before_last_token;
  return last == -1 || last == '{' || last == '}' ||
         ((last == NL || last == ';') && (before == '}' || before == '{' || before == -1));
}

/* `outer`: how many blocks around it are open too (p->open[0..outer)) */
static void report_unclosed(chg_parser *p, const chg_open_block *o, chg_loc at, unsigned outer) {
  chg_span span = SPAN(at);
  unsigned line = chg_parse_line(p, o->brace.start);
  if (o->kind && o->id)
    chg_error(p->ctx, CHG_E_UNCLOSED_BLOCK, span,
              "end of file: expected `}` to close %s `%s` opened at line %u",
              o->kind, o->id, line);
  else if (o->kind)
    chg_error(p->ctx, CHG_E_UNCLOSED_BLOCK, span,
              "end of file: expected `}` to close %s opened at line %u", o->kind, line);
  else
    chg_error(p->ctx, CHG_E_UNCLOSED_BLOCK, span,
              "end of file: expected `}` to close the block opened at line %u", line);
  chg_note(p->ctx, SPAN(o->brace), "opened here");
  /* the blocks around it are closed quietly: one missing brace, one error;
   * but a file cut short lacks theirs too, which the notes say, so that
   * mending the first is not met by a second error */
  for (unsigned i = outer; i-- > 0;) {
    const chg_open_block *b = &p->open[i];
    if (b->headless) continue;
    if (b->kind && b->id)
      chg_note(p->ctx, SPAN(b->brace), "%s `%s`, opened here, is not closed either", b->kind, b->id);
    else
      chg_note(p->ctx, SPAN(b->brace), "the %s opened here is not closed either",
               b->kind ? b->kind : "block");
  }
  p->closing_quietly = true;
  p->unclosed_at_end = true;
}

/* "a project", "an `include`" */
static const char *misplaced_item(chg_parser *p, const char *kind) {
  bool statement = !strcmp(kind, "use") || !strcmp(kind, "include");
  return chg_arena_printf(&p->ctx->arena, statement ? "%s `%s`" : "%s %s", chg_a_an(kind), kind);
}

/* A `}` that parse.c found one too many: it closed a top-level block
 * though indented inside it, and what follows is indented as the block's
 * contents down to a `}` in its column, which closed nothing. */
static void drop_extra_close(chg_parser *p, const chg_injection *in, chg_loc at) {
  unsigned line = in->close_line;
  if (in->block_id)
    chg_error(p->ctx, CHG_E_UNMATCHED_CLOSE, SPAN(at),
              "a `}` too many: this one closes %s `%s` (line %u), though indented inside "
              "it, so each `}` after it closes a block too soon, down to the `}` at line %u, "
              "which closes nothing", in->block_kind, in->block_id, in->block_line, line);
  else
    chg_error(p->ctx, CHG_E_UNMATCHED_CLOSE, SPAN(at),
              "a `}` too many: this one closes the %s at line %u, though indented inside "
              "it, so each `}` after it closes a block too soon, down to the `}` at line %u, "
              "which closes nothing", in->block_kind, in->block_line, line);
}

static void drop_lone_open(chg_parser *p, const chg_injection *in, chg_loc at) {
  chg_error(p->ctx, CHG_E_SYNTAX, SPAN(at),
            "a `{` alone on its line after the attribute `%s`: an attribute opens no block, "
            "so this `{` took the `}` of the block around it; remove it", in->attr_key);
}

/* At the end of a block's head that parse.c found lacking its `{` (a `}`
 * further down closed nothing, and the lines between are indented below
 * the head): says so once and hands the parser the `{`, then the token
 * after the head. */
static int supply_missing_open(chg_parser *p, const chg_injection *in, int t, YYSTYPE *lval,
                               YYLTYPE *lloc) {
  if (p->nopen != in->depth || p->group_depth || ends_item(p->last_token) || !p->head_kind)
    return t;
  unsigned line = in->close_line;
  chg_span at = {p->file->id, in->at, in->at};
  if (p->head_id)
    chg_error(p->ctx, CHG_E_SYNTAX, at,
              "expected `{` after the head of %s `%s`: the lines indented below it, "
              "down to the `}` at line %u, are its contents", p->head_kind, p->head_id, line);
  else
    chg_error(p->ctx, CHG_E_SYNTAX, at,
              "expected `{` after the head of this %s: the lines indented below it, "
              "down to the `}` at line %u, are its contents", p->head_kind, line);
  p->held_token = t;
  p->held_loc = *lloc;
  memcpy(p->held_value, lval, sizeof *lval);
  p->injecting = true;
  p->inject_depth = in->depth + 1;
  lloc->start = lloc->end = in->at;
  return '{';
}

/* Before the item at an injection point (parse.c found, from the
 * indentation, that a `}` is missing there): says so once, holds the item's
 * first token, and hands the parser `}`s until the blocks opened since are
 * closed.  Only between items, where a `}` can stand. */
_Static_assert(sizeof(YYSTYPE) <= sizeof ((chg_parser *)0)->held_value, "a token's value fits");
static int supply_missing_braces(chg_parser *p, int t, YYSTYPE *lval, YYLTYPE *lloc) {
  const chg_injection *in = &p->inject[p->next_inject++];
  if (in->drops || in->drops_open) return t; /* not the brace it was found to be */
  if (in->opens) return supply_missing_open(p, in, t, lval, lloc);
  if (p->nopen <= in->depth || p->group_depth || !ends_item(p->last_token)) return t;
  const chg_open_block *o = &p->open[in->depth];
  unsigned line = chg_parse_line(p, o->brace.start);
  if (in->misplaced && o->kind && o->id)
    chg_error(p->ctx, CHG_E_UNCLOSED_BLOCK, SPAN(*lloc),
              "expected `}` to close %s `%s` opened at line %u: %s cannot go inside it",
              o->kind, o->id, line, misplaced_item(p, in->misplaced));
  else if (in->misplaced)
    chg_error(p->ctx, CHG_E_UNCLOSED_BLOCK, SPAN(*lloc),
              "expected `}` to close the %s opened at line %u: %s cannot go inside it",
              o->kind ? o->kind : "block", line, misplaced_item(p, in->misplaced));
  else if (in->at_close && o->kind && o->id)
    chg_error(p->ctx, CHG_E_UNCLOSED_BLOCK, SPAN(*lloc),
              "expected `}` to close %s `%s` opened at line %u: this `}`, indented left of "
              "it, is the one of the block around it", o->kind, o->id, line);
  else if (in->at_close)
    chg_error(p->ctx, CHG_E_UNCLOSED_BLOCK, SPAN(*lloc),
              "expected `}` to close the %s opened at line %u: this `}`, indented left of "
              "it, is the one of the block around it", o->kind ? o->kind : "block", line);
  else if (o->kind && o->id)
    chg_error(p->ctx, CHG_E_UNCLOSED_BLOCK, SPAN(*lloc),
              "expected `}` to close %s `%s` opened at line %u: what follows is indented as "
              "if it came after it, not inside it", o->kind, o->id, line);
  else
    chg_error(p->ctx, CHG_E_UNCLOSED_BLOCK, SPAN(*lloc),
              "expected `}` to close the %s opened at line %u: what follows is indented as "
              "if it came after it, not inside it", o->kind ? o->kind : "block", line);
  chg_note(p->ctx, SPAN(o->brace), "opened here");
  p->held_token = t;
  p->held_loc = *lloc;
  memcpy(p->held_value, lval, sizeof *lval);
  p->injecting = true;
  p->inject_depth = in->depth;
  lloc->end = lloc->start;
  return '}';
}

/* A line or block that ends inside ( or [ ends the group with it; the
 * parser's complaint about that comes with a note at the opening bracket. */
static void end_group(chg_parser *p) {
  if (p->group_depth > 0) p->group_cut = true;
  p->group_depth = 0;
}

/* Whether `word` stands, a whole word, just before `at` in `text` (spaces
 * between): `use` before `std/rag`, `hook` before `rules/x.lua`. */
static bool word_before(const char *text, size_t at, const char *word) {
  size_t w = at, n = strlen(word);
  while (w > 0 && (text[w - 1] == ' ' || text[w - 1] == '\t')) w--;
  return w >= n && memcmp(text + w - n, word, n) == 0 &&
         (w == n || !(isalnum((unsigned char)text[w - n - 1]) || text[w - n - 1] == '_'));
}

/* Whether the n bytes at s are red, amber or green, in any case. */
static bool colour_word(const char *s, size_t n) {
  static const char *const colours[] = {"red", "amber", "green"};
  for (size_t i = 0; i < sizeof colours / sizeof *colours; i++)
    if (n == strlen(colours[i])) {
      size_t k = 0;
      while (k < n && tolower((unsigned char)s[k]) == colours[i][k]) k++;
      if (k == n) return true;
    }
  return false;
}

/* How long a path written without quotes runs in s (`rules/x.lua`). */
static size_t path_length(const char *s, size_t n) {
  size_t end = 0;
  while (end < n && (isalnum((unsigned char)s[end]) || strchr("_./-*", s[end]))) end++;
  return end;
}

static bool is_period_token(int t) {
  return t == MONTH || t == QUARTER || t == FY || t == DATE;
}

/* The indent of the line that offset `at` is on, or -1 past a line too
 * long to see the start of; *line_start, when asked for, where it starts. */
static int indent_of_line(chg_parser *p, uint32_t at, uint32_t *line_start) {
  char before[160];
  uint32_t from = at >= sizeof before ? at - (uint32_t)(sizeof before - 1) : 0;
  size_t n = chg_parse_text(p, from, at, before, sizeof before), i = n;
  while (i > 0 && before[i - 1] != '\n') i--;
  if (i == 0 && from > 0) return -1;
  size_t k = i;
  while (k < n && (before[k] == ' ' || before[k] == '\t')) k++;
  if (line_start) *line_start = from + (uint32_t)i;
  return (int)(k - i);
}

/* Whether a `)` or `]` at `at` stands alone on its line (a comment may
 * follow), outside any bracket, in the column where the head of the
 * innermost open block starts. */
static bool closes_block_as_brace(chg_parser *p, YYLTYPE at) {
  if (p->group_depth || !p->nopen || p->open[p->nopen - 1].headless) return false;
  uint32_t start;
  int column = indent_of_line(p, at.start, &start);
  if (column < 0 || start + (uint32_t)column != at.start) return false;
  char after[40];
  size_t n = chg_parse_text(p, at.end, at.end + 32, after, sizeof after), i = 0;
  while (i < n && (after[i] == ' ' || after[i] == '\t' || after[i] == '\r')) i++;
  if (i < n && after[i] != '\n' && after[i] != '#') return false;
  return indent_of_line(p, p->open[p->nopen - 1].brace.start, NULL) == column;
}

static int yylex(YYSTYPE *lval, YYLTYPE *lloc, chg_parser *p) {
  int t;
  bool errored = p->error_at_last_token;
  p->error_at_last_token = false;
  p->group_cut = false;
  if (p->injecting) {
    /* the `}`s found missing, then the item they were missing before */
    while (p->nopen > p->inject_depth && p->open[p->nopen - 1].headless) p->nopen--;
    if (p->nopen > p->inject_depth) {
      t = '}';
      lloc->start = lloc->end = p->held_loc.start;
    } else {
      t = p->held_token;
      *lloc = p->held_loc;
      memcpy(lval, p->held_value, sizeof *lval);
      p->injecting = false;
    }
  } else if (p->pending >= 0) {
    p->close_after_comma = false;
    t = p->pending;
    *lloc = p->pending_loc;
    p->pending = -1;
  } else {
    for (;;) {
      if (p->stopped || (p->abandon && atomic_load_explicit(p->abandon, memory_order_relaxed))) {
        t = 0;
        lloc->start = lloc->end = p->offset;
        break;
      }
      t = chgscanlex(lval, lloc, p->scanner);
      if (t == 0)
        /* where a stretch of a file may be joined to the next (parse.c) */
        p->ended_between_items = p->nopen == 0 && p->group_depth == 0 && !p->eof_in_string &&
                                 (p->last_token == NL || p->last_token == ';' || p->last_token == -1);
      /* `)` or `]` alone on its line, in the column of the head of the
       * block open: the `}` that closes it, mistyped.  Said once and read
       * as meant, rather than as a stray bracket and then a block left
       * open at the next `}`. */
      if ((t == ')' || t == ']') && closes_block_as_brace(p, *lloc)) {
        const chg_open_block *o = &p->open[p->nopen - 1];
        unsigned line = chg_parse_line(p, o->brace.start);
        if (o->kind && o->id)
          chg_error(p->ctx, CHG_E_SYNTAX, SPAN(*lloc),
                    "`%c` in place of the `}` that closes %s `%s`, opened at line %u: write `}`",
                    t, o->kind, o->id, line);
        else
          chg_error(p->ctx, CHG_E_SYNTAX, SPAN(*lloc),
                    "`%c` in place of the `}` that closes the %s opened at line %u: write `}`",
                    t, o->kind ? o->kind : "block", line);
        t = '}';
      }
      /* a `}` too many, found by parse.c: said once, then passed over */
      if (t == '}' && p->next_inject < p->ninject && p->inject[p->next_inject].drops &&
          lloc->start == p->inject[p->next_inject].at) {
        drop_extra_close(p, &p->inject[p->next_inject++], *lloc);
        continue;
      }
      /* `{` with nothing before it: said once, and what it holds read
       * where the `{` stands, up to its `}`, which is passed over too */
      if (opens_no_block(p, t) && p->nopen < depth_limit(p)) { /* past the limit, said below */
        if (!p->headless_said) /* `{{{`: once */
          chg_error(p->ctx, CHG_E_SYNTAX, SPAN(*lloc),
                    "unexpected `{` with no block before it: a block starts with its kind, "
                    "then its id and title, as in `programme drm \"Developing Resource "
                    "Management\" {`");
        p->headless_said = true;
        open_push(p, *lloc);
        p->open[p->nopen - 1].headless = true;
        continue;
      }
      if (t == '}' && p->nopen > 0 && p->open[p->nopen - 1].headless) {
        p->nopen--;
        if (!ends_item(p->last_token) && p->last_token != -1) {
          t = NL; /* it ends the line before it, as any `}` does */
          lloc->end = lloc->start;
          break;
        }
        continue;
      }
      /* a `{` alone on its line after an attribute, that took the `}` of
       * the block around it (parse.c): said once, then passed over */
      if (t == '{' && p->next_inject < p->ninject && p->inject[p->next_inject].drops_open &&
          lloc->start == p->inject[p->next_inject].at) {
        drop_lone_open(p, &p->inject[p->next_inject++], *lloc);
        continue;
      }
      if (t == '=') {
        /* `=` is not in the language: in a condition it was meant as `==`;
         * after a period among the values, as a series' `:`; elsewhere it
         * sits between a key and its values */
        if (p->in_expr && (p->last_token == WHEN || p->last_token == EXPECT)) {
          /* `expect = x`: written as an assignment, key `=` value */
          chg_error(p->ctx, CHG_E_BAD_CHAR, SPAN(*lloc),
                    "unexpected `=`: the condition follows `%s` directly, as in `%s`",
                    p->last_token == WHEN ? "when" : "expect",
                    p->last_token == WHEN ? "when score >= 15" : "expect count(risk where score >= 20) == 0");
          continue;
        } else if (p->in_expr) {
          chg_error(p->ctx, CHG_E_BAD_CHAR, SPAN(*lloc), "`=` is not a comparison: write `==`");
          t = EQ;
        } else if (p->head_tokens >= 2 && is_period_token(p->last_token)) {
          if (!p->series_eq_said) /* once an item */
            chg_error(p->ctx, CHG_E_BAD_CHAR, SPAN(*lloc),
                      "unexpected `=`: in a series each period is joined to its value with "
                      "`:`, as in `2023/24: -£1m, 2024/25: -£2m`");
          p->series_eq_said = true;
          t = ':';
        } else {
          chg_error(p->ctx, CHG_E_BAD_CHAR, SPAN(*lloc),
                    "unexpected `=`: an attribute is its key then its values, as in `owner \"Name\"`");
          continue;
        }
      }
      /* a word that would carry the line on, but was itself the error,
       * carries nothing: recovery ends at this line's end */
      bool carries = continues_line(p->last_token) && !errored;
      if (t == NL && p->in_expr && p->group_depth == 0 && carries) {
        /* a condition carried over a line: if it then fails, this is why */
        p->carried = true;
        p->carried_loc = p->last_loc;
        continue;
      }
      if (t == NL && !p->in_expr && p->group_depth == 0 && carries && p->last_token == ',') {
        /* a series carried over a line: if the next line is no pair, this is why */
        p->comma_carried = true;
        p->comma_loc = p->last_loc;
        p->comma_after = 0;
        p->word_after_comma = false;
      }
      if (t == NL && p->group_depth > 0) p->group_spans_lines = true;
      if (t == NL && (p->group_depth > 0 || carries ||
                      p->last_token == NL || p->last_token == ';' ||
                      p->last_token == '{' || p->last_token == -1))
        continue;
      break;
    }
    if (p->next_inject < p->ninject && t != 0 && lloc->start >= p->inject[p->next_inject].at)
      t = supply_missing_braces(p, t, lval, lloc);
    /* a `{` with no block before it was said when it was met */
    while (t == 0 && p->nopen > 0 && p->open[p->nopen - 1].headless) p->nopen--;
    /* At the end of the file, blocks left open are reported here and
     * closed, so that what they hold is still checked. */
    if (t == 0 && p->nopen > 0 && !p->stopped) {
      /* a long string left open has already swallowed the rest */
      if (!p->closing_quietly && !p->eof_in_string) {
        /* (`depends_on a.`: a name cut short after its dot as well) */
        if (p->group_depth > 0 || continues_line(p->last_token) || p->last_token == '.') {
          /* the parser finds the item unfinished: it says both */
          p->eof_mid_item = true;
          p->eof_block = p->open[p->nopen - 1];
          p->eof_at = p->last_loc.end;
          p->eof_in_expr = p->in_expr;
          p->eof_key = p->head_kind;
        } else {
          report_unclosed(p, &p->open[p->nopen - 1], *lloc, p->nopen - 1);
        }
      }
      p->closing_quietly = true;
      t = '}';
      lloc->end = lloc->start;
    }
    /* the item left unfinished at the end was, after all, finished */
    if (t == 0 && p->eof_mid_item) {
      p->eof_mid_item = false;
      report_unclosed(p, &p->eof_block, *lloc, 0);
    }
    /* a `}` or the end of the file ends the line before it */
    if ((t == '}' || t == 0) && !ends_item(p->last_token) && p->last_token != -1) {
      p->close_after_comma = t == '}' && p->last_token == ',' && !p->in_expr && p->group_depth == 0;
      p->close_comma_loc = p->last_loc;
      p->pending = t;
      p->pending_loc = *lloc;
      lloc->end = lloc->start;
      t = NL;
    }
  }

  /* `status in (red, amber)`: should a comma follow, it was a list (`in
   * (period)` is a field in brackets) */
  if (t == '(' && p->in_expr) p->paren_after_in = p->last_token == IN ? p->group_depth + 1 : 0;
  if (t == ')' && p->group_depth == p->paren_after_in) p->paren_after_in = 0;
  if (t == ':' && !p->in_expr && p->head_tokens >= 2 && !is_period_token(p->last_token) &&
      p->head_kind && chg_schema_find_kind(p->head_kind)) { /* not a series' `2023/24:` */
    char after[33];
    size_t n = chg_parse_text(p, lloc->end, lloc->end + 32, after, sizeof after), i = 0;
    while (i < n && (after[i] == ' ' || after[i] == '\t' || after[i] == '\r')) i++;
    if (i < n && (after[i] == '\n' || after[i] == '#' || after[i] == '{')) {
      p->colon_ends_head = *lloc;
      p->colon_then_brace = after[i] == '{';
      p->colon_head_kind = p->head_kind;
      p->colon_head_id = p->head_id;
    }
  }
  if (t == IDENT && p->head_tokens == 0 && p->nopen > 0 && !p->in_expr &&
      strcmp(lval->name, "if") == 0 && p->open[p->nopen - 1].kind &&
      strcmp(p->open[p->nopen - 1].kind, "rule") == 0) {
    /* `if score >= 15` in a rule: said once, and read as the `when` meant */
    chg_error(p->ctx, CHG_E_SYNTAX, SPAN(*lloc),
              "a rule's condition is written after `when`, as in `when score >= 15`, not `if`");
    t = WHEN;
  }

  /* `tags [a; b]`: said once, and read as the `,` meant */
  if (t == ';' && p->group_depth == 1 && p->group_is_list && !p->in_expr) {
    chg_error(p->ctx, CHG_E_SYNTAX, SPAN(*lloc),
              "the items of a list are separated by `,`, not `;`, as in `[a, b]`");
    t = ',';
  }

  switch (t) {
  case '(': case '[':
    if (p->group_depth++ == 0) {
      p->group_open = *lloc;
      p->group_spans_lines = false;
      p->group_is_list = t == '[';
    }
    break;
  case ')': case ']':
    if (p->group_depth) p->group_depth--;
    break;
  case '{': {
    unsigned limit = depth_limit(p);
    if (p->nopen >= limit) {
      chg_error(p->ctx, CHG_E_TOO_DEEP, SPAN(*lloc),
                "blocks nested more than %u deep; the rest of this file is skipped", limit);
      p->stopped = true;
      t = 0;
      break;
    }
    open_push(p, *lloc);
    end_group(p);
    break;
  }
  case '}':
    p->unmatched_close = p->nopen == 0;
    if (p->unmatched_close && !p->any_unmatched_close) {
      p->any_unmatched_close = true;
      p->first_unmatched_close = lloc->start;
    }
    if (p->nopen) p->nopen--;
    end_group(p);
    break;
  case NL: case ';':
    end_group(p);
    break;
  default:
    break;
  }

  if (ends_item(t)) {
    p->series_eq_said = false;
    if (t != '{' || !p->colon_then_brace) p->colon_ends_head.start = p->colon_ends_head.end = 0;
    p->paren_after_in = 0;
    p->head_tokens = 0;
    p->head_kind = p->head_id = NULL;
    p->after_expr = p->in_expr;
    p->in_expr = false;
    p->in_use = false;
    p->carried = false;
    p->comma_carried = false;
  } else {
    if (p->head_tokens == 0 && (t == WHEN || t == EXPECT)) p->in_expr = true;
    if (p->head_tokens == 0 && t == USE) p->in_use = true, p->use_cut = false;
    if (p->head_tokens == 0 && t == IDENT) p->head_kind = lval->name;
    if (p->head_tokens == 1 && t == IDENT) p->head_id = lval->name;
    p->head_tokens++;
  }
  if (p->group_depth > 4096) {
    chg_error(p->ctx, CHG_E_TOO_DEEP, SPAN(*lloc),
              "brackets nested more than 4096 deep; the rest of this file is skipped");
    p->stopped = true;
    t = 0;
  }
  if (p->comma_carried && p->comma_after < 2) {
    if (p->comma_after == 0) p->word_after_comma = t == IDENT;
    p->comma_after++;
  }
  p->first_on_line = p->last_token == NL || p->last_token == -1;
  p->before_last_token = p->last_token;
  p->last_token = t;
  p->headless_said = false;
  p->before_last_loc = p->last_loc;
  p->last_loc = *lloc;
  return t;
}

/* ---- error messages ---------------------------------------------------- */

static void yyerror(YYLTYPE *loc, chg_parser *p, const char *msg) {
  /* Only "memory exhausted" reaches here: the parse stack hit its limit.
   * Blocks and brackets are stopped well before it, so it is a run of
   * prefix operators (`not not ...`, `- - ...`) that the tree's depth
   * count has not seen yet, its operand not being read. */
  (void)msg;
  if (p->quick) {
    p->needs_correction = true;
    return;
  }
  chg_error(p->ctx, CHG_E_TOO_DEEP, SPAN(*loc),
            "an expression more than %d operators deep; the rest of this file is skipped",
            CHG_MAX_EXPR_DEPTH);
}

static const char *describe_token(yysymbol_kind_t k) {
  switch (k) {
  case YYSYMBOL_YYEOF: return "the end of the file";
  case YYSYMBOL_NL: return "the end of the line";
  case YYSYMBOL_IDENT: return "a name";
  case YYSYMBOL_STRING: return "a string";
  case YYSYMBOL_NUMBER: return "a number";
  case YYSYMBOL_MONEY: return "an amount of money";
  case YYSYMBOL_PERCENT: return "a percentage";
  case YYSYMBOL_DATE: return "a date";
  case YYSYMBOL_MONTH: return "a month";
  case YYSYMBOL_QUARTER: return "a quarter";
  case YYSYMBOL_FY: return "a financial year";
  case YYSYMBOL_BOOL: return "`true` or `false`";
  default: return NULL;
  }
}

/* How an expected token is named: "a string", "`}`". */
static void expected_text(yysymbol_kind_t k, char *buf, size_t size) {
  const char *d = describe_token(k);
  if (d) {
    snprintf(buf, size, "%s", d);
    return;
  }
  const char *name = yysymbol_name(k);
  /* bison quotes literal tokens as "'x'" or "\"x\"" */
  size_t n = strlen(name);
  if (n >= 2 && (name[0] == '\'' || name[0] == '"'))
    snprintf(buf, size, "`%.*s`", (int)(n - 2), name + 1);
  else
    snprintf(buf, size, "`%s`", name);
}

/* How the unexpected token is named: as written in the source. */
static void unexpected_text(chg_parser *p, yysymbol_kind_t k, const YYLTYPE *loc,
                            char *buf, size_t size) {
  if (k == YYSYMBOL_YYEOF) {
    snprintf(buf, size, "end of file");
    return;
  }
  /* the end of line supplied before a `}` is that `}` to the reader */
  if (k == YYSYMBOL_NL && p->pending == '}') {
    snprintf(buf, size, "`}`");
    return;
  }
  if (k == YYSYMBOL_NL || loc->end <= loc->start) {
    snprintf(buf, size, "end of line");
    return;
  }
  char text[42];
  size_t n = chg_parse_quote(p, loc->start, loc->end, text, sizeof text);
  if (n > 40) {
    n = 40;
    while (n && ((unsigned char)text[n] & 0xC0) == 0x80) n--;
    snprintf(buf, size, "`%.*s...`", (int)n, text);
  } else {
    snprintf(buf, size, "`%.*s`", (int)n, text);
  }
}

/* Tokens that are legal almost everywhere a value ends, and only clutter
 * the list of what was expected. */
static bool noise(yysymbol_kind_t k) {
  const char *name = yysymbol_name(k);
  return k == YYSYMBOL_DOTDOT || strcmp(name, "'.'") == 0 || strcmp(name, "'['") == 0;
}

/* Whether a word is written as a period: `2011/12`, `FY2011/12`, `FY23`,
 * `2011-06`, `2011-Q3`, `2011-06-13`. */
static bool written_as_period(const char *w, size_t n) {
  if (n >= 2 && (w[0] == 'F' || w[0] == 'f') && (w[1] == 'Y' || w[1] == 'y')) {
    w += 2;
    n -= 2;
    if (n == 2) return isdigit((unsigned char)w[0]) && isdigit((unsigned char)w[1]);
  }
  if (n != 7 && n != 10) return false;
  for (size_t i = 0; i < 4; i++)
    if (!isdigit((unsigned char)w[i])) return false;
  bool two_digits = isdigit((unsigned char)w[5]) && isdigit((unsigned char)w[6]);
  if (w[4] == '/') return n == 7 && two_digits;
  if (w[4] != '-') return false;
  if (n == 7 && w[5] == 'Q' && w[6] >= '1' && w[6] <= '4') return true;
  return two_digits && (n == 7 || (w[7] == '-' && isdigit((unsigned char)w[8]) &&
                                   isdigit((unsigned char)w[9])));
}

/* Whether a `,` stands before `at` on its line, blanks between. */
static bool comma_before(chg_parser *p, uint32_t at) {
  char text[33];
  uint32_t from = at > sizeof text - 1 ? at - (uint32_t)(sizeof text - 1) : 0;
  size_t n = chg_parse_text(p, from, at, text, sizeof text);
  while (n > 0 && (text[n - 1] == ' ' || text[n - 1] == '\t')) n--;
  return n > 0 && text[n - 1] == ',';
}

/* `money 2011/12 -£8.2m, 2012/13: -£10.6m`: at the `,` at `comma`, whether
 * the entry before it is a period and a value with no `:` between, and a
 * period starts the entry after it, as in a series.  The period and the
 * value are copied into period and value. */
static bool series_colon_left_out(chg_parser *p, const chg_loc *comma, char *period, char *value,
                                  size_t size, chg_span *period_at) {
  char line[160];
  uint32_t from = comma->start > sizeof line - 1 ? comma->start - (uint32_t)(sizeof line - 1) : 0;
  size_t n = chg_parse_text(p, from, comma->start, line, sizeof line), entry = n;
  while (entry > 0 && line[entry - 1] != '\n' && line[entry - 1] != ',') entry--;
  if (entry == 0 && from > 0) return false;
  /* the last two words of the entry */
  size_t words[2][2], found = 0, e = n;
  while (found < 2) {
    while (e > entry && (line[e - 1] == ' ' || line[e - 1] == '\t')) e--;
    size_t b = e;
    while (b > entry && line[b - 1] != ' ' && line[b - 1] != '\t') b--;
    if (b == e) return false;
    words[found][0] = b;
    words[found][1] = e;
    found++;
    e = b;
  }
  size_t value_len = words[0][1] - words[0][0], period_len = words[1][1] - words[1][0];
  if (!written_as_period(line + words[1][0], period_len) || value_len >= size || period_len >= size)
    return false;
  char next[24];
  size_t m = chg_parse_text(p, comma->end, comma->end + 20, next, sizeof next), b = 0;
  while (b < m && (next[b] == ' ' || next[b] == '\t')) b++;
  size_t k = b;
  while (k < m && next[k] != ' ' && next[k] != '\t' && next[k] != ':' && next[k] != ',' &&
         next[k] != '\n' && next[k] != '\r')
    k++;
  if (!written_as_period(next + b, k - b)) return false;
  memcpy(period, line + words[1][0], period_len);
  period[period_len] = '\0';
  *period_at = (chg_span){p->file->id, from + (uint32_t)words[1][0], from + (uint32_t)words[1][1]};
  memcpy(value, line + words[0][0], value_len);
  value[value_len] = '\0';
  return true;
}

/* An operator that stands between two operands of a condition. */
static bool binary_operator(yysymbol_kind_t k) {
  switch (k) {
  case YYSYMBOL_EQ: case YYSYMBOL_NE: case YYSYMBOL_LE: case YYSYMBOL_GE:
  case YYSYMBOL_IN:
    return true;
  default: {
    const char *name = yysymbol_name(k);
    return !strcmp(name, "'<'") || !strcmp(name, "'>'") || !strcmp(name, "'+'") ||
           !strcmp(name, "'*'") || !strcmp(name, "'/'");
  }
  }
}

/* `when` or `expect`, when key is one of them misspelt (`wen`, `expcet`). */
static const char *condition_meant(const char *key) {
  static const char *const keys[] = {"when", "expect"};
  for (size_t i = 0; i < sizeof keys / sizeof keys[0]; i++)
    if (strcmp(key, keys[i]) != 0 && chg_edit_distance(key, keys[i], 2) <= 2) return keys[i];
  return NULL;
}

static bool is_arithmetic(yysymbol_kind_t k) {
  const char *name = yysymbol_name(k);
  return !strcmp(name, "'+'") || !strcmp(name, "'*'") || !strcmp(name, "'/'");
}

/* `key` as an attribute of the innermost open block's kind, or NULL. */
static const chg_attr_spec *attr_of_open_block(const chg_parser *p, const char *key) {
  const char *kind = p->nopen ? p->open[p->nopen - 1].kind : NULL;
  const chg_kind_spec *k = kind ? chg_schema_find_kind(kind) : NULL;
  return k ? chg_schema_find_attr(k, key) : NULL;
}

/* Whether the line above the one starting at `at` ends with a series'
 * entry (`2012/13: -£10.6m`) and no `,` after it. */
static bool series_line_above(chg_parser *p, uint32_t at) {
  char text[257];
  uint32_t from = at > 256 ? at - 256 : 0;
  size_t n = chg_parse_text(p, from, at, text, sizeof text);
  while (n > 0 && (text[n - 1] == ' ' || text[n - 1] == '\t' || text[n - 1] == '\n' ||
                   text[n - 1] == '\r'))
    n--;
  size_t start = n;
  while (start > 0 && text[start - 1] != '\n') start--;
  if (n == start || text[n - 1] == ',') return false;
  /* a `: ` after a period-like word, the last on the line */
  for (size_t i = n; i-- > start + 1;)
    if (text[i] == ':' && (text[i - 1] >= '0' && text[i - 1] <= '9')) return true;
  return false;
}

static int yyreport_syntax_error(const yypcontext_t *ctx, chg_parser *p) {
  yysymbol_kind_t got = yypcontext_token(ctx);
  const YYLTYPE *loc = yypcontext_location(ctx);
  chg_span span = SPAN(*loc);
  if (p->quick) {
    /* said by the parse again with look-ahead correction */
    p->needs_correction = true;
    p->stopped = true;
    return 0;
  }
  p->error_at_last_token = true;
  if (got == YYSYMBOL_YYUNDEF || p->stopped) return 0; /* reported already */
  /* `owner Director of Resources and Finance`: text without its quotes,
   * stopped at a word read otherwise: said as the text it is */
  if (chg_parse_unquoted_text(p, loc->start)) return 0;
  /* `money 2011/12: -£1m,` and the block's `}` on the next line: lists
   * allow a comma before their `]`, series none before a `}` -- unless
   * the `}` is the one supplied at the end of the file, which was cut
   * short after the `,` (said below) */
  if (got == YYSYMBOL_NL && p->close_after_comma && !p->eof_mid_item) {
    chg_error(p->ctx, CHG_E_SYNTAX, SPAN(p->close_comma_loc),
              "`,` ends the series, so the `}` after it was read as more of it; remove "
              "the `,` after the last `period: value`");
    return 0;
  }
  /* `baseline` alone on its line, and its date on the next: said once, as
   * what happened (a text so is taken as its value: text_of_bare_key) */
  if (!p->in_expr && p->before_last_token == NL &&
      (got == YYSYMBOL_DATE || got == YYSYMBOL_NUMBER || got == YYSYMBOL_MONEY ||
       got == YYSYMBOL_PERCENT || got == YYSYMBOL_MONTH || got == YYSYMBOL_QUARTER ||
       got == YYSYMBOL_FY)) {
    char before[81];
    uint32_t back = loc->start > 80 ? loc->start - 80 : 0;
    size_t nb = chg_parse_text(p, back, loc->start, before, sizeof before), e = nb;
    while (e > 0 && before[e - 1] != '\n') e--; /* the start of the value's line */
    if (e > 0) e--;                               /* the end of the line above */
    while (e > 0 && (before[e - 1] == ' ' || before[e - 1] == '\t' || before[e - 1] == '\r')) e--;
    size_t b = e;
    while (b > 0 && (isalnum((unsigned char)before[b - 1]) || before[b - 1] == '_')) b--;
    size_t lead = b;
    while (lead > 0 && (before[lead - 1] == ' ' || before[lead - 1] == '\t')) lead--;
    char key[33];
    if (e > b && e - b < sizeof key && (lead == 0 ? back == 0 : before[lead - 1] == '\n' ||
                                        before[lead - 1] == '{' || before[lead - 1] == ';')) {
      memcpy(key, before + b, e - b);
      key[e - b] = '\0';
      if (chg_schema_is_attribute(key) && !chg_schema_find_kind(key)) {
        char value[40];
        size_t n = chg_parse_text(p, loc->start, loc->end, value, sizeof value);
        chg_error(p->ctx, CHG_E_SYNTAX, span,
                  "the value of `%s` is on the line after its key: a value goes on its key's "
                  "line, as in `%s %.*s`", key, key, (int)n, value);
        return 0;
      }
    }
  }
  /* `period 2022-09..` and the item ends: the range has lost its end */
  if (!p->in_expr && p->before_last_token == DOTDOT && ends_item(p->last_token) &&
      !p->eof_mid_item) {
    chg_error(p->ctx, CHG_E_BAD_RANGE, SPAN(p->before_last_loc),
              "a range needs its last period after `..`, as in `2022-09..2022-12`");
    return 0;
  }
  /* `use ../org`: a path where a module's name goes */
  if (!p->in_expr && p->before_last_token == USE && got != YYSYMBOL_IDENT &&
      got != YYSYMBOL_STRING && got != YYSYMBOL_NL && got != YYSYMBOL_YYEOF) {
    chg_error(p->ctx, CHG_E_SYNTAX, span,
              "`use` takes a module's dotted name, as in `use std.rag` (found on the "
              "module search path); a file of the portfolio's own is read with "
              "`include \"path/to/file.chg\"`");
    return 0;
  }
  /* `money 2011/12: }`: a series' key with nothing after its `:` */
  if (!p->in_expr && p->before_last_token == ':' &&
      (got == YYSYMBOL_NL || got == YYSYMBOL_YYEOF || strcmp(yysymbol_name(got), "'}'") == 0 ||
       strcmp(yysymbol_name(got), "';'") == 0)) {
    char text[33];
    uint32_t colon = p->before_last_loc.start, from = colon > 32 ? colon - 32 : 0;
    size_t n = chg_parse_text(p, from, colon, text, sizeof text), k = n;
    while (k > 0 && !isspace((unsigned char)text[k - 1])) k--;
    /* (a key that is a period: `overall:` is a colon where none goes) */
    if (k < n && written_as_period(text + k, n - k)) {
      chg_span key = {p->file->id, from + (uint32_t)k, p->before_last_loc.end};
      chg_error(p->ctx, CHG_E_BAD_SERIES, key, "`%.*s:` needs its value, as in `%.*s: -£8.2m`",
                (int)(n - k), text + k, (int)(n - k), text + k);
      return 0;
    }
  }
  /* `confidence <= amber red`: a level of two words, its `_` left out */
  char gap[4] = "";
  if (p->in_expr && !p->carried && got == YYSYMBOL_IDENT && p->before_last_token == IDENT &&
      p->before_last_loc.end < loc->start && loc->start - p->before_last_loc.end <= 3 &&
      chg_parse_text(p, p->before_last_loc.end, loc->start, gap, sizeof gap) ==
          loc->start - p->before_last_loc.end &&
      strspn(gap, " \t") == strlen(gap)) { /* on one line */
    char first[64], second[64], op[16];
    chg_parse_quote(p, p->before_last_loc.start, p->before_last_loc.end, first, sizeof first);
    chg_parse_quote(p, loc->start, loc->end, second, sizeof second);
    /* only a level compared with (`<= amber red`), not a key run on */
    uint32_t op_from = p->before_last_loc.start > 15 ? p->before_last_loc.start - 15 : 0;
    size_t no = chg_parse_text(p, op_from, p->before_last_loc.start, op, sizeof op);
    while (no > 0 && (op[no - 1] == ' ' || op[no - 1] == '\t')) no--;
    bool compared = no > 0 && strchr("=<>", op[no - 1]);
    if (compared && !chg_schema_is_attribute(second)) {
      chg_error(p->ctx, CHG_E_SYNTAX, span,
                "unexpected `%s` after `%s`: a name or a level is one word; did you mean "
                "`%s_%s`?", second, first, first, second);
      return 0;
    }
  }
  /* `expect { ... }`: a condition's key written as a kind of block */
  if (strcmp(yysymbol_name(got), "'{'") == 0 &&
      (p->before_last_token == EXPECT || p->before_last_token == WHEN)) {
    bool expect = p->before_last_token == EXPECT;
    chg_error(p->ctx, CHG_E_SYNTAX, SPAN(p->before_last_loc),
              "`%s` is a reserved word, not a kind of block: it gives %s, as in %s",
              expect ? "expect" : "when", expect ? "a claim its condition" : "a rule its condition",
              expect ? "`claim c { expect count(risk) > 0 }`"
                     : "`rule r { on risk; when score >= 15; escalate board }`");
    return 0;
  }
  if (got == YYSYMBOL_DOTDOT && p->in_expr) {
    chg_error(p->ctx, CHG_E_SYNTAX, span,
              "a range cannot be written in a condition: compare a period with a month, "
              "quarter or financial year (`period == 2022-Q3`), or ask whether one is in "
              "it (`2022-12 in period`)");
    return 0;
  }
  /* `money 2023/24: -£1m; 2024/25: -£2m`: a series' entries joined by `;`,
   * which ends the attribute */
  if ((got == YYSYMBOL_FY || got == YYSYMBOL_MONTH || got == YYSYMBOL_QUARTER ||
       got == YYSYMBOL_DATE) && !p->in_expr && loc->start > 0) {
    /* (wide enough to see past a series' indent to the line's end above) */
    char before[81];
    uint32_t from = loc->start > 80 ? loc->start - 80 : 0;
    size_t n = chg_parse_text(p, from, loc->start, before, sizeof before);
    while (n > 0 && (before[n - 1] == ' ' || before[n - 1] == '\t')) n--;
    char period[32], after[2];
    chg_parse_quote(p, loc->start, loc->end, period, sizeof period);
    bool keyed = chg_parse_text(p, loc->end, loc->end + 1, after, sizeof after) == 1 && after[0] == ':';
    /* `money 2011/12: -£1m 2012/13: -£2m`: the `,` between left out */
    if (keyed && n > 0 && !strchr("\n;,:", before[n - 1]) && !p->first_on_line &&
        n < (size_t)(loc->start - from)) {
      chg_error(p->ctx, CHG_E_SYNTAX, span,
                "unexpected `%s`: a series' entries are separated by `,`, as in "
                "`2011/12: -£1m, 2012/13: -£2m`", period);
      return 0;
    }
    if (n > 0 && before[n - 1] == ';') {
      chg_error(p->ctx, CHG_E_SYNTAX, span,
                "unexpected `%s` after `;`: a series' entries are separated by `,`, not `;`, "
                "as in `2023/24: -£1m, 2024/25: -£2m`", period);
      return 0;
    }
    /* `money 2011/12: -£8.2m, 2012/13: -£10.6m` and, on the next line,
     * `2013/14: -£10.6m`: the line above ended the series */
    if (n > 0 && before[n - 1] == '\n' && p->first_on_line && series_line_above(p, loc->start)) {
      chg_error(p->ctx, CHG_E_SYNTAX, span,
                "unexpected `%s` at the start of a line: a series goes on to the next line "
                "only when the line above ends with `,`; add one after its last entry", period);
      return 0;
    }
  }
  if (p->in_expr && strcmp(yysymbol_name(got), "','") == 0 && p->paren_after_in &&
      p->paren_after_in == p->group_depth) {
    chg_error(p->ctx, CHG_E_SYNTAX, span,
              "unexpected `,`: a list is written in square brackets, as in "
              "`status in [red, amber]`");
    return 0;
  }
  /* `a == b == c`, or `count(x where s == closed == 1)` whose `)` was
   * left out: a comparison after an operand can only be a second one */
  if (p->in_expr && binary_operator(got) && got != YYSYMBOL_IN && !is_arithmetic(got) &&
      !continues_line(p->before_last_token)) {
    char op[16];
    expected_text(got, op, sizeof op);
    /* a `)` later on the line closes the bracket: the `)` is not missing */
    char rest[256];
    size_t n = p->group_depth > 0 ? chg_parse_text(p, loc->end, loc->end + 255, rest, sizeof rest) : 0;
    int open = p->group_depth;
    for (size_t i = 0; i < n && rest[i] != '\n' && open > 0; i++)
      open += rest[i] == '(' ? 1 : rest[i] == ')' ? -1 : 0;
    if (open > 0) {
      chg_error(p->ctx, CHG_E_SYNTAX, span,
                "unexpected %s after a comparison: comparisons do not chain; is a `)` "
                "missing before it?", op);
      chg_note(p->ctx, SPAN(p->group_open), "the bracket opened here is not closed");
    } else {
      chg_error(p->ctx, CHG_E_SYNTAX, span,
                "unexpected %s after a comparison: comparisons do not chain; join two "
                "with `and`, as in `score >= 10 and score < 15`", op);
    }
    return 0;
  }
  if (got == YYSYMBOL_WHERE && p->in_expr) {
    chg_error(p->ctx, CHG_E_SYNTAX, span,
              "unexpected `where`: it filters the argument of count, pct, sum, min, "
              "max, avg, any or all, as in `count(risk where score >= 15)`");
    return 0;
  }
  /* `wen score >= 15`: a condition after a key that is not quite `when`
   * or `expect`, so read as plain values, which cannot hold it */
  const char *condition_key = p->in_expr || !p->head_kind ? NULL : condition_meant(p->head_kind);
  if (condition_key && got != YYSYMBOL_YYEOF && got != YYSYMBOL_NL) {
    char shown[64];
    expected_text(got, shown, sizeof shown);
    chg_error(p->ctx, CHG_E_SYNTAX, span,
              "unexpected %s: a condition follows `when` (in a rule) or `expect` (in a "
              "claim), and `%s` is neither; did you mean `%s`?",
              shown, p->head_kind, condition_key);
    return 0;
  }
  /* `expect a > b source "x"`: the block's next attribute on the
   * condition's line, after a whole operand */
  if (p->in_expr && got == YYSYMBOL_IDENT && p->group_depth == 0 &&
      chg_ends_operand(p->before_last_token)) {
    char word[64];
    chg_parse_quote(p, loc->start, loc->end, word, sizeof word);
    if (attr_of_open_block(p, word)) {
      chg_error(p->ctx, CHG_E_SYNTAX, span,
                "unexpected `%s` after the condition: `%s` is an attribute of its own; end "
                "the condition with `;` or a new line before it", word, word);
      return 0;
    }
  }
  /* the file ends inside an item, in a block: the file was cut short */
  if (p->eof_mid_item) {
    p->eof_mid_item = false;
    const chg_open_block *o = &p->eof_block;
    char item[96], block[160];
    if (p->eof_in_expr) snprintf(item, sizeof item, "the condition");
    else if (p->eof_key) snprintf(item, sizeof item, "`%s`", p->eof_key);
    else snprintf(item, sizeof item, "the last item");
    unsigned line = chg_parse_line(p, o->brace.start);
    if (o->kind && o->id) snprintf(block, sizeof block, "%s `%s` (opened at line %u)", o->kind, o->id, line);
    else snprintf(block, sizeof block, "the %s opened at line %u", o->kind ? o->kind : "block", line);
    chg_error(p->ctx, CHG_E_SYNTAX, (chg_span){p->file->id, p->eof_at, p->eof_at},
              "unexpected end of file: %s is not finished, and %s is not closed", item, block);
    if (p->group_depth > 0 || p->group_cut)
      chg_note(p->ctx, SPAN(p->group_open), "the bracket opened here is not closed");
    return 0;
  }
  /* `expect 1 + ;`, `when }`: the condition ends where an operand, or
   * the whole condition, is still wanted */
  bool item_ends = ends_item(p->last_token) && p->last_token != '{'; /* `got` ends the item */
  if (p->after_expr && item_ends &&
      continues_line(p->before_last_token) && p->before_last_token != ',' &&
      p->before_last_token != ':' && !p->group_cut && p->group_depth == 0) {
    char op[16];
    chg_parse_quote(p, p->before_last_loc.start, p->before_last_loc.end, op, sizeof op);
    if (p->before_last_token == WHEN || p->before_last_token == EXPECT)
      chg_error(p->ctx, CHG_E_SYNTAX, SPAN(p->before_last_loc),
                "`%s` needs a condition after it, as in `%s`", op,
                p->before_last_token == WHEN ? "when score >= 15"
                                             : "expect count(risk where score >= 20) == 0");
    else
      chg_error(p->ctx, CHG_E_SYNTAX, SPAN(p->before_last_loc),
                "incomplete condition: nothing follows `%s`", op);
    return 0;
  }
  /* `target -5-`, `target 5 -` and the line's end: a minus sign with no
   * figure after it, outside a condition (where it would be arithmetic) */
  if (!p->after_expr && item_ends && p->last_token != ';' && p->before_last_token == '-') {
    chg_error(p->ctx, CHG_E_SYNTAX, SPAN(p->before_last_loc),
              "unexpected `-` with nothing after it: a minus sign goes before the figure it "
              "makes negative, as in `-£8.2m` or `-308`");
    return 0;
  }
  /* a condition that ends in an operator runs on to the next line; when
   * what follows does not fit, the line was most likely left unfinished */
  if (p->in_expr && p->carried) {
    chg_span at = SPAN(p->carried_loc);
    char op[16];
    chg_parse_quote(p, p->carried_loc.start, p->carried_loc.end, op, sizeof op);
    chg_error(p->ctx, CHG_E_SYNTAX, at,
              "incomplete condition: nothing follows `%s` on its line, so the "
              "next line was read as part of it", op);
    return 0;
  }
  /* `depends-on`, `amber-red`: a name written with `-` for `_` */
  if (got == YYSYMBOL_IDENT && !p->in_expr && loc->start >= 2) {
    char before[66], word[160];
    uint32_t from = loc->start > 64 ? loc->start - 64 : 0;
    size_t n = chg_parse_quote(p, from, loc->start, before, sizeof before);
    size_t k = n;
    while (k > 0 && (isalnum((unsigned char)before[k - 1]) || before[k - 1] == '_' ||
                     (before[k - 1] == '-' && k > 1 && (isalnum((unsigned char)before[k - 2]) ||
                                                        before[k - 2] == '_'))))
      k--;
    if (n >= 2 && before[n - 1] == '-' && k < n - 1 && (isalpha((unsigned char)before[k]) || before[k] == '_')) {
      size_t len = n - k;
      memcpy(word, before + k, len);
      len += chg_parse_quote(p, loc->start, loc->end, word + len, sizeof word - len);
      char fixed[160];
      memcpy(fixed, word, len + 1);
      for (size_t i = 0; i < len; i++)
        if (fixed[i] == '-') fixed[i] = '_';
      chg_error(p->ctx, CHG_E_SYNTAX, (chg_span){p->file->id, from + (uint32_t)k, loc->end},
                "`%s` is not a name: a name joins its words with `_`, not `-`, as in `%s`",
                word, fixed);
      return 0;
    }
  }
  /* `posts officers 2011/12: -308,` and a new attribute on the next line */
  if (!p->in_expr && p->comma_carried &&
      (p->comma_after == 1 || (p->comma_after == 2 && p->word_after_comma))) {
    chg_error(p->ctx, CHG_E_SYNTAX, SPAN(p->comma_loc),
              "`,` ends the line, so the next line was read as more of this series; "
              "remove the `,` after the last `period: value`");
    return 0;
  }
  /* `and` or `or` opening a line: the condition above it had ended */
  if ((got == YYSYMBOL_AND || got == YYSYMBOL_OR) && p->first_on_line && !p->after_expr) {
    /* no condition above: a word of prose, read as the reserved word */
    chg_error(p->ctx, CHG_E_SYNTAX, span,
              "unexpected `%s` at the start of a line: it is a reserved word, for conditions "
              "(`when`, `expect`); text goes in a string, in double quotes",
              got == YYSYMBOL_AND ? "and" : "or");
    return 0;
  }
  if ((got == YYSYMBOL_AND || got == YYSYMBOL_OR || (binary_operator(got) && p->after_expr)) &&
      p->first_on_line) {
    char op[64];
    expected_text(got, op, sizeof op);
    /* the condition above, cut short there, is not judged as it stands
     * (marked first: the marks are kept in the order of the text) */
    chg_mark_damage(p->ctx, SPAN(p->before_last_loc));
    chg_error(p->ctx, CHG_E_SYNTAX, span,
              "unexpected %s at the start of a line: a condition goes on to the next "
              "line only when a line ends with its operator, so put this %s at the end "
              "of the line above", op, op);
    return 0;
  }
  /* `programme a "A":` and its items below, as YAML or Python would */
  if (p->colon_ends_head.end) {
    const char *kind = p->colon_head_kind, *id = p->colon_head_id ? p->colon_head_id : "id \"Title\"";
    if (p->colon_then_brace)
      chg_error(p->ctx, CHG_E_SYNTAX, SPAN(p->colon_ends_head),
                "unexpected `:` in the head of a %s: the head is followed by its `{` alone, "
                "as in `%s %s {`", kind, kind, id);
    else
      chg_error(p->ctx, CHG_E_SYNTAX, SPAN(p->colon_ends_head),
                "unexpected `:` at the end of the head of a %s: a block's items go between "
                "`{` and `}`, as in `%s %s {`", kind, kind, id);
    p->colon_ends_head.end = 0;
    return 0;
  }
  if (p->last_token == ':' && p->head_tokens == 2) {
    char key[24] = "";
    if (!p->head_kind)
      chg_parse_text(p, p->before_last_loc.start, p->before_last_loc.end, key, sizeof key);
    if (p->in_expr)
      chg_error(p->ctx, CHG_E_SYNTAX, span,
                "unexpected `:` after `%s`: a condition follows its key without a colon, "
                "as in `%s`", key, strcmp(key, "expect") == 0
                                       ? "expect count(risk where score >= 20) == 0"
                                       : "when score >= 15");
    else
      chg_error(p->ctx, CHG_E_SYNTAX, span,
                "unexpected `:` after `%s`: an attribute is its key then its values, "
                "without a colon (`as_of 2011-06-13`)", p->head_kind ? p->head_kind : key);
    return 0;
  }
  /* `status overall: green "..."`: a colon after a value that is no
   * period, read as a series' entry until the text after it */
  if (!p->in_expr && loc->start > 0) {
    char text[161];
    uint32_t from = loc->start > 160 ? loc->start - 160 : 0;
    size_t n = chg_parse_text(p, from, loc->start, text, sizeof text), k = n;
    while (k > 0 && text[k - 1] != '\n') k--;
    size_t key0 = k;
    while (key0 < n && (text[key0] == ' ' || text[key0] == '\t')) key0++;
    size_t key1 = key0;
    while (key1 < n && (isalnum((unsigned char)text[key1]) || text[key1] == '_')) key1++;
    size_t w0 = key1;
    while (w0 < n && (text[w0] == ' ' || text[w0] == '\t')) w0++;
    size_t w1 = w0;
    while (w1 < n && (isalnum((unsigned char)text[w1]) || text[w1] == '_')) w1++;
    if (n == loc->start - from && (k > 0 || from == 0) && key1 > key0 && w0 > key1 && w1 > w0 &&
        w1 < n && text[w1] == ':' && !isdigit((unsigned char)text[w0]) &&
        !written_as_period(text + w0, w1 - w0) && strchr(text + w1, '\n') == NULL) {
      size_t end = n;
      while (end > w1 + 1 && (text[end - 1] == ' ' || text[end - 1] == '\t')) end--;
      chg_error(p->ctx, CHG_E_SYNTAX, (chg_span){p->file->id, from + (uint32_t)w1, from + (uint32_t)w1 + 1},
                "unexpected `:` after `%.*s`: a `:` goes only between a period and its value in "
                "a series; write `%.*s %.*s%.*s ...` without it", (int)(w1 - w0), text + w0,
                (int)(key1 - key0), text + key0, (int)(w1 - w0), text + w0, (int)(end - w1 - 1),
                text + w1 + 1);
      return 0;
    }
  }
  if (p->last_token == '}' && p->unmatched_close) {
    chg_error(p->ctx, CHG_E_UNMATCHED_CLOSE, span, "unmatched `}`: no block is open here");
    return 0;
  }
  /* `2011/12: -£8.2m,, 2012/13: -£10.6m`, `[a,, b]` */
  if (strcmp(yysymbol_name(got), "','") == 0 && comma_before(p, loc->start)) {
    chg_error(p->ctx, CHG_E_SYNTAX, span,
              "unexpected `,`: an entry is missing between the two commas; write it there, "
              "or remove one `,`");
    return 0;
  }
  /* `money 2011/12 -£8.2m, 2012/13: -£10.6m`: the `:` of a series' first entry */
  char period[24], value[24];
  chg_span period_at;
  if (!p->in_expr && p->group_depth == 0 && strcmp(yysymbol_name(got), "','") == 0 &&
      series_colon_left_out(p, loc, period, value, sizeof period, &period_at)) {
    chg_error(p->ctx, CHG_E_SYNTAX, period_at,
              "a `:` is missing after `%s`: a series pairs each period with its value, "
              "as in `%s: %s`", period, period, value);
    return 0;
  }
  /* `target 25,000`, `as_of 13/06/2011`: a figure written as prose writes it */
  char around[4] = "";
  /* (in a condition too, for a comma: `expect count(x) == 25,876`) */
  if ((!p->in_expr || strcmp(yysymbol_name(got), "','") == 0) && loc->start > 0) {
    chg_parse_text(p, loc->start - 1, loc->start + 2, around, sizeof around);
  }
  bool between_digits = strlen(around) == 3 && around[0] >= '0' && around[0] <= '9' &&
                        around[2] >= '0' && around[2] <= '9';
  if (between_digits) {
    if (strcmp(yysymbol_name(got), "','") == 0) {
      /* `92,5%`: a comma for the decimal point, not a thousands separator
       * (which three digits follow) */
      char after[24] = "", before[24] = "";
      size_t na = chg_parse_text(p, loc->start + 1, loc->start + 1 + sizeof after - 1, after, sizeof after);
      uint32_t from = loc->start > sizeof before - 1 ? loc->start - (uint32_t)(sizeof before - 1) : 0;
      size_t nb = chg_parse_text(p, from, loc->start, before, sizeof before);
      size_t digits = 0, whole = nb;
      while (digits < na && after[digits] >= '0' && after[digits] <= '9') digits++;
      while (whole > 0 && ((before[whole - 1] >= '0' && before[whole - 1] <= '9') || before[whole - 1] == '_'))
        whole--;
      if (digits != 3) {
        chg_error(p->ctx, CHG_E_SYNTAX, span,
                  "unexpected `,` in a number: the decimal point is `.`, as in `%.*s.%.*s%s`",
                  (int)(nb - whole), before + whole, (int)digits, after,
                  digits < na && after[digits] == '%' ? "%" : "");
        return 0;
      }
      chg_error(p->ctx, CHG_E_SYNTAX, span,
                "unexpected `,` after a number: digits are grouped with `_`, as in `25_000`");
      return 0;
    }
    if (strcmp(yysymbol_name(got), "'/'") == 0) {
      chg_error(p->ctx, CHG_E_SYNTAX, span,
                "unexpected `/` after a number: a date is written YYYY-MM-DD, as in "
                "`2011-06-13`, and a financial year YYYY/YY");
      return 0;
    }
  }
  /* `confidence Amber/Red`: a level as the DCA's own tables write it */
  if (!p->in_expr && strcmp(yysymbol_name(got), "'/'") == 0 && loc->start >= 1) {
    char word[80];
    uint32_t from = loc->start > 32 ? loc->start - 32 : 0;
    size_t n = chg_parse_text(p, from, loc->start + 33, word, sizeof word);
    size_t at = loc->start - from, b = at, e = at + 1;
    while (b > 0 && (isalnum((unsigned char)word[b - 1]) || word[b - 1] == '_')) b--;
    while (e < n && (isalnum((unsigned char)word[e]) || word[e] == '_')) e++;
    if (b < at && e > at + 1 && isalpha((unsigned char)word[b]) && isalpha((unsigned char)word[at + 1])) {
      char meant[80];
      size_t k = 0;
      for (size_t i = b; i < e && k + 1 < sizeof meant; i++)
        meant[k++] = word[i] == '/' ? '_' : (char)tolower((unsigned char)word[i]);
      meant[k] = '\0';
      char dotted[80];
      memcpy(dotted, word + b, e - b);
      dotted[e - b] = '\0';
      for (char *c = dotted; *c; c++)
        if (*c == '/') *c = '.';
      /* `use std/rag`: the word before it on its line */
      bool after_use = word_before(word, b, "use");
      chg_span name_span = {p->file->id, from + (uint32_t)b, from + (uint32_t)e};
      /* `hook rules/escalation.lua`: a path left unquoted (an include's is
       * said at the name, where a string was wanted) */
      if (word_before(word, b, "hook")) {
        size_t end = b + path_length(word + b, n - b);
        name_span.end = from + (uint32_t)end;
        chg_error(p->ctx, CHG_E_SYNTAX, name_span,
                  "`%.*s` is a path: write it in quotes, as in `hook \"%.*s\"`", (int)(end - b),
                  word + b, (int)(end - b), word + b);
        return 0;
      }
      /* `Amber/Red` as a board paper prints a level, and `amber/green`,
       * whose words are the colours of one */
      bool capitals = false;
      for (size_t i = b; i < e; i++) capitals = capitals || isupper((unsigned char)word[i]);
      bool colours = colour_word(word + b, at - b) && colour_word(word + at + 1, e - at - 1);
      if (after_use)
        chg_error(p->ctx, CHG_E_SYNTAX, name_span,
                  "`%.*s` is not a module's name: its parts are joined with `.`, as in `use %s`",
                  (int)(e - b), word + b, dotted);
      else if (capitals || colours)
        chg_error(p->ctx, CHG_E_SYNTAX, name_span,
                  "`%.*s` is not a name: a level joins its words with `_`, as in `%s`%s",
                  (int)(e - b), word + b, meant,
                  /* a status is rated on `rag`, which std has in three colours */
                  p->head_kind && strcmp(p->head_kind, "status") == 0
                      ? ", where the scale has such a level (`std.rag` has red, amber and green; "
                        "`std.dca`, for `confidence`, has five)"
                      : "");
      else
        chg_error(p->ctx, CHG_E_SYNTAX, name_span,
                  "`%.*s` is not a name: a name joins its words with `_`, as in `%s`, and a "
                  "reference its parts with `.`, as in `%s`",
                  (int)(e - b), word + b, meant, dotted);
      return 0;
    }
  }
  /* `include programmes/drm.chg`: a path left unquoted */
  if (!p->in_expr && got == YYSYMBOL_IDENT && loc->start >= 8) {
    char before[24], path[200];
    uint32_t from = loc->start > 20 ? loc->start - 20 : 0;
    size_t n = chg_parse_text(p, from, loc->start, before, sizeof before);
    if (word_before(before, n, "include")) {
      size_t len = chg_parse_text(p, loc->start, loc->start + 190, path, sizeof path);
      size_t end = path_length(path, len);
      chg_error(p->ctx, CHG_E_SYNTAX, (chg_span){p->file->id, loc->start, loc->start + (uint32_t)end},
                "`%.*s` is a path: write it in quotes, as in `include \"%.*s\"`", (int)end, path,
                (int)end, path);
      if (!p->names) chg_include_lost(p->ctx); /* a piece's errors are renumbered */
      return 0;
    }
  }
  /* `.5`: a fraction written without its 0 */
  if (strcmp(yysymbol_name(got), "'.'") == 0) {
    char next[24];
    size_t n = chg_parse_text(p, loc->end, loc->end + 20, next, sizeof next), k = 0;
    while (k < n && isdigit((unsigned char)next[k])) k++;
    if (k > 0) {
      chg_error(p->ctx, CHG_E_SYNTAX, (chg_span){p->file->id, loc->start, loc->end + (uint32_t)k},
                "`.%.*s` is not a number: a number starts with a digit, as in `0.%.*s`",
                (int)k, next, (int)k, next);
      return 0;
    }
  }
  /* `(£8.5m)`: a negative amount as an account writes it */
  if (!p->in_expr && strcmp(yysymbol_name(got), "'('") == 0) {
    char next[4];
    size_t n = chg_parse_text(p, loc->end, loc->end + 2, next, sizeof next);
    bool figure = n > 0 && (next[0] == '-' || isdigit((unsigned char)next[0]) ||
                            (unsigned char)next[0] == 0xC2);
    chg_error(p->ctx, CHG_E_SYNTAX, span,
              figure ? "unexpected `(`: values are not bracketed; a negative amount is written "
                       "with a minus sign, as in `-\xC2\xA3" "8.5m`"
                     : "unexpected `(`: brackets group only in a condition (`when`, `expect`)");
    return 0;
  }
  /* `tags a, b`, `impact { unit BCU, level 1 }` */
  if (!p->in_expr && p->group_depth == 0 && strcmp(yysymbol_name(got), "','") == 0 &&
      p->head_tokens >= 2) {
    /* `level` in a scale, not an impact's `level medium, period ...` */
    bool in_scale = p->nopen > 0 && p->open[p->nopen - 1].kind &&
                    strcmp(p->open[p->nopen - 1].kind, "scale") == 0;
    const chg_attr_spec *head_attr = p->head_kind ? attr_of_open_block(p, p->head_kind) : NULL;
    if (p->head_kind && strcmp(p->head_kind, "level") == 0 && in_scale)
      chg_error(p->ctx, CHG_E_SYNTAX, span,
                "unexpected `,`: a scale has one `level` a line, worst first, as in "
                "`level red \"Red\"`");
    else if (p->head_kind && strcmp(p->head_kind, "on") == 0)
      chg_error(p->ctx, CHG_E_SYNTAX, span,
                "unexpected `,`: a rule is on one kind of block; for two kinds, write two rules");
    else if (head_attr && head_attr->series != CHG_S_NONE)
      /* `money -£8.2m, -£10.6m`: the values of a series without their periods */
      chg_error(p->ctx, CHG_E_SYNTAX, span,
                "unexpected `,`: each value of the series of `%s` follows its period, as in "
                "`%s 2011/12: -£8.2m, 2012/13: -£10.6m`", p->head_kind, p->head_kind);
    else
      chg_error(p->ctx, CHG_E_SYNTAX, span,
              "unexpected `,`: attributes on one line are separated by `;`, and a list "
              "of values is written in brackets, as in `tags [a, b]`");
    return 0;
  }
  /* `use` or `include` with nothing after it on the line */
  if (got == YYSYMBOL_NL || strcmp(yysymbol_name(got), "';'") == 0) {
    char before[9] = "";
    chg_parse_text(p, p->before_last_loc.start, p->before_last_loc.end, before, sizeof before);
    bool use = strcmp(before, "use") == 0, include = strcmp(before, "include") == 0;
    if (use || include) {
      chg_error(p->ctx, CHG_E_SYNTAX, span,
                use ? "`use` needs the module it brings in, as in `use std.rag`"
                    : "`include` needs the file or pattern it reads, in quotes, as in "
                      "`include \"programmes/*.chg\"`");
      return 0;
    }
  }
  enum { MAX_EXPECTED = 24 };
  yysymbol_kind_t all[MAX_EXPECTED], expected[MAX_EXPECTED];
  int total = yypcontext_expected_tokens(ctx, all, MAX_EXPECTED);
  int n = 0;
  bool closes_group = false;
  for (int i = 0; i < total; i++) {
    const char *name = yysymbol_name(all[i]);
    if (strcmp(name, "']'") == 0 || strcmp(name, "')'") == 0) closes_group = true;
    if (!noise(all[i])) expected[n++] = all[i];
  }
  char what[96];
  unexpected_text(p, got, loc, what, sizeof what);
  switch (p->in_expr ? YYSYMBOL_YYEOF : got) {
  case YYSYMBOL_USE: case YYSYMBOL_INCLUDE: case YYSYMBOL_WHEN: case YYSYMBOL_EXPECT:
  case YYSYMBOL_WHERE: case YYSYMBOL_AND: case YYSYMBOL_OR: case YYSYMBOL_NOT:
  case YYSYMBOL_IN:
    strncat(what, " (a reserved word, which cannot be an id or a value)",
            sizeof what - strlen(what) - 1);
    /* `status in progress`: a level of two words, the first reserved */
    if (!p->in_expr) {
      char next[40];
      size_t read = chg_parse_text(p, loc->end, loc->end + 34, next, sizeof next), b = 0;
      while (b < read && (next[b] == ' ' || next[b] == '\t')) b++;
      size_t e = b;
      while (e < read && (isalnum((unsigned char)next[e]) || next[e] == '_')) e++;
      /* `status in-progress`: a name written with `-` for `_` */
      size_t h = 1;
      while (h < read && (isalnum((unsigned char)next[h]) || next[h] == '_' ||
                          (next[h] == '-' && h + 1 < read && isalpha((unsigned char)next[h + 1]))))
        h++;
      if (read > 1 && next[0] == '-' && isalpha((unsigned char)next[1]) && h < read) {
        char word[40], fixed[40];
        size_t wl = chg_parse_text(p, loc->start, loc->end, word, sizeof word);
        snprintf(word + wl, sizeof word - wl, "%.*s", (int)h, next);
        memcpy(fixed, word, sizeof fixed);
        for (char *c = fixed; *c; c++)
          if (*c == '-') *c = '_';
        chg_error(p->ctx, CHG_E_SYNTAX, (chg_span){p->file->id, loc->start, loc->end + (uint32_t)h},
                  "`%s` is not a name: a name joins its words with `_`, not `-`, as in `%s`",
                  word, fixed);
        return 0;
      }
      if (b > 0 && e > b && e < read && isalpha((unsigned char)next[b])) {
        char word[16];
        chg_parse_text(p, loc->start, loc->end, word, sizeof word);
        for (char *c = word; *c; c++) *c = (char)tolower((unsigned char)*c);
        chg_error(p->ctx, CHG_E_SYNTAX, span,
                  "unexpected %s; a name of several words joins them with `_`, as in `%s_%.*s`",
                  what, word, (int)(e - b), next + b);
        return 0;
      }
    }
    break;
  default:
    break;
  }
  /* `tags [a, b` and the next item on the next line: the list's `]` left
   * out, said at the `[`, where it is mended */
  if (!p->in_expr && p->group_depth > 0 && p->group_spans_lines && closes_group) {
    char before_it[81];
    uint32_t back = loc->start > 80 ? loc->start - 80 : 0;
    size_t nb = chg_parse_text(p, back, loc->start, before_it, sizeof before_it);
    bool whole = nb == loc->start - back;
    while (nb > 0 && (before_it[nb - 1] == ' ' || before_it[nb - 1] == '\t')) nb--;
    bool opens_line = whole && nb > 0 && before_it[nb - 1] == '\n';
    char open[4] = "";
    if (opens_line && nb > 1 && before_it[nb - 2] != ',')
      chg_parse_text(p, p->group_open.start, p->group_open.end, open, sizeof open);
    if (open[0] == '[') {
      chg_error(p->ctx, CHG_E_SYNTAX, SPAN(p->group_open),
                "this list is not closed: end it with `]` on its line (a list goes on to the "
                "next line only after a `,`)");
      end_group(p);
      return 0;
    }
  }
  if (n <= 0 || n > 5 || total == 0) {
    chg_error(p->ctx, CHG_E_SYNTAX, span, "unexpected %s", what);
  } else {
    char list[320] = "";
    size_t k = 0;
    for (int i = 0; i < n && k < sizeof list; i++) {
      char one[64];
      expected_text(expected[i], one, sizeof one);
      k += (size_t)snprintf(list + k, sizeof list - k, "%s%s",
                            i == 0 ? "" : i == n - 1 ? " or " : ", ", one);
    }
    chg_error(p->ctx, CHG_E_SYNTAX, span, "unexpected %s; expected %s", what, list);
  }
  /* only where the bracket ran on past its line, or its block ended: a
   * stray word in `[and, or]` says nothing of the bracket */
  bool run_ended = got == YYSYMBOL_NL || got == YYSYMBOL_YYEOF ||
                   strcmp(yysymbol_name(got), "'}'") == 0 || p->group_spans_lines;
  if (closes_group && (p->group_cut || (p->group_depth > 0 && run_ended)))
    chg_note(p->ctx, SPAN(p->group_open), "the bracket opened here is not closed");
  /* a bracket left open that ran on to later lines ends here, so that
   * recovery stops at the end of this line, not at the next `{`, which
   * would be taken for a block the bracket's item opens */
  if (p->group_depth > 0 && p->group_spans_lines) end_group(p);
  return 0;
}

/* `rationale` alone on its line, and its text on the next: the text is
 * taken as its value, so that one error says what happened and the
 * attribute is checked as meant. */
static bool text_of_bare_key(chg_parser *p, YYLTYPE at, const chg_value *text) {
  chg_node *key = p->last_item;
  if (!key || key->kind != CHG_N_ATTR || key->has_expr || key->nargs || key->nseries || !key->key ||
      chg_schema_find_kind(key->key) /* `risk` alone: a block, as its own error says */ ||
      text->kind != CHG_V_STRING ||
      chg_parse_line(p, at.start) != chg_parse_line(p, key->span.start) + 1)
    return false;
  /* new_item left room for it */
  chg_node_args(key)[0] = *text;
  key->nargs = 1;
  key->span.end = at.end;
  char opening[4];
  bool long_string = chg_parse_quote(p, at.start, at.start + 3, opening, sizeof opening) == 3 &&
                     !memcmp(opening, "\"\"\"", 3);
  chg_error(p->ctx, CHG_E_SYNTAX, SPAN(at),
            "the text of `%s` starts on the line after its key: a value goes on its key's "
            "line, as in `%s %s`%s", key->key, key->key, long_string ? "\"\"\"" : "\"...\"",
            long_string ? ", with the text on the lines below it" : "");
  return true;
}

/* A string where an item starts: most often a title or a text that went
 * on to a line of its own, the head or the attribute it belongs to on the
 * line above. */
static void stray_string(chg_parser *p, YYLTYPE at, const chg_value *value, bool opens_block) {
  if (!opens_block && text_of_bare_key(p, at, value)) return;
  char text[48], before[33];
  size_t n = chg_parse_quote(p, at.start, at.end, text, sizeof text);
  char *line_end = memchr(text, '\n', n); /* a long string: its first line */
  if (line_end) *line_end = '\0';
  const char *more = at.end - at.start > n || line_end ? "..." : "";
  uint32_t from = at.start > 32 ? at.start - 32 : 0;
  size_t k = chg_parse_quote(p, from, at.start, before, sizeof before);
  while (k > 0 && (before[k - 1] == ' ' || before[k - 1] == '\t')) k--;
  if (opens_block)
    chg_error(p->ctx, CHG_E_SYNTAX, SPAN(at),
              "unexpected `%s%s` at the start of a line: a block's head is one line, its "
              "kind, id and title, then `{`, as in `programme drm \"Developing Resource "
              "Management\" {`", text, more);
  else if (k > 0 && before[k - 1] == '{')
    chg_error(p->ctx, CHG_E_SYNTAX, SPAN(at),
              "unexpected `%s%s` inside the block: a block's title goes before its `{`, "
              "as in `programme drm \"Developing Resource Management\" {`", text, more);
  else
    chg_error(p->ctx, CHG_E_SYNTAX, SPAN(at),
              "unexpected `%s%s` where an item starts: an item starts with its key, and a "
              "text goes on the line of its key, as in `rationale \"...\"` (a text of "
              "several lines is a long string, between `\"\"\"`)", text, more);
}

static void brace_on_own_line(chg_parser *p, const chg_node *block, YYLTYPE brace) {
  /* an attribute's key (`status`), which is no kind of block */
  if (!p->any_lone_brace && !chg_schema_find_kind(block->key) &&
      chg_schema_is_attribute(block->key)) {
    /* parse.c drops it if the file then ends with a block open */
    p->any_lone_brace = true;
    p->lone_brace_at = brace.start;
    p->lone_brace_block = block;
  }
  const chg_value *id = block->nargs ? &chg_node_args(block)[0] : NULL;
  bool named = id && id->kind == CHG_V_NAME && id->aux == 1;
  chg_error(p->ctx, CHG_E_SYNTAX, SPAN(brace),
            "`{` on a line of its own: a block's `{` ends the line of its head, as in `%s%s%s ... {`",
            block->key, named ? " " : "", named ? id->u.name : "");
}
