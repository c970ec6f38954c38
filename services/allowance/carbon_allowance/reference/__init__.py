"""Versioned reference data (regulatory numbers) for the allowance service and its typed loader.

Each table is a folder of `<version>.toml` files; `loader` turns one into a frozen rule dataclass from
`carbon_allowance.domain.rules`.
"""
