"""Event consumers of the notify service: handlers named `<effect>_on_<event>`."""
