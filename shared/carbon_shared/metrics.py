"""Prometheus metrics of one service, in a registry of its own (tests build many apps per process)."""

from __future__ import annotations

from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram


class Metrics:
    def __init__(self, service: str) -> None:
        self.registry = CollectorRegistry()
        r = self.registry
        self.requests = Counter(
            "http_requests_total", "HTTP requests", ["method", "route", "status"], registry=r
        )
        self.request_seconds = Histogram(
            "http_request_duration_seconds", "HTTP request latency", ["method", "route"], registry=r
        )
        self.events_published = Counter("events_published_total", "Events published", ["type"], registry=r)
        self.events_consumed = Counter(
            "events_consumed_total", "Events handled by consumers", ["type", "outcome"], registry=r
        )
        self.handler_seconds = Histogram(
            "event_handler_duration_seconds", "Handler latency", ["type"], registry=r
        )
        self.dead_letters = Counter(
            "dead_letters_total", "Messages sent to the dead-letter topic", registry=r
        )
        self.consumer_lag = Gauge("consumer_lag_messages", "Messages waiting for this service", registry=r)
        self.outbox_backlog = Gauge("outbox_backlog_rows", "Unpublished outbox rows", registry=r)
        self.outbox_oldest_age = Gauge(
            "outbox_oldest_age_seconds", "Age of the oldest unpublished outbox row", registry=r
        )
        self.info = Gauge("service_info", "Service identity", ["service"], registry=r)
        self.info.labels(service).set(1)
