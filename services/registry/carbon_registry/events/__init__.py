"""Event consumers of the registry service: handlers named `<effect>_on_<event>`."""
