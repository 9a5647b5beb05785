#include <cartera/cartera.hpp>
#include <iostream>

int main() {
  using namespace cartera;
  customer_table customers{id_index({"ana", "luis"}, "customers")};
  transaction_table sales;
  sales.customer = customers.id.encode(std::vector<std::string>{"ana", "ana", "luis"}, "transactions", "customer");
  sales.day = int_column{{parse_day("2024-05-02"), parse_day("2024-06-20"), parse_day("2023-11-30")}};
  sales.amount = real_column{{120.0, 80.0, 45.5}};
  const book customer_book(std::move(customers), {}, std::move(sales));
  const value_table value = compute_value(customer_book, parse_day("2024-06-30"));
  for (index_t c = 0; c < customer_book.customer_count(); ++c)
    std::cout << customer_book.customers().id[c] << ": " << value.frequency[c] << " purchases, " << value.monetary[c]
              << " in the last year, " << value.recency[c] << " days since the last\n";

  // One manager with room for one customer: who is worth it?
  realignment_customers who;
  who.value = {value.monetary[0], value.monetary[1]};
  realignment_managers managers;
  managers.capacity = {1};
  const assignment_result plan = solve_assignment(build_realignment(who, managers));
  for (index_t c = 0; c < customer_book.customer_count(); ++c)
    std::cout << customer_book.customers().id[c]
              << (plan.manager[static_cast<std::size_t>(c)] == no_index ? ": no manager\n" : ": manager 0\n");
}
