#!/usr/bin/env bash
# Parallel efficiency on this machine (issue 11, goal 4): `tuopin bench` at 5 M households on
# 1, 2, 4, 8 and every core, with no measure and with every measure on, with the seconds of
# each phase (--phases); then the machine's own ceiling: the month kernels' timing program
# run once alone and then as many copies at once as there are cores (pure arithmetic, no
# shared data: how much of N times one core N cores deliver); then the same for this very
# work: a one-thread `tuopin bench` of 1 M households with every measure on, alone, then as
# many processes at once as there are cores, then alone again.
# Usage: [HOUSEHOLDS=N] bench/scaling.sh [BUILD_DIR]   (defaults 5000000 and build/release;
# make bench-kernels builds the kernels' program there). Prints to stdout; docs/performance.md
# ("Third round") has figures.
set -euo pipefail
build=${1:-build/release}
households=${HOUSEHOLDS:-5000000}
cores=$(nproc)
threads=1
for t in 2 4 8; do [ "$t" -lt "$cores" ] && threads="$threads,$t"; done
threads="$threads,$cores"
"$build/cli/tuopin" bench --households "$households" --threads "$threads" --measures none,all --synth 0 --repeats 5 --phases
kernels="$build/bench/month_kernels_bench"
if [ -x "$kernels" ]; then
  echo
  echo "month kernels, one copy alone (ns per household, thread CPU time):"
  "$kernels" 1000000 15 | tail -n +3
  echo
  echo "month kernels, $cores copies at once (each copy's figures, sorted):"
  dir=$(mktemp -d)
  for k in $(seq "$cores"); do "$kernels" 1000000 15 > "$dir/$k.txt" & done
  wait
  cat "$dir"/*.txt | grep -v "^month kernels\|^kernel " | sort
  rm -rf "$dir"
else
  echo "($kernels not built: make bench-kernels builds it)" >&2
fi
echo
echo "one-thread bench, 1 M households, every measure: alone, then $cores at once (each), then alone again:"
one() { "$build/cli/tuopin" bench --households 1000000 --threads 1 --measures all --synth 0 --repeats 3 | tail -n 1; }
one
dir=$(mktemp -d)
for k in $(seq "$cores"); do one > "$dir/$k.txt" & done
wait
sort -k4,4n "$dir"/*.txt
rm -rf "$dir"
one
