"""i-MAE's linear-separability table (§3.2, Tab. 4): are mixed-input features linear in clean ones?

    python tools/analysis_tools/separability.py \
        --model i-MAE IMAE_CONFIG IMAE_CKPT [--model MAE MAE_CONFIG MAE_CKPT ...] \
        --reference MAE_CONFIG MAE_CKPT [--alpha 0.3] [--num-train 512] [--num-val 256]
        [--val-split test] [--lasso-alpha 1e-3] [--lasso-max-iter 2000] [--seed 0]
        [--out table.json] [--cfg-options k=v ...]

Images come from the reference config's training dataset (its pipeline;
``--num-train`` + ``--num-val`` distinct images drawn under ``--seed``, forming half as
many mixed pairs), or the val images from another split (``--val-split test``).
Image i of each split is mixed with image i + n/2 of that split at the fixed
subordinate weight ``--alpha``; one random mask per batch (the reference's
masker) is shared by every model. For each model, x = its features of the
visible patches of the mixed image (an i-MAE: the subordinate branch after
its disentangle layer; any other pretrainer: its encoder output), and
y = the reference encoder's features of the same patches of the clean
subordinate image. Fore compares x and y directly, Aft after a lasso fitted
on the train split (see ``mimtoolkit.evaluation.linear_separability``).
Prints the table and writes it as JSON, with a bar chart of R² and cosine (Fore / Aft)
next to it (same name, ``.png``); a progress bar on stderr counts the pairs.
"""
import argparse
import json
import os.path as osp
import sys

import torch
from mmengine.config import DictAction

sys.path.insert(0, osp.dirname(osp.dirname(osp.abspath(__file__))))
from analysis_common import (build_train_dataset, figure_path, load_pretrainer,  # noqa: E402
                             preprocess, progress_bar, save_bar_chart)
from cli_common import run_cli  # noqa: E402


def parse_args(argv=None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description='Linear separability of mixed-input features')
    parser.add_argument('--model', nargs=3, action='append', required=True,
                        metavar=('NAME', 'CONFIG', 'CHECKPOINT'), help='a row of the table')
    parser.add_argument('--reference', nargs=2, required=True, metavar=('CONFIG', 'CHECKPOINT'),
                        help='MAE whose clean-image features are the targets')
    parser.add_argument('--alpha', type=float, default=0.3,
                        help='weight of the subordinate image, in (0, 0.5)')
    parser.add_argument('--num-train', type=int, default=512)
    parser.add_argument('--num-val', type=int, default=256)
    parser.add_argument('--val-split', help="take the val images from this split of the "
                        "dataset (e.g. 'test'; datasets with a `split` argument) instead of "
                        'from images of the training split not used for train')
    parser.add_argument('--batch-size', type=int, default=64)
    parser.add_argument('--lasso-alpha', type=float, default=1e-3)
    parser.add_argument('--lasso-max-iter', type=int, default=2000)
    parser.add_argument('--seed', type=int, default=0)
    parser.add_argument('--out', help='JSON output path')
    parser.add_argument('--cfg-options', nargs='+', action=DictAction,
                        help='overrides applied to every config')
    return parser.parse_args(argv)


def mixed_features(model, mix, mask_info) -> torch.Tensor:
    """(B, N_vis, C): an i-MAE's subordinate branch, else the encoder's output."""
    if hasattr(model, 'branch_features'):
        return model.branch_features(mix, mask_info, 'subordinate')
    return model.backbone.encode(mix.mixed, mask_info).visible


def collect(models, reference, dataset, indices, mixer, batch_size, bar):
    """Patch-wise (x per model, y) features over image pairs of one split."""
    half = len(indices) // 2
    xs, ys = {name: [] for name in models}, []
    for start in range(0, half, batch_size // 2):
        stop = min(start + batch_size // 2, half)
        batch = list(indices[start:stop]) + list(indices[half + start:half + stop])
        mix = mixer(preprocess(reference, dataset, batch))
        mask_info = reference.mask(mix.mixed)
        ys.append(reference.backbone.encode(mix.subordinate, mask_info).visible)
        for name, model in models.items():
            xs[name].append(mixed_features(model, mix, mask_info))
        bar.update(stop - start)

    def flat(chunks):
        return torch.cat(chunks).flatten(0, 1).float().numpy()

    return {name: flat(chunks) for name, chunks in xs.items()}, flat(ys)


def table(results) -> str:
    """The paper-style table (Fore / Aft per metric)."""
    head = ('| model | NRMSE Fore | NRMSE Aft | R² Fore | R² Aft | cos Fore | cos Aft |\n'
            '|---|---|---|---|---|---|---|')
    rows = []
    for name, res in results.items():
        cells = []
        for metric in ('nrmse', 'r2', 'cosine'):
            fore = '—' if res['fore'] is None else f"{res['fore'][metric]:.3f}"
            cells += [fore, f"{res['aft'][metric]:.3f}"]
        rows.append(f'| {name} | ' + ' | '.join(cells) + ' |')
    return '\n'.join([head] + rows)


def main(argv=None) -> None:
    args = parse_args(argv)
    from mmengine.runner import set_random_seed

    from mimtoolkit.evaluation import linear_separability
    from mimtoolkit.models.mixers import PixelMixer
    from mimtoolkit.utils import require
    require(0 < args.alpha < 0.5, '--alpha', args.alpha, 'a subordinate weight in (0, 0.5)')
    for flag in ('num_train', 'num_val'):
        value = getattr(args, flag)
        require(value >= 4 and value % 2 == 0, f"--{flag.replace('_', '-')}", value,
                'an even count >= 4 (images form pairs)')
    require(args.batch_size >= 2 and args.batch_size % 2 == 0, '--batch-size', args.batch_size,
            'an even count >= 2')
    set_random_seed(args.seed)
    reference, ref_cfg = load_pretrainer(*args.reference, args.cfg_options)
    models = {name: load_pretrainer(cfg, ckpt, args.cfg_options)[0]
              for name, cfg, ckpt in args.model}
    train_set = build_train_dataset(ref_cfg)
    if args.val_split:
        val_set = build_train_dataset(ref_cfg, args.val_split)
        train_need, val_need = args.num_train, args.num_val
    else:
        val_set, train_need, val_need = train_set, args.num_train + args.num_val, 0
    for dataset, need, what in ((train_set, train_need, 'train'), (val_set, val_need, 'val')):
        require(len(dataset) >= need, f'--num-{what} (+ the other split)', need,
                f'at most the {len(dataset)} images of the {what} dataset')
    order = torch.randperm(len(train_set))[:train_need].tolist()
    val_order = (torch.randperm(len(val_set))[:args.num_val].tolist()
                 if args.val_split else order[args.num_train:])
    mixer = PixelMixer(alpha=args.alpha, partner='halves')
    bar = progress_bar((args.num_train + args.num_val) // 2)  # mixed pairs
    with torch.no_grad():
        train_x, train_y = collect(models, reference, train_set, order[:args.num_train], mixer,
                                   args.batch_size, bar)
        val_x, val_y = collect(models, reference, val_set, val_order, mixer, args.batch_size,
                               bar)
    print(file=sys.stderr)
    results = {name: linear_separability(train_x[name], train_y, val_x[name], val_y,
                                         lasso_alpha=args.lasso_alpha,
                                         max_iter=args.lasso_max_iter) for name in models}
    print(table(results))
    for name in [n for n, res in results.items() if not res['lasso_converged']]:
        print(f'note: the lasso for {name} did not converge in {args.lasso_max_iter} '
              'iterations (raise --lasso-max-iter or --lasso-alpha)')
    print(f'({len(train_y)} train / {len(val_y)} val visible patches; subordinate weight '
          f'{args.alpha}; lasso alpha {args.lasso_alpha})')
    if args.out:
        settings = {k: v for k, v in vars(args).items() if k != 'cfg_options'}
        with open(args.out, 'w') as f:
            json.dump(dict(results=results, settings=settings,
                           num_patches=dict(train=len(train_y), val=len(val_y))), f, indent=2)
        bars = {f'{metric} {stage}': {name: res[stage][metric]
                                      for name, res in results.items() if res[stage]}
                for metric in ('r2', 'cosine') for stage in ('fore', 'aft')}
        save_bar_chart(bars,
                       figure_path(args.out), 'score',
                       f'linear separability, alpha {args.alpha} '
                       '(Fore: as is; Aft: after the lasso)')
        print(f'saved {args.out} and {figure_path(args.out)}')


if __name__ == '__main__':
    run_cli(main)
