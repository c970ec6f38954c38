"""Pydantic types for API schemas shared by the services."""

from __future__ import annotations

from decimal import Decimal
from typing import Annotated

from pydantic import PlainSerializer

# The contract: quantities are JSON numbers, stored exactly. Decimal inside, a number on the wire.
JsonDecimal = Annotated[Decimal, PlainSerializer(float, return_type=float, when_used="json")]
