"""cartera: customer portfolio management.

Build a :class:`Book` from pandas DataFrames (or :func:`synthetic_book`), then compute
each customer's :func:`value` as of a date. Every result is a DataFrame indexed by the
customer's id, with one row for every customer of the book.
"""

from __future__ import annotations

from ._core import InvalidInputError, TypeMismatchError, UnknownIdError, __version__
from .book import TABLES, Book
from .synthetic import synthetic_behaviours, synthetic_book
from . import datasets
from .value import ValuePolicy, repeat_summary, value

__all__ = [
    "Book",
    "InvalidInputError",
    "TABLES",
    "TypeMismatchError",
    "UnknownIdError",
    "ValuePolicy",
    "__version__",
    "datasets",
    "repeat_summary",
    "synthetic_behaviours",
    "synthetic_book",
    "value",
]
