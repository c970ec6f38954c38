"""Use cases of the registry service: each owns its unit of work and commits once."""
