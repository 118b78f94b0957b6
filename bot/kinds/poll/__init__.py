"""The poll kind (bot side); see bot/kinds/__init__.py for the layout."""
