"""Quarterly fill-in forms, both ways: a blank XLSX out (forms_write), a filled XLSX
or a CSV back in (forms_read)."""

from generators.sheets.forms_read import read_results
from generators.sheets.forms_write import write_blank_form

__all__ = ["read_results", "write_blank_form"]
