"""Several writes in one database round trip.

On PostgreSQL the statements become data-modifying CTEs of one `WITH ... SELECT 1`: they run in one
statement, against one snapshot, and their constraints (CHECK, foreign keys) are checked by its end.
Elsewhere (SQLite, tests) they run one after the other. Callers never pass two statements touching the
same row: within one PostgreSQL statement only one of those changes would take effect.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import literal, select
from sqlalchemy.ext.asyncio import AsyncSession

from carbon_shared.db.engine import is_postgres


async def execute_together(session: AsyncSession, statements: Sequence[Any]) -> None:
    """Run INSERT/UPDATE statements (none returning rows) in one round trip where the database allows."""
    if len(statements) > 1 and is_postgres(session):
        combined = select(literal(1)).add_cte(*(s.cte(f"write_{i}") for i, s in enumerate(statements)))
        await session.execute(combined)
        return
    for statement in statements:
        await session.execute(statement)
