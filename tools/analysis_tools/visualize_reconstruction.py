"""Draw reconstructions: input | masked | prediction | prediction + visible | extras.

    python tools/analysis_tools/visualize_reconstruction.py CONFIG CHECKPOINT --out x.png
        [--num-images 4] [--alphas 0.05 0.15 0.25 0.35 0.45] [--seed 0] [--cfg-options k=v ...]

Images are ``--num-images`` distinct items of the config's training dataset
(its pipeline), drawn under ``--seed``. A ``norm_pix`` prediction is drawn with
statistics that use no hidden pixel (a hidden patch gets the mean of the visible
patches' means and variances); the column title says so. Cells are at least 128 px
a side, with column titles. For i-MAE the input is the mixed image, the
reconstruction is the subordinate branch's, and two extra columns show the
subordinate target and the dominant image; ``--alphas`` draws the same pairs
and masks once per subordinate weight, stacked top to bottom (the paper's
Fig. 7/11). A teacher (``distill_head``) is not needed and not built.
"""
import argparse
import os.path as osp
import sys

import mmcv
import numpy as np
import torch

sys.path.insert(0, osp.dirname(osp.dirname(osp.abspath(__file__))))
from analysis_common import (add_analysis_args, build_train_dataset, load_pretrainer,  # noqa: E402
                             preprocess)
from cli_common import run_cli  # noqa: E402


def parse_args(argv=None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description='Visualise MIM reconstructions')
    add_analysis_args(parser, num_images=4)
    parser.add_argument('--out', required=True, help='output PNG path')
    parser.add_argument('--alphas', type=float, nargs='+',
                        help='subordinate weights to sweep (models with a pixel mixer)')
    return parser.parse_args(argv)


def main(argv=None) -> None:
    args = parse_args(argv)
    from mmengine.runner import set_random_seed

    from mimtoolkit.utils import ConfigError, require
    from mimtoolkit.visualization import reconstruct_cells, titled_grid

    set_random_seed(args.seed)
    model, cfg = load_pretrainer(args.config, args.checkpoint, args.cfg_options)
    if not hasattr(model, 'reconstruct'):
        raise ConfigError(f'model.type={cfg.model.type!r} is invalid here: expected a pretrainer '
                          'with pixel reconstruction (e.g. MAE, IMAE)')
    if args.alphas:
        require(getattr(model, 'mixer', None) is not None, '--alphas', args.alphas,
                'no sweep: this model mixes no images')
        require(all(0 < a < 1 for a in args.alphas), '--alphas', args.alphas, 'values in (0, 1)')
    dataset = build_train_dataset(cfg)
    require(1 <= args.num_images <= len(dataset), '--num-images', args.num_images,
            f'1 to the {len(dataset)} images of the dataset')
    inputs = preprocess(model, dataset, torch.randperm(len(dataset))[:args.num_images].tolist())
    alphas = args.alphas or [None]
    # reconstruct_cells restores the random state: the same pairs and masks for every alpha
    drawn = [reconstruct_cells(model, inputs, **({} if a is None else dict(alpha=a)))
             for a in alphas]
    cells, titles = np.concatenate([c for c, _ in drawn]), drawn[0][1]
    rows = ([f'alpha = {a:g}, image {i}' for a in alphas for i in range(len(inputs))]
            if args.alphas else None)
    figure = titled_grid(cells, titles, f'{osp.basename(args.config)} '
                         f'({osp.basename(args.checkpoint)})', rows)
    mmcv.imwrite(mmcv.rgb2bgr(figure), args.out)
    sweep = f', alphas {args.alphas} top to bottom' if args.alphas else ''
    print(f'saved {args.out} ({figure.shape[1]}x{figure.shape[0]} px; columns: '
          f'{" | ".join(titles)}{sweep})')


if __name__ == '__main__':
    with torch.no_grad():
        run_cli(main)
