#!/usr/bin/env bash
# Produces three small result files, the baseline (every measure off), the same run with every
# measure on, and that run with uncertain parameters (income.wage_growth held), and opens them
# with Debian's h5py and xarray (h5netcdf engine).
# Usage: check_result_file.sh TUOPIN TESTS_DIR WORK_DIR
set -eu
tuopin=$1
tests=$2
work=$3
rm -rf "$work" && mkdir -p "$work"
cp "$tests"/data/small.toml "$work"/
"$tuopin" run "$work"/small.toml -o "$work"/small.h5 --replicates 3 >/dev/null
measures=()
for m in safety_net industry employment asset_income education_aid health relocation housing_renovation \
         photovoltaic microcredit agri_insurance collective_economy cadre_pairing; do
  measures+=(--set "measures.$m.enabled=true")
done
"$tuopin" run "$work"/small.toml -o "$work"/small-measures.h5 --replicates 3 "${measures[@]}" >/dev/null
"$tuopin" run "$work"/small.toml -o "$work"/small-uncertain.h5 --replicates 3 --uncertain "${measures[@]}" \
  --set 'uncertainty.hold=["income.wage_growth"]' >/dev/null
/usr/bin/python3 "$tests"/outputs/check_result_file.py "$work"/small.h5 "$work"/small-measures.h5 \
  "$work"/small-uncertain.h5
printf 'inherits = "small.toml"\n[income]\nwage_growth = 0.12\n' > "$work"/growth.toml
"$tuopin" run "$work"/small.toml "$work"/growth.toml -o "$work"/compare.h5 --replicates 3 >/dev/null
"$tuopin" run "$work"/small.toml -o "$work"/small-alone.h5 --replicates 3 >/dev/null
/usr/bin/python3 "$tests"/outputs/check_comparison_file.py "$work"/compare.h5 "$work"/small-alone.h5
