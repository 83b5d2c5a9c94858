"""The tables of `tuopin export --csv DIR` read as a user would: pandas with encoding="utf-8-sig"
(and the csv module), their numbers equal to the result file's.

Usage: check_csv_export.py DIR RESULT.h5   (RESULT.h5 the comparison or result file exported)
"""
import csv
import sys
from pathlib import Path

import h5py
import numpy as np
import pandas as pd

folder, path = Path(sys.argv[1]), sys.argv[2]

with h5py.File(path, "r") as f:
    if "scenarios" in f:
        groups = {name: f"scenarios/{name}" for name in f["scenario"].asstr()[()]}
    else:
        groups = {Path(f["meta"].attrs["scenario_name"]).stem: ""}

    def get(scenario, name):
        g = groups[scenario]
        return f[f"{g}/{name}" if g else name][()]

    # Every file starts with a BOM; the csv module, with utf-8-sig, reads rectangular rows.
    for table in sorted(folder.glob("*.csv")):
        assert table.read_bytes()[:3] == b"\xef\xbb\xbf", table
        with open(table, encoding="utf-8-sig", newline="") as fh:
            rows = list(csv.reader(fh))
        assert rows and rows[0][0] == "scenario", (table, rows[0][:3])
        assert all(len(r) == len(rows[0]) for r in rows), table

    reg = pd.read_csv(folder / "registry.csv", encoding="utf-8-sig")
    assert list(reg.columns[:5]) == ["scenario", "replicate", "year", "county", "county_zh"], reg.columns[:5]
    assert reg["exit_people"].dtype.kind == "i", reg["exit_people"].dtype
    assert "岳西县" in set(reg["county_zh"]), set(reg["county_zh"])
    assert list(reg["scenario"].drop_duplicates()) == list(groups), (list(groups), reg["scenario"].unique())
    for scenario in groups:
        part = reg[reg["scenario"] == scenario]
        R, Y, C = get(scenario, "exit_people").shape
        assert len(part) == R * Y * C, (scenario, len(part))
        for name in ("exit_people", "poor_end_people", "reentry_people", "income_poor_yuan", "county_exited"):
            h5 = get(scenario, name)
            assert part[name].sum() == h5.sum(), (scenario, name, part[name].sum(), h5.sum())
            assert (part[name].to_numpy().reshape(R, Y, C) == h5).all(), (scenario, name)
        inc = get(scenario, "target/comprehensive_incidence")
        assert np.allclose(part["comprehensive_incidence"].to_numpy().reshape(R, Y, C), inc, rtol=1e-9, atol=1e-10)

    city = pd.read_csv(folder / "city.csv", encoding="utf-8-sig")
    spending = pd.read_csv(folder / "spending.csv", encoding="utf-8-sig")
    for scenario in groups:
        part = city[city["scenario"] == scenario]
        assert (part["city_exit_people"].to_numpy() == get(scenario, "city_exit_people").ravel()).all()
        total = get(scenario, "city_spending_total")
        assert np.allclose(part["city_spending_total"].to_numpy(), total.ravel(), atol=0.005)
        spent = spending.loc[spending["scenario"] == scenario, "yuan"].sum()
        assert abs(spent - total.sum()) < 0.01 * max(1, len(spending)), (scenario, spent, total.sum())

    target = pd.read_csv(folder / "target.csv", encoding="utf-8-sig")
    for scenario in groups:
        part = target[target["scenario"] == scenario]
        assert np.allclose(part["exit_probability"].to_numpy(), get(scenario, "target/exit_probability"))
        assert np.allclose(part["poor_end_people_mean"].to_numpy(), get(scenario, "target/poor_end_people")[0])

    scenarios = pd.read_csv(folder / "scenarios.csv", encoding="utf-8-sig")
    assert list(scenarios["scenario"]) == list(groups)

print(f"{folder}: every table reads with pandas (utf-8-sig); registry, city, spending and target match {path}")
