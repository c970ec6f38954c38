"""Helpers to run a service app in-process (lifespan included) and call it over httpx."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import httpx
from fastapi import FastAPI

from carbon_shared.auth import mint_token
from carbon_shared.settings import DEV_JWT_SECRET


@asynccontextmanager
async def running(app: FastAPI, base_url: str = "http://testserver") -> AsyncIterator[httpx.AsyncClient]:
    """Start the app's lifespan (relay, consumer, jobs) and yield a client bound to it."""
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url=base_url) as client:
            yield client


def bearer(role: str, *, secret: str = DEV_JWT_SECRET, **claims: str) -> dict[str, str]:
    """Authorization header for a development token of `role` (claims as in the contract)."""
    return {"Authorization": f"Bearer {mint_token(secret=secret, role=role, **claims)}"}
