#include "cartera/cartera.hpp"
#include "cartera/detail/format.hpp"
#include "cartera/detail/ordering.hpp"
#include "cartera/detail/parallel.hpp"
#include "cartera/detail/random.hpp"

int include_together_b() { return cartera::parse_day("1970-01-02"); }
