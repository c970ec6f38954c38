"""Event consumers of the allowance service: handlers named `<effect>_on_<event>`."""
