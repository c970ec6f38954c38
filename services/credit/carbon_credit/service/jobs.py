"""Periodic jobs of the credit service (each idempotent)."""

from carbon_shared.runtime import PeriodicJob

JOBS: list[PeriodicJob] = []
