"""Pure rules of the reporting service: accounting, report lifecycle, deadlines, data quality, disclosure.

Standard library only; the rule tables arrive as arguments (see `rules.py`), loaded by
`carbon_reporting.reference`, so every function here is deterministic and free of I/O.
"""
