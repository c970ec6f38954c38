"""HTTP entry points of the registry service: thin routers calling use cases in `service/`."""

from fastapi import APIRouter

from carbon_registry.api import agencies, ccer, directory, enterprises, reference, transfer

# `transfer` first: its /v1/enterprises/export and /import must win over /v1/enterprises/{enterprise_id}.
ROUTERS: list[APIRouter] = [
    transfer.router,
    enterprises.router,
    directory.router,
    agencies.router,
    reference.router,
    ccer.router,
]
