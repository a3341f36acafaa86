"""Training and inference FLOPs per encoder block of a pretrainer, measured and by formula.

    python tools/analysis_tools/get_flops.py CONFIG [--out flops.json] [--cfg-options k=v ...]

The config's encoder is built (no data, no teacher) and one block is run
under ``torch.utils.flop_counter`` (batch 1; SDPA's math backend so the
attention products are counted) with the token counts of a training step —
visible tokens + [CLS] for MAE-style encoders, all patches + [CLS] with mask
tokens, and for SemanticMIM branch (a) over L0 visible [IMG] + L1 [PROXY]
tokens plus branch (b) over L2 [MASK] tokens — and of inference (all patches
+ [CLS] or proxies). Training = forward + backward. The formulas are in
``mimtoolkit/evaluation/block_flops.py``; for a SemanticMIM config the block
is also compared with the vanilla MIM block (L = 197 with [CLS], L = 196
without), with the break-even proxy count, next to the paper's quoted numbers.
"""
import argparse
import json
import os.path as osp
import sys

sys.path.insert(0, osp.dirname(osp.dirname(osp.abspath(__file__))))
from cli_common import run_cli  # noqa: E402

#: What the SemanticMIM paper's text quotes (ViT-B, L0 = 78, L1 = 8, L2 = 118).
PAPER_TEXT = dict(train_vs_vanilla=-0.028, break_even_proxies=11, inference_vs_vanilla=0.037)


def parse_args(argv=None) -> argparse.Namespace:
    from mmengine.config import DictAction
    parser = argparse.ArgumentParser(description='FLOPs per encoder block of a pretrainer')
    parser.add_argument('config', help='pretraining config file')
    parser.add_argument('--out', help='JSON output path')
    parser.add_argument('--cfg-options', nargs='+', action=DictAction)
    return parser.parse_args(argv)


def token_counts(backbone, mask_ratio: float) -> dict:
    """Tokens a block of ``backbone`` sees in a training step and at inference."""
    h, w = backbone.patch_resolution
    num_patches = h * w
    visible = int(num_patches * (1 - mask_ratio))
    if getattr(backbone, 'with_proxy_branch', False):
        proxies = backbone.num_proxy_tokens
        return dict(kind='semanticmim', img=visible, proxies=proxies,
                    masks=num_patches - visible, inference=num_patches + proxies)
    lead = backbone.num_extra_tokens  # the [CLS] token; ConvViT has none
    train = lead + (num_patches if backbone.use_mask_token else visible)
    return dict(kind='vit', train=train, inference=lead + num_patches)


def block_report(backbone, counts: dict) -> dict:
    """Measured and formula FLOPs of one block for training and inference."""
    from mimtoolkit.evaluation import (measure_semanticmim_block, measure_vit_block,
                                       semanticmim_block_flops, vit_block_flops)
    D = backbone.embed_dims
    ratio = backbone.arch_settings['feedforward_channels'] / D
    layer = backbone.layers[0]
    if counts['kind'] == 'semanticmim':
        sizes = (counts['img'], counts['proxies'], counts['masks'])
        train = measure_semanticmim_block(layer, backbone.mask_layers[0], D, *sizes)
        train_formula = 3 * semanticmim_block_flops(D, *sizes, ratio)['total']
    else:
        train = measure_vit_block(layer, D, counts['train'])
        train_formula = 3 * vit_block_flops(D, counts['train'], ratio)['total']
    inference = measure_vit_block(layer, D, counts['inference'], train=False)
    inference_formula = vit_block_flops(D, counts['inference'], ratio)['total']
    return dict(train=dict(measured=train, formula=train_formula),
                inference=dict(measured=inference, formula=inference_formula))


def vanilla_comparison(backbone, counts: dict) -> dict:
    """SemanticMIM's block vs the vanilla MIM block, per formula scope and vanilla length."""
    from mimtoolkit.evaluation import break_even_proxies, semanticmim_block_flops, vit_block_flops
    D = backbone.embed_dims
    ratio = backbone.arch_settings['feedforward_channels'] / D
    patches = counts['img'] + counts['masks']
    ours = semanticmim_block_flops(D, counts['img'], counts['proxies'], counts['masks'], ratio)
    infer = semanticmim_block_flops(D, patches, counts['proxies'], 0, ratio)
    rows = {}
    for scope in ('attention', 'total'):
        for length in (patches + 1, patches):
            vanilla = vit_block_flops(D, length, ratio)[scope]
            rows[f'{scope}, L={length}'] = dict(
                train_vs_vanilla=ours[scope] / vanilla - 1,
                break_even_proxies=break_even_proxies(D, counts['img'], counts['masks'],
                                                      length, scope, ratio),
                inference_vs_vanilla=infer[scope] / vanilla - 1)
    return rows


def main(argv=None) -> None:
    args = parse_args(argv)
    from mmengine.config import Config
    from mmengine.registry import init_default_scope

    from mimtoolkit.registry import MODELS
    from mimtoolkit.utils import require
    cfg = Config.fromfile(args.config)
    cfg.merge_from_dict(args.cfg_options or {})
    init_default_scope('mimtoolkit')
    require(cfg.model.get('backbone') is not None and cfg.model.get('masker') is not None,
            'model', cfg.model.get('type'), 'a pretraining config with a backbone and a masker')
    backbone = MODELS.build(cfg.model.backbone)
    require(hasattr(backbone, 'layers') and hasattr(backbone, 'patch_resolution'),
            'model.backbone.type', cfg.model.backbone.type, 'a MIMViT (or ConvViT)')
    counts = token_counts(backbone, cfg.model.masker.mask_ratio)
    report = dict(config=args.config, embed_dims=backbone.embed_dims, tokens=counts,
                  per_block=block_report(backbone, counts), num_layers=backbone.num_layers)
    print(f'{args.config}: D = {backbone.embed_dims}, {backbone.num_layers} layers, tokens '
          f'{counts}')
    print('| block | measured GFLOPs | formula GFLOPs | measured / formula |')
    print('|---|---|---|---|')
    for phase, row in report['per_block'].items():
        print(f"| {phase} | {row['measured'] / 1e9:.4f} | {row['formula'] / 1e9:.4f} | "
              f"{row['measured'] / row['formula']:.4f} |")
    if counts['kind'] == 'semanticmim':
        report['vs_vanilla'] = vanilla_comparison(backbone, counts)
        report['paper_text'] = PAPER_TEXT
        print('\n| formula scope, vanilla L | train vs vanilla | break-even L1 | '
              'inference vs vanilla |')
        print('|---|---|---|---|')
        for name, row in [*report['vs_vanilla'].items(), ('paper text', PAPER_TEXT)]:
            print(f"| {name} | {row['train_vs_vanilla']:+.1%} | {row['break_even_proxies']} | "
                  f"{row['inference_vs_vanilla']:+.1%} |")
    if args.out:
        with open(args.out, 'w') as f:
            json.dump(report, f, indent=2)
        print(f'saved {args.out}')


if __name__ == '__main__':
    run_cli(main)
