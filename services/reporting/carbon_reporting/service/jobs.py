"""Periodic jobs of the reporting service (each idempotent)."""

from carbon_shared.runtime import PeriodicJob

JOBS: list[PeriodicJob] = []
