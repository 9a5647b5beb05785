from __future__ import annotations

import shutil
import subprocess
from html.parser import HTMLParser
from pathlib import Path

import numpy as np
import pytest

from cartera.cli import main


class Outline(HTMLParser):
    """The page's structure: section ids, headings, tables, embedded images."""

    def __init__(self) -> None:
        super().__init__()
        self.sections: list[str] = []
        self.headings: list[str] = []
        self.tables = 0
        self.images: list[str] = []
        self.external: list[str] = []
        self._in_heading = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = dict(attrs)
        if tag == "h2":
            self.sections.append(attributes.get("id") or "")
            self._in_heading = True
        if tag == "table":
            self.tables += 1
        if tag == "img":
            self.images.append(attributes.get("src") or "")
        if tag in ("link", "script") and (attributes.get("href") or attributes.get("src")):
            self.external.append(tag)

    def handle_endtag(self, tag: str) -> None:
        if tag == "h2":
            self._in_heading = False

    def handle_data(self, data: str) -> None:
        if self._in_heading:
            self.headings.append(data.strip())


@pytest.fixture(scope="module")
def report(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("report") / "report.html"
    assert main(["demo", "--customers", "3000", "--managers", "30", "--report", str(path), "-q"]) == 0
    return path


@pytest.fixture(scope="module")
def page(report):
    outline = Outline()
    outline.feed(report.read_text(encoding="utf-8"))
    return outline


def screenshot(page: Path, width: int = 1200, height: int = 12000) -> np.ndarray:
    """The page as headless Chromium paints it (Debian's chromium, installed by
    scripts/setup), as an RGB array."""
    import matplotlib.image

    browser = shutil.which("chromium")
    if browser is None:
        pytest.fail("Chromium is missing: run scripts/setup (Debian package chromium)")
    shot = page.with_suffix(".png")
    subprocess.run(
        [
            browser,
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--hide-scrollbars",
            f"--user-data-dir={page.parent / 'chromium'}",
            f"--window-size={width},{height}",
            f"--screenshot={shot}",
            page.as_uri(),
        ],
        check=True,
        capture_output=True,
        timeout=120,
    )
    return matplotlib.image.imread(shot)[..., :3]


def test_every_part_of_the_job_has_its_section(page):
    assert page.sections == [
        "ladder",
        "segments",
        "potential",
        "alerts",
        "complaints",
        "campaigns",
        "readiness",
        "people",
        "assignment",
        "plan",
        "team",
        "referrals",
        "hygiene",
    ]
    assert page.headings[0] == "The relationship ladder"
    assert page.headings[2] == "Potential: who will come back and what they are worth"
    assert page.headings[4] == "Complaints solved at the first contact"
    assert page.headings[5] == "The day after the campaigns"
    assert page.headings[6] == "IDIC readiness"
    assert page.headings[7] == "The people at the account"
    assert page.headings[9].startswith("Contact plan: 28 days from")


def test_figures_are_embedded_and_nothing_is_fetched(page):
    assert len(page.images) >= 3
    assert all(src.startswith("data:image/png;base64,") and len(src) > 5_000 for src in page.images)
    assert page.external == []
    assert page.tables >= 8


def test_the_page_looks_right_in_a_browser(report, tmp_path):
    painted = screenshot(report)
    ink = painted.sum(axis=2) < 2.9  # anything not white
    rows = np.flatnonzero(ink.any(axis=1))
    # Text and figures cover a fair part of the page, which is long but ends.
    assert 0.05 < ink.mean() < 0.4
    assert 3000 < rows.max() < painted.shape[0] - 50  # the page ends before the window does
    # Nothing is cut at the right edge: the page keeps to its column.
    columns = np.flatnonzero(ink.any(axis=0))
    assert columns.max() < painted.shape[1] - 20
    # The figures are painted: without them, most of the blue ink is gone.
    bare = tmp_path / "bare.html"
    bare.write_text(report.read_text(encoding="utf-8").replace("data:image/png;base64,", "data:,"), encoding="utf-8")
    blue = lambda image: int((np.abs(image - np.array([0x21, 0x71, 0xB5]) / 255).max(axis=2) < 0.03).sum())  # noqa: E731
    assert blue(painted) > 20_000 and blue(screenshot(bare)) < 2_000
