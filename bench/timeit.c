/*
 * timeit -- runs one command and says how long it took and the most memory
 * it held, for bench/run.sh.
 *
 *   timeit -o FILE COMMAND [ARG...]
 *
 * writes "SECONDS PEAK_KB" to FILE and exits with the command's status
 * (128 + the signal's number if a signal ended it, 127 if it could not be
 * started).  The command's own output goes where timeit's goes.
 *
 * The clock runs from just before the command is started to just after it
 * has ended: the time it takes to start a process is part of running a
 * tool, and is counted; the bench's own work around it is not.  The shell
 * timer this replaced, two `date +%s%N` around `/usr/bin/time`, took 16 to
 * 19 ms of its own on the virtual machines measured (a process started on
 * them costs some 3 ms), which it added to every run of every tool alike:
 * against a tenth of a second that is a sixth, and it pulled every ratio
 * towards 1 (docs/performance.md, the thirty-eighth round).  The peak is
 * the kernel's resident high-water mark of the command's process, the
 * figure /usr/bin/time's %M gives.
 */
#define _POSIX_C_SOURCE 200809L
#define _DEFAULT_SOURCE /* wait4 */

#include <errno.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <time.h>

extern char **environ;

static double seconds_between(struct timespec from, struct timespec to) {
  return (double)(to.tv_sec - from.tv_sec) + (double)(to.tv_nsec - from.tv_nsec) / 1e9;
}

int main(int argc, char **argv) {
  if (argc < 4 || strcmp(argv[1], "-o") != 0) {
    fprintf(stderr, "usage: timeit -o FILE COMMAND [ARG...]\n");
    return 2;
  }
  const char *out_path = argv[2];
  char **command = argv + 3;

  struct timespec started, ended;
  pid_t child;
  clock_gettime(CLOCK_MONOTONIC, &started);
  int failed = posix_spawnp(&child, command[0], NULL, NULL, command, environ);
  if (failed) {
    fprintf(stderr, "timeit: cannot run %s: %s\n", command[0], strerror(failed));
    return 127;
  }
  int status;
  struct rusage usage;
  while (wait4(child, &status, 0, &usage) < 0) {
    if (errno != EINTR) {
      fprintf(stderr, "timeit: waiting for %s: %s\n", command[0], strerror(errno));
      return 2;
    }
  }
  clock_gettime(CLOCK_MONOTONIC, &ended);

  FILE *out = fopen(out_path, "w");
  if (!out) {
    fprintf(stderr, "timeit: cannot write %s: %s\n", out_path, strerror(errno));
    return 2;
  }
  fprintf(out, "%.4f %ld\n", seconds_between(started, ended), usage.ru_maxrss);
  if (fclose(out) != 0) {
    fprintf(stderr, "timeit: cannot write %s: %s\n", out_path, strerror(errno));
    return 2;
  }
  if (WIFSIGNALED(status)) return 128 + WTERMSIG(status);
  return WIFEXITED(status) ? WEXITSTATUS(status) : 2;
}
