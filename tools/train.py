"""Train a mimtoolkit config with mmengine's Runner (OpenMMLab style).

    python tools/train.py CONFIG [--work-dir D] [--resume [CKPT]] [--amp]
                                 [--amp-dtype {auto,bfloat16,float16}] [--accumulate K]
                                 [--compile]
                                 [--cfg-options k=v ...] [--launcher pytorch]
"""
import argparse
import os.path as osp
import sys

from mmengine.config import Config

from mimtoolkit.engine.optimizers import AMP_DTYPES
from mimtoolkit.utils import require

sys.path.insert(0, osp.dirname(osp.abspath(__file__)))
from cli_common import add_common_args, load_config, run_cli  # noqa: E402


def parse_args(argv=None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description='Pretrain (or fine-tune) with mimtoolkit')
    parser.add_argument('config', help='config file path')
    parser.add_argument(
        '--resume', nargs='?', type=str, const='auto',
        help='resume from CKPT, or without a value from the latest checkpoint in work-dir')
    parser.add_argument(
        '--amp', action='store_true',
        help='mixed precision on the run\'s device (CUDA or CPU): bf16 autocast without loss '
        'scaling where the device supports bf16, else fp16 with a dynamic loss scaler')
    parser.add_argument(
        '--amp-dtype', choices=AMP_DTYPES,
        help='the autocast dtype of --amp (implies --amp): auto (default), bfloat16, or float16 '
        '(with a dynamic loss scaler)')
    parser.add_argument(
        '--compile', action='store_true',
        help='torch.compile each encoder/decoder/teacher block (config compile=True)')
    parser.add_argument('--no-validate', action='store_true',
                        help='skip validation during training')
    parser.add_argument('--auto-scale-lr', action='store_true',
                        help='scale lr by batch size / auto_scale_lr.base_batch_size')
    parser.add_argument(
        '--accumulate', type=int, metavar='K',
        help='accumulate gradients over K iterations per optimizer update '
        '(optim_wrapper.accumulative_counts=K): one update sees K x the dataloader batch')
    add_common_args(parser)
    return parser.parse_args(argv)


def merge_args(cfg: Config, args: argparse.Namespace) -> Config:
    """Apply the training flags to the config."""
    if args.amp or args.amp_dtype:
        cfg.optim_wrapper.type = 'AutoAmpOptimWrapper'
    if args.amp_dtype:
        cfg.optim_wrapper.dtype = args.amp_dtype
    if args.resume == 'auto':
        cfg.resume = True
        cfg.load_from = None
    elif args.resume is not None:
        cfg.resume = True
        cfg.load_from = args.resume
    if args.compile:
        cfg.compile = True
    if args.no_validate:
        cfg.val_cfg = cfg.val_dataloader = cfg.val_evaluator = None
    if args.auto_scale_lr:
        cfg.setdefault('auto_scale_lr', {})['enable'] = True
    if args.accumulate is not None:
        require(args.accumulate >= 1, '--accumulate', args.accumulate, 'an int >= 1')
        cfg.optim_wrapper.accumulative_counts = args.accumulate
    return cfg


def check_load_from(runner, field: str = 'load_from') -> None:
    """Refuse a ``load_from``/``--resume`` checkpoint that is missing or does not fit the
    model, naming ``field`` (what the user set: ``'load_from'`` or ``'--resume'``).

    mmengine loads such a checkpoint non-strictly and trains on with whatever
    matched; a user who asked for those weights wants an error instead.
    """
    from mmengine.model import is_model_wrapper

    from mimtoolkit.utils import check_state_dict_matches, load_state_dict_file
    path = runner._load_from
    if path is None and runner._resume:
        from mmengine.runner import find_latest_checkpoint
        path = find_latest_checkpoint(runner.work_dir)
    if path:
        model = runner.model.module if is_model_wrapper(runner.model) else runner.model
        check_state_dict_matches(model, load_state_dict_file(path, field), field)


def main(argv=None) -> None:
    args = parse_args(argv)
    cfg = merge_args(load_config(args), args)
    if 'runner_type' in cfg:
        from mmengine.registry import RUNNERS
        runner = RUNNERS.build(cfg)
    else:
        from mimtoolkit.engine import MIMRunner
        runner = MIMRunner.from_cfg(cfg)
    check_load_from(runner, '--resume' if args.resume not in (None, 'auto') else 'load_from')
    runner.train()


if __name__ == '__main__':
    run_cli(main)
