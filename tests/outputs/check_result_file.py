"""Open a tuopin result file as a user would (docs/outputs.md) and check what it promises."""
import sys

import h5py
import numpy as np
import xarray as xr

path = sys.argv[1]
checks = 0


def check(condition, message):
    global checks
    if not condition:
        print("FAILED:", message)
        sys.exit(1)
    checks += 1


# Root: per-replicate series with labelled dimensions.
ds = xr.open_dataset(path, engine="h5netcdf")
check(ds["exit_people"].dims == ("replicate", "year", "county"), "exit_people dims")
check(list(ds["year"].values) == [2016, 2017, 2018], "years")
check(ds.sizes["replicate"] == 3, "replicates")
check("Yuexi" in list(ds["county"].values), "county labels")
check(ds["exit_people"].attrs["units"] == "persons", "units attribute")
check(ds["exit_people"].attrs["long_name_zh"] == "脱贫人口", "Chinese long name")
check(ds["city_exit_people"].dims == ("replicate", "year"), "city totals dims")
check(np.array_equal(ds["exit_people"].sum("county").values, ds["city_exit_people"].values),
      "city totals are sums over counties")
stock = ds["city_poor_start_people"] - ds["city_exit_people"] + ds["city_reentry_people"] + ds["city_new_poor_people"]
check(np.array_equal(stock.values, ds["city_poor_end_people"].values), "stock-flow identity")
check(float(ds["incidence"].sel(year=2016).mean()) > 0, "incidence positive")
ds.close()

# Summaries across replicates.
sm = xr.open_dataset(path, engine="h5netcdf", group="summary")
check(list(sm["statistic"].values) == ["mean", "p05", "p50", "p95"], "statistics")
for name in ["exit_people", "city_poor_end_people", "incidence"]:
    v = sm[name]
    check(bool((v.sel(statistic="p05") <= v.sel(statistic="p50")).all()), name + " p05 <= p50")
    check(bool((v.sel(statistic="p50") <= v.sel(statistic="p95")).all()), name + " p50 <= p95")
root = xr.open_dataset(path, engine="h5netcdf")
check(np.allclose(sm["city_exit_people"].sel(statistic="mean").values,
                  root["city_exit_people"].mean("replicate").values), "mean matches replicates")
root.close()
sm.close()

# Metadata: enough to reproduce the run.
with h5py.File(path, "r") as f:
    meta = f["meta"]
    for key in ["version", "git_commit", "seed", "replicates", "threads", "wall_time_seconds", "host", "created"]:
        check(key in meta.attrs, "meta attribute " + key)
    check(int(meta.attrs["replicates"]) == 3, "replicates recorded")
    text = meta["scenario_text"][()].decode()
    resolved = meta["scenario_resolved"][()].decode()
    check('inherits = "anqing-baseline.toml"' in text, "scenario as written")
    check("poor_people = 10000" in resolved and "inherits" not in resolved, "resolved scenario")
    check("replicates = 3" in resolved, "command-line override recorded")

print(f"{checks} passed, 0 failed")
