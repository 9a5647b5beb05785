"""Plots. matplotlib is imported only when a plot is drawn; every function returns the Axes."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import pandas as pd

if TYPE_CHECKING:
    from matplotlib.axes import Axes

__all__ = ["ladder", "pareto"]

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
