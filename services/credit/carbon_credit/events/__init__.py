"""Event consumers of the credit service: handlers named `<effect>_on_<event>`."""
