"""What the Python benchmarks share: the best of a few runs."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any


def best_of(runs: int, work: Callable[[], Any]) -> tuple[float, Any]:
    """The shortest of ``runs`` runs of ``work`` in seconds, and the last run's result."""
    timings, result = [], None
    for _ in range(runs):
        start = time.perf_counter()
        result = work()
        timings.append(time.perf_counter() - start)
    return min(timings), result
