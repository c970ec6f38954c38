"""Tables and repositories of the reporting service; every query lives here."""
