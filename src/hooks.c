/*
 * hooks.c -- the Lua 5.4 bridge: programme managers' escalation rules,
 * run sandboxed.
 *
 * A hook file is untrusted.  It runs in one Lua state per run with only
 * the base, string, table, math, utf8 and coroutine libraries and an `os`
 * that tells the time; the libraries are frozen and each file has its own
 * environment.  An instruction budget (per file, sticky once spent, kept
 * here rather than in the Lua thread so coroutines and pcall cannot reset
 * it) and a memory cap bound what it may take.  Entities reach Lua as
 * read-only userdata; what a hook decides comes back through `chg.*` and
 * is recorded with the file and line it came from.
 */
#define _GNU_SOURCE /* clock_gettime, realpath, memmem */
#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include <lauxlib.h>
#include <lua.h>
#include <lualib.h>

#include "eval.h"
#include "format.h"
#include "value.h"

/* A coroutine running, and the one (or the main thread) that resumed it:
 * the line of the hook file that resumed a coroutine is found through them. */
typedef struct resumed {
  lua_State *co;
  struct resumed *outer;
} resumed;

enum { UNKNOWN_FIELDS_SAID = 32 }; /* names no entity has, said a hook file */

typedef struct bridge {
  chg_eval *ev;
  chg_ctx *ctx;
  lua_State *L;
  struct resumed *resumed;  /* the coroutines running, innermost first */
  int closing;              /* coroutine.close calls inside each other */
  /* The entity whose `status` was read last, and the level it read: so
   * that `p.status.overall` reads p's criterion, as `status.overall`
   * does in an expression, though a status is a plain string. */
  chg_node *status_read;
  const char *status_level;
  /* memory */
  size_t used, cap;
  bool out_of_memory;
  /* the hook file running now */
  chg_file *file;           /* its text, registered so diagnostics can quote it */
  const char *path;
  uint64_t budget, spent;
  bool exhausted;           /* sticky: every later count hook fails too */
  bool timed_out;           /* exhausted by the clock, not the count */
  struct timespec deadline; /* for work inside library calls the count misses */
  bool reported;            /* one diagnostic per file for a limit hit */
  bool refused;             /* an allocation was refused and not yet asked
                               for again: Lua's core collects and asks once
                               more, and a second refusal is a real failure;
                               lauxlib's buffers (table.concat, gsub,
                               string.format, os.date) never ask again, so a
                               refusal still pending later is one too */
  size_t refused_size;      /* what it asked for */
  int refused_line;         /* the hook line running when it was refused */
  int limit_line;           /* the line running when a limit was hit */
  int last_line;            /* the hook line seen last by the count hook */
  int error_line;           /* the hook line where the last error was raised */
  /* the names no entity has that the running hook file has read, said
   * once each, up to UNKNOWN_FIELDS_SAID */
  const char *unknown_fields[UNKNOWN_FIELDS_SAID];
  unsigned nunknown_fields;
  bool more_unknown_said;   /* that there were more than that */
  int caller_line;          /* and the hook file's line that called the
                               function it was raised in, when that is the
                               file's too: the call that led to the error */
  int entry_line;           /* where the on_* function being called is named:
                               an error in it that no line of the file
                               raised (it is a C function) is placed there */
  size_t kept, logs;        /* bytes chg keeps from hooks; log lines */
  chg_names texts;          /* what chg keeps, each text once: a reason
                               given on each of a million risks is one */
  chg_map block_lists;      /* the blocks of one kind inside a block with
                               many (and the portfolio), listed once */
  bool portfolio_criteria_stale; /* a hook set a status since the
                               portfolio's criteria were worked out */
  /* The portfolio's `status`, the worst of all the top-level work's: kept
   * until a hook sets a status, since a walk of all the work at each read
   * (`p.parent.status` from each of 100,000 projects) was minutes in C
   * that no budget saw. */
  chg_rv portfolio_status;
  bool portfolio_status_known;
} bridge;

enum { MAX_LOGS = 1000 };   /* log notes per hook file */

enum { COUNT_STEP = 1000 }; /* instructions between budget checks */
/* What the count does not see, in instructions of about the same time
 * (an instruction is some 2 ns on a release build): filling 16 bytes of a
 * small block; 4 bytes of a large one, which malloc maps fresh from the
 * kernel and every page of which faults in (measured: a 1 MB string made
 * over and over took 3 ms each); and a switch into a coroutine and back,
 * some 50 instructions' time in plain Lua 5.4 and twice that through the
 * tracking below. */
enum {
  SMALL_BYTES_PER_INSTRUCTION = 16,
  LARGE_BYTES_PER_INSTRUCTION = 4,
  LARGE_BLOCK = 128 * 1024, /* glibc's first threshold for mapping a block */
  RESUME_COST = 100
};

static const char VIEW[] = "chg.entity";
static const char BRIDGE_KEY[] = "chg.bridge";
static const char PORTFOLIO_CRITERIA[] = "chg.portfolio_criteria";
static const char RANDOMSEED[] = "chg.randomseed";

/* ---- memory ------------------------------------------------------------- */

static int hook_line(lua_State *L, bridge *b);
/* The thread running Lua now: the innermost coroutine, else the main one. */
static lua_State *running_thread(const bridge *b) { return b->resumed ? b->resumed->co : b->L; }
static int running_line(lua_State *L, bridge *b);

static void count_hook(lua_State *L, lua_Debug *ar);

/* A limit passed inside a library call (string.rep of 30 MB, a buffer
 * refused) is said at the next instruction, not up to a count step later:
 * a loop of such calls ran 250 of them, 25 s, before the count saw one.
 * lua_sethook may be called from anywhere, even an allocation. */
static void fail_at_next_instruction(bridge *b) {
  if (!b->path) return; /* no hook file is running */
  if (!b->limit_line) b->limit_line = running_line(running_thread(b), b);
  lua_sethook(b->L, count_hook, LUA_MASKCOUNT, 1);
  if (b->resumed) lua_sethook(b->resumed->co, count_hook, LUA_MASKCOUNT, 1);
}

static void *lua_alloc(void *ud, void *ptr, size_t osize, size_t nsize) {
  bridge *b = ud;
  if (!ptr) osize = 0;
  if (nsize == 0) {
    if (ptr) chg_mem_free(&b->ctx->al, ptr, osize);
    b->used -= osize;
    return NULL;
  }
  if (nsize > osize && b->used - osize + nsize > b->cap) {
    /* Lua collects garbage and asks once more: refused twice, it has failed,
     * and that sticks (the count hook keeps failing).  No message handler
     * runs for a memory error: the line is noted now (reading the stack
     * allocates nothing). */
    int line = b->path ? running_line(running_thread(b), b) : 0;
    if (b->refused && !b->out_of_memory) {
      b->out_of_memory = true;
      if (!b->limit_line) b->limit_line = line ? line : b->refused_line;
      fail_at_next_instruction(b);
    }
    if (!b->refused) {
      b->refused_line = line;
      /* Lua now collects everything before it asks again: a walk of all
       * the hook's memory, charged as if it were allocated anew, or a hook
       * that keeps its memory near the cap and makes a little garbage in
       * a loop has a full collection for every block (fifteen seconds
       * inside the budget) */
      b->spent += b->used / SMALL_BYTES_PER_INSTRUCTION;
    }
    b->refused = true;
    b->refused_size = nsize;
    return NULL;
  }
  void *p = b->ctx->al.realloc(b->ctx->al.ud, ptr, osize, nsize);
  if (!p && !ptr) p = b->ctx->al.alloc(b->ctx->al.ud, nsize);
  if (!p) return NULL;
  if (b->refused && nsize >= b->refused_size) b->refused = false; /* asked again, and had */
  b->used = b->used - osize + nsize;
  if (nsize > osize) {
    b->spent += (nsize - osize) / (nsize >= LARGE_BLOCK ? LARGE_BYTES_PER_INSTRUCTION
                                                        : SMALL_BYTES_PER_INSTRUCTION);
    if (b->spent > b->budget && !b->exhausted) {
      b->exhausted = true;
      fail_at_next_instruction(b);
    }
  }
  return p;
}

static bridge *bridge_of(lua_State *L) {
  lua_getfield(L, LUA_REGISTRYINDEX, BRIDGE_KEY);
  bridge *b = lua_touserdata(L, -1);
  lua_pop(L, 1);
  return b;
}

/* Up to 40 bytes of s, with what is not printable ASCII as `?`: a name
 * quoted in a message, whatever the hook gave */
static const char *quoted_name(const char *s, size_t len, char out[48]) {
  size_t n = len < 40 ? len : 40;
  for (size_t i = 0; i < n; i++) out[i] = s[i] > ' ' && s[i] < 0x7F ? s[i] : '?';
  strcpy(out + n, len > 40 ? "..." : "");
  return out;
}

/* A text's field: one of the string functions, or an error.  Lua's own
 * answer, nil, hid a mistake the views invite: a status is its level
 * alone ("red"), so `p.status.overall` was nil, never red. */
static void push_entity(lua_State *L, chg_node *n);

static int string_field(lua_State *L) {
  lua_pushvalue(L, 2);
  lua_rawget(L, lua_upvalueindex(1));
  if (!lua_isnil(L, -1) || lua_type(L, 2) != LUA_TSTRING) return 1; /* s[1]: nil, as in Lua */
  size_t len;
  const char *key = lua_tolstring(L, 2, &len), *text = lua_tostring(L, 1);
  char name[48];
  quoted_name(key, len, name);
  bridge *b = bridge_of(L);
  const chg_scale *rag = b && b->ev ? b->ev->rag : NULL;
  /* `p.status.overall`: the status just read, of p, indexed by a
   * criterion; p's criteria say, nil for one it does not have */
  if (b && b->status_read && b->status_level && strcmp(b->status_level, text) == 0) {
    push_entity(L, b->status_read);
    lua_getfield(L, -1, "criteria");
    lua_getfield(L, -1, key);
    return 1;
  }
  for (uint32_t i = 0; rag && i < rag->nlevels; i++)
    if (strcmp(rag->levels[i], text) == 0)
      return luaL_error(L, "`%s` of the status \"%s\": a status is its level alone, and "
                           "reads a criterion only straight after it is read (`p.status.%s`); "
                           "otherwise read one as `criteria.%s`, as in `p.criteria.%s`",
                        name, text, name, name, name);
  if (strcmp(key, "dump") == 0) return luaL_error(L, "`string.dump` is not available to hooks");
  return luaL_error(L, "a text has no field `%s`: only the functions of `string`, "
                       "as in `text:upper()`", name);
}

/* ---- the instruction budget ------------------------------------------------ */

/* How deep the stack is searched for the file's line.  lua_getstack walks
 * from the top to the level asked for, so a search is quadratic in its
 * depth: 128 levels is some 8,000 steps, made at every budget check and
 * API call, where 4,096 was 8 million (a recursion 5,000 deep in a chunk
 * load() made spent its thirty seconds here, not in Lua).  Deeper than
 * this, the line is the last one seen; only for the line a limit or an
 * error is said at is it searched deeper, once. */
enum { HOOK_LINE_DEPTH = 128, FAILURE_LINE_DEPTH = 4096 };

/* The innermost line of the hook file on L's stack, within `depth` levels
 * (a chunk that load() made has lines of its own, which are not the
 * file's). */
static int hook_line_within(lua_State *L, bridge *b, int depth) {
  lua_Debug ar;
  for (int level = 0; level < depth && lua_getstack(L, level, &ar); level++) {
    if (!lua_getinfo(L, "Sl", &ar) || ar.currentline <= 0) continue;
    if (ar.source[0] == '@' && strcmp(ar.source + 1, b->path) == 0) return ar.currentline;
  }
  return 0;
}

static int hook_line(lua_State *L, bridge *b) { return hook_line_within(L, b, HOOK_LINE_DEPTH); }

/* The line of the second of the hook file's functions on L's stack, from
 * the innermost (an error in a helper): the line that called the function
 * that raised it; else 0. */
static int hook_caller_line(lua_State *L, bridge *b) {
  lua_Debug ar;
  int frames = 0;
  for (int level = 0; level < HOOK_LINE_DEPTH && lua_getstack(L, level, &ar); level++) {
    if (!lua_getinfo(L, "Sl", &ar) || ar.currentline <= 0) continue;
    if (ar.source[0] == '@' && strcmp(ar.source + 1, b->path) == 0 && ++frames == 2)
      return ar.currentline;
  }
  return 0;
}

/* The line of the hook file for what runs on L: the innermost of the
 * file's on its stack; in a coroutine with none, the main thread's (the
 * line that resumed it); in a chunk load() made that chg calls directly
 * (`on_risk = load(...)`), the line naming the on_* function.  0 when
 * none is known. */
static int running_line(lua_State *L, bridge *b) {
  int line = hook_line(L, b);
  /* out through the coroutines that resumed it, to the main thread */
  for (const resumed *r = b->resumed; !line && r; r = r->outer)
    line = hook_line(r->outer ? r->outer->co : b->L, b);
  if (!line && L != b->L) line = hook_line(b->L, b);
  return line ? line : b->entry_line;
}

/* The count sees Lua's instructions, not the work inside a library call
 * (comparing two long strings): processor time bounds that, at thirty times
 * what the budget should take -- a last resort against a hang, far above
 * what a hook within its budget takes even in a sanitizer build on a busy
 * machine, so that it never decides an ordinary run. */
enum { SECONDS_PER_BUDGET = 30 };
static const uint64_t BUDGET_PER_SECOND = CHG_HOOK_INSTRUCTIONS_DEFAULT;

static uint64_t seconds_allowed(const bridge *b) {
  uint64_t seconds = b->budget / BUDGET_PER_SECOND * SECONDS_PER_BUDGET;
  return seconds < SECONDS_PER_BUDGET ? SECONDS_PER_BUDGET : seconds;
}

static void start_clock(bridge *b) {
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &b->deadline);
  b->deadline.tv_sec += (time_t)seconds_allowed(b);
}

static bool past_deadline(const bridge *b) {
  struct timespec now;
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &now);
  return now.tv_sec > b->deadline.tv_sec ||
         (now.tv_sec == b->deadline.tv_sec && now.tv_nsec > b->deadline.tv_nsec);
}

/* A refusal no one asked again after was a buffer's (see `refused`): the
 * memory limit, as much as any, though the library said it as an error
 * pcall could catch. */
static void refusal_sticks(bridge *b) {
  if (!b->refused || b->out_of_memory) return;
  b->out_of_memory = true;
  if (!b->limit_line) b->limit_line = b->refused_line;
}

static void count_hook(lua_State *L, lua_Debug *ar) {
  (void)ar;
  bridge *b = bridge_of(L);
  refusal_sticks(b);
  b->spent += COUNT_STEP;
  int line = hook_line(L, b);
  if (line) b->last_line = line;
  if (b->spent > b->budget) b->exhausted = true;
  if (!b->exhausted && past_deadline(b)) b->exhausted = b->timed_out = true;
  if (!b->exhausted && !b->out_of_memory) return;
  if (!line && !b->limit_line) line = hook_line_within(L, b, FAILURE_LINE_DEPTH);
  if (!line) line = running_line(L, b);
  if (!b->limit_line) b->limit_line = line ? line : b->last_line;
  /* From now on fail at every instruction, or a loop of pcalls would only
   * ever be interrupted inside the pcall that swallows the error. */
  lua_sethook(L, count_hook, LUA_MASKCOUNT, 1);
  luaL_error(L, b->exhausted ? "chg: instruction budget spent" : "chg: memory limit reached");
}

/* Charges work done in one C call, which the count does not see: past the
 * budget, the budget is spent for good and the call is not made. */
static void spend(lua_State *L, bridge *b, double instructions) {
  b->spent += instructions > 1e15 ? (uint64_t)1e15 : (uint64_t)instructions;
  if (b->spent <= b->budget) return;
  b->exhausted = true;
  if (!b->limit_line) b->limit_line = running_line(L, b);
  luaL_error(L, "chg: instruction budget spent");
}

/* ---- diagnostics at Lua lines --------------------------------------------------- */

/* The span of a line of the running hook file, found in the file's line
 * index: every flag and status a hook records is placed at its line, and
 * a walk of the text for each made a hook of 2,000 lines flagging 100,000
 * risks take twenty seconds. */
static chg_span line_span(bridge *b, int line) {
  chg_file *f = b->file;
  if (!f || line < 1) return (chg_span){f ? f->id : 0, 0, 0};
  chg_file_index_lines(b->ctx, f);
  if ((size_t)line > f->lines.count) return (chg_span){f->id, (uint32_t)f->len, (uint32_t)f->len};
  uint32_t start = chg_lines_start(&f->lines, (size_t)line - 1);
  uint32_t end = (size_t)line < f->lines.count ? chg_lines_start(&f->lines, (size_t)line) - 1
                                               : (uint32_t)f->len;
  while (start < end && (f->text[start] == ' ' || f->text[start] == '\t')) start++;
  return (chg_span){f->id, start, end};
}

/* Where on `line` the block Lua says is left open begins: the last `(`,
 * `{` or `[` not closed on the line, or the last `function`, `do`, `if`...
 * written there; else the line. */
static chg_span opener_span(bridge *b, int line, const char *opener) {
  chg_span whole = line_span(b, line);
  const char *t = b->file ? b->file->text : NULL;
  if (!t || whole.end <= whole.start) return whole;
  size_t n = strlen(opener);
  uint32_t found = UINT32_MAX;
  if (n == 1 && strchr("({[", opener[0])) {
    char close = opener[0] == '(' ? ')' : opener[0] == '{' ? '}' : ']';
    uint32_t open[64];
    unsigned depth = 0;
    for (uint32_t i = whole.start; i < whole.end; i++) {
      if (t[i] == '"' || t[i] == '\'') { /* a string on the line: its brackets are text */
        char q = t[i];
        for (i++; i < whole.end && t[i] != q; i++)
          if (t[i] == '\\') i++;
      } else if (t[i] == opener[0] && depth < 64) {
        open[depth++] = i;
      } else if (t[i] == close && depth) {
        depth--;
      }
    }
    if (depth) found = open[depth - 1];
  } else {
    for (uint32_t i = whole.start; i + n <= whole.end; i++)
      if (memcmp(t + i, opener, n) == 0 &&
          (i == whole.start || !(isalnum((unsigned char)t[i - 1]) || t[i - 1] == '_')) &&
          (i + n == whole.end || !(isalnum((unsigned char)t[i + n]) || t[i + n] == '_')))
        found = i;
  }
  if (found == UINT32_MAX) return whole;
  return (chg_span){whole.file, found, found + (uint32_t)n};
}

static long count_lines(bridge *b) {
  if (!b->file) return 1;
  chg_file_index_lines(b->ctx, b->file);
  return (long)b->file->lines.count;
}

/* The length of the "path" that starts a message Lua wrote at a line of
 * the running hook file, before its ':', or 0.  Lua names a file by the
 * end of its path when the whole would pass LUA_IDSIZE bytes, as
 * "...rules/2022/escalation.lua", so that a long path's message was not
 * read as one of the file's: a syntax error was placed at line 1. */
static size_t path_in_message(const bridge *b, const char *msg) {
  size_t n = strlen(b->path);
  if (n + 1 <= LUA_IDSIZE) return strncmp(msg, b->path, n) == 0 && msg[n] == ':' ? n : 0;
  size_t tail = LUA_IDSIZE - 4; /* after "...", with room for the NUL */
  if (n < tail) tail = n;
  return strncmp(msg, "...", 3) == 0 && strncmp(msg + 3, b->path + n - tail, tail) == 0 &&
                 msg[3 + tail] == ':'
             ? 3 + tail
             : 0;
}

/* Lua's messages start "path:line: "; the span comes from the line. */
static chg_span span_of_message(bridge *b, const char *msg, const char **rest) {
  *rest = msg;
  size_t n = path_in_message(b, msg);
  if (n) {
    const char *p = msg + n + 1;
    long line = 0;
    int digits = 0;
    while (*p >= '0' && *p <= '9' && digits < 9) {
      line = line * 10 + (*p++ - '0');
      digits++;
    }
    /* a hook can write any text in an error: only a line the file has is
     * taken as a position */
    if (*p == ':' && line >= 1 && line <= count_lines(b)) {
      *rest = p[1] == ' ' ? p + 2 : p + 1;
      /* the end of the file, after its last newline, is on its last line */
      const chg_file *f = b->file;
      if (line > 1 && line == count_lines(b) && f && f->len && f->text[f->len - 1] == '\n') line--;
      return line_span(b, (int)line);
    }
  }
  return line_span(b, b->error_line);
}

/* The line of the hook file that called into chg: the innermost on the
 * stack, so that pcall(chg.flag, ...), whose caller is C, and a chunk
 * load() made, whose lines are not the file's, still give the file's. */
static int caller_line(lua_State *L, bridge *b) {
  int line = running_line(L, b);
  return line ? line : b->last_line;
}

enum { HOOK_TEXT_MAX = 4096 }; /* bytes of a hook's text kept, then `...` */

/* Text a hook wrote, made safe to print: a newline or an escape sequence
 * could otherwise forge a diagnostic line or drive the terminal, and bytes
 * that are not UTF-8 would make the JSON report invalid.  Controls (NUL
 * included) are shown escaped, a byte that is not UTF-8 as U+FFFD. */
enum { PRINTABLE_MAX = HOOK_TEXT_MAX + 16 }; /* a step writes at most 4 bytes, then `...` */

static size_t printable_into(char out[PRINTABLE_MAX], const char *s, size_t len) {
  size_t n = 0, i = 0;
  while (i < len && n < HOOK_TEXT_MAX) {
    unsigned char c = (unsigned char)s[i];
    /* what is kept ends at HOOK_TEXT_MAX bytes at most: a step that would
     * pass it is not taken, so a character is never cut, nor kept past it */
    size_t step = c == '\n' || c == '\t' ? 2 : c < 0x20 || c == 0x7f ? 4 : 1;
    if (c >= 0x80) {
      size_t k = chg_utf8_sequence((const unsigned char *)s + i, len - i);
      step = k ? k : 3;
    }
    if (n + step > HOOK_TEXT_MAX) break;
    if (c == '\n' || c == '\t') {
      out[n++] = '\\';
      out[n++] = c == '\n' ? 'n' : 't';
    } else if (c < 0x20 || c == 0x7f) {
      snprintf(out + n, 5, "\\x%02x", c);
      n += 4;
    } else if (c >= 0x80) {
      size_t k = chg_utf8_sequence((const unsigned char *)s + i, len - i);
      if (k) memcpy(out + n, s + i, k);
      else memcpy(out + n, "\xEF\xBF\xBD", 3);
      n += k ? k : 3;
      i += k ? k : 1;
      continue;
    } else {
      out[n++] = (char)c;
    }
    i++;
  }
  if (i < len) {
    memcpy(out + n, "...", 3);
    n += 3;
  }
  out[n] = '\0';
  return n;
}

static void put_printable(bridge *b, chg_buf *out, const char *s, size_t len) {
  char text[PRINTABLE_MAX];
  size_t n = printable_into(text, s, len);
  chg_buf_put(&b->ctx->al, out, text, n);
}

/* The same, for a call that only reads it (a reason chg may not keep, a
 * value quoted in an error): a Lua string on L's stack, which lives as
 * long as the call and is Lua's memory, counted against the hook's limit,
 * where a copy in chg's arena would be kept, uncounted, for the run. */
static const char *printable_here(lua_State *L, const char *s, size_t len) {
  char text[PRINTABLE_MAX];
  size_t n = printable_into(text, s, len);
  lua_pushlstring(L, text, n);
  return lua_tostring(L, -1);
}

static const char *printable_n(bridge *b, const char *s, size_t len) {
  chg_buf out = {0};
  put_printable(b, &out, s, len);
  const char *r = chg_arena_strndup(&b->ctx->arena, out.data ? out.data : "", out.len);
  chg_buf_release(&b->ctx->al, &out);
  return r;
}

static const char *printable(bridge *b, const char *s) { return printable_n(b, s, strlen(s)); }

/* Reports what a failed call left on the stack: never through a user
 * metamethod (an error object's __tostring could loop). */
/* `io.open` in a hook is `attempt to index a nil value (global 'io')`,
 * which reads as a bug in the hook, not a rule of the sandbox: a note
 * says what the sandbox leaves out. */
static void note_left_out(bridge *b, const char *msg, chg_span span) {
  static const char *const globals[] = {"io", "package", "debug", "require", "dofile", "loadfile",
                                        "warn"};
  static const char *const os_fields[] = {"execute", "exit", "getenv", "remove", "rename",
                                          "tmpname", "setlocale"};
  char name[16];
  const char *g = strstr(msg, "(global '"), *f = strstr(msg, "(field '");
  const char *from = g ? g + 9 : f ? f + 8 : NULL;
  size_t n = from ? strcspn(from, "'") : 0;
  if (!from || n == 0 || n >= sizeof name || from[n] != '\'') return;
  memcpy(name, from, n);
  name[n] = '\0';
  for (size_t i = 0; g && i < sizeof globals / sizeof globals[0]; i++)
    if (strcmp(name, globals[i]) == 0) {
      chg_note(b->ctx, span,
               "a hook runs in a sandbox with no `io`, `package`, `debug`, `require`, `dofile`, "
               "`loadfile` or `warn`: it reads the portfolio from the entities it is given and "
               "acts through `chg.flag`, `chg.escalate`, `chg.status` and `chg.log` "
               "(docs/hooks.md, \"The sandbox\")");
      return;
    }
  /* `string.dump(f)` (called on a value, `("x"):dump()` is said by the
   * string's own index) */
  if (!g && strcmp(name, "dump") == 0 && b->file && b->file->text && span.end <= b->file->len &&
      span.start < span.end &&
      memmem(b->file->text + span.start, span.end - span.start, "string.dump", 11)) {
    chg_note(b->ctx, span, "a hook's `string` has no `dump`: no function of a hook is turned "
                           "into bytes (docs/hooks.md, \"The sandbox\")");
    return;
  }
  /* a field of that name in a table of the hook's own is no business of
   * the sandbox's: only `os.execute` written on the line */
  char written[24];
  snprintf(written, sizeof written, "os.%s", name);
  const chg_file *file = b->file;
  bool on_line = file && file->text && span.end <= file->len && span.start < span.end &&
                 memmem(file->text + span.start, span.end - span.start, written, strlen(written));
  for (size_t i = 0; !g && on_line && i < sizeof os_fields / sizeof os_fields[0]; i++)
    if (strcmp(name, os_fields[i]) == 0) {
      chg_note(b->ctx, span,
               "a hook's `os` has only `time`, `date`, `clock` and `difftime` "
               "(docs/hooks.md, \"The sandbox\")");
      return;
    }
}

/* `p.status.overall` on work with no status at all: `status` is nil there
 * (docs/hooks.md), and the reader wants the criterion or nothing. */
static void note_no_status(bridge *b, const char *msg, chg_span span) {
  if (!strstr(msg, "attempt to index a nil value (field 'status')")) return;
  const chg_file *file = b->file;
  const char *entity = "p", *criterion = "overall";
  size_t entity_len = 1, criterion_len = strlen(criterion);
  if (file && file->text && span.end <= file->len && span.start < span.end) {
    const char *line = file->text + span.start, *end = file->text + span.end;
    const char *at = memmem(line, (size_t)(end - line), ".status.", 8);
    if (at) {
      const char *word = at + 8, *w = word, *v = at;
      while (w < end && (isalnum((unsigned char)*w) || *w == '_')) w++;
      while (v > line && (isalnum((unsigned char)v[-1]) || v[-1] == '_')) v--;
      if (w > word && w - word < 64) criterion = word, criterion_len = (size_t)(w - word);
      if (v < at && at - v < 64) entity = v, entity_len = (size_t)(at - v);
    }
  }
  chg_note(b->ctx, span,
           "work with no status at all has a `status` of nil: read `%.*s.criteria.%.*s`, "
           "which is nil where there is no such criterion (docs/hooks.md)",
           (int)entity_len, entity, (int)criterion_len, criterion);
}

static void report_failure(bridge *b, lua_State *L, const char *during) {
  /* lauxlib's buffers (table.concat, string.format) say "not enough
   * memory" as an ordinary error when the cap refuses them once: it is
   * the memory limit all the same, and sticks as it does */
  refusal_sticks(b);
  if (b->exhausted || b->out_of_memory) {
    if (!b->reported) {
      b->reported = true;
      /* an out-of-memory error calls no message handler: the line is the
       * one the count hook saw last */
      int line = b->limit_line ? b->limit_line : b->last_line;
      if (b->timed_out)
        chg_error(b->ctx, CHG_E_HOOK_INSTRUCTIONS, line_span(b, line),
                  "hook `%s` ran for more than %llu seconds of processor time %s, the limit "
                  "that goes with its instruction budget (for work the count of "
                  "instructions does not see, as in library calls on long strings); the "
                  "rest of it was not run (a larger `--hook-instructions` gives it more "
                  "time)", b->path, (unsigned long long)seconds_allowed(b), during);
      else if (b->exhausted) {
        /* a loop that never ends runs past any budget: raising it is the
         * advice for a hook that does much, not for one that goes round */
        char budget[32];
        chg_fmt_count(budget, sizeof budget, (int64_t)b->budget, false);
        chg_error(b->ctx, CHG_E_HOOK_INSTRUCTIONS, line_span(b, line),
                  "hook `%s` ran past its budget of %s instruction%s %s; the rest of "
                  "it was not run (a loop that does not end, or work that needs a larger "
                  "budget: --hook-instructions)",
                  b->path, budget, b->budget == 1 ? "" : "s", during);
      }
      else
        chg_error(b->ctx, CHG_E_HOOK_MEMORY, line_span(b, line),
                  "hook `%s` needed more than %zu MB of memory %s; the rest of it "
                  "was not run (raise it with --hook-memory)",
                  b->path, b->cap >> 20, during);
    }
    lua_pop(L, 1);
    return;
  }
  size_t len = 0;
  const char *msg = lua_type(L, -1) == LUA_TSTRING ? lua_tolstring(L, -1, &len) : NULL;
  if (!msg) {
    const char *type = luaL_typename(L, -1);
    chg_node **entity = lua_type(L, -1) == LUA_TUSERDATA ? luaL_testudata(L, -1, VIEW) : NULL;
    if (entity)
      chg_error(b->ctx, CHG_E_HOOK_ERROR, line_span(b, b->error_line),
                "hook `%s` failed %s with an error object that is an entity (%s `%s`), not a "
                "message: pass error() a string",
                b->path, during, (*entity)->key, chg_block_name(b->ctx, *entity));
    else
      chg_error(b->ctx, CHG_E_HOOK_ERROR, line_span(b, b->error_line),
                "hook `%s` failed %s with an error object that is %s%s, not a message",
                b->path, during, lua_isnil(L, -1) ? "" : "a ", type);
    lua_pop(L, 1);
    return;
  }
  const char *rest;
  chg_span span = span_of_message(b, msg, &rest);
  /* all of it: a NUL in the message is shown, not an end */
  chg_error(b->ctx, CHG_E_HOOK_ERROR, span, "hook failed %s: %s", during,
            printable_n(b, rest, len - (size_t)(rest - msg)));
  note_left_out(b, rest, span);
  note_no_status(b, rest, span);
  /* raised in a helper: where the on_* function called it (unless the
   * error is said there already: `error(msg, 2)` blames the caller) */
  unsigned said_line = 0, said_col = 0;
  if (span.file) chg_file_position(b->ctx, span.file, span.start, &said_line, &said_col);
  if (b->caller_line && b->caller_line != b->error_line && span.file &&
      (unsigned)b->caller_line != said_line)
    chg_note(b->ctx, line_span(b, b->caller_line), "called from here");
  lua_pop(L, 1);
}

/* ---- entity views ---------------------------------------------------------------- */

static void push_entity(lua_State *L, chg_node *n);

static void push_rv(lua_State *L, bridge *b, const chg_rv *v) {
  char buf[64];
  if (v->missing) {
    lua_pushnil(L);
    return;
  }
  switch (v->type) {
  case CHG_T_MONEY:
    lua_pushinteger(L, v->u.pence); /* whole pence: exact */
    return;
  case CHG_T_QUANTITY:
    if (v->money) {
      lua_pushinteger(L, v->u.pence);
      return;
    }
    /* fall through */
  case CHG_T_NUMBER:
  case CHG_T_PERCENT: {
    chg_dec d = chg_dec_normalise(v->u.num);
    if (d.scale == 0) {
      lua_pushinteger(L, d.m);
    } else {
      chg_dec_format(d, buf, sizeof buf);
      lua_pushnumber(L, strtod(buf, NULL));
    }
    return;
  }
  case CHG_T_DATE: case CHG_T_MONTH: case CHG_T_QUARTER: case CHG_T_FY: case CHG_T_PERIOD:
    chg_rv_format(b->ev, v, buf, sizeof buf);
    lua_pushstring(L, buf); /* ISO text: it sorts as the dates do */
    return;
  case CHG_T_LEVEL:
    lua_pushstring(L, v->u.level.scale->levels[v->u.level.index]);
    return;
  case CHG_T_BOOL:
    lua_pushboolean(L, v->u.b);
    return;
  case CHG_T_STRING:
  case CHG_T_SYMBOL:
    lua_pushstring(L, v->u.str);
    return;
  case CHG_T_ENTITY:
    push_entity(L, v->u.entity);
    return;
  case CHG_T_LIST:
    lua_createtable(L, (int)v->list_len, 0);
    for (uint32_t i = 0; i < v->list_len; i++) {
      const chg_value *x = &v->u.list[i];
      if (x->kind == CHG_V_NAME) lua_pushstring(L, chg_path_last(x));
      else if (x->kind == CHG_V_REF) push_entity(L, x->u.ref);
      else lua_pushnil(L);
      lua_rawseti(L, -2, (lua_Integer)i + 1);
    }
    return;
  case CHG_T_SERIES: {
    const chg_node *a = v->u.series;
    lua_createtable(L, 0, (int)a->nseries);
    for (uint32_t i = 0; i < a->nseries; i++) {
      chg_value_format(&chg_node_series(a)[i].key, buf, sizeof buf);
      const chg_value *x = &chg_node_series(a)[i].value;
      if (x->kind == CHG_V_MONEY) lua_pushinteger(L, x->u.pence);
      else if (x->kind == CHG_V_NUMBER || x->kind == CHG_V_PERCENT) {
        char num[64];
        chg_dec d = chg_dec_normalise(chg_value_dec(x));
        if (d.scale == 0) lua_pushinteger(L, d.m);
        else {
          chg_dec_format(d, num, sizeof num);
          lua_pushnumber(L, strtod(num, NULL));
        }
      } else {
        lua_pushnil(L);
      }
      lua_setfield(L, -2, buf);
    }
    return;
  }
  default:
    lua_pushnil(L);
  }
}

/* Views are made once per entity and kept, so `a == b` holds for the same
 * entity and a rule over 100,000 risks does not make 100,000 tables. */
static void push_entity(lua_State *L, chg_node *n) {
  if (!n) {
    lua_pushnil(L);
    return;
  }
  lua_getfield(L, LUA_REGISTRYINDEX, "chg.views");
  if (lua_rawgetp(L, -1, n) == LUA_TUSERDATA) {
    lua_remove(L, -2);
    return;
  }
  lua_pop(L, 1);
  chg_node **slot = lua_newuserdatauv(L, sizeof *slot, 0);
  *slot = n;
  luaL_setmetatable(L, VIEW);
  lua_pushvalue(L, -1);
  lua_rawsetp(L, -3, n);
  lua_remove(L, -2);
}

static int api_escalate(lua_State *L);
static int api_flag(lua_State *L);
static int api_status(lua_State *L);
static int api_log(lua_State *L);
static int api_rank(lua_State *L);

/* The `chg` table a hook sees. */
static const luaL_Reg chg_api[] = {{"escalate", api_escalate}, {"flag", api_flag},
                                   {"status", api_status},     {"log", api_log},
                                   {"rank", api_rank},         {NULL, NULL}};

/* "chg.flag: " for an argument error of chg.flag, however it was called:
 * through pcall Lua has no name for it, so the function running says which */
static const char *api_name(lua_State *L) {
  lua_Debug ar;
  if (!lua_getstack(L, 0, &ar) || !lua_getinfo(L, "f", &ar)) return "";
  lua_CFunction running = lua_tocfunction(L, -1);
  lua_pop(L, 1);
  for (const luaL_Reg *r = chg_api; r->name; r++)
    if (r->func == running) return lua_pushfstring(L, "chg.%s: ", r->name);
  return "";
}

static chg_node *check_entity(lua_State *L, int arg) {
  chg_node **slot = luaL_testudata(L, arg, VIEW);
  if (!slot)
    luaL_error(L, "%sargument #%d must be an entity (a programme, risk, ...), not %s",
               api_name(L), arg, lua_isnone(L, arg) ? "nothing" : luaL_typename(L, arg));
  return *slot;
}

static bool is_kind(const chg_node *n, chg_kind_id k) { return n->spec && n->spec->id == k; }

static bool is_child_of_kind(const chg_node *c, int kind) {
  if (c->kind != CHG_N_BLOCK || !c->spec) return false;
  if (kind >= 0) return c->spec->id == (chg_kind_id)kind;
  return (CHG_KM(c->spec->id) & CHG_KM_WORK) != 0;
}

/* The lists of blocks a view reads, and the kind of block each holds
 * (-1: the work, programmes, projects and workstreams). */
typedef struct block_list_field {
  const char *field;
  int kind;
} block_list_field;

static const block_list_field block_list_fields[] = {
    {"children", -1},           {"risks", CHG_K_RISK},     {"milestones", CHG_K_MILESTONE},
    {"benefits", CHG_K_BENEFIT}, {"impacts", CHG_K_IMPACT}, {"savings", CHG_K_SAVING},
};

typedef struct block_list {
  size_t n;
  chg_node *blocks[];
} block_list;

/* Counts the items from `first` on that are blocks of the kind (leaving
 * out `n`, the portfolio, among its own file's), or adds them to `into`. */
static void list_blocks(chg_node *first, const chg_node *n, int kind, block_list *into,
                        size_t *count) {
  for (chg_node *c = first; c; c = c->next)
    if (c != n && is_child_of_kind(c, kind)) {
      if (into) into->blocks[into->n++] = c;
      else (*count)++;
    }
}

/* The blocks of one kind inside a block with many items, or inside the
 * portfolio (each file's top level, in the order checked), listed the
 * first time a hook reads them: a walk of all the items for each read
 * made a hook reading r.parent.milestones on each of 50,000 risks of one
 * programme run in C, where no budget sees it, until the 30 s clock
 * stopped it. */
static const block_list *listed_blocks(bridge *b, chg_node *n, const block_list_field *field) {
  block_list *list = chg_map_get(&b->block_lists, n, field->field);
  if (list) return list;
  bool portfolio = is_kind(n, CHG_K_PORTFOLIO);
  size_t count = 0;
  for (int pass = 0; pass < 2; pass++) { /* count, then fill */
    if (pass) {
      list = chg_arena_alloc(&b->ctx->arena, sizeof *list + count * sizeof list->blocks[0]);
      list->n = 0;
    }
    if (!portfolio) list_blocks(n->items, n, field->kind, list, &count);
    for (size_t f = 1; portfolio && f < b->ctx->nfiles; f++)
      list_blocks(b->ctx->files[f]->items, n, field->kind, list, &count);
  }
  chg_map_put(&b->block_lists, n, field->field, list);
  return list;
}

/* The blocks directly inside n of the field's kind.  The portfolio holds
 * what is written at the top level. */
static void push_children(lua_State *L, chg_node *n, const block_list_field *field) {
  lua_newtable(L);
  lua_Integer i = 0;
  bridge *b = bridge_of(L);
  if (is_kind(n, CHG_K_PORTFOLIO) || n->children_mapped) {
    const block_list *list = listed_blocks(b, n, field);
    for (size_t k = 0; k < list->n; k++) {
      push_entity(L, list->blocks[k]);
      lua_rawseti(L, -2, ++i);
    }
    return;
  }
  for (chg_node *c = n->items; c; c = c->next) {
    if (!is_child_of_kind(c, field->kind)) continue;
    push_entity(L, c);
    lua_rawseti(L, -2, ++i);
  }
}

/* Pushes "drm.cre.exits" onto the Lua stack: Lua owns the memory, so a
 * hook reading paths in a loop does not grow chg's arena. */
static void push_path(lua_State *L, const chg_node *b) {
  luaL_Buffer buf;
  luaL_buffinit(L, &buf);
  const chg_node *chain[64];
  int n = 0;
  for (const chg_node *p = b; p && n < 64; p = p->parent) chain[n++] = p;
  char part[48];
  for (int i = n - 1; i >= 0; i--) {
    luaL_addstring(&buf, chg_block_path_part(chain[i], part));
    if (i) luaL_addchar(&buf, '.');
  }
  luaL_pushresult(&buf);
}

/* A level's place in its scale, by name, or -1: the checker's table of
 * levels is gone by the time hooks run. */
static int32_t level_named(const chg_scale *scale, const char *name) {
  for (uint32_t i = 0; i < scale->nlevels; i++)
    if (strcmp(scale->levels[i], name) == 0) return (int32_t)i;
  return -1;
}

enum { VIEW_COST = 32 }; /* instructions a field read is charged: C work the count misses */

/* Puts `level_name` (index `level` of the `rag` scale) as `criterion` in
 * the table on top of the stack, unless it holds a worse level already. */
static void put_worse(lua_State *L, const chg_scale *rag, const char *criterion,
                      const char *level_name, int32_t level) {
  lua_getfield(L, -1, criterion);
  const char *had = lua_tostring(L, -1);
  int32_t was = had && rag ? level_named(rag, had) : -1;
  lua_pop(L, 1);
  if (was >= 0 && level >= was) return;
  lua_pushstring(L, level_name);
  lua_setfield(L, -2, criterion);
}

/* Adds the criteria of n's own `status` lines, and those hooks have set
 * on it, to the table on top of the stack: the worse level where a
 * criterion already has one. */
static void add_criteria(lua_State *L, bridge *b, chg_node *n) {
  const chg_scale *rag = b->ev->rag;
  chg_attr_walk w;
  chg_attr_walk_start(b->ev, n, &w);
  for (chg_node *a; (a = chg_attr_walk_next(&w)) != NULL;) {
    if (strcmp(a->key, "status") != 0 || a->nargs < 2 ||
        chg_node_args(a)[0].kind != CHG_V_NAME || chg_node_args(a)[1].kind != CHG_V_LEVEL)
      continue;
    const chg_value *criterion = &chg_node_args(a)[0], *rag_level = &chg_node_args(a)[1];
    int32_t level = (int32_t)chg_level_of(rag_level);
    put_worse(L, rag, chg_path_name(criterion, 0), rag_level->u.scale->levels[level], level);
  }
  if (!n->spec || !(CHG_KM(n->spec->id) & CHG_KM_WORK) || !rag) return;
  const chg_entity *e = chg_entity_of(b->ev, n);
  for (const chg_hook_status *h = chg_hook_statuses_first(e); h; h = chg_hook_statuses_next(e, h))
    put_worse(L, rag, h->criterion, rag->levels[h->level], h->level);
}

/* What a view has besides the language's fields (see view_index). */
static const char *const view_keys[] = {"kind",   "path",   "parent", "criteria",     "posts",
                                        "depends_on", "linked", "output", "months", "period",
                                        "go_live_date", "escalation", "load"};

static bool view_key(const char *key) {
  for (size_t i = 0; i < sizeof view_keys / sizeof view_keys[0]; i++)
    if (strcmp(key, view_keys[i]) == 0) return true;
  for (size_t i = 0; i < sizeof block_list_fields / sizeof block_list_fields[0]; i++)
    if (strcmp(key, block_list_fields[i].field) == 0) return true;
  return false;
}

/* `m.golive_date` reads as nil, as a Lua table would, and the hook then
 * fails far from the misspelling, or does nothing, silently: a name that
 * no entity has is said once, where it is read, with the field meant. */
static void unknown_field(lua_State *L, bridge *b, const chg_node *n, const char *key) {
  if (key[0] == '_' || !b->path || chg_field_of_any_kind(key) || view_key(key)) return;
  for (unsigned i = 0; i < b->nunknown_fields; i++)
    if (strcmp(b->unknown_fields[i], key) == 0) return;
  if (b->nunknown_fields >= UNKNOWN_FIELDS_SAID) {
    if (!b->more_unknown_said)
      chg_warning(b->ctx, CHG_E_HOOK_UNKNOWN_FIELD, line_span(b, running_line(L, b)),
                  "`%s` is no field of any entity either, nor perhaps are more names this "
                  "file reads: past the first %d such names, they are not said each",
                  printable(b, key), UNKNOWN_FIELDS_SAID);
    b->more_unknown_said = true;
    return;
  }
  b->unknown_fields[b->nunknown_fields++] = chg_arena_strndup(&b->ctx->arena, key, strlen(key));
  chg_suggester s;
  chg_suggest_init(&s, key);
  if (n->spec) chg_suggest_fields(&s, (int)n->spec->id);
  for (size_t i = 0; i < sizeof view_keys / sizeof view_keys[0]; i++) chg_suggest_offer(&s, view_keys[i]);
  for (size_t i = 0; i < sizeof block_list_fields / sizeof block_list_fields[0]; i++)
    chg_suggest_offer(&s, block_list_fields[i].field);
  chg_warning(b->ctx, CHG_E_HOOK_UNKNOWN_FIELD, line_span(b, running_line(L, b)),
              "`%s` is no field of a %s, nor of any entity: it reads as nil%s", printable(b, key),
              n->key, chg_suggest_text(b->ctx, &s));
}

static int view_index(lua_State *L) {
  bridge *b = bridge_of(L);
  b->spent += VIEW_COST;
  chg_node *n = check_entity(L, 1);
  if (lua_type(L, 2) != LUA_TSTRING) return 0;
  const char *key = lua_tostring(L, 2);
  if (strcmp(key, "kind") == 0) return lua_pushstring(L, n->key), 1;
  if (strcmp(key, "path") == 0) return push_path(L, n), 1;
  if (strcmp(key, "parent") == 0) {
    /* what is written at the top level is the portfolio's */
    chg_node *p = n->parent;
    if (!p && !is_kind(n, CHG_K_PORTFOLIO)) p = bridge_of(L)->ev->portfolio;
    push_entity(L, p);
    return 1;
  }
  for (size_t i = 0; i < sizeof block_list_fields / sizeof block_list_fields[0]; i++)
    if (strcmp(key, block_list_fields[i].field) == 0)
      return push_children(L, n, &block_list_fields[i]), 1;
  if (strcmp(key, "criteria") == 0) {
    lua_newtable(L);
    if (is_kind(n, CHG_K_PORTFOLIO)) {
      /* the portfolio's, as `status.CRITERION` reads them: the worst of
       * the top-level work's own, worked out again only after a status
       * changed (a walk of all the work at each read, from each of 10,000
       * programmes, was five seconds in C that no budget saw); each read
       * a copy, which the hook may change */
      if (lua_getfield(L, LUA_REGISTRYINDEX, PORTFOLIO_CRITERIA) != LUA_TTABLE ||
          b->portfolio_criteria_stale) {
        lua_pop(L, 1);
        lua_newtable(L);
        for (size_t i = 0; i < b->ev->work.len; i++) {
          chg_node *w = b->ev->work.items[i];
          if (!w->parent) add_criteria(L, b, w);
        }
        lua_pushvalue(L, -1);
        lua_setfield(L, LUA_REGISTRYINDEX, PORTFOLIO_CRITERIA);
        b->portfolio_criteria_stale = false;
      }
      lua_pushnil(L);
      while (lua_next(L, -2)) {
        lua_pushvalue(L, -2);
        lua_insert(L, -2);
        lua_settable(L, -5);
      }
      lua_pop(L, 1);
    } else {
      add_criteria(L, b, n);
    }
    return 1;
  }
  if (strcmp(key, "posts") == 0 && is_kind(n, CHG_K_SAVING)) {
    /* {officers = {["2011/12"] = -308, ...}, ...}: a series a category */
    lua_newtable(L);
    chg_attr_walk w;
    chg_attr_walk_start(b->ev, n, &w);
    for (chg_node *a; (a = chg_attr_walk_next(&w)) != NULL;) {
      if (strcmp(a->key, "posts") != 0 || !a->nargs ||
          chg_node_args(a)[0].kind != CHG_V_NAME)
        continue;
      chg_rv v = chg_field_value(b->ev, n, CHG_F_POSTS, chg_path_name(&chg_node_args(a)[0], 0));
      push_rv(L, b, &v);
      lua_setfield(L, -2, chg_path_name(&chg_node_args(a)[0], 0));
    }
    return 1;
  }
  if (strcmp(key, "depends_on") == 0) {
    lua_newtable(L);
    lua_Integer i = 0;
    chg_attr_walk w;
    chg_attr_walk_start(b->ev, n, &w);
    for (chg_node *a; (a = chg_attr_walk_next(&w)) != NULL;) {
      if (strcmp(a->key, "depends_on") != 0 ||
          a->nargs < 2 || chg_node_args(a)[0].kind != CHG_V_REF)
        continue;
      lua_createtable(L, 0, 3);
      push_entity(L, chg_node_args(a)[0].u.ref);
      lua_setfield(L, -2, "target");
      lua_pushstring(L, chg_path_name(&chg_node_args(a)[1], 0));
      lua_setfield(L, -2, "importance");
      if (a->nargs > 2 && chg_node_args(a)[2].kind == CHG_V_STRING) {
        lua_pushstring(L, chg_node_args(a)[2].u.s);
        lua_setfield(L, -2, "reason");
      }
      lua_rawseti(L, -2, ++i);
    }
    return 1;
  }
  if (is_kind(n, CHG_K_RECOMMENDATION) && (strcmp(key, "linked") == 0 || strcmp(key, "output") == 0)) {
    /* `linked`: the blocks it names, as views; `output`: its outputs'
     * texts, in the order written (`outputs` is how many) */
    bool linked = key[0] == 'l';
    lua_newtable(L);
    lua_Integer i = 0;
    chg_attr_walk w;
    chg_attr_walk_start(b->ev, n, &w);
    for (chg_node *a; (a = chg_attr_walk_next(&w)) != NULL;) {
      if (strcmp(a->key, key) != 0) continue;
      for (uint32_t k = 0; k < a->nargs; k++) {
        const chg_value *v = &chg_node_args(a)[k];
        if (linked && v->kind == CHG_V_LIST) {
          for (uint32_t j = 0; j < v->aux; j++)
            if (v->u.items[j].kind == CHG_V_REF) {
              push_entity(L, v->u.items[j].u.ref);
              lua_rawseti(L, -2, ++i);
            }
        } else if (linked && v->kind == CHG_V_REF) {
          push_entity(L, v->u.ref);
          lua_rawseti(L, -2, ++i);
        } else if (!linked && v->kind == CHG_V_STRING) {
          lua_pushlstring(L, v->u.s, chg_str_len(v));
          lua_rawseti(L, -2, ++i);
        }
      }
    }
    return 1;
  }
  if (is_kind(n, CHG_K_IMPACT) && (strcmp(key, "months") == 0 || strcmp(key, "period") == 0)) {
    const chg_node *a = chg_attr(n, "period");
    if (!a || !a->nargs || chg_node_args(a)[0].kind == CHG_V_NONE) return 0;
    if (key[0] == 'p') {
      char buf[64];
      chg_value_format(&chg_node_args(a)[0], buf, sizeof buf);
      lua_pushstring(L, buf);
      return 1;
    }
    int32_t first, last;
    chg_period_days(b->ev, &chg_node_args(a)[0], &first, &last);
    lua_newtable(L);
    int y, d;
    unsigned m, dd;
    chg_civil_from_days(first, &y, &m, &dd);
    int from = y * 12 + (int)m - 1;
    chg_civil_from_days(last, &y, &m, &dd);
    int to = y * 12 + (int)m - 1;
    d = 0;
    for (int mo = from; mo <= to; mo++) {
      /* every month, as period text writes them ("0999-11"); a long range
       * is paid for from the budget, and held within the memory limit */
      char month[16];
      snprintf(month, sizeof month, "%04d-%02d", mo / 12, mo % 12 + 1);
      lua_pushstring(L, month);
      lua_rawseti(L, -2, ++d);
      b->spent += VIEW_COST;
    }
    return 1;
  }
  if (strcmp(key, "go_live_date") == 0 && is_kind(n, CHG_K_MILESTONE)) {
    chg_entity *e = chg_entity_of(b->ev, n);
    if (e->went_live == INT32_MIN) return 0;
    char buf[16];
    chg_fmt_day(buf, sizeof buf, e->went_live);
    lua_pushstring(L, buf);
    return 1;
  }
  if (strcmp(key, "escalation") == 0 && n->spec && n->spec->id != CHG_K_SCALE) {
    chg_entity *e = chg_entity_of(b->ev, n);
    if (!e->escalation || !b->ev->escalation) return 0;
    lua_pushstring(L, b->ev->escalation->levels[e->escalation->level]);
    return 1;
  }
  if (strcmp(key, "load") == 0 && is_kind(n, CHG_K_IMPACT)) key = "level";
  const chg_field *f = n->spec ? chg_field_find(n->spec->id, key) : NULL;
  if (!f) { /* an unknown field reads as nil, as a Lua table would */
    unknown_field(L, b, n, key);
    return 0;
  }
  if (f->id == CHG_F_AT_RISK && b->ev->benefits_stale) chg_benefits_at_risk_again(b->ev);
  bool whole_portfolio = f->id == CHG_F_STATUS_RAG && is_kind(n, CHG_K_PORTFOLIO);
  if (whole_portfolio && !b->portfolio_status_known) {
    b->portfolio_status = chg_field_value(b->ev, n, f->id, NULL);
    b->portfolio_status_known = true;
  }
  chg_rv v = whole_portfolio ? b->portfolio_status : chg_field_value(b->ev, n, f->id, NULL);
  push_rv(L, b, &v);
  if (f->id == CHG_F_STATUS_RAG) {
    /* kept as the scale's own text: the Lua string may be collected */
    bool level = !v.missing && v.type == CHG_T_LEVEL;
    b->status_read = level ? n : NULL;
    b->status_level = level ? v.u.level.scale->levels[v.u.level.index] : NULL;
  }
  return 1;
}

static int view_newindex(lua_State *L) {
  return luaL_error(L, "entities are read-only: use chg.escalate, chg.flag or chg.status");
}

static int view_tostring(lua_State *L) {
  chg_node *n = check_entity(L, 1);
  lua_pushstring(L, n->key);
  lua_pushliteral(L, " ");
  push_path(L, n);
  lua_concat(L, 3);
  return 1;
}

/* ---- the chg API --------------------------------------------------------------------- */

/* A string argument, without calling any metamethod to get it. */
static const char *string_arg(lua_State *L, int arg, const char *what) {
  if (lua_type(L, arg) != LUA_TSTRING)
    luaL_error(L, "%sargument #%d (%s) must be a string, not %s", api_name(L), arg, what,
               lua_isnone(L, arg) ? "nothing" : luaL_typename(L, arg));
  return lua_tostring(L, arg);
}

/* A string argument that chg keeps and prints: all of it, NUL bytes and
 * all, made printable. */
static const char *text_arg(lua_State *L, int arg, const char *what) {
  string_arg(L, arg, what);
  size_t len;
  const char *s = lua_tolstring(L, arg, &len);
  return printable_here(L, s, len);
}

/* What chg keeps from a hook (messages, reasons) counts against the same
 * memory cap as the hook's own Lua memory. */
static void charge(lua_State *L, bridge *b, size_t bytes) {
  b->kept += bytes;
  if (b->kept + b->used > b->cap) {
    b->out_of_memory = true;
    if (!b->limit_line) b->limit_line = hook_line(L, b);
    luaL_error(L, "chg: memory limit reached");
  }
}

/* What a text chg keeps for a hook costs it, the first time it is kept. */
static void charge_kept(lua_State *L, bridge *b, const char *kept) {
  charge(L, b, strlen(kept) + 64);
}

/* A text chg makes or a hook gives that is not yet printable (a name, the
 * file and line of a call), made so in passing: kept once, however many
 * calls give it (a flag's source once a line, not once a call). */
static const char *keep_made(lua_State *L, bridge *b, chg_buf *text) {
  size_t before = b->texts.count;
  const char *kept = chg_intern(&b->texts, text->data ? text->data : "", text->len);
  chg_buf_release(&b->ctx->al, text); /* before charge(), which may not return */
  if (b->texts.count != before) charge_kept(L, b, kept);
  return kept;
}

/* A text a hook gives chg to keep, already made printable (made so
 * twice, a message cut at HOOK_TEXT_MAX would be cut again inside an
 * escape: `\n...` kept as `\...`); charged to the hook the first time
 * chg keeps it. */
static const char *keep(lua_State *L, bridge *b, const char *printable_text) {
  size_t before = b->texts.count;
  const char *kept = chg_intern(&b->texts, printable_text, strlen(printable_text));
  if (b->texts.count != before) charge_kept(L, b, kept);
  return kept;
}

static const char *keep_raw(lua_State *L, bridge *b, const char *s) {
  chg_buf text = {0};
  put_printable(b, &text, s, strlen(s));
  return keep_made(L, b, &text);
}

/* "hooks/x.lua:12", the line of the hook file that called chg, kept. */
static const char *source_here(lua_State *L, bridge *b, chg_span *span) {
  int line = caller_line(L, b);
  *span = line_span(b, line);
  char at[24];
  snprintf(at, sizeof at, ":%d", line);
  chg_buf text = {0};
  put_printable(b, &text, b->path, strlen(b->path));
  chg_buf_put(&b->ctx->al, &text, at, strlen(at));
  return keep_made(L, b, &text);
}

/* A string argument quoted in an error message: all of it, made
 * printable, so that "board\0x" is not quoted as `board`. */
static const char *quoted_arg(lua_State *L, int arg) {
  size_t len;
  const char *s = lua_tolstring(L, arg, &len);
  return printable_here(L, s, len);
}

/* Whether a string argument has no NUL in it: C compares names up to the
 * first, which would take "board\0x" for `board`. */
static bool whole_arg(lua_State *L, int arg, const char *s) {
  return strlen(s) == lua_rawlen(L, arg);
}

static int32_t level_arg(lua_State *L, const chg_scale *scale, const char *scale_name,
                         int arg, const char *fn) {
  const char *name = string_arg(L, arg, "level");
  if (!scale) {
    const char *module = chg_schema_scale_module(scale_name);
    if (module)
      luaL_error(L, "%s: the `%s` scale is not in scope; add `use %s` to the portfolio", fn,
                 scale_name, module);
    luaL_error(L, "%s: the `%s` scale is not in scope: define `scale %s`", fn, scale_name,
               scale_name);
  }
  int32_t level = whole_arg(L, arg, name) ? level_named(scale, name) : -1;
  if (level < 0) {
    /* the levels and the nearest, made in Lua's memory, which the hook's
     * limit counts: a hook may fail so in a loop a million times */
    const char *wrong = quoted_arg(L, arg);
    chg_suggester sg;
    chg_suggest_init(&sg, wrong);
    luaL_Buffer levels;
    luaL_buffinit(L, &levels);
    for (uint32_t j = 0; j < scale->nlevels && j < 8; j++) {
      chg_suggest_offer(&sg, scale->levels[j]);
      if (j) luaL_addstring(&levels, ", ");
      luaL_addstring(&levels, scale->levels[j]);
    }
    luaL_pushresult(&levels);
    luaL_error(L, "%s: `%s` is not a level of the `%s` scale (%s)%s%s%s", fn, wrong, scale_name,
               lua_tostring(L, -1), sg.best ? "; did you mean `" : "", sg.best ? sg.best : "",
               sg.best ? "`?" : "");
  }
  return level;
}

/* The bridge, for a call that acts: none once a limit is hit, though a
 * hook may reach the call before the count hook fires again. */
/* chg.rank(scale, level): a level's place in its scale, from 1 for the
 * first written (the worst, or the most senior), so that ranks compare
 * as levels do in a rule (`confidence <= amber_red`); a level is a plain
 * string to a hook, and strings compare by their letters.  nil for nil. */
static int api_rank(lua_State *L) {
  bridge *b = bridge_of(L);
  const char *scale_name = string_arg(L, 1, "scale");
  const chg_scale *scale = whole_arg(L, 1, scale_name) ? chg_scale_find(b->ctx, scale_name) : NULL;
  if (lua_isnoneornil(L, 2) && scale) return 0;
  int32_t level = level_arg(L, scale, scale_name, 2, "chg.rank");
  lua_pushinteger(L, (lua_Integer)level + 1);
  return 1;
}

static bridge *acting_bridge(lua_State *L) {
  bridge *b = bridge_of(L);
  refusal_sticks(b);
  if (!b->exhausted && b->spent > b->budget) { /* spent by allocations since the count hook */
    b->exhausted = true;
    if (!b->limit_line) b->limit_line = hook_line(L, b);
  }
  if (b->exhausted) luaL_error(L, "chg: instruction budget spent");
  if (b->out_of_memory) luaL_error(L, "chg: memory limit reached");
  return b;
}

static int api_escalate(lua_State *L) {
  bridge *b = acting_bridge(L);
  chg_node *n = check_entity(L, 1);
  int32_t level = level_arg(L, b->ev->escalation, "escalation", 2, "chg.escalate");
  if (!lua_isnoneornil(L, 3)) string_arg(L, 3, "reason");
  if (!n->spec)
    return luaL_error(L, "chg.escalate: %s %s cannot be escalated", chg_a_an(n->key), n->key);
  /* the most senior level wins, the first of equals: an escalation no
   * more senior than the entity's is not kept, so that an entity keeps
   * at most one a level, and is not charged, nor its reason read */
  const chg_decision *now = chg_entity_of(b->ev, n)->escalation;
  if (now && now->level <= level) return 0;
  const char *reason = lua_isnoneornil(L, 3) ? NULL : text_arg(L, 3, "reason");
  chg_decider *by = CHG_NEW(&b->ctx->arena, chg_decider);
  by->message = reason ? keep(L, b, reason) : NULL;
  by->source = source_here(L, b, &by->span);
  chg_decision *d = CHG_NEW(&b->ctx->arena, chg_decision);
  d->entity = n;
  d->level = level;
  d->by = by;
  chg_decide(b->ev, d);
  return 0;
}

static int api_flag(lua_State *L) {
  bridge *b = acting_bridge(L);
  chg_node *n = check_entity(L, 1);
  const char *severity = string_arg(L, 2, "severity");
  if (!whole_arg(L, 2, severity) ||
      (strcmp(severity, "error") && strcmp(severity, "warning") && strcmp(severity, "info")))
    return luaL_error(L, "chg.flag: severity is error, warning or info, not `%s`",
                      quoted_arg(L, 2));
  size_t raw_len;
  const char *raw = lua_tolstring(L, 3, &raw_len);
  const char *message = text_arg(L, 3, "message");
  if (chg_says_nothing(raw, raw_len))
    return luaL_error(L, "chg.flag: a flag needs a message, not an empty one: it is all the "
                         "flag says");
  chg_decider *by = CHG_NEW(&b->ctx->arena, chg_decider);
  by->severity = keep_raw(L, b, severity);
  by->message = keep(L, b, message);
  /* every flag is a row of the report, its message with it: a flood of
   * them is bounded by the memory limit, though the text is kept once */
  charge(L, b, sizeof(chg_decision) + sizeof(chg_decider) + strlen(by->message));
  by->source = source_here(L, b, &by->span);
  chg_decision *d = CHG_NEW(&b->ctx->arena, chg_decision);
  d->entity = n;
  d->level = -1;
  d->by = by;
  chg_decide(b->ev, d);
  return 0;
}

static int api_status(lua_State *L) {
  bridge *b = acting_bridge(L);
  chg_node *n = check_entity(L, 1);
  if (!n->spec || !(CHG_KM(n->spec->id) & CHG_KM_WORK))
    return luaL_error(L, "chg.status: only a programme, project or workstream has a status, "
                         "not %s %s", chg_a_an(n->key), n->key);
  const char *criterion = string_arg(L, 2, "criterion");
  /* a criterion is a name, as in `status overall green`: a report's
   * column and an expression's status.NAME */
  size_t length = lua_rawlen(L, 2);
  bool name = whole_arg(L, 2, criterion) && criterion[0] &&
              length <= HOOK_TEXT_MAX && /* kept whole, as a name must be */
              !(criterion[0] >= '0' && criterion[0] <= '9');
  for (const char *c = criterion; name && *c; c++)
    name = *c == '_' || (*c >= '0' && *c <= '9') || (*c >= 'a' && *c <= 'z') ||
           (*c >= 'A' && *c <= 'Z');
  static const char *const reserved[] = {"use", "include", "when", "expect", "where", "and",
                                         "or",  "not",     "in",   "true",   "false"};
  for (size_t i = 0; name && i < sizeof reserved / sizeof reserved[0]; i++)
    name = strcmp(criterion, reserved[i]) != 0; /* status.in could never be read */
  if (length > HOOK_TEXT_MAX)
    return luaL_error(L, "chg.status: the criterion is a name of at most %d characters, "
                         "such as `overall`; this one has %I", /* lua_pushfstring has no %zu */
                      HOOK_TEXT_MAX, (lua_Integer)length);
  if (!name)
    return luaL_error(L, "chg.status: the criterion must be a name such as `overall` "
                         "(letters, digits and _, not a reserved word), not `%s`",
                      quoted_arg(L, 2));
  int32_t level = level_arg(L, b->ev->rag, "rag", 3, "chg.status");
  const char *reason = lua_isnoneornil(L, 4) ? NULL : text_arg(L, 4, "reason");
  chg_entity *e = chg_entity_of(b->ev, n);
  chg_hook_status *s = CHG_NEW(&b->ctx->arena, chg_hook_status);
  s->criterion = keep_raw(L, b, criterion);
  s->level = level;
  s->reason = reason ? keep(L, b, reason) : NULL;
  /* every status is a row of the report, as a flag is */
  charge(L, b, sizeof(chg_hook_status) + (s->reason ? strlen(s->reason) : 0));
  s->source = source_here(L, b, &s->span);
  if (e->hook_status_ring) {
    s->next = e->hook_status_ring->next;
    e->hook_status_ring->next = s;
  } else {
    s->next = s;
  }
  e->hook_status_ring = s;
  b->portfolio_criteria_stale = true;
  b->portfolio_status_known = false;
  if (e->own_status < 0 || level < e->own_status) e->own_status = level;
  /* A status only makes things worse, so it rolls up at once: a later hook
   * (or this one) reading `status` sees it, as it sees an escalation. */
  for (chg_node *p = n; p && chg_is_work(p); p = p->parent) {
    chg_entity *pe = chg_entity_of(b->ev, p);
    if (pe->status >= 0 && pe->status <= level) break;
    pe->status = (int16_t)level;
    /* a red programme puts its benefits at risk (red, or worse on a scale
     * with a Black before it): worked out when next read */
    if (chg_status_is_red(b->ev, level)) b->ev->benefits_stale = true;
  }
  return 0;
}

static int api_log(lua_State *L) {
  bridge *b = acting_bridge(L);
  int n = lua_gettop(L); /* before the buffer takes a slot of the stack */
  luaL_Buffer buf;
  luaL_buffinit(L, &buf);
  for (int i = 1; i <= n; i++) {
    if (i > 1) luaL_addchar(&buf, ' ');
    int t = lua_type(L, i);
    if (t == LUA_TSTRING || t == LUA_TNUMBER) {
      lua_pushvalue(L, i);
      luaL_addvalue(&buf);
    } else if (t == LUA_TBOOLEAN) {
      luaL_addstring(&buf, lua_toboolean(L, i) ? "true" : "false");
    } else if (t == LUA_TNIL) {
      luaL_addstring(&buf, "nil");
    } else if (luaL_testudata(L, i, VIEW)) {
      chg_node *e = *(chg_node **)lua_touserdata(L, i);
      luaL_addstring(&buf, e->key);
      luaL_addchar(&buf, ' ');
      push_path(L, e);
      luaL_addvalue(&buf);
    } else {
      luaL_addstring(&buf, luaL_typename(L, i)); /* no __tostring: it could loop */
    }
  }
  luaL_pushresult(&buf);
  if (++b->logs > MAX_LOGS) {
    if (b->logs == MAX_LOGS + 1)
      chg_log(b->ctx, line_span(b, caller_line(L, b)),
              "more log lines from this hook are left out (1000 at most)");
    return 0;
  }
  chg_span span;
  int line = caller_line(L, b);
  span = line_span(b, line);
  charge(L, b, lua_rawlen(L, -1) + 64);
  size_t len;
  const char *text = lua_tolstring(L, -1, &len);
  chg_log(b->ctx, span, printable_n(b, text, len));
  return 0;
}

/* ---- the sandbox ------------------------------------------------------------------------ */

/* The base library's setmetatable, kept out of the hooks' reach. */
static int checked_setmetatable(lua_State *L) {
  luaL_checktype(L, 1, LUA_TTABLE);
  int t = lua_type(L, 2);
  luaL_argexpected(L, t == LUA_TNIL || t == LUA_TTABLE, 2, "nil or table");
  if (t == LUA_TTABLE) {
    lua_pushliteral(L, "__gc");
    if (lua_rawget(L, 2) != LUA_TNIL)
      return luaL_error(L, "setmetatable: __gc (finalisers) are not allowed in hooks");
    lua_pop(L, 1);
    /* a chain of weak keys costs the collector time that grows as its
     * square, inside one step that no budget or clock can stop */
    lua_pushliteral(L, "__mode");
    if (lua_rawget(L, 2) != LUA_TNIL)
      return luaL_error(L, "setmetatable: __mode (weak tables) is not allowed in hooks");
    lua_pop(L, 1);
  }
  if (luaL_getmetafield(L, 1, "__metatable") != LUA_TNIL)
    return luaL_error(L, "cannot change a protected metatable");
  lua_settop(L, 2);
  lua_setmetatable(L, 1);
  return 1;
}

/* load, text only, into the running hook's environment unless given one. */
/* load(f): the pieces a reader function gives, up to nil or "", joined
 * into the string at 1, as Lua's load reads them. */
static void read_pieces(lua_State *L) {
  luaL_Buffer b;
  luaL_buffinit(L, &b);
  for (;;) {
    lua_pushvalue(L, 1);
    lua_call(L, 0, 1);
    if (lua_isnil(L, -1)) {
      lua_pop(L, 1);
      break;
    }
    if (lua_type(L, -1) != LUA_TSTRING) luaL_error(L, "load: reader function must return a string");
    if (lua_rawlen(L, -1) == 0) {
      lua_pop(L, 1);
      break;
    }
    luaL_addvalue(&b);
  }
  luaL_pushresult(&b);
  lua_replace(L, 1);
}

static int safe_load(lua_State *L) {
  size_t len;
  /* what is asked for is read before anything is pushed above it */
  bool has_env = !lua_isnone(L, 4);
  const char *mode = luaL_optstring(L, 3, "bt");
  const char *given = lua_isnoneornil(L, 2) ? NULL : luaL_checkstring(L, 2);
  if (lua_type(L, 1) == LUA_TFUNCTION) read_pieces(L);
  else if (lua_type(L, 1) != LUA_TSTRING)
    return luaL_error(L, "load: a hook loads a string of Lua source, or the pieces of one "
                         "that a function returns");
  const char *s = lua_tolstring(L, 1, &len);
  /* the chunk's name never reads as the hook file's (`@h.lua`, `=h.lua`):
   * its lines are not the file's, and a diagnostic must not say they are */
  if (given && (given[0] == '=' || given[0] == '@')) given++;
  const char *name = given ? lua_pushfstring(L, "=(load %s)", given) : "=(load)";
  /* the mode asked for still holds: "b" alone refuses text, as in Lua, and
   * binary is refused whatever is asked */
  bool binary = len && s[0] == LUA_SIGNATURE[0];
  if (binary || !strchr(mode, 't')) {
    lua_pushnil(L);
    if (binary) lua_pushliteral(L, "attempt to load a binary chunk: a hook loads Lua source only");
    else lua_pushfstring(L, "attempt to load a text chunk (mode is '%s')", mode);
    return 2;
  }
  if (luaL_loadbufferx(L, s, len, name, "t") != LUA_OK) {
    lua_pushnil(L);
    lua_insert(L, -2);
    return 2; /* nil and the message, as load does */
  }
  if (has_env) lua_pushvalue(L, 4);
  else lua_getfield(L, LUA_REGISTRYINDEX, "chg.env");
  if (!lua_setupvalue(L, -2, 1)) lua_pop(L, 1);
  return 1;
}

/* A message handler runs where the error was raised; for a limit that is
 * inside chg's count hook, where Lua counts nothing, so a looping handler
 * would never stop.  Limits therefore skip the user's handler. */
static int handler_guard(lua_State *L) {
  bridge *b = bridge_of(L);
  if (b->exhausted || b->out_of_memory) return 1;
  lua_pushvalue(L, lua_upvalueindex(1));
  lua_insert(L, 1);
  lua_call(L, lua_gettop(L) - 1, 1);
  return 1;
}

/* What a call made with lua_callk returned, when it yielded and was
 * resumed: all of it, as when it returned at once. */
static int all_returned(lua_State *L, int status, lua_KContext ctx) {
  (void)status;
  (void)ctx;
  return lua_gettop(L);
}

static int safe_xpcall(lua_State *L) {
  luaL_checktype(L, 2, LUA_TFUNCTION);
  lua_pushvalue(L, 2);
  lua_pushcclosure(L, handler_guard, 1);
  lua_replace(L, 2);
  lua_pushvalue(L, lua_upvalueindex(1));
  lua_insert(L, 1);
  /* with a continuation, as Lua's own xpcall is: code it calls in a
   * coroutine may yield (without one, the yield failed inside the xpcall,
   * which caught the error and returned false) */
  lua_callk(L, lua_gettop(L) - 1, LUA_MULTRET, 0, all_returned);
  return lua_gettop(L);
}

/* coroutine.resume and the functions coroutine.wrap makes, noting which
 * coroutine runs: a memory error in it is reported at its own line. */
/* Calls the function below the arguments with `co` noted as running. */
static int run_resumed(lua_State *L, bridge *b, lua_State *co) {
  resumed here = {co, b->resumed};
  if (co) b->resumed = &here;
  lua_pushvalue(L, lua_upvalueindex(1));
  lua_insert(L, 1);
  int rc = lua_pcall(L, lua_gettop(L) - 1, LUA_MULTRET, 0);
  b->resumed = here.outer;
  if (rc != LUA_OK) return lua_error(L);
  return lua_gettop(L);
}

static int tracked_resume(lua_State *L) {
  bridge *b = bridge_of(L);
  spend(L, b, RESUME_COST);
  return run_resumed(L, b, lua_tothread(L, 1));
}

static int tracked_wrapped(lua_State *L) {
  bridge *b = bridge_of(L);
  spend(L, b, RESUME_COST);
  return run_resumed(L, b, lua_tothread(L, lua_upvalueindex(2)));
}

/* coroutine.close runs the coroutine's pending `<close>` handlers, which
 * may close another, and so on: Lua 5.4.4 counts none of that against its
 * C stack, so a chain of some ten thousand overflows it.  Bounded here,
 * as deep as Lua lets C calls go. */
enum { MAX_CLOSING = 200 };

static int tracked_close(lua_State *L) {
  bridge *b = bridge_of(L);
  spend(L, b, RESUME_COST);
  if (b->closing >= MAX_CLOSING)
    return luaL_error(L, "coroutine.close: coroutines closed inside each other more than %d deep",
                      MAX_CLOSING);
  b->closing++;
  lua_pushvalue(L, lua_upvalueindex(1));
  lua_insert(L, 1);
  int rc = lua_pcall(L, lua_gettop(L) - 1, LUA_MULTRET, 0);
  b->closing--;
  if (rc != LUA_OK) return lua_error(L);
  return lua_gettop(L);
}

static int tracked_wrap(lua_State *L) {
  lua_pushvalue(L, lua_upvalueindex(1));
  lua_insert(L, 1);
  lua_call(L, lua_gettop(L) - 1, 1);     /* the function wrap made */
  if (lua_getupvalue(L, -1, 1) == NULL) lua_pushnil(L); /* its coroutine */
  lua_pushcclosure(L, tracked_wrapped, 2);
  return 1;
}

/* rawset would write into the frozen libraries, shared by every hook. */
static int safe_rawset(lua_State *L) {
  luaL_checktype(L, 1, LUA_TTABLE);
  if (luaL_getmetafield(L, 1, "__metatable") == LUA_TSTRING &&
      strcmp(lua_tostring(L, -1), "locked") == 0)
    return luaL_error(L, "rawset: this table is read-only");
  luaL_checkany(L, 2);
  luaL_checkany(L, 3);
  lua_settop(L, 3);
  lua_rawset(L, 1);
  return 1;
}

static int safe_collectgarbage(lua_State *L) {
  const char *opt = luaL_optstring(L, 1, "count");
  if (strcmp(opt, "count") != 0)
    return luaL_error(L, "collectgarbage: only \"count\" is allowed in hooks");
  int kb = lua_gc(L, LUA_GCCOUNT, 0), b = lua_gc(L, LUA_GCCOUNTB, 0);
  lua_pushnumber(L, (lua_Number)kb + (lua_Number)b / 1024);
  return 1;
}

/* Lua patterns backtrack: a subject of n characters and q quantifiers can
 * cost about n^(q+1) steps inside one C call, out of the budget's reach.
 * Patterns whose cost could pass a billion are refused. */
static double pattern_cost(const char *pat, size_t plen, size_t subject) {
  unsigned quantifiers = 0;
  for (size_t i = 0; i < plen; i++) {
    if (pat[i] == '%') {
      /* %bxy scans ahead; %1 compares a capture, up to the whole subject,
       * at every step of the backtracking (`(.-)%1b` was n^3, not n^2) */
      if (i + 1 < plen && (pat[i + 1] == 'b' || (pat[i + 1] >= '1' && pat[i + 1] <= '9')))
        quantifiers++;
      i++;
      continue;
    }
    if (pat[i] == '*' || pat[i] == '+' || pat[i] == '-' || pat[i] == '?') quantifiers++;
  }
  double n = (double)(subject ? subject : 1);
  double steps = n * (double)(plen ? plen : 1);
  for (unsigned q = 0; q < quantifiers && steps <= 1e12; q++) steps *= n;
  return steps;
}

enum { PATTERN_LIMIT = 100000000 }; /* worst-case steps of one search */

/* Whether a pattern is plain text, which string.find looks for as such. */
static bool no_specials(const char *p, size_t len) {
  for (size_t i = 0; i < len; i++)
    if (p[i] && strchr("^$*+?.([%-", p[i])) return false;
  return true;
}

/* string.find of plain text, in time linear in the subject and the text:
 * the library's own search compares the text afresh at each place it
 * could start, which on `aaa...` against `aa...ab` is quadratic inside
 * one C call, where no budget can stop it. */
static int find_plain(lua_State *L, const char *s, size_t slen, const char *p, size_t plen) {
  lua_Integer init = luaL_optinteger(L, 3, 1);
  if (init == 0 || init < -(lua_Integer)slen) init = 1;
  else if (init < 0) init = (lua_Integer)slen + init + 1;
  if (init > (lua_Integer)slen + 1) {
    lua_pushnil(L);
    return 1;
  }
  size_t from = (size_t)init - 1;
  const char *at = plen == 0 ? s + from : memmem(s + from, slen - from, p, plen);
  if (!at) {
    lua_pushnil(L);
    return 1;
  }
  lua_pushinteger(L, (lua_Integer)(at - s) + 1);
  lua_pushinteger(L, (lua_Integer)(at - s) + (lua_Integer)plen);
  return 2;
}

static int guarded_match(lua_State *L) {
  bridge *b = bridge_of(L);
  size_t slen, plen;
  const char *s = luaL_checklstring(L, 1, &slen);
  const char *p = luaL_checklstring(L, 2, &plen);
  /* string.find(s, text, init, true), or of text with no pattern items,
   * looks for plain text: no backtracking */
  bool plain = lua_toboolean(L, lua_upvalueindex(2)) &&
               (lua_toboolean(L, 4) || no_specials(p, plen));
  if (plain) {
    spend(L, b, ((double)slen + (double)plen) / 100);
    return find_plain(L, s, slen, p, plen);
  }
  double cost = pattern_cost(p, plen, slen);
  if (cost > PATTERN_LIMIT)
    return luaL_error(L, "pattern `%s` is too costly for a subject of %d characters",
                      plen > 40 ? "(long)" : printable_here(L, p, plen), (int)slen);
  /* what the search may cost comes out of the budget, so many searches
   * cannot add up to a hang */
  spend(L, b, cost / 100);
  lua_pushvalue(L, lua_upvalueindex(1));
  lua_insert(L, 1);
  if (lua_pcall(L, lua_gettop(L) - 1, LUA_MULTRET, 0) != LUA_OK) {
    /* the library's own error (a malformed pattern) has no position:
     * give it the hook's line */
    const char *msg = lua_type(L, -1) == LUA_TSTRING ? lua_tostring(L, -1) : NULL;
    if (msg && !path_in_message(b, msg)) {
      luaL_where(L, 1);
      lua_insert(L, -2);
      lua_concat(L, 2);
    }
    return lua_error(L);
  }
  return lua_gettop(L);
}

/* string.rep builds its result in C: the size is checked against the
 * memory cap first, and an empty result is not built n times. */
static int guarded_rep(lua_State *L) {
  bridge *b = bridge_of(L);
  size_t l, lsep;
  luaL_checklstring(L, 1, &l);
  lua_Integer n = luaL_checkinteger(L, 2);
  luaL_optlstring(L, 3, "", &lsep);
  if (n <= 0 || l + lsep == 0) {
    lua_pushliteral(L, "");
    return 1;
  }
  if ((double)(l + lsep) * (double)n > (double)b->cap) {
    b->out_of_memory = true; /* as if it had been allocated: it sticks */
    if (!b->limit_line) b->limit_line = hook_line(L, b);
    return luaL_error(L, "chg: memory limit reached");
  }
  lua_pushvalue(L, lua_upvalueindex(1));
  lua_insert(L, 1);
  lua_call(L, lua_gettop(L) - 1, 1);
  return 1;
}

/* table.move copies in one C loop: a range past the memory cap is refused,
 * and the copy is charged to the budget. */
static int guarded_move(lua_State *L) {
  bridge *b = bridge_of(L);
  lua_Integer f = luaL_checkinteger(L, 2), e = luaL_checkinteger(L, 3);
  if (e >= f) spend(L, b, (double)e - (double)f + 1);
  lua_pushvalue(L, lua_upvalueindex(1));
  lua_insert(L, 1);
  lua_call(L, lua_gettop(L) - 1, 1);
  return 1;
}

/* A library function whose work grows with its arguments and happens in
 * one C call (utf8.len, table.sort, table.concat, tonumber, load) is
 * charged to the budget before the call by the work it will do: a
 * character in 16 of the strings it scans, an element it visits or moves
 * (n log n for a sort), a character of the source it compiles. */
typedef enum { SCANS, SORTS, CONCATS, SHIFTS, UNPACKS, COMPILES, BYTES, FORMATS } call_cost;

/* string.byte(s, i, j): the values it makes, j - i + 1 of s's bytes
 * (negative places count from the end, as the library reads them) */
static double bytes_asked(lua_State *L) {
  if (lua_type(L, 1) != LUA_TSTRING) return 0;
  double len = (double)lua_rawlen(L, 1);
  double i = lua_isinteger(L, 2) ? (double)lua_tointeger(L, 2) : 1;
  double j = lua_isinteger(L, 3) ? (double)lua_tointeger(L, 3) : i;
  if (i < 0) i = len + i + 1 < 1 ? 1 : len + i + 1;
  if (j < 0) j = len + j + 1;
  if (i < 1) i = 1;
  if (j > len) j = len;
  return j >= i ? j - i + 1 : 0;
}

/* t's elements from i to j, as concat and unpack take them */
static double span_of(lua_State *L, int table, int i_arg) {
  double len = (double)lua_rawlen(L, table);
  double i = lua_isinteger(L, i_arg) ? (double)lua_tointeger(L, i_arg) : 1;
  double j = lua_isinteger(L, i_arg + 1) ? (double)lua_tointeger(L, i_arg + 1) : len;
  return j >= i ? j - i + 1 : 0;
}

static double call_work(lua_State *L, call_cost kind) {
  int n = lua_gettop(L);
  bool table = lua_type(L, 1) == LUA_TTABLE;
  double len = table ? (double)lua_rawlen(L, 1) : 0;
  switch (kind) {
  case SORTS: {
    double log = 1;
    for (double m = len; m > 1; m /= 2) log++;
    return len * log;
  }
  case CONCATS: return table ? span_of(L, 1, 3) : 0;
  case UNPACKS: return table ? span_of(L, 1, 2) : 0;
  case SHIFTS: { /* insert(t, pos, v) and remove(t, pos) move what is after pos */
    bool removes = lua_toboolean(L, lua_upvalueindex(4));
    if (!table || n < (removes ? 2 : 3) || !lua_isinteger(L, 2)) return 0; /* at the end */
    double pos = (double)lua_tointeger(L, 2);
    return pos < len ? len - pos : 0;
  }
  case BYTES: return bytes_asked(L);
  case FORMATS: /* string.pack and unpack: an item of the format a character */
    return lua_type(L, 1) == LUA_TSTRING ? (double)lua_rawlen(L, 1) : 0;
  case SCANS:
  case COMPILES: {
    double chars = 0;
    for (int i = 1; i <= n; i++)
      if (lua_type(L, i) == LUA_TSTRING) chars += (double)lua_rawlen(L, i);
    return kind == COMPILES ? chars : chars / 16;
  }
  }
  return 0;
}

static int charged_call(lua_State *L) {
  bridge *b = bridge_of(L);
  spend(L, b, 1 + call_work(L, (call_cost)lua_tointeger(L, lua_upvalueindex(2))));
  lua_pushvalue(L, lua_upvalueindex(1));
  lua_insert(L, 1);
  if (lua_pcall(L, lua_gettop(L) - 1, LUA_MULTRET, 0) != LUA_OK) {
    /* a memory error calls no message handler: the line is noted here,
     * while the hook's frame is still on the stack */
    int line = hook_line(L, b);
    if (line) b->error_line = line;
    /* called from here, the library cannot name itself in its argument
     * errors ("bad argument #1 to '?'"): put the name back */
    const char *msg = lua_type(L, -1) == LUA_TSTRING ? lua_tostring(L, -1) : NULL;
    if (msg && strstr(msg, "to '?'"))
      luaL_gsub(L, msg, "to '?'", lua_tostring(L, lua_upvalueindex(3)));
    return lua_error(L);
  }
  return lua_gettop(L);
}

/* Replaces t[name] (t on top of the stack) with its charged version. */
static void charge_calls_of(lua_State *L, const char *const *names, call_cost kind) {
  for (; *names; names++) {
    lua_getfield(L, -1, *names);
    lua_pushinteger(L, kind);
    lua_pushfstring(L, "to '%s'", *names);
    lua_pushboolean(L, strcmp(*names, "remove") == 0); /* remove(t, pos) has no value */
    lua_pushcclosure(L, charged_call, 4);
    lua_setfield(L, -2, *names);
  }
}

/* ---- pairs in a fixed order ------------------------------------------------ */

/* Lua seeds its string hashes afresh in every run, so `next` visits a
 * table's keys in an order that changes from run to run, and a hook that
 * escalates or flags inside `pairs` would make a different report each
 * time.  `pairs` visits them sorted instead: numbers, then strings, then
 * false and true, then entities in the order of the portfolio, then
 * anything else (tables, functions) in an order of their own. */
typedef struct ranked_key {
  int rank;           /* 0 number, 1 string, 2 boolean, 3 entity, 4 other */
  bool integer;
  lua_Integer i;
  lua_Number n;
  const char *s;      /* held by the table of keys while sorting */
  size_t len;
  uintptr_t other;    /* a boolean's value, an entity's place, an address */
  lua_Integer at;     /* where the key is in the table of keys */
} ranked_key;

static int compare_keys(const void *pa, const void *pb) {
  const ranked_key *a = pa, *b = pb;
  if (a->rank != b->rank) return a->rank < b->rank ? -1 : 1;
  switch (a->rank) {
  case 0:
    if (a->integer && b->integer) return (a->i > b->i) - (a->i < b->i);
    {
      lua_Number x = a->integer ? (lua_Number)a->i : a->n;
      lua_Number y = b->integer ? (lua_Number)b->i : b->n;
      if (x != y) return x < y ? -1 : 1;
      return (a->integer < b->integer) - (a->integer > b->integer); /* 1 and 1.0: apart */
    }
  case 1: {
    int c = memcmp(a->s, b->s, a->len < b->len ? a->len : b->len);
    if (c) return c;
    return (a->len > b->len) - (a->len < b->len);
  }
  default:
    return (a->other > b->other) - (a->other < b->other);
  }
}

static void rank_key(lua_State *L, int at, ranked_key *k) {
  memset(k, 0, sizeof *k);
  switch (lua_type(L, at)) {
  case LUA_TNUMBER:
    k->integer = lua_isinteger(L, at);
    if (k->integer) k->i = lua_tointeger(L, at);
    else k->n = lua_tonumber(L, at);
    break;
  case LUA_TSTRING:
    k->rank = 1;
    k->s = lua_tolstring(L, at, &k->len);
    break;
  case LUA_TBOOLEAN:
    k->rank = 2;
    k->other = (uintptr_t)lua_toboolean(L, at);
    break;
  default: {
    chg_node **slot = lua_type(L, at) == LUA_TUSERDATA ? luaL_testudata(L, at, VIEW) : NULL;
    k->rank = slot ? 3 : 4;
    k->other = slot ? (uintptr_t)(*slot)->index : (uintptr_t)lua_topointer(L, at);
  }
  }
}

/* The iterator: upvalue 1 the keys in order, 2 how many are done, 3 the
 * table they are keys of.  A key whose value was set to nil since is
 * passed over, as `next` would. */
static int ordered_next(lua_State *L) {
  lua_Integer done = lua_tointeger(L, lua_upvalueindex(2));
  for (;;) {
    if (lua_rawgeti(L, lua_upvalueindex(1), ++done) == LUA_TNIL) return 1;
    lua_pushvalue(L, -1);
    if (lua_rawget(L, lua_upvalueindex(3)) != LUA_TNIL) break;
    lua_pop(L, 2);
  }
  lua_pushinteger(L, done);
  lua_replace(L, lua_upvalueindex(2));
  return 2;
}

/* Pushes the keys of the table at `t`, in a table in the order above,
 * charged n log n to the budget. */
static void push_sorted_keys(lua_State *L, int t) {
  bridge *b = bridge_of(L);
  t = lua_absindex(L, t);
  lua_newtable(L);
  int keys = lua_gettop(L);
  lua_Integer n = 0;
  lua_pushnil(L);
  while (lua_next(L, t)) {
    lua_pop(L, 1);
    lua_pushvalue(L, -1);
    lua_rawseti(L, keys, ++n);
  }
  double log = 1;
  for (double m = (double)n; m > 1; m /= 2) log++;
  spend(L, b, 1 + (double)n * log);
  ranked_key *ranked = lua_newuserdatauv(L, (size_t)n * sizeof *ranked + 1, 0);
  for (lua_Integer i = 1; i <= n; i++) {
    lua_rawgeti(L, keys, i);
    rank_key(L, -1, &ranked[i - 1]);
    ranked[i - 1].at = i;
    lua_pop(L, 1); /* the string stays in `keys` */
  }
  qsort(ranked, (size_t)n, sizeof *ranked, compare_keys);
  lua_createtable(L, (int)(n < INT_MAX ? n : INT_MAX), 0);
  for (lua_Integer i = 1; i <= n; i++) {
    lua_rawgeti(L, keys, ranked[i - 1].at);
    lua_rawseti(L, -2, i);
  }
  lua_replace(L, keys); /* the sorted keys where the keys were; the ranks go */
  lua_settop(L, keys);
}

/* Pushes the iterator, `t` and nil for a walk of the table at `t` (a
 * table of keys and values, or the frozen library behind a proxy at
 * `shown`). */
static int push_ordered_walk(lua_State *L, int t, int shown) {
  t = lua_absindex(L, t);
  push_sorted_keys(L, t);
  lua_pushinteger(L, 0);
  lua_pushvalue(L, t);
  lua_pushcclosure(L, ordered_next, 3);
  lua_pushvalue(L, shown ? shown : t);
  lua_pushnil(L);
  return 3;
}

/* next(t, k) in the order pairs walks: a walk from next(t) sorts the keys
 * once and keeps them, with each key's place, in a table the registry
 * holds weakly by `t`; each next(t, k) after it is a lookup.  A key not
 * among those kept (added since) has them sorted again.  Lua's own next
 * follows the hash order, which changes from run to run. */
static const char NEXT_ORDER[] = "chg.next_order";

/* The place of the key at `key` in the kept order at `order`, in *at;
 * false when it is not among them. */
static bool place_in_order(lua_State *L, int order, int key, lua_Integer *at) {
  lua_rawgeti(L, order, 2);
  lua_pushvalue(L, key);
  bool found = lua_rawget(L, -2) == LUA_TNUMBER;
  if (found) *at = lua_tointeger(L, -1);
  lua_pop(L, 2);
  return found;
}

/* Sorts the keys of the table at 1 and keeps them, with each key's place,
 * in the registry's table at `kept`; pushes what it keeps. */
static void push_new_order(lua_State *L, int kept) {
  push_sorted_keys(L, 1);
  int sorted = lua_gettop(L);
  lua_Integer n = (lua_Integer)lua_rawlen(L, sorted);
  lua_createtable(L, 2, 0);
  lua_pushvalue(L, sorted);
  lua_rawseti(L, -2, 1);
  lua_createtable(L, 0, (int)(n < INT_MAX ? n : INT_MAX)); /* each key's place */
  for (lua_Integer i = 1; i <= n; i++) {
    lua_rawgeti(L, sorted, i);
    lua_pushinteger(L, i);
    lua_rawset(L, -3);
  }
  lua_rawseti(L, -2, 2);
  lua_remove(L, sorted);
  lua_pushvalue(L, 1);
  lua_pushvalue(L, -2);
  lua_rawset(L, kept);
}

static int sorted_next(lua_State *L) {
  luaL_checktype(L, 1, LUA_TTABLE);
  lua_settop(L, 2);
  lua_getfield(L, LUA_REGISTRYINDEX, NEXT_ORDER); /* 3 */
  lua_pushvalue(L, 1);
  lua_rawget(L, 3); /* 4: the order kept, or nil */
  lua_Integer at = 0;
  bool from_start = lua_isnil(L, 2);
  if (from_start || !lua_istable(L, 4) || !place_in_order(L, 4, 2, &at)) {
    lua_settop(L, 3);
    push_new_order(L, 3); /* 4 */
    if (!from_start && !place_in_order(L, 4, 2, &at)) return luaL_error(L, "invalid key to 'next'");
  }
  lua_rawgeti(L, 4, 1); /* 5: the sorted keys */
  for (;;) {
    if (lua_rawgeti(L, 5, ++at) == LUA_TNIL) return 1; /* past the last: nil */
    lua_pushvalue(L, -1);
    if (lua_rawget(L, 1) != LUA_TNIL) return 2; /* a key set to nil since is passed over */
    lua_pop(L, 2);
  }
}

/* What __pairs returned, when it yielded and was resumed. */
static int three_returned(lua_State *L, int status, lua_KContext ctx) {
  (void)L;
  (void)status;
  (void)ctx;
  return 3;
}

/* pairs(t): the table's __pairs if it has one, else the walk in order. */
static int ordered_pairs(lua_State *L) {
  luaL_checkany(L, 1);
  if (luaL_getmetafield(L, 1, "__pairs") != LUA_TNIL) {
    lua_pushvalue(L, 1);
    lua_callk(L, 1, 3, 0, three_returned); /* __pairs may yield, as in Lua's pairs */
    return 3;
  }
  luaL_checktype(L, 1, LUA_TTABLE);
  return push_ordered_walk(L, 1, 0);
}

/* A frozen library: the walk of the library behind the proxy. */
static int proxy_pairs(lua_State *L) {
  lua_getmetatable(L, 1);              /* the raw metatable: not through __metatable */
  lua_getfield(L, -1, "__index");
  return push_ordered_walk(L, -1, 1);
}

static int readonly(lua_State *L) {
  return luaL_error(L, "the %s library is read-only in hooks",
                    lua_tostring(L, lua_upvalueindex(1)));
}

/* Replaces the table on top with a read-only proxy of it. */
static void freeze(lua_State *L, const char *name) {
  /* the table itself, by name where Lua's messages look for a function
   * called through pcall (`bad argument #1 to 'rawget'`, not to '?'); the
   * registry is not the hooks' to read */
  lua_getfield(L, LUA_REGISTRYINDEX, LUA_LOADED_TABLE);
  lua_pushvalue(L, -2);
  lua_setfield(L, -2, strcmp(name, "base") == 0 ? LUA_GNAME : name);
  lua_pop(L, 1);
  lua_newtable(L);                 /* proxy */
  lua_newtable(L);                 /* its metatable */
  lua_pushvalue(L, -3);
  lua_setfield(L, -2, "__index");
  lua_pushstring(L, name);
  lua_pushcclosure(L, readonly, 1);
  lua_setfield(L, -2, "__newindex");
  lua_pushcfunction(L, proxy_pairs);
  lua_setfield(L, -2, "__pairs");
  lua_pushliteral(L, "locked");
  lua_setfield(L, -2, "__metatable");
  lua_setmetatable(L, -2);
  lua_remove(L, -2);
}

static void open_sandbox(bridge *b) {
  lua_State *L = b->L;
  static const luaL_Reg libs[] = {
      {LUA_GNAME, luaopen_base},       {LUA_STRLIBNAME, luaopen_string},
      {LUA_TABLIBNAME, luaopen_table}, {LUA_MATHLIBNAME, luaopen_math},
      {LUA_UTF8LIBNAME, luaopen_utf8}, {LUA_COLIBNAME, luaopen_coroutine},
      {NULL, NULL}};
  for (const luaL_Reg *lib = libs; lib->func; lib++) {
    luaL_requiref(L, lib->name, lib->func, 1);
    lua_pop(L, 1);
  }
  /* math.random from the same seed in every file (run_file seeds it), as
   * every report is the same from the same files (math.randomseed() asks
   * for another) */
  lua_getglobal(L, LUA_MATHLIBNAME);
  lua_getfield(L, -1, "randomseed");
  lua_setfield(L, LUA_REGISTRYINDEX, RANDOMSEED);
  lua_pop(L, 1);
  lua_pushlightuserdata(L, b);
  lua_setfield(L, LUA_REGISTRYINDEX, BRIDGE_KEY);
  /* one view an entity, while a hook holds it (so that `==` compares
   * entities); weak, or a hook on every risk of a national portfolio
   * would keep millions of them within its memory limit */
  lua_newtable(L);
  lua_createtable(L, 0, 1);
  lua_pushliteral(L, "v");
  lua_setfield(L, -2, "__mode");
  lua_setmetatable(L, -2);
  lua_setfield(L, LUA_REGISTRYINDEX, "chg.views");

  luaL_newmetatable(L, VIEW);
  lua_pushcfunction(L, view_index);
  lua_setfield(L, -2, "__index");
  lua_pushcfunction(L, view_newindex);
  lua_setfield(L, -2, "__newindex");
  lua_pushcfunction(L, view_tostring);
  lua_setfield(L, -2, "__tostring");
  lua_pushliteral(L, "locked");
  lua_setfield(L, -2, "__metatable");
  lua_pop(L, 1);

  /* the string metatable: strings keep their methods, nobody may change it */
  lua_pushliteral(L, "");
  lua_getmetatable(L, -1);
  lua_pushliteral(L, "locked");
  lua_setfield(L, -2, "__metatable");
  lua_pop(L, 2);

  /* next's kept orders, by table, let go with the table */
  lua_newtable(L);
  lua_createtable(L, 0, 1);
  lua_pushliteral(L, "k");
  lua_setfield(L, -2, "__mode");
  lua_setmetatable(L, -2);
  lua_setfield(L, LUA_REGISTRYINDEX, NEXT_ORDER);

  /* the base every hook environment reads from */
  lua_newtable(L);
  static const char *const base_names[] = {
      "assert", "error", "ipairs", "next", "pairs", "pcall", "rawequal", "rawget",
      "rawlen", "select", "tonumber", "tostring", "type",
      "getmetatable", "_VERSION", NULL};
  for (const char *const *n = base_names; *n; n++) {
    lua_getglobal(L, *n);
    lua_setfield(L, -2, *n);
  }
  lua_pushcfunction(L, ordered_pairs);
  lua_setfield(L, -2, "pairs");
  lua_pushcfunction(L, sorted_next);
  lua_setfield(L, -2, "next");
  static const char *const base_loops[] = {"tonumber", "tostring", NULL};
  charge_calls_of(L, base_loops, SCANS);
  lua_pushcfunction(L, checked_setmetatable);
  lua_setfield(L, -2, "setmetatable");
  lua_pushcfunction(L, safe_load);
  lua_pushinteger(L, COMPILES);
  lua_pushliteral(L, "to 'load'");
  lua_pushboolean(L, false);
  lua_pushcclosure(L, charged_call, 4);
  lua_setfield(L, -2, "load");
  lua_pushcfunction(L, safe_rawset);
  lua_setfield(L, -2, "rawset");
  lua_getglobal(L, "xpcall");
  lua_pushcclosure(L, safe_xpcall, 1);
  lua_setfield(L, -2, "xpcall");
  lua_pushcfunction(L, safe_collectgarbage);
  lua_setfield(L, -2, "collectgarbage");
  lua_pushcfunction(L, api_log);
  lua_setfield(L, -2, "print");

  /* string: without dump, with the pattern functions guarded */
  lua_getglobal(L, LUA_STRLIBNAME);
  lua_newtable(L);
  lua_pushnil(L);
  while (lua_next(L, -3)) {
    const char *k = lua_tostring(L, -2);
    if (strcmp(k, "dump") == 0) {
      lua_pop(L, 1);
      continue;
    }
    if (!strcmp(k, "find") || !strcmp(k, "match") || !strcmp(k, "gmatch") || !strcmp(k, "gsub")) {
      lua_pushboolean(L, !strcmp(k, "find")); /* the one that may search plain text */
      lua_pushcclosure(L, guarded_match, 2);
    }
    else if (!strcmp(k, "rep"))
      lua_pushcclosure(L, guarded_rep, 1);
    lua_pushvalue(L, -2);
    lua_insert(L, -2);
    lua_settable(L, -4);
  }
  /* byte, pack and unpack make a value an item, in one C call */
  static const char *const string_bytes[] = {"byte", NULL},
                           *const string_formats[] = {"pack", "unpack", "packsize", NULL};
  charge_calls_of(L, string_bytes, BYTES);
  charge_calls_of(L, string_formats, FORMATS);
  /* methods on strings ("x"):find(...) go through the same guarded table,
   * and any other field of a text is an error (string_field) */
  lua_pushliteral(L, "");
  lua_getmetatable(L, -1);
  lua_pushvalue(L, -3);
  lua_pushcclosure(L, string_field, 1);
  lua_setfield(L, -2, "__index");
  lua_pop(L, 2);
  freeze(L, "string");
  lua_setfield(L, -3, "string");
  lua_pop(L, 1);

  /* table, with move guarded and the calls that loop in C charged */
  lua_getglobal(L, LUA_TABLIBNAME);
  lua_getfield(L, -1, "move");
  lua_pushcclosure(L, guarded_move, 1);
  lua_setfield(L, -2, "move");
  static const char *const table_concat[] = {"concat", NULL}, *const table_sort[] = {"sort", NULL},
                           *const table_shifts[] = {"insert", "remove", NULL},
                           *const table_unpack[] = {"unpack", NULL};
  charge_calls_of(L, table_concat, CONCATS);
  charge_calls_of(L, table_sort, SORTS);
  charge_calls_of(L, table_shifts, SHIFTS);
  charge_calls_of(L, table_unpack, UNPACKS);
  lua_pop(L, 1);
  lua_getglobal(L, LUA_UTF8LIBNAME);
  static const char *const utf8_loops[] = {"len", "codepoint", "offset", "char", NULL};
  charge_calls_of(L, utf8_loops, SCANS);
  lua_pop(L, 1);
  lua_getglobal(L, LUA_COLIBNAME);
  lua_getfield(L, -1, "resume");
  lua_pushcclosure(L, tracked_resume, 1);
  lua_setfield(L, -2, "resume");
  lua_getfield(L, -1, "wrap");
  lua_pushcclosure(L, tracked_wrap, 1);
  lua_setfield(L, -2, "wrap");
  lua_getfield(L, -1, "close");
  lua_pushcclosure(L, tracked_close, 1);
  lua_setfield(L, -2, "close");
  lua_pop(L, 1);
  static const char *const libs_to_freeze[] = {"table", "math", "utf8", "coroutine", NULL};
  for (const char *const *n = libs_to_freeze; *n; n++) {
    lua_getglobal(L, *n);
    freeze(L, *n);
    lua_setfield(L, -2, *n);
  }

  /* os: the time and nothing else */
  luaL_requiref(L, LUA_OSLIBNAME, luaopen_os, 0);
  lua_newtable(L);
  static const char *const os_names[] = {"time", "date", "clock", "difftime", NULL};
  for (const char *const *n = os_names; *n; n++) {
    lua_getfield(L, -2, *n);
    lua_setfield(L, -2, *n);
  }
  freeze(L, "os");
  lua_setfield(L, -3, "os");
  lua_pop(L, 1);

  /* chg */
  luaL_newlib(L, chg_api);
  freeze(L, "chg");
  lua_setfield(L, -2, "chg");

  freeze(L, "base");
  lua_setfield(L, LUA_REGISTRYINDEX, "chg.base");

  /* nothing but the proxies is reachable: the real globals are emptied */
  lua_pushglobaltable(L);
  lua_pushnil(L);
  while (lua_next(L, -2)) {
    lua_pop(L, 1);
    lua_pushvalue(L, -1);
    lua_pushnil(L);
    lua_rawset(L, -4);
  }
  lua_pop(L, 1);
}

/* A fresh environment for one hook file, reading through to the base. */
static void push_environment(lua_State *L) {
  lua_newtable(L);
  lua_newtable(L);
  lua_getfield(L, LUA_REGISTRYINDEX, "chg.base");
  lua_setfield(L, -2, "__index");
  lua_pushboolean(L, 0);
  lua_setfield(L, -2, "__metatable");
  lua_setmetatable(L, -2);
  lua_pushvalue(L, -1);
  lua_setfield(L, -2, "_G");
}

/* ---- running hooks --------------------------------------------------------------------------- */

static const struct {
  const char *function;
  int kind; /* -1: the portfolio */
} entry_points[] = {
    {"on_portfolio", CHG_K_PORTFOLIO}, {"on_programme", CHG_K_PROGRAMME},
    {"on_project", CHG_K_PROJECT},     {"on_workstream", CHG_K_WORKSTREAM},
    {"on_risk", CHG_K_RISK},           {"on_milestone", CHG_K_MILESTONE},
    {"on_benefit", CHG_K_BENEFIT},     {"on_recommendation", CHG_K_RECOMMENDATION},
};

/* The first line of the hook file that names `name` as a whole word (an
 * assignment `on_risk = ...`, a `function on_risk`), or 0: where a value
 * that has no line of its own was set. */
static int line_naming(bridge *b, const char *name) {
  const chg_file *f = b->file;
  size_t n = strlen(name);
  if (!f || !n) return 0;
  int line = 1;
  char quote = 0; /* inside a '...' or "..." string on this line */
  for (size_t i = 0; i + n <= f->len; i++) {
    char c = f->text[i];
    if (c == '\n') {
      line++;
      quote = 0;
      continue;
    }
    /* a name in a string is (`load("function on_risk(r) ... end")`), a
     * name in a comment is not: `-- on_risk below ...` */
    if (quote) {
      if (c == '\\' && i + 1 < f->len && f->text[i + 1] != '\n') {
        i++;
        continue;
      }
      if (c == quote) quote = 0;
    } else if (c == '\'' || c == '"') {
      quote = c;
      continue;
    } else if (c == '-' && i + 1 < f->len && f->text[i + 1] == '-') {
      bool long_comment = i + 3 < f->len && f->text[i + 2] == '[' &&
                          (f->text[i + 3] == '[' || f->text[i + 3] == '=');
      size_t j = i + 2;
      if (long_comment) { /* to its `]]` (or `]=]`, and so on) */
        while (j + 1 < f->len && !(f->text[j] == ']' && (f->text[j + 1] == ']' || f->text[j + 1] == '='))) {
          line += f->text[j] == '\n';
          j++;
        }
      } else {
        while (j < f->len && f->text[j] != '\n') j++;
        j--; /* the newline is counted by the loop */
      }
      i = j;
      continue;
    }
    if (memcmp(f->text + i, name, n) != 0) continue;
    char before = i ? f->text[i - 1] : ' ', after = i + n < f->len ? f->text[i + n] : ' ';
    bool word_before = before == '_' || (before >= '0' && before <= '9') ||
                       ((before | 0x20) >= 'a' && (before | 0x20) <= 'z');
    bool word_after = after == '_' || (after >= '0' && after <= '9') ||
                      ((after | 0x20) >= 'a' && (after | 0x20) <= 'z');
    if (!word_before && !word_after) return line;
  }
  return 0;
}

/* Where the function at the top of L is named in the hook file: the
 * line that writes its name (`function on_programe(p)`, or `on_programe =
 * check` after `local function check`), where the misspelling is; else
 * its first line, for a function of the file; else the file's first
 * line, as for a name the file builds (`"on_" .. "risk"`). */
static int defined_line(bridge *b, lua_State *L, const char *name) {
  int line = line_naming(b, name);
  if (line) return line;
  lua_Debug ar;
  lua_pushvalue(L, -1);
  if (lua_getinfo(L, ">S", &ar) && ar.source[0] == '@' && strcmp(ar.source + 1, b->path) == 0 &&
      ar.linedefined > 0)
    return ar.linedefined;
  return 1;
}

/* A function chg will never call, to warn of. */
typedef struct uncalled {
  int line;
  const char *raw;     /* as the environment has it */
  size_t raw_len;
  const char *name;    /* printable */
  const char *closest; /* "; did you mean `on_risk`?", or "" */
} uncalled;

static int compare_uncalled(const void *pa, const void *pb) {
  const uncalled *a = *(const uncalled *const *)pa, *b = *(const uncalled *const *)pb;
  if (a->line != b->line) return a->line < b->line ? -1 : 1;
  return strcmp(a->name, b->name);
}

static int compare_uncalled_names(const void *pa, const void *pb) {
  return strcmp((*(const uncalled *const *)pa)->name, (*(const uncalled *const *)pb)->name);
}

/* Functions chg never calls said one by one; past these, the rest are
 * counted.  Each is found in the file by a search of its text, so a file
 * that makes 100,000 of them is not searched 100,000 times. */
enum { UNCALLED_SAID = 16 };

/* `on_programe`, `on_unit`: a function of the hook's environment (on top
 * of the stack) named as chg's are, that chg will never call -- most
 * likely a misspelling, which would otherwise do nothing, silently.  Said
 * in the order of their lines, then names: the environment's own order
 * changes from run to run (Lua seeds its string hashes afresh), and two
 * defined on one line would swap places in the output. */
static void warn_uncalled(bridge *b, lua_State *L) {
  chg_vec found = {0};
  lua_pushnil(L);
  while (lua_next(L, -2)) {
    const char *name = lua_type(L, -2) == LUA_TSTRING ? lua_tostring(L, -2) : NULL;
    bool known = !name || strncmp(name, "on_", 3) != 0 || lua_type(L, -1) != LUA_TFUNCTION;
    chg_suggester s;
    if (!known) chg_suggest_init(&s, name);
    for (size_t k = 0; !known && k < sizeof entry_points / sizeof entry_points[0]; k++) {
      known = strcmp(name, entry_points[k].function) == 0;
      chg_suggest_offer(&s, entry_points[k].function);
    }
    if (!known) {
      uncalled *u = CHG_NEW(&b->ctx->arena, uncalled);
      const char *raw = lua_tolstring(L, -2, &u->raw_len);
      u->raw = chg_arena_strndup(&b->ctx->arena, raw, u->raw_len);
      u->name = printable_n(b, raw, u->raw_len);
      u->closest = chg_suggest_text(b->ctx, &s);
      u->line = 0; /* found below, for those said */
      chg_vec_push(&b->ctx->al, &found, u);
    }
    lua_pop(L, 1);
  }
  /* the first by name when there are too many to say (the environment's
   * own order changes from run to run), then in the order of their lines */
  size_t said = found.len < UNCALLED_SAID ? found.len : UNCALLED_SAID;
  if (found.len > said) qsort(found.items, found.len, sizeof found.items[0], compare_uncalled_names);
  for (size_t i = 0; i < said; i++) {
    uncalled *u = found.items[i];
    lua_pushlstring(L, u->raw, u->raw_len);
    lua_rawget(L, -2);
    u->line = defined_line(b, L, u->raw);
    lua_pop(L, 1);
  }
  if (said) qsort(found.items, said, sizeof found.items[0], compare_uncalled);
  for (size_t i = 0; i < said; i++) {
    const uncalled *u = found.items[i];
    chg_warning(b->ctx, CHG_E_HOOK_UNCALLED, line_span(b, u->line),
                "`%s` is never called: chg calls on_portfolio, on_programme, on_project, "
                "on_workstream, on_risk, on_milestone, on_benefit and on_recommendation%s",
                u->name, u->closest);
  }
  if (found.len > said) {
    char more[32];
    chg_fmt_count(more, sizeof more, (int64_t)(found.len - said), false);
    /* at the last said, to be read after them */
    chg_warning(b->ctx, CHG_E_HOOK_UNCALLED,
                line_span(b, ((const uncalled *)found.items[said - 1])->line),
                "and %s more functions named `on_...` that chg never calls (the first %d "
                "by name are said above)", more, UNCALLED_SAID);
  }
  chg_vec_release(&b->ctx->al, &found);
}

/* Runs where the error was raised, before the stack unwinds: for a limit
 * hit it notes the hook's line (an out-of-memory error carries none).  The
 * error object is kept as it is: never stringified, it could be a table
 * with a looping __tostring. */
static int error_handler(lua_State *L) {
  bridge *b = bridge_of(L);
  int line = hook_line_within(L, b, FAILURE_LINE_DEPTH);
  b->error_line = line ? line : b->entry_line ? b->entry_line : b->last_line;
  b->caller_line = line ? hook_caller_line(L, b) : 0;
  if ((b->exhausted || b->out_of_memory) && !b->limit_line) b->limit_line = b->error_line;
  return 1;
}

/* Calls the function below its nargs arguments, leaving nresults results. */
static bool call_protected(bridge *b, int nargs, int nresults) {
  lua_State *L = b->L;
  int base = lua_gettop(L) - nargs;
  lua_pushcfunction(L, error_handler);
  lua_insert(L, base);
  int rc = lua_pcall(L, nargs, nresults, base);
  lua_remove(L, base);
  return rc == LUA_OK;
}

/* Whether `line` of the hook file writes `local` before `name`. */
static bool written_local(bridge *b, int line, const char *name) {
  chg_span at = line_span(b, line);
  const char *text = b->file->text + at.start, *end = b->file->text + at.end;
  size_t n = strlen(name);
  /* `local function NAME` or `local a, NAME = ...`: not a parameter that
   * happens to have the name (`local function each(pf, on_programme)`) */
  for (const char *w = text; w + 5 <= end; w++) {
    if (memcmp(w, "local", 5) != 0 || (w > text && (isalnum((unsigned char)w[-1]) || w[-1] == '_')) ||
        (w + 5 < end && (isalnum((unsigned char)w[5]) || w[5] == '_')))
      continue;
    const char *c = w + 5;
    while (c < end && (*c == ' ' || *c == '\t')) c++;
    bool function = end - c > 8 && memcmp(c, "function", 8) == 0 && (c[8] == ' ' || c[8] == '\t');
    if (function)
      for (c += 8; c < end && (*c == ' ' || *c == '\t');) c++;
    for (;;) {
      const char *word = c;
      while (c < end && (isalnum((unsigned char)*c) || *c == '_')) c++;
      if ((size_t)(c - word) == n && memcmp(word, name, n) == 0) return true;
      if (function || c == word) break;
      while (c < end && (*c == ' ' || *c == '\t')) c++;
      if (c >= end || *c != ',') break;
      for (c++; c < end && (*c == ' ' || *c == '\t');) c++;
    }
  }
  return false;
}

/* `local function on_risk(r)`, or `function M.on_risk(r)` in a table the
 * file returns (at the top of L, above the environment): written as Lua
 * is, but chg calls only the environment's own, so either would do
 * nothing, silently. */
static void warn_not_global(bridge *b, lua_State *L) {
  bool returned_table = lua_type(L, -1) == LUA_TTABLE;
  for (size_t k = 0; k < sizeof entry_points / sizeof entry_points[0]; k++) {
    const char *function = entry_points[k].function;
    lua_pushstring(L, function);
    bool global = lua_rawget(L, -3) != LUA_TNIL;
    lua_pop(L, 1);
    if (global) continue;
    bool in_table = false;
    if (returned_table) {
      lua_pushstring(L, function);
      in_table = lua_rawget(L, -2) == LUA_TFUNCTION;
      lua_pop(L, 1);
    }
    int line = line_naming(b, function);
    if (in_table)
      chg_warning(b->ctx, CHG_E_HOOK_UNCALLED, line_span(b, line ? line : 1),
                  "`%s` is in the table the file returns, and is never called: chg calls "
                  "the file's global `%s`; define it as `function %s(...)`, or give the "
                  "table's function to the global before the `return`", function, function,
                  function);
    else if (line && written_local(b, line, function))
      chg_warning(b->ctx, CHG_E_HOOK_UNCALLED, line_span(b, line),
                  "`%s` is local to the file, and is never called: chg calls the file's "
                  "global `%s`; leave out `local`", function, function);
  }
}

enum { MAX_HOOK_FILE = 16 << 20 };

/* After a file: nothing of it may stay reachable, so the next file starts
 * with its memory free. */
static void finish_file(bridge *b) {
  lua_pushnil(b->L);
  lua_setfield(b->L, LUA_REGISTRYINDEX, "chg.env");
  lua_gc(b->L, LUA_GCCOLLECT, 0);
}

/* Calls the function at 1 with the view of the entity at 2 (a light
 * userdata): inside the protected call, since making the view may find
 * the memory limit reached. */
static int call_on_entity(lua_State *L) {
  chg_node *n = lua_touserdata(L, 2);
  lua_settop(L, 1);
  push_entity(L, n);
  lua_call(L, 1, 0);
  return 0;
}

/* A hook file's text as Lua reads it, registered so that diagnostics can
 * quote its lines; NULL when it cannot be read, said unless `quietly`.  A
 * hook is an ordinary file of reasonable size: not /dev/zero, not a FIFO
 * that would block. */
static chg_file *read_hook(chg_ctx *ctx, const char *path, chg_span named_at, bool quietly) {
  const char *target = chg_link_elsewhere(ctx, path, ".lua");
  if (target) { /* a module's companion, say: checked here alone */
    if (!quietly)
      chg_error(ctx, CHG_E_HOOK_NOT_FOUND, named_at,
                "hook `%s` is a link to `%s`, which is not a Lua file, and is not read", path,
                target);
    return NULL;
  }
  struct stat st;
  if (stat(path, &st) != 0 || !S_ISREG(st.st_mode) || st.st_size > MAX_HOOK_FILE) {
    if (!quietly)
      chg_error(ctx, CHG_E_HOOK_NOT_FOUND, named_at,
                stat(path, &st) != 0   ? "cannot read hook `%s`"
                : !S_ISREG(st.st_mode) ? "hook `%s` is not an ordinary file"
                                       : "hook `%s` is larger than 16 MB",
                path);
    return NULL;
  }
  FILE *fp = fopen(path, "rb");
  if (!fp) {
    if (!quietly)
      chg_error(ctx, CHG_E_HOOK_NOT_FOUND, named_at, "cannot read hook `%s`: %s", path,
                strerror(errno));
    return NULL;
  }
  chg_buf text = {0};
  char chunk[65536];
  size_t got;
  while ((got = fread(chunk, 1, sizeof chunk, fp)) > 0 && text.len <= MAX_HOOK_FILE)
    chg_buf_put(&ctx->al, &text, chunk, got);
  if (ferror(fp)) { /* a read that failed is not an empty file */
    if (!quietly)
      chg_error(ctx, CHG_E_HOOK_NOT_FOUND, named_at, "cannot read hook `%s`: %s", path,
                strerror(errno));
    fclose(fp);
    chg_buf_release(&ctx->al, &text);
    return NULL;
  }
  fclose(fp);
  /* Lua counts \r, \r\n and \n\r as line breaks too: write them all as
   * \n, so that Lua's line numbers and chg's agree (Lua reads any of them
   * as a newline, even inside a string) */
  char *copy = chg_arena_alloc(&ctx->arena, text.len + 2);
  size_t len = 0, from = 0;
  /* as lua(1) reads a file: a byte-order mark and a first line starting
   * with `#` (#!/usr/bin/env lua) are skipped, the line kept empty so the
   * numbers stay right */
  if (text.len >= 3 && memcmp(text.data, "\xEF\xBB\xBF", 3) == 0) from = 3;
  if (from < text.len && text.data[from] == '#')
    while (from < text.len && text.data[from] != '\n' && text.data[from] != '\r') from++;
  for (size_t i = from; i < text.len; i++) {
    char c = text.data[i];
    if (c == '\r' || c == '\n') {
      if (i + 1 < text.len && (text.data[i + 1] == '\r' || text.data[i + 1] == '\n') &&
          text.data[i + 1] != c)
        i++;
      c = '\n';
    }
    copy[len++] = c;
  }
  chg_buf_release(&ctx->al, &text);
  return chg_ctx_add_file(ctx, path, NULL, copy, len);
}

/* Lua says which token it stopped at (`near '='`), not its column: where
 * that token is written once on the line, the caret goes under it; where
 * it is written more than once, or not at all, the line is shown whole. */
static chg_span narrow_to_token(bridge *b, chg_span line, const char *msg) {
  const char *near = strstr(msg, " near '");
  if (!near || !b->file || line.end <= line.start) return line;
  near += 7;
  const char *close = strrchr(near, '\'');
  size_t n = close && close > near ? (size_t)(close - near) : 0;
  const char *text = b->file->text + line.start;
  size_t len = line.end - line.start;
  if (!n || n > len) return line;
  const char *found = NULL;
  for (size_t i = 0; i + n <= len; i++)
    if (memcmp(text + i, near, n) == 0) {
      if (found) return line; /* twice: which one is not known */
      found = text + i;
    }
  if (!found) return line;
  uint32_t start = line.start + (uint32_t)(found - text);
  return (chg_span){line.file, start, start + (uint32_t)n};
}

/* The file's chunk compiled onto b->L's stack; false, said, when it does
 * not compile. */
static bool compile_hook(bridge *b) {
  lua_State *L = b->L;
  chg_ctx *ctx = b->ctx;
  char *chunkname = chg_arena_printf(&ctx->arena, "@%s", b->path);
  int loaded = luaL_loadbufferx(L, b->file->text, b->file->len, chunkname, "t");
  if (loaded == LUA_ERRMEM) {
    /* a valid file too large to compile within the cap: not a syntax error */
    chg_error(ctx, CHG_E_HOOK_MEMORY, line_span(b, 1),
              "hook `%s` needed more than %zu MB of memory to compile; it was not run "
              "(raise it with --hook-memory)", b->path, b->cap >> 20);
    lua_pop(L, 1);
    return false;
  }
  if (loaded != LUA_OK) {
    const char *msg = lua_type(L, -1) == LUA_TSTRING ? lua_tostring(L, -1) : "?";
    const char *rest;
    chg_span span = span_of_message(b, msg, &rest);
    /* `!=`, `&&`, `||` from other languages: Lua has its own words */
    const char *hint = strstr(rest, "near '!'")   ? " (in Lua, not-equal is `~=`)"
                       : strstr(rest, "near '&'") ? " (in Lua, `&&` is `and`)"
                       : strstr(rest, "near '|'") ? " (in Lua, `||` is `or`)"
                                                  : "";
    chg_error(ctx, CHG_E_HOOK_SYNTAX, narrow_to_token(b, span, rest), "hook does not compile: %s%s",
              rest, hint);
    /* `'end' expected (to close 'function' at line 1) near <eof>`: the
     * block left open is where to look, not the end of the file */
    const char *open_at = strstr(rest, "(to close '");
    char opener[16];
    int line = 0;
    if (open_at && sscanf(open_at, "(to close '%15[^']' at line %d)", opener, &line) == 2 &&
        line > 0)
      chg_note(ctx, opener_span(b, line, opener), "the `%s` still open begins here", opener);
    lua_pop(L, 1);
    return false;
  }
  return true;
}

/* A function's failures, said once for each line they were raised at
 * (the first few), with how many entities each failed for: one mistake is
 * one error, and two mistakes are not one. */
enum { FAILURE_LINES_SAID = 4 };

typedef struct failure_lines {
  struct {
    int line;
    size_t times, diag;
  } at[FAILURE_LINES_SAID];
  size_t n, unsaid; /* lines said; failures at lines past them */
} failure_lines;

/* A failure at `line`: true when it is to be said (the first at its line,
 * as diagnostic `diag`), false when it is only counted. */
static bool failure_to_say(failure_lines *fl, int line, size_t diag) {
  for (size_t f = 0; f < fl->n; f++)
    if (fl->at[f].line == line) {
      fl->at[f].times++;
      return false;
    }
  if (fl->n == FAILURE_LINES_SAID) {
    fl->unsaid++;
    return false;
  }
  fl->at[fl->n].line = line;
  fl->at[fl->n].times = 1;
  fl->at[fl->n++].diag = diag;
  return true;
}

/* Each failure said says how many of `all` it failed for, the last what
 * failed at other lines. */
static void count_failures(chg_ctx *ctx, const failure_lines *fl, const chg_vec *all) {
  const char *kind = all->len ? ((const chg_node *)all->items[0])->key : "";
  for (size_t f = 0; f < fl->n; f++) {
    size_t times = fl->at[f].times;
    if (times < 2 || fl->at[f].diag >= ctx->ndiags) continue;
    chg_diag *d = &ctx->diags[fl->at[f].diag];
    d->message = times == all->len && all->len == 2
                     ? chg_arena_printf(&ctx->arena, "%s (it failed for both %ss)", d->message, kind)
                 : times == all->len
                     ? chg_arena_printf(&ctx->arena, "%s (it failed for all %zu %ss)", d->message,
                                        all->len, kind)
                     : chg_arena_printf(&ctx->arena, "%s (it failed for %zu of the %zu %ss)",
                                        d->message, times, all->len, kind);
  }
  if (fl->unsaid && fl->n && fl->at[fl->n - 1].diag < ctx->ndiags) {
    chg_diag *d = &ctx->diags[fl->at[fl->n - 1].diag];
    d->message = chg_arena_printf(&ctx->arena, "%s; it failed at other lines too, for %zu more %s%s",
                                  d->message, fl->unsaid, kind, fl->unsaid == 1 ? "" : "s");
  }
}

/* Whether the environment on top of the stack defines as a function any
 * entry point after the k-th: read with lua_next, which allocates nothing
 * (the budget that stopped the file may be spent). */
static bool entry_points_after(lua_State *L, size_t k) {
  bool any = false;
  lua_pushnil(L);
  while (lua_next(L, -2)) {
    if (lua_type(L, -1) == LUA_TFUNCTION && lua_type(L, -2) == LUA_TSTRING) {
      const char *name = lua_tostring(L, -2);
      for (size_t j = k + 1; j < sizeof entry_points / sizeof entry_points[0] && !any; j++)
        any = strcmp(name, entry_points[j].function) == 0;
    }
    lua_pop(L, 1);
  }
  return any;
}

static void run_file(bridge *b, const char *path, chg_span named_at) {
  lua_State *L = b->L;
  chg_ctx *ctx = b->ctx;
  b->file = read_hook(ctx, path, named_at, false);
  if (!b->file) return;
  b->path = b->file->path;
  b->spent = 0;
  b->exhausted = b->timed_out = false;
  start_clock(b);
  b->out_of_memory = false;
  b->refused = false;
  b->refused_size = 0;
  b->refused_line = 0;
  b->reported = false;
  b->limit_line = b->last_line = b->error_line = 0;
  b->nunknown_fields = 0;
  b->more_unknown_said = false;
  /* what chg keeps for the hooks is not reset: it is the run's, and all
   * hook files together may have it keep no more than the limit */
  b->logs = 0;
  b->resumed = NULL;
  lua_sethook(L, count_hook, LUA_MASKCOUNT, COUNT_STEP);
  /* the generator is the libraries' and so shared: seeded afresh, so that
   * what one file draws (or seeds) does not change what the next draws */
  lua_getfield(L, LUA_REGISTRYINDEX, RANDOMSEED);
  lua_pushinteger(L, 0);
  lua_call(L, 1, 0);

  if (!compile_hook(b)) return;
  push_environment(L);
  lua_pushvalue(L, -1);
  lua_setfield(L, LUA_REGISTRYINDEX, "chg.env"); /* for load() */
  lua_pushvalue(L, -1);
  lua_setupvalue(L, -3, 1); /* the chunk's _ENV */
  lua_insert(L, -2);        /* env below the chunk */
  bool ok = call_protected(b, 0, 1);
  if (!ok || b->exhausted || b->out_of_memory) {
    if (ok) lua_pop(L, 1); /* what it returned */
    if (ok) lua_pushnil(L); /* a limit the hook swallowed: report it anyway */
    report_failure(b, L, "while loading");
    lua_pop(L, 1);
    finish_file(b);
    return;
  }
  warn_not_global(b, L);
  lua_pop(L, 1); /* what the file returned */
  warn_uncalled(b, L);
  size_t cut_at = sizeof entry_points / sizeof entry_points[0];
  bool cut_inside = false;
  for (size_t k = 0; k < sizeof entry_points / sizeof entry_points[0]; k++) {
    const char *function = entry_points[k].function;
    lua_pushstring(L, function);
    int type = lua_rawget(L, -2);
    if (type != LUA_TFUNCTION) {
      /* `on_risk = {}`: named as chg's are, and so never called, silently */
      if (type != LUA_TNIL)
        chg_warning(ctx, CHG_E_HOOK_UNCALLED, line_span(b, line_naming(b, function)),
                    "`%s` is a %s, not a function: chg calls it only when it is one",
                    function, lua_typename(L, type));
      lua_pop(L, 1);
      continue;
    }
    b->entry_line = defined_line(b, L, function);
    const chg_vec *all = &b->ev->by_kind[entry_points[k].kind];
    failure_lines failures = {.n = 0};
    size_t i = 0;
    for (; i < all->len && !b->exhausted && !b->out_of_memory; i++) {
      chg_prefetch_blocks(all->items, all->len, i);
      lua_pushcfunction(L, call_on_entity);
      lua_pushvalue(L, -2);
      lua_pushlightuserdata(L, all->items[i]);
      b->ev->hook_calls++;
      bool failed = !call_protected(b, 2, 0);
      if (!failed && !b->exhausted && !b->out_of_memory) continue;
      if (!failed) lua_pushnil(L); /* a limit the hook swallowed still stops it */
      if (failed && !b->exhausted && !b->out_of_memory &&
          !failure_to_say(&failures, b->error_line, ctx->ndiags)) {
        lua_pop(L, 1);
        continue;
      }
      /* the entity it was called for: which programme broke it */
      const chg_node *entity = all->items[i];
      report_failure(b, L, chg_arena_printf(&ctx->arena, "in %s for %s `%s`",
                                            entry_points[k].function, entity->key,
                                            chg_path_of(ctx, entity)));
    }
    count_failures(ctx, &failures, all);
    lua_pop(L, 1);
    b->entry_line = 0;
    if (b->exhausted || b->out_of_memory) {
      cut_at = k;
      cut_inside = i < all->len;
      break;
    }
  }
  /* a limit reached between two calls (on the few bytes of the next
   * function's name) stops the rest as one reached inside a call does,
   * and is said as it is, when there was a rest */
  if ((b->exhausted || b->out_of_memory) && !b->reported &&
      (cut_inside || entry_points_after(L, cut_at))) {
    lua_pushnil(L); /* the error value report_failure takes off */
    report_failure(b, L, "between its functions");
  }
  lua_pop(L, 1); /* the environment */
  finish_file(b);
}

/* Each hook file once, the modules' companion files first, then those
 * the `hook` blocks among `blocks` name: a file named twice (`h.lua`,
 * `./h.lua`, a module's own companion) is taken once. */
static bool taken_before(chg_ctx *ctx, chg_map *taken, const char *path) {
  char real[PATH_MAX];
  return realpath(path, real) &&
         chg_map_put(taken, NULL, chg_intern_cstr(&ctx->names, real), (void *)path);
}

static void each_hook_file(bridge *b, const chg_vec *blocks,
                           void (*take)(bridge *b, const char *path, chg_span named_at)) {
  chg_ctx *ctx = b->ctx;
  chg_map taken;
  chg_map_init(&taken, &ctx->al);
  for (size_t i = 0; i < ctx->module_hooks.len; i++) {
    const char *path = ctx->module_hooks.items[i];
    if (!taken_before(ctx, &taken, path)) take(b, path, (chg_span){0, 0, 0});
  }
  for (size_t i = 0; i < blocks->len; i++) {
    chg_node *h = blocks->items[i];
    if (!h->spec || h->spec->id != CHG_K_HOOK || !chg_block_title(h)) continue;
    const char *path = chg_hook_path(ctx, h);
    if (!taken_before(ctx, &taken, path)) take(b, path, chg_title_span(h));
  }
  chg_map_release(&taken);
}

/* Compiles a hook file, and runs nothing: what a portfolio with errors,
 * which is not evaluated, still learns of its hooks.  One that cannot be
 * read was said so by the checker (a module's companion is read when the
 * portfolio is evaluated). */
static void compile_file(bridge *b, const char *path, chg_span named_at) {
  b->file = read_hook(b->ctx, path, named_at, true);
  if (!b->file) return;
  b->path = b->file->path;
  if (compile_hook(b)) lua_pop(b->L, 1);
  lua_gc(b->L, LUA_GCCOLLECT, 0);
}

/* A bridge to a new Lua state, its memory capped as the options say. */
static void open_bridge(bridge *b, chg_ctx *ctx, uint64_t budget) {
  memset(b, 0, sizeof *b);
  b->ctx = ctx;
  b->budget = budget;
  b->cap = ctx->opts.hook_memory ? ctx->opts.hook_memory : CHG_HOOK_MEMORY_DEFAULT;
  b->L = lua_newstate(lua_alloc, b);
  if (!b->L) chg_out_of_memory();
  lua_setwarnf(b->L, NULL, NULL);
}

void chg_hooks_compile(chg_ctx *ctx) {
  if (ctx->hooks_compiled || (!ctx->kind_counts[CHG_K_HOOK] && !ctx->module_hooks.len)) return;
  ctx->hooks_compiled = true;
  bridge b;
  open_bridge(&b, ctx, UINT64_MAX); /* nothing runs */
  b.cap += b.used;
  each_hook_file(&b, &ctx->blocks, compile_file);
  b.cap = (size_t)-1;
  lua_close(b.L);
}

/* Runs every hook file over the evaluated portfolio, the modules'
 * companion files first, each with an environment of its own in one
 * sandbox. */
void chg_hooks_run(chg_eval *ev) {
  chg_ctx *ctx = ev->ctx;
  double started = chg_seconds_now();
  bridge b;
  open_bridge(&b, ctx, ctx->opts.hook_instructions ? ctx->opts.hook_instructions
                                                  : CHG_HOOK_INSTRUCTIONS_DEFAULT);
  b.ev = ev;
  chg_intern_init(&b.texts, &ctx->arena);
  chg_map_init(&b.block_lists, &ctx->al);
  lua_State *L = b.L;
  /* the sandbox is built with the budget off and the memory cap raised */
  size_t cap = b.cap;
  b.cap = (size_t)-1;
  open_sandbox(&b);
  b.cap = cap + b.used; /* the cap is for what hooks add */
  lua_sethook(L, count_hook, LUA_MASKCOUNT, COUNT_STEP);
  each_hook_file(&b, &ev->hooks, run_file);
  lua_sethook(L, NULL, 0, 0);
  b.cap = (size_t)-1;
  lua_close(L);
  chg_intern_release(&b.texts);
  chg_map_release(&b.block_lists);
  /* CHG_DEBUG_STATS=1: what a hook call costs, the sandbox and the files'
   * loading included (make bench reads this) */
  if (getenv("CHG_DEBUG_STATS") && ev->hook_calls) {
    double took = chg_seconds_now() - started;
    fprintf(stderr, "chg: hooks     %llu calls in %.3f s, %.3f us a call\n",
            (unsigned long long)ev->hook_calls, took, took / (double)ev->hook_calls * 1e6);
  }
}
