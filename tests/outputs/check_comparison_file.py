"""Open a comparison file of tuopin run A B (docs/outputs.md) with xarray as a user would.

Usage: check_comparison_file.py CMP.h5 A.h5: the comparison file of two scenarios, and the
first scenario run alone with the same seed and replicates."""
import sys

import numpy as np
import xarray as xr

cmp_path, alone_path = sys.argv[1], sys.argv[2]
checks = 0


def check(condition, message):
    global checks
    if not condition:
        print("FAILED:", message)
        sys.exit(1)
    checks += 1


root = xr.open_dataset(cmp_path, engine="h5netcdf")
names = list(root["scenario"].values)
check(len(names) == 2, "two scenarios")
check(root["scenario_description"].dims == ("scenario",), "descriptions along the scenario dimension")
check(all("[window]" in t for t in root["scenario_resolved"].values), "resolved scenarios")
root.close()

c = xr.open_dataset(cmp_path, engine="h5netcdf", group="compare")
check(c["city_exit_people"].dims == ("scenario", "replicate", "year"), "compare: (scenario, replicate, year)")
check(c["exit_probability"].dims == ("scenario", "county"), "compare: exit probability (scenario, county)")
diff = c["city_poor_end_people"] - c["city_poor_end_people"].sel(scenario=names[0])
check(bool((diff.sel(scenario=names[0]) == 0).all()), "paired difference of the baseline with itself is 0")

first = xr.open_dataset(cmp_path, engine="h5netcdf", group="scenarios/" + names[0])
alone = xr.open_dataset(alone_path, engine="h5netcdf")
check(np.array_equal(first["exit_people"].values, alone["exit_people"].values),
      "a scenario of the comparison equals its run alone")
check(np.array_equal(c["city_exit_people"].sel(scenario=names[0]).values, alone["city_exit_people"].values),
      "/compare holds the scenario's city totals")
first.close()
alone.close()
c.close()
print(f"{checks} passed, 0 failed")
