"""The office's web page: clerks draft, preview, approve and download in a browser.

In: HTTP requests from logged-in users and one data folder (``--data``) holding the
inputs, outputs, number registry and accounts.  Out: HTML pages (templates/web/),
previews as PNG, downloads (DOCX, PDF, XLSX, ZIP).  The documents are made by the
same library calls as the command line (``pipeline.run.build``, ``drafts.import_draft``,
``archive.package.build_archive``), in worker processes (``web.work``).
"""
