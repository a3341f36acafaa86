"""Masked-patch error of a pixel pretrainer against baselines that see no hidden pixel.

    python tools/analysis_tools/reconstruction_baselines.py CONFIG CHECKPOINT
        [--num-images 24] [--seed 0] [--out-dir DIR] [--cfg-options k=v ...]

Images: ``--num-images`` items of the config's ``heldout_dataset`` (photos the run did not
train on, as the demo config holds out), when it has one, and of its training dataset (new
random crops and masks of the photos it trained on), drawn under ``--seed`` with their
pipeline; masks from the model's own masker. For each hidden patch
it compares, in pixel space (0-255, the data preprocessor's normalisation undone):
the model's prediction (``norm_pix`` predictions drawn with visible-patch statistics only),
the mean colour of the image's visible pixels, and a copy of the nearest visible patch.
Prints masked-patch MSE and PSNR and the model's margin over the better baseline; writes
``baselines.json`` and ``baselines.png`` (of the first set: input | masked | prediction |
prediction + visible | mean visible colour | nearest visible patch) to ``--out-dir``
(default: the checkpoint's folder).
"""
import argparse
import json
import os
import os.path as osp
import sys

import mmcv
import numpy as np
import torch

sys.path.insert(0, osp.dirname(osp.dirname(osp.abspath(__file__))))
from analysis_common import add_analysis_args, load_pretrainer, preprocess  # noqa: E402
from cli_common import run_cli  # noqa: E402


def parse_args(argv=None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description='Masked-patch error vs no-hidden-pixel baselines')
    add_analysis_args(parser, num_images=24)
    parser.add_argument('--out-dir', help="folder of the JSON and PNG (default: the checkpoint's)")
    return parser.parse_args(argv)


def main(argv=None) -> None:
    args = parse_args(argv)
    from mmengine.runner import set_random_seed

    from mimtoolkit.evaluation.reconstruction_baselines import (compare_with_baselines,
                                                                mean_visible_colour,
                                                                nearest_visible_patch)
    from mimtoolkit.registry import DATASETS
    from mimtoolkit.utils import ConfigError, require
    from mimtoolkit.visualization import (denormalize, normalize, reconstruction_cells,
                                          titled_grid)
    set_random_seed(args.seed)
    model, cfg = load_pretrainer(args.config, args.checkpoint, args.cfg_options)
    if not hasattr(model, 'reconstruct'):
        raise ConfigError(f'model.type={cfg.model.type!r} is invalid here: expected a pretrainer '
                          'with pixel reconstruction (e.g. MAE)')
    splits = {'held-out': cfg.heldout_dataset} if 'heldout_dataset' in cfg else {}
    splits['training'] = cfg.train_dataloader.dataset
    dp, p = model.data_preprocessor, model.backbone.patch_size
    report, figure_recon = {}, None
    for split, dataset_cfg in splits.items():
        dataset = DATASETS.build(dataset_cfg)
        require(1 <= args.num_images <= len(dataset), '--num-images', args.num_images,
                f'1 to the {len(dataset)} images of the {split} dataset')
        inputs = preprocess(model, dataset,
                            torch.randperm(len(dataset))[:args.num_images].tolist())
        with torch.no_grad():
            recon = model.reconstruct(inputs)
        pred, target = denormalize(recon.pred, dp), denormalize(recon.target, dp)
        scores = compare_with_baselines(pred, target, recon.mask, p)
        best = max((v['psnr_db'], k) for k, v in scores.items() if k != 'model')
        margin = scores['model']['psnr_db'] - best[0]
        report[split] = dict(scores=scores, margin_db=margin, best_baseline=best[1],
                             num_images=args.num_images)
        print(f'masked-patch error on {args.num_images} {split} images (new crops and masks), '
              'pixel space 0-255:')
        print('| reconstruction | MSE | PSNR (dB) |\n|---|---|---|')
        for name, value in scores.items():
            print(f"| {name} | {value['mse']:.1f} | {value['psnr_db']:.2f} |")
        verdict = 'beats' if margin > 0 else 'does NOT beat'
        print(f'the model {verdict} the best baseline ({best[1]}) by {margin:+.2f} dB\n')
        if figure_recon is None:
            figure_recon = (split, recon, target, scores['model']['psnr_db'], best[0])
    split, recon, target, model_db, best_db = figure_recon
    recon.extras = {'mean visible colour (baseline)': normalize(
                        mean_visible_colour(target, recon.mask), dp),
                    'nearest visible patch (baseline)': normalize(
                        nearest_visible_patch(target, recon.mask, p), dp)}
    cells, titles = reconstruction_cells(recon, dp)
    figure = titled_grid(cells[:min(6, len(cells))], titles,
                         f'{osp.basename(args.checkpoint)}, {split} images: masked-patch PSNR '
                         f'model {model_db:.1f} dB, best baseline {best_db:.1f} dB')
    out_dir = args.out_dir or osp.dirname(osp.abspath(args.checkpoint))
    os.makedirs(out_dir, exist_ok=True)
    mmcv.imwrite(mmcv.rgb2bgr(np.ascontiguousarray(figure)), osp.join(out_dir, 'baselines.png'))
    with open(osp.join(out_dir, 'baselines.json'), 'w') as f:
        json.dump(dict(splits=report, seed=args.seed, figure=split), f, indent=2)
    print(f'saved {osp.join(out_dir, "baselines.json")} and baselines.png ({split} images)')


if __name__ == '__main__':
    run_cli(main)
