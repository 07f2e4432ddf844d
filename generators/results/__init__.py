"""Quarterly results: periods, raw counts from member units, computed indicators."""
