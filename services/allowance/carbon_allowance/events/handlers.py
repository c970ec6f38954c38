"""Which handler reacts to which event."""

from collections.abc import Mapping, Sequence

from carbon_shared.consumer import Handler
from carbon_shared.events import DomainEvent

HANDLERS: Mapping[type[DomainEvent], Handler | Sequence[Handler]] = {}
