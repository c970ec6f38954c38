"""Pure rules of the allowance service: allocation, ledger, obligations, deadlines, holds, statistics.

Nothing here performs I/O or imports a framework. Regulatory numbers arrive as rule dataclasses
(`domain.rules`) that `carbon_allowance.reference` loads from versioned TOML files.
"""
