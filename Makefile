# The course's two commands:
#   make lab    create .venv when missing, install the course, start JupyterLab on notebooks/
#   make test   create .venv when missing, run the unit tests and every notebook in smoke mode
# `make lab TF=gpu` installs the CUDA build of TensorFlow instead (Linux and WSL2 with an NVIDIA GPU).

PYTHON ?= python3
TF ?= cpu
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-$(TF)
ROOT_FLAG := $(shell [ "$$(id -u)" = 0 ] && echo --allow-root)
PYTEST_ARGS ?=

.PHONY: lab test lint format badges report clean

$(STAMP): pyproject.toml
	@$(PYTHON) -c 'import sys; v = sys.version_info[:2]; sys.exit(0 if (3, 10) <= v <= (3, 12) else "The course needs Python 3.10, 3.11 or 3.12; this is %d.%d. Run: make PYTHON=python3.12 ..." % v)'
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[$(TF),lab,dev]"
	rm -f $(VENV)/.installed-*
	touch $@

lab: $(STAMP)
	$(BIN)/jupyter lab --notebook-dir=notebooks $(ROOT_FLAG)

test: $(STAMP)
	COURSE_MODE=smoke TF_CPP_MIN_LOG_LEVEL=2 MPLBACKEND=agg $(BIN)/python -m pytest -n 2 --dist loadfile \
		--nbval-lax --nbval-current-env -p no:cacheprovider $(PYTEST_ARGS) tests notebooks

lint: $(STAMP)
	$(BIN)/ruff check . && $(BIN)/ruff format --check .

format: $(STAMP)
	$(BIN)/ruff check --fix . && $(BIN)/ruff format .

badges: $(STAMP)
	$(BIN)/python -m course_utils.colab --write

report: $(STAMP)
	$(BIN)/python -m course_utils.report

clean:
	rm -rf $(VENV)
