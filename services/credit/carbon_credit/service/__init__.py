"""Use cases of the credit service: each owns its unit of work and commits once."""
