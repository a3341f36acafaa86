"""Evaluate a checkpoint with a config's test loop (OpenMMLab style).

    python tools/test.py CONFIG CHECKPOINT [--work-dir D] [--cfg-options k=v ...]
"""
import argparse
import os
import os.path as osp
import sys

from mmengine.config import Config, DictAction

sys.path.insert(0, osp.dirname(osp.abspath(__file__)))
from cli_common import apply_device_defaults, run_cli  # noqa: E402


def parse_args(argv=None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description='Test a checkpoint with mimtoolkit')
    parser.add_argument('config', help='config file path')
    parser.add_argument('checkpoint', help='checkpoint file')
    parser.add_argument('--work-dir', help='where to save the evaluation log')
    parser.add_argument('--out', help='dump the metrics to this file (.json/.yaml/.pkl)')
    parser.add_argument('--cfg-options', nargs='+', action=DictAction,
                        help='override config keys')
    parser.add_argument('--launcher', choices=['none', 'pytorch', 'slurm', 'mpi'], default='none')
    parser.add_argument('--local_rank', '--local-rank', type=int, default=0)
    args = parser.parse_args(argv)
    os.environ.setdefault('LOCAL_RANK', str(args.local_rank))
    return args


def main(argv=None) -> None:
    args = parse_args(argv)
    cfg = Config.fromfile(args.config)
    cfg.launcher = args.launcher
    if args.cfg_options is not None:
        cfg.merge_from_dict(args.cfg_options)
    if args.work_dir is not None:
        cfg.work_dir = args.work_dir
    elif cfg.get('work_dir') is None:
        cfg.work_dir = osp.join('./work_dirs', osp.splitext(osp.basename(args.config))[0])
    if not osp.isfile(args.checkpoint):
        from mimtoolkit.utils import ConfigError
        raise ConfigError(f'checkpoint={args.checkpoint!r} is invalid: expected an existing file')
    cfg.load_from = args.checkpoint
    apply_device_defaults(cfg)
    from mmengine.runner import Runner
    runner = Runner.from_cfg(cfg)
    metrics = runner.test()
    if args.out:
        import mmengine
        mmengine.dump(metrics, args.out)


if __name__ == '__main__':
    run_cli(main)
