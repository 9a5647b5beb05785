"""Type stubs of the compiled module cartera._core (use the cartera package instead)."""

from typing import Any

import numpy as np
import numpy.typing as npt

__version__: str
NO_DAY: int
SYNTHETIC_DEFAULTS: dict[str, Any]

class InvalidInputError(ValueError):
    table: str
    column: str
    row: int | None
    value: str

class UnknownIdError(KeyError, InvalidInputError): ...

class TypeMismatchError(TypeError):
    table: str
    column: str
    row: int | None
    value: str

class Book:
    def __init__(
        self,
        customers: Any,
        managers: Any = None,
        transactions: Any = None,
        interactions: Any = None,
        complaints: Any = None,
        referrals: Any = None,
    ) -> None: ...
    @property
    def customer_count(self) -> int: ...
    @property
    def manager_count(self) -> int: ...
    @property
    def first_day(self) -> int | None: ...
    @property
    def last_day(self) -> int | None: ...
    def customer_ids(self) -> list[str]: ...
    def manager_ids(self) -> list[str]: ...
    def table(self, name: str) -> dict[str, Any]:
        """Columns as read-only arrays; categorical ones as (categories, codes)."""
    def rows(self) -> dict[str, int]: ...

class ValuePolicy:
    window_days: int
    recent_days: int
    usual_periods: int
    margin_rate: float
    channel_costs: dict[str, float]
    other_channel_cost: float
    def __init__(self, **fields: Any) -> None: ...
    def validate(self) -> None: ...
    def to_dict(self) -> dict[str, Any]: ...
    @staticmethod
    def from_dict(fields: dict[str, Any]) -> ValuePolicy: ...

def compute_value(book: Book, as_of: int, policy: ValuePolicy, threads: int = 0) -> dict[str, npt.NDArray[Any]]: ...
def compute_repeat_summary(book: Book, as_of: int, unit_days: float = 1.0, threads: int = 0) -> dict[str, npt.NDArray[Any]]: ...
def synthetic_book(
    customers: int,
    managers: int,
    seed: int,
    end: int,
    history_days: int,
    transactions_per_customer: float,
    interactions_per_customer: float,
    threads: int = 0,
) -> Book: ...
def synthetic_behaviours(customers: int, seed: int) -> npt.NDArray[np.uint8]: ...
