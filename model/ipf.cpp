#include "ipf.h"

#include <cmath>
#include <stdexcept>
#include <string>

namespace tuopin {

Table::Table(std::vector<int> sizes) : sizes_(std::move(sizes)) {
  strides_.assign(sizes_.size(), 1);
  std::size_t n = 1;
  for (int d = static_cast<int>(sizes_.size()) - 1; d >= 0; --d) {
    strides_[d] = n;
    n *= static_cast<std::size_t>(sizes_[d]);
  }
  values = Eigen::ArrayXd::Ones(static_cast<Eigen::Index>(n));
}

std::size_t Table::index(const std::vector<int>& c) const {
  std::size_t i = 0;
  for (std::size_t d = 0; d < sizes_.size(); ++d) i += strides_[d] * static_cast<std::size_t>(c[d]);
  return i;
}

int Table::coordinate(std::size_t cell, int dim) const {
  return static_cast<int>((cell / strides_[dim]) % static_cast<std::size_t>(sizes_[dim]));
}

namespace {
// For every cell of the table, the index of its cell in the margin over `dims`.
std::vector<std::size_t> margin_map(const Table& t, const std::vector<int>& dims, std::size_t& margin_cells) {
  std::vector<std::size_t> stride(dims.size(), 1);
  margin_cells = 1;
  for (int k = static_cast<int>(dims.size()) - 1; k >= 0; --k) {
    stride[k] = margin_cells;
    margin_cells *= static_cast<std::size_t>(t.sizes()[dims[k]]);
  }
  std::vector<std::size_t> map(t.cells());
  for (std::size_t cell = 0; cell < t.cells(); ++cell) {
    std::size_t m = 0;
    for (std::size_t k = 0; k < dims.size(); ++k) m += stride[k] * static_cast<std::size_t>(t.coordinate(cell, dims[k]));
    map[cell] = m;
  }
  return map;
}
}  // namespace

Eigen::ArrayXd Table::marginal(const std::vector<int>& dims) const {
  std::size_t n = 0;
  const auto map = margin_map(*this, dims, n);
  Eigen::ArrayXd out = Eigen::ArrayXd::Zero(static_cast<Eigen::Index>(n));
  for (std::size_t cell = 0; cell < cells(); ++cell) out[static_cast<Eigen::Index>(map[cell])] += values[static_cast<Eigen::Index>(cell)];
  return out;
}

IpfResult fit(Table& table, const std::vector<Margin>& margins, double tolerance, int max_iterations) {
  struct Prepared {
    std::vector<std::size_t> map;
    const Eigen::ArrayXd* target;
    std::size_t cells;
  };
  std::vector<Prepared> prepared;
  double total = -1;
  for (const Margin& m : margins) {
    Prepared p{{}, &m.target, 0};
    p.map = margin_map(table, m.dims, p.cells);
    if (static_cast<std::size_t>(m.target.size()) != p.cells)
      throw std::invalid_argument("IPF: a margin has " + std::to_string(m.target.size()) + " targets, expected " +
                                  std::to_string(p.cells));
    if ((m.target < 0).any()) throw std::invalid_argument("IPF: negative target");
    const double sum = m.target.sum();
    if (total >= 0 && std::fabs(sum - total) > 1e-9 * std::max(1.0, total))
      throw std::invalid_argument("IPF: margins have different totals (" + std::to_string(total) + " and " +
                                  std::to_string(sum) + ")");
    total = sum;
    prepared.push_back(std::move(p));
  }
  IpfResult result;
  Eigen::ArrayXd current;
  for (result.iterations = 1; result.iterations <= max_iterations; ++result.iterations) {
    for (const Prepared& p : prepared) {
      current = Eigen::ArrayXd::Zero(static_cast<Eigen::Index>(p.cells));
      for (std::size_t cell = 0; cell < table.cells(); ++cell)
        current[static_cast<Eigen::Index>(p.map[cell])] += table.values[static_cast<Eigen::Index>(cell)];
      for (Eigen::Index k = 0; k < current.size(); ++k)
        if (current[k] <= 0 && (*p.target)[k] > 0)
          throw std::invalid_argument("IPF: a margin cell has a positive target but no seed mass");
      const Eigen::ArrayXd factor = (current > 0).select(*p.target / current, 0.0);
      for (std::size_t cell = 0; cell < table.cells(); ++cell)
        table.values[static_cast<Eigen::Index>(cell)] *= factor[static_cast<Eigen::Index>(p.map[cell])];
    }
    // Converged when every margin holds after the sweep.
    result.max_relative_error = 0;
    for (const Prepared& p : prepared) {
      current = Eigen::ArrayXd::Zero(static_cast<Eigen::Index>(p.cells));
      for (std::size_t cell = 0; cell < table.cells(); ++cell)
        current[static_cast<Eigen::Index>(p.map[cell])] += table.values[static_cast<Eigen::Index>(cell)];
      for (Eigen::Index k = 0; k < current.size(); ++k)
        if ((*p.target)[k] > 0)
          result.max_relative_error =
              std::max(result.max_relative_error, std::fabs(current[k] - (*p.target)[k]) / (*p.target)[k]);
    }
    if (result.max_relative_error <= tolerance) {
      result.converged = true;
      break;
    }
  }
  result.iterations = std::min(result.iterations, max_iterations);
  return result;
}

}  // namespace tuopin
