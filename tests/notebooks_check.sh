#!/usr/bin/env bash
# Executes every notebook in notebooks/ against a small result file.
# Usage: notebooks_check.sh TUOPIN SOURCE_DIR WORK_DIR
set -eu
tuopin=$1
src=$2
work=$3
rm -rf "$work" && mkdir -p "$work"
cp "$src"/tests/data/small.toml "$work"/
"$tuopin" run "$work"/small.toml -o "$work"/small.h5 --replicates 3 >/dev/null
# The measures notebook compares the plan (with its attribution) with the baseline, same seed.
"$tuopin" run --households 4000 -o "$work"/baseline.h5 --replicates 3 >/dev/null
"$tuopin" run "$src"/scenarios/anqing-plan.toml --households 4000 -o "$work"/plan.h5 --replicates 3 --ablate >/dev/null
"$tuopin" run "$src"/scenarios/{anqing-baseline,pathways,anqing-plan}.toml --households 3000 -o "$work"/compare.h5 --replicates 3 >/dev/null
# The sweep notebook reads a small Sobol sweep (its base is ../small.toml, beside it).
mkdir -p "$work"/sweeps && cp "$src"/tests/data/sweeps/sobol.toml "$work"/sweeps/
"$tuopin" sweep "$work"/sweeps/sobol.toml -o "$work"/sweep.h5 >/dev/null
export TUOPIN_SWEEP="$work"/sweep.h5
export TUOPIN_COMPARISON="$work"/compare.h5  # compare-scenarios and county-results: one comparison file
export TUOPIN_RESULT="$work"/small.h5 TUOPIN_BASELINE="$work"/baseline.h5 TUOPIN_PLAN="$work"/plan.h5 MPLBACKEND=Agg
count=0
for nb in "$src"/notebooks/*.ipynb; do
  /usr/bin/jupyter nbconvert --to notebook --execute --ExecutePreprocessor.kernel_name=python3 \
    --ExecutePreprocessor.timeout=300 --output-dir "$work" "$nb"
  count=$((count + 1))
done
echo "$count passed, 0 failed"
