"""Read side: an account's holdings and obligations, compliance per year, statistics by sector/county."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.ext.asyncio import AsyncSession

from carbon_allowance.db import accounts, ledger, obligations
from carbon_allowance.db.obligations import StoredObligation
from carbon_allowance.domain.ledger import Account, InstrumentKind
from carbon_allowance.domain.obligations import ccer_room
from carbon_allowance.domain.statistics import ComplianceRecord, ComplianceSummary, GroupBy, summarize
from carbon_allowance.service.common import rules
from carbon_shared.errors import NotFound


@dataclass(frozen=True, kw_only=True)
class AccountView:
    enterprise_id: str
    name: str | None
    allowance_balance: int
    ccer_balance: int
    frozen: int
    holdings: list[tuple[str, str, int]]  # (account kind, instrument code, units)
    obligations: list[StoredObligation]


async def account_view(session: AsyncSession, enterprise_id: str) -> AccountView:
    account = await accounts.get(session, enterprise_id)
    if account is None:
        raise NotFound(f"no account for enterprise {enterprise_id}")
    balances = await ledger.load_balances(session, enterprise_id)
    available, frozen = Account.available(enterprise_id), Account.frozen(enterprise_id)
    held = [
        (acc.kind.value, instrument.code, units)
        for acc in (available, frozen)
        for instrument, units in balances.holdings(acc).items()
    ]
    return AccountView(
        enterprise_id=enterprise_id,
        name=account.name,
        allowance_balance=balances.total(available, InstrumentKind.ALLOWANCE),
        ccer_balance=balances.total(available, InstrumentKind.CCER),
        frozen=sum(balances.holdings(frozen).values()),
        holdings=held,
        obligations=await obligations.list_for_enterprise(session, enterprise_id),
    )


async def compliance_of_year(session: AsyncSession, year: int) -> ComplianceSummary:
    """Counts, rate, surplus and deficit of one compliance year (all zero when nothing is obligated)."""
    summaries = await compliance_statistics(session, years=[year], by=GroupBy.YEAR)
    if summaries:
        return summaries[0]
    return ComplianceSummary(
        year=year,
        group=None,
        obligated=0,
        fulfilled=0,
        open=0,
        overdue=0,
        compliance_rate=None,
        surplus_units=0,
        deficit_units=0,
    )


async def compliance_statistics(
    session: AsyncSession, *, years: list[int] | None, by: GroupBy
) -> tuple[ComplianceSummary, ...]:
    rows = await obligations.with_enterprises(session, years)
    latest_year = await obligations.latest_years(session)
    available = await ledger.available_by_enterprise(session)
    records = [_record(stored, row.sector, row.county_code, available, latest_year) for stored, row in rows]
    return summarize(records, by=by)


def _record(
    stored: StoredObligation,
    sector: str | None,
    county: str | None,
    available: dict[str, dict[tuple[str, int | None], int]],
    latest_year: dict[str, int],
) -> ComplianceRecord:
    o = stored.obligation
    # Current holdings count once per enterprise: toward its latest obligation year only.
    units = (
        _usable_units(stored, available.get(o.enterprise_id, {}))
        if latest_year.get(o.enterprise_id) == o.year
        else 0
    )
    return ComplianceRecord(
        enterprise_id=o.enterprise_id,
        year=o.year,
        sector=sector or "unknown",
        county_code=county or "unknown",
        required_units=o.required_units,
        surrendered_units=o.surrendered_units,
        available_units=units,
        status=stored.status,
    )


def _usable_units(stored: StoredObligation, held: dict[tuple[str, int | None], int]) -> int:
    """Eligible available allowances (vintage <= year) plus CCER up to the remaining cap room."""
    o, surrender_rules = stored.obligation, rules().surrender
    latest_vintage = o.year + surrender_rules.latest_vintage_offset
    allowances = sum(
        units
        for (kind, vintage), units in held.items()
        if kind == InstrumentKind.ALLOWANCE.value and vintage is not None and vintage <= latest_vintage
    )
    ccer = sum(units for (kind, _), units in held.items() if kind == InstrumentKind.CCER.value)
    return allowances + min(ccer, ccer_room(o, rules=surrender_rules))
