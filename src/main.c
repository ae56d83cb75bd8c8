/*
 * main.c -- the `chg` command: parses arguments and calls libchg.
 */
#define _GNU_SOURCE
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <lua.h>
#ifdef __GLIBC__
#include <malloc.h>
#endif

#include "chg.h"

#ifndef CHG_STDLIB_DIR
#define CHG_STDLIB_DIR "/usr/local/share/chg/stdlib"
#endif

enum { EXIT_CLEAN = 0, EXIT_FOUND = 1, EXIT_USAGE = 2 };

static const char *program = "chg";

static void usage_main(FILE *out) {
  fprintf(out,
          "usage: chg COMMAND [OPTIONS] FILE...\n"
          "\n"
          "Commands:\n"
          "  check    validate a portfolio: every error in one run\n"
          "  report   evaluate a portfolio into the board's tables\n"
          "  fmt      lay .chg files out in the one canonical way\n"
          "\n"
          "  chg COMMAND --help   the options of a command (or chg help COMMAND)\n"
          "  chg --version, -V    the version of chg and of its Lua\n");
}

static void usage_check(FILE *out) {
  fprintf(out,
          "usage: chg check [OPTIONS] FILE|DIR|-...\n"
          "\n"
          "Parses, resolves and checks a portfolio, then evaluates what a report\n"
          "would show (rules, Lua hooks and claims: a false claim is an error).\n"
          "The files and directories named (directories are searched for *.chg;\n"
          "- is standard input) form one portfolio.\n"
          "\n"
          "Options:\n"
          "  -I DIR              also look for `use` modules in DIR\n"
          "  --strict            treat warnings as errors (exit 1)\n"
          "  --max-errors N      stop after N errors (default 0: every error)\n"
          "  --max-blocks N      read at most N blocks (default 50000000)\n"
          "  --as-of DATE        judge overdue and slipped work at DATE\n"
          "                      (YYYY-MM-DD): what will be late at the next board\n"
          "  -j N, --jobs N      parse a large file (4 MB and more) on at most N\n"
          "                      threads, and build and write a report's sections\n"
          "                      on two (default 0: one per processor; 1: one\n"
          "                      thread)\n"
          "  --color WHEN        auto, always or never (NO_COLOR is honoured;\n"
          "                      --colour is the same)\n"
          "  -q, --quiet         print no diagnostics; only the exit status tells\n"
          "                      (a usage error or a failed write is still said)\n"
          "  --                  what follows are files, even those starting with -\n"
          "  --format FORMAT     how diagnostics are written: text (default, to\n"
          "                      standard error), or to standard output json (JSON\n"
          "                      lines), sarif (SARIF 2.1.0, for code scanning) or\n"
          "                      github (GitHub Actions annotations)\n"
          "  --hook-instructions N   Lua instructions each hook file may run\n"
          "                      (default 50000000)\n"
          "  --hook-memory MB    memory all Lua hooks together may hold (default 64)\n"
          "\n"
          "Environment: CHG_DOCS_URL is the address of docs/diagnostics.md that\n"
          "SARIF rules link to (default: the copy beside the stdlib; none if\n"
          "there is none).\n"
          "\n"
          "Exit status: 0 clean, 1 errors found (or warnings with --strict),\n"
          "2 usage or I/O failure.\n");
}

static void usage_fmt(FILE *out) {
  fprintf(out,
          "usage: chg fmt [-w | --check | --diff] [OPTIONS] FILE|DIR|-...\n"
          "\n"
          "Lays .chg files out in the one canonical way: two spaces a level, the\n"
          "values of a block's attributes in one column, series on one line up to\n"
          "100 columns (else one entry a line), one blank line between top-level\n"
          "blocks, comments kept where they were. Literals stay as written. Only\n"
          "the files named are formatted (a directory: every *.chg below it), not\n"
          "what they use or include; `-` reads standard input. A file with syntax\n"
          "errors is not formatted: its diagnostics are printed instead. The result\n"
          "is parsed again and must say exactly what the input said, or nothing\n"
          "is written.\n"
          "\n"
          "Modes (default: print the formatted text to standard output):\n"
          "  -w, --write         rewrite each file that changes, atomically\n"
          "  --check             list the files that would change, and report each\n"
          "                      (CHG0802) at its first line that would; exit 1 if any\n"
          "  -d, --diff          print a unified diff of the changes\n"
          "                      (--check and --diff may be given together)\n"
          "\n"
          "Options:\n"
          "  --format FORMAT     diagnostics as text (default), json, sarif or\n"
          "                      github, all on standard error\n"
          "  --color WHEN        auto, always or never (NO_COLOR is honoured)\n"
          "  -q, --quiet         print no diagnostics\n"
          "  --                  what follows are files, even those starting with -\n"
          "\n"
          "Exit status: 0 done (with --check: nothing would change); 1 syntax\n"
          "errors, or with --check files that would change; 2 usage or I/O failure.\n");
}

static void usage_report(FILE *out) {
  fprintf(out,
          "usage: chg report [OPTIONS] FILE|DIR|-...\n"
          "\n"
          "Checks and evaluates a portfolio and writes the board's report.\n"
          "\n"
          "Options:\n"
          "  --format FORMAT     text (default), md (or markdown), json, csv or html\n"
          "                      (one self-contained page: --format html -o dashboard.html)\n"
          "  --section NAME      only this section (repeatable, or a comma list);\n"
          "                      csv takes exactly one\n"
          "  --detail            json: each cell with its display text, mark and\n"
          "                      source span (format version 1), not its value alone\n"
          "  -o FILE             write to FILE, atomically: a failed run leaves\n"
          "                      no partial file; an existing FILE keeps its\n"
          "                      permissions, and one you may not write is refused\n"
          "  -I DIR, --max-errors N, --max-blocks N, --as-of DATE, -j N, --color WHEN,\n"
          "  --strict, -q, --\n"
          "  --hook-instructions N, --hook-memory MB   as for check\n"
          "\n"
          "Sections, in report order:\n  ");
  for (size_t i = 0; chg_report_section(i); i++)
    fprintf(out, "%s%s", i ? (i % 5 == 0 ? ",\n  " : ", ") : "", chg_report_section(i));
  fprintf(out,
          "\n\nExit status: 0 written and clean; 1 errors found (a report is still\n"
          "written when checking found none, and the errors are what evaluation\n"
          "found: false claims, rules' error flags, hooks that failed); 2 usage\n"
          "or I/O failure.\n");
}

/* The stdlib beside the binary (a build tree, or PREFIX/bin next to
 * PREFIX/share/chg), else the directory chosen when it was built. */
static const char *find_stdlib(char *buf, size_t size) {
  const char *env = getenv("CHG_STDLIB");
  if (env && *env) return env;
  char exe[PATH_MAX - 64]; /* leaves room for the suffixes below */
  ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
  if (n > 0) {
    exe[n] = '\0';
    char *slash = strrchr(exe, '/');
    if (slash) {
      *slash = '\0';
      const char *candidates[] = {"%s/../stdlib", "%s/../share/chg/stdlib"};
      for (size_t i = 0; i < 2; i++) {
        snprintf(buf, size, candidates[i], exe);
        char probe[PATH_MAX + 16];
        snprintf(probe, sizeof probe, "%s/std/rag.chg", buf);
        struct stat st;
        char real[PATH_MAX];
        if (stat(probe, &st) == 0) {
          /* "/usr/bin/../share" reads badly in a diagnostic */
          if (realpath(buf, real)) snprintf(buf, size, "%s", real);
          return buf;
        }
      }
    }
  }
  return CHG_STDLIB_DIR;
}

static int want_colour(const char *when) {
  if (strcmp(when, "always") == 0) return 1;
  if (strcmp(when, "never") == 0) return 0;
  const char *no = getenv("NO_COLOR");
  if (no && *no) return 0;
  const char *term = getenv("TERM");
  if (term && strcmp(term, "dumb") == 0) return 0;
  return isatty(fileno(stderr));
}

typedef struct cli {
  bool report;
  const char *diag_format; /* check: --format */
  const char *colour;
  int strict, quiet, detail;
  unsigned max_errors, jobs;
  uint32_t max_blocks;
  const char **includes, **paths, **sections;
  int nincludes, npaths, nsections;
  const char *format, *as_of, *output;
  unsigned long long hook_instructions, hook_memory_mb;
} cli;

static const char *const diag_formats[] = {"text", "json", "sarif", "github", NULL};

static bool known_diag_format(const char *f) {
  for (size_t i = 0; diag_formats[i]; i++)
    if (strcmp(f, diag_formats[i]) == 0) return true;
  return false;
}

/* "; did you mean `PREFIX x`?" when one of names is close to want, else "" */
static const char *meant(const char *prefix, const char *want, const char *const *names) {
  static char text[96];
  const char *best = chg_nearest_name(want, names);
  if (!best) return "";
  snprintf(text, sizeof text, "; did you mean `%s%s`?", prefix, best);
  return text;
}

static const char *meant_report_format(const char *want) {
  const char *names[16];
  size_t n = 0;
  for (const char *f; n < 14 && (f = chg_report_format(n)); n++) names[n] = f;
  names[n++] = "markdown";
  names[n] = NULL;
  return meant("", want, names);
}

/* The options of each command, for "did you mean" and for an option given
 * to the wrong command (`chg check -w`). */
static const char *const check_options[] = {
    "--help", "--strict", "--max-errors", "--max-blocks", "--as-of", "--jobs", "--color",
    "--colour", "--quiet", "--format", "--hook-instructions", "--hook-memory", NULL};
static const char *const report_only_options[] = {"--section", "--detail", "-o", NULL};
static const char *const fmt_options[] = {"--write", "-w", "--check", "--diff", "-d", NULL};

static bool listed(const char *const *names, const char *a) {
  for (; *names; names++)
    if (strcmp(*names, a) == 0) return true;
  return false;
}

/* An option that is not one of `command`'s: whose it is, or the nearest of
 * its own (long options only: `-x` is a letter away from most short ones). */
static void unknown_option(const char *command, const char *a) {
  bool fmt = strcmp(command, "fmt") == 0, report = strcmp(command, "report") == 0;
  if (!fmt && listed(fmt_options, a)) {
    fprintf(stderr, "%s: error: `%s` is an option of chg fmt, not chg %s (see chg %s --help)\n",
            program, a, command, command);
    return;
  }
  if (!report && listed(report_only_options, a)) {
    fprintf(stderr, "%s: error: `%s` is an option of chg report, not chg %s (see chg %s --help)\n",
            program, a, command, command);
    return;
  }
  if (fmt && (listed(check_options, a) || strncmp(a, "-j", 2) == 0 || strncmp(a, "-I", 2) == 0)) {
    fprintf(stderr, "%s: error: `%s` is an option of chg check and chg report, not chg fmt "
            "(see chg fmt --help)\n", program, a);
    return;
  }
  if (strcmp(a, "--version") == 0 || strcmp(a, "-V") == 0) {
    fprintf(stderr, "%s: error: `%s` goes before any command, as in `chg --version`\n", program, a);
    return;
  }
  const char *hint = "";
  if (strncmp(a, "--", 2) == 0) {
    /* compared without their dashes, which every one shares */
    static const char *const fmt_also[] = {"--color", "--quiet", "--format", "--help", NULL};
    const char *const *lists[] = {fmt ? fmt_options : check_options,
                                  fmt ? fmt_also : report ? report_only_options : NULL};
    const char *names[32];
    size_t n = 0;
    for (size_t l = 0; l < 2; l++)
      for (const char *const *o = lists[l]; o && *o && n < 31; o++)
        if (strncmp(*o, "--", 2) == 0) names[n++] = *o + 2;
    names[n] = NULL;
    char bare[64]; /* `--colr=never` is `--colr` mistyped */
    snprintf(bare, sizeof bare, "%.*s", (int)strcspn(a + 2, "="), a + 2);
    hint = meant("--", bare, names);
  }
  fprintf(stderr, "%s: error: unknown option `%s`%s (see chg %s --help)\n", program, a, hint,
          command);
}

/* Reads the options of check and report; returns -1 on a usage error,
 * 1 when help was printed, 0 to go on. */

/* An option's number: digits only (no sign, no space, nothing after), at
 * most `max`. */
static bool whole_number(const char *v, unsigned long long max, unsigned long long *n) {
  if (!isdigit((unsigned char)v[0])) return false;
  char *end;
  errno = 0;
  *n = strtoull(v, &end, 10);
  return !*end && errno == 0 && *n <= max;
}

/* YYYY-MM-DD by its shape: digits and dashes where a date has them */
static bool date_shaped(const char *s) {
  for (int i = 0; i < 10; i++)
    if (i == 4 || i == 7 ? s[i] != '-' : !isdigit((unsigned char)s[i])) return false;
  return s[10] == '\0';
}

/* -q with a machine format of diagnostics would write an empty log (a
 * SARIF file of nothing): said, as a usage error. */
static bool quiet_machine_format(bool quiet, const char *format) {
  if (!quiet || !format || strcmp(format, "text") == 0) return false;
  fprintf(stderr, "%s: error: -q prints no diagnostics, so --format %s would write nothing; "
          "leave out -q\n", program, format);
  return true;
}

static bool takes_value(const cli *c, const char *a) {
  static const char *const with_value[] = {"-I", "--color", "--colour", "--max-errors",
                                           "--max-blocks", "--hook-instructions",
                                           "--hook-memory", "-j", "--jobs", "--format",
                                           "--as-of"};
  for (size_t k = 0; k < sizeof with_value / sizeof *with_value; k++)
    if (strcmp(a, with_value[k]) == 0) return true;
  return c->report && (strcmp(a, "--section") == 0 || strcmp(a, "-o") == 0);
}

static int parse_args(cli *c, int argc, char **argv) {
  bool options = true; /* until `--`: after it, `-x.chg` is a file */
  for (int i = 0; i < argc; i++) {
    const char *a = argv[i];
    /* `--color=never`, as GNU tools take it, is `--color never` */
    char name[32];
    const char *given = NULL;
    const char *eq = options && strncmp(a, "--", 2) == 0 ? strchr(a, '=') : NULL;
    if (eq && (size_t)(eq - a) < sizeof name) {
      memcpy(name, a, (size_t)(eq - a));
      name[eq - a] = '\0';
      a = name;
      given = eq + 1;
    }
    /* `-j4` and `-oreport.txt`, as `-Idir`: a short option's value joined to it */
    char flag[3] = {'-', 0, 0};
    if (options && !given && a[0] == '-' && a[1] && a[2] &&
        (a[1] == 'j' || (c->report && a[1] == 'o'))) {
      flag[1] = a[1];
      given = a + 2;
      a = flag;
    }
    if (!options) {
      c->paths[c->npaths++] = a;
    } else if (strcmp(a, "--") == 0 && !given) {
      options = false;
    } else if (given && (!strcmp(a, "--help") || !strcmp(a, "--strict") || !strcmp(a, "--quiet") ||
                         (c->report && !strcmp(a, "--detail")))) {
      fprintf(stderr, "%s: error: %s takes no value (see chg %s --help)\n", program, a,
              c->report ? "report" : "check");
      return -1;
    } else if (strcmp(a, "-h") == 0 || strcmp(a, "--help") == 0) {
      c->report ? usage_report(stdout) : usage_check(stdout);
      return 1;
    } else if (strcmp(a, "--strict") == 0) {
      c->strict = 1;
    } else if (strcmp(a, "-q") == 0 || strcmp(a, "--quiet") == 0) {
      c->quiet = 1;
    } else if (c->report && strcmp(a, "--detail") == 0) {
      c->detail = 1;
    } else if (takes_value(c, a)) {
      if (!given && i + 1 >= argc) {
        fprintf(stderr, "%s: error: %s needs a value\n", program, a);
        return -1;
      }
      const char *v = given ? given : argv[++i];
      if (strcmp(a, "-I") == 0) {
        c->includes[c->nincludes++] = v;
      } else if (strcmp(a, "--max-errors") == 0) {
        unsigned long long n;
        if (!whole_number(v, 1000000, &n)) {
          fprintf(stderr, "%s: error: --max-errors takes a number from 0 to 1000000, not `%s`\n",
                  program, v);
          return -1;
        }
        c->max_errors = (unsigned)n;
      } else if (strcmp(a, "-j") == 0 || strcmp(a, "--jobs") == 0) {
        unsigned long long n;
        if (!whole_number(v, 1024, &n)) {
          fprintf(stderr, "%s: error: %s takes a number of threads, 1 to 1024 (0: one per processor), not `%s`\n",
                  program, a, v);
          return -1;
        }
        c->jobs = (unsigned)n;
      } else if (strcmp(a, "--max-blocks") == 0) {
        unsigned long long n;
        if (!whole_number(v, 4000000000ull, &n) || n == 0) {
          fprintf(stderr, "%s: error: --max-blocks takes a positive number (at most 4000000000), "
                  "not `%s`\n", program, v);
          return -1;
        }
        c->max_blocks = (uint32_t)n;
      } else if (strcmp(a, "--hook-instructions") == 0 || strcmp(a, "--hook-memory") == 0) {
        unsigned long long n;
        bool memory = strcmp(a, "--hook-memory") == 0;
        if (!whole_number(v, memory ? 65536 : 1000000000000ull, &n) || n == 0) {
          fprintf(stderr, "%s: error: %s takes a positive number%s, not `%s`\n", program, a,
                  memory ? " of megabytes (at most 65536)" : " (at most 1000000000000)", v);
          return -1;
        }
        if (memory) c->hook_memory_mb = n;
        else c->hook_instructions = n;
      } else if (strcmp(a, "--format") == 0) {
        if (c->report && !chg_report_format_known(v)) {
          /* said here, before a missing file: `--format DIR` took the path */
          fprintf(stderr, "%s: error: --format takes %s, not `%s`%s\n", program,
                  chg_report_format_names(), v, meant_report_format(v));
          return -1;
        } else if (c->report) {
          c->format = v;
        } else if (!known_diag_format(v)) {
          fprintf(stderr, "%s: error: --format takes %s, not `%s`%s\n", program, chg_diag_formats(),
                  v, meant("", v, diag_formats));
          return -1;
        } else {
          c->diag_format = v;
        }
      } else if (strcmp(a, "--as-of") == 0) {
        /* the shape here (`--as-of p.chg` would else read as a date given
         * and no file); whether the calendar has the day, once evaluating */
        if (!date_shaped(v)) {
          fprintf(stderr, "%s: error: --as-of takes a date, YYYY-MM-DD, not `%s`\n", program, v);
          return -1;
        }
        c->as_of = v;
      } else if (strcmp(a, "-o") == 0) {
        if (c->output) {
          fprintf(stderr, "%s: error: -o is given twice (`%s` and `%s`): a report goes to one file\n",
                  program, c->output, v);
          return -1;
        }
        if (!*v) {
          fprintf(stderr, "%s: error: -o needs the name of the file to write\n", program);
          return -1;
        }
        c->output = v;
      } else if (strcmp(a, "--section") == 0) {
        /* a comma list is several sections; an empty name is none of them */
        size_t len = strlen(v);
        if (!len || v[0] == ',' || v[len - 1] == ',' || strstr(v, ",,")) {
          fprintf(stderr, "%s: error: --section takes section names, one or a comma list, not `%s`\n",
                  program, v);
          return -1;
        }
        char *copy = strdup(v);
        if (!copy) return -1;
        for (char *tok = strtok(copy, ","); tok; tok = strtok(NULL, ","))
          c->sections[c->nsections++] = tok;
      } else {
        if (strcmp(v, "auto") && strcmp(v, "always") && strcmp(v, "never")) {
          fprintf(stderr, "%s: error: --color takes auto, always or never, not `%s`\n", program, v);
          return -1;
        }
        c->colour = v;
      }
    } else if (strncmp(a, "-I", 2) == 0 && a[2]) {
      c->includes[c->nincludes++] = a + 2;
    } else if (a[0] == '-' && a[1]) {
      unknown_option(c->report ? "report" : "check", argv[i]);
      return -1;
    } else {
      c->paths[c->npaths++] = a;
    }
  }
  if (c->npaths == 0) {
    fprintf(stderr, "%s: error: %s needs at least one file or directory\n", program,
            c->report ? "report" : "check");
    c->report ? usage_report(stderr) : usage_check(stderr);
    return -1;
  }
  if (!c->report && quiet_machine_format(c->quiet, c->diag_format)) return -1;
  /* standard input read once: a usage error, said before anything is read */
  int dashes = 0;
  for (int i = 0; i < c->npaths; i++) dashes += strcmp(c->paths[i], "-") == 0;
  if (dashes > 1) {
    fprintf(stderr, "%s: error: `-` (standard input) is named twice\n", program);
    return -1;
  }
  return 0;
}

/* A report written to a file is made durable (fsync) before it replaces
 * the one there.  A national portfolio's report is a gigabyte: left to the
 * end, the disk writes all of it while chg waits; started as each 4 MB is
 * written, it writes while the rest is made (the fsync of the JSON of
 * 10,000 projects, 20 MB, went from 10 ms to 2 ms). */
typedef struct durable_file {
  int fd;
  off_t written, started;
} durable_file;

enum { WRITEBACK_STEP = 4 << 20 };

static ssize_t durable_write(void *cookie, const char *buf, size_t n) {
  durable_file *d = cookie;
  size_t done = 0;
  while (done < n) {
    ssize_t k = write(d->fd, buf + done, n - done);
    if (k < 0 && errno == EINTR) continue;
    if (k <= 0) return done ? (ssize_t)done : -1;
    done += (size_t)k;
  }
  d->written += (off_t)n;
#ifdef SYNC_FILE_RANGE_WRITE
  if (d->written - d->started >= WRITEBACK_STEP) {
    (void)sync_file_range(d->fd, d->started, d->written - d->started, SYNC_FILE_RANGE_WRITE);
    d->started = d->written;
  }
#endif
  return (ssize_t)n;
}

static int durable_close(void *cookie) {
  durable_file *d = cookie;
  int r = close(d->fd);
  free(d);
  return r;
}

/* Standard input whole, or NULL; no more than a source may hold, and one
 * byte over so that the parser says it is too large. */
static char *read_stdin(size_t *len) {
  size_t cap = 65536, n = 0;
  char *buf = malloc(cap);
  while (buf && n <= CHG_MAX_FILE_SIZE) {
    size_t room = cap - n, left = CHG_MAX_FILE_SIZE + 1 - n;
    size_t got = fread(buf + n, 1, room < left ? room : left, stdin);
    n += got;
    if (got == 0) break;
    if (n == cap) {
      char *more = realloc(buf, cap * 2);
      if (!more) {
        free(buf);
        return NULL;
      }
      buf = more;
      cap *= 2;
    }
  }
  if (buf && ferror(stdin)) {
    free(buf);
    return NULL;
  }
  *len = n;
  return buf;
}

/* `-`: the portfolio on standard input (its includes relative to the
 * current directory), read once; false, having said why, when it cannot be. */
static bool add_stdin(chg_ctx *ctx, bool *read_already) {
  *read_already = true; /* once: `- -` is refused with the arguments */
  size_t len = 0;
  char *buf = read_stdin(&len);
  if (!buf) {
    chg_add_read_failure(ctx, "standard input", errno);
    return true; /* said among the diagnostics, as a file's failure is */
  }
  chg_add_source(ctx, "<stdin>", buf, len);
  free(buf);
  return true;
}

/* The temporary file being written, removed if the run is interrupted:
 * the one piece of global state, since a signal handler has no other way
 * to find it. */
static char *volatile temp_in_progress;

enum { NGUARDED = 4 };
static const int guarded_signals[NGUARDED] = {SIGINT, SIGTERM, SIGHUP, SIGPIPE};
static struct sigaction guarded_before[NGUARDED];

static void remove_temp_and_die(int sig) {
  char *tmp = temp_in_progress;
  if (tmp) unlink(tmp);
  signal(sig, SIG_DFL);
  raise(sig);
}

/* While `tmp` is being written, an interrupt removes it first; a signal
 * the caller ignores (nohup, a script's background job) stays ignored.
 * guard_temp(NULL) puts back what was there before. */
static void guard_temp(char *tmp) {
  temp_in_progress = tmp;
  struct sigaction remove;
  memset(&remove, 0, sizeof remove);
  remove.sa_handler = remove_temp_and_die;
  sigemptyset(&remove.sa_mask);
  for (int i = 0; i < NGUARDED; i++) {
    if (!tmp) {
      sigaction(guarded_signals[i], &guarded_before[i], NULL);
      continue;
    }
    sigaction(guarded_signals[i], NULL, &guarded_before[i]);
    if (guarded_before[i].sa_handler != SIG_IGN) sigaction(guarded_signals[i], &remove, NULL);
  }
}

/* A file written whole before it takes the place of FILE.  Where the
 * kernel allows (O_TMPFILE), it has no name while it is written, so that
 * nothing is left behind however the run ends, SIGKILL included; it is
 * named only to be renamed over FILE.  Elsewhere it is FILE.tmp.XXXXXX
 * beside FILE (.chg.tmp.XXXXXX where that name would pass the system's
 * limit on a name), removed on a failure or an interrupt. */
typedef struct staged {
  int fd;
  char *tmp;      /* its name; NULL while it has none */
  char dir[PATH_MAX];
  FILE *out;
} staged;

static void dir_of(const char *path, char *dir, size_t size) {
  const char *slash = strrchr(path, '/');
  if (!slash) snprintf(dir, size, ".");
  else if (slash == path) snprintf(dir, size, "/");
  else snprintf(dir, size, "%.*s", (int)(slash - path), path);
}

/* A fresh name in dir for a temporary file ("dir/.chg.tmp.XXXXXX"), to be
 * filled in by mkstemp or by the caller. */
static char *temp_name(const char *dir, const char *path) {
  const char *base = strrchr(path, '/');
  base = base ? base + 1 : path;
  size_t n = strlen(path) + strlen(dir) + 32;
  char *tmp = malloc(n);
  if (!tmp) return NULL;
  if (strlen(base) + sizeof ".tmp.XXXXXX" - 1 <= NAME_MAX) snprintf(tmp, n, "%s.tmp.XXXXXX", path);
  else snprintf(tmp, n, "%s/.chg.tmp.XXXXXX", dir);
  return tmp;
}

/* Opens s for FILE at `path`, created with `mode` less the umask; false,
 * with the reason said of `shown` (the name as the user wrote it), when it
 * cannot. */
static bool stage_open(staged *s, const char *path, const char *shown, mode_t mode) {
  memset(s, 0, sizeof *s);
  dir_of(path, s->dir, sizeof s->dir);
  s->fd = -1;
#ifdef O_TMPFILE
  /* the name is given through /proc, so without it the file stays named */
  if (access("/proc/self/fd", X_OK) == 0)
    s->fd = open(s->dir, O_TMPFILE | O_WRONLY | O_CLOEXEC, mode);
#endif
  if (s->fd < 0) {
    s->tmp = temp_name(s->dir, path);
    s->fd = s->tmp ? mkstemp(s->tmp) : -1;
    if (s->fd >= 0) {
      mode_t mask = umask(0);
      umask(mask);
      (void)fchmod(s->fd, mode & ~mask);
      guard_temp(s->tmp);
    }
  }
  durable_file *d = s->fd >= 0 ? malloc(sizeof *d) : NULL;
  if (d) {
    *d = (durable_file){s->fd, 0, 0};
    s->out = fopencookie(d, "w", (cookie_io_functions_t){NULL, durable_write, NULL, durable_close});
    if (!s->out) free(d);
  }
  if (s->out) return true;
  fprintf(stderr, "%s: error: cannot write `%s`: %s\n", program, shown, strerror(errno));
  if (s->fd >= 0) close(s->fd);
  if (s->tmp && s->fd >= 0) {
    unlink(s->tmp);
    guard_temp(NULL);
  }
  free(s->tmp);
  return false;
}

/* Gives the written file the name `path`, replacing what was there, and
 * closes it; false, errno set, when it cannot (the file is then gone). */
static bool stage_commit(staged *s, const char *path) {
  bool ok = fflush(s->out) == 0 && !ferror(s->out) && fsync(s->fd) == 0;
  if (ok && !s->tmp) {
    /* named only now, for the moment before the rename */
    char proc[64];
    snprintf(proc, sizeof proc, "/proc/self/fd/%d", s->fd);
    s->tmp = temp_name(s->dir, path);
    ok = s->tmp != NULL;
    size_t n = ok ? strlen(s->tmp) : 0;
    uint64_t seed = (uint64_t)getpid() * 0x9E3779B97F4A7C15u ^ (uint64_t)time(NULL);
    for (unsigned tries = 0; ok; tries++) {
      for (size_t k = n - 6; k < n; k++) {
        seed = seed * 6364136223846793005u + 1442695040888963407u;
        s->tmp[k] = "abcdefghijklmnopqrstuvwxyz0123456789"[(seed >> 33) % 36];
      }
      if (linkat(AT_FDCWD, proc, AT_FDCWD, s->tmp, AT_SYMLINK_FOLLOW) == 0) {
        guard_temp(s->tmp);
        break;
      }
      ok = errno == EEXIST && tries < 100;
    }
    if (!ok) {
      free(s->tmp);
      s->tmp = NULL;
    }
  }
  int saved = errno;
  if (fclose(s->out) != 0 && ok) {
    ok = false;
    saved = errno;
  }
  if (ok && rename(s->tmp, path) != 0) {
    ok = false;
    saved = errno;
  }
  if (!ok && s->tmp) unlink(s->tmp);
  if (s->tmp) guard_temp(NULL);
  free(s->tmp);
  errno = saved;
  return ok;
}

/* Drops the file being written: FILE stays as it was. */
static void stage_discard(staged *s) {
  fclose(s->out);
  if (s->tmp) {
    unlink(s->tmp);
    guard_temp(NULL);
  }
  free(s->tmp);
}

/* A device, a FIFO or a socket, or a name for one such as /dev/stdout (a
 * link into /proc even when standard output is a file) or /dev/fd/1.  Not
 * any name under /dev/: /dev/shm holds ordinary files. */
static bool is_device(const char *path) {
  struct stat st;
  if (stat(path, &st) == 0 && !S_ISREG(st.st_mode) && !S_ISDIR(st.st_mode)) return true;
  if (strncmp(path, "/dev/fd/", 8) == 0 || strncmp(path, "/proc/", 6) == 0) return true;
  char link[PATH_MAX];
  ssize_t n = readlink(path, link, sizeof link - 1);
  if (n <= 0) return false;
  link[n] = '\0';
  return strncmp(link, "/proc/", 6) == 0 || strncmp(link, "/dev/", 5) == 0;
}

/* Straight into a device, a pipe or a socket (-o /dev/stdout, a FIFO):
 * renaming a file over one would replace it, /dev/null included. */
/* The descriptor of this process a name such as /dev/stdout, /dev/fd/3 or
 * /proc/self/fd/1 stands for, or -1.  Written through, the report goes at
 * its offset and with its O_APPEND, as `>> log` and `> f 2>&1` mean;
 * opened again by its name, the file it leads to would be emptied. */
static int descriptor_named(const char *path) {
  struct stat at, held;
  if (stat(path, &at) != 0) return -1;
  for (int fd = 1; fd <= 2; fd++)
    if (fstat(fd, &held) == 0 && held.st_dev == at.st_dev && held.st_ino == at.st_ino)
      return fd;
  const char *n = strncmp(path, "/dev/fd/", 8) == 0         ? path + 8
                  : strncmp(path, "/proc/self/fd/", 14) == 0 ? path + 14
                                                             : NULL;
  if (!n || !isdigit((unsigned char)*n)) return -1;
  char *end;
  long fd = strtol(n, &end, 10);
  return *end == '\0' && fd <= INT_MAX && fstat((int)fd, &held) == 0 ? (int)fd : -1;
}

static int write_into(chg_ctx *ctx, const chg_report_options *ro, const char *path,
                      const char **why, int *result) {
  int held = descriptor_named(path);
  int copy = held >= 0 ? dup(held) : -1;
  FILE *out = held < 0 ? fopen(path, "w") : copy >= 0 ? fdopen(copy, "w") : NULL;
  if (!out && copy >= 0) close(copy);
  if (!out) {
    fprintf(stderr, "%s: error: cannot write `%s`: %s\n", program, path, strerror(errno));
    return -1;
  }
  *result = chg_write_report(ctx, ro, out, why);
  bool ok = fflush(out) == 0 && !ferror(out);
  if (fclose(out) != 0) ok = false;
  if (!ok) fprintf(stderr, "%s: error: cannot write `%s`: %s\n", program, path, strerror(errno));
  return ok ? 0 : -1;
}

/* Writes the report to a temporary file beside FILE and renames it over
 * FILE only when all of it was written.  The portfolio is evaluated first,
 * so no temporary file stands while hooks run. */
/* The file of the compilation that `path` is (a portfolio, a module, a
 * hook), by device and inode, however either was named; or NULL.  A link
 * at `path` is replaced, not written through (reports.md 2.1): no file
 * read is lost by it. */
static const char *file_read_as(const chg_ctx *ctx, const char *path, bool stdin_read) {
  struct stat out, in;
  if (lstat(path, &out) != 0) return NULL;
  /* a link is replaced, not written through -- unless it names a device
   * (/dev/stdin, /dev/fd/0), which is written into, whatever it leads to */
  if (S_ISLNK(out.st_mode) && (!is_device(path) || stat(path, &out) != 0)) return NULL;
  const char *f;
  for (size_t i = 0; (f = chg_file_read(ctx, i)) != NULL; i++) {
    /* the portfolio read on standard input is the file given to it */
    bool read_from_stdin = stdin_read && strcmp(f, "<stdin>") == 0;
    if ((read_from_stdin ? fstat(0, &in) : stat(f, &in)) == 0 && S_ISREG(in.st_mode) &&
        in.st_dev == out.st_dev && in.st_ino == out.st_ino)
      return read_from_stdin ? "-" : f;
  }
  return NULL;
}

/* Returns 0 when written or when there was nothing to write (errors found,
 * or options refused: FILE untouched), -1 on an I/O failure, and
 * WRITE_REFUSED when FILE is one the run reads: a usage error, said on
 * its own, whatever the portfolio holds. */
enum { WRITE_REFUSED = -2 };

static int write_atomically(chg_ctx *ctx, const chg_report_options *ro, const char *path,
                            bool stdin_read, const char **why, int *result) {
  *result = chg_write_report(ctx, ro, NULL, why);
  /* the files read are known once the run has followed its includes */
  const char *read = *result >= 0 ? file_read_as(ctx, path, stdin_read) : NULL;
  if (read) {
    fprintf(stderr, "%s: error: `-o %s` names %s%s%s, a file this run reads: the report "
            "would replace it; write the report elsewhere\n", program, path,
            strcmp(read, "-") == 0 ? "the file on standard input (`-`)" : "`",
            strcmp(read, "-") == 0 ? "" : read, strcmp(read, "-") == 0 ? "" : "`");
    return WRITE_REFUSED;
  }
  struct stat st;
  size_t len = strlen(path);
  bool slash = len && path[len - 1] == '/';
  if (*result >= 0 && (slash || (stat(path, &st) == 0 && S_ISDIR(st.st_mode)))) {
    /* renaming over it would say "Device or resource busy", or "Not a directory" */
    fprintf(stderr, "%s: error: `-o %s` names a directory: -o takes the file to write the "
            "report to, as in `-o %s%sreport.%s`\n", program, path, path, slash ? "" : "/",
            !ro->format || strcmp(ro->format, "text") == 0 ? "txt" : ro->format);
    return WRITE_REFUSED;
  }
  if (*result != 0) return 0;
  if (is_device(path)) return write_into(ctx, ro, path, why, result);
  /* an existing report keeps its permissions (a private one stays
   * private), and one its owner made read-only is not replaced, as `>`
   * would not write it; a link is replaced, not followed (as above) */
  struct stat old;
  bool existing = lstat(path, &old) == 0 && S_ISREG(old.st_mode);
  if (existing && access(path, W_OK) != 0) {
    fprintf(stderr, "%s: error: cannot write `%s`: %s\n", program, path, strerror(errno));
    return -1;
  }
  staged file;
  if (!stage_open(&file, path, path, 0666)) return -1;
  if (existing && fchmod(file.fd, old.st_mode & 07777) != 0) {
    fprintf(stderr, "%s: error: cannot write `%s`: %s\n", program, path, strerror(errno));
    stage_discard(&file);
    return -1;
  }
  setvbuf(file.out, NULL, _IOFBF, (size_t)1 << 18); /* a national report is a gigabyte */
  *result = chg_write_report(ctx, ro, file.out, why);
  if (*result != 0) {
    stage_discard(&file);
    return 0;
  }
  if (!stage_commit(&file, path)) {
    fprintf(stderr, "%s: error: cannot write `%s`: %s\n", program, path, strerror(errno));
    return -1;
  }
  return 0;
}

/* Appends `path` to `buf` as the path of a file: URI. */
static void file_uri(char *buf, size_t size, const char *path) {
  static const char hex[] = "0123456789ABCDEF";
  size_t k = (size_t)snprintf(buf, size, "file://");
  for (const unsigned char *p = (const unsigned char *)path; *p && k + 4 < size; p++) {
    unsigned char ch = *p;
    if ((ch >= 'A' && ch <= 'Z') || (ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9') ||
        strchr("-._~/", ch)) {
      buf[k++] = (char)ch;
    } else {
      buf[k++] = '%';
      buf[k++] = hex[ch >> 4];
      buf[k++] = hex[ch & 15];
    }
  }
  buf[k] = '\0';
}

/* Where SARIF rules send people: CHG_DOCS_URL if set, else the manual beside
 * the stdlib -- in a source tree (stdlib/../docs) or an installed one
 * (share/chg/stdlib/../../doc/chg) -- else the compiled-in default, if that
 * file is there; else nowhere (NULL). */
static const char *docs_url(const char *stdlib, char *buf, size_t size) {
  const char *env = getenv("CHG_DOCS_URL");
  if (env && *env) return env;
  const char *candidates[] = {"%s/../docs/diagnostics.md", "%s/../../doc/chg/diagnostics.md"};
  for (size_t i = 0; stdlib && i < 2; i++) {
    char probe[PATH_MAX + 64], real[PATH_MAX];
    snprintf(probe, sizeof probe, candidates[i], stdlib);
    if (realpath(probe, real)) {
      file_uri(buf, size, real);
      return buf;
    }
  }
  const char *installed = CHG_DOCS_URL;
  if (strncmp(installed, "file://", 7) == 0 && access(installed + 7, R_OK) != 0) return NULL;
  return installed;
}

/* What went to standard output (help, the version) is there: a full disk
 * or a closed pipe is an I/O failure, said so. */
static int written_out(void) {
  if (fflush(stdout) == 0 && !ferror(stdout)) return EXIT_CLEAN;
  fprintf(stderr, "%s: error: cannot write the output: %s\n", program, strerror(errno));
  return EXIT_USAGE;
}

static int run(bool report, int argc, char **argv) {
  cli c;
  memset(&c, 0, sizeof c);
  c.report = report;
  c.colour = "auto";
  c.max_errors = 0; /* every error in one run, as a compiler reports them */
  c.includes = calloc((size_t)argc + 1, sizeof *c.includes);
  c.paths = calloc((size_t)argc + 1, sizeof *c.paths);
  /* a --section value is a comma list: room for every name it can hold */
  size_t names = (size_t)argc + 1;
  for (int i = 1; i < argc; i++)
    for (const char *p = argv[i]; *p; p++) names += *p == ',';
  c.sections = calloc(names, sizeof *c.sections);
  int status = EXIT_CLEAN;
  if (!c.includes || !c.paths || !c.sections) {
    fprintf(stderr, "%s: error: out of memory\n", program);
    status = EXIT_USAGE;
    goto done;
  }
  int parsed = parse_args(&c, argc, argv);
  if (parsed != 0) {
    status = parsed > 0 ? written_out() : EXIT_USAGE; /* help, or a usage error */
    goto done;
  }

  char stdlib_buf[PATH_MAX];
  chg_options opts;
  memset(&opts, 0, sizeof opts);
  opts.stdlib_dir = find_stdlib(stdlib_buf, sizeof stdlib_buf);
  opts.use_env_path = 1;
  opts.max_errors = c.max_errors;
  opts.max_blocks = c.max_blocks;
  opts.threads = c.jobs;
  opts.hook_instructions = c.hook_instructions;
  opts.hook_memory = (size_t)c.hook_memory_mb << 20;
  chg_ctx *ctx = chg_new(&opts);
  if (!ctx) {
    fprintf(stderr, "%s: error: out of memory\n", program);
    status = EXIT_USAGE;
    goto done;
  }
  for (int i = 0; i < c.nincludes; i++) chg_add_include_dir(ctx, c.includes[i]);
  bool stdin_failed = false, stdin_read = false;
  for (int i = 0; i < c.npaths; i++) {
    if (strcmp(c.paths[i], "-") == 0) stdin_failed |= !add_stdin(ctx, &stdin_read);
    else chg_add_path(ctx, c.paths[i]);
  }
  bool io = chg_io_failed(ctx) || stdin_failed;
  if (!io && !report && chg_evaluate_at(ctx, c.as_of) < 0) {
    fprintf(stderr, "%s: error: --as-of takes a date as YYYY-MM-DD of a day the calendar has, "
            "not `%s`\n", program, c.as_of);
    chg_free(ctx);
    status = EXIT_USAGE;
    goto done;
  }
  if (!io && report) {
    chg_report_options ro;
    memset(&ro, 0, sizeof ro);
    ro.format = c.format;
    ro.sections = c.sections;
    ro.nsections = (size_t)c.nsections;
    ro.as_of = c.as_of;
    ro.detail = c.detail;
    const char *why = NULL;
    int result = 0;
    /* `-o -` is standard output, as `-` is standard input */
    if (c.output && strcmp(c.output, "-") != 0) {
      int written = write_atomically(ctx, &ro, c.output, stdin_read, &why, &result);
      if (written == WRITE_REFUSED) {
        chg_free(ctx);
        status = EXIT_USAGE;
        goto done;
      }
      if (written != 0) io = true;
    } else {
      result = chg_write_report(ctx, &ro, stdout, &why);
      if (fflush(stdout) != 0 || ferror(stdout)) {
        fprintf(stderr, "%s: error: cannot write the report: %s\n", program, strerror(errno));
        io = true;
      }
    }
    if (result < 0) {
      fprintf(stderr, "%s: error: %s\n", program, why);
      chg_free(ctx);
      status = EXIT_USAGE;
      goto done;
    }
  }
  bool text = !c.diag_format || strcmp(c.diag_format, "text") == 0, stderr_failed = false;
  if (!c.quiet) {
    /* machine formats are what check produces: they go to standard output */
    char docs[PATH_MAX + 64];
    chg_diag_options dopts;
    memset(&dopts, 0, sizeof dopts);
    dopts.format = c.diag_format;
    dopts.colour = want_colour(c.colour);
    dopts.docs_url = docs_url(opts.stdlib_dir, docs, sizeof docs);
    chg_diag_write(ctx, text ? stderr : stdout, &dopts);
    if (!text && (fflush(stdout) != 0 || ferror(stdout))) {
      fprintf(stderr, "%s: error: cannot write the diagnostics: %s\n", program, strerror(errno));
      io = true;
    }
    /* diagnostics that could not be written (`2>/dev/full`) are an I/O
     * failure, which cannot be said */
    if (text && (fflush(stderr) != 0 || ferror(stderr))) io = stderr_failed = true;
  }
  if (io || chg_io_failed(ctx))
    status = EXIT_USAGE;
  else if (chg_error_count(ctx) || (c.strict && chg_warning_count(ctx)))
    status = EXIT_FOUND;
  size_t e = chg_error_count(ctx), w = chg_warning_count(ctx);
  /* (after a report that could not be written too: what was found is
   * still what was found) */
  if (!c.quiet && text && !stderr_failed && !chg_io_failed(ctx) && (e || w)) {
    /* what was not looked at is said: a file that parses wrongly hides
     * the false claims and the rules' flags that fixing it will show */
    bool unevaluated = e && !chg_evaluated(ctx);
    fprintf(stderr, "%zu error%s, %zu warning%s%s\n", e, e == 1 ? "" : "s", w, w == 1 ? "" : "s",
            unevaluated ? "; rules, hooks and claims were not run: they run once the errors "
                          "are fixed"
            : !e && c.strict ? "; --strict: a warning fails the run"
                             : "");
  }
  chg_free(ctx);
done:
  /* sections point into strdup'd copies of the --section values; the
   * process ends here, so they are left to it */
  free(c.includes);
  free(c.paths);
  free(c.sections);
  return status;
}

/* ---- chg fmt ----------------------------------------------------------- */

typedef struct fmt_cli {
  enum { FMT_PRINT, FMT_WRITE, FMT_CHECK } mode;
  bool diff, quiet;
  const char *format, *colour;
} fmt_cli;

typedef struct path_list {
  char **items;
  size_t len, cap;
} path_list;

static bool path_push(path_list *l, const char *p) {
  if (l->len == l->cap) {
    size_t cap = l->cap ? l->cap * 2 : 16;
    char **items = realloc(l->items, cap * sizeof *items);
    if (!items) return false;
    l->items = items;
    l->cap = cap;
  }
  l->items[l->len] = strdup(p);
  return l->items[l->len++] != NULL;
}

/* Replaces a file with new contents: a temporary file beside it, written
 * and synced, takes the old one's permissions and is renamed over it, so
 * the file is either wholly old or wholly new. */
static int replace_file(const char *path, const char *text, size_t len) {
  char real[PATH_MAX];
  if (!realpath(path, real)) {
    fprintf(stderr, "%s: error: cannot write `%s`: %s\n", program, path, strerror(errno));
    return -1;
  }
  struct stat st;
  /* a file its owner made read-only is not rewritten, as `>` would not
   * write it, though the directory would let it be replaced */
  if (stat(real, &st) != 0 || access(real, W_OK) != 0) {
    fprintf(stderr, "%s: error: cannot write `%s`: %s\n", program, path, strerror(errno));
    return -1;
  }
  staged file;
  if (!stage_open(&file, real, path, 0600)) return -1;
  if (fwrite(text, 1, len, file.out) != len || fchmod(file.fd, st.st_mode & 07777) != 0) {
    fprintf(stderr, "%s: error: cannot write `%s`: %s\n", program, path, strerror(errno));
    stage_discard(&file);
    return -1;
  }
  if (!stage_commit(&file, real)) {
    fprintf(stderr, "%s: error: cannot write `%s`: %s\n", program, path, strerror(errno));
    return -1;
  }
  return 0;
}

/* A file or directory named to fmt (`-`: standard input), kept to be
 * walked once the context that says what cannot be read is made.
 * Returns the exit status so far. */
static int fmt_name(path_list *named, const char *a, bool *dash) {
  if (strcmp(a, "-") == 0) {
    if (*dash) { /* as check and report say it */
      fprintf(stderr, "%s: error: `-` (standard input) is named twice\n", program);
      return EXIT_USAGE;
    }
    *dash = true;
  }
  return path_push(named, a) ? EXIT_CLEAN : EXIT_USAGE;
}

/* A file by device and inode, and its place among the paths */
typedef struct file_id {
  dev_t device;
  ino_t inode;
  size_t at;
} file_id;

static int by_file_then_place(const void *pa, const void *pb) {
  const file_id *a = pa, *b = pb;
  if (a->device != b->device) return a->device < b->device ? -1 : 1;
  if (a->inode != b->inode) return a->inode < b->inode ? -1 : 1;
  return a->at < b->at ? -1 : a->at > b->at;
}

/* Which paths name a file named before them (`a.chg ./a.chg`, or one in a
 * directory named too): formatted once, as check reads it once.  Sorted,
 * not compared pair by pair: a tree of thousands of files.  NULL when
 * memory is short (each is then formatted as named). */
static bool *named_again(const path_list *paths) {
  file_id *ids = malloc((paths->len ? paths->len : 1) * sizeof *ids);
  bool *again = calloc(paths->len ? paths->len : 1, sizeof *again);
  if (!ids || !again) {
    free(ids);
    free(again);
    return NULL;
  }
  size_t n = 0;
  for (size_t i = 0; i < paths->len; i++) {
    struct stat st;
    if (strcmp(paths->items[i], "-") != 0 && stat(paths->items[i], &st) == 0 && S_ISREG(st.st_mode))
      ids[n++] = (file_id){st.st_dev, st.st_ino, i};
  }
  qsort(ids, n, sizeof *ids, by_file_then_place);
  for (size_t k = 1; k < n; k++)
    if (ids[k].device == ids[k - 1].device && ids[k].inode == ids[k - 1].inode) again[ids[k].at] = true;
  free(ids);
  return again;
}

typedef struct found_files {
  path_list *paths;
  bool failed; /* out of memory */
} found_files;

static void push_found(void *ud, const char *path) {
  found_files *f = ud;
  if (!path_push(f->paths, path)) f->failed = true;
}

static int run_fmt(int argc, char **argv) {
  fmt_cli c;
  memset(&c, 0, sizeof c);
  c.colour = "auto";
  path_list named = {0}, paths = {0};
  int status = EXIT_CLEAN;
  bool modes = false, dash = false;
  bool options = true; /* until `--`: after it, `-x.chg` is a file */
  for (int i = 0; i < argc && status == EXIT_CLEAN; i++) {
    const char *a = argv[i];
    /* `--format=github`, as check and report take it */
    char name[32];
    const char *given = NULL;
    const char *eq = options && strncmp(a, "--", 2) == 0 ? strchr(a, '=') : NULL;
    if (eq && (size_t)(eq - a) < sizeof name) {
      memcpy(name, a, (size_t)(eq - a));
      name[eq - a] = '\0';
      a = name;
      given = eq + 1;
    }
    bool valued = !strcmp(a, "--format") || !strcmp(a, "--color") || !strcmp(a, "--colour");
    if (given && !valued) {
      if (strcmp(a, "--write") && strcmp(a, "--check") && strcmp(a, "--diff") &&
          strcmp(a, "--quiet") && strcmp(a, "--help"))
        unknown_option("fmt", argv[i]);
      else
        fprintf(stderr, "%s: error: %s takes no value (see chg fmt --help)\n", program, a);
      status = EXIT_USAGE;
    } else if (!options || a[0] != '-' || !a[1]) {
      status = fmt_name(&named, a, &dash);
    } else if (strcmp(a, "--") == 0) {
      options = false;
    } else if (strcmp(a, "-h") == 0 || strcmp(a, "--help") == 0) {
      usage_fmt(stdout);
      status = written_out();
      goto done;
    } else if (strcmp(a, "-w") == 0 || strcmp(a, "--write") == 0) {
      if (c.mode == FMT_CHECK) modes = true;
      c.mode = FMT_WRITE;
    } else if (strcmp(a, "--check") == 0) {
      if (c.mode == FMT_WRITE) modes = true;
      c.mode = FMT_CHECK;
    } else if (strcmp(a, "--diff") == 0 || strcmp(a, "-d") == 0) {
      c.diff = true;
    } else if (strcmp(a, "-q") == 0 || strcmp(a, "--quiet") == 0) {
      c.quiet = true;
    } else if (valued) {
      if (!given && i + 1 >= argc) {
        fprintf(stderr, "%s: error: %s needs a value\n", program, a);
        status = EXIT_USAGE;
        break;
      }
      const char *v = given ? given : argv[++i];
      if (strcmp(a, "--format") == 0) {
        if (!known_diag_format(v)) {
          fprintf(stderr, "%s: error: --format takes %s, not `%s`%s\n", program, chg_diag_formats(),
                  v, meant("", v, diag_formats));
          status = EXIT_USAGE;
        }
        c.format = v;
      } else if (strcmp(v, "auto") && strcmp(v, "always") && strcmp(v, "never")) {
        fprintf(stderr, "%s: error: --color takes auto, always or never, not `%s`\n", program, v);
        status = EXIT_USAGE;
      } else {
        c.colour = v;
      }
    } else {
      unknown_option("fmt", a);
      status = EXIT_USAGE;
    }
  }
  if (status != EXIT_CLEAN) goto done;
  if (modes || (c.mode == FMT_WRITE && c.diff)) {
    fprintf(stderr, "%s: error: -w cannot be combined with --check or --diff\n", program);
    status = EXIT_USAGE;
    goto done;
  }
  if (dash && c.mode == FMT_WRITE) {
    fprintf(stderr, "%s: error: -w cannot rewrite standard input\n", program);
    status = EXIT_USAGE;
    goto done;
  }
  if (quiet_machine_format(c.quiet, c.format)) {
    status = EXIT_USAGE;
    goto done;
  }
  if (named.len == 0) {
    fprintf(stderr, "%s: error: fmt needs at least one file or directory\n", program);
    usage_fmt(stderr);
    status = EXIT_USAGE;
    goto done;
  }

  chg_options opts;
  memset(&opts, 0, sizeof opts);
  opts.max_errors = 0;
  chg_ctx *ctx = chg_new(&opts);
  if (!ctx) {
    fprintf(stderr, "%s: error: out of memory\n", program);
    status = EXIT_USAGE;
    goto done;
  }
  bool text_diags = !c.format || strcmp(c.format, "text") == 0;
  bool io = false, found = false;
  /* a directory stands for every .chg below it, walked as check walks it:
   * what cannot be read is a diagnostic, and the rest is still formatted */
  for (size_t i = 0; i < named.len; i++) {
    struct stat st;
    const char *a = named.items[i];
    if (strcmp(a, "-") == 0 || stat(a, &st) != 0 || !S_ISDIR(st.st_mode)) {
      if (!path_push(&paths, a)) io = true;
      continue;
    }
    found_files f = {&paths, false};
    size_t before = chg_error_count(ctx);
    /* a file that cannot be read, for fmt as for one named, fails the run */
    if (chg_each_file_below(ctx, a, push_found, &f) != 0 || f.failed ||
        chg_error_count(ctx) > before)
      io = true;
  }
  bool *again = named_again(&paths);
  for (size_t i = 0; i < paths.len; i++) {
    const char *path = paths.items[i];
    size_t before = chg_error_count(ctx);
    uint32_t id;
    if (again && again[i]) continue;
    if (strcmp(path, "-") == 0) {
      size_t len = 0;
      char *buf = read_stdin(&len);
      if (!buf) {
        fprintf(stderr, "%s: error: cannot read standard input: %s\n", program, strerror(errno));
        io = true;
        continue;
      }
      id = chg_parse_source(ctx, "<stdin>", buf, len);
      free(buf);
    } else {
      id = chg_parse_path(ctx, path);
    }
    if (!id) {
      io = true;
      continue;
    }
    if (chg_error_count(ctx) > before) {
      found = true; /* syntax errors: the file is left alone */
      continue;
    }
    const char *formatted;
    size_t flen, olen;
    if (chg_format(ctx, id, &formatted, &flen) != 0) {
      found = true;
      continue;
    }
    const char *orig = chg_source_text(ctx, id, &olen);
    bool changed = olen != flen || memcmp(orig, formatted, flen) != 0;
    if (c.mode == FMT_PRINT && !c.diff) {
      if (fwrite(formatted, 1, flen, stdout) != flen) io = true;
    } else if (c.mode == FMT_WRITE) {
      if (changed && replace_file(path, formatted, flen) != 0) io = true;
    } else if (c.mode == FMT_CHECK && changed) {
      found = true;
      printf("%s\n", strcmp(path, "-") == 0 ? "<stdin>" : path);
      /* the list is for scripts; the diagnostic says where, for people and CI */
      chg_format_report(ctx, id, formatted, flen);
    }
    if (c.diff && changed)
      chg_write_diff(ctx, stdout, strcmp(path, "-") == 0 ? "<stdin>" : path, orig, olen,
                     formatted, flen);
  }
  free(again);
  if (fflush(stdout) != 0 || ferror(stdout)) {
    fprintf(stderr, "%s: error: cannot write the output: %s\n", program, strerror(errno));
    io = true;
  }
  if (!c.quiet) {
    char docs[PATH_MAX + 64], stdlib_buf[PATH_MAX];
    chg_diag_options dopts;
    memset(&dopts, 0, sizeof dopts);
    dopts.format = c.format;
    dopts.colour = want_colour(c.colour);
    dopts.docs_url = docs_url(find_stdlib(stdlib_buf, sizeof stdlib_buf), docs, sizeof docs);
    chg_diag_write(ctx, stderr, &dopts);
    /* counted, as check counts, when what the files say failed the run;
     * a file that could not be read is said, not counted */
    size_t e = chg_error_count(ctx);
    if (text_diags && e && !io && !chg_io_failed(ctx))
      fprintf(stderr, "%zu error%s, %zu warning%s\n", e, e == 1 ? "" : "s",
              chg_warning_count(ctx), chg_warning_count(ctx) == 1 ? "" : "s");
  }
  if (io || chg_io_failed(ctx)) status = EXIT_USAGE;
  else if (found || chg_error_count(ctx)) status = EXIT_FOUND;
  chg_free(ctx);
done:
  for (size_t i = 0; i < paths.len; i++) free(paths.items[i]);
  free(paths.items);
  for (size_t i = 0; i < named.len; i++) free(named.items[i]);
  free(named.items);
  return status;
}

int main(int argc, char **argv) {
  /* Thousands of diagnostics should not be thousands of writes: standard
   * error is buffered like any stream, and flushed when chg exits. */
  static char errbuf[1 << 16];
  setvbuf(stderr, errbuf, _IOFBF, sizeof errbuf);
#ifdef __GLIBC__
  /* Large tables (the name table, the list of blocks) are mapped and given
   * back when freed.  Left to itself glibc raises this threshold each time
   * one is freed, so the next is carved from the heap and stays resident
   * after it is freed: 8 MB more at the peak of a national portfolio. */
  mallopt(M_MMAP_THRESHOLD, 256 * 1024);
#endif
  /* Past a file size limit (ulimit -f) a write fails and is reported like
   * a full disk, its temporary file removed, instead of the kernel killing
   * chg part way with the file left behind. */
  signal(SIGXFSZ, SIG_IGN);
  if (argc < 2) {
    usage_main(stderr);
    return EXIT_USAGE;
  }
  const char *cmd = argv[1];
  if (strcmp(cmd, "--version") == 0 || strcmp(cmd, "-V") == 0) {
    if (argc > 2) {
      fprintf(stderr, "%s: error: %s takes nothing after it, not `%s`\n", program, cmd, argv[2]);
      return EXIT_USAGE;
    }
    printf("chg %s (%s)\n", CHG_VERSION, LUA_RELEASE);
    return written_out();
  }
  if (strcmp(cmd, "-h") == 0 || strcmp(cmd, "--help") == 0 ||
      strcmp(cmd, "help") == 0) {
    if (argc > 2 && strcmp(argv[2], "check") == 0) usage_check(stdout);
    else if (argc > 2 && strcmp(argv[2], "report") == 0) usage_report(stdout);
    else if (argc > 2 && strcmp(argv[2], "fmt") == 0) usage_fmt(stdout);
    else if (argc > 2) {
      fprintf(stderr, "%s: error: no help for `%s`: the commands are check, report and fmt\n", program,
              argv[2]);
      return EXIT_USAGE;
    } else usage_main(stdout);
    return written_out();
  }
  if (strcmp(cmd, "check") == 0) return run(false, argc - 2, argv + 2);
  if (strcmp(cmd, "report") == 0) return run(true, argc - 2, argv + 2);
  if (strcmp(cmd, "fmt") == 0) return run_fmt(argc - 2, argv + 2);
  static const char *const commands[] = {"check", "report", "fmt", "help", NULL};
  if (cmd[0] == '-') { /* an option before any command: `chg --strict x.chg` */
    fprintf(stderr, "%s: error: unknown option `%s`: options go after the command, as in "
            "`chg check --strict FILE` (see chg --help)\n", program, cmd);
    return EXIT_USAGE;
  }
  fprintf(stderr, "%s: error: unknown command `%s`%s (see chg --help)\n", program, cmd,
          meant("", cmd, commands));
  return EXIT_USAGE;
}
