"""HTTP entry points of the credit service: thin routers calling use cases in `service/`."""

from fastapi import APIRouter

ROUTERS: list[APIRouter] = []
