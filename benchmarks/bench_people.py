"""The people at the account at 1 M customers: the findings (few people, single-threaded,
stale) and whom each planned contact talks to, on the synthetic bank (one customer in five
a business with one to three named people). The contact plan is made first (not timed).
Each is the best of 3.

Run from the repository root: ``.venv/bin/python benchmarks/bench_people.py [--customers 1000000]``.
"""

from __future__ import annotations

import argparse

from timing import best_of

import cartera
from cartera.people import paired_people


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--customers", type=int, default=1_000_000)
    args = parser.parse_args()
    book = cartera.synthetic_book(args.customers, args.customers // 100, seed=7)
    segments, stages = cartera.segment(book), cartera.stages(book)
    plan = cartera.plan_contacts(book, book.table("customers")["manager"], tier=segments, stage=stages)
    valuable = segments["tier"] == "Premium"
    found_in, found = best_of(3, lambda: cartera.people_findings(book, valuable=valuable))
    managers = book.manager_ids.get_indexer(plan.contacts["manager"])
    customers = book.customer_ids.get_indexer(plan.contacts["customer"])
    paired_in, paired = best_of(3, lambda: paired_people(book, managers, customers))
    print(
        f"{len(book.customer_ids):,} customers, {book.rows()['people']:,} people: {len(found):,} findings in "
        f"{found_in:.3f} s; {len(plan.contacts):,} planned contacts paired in {paired_in:.3f} s "
        f"({int(paired.notna().sum()):,} with a person)"
    )


if __name__ == "__main__":
    main()
