"""Periodic jobs of the allowance service (each idempotent)."""

from carbon_shared.runtime import PeriodicJob

JOBS: list[PeriodicJob] = []
