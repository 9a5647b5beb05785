from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

import cartera.job
from cartera.cli import main


def test_demo_prints_a_value_summary(capsys, tmp_path):
    report = tmp_path / "report.html"
    assert main(["demo", "--customers", "2000", "--managers", "20", "--report", str(report)]) == 0
    out = capsys.readouterr().out
    assert report.stat().st_size > 10_000
    assert f"Report: {report}" in out
    assert "Contact plan, 28 days from" in out
    assert "Team sizing" in out
    assert "Referrals:" in out
    assert "2,000 customers, 20 managers" in out
    assert "the top 20 % of customers bring" in out
    assert "contribution" in out
    assert "how many customers stand at each stage?" in out
    assert "to reach" in out
    assert "Premium" in out
    assert "first to call:" in out
    assert "Realignment (auction" in out
    assert "without a manager:" in out


def test_quiet_demo_prints_one_line(capsys, tmp_path):
    assert main(["demo", "--customers", "1000", "--managers", "10", "--report", "", "-q"]) == 0
    lines = capsys.readouterr().out.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("cartera demo: 1,000 customers in ")
    assert not list(tmp_path.iterdir())


def test_bad_arguments_exit_non_zero_with_a_message(capsys):
    with pytest.raises(SystemExit) as exit_code:
        main(["demo", "--customers", "many"])
    assert exit_code.value.code == 2
    assert "invalid int value" in capsys.readouterr().err


def test_core_errors_become_one_line_on_stderr(capsys):
    assert main(["demo", "--customers", "-5"]) == 2
    assert capsys.readouterr().err.strip() == ("cartera: error: synthetic_options.customers (value -5): must be >= 0")


def test_python_dash_m_runs_the_command_line():
    done = subprocess.run([sys.executable, "-m", "cartera", "--version"], capture_output=True, text=True, check=True)
    assert done.stdout.startswith("cartera ")


def test_the_command_keeps_the_memory_it_frees():
    # In a child process: the setting lasts for the process, and this one runs the tests.
    probe = (
        "from cartera._memory import keep_freed_memory; "
        "assert keep_freed_memory(); import cartera.cli; print(cartera.cli.command.__doc__)"
    )
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    assert "keeps the memory it frees" in done.stdout
    project = (Path(__file__).parents[2] / "pyproject.toml").read_text()
    assert 'cartera = "cartera.cli:command"' in project  # the installed command


def test_config_defaults_are_every_policy_and_load_back(capsys):
    import json

    import cartera

    assert main(["config", "--defaults"]) == 0
    defaults = json.loads(capsys.readouterr().out)
    assert list(defaults) == [
        "job",
        "clean",
        "value",
        "potential",
        "growth",
        "stages",
        "segments",
        "alerts",
        "complaints",
        "campaigns",
        "assignment",
        "contact",
        "referrals",
        "readiness",
        "people",
    ]
    assert cartera.CleaningPolicy.from_dict(defaults["clean"]) == cartera.CleaningPolicy()
    assert cartera.SegmentPolicy.from_dict(defaults["segments"]) == cartera.SegmentPolicy()
    assert cartera.ContactPolicy.from_dict(defaults["contact"]) == cartera.ContactPolicy()
    assert cartera.StagePolicy.from_dict(defaults["stages"]) == cartera.StagePolicy()
    assert cartera.AssignmentPolicy.from_dict(defaults["assignment"]) == cartera.AssignmentPolicy()
    assert cartera.GrowthPolicy.from_dict(defaults["growth"]) == cartera.GrowthPolicy()
    assert cartera.ComplaintPolicy.from_dict(defaults["complaints"]) == cartera.ComplaintPolicy()
    assert cartera.CampaignPolicy.from_dict(defaults["campaigns"]) == cartera.CampaignPolicy()
    assert cartera.ReadinessPolicy.from_dict(defaults["readiness"]) == cartera.ReadinessPolicy()
    assert defaults["contact"]["cadence"]["Premium"]["intimar"]["contacts"] == 2.0


def test_verbose_shows_the_steps_progress_on_stderr(capsys):
    assert main(["demo", "--customers", "1000", "--managers", "10", "--report", "", "-q"]) == 0
    assert capsys.readouterr().err == ""  # quiet: no bar
    assert main(["demo", "--customers", "1000", "--managers", "10", "--report", "", "-v"]) == 0
    err = capsys.readouterr().err
    assert "cartera:" in err and f"/{len(cartera.job.STEPS)}" in err and "hygiene" in err
