"""Evaluate a checkpoint with a config's test loop (OpenMMLab style).

    python tools/test.py CONFIG CHECKPOINT [--work-dir D] [--cfg-options k=v ...]
"""
import argparse
import os.path as osp
import sys

sys.path.insert(0, osp.dirname(osp.abspath(__file__)))
from cli_common import add_common_args, load_config, run_cli  # noqa: E402


def parse_args(argv=None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description='Test a checkpoint with mimtoolkit')
    parser.add_argument('config', help='config file path')
    parser.add_argument('checkpoint', help='checkpoint file')
    parser.add_argument('--out', help='dump the metrics to this file (.json/.yaml/.pkl)')
    add_common_args(parser)
    return parser.parse_args(argv)


def main(argv=None) -> None:
    args = parse_args(argv)
    cfg = load_config(args)
    if not osp.isfile(args.checkpoint):
        from mimtoolkit.utils import ConfigError
        raise ConfigError(f'checkpoint={args.checkpoint!r} is invalid: expected an existing file')
    cfg.load_from = args.checkpoint
    from mimtoolkit.engine import MIMRunner
    runner = MIMRunner.from_cfg(cfg)
    metrics = runner.test()
    if args.out:
        import mmengine
        mmengine.dump(metrics, args.out)


if __name__ == '__main__':
    run_cli(main)
