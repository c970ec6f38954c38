"""HTTP entry points of the allowance service: thin routers calling use cases in `service/`."""

from fastapi import APIRouter

from carbon_allowance.api import accounts, allocations, compliance, holds, surrenders
from carbon_allowance.api.errors import install_domain_errors

ROUTERS: list[APIRouter] = [
    allocations.router,
    accounts.router,
    surrenders.router,
    compliance.router,
    holds.router,
]

__all__ = ["ROUTERS", "install_domain_errors"]
