"""cartera.clean on a raw transaction log: 10 M rows of which 5 % are bad, in one run.

The log has what real ones have: rows without a customer, unparseable and future days,
text and infinities in amounts, exact duplicate lines, events of unknown customers, and
refunds (negative amounts, which are returns, not bad rows). Two shapes of the table, as
pandas reads them: from Parquet (ids as text, days as datetime64, amounts as numbers, so no
text in amounts) and from CSV with the project's reader (every column text). Every bad row
must be accounted for: rows given = rows kept + rows left out.

From the repository root: ``.venv/bin/python benchmarks/bench_cleaning.py [--rows 10000000]``;
``--keep-freed-memory`` runs it as the ``cartera`` command runs (freed memory kept by the
process rather than zeroed again by the kernel: ``cartera._memory``).
"""

from __future__ import annotations

import argparse
import time

import numpy as np
import pandas as pd

import cartera
from cartera._memory import keep_freed_memory


def raw_log(rows: int, seed: int = 1) -> tuple[pd.DataFrame, pd.DataFrame, int]:
    """A transaction log, the customers it may name, and how many rows were made bad."""
    random = np.random.default_rng(seed)
    customers = max(1, rows // 10)
    ids = pd.Series([f"C{k:07d}" for k in range(customers)], dtype="string")
    customer = ids.iloc[random.integers(0, customers, rows)].reset_index(drop=True).astype(object)
    days = np.datetime64("2023-01-01") + random.integers(0, 730, rows).astype("timedelta64[D]")
    amount = np.round(random.gamma(2.0, 40.0, rows), 2).astype(object)
    refunds = random.random(rows) < 0.02
    amount[refunds] = -amount[refunds]
    log = pd.DataFrame({"customer": customer, "day": pd.Series(days), "amount": amount})
    bad = np.flatnonzero(random.random(rows) < 0.05)
    kinds = random.integers(0, 6, len(bad))
    log.loc[bad[kinds == 0], "customer"] = None
    log.loc[bad[kinds == 1], "customer"] = "UNKNOWN"
    log.loc[bad[kinds == 2], "day"] = pd.Timestamp("2031-01-01")
    log.loc[bad[kinds == 3], "amount"] = "n/a"  # NaN in the Parquet shape
    log.loc[bad[kinds == 4], "amount"] = float("inf")
    duplicates = bad[kinds == 5]
    source = np.maximum(duplicates - 1, 0)
    log.iloc[duplicates] = log.iloc[source].to_numpy()
    # A duplicate of a row that is itself bad is left out for that row's reason: count the rest.
    made_bad = len(bad)
    return log, pd.DataFrame({"id": ids}), made_bad


def shapes(log: pd.DataFrame) -> list[tuple[str, pd.DataFrame]]:
    """The log as pandas reads it from Parquet and from CSV (ids and amounts as text)."""
    parquet = log.assign(customer=log["customer"].astype("str"), amount=pd.to_numeric(log["amount"], errors="coerce"))
    text = log.assign(
        customer=log["customer"].astype("str"),
        day=log["day"].dt.strftime("%Y-%m-%d").astype("str"),
        amount=log["amount"].astype("str"),
    )
    return [("Parquet: text ids, datetime64 days, float amounts", parquet), ("CSV: every column text", text)]


def timed(log: pd.DataFrame, customers: pd.DataFrame, rounds: int) -> tuple[float, cartera.Cleaned]:
    seconds = []
    for _ in range(rounds):
        started = time.perf_counter()
        cleaned = cartera.clean(customers, transactions=log, policy={"last_day": "2025-12-31"})
        seconds.append(time.perf_counter() - started)
    return min(seconds), cleaned


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rows", type=int, default=10_000_000)
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--keep-freed-memory", action="store_true", help="as the cartera command does")
    arguments = parser.parse_args()
    if arguments.keep_freed_memory and not keep_freed_memory():
        raise SystemExit("--keep-freed-memory needs glibc")
    log, customers, made_bad = raw_log(arguments.rows)
    print(
        f"cartera {cartera.__version__}, pandas {pd.__version__}; {arguments.rows:,} rows, {made_bad:,} made bad; "
        f"freed memory {'kept' if arguments.keep_freed_memory else 'returned'}\n"
    )
    print("| shape | clean (s, best of rounds) | rows kept | rows left out | values cleared | accounted |")
    print("|---|---:|---:|---:|---:|---|")
    for shape, frame in shapes(log):
        seconds, cleaned = timed(frame, customers, arguments.rounds)
        rows = cleaned.book.rows()
        kept = rows["transactions"] + rows["returns"]
        q = cleaned.quarantine
        dropped = int((q["action"] == "dropped").sum())
        accounted = kept + dropped == len(frame) and dropped >= made_bad * 0.99
        print(
            f"| {shape} | {seconds:.2f} | {kept:,} | {dropped:,} | {len(q) - dropped:,} | {'yes' if accounted else 'NO'} |",
            flush=True,
        )
    print()
    print(cleaned.reasons().to_string())


if __name__ == "__main__":
    main()
