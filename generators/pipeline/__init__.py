"""A batch: input files → planned jobs (``plan``), rendered in a worker pool with an
incremental manifest (``batch``).

In: inputs, output folder, formats.  Out: files in the output folder and outcomes.
"""
