"""The README's examples really run: the Python one here, the C++ one is
examples/embed/main.cpp, which scripts/test builds against the installed package and runs."""

from __future__ import annotations

import contextlib
import io
import re

from .conftest import ROOT

README = (ROOT / "README.md").read_text()


def code_blocks(language: str) -> list[str]:
    return re.findall(rf"```{language}\n(.*?)```", README, flags=re.S)


def test_the_python_example_runs_and_prints_every_customer():
    example = code_blocks("python")[0]  # the second, on Dask, runs in test_dask.py
    printed = io.StringIO()
    with contextlib.redirect_stdout(printed):
        exec(compile(example, "README.md", "exec"), {})
    lines = printed.getvalue().splitlines()
    # The raw sales cleaned: the typo left out with its reason, the refund kept as a return.
    assert lines[-4].startswith("Cleaned(Book(customers=3, managers=0, transactions=2, returns=1,")
    assert lines[-3] == "  transactions: 1 dropped — not a number"
    assert lines[-1].split()[1:6] == ["transactions", "1", "amount", "n/d", "not"]
    lines = lines[:-4]
    assert lines[0].split() == ["recency", "frequency", "monetary", "trend", "contribution"]
    assert [line.split()[0] for line in lines[2:5]] == ["ana", "luis", "eva"]
    # The ladder: no interactions in this book, so everyone stands below it, with the reason.
    assert [line.split()[0] for line in lines[6:9]] == ["ana", "luis", "eva"]
    assert all(line.endswith("sin_contacto; to reach contactar: contacts 0 of 1") for line in lines[6:9])
    # One manager, room for two: the least valuable customer is left out, and says why.
    assert [line.split() for line in lines[-6:-3]] == [
        ["ana", "marta", "assigned"],
        ["luis", "NaN", "capacity_exhausted"],
        ["eva", "marta", "assigned"],
    ]
    # Marta's week: a call to each of her customers, on a working day of the week.
    assert lines[-3].split() == ["customer", "day", "channel", "purpose"]
    week = [line.split() for line in lines[-2:]]
    assert [(who, channel, purpose) for who, _, channel, purpose in week] == [
        ("ana", "call", "cadence"),
        ("eva", "call", "cadence"),
    ]
    assert all("2024-07-01" <= day <= "2024-07-05" for _, day, _, _ in week)


def test_the_cpp_example_is_the_embed_example():
    (example,) = code_blocks("cpp")
    assert example == (ROOT / "examples" / "embed" / "main.cpp").read_text()
