#include "uncertainty_group.h"

#include <stdexcept>

#include "hdf5_io.h"
#include "parameters.h"

namespace tuopin {

using hdf5::Handle;

void write_uncertainty(hid_t file, const Scenario& s, const SimulationResult& r) {
  const std::size_t P = r.uncertain_parameters.size();
  if (P == 0) return;
  if (r.uncertain_values.size() != P * static_cast<std::size_t>(r.replicates) || s.uncertainty.list.size() != P)
    throw std::logic_error("the result's uncertain parameters do not match its replicates or its scenario");
  Handle group = hdf5::create_group(file, "uncertainty");
  hdf5::attribute(group, "method",
                  "each replicate draws every uncertain parameter not held uniformly in its range "
                  "(docs/model.md, 7.10); a held parameter keeps the scenario's value");
  std::vector<int> reps(r.replicates);
  for (int k = 0; k < r.replicates; ++k) reps[k] = r.first_replicate + k;
  Handle rep = hdf5::integer_scale(group, "replicate", reps, "replicate index (Philox key word 1)", "重复模拟序号", "1");
  Handle parameter = hdf5::string_scale(group, "parameter", r.uncertain_parameters,
                                        "uncertain scenario key (section.key)", "不确定参数");
  std::vector<std::string> units;
  std::vector<double> low(P), high(P);
  std::vector<std::int8_t> held(P);
  for (std::size_t p = 0; p < P; ++p) {
    const UncertainParameter& u = s.uncertainty.list[p];
    if (u.path != r.uncertain_parameters[p]) throw std::logic_error("uncertain parameter " + u.path + " out of order");
    units.emplace_back(u.spec->unit);
    low[p] = u.spec->uncertain_low;
    high[p] = u.spec->uncertain_high;
    held[p] = u.held ? 1 : 0;
  }
  hdf5::string_variable(group, "unit", units, parameter, "unit of the parameter", "参数单位");
  hdf5::variable(group, "low", low.data(), H5T_NATIVE_DOUBLE, H5T_IEEE_F64LE, {parameter}, "(the parameter's unit)",
                 "lower end of the parameter's plausible range", "参数取值范围下限");
  hdf5::variable(group, "high", high.data(), H5T_NATIVE_DOUBLE, H5T_IEEE_F64LE, {parameter}, "(the parameter's unit)",
                 "upper end of the parameter's plausible range", "参数取值范围上限");
  hdf5::variable(group, "held", held.data(), H5T_NATIVE_INT8, H5T_STD_I8LE, {parameter}, "1",
                 "1: kept at the scenario's value (uncertainty.hold, or set away from the default); 0: drawn",
                 "是否固定为情景取值");
  hdf5::variable(group, "value", r.uncertain_values.data(), H5T_NATIVE_DOUBLE, H5T_IEEE_F64LE, {rep, parameter},
                 "(the parameter's unit)", "value of the uncertain parameter in the replicate", "该重复模拟中的参数取值");
}

}  // namespace tuopin
