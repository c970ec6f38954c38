"""Tables and repositories of the notify service; every query lives here."""
