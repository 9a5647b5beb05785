from __future__ import annotations

import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="session")
def shared_data() -> Path:
    """The real public data sets, read in place from ../shared/data (or $CARTERA_DATA)."""
    path = Path(os.environ.get("CARTERA_DATA", ROOT.parent / "shared" / "data"))
    if not path.is_dir():
        pytest.fail(f"the shared data sets are missing: {path} (set CARTERA_DATA)")
    return path
