"""What the command-line tools share: device defaults and clear errors."""
import os
import sys
from typing import Callable

import torch
from mmengine.config import Config


def apply_device_defaults(cfg: Config) -> None:
    """Use gloo for distributed runs on a machine without CUDA.

    mmengine 0.10.7's ``init_dist`` calls ``torch.cuda.set_device`` whatever the
    backend, which fails on a machine with no GPU driver, so for torchrun
    (``--launcher pytorch``) on such a machine the process group is started
    here with gloo; the Runner then finds it already initialised, and wraps
    the model in DDP without device ids.
    """
    if torch.cuda.is_available():
        return
    cfg.setdefault('env_cfg', {}).setdefault('dist_cfg', {})['backend'] = 'gloo'
    if cfg.get('launcher') == 'pytorch' and not torch.distributed.is_initialized():
        torch.distributed.init_process_group(backend='gloo')
    if cfg.get('launcher', 'none') != 'none' and cfg.get('model_wrapper_cfg') is None:
        # the Runner's default DDP wrapper passes device_ids=[LOCAL_RANK]: a GPU
        cfg.model_wrapper_cfg = dict(
            type='MMDistributedDataParallel', device_ids=None, broadcast_buffers=False)


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
