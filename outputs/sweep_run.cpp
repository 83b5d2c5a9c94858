#include "sweep_run.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <iomanip>
#include <limits>
#include <numeric>
#include <sstream>

#include <tbb/parallel_for.h>
#include <tbb/task_arena.h>

#include "summary.h"

namespace tuopin {

std::size_t run_sweep_pairs(SweepFile* file, std::size_t pairs, int replicates, std::size_t width,
                            const SweepEvaluator& evaluate, SweepRanks& ranks, const SweepRunOptions& options) {
  // Rank 0 lists the pairs to run; every rank learns the list.
  std::vector<std::uint64_t> todo;
  std::size_t done_before = 0;
  if (ranks.rank() == 0) {
    const std::vector<std::uint8_t> done = file->done();
    for (std::size_t p = 0; p < done.size(); ++p) {
      if (done[p]) ++done_before;
      else todo.push_back(p);
    }
  }
  ranks.broadcast(todo);
  const std::size_t per_rank = std::max<std::size_t>(options.pairs_per_rank, 1);
  const std::size_t batch = per_rank * static_cast<std::size_t>(ranks.size());
  std::size_t written = 0;
  for (std::size_t start = 0; start < todo.size(); start += batch) {
    const bool stop = ranks.any(options.stop && options.stop->load());
    if (stop) break;
    // This rank's consecutive share of the batch; rows of pairs past the end stay NaN (padding).
    const std::size_t mine = start + static_cast<std::size_t>(ranks.rank()) * per_rank;
    std::vector<double> rows(per_rank * width, std::numeric_limits<double>::quiet_NaN());
    const std::size_t count = mine < todo.size() ? std::min(per_rank, todo.size() - mine) : 0;
    tbb::parallel_for(std::size_t{0}, count, [&](std::size_t i) {
      const std::size_t pair = todo[mine + i];
      // A thread waiting inside one pair's simulation takes no other pair's work.
      tbb::this_task_arena::isolate([&] {
        const std::vector<double> row =
            evaluate(pair / static_cast<std::size_t>(replicates), static_cast<int>(pair % static_cast<std::size_t>(replicates)));
        if (row.size() != width) throw std::logic_error("sweep evaluator: a row of the wrong width");
        std::copy(row.begin(), row.end(), rows.begin() + static_cast<std::ptrdiff_t>(i * width));
      });
    });
    const std::vector<double> all = ranks.gather(rows);
    if (ranks.rank() != 0) continue;
    // Write the batch in runs of consecutive pairs.
    const std::size_t n = std::min(batch, todo.size() - start);
    std::size_t a = 0;
    while (a < n) {
      std::size_t b = a + 1;
      while (b < n && todo[start + b] == todo[start + b - 1] + 1) ++b;
      std::vector<double> run(all.begin() + static_cast<std::ptrdiff_t>(a * width),
                              all.begin() + static_cast<std::ptrdiff_t>(b * width));
      file->write(todo[start + a], b - a, run);
      a = b;
    }
    written += n;
    if (options.progress) options.progress(done_before + written, pairs, done_before);
  }
  return ranks.rank() == 0 ? todo.size() - written : 0;
}

namespace {

// Average ranks (ties share their mean rank).
std::vector<double> ranks_of(const std::vector<double>& x) {
  std::vector<std::size_t> order(x.size());
  std::iota(order.begin(), order.end(), 0);
  std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) { return x[a] < x[b]; });
  std::vector<double> r(x.size());
  for (std::size_t i = 0; i < order.size();) {
    std::size_t j = i;
    while (j + 1 < order.size() && x[order[j + 1]] == x[order[i]]) ++j;
    const double mean = 0.5 * static_cast<double>(i + j) + 1.0;
    for (std::size_t k = i; k <= j; ++k) r[order[k]] = mean;
    i = j + 1;
  }
  return r;
}

double correlation(const std::vector<double>& a, const std::vector<double>& b) {
  const double n = static_cast<double>(a.size());
  if (a.size() < 2) return std::numeric_limits<double>::quiet_NaN();
  const double ma = std::accumulate(a.begin(), a.end(), 0.0) / n, mb = std::accumulate(b.begin(), b.end(), 0.0) / n;
  double sab = 0, saa = 0, sbb = 0;
  for (std::size_t i = 0; i < a.size(); ++i) {
    sab += (a[i] - ma) * (b[i] - mb);
    saa += (a[i] - ma) * (a[i] - ma);
    sbb += (b[i] - mb) * (b[i] - mb);
  }
  return saa > 0 && sbb > 0 ? sab / std::sqrt(saa * sbb) : std::numeric_limits<double>::quiet_NaN();
}

}  // namespace

SweepSensitivity sweep_sensitivity(const SweepSpec& spec, const Design& design, const SweepOutputs& outputs,
                                   const std::vector<double>& results) {
  SweepSensitivity s;
  for (const auto& r : outputs.results) {
    s.results.push_back(r.name);
    s.units.push_back(r.units);
  }
  for (const auto& p : spec.parameters) s.parameters.push_back(p.key);
  const std::size_t P = design.points(), R = static_cast<std::size_t>(spec.replicates), K = outputs.results.size();
  const std::size_t D = spec.parameters.size();
  std::vector<std::vector<double>> x(D, std::vector<double>(P));
  for (std::size_t i = 0; i < P; ++i)
    for (std::size_t d = 0; d < D; ++d) x[d][i] = spec.parameters[d].value_number(design.at(i, d));
  std::vector<std::vector<double>> xr;
  for (const auto& col : x) xr.push_back(ranks_of(col));
  for (std::size_t k = 0; k < K; ++k) {
    std::vector<double> y(P, 0.0);
    for (std::size_t i = 0; i < P; ++i) {
      for (std::size_t r = 0; r < R; ++r) y[i] += results[(i * R + r) * K + k];
      y[i] /= static_cast<double>(R);
    }
    // Each result's indices from their own bootstrap stream (seed + result index).
    const auto seed = static_cast<std::uint32_t>(spec.design.seed + k);
    if (spec.design.kind == DesignKind::sobol)
      s.sobol.push_back(sobol_indices(y, design.samples, D, spec.bootstrap, spec.confidence, seed));
    if (spec.design.kind == DesignKind::morris)
      s.morris.push_back(morris_indices(design, y, spec.bootstrap, spec.confidence, seed));
    const std::vector<double> yr = ranks_of(y);
    std::vector<double> rc;
    for (std::size_t d = 0; d < D; ++d) rc.push_back(correlation(xr[d], yr));
    s.rank_correlation.push_back(rc);
    std::vector<double> sorted = y;
    std::sort(sorted.begin(), sorted.end());
    const double median = sorted.empty() ? 0
                          : sorted.size() % 2 ? sorted[sorted.size() / 2]
                                              : 0.5 * (sorted[sorted.size() / 2 - 1] + sorted[sorted.size() / 2]);
    s.spread.push_back({sorted.empty() ? 0 : sorted.front(), median, sorted.empty() ? 0 : sorted.back()});
  }
  return s;
}

namespace {

std::string fixed(double v, int digits) {
  if (!std::isfinite(v)) return "n/a";
  std::ostringstream o;
  o << std::fixed << std::setprecision(digits) << v;
  return o.str();
}

std::string number(double v) {
  if (!std::isfinite(v)) return "n/a";
  std::ostringstream o;
  const double a = std::fabs(v);
  o << std::fixed << std::setprecision(a >= 100 ? 0 : a >= 1 ? 2 : 4) << v;
  return o.str();
}

}  // namespace

void print_sensitivity(std::ostream& out, const SweepSpec& spec, const SweepSensitivity& s) {
  const std::size_t D = s.parameters.size();
  const int pct = static_cast<int>(std::lround(spec.confidence * 100));
  // The results researchers ask about first; the file holds every key result's indices.
  const std::vector<std::string> printed = {"exit_people", "reentry_people", "poor_end_people", "cost_per_exit"};
  for (std::size_t k = 0; k < s.results.size(); ++k) {
    if (std::find(printed.begin(), printed.end(), s.results[k]) == printed.end()) continue;
    out << "\n" << s.results[k] << " (" << s.units[k] << "): over the points min " << number(s.spread[k][0])
        << ", median " << number(s.spread[k][1]) << ", max " << number(s.spread[k][2]) << "\n";
    if (s.spread[k][0] == s.spread[k][2]) {
      out << "It does not vary over the points: no index is defined.\n";
      continue;
    }
    std::vector<std::size_t> order(D);
    std::iota(order.begin(), order.end(), 0);
    auto importance = [&](std::size_t d) {
      double v = 0;
      if (!s.sobol.empty()) v = s.sobol[k].total[d].value;
      else if (!s.morris.empty()) v = s.morris[k].mu_star[d];
      else v = std::fabs(s.rank_correlation[k][d]);
      return std::isfinite(v) ? v : -1.0;
    };
    std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) { return importance(a) > importance(b); });
    std::vector<std::vector<std::string>> rows;
    if (!s.sobol.empty()) {
      rows.push_back({"parameter", "first order S1 [" + std::to_string(pct) + "% CI]",
                      "total ST [" + std::to_string(pct) + "% CI]", "rank corr."});
      for (std::size_t d : order) {
        const Estimate& f = s.sobol[k].first[d];
        const Estimate& t = s.sobol[k].total[d];
        rows.push_back({s.parameters[d], fixed(f.value, 3) + " [" + fixed(f.low, 3) + ", " + fixed(f.high, 3) + "]",
                        fixed(t.value, 3) + " [" + fixed(t.low, 3) + ", " + fixed(t.high, 3) + "]",
                        fixed(s.rank_correlation[k][d], 2)});
      }
    } else if (!s.morris.empty()) {
      rows.push_back({"parameter", "mu* [" + std::to_string(pct) + "% CI]", "mu", "sigma", "rank corr."});
      for (std::size_t d : order) {
        const MorrisIndices& m = s.morris[k];
        rows.push_back({s.parameters[d],
                        number(m.mu_star[d]) + " [" + number(m.mu_star_ci[d].low) + ", " + number(m.mu_star_ci[d].high) + "]",
                        number(m.mu[d]), number(m.sigma[d]), fixed(s.rank_correlation[k][d], 2)});
      }
    } else {
      rows.push_back({"parameter", "Spearman rank correlation"});
      for (std::size_t d : order) rows.push_back({s.parameters[d], fixed(s.rank_correlation[k][d], 2)});
    }
    print_table(out, rows, true);
  }
  out << "\nThe indices of the other key results (" << s.results.size() - printed.size()
      << ") are in the file's /sensitivity group.\n";
  if (!s.sobol.empty())
    out << "\nS1: the share of the result's variance a parameter explains alone; ST: the share that involves it, "
           "interactions included (docs/sweeps.md).\n";
  if (!s.morris.empty())
    out << "\nmu*: the mean absolute change of the result when the parameter moves across its whole range (result "
           "units); sigma: how much that change depends on the other parameters (docs/sweeps.md).\n";
}

}  // namespace tuopin
