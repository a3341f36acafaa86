"""What the command-line tools share: device defaults and clear errors."""
import argparse
import os
import os.path as osp
import sys
from typing import Callable

import torch
from mmengine.config import Config, DictAction


def add_common_args(parser: argparse.ArgumentParser) -> None:
    """Arguments every Runner tool takes: work dir, config overrides, launcher."""
    parser.add_argument('--work-dir', help='where to save logs and checkpoints')
    parser.add_argument('--cfg-options', nargs='+', action=DictAction,
                        help='override config keys, e.g. model.masker.mask_ratio=0.6')
    parser.add_argument('--launcher', choices=['none', 'pytorch', 'slurm', 'mpi'], default='none')
    parser.add_argument('--local_rank', '--local-rank', type=int, default=0)


def load_config(args: argparse.Namespace) -> Config:
    """The config with the common arguments and device defaults applied.

    work_dir defaults to ``work_dirs/<config name>``. ``--launcher slurm`` maps the
    variables srun sets to torchrun's (``mimtoolkit.utils.slurm_env``) and then starts
    the process group as ``--launcher pytorch`` does.
    """
    launcher = args.launcher
    if launcher == 'slurm':  # srun's variables -> torchrun's; then the same start as torchrun
        from mimtoolkit.utils import torchrun_env_from_slurm
        os.environ.update(torchrun_env_from_slurm(os.environ))
        launcher = 'pytorch'
    os.environ.setdefault('LOCAL_RANK', str(args.local_rank))
    cfg = Config.fromfile(args.config)
    cfg.launcher = launcher
    if args.cfg_options is not None:
        cfg.merge_from_dict(args.cfg_options)
    if args.work_dir is not None:
        cfg.work_dir = args.work_dir
    elif cfg.get('work_dir') is None:
        cfg.work_dir = osp.join('./work_dirs', osp.splitext(osp.basename(args.config))[0])
    _apply_device_defaults(cfg)
    return cfg


def _apply_device_defaults(cfg: Config) -> None:
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
    """Run a tool's ``main``: the user's errors exit 2 with one clear line; a bug keeps its
    traceback, followed by one line saying it is a bug and what a report needs (exit 1).

    A distributed run that succeeded ends as ``_end_distributed_run`` says.

    Set ``MIMTOOLKIT_TRACEBACK=1`` to see the full traceback of the user's errors too.
    """
    import mimtoolkit  # noqa: F401  (registers the parts, allows our checkpoints)
    from cli_errors import config_error_line, custom_import_line, report_bug
    from mimtoolkit.utils.errors import is_missing_ops, missing_ops_line
    try:
        main()
    except ImportError as err:  # an install without mmcv's ops, running an mmseg/mmdet config
        custom = custom_import_line(err)
        if os.environ.get('MIMTOOLKIT_TRACEBACK') or not (is_missing_ops(err) or custom):
            report_bug()
        print(f'error: {custom or missing_ops_line("mmseg and mmdet models")}', file=sys.stderr)
        sys.exit(2)
    except Exception as err:  # noqa: B902 (every error: the user's, or a bug to report)
        message = config_error_line(err)
        if os.environ.get('MIMTOOLKIT_TRACEBACK') or message is None:
            report_bug()
        print(f'error: {message}', file=sys.stderr)
        sys.exit(2)
    else:
        if torch.distributed.is_available() and torch.distributed.is_initialized():
            _end_distributed_run()


def _end_distributed_run() -> None:
    """Shut a finished distributed run down on every rank, then exit 0 without finalizing.

    A gloo rank can die with SIGABRT after a run that succeeded: when its peer tears the
    group down first ("terminate called without an active exception"), or when objects
    that gloo's threads still reference are freed during interpreter finalization. The
    Runner lives on in a reference cycle (its loops point back at it), so its DDP wrapper,
    whose reducer holds the process group, is only freed by a later garbage collection,
    at exit if none comes sooner. So: free it now, meet, destroy the group on every rank,
    run the atexit handlers and flush, and leave with ``os._exit`` so that nothing of
    torch's is torn down by the finalizing interpreter.
    """
    import atexit
    import gc
    import logging
    gc.collect()
    torch.distributed.barrier()
    torch.distributed.destroy_process_group()
    gc.collect()
    atexit._run_exitfuncs()
    logging.shutdown()
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(0)
