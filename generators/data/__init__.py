"""Packaged data files (indicator dictionary)."""
