# MLSys Lab: the front door. `make course` builds everything, `make test` checks everything.
# Both create the virtual environment in .venv first (Python 3.11, exact versions from
# constraints.txt). Run `make help` for the other targets.

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-stamp
JOBS   ?= $(shell nproc 2>/dev/null || echo 2)

.PHONY: help course test test-fast env assign book browser sandbox benchmarks clean

help:  ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | sed 's/:.*## /\t/' | expand -t 14

course: env assign book  ## environment, student notebooks + autograders, and the site in _build/html

test: env browser sandbox book  ## the whole test suite (builds the site first: the browser tests read it)
	PATH="$(CURDIR)/$(BIN):$$PATH" $(BIN)/python -m pytest -n $(JOBS) --dist loadgroup --no-loadscope-reorder --durations=0 --durations-min=1

test-fast: env sandbox  ## unit tests of every part, after each change: no browser, no chapter builds or grading (< 2 min)
	PATH="$(CURDIR)/$(BIN):$$PATH" $(BIN)/python -m pytest -n $(JOBS) -m "not slow and not browser and not chapters" -q

env: $(STAMP)  ## create .venv and install the course with every extra, pinned

$(STAMP): pyproject.toml constraints.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade "pip>=24"
	$(BIN)/python -m pip install --quiet -c constraints.txt -e ".[dev]"
	touch $(STAMP)

assign: env  ## regenerate notebooks/, public checks, autograder/dist/ and book/reference/
	$(BIN)/python -m autograder assign --jobs $(JOBS)
	$(BIN)/python -m autograder reference

book: env  ## the site in _build/html: pages, the course wheel (_course/), live mode (lite/)
	@# JupyterLite's doit state can silently skip setting the kernel's pyodideUrl: never reuse it
	rm -f .jupyterlite.doit.db book/_lite/.jupyterlite.doit.db
	$(BIN)/jupyter-book build -W -n --keep-going .

browser:  ## install Debian's Chromium for the browser tests, if it is missing
	@command -v chromium >/dev/null 2>&1 || { \
	  echo "installing Debian's chromium for the browser tests"; \
	  if [ "$$(id -u)" = 0 ]; then SUDO=; else SUDO=sudo; fi; \
	  $$SUDO apt-get update -qq && $$SUDO apt-get install -y -qq chromium >/dev/null; }

sandbox:  ## install Debian's bubblewrap, the grader's sandbox, if it is missing
	@command -v bwrap >/dev/null 2>&1 || { \
	  echo "installing Debian's bubblewrap for the grader's sandbox"; \
	  if [ "$$(id -u)" = 0 ]; then SUDO=; else SUDO=sudo; fi; \
	  $$SUDO apt-get update -qq && $$SUDO apt-get install -y -qq bubblewrap >/dev/null; }

benchmarks: env  ## print speed and memory figures (no pass/fail)
	@for b in benchmarks/*.py; do echo "== $$b"; $(BIN)/python $$b; done

clean:  ## remove build outputs (keeps .venv)
	rm -rf _build autograder/dist
