"""HTTP entry points of the credit service: thin routers calling use cases in `service/`."""

from fastapi import APIRouter

from carbon_credit.api import complaints, disclosures, ratings, repairs

ROUTERS: list[APIRouter] = [ratings.router, repairs.router, complaints.router, disclosures.router]
