#pragma once
// A progress bar on stderr, drawn only when stderr is a terminal; with `eta`, the time left
// estimated from the rate so far ("3 min 12 s left").
#include <chrono>
#include <cstdio>
#include <string>

namespace tuopin::cli {

class ProgressBar {
 public:
  explicit ProgressBar(bool enabled, bool eta = false)
      : enabled_(enabled), eta_(eta), start_(std::chrono::steady_clock::now()) {}
  // `done` of `total`; with eta, `done_before` is what was already done when this run began.
  void update(double done, double total, double done_before = 0) {
    if (!enabled_) return;
    const int width = 40;
    const double f = total > 0 ? done / total : 1.0;
    const int filled = static_cast<int>(f * width + 0.5);
    std::string tail;
    if (eta_) {
      const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
      const double rate = seconds > 0 ? (done - done_before) / seconds : 0;
      tail = " " + std::to_string(static_cast<long long>(done)) + "/" + std::to_string(static_cast<long long>(total));
      if (rate > 0 && done < total) {
        const long left = static_cast<long>((total - done) / rate + 0.5);
        tail += left >= 60 ? ", " + std::to_string(left / 60) + " min " + std::to_string(left % 60) + " s left"
                           : ", " + std::to_string(left) + " s left";
      }
    }
    std::fprintf(stderr, "\r[%.*s%*s] %3d%%%s   ", filled, "========================================", width - filled,
                 "", static_cast<int>(f * 100 + 0.5), tail.c_str());
    std::fflush(stderr);
  }
  void finish() {
    if (enabled_) std::fprintf(stderr, "\r%90s\r", "");
  }

 private:
  bool enabled_, eta_;
  std::chrono::steady_clock::time_point start_;
};

}  // namespace tuopin::cli
