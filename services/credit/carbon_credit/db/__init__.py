"""Tables and repositories of the credit service; every query lives here."""
