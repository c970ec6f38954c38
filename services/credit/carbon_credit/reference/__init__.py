"""Versioned reference data of the credit service (rule tables, complaint handling periods) and its loader."""

from carbon_credit.reference.loader import (
    available_rule_versions,
    load_complaint_rules,
    load_rule_table,
    parse_rule_table,
    rule_table_in_force,
)

__all__ = [
    "available_rule_versions",
    "load_complaint_rules",
    "load_rule_table",
    "parse_rule_table",
    "rule_table_in_force",
]
