"""Periodic jobs of the registry service (each idempotent)."""

from carbon_shared.runtime import PeriodicJob

JOBS: list[PeriodicJob] = []
