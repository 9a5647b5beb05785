"""Plots. matplotlib is imported only when a plot is drawn; every function returns the Axes."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import pandas as pd

if TYPE_CHECKING:
    from matplotlib.axes import Axes

__all__ = ["calibration", "campaigns", "complaints", "ladder", "pareto", "probability_alive", "readiness"]

# From cold to warm: below the ladder, then its four steps.
_STAGE_COLOURS = {
    "sin_contacto": "#d9d9d9",
    "contactar": "#c6dbef",
    "relacionar": "#6baed6",
    "intimar": "#2171b5",
    "confiar": "#08306b",
}


def ladder(
    table: pd.DataFrame, *, ax: Axes | None = None, top: int | None = 20, share: bool = True, **kwargs: Any
) -> Axes:
    """The ladder per portfolio as stacked horizontal bars (``table`` from ``cartera.ladder``).

    Parameters
    ----------
    top : int or None
        Show the overall row and this many portfolios with the most customers (None: all).
    share : bool
        Bars as shares of each portfolio (True) or as customer counts.
    """
    import matplotlib.pyplot as plt

    stages = list(_STAGE_COLOURS)
    rows = table[table["customers"] > 0]
    overall = rows.loc[["all"]] if "all" in rows.index else rows.iloc[:0]
    portfolios = rows.drop(index="all", errors="ignore").sort_values("customers", ascending=False)
    if top is not None:
        portfolios = portfolios.head(top)
    shown = pd.concat([overall, portfolios])
    counts = shown[stages]
    values = counts.div(shown["customers"], axis=0) if share else counts
    labels = ["(no manager)" if pd.isna(label) else str(label) for label in shown.index]
    if ax is None:
        _, ax = plt.subplots(figsize=(8, 0.35 * len(shown) + 1.5))
    left = pd.Series(0.0, index=range(len(shown)))
    for stage in stages:
        widths = values[stage].to_numpy()
        ax.barh(range(len(shown)), widths, left=left.to_numpy(), color=_STAGE_COLOURS[stage], label=stage, **kwargs)
        left += widths
    ax.set_yticks(range(len(shown)), labels)
    ax.invert_yaxis()
    ax.set_xlabel("share of the portfolio" if share else "customers")
    ax.set_title("The relationship ladder per portfolio")
    ax.legend(ncols=5, loc="upper center", bbox_to_anchor=(0.5, -0.12), frameon=False, fontsize="small")
    return ax


def pareto(
    values: pd.Series | pd.DataFrame, *, ax: Axes | None = None, cuts: tuple[float, ...] = (0.8, 0.95), **kwargs: Any
) -> Axes:
    """The Pareto curve: the share of value held by the top share of customers.

    ``values`` is a value per customer (``value["monetary"]``) or a curve from
    ``cartera.pareto_curve``. Dotted lines mark the ABC cuts and where the curve meets them.
    """
    import matplotlib.pyplot as plt

    from .segmentation import pareto_curve

    curve = values if isinstance(values, pd.DataFrame) else pareto_curve(values)
    if ax is None:
        _, ax = plt.subplots(figsize=(6, 4.5))
    ax.plot(curve["customers"], curve["value"], color="#08306b", label="cumulative share of value", **kwargs)
    ax.plot([0, 1], [0, 1], color="#bdbdbd", linestyle="--", linewidth=1, label="every customer alike")
    for cut in cuts:
        reached = curve["customers"].to_numpy()[min(int((curve["value"] >= cut).to_numpy().argmax()), len(curve) - 1)]
        ax.axhline(cut, color="#6baed6", linestyle=":", linewidth=1)
        ax.annotate(
            f"{cut:.0%} of value: top {reached:.0%} of customers",
            (reached, cut),
            textcoords="offset points",
            xytext=(8, -12),
            fontsize="small",
        )
    ax.set_xlim(0, 1)
    ax.set_ylim(0, 1.02)
    ax.set_xlabel("share of customers, most valuable first")
    ax.set_ylabel("share of value")
    ax.set_title("Pareto curve")
    ax.legend(loc="lower right", frameon=False, fontsize="small")
    return ax


def probability_alive(model: Any, *, age: float, ax: Axes | None = None, max_frequency: int | None = None) -> Axes:
    """A fitted :class:`cartera.BGNBD`'s probability alive for every frequency (repeat
    purchases) and recency, for customers observed for ``age`` (the summary's time unit):
    Fader, Hardie & Lee's frequency/recency matrix. Recent buyers of many purchases are
    alive; frequent buyers who stopped long ago are not."""
    import matplotlib.pyplot as plt
    import numpy as np

    top = max_frequency if max_frequency is not None else 20
    frequency, recency = np.meshgrid(np.arange(top + 1, dtype=float), np.linspace(0, age, 60))
    recency = np.where(frequency == 0, 0.0, recency)  # no repeat purchase, no recency
    grid = pd.DataFrame({"frequency": frequency.ravel(), "recency": recency.ravel(), "T": float(age)})
    alive = model.p_alive(grid).to_numpy().reshape(frequency.shape)
    if ax is None:
        _, ax = plt.subplots(figsize=(6, 4.5))
    image = ax.imshow(
        alive, origin="lower", aspect="auto", extent=(-0.5, top + 0.5, 0, age), cmap="Blues", vmin=0, vmax=1
    )
    ax.figure.colorbar(image, ax=ax, label="probability alive")
    ax.set_xlabel("repeat purchases (frequency)")
    ax.set_ylabel("last purchase after the first (recency)")
    ax.set_title(f"Probability alive, customers observed for {age:g}")
    return ax


def calibration(
    predicted: pd.Series, actual: pd.Series, frequency: pd.Series, *, ax: Axes | None = None, top: int = 7
) -> Axes:
    """Predicted against observed purchases in a holdout period, by the customers'
    frequency in the calibration period (the last bucket is ``top`` or more), as in
    Fader, Hardie & Lee's figure of conditional expectations."""
    import matplotlib.pyplot as plt

    bucket = frequency.clip(upper=top).astype(int)
    means = pd.DataFrame({"actual": actual.to_numpy(), "predicted": predicted.to_numpy(), "bucket": bucket.to_numpy()})
    means = means.groupby("bucket").mean()
    if ax is None:
        _, ax = plt.subplots(figsize=(6, 4.5))
    ax.plot(means.index, means["actual"], marker="o", color="#08306b", label="observed")
    ax.plot(means.index, means["predicted"], marker="s", linestyle="--", color="#6baed6", label="predicted")
    labels = [str(k) for k in means.index]
    labels[-1] = f"{labels[-1]}+" if means.index[-1] == top else labels[-1]
    ax.set_xticks(list(means.index), labels)
    ax.set_xlabel("repeat purchases in the calibration period")
    ax.set_ylabel("mean purchases in the holdout period")
    ax.legend(frameon=False)
    return ax


def complaints(indicator: pd.DataFrame, *, ax: Axes | None = None, months: int | None = 24) -> Axes:
    """The complaint indicator month by month, every manager together (``indicator`` from
    ``cartera.complaint_indicator``): the share solved at the first contact, counted and
    weighted by the customers' value, and the share of valuable customers' complaints
    resolved in time. ``months``: the last this many months shown (None: all)."""
    import matplotlib.pyplot as plt

    from .complaints import complaint_totals

    by_month = complaint_totals(indicator, by="month").sort_index()
    if months is not None:
        by_month = by_month.tail(months)
    if ax is None:
        _, ax = plt.subplots(figsize=(7, 4.2))
    lines = {
        "first_contact_share": ("solved at the first contact", "#08306b", "-"),
        "first_contact_share_by_value": ("the same, by value", "#6baed6", "--"),
        "valuable_in_time_share": ("valuable customers' resolved in time", "#e6550d", ":"),
    }
    for column, (label, colour, style) in lines.items():
        ax.plot(by_month.index, by_month[column], marker="o", color=colour, linestyle=style, label=label)
    ax.set_ylim(0, 1.02)
    ax.set_ylabel("share of the month's complaints")
    ax.set_title("Complaints solved at the first contact")
    ax.legend(frameon=False, fontsize="small")
    ax.figure.autofmt_xdate()
    return ax


# From nothing to do to nobody did it.
_OUTCOME_COLOURS = {
    "no_response": "#d9d9d9",
    "waiting": "#c6dbef",
    "followed_up": "#2171b5",
    "follow_up_due": "#fdae6b",
    "missed": "#e6550d",
}


def campaigns(summary: pd.DataFrame, *, ax: Axes | None = None, top: int | None = 12) -> Axes:
    """What became of each campaign's contacts (``summary`` from ``cartera.campaign_summary``)
    as stacked horizontal bars: no response, still waiting, followed up, follow-up due,
    missed. ``top``: the campaigns with the most contacts shown (None: all)."""
    import matplotlib.pyplot as plt

    shown = summary.sort_values("contacts", ascending=False)
    if top is not None:
        shown = shown.head(top)
    if ax is None:
        _, ax = plt.subplots(figsize=(8, 0.4 * len(shown) + 2.5))
    left = pd.Series(0.0, index=range(len(shown)))
    for outcome, colour in _OUTCOME_COLOURS.items():
        widths = (shown[outcome] / shown["contacts"]).to_numpy()
        ax.barh(range(len(shown)), widths, left=left.to_numpy(), color=colour, label=outcome.replace("_", " "))
        left += widths
    ax.set_yticks(range(len(shown)), ["(unnamed)" if pd.isna(c) else str(c) for c in shown.index])
    ax.invert_yaxis()
    ax.set_xlabel("share of the campaign's contacts")
    ax.set_title("The day after each campaign")
    ax.legend(ncols=5, loc="upper center", bbox_to_anchor=(0.5, -0.18), frameon=False, fontsize="small")
    return ax


def readiness(result: Any, *, ax: Axes | None = None, by: str = "areas") -> Axes:
    """The readiness questionnaire as a radar (``result`` from ``cartera.readiness``): the
    current and the preferred scenario on the 1-5 scale, per area of the gap tool
    (``by="areas"``) or per IDIC step (``by="steps"``, with the book's own measure when it
    was given). The space between the two lines is the gap to close."""
    import matplotlib.pyplot as plt
    import numpy as np

    table = getattr(result, by)
    angles = np.linspace(0, 2 * np.pi, len(table), endpoint=False)
    closed = np.append(angles, angles[0])
    if ax is None:
        _, ax = plt.subplots(figsize=(6, 6), subplot_kw={"projection": "polar"})
    lines = [("current", "#e6550d", "current scenario"), ("preferred", "#2171b5", "preferred scenario")]
    if "measured_score" in table.columns:
        lines.append(("measured_score", "#31a354", "what the book shows"))
    for column, colour, label in lines:
        values = table[column].to_numpy(dtype=float)
        ax.plot(closed, np.append(values, values[0]), color=colour, marker="o", label=label)
        if column != "measured_score":
            ax.fill(closed, np.append(values, values[0]), color=colour, alpha=0.12)
    ax.set_xticks(angles, [str(label).replace("_", " ") for label in table.index])
    ax.set_ylim(0, 5)
    ax.set_yticks([1, 2, 3, 4, 5])
    ax.set_title("Readiness: where we are and where we want to be")
    ax.legend(loc="upper right", bbox_to_anchor=(1.25, 1.1), frameon=False, fontsize="small")
    return ax
