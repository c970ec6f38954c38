"""Tables and repositories of the allowance service; every query lives here."""
