"""The bus interface both adapters implement, with the same guarantees:

- `publish` returns only when every message is durably accepted, in order per (topic, key);
- a subscription belongs to a consumer group and hands out messages in order per key;
- `commit` records progress; uncommitted messages are delivered again after a restart.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Literal

StartAt = Literal["earliest", "latest"]


@dataclass(frozen=True)
class OutgoingMessage:
    topic: str
    key: str
    value: bytes
    headers: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class IncomingMessage:
    topic: str
    partition: int
    offset: int
    key: str | None
    value: bytes
    headers: dict[str, str] = field(default_factory=dict)


class Subscription(ABC):
    @abstractmethod
    async def start(self) -> None: ...

    @abstractmethod
    async def stop(self) -> None: ...

    @abstractmethod
    async def fetch(self, *, max_records: int, timeout_s: float) -> list[IncomingMessage]:
        """Up to `max_records` messages, waiting at most `timeout_s` when none are ready."""

    @abstractmethod
    async def commit(self, messages: Sequence[IncomingMessage]) -> None:
        """Mark these messages (and everything before them in their partitions) as handled."""

    async def lag(self) -> int:
        """Messages waiting for this group (best effort; 0 when unknown)."""
        return 0


class Bus(ABC):
    @abstractmethod
    async def start(self) -> None: ...

    @abstractmethod
    async def stop(self) -> None: ...

    @abstractmethod
    async def ensure_topics(self, topics: Sequence[str]) -> None: ...

    @abstractmethod
    async def publish(self, messages: Sequence[OutgoingMessage]) -> None: ...

    @abstractmethod
    def subscribe(self, *, group: str, topics: Sequence[str], start: StartAt = "earliest") -> Subscription:
        """A consumer-group subscription; a group without committed positions starts at `start`."""

    @abstractmethod
    async def ping(self) -> bool:
        """True when the bus can be reached (readiness)."""
