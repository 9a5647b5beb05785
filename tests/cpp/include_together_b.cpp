#include "cartera/cartera.hpp"
#include "detail/format.hpp"
#include "detail/ordering.hpp"
#include "detail/parallel.hpp"
#include "detail/random.hpp"

int include_together_b() { return cartera::parse_day("1970-01-02"); }
