"""Where the project's own files are, in a checkout and in an installed package.

A checkout keeps templates/ and fonts/ beside generators/ (the design card's top level);
a wheel carries them inside the package (generators/templates, generators/fonts, mapped
in pyproject.toml).  Outputs and the font cache go where the user can write: the
checkout's own folders, or the working folder and the user's cache when installed.
"""

from __future__ import annotations

import os
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[1]
ROOT = PACKAGE.parent
INSTALLED = (PACKAGE / "templates").is_dir()  # templates inside the package: a wheel

TEMPLATES = PACKAGE / "templates" if INSTALLED else ROOT / "templates"
FONTS = PACKAGE / "fonts" if INSTALLED else ROOT / "fonts"
FONTS_CONF = FONTS / "fonts.conf"
DATA = PACKAGE / "data"
SAMPLE_INPUTS = ROOT / "sample_inputs"  # a checkout's samples (an installed package has none)
OUTPUTS = Path("outputs") if INSTALLED else ROOT / "outputs"
REGISTRY_NAME = "gongwen-registry.sqlite3"


def registry_path() -> Path:
    """Where the 文号 registry lives unless told (``--registry``, $GONGWEN_REGISTRY): in a
    checkout, its top folder; installed, the user's data folder.  Never the working
    folder, so running from elsewhere cannot start a second, empty registry."""
    if env := os.environ.get("GONGWEN_REGISTRY"):
        return Path(env)
    if not INSTALLED:
        return ROOT / REGISTRY_NAME
    return Path(os.environ.get("XDG_DATA_HOME", Path.home() / ".local" / "share")) / "gongwen-reports" / REGISTRY_NAME


def font_cache_dir() -> Path:
    """The pre-subset fonts: $GONGWEN_FONT_CACHE, else the checkout's .cache/fonts, else
    the user's cache folder."""
    if "GONGWEN_FONT_CACHE" in os.environ:
        return Path(os.environ["GONGWEN_FONT_CACHE"])
    if not INSTALLED:
        return ROOT / ".cache" / "fonts"
    return Path(os.environ.get("XDG_CACHE_HOME", Path.home() / ".cache")) / "gongwen-reports" / "fonts"
