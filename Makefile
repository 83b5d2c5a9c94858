# tuopin: the two commands a newcomer needs are `make run` and `make test`.
# Each installs missing Debian packages (scripts/install-deps), configures, builds, then runs.

SHELL     := /bin/bash
JOBS      ?= $(shell nproc 2>/dev/null || echo 2)
BUILD     ?= build/release
# make test builds in the same folder as make run (the same flags), so it reuses the library and
# the program and adds only the tests.
TESTBUILD ?= $(BUILD)
RESULTS   ?= results
CMAKE_FLAGS ?=

SANBUILD  ?= build/sanitize
FUZZBUILD ?= build/fuzz
# make fuzz: at least FUZZ_RUNS executions per target; FUZZ_SECONDS > 0 bounds it by time instead (CI).
FUZZ_RUNS ?= 1000000
FUZZ_SECONDS ?= 0
# libFuzzer's -timeout: seconds of wall-clock time one input may take before it counts as a hang.
# A fuzzer at nice -n 19 on a busy machine can wait longer than that for a core: raise it there.
FUZZ_TIMEOUT ?= 10
# Which targets make fuzz runs, one after the other (name:corpus); one of them alone for a long run.
FUZZ_TARGETS ?= scenario_loader:scenario registry_csv:csv

.PHONY: help run test bench bench-sweep bench-kernels deps build build-test docs clean sanitize sanitize-ci fuzz memcheck

# `make` alone lists the targets.
help:
	@echo "make run     install missing packages, build tuopin, run the embedded Anqing baseline"
	@echo "             (the program is then $(BUILD)/cli/tuopin; results in $(RESULTS)/)"
	@echo "make test    install missing packages, build with warnings as errors, run every test"
	@echo "make bench   measure the run loop's speed (docs/performance.md)"
	@echo "make bench-sweep  time a 1,000-point sweep of the Anqing baseline (docs/performance.md)"
	@echo "make bench-kernels  time the month loop's vectorised kernels, each version (docs/performance.md)"
	@echo "make docs    regenerate docs/parameters.md from the parameter dictionary"
	@echo "make sanitize build the tests with AddressSanitizer and UndefinedBehaviorSanitizer, run them"
	@echo "make sanitize-ci  the same for the input tests only, in make fuzz's build (what CI runs)"
	@echo "make fuzz    fuzz the scenario and registry CSV loaders (clang libFuzzer; FUZZ_RUNS, FUZZ_SECONDS)"
	@echo "make memcheck  runs with every measure on under valgrind: no read of memory never written"
	@echo "make clean   remove the build folders"

deps:
	@scripts/install-deps

# Only the program (make test adds the tests in the same folder). Warnings are errors in both:
# Debian 12's GCC is the one compiler the project supports. With MPI: mpirun -np K tuopin sweep
# shares a sweep among processes (a run not started by mpirun never touches MPI).
build: deps
	@cmake -S . -B $(BUILD) -DCMAKE_BUILD_TYPE=Release -DTUOPIN_WERROR=ON -DTUOPIN_MPI=ON $(CMAKE_FLAGS) >/dev/null
	@cmake --build $(BUILD) -j $(JOBS) --target tuopin

build-test: deps
	@cmake -S . -B $(TESTBUILD) -DCMAKE_BUILD_TYPE=Release -DTUOPIN_WERROR=ON -DTUOPIN_MPI=ON $(CMAKE_FLAGS) >/dev/null
	@cmake --build $(TESTBUILD) -j $(JOBS)

# Runs the embedded default Anqing baseline. Typing it again replaces the previous result:
# `make run` is an explicit request for a fresh baseline, so it passes --force.
run: build
	@mkdir -p $(RESULTS)
	$(BUILD)/cli/tuopin run -o $(RESULTS)/anqing-baseline.h5 --force
	@echo "The program is $(BUILD)/cli/tuopin: run '$(BUILD)/cli/tuopin --help' for its commands."

test: build-test
	cd $(TESTBUILD) && ctest --output-on-failure -j $(JOBS) -LE slow

bench: build
	$(BUILD)/cli/tuopin bench --households 250000,5000000 --repeats 5

# The month loop's kernels at each instruction-set version this processor has, in CPU time.
bench-kernels: build
	@cmake --build $(BUILD) -j $(JOBS) --target month_kernels_bench
	$(BUILD)/bench/month_kernels_bench 1000000 7

# 1,000 points of the Anqing baseline, one replicate each (bench/sweep-1000.toml); the program
# prints its wall time.
bench-sweep: build
	@mkdir -p $(RESULTS)
	$(BUILD)/cli/tuopin sweep bench/sweep-1000.toml -o $(RESULTS)/sweep-1000.h5 --force

# The unit tests and the program under AddressSanitizer and UndefinedBehaviorSanitizer (-O1,
# frame pointers; any report fails the run). The end-to-end scripts run the sanitized program.
# Warnings are not errors here: GCC 12 reports false maybe-uninitialized warnings in
# instrumented standard-library code (make test keeps -Werror). The four tests that compare with
# the pinned golden hash are left out: the hash is that of the Release build's floating-point
# code, and -O1 with instrumentation rounds differently (they agree with each other there). So is
# the test that the x86-64-v3 Box-Muller kernel gives the baseline kernel's bits: the v3 kernel
# reproduces the code GCC makes of income_normals.cpp in the Release build, which the
# instrumented build compiles differently (about half its normals differ in the last bits).
sanitize: deps
	@cmake -S . -B $(SANBUILD) -DCMAKE_BUILD_TYPE=RelWithDebInfo -DTUOPIN_WERROR=OFF \
	  -DCMAKE_CXX_FLAGS="-O1 -fno-omit-frame-pointer -fsanitize=address,undefined -fno-sanitize-recover=all" \
	  -DCMAKE_EXE_LINKER_FLAGS="-fsanitize=address,undefined" $(CMAKE_FLAGS) >/dev/null
	@cmake --build $(SANBUILD) -j $(JOBS)
	cd $(SANBUILD) && ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
	  ctest --output-on-failure -j $(JOBS) -LE slow -E "golden|change no result bit|Box-Muller kernel gives the baseline|with every kernel version"

# The instrumented clang build in $(FUZZBUILD) (fuzz/CMakeLists.txt): libFuzzer's coverage,
# AddressSanitizer and UndefinedBehaviorSanitizer, and only the library files the loaders and
# the input tests link (not the simulation, the outputs or the program). make fuzz and
# make sanitize-ci share it; clang 14 compiles it two to three times as fast as GCC 12 would
# with the same sanitizers (scenario.cpp: 15 s of CPU against 33 s).
FUZZ_CONFIGURE = scripts/install-deps fuzz && CC=clang CXX=clang++ cmake -S . -B $(FUZZBUILD) \
  -DCMAKE_BUILD_TYPE=RelWithDebInfo -DTUOPIN_FUZZ=ON -DTUOPIN_TESTS=OFF $(CMAKE_FLAGS) >/dev/null

# libFuzzer on the scenario loader and the registry CSV loader, seeded with the project's own
# files; a crash, hang, leak or sanitizer report fails it and leaves the input in $(FUZZBUILD)/,
# the whole report in $(FUZZBUILD)/<target>.log (the terminal shows its last lines).
# .ci/run runs it with FUZZ_SECONDS=30.
fuzz:
	@$(FUZZ_CONFIGURE)
	@cmake --build $(FUZZBUILD) -j $(JOBS) --target scenario_loader_fuzz registry_csv_fuzz
	@mkdir -p $(FUZZBUILD)/corpus/scenario $(FUZZBUILD)/corpus/csv
	@cp scenarios/*.toml tests/data/*.toml $(FUZZBUILD)/corpus/scenario/
	@cp scenarios/data/*.csv $(FUZZBUILD)/corpus/csv/
	@limit=$$( [ "$(FUZZ_SECONDS)" -gt 0 ] && echo "-max_total_time=$(FUZZ_SECONDS)" || echo "-runs=$(FUZZ_RUNS)" ); \
	for t in $(FUZZ_TARGETS); do \
	  echo "fuzz: $${t%%:*} ($$limit)"; \
	  (set -o pipefail; cd $(FUZZBUILD) && ./fuzz/$${t%%:*}_fuzz -timeout=$(FUZZ_TIMEOUT) -rss_limit_mb=2048 $$limit \
	    -print_final_stats=1 corpus/$${t##*:} 2>&1 | tee $${t%%:*}.log | tail -12) || exit 1; \
	done

# The part of make sanitize that .ci/run can afford (CI has 10 minutes on 2 cores, make test
# included; make sanitize's GCC build of everything alone takes longer than what is left): the
# unit tests of the input code, that is the scenario loader with inheritance and --set, the
# parameter dictionary, the registry CSV reader and writer, and the sweep file parser
# (tests/model/test_scenario.cpp, test_registry_extract.cpp, test_sweep.cpp), in
# make fuzz's clang build, any report fatal. Only make sanitize covers the rest: the simulation
# and the measures' monthly rules, the HDF5 population and result files and their readers, the
# exports and the brief, the sweep runner, and the program with the end-to-end scripts.
sanitize-ci:
	@$(FUZZ_CONFIGURE)
	@cmake --build $(FUZZBUILD) -j $(JOBS) --target tuopin_input_tests
	cd $(FUZZBUILD) && ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
	  ./fuzz/tuopin_input_tests

# Reads of memory never written, under valgrind's memcheck: the state's columns are allocated
# without being written (model/column.h) and must be written by their resets before any read.
# Runs with every measure on, with and without a flood, on two threads. (valgrind's CPU has no
# AVX-512, so the x86-64-v3 kernels run; the columns are the same.)
MEMCHECK_MEASURES := safety_net industry employment asset_income education_aid health relocation \
  housing_renovation photovoltaic microcredit agri_insurance collective_economy cadre_pairing
memcheck: build
	@scripts/install-deps memcheck
	@mkdir -p build/memcheck
	valgrind -q --error-exitcode=9 $(BUILD)/cli/tuopin run --households 2500 --replicates 1 --threads 2 \
	  -o build/memcheck/all.h5 --force $(foreach m,$(MEMCHECK_MEASURES),--set measures.$(m).enabled=true) >/dev/null
	valgrind -q --error-exitcode=9 $(BUILD)/cli/tuopin run scenarios/shock-flood-2016.toml --households 2000 \
	  --replicates 1 --threads 2 -o build/memcheck/flood.h5 --force \
	  $(foreach m,$(MEMCHECK_MEASURES),--set measures.$(m).enabled=true) >/dev/null
	@echo "memcheck: no read of unwritten memory"

# Regenerates docs/parameters.md from the parameter dictionary in model/parameters.cpp.
docs: build
	$(BUILD)/cli/tuopin params --markdown > docs/parameters.md

clean:
	rm -rf build
