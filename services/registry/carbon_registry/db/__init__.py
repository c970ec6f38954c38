"""Tables and repositories of the registry service; every query lives here."""
