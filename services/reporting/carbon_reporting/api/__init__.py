"""HTTP entry points of the reporting service: thin routers calling use cases in `service/`."""

from fastapi import APIRouter

from carbon_reporting.api import ledgers, public, reports, verification

ROUTERS: list[APIRouter] = [reports.router, verification.router, ledgers.router, public.router]
