# The course's commands:
#   make lab         create .venv when missing, install the course, start JupyterLab on notebooks/
#   make test        create .venv when missing, run the unit tests and every notebook in smoke mode
#   make test-colab  a second environment at Colab's versions (Python 3.12, TensorFlow 2.20, Keras 3.13,
#                    ipywidgets 7): every notebook in smoke mode through the real Colab branch of its setup cell
# `make lab TF=gpu` installs the CUDA build of TensorFlow instead (Linux and WSL2 with an NVIDIA GPU).

PYTHON ?= python3
TF ?= cpu
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-$(TF)
ROOT_FLAG := $(shell [ "$$(id -u)" = 0 ] && echo --allow-root)
PYTEST_ARGS ?=

.PHONY: lab test test-colab test-modes gpu-check lint format badges report bench-recipes clean

$(STAMP): pyproject.toml
	@$(PYTHON) -c 'import sys; v = sys.version_info[:2]; sys.exit(0 if (3, 11) <= v <= (3, 13) else "The course needs Python 3.11, 3.12 or 3.13; this is %d.%d. Run: make PYTHON=python3.12 ..." % v)'
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[$(TF),lab,dev]"
	rm -f $(VENV)/.installed-*
	touch $@

lab: $(STAMP)
	$(BIN)/jupyter lab --notebook-dir=notebooks $(ROOT_FLAG)

test: $(STAMP)
	COURSE_MODE=smoke TF_CPP_MIN_LOG_LEVEL=2 MPLBACKEND=agg TF_FORCE_GPU_ALLOW_GROWTH=true \
		$(BIN)/python -m pytest -n 2 --dist loadfile \
		--nbval-lax --nbval-current-env -p no:cacheprovider $(PYTEST_ARGS) tests notebooks

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
COLAB_RUN = COURSE_MODE=smoke COURSE_INSTALL_SOURCE=$(CURDIR) COURSE_DATA_DIR=$(CURDIR)/data/colab-test \
	PYTHONPATH=$(CURDIR)/tests/colab/standin TF_CPP_MIN_LOG_LEVEL=2 MPLBACKEND=agg TF_FORCE_GPU_ALLOW_GROWTH=true \
	$(COLAB_VENV)/bin/python -m pytest --nbval-lax --nbval-current-env -p no:cacheprovider $(PYTEST_ARGS)
test-colab: $(COLAB_VENV)/.installed
	$(COLAB_VENV)/bin/python -m pip uninstall --quiet --yes course_utils ai-edge-litert 2>/dev/null || true
	$(COLAB_RUN) notebooks/00_welcome_and_setup.ipynb
	$(COLAB_RUN) -n 2 --dist loadfile notebooks --ignore=notebooks/00_welcome_and_setup.ipynb
	$(COLAB_VENV)/bin/python tests/colab/check_colab_env.py $(COLAB_REQS)

# Every notebook in cpu mode, then in full mode (FULL_ON_CPU: all of them; without a GPU, 05-09 keep their cpu
# sizes in full mode and say so, 00-04 and 10 run their CPU-sized full mode), offline (downloads go to a dead
# proxy), in a fresh data folder on the labelled fallback data, or on a prefetched folder with PREFETCHED=DIR
# (python -m course_utils.datasets --fetch-all --to DIR): its files are linked into the fresh folder (DIR/keras's
# weights into a fresh KERAS_HOME), so that nothing a run writes (models, reports) lands in DIR or leaks into the
# next run. Prints each notebook's time and the total (logs in data/reports/test-modes/). Not part of `make test`
# (11-12 minutes on a quiet 2-core CPU). A subset: make test-modes MODES=full NOTEBOOKS=notebooks/03_*.ipynb
FULL_ON_CPU ?= 00 01 02 03 04 05 06 07 08 09 10
MODES ?= cpu full
NOTEBOOKS ?= notebooks/[0-9][0-9]_*.ipynb
PREFETCHED ?=
OFFLINE_ENV := http_proxy=http://127.0.0.1:9 https_proxy=http://127.0.0.1:9 HTTP_PROXY=http://127.0.0.1:9 \
	HTTPS_PROXY=http://127.0.0.1:9 no_proxy= NO_PROXY=
test-modes: $(STAMP)
	@tmp=$$(mktemp -d); logs=data/reports/test-modes; mkdir -p $$logs; status=0; all=$$(date +%s); \
	data=$$tmp/data; keras=$$tmp/keras; mkdir -p $$data $$keras; \
	if [ -n "$(PREFETCHED)" ]; then test -d "$(PREFETCHED)" || { echo "PREFETCHED=$(PREFETCHED) is not a folder"; exit 2; }; \
		src=$$(cd "$(PREFETCHED)" && pwd); echo "offline, on the prefetched folder $$src (linked, never written to)"; \
		for f in "$$src"/*; do case $$(basename "$$f") in keras|models|reports) ;; *) ln -s "$$f" $$data/ ;; esac; done; \
		if [ -d "$$src/keras/models" ]; then ln -s "$$src/keras/models" $$keras/models; fi; \
	else echo "offline, on a fresh data folder (the labelled fallbacks)"; fi; \
	for mode in $(MODES); do for nb in $(NOTEBOOKS); do \
		name=$$(basename $$nb .ipynb); num=$${name%%_*}; \
		if [ $$mode = full ] && ! echo " $(FULL_ON_CPU) " | grep -q " $$num "; then \
			echo "$$mode  $$name: not run (not in FULL_ON_CPU)"; continue; fi; \
		start=$$(date +%s); \
		if $(OFFLINE_ENV) COURSE_MODE=$$mode COURSE_DATA_DIR=$$data KERAS_HOME=$$keras TF_CPP_MIN_LOG_LEVEL=2 \
			MPLBACKEND=agg TF_FORCE_GPU_ALLOW_GROWTH=true timeout 1800 $(BIN)/python -m pytest -q --nbval-lax \
			--nbval-current-env -p no:cacheprovider $$nb > $$logs/$$mode-$$name.log 2>&1; then result=passed; \
		else result="FAILED (log: $$logs/$$mode-$$name.log)"; status=1; \
			grep -m1 -A40 "Cell execution caused an exception" $$logs/$$mode-$$name.log; fi; \
		echo "$$mode  $$name: $$result in $$(( $$(date +%s) - start )) s"; \
	done; done; echo "test-modes: $$(( $$(date +%s) - all )) s in all"; rm -rf $$tmp; exit $$status

# The GPU verification kit (a machine with an NVIDIA GPU and JAX; TensorFlow not needed): writes
# data/reference/gpu_check_<device>.json. A dry run anywhere: make gpu-check GPU_CHECK_ARGS=--quick
GPU_PYTHON ?= python3
GPU_CHECK_ARGS ?=
gpu-check:
	PYTHONPATH=$(CURDIR)$${PYTHONPATH:+:$$PYTHONPATH} KERAS_BACKEND=jax $(GPU_PYTHON) -m course_utils.gpu_check $(GPU_CHECK_ARGS)

lint: $(STAMP)
	$(BIN)/ruff check . && $(BIN)/ruff format --check .

format: $(STAMP)
	$(BIN)/ruff check --fix . && $(BIN)/ruff format .

badges: $(STAMP)
	$(BIN)/python -m course_utils.colab --write

report: $(STAMP)
	$(BIN)/python -m course_utils.report

# Notebook 06's recipes (keras.io's MNIST convnet, the plain and the faster recipe), 3 rounds interleaved, on real
# MNIST; last line `faster vs keras.io: N.NNx`. A benchmark, not a test: minutes on a 2-core CPU.
BENCH_ARGS ?=
bench-recipes: $(STAMP)
	TF_CPP_MIN_LOG_LEVEL=2 $(BIN)/python -m course_utils.recipes $(BENCH_ARGS)

clean:
	rm -rf $(VENV) $(COLAB_VENV)
