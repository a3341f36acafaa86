"""MixedAE's TopK sampling accuracy per homologous layer (Fig. 6) on held-out images.

    python tools/analysis_tools/topk_accuracy.py CONFIG CHECKPOINT [--num-images 256]
        [--batch-size 32] [--val-split test] [--seed 0] [--out topk.json] [--cfg-options k=v ...]

Images: ``--num-images`` distinct items drawn under ``--seed`` from the
config's training dataset, or from another split with ``--val-split`` (e.g.
Fashion-MNIST's ``test``). They are mixed by the model's own patch mixer and
encoded in eval mode; for every homologous-attention layer the tool reports
the mean fraction of each patch query's TopK keys that come from its own
source image (chance: about r). With ``--out``, a bar chart per layer is written next to
the JSON (same name, ``.png``); a progress bar on stderr counts the images.
"""
import argparse
import json
import os.path as osp
import sys
from collections import defaultdict

import torch

sys.path.insert(0, osp.dirname(osp.dirname(osp.abspath(__file__))))
from analysis_common import (add_analysis_args, build_train_dataset, figure_path,  # noqa: E402
                             load_pretrainer, preprocess, progress_bar, save_bar_chart)
from cli_common import run_cli  # noqa: E402


def parse_args(argv=None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description='TopK sampling accuracy per layer')
    add_analysis_args(parser, num_images=256)
    parser.add_argument('--batch-size', type=int, default=32)
    parser.add_argument('--val-split', help="another split of the dataset, e.g. 'test'")
    parser.add_argument('--out', help='JSON output path')
    return parser.parse_args(argv)


def main(argv=None) -> None:
    args = parse_args(argv)
    from mmengine.runner import set_random_seed

    from mimtoolkit.utils import require
    set_random_seed(args.seed)
    model, cfg = load_pretrainer(args.config, args.checkpoint, args.cfg_options)
    layers = getattr(model, 'homologous_layers', {})
    require(bool(layers), 'model.type', cfg.model.type,
            'a pretrainer with homologous (TopK) attention layers (MixedAE)')
    group = model.mixer.group_size
    require(args.batch_size % group == 0, '--batch-size', args.batch_size,
            f'a multiple of the mixing group size {group}')
    dataset = build_train_dataset(cfg, args.val_split)
    require(group <= args.num_images <= len(dataset), '--num-images', args.num_images,
            f'{group} to the {len(dataset)} images of the dataset')
    order = torch.randperm(len(dataset))[:args.num_images - args.num_images % group].tolist()
    sums, batches = defaultdict(float), 0
    for attn in layers.values():
        attn.record_topk = True
    bar = progress_bar(len(order))
    with torch.no_grad():
        for start in range(0, len(order), args.batch_size):
            outputs = model.loss(preprocess(model, dataset, order[start:start + args.batch_size]),
                                 None)
            for key, value in outputs.items():
                if key.startswith('topk_acc_layer'):
                    sums[int(key[len('topk_acc_layer'):])] += float(value)
            batches += 1
            bar.update(len(order[start:start + args.batch_size]))
    print(file=sys.stderr)
    accuracy = {layer: sums[layer] / batches for layer in sorted(sums)}
    print(f'TopK sampling accuracy on {len(order)} images (r = {model.mixer.mix_ratio}):')
    print('| layer | K / N | accuracy |\n|---|---|---|')
    for layer, value in accuracy.items():
        print(f'| {layer} | {layers[layer].k_ratio} | {value:.4f} |')
    if args.out:
        with open(args.out, 'w') as f:
            json.dump(dict(accuracy={str(k): v for k, v in accuracy.items()},
                           num_images=len(order), mix_ratio=model.mixer.mix_ratio), f, indent=2)
        save_bar_chart({layer: {'accuracy': value} for layer, value in accuracy.items()},
                       figure_path(args.out), 'TopK sampling accuracy',
                       f'homologous layers on {len(order)} images (dashed: chance r = '
                       f'{model.mixer.mix_ratio})', hline=model.mixer.mix_ratio)
        print(f'saved {args.out} and {figure_path(args.out)}')


if __name__ == '__main__':
    run_cli(main)
