"""Shared core: errors, input loading, the document model, layout geometry, fonts."""
