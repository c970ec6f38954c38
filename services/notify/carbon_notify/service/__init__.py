"""Use cases of the notify service: each owns its unit of work and commits once."""
