"""Every reader fuzzed: CSV and Parquet tables and TOML/JSON configurations, random and
mutated from valid ones. Whatever the file, a command ends with its results or with one
line naming what is wrong — never a traceback. Derandomized, so a run is reproducible."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import cartera
from cartera.cli import main

from .conftest import book_frames

_FUZZ = settings(
    max_examples=300, deadline=None, derandomize=True, database=None, suppress_health_check=list(HealthCheck)
)
_TABLES = list(cartera.TABLES)


@pytest.fixture(scope="module")
def valid(tmp_path_factory) -> dict[str, bytes]:
    """A small valid book's files, as bytes: CSV and Parquet of every table."""
    folder = tmp_path_factory.mktemp("valid")
    files: dict[str, bytes] = {}
    for table, frame in book_frames(cartera.synthetic_book(60, 3, seed=4)).items():
        frame.to_csv(folder / f"{table}.csv", index=False)
        frame.to_parquet(folder / f"{table}.parquet", index=False)
        files[f"{table}.csv"] = (folder / f"{table}.csv").read_bytes()
        files[f"{table}.parquet"] = (folder / f"{table}.parquet").read_bytes()
    return files


_SPECIAL = [
    b",",
    b'"',
    b"\n",
    b"\r\n",
    b"\x00",
    b"\xff\xfe",
    b"\xe9",
    b"-",
    b"1e309",
    b"nan",
    b"inf",
    b"9" * 25,
    b" ",
    b";",
    b"\t",
    b"NA",
]
# Values a cell may hold instead of its own: the job runs further on these than on bytes.
_CELLS = [
    b"",
    b"-1",
    b"0",
    b"1e308",
    b"-0.0",
    b"256",
    b"2199-12-31",
    b"1900-01-01",
    b"1969-12-31",
    b"true",
    b"maybe",
    b"M00001",
    b"C0000001",
]


#: A mutation: its kind, where (a share of the file's length), and what it puts there.
_MUTATIONS = st.lists(
    st.tuples(
        st.sampled_from(["flip", "insert", "delete", "truncate", "line", "cell", "cell", "cell"]),
        st.floats(0, 1, exclude_max=True),
        st.one_of(st.sampled_from(_SPECIAL), st.binary(min_size=1, max_size=8), st.sampled_from(_CELLS)),
        st.integers(0, 255),
    ),
    min_size=1,
    max_size=3,
)


def mutated(data: bytes, plan: list[tuple[str, float, bytes, int]]) -> bytes:
    """The bytes with the plan's mutations (drawn small, so that a failing case reads well):
    a byte changed, bytes inserted (separators, quotes, line ends, NUL, bytes that are not
    UTF-8, huge numbers), a range deleted, the file cut short, a line repeated or dropped, a
    cell replaced by another value."""
    out = bytearray(data)
    for kind, where, payload, number in plan:
        at = int(where * len(out))
        if kind == "flip" and out:
            out[at] = number
        elif kind == "insert":
            out[at:at] = payload
        elif kind == "delete":
            del out[at : at + 1 + number % 40]
        elif kind == "truncate":
            del out[at:]
        else:
            lines = bytes(out).split(b"\n")
            k = int(where * len(lines))
            if kind == "line":
                lines = lines[:k] + lines[k + 1 :] if number % 2 else lines[: k + 1] + lines[k:]
            elif 0 < k < len(lines):
                cells = lines[k].split(b",")
                cells[number % len(cells)] = payload
                lines[k] = b",".join(cells)
            out = bytearray(b"\n".join(lines))
    return bytes(out)


def run_cli(arguments: list[str], capsys) -> tuple[int, str]:
    capsys.readouterr()
    code = main(arguments)
    return code, capsys.readouterr().err


def assert_clear(code: int, err: str, *, names: list[str]) -> None:
    """Done, or exactly one line of error that says where."""
    assert code in (0, 2), err
    if code == 2:
        lines = err.strip().splitlines()
        assert len(lines) == 1 and lines[0].startswith("cartera: error: "), err
        assert any(name in lines[0] for name in names), err


def write_book(folder: Path, files: dict[str, bytes], suffix: str, changed: str, content: bytes) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    for table in _TABLES:
        name = f"{table}{suffix}"
        (folder / name).write_bytes(content if name == changed else files[name])


@_FUZZ
@given(plan=_MUTATIONS, table=st.sampled_from(_TABLES))
def test_mutated_csv_tables(valid, tmp_path_factory, capsys, plan, table):
    name = f"{table}.csv"
    content = mutated(valid[name], plan)
    folder = tmp_path_factory.mktemp("csv")
    write_book(folder, valid, ".csv", name, content)
    code, err = run_cli(["segment", "--data", str(folder), "-o", str(folder / "out.csv")], capsys)
    assert_clear(code, err, names=_TABLES)


@settings(max_examples=60, deadline=None, derandomize=True, database=None, suppress_health_check=list(HealthCheck))
@given(plan=_MUTATIONS, table=st.sampled_from(_TABLES))
def test_mutated_csv_tables_through_the_whole_job(valid, tmp_path_factory, capsys, plan, table):
    name = f"{table}.csv"
    folder = tmp_path_factory.mktemp("run")
    write_book(folder / "data", valid, ".csv", name, mutated(valid[name], plan))
    code, err = run_cli(["run", "--data", str(folder / "data"), "--out", str(folder / "out"), "-q"], capsys)
    assert_clear(code, err, names=[*_TABLES, "managers"])


@_FUZZ
@given(plan=_MUTATIONS, table=st.sampled_from(_TABLES), random=st.one_of(st.none(), st.binary(max_size=300)))
def test_mutated_and_random_parquet_tables(valid, tmp_path_factory, capsys, plan, table, random):
    name = f"{table}.parquet"
    content = random if random is not None else mutated(valid[name], plan)
    folder = tmp_path_factory.mktemp("parquet")
    write_book(folder, valid, ".parquet", name, content)
    code, err = run_cli(["value", "--data", str(folder), "-o", str(folder / "out.csv")], capsys)
    assert_clear(code, err, names=_TABLES)


_JSON = st.recursive(
    st.one_of(
        st.none(), st.booleans(), st.integers(-(10**20), 10**20), st.floats(allow_nan=False), st.text(max_size=8)
    ),
    lambda children: st.one_of(
        st.lists(children, max_size=4), st.dictionaries(st.text(max_size=10), children, max_size=4)
    ),
    max_leaves=12,
)
_SECTIONS = ["job", "value", "stages", "segments", "alerts", "assignment", "contact", "referrals"]


@st.composite
def configurations(draw: st.DrawFn) -> dict:
    """Sections of the real configuration with real field names, holding values of any kind,
    and now and then a name that is not one."""
    defaults = json.loads(json.dumps(cartera.job.Config().to_dict(), default=str))
    config: dict = {}
    for section in draw(st.lists(st.sampled_from(_SECTIONS + ["jobs"]), max_size=3, unique=True)):
        fields = list(defaults.get(section, {"x": None})) + ["nonsense"]
        chosen = draw(st.lists(st.sampled_from(fields), max_size=3, unique=True))
        config[section] = {field: draw(_JSON) for field in chosen} if draw(st.integers(0, 9)) else draw(_JSON)
    return config


@_FUZZ
@given(
    config=st.one_of(configurations(), _JSON),
    as_toml=st.booleans(),
    garbage=st.binary(max_size=60),
    broken=st.booleans(),
)
def test_random_and_mutated_configurations(valid, tmp_path_factory, capsys, config, as_toml, garbage, broken):
    folder = tmp_path_factory.mktemp("config")
    write_book(folder, valid, ".csv", "", b"")
    if as_toml:
        path = folder / "policy.toml"
        text = "\n".join(
            f"[{s}]\n" + "\n".join(f"{k} = {json.dumps(v)}" for k, v in f.items())
            if isinstance(f, dict)
            else f"{s} = {json.dumps(f)}"
            for s, f in (config.items() if isinstance(config, dict) else [])
        )
        path.write_bytes(garbage if broken else text.encode("utf-8", "surrogatepass"))
    else:
        path = folder / "policy.json"
        path.write_bytes(garbage if broken else json.dumps(config).encode("utf-8", "surrogatepass"))
    code, err = run_cli(["value", "--data", str(folder), "-o", str(folder / "out.csv"), "--config", str(path)], capsys)
    assert_clear(code, err, names=["config", *_SECTIONS, "policy"])
