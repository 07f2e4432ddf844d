"""One module per document kind: a YAML input validated into a model, then documents
and the jobs that render them (``jobs``: the contract the pipeline runs).  Circulars,
responsibility books, work plans, quarterly supervision reports and their numbers.

In: an input file.  Out: ``Job``s holding ``Document``s, or spreadsheet jobs.
"""
