"""Event consumers of the reporting service: handlers named `<effect>_on_<event>`."""
