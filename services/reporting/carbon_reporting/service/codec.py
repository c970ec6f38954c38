"""JSON documents stored with a report: its activity data and its calculation breakdown.

Decimals are stored as strings so nothing is rounded through a float; the activity document is what the
enterprise sent, so the calculation can be replayed with the reference versions the breakdown names.
"""

from __future__ import annotations

from dataclasses import asdict, fields
from decimal import Decimal
from typing import Any

from carbon_reporting.domain.accounting import EmissionsResult
from carbon_reporting.domain.activity import Facility, FuelLine, ProcessLine, ReportActivity


def _plain(value: Any) -> Any:
    """Decimals to strings, tuples to lists, enums to their values, recursively."""
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, dict):
        return {key: _plain(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(item) for item in value]
    if hasattr(value, "value") and not isinstance(value, int | str):
        return value.value
    return value


def activity_document(activity: ReportActivity) -> dict[str, Any]:
    return {"flat": activity.flat, "facilities": [_plain(asdict(f)) for f in activity.facilities]}


def _decimals(cls: type, data: dict[str, Any]) -> dict[str, Any]:
    """Turn the stored strings of `cls`'s Decimal fields back into Decimals."""
    decimal_fields = {f.name for f in fields(cls) if "Decimal" in str(f.type)}
    return {
        key: Decimal(value) if key in decimal_fields and value is not None else value
        for key, value in data.items()
    }


def activity_from_document(document: dict[str, Any]) -> ReportActivity:
    facilities = tuple(
        Facility(
            **_decimals(
                Facility,
                {
                    **facility,
                    "fuels": tuple(FuelLine(**_decimals(FuelLine, line)) for line in facility["fuels"]),
                    "processes": tuple(
                        ProcessLine(**_decimals(ProcessLine, line)) for line in facility["processes"]
                    ),
                },
            )
        )
        for facility in document["facilities"]
    )
    return ReportActivity(facilities=facilities, flat=bool(document["flat"]))


def breakdown_document(result: EmissionsResult) -> dict[str, Any]:
    """The calculation per facility and line, with the reference versions that produced it."""
    document: dict[str, Any] = _plain(asdict(result))
    return document
