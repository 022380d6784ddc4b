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

.PHONY: lab test test-colab lint format badges report clean

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

# The notebooks run one at a time: each one's setup cell pip-installs course_utils, as on Colab.
test-colab: $(COLAB_VENV)/.installed
	$(COLAB_VENV)/bin/python -m pip uninstall --quiet --yes course_utils ai-edge-litert 2>/dev/null || true
	COURSE_MODE=smoke COURSE_INSTALL_SOURCE=$(CURDIR) COURSE_DATA_DIR=$(CURDIR)/data/colab-test \
	PYTHONPATH=$(CURDIR)/tests/colab/standin TF_CPP_MIN_LOG_LEVEL=2 MPLBACKEND=agg TF_FORCE_GPU_ALLOW_GROWTH=true \
		$(COLAB_VENV)/bin/python -m pytest --nbval-lax --nbval-current-env -p no:cacheprovider $(PYTEST_ARGS) notebooks
	$(COLAB_VENV)/bin/python tests/colab/check_colab_env.py $(COLAB_REQS)

lint: $(STAMP)
	$(BIN)/ruff check . && $(BIN)/ruff format --check .

format: $(STAMP)
	$(BIN)/ruff check --fix . && $(BIN)/ruff format .

badges: $(STAMP)
	$(BIN)/python -m course_utils.colab --write

report: $(STAMP)
	$(BIN)/python -m course_utils.report

clean:
	rm -rf $(VENV) $(COLAB_VENV)
