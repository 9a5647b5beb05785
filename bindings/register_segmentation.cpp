// Segmentation: tiers by score, ABC / Pareto and RFM. Fitted models cross as plain arrays,
// so the Python estimators hold (and pickle) them as NumPy attributes, scikit-learn style.
#include <pybind11/eigen.h>
#include <pybind11/numpy.h>
#include <pybind11/stl.h>

#include "cartera/segmentation.hpp"
#include "numpy_columns.hpp"

namespace py = pybind11;
using namespace cartera;
using namespace cartera::python;

namespace {

normalisation scale_from(const std::string& name) {
  if (name == "min_max") return normalisation::min_max;
  if (name == "z_score") return normalisation::z_score;
  if (name == "percentile") return normalisation::percentile;
  throw invalid_input({"score", "scale", -1, "'" + name + "'"}, "expected 'min_max', 'z_score' or 'percentile'");
}

score_policy score_policy_from(const py::list& variables, const py::object& tiers, const py::object& cuts,
                               bool quantile_cuts, int reason_variables) {
  score_policy p;
  for (const auto& item : variables) {
    const auto v = item.cast<py::dict>();
    p.variables.push_back({v["column"].cast<std::string>(), v["weight"].cast<double>(),
                           scale_from(v["scale"].cast<std::string>()), v["higher_is_better"].cast<bool>()});
  }
  if (!tiers.is_none()) p.tiers = tiers.cast<std::vector<std::string>>();
  if (!cuts.is_none()) p.cuts = cuts.cast<std::vector<double>>();
  p.quantile_cuts = quantile_cuts;
  p.reason_variables = reason_variables;
  p.validate();
  return p;
}

py::dict model_dict(const score_model& model) {
  py::list sorted;
  for (const auto& values : model.sorted)
    sorted.append(py::array_t<double>(static_cast<py::ssize_t>(values.size()), values.data()));
  return py::dict(py::arg("location") = model.location, py::arg("spread") = model.spread, py::arg("low") = model.low,
                  py::arg("high") = model.high, py::arg("sorted") = sorted, py::arg("thresholds") = model.thresholds);
}

py::dict score_dict(score_table&& t) {
  py::list contribution;
  for (auto& c : t.contribution) contribution.append(to_numpy(std::move(c)));
  return py::dict(py::arg("score") = to_numpy(std::move(t.score)), py::arg("rank") = to_numpy(std::move(t.rank)),
                  py::arg("tier") = categorical_out(std::move(t.tier)),
                  py::arg("reason") = categorical_out(std::move(t.reason)), py::arg("contribution") = contribution);
}

}  // namespace

// Long on purpose: one m.def per function of the concept, in the order the stubs list them.
void register_segmentation(py::module_& m) {
  m.attr("SCORE_DEFAULTS") = [] {
    const score_policy p;
    return py::dict(py::arg("tiers") = p.tiers, py::arg("cuts") = p.cuts, py::arg("quantile_cuts") = p.quantile_cuts,
                    py::arg("reason_variables") = p.reason_variables);
  }();
  m.attr("RFM_SEGMENTS") = [] {
    std::vector<std::pair<std::string, std::string>> pairs;
    for (const auto& r : rfm_policy::default_segments()) pairs.emplace_back(r.label, r.condition);
    return pairs;
  }();

  m.def(
      "check_score_policy",
      [](const py::list& variables, const py::object& tiers, const py::object& cuts, bool quantile_cuts,
         int reason_variables) { (void)score_policy_from(variables, tiers, cuts, quantile_cuts, reason_variables); },
      py::arg("variables"), py::arg("tiers"), py::arg("cuts"), py::arg("quantile_cuts"), py::arg("reason_variables"),
      "Raises InvalidInputError naming the score policy's field out of range.");

  m.def(
      "score_fit",
      [](const py::dict& columns, index_t rows, const py::list& variables, const py::object& tiers,
         const py::object& cuts, bool quantile_cuts, int reason_variables) {
        const score_policy p = score_policy_from(variables, tiers, cuts, quantile_cuts, reason_variables);
        return model_dict(fit_score(p, columns_from(columns, rows, "columns")));
      },
      py::arg("columns"), py::arg("rows"), py::arg("variables"), py::arg("tiers"), py::arg("cuts"),
      py::arg("quantile_cuts"), py::arg("reason_variables"));

  m.def(
      "score_apply",
      [](const py::dict& columns, index_t rows, const py::list& variables, const py::object& tiers,
         const py::object& cuts, bool quantile_cuts, int reason_variables, const py::dict& fitted) {
        score_model model;
        model.policy = score_policy_from(variables, tiers, cuts, quantile_cuts, reason_variables);
        model.location = fitted["location"].cast<std::vector<double>>();
        model.spread = fitted["spread"].cast<std::vector<double>>();
        if (!fitted.contains("low") || !fitted.contains("high"))
          throw invalid_input({"score", "model", -1, {}}, "the fitted model is from an older cartera; fit again");
        model.low = fitted["low"].cast<std::vector<double>>();
        model.high = fitted["high"].cast<std::vector<double>>();
        model.thresholds = fitted["thresholds"].cast<std::vector<double>>();
        for (const auto& values : fitted["sorted"].cast<py::list>())
          model.sorted.push_back(values.cast<std::vector<double>>());
        if (model.location.size() != model.policy.variables.size() ||
            model.sorted.size() != model.policy.variables.size() || model.low.size() != model.policy.variables.size() ||
            model.high.size() != model.policy.variables.size() || model.thresholds.size() != model.policy.cuts.size()) {
          throw invalid_input({"score", "model", -1, {}}, "the fitted model does not match the policy; fit again");
        }
        return score_dict(apply_score(model, columns_from(columns, rows, "columns")));
      },
      py::arg("columns"), py::arg("rows"), py::arg("variables"), py::arg("tiers"), py::arg("cuts"),
      py::arg("quantile_cuts"), py::arg("reason_variables"), py::arg("fitted"));

  m.def(
      "score_fit_apply",
      [](const py::dict& columns, index_t rows, const py::list& variables, const py::object& tiers,
         const py::object& cuts, bool quantile_cuts, int reason_variables) {
        const score_policy p = score_policy_from(variables, tiers, cuts, quantile_cuts, reason_variables);
        auto [model, table] = fit_apply_score(p, columns_from(columns, rows, "columns"));
        return py::make_tuple(model_dict(model), score_dict(std::move(table)));
      },
      py::arg("columns"), py::arg("rows"), py::arg("variables"), py::arg("tiers"), py::arg("cuts"),
      py::arg("quantile_cuts"), py::arg("reason_variables"));

  m.def(
      "classify_abc",
      [](const py::handle& values, double a, double b) {
        const real_column v = to_real_column(values, "abc", "value");
        abc_table t = classify_abc(span_of(v), {a, b});
        return py::dict(py::arg("abc") = categorical_out(std::move(t.abc)),
                        py::arg("rank") = to_numpy(std::move(t.rank)), py::arg("share") = to_numpy(std::move(t.share)),
                        py::arg("cumulative") = to_numpy(std::move(t.cumulative)));
      },
      py::arg("values"), py::arg("a"), py::arg("b"));

  m.def(
      "pareto_curve",
      [](const py::handle& values) {
        const real_column v = to_real_column(values, "pareto", "value");
        pareto_curve c = make_pareto_curve(span_of(v));
        return py::make_tuple(to_numpy(std::move(c.customers)), to_numpy(std::move(c.value)));
      },
      py::arg("values"));

  m.def(
      "rfm_fit",
      [](const py::handle& r, const py::handle& f, const py::handle& mon, int bins,
         const std::vector<std::pair<std::string, std::string>>& segments, const std::string& fallback) {
        const real_column rv = to_real_column(r, "rfm", "recency"), fv = to_real_column(f, "rfm", "frequency"),
                          mv = to_real_column(mon, "rfm", "monetary");
        rfm_model model = fit_rfm({bins, to_rules(segments), fallback}, span_of(rv), span_of(fv), span_of(mv));
        const auto array = [](const std::vector<double>& x) {
          return py::array_t<double>(static_cast<py::ssize_t>(x.size()), x.data());
        };
        return py::make_tuple(array(model.recency), array(model.frequency), array(model.monetary));
      },
      py::arg("recency"), py::arg("frequency"), py::arg("monetary"), py::arg("bins"), py::arg("segments"),
      py::arg("default_segment"));

  m.def(
      "rfm_fit_apply",
      [](const py::handle& r, const py::handle& f, const py::handle& mon, int bins,
         const std::vector<std::pair<std::string, std::string>>& segments, const std::string& fallback) {
        const real_column rv = to_real_column(r, "rfm", "recency"), fv = to_real_column(f, "rfm", "frequency"),
                          mv = to_real_column(mon, "rfm", "monetary");
        auto [model, t] = fit_apply_rfm({bins, to_rules(segments), fallback}, span_of(rv), span_of(fv), span_of(mv));
        const auto array = [](const std::vector<double>& x) {
          return py::array_t<double>(static_cast<py::ssize_t>(x.size()), x.data());
        };
        return py::make_tuple(py::make_tuple(array(model.recency), array(model.frequency), array(model.monetary)),
                              py::dict(py::arg("r") = to_numpy(std::move(t.r)), py::arg("f") = to_numpy(std::move(t.f)),
                                       py::arg("m") = to_numpy(std::move(t.m)),
                                       py::arg("segment") = categorical_out(std::move(t.segment))));
      },
      py::arg("recency"), py::arg("frequency"), py::arg("monetary"), py::arg("bins"), py::arg("segments"),
      py::arg("default_segment"));

  m.def(
      "rfm_apply",
      [](const py::handle& r, const py::handle& f, const py::handle& mon, int bins,
         const std::vector<std::pair<std::string, std::string>>& segments, const std::string& fallback,
         const py::tuple& fitted) {
        const real_column rv = to_real_column(r, "rfm", "recency"), fv = to_real_column(f, "rfm", "frequency"),
                          mv = to_real_column(mon, "rfm", "monetary");
        rfm_model model{{bins, to_rules(segments), fallback},
                        fitted[0].cast<std::vector<double>>(),
                        fitted[1].cast<std::vector<double>>(),
                        fitted[2].cast<std::vector<double>>()};
        model.policy.validate();
        rfm_table t = apply_rfm(model, span_of(rv), span_of(fv), span_of(mv));
        return py::dict(py::arg("r") = to_numpy(std::move(t.r)), py::arg("f") = to_numpy(std::move(t.f)),
                        py::arg("m") = to_numpy(std::move(t.m)),
                        py::arg("segment") = categorical_out(std::move(t.segment)));
      },
      py::arg("recency"), py::arg("frequency"), py::arg("monetary"), py::arg("bins"), py::arg("segments"),
      py::arg("default_segment"), py::arg("fitted"));
}
