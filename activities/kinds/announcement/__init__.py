"""The announcement kind (activities side); see activities/kinds/__init__.py for the layout."""
