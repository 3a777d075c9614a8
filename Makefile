# hrdd: thin wrapper over meson/ninja and the test runner.
#
#   make / make build     install missing Debian packages, configure build/, compile
#   make demo             build, then run a seeded demo server on 127.0.0.1:8080
#   make check            build, then every test suite (tests/run_all.py)
#   make check-sanitize   same under AddressSanitizer + UBSan in build-asan/
#   make fuzz             libFuzzer targets (clang, build-fuzz/), FUZZ_SECONDS each
#   make check-valgrind   unit + integration tests under valgrind memcheck (build-vg/; slow)
#   make bench            build, then run bench/*.sh
#   make clean            remove the build directories
#
# meson and ninja do the real work; this file only strings the steps together.

BUILD      ?= build
ASAN_BUILD ?= build-asan
MESON      ?= meson
NINJA      ?= ninja

.PHONY: all build deps demo check check-sanitize check-valgrind fuzz bench clean

all: build

deps:
	@scripts/install-deps

build: deps
	@test -f $(BUILD)/build.ninja || $(MESON) setup $(BUILD)
	$(NINJA) -C $(BUILD)

demo: build
	@mkdir -p demo-data
	$(BUILD)/src/cli/hrdd demo --db demo-data/hrdd.db

# npm ci only when node_modules is missing or older than the lock file.
node_modules/.package-lock.json: package.json package-lock.json
	npm ci --no-audit --no-fund
	@touch $@

check: build node_modules/.package-lock.json
	python3 tests/run_all.py $(BUILD)
	FUZZ_BUILD=$(FUZZ_BUILD) scripts/fuzz $(FUZZ_CI_SECONDS)

check-sanitize: export ASAN_OPTIONS = detect_leaks=1:abort_on_error=1
check-sanitize: export UBSAN_OPTIONS = print_stacktrace=1:halt_on_error=1
# colour contrast (stylesheet, not server code) in one LTR and one RTL language
# here; `make check` runs it in every language (tests/browser/a11y.test.mjs)
check-sanitize: export HRDD_A11Y_CONTRAST_LANGS = en ar
check-sanitize: deps node_modules/.package-lock.json
	@test -f $(ASAN_BUILD)/build.ninja || \
	    $(MESON) setup $(ASAN_BUILD) -Db_sanitize=address,undefined -Db_lundef=false
	$(NINJA) -C $(ASAN_BUILD)
	python3 tests/run_all.py $(ASAN_BUILD)

# Each target FUZZ_SECONDS on a scratch copy of fuzz/corpus/<target> (the
# committed corpus never grows); fails on any crash, leak or timeout.
# `make check` runs every target FUZZ_CI_SECONDS after replaying its seeds
# and fuzz/regressions/<target>.
FUZZ_SECONDS    ?= 60
FUZZ_CI_SECONDS ?= 8
FUZZ_BUILD      ?= build-fuzz
fuzz: deps
	FUZZ_BUILD=$(FUZZ_BUILD) scripts/fuzz $(FUZZ_SECONDS)

# A plain build (no sanitizers, -O1 -g) for valgrind; not in CI (slow).
VG_BUILD ?= build-vg
check-valgrind: deps node_modules/.package-lock.json
	@test -f $(VG_BUILD)/build.ninja || \
	    $(MESON) setup $(VG_BUILD) -Dbuildtype=debug -Doptimization=1
	$(NINJA) -C $(VG_BUILD)
	scripts/check-valgrind $(VG_BUILD)

bench: build
	@set -e; found=0; \
	for f in bench/*.sh; do \
	    [ -e "$$f" ] || continue; [ "$$f" = bench/lib.sh ] && continue; found=1; \
	    echo "== $$f"; \
	    HRDD="$(CURDIR)/$(BUILD)/src/cli/hrdd" HRDD_BIN="$(CURDIR)/$(BUILD)/src/cli/hrdd" BUILD_DIR="$(CURDIR)/$(BUILD)" bash "$$f"; \
	done; \
	[ $$found = 1 ] || echo "bench: no bench/*.sh yet"

clean:
	rm -rf $(BUILD) $(ASAN_BUILD) $(FUZZ_BUILD) $(VG_BUILD)
