"""Generated generalized assignment instances of the published families (types C, D and E
of Chu & Beasley 1997 and Laguna et al. 1995, as Yagiura, Ibaraki & Glover 2004 use them),
exported by :mod:`cartera.datasets`."""

from __future__ import annotations

import dataclasses

import numpy as np
import numpy.typing as npt

from . import _core

FAMILIES = ("C", "D", "E")


@dataclasses.dataclass(frozen=True)
class GapInstance:
    """A generalized assignment instance: every item goes to exactly one agent, and the
    weights an agent receives must not exceed its capacity. Minimise the total cost.

    ``cost`` and ``weight`` are agents × items integer matrices, ``capacity`` one integer per
    agent, laid out as the OR-Library files are (:meth:`to_orlibrary`).
    """

    family: str
    seed: int
    cost: npt.NDArray[np.int64]
    weight: npt.NDArray[np.int64]
    capacity: npt.NDArray[np.int64]

    @property
    def agents(self) -> int:
        return int(self.cost.shape[0])

    @property
    def items(self) -> int:
        return int(self.cost.shape[1])

    def problem(self) -> _core.AssignmentProblem:
        """The instance as a realignment problem, built as :func:`cartera.read_orlibrary_gap`
        builds a file: agents are managers (time budget = capacity, no cap on customers),
        items are customers with every agent as a candidate (workload = weight), and leaving
        an item out costs more than any complete assignment."""
        m, n = self.cost.shape
        return _core.AssignmentProblem(
            offsets=np.arange(n + 1, dtype=np.int64) * m,
            manager=np.tile(np.arange(m, dtype=np.int32), n),
            cost=self.cost.T.astype(np.float64).ravel(),
            workload=self.weight.T.astype(np.float64).ravel(),
            leave_out=np.full(n, float(self.cost.max(axis=0).sum() + 1)),
            capacity=np.full(m, n, dtype=np.int64),
            time_budget=self.capacity.astype(np.float64),
        )

    def to_orlibrary(self) -> str:
        """The instance in the OR-Library text format that :func:`cartera.read_orlibrary_gap` reads."""
        lines = [f"{self.agents} {self.items}"]
        lines += [" ".join(map(str, row)) for row in self.cost]
        lines += [" ".join(map(str, row)) for row in self.weight]
        lines.append(" ".join(map(str, self.capacity)))
        return "\n".join(lines) + "\n"


def gap_instance(family: str, items: int, agents: int, *, seed: int = 0) -> GapInstance:
    """A random instance of a published GAP family; the same arguments give the same instance.

    - ``"C"``: weights uniform in {5..25}, costs uniform in {10..50};
    - ``"D"``: weights uniform in {1..100}, costs 111 − weight + uniform in {−10..10};
    - ``"E"``: weights 1 − 10 ln U, costs 1000 / weight − 10 U (U uniform in (0, 1]), rounded;
    - in all three each agent's capacity is 80 % of its share of the weights,
      ⌊0.8 Σ_items weight / agents⌋: tight, with cheap pairs costing the most capacity in D
      and E, which is what makes them hard.

    Yagiura's published sets are these families at 100–1,600 items × 5–80 agents.
    """
    if family not in FAMILIES:
        raise ValueError(f"family: expected one of {', '.join(FAMILIES)}, got {family!r}")
    if int(items) < 1 or int(agents) < 1:
        raise ValueError(f"items and agents: expected counts >= 1, got {items} and {agents}")
    random = np.random.default_rng([int(seed), FAMILIES.index(family), int(items), int(agents)])
    shape = (int(agents), int(items))
    if family == "C":
        weight = random.integers(5, 26, shape)
        cost = random.integers(10, 51, shape)
    elif family == "D":
        weight = random.integers(1, 101, shape)
        cost = 111 - weight + random.integers(-10, 11, shape)
    else:
        exact = 1 - 10 * np.log(1 - random.random(shape))  # 1 - random() is in (0, 1]
        weight = np.rint(exact).astype(np.int64)
        cost = np.maximum(np.rint(1000 / exact - 10 * (1 - random.random(shape))), 0).astype(np.int64)
    capacity = np.floor(0.8 * weight.sum(axis=1) / shape[0]).astype(np.int64)
    return GapInstance(family, int(seed), cost.astype(np.int64), weight.astype(np.int64), capacity)
