/*
 * main.c -- the `chg` command: parses arguments and calls libchg.
 */
#define _DEFAULT_SOURCE
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <lua.h>

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
          "\n"
          "Options for every command:\n"
          "  -h, --help       show help (chg COMMAND --help for a command)\n"
          "  --version        show the version of chg and of its Lua\n");
}

static void usage_check(FILE *out) {
  fprintf(out,
          "usage: chg check [OPTIONS] FILE|DIR...\n"
          "\n"
          "Parses, resolves and checks a portfolio. The files and directories\n"
          "named (directories are searched for *.chg) form one portfolio.\n"
          "\n"
          "Options:\n"
          "  -I DIR              also look for `use` modules in DIR\n"
          "  --strict            treat warnings as errors (exit 1)\n"
          "  --max-errors N      stop after N errors (default 200; 0: no limit)\n"
          "  --color WHEN        auto, always or never (NO_COLOR is honoured)\n"
          "  -q, --quiet         print nothing; only the exit status tells\n"
          "\n"
          "Exit status: 0 clean, 1 errors found (or warnings with --strict),\n"
          "2 usage or I/O failure.\n");
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

static int cmd_check(int argc, char **argv) {
  const char *colour = "auto";
  int strict = 0, quiet = 0;
  unsigned max_errors = 200;
  const char **includes = calloc((size_t)argc + 1, sizeof *includes);
  const char **paths = calloc((size_t)argc + 1, sizeof *paths);
  int nincludes = 0, npaths = 0, status = EXIT_CLEAN;
  if (!includes || !paths) {
    fprintf(stderr, "%s: out of memory\n", program);
    return EXIT_USAGE;
  }
  for (int i = 0; i < argc; i++) {
    const char *a = argv[i];
    if (strcmp(a, "-h") == 0 || strcmp(a, "--help") == 0) {
      usage_check(stdout);
      goto done;
    } else if (strcmp(a, "--strict") == 0) {
      strict = 1;
    } else if (strcmp(a, "-q") == 0 || strcmp(a, "--quiet") == 0) {
      quiet = 1;
    } else if (strcmp(a, "-I") == 0 || strcmp(a, "--color") == 0 ||
               strcmp(a, "--colour") == 0 || strcmp(a, "--max-errors") == 0) {
      if (i + 1 >= argc) {
        fprintf(stderr, "%s: %s needs a value\n", program, a);
        status = EXIT_USAGE;
        goto done;
      }
      const char *v = argv[++i];
      if (a[1] == 'I') {
        includes[nincludes++] = v;
      } else if (strcmp(a, "--max-errors") == 0) {
        char *end;
        unsigned long n = strtoul(v, &end, 10);
        if (*end || end == v || n > 1000000) {
          fprintf(stderr, "%s: --max-errors takes a number, not `%s`\n",
                  program, v);
          status = EXIT_USAGE;
          goto done;
        }
        max_errors = (unsigned)n;
      } else {
        if (strcmp(v, "auto") && strcmp(v, "always") && strcmp(v, "never")) {
          fprintf(stderr, "%s: --color takes auto, always or never\n", program);
          status = EXIT_USAGE;
          goto done;
        }
        colour = v;
      }
    } else if (strncmp(a, "-I", 2) == 0 && a[2]) {
      includes[nincludes++] = a + 2;
    } else if (a[0] == '-' && a[1]) {
      fprintf(stderr, "%s: unknown option `%s` (see chg check --help)\n",
              program, a);
      status = EXIT_USAGE;
      goto done;
    } else {
      paths[npaths++] = a;
    }
  }
  if (npaths == 0) {
    fprintf(stderr, "%s: check needs at least one file or directory\n",
            program);
    usage_check(stderr);
    status = EXIT_USAGE;
    goto done;
  }

  char stdlib_buf[PATH_MAX];
  chg_options opts;
  memset(&opts, 0, sizeof opts);
  opts.stdlib_dir = find_stdlib(stdlib_buf, sizeof stdlib_buf);
  opts.use_env_path = 1;
  opts.max_errors = max_errors;
  chg_ctx *ctx = chg_new(&opts);
  if (!ctx) {
    fprintf(stderr, "%s: out of memory\n", program);
    status = EXIT_USAGE;
    goto done;
  }
  for (int i = 0; i < nincludes; i++) chg_add_include_dir(ctx, includes[i]);
  for (int i = 0; i < npaths; i++) chg_add_path(ctx, paths[i]);
  if (!chg_io_failed(ctx)) chg_check(ctx);
  if (!quiet) chg_diag_print(ctx, stderr, want_colour(colour));
  if (chg_io_failed(ctx))
    status = EXIT_USAGE;
  else if (chg_error_count(ctx) || (strict && chg_warning_count(ctx)))
    status = EXIT_FOUND;
  if (!quiet && status == EXIT_FOUND) {
    size_t e = chg_error_count(ctx), w = chg_warning_count(ctx);
    fprintf(stderr, "%zu error%s, %zu warning%s\n", e, e == 1 ? "" : "s", w,
            w == 1 ? "" : "s");
  }
  chg_free(ctx);
done:
  free(includes);
  free(paths);
  return status;
}

int main(int argc, char **argv) {
  if (argc < 2) {
    usage_main(stderr);
    return EXIT_USAGE;
  }
  const char *cmd = argv[1];
  if (strcmp(cmd, "--version") == 0 || strcmp(cmd, "-V") == 0) {
    printf("chg %s (%s)\n", CHG_VERSION, LUA_RELEASE);
    return EXIT_CLEAN;
  }
  if (strcmp(cmd, "-h") == 0 || strcmp(cmd, "--help") == 0 ||
      strcmp(cmd, "help") == 0) {
    if (argc > 2 && strcmp(argv[2], "check") == 0) usage_check(stdout);
    else usage_main(stdout);
    return EXIT_CLEAN;
  }
  if (strcmp(cmd, "check") == 0) return cmd_check(argc - 2, argv + 2);
  fprintf(stderr, "%s: unknown command `%s` (see chg --help)\n", program, cmd);
  return EXIT_USAGE;
}
