"""Department workloads and KPIs in the workstation (issue 6)."""

from __future__ import annotations

from .feed import AggregatesFeed
from .kpi_panel import KpiPanel
from .panel import WorkloadsPanel

__all__ = ["AggregatesFeed", "KpiPanel", "WorkloadsPanel"]
