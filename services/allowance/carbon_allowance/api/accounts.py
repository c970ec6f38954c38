"""An enterprise's account: balances, holdings, obligations and its ledger entries."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter

from carbon_allowance.api.common import READERS, obligation_out, own_enterprise
from carbon_allowance.api.schemas import AccountOut, EntryOut, HoldingOut, PostingOut
from carbon_allowance.db import ledger
from carbon_allowance.db.ledger import EntryView, instrument_of
from carbon_allowance.service.views import account_view
from carbon_shared.app import UoW
from carbon_shared.auth import Principal, require_roles
from carbon_shared.pagination import Cursor, Limit, Page, decode_cursor, page_of

router = APIRouter(tags=["accounts"])
Reader = Annotated[Principal, require_roles(*READERS)]


@router.get("/v1/accounts/{enterprise_id}", response_model=AccountOut)
async def get_account(enterprise_id: str, uow: UoW, who: Reader) -> AccountOut:
    own_enterprise(who, enterprise_id)
    async with uow:
        view = await account_view(uow.session, enterprise_id)
    return AccountOut(
        enterprise_id=view.enterprise_id,
        name=view.name,
        allowance_balance=view.allowance_balance,
        ccer_balance=view.ccer_balance,
        frozen=view.frozen,
        holdings=[HoldingOut(account=a, instrument=i, units=u) for a, i, u in view.holdings],  # type: ignore[arg-type]
        obligations=[obligation_out(o) for o in view.obligations],
    )


@router.get("/v1/accounts/{enterprise_id}/entries", response_model=Page[EntryOut])
async def list_entries(
    enterprise_id: str, uow: UoW, who: Reader, limit: Limit = 100, cursor: Cursor = None
) -> Page[EntryOut]:
    """The account's ledger entries in recorded order, each with its postings, actor and reason."""
    own_enterprise(who, enterprise_id)
    after = decode_cursor(cursor)
    async with uow:
        views = await ledger.list_entries(
            uow.session,
            enterprise_id=enterprise_id,
            after_seq=int(after[0]) if after else None,
            limit=limit + 1,
        )
    return page_of([_entry_out(v) for v in views], limit, lambda item: [item.seq])


def _entry_out(view: EntryView) -> EntryOut:
    e = view.entry
    postings = [
        PostingOut(
            account=p.account_kind
            if p.enterprise_id is None
            else f"enterprise:{p.enterprise_id}:{p.account_kind}",
            instrument=instrument_of(p.instrument_kind, p.vintage, p.project_ref).code,
            quantity=p.quantity,
        )
        for p in view.postings
    ]
    return EntryOut(
        seq=view.seq,
        entry_id=e.entry_id,
        kind=e.kind,
        actor=e.actor,
        reason=e.reason,
        occurred_at=e.occurred_at,
        hold_id=e.hold_id,
        counterparty=e.counterparty,
        reference=e.reference,
        postings=postings,
    )
