"""Fixtures shared by every test in the repository (the real PostgreSQL and Kafka of `make test`)."""

pytest_plugins = ["carbon_shared.testing.fixtures"]
