"""The community report: participation and per-activity figures for a month or a quarter,
against the period before, computed from plain rows (aggregates only, never names)."""
