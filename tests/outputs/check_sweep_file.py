#!/usr/bin/env python3
"""Checks of a tuopin sweep file (docs/sweeps.md), as a user would read it.

  check_sweep_file.py layout FILE DESIGN   the layout: labelled dimensions (xarray), complete,
                                           every pair done, indices present for the design
  check_sweep_file.py same A B             A and B hold the same design and results, bit for bit
  check_sweep_file.py partial FILE         FILE.partial-style file: some pairs done, not all
"""
import sys

import h5py
import numpy as np


def fail(msg):
    print("FAILED:", msg)
    sys.exit(1)


def layout(path, design):
    import xarray as xr
    with h5py.File(path, "r") as f:
        meta = f["meta"].attrs
        if meta["complete"] != 1:
            fail("not marked complete")
        if meta["design"] != design:
            fail(f"design {meta['design']} != {design}")
        done = f["results/done"][...]
        if not done.all():
            fail("not every pair done")
        key = f["results/key"][...]
        if np.isnan(key).any():
            fail("NaN results in a complete sweep")
        points = f["design/unit"].shape[0]
        if key.shape[0] != points or f["results/city"].shape[0] != points:
            fail("results do not have one row per point")
        unit = f["design/unit"][...]
        if (unit < 0).any() or (unit > 1).any():
            fail("unit coordinates outside [0, 1]")
        if design == "sobol" and "sobol_total" not in f["sensitivity"]:
            fail("no Sobol indices")
        if design == "morris" and "morris_mu_star" not in f["sensitivity"]:
            fail("no Morris indices")
        for name in ("sweep_text", "base_scenario_resolved"):
            if len(f["meta"][name][()]) == 0:
                fail(f"/meta/{name} empty")
    ds = xr.open_dataset(path, group="results", engine="h5netcdf")
    if ds["key"].dims != ("point", "replicate", "result"):
        fail(f"key dims {ds['key'].dims}")
    if ds["city"].dims != ("point", "replicate", "year", "series"):
        fail(f"city dims {ds['city'].dims}")
    exits = ds["key"].sel(result="exit_people")
    if not (exits > 0).all():
        fail("no exits at some point")
    # The city's exits per year add up to the key result.
    total = ds["city"].sel(series="exit_people").sum("year")
    if not np.array_equal(total.values, exits.values):
        fail("city exit_people per year do not add up to the key result")
    print(f"ok: {path} ({design}, {exits.shape[0]} points, labelled dimensions)")


def same(a, b):
    with h5py.File(a, "r") as fa, h5py.File(b, "r") as fb:
        names = ["design/unit", "design/value", "results/key", "results/city", "results/done"]
        if "sensitivity" in fa:
            names += ["sensitivity/" + n for n in fa["sensitivity"] if n not in ("result", "parameter", "estimate")]
        for n in names:
            x, y = fa[n][...], fb[n][...]
            if x.shape != y.shape or not np.array_equal(x, y, equal_nan=True):
                fail(f"{n} differs between {a} and {b}")
    print(f"ok: {a} and {b} hold the same results, bit for bit ({len(names)} datasets)")


def partial(path):
    with h5py.File(path, "r") as f:
        done = f["results/done"][...]
        key = f["results/key"][...]
        n = int(done.sum())
        if not 0 < n < done.size:
            fail(f"{path}: {n} of {done.size} pairs done; expected some but not all")
        # Exactly the pairs marked done have results.
        has = ~np.isnan(key).any(axis=2)
        if not np.array_equal(has, done.astype(bool)):
            fail(f"{path}: results and done flags disagree")
        print(f"ok: {path} holds {n} of {done.size} pairs, flags and results agree")


if __name__ == "__main__":
    cmd = sys.argv[1]
    if cmd == "layout":
        layout(sys.argv[2], sys.argv[3])
    elif cmd == "same":
        same(sys.argv[2], sys.argv[3])
    elif cmd == "partial":
        partial(sys.argv[2])
    else:
        fail("unknown check " + cmd)
