"""``python -m mimtoolkit.parts``: print the parts catalogue (docs/parts.md) as markdown."""
import logging

from mmengine.logging import MMLogger

import mimtoolkit  # noqa: F401  (registers every part)
from .catalogue import render

if __name__ == '__main__':
    MMLogger.get_current_instance().setLevel(logging.WARNING)
    print(render())
