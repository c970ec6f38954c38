"""The event bus behind one interface: Kafka in production and tests, an embedded log for `make run`."""

from carbon_shared.bus.base import Bus, IncomingMessage, OutgoingMessage, Subscription
from carbon_shared.bus.factory import make_bus

__all__ = ["Bus", "IncomingMessage", "OutgoingMessage", "Subscription", "make_bus"]
