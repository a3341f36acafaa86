"""What the command-line tools share: device defaults and clear errors."""
import os
import sys
from typing import Callable

import torch
from mmengine.config import Config


def apply_device_defaults(cfg: Config) -> None:
    """Use gloo for distributed runs on a machine without CUDA."""
    if not torch.cuda.is_available():
        cfg.setdefault('env_cfg', {}).setdefault('dist_cfg', {})['backend'] = 'gloo'


def run_cli(main: Callable[[], None]) -> None:
    """Run a tool's ``main``; bad configs and inputs exit 2 with one clear line.

    Set ``MIMTOOLKIT_TRACEBACK=1`` to see the full traceback instead.
    """
    import mimtoolkit  # noqa: F401  (registers the parts, allows our checkpoints)
    from mimtoolkit.utils import ConfigError
    try:
        main()
    except (ConfigError, FileNotFoundError, KeyError) as err:
        if os.environ.get('MIMTOOLKIT_TRACEBACK'):
            raise
        message = err.args[0] if isinstance(err, KeyError) and err.args else err
        print(f'error: {message}', file=sys.stderr)
        sys.exit(2)
