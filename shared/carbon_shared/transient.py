"""Which failures are the infrastructure being away (retry until it returns) rather than a bad message."""

from __future__ import annotations

from sqlalchemy.exc import DBAPIError, InterfaceError, OperationalError

_TRANSIENT_NAMES = {
    "ConnectionDoesNotExistError",
    "CannotConnectNowError",
    "AdminShutdownError",
    "ConnectionFailureError",
    "TooManyConnectionsError",
    "InterfaceError",
    "KafkaConnectionError",
    "KafkaTimeoutError",
    "NodeNotReadyError",
    "RequestTimedOutError",
    "NotLeaderForPartitionError",
    "LeaderNotAvailableError",
}


def is_transient(exc: BaseException) -> bool:
    if isinstance(exc, OperationalError | InterfaceError | ConnectionError | TimeoutError | OSError):
        return True
    if isinstance(exc, DBAPIError):
        if exc.connection_invalidated:
            return True
        return type(exc.orig).__name__ in _TRANSIENT_NAMES
    return type(exc).__name__ in _TRANSIENT_NAMES or (
        exc.__cause__ is not None and exc.__cause__ is not exc and is_transient(exc.__cause__)
    )
