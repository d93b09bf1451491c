# Flux Meet: `make run` and `make test` are the two commands; everything else is a helper.
SHELL := /bin/bash
JOBS ?= $(shell nproc)
# ccache keyed on paths relative to the checkout, so a fresh clone (CI) reuses earlier builds.
export CCACHE_BASEDIR := $(CURDIR)
export CCACHE_NOHASHDIR := 1
CMAKE_COMMON := -G "Unix Makefiles" -DCMAKE_CXX_COMPILER_LAUNCHER=$(shell command -v ccache)

.PHONY: setup build build-test web run test fuzz bench dev-cert clean format

setup:
	@bash scripts/setup.sh

build/release/Makefile:
	cmake -S . -B build/release $(CMAKE_COMMON) -DCMAKE_BUILD_TYPE=Release

build: setup build/release/Makefile
	@cmake --build build/release -j$(JOBS) --target fluxmeet

web: setup
	@bash scripts/build-web.sh

run: build web
	@bash scripts/run.sh

build/test/Makefile:
	cmake -S . -B build/test $(CMAKE_COMMON) -DCMAKE_BUILD_TYPE=Debug -DFLUXMEET_SANITIZE=ON -DFLUXMEET_TESTS=ON

build-test: setup build/test/Makefile
	@cmake --build build/test -j$(JOBS)

test: build-test web
	@bash scripts/test.sh

fuzz: setup
	@bash scripts/fuzz.sh

bench: build web
	@cmake -S . -B build/release -DFLUXMEET_BENCH=ON >/dev/null
	@cmake --build build/release -j$(JOBS) --target bench_sfu bench_record bench_compose bench_board_save
	@bash scripts/bench.sh

dev-cert:
	@bash scripts/dev-cert.sh

format:
	@find server tests fuzz bench -name '*.[ch]pp' | xargs clang-format -i

clean:
	rm -rf build
