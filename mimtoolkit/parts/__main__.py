"""``python -m mimtoolkit.parts``: print the parts catalogue (docs/parts.md) as markdown."""
import logging

from mmengine.logging import MMLogger

from .catalogue import render  # (python -m imports the package first: every part registers)

if __name__ == '__main__':
    MMLogger.get_current_instance().setLevel(logging.WARNING)
    print(render())
