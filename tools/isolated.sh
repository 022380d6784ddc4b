#!/bin/sh
# Runs a command so that it touches nothing of the checkout's or the user's: a fresh data folder (COURSE_DATA_DIR),
# Keras cache (KERAS_HOME), matplotlib folder (MPLCONFIGDIR), IPython profile (IPYTHONDIR: no startup files, no
# history), ruff cache (RUFF_CACHE_DIR) and temporary folder (TMPDIR), all in one folder that is removed afterwards,
# and no bytecode written (PYTHONDONTWRITEBYTECODE). Offline unless --online: downloads go to a dead proxy (port 9
# on loopback), while loopback itself stays direct (no_proxy), for the tests' own servers.
#   tools/isolated.sh [--online] COMMAND [ARG...]
# The Makefile's test targets run through it; `make test-modes` links a prefetched folder into the fresh one.
set -u
online=0
if [ "${1:-}" = --online ]; then
	online=1
	shift
fi
[ $# -gt 0 ] || { echo "usage: tools/isolated.sh [--online] COMMAND [ARG...]" >&2; exit 2; }
tmp=$(mktemp -d "${TMPDIR:-/tmp}/course-test.XXXXXX") || exit 1
trap 'rm -rf "$tmp"' EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
mkdir "$tmp/data" "$tmp/keras" "$tmp/matplotlib" "$tmp/ipython" "$tmp/tmp"
export COURSE_DATA_DIR="$tmp/data" KERAS_HOME="$tmp/keras" MPLCONFIGDIR="$tmp/matplotlib" TMPDIR="$tmp/tmp"
export IPYTHONDIR="$tmp/ipython" RUFF_CACHE_DIR="$tmp/ruff" PYTHONDONTWRITEBYTECODE=1
if [ $online = 0 ]; then
	dead=http://127.0.0.1:9
	export http_proxy=$dead https_proxy=$dead HTTP_PROXY=$dead HTTPS_PROXY=$dead
	export no_proxy=127.0.0.1,localhost NO_PROXY=127.0.0.1,localhost
fi
"$@"
