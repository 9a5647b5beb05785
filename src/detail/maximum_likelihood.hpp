#pragma once
// Maximum likelihood for models of positive parameters: L-BFGS (LBFGS++) on the mean
// negative log-likelihood in the log of the parameters, so that the search is unconstrained,
// plus lifetimes' penalty (penalizer × the sum of the squared parameters).

#include <LBFGS.h>

#include <Eigen/Core>
#include <array>
#include <cmath>
#include <cstddef>
#include <exception>
#include <limits>

#include "cartera/bg_nbd.hpp"

namespace cartera::detail {

template <std::size_t size>
struct log_space_fit {
  std::array<double, size> params{};  ///< the best point seen, as parameters (not their logs)
  int evaluations = 0;
  bool converged = false;
};

/// `log_likelihood(params, gradient)` returns the log-likelihood summed over `customers`
/// and fills its gradient in the parameters; the search starts with every parameter 1.
template <std::size_t size, typename LogLikelihood>
log_space_fit<size> fit_in_logs(LogLikelihood&& log_likelihood, double customers, const model_fit_options& options) {
  log_space_fit<size> fit;
  double best = std::numeric_limits<double>::infinity();
  Eigen::VectorXd best_theta = Eigen::VectorXd::Zero(size);
  const auto objective = [&](const Eigen::VectorXd& theta, Eigen::VectorXd& gradient) {
    ++fit.evaluations;
    std::array<double, size> params{}, slope{};
    for (std::size_t j = 0; j < size; ++j) params[j] = std::exp(theta[static_cast<Eigen::Index>(j)]);
    const double value = log_likelihood(params, slope);
    double penalty = 0;
    for (std::size_t j = 0; j < size; ++j) {
      penalty += params[j] * params[j];
      gradient[static_cast<Eigen::Index>(j)] =
          -slope[j] * params[j] / customers + 2 * options.penalizer * params[j] * params[j];
    }
    const double f = -value / customers + options.penalizer * penalty;
    if (!std::isfinite(f)) {
      gradient.setZero();
      return std::numeric_limits<double>::infinity();
    }
    if (f < best) {
      best = f;
      best_theta = theta;
    }
    return f;
  };
  LBFGSpp::LBFGSParam<double> param;
  param.epsilon = options.tolerance;
  param.epsilon_rel = 0;
  param.max_iterations = options.max_iterations;
  param.linesearch = LBFGSpp::LBFGS_LINESEARCH_BACKTRACKING_STRONG_WOLFE;
  LBFGSpp::LBFGSSolver<double, LBFGSpp::LineSearchNocedalWright> solver(param);
  Eigen::VectorXd theta = Eigen::VectorXd::Zero(size);
  double f = 0;
  try {
    fit.converged = solver.minimize(objective, theta, f) < options.max_iterations;
  } catch (const std::exception&) {
    // The line search could not improve any more, which happens at the optimum when the
    // tolerance is below what doubles can resolve: converged when the gradient is short.
    Eigen::VectorXd gradient(size);
    const int evaluations = fit.evaluations;
    (void)objective(best_theta, gradient);
    fit.evaluations = evaluations;
    fit.converged = gradient.norm() < std::sqrt(options.tolerance);
  }
  for (std::size_t j = 0; j < size; ++j) fit.params[j] = std::exp(best_theta[static_cast<Eigen::Index>(j)]);
  return fit;
}

}  // namespace cartera::detail
