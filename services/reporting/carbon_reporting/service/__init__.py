"""Use cases of the reporting service: each owns its unit of work and commits once."""
