#!/usr/bin/env bash
# End-to-end tests of the tuopin program: exit codes, messages, files left behind.
# Usage: test_cli.sh TUOPIN DATA_DIR WORK_DIR
set -u
checks="$(cd "$(dirname "$0")/.." && pwd)/checks.sh"
tuopin=$1
data=$2
work=$3
rm -rf "$work" && mkdir -p "$work" && cd "$work" || exit 1
cp "$data"/*.toml .

source "$checks"
no_leftovers() {
  if ls -A | grep -q '\.tmp-'; then fail "$1: temporary file left behind"; ls -A; else pass "$1: no temporary file"; fi
}

# Help and usage.
expect_rc "tuopin --help" 0 "$tuopin" --help
expect_in "help lists run" out.txt "run [SCENARIO ...]"
expect_in "help lists compare" out.txt "compare FILE ..."
for cmd in run synth params bench compare export report; do
  expect_rc "tuopin $cmd --help" 0 "$tuopin" "$cmd" --help
  expect_in "$cmd --help shows usage" out.txt "Usage: tuopin $cmd"
done
expect_rc "no command" 2 "$tuopin"
expect_rc "unknown command" 2 "$tuopin" rn
expect_in "unknown command suggests" err.txt "did you mean 'run'?"
expect_rc "unknown option" 2 "$tuopin" run --replicate 3
expect_in "unknown option named" err.txt "replicate"

# A good run: summary on stdout, a result file, no progress bar when stderr is not a terminal.
expect_rc "run small scenario" 0 "$tuopin" run small.toml -o small.h5 --replicates 2 --threads 2
expect_in "summary has the years" out.txt "2018"
expect_in "summary has the columns" out.txt "poor at start"
expect_in "summary says where the file is" out.txt "Wrote small.h5"
expect_in "summary has the county target" out.txt "The target by county"
expect_in "summary has the exit probability" out.txt "P(exit by 2018)"
expect_in "summary names a county in Chinese" out.txt "岳西县 Yuexi"
expect_in "summary says what blocks exit" out.txt "What blocks exit in 2018"
[ -s small.h5 ] && pass "result file written" || fail "result file missing"
[ -s err.txt ] && fail "stderr not empty without a terminal" || pass "no progress bar without a terminal"
no_leftovers "good run"

# The exit criteria are validated like every key.
expect_rc "misspelled exit criterion" 2 "$tuopin" run small.toml --set county_exit.incidense_max=0.03
expect_in "misspelled exit criterion suggests" err.txt "did you mean"
expect_rc "exit criterion out of range" 2 "$tuopin" run small.toml --set village_exit.incidence_max=2.0
expect_in "exit criterion range named" err.txt "village_exit.incidence_max"
expect_rc "flood year outside the window" 2 "$tuopin" run small.toml --set shocks.flood_year=2015
expect_in "flood year outside the window says so" err.txt "outside the window 2016-2018"

# An existing result is never overwritten without --force.
before=$(md5sum small.h5)
expect_rc "existing file without --force" 2 "$tuopin" run small.toml -o small.h5
expect_in "existing file message" err.txt "small.h5: already exists; use --force"
[ "$before" = "$(md5sum small.h5)" ] && pass "existing file untouched" || fail "existing file changed"
expect_rc "existing file with --force" 0 "$tuopin" run small.toml -o small.h5 --force --replicates 1
no_leftovers "forced run"

# Default output name from the scenario file name.
expect_rc "default output name" 0 "$tuopin" run small.toml --replicates 1
[ -s results/small.h5 ] && pass "default output results/small.h5" || fail "results/small.h5 missing"

# Bad scenarios: message with file:line:column, key and suggestion; exit 2; nothing written.
expect_rc "misspelled key" 2 "$tuopin" run misspelled_key.toml -o bad.h5
expect_in "misspelled key message" err.txt \
  "tuopin: misspelled_key.toml:5:1: unknown key 'ilness_cost_mean' in [shocks]; did you mean 'illness_cost_mean'?"
[ -e bad.h5 ] && fail "bad scenario left a result file" || pass "bad scenario wrote no result file"
no_leftovers "bad scenario"
expect_rc "out-of-range value" 2 "$tuopin" run out_of_range.toml -o bad.h5
expect_in "range message" err.txt "out_of_range.toml:4:27: 'assessment.new_poor_identification' is 1.7, outside the allowed range: expected number in [0, 1]"
expect_rc "missing scenario file" 2 "$tuopin" run nowhere.toml -o bad.h5
expect_in "missing file message" err.txt "nowhere.toml: no such file"
printf '[window\nfirst_year = 2016\n' > broken.toml
expect_rc "malformed TOML" 2 "$tuopin" run broken.toml -o bad.h5
expect_in "malformed TOML position" err.txt "broken.toml:1:"
[ -e bad.h5 ] && fail "bad input left a result file" || pass "bad input wrote no result file"

# Bad command-line values.
expect_rc "zero replicates" 2 "$tuopin" run small.toml --replicates 0 -o bad.h5
expect_in "replicates message" err.txt "--replicates must be at least 1"
expect_rc "negative seed" 2 "$tuopin" run small.toml --seed -4 -o bad.h5
expect_rc "missing output folder" 2 "$tuopin" run small.toml -o no/such/dir/x.h5
expect_in "missing folder message" err.txt "does not exist"

# An interrupted run leaves no temporary file (SIGTERM during the simulation).
cat > long.toml <<'TOML'
inherits = "small.toml"
[simulation]
replicates = 100000
TOML
"$tuopin" run long.toml -o long.h5 >/dev/null 2>&1 &
pid=$!
sleep 1
kill -TERM "$pid"
wait "$pid"
rc=$?
[ "$rc" -ne 0 ] && pass "interrupted run exits non-zero ($rc)" || fail "interrupted run exited 0"
[ -e long.h5 ] && fail "interrupted run left a result" || pass "interrupted run left no result"
no_leftovers "interrupted run"

# The same seed gives the same numbers whatever the thread count.
"$tuopin" run small.toml -o t1.h5 --threads 1 --replicates 2 >/dev/null 2>&1
"$tuopin" run small.toml -o t2.h5 --threads 2 --replicates 2 >/dev/null 2>&1
if h5diff t1.h5 t2.h5 /exit_people /exit_people >/dev/null && h5diff t1.h5 t2.h5 /summary /summary >/dev/null; then
  pass "1 and 2 threads give identical results"
else
  fail "1 and 2 threads differ"
fi
"$tuopin" run small.toml -o s2.h5 --seed 7 --replicates 2 >/dev/null 2>&1
h5diff -q t1.h5 s2.h5 /exit_people /exit_people >/dev/null && fail "another seed gave the same numbers" || pass "another seed gives other numbers"

# params: the dictionary, and a defaults file that runs.
expect_rc "params" 0 "$tuopin" params
expect_in "params shows sources" out.txt "source: calibration: remaining_poor_people"
"$tuopin" params --defaults > defaults.toml
expect_rc "defaults file runs" 0 "$tuopin" run defaults.toml -o defaults.h5 --replicates 1

# bench: a row per size, measures and threads; with --phases, each followed by its phases.
expect_rc "bench --phases" 0 "$tuopin" bench --households 3000 --threads 1 --repeats 1 --synth 0 --measures none,all --phases
expect_in "bench names the kernels" out.txt "month kernels"
expect_in "bench has the plan share" out.txt "plan share"
[ "$(grep -c '^ *3000 ' out.txt)" = 2 ] && pass "bench: a row for none and for all" || fail "bench: rows"
[ "$(grep -c 'phases (s): setup .*; plan requests .*; plan allocation .*; months .*; settle .*; assessment .*; sums ' out.txt)" = 2 ] \
  && pass "bench --phases: the phases after each row" || fail "bench --phases: phase lines"
expect_rc "bench refuses an unknown measures set" 2 "$tuopin" bench --households 3000 --measures some --synth 0

# synth: the default Anqing report meets the 1% rule (a 1/40-scale population need not: a share
# of 1.5% is then about 110 households, and one household is 0.9%); a saved population
# reproduces a synthesised run.
expect_rc "synth --report" 0 "$tuopin" synth --report
expect_in "report has the largest error" out.txt "Largest relative error over all targets"
largest=$(sed -n 's/^Largest relative error over all targets: \([0-9.]*\)%.*/\1/p' out.txt)
awk -v e="$largest" 'BEGIN { exit !(e <= 1.0) }' && pass "largest synthesis error $largest% <= 1%" || fail "largest synthesis error $largest%"
expect_rc "synth -o population file" 0 "$tuopin" synth small.toml -o pop.h5
expect_rc "synth refuses to overwrite" 2 "$tuopin" synth small.toml -o pop.h5
expect_rc "run from saved population" 0 "$tuopin" run small.toml --population pop.h5 -o from_pop.h5 --replicates 2
"$tuopin" run small.toml -o synthesised.h5 --replicates 2 >/dev/null 2>&1
h5diff -q from_pop.h5 synthesised.h5 /exit_people /exit_people >/dev/null && h5diff -q from_pop.h5 synthesised.h5 /population /population >/dev/null \
  && pass "saved population gives the synthesised run's results" || fail "saved population run differs"
expect_rc "replay a result file" 0 "$tuopin" run --replay synthesised.h5 -o replayed.h5
h5diff -q synthesised.h5 replayed.h5 /summary /summary >/dev/null && h5diff -q synthesised.h5 replayed.h5 /reentry_people /reentry_people >/dev/null \
  && pass "replay reproduces the run from the file alone" || fail "replay differs"
expect_rc "replay with a scenario is refused" 2 "$tuopin" run small.toml --replay synthesised.h5 -o x.h5
expect_rc "population file for another scenario is refused" 2 "$tuopin" run counties3.toml --population pop.h5 -o x.h5
expect_in "mismatch message" err.txt "pop.h5:/population"

# Registry extracts in CSV: the template runs; a bad file names row and column and runs nothing.
expect_rc "run the registry template" 0 "$tuopin" run small.toml --population "$data"/../../scenarios/data/registry-template.csv -o template.h5 --replicates 1
expect_rc "synth -o csv" 0 "$tuopin" synth small.toml --households 2000 -o extract.csv
expect_rc "run a written extract" 0 "$tuopin" run small.toml --population extract.csv -o extract.h5 --replicates 1
expect_in "extract run size" out.txt "(2000 households"
sed '3s/,normal,/,strong,/' extract.csv > bad_extract.csv
expect_rc "bad extract" 2 "$tuopin" run small.toml --population bad_extract.csv -o bad.h5
expect_in "bad extract names row and column" err.txt "bad_extract.csv:3: column 'labour': got 'strong'; expected one of normal, weak, none"
[ -e bad.h5 ] && fail "bad extract left a result" || pass "bad extract wrote no result"
expect_rc "--households with --population" 2 "$tuopin" run small.toml --population extract.csv --households 10 -o x.h5
expect_rc "--households 0" 2 "$tuopin" synth --households 0
expect_rc "run --households" 0 "$tuopin" run small.toml --households 3000 -o scaled.h5 --replicates 1
expect_in "scaled run size" out.txt "(3000 households"

# Measures: every scenario file of scenarios/ runs (a small population, two replicates).
scenarios="$data/../../scenarios"
for f in "$scenarios"/*.toml; do
  name=$(basename "$f" .toml)
  expect_rc "scenario $name runs" 0 "$tuopin" run "$f" --households 3000 --replicates 2 -o "scenario-$name.h5"
done
expect_in "a measure scenario prints its spending" <("$tuopin" run "$scenarios/pathways.toml" --households 3000 --replicates 1 -o pw.h5) "spending per exit"
expect_rc "pathways with a --set" 0 "$tuopin" run "$scenarios/pathways.toml" --households 3000 --replicates 1 -o pw-set.h5 --set funding.level=0.8 --set targeting.mode=uniform
h5dump -d /meta/scenario_resolved pw-set.h5 > resolved.txt 2>&1
expect_in "--set is in the resolved scenario" resolved.txt "mode = 'uniform'"
expect_rc "--set with a misspelt key" 2 "$tuopin" run --set funding.levle=1.2 -o x.h5
expect_in "--set error names the key" err.txt "--set 'funding.levle=1.2':1:9: unknown key 'levle' in [funding]; did you mean 'level'?"
expect_rc "--set out of range" 2 "$tuopin" run --set measures.industry.grant=-5 -o x.h5
expect_in "--set range message" err.txt "'measures.industry.grant' is -5, outside the allowed range"
expect_rc "pathway naming a measure that is off" 2 "$tuopin" run --set measures.industry.enabled=true -o x.h5
expect_in "pathway error" err.txt "names the measure 'asset_income', which is switched off"
[ -e x.h5 ] && fail "bad --set left a result" || pass "bad --set wrote no result"
no_leftovers "bad --set"
expect_rc "--trace" 0 "$tuopin" run "$scenarios/pathways.toml" --households 3000 --replicates 2 -o traced.h5 --trace 7
[ "$(wc -l < traced.trace-7.csv)" -eq $((1 + 2 * 3 * 13)) ] && pass "trace has 13 rows a year per replicate" || fail "trace rows: $(wc -l < traced.trace-7.csv)"
expect_in "trace header" traced.trace-7.csv "replicate,year,month,wage,income,measures,benefit"
expect_rc "--trace out of range" 2 "$tuopin" run --households 3000 --trace 3000 -o y.h5
expect_in "trace range message" err.txt "--trace expects a household id in 0 .. 2999"

# Attribution by ablation: a table on stdout and /attribution in the file.
expect_rc "--ablate" 0 "$tuopin" run "$scenarios/pathways.toml" --households 3000 --replicates 2 -o ablate.h5 --ablate
expect_in "--ablate prints what each measure adds" out.txt "What each measure adds"
expect_in "--ablate lists industry" out.txt "industry"
h5ls ablate.h5/attribution > attribution.txt 2>&1
expect_in "/attribution holds exits by measure" attribution.txt "exit_people"
expect_rc "--ablate without measures" 0 "$tuopin" run --households 2000 --replicates 1 -o ablate-none.h5 --ablate
expect_in "--ablate without measures says so" out.txt "no measure is switched on"

# Uncertain parameters: drawn per replicate, stored, the same for any thread count, replayed;
# a bad hold list is refused with its position and a suggestion.
expect_rc "run --help lists --uncertain" 0 "$tuopin" run --help
expect_in "--uncertain in help" out.txt "--uncertain"
expect_rc "--uncertain" 0 "$tuopin" run small.toml --uncertain --replicates 3 --threads 1 -o unc1.h5
expect_in "--uncertain says what it drew" out.txt "Uncertain parameters:"
h5ls unc1.h5/uncertainty > uncertainty.txt 2>&1
expect_in "/uncertainty/value is [replicate, parameter]" uncertainty.txt "value                    Dataset {3, "
h5ls small.h5/uncertainty > /dev/null 2>&1 && fail "a run without --uncertain has /uncertainty" || pass "no /uncertainty without --uncertain"
"$tuopin" run small.toml --set uncertainty.parameters=true --replicates 3 --threads 2 -o unc2.h5 >/dev/null 2>&1
if h5diff unc1.h5 unc2.h5 /uncertainty /uncertainty >/dev/null && h5diff unc1.h5 unc2.h5 /exit_people /exit_people >/dev/null; then
  pass "--uncertain equals --set uncertainty.parameters=true, on 1 and 2 threads"
else
  fail "--uncertain runs differ"
fi
"$tuopin" run small.toml -o plain3.h5 --replicates 3 >/dev/null 2>&1
h5diff -q unc1.h5 plain3.h5 /exit_people /exit_people >/dev/null && fail "--uncertain changed nothing" || pass "--uncertain changes the numbers"
expect_rc "replay an uncertain run" 0 "$tuopin" run --replay unc1.h5 -o unc-replay.h5
h5diff -q unc1.h5 unc-replay.h5 /uncertainty /uncertainty >/dev/null && h5diff -q unc1.h5 unc-replay.h5 /exit_people /exit_people >/dev/null \
  && pass "replay draws the same parameters" || fail "replay of an uncertain run differs"
expect_rc "hold a parameter" 0 "$tuopin" run small.toml --uncertain --replicates 2 -o held.h5 --set 'uncertainty.hold=["income.wage_growth"]'
expect_in "the held parameter is named" out.txt "held at the scenario's value: income.wage_growth"
expect_rc "hold a misspelt key" 2 "$tuopin" run small.toml --uncertain -o x.h5 --set 'uncertainty.hold=["shocks.ilness_rate"]'
expect_in "misspelt hold suggests" err.txt "'uncertainty.hold' names 'shocks.ilness_rate', which is not a scenario key"
expect_in "misspelt hold did you mean" err.txt "did you mean 'shocks.illness_rate'?"
expect_rc "hold a certain key" 2 "$tuopin" run small.toml -o x.h5 --set 'uncertainty.hold=["population.poor_people"]'
expect_in "certain hold message" err.txt "'uncertainty.hold' names 'population.poor_people', which has no uncertain range"
printf 'inherits = "small.toml"\n[uncertainty]\nparameters = true\nhold = ["income.wage_grwth"]\n' > bad_hold.toml
expect_rc "hold in a file" 2 "$tuopin" run bad_hold.toml -o x.h5
expect_in "hold error has file:line:column" err.txt "bad_hold.toml:4:8: 'uncertainty.hold' names 'income.wage_grwth'"
[ -e x.h5 ] && fail "bad hold left a result" || pass "bad hold wrote no result"
expect_rc "--ablate --uncertain" 0 "$tuopin" run "$scenarios/pathways.toml" --households 3000 --replicates 2 -o ablate-unc.h5 --ablate --uncertain
expect_in "--ablate --uncertain prints what each measure adds" out.txt "What each measure adds"

# Several scenarios in one run: one population, the same random numbers, a comparison file.
printf 'inherits = "small.toml"\ndescription = "Industry support, with a comma, and a \\"quote\\"."\n[measures.health]\nenabled = true\n' > industry.toml
printf 'inherits = "small.toml"\n[population]\npoor_people = 12000.0\n' > other_pop.toml
expect_rc "run two scenarios" 0 "$tuopin" run small.toml industry.toml -o cmp.h5 --replicates 3
expect_in "each scenario's summary" out.txt "==== industry (industry.toml) ===="
expect_in "the comparison follows" out.txt "Scenarios compared with the baseline 'small'"
expect_in "paired difference with its range" out.txt "paired difference (scenario minus baseline, replicate by replicate)"
expect_in "says it wrote two scenarios" out.txt "(2 scenarios,"
h5diff -q cmp.h5 synthesised.h5 /population /population >/dev/null && pass "the comparison file stores the population once" \
  || fail "comparison population differs"
h5diff -q cmp.h5 cmp.h5 /scenarios/small/exit_people /compare/city_exit_people >/dev/null 2>&1; \
  [ -n "$(h5ls cmp.h5/compare 2>/dev/null | grep city_exit_people)" ] && pass "/compare holds the key results" || fail "/compare missing"
"$tuopin" run small.toml -o alone.h5 --replicates 3 >/dev/null 2>&1
h5diff -q alone.h5 cmp.h5 /exit_people /scenarios/small/exit_people >/dev/null \
  && pass "a scenario in a comparison equals its run alone" || fail "comparison scenario differs from its run alone"
expect_rc "compare the file" 0 "$tuopin" compare cmp.h5
expect_in "compare has exits" out.txt "exits over the window"
expect_in "compare has cost per exit" out.txt "spending over exits"
expect_rc "compare with another baseline" 0 "$tuopin" compare cmp.h5 --baseline industry
expect_in "the baseline named" out.txt "compared with the baseline 'industry'"
expect_rc "compare an unknown baseline" 2 "$tuopin" compare cmp.h5 --baseline industri
expect_in "unknown baseline suggests" err.txt "did you mean 'industry'?"
expect_rc "compare separate files" 0 "$tuopin" compare alone.h5 replayed.h5
expect_rc "compare files of other seeds" 0 "$tuopin" compare alone.h5 from_pop.h5
"$tuopin" run small.toml -o seed2.h5 --replicates 3 --seed 7 >/dev/null 2>&1
expect_rc "compare files of different seeds" 0 "$tuopin" compare alone.h5 seed2.h5
expect_in "different seeds warn" out.txt "do not share their random numbers"
expect_rc "compare one single file" 2 "$tuopin" compare alone.h5
expect_in "one scenario is not a comparison" err.txt "holds one scenario"
echo "not hdf5" > junk.h5
expect_rc "compare a file that is not HDF5" 2 "$tuopin" compare junk.h5 alone.h5
expect_in "not HDF5 named" err.txt "junk.h5: not an HDF5 file"
head -c 200000 cmp.h5 > truncated.h5
expect_rc "compare a truncated file" 2 "$tuopin" compare truncated.h5
expect_in "truncated named" err.txt "truncated.h5"
expect_rc "compare a population file" 2 "$tuopin" compare pop.h5 alone.h5
expect_in "a population file is not a result" err.txt "pop.h5"
expect_rc "compare a missing file" 2 "$tuopin" compare nothere.h5
expect_rc "two scenarios of one name" 2 "$tuopin" run small.toml small.toml -o x.h5
expect_in "same name refused" err.txt "two scenarios are named 'small'"
expect_rc "scenarios of different populations" 2 "$tuopin" run small.toml other_pop.toml -o x.h5
expect_in "different population refused" err.txt "give another population"
[ -e x.h5 ] && fail "a refused comparison left a file" || pass "a refused comparison wrote nothing"
expect_rc "replay a comparison file" 2 "$tuopin" run --replay cmp.h5 -o x.h5
expect_in "replay of a comparison explained" err.txt "is a comparison file of 2 scenarios"

# A result without its population: smaller, replayed only with the population given and checked.
expect_rc "run without the population" 0 "$tuopin" run small.toml -o nopop.h5 --replicates 2 --no-population
[ -z "$(h5ls nopop.h5 | grep '^population')" ] && pass "no /population" || fail "/population written"
expect_rc "replay without the population" 2 "$tuopin" run --replay nopop.h5 -o x.h5
expect_in "replay asks for the population" err.txt "holds no population (written with --no-population)"
expect_rc "replay with the population" 0 "$tuopin" run --replay nopop.h5 --population synthesised.h5 -o nopop-replay.h5
h5diff -q nopop.h5 nopop-replay.h5 /exit_people /exit_people >/dev/null && pass "replay with the given population reproduces the run" \
  || fail "replay with the given population differs"
"$tuopin" synth other_pop.toml -o other_pop.h5 >/dev/null 2>&1
expect_rc "replay with another population" 2 "$tuopin" run --replay nopop.h5 --population other_pop.h5 -o x.h5 --force
expect_in "another population refused" err.txt "not the population nopop.h5 ran on"

# Nonsense refused before any work (exit 2, nothing written): paths, empty files, cycles, values.
mkdir -p a_folder
expect_rc "a folder as the scenario" 2 "$tuopin" run a_folder -o x.h5
expect_in "folder named" err.txt "a_folder: is a folder; expected a scenario file"
: > empty.toml
expect_rc "an empty scenario" 2 "$tuopin" run empty.toml -o x.h5
expect_in "empty explained" err.txt "empty.toml: is empty"
printf 'inherits = "a_folder"\n' > inherits_folder.toml
expect_rc "inherits a folder" 2 "$tuopin" run inherits_folder.toml -o x.h5
expect_in "inherited folder named with its position" err.txt "inherits_folder.toml:1:12: 'inherits' names 'a_folder', which is a folder"
expect_rc "a missing scenario" 2 "$tuopin" run nothere.toml -o x.h5
expect_in "missing says so" err.txt "nothere.toml: no such file"
printf 'inherits = "cycle_b.toml"\n' > cycle_a.toml
printf 'inherits = "cycle_a.toml"\n' > cycle_b.toml
expect_rc "an inheritance cycle" 2 "$tuopin" run cycle_a.toml -o x.h5
expect_in "the cycle names its files" err.txt "inheritance cycle: cycle_a.toml -> cycle_b.toml -> cycle_a.toml"
expect_rc "repeated line years" 2 "$tuopin" run small.toml -o x.h5 --set 'poverty_line.years=[2016, 2016, 2017, 2018, 2019]'
expect_in "repeated years explained" err.txt "expected each year once, increasing"
expect_rc "a line of 1e14 yuan" 2 "$tuopin" run small.toml -o x.h5 --set 'poverty_line.yuan=[2800.0, 2855.0, 1e14, 2952.0, 2995.0]'
expect_rc "a county named twice" 2 "$tuopin" run counties3.toml -o x.h5 --set 'counties.names=["Yuexi", "Yuexi", "Taihu"]'
expect_in "county twice explained" err.txt "lists 'Yuexi' twice"
expect_rc "nobody to simulate" 2 "$tuopin" run small.toml -o x.h5 --set population.poor_people=0 \
  --set population.exited_people=0 --set population.near_poor_people=0
expect_in "nobody explained" err.txt "expected at least one person to simulate"
expect_rc "too many replicates on the command line" 2 "$tuopin" run small.toml -o x.h5 --replicates 100001
expect_in "replicates range named" err.txt "--replicates must be in 1 .. 100000"
expect_rc "an empty -o" 2 "$tuopin" run small.toml -o ""
expect_rc "a folder as -o, even with --force" 2 "$tuopin" run small.toml -o a_folder --force
expect_in "output folder explained" err.txt "a_folder: is a folder; expected a file name"
[ -d a_folder ] && pass "the folder is untouched" || fail "the folder was replaced"
[ -e x.h5 ] && fail "refused input left a result" || pass "refused input wrote nothing"
sleep 0 & dead=$!; wait "$dead"
echo stale > ".stale.h5.tmp-$dead"
expect_rc "a run beside a stale temporary file" 0 "$tuopin" run small.toml -o stale.h5 --replicates 1
[ -e ".stale.h5.tmp-$dead" ] && fail "stale temporary file of a dead process kept" || pass "stale temporary file removed"

# Bad HDF5 given as input: exit 2 naming the file and what is wrong, never an internal error.
echo "not hdf5" > junk_pop.h5
: > empty_pop.h5
head -c 100000 synthesised.h5 > truncated_pop.h5
for f in junk_pop.h5 empty_pop.h5 truncated_pop.h5 a_folder; do
  expect_rc "--population $f" 2 "$tuopin" run small.toml --population "$f" -o x.h5
  expect_in "--population $f named" err.txt "$f"
  if grep -q "internal error" err.txt; then fail "--population $f: internal error"; else pass "--population $f: no internal error"; fi
done
cp synthesised.h5 nan_pop.h5
cp synthesised.h5 nocol_pop.h5
/usr/bin/python3 - <<'PY'
import h5py, numpy as np
with h5py.File("nan_pop.h5", "a") as f:
    d = f["population/income_wage"]; a = d[:]; a[3] = np.nan; d[...] = a
with h5py.File("nocol_pop.h5", "a") as f:
    del f["population/housing"]
PY
expect_rc "a population with NaN income" 2 "$tuopin" run small.toml --population nan_pop.h5 -o x.h5
expect_in "NaN household and column named" err.txt "household 3, column income_wage"
expect_rc "a population without a column" 2 "$tuopin" run small.toml --population nocol_pop.h5 -o x.h5
expect_in "missing column named" err.txt "column housing is missing"

# A full disk: a plain message, exit 1, nothing left, no crash. Needs a small tmpfs (root).
mkdir -p tiny_disk
if mount -t tmpfs -o size=300k tmpfs tiny_disk 2>/dev/null; then
  expect_rc "run onto a full disk" 1 "$tuopin" run small.toml -o tiny_disk/full.h5 --replicates 1
  expect_in "full disk said plainly" err.txt "no space left on the disk of 'tiny_disk'"
  if grep -q "internal error" err.txt; then fail "full disk: internal error"; else pass "full disk: no internal error"; fi
  [ -z "$(ls -A tiny_disk)" ] && pass "full disk: nothing left behind" || fail "full disk left files: $(ls -A tiny_disk)"
  expect_rc "synth onto a full disk" 1 "$tuopin" synth small.toml -o tiny_disk/pop.h5
  umount tiny_disk
else
  echo "skip: the full-disk checks need to mount a tmpfs (root); not run here"
fi
# export: tidy CSV tables for spreadsheets, from a comparison file and from a single file; never
# over an earlier export without --force; bad input is exit 2 and writes nothing.
expect_rc "tuopin --help lists export" 0 "$tuopin" --help
expect_in "help lists export" out.txt "export FILE ... --csv DIR"
expect_rc "export --help" 0 "$tuopin" export --help
expect_in "export --help has examples" out.txt "tuopin export results/compare.h5 --csv results/compare-csv"
expect_rc "comparison run to export" 0 "$tuopin" run "$scenarios/anqing-baseline.toml" "$scenarios/pathways.toml" --households 3000 --replicates 2 -o export-cmp.h5
expect_rc "export a comparison file" 0 "$tuopin" export export-cmp.h5 --csv csv
expect_in "export lists its files" out.txt "registry.csv (132 rows)"
for f in README.txt scenarios.csv registry.csv measure_results.csv city.csv spending.csv beneficiaries.csv pools.csv \
         target.csv summary.csv villages.csv parameters.csv compare.csv attribution.csv uncertainty.csv; do
  [ -s "csv/$f" ] && pass "export wrote $f" || fail "export did not write $f"
done
[ "$(head -c 3 csv/registry.csv | od -An -tx1 | tr -d ' \n')" = "efbbbf" ] && pass "registry.csv starts with a UTF-8 BOM" || fail "no BOM in registry.csv"
[ "$(head -c 3 csv/README.txt | od -An -tx1 | tr -d ' \n')" = "efbbbf" ] && pass "README.txt starts with a UTF-8 BOM" || fail "no BOM in README.txt"
rows=$(($(wc -l < csv/registry.csv) - 1))
[ "$rows" -eq $((2 * 2 * 3 * 11)) ] && pass "registry.csv: scenarios x replicates x years x counties rows" || fail "registry.csv has $rows rows"
expect_in "registry.csv header" csv/registry.csv "scenario,replicate,year,county,county_zh,poor_start_people,"
expect_in "registry.csv has Chinese county names" csv/registry.csv ",Yuexi,岳西县,"
expect_in "README explains a column" csv/README.txt "exit_people [persons]: people in households that exited"
expect_in "compare.csv against the first scenario" csv/compare.csv "pathways,anqing-baseline,exit_people,"
if /usr/bin/python3 "$data"/../outputs/check_csv_export.py csv export-cmp.h5 > py.txt 2>&1; then
  pass "pandas reads the tables (utf-8-sig) and their sums match the HDF5"
else
  fail "Python check of the CSV tables"; cat py.txt
fi
before=$(md5sum csv/registry.csv)
expect_rc "export refuses to overwrite" 2 "$tuopin" export export-cmp.h5 --csv csv
expect_in "export overwrite message" err.txt "csv: already holds scenarios.csv, registry.csv"
expect_in "export overwrite suggests --force" err.txt "use --force to replace them"
[ "$before" = "$(md5sum csv/registry.csv)" ] && pass "earlier export untouched" || fail "earlier export changed"
expect_rc "export a single file with --force" 0 "$tuopin" export small.h5 --csv csv --force
rows=$(($(wc -l < csv/registry.csv) - 1))
[ "$rows" -eq 33 ] && pass "single file: replicates x years x counties rows" || fail "single file: registry.csv has $rows rows"
expect_rc "export two files with --baseline" 0 "$tuopin" export small.h5 plain3.h5 --csv csv2 --baseline plain3:small
expect_in "compare.csv against --baseline" csv2/compare.csv ",plain3:small,exit_people,"
expect_rc "export --ablate and --uncertain files" 0 "$tuopin" export ablate.h5 unc1.h5 --csv csv3
expect_in "attribution.csv holds /attribution" csv3/attribution.csv "pathways,industry,产业扶贫,"
rows=$(($(wc -l < csv3/uncertainty.csv) - 1))
params=$(h5ls unc1.h5/uncertainty/parameter | sed 's/.*{\([0-9]*\)}.*/\1/')
[ "$rows" -eq $((3 * params)) ] && pass "uncertainty.csv: replicates x uncertain parameters rows" || fail "uncertainty.csv has $rows rows"
no_leftovers "export"
expect_rc "export without --csv" 2 "$tuopin" export export-cmp.h5
expect_in "export without --csv message" err.txt "--csv DIR"
expect_rc "export a missing file" 2 "$tuopin" export nowhere.h5 --csv bad-csv
expect_in "missing file named" err.txt "nowhere.h5: no such file"
expect_rc "export a file that is not HDF5" 2 "$tuopin" export small.toml --csv bad-csv
expect_in "not HDF5 message" err.txt "not an HDF5 file"
head -c 20000 export-cmp.h5 > export-truncated.h5
expect_rc "export a truncated file" 2 "$tuopin" export export-truncated.h5 --csv bad-csv
expect_rc "export a population file" 2 "$tuopin" export pop.h5 --csv bad-csv
expect_in "not a result message" err.txt "not a tuopin result file"
expect_rc "export with an unknown --baseline" 2 "$tuopin" export export-cmp.h5 --csv bad-csv --baseline pathway
expect_in "unknown baseline suggests" err.txt "did you mean 'pathways'?"
[ -e bad-csv ] && fail "bad export input created the folder" || pass "bad export input wrote nothing"
grep -q "Traceback\|internal error" err.txt && fail "export crashed" || pass "export fails cleanly"

# Numbers printed as typed.
expect_rc "a seed out of range" 2 "$tuopin" run small.toml -o x.h5 --set simulation.seed=4294967296
expect_in "the range in full digits" err.txt "expected integer in [0, 4294967295]"

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
