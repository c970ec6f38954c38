"""The allowance service's tables (the platform's outbox/inbox tables come from carbon_shared.db)."""

from carbon_shared.db import make_metadata

metadata = make_metadata()
