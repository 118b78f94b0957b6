"""The poll kind (storage side); see storage/kinds/__init__.py for the layout."""
