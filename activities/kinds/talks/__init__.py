"""The talks kind (activities side): a series members fill by volunteering talks."""
