"""The embedded bus for `make run`: a durable log in one SQLite file shared by the five processes.

Each topic is a single ordered partition (so every key stays in order); a consumer group's committed
position per topic lives in the same file. Writers serialize on SQLite's lock, and a sequence number is
assigned inside the writing transaction, so readers never see a later message before an earlier one.
No Java, no server: just a file under the data folder.
"""

from __future__ import annotations

import asyncio
import json
import sqlite3
import threading
from collections.abc import Sequence
from pathlib import Path

from carbon_shared.bus.base import Bus, IncomingMessage, OutgoingMessage, StartAt, Subscription

_SCHEMA = """
CREATE TABLE IF NOT EXISTS messages (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    topic TEXT NOT NULL,
    key TEXT,
    value BLOB NOT NULL,
    headers TEXT NOT NULL,
    created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
);
CREATE INDEX IF NOT EXISTS ix_messages_topic_seq ON messages (topic, seq);
CREATE TABLE IF NOT EXISTS group_offsets (
    grp TEXT NOT NULL,
    topic TEXT NOT NULL,
    seq INTEGER NOT NULL,
    PRIMARY KEY (grp, topic)
);
CREATE TABLE IF NOT EXISTS topics (name TEXT PRIMARY KEY);
"""

_POLL_SECONDS = 0.05


class _Log:
    """Blocking access to the SQLite log; called from worker threads, one connection per thread."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._local = threading.local()
        path.parent.mkdir(parents=True, exist_ok=True)
        with self._connect() as conn:
            conn.executescript(_SCHEMA)

    def _connect(self) -> sqlite3.Connection:
        conn = sqlite3.connect(self.path, timeout=30, isolation_level=None)
        conn.execute("PRAGMA journal_mode=WAL")
        conn.execute("PRAGMA busy_timeout=30000")
        return conn

    def conn(self) -> sqlite3.Connection:
        conn = getattr(self._local, "conn", None)
        if conn is None:
            conn = self._local.conn = self._connect()
        return conn

    def append(self, messages: Sequence[OutgoingMessage]) -> None:
        conn = self.conn()
        conn.execute("BEGIN IMMEDIATE")
        try:
            conn.executemany(
                "INSERT INTO messages (topic, key, value, headers) VALUES (?, ?, ?, ?)",
                [(m.topic, m.key, m.value, json.dumps(m.headers)) for m in messages],
            )
            conn.execute("COMMIT")
        except BaseException:
            conn.execute("ROLLBACK")
            raise

    def read(self, group: str, topics: Sequence[str], limit: int) -> list[IncomingMessage]:
        marks = ",".join("?" * len(topics))
        rows = (
            self.conn()
            .execute(
                f"""SELECT m.seq, m.topic, m.key, m.value, m.headers FROM messages m
                LEFT JOIN group_offsets o ON o.grp = ? AND o.topic = m.topic
                WHERE m.topic IN ({marks}) AND m.seq > COALESCE(o.seq, 0)
                ORDER BY m.seq LIMIT ?""",
                (group, *topics, limit),
            )
            .fetchall()
        )
        return [IncomingMessage(t, 0, seq, k, bytes(v), json.loads(h)) for seq, t, k, v, h in rows]

    def commit(self, group: str, positions: dict[str, int]) -> None:
        self.conn().executemany(
            """INSERT INTO group_offsets (grp, topic, seq) VALUES (?, ?, ?)
               ON CONFLICT (grp, topic) DO UPDATE SET seq = MAX(seq, excluded.seq)""",
            [(group, topic, seq) for topic, seq in positions.items()],
        )

    def lag(self, group: str, topics: Sequence[str]) -> int:
        marks = ",".join("?" * len(topics))
        (count,) = (
            self.conn()
            .execute(
                f"""SELECT COUNT(*) FROM messages m
                LEFT JOIN group_offsets o ON o.grp = ? AND o.topic = m.topic
                WHERE m.topic IN ({marks}) AND m.seq > COALESCE(o.seq, 0)""",
                (group, *topics),
            )
            .fetchone()
        )
        return int(count)

    def start_group_at_end(self, group: str, topics: Sequence[str]) -> None:
        """Position a group without committed positions after the last message of each topic."""
        (last,) = self.conn().execute("SELECT COALESCE(MAX(seq), 0) FROM messages").fetchone()
        self.conn().executemany(
            "INSERT OR IGNORE INTO group_offsets (grp, topic, seq) VALUES (?, ?, ?)",
            [(group, topic, last) for topic in topics],
        )

    def add_topics(self, topics: Sequence[str]) -> None:
        self.conn().executemany("INSERT OR IGNORE INTO topics (name) VALUES (?)", [(t,) for t in topics])


class EmbeddedBus(Bus):
    def __init__(self, path: Path) -> None:
        self.path = path
        self._log: _Log | None = None
        self._published = asyncio.Event()

    async def start(self) -> None:
        self._log = await asyncio.to_thread(_Log, self.path)

    async def stop(self) -> None:
        self._log = None

    def _require(self) -> _Log:
        assert self._log is not None, "bus not started"
        return self._log

    async def ensure_topics(self, topics: Sequence[str]) -> None:
        await asyncio.to_thread(self._require().add_topics, topics)

    async def publish(self, messages: Sequence[OutgoingMessage]) -> None:
        if messages:
            await asyncio.to_thread(self._require().append, messages)
            self._published.set()

    def subscribe(self, *, group: str, topics: Sequence[str], start: StartAt = "earliest") -> Subscription:
        return EmbeddedSubscription(self, group=group, topics=list(topics), start=start)

    async def ping(self) -> bool:
        return self._log is not None and self.path.exists()

    async def wait_for_publish(self, timeout_s: float) -> None:
        """Wake early when this process published; other processes are seen by polling."""
        try:
            await asyncio.wait_for(self._published.wait(), timeout=timeout_s)
        except TimeoutError:
            return
        self._published.clear()


class EmbeddedSubscription(Subscription):
    def __init__(
        self, bus: EmbeddedBus, *, group: str, topics: list[str], start: StartAt = "earliest"
    ) -> None:
        self.bus = bus
        self.group = group
        self.topics = topics
        self.start_at = start

    async def start(self) -> None:
        if self.start_at == "latest":
            await asyncio.to_thread(self.bus._require().start_group_at_end, self.group, self.topics)

    async def stop(self) -> None:
        return None

    async def fetch(self, *, max_records: int, timeout_s: float) -> list[IncomingMessage]:
        log = self.bus._require()
        deadline = asyncio.get_running_loop().time() + timeout_s
        while True:
            batch = await asyncio.to_thread(log.read, self.group, self.topics, max_records)
            remaining = deadline - asyncio.get_running_loop().time()
            if batch or remaining <= 0:
                return batch
            await self.bus.wait_for_publish(min(_POLL_SECONDS, remaining))

    async def commit(self, messages: Sequence[IncomingMessage]) -> None:
        positions: dict[str, int] = {}
        for m in messages:
            positions[m.topic] = max(positions.get(m.topic, 0), m.offset)
        if positions:
            await asyncio.to_thread(self.bus._require().commit, self.group, positions)

    async def lag(self) -> int:
        return await asyncio.to_thread(self.bus._require().lag, self.group, self.topics)
