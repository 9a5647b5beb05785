// With include_together_b.cpp: every public header in two translation units of one program.
#include "cartera/cartera.hpp"
#include "detail/format.hpp"
#include "detail/ordering.hpp"
#include "detail/parallel.hpp"
#include "detail/random.hpp"

int include_together_b();

int main() { return include_together_b() == cartera::make_day(1970, 1, 2) ? 0 : 1; }
