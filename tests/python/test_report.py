from __future__ import annotations

from html.parser import HTMLParser

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
def page(tmp_path_factory):
    path = tmp_path_factory.mktemp("report") / "report.html"
    assert main(["demo", "--customers", "3000", "--managers", "30", "--report", str(path), "-q"]) == 0
    outline = Outline()
    outline.feed(path.read_text(encoding="utf-8"))
    return outline


def test_every_part_of_the_job_has_its_section(page):
    assert page.sections == ["ladder", "segments", "alerts", "assignment", "plan", "team", "referrals"]
    assert page.headings[0] == "The relationship ladder"
    assert page.headings[4].startswith("Contact plan: 28 days from")


def test_figures_are_embedded_and_nothing_is_fetched(page):
    assert len(page.images) >= 3
    assert all(src.startswith("data:image/png;base64,") and len(src) > 5_000 for src in page.images)
    assert page.external == []
    assert page.tables >= 8
