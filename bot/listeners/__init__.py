"""The core listeners: `/community` and its form modal, Home, lifecycle, activity buttons.

Each module has a `register(app)`; bot/app.py calls them (and the kinds' own) once.
"""
