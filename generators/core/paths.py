"""Where the project's own files are (the checkout is the installation)."""

from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
TEMPLATES = ROOT / "templates"
FONTS_CONF = ROOT / "fonts" / "fonts.conf"
SAMPLE_INPUTS = ROOT / "sample_inputs"
OUTPUTS = ROOT / "outputs"
