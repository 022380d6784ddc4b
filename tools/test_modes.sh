#!/bin/sh
# make test-modes: every notebook in each of MODES (default: cpu, then full), one at a time, offline, in the fresh
# data folder that tools/isolated.sh gives the whole run (notebook 10 reuses the model 06 saved there). Without a
# GPU, 05-09 keep their cpu sizes in full mode and say so; 00-04 and 10 run their CPU-sized full mode.
# With PREFETCHED=DIR (python -m course_utils.datasets --fetch-all --to DIR), DIR's files are linked into the fresh
# folder and DIR/keras/models into the fresh KERAS_HOME, so that nothing a run writes (models, reports) lands in DIR
# or leaks into the next run. Prints each notebook's time and the total; each log goes to data/reports/test-modes/.
#   tools/isolated.sh tools/test_modes.sh PYTEST_COMMAND...   (the notebook's path is appended)
# Variables: MODES="cpu full", NOTEBOOKS="notebooks/[0-9][0-9]_*.ipynb" (a glob), PREFETCHED=DIR.
set -u
[ -n "${COURSE_DATA_DIR:-}" ] && [ -n "${KERAS_HOME:-}" ] || {
	echo "run through tools/isolated.sh (make test-modes does): it gives the run a fresh data folder" >&2
	exit 2
}
MODES=${MODES:-cpu full}
NOTEBOOKS=${NOTEBOOKS:-notebooks/[0-9][0-9]_*.ipynb}
PREFETCHED=${PREFETCHED:-}
logs=data/reports/test-modes
mkdir -p "$logs"
status=0
all=$(date +%s)
if [ -n "$PREFETCHED" ]; then
	[ -d "$PREFETCHED" ] || { echo "PREFETCHED=$PREFETCHED is not a folder"; exit 2; }
	src=$(cd "$PREFETCHED" && pwd)
	echo "offline, on the prefetched folder $src (linked, never written to)"
	for f in "$src"/*; do
		case $(basename "$f") in keras | models | reports) ;; *) ln -s "$f" "$COURSE_DATA_DIR"/ ;; esac
	done
	if [ -d "$src/keras/models" ]; then ln -s "$src/keras/models" "$KERAS_HOME/models"; fi
else
	echo "offline, on a fresh data folder (the labelled fallbacks)"
fi
for mode in $MODES; do
	for nb in $NOTEBOOKS; do # unquoted: NOTEBOOKS is a glob
		name=$(basename "$nb" .ipynb)
		log=$logs/$mode-$name.log
		start=$(date +%s)
		if COURSE_MODE=$mode timeout 1800 "$@" -q "$nb" >"$log" 2>&1; then
			result=passed
		else
			result="FAILED (log: $log)"
			status=1
			grep -m1 -A40 "Cell execution caused an exception" "$log"
		fi
		echo "$mode  $name: $result in $(($(date +%s) - start)) s"
	done
done
echo "test-modes: $(($(date +%s) - all)) s in all"
exit $status
