"""Use cases over the store: apply a command, queue/workload/KPI queries,
seeding. Plain Python; the GUI binds to the events emitted here."""
