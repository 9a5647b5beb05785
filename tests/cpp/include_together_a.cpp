// With include_together_b.cpp: every public header in two translation units of one program.
#include "cartera/cartera.hpp"
#include "cartera/detail/format.hpp"
#include "cartera/detail/ordering.hpp"
#include "cartera/detail/parallel.hpp"
#include "cartera/detail/random.hpp"

int include_together_b();

int main() { return include_together_b() == cartera::make_day(1970, 1, 2) ? 0 : 1; }
