#pragma once
// Counter-based random numbers for tuopin.
//
// Every random number in the model is a pure function of five integers:
//
//     key     = (seed, replicate)                     -- Philox4x32 key, 2 x 32 bits
//     counter = (entity, decision stream, period, draw) -- Philox4x32 counter, 4 x 32 bits
//
// * `seed` is the scenario's seed and `replicate` the replicate index: one key per replicate, so
//   replicates are independent and a replicate can be re-run alone.
// * `entity` is the household index in the population (its stable id, not its position in a
//   thread's work), or the village index for village-level events (the stream tells them apart).
// * `stream` names the decision (the enum below). Adding a draw to one decision never shifts the
//   numbers of another, and two scenarios run with the same seed see the same chance events
//   unless a policy makes them take different decisions (common random numbers).
// * `period` is the month index from the start of the window (or the year index for yearly
//   decisions), and `draw` numbers repeated draws within one (entity, stream, period).
//
// One Philox4x32-10 call returns four 32-bit words: four uniforms or two pairs of normals.
// Nothing here has state, so any thread may compute any household's numbers in any order: a run
// gives bit-identical results for 1, 2 or 64 threads. Never add a shared or thread-indexed
// generator to the model.
#include <cmath>
#include <cstdint>

#include <Random123/philox.h>

namespace tuopin {

enum class Stream : std::uint32_t {
  synthesis = 1,        // population synthesis (replicate-independent key, see synthesis_key)
  income = 3,           // monthly income innovations: 4 normals (wage/operating persistent/transitory)
  illness = 4,          // monthly serious-illness onset (u0) and cost (u1, u2)
  disaster = 5,         // village-level disaster occurrence (entity = village)
  disaster_damage = 6,  // household damage given a disaster in its village
  education = 7,        // school drop-out and re-enrolment
  housing = 8,          // self-repair of unsafe housing
  insurance = 9,        // yearly medical insurance enrolment (period = year index)
  identification = 10,  // registration of a newly poor or re-entering household (period = year)
  // The plan phase and the measures (period = year index unless noted).
  targeting = 11,       // identification for the year's plan: exclusion and inclusion errors
  willingness = 12,     // willingness to develop an industry (period 0, drawn per replicate)
  allocation = 13,      // tie-break of the pools' funding order (draw = measure index)
  safety_net = 14,      // 低保 coverage errors at the yearly review
  industry = 15,        // industry mode (u0) and success (u1)
  industry_price = 16,  // market price of a village's product (entity = village)
  employment = 17,      // training success (u0), placement (u1), job loss (u2)
  cooperative = 18,     // failure of a village cooperative holding asset-income shares (entity = village)
  education_aid = 19,   // take-up of education aid
  health = 20,          // reserved for the health measures
  asset_income = 21,    // take-up of asset-income shares
  pairing = 22,         // whether a household is paired with a cadre (period 0, per replicate)
  relocation = 23,      // relocation: destination (draw 0, u1), job/land/homestead at funding (draw 1), return (draw 2), take-up (draw 7); whole-village flag (entity = village, draw 8)
  renovation = 24,      // housing renovation: take-up (draw 7)
  photovoltaic = 25,    // photovoltaic: take-up
  microcredit = 26,     // microcredit: take-up (u0), use (u1), default (u2)
  agri_insurance = 27,  // policy agricultural insurance: take-up
  collective = 28,      // village collective projects (entity = village)
  survey = 29,          // survey error of the income measured at the year-end verification (period = year)
  shock = 30,           // yearly shocks: migrant job loss in a downturn year (period = year)
  uncertainty = 31,     // per-replicate draws of uncertain parameters: entity = fnv1a32("section.key"), period 0, draw 0 (uncertain_parameters.h)
  // Parameter sweeps (key {seed, 0}, the sweep's seed; not used by the simulation).
  sweep_design = 32,    // random designs: entity = dimension (latin hypercube) or trajectory (Morris); periods in sweep_design.h
  sweep_bootstrap = 33, // bootstrap resamples of sensitivity indices: entity = resample, period 0, draw = row / 4 (sensitivity.h)
};
// Draw index of a measure's take-up decision within its stream's (household, year) counter,
// apart from the indices its other decisions use.
inline constexpr std::uint32_t take_up_draw = 7;

using Philox = r123::Philox4x32;

struct RandomKey {
  std::uint32_t seed = 0;
  std::uint32_t replicate = 0;
  Philox::key_type key() const { return {{seed, replicate}}; }
};

// Population synthesis does not depend on the replicate: the registry is one population.
inline constexpr std::uint32_t synthesis_replicate = 0xFFFFFFFFu;
inline RandomKey synthesis_key(std::uint32_t seed) { return {seed, synthesis_replicate}; }

struct Draw4 {
  std::uint32_t v[4];
};

inline Draw4 draw(const RandomKey& k, std::uint32_t entity, Stream stream, std::uint32_t period,
                  std::uint32_t index = 0) {
  Philox rng;
  const Philox::ctr_type c = {{entity, static_cast<std::uint32_t>(stream), period, index}};
  const Philox::ctr_type r = rng(c, k.key());
  return {{r.v[0], r.v[1], r.v[2], r.v[3]}};
}

// Uniform in (0, 1): never exactly 0 or 1, so log(u) is finite.
inline double to_unit(std::uint32_t x) { return (static_cast<double>(x) + 0.5) * 0x1p-32; }

// Standard normal from two words (Box-Muller, first variate).
inline double to_normal(std::uint32_t a, std::uint32_t b) {
  constexpr double two_pi = 6.283185307179586476925286766559;
  return std::sqrt(-2.0 * std::log(to_unit(a))) * std::cos(two_pi * to_unit(b));
}

}  // namespace tuopin
