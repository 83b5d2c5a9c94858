"""Open tuopin result files as a user would (docs/outputs.md) and check what they promise.

Usage: check_result_file.py BASELINE.h5 [MEASURES.h5 [UNCERTAIN.h5]]: the baseline of
tests/data/small.toml (every measure off), optionally the same run with every measure on, and that
run with uncertain parameters drawn per replicate (--uncertain) and income.wage_growth held."""
import sys

import h5py
import numpy as np
import xarray as xr

path = sys.argv[1]
measures_path = sys.argv[2] if len(sys.argv) > 2 else None
uncertain_path = sys.argv[3] if len(sys.argv) > 3 else None
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
    for key in ["version", "git_commit", "seed", "replicates", "threads", "wall_time_seconds", "host", "created",
                "instruction_set"]:
        check(key in meta.attrs, "meta attribute " + key)
    check(int(meta.attrs["replicates"]) == 3, "replicates recorded")
    text = meta["scenario_text"][()].decode()
    resolved = meta["scenario_resolved"][()].decode()
    check('inherits = "anqing-baseline.toml"' in text, "scenario as written")
    check("poor_people = 10000" in resolved and "inherits" not in resolved, "resolved scenario")
    check("replicates = 3" in resolved, "command-line override recorded")


# The target (/target): the county exit criteria across replicates, and each poor village's exit.
tg = xr.open_dataset(path, engine="h5netcdf", group="target")
root = xr.open_dataset(path, engine="h5netcdf")
check(tg["exit_probability"].dims == ("county",), "target: exit_probability dims")
check(tg["first_exit_year"].dims == ("replicate", "county"), "target: first_exit_year dims")
check(tg["comprehensive_incidence"].dims == ("replicate", "year", "county"), "target: incidence dims")
check(list(tg["criterion"].values) == ["incidence", "wrong_exit", "missed", "villages", "approval"], "target: criteria")
exited_last = root["county_exited"].isel(year=-1)
check(np.allclose(tg["exit_probability"].values, (exited_last > 0).mean("replicate").values),
      "target: probability is the share of replicates exited in the last year")
first = tg["first_exit_year"].values
check(bool(((first == 0) | ((first >= 2016) & (first <= 2018))).all()), "target: first exit years in the window")
check(np.array_equal((first > 0), exited_last.values > 0), "target: a first year exactly where the county exited")
inc = (root["poor_end_people"] + root["wrongly_exited_people"] + root["missed_poor_people"]) / root["rural_people"]
check(np.allclose(tg["comprehensive_incidence"].values, inc.values), "target: comprehensive incidence definition")
check(bool((tg["wrong_exit_rate"] >= 0).all() and (tg["wrong_exit_rate"] <= 1).all()), "target: wrong-exit rate in [0, 1]")
check(tg.attrs["last_year"] == 2018, "target: last year")
check(0 <= float(tg.attrs["all_poverty_counties_probability"]) <= 1, "target: city probability")
v = tg["poor_end_people"]
check(bool((v.sel(statistic="p05") <= v.sel(statistic="p95")).all()), "target: poor_end_people p05 <= p95")
reentries = root["reentry_people"].sum("year").mean("replicate")
check(np.allclose(tg["reentry_people"].sel(statistic="mean").values, reentries.values), "target: re-entries mean")
falls = (root["reentry_people"] + root["new_poor_people"]).sum()
causes = sum(root[n].sum() for n in ["fall_illness_people", "fall_disaster_people", "fall_job_loss_people",
                                     "fall_measure_ended_people", "fall_relocation_return_people",
                                     "fall_price_fall_people", "fall_wrong_exit_people", "fall_no_event_people"])
check(float(causes) >= float(falls), "falls: every fall has at least one cause")
root.close()
tg.close()
vg = xr.open_dataset(path, engine="h5netcdf", group="villages")
check(vg["exit_year"].dims == ("replicate", "village"), "villages: exit_year dims")
ey = vg["exit_year"].values
check(bool(((ey == 0) | ((ey >= 2016) & (ey <= 2018))).all()), "villages: exit years in the window")
vg.close()

# The measures' tables (money in yuan, float64: integer fen / 100 in the model).
MEASURES = ["safety_net", "industry", "employment", "asset_income", "education_aid", "health", "relocation",
            "housing_renovation", "photovoltaic", "microcredit", "agri_insurance", "collective_economy",
            "cadre_pairing"]
SOURCES = ["central_special", "provincial_special", "municipal_special", "county_revenue",
           "integrated_agri", "hardship_fund", "social_help", "relocation_fund", "pv_fund", "entitlement"]


def fen(values):
    """Yuan values back to integer fen (exact for the amounts of a run)."""
    return np.round(np.asarray(values) * 100).astype(np.int64)


def check_measures(p, label):
    ds = xr.open_dataset(p, engine="h5netcdf")
    check(list(ds["measure"].values) == MEASURES, label + ": measure labels")
    check(list(ds["measure_name_zh"].values)[:2] == ["社会保障兜底", "产业扶贫"], label + ": measure Chinese names")
    check(ds["measure_name_zh"].dims == ("measure",), label + ": measure_name_zh along measure")
    check(list(ds["source"].values) == SOURCES, label + ": source labels")
    check(ds["source_name_zh"].dims == ("source",) and ds.sizes["source"] == 10, label + ": source_name_zh")
    check(list(ds["pool"].values) == SOURCES[:-1], label + ": pool labels")
    check(ds["measure"].attrs["long_name"] == "poverty-alleviation measure", label + ": measure long_name")
    check(ds["spending"].dims == ("replicate", "year", "county", "measure", "source"), label + ": spending dims")
    check(ds["spending"].dtype == np.float64 and ds["spending"].attrs["units"] == "yuan", label + ": spending yuan")
    for name in ["beneficiary_households", "beneficiary_people"]:
        check(ds[name].dims == ("replicate", "year", "county", "measure"), label + ": " + name + " dims")
        check(ds[name].dtype == np.int64, label + ": " + name + " int64")
    for name in ["pool_available", "pool_spent"]:
        check(ds[name].dims == ("replicate", "year", "county", "pool"), label + ": " + name + " dims")
    check(bool((ds["pool_spent"] <= ds["pool_available"]).all()), label + ": pool_spent <= pool_available")
    check(bool((ds["spending"] >= 0).all()), label + ": spending >= 0")
    # Sums are exact in fen: the file's totals equal the sums of its parts to the fen.
    total = ds["spending"].sum(["county", "measure", "source"])
    check(np.array_equal(fen(total), fen(ds["city_spending_total"])), label + ": city_spending_total = sum of spending")
    by_measure = ds["spending"].sum(["county", "source"])
    check(ds["city_spending"].dims == ("replicate", "year", "measure"), label + ": city_spending dims")
    check(np.array_equal(fen(by_measure), fen(ds["city_spending"])), label + ": city_spending = sum of spending")
    # Every pool's spending is the measures' spending from that source.
    from_pools = ds["spending"].isel(source=slice(0, len(SOURCES) - 1)).sum("measure").values
    check(np.array_equal(fen(from_pools), fen(ds["pool_spent"])), label + ": pool_spent = spending from the pool")
    exits = ds["city_exit_people"].values
    expected = np.where(exits > 0, ds["city_spending_total"].values / np.maximum(exits, 1), np.nan)
    check(np.allclose(ds["cost_per_exit"].values, expected, equal_nan=True), label + ": cost_per_exit")
    check(ds["cost_per_exit"].attrs["units"] == "yuan/person", label + ": cost_per_exit units")
    for name in ["health_cost_yuan", "health_paid_yuan"]:
        check(ds[name].dims == ("replicate", "year", "county"), label + ": " + name + " dims")
        check(np.array_equal(ds[name].sum("county").values, ds["city_" + name].values), label + ": city_" + name)
    sm = xr.open_dataset(p, engine="h5netcdf", group="summary")
    check(sm["city_spending"].dims == ("statistic", "year", "measure"), label + ": summary city_spending dims")
    check(sm["city_beneficiary_households"].dims == ("statistic", "year", "measure"),
          label + ": summary city_beneficiary_households dims")
    check(np.allclose(sm["city_spending_total"].sel(statistic="mean").values,
                      ds["city_spending_total"].mean("replicate").values), label + ": summary spending mean")
    check(np.allclose(sm["city_beneficiary_households"].sel(statistic="mean").values,
                      ds["beneficiary_households"].sum("county").mean("replicate").values),
          label + ": summary beneficiaries mean")
    check(np.allclose(sm["cost_per_exit"].sel(statistic="mean").values,
                      ds["cost_per_exit"].mean("replicate").values, equal_nan=True), label + ": summary cost_per_exit")
    sm.close()
    return ds


ds = check_measures(path, "baseline")
check(float(np.abs(ds["spending"]).max()) == 0, "baseline: no spending with every measure off")
check(float(ds["city_spending_total"].max()) == 0, "baseline: no total spending")
check(int(ds["beneficiary_households"].max()) == 0, "baseline: no beneficiaries")
ds.close()

if measures_path:
    ds = check_measures(measures_path, "measures on")
    industry = ds["spending"].sel(year=2016, measure="industry")
    check(bool((industry.sum(["county", "source"]) > 0).all()), "measures on: industry spending in 2016")
    check(bool((ds["city_spending_total"] > 0).all()), "measures on: spending every year")
    reached = ds["beneficiary_households"].sum(["replicate", "year", "county"])
    check(bool((reached > 0).all()), "measures on: every measure reaches someone")
    check(bool((ds["beneficiary_people"] >= ds["beneficiary_households"]).all()), "measures on: people >= households")
    check(float(ds["pool_available"].sum()) > 0, "measures on: pools hold money")
    ds.close()

# Uncertain parameters: /uncertainty only when they are drawn; every value in its range, a held
# one at the scenario's value in every replicate, a drawn one different in each.
with h5py.File(path, "r") as f:
    check("uncertainty" not in f, "baseline: no /uncertainty without uncertain parameters")
if uncertain_path:
    u = xr.open_dataset(uncertain_path, engine="h5netcdf", group="uncertainty")
    check(u["value"].dims == ("replicate", "parameter"), "uncertainty: value dims")
    check(list(u["replicate"].values) == [0, 1, 2], "uncertainty: replicate indices")
    for name in ["low", "high", "held", "unit"]:
        check(u[name].dims == ("parameter",), "uncertainty: " + name + " along parameter")
    names = list(u["parameter"].values)
    check("shocks.illness_rate" in names and "measures.industry.success_rate" in names, "uncertainty: parameter names")
    check(not any(n.startswith("population.") for n in names), "uncertainty: no synthesis key")
    value = u["value"]
    check(bool(((value >= u["low"]) & (value <= u["high"])).all()), "uncertainty: values inside their ranges")
    held = u["held"].values.astype(bool)
    check(names[int(np.argmax(held))] == "income.wage_growth" and held.sum() == 1, "uncertainty: the held parameter")
    check(np.allclose(value.sel(parameter="income.wage_growth").values, 0.08), "uncertainty: held at its value")
    drawn = value.isel(parameter=np.flatnonzero(~held))
    reals = [n for n in drawn["parameter"].values if n != "shocks.illness_work_months"]
    spread = drawn.sel(parameter=reals).max("replicate") - drawn.sel(parameter=reals).min("replicate")
    check(bool((spread > 0).all()), "uncertainty: drawn values differ across replicates")
    u.close()
    with h5py.File(uncertain_path, "r") as f:
        check("parameters = true" in f["meta"]["scenario_resolved"][()].decode(), "uncertainty: the switch is resolved")
    ds = check_measures(uncertain_path, "uncertain")
    ds.close()

print(f"{checks} passed, 0 failed")
