"""HTTP entry points of the notify service: thin routers calling use cases in `service/`."""

from fastapi import APIRouter

from carbon_notify.api import inbox, sms_numbers, stream, webhooks

ROUTERS: list[APIRouter] = [inbox.router, webhooks.router, sms_numbers.router, stream.router]
