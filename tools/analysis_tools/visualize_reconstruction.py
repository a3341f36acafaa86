"""Draw reconstructions: original | masked | reconstruction | reconstruction + visible patches.

    python tools/analysis_tools/visualize_reconstruction.py CONFIG CHECKPOINT --out x.png
        [--num-images 4] [--seed 0] [--cfg-options k=v ...]

Images come from the config's training dataset (its pipeline, without
shuffling). ``norm_pix`` predictions are un-normalised with each target
patch's own mean and variance.
"""
import argparse
import os.path as osp
import sys

import mmcv
import torch
from mmengine.config import Config, DictAction
from mmengine.dataset import default_collate

sys.path.insert(0, osp.dirname(osp.dirname(osp.abspath(__file__))))
from cli_common import run_cli  # noqa: E402


def parse_args(argv=None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description='Visualise MIM reconstructions')
    parser.add_argument('config', help='config file path')
    parser.add_argument('checkpoint', help='checkpoint of that config')
    parser.add_argument('--out', required=True, help='output PNG path')
    parser.add_argument('--num-images', type=int, default=4)
    parser.add_argument('--seed', type=int, default=0, help='seed of the mask and the crops')
    parser.add_argument('--cfg-options', nargs='+', action=DictAction)
    return parser.parse_args(argv)


def main(argv=None) -> None:
    args = parse_args(argv)
    from mmengine.registry import init_default_scope
    from mmengine.runner import set_random_seed

    from mimtoolkit.registry import DATASETS, MODELS
    from mimtoolkit.utils import ConfigError, load_matching_state_dict, load_state_dict_file
    from mimtoolkit.visualization import render_reconstructions

    cfg = Config.fromfile(args.config)
    if args.cfg_options:
        cfg.merge_from_dict(args.cfg_options)
    init_default_scope(cfg.get('default_scope', 'mimtoolkit'))
    set_random_seed(args.seed)
    model = MODELS.build(cfg.model)
    if not hasattr(model, 'reconstruct'):
        raise ConfigError(f'model.type={cfg.model.type!r} is invalid here: expected a pretrainer '
                          'with pixel reconstruction (e.g. MAE)')
    load_matching_state_dict(model, load_state_dict_file(args.checkpoint), 'checkpoint')
    dataset = DATASETS.build(cfg.train_dataloader.dataset)
    if len(dataset) == 0:
        raise ConfigError('train_dataloader.dataset is empty: nothing to draw')
    step = max(1, len(dataset) // args.num_images)
    samples = [dataset[i * step % len(dataset)] for i in range(args.num_images)]
    data = model.data_preprocessor(default_collate(samples), False)
    figure = render_reconstructions(model, data['inputs'])
    mmcv.imwrite(mmcv.rgb2bgr(figure), args.out)
    print(f'saved {args.out} ({figure.shape[1]}x{figure.shape[0]} px, '
          f'{args.num_images} rows: original | masked | reconstruction | rec. + visible)')


if __name__ == '__main__':
    with torch.no_grad():
        run_cli(main)
