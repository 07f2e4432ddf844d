"""Shared ground, below every other layer: the one error type, YAML read with line
numbers, confined and bounded file access, field types of the inputs, atomic output,
fonts and their cache, the template sandbox, progress, interrupts and crash logs.

In: files and text.  Out: validated data or a Chinese InputError naming file and line.
"""
