"""The only way weasyprint may load a resource: the project's own templates and fonts,
and data: URIs (the charts).  Everything else — another local file, http(s), ftp —
is refused at once and logged, so text from an input can neither read a file into a
PDF nor reach the network (nor wait on a network timeout)."""

from __future__ import annotations

import logging
import mimetypes
from pathlib import Path
from urllib import request
from urllib.parse import urlsplit

from weasyprint.urls import URLFetcher, URLFetcherResponse

from generators.core.paths import FONTS, TEMPLATES

LOG = logging.getLogger("gongwen.fetcher")
ALLOWED_ROOTS = (TEMPLATES, FONTS)
MAX_DATA_URI = 20 * 1024 * 1024


class RefusedURL(ValueError):
    """A URL the PDF renderer will not load (weasyprint logs it and goes on)."""


class SafeFetcher(URLFetcher):
    """A weasyprint URL fetcher that never touches the network or a file outside
    ``ALLOWED_ROOTS``.  ``refused`` keeps every refused URL (for tests and reports)."""

    def __init__(self) -> None:
        super().__init__(timeout=0, allow_redirects=False, fail_on_errors=False)
        self.refused: list[str] = []

    def fetch(self, url: str, headers: object = None) -> URLFetcherResponse:
        scheme = urlsplit(url).scheme.lower()
        if scheme == "data":
            if len(url) > MAX_DATA_URI:
                raise self._refuse(url, "data: URI 过大")
            # urllib's DataHandler decodes in memory; no other handler is consulted.
            with request.DataHandler().data_open(request.Request(url)) as resp:
                return URLFetcherResponse(url, resp.read(), dict(resp.headers.items()))
        if scheme == "file":
            path = _own_file(url)
            if path is None:
                raise self._refuse(url, "不是本项目的模板或字体文件")
            mime = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
            return URLFetcherResponse(path.as_uri(), path.read_bytes(), {"Content-Type": mime})
        raise self._refuse(url, "不允许访问网络或其他协议")

    def _refuse(self, url: str, reason: str) -> RefusedURL:
        self.refused.append(url)
        shown = url if len(url) < 200 else url[:200] + "…"
        LOG.warning("拒绝加载 %s：%s", shown, reason)
        return RefusedURL(f"refused URL {shown}: {reason}")


def _own_file(url: str) -> Path | None:
    """The file a file: URL names, if it lies (after resolving links and ..) inside
    the project's templates or fonts; None otherwise."""
    parts = urlsplit(url)
    if parts.netloc not in ("", "localhost"):
        return None  # file://host/share is a network path
    try:
        path = Path(request.url2pathname(parts.path)).resolve(strict=True)
    except (OSError, RuntimeError, ValueError):
        return None
    if not path.is_file():
        return None
    for root in ALLOWED_ROOTS:
        if path.is_relative_to(root.resolve()):
            return path
    return None
