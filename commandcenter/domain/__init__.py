"""The domain: pure Python, no Qt, no SQL.

Entities, enums, the case workflow (state machine), SLA clocks on a work
calendar, KPIs, roles and permissions, and PII masking.
"""
