#!/usr/bin/env bash
# Produces a small result file and opens it with Debian's h5py and xarray (h5netcdf engine).
# Usage: check_result_file.sh TUOPIN TESTS_DIR WORK_DIR
set -eu
tuopin=$1
tests=$2
work=$3
rm -rf "$work" && mkdir -p "$work"
cp "$tests"/data/small.toml "$work"/
"$tuopin" run "$work"/small.toml -o "$work"/small.h5 --replicates 3 >/dev/null
/usr/bin/python3 "$tests"/outputs/check_result_file.py "$work"/small.h5
