# gradcourse — a learner needs `make lab` (read and run the chapters) and perhaps `make book` (the HTML book);
# a maintainer adds `make test`. Each command sets itself up on a fresh clone: it creates .venv if missing and
# installs the package with the extra that command needs (lab, book, or dev = everything), pinning torch
# through constraints.txt.

PYTHON ?= python3
VENV   ?= .venv
PY     := $(VENV)/bin/python
STAMP   = $(VENV)/.gradcourse-installed-$(1)
JOBS   ?= 2
BOOK   := build/book
# A progress bar is noise in a static book and in test logs: notebooks executed by these targets run with
# tqdm switched off (in JupyterLab, `make lab`, the bars show).
book notebooks browser bench: export TQDM_DISABLE = 1

.PHONY: setup book test lint unit notebooks browser lab-test lab sync exercises handout nbgrader bench clean help

help:
	@echo "make lab    open the course in JupyterLab (start with chapters/00_preface/01_how_to_use.py)"
	@echo "make book   execute every chapter and build the HTML book into $(BOOK)/"
	@echo "make test   lint, unit tests, pairing checks, nbval over every notebook, browser and JupyterLab tests"
	@echo "make sync   regenerate each .ipynb from its .py (one way: the .py is the source)"
	@echo "make exercises  regenerate student and solution notebooks from exercises/source/"
	@echo "make handout    write the student bundle (no solutions, no keys) into build/handout/"
	@echo "make nbgrader   write nbgrader's source/<part>/ tree, with cell metadata and points, into build/nbgrader/"
	@echo "make bench  time every notebook (benchmarks/results/notebook_times.md)"

# $(VENV)/.gradcourse-installed-<extra>: the package installed with that extra (lab, book or dev).
$(VENV)/.gradcourse-installed-%: pyproject.toml constraints.txt
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -qq --upgrade pip
	$(PY) -m pip install -qq -c constraints.txt -e ".[$*]"
	$(PY) tools/setup_lab.py
	@touch $@

.PRECIOUS: $(VENV)/.gradcourse-installed-%
setup: $(call STAMP,dev)

# Several notebooks run at once (--jobs): one BLAS/torch thread each, so they do not fight over the cores.
book: $(call STAMP,book)
	OMP_NUM_THREADS=1 MKL_NUM_THREADS=1 $(PY) tools/build_book.py --out $(BOOK) --jobs $(JOBS)

lint: $(call STAMP,dev)
	$(PY) -m ruff check src tests benchmarks tools chapters exercises book

unit: $(call STAMP,dev)
	$(PY) -m pytest tests -n $(JOBS) -m "not browser and not lab" -q

notebooks: $(call STAMP,dev)
	OMP_NUM_THREADS=1 MKL_NUM_THREADS=1 $(PY) -m pytest --nbval-lax --nbval-cell-timeout=120 \
	  -n $(JOBS) --dist loadfile -p no:cacheprovider -q chapters $(wildcard exercises/solutions)

browser: $(call STAMP,dev)
	OMP_NUM_THREADS=1 MKL_NUM_THREADS=1 $(PY) tools/build_book.py --out $(BOOK) --jobs $(JOBS) --quiet
	$(PY) -m pytest tests -m browser -q

lab-test: $(call STAMP,dev)
	$(PY) -m pytest tests -m lab -q

test: lint unit notebooks browser lab-test
	@echo "make test: all checks passed"

lab: $(call STAMP,lab)
	$(VENV)/bin/jupyter lab --config=jupyter_server_config.py --notebook-dir=.

sync: $(call STAMP,lab)
	$(PY) tools/sync_notebooks.py

exercises: $(call STAMP,dev)
	$(PY) tools/make_exercises.py

handout: $(call STAMP,dev)
	$(PY) tools/make_exercises.py --handout build/handout

nbgrader: $(call STAMP,dev)
	$(PY) tools/make_exercises.py --nbgrader build/nbgrader

bench: $(call STAMP,dev)
	$(PY) benchmarks/notebook_times.py

clean:
	rm -rf build .pytest_cache
