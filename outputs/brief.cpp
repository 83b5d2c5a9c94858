#include "brief.h"


#include <algorithm>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <map>
#include <set>
#include <sstream>

#include "hdf5_io.h"
#include "output_file.h"
#include "scenario.h"

namespace tuopin {

// ---------------------------------------------------------------------------------------------
// Text helpers.

std::string html_escape(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (const char ch : text) {
    switch (ch) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      case '\'': out += "&#39;"; break;
      default: out += ch;
    }
  }
  return out;
}

std::string format_number(double value, int digits, bool sign) {
  if (!std::isfinite(value)) return "—";
  const double scale = std::pow(10.0, digits);
  double rounded = std::round(value * scale) / scale;
  if (rounded == 0) rounded = 0;  // no "-0"
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.*f", digits, std::fabs(rounded));
  std::string s = buf;
  const std::size_t dot = s.find('.');
  std::string whole = s.substr(0, dot), frac = dot == std::string::npos ? "" : s.substr(dot);
  std::string grouped;
  for (std::size_t i = 0; i < whole.size(); ++i) {
    if (i > 0 && (whole.size() - i) % 3 == 0) grouped += ',';
    grouped += whole[i];
  }
  const std::string prefix = rounded < 0 ? "-" : (sign && rounded > 0 ? "+" : "");
  return prefix + grouped + frac;
}

namespace {

// A text from a file: escaped, and marked as data.
std::string data_html(std::string_view text, const char* element = "span") {
  return std::string("<") + element + " class=\"d\">" + html_escape(text) + "</" + element + ">";
}

std::string label(std::string_view key, Language lang) { return html_escape(tr(key, lang)); }

std::string label(std::string_view key, Language lang, const std::vector<std::string>& args) {
  // Arguments are numbers or already-built HTML; the template itself is escaped piecewise.
  std::vector<std::string> placeholders;
  for (std::size_t k = 0; k < args.size(); ++k) placeholders.push_back("\x01" + std::to_string(k) + "\x02");
  std::string text = html_escape(tr_format(key, lang, placeholders));
  for (std::size_t k = 0; k < args.size(); ++k) {
    const std::string p = "\x01" + std::to_string(k) + "\x02";
    for (std::size_t at = text.find(p); at != std::string::npos; at = text.find(p, at + args[k].size()))
      text.replace(at, p.size(), args[k]);
  }
  return text;
}

std::string full_precision(double v) {
  char buf[40];
  std::snprintf(buf, sizeof buf, "%.17g", v);
  return buf;
}

std::string range_text(double lo, double hi, int digits, bool sign, Language lang) {
  return label("fmt.range", lang, {format_number(lo, digits, sign), format_number(hi, digits, sign)});
}

std::string percent(double fraction, int digits) { return format_number(100 * fraction, digits) + "%"; }

// ---------------------------------------------------------------------------------------------
// Reading.

Statistics statistics_column(const Dataset& d, std::size_t c) {
  // A (statistic, county) dataset of /target: statistic order mean, p05, p50, p95.
  const std::size_t C = d.shape.size() == 2 ? d.shape[1] : 0;
  Statistics s;
  if (d.shape.size() != 2 || d.shape[0] != statistic_names.size() || c >= C) return s;
  s.mean = d.values[0 * C + c];
  s.p05 = d.values[1 * C + c];
  s.p50 = d.values[2 * C + c];
  s.p95 = d.values[3 * C + c];
  return s;
}

std::vector<std::string> read_labels(const ScenarioInFile& s, const std::string& name) {
  try {
    hdf5::silence_errors();
    hdf5::Handle file = hdf5::open_file(s.file.string());
    return hdf5::read_strings(file, s.path(name));
  } catch (const std::exception&) {
    throw InputError(s.file.string() + ": scenario '" + s.name + "' has no dataset " + s.path(name) +
                     " (a file of an older tuopin, or truncated?)");
  }
}

ScenarioBrief read_scenario_brief(const ScenarioInFile& s, const ScenarioResults& results) {
  ScenarioBrief b;
  b.scenario = s;
  b.first_year = results.first_year;
  b.last_year = results.last_year;
  try {
    b.resolved = read_string(s.file, s.path("meta/scenario_resolved"));
  } catch (const std::exception&) {
    throw InputError(s.file.string() + ": scenario '" + s.name + "' has no " + s.path("meta/scenario_resolved"));
  }

  // The poor over time.
  const Dataset start = read_scenario_dataset(s, "city_poor_start_people");
  const Dataset end = read_scenario_dataset(s, "city_poor_end_people");
  if (end.shape.size() != 2 || start.shape != end.shape)
    throw InputError(s.file.string() + ": city_poor_end_people is not (replicate, year)");
  const std::size_t R = end.shape[0], Y = end.shape[1];
  auto across = [&](const Dataset& d, std::size_t y) {
    std::vector<double> v(R);
    for (std::size_t k = 0; k < R; ++k) v[k] = d.values[k * Y + y];
    return summarise(v);
  };
  b.poor_stock.push_back(across(start, 0));
  for (std::size_t y = 0; y < Y; ++y) b.poor_stock.push_back(across(end, y));

  // Spending (replicate, year, county, measure, source), summed over the window, in 万元.
  b.measures = read_labels(s, "measure");
  b.measure_names_zh = read_labels(s, "measure_name_zh");
  b.sources = read_labels(s, "source");
  b.source_names_zh = read_labels(s, "source_name_zh");
  const Dataset spending = read_scenario_dataset(s, "spending");
  if (spending.shape.size() != 5 || spending.shape[0] != R || spending.shape[1] != Y ||
      spending.shape[3] != b.measures.size() || spending.shape[4] != b.sources.size())
    throw InputError(s.file.string() + ": " + s.path("spending") + " is not (replicate, year, county, measure, source)");
  const std::size_t C = spending.shape[2], M = spending.shape[3], F = spending.shape[4];
  std::vector<std::vector<double>> by_measure(M, std::vector<double>(R, 0.0)), by_source(F, std::vector<double>(R, 0.0));
  for (std::size_t k = 0; k < R; ++k)
    for (std::size_t y = 0; y < Y; ++y)
      for (std::size_t c = 0; c < C; ++c)
        for (std::size_t m = 0; m < M; ++m)
          for (std::size_t f = 0; f < F; ++f) {
            const double v = spending.values[(((k * Y + y) * C + c) * M + m) * F + f] / 1e4;
            by_measure[m][k] += v;
            by_source[f][k] += v;
          }
  for (const auto& v : by_measure) b.spending_by_measure.push_back(summarise(v));
  for (const auto& v : by_source) b.spending_by_source.push_back(summarise(v));

  // The target by county.
  b.counties = read_labels(s, "county");
  b.counties_zh = read_labels(s, "county_name_zh");
  b.criteria = read_labels(s, "target/criterion");
  const Dataset listed = read_scenario_dataset(s, "target/poverty_county");
  const Dataset probability = read_scenario_dataset(s, "target/exit_probability");
  const Dataset poor_end = read_scenario_dataset(s, "target/poor_end_people");
  const Dataset incidence = read_scenario_dataset(s, "target/incidence_last_year");
  const Dataset reentries = read_scenario_dataset(s, "target/reentry_people");
  const Dataset failing = read_scenario_dataset(s, "target/failing_share");
  const std::size_t N = b.counties.size(), Q = b.criteria.size();
  if (listed.values.size() != N || probability.values.size() != N || failing.values.size() != N * Q ||
      b.counties_zh.size() != N)
    throw InputError(s.file.string() + ": scenario '" + s.name + "': /target does not match its counties");
  for (std::size_t c = 0; c < N; ++c) {
    b.poverty_county.push_back(listed.values[c] > 0);
    b.exit_probability.push_back(probability.values[c]);
    b.poor_end.push_back(statistics_column(poor_end, c));
    b.incidence.push_back(statistics_column(incidence, c));
    b.reentries.push_back(statistics_column(reentries, c));
    b.failing.emplace_back(failing.values.begin() + static_cast<std::ptrdiff_t>(c * Q),
                           failing.values.begin() + static_cast<std::ptrdiff_t>((c + 1) * Q));
  }
  return b;
}

// ---------------------------------------------------------------------------------------------
// Styles that stay apart in grey print: colours of different lightness, dash patterns, marker
// shapes (filled and hollow) and bar hatchings.

constexpr int style_count = 6;
const char* const colours[style_count] = {"#1f4e89", "#e08b2a", "#2f8f5b", "#a8324a", "#7a62b0", "#6e6e6e"};
const char* const dashes[style_count] = {"", "7 4", "2 3", "10 3 2 3", "4 2", "1 2"};

std::string marker(int k, double x, double y) {
  const int s = k % style_count;
  const std::string colour = colours[s];
  const bool hollow = s % 2 == 1;
  const std::string fill = hollow ? "#ffffff" : colour;
  const std::string attrs = " fill=\"" + fill + "\" stroke=\"" + colour + "\" stroke-width=\"1.6\"/>";
  char buf[256];
  switch ((s / 2 + s) % 4) {
    case 0: std::snprintf(buf, sizeof buf, "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"3.6\"", x, y); break;
    case 1: std::snprintf(buf, sizeof buf, "<rect x=\"%.1f\" y=\"%.1f\" width=\"7\" height=\"7\"", x - 3.5, y - 3.5); break;
    case 2:
      std::snprintf(buf, sizeof buf, "<polygon points=\"%.1f,%.1f %.1f,%.1f %.1f,%.1f\"", x, y - 4.5, x + 4.3, y + 3.3,
                    x - 4.3, y + 3.3);
      break;
    default:
      std::snprintf(buf, sizeof buf, "<polygon points=\"%.1f,%.1f %.1f,%.1f %.1f,%.1f %.1f,%.1f\"", x, y - 4.6, x + 4.6,
                    y, x, y + 4.6, x - 4.6, y);
  }
  return buf + attrs;
}

// Bar fills: scenario 0 solid, the others hatched over their colour.
std::string bar_patterns(const std::string& prefix, int scenarios) {
  std::string out = "<defs>";
  for (int k = 0; k < scenarios; ++k) {
    const int s = k % style_count;
    const std::string id = prefix + "-p" + std::to_string(k);
    const std::string colour = colours[s];
    switch (s) {
      case 0: out += "<pattern id=\"" + id + "\" width=\"6\" height=\"6\" patternUnits=\"userSpaceOnUse\"><rect width=\"6\" height=\"6\" fill=\"" + colour + "\"/></pattern>"; break;
      case 1: out += "<pattern id=\"" + id + "\" width=\"6\" height=\"6\" patternUnits=\"userSpaceOnUse\" patternTransform=\"rotate(45)\"><rect width=\"6\" height=\"6\" fill=\"" + colour + "\"/><line x1=\"0\" y1=\"0\" x2=\"0\" y2=\"6\" stroke=\"#ffffff\" stroke-width=\"2.4\"/></pattern>"; break;
      case 2: out += "<pattern id=\"" + id + "\" width=\"5\" height=\"5\" patternUnits=\"userSpaceOnUse\"><rect width=\"5\" height=\"5\" fill=\"" + colour + "\"/><circle cx=\"2.5\" cy=\"2.5\" r=\"1.2\" fill=\"#ffffff\"/></pattern>"; break;
      case 3: out += "<pattern id=\"" + id + "\" width=\"6\" height=\"6\" patternUnits=\"userSpaceOnUse\" patternTransform=\"rotate(-45)\"><rect width=\"6\" height=\"6\" fill=\"" + colour + "\"/><line x1=\"0\" y1=\"0\" x2=\"0\" y2=\"6\" stroke=\"#ffffff\" stroke-width=\"1.4\"/></pattern>"; break;
      case 4: out += "<pattern id=\"" + id + "\" width=\"6\" height=\"6\" patternUnits=\"userSpaceOnUse\"><rect width=\"6\" height=\"6\" fill=\"" + colour + "\"/><line x1=\"0\" y1=\"3\" x2=\"6\" y2=\"3\" stroke=\"#ffffff\" stroke-width=\"1.6\"/></pattern>"; break;
      default: out += "<pattern id=\"" + id + "\" width=\"6\" height=\"6\" patternUnits=\"userSpaceOnUse\"><rect width=\"6\" height=\"6\" fill=\"" + colour + "\"/><line x1=\"0\" y1=\"3\" x2=\"6\" y2=\"3\" stroke=\"#ffffff\" stroke-width=\"1.2\"/><line x1=\"3\" y1=\"0\" x2=\"3\" y2=\"6\" stroke=\"#ffffff\" stroke-width=\"1.2\"/></pattern>";
    }
  }
  return out + "</defs>";
}

// Evenly spaced "nice" ticks covering [lo, hi].
std::vector<double> nice_ticks(double lo, double hi, int wanted = 5) {
  if (!(hi > lo)) {
    const double pad = std::max(1.0, std::fabs(lo) * 0.1);
    lo -= pad;
    hi += pad;
  }
  const double raw = (hi - lo) / wanted;
  const double mag = std::pow(10.0, std::floor(std::log10(raw)));
  double step = mag;
  for (const double f : {1.0, 2.0, 2.5, 5.0, 10.0})
    if (f * mag >= raw) {
      step = f * mag;
      break;
    }
  std::vector<double> ticks;
  for (double t = std::floor(lo / step) * step; t <= std::ceil(hi / step) * step + step * 1e-9; t += step)
    ticks.push_back(std::fabs(t) < step * 1e-9 ? 0.0 : t);
  return ticks;
}

int tick_digits(const std::vector<double>& ticks) {
  if (ticks.size() < 2) return 0;
  const double step = ticks[1] - ticks[0];
  return step >= 1 ? 0 : step >= 0.1 ? 1 : 2;
}

std::string num(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.1f", v);
  return buf;
}

constexpr double chart_width = 680;

// The legend of the charts: one entry per scenario, three to a row. `bars`: a swatch of the
// bar's fill, else a line with its marker.
std::string legend(const std::vector<std::string>& names, double top, bool bars, const std::string& prefix,
                   double& height) {
  std::string out;
  const int per_row = 3;
  const double entry = chart_width / per_row;
  for (std::size_t k = 0; k < names.size(); ++k) {
    const int s = static_cast<int>(k) % style_count;
    const double x = 10 + entry * static_cast<double>(k % per_row);
    const double y = top + 18.0 * static_cast<double>(k / per_row) + 9;
    if (bars) {
      out += "<rect x=\"" + num(x) + "\" y=\"" + num(y - 6) + "\" width=\"22\" height=\"12\" fill=\"url(#" + prefix +
             "-p" + std::to_string(k) + ")\" stroke=\"#222\" stroke-width=\"0.8\"/>";
    } else {
      out += "<line x1=\"" + num(x) + "\" y1=\"" + num(y) + "\" x2=\"" + num(x + 28) + "\" y2=\"" + num(y) +
             "\" stroke=\"" + colours[s] + "\" stroke-width=\"2.2\"" +
             (*dashes[s] ? std::string(" stroke-dasharray=\"") + dashes[s] + "\"" : "") + "/>";
      out += marker(static_cast<int>(k), x + 14, y);
    }
    out += "<text x=\"" + num(x + 34) + "\" y=\"" + num(y + 4) + "\" font-size=\"11\">" + data_html(names[k], "tspan") +
           "</text>";
  }
  height = 18.0 * static_cast<double>((names.size() + per_row - 1) / per_row) + 6;
  return out;
}

// The line chart of the poor over time: a band (5-95%) and a mean line per scenario.
std::string poor_stock_chart(const BriefData& d, Language lang) {
  const auto& scenarios = d.scenarios;
  std::vector<std::string> names;
  for (const auto& s : scenarios) names.push_back(s.scenario.name);
  const int first = scenarios[d.comparison.baseline].first_year;
  const std::size_t points = scenarios[d.comparison.baseline].poor_stock.size();
  double lo = INFINITY, hi = -INFINITY;
  for (const auto& s : scenarios)
    for (const auto& p : s.poor_stock) {
      lo = std::min({lo, p.p05, p.mean});
      hi = std::max({hi, p.p95, p.mean});
    }
  const double pad = (hi - lo) * 0.05;
  const std::vector<double> ticks = nice_ticks(lo - pad, hi + pad);
  const double y0 = ticks.front(), y1 = ticks.back();

  double legend_height = 0;
  const std::string legend_svg = legend(names, 4, false, "", legend_height);
  const double left = 78, right = chart_width - 24, top = legend_height + 12, plot_h = 230, bottom = top + plot_h;
  const double height = bottom + 44;
  auto X = [&](std::size_t i) {
    return points > 1 ? left + (right - left) * static_cast<double>(i) / static_cast<double>(points - 1)
                      : (left + right) / 2;
  };
  auto Y = [&](double v) { return bottom - plot_h * (v - y0) / (y1 - y0); };

  std::string out = "<svg viewBox=\"0 0 " + num(chart_width) + " " + num(height) +
                    "\" role=\"img\" aria-labelledby=\"poor-title\"><title id=\"poor-title\">" +
                    label("chart.poor.title", lang) + "</title>";
  out += legend_svg;
  const int digits = tick_digits(ticks);
  for (const double t : ticks) {
    out += "<line x1=\"" + num(left) + "\" y1=\"" + num(Y(t)) + "\" x2=\"" + num(right) + "\" y2=\"" + num(Y(t)) +
           "\" stroke=\"#d0d0d0\" stroke-width=\"0.8\"/>";
    out += "<text x=\"" + num(left - 6) + "\" y=\"" + num(Y(t) + 4) + "\" font-size=\"11\" text-anchor=\"end\">" +
           format_number(t, digits) + "</text>";
  }
  out += "<line x1=\"" + num(left) + "\" y1=\"" + num(bottom) + "\" x2=\"" + num(right) + "\" y2=\"" + num(bottom) +
         "\" stroke=\"#222\" stroke-width=\"1\"/>";
  out += "<line x1=\"" + num(left) + "\" y1=\"" + num(top) + "\" x2=\"" + num(left) + "\" y2=\"" + num(bottom) +
         "\" stroke=\"#222\" stroke-width=\"1\"/>";
  for (std::size_t i = 0; i < points; ++i) {
    out += "<line x1=\"" + num(X(i)) + "\" y1=\"" + num(bottom) + "\" x2=\"" + num(X(i)) + "\" y2=\"" + num(bottom + 4) +
           "\" stroke=\"#222\"/>";
    out += "<text x=\"" + num(X(i)) + "\" y=\"" + num(bottom + 17) + "\" font-size=\"11\" text-anchor=\"middle\">" +
           std::to_string(first - 1 + static_cast<int>(i)) + "</text>";
  }
  out += "<text x=\"" + num((left + right) / 2) + "\" y=\"" + num(bottom + 36) +
         "\" font-size=\"11\" text-anchor=\"middle\">" + label("chart.axis.year_end", lang) + "</text>";
  out += "<text x=\"14\" y=\"" + num((top + bottom) / 2) + "\" font-size=\"11\" text-anchor=\"middle\" transform=\"rotate(-90 14 " +
         num((top + bottom) / 2) + ")\">" + label("chart.axis.persons", lang) + "</text>";
  // Bands first, then the lines over them.
  for (std::size_t k = 0; k < scenarios.size(); ++k) {
    const auto& p = scenarios[k].poor_stock;
    const char* colour = colours[k % style_count];
    std::string pts;
    for (std::size_t i = 0; i < p.size(); ++i) pts += num(X(i)) + "," + num(Y(p[i].p95)) + " ";
    for (std::size_t i = p.size(); i-- > 0;) pts += num(X(i)) + "," + num(Y(p[i].p05)) + " ";
    out += "<polygon class=\"band\" points=\"" + pts + "\" fill=\"" + colour + "\" fill-opacity=\"0.16\" stroke=\"" +
           colour + "\" stroke-opacity=\"0.6\" stroke-width=\"0.7\"/>";
  }
  for (std::size_t k = 0; k < scenarios.size(); ++k) {
    const auto& p = scenarios[k].poor_stock;
    const int s = static_cast<int>(k) % style_count;
    std::string pts;
    for (std::size_t i = 0; i < p.size(); ++i) pts += num(X(i)) + "," + num(Y(p[i].mean)) + " ";
    out += "<polyline class=\"mean\" points=\"" + pts + "\" fill=\"none\" stroke=\"" + colours[s] +
           "\" stroke-width=\"2.2\"" + (*dashes[s] ? std::string(" stroke-dasharray=\"") + dashes[s] + "\"" : "") + "/>";
    for (std::size_t i = 0; i < p.size(); ++i) out += marker(static_cast<int>(k), X(i), Y(p[i].mean));
  }
  return out + "</svg>";
}

// A horizontal grouped bar chart: per category one bar per scenario (mean) with a 5-95% line.
// `category_labels` are HTML already (translated labels, or data).
std::string bar_chart(const std::string& prefix, const std::string& title_html,
                      const std::vector<std::string>& category_labels,
                      const std::vector<std::vector<Statistics>>& values,  // [scenario][category]
                      const std::vector<std::string>& names, Language lang) {
  const std::size_t S = values.size(), N = category_labels.size();
  double hi = 0;
  for (const auto& v : values)
    for (const auto& st : v) hi = std::max({hi, st.mean, st.p95});
  const std::vector<double> ticks = nice_ticks(0, hi > 0 ? hi : 1, 5);
  const double x_max = ticks.back();
  double legend_height = 0;
  const std::string legend_svg = legend(names, 4, true, prefix, legend_height);
  const double bar = S <= 2 ? 13 : S <= 4 ? 10 : 8, gap = 9;
  const double left = 236, right = chart_width - 78, top = legend_height + 12;
  const double group = bar * static_cast<double>(S) + gap;
  const double bottom = top + group * static_cast<double>(N);
  const double height = bottom + 40;
  auto X = [&](double v) { return left + (right - left) * std::max(0.0, v) / x_max; };

  std::string out = "<svg viewBox=\"0 0 " + num(chart_width) + " " + num(height) +
                    "\" role=\"img\" aria-labelledby=\"" + prefix + "-title\"><title id=\"" + prefix + "-title\">" +
                    title_html + "</title>";
  out += bar_patterns(prefix, static_cast<int>(S));
  out += legend_svg;
  const int digits = tick_digits(ticks);
  for (const double t : ticks) {
    out += "<line x1=\"" + num(X(t)) + "\" y1=\"" + num(top) + "\" x2=\"" + num(X(t)) + "\" y2=\"" + num(bottom) +
           "\" stroke=\"#d0d0d0\" stroke-width=\"0.8\"/>";
    out += "<text x=\"" + num(X(t)) + "\" y=\"" + num(bottom + 15) + "\" font-size=\"10.5\" text-anchor=\"middle\">" +
           format_number(t, digits) + "</text>";
  }
  out += "<text x=\"" + num((left + right) / 2) + "\" y=\"" + num(bottom + 32) +
         "\" font-size=\"11\" text-anchor=\"middle\">" + label("chart.axis.wan_yuan", lang) + "</text>";
  for (std::size_t c = 0; c < N; ++c) {
    const double g = top + group * static_cast<double>(c) + gap / 2;
    out += "<text x=\"" + num(left - 8) + "\" y=\"" + num(g + bar * static_cast<double>(S) / 2 + 4) +
           "\" font-size=\"11\" text-anchor=\"end\">" + category_labels[c] + "</text>";
    for (std::size_t k = 0; k < S; ++k) {
      const Statistics& st = values[k][c];
      const double y = g + bar * static_cast<double>(k);
      out += "<rect x=\"" + num(left) + "\" y=\"" + num(y) + "\" width=\"" + num(X(st.mean) - left) + "\" height=\"" +
             num(bar - 1) + "\" fill=\"url(#" + prefix + "-p" + std::to_string(k) +
             ")\" stroke=\"#222\" stroke-width=\"0.6\"/>";
      const double cy = y + (bar - 1) / 2;
      if (st.p95 > st.p05) {
        out += "<line x1=\"" + num(X(st.p05)) + "\" y1=\"" + num(cy) + "\" x2=\"" + num(X(st.p95)) + "\" y2=\"" +
               num(cy) + "\" stroke=\"#000\" stroke-width=\"1\"/>";
        for (const double v : {st.p05, st.p95})
          out += "<line x1=\"" + num(X(v)) + "\" y1=\"" + num(cy - 3) + "\" x2=\"" + num(X(v)) + "\" y2=\"" +
                 num(cy + 3) + "\" stroke=\"#000\" stroke-width=\"1\"/>";
      }
      if (st.mean != 0 || st.p95 != 0)  // no bar: no label
        out += "<text x=\"" + num(std::max(X(st.mean), X(st.p95)) + 4) + "\" y=\"" + num(cy + 3.5) +
               "\" font-size=\"9.5\">" + format_number(st.mean, 0) + "</text>";
    }
  }
  out += "<line x1=\"" + num(left) + "\" y1=\"" + num(top) + "\" x2=\"" + num(left) + "\" y2=\"" + num(bottom) +
         "\" stroke=\"#222\" stroke-width=\"1\"/>";
  return out + "</svg>";
}

// The display name of a measure or source: the translation table's, else the file's.
std::string category_name(const std::string& kind, const std::string& name, const std::string& name_zh,
                          Language lang) {
  const std::string key = kind + "." + name;
  if (has_translation(key)) return label(key, lang);
  return data_html(lang == Language::zh && !name_zh.empty() ? name_zh : name);
}

const char* const style_sheet = R"(
@page { size: A4; margin: 15mm; }
* { box-sizing: border-box; }
html { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
body { margin: 0; background: #fff; color: #111; font-size: 10pt; line-height: 1.45;
  font-family: "Noto Sans CJK SC", "Noto Sans SC", "Source Han Sans SC", "PingFang SC", "Microsoft YaHei",
    "WenQuanYi Micro Hei", sans-serif; }
main { max-width: 180mm; margin: 0 auto; padding: 10mm 0; }
@media print { main { max-width: none; padding: 0; } }
h1 { font-size: 18pt; margin: 0 0 1mm; }
h2 { font-size: 13pt; margin: 7mm 0 2mm; padding-bottom: 0.8mm; border-bottom: 0.4mm solid #222; break-after: avoid; }
h3 { font-size: 10.5pt; margin: 3mm 0 1mm; break-after: avoid; }
p { margin: 1mm 0; }
.sub { color: #333; }
.meta { font-size: 8.5pt; color: #333; }
table { border-collapse: collapse; width: 100%; font-size: 8.5pt; font-variant-numeric: tabular-nums; margin: 1mm 0; }
th, td { border-bottom: 0.2mm solid #bbb; padding: 0.8mm 1.4mm; text-align: left; vertical-align: top; }
thead th { border-bottom: 0.4mm solid #222; background: #eee; vertical-align: bottom; }
thead { display: table-header-group; }
tr, tbody.county, figure, .keep, .warn { break-inside: avoid; }
td.n, th.n { text-align: right; }
.v, .r, .nw, thead .d, table.scenarios td:first-child { white-space: nowrap; }
.v { font-weight: bold; }
.r { color: #444; font-size: 90%; }
.diff { margin-top: 0.3mm; }
.base { font-size: 85%; border: 0.2mm solid #555; border-radius: 1mm; padding: 0 1mm; margin-left: 1mm; font-weight: normal; }
figure { margin: 2mm 0 4mm; }
figcaption, .caption { font-size: 8.5pt; color: #333; margin-top: 1mm; }
svg { display: block; width: 100%; height: auto; }
svg text { font-family: inherit; fill: #111; }
code { font-family: "Noto Sans Mono CJK SC", "DejaVu Sans Mono", monospace; font-size: 90%; word-break: break-all; }
.warn { border: 0.3mm solid #555; background: #f4f4f4; padding: 1.5mm 2mm; margin: 2mm 0; }
.methods p { font-size: 9pt; }
)";

}  // namespace

// ---------------------------------------------------------------------------------------------
// Parameters that differ.

std::vector<ParameterDifference> differing_parameters(const std::vector<std::string>& resolved_texts) {
  std::vector<std::map<std::string, std::string>> maps;
  std::vector<std::string> order;
  std::set<std::string> seen;
  for (const auto& text : resolved_texts) {
    std::map<std::string, std::string> m;
    for (auto& [k, v] : flatten_scenario(text)) {
      if (seen.insert(k).second) order.push_back(k);
      m[k] = v;
    }
    maps.push_back(std::move(m));
  }
  std::vector<ParameterDifference> out;
  for (const auto& key : order) {
    if (key == "description") continue;
    ParameterDifference d;
    d.key = key;
    for (const auto& m : maps) {
      const auto it = m.find(key);
      d.values.push_back(it == m.end() ? std::nullopt : std::optional<std::string>(it->second));
    }
    if (std::any_of(d.values.begin(), d.values.end(), [&](const auto& v) { return v != d.values.front(); }))
      out.push_back(std::move(d));
  }
  return out;
}

// ---------------------------------------------------------------------------------------------

BriefData read_brief(const std::vector<ScenarioInFile>& scenarios, std::size_t baseline) {
  BriefData d;
  d.comparison = compare_scenarios(scenarios, baseline);
  for (std::size_t k = 0; k < scenarios.size(); ++k)
    d.scenarios.push_back(read_scenario_brief(scenarios[k], d.comparison.scenarios[k]));
  for (const auto& s : scenarios) {
    const std::string f = s.file.string();
    if (std::find(d.files.begin(), d.files.end(), f) == d.files.end()) d.files.push_back(f);
  }
  return d;
}

std::vector<std::size_t> headline_keys(const BriefData& d) {
  const auto& info = key_result_info();
  const ScenarioBrief& base = d.scenarios[d.comparison.baseline];
  const bool listed = std::any_of(base.poverty_county.begin(), base.poverty_county.end(), [](bool b) { return b; });
  std::vector<std::size_t> out;
  for (const char* name : {"exit_people", "poor_end_people", "reentry_people", "spending", "cost_per_exit",
                           "all_listed_counties_exit", "counties_exited", "incidence", "new_poor_people"}) {
    if (std::string_view(name) == "all_listed_counties_exit" && !listed) continue;
    for (std::size_t k = 0; k < info.size(); ++k)
      if (info[k].name == name) out.push_back(k);
  }
  return out;
}

std::string render_brief(const BriefData& d, Language lang) {
  const Comparison& c = d.comparison;
  const std::size_t S = d.scenarios.size(), B = c.baseline;
  const ScenarioResults& base = c.scenarios[B];
  const std::string first = std::to_string(base.first_year), last = std::to_string(base.last_year);
  const bool several = S > 1;
  std::vector<std::string> names;
  for (const auto& s : d.scenarios) names.push_back(s.scenario.name);
  auto scenario_head = [&](std::size_t k) {
    std::string h = data_html(names[k]);
    if (several && k == B) h += "<span class=\"base\">" + label("label.baseline", lang) + "</span>";
    return h;
  };

  std::ostringstream o;
  o << "<!DOCTYPE html>\n<html lang=\"" << (lang == Language::zh ? "zh-CN" : "en") << "\">\n<head>\n"
    << "<meta charset=\"utf-8\">\n"
    << "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'; "
       "img-src data:\">\n"
    << "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
    << "<title>" << label("doc.title", lang) << "</title>\n<style>" << style_sheet << "</style>\n</head>\n<body>\n<main>\n";

  // Title.
  o << "<header>\n<h1>" << label("doc.title", lang) << "</h1>\n<p class=\"sub\">"
    << label("doc.subtitle", lang, {first, last, std::to_string(S), std::to_string(base.replicates)}) << "</p>\n";
  std::string files;
  for (std::size_t k = 0; k < d.files.size(); ++k) files += (k ? ", " : "") + data_html(d.files[k], "code");
  o << "<p class=\"meta\">" << label("doc.source", lang, {files});
  if (several) o << " · " << label("doc.baseline", lang, {data_html(names[B])});
  if (!d.made_with.empty()) o << " · " << label("doc.made_with", lang, {data_html(d.made_with)});
  o << "</p>\n</header>\n";

  // Headline.
  const auto& info = key_result_info();
  o << "<section id=\"headline\">\n<h2>" << label("sec.headline", lang) << "</h2>\n<table class=\"keep headline\">\n<thead><tr><th>"
    << label("col.result", lang) << "</th>";
  for (std::size_t k = 0; k < S; ++k) o << "<th class=\"n\">" << scenario_head(k) << "</th>";
  o << "</tr></thead>\n<tbody>\n";
  for (const std::size_t key : headline_keys(d)) {
    const int digits = info[key].units == "%" ? 1 : 0;
    o << "<tr><th>" << label("key." + info[key].name, lang, {first, last}) << "</th>";
    for (std::size_t k = 0; k < S; ++k) {
      const Statistics& v = c.value[k][key];
      o << "<td class=\"n\" data-key=\"" << info[key].name << "\" data-scenario=\"" << html_escape(names[k])
        << "\" data-mean=\"" << full_precision(v.mean) << "\" data-p05=\"" << full_precision(v.p05) << "\" data-p95=\""
        << full_precision(v.p95) << "\"";
      if (several && k != B) {
        const Statistics& df = c.difference[k][key];
        o << " data-diff-mean=\"" << full_precision(df.mean) << "\"";
        if (c.paired)
          o << " data-diff-p05=\"" << full_precision(df.p05) << "\" data-diff-p95=\"" << full_precision(df.p95) << "\"";
      }
      o << "><span class=\"v\">" << format_number(v.mean, digits) << "</span> <span class=\"r\">"
        << range_text(v.p05, v.p95, digits, false, lang) << "</span>";
      if (several && k != B) {
        const Statistics& df = c.difference[k][key];
        o << "<div class=\"diff\">" << label("headline.vs_baseline", lang) << " <span class=\"v\">"
          << format_number(df.mean, digits, true) << "</span>";
        if (c.paired) o << " <span class=\"r\">" << range_text(df.p05, df.p95, digits, true, lang) << "</span>";
        o << "</div>";
      }
      o << "</td>";
    }
    o << "</tr>\n";
  }
  o << "</tbody>\n</table>\n<p class=\"caption\">"
    << (several ? label("headline.caption", lang, {std::to_string(base.replicates)})
                : label("headline.caption_single", lang, {std::to_string(base.replicates)}))
    << "</p>\n</section>\n";

  // Scenarios.
  o << "<section id=\"scenarios\">\n<h2>" << label("sec.scenarios", lang) << "</h2>\n<table class=\"scenarios\">\n<thead><tr><th>"
    << label("col.scenario", lang) << "</th><th>" << label("col.description", lang) << "</th></tr></thead>\n<tbody>\n";
  for (std::size_t k = 0; k < S; ++k) {
    const std::string& desc = d.scenarios[k].scenario.description;
    o << "<tr><td>" << scenario_head(k) << "</td><td>"
      << (desc.empty() ? label("scenario.no_description", lang) : data_html(desc)) << "</td></tr>\n";
  }
  o << "</tbody>\n</table>\n";
  std::vector<std::string> warnings;
  for (std::size_t k = 0; k < S; ++k) {
    if (k == B) continue;
    if (d.scenarios[k].scenario.population_hash != d.scenarios[B].scenario.population_hash)
      warnings.push_back(label("warn.population", lang, {data_html(names[k]), data_html(names[B])}));
    if (d.scenarios[k].scenario.seed != d.scenarios[B].scenario.seed)
      warnings.push_back(label("warn.seed", lang, {data_html(names[k]), data_html(names[B])}));
  }
  if (!c.paired) warnings.push_back(label("warn.unpaired", lang));
  if (!warnings.empty()) {
    o << "<div class=\"warn\"><strong>" << label("warn.title", lang) << "</strong>";
    for (const auto& w : warnings) o << "<p>" << w << "</p>";
    o << "</div>\n";
  }
  o << "</section>\n";

  // The poor over time.
  o << "<section id=\"poor\">\n<h2>" << label("sec.poor_stock", lang) << "</h2>\n<figure>\n<h3>"
    << label("chart.poor.title", lang) << "</h3>\n"
    << poor_stock_chart(d, lang) << "\n<figcaption>"
    << label("chart.poor.caption", lang, {std::to_string(base.first_year - 1), first}) << "</figcaption>\n</figure>\n</section>\n";

  // Counties: the union of the scenarios' counties, in order of first appearance.
  std::vector<std::string> counties;
  for (const auto& s : d.scenarios)
    for (const auto& name : s.counties)
      if (std::find(counties.begin(), counties.end(), name) == counties.end()) counties.push_back(name);
  o << "<section id=\"counties\">\n<h2>" << label("sec.counties", lang) << "</h2>\n<table class=\"counties\">\n<thead><tr><th>"
    << label("col.county", lang) << "</th>";
  if (several) o << "<th>" << label("col.scenario", lang) << "</th>";
  o << "<th class=\"n\">" << label("col.exit_probability", lang, {last}) << "</th><th class=\"n\">"
    << label("col.poor_end", lang, {last}) << "</th><th class=\"n\">" << label("col.incidence", lang)
    << "</th><th class=\"n\">" << label("col.reentries", lang, {first, last}) << "</th><th>" << label("col.blocks", lang)
    << "</th></tr></thead>\n";
  const std::string list_separator = label("fmt.list_separator", lang);
  for (const auto& county : counties) {
    o << "<tbody class=\"county\">\n";
    // Names and listing from the first scenario that has the county.
    std::string zh;
    bool listed = false;
    for (const auto& s : d.scenarios) {
      const auto it = std::find(s.counties.begin(), s.counties.end(), county);
      if (it == s.counties.end()) continue;
      const auto i = static_cast<std::size_t>(it - s.counties.begin());
      zh = s.counties_zh[i];
      listed = s.poverty_county[i];
      break;
    }
    for (std::size_t k = 0; k < S; ++k) {
      const ScenarioBrief& s = d.scenarios[k];
      o << "<tr>";
      if (k == 0) {
        o << "<th" << (several ? " rowspan=\"" + std::to_string(S) + "\"" : "") << ">" << data_html(zh) << " " << data_html(county)
          << (listed ? " <span title=\"" + label("county.listed", lang) + "\">★</span>" : "") << "</th>";
      }
      if (several) o << "<td class=\"nw\">" << data_html(names[k]) << "</td>";
      const auto it = std::find(s.counties.begin(), s.counties.end(), county);
      if (it == s.counties.end()) {
        o << "<td class=\"n\">—</td><td class=\"n\">—</td><td class=\"n\">—</td><td class=\"n\">—</td><td>—</td></tr>\n";
        continue;
      }
      const auto i = static_cast<std::size_t>(it - s.counties.begin());
      std::string blocks;
      for (std::size_t q = 0; q < s.criteria.size(); ++q) {
        if (s.failing[i][q] < 0.5) continue;
        const std::string key = "criterion." + s.criteria[q];
        blocks += (blocks.empty() ? "" : list_separator) + "<span>" +
                  (has_translation(key) ? label(key, lang) : data_html(s.criteria[q])) + "</span>";
      }
      o << "<td class=\"n\">" << percent(s.exit_probability[i], 0) << "</td>"
        << "<td class=\"n\">" << format_number(s.poor_end[i].mean, 0) << " <span class=\"r\">"
        << range_text(s.poor_end[i].p05, s.poor_end[i].p95, 0, false, lang) << "</span></td>"
        << "<td class=\"n\">" << percent(s.incidence[i].mean, 1) << "</td>"
        << "<td class=\"n\">" << format_number(s.reentries[i].mean, 0) << " <span class=\"r\">"
        << range_text(s.reentries[i].p05, s.reentries[i].p95, 0, false, lang) << "</span></td>"
        << "<td>" << (blocks.empty() ? "—" : blocks) << "</td></tr>\n";
    }
    o << "</tbody>\n";
  }
  o << "</table>\n<p class=\"caption\">" << label("counties.caption", lang, {first, last}) << "</p>\n</section>\n";

  // Spending by measure and by source: categories with spending in any scenario.
  o << "<section id=\"spending\">\n<h2>" << label("sec.spending", lang) << "</h2>\n";
  auto categories = [&](bool measures) {
    std::vector<std::string> labels_out, html;
    for (const auto& s : d.scenarios) {
      const auto& labels_in = measures ? s.measures : s.sources;
      const auto& zh_in = measures ? s.measure_names_zh : s.source_names_zh;
      const auto& spend = measures ? s.spending_by_measure : s.spending_by_source;
      for (std::size_t i = 0; i < labels_in.size(); ++i) {
        if (!(spend[i].mean > 0 || spend[i].p95 > 0)) continue;
        if (std::find(labels_out.begin(), labels_out.end(), labels_in[i]) != labels_out.end()) continue;
        labels_out.push_back(labels_in[i]);
        html.push_back(category_name(measures ? "measure" : "source", labels_in[i], zh_in[i], lang));
      }
    }
    std::vector<std::vector<Statistics>> values;
    for (const auto& s : d.scenarios) {
      const auto& labels_in = measures ? s.measures : s.sources;
      const auto& spend = measures ? s.spending_by_measure : s.spending_by_source;
      std::vector<Statistics> row;
      for (const auto& l : labels_out) {
        const auto it = std::find(labels_in.begin(), labels_in.end(), l);
        row.push_back(it == labels_in.end() ? Statistics{} : spend[static_cast<std::size_t>(it - labels_in.begin())]);
      }
      values.push_back(row);
    }
    return std::make_tuple(labels_out, html, values);
  };
  const auto [measure_labels, measure_html, measure_values] = categories(true);
  const auto [source_labels, source_html, source_values] = categories(false);
  if (measure_labels.empty()) {
    o << "<p>" << label("spending.none", lang) << "</p>\n";
  } else {
    const std::string mt = label("chart.measure.title", lang, {first, last});
    const std::string st = label("chart.source.title", lang, {first, last});
    o << "<figure>\n<h3>" << mt << "</h3>\n" << bar_chart("measure", mt, measure_html, measure_values, names, lang)
      << "\n</figure>\n";
    o << "<figure>\n<h3>" << st << "</h3>\n" << bar_chart("source", st, source_html, source_values, names, lang)
      << "\n<figcaption>" << label("spending.caption", lang) << "</figcaption>\n</figure>\n";
  }
  o << "</section>\n";

  // Parameters that differ.
  o << "<section id=\"parameters\">\n<h2>" << label("sec.parameters", lang) << "</h2>\n";
  if (!several) {
    o << "<p>" << label("params.single", lang) << "</p>\n";
  } else {
    std::vector<std::string> texts;
    for (const auto& s : d.scenarios) texts.push_back(s.resolved);
    const auto diffs = differing_parameters(texts);
    if (diffs.empty()) {
      o << "<p>" << label("params.same", lang) << "</p>\n";
    } else {
      o << "<table class=\"parameters\">\n<thead><tr><th>" << label("col.parameter", lang) << "</th>";
      for (std::size_t k = 0; k < S; ++k) o << "<th>" << scenario_head(k) << "</th>";
      o << "</tr></thead>\n<tbody>\n";
      for (const auto& p : diffs) {
        o << "<tr><td>" << data_html(p.key, "code") << "</td>";
        for (const auto& v : p.values) o << "<td>" << (v ? data_html(*v, "code") : label("params.absent", lang)) << "</td>";
        o << "</tr>\n";
      }
      o << "</tbody>\n</table>\n";
    }
    o << "<p class=\"caption\">" << label("params.caption", lang) << "</p>\n";
  }
  o << "</section>\n";

  // Methods.
  o << "<section id=\"methods\" class=\"methods\">\n<h2>" << label("sec.methods", lang) << "</h2>\n<p>"
    << label("methods.crn", lang, {std::to_string(base.replicates)}) << "</p>\n<p>" << label("methods.ranges", lang)
    << "</p>\n<p>" << label("methods.docs", lang) << "</p>\n</section>\n";

  o << "</main>\n</body>\n</html>\n";
  return o.str();
}

void write_brief(const std::filesystem::path& path, bool force, const std::string& html) {
  write_new_file(path, force, [&](const std::filesystem::path& tmp) {
    std::ofstream out(tmp, std::ios::binary);
    out << html;
    out.flush();
    if (!out) throw std::runtime_error("cannot write " + tmp.string());
  });
}

}  // namespace tuopin
