#!/usr/bin/env bash
# End-to-end tests of tuopin sweep: every design, the file, bad sweep files, interruption and
# --resume (kill -9 included), and, when built with MPI, mpirun against one process.
# Usage: test_sweep.sh TUOPIN DATA_DIR WORK_DIR SOURCE_DIR [mpi]
set -u
checks="$(cd "$(dirname "$0")/.." && pwd)/checks.sh"
tuopin=$1
data=$2
work=$3
src=$4
mpi=${5:-}
python=/usr/bin/python3
check="$python $src/tests/outputs/check_sweep_file.py"
rm -rf "$work" && mkdir -p "$work/sweeps" && cd "$work" || exit 1
cp "$data"/*.toml . && cp "$data"/sweeps/*.toml sweeps/

source "$checks"
expect_ok() {  # expect_ok NAME COMMAND...: a check that prints its own "ok:" line
  local name=$1
  shift
  if "$@"; then pass "$name"; else fail "$name"; fi
}

expect_rc "sweep --help" 0 "$tuopin" sweep --help
expect_in "sweep --help shows usage" out.txt "Usage: tuopin sweep SWEEP.toml"
expect_rc "sweep without a file" 2 "$tuopin" sweep

# Every design runs, prints and stores its indices; the file reads as labelled data.
for design in grid lhs sobol morris; do
  expect_rc "$design sweep" 0 "$tuopin" sweep sweeps/$design.toml -o $design.h5 --threads 2
  expect_in "$design sweep says where the file is" out.txt "Wrote $design.h5"
  [ -s err.txt ] && fail "$design: stderr not empty without a terminal" || pass "$design: no progress bar without a terminal"
  name=$design
  [ $design = lhs ] && name=latin-hypercube
  expect_ok "$design file layout" $check layout $design.h5 $name
done
"$tuopin" sweep sweeps/sobol.toml -o sobol2.h5 >sobol.txt 2>&1
expect_in "sobol prints first-order indices" sobol.txt "first order S1 [95% CI]"
expect_in "sobol prints total indices" sobol.txt "total ST [95% CI]"
"$tuopin" sweep sweeps/morris.toml -o morris2.h5 >morris.txt 2>&1
expect_in "morris prints mu*" morris.txt "mu* [95% CI]"
expect_in "morris prints sigma" morris.txt "sigma"
# The same sweep on another thread count: the same file.
expect_rc "sobol sweep on one thread" 0 "$tuopin" sweep sweeps/sobol.toml -o sobol1.h5 --threads 1
expect_ok "threads do not change a sweep" $check same sobol.h5 sobol1.h5
# On a terminal (script(1) gives one), a progress bar with the pairs done and the time left.
if command -v script >/dev/null; then
  script -qec "$tuopin sweep sweeps/lhs.toml -o tty.h5 --threads 1" /dev/null >tty.txt 2>&1
  expect_in "progress bar on a terminal counts the pairs" tty.txt "8/8"
  if grep -aq "s left" tty.txt; then pass "progress bar shows the time left"; else fail "progress bar without the time left"; cat tty.txt; fi
fi
expect_rc "existing file refused" 2 "$tuopin" sweep sweeps/sobol.toml -o sobol.h5
expect_in "existing file named" err.txt "sobol.h5: already exists"

# Bad sweep files: file:line, what is wrong, exit 2, nothing written.
bad() {  # bad NAME EXPECTED-TEXT  (the sweep file written to sweeps/bad.toml before)
  expect_rc "bad sweep: $1" 2 "$tuopin" sweep sweeps/bad.toml -o bad.h5
  expect_in "bad sweep: $1: message" err.txt "$2"
  [ -e bad.h5 ] || [ -e bad.h5.partial ] && fail "bad sweep: $1: a file was written" || pass "bad sweep: $1: nothing written"
}
base='base = "../small.toml"'
printf '%s\ndesign = "sobol"\nsampels = 4\n' "$base" > sweeps/bad.toml
bad "unknown key" "sweeps/bad.toml:3:11: unknown key 'sampels' in a sweep file; did you mean 'samples'?"
printf '%s\ndesign = "sobel"\nsamples = 4\n' "$base" > sweeps/bad.toml
bad "unknown design" "did you mean 'sobol'?"
printf '%s\ndesign = "sobol"\nsamples = 4\n[[parameter]]\nkey = "shocks.ilness_rate"\nlow = 0.1\nhigh = 0.2\n' "$base" > sweeps/bad.toml
bad "unknown parameter" "sweeps/bad.toml:5:7: 'shocks.ilness_rate' is not a scenario key; did you mean 'shocks.illness_rate'?"
printf '%s\ndesign = "sobol"\nsamples = 4\n[[parameter]]\nkey = "shocks.illness_rate"\nlow = 0.006\nhigh = 0.002\n' "$base" > sweeps/bad.toml
bad "inverted range" "sweeps/bad.toml:7:8: the range of 'shocks.illness_rate' is empty or inverted"
printf '%s\ndesign = "sobol"\nsamples = 4\n[[parameter]]\nkey = "shocks.illness_rate"\nlow = 0.1\nhigh = 1.5\n' "$base" > sweeps/bad.toml
bad "range outside the key's" "leaves the key's range 0 .. 1"
printf '%s\ndesign = "sobol"\nsamples = 4\n[[parameter]]\nkey = "population.poor_people"\nlow = 1000\nhigh = 2000\n' "$base" > sweeps/bad.toml
bad "synthesis-only key" "'population.poor_people' cannot be swept: only the population synthesis reads it"
printf '%s\ndesign = "sobol"\nsamples = 4\n[[parameter]]\nkey = "simulation.seed"\nlow = 1\nhigh = 9\n' "$base" > sweeps/bad.toml
bad "the seed" "'simulation.seed' cannot be swept"
printf '%s\ndesign = "sobol"\nsamples = 4\n[[parameter]]\nkey = "shocks.illness_age_risk"\nlow = 0.5\nhigh = 2\n' "$base" > sweeps/bad.toml
bad "array without relative" "is an array; sweep it relative to the base scenario"
printf '%s\ndesign = "grid"\n[[parameter]]\nkey = "shocks.illness_rate"\nlow = 0.002\nhigh = 0.006\n' "$base" > sweeps/bad.toml
bad "grid without levels" "the grid design needs levels = N"
printf '%s\ndesign = "sobol"\nsamples = 100000\n[[parameter]]\nkey = "shocks.illness_rate"\nlow = 0.002\nhigh = 0.006\n' "$base" > sweeps/bad.toml
bad "too many points" "sweeps/bad.toml:3:1: the sobol design needs 300000 points (samples x (parameters + 2) = 100000 x 3), more than max_points = 20000"
printf '%s\ndesign = "sobol"\nsamples = 4\n[[parameter]]\nkey = "targeting.mode"\nvalues = ["uniform", "unifrom"]\n' "$base" > sweeps/bad.toml
bad "a listed value the scenario refuses" "sweeps/bad.toml:5:7: 'targeting.mode' = 'unifrom' is refused by the base scenario"
printf '%s\ndesign = "sobol"\nsamples = 4\n' "$base" > sweeps/bad.toml
bad "no parameter" "needs at least one [[parameter]]"
printf 'base = "../nothere.toml"\ndesign = "sobol"\nsamples = 4\n[[parameter]]\nkey = "shocks.illness_rate"\nlow = 0.002\nhigh = 0.006\n' > sweeps/bad.toml
bad "missing base" "nothere.toml: no such file"
printf '' > sweeps/bad.toml
bad "empty file" "is empty; a sweep names its base scenario"
expect_rc "a folder as the sweep" 2 "$tuopin" sweep sweeps -o x.h5
expect_in "a folder as the sweep: message" err.txt "sweeps: is a folder; expected a sweep file (.toml)"

# Interrupted sweeps resume to the results of an uninterrupted one (3,000 households keep it quick;
# --resume needs the same population, so every command names it).
start=$(date +%s.%N)
expect_rc "long sweep, uninterrupted" 0 "$tuopin" sweep sweeps/long.toml --households 3000 -o reference.h5 --threads 2
elapsed=$(echo "$(date +%s.%N) - $start" | bc)
quarter=$(echo "$elapsed / 4" | bc -l)
# Interrupts a sweep midway: a quarter of the uninterrupted sweep's time after its partial file
# appears (its pairs have started), on one thread (about twice the reference's time). Timed from
# the partial file rather than from the start, the signal stays inside the run when the machine's
# load changes between the reference and this run.
interrupt_midway() {  # interrupt_midway SIGNAL PID PARTIAL_FILE
  while [ ! -e "$3" ] && kill -0 "$2" 2>/dev/null; do sleep 0.02; done
  sleep "$quarter"
  kill "-$1" "$2"
}
"$tuopin" sweep sweeps/long.toml --households 3000 -o killed.h5 --threads 1 >/dev/null 2>&1 &
pid=$!
interrupt_midway KILL $pid killed.h5.partial
wait $pid 2>/dev/null
[ -e killed.h5 ] && fail "kill -9: the final file exists" || pass "kill -9: no final file"
expect_ok "kill -9: the partial file holds some pairs, flags and results agree" $check partial killed.h5.partial
expect_rc "kill -9: a new run without --resume is refused" 2 "$tuopin" sweep sweeps/long.toml --households 3000 -o killed.h5
expect_in "kill -9: the refusal says --resume" err.txt "continue it with --resume"
expect_rc "kill -9: --resume" 0 "$tuopin" sweep sweeps/long.toml --households 3000 -o killed.h5 --resume --threads 1
expect_in "kill -9: --resume says so" out.txt "Resuming the latin-hypercube sweep"
expect_ok "kill -9 then --resume equals the uninterrupted sweep" $check same reference.h5 killed.h5
[ -e killed.h5.partial ] && fail "--resume left the partial file" || pass "--resume removed the partial file"

"$tuopin" sweep sweeps/long.toml --households 3000 -o stopped.h5 --threads 1 >/dev/null 2>stopped.err &
pid=$!
interrupt_midway INT $pid stopped.h5.partial
wait $pid
rc=$?
[ $rc -eq 1 ] && pass "SIGINT: exit 1" || fail "SIGINT: exit $rc, expected 1"
expect_in "SIGINT: says how to resume" stopped.err "run the same command with --resume"
expect_ok "SIGINT: the partial file is consistent" $check partial stopped.h5.partial
expect_rc "SIGINT: --resume" 0 "$tuopin" sweep sweeps/long.toml --households 3000 -o stopped.h5 --resume
expect_ok "SIGINT then --resume equals the uninterrupted sweep" $check same reference.h5 stopped.h5

expect_rc "--resume with nothing to resume" 2 "$tuopin" sweep sweeps/long.toml --households 3000 -o nothing.h5 --resume
expect_in "--resume with nothing to resume: message" err.txt "no interrupted sweep to resume"
# A partial sweep of another sweep file is not resumed.
"$tuopin" sweep sweeps/long.toml --households 3000 -o other.h5 --threads 1 >/dev/null 2>&1 &
pid=$!
interrupt_midway KILL $pid other.h5.partial
wait $pid 2>/dev/null
sed 's/high = 0.11/high = 0.12/' sweeps/long.toml > sweeps/long2.toml
expect_rc "--resume of another sweep refused" 2 "$tuopin" sweep sweeps/long2.toml --households 3000 -o other.h5 --resume
expect_in "--resume of another sweep: message" err.txt "was started from another sweep file"
expect_rc "--force starts afresh" 0 "$tuopin" sweep sweeps/long2.toml --households 3000 -o other.h5 --force

# A full disk: a plain message, exit 1, no crash, nothing left. Needs a small tmpfs (root). Every
# dataset is allocated when the sweep starts, so a disk too small shows at the start, not midway.
mkdir -p tiny_disk
if mount -t tmpfs -o size=300k tmpfs tiny_disk 2>/dev/null; then
  expect_rc "sweep onto a full disk" 1 "$tuopin" sweep sweeps/sobol.toml -o tiny_disk/full.h5
  expect_in "sweep: full disk said plainly" err.txt "no space left on the disk of 'tiny_disk'"
  if grep -q "internal error\|HDF5-DIAG" err.txt; then fail "sweep full disk: internal error or HDF5 dump"; else pass "sweep full disk: a plain message only"; fi
  [ -z "$(ls -A tiny_disk)" ] && pass "sweep full disk: nothing left behind" || fail "sweep full disk left files: $(ls -A tiny_disk)"
  umount tiny_disk
else
  echo "skip: the full-disk checks need to mount a tmpfs (root); not run here"
fi

if [ "$mpi" = mpi ]; then
  mpirun="mpirun --allow-run-as-root --oversubscribe"
  expect_rc "mpirun -np 2 sweep" 0 $mpirun -np 2 "$tuopin" sweep sweeps/sobol.toml -o sobol-mpi.h5 --threads 1
  expect_in "mpirun: two processes" out.txt "2 processes x 1 threads"
  expect_ok "mpirun -np 2 equals one process, bit for bit" $check same sobol.h5 sobol-mpi.h5
  expect_rc "mpirun -np 3 long sweep" 0 $mpirun -np 3 "$tuopin" sweep sweeps/long.toml --households 3000 -o long-mpi.h5 --threads 1
  expect_ok "mpirun -np 3 equals one process, bit for bit" $check same reference.h5 long-mpi.h5
  expect_rc "mpirun: bad sweep file" 2 $mpirun -np 2 "$tuopin" sweep sweeps/bad.toml -o bad-mpi.h5
  expect_in "mpirun: bad sweep file reported once" err.txt "is empty"
  [ "$(grep -c 'is empty' err.txt)" -eq 1 ] && pass "mpirun: the error is printed by rank 0 only" || fail "mpirun: error printed $(grep -c 'is empty' err.txt) times"
fi

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
