"""gongwen-reports: structured targets and results → Chinese official documents."""

__version__ = "0.1.0"
