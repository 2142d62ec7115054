# leadboard - a terminal lead-handoff board for sales and marketing.
#
#   make            build ./leadboard
#   make test       build and run every test; ends with "N passed, N failed"
#   make snapshots  rewrite the expected screens in tests/screens/ (see README)
#   make stress     the load, race and crash tests with their full rounds
#   make asan       the same tests under AddressSanitizer + UBSan
#   make fuzz       the CSV reader under libFuzzer for FUZZ_SECONDS (default 60)
#   make demo       install what is missing, build, fill demo.db, open the board
#   make deps       install the Debian packages it needs
#   make install    PREFIX, MANPREFIX, DESTDIR honoured
#   make install-shared   a team host: setgid binary, shared database (see README)

PREFIX ?= /usr/local
BINDIR ?= $(PREFIX)/bin
MANPREFIX ?= $(PREFIX)/share/man
STATEDIR ?= /var/lib/leadboard
# The first admin of a shared install: whoever ran sudo, else the current login.
ADMIN ?= $(or $(SUDO_USER),$(shell id -un))
SHARED_GROUP ?= leadboard
SHARED_BUILD ?= build-shared
DESTDIR ?=
PKG_CONFIG ?= pkg-config
CC ?= cc

# What `make deps` installs; `make` names the missing one.
DEB_PACKAGES = gcc make libncurses-dev libsqlite3-dev uuid-dev libcmocka-dev pkg-config tmux \
	nettle-dev libcsv-dev libunistring-dev sqlite3 jq procps libpq-dev postgresql iso-codes

CFLAGS ?= -O2 -g
WARNINGS = -Wall -Wextra -Wshadow -Wformat=2 -Wstrict-prototypes -Wmissing-prototypes \
	-Wpointer-arith -Wundef -Wwrite-strings -Wcast-align
BUILD ?= build

# Libraries: pkg-config names, and the Debian package that provides each.
LIBS_PKG = ncursesw sqlite3 uuid nettle libpq
pkg_deb_ncursesw = libncurses-dev
pkg_deb_sqlite3 = libsqlite3-dev
pkg_deb_uuid = uuid-dev
pkg_deb_nettle = nettle-dev
pkg_deb_libpq = libpq-dev
pkg_deb_cmocka = libcmocka-dev

# The countries of ISO 3166-1, as Debian's iso-codes ships them: compiled in
# (build/countries.c), so the binary needs no data files at run time.
ISO_3166_JSON ?= /usr/share/iso-codes/json/iso_3166-1.json

# make demo and make test install what is missing first (make deps), then
# build in a second make, where these checks run after the install.
DEPS_FIRST_GOALS = demo test
NO_DEPS_GOALS = deps clean distclean $(DEPS_FIRST_GOALS)
ifeq ($(filter $(NO_DEPS_GOALS),$(MAKECMDGOALS)),)
  ifeq ($(shell command -v $(PKG_CONFIG) 2>/dev/null),)
    $(error leadboard needs pkg-config: install the Debian package pkg-config (or run make deps))
  endif
  $(foreach p,$(LIBS_PKG),$(if $(shell $(PKG_CONFIG) --exists $(p) && echo y),,\
    $(error leadboard needs $(p): install the Debian package $(pkg_deb_$(p)) (or run make deps))))
  # \043 is '#', which a Makefile line cannot hold as it is
  ifeq ($(shell printf '\043include <csv.h>\n' | $(CC) -E -x c - >/dev/null 2>&1 && echo y),)
    $(error leadboard needs libcsv: install the Debian package libcsv-dev (or run make deps))
  endif
  ifeq ($(wildcard $(ISO_3166_JSON)),)
    $(error leadboard needs $(ISO_3166_JSON): install the Debian package iso-codes (or run make deps))
  endif
  ifeq ($(shell command -v jq 2>/dev/null),)
    $(error leadboard needs jq to build its table of countries: install the Debian package jq (or run make deps))
  endif
  # libunistring has no pkg-config file on Debian: look for its header
  ifeq ($(shell printf '\043include <unicase.h>\n' | $(CC) -E -x c - >/dev/null 2>&1 && echo y),)
    $(error leadboard needs libunistring: install the Debian package libunistring-dev (or run make deps))
  endif
endif

# Feature macros are ours (C11 + POSIX 2008), not the libraries'.
PKG_CFLAGS := $(filter-out -D_XOPEN_SOURCE% -D_DEFAULT_SOURCE -D_GNU_SOURCE,$(shell $(PKG_CONFIG) --cflags $(LIBS_PKG) 2>/dev/null))
# The binary loads libpq when a PostgreSQL database is named (src/pq.h), so
# it is not linked with it; the tests and the bench, which talk to the
# server themselves, are.
PKG_LIBS := $(shell $(PKG_CONFIG) --libs $(filter-out libpq,$(LIBS_PKG)) 2>/dev/null) -lcsv -lunistring -ldl
PQ_LIBS := $(shell $(PKG_CONFIG) --libs libpq 2>/dev/null)
# The binary itself carries those libraries (their static archives come in the
# same -dev packages), all but the C library: every command is a process of
# its own, and each shared library costs it dozens of page faults and
# relocations before main (BENCHMARKS.md, "A host full of boards").
BIN_LIBS = -Wl,-Bstatic $(filter-out -ldl,$(PKG_LIBS)) -Wl,-Bdynamic -lm -ldl -lpthread
ALL_CPPFLAGS = -std=c11 -D_XOPEN_SOURCE=700 -D_DEFAULT_SOURCE -Iinclude -Isrc \
	-DLEADBOARD_VERSION='"$(VERSION)"' $(CPPFLAGS)
ALL_CFLAGS = $(WARNINGS) $(PKG_CFLAGS) $(CFLAGS)

VERSION = 0.1.0

CORE_SRC = $(wildcard src/*.c)
CLI_SRC = $(wildcard src/cli/*.c)
UI_SRC = $(wildcard src/ui/*.c)
APP_SRC = $(CORE_SRC) $(CLI_SRC) $(UI_SRC)
# Everything but main(): what the C tests link against.
LIB_SRC = $(filter-out src/cli/main.c,$(APP_SRC))

GEN_OBJ = $(BUILD)/schema_sql.o $(BUILD)/schema_pg_sql.o $(BUILD)/countries.o
APP_OBJ = $(APP_SRC:%.c=$(BUILD)/%.o) $(GEN_OBJ)
LIB_OBJ = $(LIB_SRC:%.c=$(BUILD)/%.o) $(GEN_OBJ)

TEST_C = $(wildcard tests/test_*.c)
TEST_BIN = $(TEST_C:tests/%.c=$(BUILD)/tests/%)
# Programs the shell tests use, not tests themselves (a tamperer's chain, a
# /dev/log listener, an attacker's path race): tests/tools/.
TEST_TOOL_C = $(wildcard tests/tools/*.c)
TEST_TOOLS = $(TEST_TOOL_C:tests/tools/%.c=$(BUILD)/tests/tools/%)
TEST_LIBS = $(shell $(PKG_CONFIG) --libs cmocka 2>/dev/null)

ifeq ($(BUILD),build)
  BINARY = leadboard
else
  BINARY = $(BUILD)/leadboard
endif

.PHONY: all test test-run snapshots stress asan check-cmocka deps demo install install-shared uninstall clean \
	bench fuzz tests-build

all: $(BINARY)

$(BINARY): $(APP_OBJ)
	$(CC) $(ALL_CFLAGS) $(LDFLAGS) -o $@ $(APP_OBJ) $(BIN_LIBS)

$(BUILD)/%.o: %.c $(wildcard include/leadboard/*.h src/*.h src/cli/*.h src/ui/*.h) | $(BUILD)/.dirs
	$(CC) $(ALL_CPPFLAGS) $(ALL_CFLAGS) -c -o $@ $<

# schema.sql and schema_pg.sql become C strings: the installed binary needs
# no data files.
$(BUILD)/schema_sql.c: schema.sql | $(BUILD)/.dirs
	{ echo '/* generated from schema.sql by make; do not edit */'; \
	  echo 'const char schema_sql[] ='; \
	  sed -e 's/\\/\\\\/g' -e 's/"/\\"/g' -e 's/^/"/' -e 's/$$/\\n"/' schema.sql; \
	  echo ';'; } > $@

$(BUILD)/schema_pg_sql.c: schema_pg.sql | $(BUILD)/.dirs
	{ echo '/* generated from schema_pg.sql by make; do not edit */'; \
	  echo 'const char schema_pg_sql[] ='; \
	  sed -e 's/\\/\\\\/g' -e 's/"/\\"/g' -e 's/^/"/' -e 's/$$/\\n"/' schema_pg.sql; \
	  echo ';'; } > $@

$(BUILD)/schema_sql.o: $(BUILD)/schema_sql.c
	$(CC) $(ALL_CPPFLAGS) $(ALL_CFLAGS) -c -o $@ $<

$(BUILD)/schema_pg_sql.o: $(BUILD)/schema_pg_sql.c
	$(CC) $(ALL_CPPFLAGS) $(ALL_CFLAGS) -c -o $@ $<

# iso-codes' ISO 3166-1 list becomes a C table the same way (src/country.c
# reads it): code, three-letter code, name, official name, common name.
COUNTRY_ROW = "\t{ \(.alpha_2 | @json), \(.alpha_3 | @json), \(.name | @json), \(.official_name // "" | @json), \(.common_name // "" | @json) },"
$(BUILD)/countries.c: $(ISO_3166_JSON) | $(BUILD)/.dirs
	{ echo '/* generated from $(ISO_3166_JSON) (Debian iso-codes) by make; do not edit */' && \
	  echo '#include "country_table.h"' && \
	  echo 'const struct country_entry country_table[] = {' && \
	  jq -r '.["3166-1"][] | $(COUNTRY_ROW)' $< && \
	  echo '};' && \
	  echo 'const size_t country_table_count = sizeof country_table / sizeof country_table[0];'; \
	} > $@.tmp && mv $@.tmp $@

$(BUILD)/countries.o: $(BUILD)/countries.c src/country_table.h
	$(CC) $(ALL_CPPFLAGS) $(ALL_CFLAGS) -c -o $@ $<

$(BUILD)/.dirs:
	mkdir -p $(BUILD)/src/cli $(BUILD)/src/ui $(BUILD)/tests/tools
	touch $@

check-cmocka:
	@$(PKG_CONFIG) --exists cmocka || \
	  { echo "leadboard tests need cmocka: install the Debian package libcmocka-dev (or run make deps)"; exit 1; }

$(BUILD)/tests/%: tests/%.c $(LIB_OBJ) tests/testlib.h | check-cmocka
	$(CC) $(ALL_CPPFLAGS) $(ALL_CFLAGS) -Itests -o $@ $< $(LIB_OBJ) $(PKG_LIBS) $(PQ_LIBS) $(TEST_LIBS)

# One rule for them all, each linked with the library: forge_chain and
# syslog_sink use it; swap_race needs none of it and just carries it along.
$(BUILD)/tests/tools/%: tests/tools/%.c $(LIB_OBJ) | $(BUILD)/.dirs
	@mkdir -p $(@D)
	$(CC) $(ALL_CPPFLAGS) $(ALL_CFLAGS) $(LDFLAGS) -o $@ $< $(LIB_OBJ) $(PKG_LIBS) $(PQ_LIBS)

tests-build: $(BINARY) $(TEST_BIN) $(TEST_TOOLS)

# The build before the tests compiles one file per CPU at a time.
BUILD_JOBS ?= $(shell nproc 2>/dev/null || echo 2)
test: deps
	@$(MAKE) --no-print-directory -j$(BUILD_JOBS) tests-build
	@$(MAKE) --no-print-directory test-run

test-run: tests-build
	@LEADBOARD=$(abspath $(BINARY)) TEST_BIN_DIR=$(abspath $(BUILD)/tests) \
	  TEST_TOOLS=$(abspath $(BUILD)/tests/tools) tests/run.sh

# make snapshots: rewrite the expected screens in tests/screens/ from the board
# as it draws now, by the tests named *screens* (when a layout change is meant;
# review the files with git diff).
snapshots: tests-build
	@UPDATE_SNAPSHOTS=1 TESTS=screens LEADBOARD=$(abspath $(BINARY)) \
	  TEST_BIN_DIR=$(abspath $(BUILD)/tests) TEST_TOOLS=$(abspath $(BUILD)/tests/tools) tests/run.sh

# make stress: the load, race and crash tests with their full rounds (make
# test runs fewer: enough to meet every case, quick enough to run often).
STRESS_TESTS = concurrency_ crash_kill routing_load shared_race
stress: tests-build
	@STRESS=1 TESTS="$(STRESS_TESTS)" LEADBOARD=$(abspath $(BINARY)) \
	  TEST_BIN_DIR=$(abspath $(BUILD)/tests) TEST_TOOLS=$(abspath $(BUILD)/tests/tools) tests/run.sh

SAN_FLAGS = -O1 -g -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all
asan:
	$(MAKE) BUILD=build-asan CFLAGS="$(SAN_FLAGS)" LDFLAGS="$(SAN_FLAGS)" test

# make bench: an optimised build in build-bench/, the data set cached in
# build-bench/data/, one table of figures; exits 1 when a target is missed
# (see BENCHMARKS.md). BENCH_ARGS="--only WORD" measures some figures only.
# BACKEND=pg measures on a local PostgreSQL server instead (build-bench/data/pg).
BACKEND ?= sqlite
BENCH_SRC = $(wildcard bench/*.c)
BENCH_OBJ = $(BENCH_SRC:%.c=$(BUILD)/%.o)

$(BUILD)/bench/%.o: bench/%.c bench/bench.h $(wildcard include/leadboard/*.h src/*.h src/ui/*.h) | $(BUILD)/.dirs
	@mkdir -p $(@D)
	$(CC) $(ALL_CPPFLAGS) $(ALL_CFLAGS) -Ibench -c -o $@ $<

$(BUILD)/bench/bench: $(BENCH_OBJ) $(LIB_OBJ)
	$(CC) $(ALL_CFLAGS) $(LDFLAGS) -o $@ $(BENCH_OBJ) $(LIB_OBJ) $(PKG_LIBS) $(PQ_LIBS) -lutil -lm

bench:
	$(MAKE) --no-print-directory -j$(BUILD_JOBS) BUILD=build-bench CFLAGS="-O2 -DNDEBUG" \
	  LDFLAGS= build-bench/leadboard build-bench/bench/bench
	build-bench/bench/bench --leadboard build-bench/leadboard --data build-bench/data \
	  --backend $(BACKEND) $(BENCH_ARGS)

deps:
	@command -v dpkg >/dev/null || { echo "make deps knows Debian's packages only;" \
	  "install these or their equivalents: $(DEB_PACKAGES)"; exit 0; }; \
	if [ "$$(id -u)" = 0 ]; then SUDO=; else SUDO=sudo; fi; \
	missing=; for p in $(DEB_PACKAGES); do \
	  dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
	  echo "installing:$$missing"; \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y $$missing; \
	else echo "all dependencies are installed"; fi

DEMO_DB ?= demo.db
DEMO_AS ?= maya
demo: deps
	$(MAKE) all
	@if [ ! -f $(DEMO_DB) ]; then ./leadboard --db $(DEMO_DB) demo; fi
	./leadboard --db $(DEMO_DB) --as $(DEMO_AS)

install: $(BINARY)
	install -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(MANPREFIX)/man1
	install -m 755 $(BINARY) $(DESTDIR)$(BINDIR)/leadboard
	install -m 644 man/leadboard.1 $(DESTDIR)$(MANPREFIX)/man1/leadboard.1

# A team host (README, "A team on one host"): a binary of its own whose
# default database is STATEDIR/leadboard.db, setgid to SHARED_GROUP; the
# database readable and writable by that group only. Re-running it upgrades
# the binary in place and migrates the database; nothing is lost.
#
# With SHARED_DATABASE set (a postgresql:// URI or a conninfo string,
# password included; README, "More than one host") the binary's default is
# STATEDIR/leadboard.conf instead, which holds that string: root:SHARED_GROUP,
# mode 0640, read by the setgid binary alone. Give SHARED_DATABASE again
# when re-running it to upgrade.
SHARED_DATABASE ?=
# The sweep every minute (README, "Routing and the sweep"): a systemd timer
# where systemd runs, else a line in CRON_DIR; SWEEP_TIMER=systemd, cron or
# none chooses. The timer is enabled only in systemd's own unit directory.
SWEEP_TIMER ?= auto
SYSTEMD_UNITDIR ?= /etc/systemd/system
CRON_DIR ?= /etc/cron.d
SHARED_CONF_PATH = $(STATEDIR)/leadboard.conf
SHARED_DB_PATH = $(if $(SHARED_DATABASE),$(SHARED_CONF_PATH),$(STATEDIR)/leadboard.db)
install-shared: export LB_SHARED_DATABASE = $(SHARED_DATABASE)
install-shared:
	@[ "$$(id -u)" = 0 ] || { echo "install-shared needs root: sudo make install-shared"; exit 1; }
	@# before anything is built or changed: a STATEDIR only root could have prepared
	@sh tools/check-statedir.sh "$(STATEDIR)" "$(SHARED_GROUP)"
	@# the personal build's objects, with the database compiled in again
	rm -rf $(SHARED_BUILD)
	$(MAKE) all
	mkdir -p $(SHARED_BUILD)
	$(CC) $(ALL_CPPFLAGS) -DLEADBOARD_SHARED_DB='"$(SHARED_DB_PATH)"' $(ALL_CFLAGS) \
	  -c -o $(SHARED_BUILD)/shared_db.o src/shared_db.c
	$(CC) $(ALL_CFLAGS) $(LDFLAGS) -o $(SHARED_BUILD)/leadboard \
	  $(filter-out $(BUILD)/src/shared_db.o,$(APP_OBJ)) $(SHARED_BUILD)/shared_db.o $(BIN_LIBS)
	getent group $(SHARED_GROUP) >/dev/null || groupadd --system $(SHARED_GROUP)
	for d in $(BINDIR) $(MANPREFIX)/man1; do [ -d $$d ] || install -d -m 755 $$d; done
	install -o root -g $(SHARED_GROUP) -m 2755 $(SHARED_BUILD)/leadboard $(BINDIR)/.leadboard.new
	mv -f $(BINDIR)/.leadboard.new $(BINDIR)/leadboard
	if [ -f man/leadboard.1 ]; then install -m 644 man/leadboard.1 $(MANPREFIX)/man1/leadboard.1; fi
	install -d -o root -g $(SHARED_GROUP) -m 2770 $(STATEDIR)
	chown root:$(SHARED_GROUP) $(STATEDIR) && chmod 2770 $(STATEDIR)
ifeq ($(SHARED_DATABASE),)
	env -u LEADBOARD_DB $(BINDIR)/leadboard --db $(SHARED_DB_PATH) init --admin $(ADMIN)
	chown root:$(SHARED_GROUP) $(SHARED_DB_PATH) && chmod 0660 $(SHARED_DB_PATH)
	@# the writers' queue is root's too: no member keeps a file of their own there
	[ -e $(SHARED_DB_PATH)-lock ] || install -m 0660 -o root -g $(SHARED_GROUP) /dev/null $(SHARED_DB_PATH)-lock
	chown root:$(SHARED_GROUP) $(SHARED_DB_PATH)-lock && chmod 0660 $(SHARED_DB_PATH)-lock
else
	@rm -f $(SHARED_CONF_PATH).new
	@umask 077; { echo "# leadboard: the database of this team host (see README)"; \
	  echo "database = $$LB_SHARED_DATABASE"; } > $(SHARED_CONF_PATH).new
	chown root:$(SHARED_GROUP) $(SHARED_CONF_PATH).new && chmod 0640 $(SHARED_CONF_PATH).new
	mv -f $(SHARED_CONF_PATH).new $(SHARED_CONF_PATH)
	env -u LEADBOARD_DB $(BINDIR)/leadboard init --admin $(ADMIN)
endif
	@timer=$(SWEEP_TIMER); \
	if [ "$$timer" = auto ]; then \
	  if [ -d /run/systemd/system ]; then timer=systemd; else timer=cron; fi; fi; \
	case $$timer in \
	systemd) \
	  install -d -m 755 $(SYSTEMD_UNITDIR) && \
	  sed 's|@BINDIR@|$(BINDIR)|g' dist/leadboard-sweep.service.in > $(SYSTEMD_UNITDIR)/leadboard-sweep.service && \
	  install -m 644 dist/leadboard-sweep.timer $(SYSTEMD_UNITDIR)/leadboard-sweep.timer && \
	  chmod 644 $(SYSTEMD_UNITDIR)/leadboard-sweep.service && \
	  rm -f $(CRON_DIR)/leadboard-sweep && \
	  echo "leadboard: the sweep runs every minute: $(SYSTEMD_UNITDIR)/leadboard-sweep.timer" && \
	  if [ -d /run/systemd/system ] && [ "$(SYSTEMD_UNITDIR)" = /etc/systemd/system ]; then \
	    systemctl daemon-reload && systemctl enable --now leadboard-sweep.timer; fi ;; \
	cron) \
	  install -d -m 755 $(CRON_DIR) && \
	  sed 's|@BINDIR@|$(BINDIR)|g' dist/leadboard-sweep.cron.in > $(CRON_DIR)/leadboard-sweep.new && \
	  chmod 644 $(CRON_DIR)/leadboard-sweep.new && \
	  mv -f $(CRON_DIR)/leadboard-sweep.new $(CRON_DIR)/leadboard-sweep && \
	  echo "leadboard: the sweep runs every minute: $(CRON_DIR)/leadboard-sweep" ;; \
	none) echo "leadboard: no timer for the sweep (SWEEP_TIMER=none): run leadboard sweep every minute" ;; \
	*) echo "SWEEP_TIMER is auto, systemd, cron or none, not $$timer"; exit 1 ;; \
	esac
	@echo "leadboard: $(BINDIR)/leadboard uses $(SHARED_DB_PATH); add the team with" \
	  "leadboard user add LOGIN --role ROLE"

uninstall:
	rm -f $(DESTDIR)$(BINDIR)/leadboard $(DESTDIR)$(MANPREFIX)/man1/leadboard.1

clean:
	rm -rf build build-asan build-shared build-bench build-fuzz leadboard

distclean: clean
	rm -f demo.db demo.db-wal demo.db-shm

# make fuzz: the CSV reader and the import's row mapping under libFuzzer
# (clang, AddressSanitizer, UBSan) for FUZZ_SECONDS; new inputs it finds go
# to build-fuzz/corpus, the seeds are tests/fuzz/corpus.
FUZZ_SECONDS ?= 60
FUZZ_CC ?= clang
FUZZ_BUILD = build-fuzz
FUZZ_FLAGS = -g -O1 -fsanitize=fuzzer-no-link,address,undefined -fno-sanitize-recover=all \
	-fno-omit-frame-pointer

fuzz:
	$(MAKE) --no-print-directory BUILD=$(FUZZ_BUILD) CC=$(FUZZ_CC) CFLAGS="$(FUZZ_FLAGS)" \
	  LDFLAGS= $(FUZZ_BUILD)/fuzz_csv
	mkdir -p $(FUZZ_BUILD)/corpus
	$(FUZZ_BUILD)/fuzz_csv -max_total_time=$(FUZZ_SECONDS) -timeout=10 -rss_limit_mb=2048 \
	  -max_len=65536 -dict=tests/fuzz/csv.dict -print_final_stats=1 \
	  $(FUZZ_BUILD)/corpus tests/fuzz/corpus

$(BUILD)/fuzz_csv: tests/fuzz/fuzz_csv.c $(LIB_OBJ)
	$(CC) $(ALL_CPPFLAGS) $(ALL_CFLAGS) -fsanitize=fuzzer -o $@ $< $(LIB_OBJ) $(PKG_LIBS) $(PQ_LIBS)
