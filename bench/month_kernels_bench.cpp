// Times the month loop's kernels (model/month_kernels.h, income_process.h) on one thread at
// each version this processor has (x86-64 baseline, x86-64-v3, x86-64-v3 with AVX-512F), in
// thread CPU time, the versions alternating within each repeat so that a machine shared with
// other work slows them alike. `make bench-kernels` runs it; docs/performance.md records it.
#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <ctime>
#include <string>
#include <vector>

#include "income_process.h"
#include "month_kernels.h"
#include "random.h"

using namespace tuopin;

namespace {

double cpu_seconds() {
  timespec t{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
  return static_cast<double>(t.tv_sec) + 1e-9 * static_cast<double>(t.tv_nsec);
}

struct Level {
  const char* name;
  bool wide, avx512;
};

}  // namespace

int main(int argc, char** argv) {
  const std::size_t households = argc > 1 ? std::stoul(argv[1]) : 1'000'000;
  const int repeats = argc > 2 ? std::stoi(argv[2]) : 5;
  constexpr std::size_t block = 256;
  const RandomKey key{20160101, 0};
  const Level levels[] = {{"x86-64 baseline", false, false}, {"x86-64-v3", true, false}, {"x86-64-v3 + AVX-512F", true, true}};
  alignas(64) float z[4][block];
  alignas(64) std::uint32_t w0[block], w1[block];
  alignas(64) std::uint8_t at[block];
  for (std::size_t j = 0; j < block; ++j) at[j] = static_cast<std::uint8_t>(j);
  struct Kernel {
    const char* name;
    std::vector<double> seconds[3];
  };
  Kernel kernels[] = {{"income normals (4 per household-month)", {}}, {"income (2 expf per household-month)", {}},
                      {"illness words (1 per household-month)", {}}, {"listed words (every household listed)", {}}};
  // Columns for the income kernel: a modest population's values, every household employed.
  std::vector<float> wage_dev(households, 0.1f), op_dev(households, -0.1f), base(households, 8000.0f);
  std::vector<float> ones(households, 1.0f), zeros(households, 0.0f), wage_month(households), operating_year(households),
      year_income(households);
  std::vector<std::uint8_t> no(households, 0);
  std::uint64_t sink = 0;
  for (int r = 0; r < repeats; ++r)
    for (int l = 0; l < 3; ++l) {
      use_wide_month_kernels(levels[l].wide, levels[l].avx512);
      if (l > 0 && std::string(month_kernel_level()) == "x86-64 (baseline)") continue;
      if (l == 2 && std::string(month_kernel_level()).find("AVX-512") == std::string::npos) continue;
      double t0 = cpu_seconds();
      for (std::size_t b = 0; b < households; b += block)
        income_normals(key, static_cast<std::uint32_t>(b), std::min(block, households - b), 3, z[0], z[1], z[2], z[3]);
      sink += static_cast<std::uint64_t>(z[0][0] * 1000);
      double t1 = cpu_seconds();
      kernels[0].seconds[l].push_back(t1 - t0);
      for (std::size_t b = 0; b < households; b += block) {
        IncomeMonth a{};
        a.persistence = 0.8f;
        a.persistent_sd = 0.15f;
        a.wage_sd = 0.3f;
        a.operating_sd = 0.4f;
        a.gw = a.go = 1.0f / 12;
        a.illness_factor = 0.5f;
        a.month = 3;
        a.wage_dev = wage_dev.data() + b;
        a.op_dev = op_dev.data() + b;
        a.base_wage = a.base_operating = a.base_transfer = a.base_property = base.data() + b;
        a.illness_left = a.job_lost = no.data() + b;
        a.wage_factor = a.operating_factor = ones.data() + b;
        a.benefit = a.extra = zeros.data() + b;
        a.z0 = z[0];
        a.z1 = z[1];
        a.z2 = z[2];
        a.z3 = z[3];
        a.wage_month = wage_month.data() + b;
        a.operating_year = operating_year.data() + b;
        a.year_income = year_income.data() + b;
        income_month(a, std::min(block, households - b));
      }
      sink += static_cast<std::uint64_t>(year_income[0]);
      t0 = cpu_seconds();
      kernels[1].seconds[l].push_back(t0 - t1);
      for (std::size_t b = 0; b < households; b += block)
        block_words(key, static_cast<std::uint32_t>(b), std::min(block, households - b), Stream::illness, 3, w0);
      sink += w0[0];
      t1 = cpu_seconds();
      kernels[2].seconds[l].push_back(t1 - t0);
      for (std::size_t b = 0; b < households; b += block)
        listed_words(key, static_cast<std::uint32_t>(b), at, std::min(block, households - b), Stream::housing, 3, w0, w1);
      sink += w1[0];
      kernels[3].seconds[l].push_back(cpu_seconds() - t1);
    }
  use_wide_month_kernels(true, true);
  std::printf("month kernels, %zu households, one month, one thread, median of %d (thread CPU time); this "
              "processor: %s\n",
              households, repeats, month_kernel_level());
  std::printf("%-42s %-28s %14s\n", "kernel", "version", "ns/household");
  for (auto& k : kernels)
    for (int l = 0; l < 3; ++l) {
      auto& v = k.seconds[l];
      if (v.empty()) continue;
      std::sort(v.begin(), v.end());
      std::printf("%-42s %-28s %14.2f\n", k.name, levels[l].name, 1e9 * v[v.size() / 2] / static_cast<double>(households));
    }
  return sink == 42 ? 1 : 0;  // keeps the work from being optimised away
}
