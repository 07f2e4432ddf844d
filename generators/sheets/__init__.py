"""Spreadsheets: blank fill-in forms, filled forms and CSV read back with cell-precise
errors, statistical tables with live formulas, printing on A4, synthetic results.

In: periods, units, counts.  Out: XLSX/CSV files, or ``PeriodResults`` read from them.
"""
