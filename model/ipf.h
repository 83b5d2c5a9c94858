#pragma once
// Iterative proportional fitting (IPF, raking) of a multi-way table to marginal totals.
//
// The table is a dense array over dimensions of the given sizes, stored row-major (the last
// dimension varies fastest) in an Eigen array. Each margin names a subset of the dimensions
// (in increasing order) and gives target totals over them, row-major too. IPF scales the
// table to each margin in turn until every margin is met within `tolerance` (relative), which
// keeps the seed's interactions (odds ratios) that the margins do not determine.
#include <cstddef>
#include <vector>

#include <Eigen/Core>

namespace tuopin {

struct Margin {
  std::vector<int> dims;     // indices of the table's dimensions, increasing
  Eigen::ArrayXd target;     // totals over those dimensions, row-major
};

struct IpfResult {
  int iterations = 0;
  double max_relative_error = 0;  // over every margin cell with a positive target
  bool converged = false;
};

class Table {
 public:
  explicit Table(std::vector<int> sizes);
  const std::vector<int>& sizes() const { return sizes_; }
  std::size_t cells() const { return static_cast<std::size_t>(values.size()); }
  // Index of the cell with these coordinates (one per dimension).
  std::size_t index(const std::vector<int>& coordinates) const;
  // Coordinate of `cell` along dimension `dim`.
  int coordinate(std::size_t cell, int dim) const;
  // Totals of the table over `dims` (row-major).
  Eigen::ArrayXd marginal(const std::vector<int>& dims) const;

  Eigen::ArrayXd values;

 private:
  std::vector<int> sizes_;
  std::vector<std::size_t> strides_;
};

// Throws std::invalid_argument if the margins are inconsistent (different grand totals) or a
// margin's target is positive where the seed has no mass.
IpfResult fit(Table& table, const std::vector<Margin>& margins, double tolerance = 1e-10,
              int max_iterations = 1000);

}  // namespace tuopin
