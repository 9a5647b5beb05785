#include "cartera/kmeans.hpp"

#include <algorithm>
#include <cmath>
#include <numeric>
#include <string>
#include <vector>

#include "cartera/detail/format.hpp"
#include "cartera/detail/parallel.hpp"
#include "cartera/detail/random.hpp"

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
assignment assign(const point_matrix& x, const real_column& x_norm, const point_matrix& centres, const execution& run) {
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

// New centres: the mean of each cluster's rows; an empty cluster takes the row farthest
// from its centre (the first such), as scikit-learn relocates them.
point_matrix update(const point_matrix& x, assignment& a, Eigen::Index clusters, const execution& run) {
  const Eigen::Index n = x.rows(), d = x.cols();
  const Eigen::Index blocks = block_count(n);
  std::vector<point_matrix> sums(static_cast<std::size_t>(blocks));
  std::vector<std::vector<std::int64_t>> counts(static_cast<std::size_t>(blocks));
  detail::parallel_for(
      blocks, run,
      [&](std::int64_t first, std::int64_t last) {
        for (Eigen::Index b = first; b < last; ++b) {
          auto& sum = sums[static_cast<std::size_t>(b)];
          auto& count = counts[static_cast<std::size_t>(b)];
          sum = point_matrix::Zero(clusters, d);
          count.assign(static_cast<std::size_t>(clusters), 0);
          const Eigen::Index start = b * block_rows, rows = std::min(block_rows, n - start);
          for (Eigen::Index r = start; r < start + rows; ++r) {
            sum.row(a.label[r]) += x.row(r);
            ++count[static_cast<std::size_t>(a.label[r])];
          }
        }
      },
      2);
  point_matrix centres = point_matrix::Zero(clusters, d);
  std::vector<std::int64_t> total(static_cast<std::size_t>(clusters), 0);
  for (std::size_t b = 0; b < sums.size(); ++b) {
    centres += sums[b];
    for (std::size_t c = 0; c < total.size(); ++c) total[c] += counts[b][c];
  }
  for (Eigen::Index c = 0; c < clusters; ++c) {
    if (total[static_cast<std::size_t>(c)] > 0) {
      centres.row(c) /= static_cast<double>(total[static_cast<std::size_t>(c)]);
    } else {
      Eigen::Index far = 0;
      a.distance.maxCoeff(&far);
      centres.row(c) = x.row(far);
      a.distance[far] = 0;
    }
  }
  return centres;
}

// Greedy k-means++: each new centre is the best of a few candidates drawn with probability
// proportional to the squared distance to the nearest centre so far.
point_matrix seed_centres(const point_matrix& x, const real_column& x_norm, Eigen::Index clusters,
                          detail::random_stream& random) {
  const Eigen::Index n = x.rows();
  const int trials = 2 + static_cast<int>(std::log(static_cast<double>(clusters)));
  point_matrix centres(clusters, x.cols());
  centres.row(0) = x.row(static_cast<Eigen::Index>(random.below(static_cast<std::uint64_t>(n))));
  const auto distances_to = [&](Eigen::Index row) {
    return real_column((x_norm - 2.0 * (x * x.row(row).transpose()).array() + x_norm[row]).max(0.0));
  };
  real_column closest = (x_norm - 2.0 * (x * centres.row(0).transpose()).array() + centres.row(0).squaredNorm()).max(0.0);
  std::vector<double> cumulative(static_cast<std::size_t>(n));
  for (Eigen::Index c = 1; c < clusters; ++c) {
    std::partial_sum(closest.begin(), closest.end(), cumulative.begin());
    const double potential = cumulative.back();
    Eigen::Index best_row = 0;
    double best_potential = std::numeric_limits<double>::infinity();
    real_column best_closest;
    for (int t = 0; t < trials; ++t) {
      Eigen::Index row;
      if (potential > 0) {
        const double target = random.uniform() * potential;
        row = std::min<Eigen::Index>(n - 1, std::upper_bound(cumulative.begin(), cumulative.end(), target) - cumulative.begin());
      } else {
        row = static_cast<Eigen::Index>(random.below(static_cast<std::uint64_t>(n)));
      }
      real_column candidate = closest.min(distances_to(row));
      const double candidate_potential = candidate.sum();
      if (candidate_potential < best_potential) {
        best_potential = candidate_potential;
        best_row = row;
        best_closest = std::move(candidate);
      }
    }
    centres.row(c) = x.row(best_row);
    closest = std::move(best_closest);
  }
  return centres;
}

}  // namespace

void kmeans_options::validate() const {
  const auto require = [](bool ok, const char* field, double value, const char* rule) {
    if (!ok) throw invalid_input({"kmeans_options", field, -1, detail::format_number(value)}, rule);
  };
  require(clusters >= 1, "clusters", clusters, "must be >= 1");
  require(restarts >= 1, "restarts", restarts, "must be >= 1");
  require(max_iterations >= 1, "max_iterations", max_iterations, "must be >= 1");
  require(tolerance >= 0 && std::isfinite(tolerance), "tolerance", tolerance, "must be finite and >= 0");
}

kmeans_result fit_kmeans(const point_matrix& points, const kmeans_options& options, const execution& run) {
  options.validate();
  const Eigen::Index n = points.rows(), d = points.cols();
  if (n < options.clusters) {
    throw invalid_input({"kmeans", "rows", -1, std::to_string(n)}, "fewer rows than clusters (" + std::to_string(options.clusters) + ")");
  }
  for (Eigen::Index r = 0; r < n; ++r) {
    for (Eigen::Index c = 0; c < d; ++c) {
      if (!std::isfinite(points(r, c))) {
        throw invalid_input({"kmeans", "column " + std::to_string(c), r, detail::format_number(points(r, c))}, "not a finite number");
      }
    }
  }
  kmeans_result result;
  kmeans_model& model = result.model;
  model.mean = Eigen::VectorXd::Zero(d);
  model.scale = Eigen::VectorXd::Ones(d);
  if (options.standardise) {
    model.mean = points.colwise().mean().transpose();
    const Eigen::VectorXd variance = (points.rowwise() - model.mean.transpose()).colwise().squaredNorm().transpose() / static_cast<double>(n);
    model.scale = variance.cwiseSqrt().unaryExpr([](double s) { return s > 0 ? s : 1.0; });
  }
  const point_matrix x = ((points.rowwise() - model.mean.transpose()).array().rowwise() / model.scale.transpose().array()).matrix();
  const real_column x_norm = x.rowwise().squaredNorm().array();
  const double mean_variance = ((x.rowwise() - x.colwise().mean()).colwise().squaredNorm() / static_cast<double>(n)).mean();
  const double limit = options.tolerance * mean_variance;

  const Eigen::Index k = options.clusters;
  double best_inertia = std::numeric_limits<double>::infinity();
  point_matrix best_centres;
  for (int restart = 0; restart < options.restarts; ++restart) {
    detail::random_stream random(options.seed, static_cast<std::uint64_t>(restart));
    point_matrix centres = seed_centres(x, x_norm, k, random);
    int iteration = 0;
    while (iteration < options.max_iterations) {
      ++iteration;
      assignment a = assign(x, x_norm, centres, run);
      point_matrix next = update(x, a, k, run);
      const double shift = (next - centres).squaredNorm();
      centres = std::move(next);
      if (shift <= limit) break;
    }
    const double inertia = assign(x, x_norm, centres, run).inertia;
    if (inertia < best_inertia) {
      best_inertia = inertia;
      best_centres = std::move(centres);
      model.iterations = iteration;
      model.restart = restart;
    }
  }
  // Number the clusters by decreasing size, ties by centre order.
  assignment final_assignment = assign(x, x_norm, best_centres, run);
  std::vector<std::int64_t> sizes(static_cast<std::size_t>(k), 0);
  for (Eigen::Index r = 0; r < n; ++r) ++sizes[static_cast<std::size_t>(final_assignment.label[r])];
  std::vector<index_t> order(static_cast<std::size_t>(k));
  std::iota(order.begin(), order.end(), 0);
  std::stable_sort(order.begin(), order.end(), [&](index_t a, index_t b) { return sizes[static_cast<std::size_t>(a)] > sizes[static_cast<std::size_t>(b)]; });
  std::vector<index_t> renumber(static_cast<std::size_t>(k));
  point_matrix sorted(k, d);
  for (std::size_t c = 0; c < order.size(); ++c) {
    renumber[static_cast<std::size_t>(order[c])] = static_cast<index_t>(c);
    sorted.row(static_cast<Eigen::Index>(c)) = best_centres.row(order[c]);
  }
  result.cluster.resize(n);
  for (Eigen::Index r = 0; r < n; ++r) result.cluster[r] = renumber[static_cast<std::size_t>(final_assignment.label[r])];
  model.centres = ((sorted.array().rowwise() * model.scale.transpose().array()).rowwise() + model.mean.transpose().array()).matrix();
  model.inertia = final_assignment.inertia;
  return result;
}

namespace {

assignment assign_original(const kmeans_model& model, const point_matrix& points, const execution& run) {
  if (points.cols() != model.centres.cols()) {
    throw invalid_input({"kmeans", "columns", -1, std::to_string(points.cols())},
                        "the model was fitted on " + std::to_string(model.centres.cols()) + " columns");
  }
  const point_matrix x = ((points.rowwise() - model.mean.transpose()).array().rowwise() / model.scale.transpose().array()).matrix();
  const point_matrix centres = ((model.centres.rowwise() - model.mean.transpose()).array().rowwise() / model.scale.transpose().array()).matrix();
  return assign(x, x.rowwise().squaredNorm().array(), centres, run);
}

}  // namespace

int_column predict_kmeans(const kmeans_model& model, const point_matrix& points, const execution& run) {
  return assign_original(model, points, run).label;
}

double kmeans_inertia(const kmeans_model& model, const point_matrix& points, const execution& run) {
  return assign_original(model, points, run).inertia;
}

}  // namespace cartera
