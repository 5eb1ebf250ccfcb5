"""Reads of attendance, already narrowed to what the asker may see: single objects and live
state in `reads`, reports built from plain rows in `reports`. Selectors never import services.
"""

from .reads import *  # noqa: F403
from .reads import __all__ as _reads
from .reports import *  # noqa: F403
from .reports import __all__ as _reports

__all__ = [*_reads, *_reports]
