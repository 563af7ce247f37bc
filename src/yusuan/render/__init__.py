"""Renderers: ``Table`` (and project forms) to text, JSON and CSV."""
