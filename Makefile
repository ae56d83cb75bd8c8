# chg -- a plain Makefile.  `make` builds build/chg; `make test` runs the
# whole suite, sanitizers included; `make demo` checks and reports the
# bundled 2022 portfolio.  Generated files live under build/ only.

PREFIX  ?= /usr/local
DESTDIR ?=
BUILD   ?= build

CC      ?= cc
FLEX    ?= flex
BISON   ?= bison
PKG_CONFIG ?= pkg-config

LUA_CFLAGS := $(shell $(PKG_CONFIG) --cflags lua5.4 2>/dev/null)
LUA_LIBS   := $(shell $(PKG_CONFIG) --libs lua5.4 2>/dev/null)
CMOCKA_LIBS := $(shell $(PKG_CONFIG) --libs cmocka 2>/dev/null)

WARN    := -Wall -Wextra -Werror -Wshadow -Wstrict-prototypes -Wmissing-prototypes
CSTD    := -std=c17
CPPFLAGS_ALL := -Iinclude -Isrc -I$(BUILD)/gen $(LUA_CFLAGS) \
                -DCHG_STDLIB_DIR='"$(PREFIX)/share/chg/stdlib"'
CFLAGS  ?= -O2 -g
# how many compilers (and test suites) run at once: one a processor
JOBS    ?= $(shell nproc 2>/dev/null || echo 2)
SAN_FLAGS := -O1 -g -fsanitize=address,undefined -fno-omit-frame-pointer \
             -fno-sanitize-recover=all
# The sanitizer builds are linked without position independence and, with
# gcc, with the sanitizers' runtimes inside: a hundred thousand relocations
# of a shared runtime and a position-independent binary were half of the
# 80 ms each of the test suite's thousands of short runs took.  (clang
# links its runtimes statically already.)
CC_IS_CLANG := $(findstring clang,$(shell $(CC) --version 2>/dev/null | head -n 1))
SAN_LDFLAGS := -no-pie $(if $(CC_IS_CLANG),,-static-libasan -static-libubsan)

LIB_SRC := $(filter-out src/main.c,$(wildcard src/*.c))
GEN_SRC := $(BUILD)/gen/chg.tab.c $(BUILD)/gen/chg_quick.tab.c $(BUILD)/gen/lex.chg.c
GEN_HDR := $(BUILD)/gen/chg.tab.h

REL_OBJ := $(patsubst src/%.c,$(BUILD)/rel/%.o,$(LIB_SRC)) \
           $(BUILD)/rel/chg.tab.o $(BUILD)/rel/chg_quick.tab.o $(BUILD)/rel/lex.chg.o
SAN_OBJ := $(patsubst src/%.c,$(BUILD)/san/%.o,$(LIB_SRC)) \
           $(BUILD)/san/chg.tab.o $(BUILD)/san/chg_quick.tab.o $(BUILD)/san/lex.chg.o

UNIT_SRC := $(wildcard tests/unit/test_*.c)
UNIT_BIN := $(patsubst tests/unit/%.c,$(BUILD)/rel/tests/%,$(UNIT_SRC))
UNIT_SAN := $(patsubst tests/unit/%.c,$(BUILD)/san/tests/%,$(UNIT_SRC))

.PHONY: all deps test demo install clean check-examples unit corpus stream \
        pathological quick-parse docs-test cli golden hooks valgrind test-browser bench fuzz \
        bench-timer tsan
.SUFFIXES:

all: $(BUILD)/chg

# Missing Debian packages are installed when run as root with apt-get,
# else the exact install line is printed.
deps:
	@sh .ci/deps

$(BUILD)/gen/chg.tab.c $(BUILD)/gen/chg.tab.h &: grammar/chg.y | $(BUILD)/gen
	$(BISON) -Wall -Werror -Wcounterexamples -d -o $(BUILD)/gen/chg.tab.c $<

# The same grammar without look-ahead correction, a tenth faster: a file is
# parsed with it first, and again with the one above only when it meets a
# syntax error (chg_parser.quick in src/parse.h).
$(BUILD)/gen/chg_quick.tab.c: grammar/chg.y | $(BUILD)/gen
	$(BISON) -Wall -Werror -Fparse.lac=none -o $@ $<
$(BUILD)/rel/chg_quick.tab.o $(BUILD)/san/chg_quick.tab.o: CPPFLAGS_ALL += -Dchg_yyparse=chg_yyparse_quick

$(BUILD)/gen/lex.chg.c: grammar/chg.l $(GEN_HDR) | $(BUILD)/gen
	$(FLEX) -Cfe -o $@ $<

$(BUILD)/gen $(BUILD)/rel $(BUILD)/san $(BUILD)/rel/tests $(BUILD)/san/tests:
	@mkdir -p $@

HDRS := $(wildcard src/*.h) include/chg.h $(GEN_HDR)

$(BUILD)/rel/%.o: src/%.c $(HDRS) | $(BUILD)/rel
	$(CC) $(CSTD) $(WARN) $(CFLAGS) $(CPPFLAGS_ALL) -c -o $@ $<
$(BUILD)/rel/%.o: $(BUILD)/gen/%.c $(HDRS) | $(BUILD)/rel
	$(CC) $(CSTD) $(WARN) -Wno-missing-prototypes $(CFLAGS) $(CPPFLAGS_ALL) -c -o $@ $<
$(BUILD)/san/%.o: src/%.c $(HDRS) | $(BUILD)/san
	$(CC) $(CSTD) $(WARN) $(SAN_FLAGS) $(CPPFLAGS_ALL) -c -o $@ $<
$(BUILD)/san/%.o: $(BUILD)/gen/%.c $(HDRS) | $(BUILD)/san
	$(CC) $(CSTD) $(WARN) -Wno-missing-prototypes $(SAN_FLAGS) $(CPPFLAGS_ALL) -c -o $@ $<

$(BUILD)/libchg.a: $(REL_OBJ)
	ar rcs $@ $^
$(BUILD)/libchg-san.a: $(SAN_OBJ)
	ar rcs $@ $^

$(BUILD)/chg: $(BUILD)/rel/main.o $(BUILD)/libchg.a
	$(CC) $(CFLAGS) -o $@ $^ $(LUA_LIBS) -lm -pthread
$(BUILD)/chg-san: $(BUILD)/san/main.o $(BUILD)/libchg-san.a
	$(CC) $(SAN_FLAGS) $(SAN_LDFLAGS) -o $@ $^ $(LUA_LIBS) -lm -pthread

$(BUILD)/rel/tests/%: tests/unit/%.c tests/unit/testutil.h $(BUILD)/libchg.a | $(BUILD)/rel/tests
	$(CC) $(CSTD) $(WARN) -Wno-missing-prototypes $(CFLAGS) $(CPPFLAGS_ALL) -o $@ $< $(BUILD)/libchg.a $(CMOCKA_LIBS) $(LUA_LIBS) -lm -pthread
$(BUILD)/san/tests/%: tests/unit/%.c tests/unit/testutil.h $(BUILD)/libchg-san.a | $(BUILD)/san/tests
	$(CC) $(CSTD) $(WARN) -Wno-missing-prototypes $(SAN_FLAGS) $(SAN_LDFLAGS) $(CPPFLAGS_ALL) -o $@ $< $(BUILD)/libchg-san.a $(CMOCKA_LIBS) $(LUA_LIBS) -lm -pthread

# ---- tests -----------------------------------------------------------

# The suites run side by side, one a processor, each one's output printed
# whole when it ends: one after another they took 14 minutes on two
# processors, most of them waiting on one.  None shares a file with
# another, and the time limits inside them are of processor time, which a
# busy machine does not stretch.
TEST_JOBS ?= $(JOBS)
TEST_SUITES := stream golden hooks corpus cli quick-parse fmt-test ci-formats pathological \
               unit valgrind docs-test check-examples editors-test bench-timer

test: deps
	@$(MAKE) --no-print-directory -j$(TEST_JOBS) $(BUILD)/chg $(BUILD)/chg-san $(UNIT_BIN) $(UNIT_SAN)
	@$(MAKE) --no-print-directory -j$(TEST_JOBS) --output-sync=target $(TEST_SUITES)
	@echo "make test: all passed"

unit: $(UNIT_BIN) $(UNIT_SAN)
	@set -e; for t in $(UNIT_BIN) $(UNIT_SAN); do \
	  printf '%s\n' "== $$t"; timeout 300 $$t > $$t.log 2>&1 || { cat $$t.log; exit 1; }; \
	  grep -E '^\[  PASSED  \]' $$t.log; done

# The suites that run chg-san trust it to be sanitized: a link that lost
# the runtimes would pass them all.
check-examples: $(BUILD)/chg-san
	@ASAN_OPTIONS=help=1 $(BUILD)/chg-san --version 2>&1 | grep -q 'flags for AddressSanitizer' && \
	  nm $(BUILD)/chg-san | grep -q '__ubsan_handle_add_overflow' || \
	  { echo "$(BUILD)/chg-san has no AddressSanitizer or UndefinedBehaviorSanitizer in it"; exit 1; }
	@set -e; for d in examples/*/; do \
	  ls "$$d"*.chg >/dev/null 2>&1 || continue; \
	  printf 'check %s\n' "$$d"; \
	  ASAN_OPTIONS=detect_leaks=1 $(BUILD)/chg-san check --max-errors 0 "$$d"; done

corpus: $(BUILD)/chg-san
	@sh tests/run-corpus.sh $(BUILD)/chg-san
	@CORPUS_DIR=tests/regress sh tests/run-corpus.sh $(BUILD)/chg-san

# The shortcuts (parsing quickly first, conditions compiled) say the same.
quick-parse: $(BUILD)/chg
	@sh tests/quick_parse.sh $(BUILD)/chg

pathological: $(BUILD)/chg
	@sh tests/pathological.sh $(BUILD)/chg

# Large files are read as they are scanned: the same, read in pieces.
stream: $(BUILD)/chg-san
	@sh tests/stream.sh $(BUILD)/chg-san

cli: $(BUILD)/chg-san
	@sh tests/cli.sh $(BUILD)/chg-san

# Valgrind over the examples and a sample of the malformed corpus (skipped,
# with a note, where valgrind is not installed).
valgrind: $(BUILD)/chg
	@if command -v valgrind >/dev/null 2>&1; then \
	  set -e; for f in $$(ls -d examples/*/ | grep -v '^examples/ci/$$') tests/bad/garbage_in_head.chg tests/bad/unterminated_long_string.chg \
	      tests/bad/nesting_too_deep.chg tests/bad/include_cycle.chg tests/bad/five_errors_in_one_file.chg; do \
	    valgrind -q --error-exitcode=9 --leak-check=full $(BUILD)/chg check -q "$$f" || [ $$? -eq 1 ]; done; \
	  echo "valgrind: clean"; \
	else echo "valgrind: not installed, skipped"; fi

hooks: $(BUILD)/chg-san
	@sh tests/hooks/run.sh $(BUILD)/chg-san

golden: $(BUILD)/chg-san
	@sh tests/golden.sh $(BUILD)/chg-san
	@sh tests/json.sh

# The HTML dashboard in a real browser, on screen and printed (installs
# Debian's chromium and poppler-utils when run as root); screenshots land
# in build/screens/.
test-browser: $(BUILD)/chg
	@sh tests/browser.sh $(BUILD)/chg

docs-test: $(BUILD)/chg
	@sh tests/docs.sh $(BUILD)/chg

# ---- benchmarks (run by hand; see docs/performance.md) ---------------

bench: $(BUILD)/chg $(BUILD)/timeit
	@TIMEIT=$(BUILD)/timeit sh bench/run.sh $(BUILD)/chg

# the bench's timer: one run of a command, its wall clock and peak memory
$(BUILD)/timeit: bench/timeit.c | $(BUILD)/gen
	$(CC) $(CSTD) $(WARN) $(CFLAGS) -o $@ $<

bench-timer: $(BUILD)/timeit
	@sh tests/bench_timer.sh $(BUILD)/timeit

fuzz:
	@sh tests/fuzz/run.sh

# ThreadSanitizer (clang) where chg uses threads: pieces parsed side by
# side, halved as they are parsed, reports built on two threads
tsan:
	@sh tests/tsan.sh

# ---- the main job ----------------------------------------------------

demo: deps
	@$(MAKE) --no-print-directory -j$(JOBS) $(BUILD)/chg
	$(BUILD)/chg check examples/transformation_2022
	$(BUILD)/chg report -q examples/transformation_2022
	$(BUILD)/chg report -q --format html -o $(BUILD)/dashboard.html examples/transformation_2022
	@echo "The dashboard: $(BUILD)/dashboard.html"

# ---- install ---------------------------------------------------------

install: $(BUILD)/chg
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(PREFIX)/share/chg/stdlib/std \
	           $(DESTDIR)$(PREFIX)/share/man/man1
	install -m 755 $(BUILD)/chg $(DESTDIR)$(PREFIX)/bin/chg
	install -m 644 stdlib/std/*.chg $(DESTDIR)$(PREFIX)/share/chg/stdlib/std/
	install -m 644 docs/chg.1 $(DESTDIR)$(PREFIX)/share/man/man1/chg.1
	install -d $(DESTDIR)$(PREFIX)/share/doc/chg
	install -m 644 docs/diagnostics.md $(DESTDIR)$(PREFIX)/share/doc/chg/diagnostics.md

clean:
	rm -rf $(BUILD)

# ---- chg fmt, diagnostics for CI, editors (standalone targets) --------
# The formatter over every .chg file and a synthetic corpus (round trip,
# idempotence, comments, --check/--diff/-w); the machine formats of
# diagnostics (JSON lines, SARIF against its schema, GitHub commands) and
# the CI configurations; the Vim and VS Code support.

.PHONY: fmt-test ci-formats editors-test

fmt-test: $(BUILD)/chg-san
	@sh tests/fmt.sh $(BUILD)/chg-san

ci-formats: $(BUILD)/chg-san
	@sh tests/ci-formats.sh $(BUILD)/chg-san

editors-test:
	@sh tests/editors.sh
