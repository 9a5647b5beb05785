from __future__ import annotations

import os
from pathlib import Path

import pytest

import cartera

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="session")
def shared_data() -> Path:
    """The real public data sets, read in place from ../shared/data (or $CARTERA_DATA)."""
    path = Path(os.environ.get("CARTERA_DATA", ROOT.parent / "shared" / "data"))
    if not path.is_dir():
        pytest.fail(f"the shared data sets are missing: {path} (set CARTERA_DATA)")
    return path


def write_book(folder: Path, customers: int, managers: int, seed: int) -> Path:
    """A synthetic bank written as the files a user would have: one CSV per table,
    customers and managers keyed by an ``id`` column."""
    folder.mkdir(parents=True, exist_ok=True)
    book = cartera.synthetic_book(customers, managers, seed=seed)
    for table in cartera.TABLES:
        frame = book.table(table)
        if table in ("customers", "managers"):
            frame = frame.rename_axis("id").reset_index()
        frame.to_csv(folder / f"{table}.csv", index=False)
    return folder
