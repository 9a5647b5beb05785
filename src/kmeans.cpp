#include "cartera/kmeans.hpp"

#include <algorithm>
#include <cmath>
#include <numeric>
#include <optional>
#include <string>
#include <vector>

#include "detail/checks.hpp"
#include "detail/format.hpp"
#include "detail/parallel.hpp"
#include "detail/random.hpp"

namespace cartera {
namespace {

// Rows are processed in fixed blocks and partial sums are added in block order, so results
// do not depend on the number of threads.
constexpr Eigen::Index block_rows = 4096;

Eigen::Index block_count(Eigen::Index rows) { return (rows + block_rows - 1) / block_rows; }

struct assignment {
  int_column label;
  real_column distance;  // squared, to the nearest centre
  double inertia = 0;
};

// Nearest centre of every row, from ‖x‖² − 2 x·c + ‖c‖² one block at a time.
assignment assign(points_view x, const real_column& x_norm, const point_matrix& centres, const execution& run) {
  const Eigen::Index n = x.rows();
  assignment a{int_column(n), real_column(n), 0.0};
  const Eigen::VectorXd c_norm = centres.rowwise().squaredNorm();
  const Eigen::Index blocks = block_count(n);
  std::vector<double> block_inertia(static_cast<std::size_t>(blocks), 0.0);
  detail::parallel_for(
      blocks, run,
      [&](std::int64_t first, std::int64_t last) {
        Eigen::MatrixXd products;
        for (Eigen::Index b = first; b < last; ++b) {
          const Eigen::Index start = b * block_rows, rows = std::min(block_rows, n - start);
          products.noalias() = x.middleRows(start, rows) * centres.transpose();
          double inertia = 0;
          for (Eigen::Index r = 0; r < rows; ++r) {
            Eigen::Index best = 0;
            double nearest = std::numeric_limits<double>::infinity();
            for (Eigen::Index c = 0; c < centres.rows(); ++c) {
              const double d = c_norm[c] - 2.0 * products(r, c);
              if (d < nearest) {
                nearest = d;
                best = c;
              }
            }
            const double distance = std::max(0.0, nearest + x_norm[start + r]);
            a.label[start + r] = static_cast<index_t>(best);
            a.distance[start + r] = distance;
            inertia += distance;
          }
          block_inertia[static_cast<std::size_t>(b)] = inertia;
        }
      },
      2);
  for (const double part : block_inertia) a.inertia += part;
  return a;
}

// One Lloyd step in a single pass over the rows: each row goes to its nearest centre and
// is added to that cluster's sum at once. Returns the new centres; an empty cluster takes
// the row farthest from its centre (the first such), as scikit-learn relocates them.
point_matrix lloyd_step(points_view x, const real_column& x_norm, const point_matrix& centres, const execution& run) {
  const Eigen::Index n = x.rows(), d = x.cols(), k = centres.rows();
  const Eigen::VectorXd c_norm = centres.rowwise().squaredNorm();
  const Eigen::Index blocks = block_count(n);
  std::vector<point_matrix> sums(static_cast<std::size_t>(blocks));
  std::vector<std::vector<std::int64_t>> counts(static_cast<std::size_t>(blocks));
  detail::parallel_for(
      blocks, run,
      [&](std::int64_t first, std::int64_t last) {
        Eigen::MatrixXd products;
        for (Eigen::Index b = first; b < last; ++b) {
          auto& sum = sums[static_cast<std::size_t>(b)];
          auto& count = counts[static_cast<std::size_t>(b)];
          sum = point_matrix::Zero(k, d);
          count.assign(static_cast<std::size_t>(k), 0);
          const Eigen::Index start = b * block_rows, rows = std::min(block_rows, n - start);
          products.noalias() = x.middleRows(start, rows) * centres.transpose();
          for (Eigen::Index r = 0; r < rows; ++r) {
            Eigen::Index best = 0;
            double nearest = std::numeric_limits<double>::infinity();
            for (Eigen::Index c = 0; c < k; ++c) {
              const double distance = c_norm[c] - 2.0 * products(r, c);
              if (distance < nearest) {
                nearest = distance;
                best = c;
              }
            }
            const double* point = x.data() + (start + r) * d;
            double* total = sum.data() + best * d;
            for (Eigen::Index j = 0; j < d; ++j) total[j] += point[j];
            ++count[static_cast<std::size_t>(best)];
          }
        }
      },
      2);
  point_matrix next = point_matrix::Zero(k, d);
  std::vector<std::int64_t> total(static_cast<std::size_t>(k), 0);
  for (std::size_t b = 0; b < sums.size(); ++b) {
    next += sums[b];
    for (std::size_t c = 0; c < total.size(); ++c) total[c] += counts[b][c];
  }
  std::optional<assignment> nearest;  // computed only if a cluster emptied
  for (Eigen::Index c = 0; c < k; ++c) {
    if (total[static_cast<std::size_t>(c)] > 0) {
      next.row(c) /= static_cast<double>(total[static_cast<std::size_t>(c)]);
    } else {
      if (!nearest) nearest = assign(x, x_norm, centres, run);
      Eigen::Index far = 0;
      nearest->distance.maxCoeff(&far);
      next.row(c) = x.row(far);
      nearest->distance[far] = 0;
    }
  }
  return next;
}

// Greedy k-means++: each new centre is the best of a few candidates drawn with probability
// proportional to the squared distance to the nearest centre so far.
point_matrix seed_centres(points_view x, const real_column& x_norm, Eigen::Index clusters,
                          detail::random_stream& random) {
  const Eigen::Index n = x.rows();
  const int trials = 2 + static_cast<int>(std::log(static_cast<double>(clusters)));
  point_matrix centres(clusters, x.cols());
  centres.row(0) = x.row(static_cast<Eigen::Index>(random.below(static_cast<std::uint64_t>(n))));
  real_column closest =
      (x_norm - 2.0 * (x * centres.row(0).transpose()).array() + centres.row(0).squaredNorm()).max(0.0);
  std::vector<double> cumulative(static_cast<std::size_t>(n));
  point_matrix candidates(trials, x.cols());
  std::vector<Eigen::Index> rows(static_cast<std::size_t>(trials));
  Eigen::MatrixXd products;
  for (Eigen::Index c = 1; c < clusters; ++c) {
    std::partial_sum(closest.begin(), closest.end(), cumulative.begin());
    const double potential = cumulative.back();
    for (int t = 0; t < trials; ++t) {
      Eigen::Index row;
      if (potential > 0) {
        const double target = random.uniform() * potential;
        row = std::min<Eigen::Index>(
            n - 1, std::upper_bound(cumulative.begin(), cumulative.end(), target) - cumulative.begin());
      } else {
        row = static_cast<Eigen::Index>(random.below(static_cast<std::uint64_t>(n)));
      }
      rows[static_cast<std::size_t>(t)] = row;
      candidates.row(t) = x.row(row);
    }
    // Every candidate's distances in one matrix product; keep the one that lowers the
    // potential most (the first of equals).
    products.noalias() = x * candidates.transpose();
    const Eigen::VectorXd c_norm = candidates.rowwise().squaredNorm();
    int best = 0;
    double best_potential = std::numeric_limits<double>::infinity();
    for (int t = 0; t < trials; ++t) {
      const double candidate_potential =
          closest.min((x_norm - 2.0 * products.col(t).array() + c_norm[t]).max(0.0)).sum();
      if (candidate_potential < best_potential) {
        best_potential = candidate_potential;
        best = t;
      }
    }
    closest = closest.min((x_norm - 2.0 * products.col(best).array() + c_norm[best]).max(0.0));
    centres.row(c) = x.row(rows[static_cast<std::size_t>(best)]);
  }
  return centres;
}

}  // namespace

void kmeans_options::validate() const {
  const detail::policy_checks require("kmeans_options");
  require(clusters >= 1, "clusters", clusters, "must be >= 1");
  require(restarts >= 1, "restarts", restarts, "must be >= 1");
  require(max_iterations >= 1, "max_iterations", max_iterations, "must be >= 1");
  require(tolerance >= 0 && std::isfinite(tolerance), "tolerance", tolerance, "must be finite and >= 0");
}

namespace {

// Every point must be a number: a missing value would otherwise fall into some cluster.
void check_finite(points_view points) {
  for (Eigen::Index r = 0; r < points.rows(); ++r) {
    for (Eigen::Index c = 0; c < points.cols(); ++c) {
      const double x = points(r, c);
      if (!std::isfinite(x)) {
        throw invalid_input({"kmeans", "column " + std::to_string(c), r, detail::format_number(x)},
                            std::isnan(x) ? "missing value; fill or drop it first" : "not a finite number");
      }
    }
  }
}

}  // namespace

kmeans_result fit_kmeans(points_view points, const kmeans_options& options, const execution& run) {
  options.validate();
  const Eigen::Index n = points.rows(), d = points.cols();
  if (n < options.clusters) {
    throw invalid_input({"kmeans", "rows", -1, std::to_string(n)},
                        "fewer rows than clusters (" + std::to_string(options.clusters) + ")");
  }
  check_finite(points);
  kmeans_result result;
  kmeans_model& model = result.model;
  model.mean = Eigen::VectorXd::Zero(d);
  model.scale = Eigen::VectorXd::Ones(d);
  if (options.standardise) {
    model.mean = points.colwise().mean().transpose();
    const Eigen::VectorXd variance =
        (points.rowwise() - model.mean.transpose()).colwise().squaredNorm().transpose() / static_cast<double>(n);
    model.scale = variance.cwiseSqrt().unaryExpr([](double s) { return s > 0 ? s : 1.0; });
  }
  // Standardised copy only when asked; otherwise the caller's points are used in place.
  point_matrix standardised;
  if (options.standardise) {
    standardised =
        ((points.rowwise() - model.mean.transpose()).array().rowwise() / model.scale.transpose().array()).matrix();
  }
  const points_view x = options.standardise ? points_view(standardised) : points;
  const real_column x_norm = x.rowwise().squaredNorm().array();
  const Eigen::RowVectorXd column_mean = x.colwise().mean();
  double mean_variance = 0;
  for (Eigen::Index r = 0; r < n; ++r) mean_variance += (x.row(r) - column_mean).squaredNorm();
  mean_variance /= static_cast<double>(n * d);
  const double limit = options.tolerance * mean_variance;

  const Eigen::Index k = options.clusters;
  assignment final_assignment;
  final_assignment.inertia = std::numeric_limits<double>::infinity();
  point_matrix best_centres;
  for (int restart = 0; restart < options.restarts; ++restart) {
    detail::random_stream random(options.seed, static_cast<std::uint64_t>(restart));
    point_matrix centres = seed_centres(x, x_norm, k, random);
    int iteration = 0;
    while (iteration < options.max_iterations) {
      ++iteration;
      point_matrix next = lloyd_step(x, x_norm, centres, run);
      const double shift = (next - centres).squaredNorm();
      centres = std::move(next);
      if (shift <= limit) break;
    }
    assignment a = assign(x, x_norm, centres, run);
    if (a.inertia < final_assignment.inertia) {
      final_assignment = std::move(a);
      best_centres = std::move(centres);
      model.iterations = iteration;
      model.restart = restart;
    }
  }
  // Number the clusters by decreasing size, ties by centre order.
  std::vector<std::int64_t> sizes(static_cast<std::size_t>(k), 0);
  for (Eigen::Index r = 0; r < n; ++r) ++sizes[static_cast<std::size_t>(final_assignment.label[r])];
  std::vector<index_t> order(static_cast<std::size_t>(k));
  std::iota(order.begin(), order.end(), 0);
  std::stable_sort(order.begin(), order.end(), [&](index_t a, index_t b) {
    return sizes[static_cast<std::size_t>(a)] > sizes[static_cast<std::size_t>(b)];
  });
  std::vector<index_t> renumber(static_cast<std::size_t>(k));
  point_matrix sorted(k, d);
  for (std::size_t c = 0; c < order.size(); ++c) {
    renumber[static_cast<std::size_t>(order[c])] = static_cast<index_t>(c);
    sorted.row(static_cast<Eigen::Index>(c)) = best_centres.row(order[c]);
  }
  result.cluster.resize(n);
  for (Eigen::Index r = 0; r < n; ++r)
    result.cluster[r] = renumber[static_cast<std::size_t>(final_assignment.label[r])];
  model.centres =
      ((sorted.array().rowwise() * model.scale.transpose().array()).rowwise() + model.mean.transpose().array())
          .matrix();
  model.inertia = final_assignment.inertia;
  return result;
}

namespace {

assignment assign_original(const kmeans_model& model, points_view points, const execution& run) {
  if (points.cols() != model.centres.cols()) {
    throw invalid_input({"kmeans", "columns", -1, std::to_string(points.cols())},
                        "the model was fitted on " + std::to_string(model.centres.cols()) + " columns");
  }
  check_finite(points);
  const point_matrix x =
      ((points.rowwise() - model.mean.transpose()).array().rowwise() / model.scale.transpose().array()).matrix();
  const point_matrix centres =
      ((model.centres.rowwise() - model.mean.transpose()).array().rowwise() / model.scale.transpose().array()).matrix();
  return assign(x, x.rowwise().squaredNorm().array(), centres, run);
}

}  // namespace

int_column predict_kmeans(const kmeans_model& model, points_view points, const execution& run) {
  return assign_original(model, points, run).label;
}

double kmeans_inertia(const kmeans_model& model, points_view points, const execution& run) {
  return assign_original(model, points, run).inertia;
}

}  // namespace cartera
