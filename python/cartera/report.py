"""The HTML report of a run: one self-contained page (styles inline, figures embedded as
PNG) with the ladder, tiers and ABC with the Pareto curve, the alerts to act on, the
complaint indicator, the day after the campaigns, IDIC readiness, the people at the
account, the assignment, the contact plan's coverage and the drip dialogue, team sizing
and referrals."""

from __future__ import annotations

import base64
import html
import io
from dataclasses import dataclass, field
from datetime import datetime, timezone
from os import PathLike
from typing import Any

import numpy as np
import pandas as pd

from . import __version__, plot
from .assignment import Assignment
from .complaints import complaint_totals
from .contact_plan import ContactPlan
from .hygiene import Hygiene
from .potential import PURCHASE_MODELS
from .readiness import Readiness
from .referrals import Referrals
from .stages import STAGES
from .team_sizing import TeamSize

__all__ = ["Results", "render_report", "write_page", "write_report"]

_STYLE = """
body { font: 15px/1.45 system-ui, sans-serif; color: #1b1b1b; margin: 0 auto; max-width: 70rem; padding: 1.5rem 2rem 4rem; }
h1 { font-size: 1.7rem; margin-bottom: 0.2rem; } h2 { font-size: 1.25rem; margin-top: 2.4rem; border-bottom: 2px solid #08306b; padding-bottom: 0.2rem; }
p.meta { color: #555; margin-top: 0; }
.cards { display: flex; flex-wrap: wrap; gap: 0.8rem; margin: 1rem 0; }
.card { background: #f1f5fb; border-radius: 6px; padding: 0.6rem 0.9rem; min-width: 9rem; }
.card b { display: block; font-size: 1.35rem; color: #08306b; }
table { border-collapse: collapse; margin: 0.8rem 0; font-size: 0.9rem; }
th, td { padding: 0.25rem 0.6rem; border-bottom: 1px solid #e3e3e3; text-align: left; }
th { background: #f6f6f6; } td.num { text-align: right; font-variant-numeric: tabular-nums; }
figure { margin: 1rem 0; } figure img { max-width: 100%; height: auto; }
.row { display: flex; flex-wrap: wrap; gap: 2rem; align-items: flex-start; }
"""


@dataclass
class Results:
    """Everything a run computed; each part may be missing (None) and its section is left out."""

    customers: int
    managers: int
    as_of: pd.Timestamp | None
    value: pd.DataFrame | None = None
    #: Probability alive, expected purchases and spend, lifetime value (cartera.potential).
    potential: pd.DataFrame | None = None
    stages: pd.DataFrame | None = None
    ladder: pd.DataFrame | None = None
    segments: pd.DataFrame | None = None
    alerts: pd.DataFrame | None = None
    #: The complaint indicator per manager and month (cartera.complaint_indicator).
    complaints: pd.DataFrame | None = None
    #: Each campaign's responses and follow-ups (cartera.campaign_summary), and every
    #: campaign contact measured (cartera.campaign_responses).
    campaigns: pd.DataFrame | None = None
    campaign_responses: pd.DataFrame | None = None
    #: Each customer's profile completeness (cartera.profile_completeness): what the drip dialogue has learned.
    profile: pd.Series | None = None
    #: The findings about the people at each account (cartera.people_findings).
    people: pd.DataFrame | None = None
    #: The IDIC readiness: the book's own measure, and the questionnaire when answered (cartera.readiness).
    readiness: Readiness | None = None
    assignment: Assignment | None = None
    plan: ContactPlan | None = None
    team: TeamSize | None = None
    referrals: Referrals | None = None
    #: The rows cleaning left out of the data (cartera.clean), when the book was cleaned.
    quarantine: pd.DataFrame | None = None
    #: The book's hygiene findings (cartera.hygiene).
    hygiene: Hygiene | None = None
    #: The steps the book could not support, with why (step name: reason).
    skipped: dict[str, str] = field(default_factory=dict)


def _figure(draw: Any, *, polar: bool = False) -> str:
    """A matplotlib drawing as an <img> with the PNG inline (on polar axes for a radar)."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    if polar:
        figure, ax = plt.subplots(figsize=(6.5, 6), subplot_kw={"projection": "polar"})
    else:
        figure, ax = plt.subplots(figsize=(7, 4.2))
    draw(ax)
    figure.tight_layout()
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=110)
    plt.close(figure)
    data = base64.b64encode(buffer.getvalue()).decode("ascii")
    return f'<figure><img alt="figure" src="data:image/png;base64,{data}"></figure>'


def _cell(value: Any, column: str) -> tuple[str, bool]:
    """A value as text, and whether it is a number (numbers align right)."""
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return "–", True
    if isinstance(value, (bool, np.bool_)):
        return ("yes" if value else "no"), False
    if isinstance(value, (int, np.integer)):
        return f"{int(value):,}", True
    if isinstance(value, (float, np.floating)):
        return (f"{value:.1%}" if "share" in column or "coverage" in column else f"{value:,.2f}"), True
    return html.escape(str(value)), False


def _table(frame: pd.DataFrame, *, index: bool = True) -> str:
    """A frame as an HTML table: numbers with thousands separators and aligned right, shares
    as percentages, text escaped."""
    columns = ([str(frame.index.name or "")] if index else []) + [str(c) for c in frame.columns]
    rows = []
    for label, row in zip(frame.index, frame.itertuples(index=False), strict=True):
        cells = [_cell(label, "")] if index else []
        cells += [_cell(v, str(c)) for v, c in zip(row, frame.columns, strict=True)]
        rows.append(
            "<tr>"
            + "".join(f"<td class='{'num' if number else 'text'}'>{text}</td>" for text, number in cells)
            + "</tr>"
        )
    head = "<tr>" + "".join(f"<th>{html.escape(c.replace('_', ' '))}</th>" for c in columns) + "</tr>"
    return f"<table><thead>{head}</thead><tbody>{''.join(rows)}</tbody></table>"


def _cards(items: list[tuple[str, str]]) -> str:
    return (
        '<div class="cards">'
        + "".join(f"<div class='card'><b>{html.escape(v)}</b>{html.escape(k)}</div>" for k, v in items)
        + "</div>"
    )


def _ladder_section(r: Results) -> str:
    assert r.ladder is not None
    overall = r.ladder.loc["all"]
    cards = [(stage, f"{int(overall[stage]):,}") for stage in STAGES]
    real = r.ladder.iloc[: r.managers]
    real = real[real["customers"] > 0]
    if len(real):
        cards.append(("median portfolio at intimar or confiar", f"{real['real_share'].median():.0%}"))
    body = _cards(cards) + _figure(lambda ax: plot.ladder(r.ladder, ax=ax, top=12))
    return (
        "<h2 id='ladder'>The relationship ladder</h2>"
        + "<p>How many customers stand at each stage, overall and in the largest portfolios.</p>"
        + body
    )


def _segments_section(r: Results) -> str:
    assert r.segments is not None
    segments = r.segments
    tiers = segments.groupby("tier", observed=False)["monetary"].agg(customers="size", revenue="sum")
    tiers["share of revenue"] = tiers["revenue"] / max(tiers["revenue"].sum(), 1e-300)
    abc = (
        segments["abc"].value_counts().sort_index().rename("customers").to_frame()
        if "abc" in segments.columns
        else None
    )
    left = (
        "<div><h3>Tiers</h3>"
        + _table(tiers.iloc[::-1])
        + ("<h3>ABC</h3>" + _table(abc) if abc is not None else "")
        + "</div>"
    )
    right = "<div>" + _figure(lambda ax: plot.pareto(segments["monetary"], ax=ax)) + "</div>"
    return "<h2 id='segments'>Tiers, ABC and the Pareto curve</h2><div class='row'>" + left + right + "</div>"


def _potential_section(r: Results) -> str:
    if r.potential is None:
        reason = r.skipped.get("potential", "not computed")
        return f"<h2 id='potential'>Potential</h2><p>Not computed: {html.escape(reason)}</p>"
    future = r.potential
    by = r.segments["tier"] if r.segments is not None else pd.Series("all", index=future.index)
    tiers = future.groupby(by, observed=False).agg(
        customers=("clv", "size"),
        median_p_alive=("p_alive", "median"),
        expected_purchases=("expected_purchases", "sum"),
        clv=("clv", "sum"),
    )
    tiers["share of clv"] = tiers["clv"] / max(tiers["clv"].sum(), 1e-300)
    models = future.attrs.get("models", {})
    purchase_model = next((PURCHASE_MODELS[name].NAME for name in models if name in PURCHASE_MODELS), "BG/NBD")
    fitted = "; ".join(
        f"{name}: " + ", ".join(f"{k} = {v:.4g}" for k, v in params.items()) for name, params in models.items()
    )
    top = future.sort_values("clv", ascending=False).head(10)[
        ["p_alive", "expected_purchases", "clv", "growth_potential", "next_products"]
    ]
    return (
        "<h2 id='potential'>Potential: who will come back and what they are worth</h2>"
        + _table(tiers.iloc[::-1])
        + f"<p class='meta'>{purchase_model} and Gamma-Gamma fitted on this book ({html.escape(fitted)}); "
        "customers who never bought have no potential.</p>" + "<h3>Highest lifetime value</h3>" + _table(top)
    )


def _alerts_section(r: Results) -> str:
    assert r.alerts is not None
    counts = r.alerts["alert"].value_counts(sort=False).rename("customers").to_frame()
    first = r.alerts.head(15)[["customer", "alert", "urgent", "reason"]]
    return (
        "<h2 id='alerts'>Moments of truth: act now</h2>"
        + _table(counts)
        + "<h3>First on the list</h3>"
        + _table(first, index=False)
    )


def _complaints_section(r: Results) -> str:
    assert r.complaints is not None
    indicator = r.complaints
    if not len(indicator):
        return "<h2 id='complaints'>Complaints</h2><p>No complaint in the book.</p>"
    recent = indicator[indicator["month"] > (r.as_of or indicator["month"].max()) - pd.DateOffset(months=12)]
    overall = complaint_totals(recent, by=None).iloc[0]
    cards = [
        ("complaints in the last 12 months", f"{int(overall['complaints']):,}"),
        ("solved at the first contact", _share(overall["first_contact_share"])),
        ("the same, by value", _share(overall["first_contact_share_by_value"])),
        (
            "mean days to resolve",
            "–" if pd.isna(overall["mean_days_to_resolve"]) else f"{overall['mean_days_to_resolve']:.1f}",
        ),
        ("valuable customers' in time", _share(overall["valuable_in_time_share"])),
        ("customers who bought again", _share(overall["stayed_share"])),
    ]
    managers = complaint_totals(recent, by="manager").sort_values("value", ascending=False).head(15)
    managers.index = ["(no manager)" if pd.isna(m) else str(m) for m in managers.index]
    managers.index.name = "manager"
    shown = managers[
        [
            "complaints",
            "first_contact_share",
            "first_contact_share_by_value",
            "mean_days_to_resolve",
            "valuable",
            "valuable_in_time_share",
            "stayed_share",
            "value",
        ]
    ]
    return (
        "<h2 id='complaints'>Complaints solved at the first contact</h2>"
        + _cards(cards)
        + _figure(lambda ax: plot.complaints(indicator, ax=ax))
        + "<h3>Portfolios with the most value complaining, last 12 months</h3>"
        + _table(shown)
        + "<p class='meta'>Weighted by the customers' value: by importance, not by number. "
        "complaints.csv has every manager and month.</p>"
    )


def _campaigns_section(r: Results) -> str:
    assert r.campaigns is not None
    summary = r.campaigns
    if not len(summary):
        return "<h2 id='campaigns'>The day after the campaigns</h2><p>No campaign in the book.</p>"
    responded = int(summary["responded"].sum())
    decided = int(summary["followed_up"].sum() + summary["missed"].sum())
    cards = [
        ("campaign contacts", f"{int(summary['contacts'].sum()):,}"),
        ("responded", f"{responded:,}"),
        ("followed up by their manager", f"{int(summary['followed_up'].sum()):,}"),
        ("nobody followed up", f"{int(summary['missed'].sum()):,}"),
        ("due now (in the plan)", f"{int(summary['follow_up_due'].sum()):,}"),
        ("followed up in time", _share(summary["followed_up"].sum() / decided if decided else float("nan"))),
    ]
    shown = summary[
        [
            "contacts",
            "responded",
            "response_rate",
            "revenue",
            "followed_up",
            "follow_up_due",
            "missed",
            "followed_up_share",
        ]
    ].sort_values("contacts", ascending=False)
    shown.index = ["(unnamed)" if pd.isna(c) else str(c) for c in shown.index]
    shown.index.name = "campaign"
    return (
        "<h2 id='campaigns'>The day after the campaigns</h2>"
        + "<p>Who responded to each campaign, by buying or by contacting us, and whether their manager "
        "followed it up; the contact plan follows up the responses still due.</p>"
        + _cards(cards)
        + _figure(lambda ax: plot.campaigns(summary, ax=ax))
        + _table(shown.head(15))
        + "<p class='meta'>campaign_responses.csv has every campaign contact with its outcome.</p>"
    )


def _readiness_section(r: Results) -> str:
    assert r.readiness is not None
    steps = r.readiness.steps
    measured = steps["measured"] if "measured" in steps.columns else pd.Series(float("nan"), index=steps.index)
    cards = [(step, _share(share)) for step, share in measured.items()]
    answered = int(steps["respondents"].max()) if len(steps) else 0
    parts = [
        "<h2 id='readiness'>IDIC readiness</h2>",
        "<p>What the book shows of each step: identify (customers reachable), differentiate (value "
        "known), interact (a conversation in the last year), individualise (at intimar or confiar).</p>",
        _cards(cards),
    ]
    if answered:
        shown = steps[[c for c in ("current", "preferred", "gap", "respondents", "measured_score") if c in steps]]
        parts += [
            "<h3>What people answer against what the book shows (1 to 5)</h3>",
            "<div class='row'><div>",
            _table(shown.round(2)),
            "<h3>The personalisation gap by area</h3>",
            _table(r.readiness.areas.round(2)),
            "</div><div>",
            _figure(lambda ax: plot.readiness(r.readiness, ax=ax), polar=True),
            "</div></div>",
        ]
    else:
        parts.append(
            "<p class='meta'>Answer the questionnaire (cartera.READINESS_QUESTIONS) and run with "
            "--readiness ANSWERS.csv to set what people believe beside what the book shows.</p>"
        )
    return "".join(parts)


def _people_section(r: Results) -> str:
    assert r.people is not None
    found = r.people
    counts = found["finding"].value_counts(sort=False)
    cards = [(str(name).replace("_", " "), f"{int(count):,}") for name, count in counts.items()]
    examples = found.groupby("finding", observed=True).head(4).set_index("customer")
    return (
        "<h2 id='people'>The people at the account</h2>"
        + "<p>Valuable accounts with fewer than two named people, accounts where every conversation "
        "goes through one person, and people whose data nobody has checked for two years.</p>"
        + _cards(cards)
        + (_table(examples) if len(examples) else "<p>Nothing to fix.</p>")
        + "<p class='meta'>people_findings.csv lists every finding; each planned contact names whom to "
        "talk to (contacts.csv, person).</p>"
    )


def _share(value: float) -> str:
    return "–" if pd.isna(value) else f"{value:.0%}"


def _assignment_section(r: Results) -> str:
    assert r.assignment is not None
    a = r.assignment
    changes = a.assignments["change"].value_counts(sort=False)
    cards = [
        ("solver", a.solver),
        ("solve", a.outcome()),
        ("objective", f"{a.objective:,.0f}"),
        ("gap to the bound", f"{a.gap:.2%}"),
        ("moves", f"{a.moves:,}"),
        ("seconds", f"{a.seconds:.2f}"),
    ] + [(str(change).replace("_", " "), f"{count:,}") for change, count in changes.items()]
    managers = a.managers

    def draw(ax: Any) -> None:
        load = managers["load"] / managers["capacity"].where(managers["capacity"] > 0)
        ax.hist(load.dropna(), bins=20, color="#2171b5")
        ax.set_xlabel("load as a share of capacity")
        ax.set_ylabel("managers")
        ax.set_title("Managers' load")

    top = managers.sort_values("value", ascending=False).head(10)
    if "time" in top.columns and not managers["time"].any():
        top = top.drop(columns="time")  # no time budgets
    return (
        "<h2 id='assignment'>Assignment</h2>"
        + _cards(cards)
        + "<div class='row'><div>"
        + _figure(draw)
        + "</div><div><h3>Most valuable portfolios</h3>"
        + _table(top)
        + "</div></div>"
    )


def _plan_section(r: Results) -> str:
    assert r.plan is not None
    p = r.plan
    managed = p.managers[p.managers["portfolio"] > 0]
    used = managed["planned"].sum() / managed["budget"].sum() if len(managed) and managed["budget"].sum() > 0 else 0.0
    cards = [
        ("contacts planned", f"{len(p.contacts):,}"),
        ("median coverage", f"{managed['coverage'].median():.0%}" if len(managed) else "–"),
        ("time used", f"{used:.0%}"),
        ("contacts that did not fit", f"{len(p.unmet):,}"),
    ]
    coverage = p.coverage(by=["tier"]).groupby(level="tier", observed=True)[["customers", "reached"]].sum()
    coverage["share"] = coverage["reached"] / coverage["customers"]
    purposes = p.contacts["purpose"].value_counts(sort=False).rename("contacts").to_frame()
    drip = ""
    if "questions" in p.contacts.columns:
        asked = p.contacts["questions"].astype(str).str.len() > 0
        cards.append(("contacts with questions to ask", f"{int(asked.sum()):,}"))
    if r.profile is not None:
        known = pd.DataFrame({"tier": p.customers["tier"], "manager": p.customers["manager"], "known": r.profile})
        by_tier = known.groupby("tier", observed=True)["known"].agg(customers="size", mean_completeness="mean")
        portfolios = (
            known.dropna(subset=["manager"]).groupby("manager")["known"].agg(customers="size", completeness="mean")
        )
        drip = (
            "<h3>The drip dialogue: how much we know of each customer</h3>"
            + "<div class='row'><div>"
            + _table(by_tier.iloc[::-1].round(3))
            + "</div><div><h4>Portfolios we know least</h4>"
            + _table(portfolios.sort_values("completeness").head(8).round(3))
            + "</div></div>"
            + "<p class='meta'>Completeness: the share of the question bank's questions suited to the customer "
            "answered within their validity; contacts.csv gives each planned contact its questions.</p>"
        )
    channels = p.contacts["channel"].value_counts(sort=False).rename("contacts").to_frame()
    return (
        f"<h2 id='plan'>Contact plan: {p.days} days from {p.start.date()}</h2>"
        + _cards(cards)
        + "<div class='row'><div><h3>Coverage by tier</h3>"
        + _table(coverage)
        + "</div><div><h3>Why</h3>"
        + _table(purposes)
        + "</div><div><h3>How</h3>"
        + _table(channels)
        + "</div></div>"
        + drip
    )


def _team_section(r: Results) -> str:
    assert r.team is not None
    t = r.team
    cards = [
        ("each manager", f"{t.budget / 60:,.0f} hours a period, {t.capacity:,} customers"),
        ("managers needed", f"{t.managers_needed:,}"),
        ("by time", f"{t.managers_by_time:,}"),
        ("by capacity", f"{t.managers_by_capacity:,}"),
        (f"customers the {t.team:,} serve in full", f"{t.customer_coverage:.0%}"),
    ]
    return "<h2 id='team'>Team sizing</h2>" + _cards(cards) + _table(t.tiers.iloc[::-1])


def _referrals_section(r: Results) -> str:
    assert r.referrals is not None
    c = r.referrals.customers
    cards = [
        ("customers brought by others", f"{int(c['referred_by'].notna().sum()):,}"),
        ("longest chain", f"{int(c['generation'].max()) if len(c) else 0}"),
        ("show-room customers", f"{len(r.referrals.show_room):,}"),
    ]
    top = c.sort_values("influence", ascending=False).head(10)[["referrals", "reach", "referral_value", "influence"]]
    return "<h2 id='referrals'>Referrals</h2>" + _cards(cards) + "<h3>Most influential</h3>" + _table(top)


def _quarantine_section(r: Results) -> str:
    assert r.quarantine is not None
    q = r.quarantine
    dropped = q[q["action"] == "dropped"]
    cards = [
        ("rows left out", f"{len(dropped):,}"),
        ("values cleared", f"{len(q) - len(dropped):,}"),
    ]
    counts = q.groupby(["table", "action", "reason"], observed=True).size().rename("rows").reset_index()
    examples = q.groupby(["table", "reason"], observed=True).head(1)[["table", "row", "column", "value", "reason"]]
    return (
        "<h2 id='quarantine'>What the data left out</h2>"
        + _cards(cards)
        + (_table(counts.set_index("table")) if len(counts) else "<p>Every row of the data was used.</p>")
        + ("<h3>One example of each</h3>" + _table(examples.set_index("table")) if len(examples) else "")
        + "<p class='meta'>Every row left out is in quarantine.csv with its table, row, column, value and reason.</p>"
    )


def _hygiene_section(r: Results) -> str:
    assert r.hygiene is not None
    h = r.hygiene
    counts = h.findings.groupby("finding", observed=True).size()
    cards = [(name.replace("_", " "), f"{count:,}") for name, count in counts.items()]
    if len(h.duplicates) or len(h.merges):
        cards += [("probable duplicate pairs", f"{len(h.duplicates):,}")]
    examples = h.findings.groupby("finding", observed=True).head(3).set_index("customer")
    parts = ["<h2 id='hygiene'>Hygiene of the book</h2>", _cards(cards) if cards else "<p>Nothing to fix.</p>"]
    if len(examples):
        parts.append("<h3>Examples</h3>" + _table(examples))
    if len(h.incomplete):
        parts.append("<h3>Contact fields missing, by tier</h3>" + _table(h.incomplete.round(3)))
    parts.append("<p class='meta'>`cartera hygiene` lists every finding and looks for duplicate customers.</p>")
    return "".join(parts)


def render_report(results: Results, *, title: str = "cartera report") -> str:
    """The report of `results` as one self-contained HTML page."""
    as_of = "–" if results.as_of is None else str(results.as_of.date())
    stamp = datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    parts = [
        "<!doctype html><html lang='en'><head><meta charset='utf-8'>",
        f"<title>{html.escape(title)}</title><style>{_STYLE}</style></head><body>",
        f"<h1>{html.escape(title)}</h1>",
        f"<p class='meta'>{results.customers:,} customers, {results.managers:,} managers, as of {as_of}; "
        f"cartera {__version__}, written {stamp}</p>",
    ]
    sections = [
        (results.quarantine, _quarantine_section),
        (results.ladder, _ladder_section),
        (results.segments, _segments_section),
        # A book too small for the models still says why it has no potential.
        (results.potential if results.potential is not None else results.skipped.get("potential"), _potential_section),
        (results.alerts, _alerts_section),
        (results.complaints, _complaints_section),
        (results.campaigns, _campaigns_section),
        (results.readiness, _readiness_section),
        # Only a book that names the people at its customers has this section.
        (results.people if results.people is not None and len(results.people) else None, _people_section),
        (results.assignment, _assignment_section),
        (results.plan, _plan_section),
        (results.team, _team_section),
        (results.referrals, _referrals_section),
        (results.hygiene, _hygiene_section),
    ]
    parts += [section(results) for part, section in sections if part is not None]
    parts.append("</body></html>")
    return "\n".join(parts)


def write_report(path: str | PathLike[str], results: Results, *, title: str = "cartera report") -> None:
    """Writes the report of `results` as one self-contained HTML file."""
    write_page(path, render_report(results, title=title))


def write_page(path: str | PathLike[str], page: str) -> None:
    """Writes a rendered report."""
    with open(path, "w", encoding="utf-8") as out:
        out.write(page)
