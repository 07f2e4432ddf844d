"""The document model and the standard's numbers: blocks and frame of a 公文
(model), GB/T 9704-2012 geometry shared by both renderers (geometry: page, grid,
sizes, 版记 page, tables, figures; masthead: the 版头 per format; signoff: 署名, date and
seals), heading numbering, titles broken at word boundaries.

In: text from the kinds.  Out: ``Document`` trees the renderers lay out.
"""
