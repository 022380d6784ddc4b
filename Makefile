# The course's commands:
#   make lab         create .venv when missing, install the course, start JupyterLab on notebooks/
#   make test        create .venv when missing, run the unit tests and every notebook in smoke mode, offline, in
#                    a throwaway data folder (tools/isolated.sh): it writes nothing into the checkout
#   make test-unit   the unit tests alone (no notebooks): the quick loop
#   make test-online the tests that download the course's real files (about 300 MB), skipped by make test
#   make test-colab  a second environment at Colab's versions (Python 3.12, TensorFlow 2.20, Keras 3.13,
#                    ipywidgets 7): every notebook in smoke mode through the real Colab branch of its setup cell
# `make lab TF=gpu` installs the CUDA build of TensorFlow instead (Linux and WSL2 with an NVIDIA GPU).
# The build is chosen once: .venv/.installed-cpu or .venv/.installed-gpu records it, and every later target (make
# test too) keeps it. Naming the other one (make lab TF=cpu) switches: the installed build is uninstalled first.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
INSTALLED_TF := $(patsubst $(VENV)/.installed-%,%,$(firstword $(wildcard $(VENV)/.installed-*)))
TF ?= $(or $(INSTALLED_TF),cpu)
$(if $(filter cpu gpu,$(TF)),,$(error TF=$(TF): TensorFlow's build is TF=cpu or TF=gpu))
STAMP := $(VENV)/.installed-$(TF)
ROOT_FLAG := $(shell [ "$$(id -u)" = 0 ] && echo --allow-root)
PYTEST_ARGS ?=

.PHONY: lab test test-unit test-notebooks test-online test-colab test-modes gpu-check lint format badges report \
	bench-recipes sync sync-check release clean

$(STAMP): pyproject.toml
	@$(PYTHON) -c 'import sys; v = sys.version_info[:2]; sys.exit(0 if (3, 11) <= v <= (3, 13) else "The course needs Python 3.11, 3.12 or 3.13; this is %d.%d. Run: make PYTHON=python3.12 ..." % v)'
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(if $(filter-out $(TF),$(INSTALLED_TF)),@echo "Switching .venv from TensorFlow's $(INSTALLED_TF) build to $(TF)"; \
		$(BIN)/python -m pip uninstall --quiet --yes tensorflow tensorflow-cpu && rm -f $(VENV)/.installed-*)
	$(BIN)/python -m pip install --quiet -e ".[$(TF),lab,dev]"
	rm -f $(VENV)/.installed-*
	touch $@

lab: $(STAMP)
	$(BIN)/jupyter lab --notebook-dir=notebooks $(ROOT_FLAG)

# Every test run, defined once: its environment (smoke sizes, quiet TensorFlow, no display, GPU memory on demand),
# pytest without its cache folder, and the notebooks' flags (no output compared; a cell may run 10 minutes).
# ISOLATED runs it with a throwaway data folder, Keras cache, matplotlib folder and TMPDIR, removed afterwards, no
# bytecode, and offline: downloads go to a dead proxy, so the notebooks take their labelled fallbacks.
TEST_ENV := COURSE_MODE=smoke TF_CPP_MIN_LOG_LEVEL=2 MPLBACKEND=agg TF_FORCE_GPU_ALLOW_GROWTH=true
PYTEST = $(BIN)/python -m pytest -p no:cacheprovider
NBVAL := --nbval-lax --nbval-current-env --nbval-cell-timeout=600
ISOLATED := sh tools/isolated.sh

test: $(STAMP)
	$(TEST_ENV) $(ISOLATED) $(PYTEST) -n 2 --dist loadfile $(NBVAL) $(PYTEST_ARGS) tests notebooks

test-unit: $(STAMP)
	$(TEST_ENV) $(ISOLATED) $(PYTEST) -n 2 --dist loadfile $(PYTEST_ARGS) tests

test-notebooks: $(STAMP)
	$(TEST_ENV) $(ISOLATED) $(PYTEST) -n 2 --dist loadfile $(NBVAL) $(PYTEST_ARGS) notebooks

# The tests marked `online` (tests/test_online.py): each file the course downloads, from its real address, verified,
# then used without the network (a fresh folder each run: about 300 MB).
test-online: $(STAMP)
	$(TEST_ENV) $(ISOLATED) --online $(PYTEST) --online -m online $(PYTEST_ARGS) tests

# Colab's versions: tests/colab/requirements-colab.txt (dated, with its source and how to refresh it).
COLAB_VENV := .venv-colab
COLAB_REQS := tests/colab/requirements-colab.txt
# A Python 3.12 (Colab's), found without assuming a path: on PATH, else under pyenv.
COLAB_PYTHON ?= $(shell for p in python3.12 $$(pyenv root 2>/dev/null)/versions/3.12*/bin/python3.12; do \
	$$p -c 'import sys; assert sys.version_info[:2] == (3, 12)' 2>/dev/null && { echo $$p; break; }; done)

$(COLAB_VENV)/.installed: $(COLAB_REQS)
	@test -n "$(COLAB_PYTHON)" || { echo "make test-colab needs Python 3.12 (Colab's): install it (e.g. pyenv install 3.12) or pass COLAB_PYTHON=/path/to/python3.12"; exit 1; }
	test -x $(COLAB_VENV)/bin/python || $(COLAB_PYTHON) -m venv $(COLAB_VENV)
	$(COLAB_VENV)/bin/python -m pip install --quiet --upgrade pip
	$(COLAB_VENV)/bin/python -m pip install --quiet -r $(COLAB_REQS)
	touch $@

# Notebook 00 runs first, alone: its setup cell pip-installs course_utils from the working tree, as on Colab.
# The others then run two at a time; their setup cells find it importable and install nothing, as when a
# learner reruns the setup cell on a Colab runtime.
COLAB_RUN = COURSE_INSTALL_SOURCE=$(CURDIR) COURSE_DATA_DIR=$(CURDIR)/data/colab-test \
	PYTHONPATH=$(CURDIR)/tests/colab/standin $(TEST_ENV) \
	$(COLAB_VENV)/bin/python -m pytest -p no:cacheprovider $(NBVAL) $(PYTEST_ARGS)
test-colab: $(COLAB_VENV)/.installed
	$(COLAB_VENV)/bin/python -m pip uninstall --quiet --yes course_utils ai-edge-litert 2>/dev/null || true
	rm -rf build  # pip builds the working tree in place: a stale build/ would ship modules that no longer exist
	$(COLAB_RUN) notebooks/00_welcome_and_setup.ipynb
	$(COLAB_RUN) -n 2 --dist loadfile notebooks --ignore=notebooks/00_welcome_and_setup.ipynb
	$(COLAB_VENV)/bin/python tests/colab/check_colab_env.py $(COLAB_REQS)

# Every notebook in cpu mode, then in full mode, one at a time, offline, in one fresh data folder, on the labelled
# fallbacks or on a prefetched folder (PREFETCHED=DIR, linked, never written to): tools/test_modes.sh. Prints each
# notebook's time and the total (logs in data/reports/test-modes/). Not part of `make test` (11-12 minutes on a
# quiet 2-core CPU). A subset: make test-modes MODES=full NOTEBOOKS=notebooks/03_*.ipynb
MODES ?= cpu full
NOTEBOOKS ?= notebooks/[0-9][0-9]_*.ipynb
PREFETCHED ?=
test-modes: $(STAMP)
	@MODES="$(MODES)" NOTEBOOKS="$(NOTEBOOKS)" PREFETCHED="$(PREFETCHED)" $(TEST_ENV) \
		$(ISOLATED) sh tools/test_modes.sh $(PYTEST) $(NBVAL) $(PYTEST_ARGS)

# The GPU verification kit, tools/gpu_check.py (a machine with an NVIDIA GPU, JAX and Keras; TensorFlow not needed,
# course_utils not installed: PYTHONPATH holds the checkout): writes data/reference/gpu_check_<device>.json.
# A dry run anywhere JAX runs: make gpu-check GPU_CHECK_ARGS=--quick
GPU_PYTHON ?= python3
GPU_CHECK_ARGS ?=
gpu-check:
	PYTHONPATH=$(CURDIR)$${PYTHONPATH:+:$$PYTHONPATH} KERAS_BACKEND=jax $(GPU_PYTHON) -m tools.gpu_check $(GPU_CHECK_ARGS)

lint: $(STAMP)
	$(BIN)/ruff check . && $(BIN)/ruff format --check .

format: $(STAMP)
	$(BIN)/ruff check --fix . && $(BIN)/ruff format .

# The notebooks are the source of the code they teach: each code cell marked `#| export` is written into
# course_utils/lessons/nbNN.py (a marked %%writefile cell into course_utils/lessons/scripts/). Run after editing one.
sync:
	$(PYTHON) -m tools.sync

sync-check:
	$(PYTHON) -m tools.sync --check

badges: $(STAMP)
	$(BIN)/python -m tools.colab --write

report: $(STAMP)
	$(BIN)/python -m tools.report

# Notebook 06's recipes (keras.io's MNIST convnet, the plain and the faster recipe), 3 rounds interleaved, on real
# MNIST; last line `faster vs keras.io: N.NNx`. A benchmark, not a test: minutes on a 2-core CPU.
BENCH_ARGS ?=
bench-recipes: $(STAMP)
	TF_CPP_MIN_LOG_LEVEL=2 $(BIN)/python -m tools.bench_recipes $(BENCH_ARGS)

# Publish: name the repository and tag in pyproject.toml, regenerate badges and setup cells, build and check the
# wheel and sdist (tools/release.py). Then commit, tag and push, as it prints.
release: $(STAMP)
	@test -n "$(REPO)" && test -n "$(TAG)" || { echo "usage: make release REPO=owner/name TAG=vX.Y.Z"; exit 2; }
	$(BIN)/python -m tools.release --repo $(REPO) --tag $(TAG)

clean:
	rm -rf $(VENV) $(COLAB_VENV) build dist
