"""Periodic jobs of the notify service (each idempotent)."""

from carbon_shared.runtime import PeriodicJob

JOBS: list[PeriodicJob] = []
