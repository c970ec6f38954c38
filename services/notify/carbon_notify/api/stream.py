"""GET /v1/events/stream (ops): Server-Sent Events of every domain event, resumable by Last-Event-ID."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Annotated

from fastapi import APIRouter, Header, Query, Request
from fastapi.responses import StreamingResponse

from carbon_notify.service.stream import StreamEvent, start_position, tail
from carbon_shared.app import Runtime
from carbon_shared.auth import Principal, require_roles
from carbon_shared.errors import Unprocessable

router = APIRouter(tags=["stream"])


def _split(values: list[str] | None) -> set[str]:
    """`?type=A&type=B` and `?type=A,B` both work."""
    return {part.strip() for value in values or [] for part in value.split(",") if part.strip()}


def _resume_id(header: str | None) -> int | None:
    if header is None or not header.strip():
        return None
    if not header.strip().isdigit():
        raise Unprocessable(
            "Last-Event-ID must be the id of an event this stream sent",
            errors=[{"loc": ["header", "Last-Event-ID"], "msg": "not an event id"}],
        )
    return int(header.strip())


def _frame(item: StreamEvent | None) -> str:
    if item is None:
        return ": keep-alive\n\n"
    return f"id: {item.id}\nevent: {item.event_type}\ndata: {item.body}\n\n"


@router.get(
    "/v1/events/stream",
    summary="Live Server-Sent Events of every domain event (ops)",
    response_class=StreamingResponse,
    responses={200: {"content": {"text/event-stream": {}}}},
)
async def stream(
    request: Request,
    runtime: Runtime,
    who: Annotated[Principal, require_roles("ops")],
    type: Annotated[
        list[str] | None, Query(description="event types to keep (repeat or comma-separate)")
    ] = None,
    subject: Annotated[
        list[str] | None, Query(description="subjects (enterprise or agency ids) to keep")
    ] = None,
    last_event_id: Annotated[str | None, Header(alias="Last-Event-ID")] = None,
) -> StreamingResponse:
    after = await start_position(runtime.session_factory, _resume_id(last_event_id))
    events = tail(
        runtime.session_factory,
        after=after,
        types=_split(type),
        subjects=_split(subject),
        settings=request.app.state.settings,
        disconnected=request.is_disconnected,
    )

    async def frames() -> AsyncIterator[str]:
        yield "retry: 1000\n\n"
        async for item in events:
            yield _frame(item)

    headers = {"Cache-Control": "no-cache", "X-Accel-Buffering": "no"}
    return StreamingResponse(frames(), media_type="text/event-stream", headers=headers)
