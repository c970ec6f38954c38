"""The change history of an enterprise: a pure field-by-field diff of two snapshots.

Used for the history log (who changed what, when: the service adds who and when) and for
`EnterpriseUpdated.changed_fields`. Values compare with `==`, so Decimal("1.0") equals Decimal("1.00")
and tuples of contacts compare element by element; field order follows the dataclass declaration.
"""

from __future__ import annotations

from dataclasses import fields, is_dataclass
from typing import Any

from carbon_registry.domain.errors import SnapshotMismatch


def diff_snapshots(*, before: Any, after: Any) -> dict[str, tuple[Any, Any]]:
    """{field: (old, new)} for every field whose value differs; unchanged fields are left out."""
    if not (is_dataclass(before) and is_dataclass(after)) or type(before) is not type(after):
        raise SnapshotMismatch(
            f"snapshots must be dataclass instances of one type, got {type(before).__name__} "
            f"and {type(after).__name__}"
        )
    changes: dict[str, tuple[Any, Any]] = {}
    for field in fields(before):
        old, new = getattr(before, field.name), getattr(after, field.name)
        if old != new:
            changes[field.name] = (old, new)
    return changes


def changed_fields(*, before: Any, after: Any) -> list[str]:
    """The names of the changed fields, in declaration order (EnterpriseUpdated.changed_fields)."""
    return list(diff_snapshots(before=before, after=after))
