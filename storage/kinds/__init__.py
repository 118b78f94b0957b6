"""Each activity kind's own tables (`models.py`) and queries (`queries.py`), one folder a kind."""
