"""The quickstart notebook runs from top to bottom (executed with nbclient, as in CI)."""

from __future__ import annotations

import nbclient
import nbformat

from .conftest import ROOT


def test_the_quickstart_notebook_runs(tmp_path):
    notebook = nbformat.read(ROOT / "docs" / "notebooks" / "quickstart.ipynb", as_version=4)
    nbclient.NotebookClient(
        notebook, timeout=600, kernel_name="python3", resources={"metadata": {"path": str(tmp_path)}}
    ).execute()
    errors = [
        output
        for cell in notebook.cells
        if cell.cell_type == "code"
        for output in cell.outputs
        if output.output_type == "error"
    ]
    assert errors == []
    images = [
        output
        for cell in notebook.cells
        if cell.cell_type == "code"
        for output in cell.outputs
        if "image/png" in output.get("data", {})
    ]
    assert len(images) >= 2  # the ladder and the Pareto curve
    assert (tmp_path / "quickstart-report.html").stat().st_size > 10_000
