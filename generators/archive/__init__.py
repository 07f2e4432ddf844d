"""The yearly archive package (DA/T 22-2015): PDF/A-2b copies, the catalogue
(XLSX) and a SHA-256 manifest.

In: the year's jobs.  Out: one folder per archive class.
"""
