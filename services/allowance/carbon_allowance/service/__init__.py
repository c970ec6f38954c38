"""Use cases of the allowance service: each owns its unit of work and commits once."""
