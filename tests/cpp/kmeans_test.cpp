#include "cartera/kmeans.hpp"

#include "detail/random.hpp"
#include "test_support.hpp"

namespace cartera {
namespace {

// Four tight blobs far apart, 300 points each, in 3 dimensions.
point_matrix blobs(std::uint64_t seed) {
  detail::random_stream random(seed, 0);
  const double centres[4][3] = {{0, 0, 0}, {10, 0, 0}, {0, 10, 0}, {0, 0, 10}};
  point_matrix points(1200, 3);
  for (Eigen::Index r = 0; r < 1200; ++r) {
    for (Eigen::Index c = 0; c < 3; ++c) points(r, c) = centres[r % 4][c] + 0.3 * random.normal();
  }
  return points;
}

TEST(kmeans_test, recovers_well_separated_blobs) {
  kmeans_options options;
  options.clusters = 4;
  const kmeans_result result = fit_kmeans(blobs(1), options);
  // Every blob is one cluster: rows r and r + 4 always share a label, and the four differ.
  for (Eigen::Index r = 4; r < 1200; ++r) ASSERT_EQ(result.cluster[r], result.cluster[r - 4]);
  std::vector<int> labels = {result.cluster[0], result.cluster[1], result.cluster[2], result.cluster[3]};
  std::sort(labels.begin(), labels.end());
  EXPECT_EQ(labels, (std::vector<int>{0, 1, 2, 3}));
  EXPECT_EQ(predict_kmeans(result.model, blobs(1))[5], result.cluster[5]);
  EXPECT_NEAR(kmeans_inertia(result.model, blobs(1)), result.model.inertia, 1e-6 * result.model.inertia);
  // Centres come back in the original units.
  const Eigen::Index third = result.cluster[3];
  EXPECT_NEAR(result.model.centres(third, 2), 10.0, 0.1);
}

TEST(kmeans_test, is_deterministic_for_a_seed_whatever_the_threads) {
  point_matrix points(20000, 2);
  detail::random_stream random(3, 0);
  for (Eigen::Index r = 0; r < points.rows(); ++r) points.row(r) << random.normal(), random.normal() * 2;
  kmeans_options options;
  options.clusters = 5;
  options.restarts = 2;
  const kmeans_result one = fit_kmeans(points, options, {.threads = 1});
  const kmeans_result two = fit_kmeans(points, options, {.threads = 2});
  EXPECT_TRUE((one.cluster == two.cluster).all());
  EXPECT_EQ(one.model.inertia, two.model.inertia);
  // Clusters are numbered by decreasing size.
  std::vector<int> sizes(5, 0);
  for (const int c : one.cluster) ++sizes[static_cast<std::size_t>(c)];
  EXPECT_TRUE(std::is_sorted(sizes.rbegin(), sizes.rend()));
}

TEST(kmeans_test, rejects_bad_points) {
  point_matrix points = point_matrix::Zero(10, 2);
  points(7, 1) = std::numeric_limits<double>::quiet_NaN();
  EXPECT_THROW_MSG((void)fit_kmeans(points), invalid_input,
                   "kmeans.column 1 row 7 (value nan): missing value; fill or drop it first");
  points(7, 1) = std::numeric_limits<double>::infinity();
  EXPECT_THROW_MSG((void)fit_kmeans(points), invalid_input, "kmeans.column 1 row 7 (value inf): not a finite number");
  EXPECT_THROW_MSG((void)fit_kmeans(point_matrix::Zero(3, 2)), invalid_input,
                   "kmeans.rows (value 3): fewer rows than clusters (8)");
  // A model applied to a point with a missing value says so, instead of putting it in cluster 0.
  point_matrix blobs = point_matrix::Zero(10, 2);
  for (Eigen::Index r = 5; r < 10; ++r) blobs.row(r).setConstant(10);
  const kmeans_model model = fit_kmeans(blobs, {.clusters = 2}).model;
  point_matrix next = point_matrix::Zero(2, 2);
  next(1, 0) = std::numeric_limits<double>::quiet_NaN();
  EXPECT_THROW_MSG((void)predict_kmeans(model, next), invalid_input,
                   "kmeans.column 0 row 1 (value nan): missing value; fill or drop it first");
}

}  // namespace
}  // namespace cartera
