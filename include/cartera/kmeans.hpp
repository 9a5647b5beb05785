#pragma once
/// \file kmeans.hpp
/// Needs-based clusters: k-means on standardised columns, k-means++ seeding with a fixed
/// seed, several restarts, the best (lowest inertia) kept.
///
/// Design notes. Lloyd's algorithm (Lloyd 1982) seeded by greedy k-means++ (Arthur &
/// Vassilvitskii 2007; at each step the best of 2 + ⌊ln k⌋ candidates, as scikit-learn
/// does). Distances come from ‖x‖² − 2 x·c + ‖c‖², so the heavy part of each iteration is
/// one matrix product per block of rows (Eigen), blocks split between threads. It stops when
/// the centres move less than `tolerance` × the mean variance of the columns, squared
/// (scikit-learn's rule), or after `max_iterations`.

#include <cstdint>

#include <Eigen/Core>

#include "cartera/columns.hpp"
#include "cartera/execution.hpp"

namespace cartera {

struct kmeans_options {
  int clusters = 8;
  int restarts = 4;
  int max_iterations = 300;
  double tolerance = 1e-4;
  std::uint64_t seed = 0;
  bool standardise = true;  ///< centre and scale each column (population standard deviation)

  void validate() const;
};

/// Row-major points: one row per customer, one column per feature.
using point_matrix = Eigen::Matrix<double, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;
/// Points in any row-major storage (a point_matrix, or a Map over NumPy's buffer), not copied.
using points_view = Eigen::Ref<const point_matrix>;

struct kmeans_model {
  point_matrix centres;         ///< clusters × features, in the original units
  Eigen::VectorXd mean, scale;  ///< the standardisation (0 and 1 when off)
  double inertia = 0;           ///< sum of squared distances to the centres, standardised units
  int iterations = 0;           ///< of the restart kept
  int restart = 0;              ///< which restart was kept
};

struct kmeans_result {
  kmeans_model model;
  int_column cluster;  ///< 0..clusters-1, numbered by decreasing size (ties by centre order)
};

/// Fits clusters; throws invalid_input for NaN or infinite values (naming the row and the
/// column) or fewer rows than clusters.
[[nodiscard]] kmeans_result fit_kmeans(points_view points, const kmeans_options& options = {},
                                       const execution& run = {});

/// The nearest centre of each row.
[[nodiscard]] int_column predict_kmeans(const kmeans_model& model, points_view points, const execution& run = {});

/// Sum of squared distances to the nearest centres, in the model's standardised units.
[[nodiscard]] double kmeans_inertia(const kmeans_model& model, points_view points, const execution& run = {});

}  // namespace cartera
