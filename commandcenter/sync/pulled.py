"""Pulled feed changes made ready to write, without the store: pure Python (no SQLAlchemy,
no domain), so that the catch-up prepares them on a helper thread or in its fetch process
(``sync.fetch``) while the sync thread writes the pages before."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

# (the columns of cases, the columns of case_history but its id), in the store's order:
# replica.ORDERS; given, not imported, so that this module needs no schema
Orders = tuple[tuple[str, ...], tuple[str, ...]]


class Pulled:
    """The latest row of each case (a tuple in column order; the columns the server left out
    are None) and the history rows (tuples), of some changes of the feed."""

    __slots__ = ("changes", "history", "latest")

    def __init__(
        self,
        latest: dict[str, tuple[Any, ...]] | None = None,
        history: list[tuple[Any, ...]] | None = None,
        changes: int = 0,
    ) -> None:
        self.latest: dict[str, tuple[Any, ...]] = {} if latest is None else latest
        self.history: list[tuple[Any, ...]] = [] if history is None else history
        self.changes = changes

    @classmethod
    def of(cls, changes: Sequence[Mapping[str, Any]], orders: Orders) -> Pulled:
        return cls().add(changes, orders)

    def add(self, changes: Sequence[Mapping[str, Any]], orders: Orders) -> Pulled:
        """Add later changes (a later page): their case rows replace earlier ones."""
        case_order, history_order = orders
        latest, history = self.latest, self.history
        for ch in changes:
            case = ch.get("case")  # left out when a later change of the page carries the row
            if case is not None:
                latest[case["id"]] = tuple(map(case.get, case_order))
            hs = ch.get("history")
            if hs:
                history.extend(tuple(map(h.get, history_order)) for h in hs)
        self.changes += len(changes)
        return self

    def extend(self, other: Pulled) -> Pulled:
        self.latest.update(other.latest)
        self.history.extend(other.history)
        self.changes += other.changes
        return self
