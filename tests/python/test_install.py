"""What `pip install .` gives is enough for the main job: every command runs with only the
declared dependencies, and a command that needs an extra says which one."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

from .conftest import ROOT, write_book

if sys.version_info >= (3, 11):
    import tomllib
else:
    import tomli as tomllib

# The module each distribution installs, where the two names differ.
_MODULES = {"scikit-learn": "sklearn", "psycopg[binary]": "psycopg", "ipykernel": "ipykernel"}


def _module(requirement: str) -> str:
    name = re.split(r"[<>=!;\s]", requirement, maxsplit=1)[0]
    return _MODULES.get(name, name.split("[")[0].replace("-", "_").lower())


def _not_installed_by_pip_install() -> set[str]:
    """The modules of the optional extras that `pip install .` alone does not bring."""
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    required = {_module(r) for r in project["dependencies"]}
    extras = {_module(r) for group in project["optional-dependencies"].values() for r in group}
    return extras - required


def run_without_extras(arguments: list[str], cwd: Path) -> subprocess.CompletedProcess[str]:
    """`cartera <arguments>` in a fresh interpreter where the extras cannot be imported."""
    blocked = sorted(_not_installed_by_pip_install())
    code = (
        "import importlib.abc, sys\n"
        f"blocked = set({blocked!r})\n"
        "class Missing(importlib.abc.MetaPathFinder):\n"
        "    def find_spec(self, name, path=None, target=None):\n"
        "        if name.split('.')[0] in blocked:\n"
        "            raise ModuleNotFoundError(f'No module named {name!r}', name=name)\n"
        "sys.meta_path.insert(0, Missing())\n"
        "from cartera.cli import main\n"
        f"sys.exit(main({arguments!r}))\n"
    )
    return subprocess.run([sys.executable, "-c", code], cwd=cwd, capture_output=True, text=True, timeout=300)


def test_the_extras_are_really_optional():
    assert {"pyarrow", "sqlalchemy", "psycopg"} <= _not_installed_by_pip_install()


@pytest.mark.parametrize("command", ["demo", "run"])
def test_the_main_job_and_its_report_need_no_extra(tmp_path, command):
    if command == "demo":
        arguments = ["demo", "--customers", "500", "--managers", "5", "--report", str(tmp_path / "r.html"), "-q"]
    else:
        arguments = [
            "run",
            "--data",
            str(write_book(tmp_path / "data", 500, 5, seed=2)),
            "--out",
            str(tmp_path / "out"),
            "-q",
        ]
    done = run_without_extras(arguments, tmp_path)
    assert done.returncode == 0, done.stderr
    report = tmp_path / "r.html" if command == "demo" else tmp_path / "out" / "report.html"
    assert "data:image/png;base64," in report.read_text(encoding="utf-8")  # with its figures


def test_a_command_that_needs_an_extra_names_it(tmp_path):
    data = write_book(tmp_path / "data", 50, 2, seed=2)
    done = run_without_extras(["import", "--data", str(data), "--db", str(tmp_path / "book.db")], tmp_path)
    assert done.returncode == 2
    assert done.stderr.strip() == "cartera: error: the book's database needs SQLAlchemy: pip install 'cartera[db]'"
    (data / "managers.csv").unlink()
    (tmp_path / "managers.parquet").write_bytes(b"PAR1")
    (tmp_path / "managers.parquet").rename(data / "managers.parquet")
    done = run_without_extras(["value", "--data", str(data), "-o", str(tmp_path / "v.csv")], tmp_path)
    assert done.returncode == 2
    assert (
        done.stderr.strip() == "cartera: error: reading managers.parquet needs pyarrow: pip install 'cartera[parquet]'"
    )
