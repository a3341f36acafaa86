"""Training and inference FLOPs per encoder block of a pretrainer, measured and by formula.

    python tools/analysis_tools/get_flops.py CONFIG [--out flops.json] [--cfg-options k=v ...]

The config's encoder is built (no data, no teacher) and one block is run
under ``torch.utils.flop_counter`` (batch 1; SDPA's math backend so the
attention products are counted) with the token counts of a training step —
visible tokens + [CLS] for MAE-style encoders, all patches + [CLS] with mask
tokens, and for SemanticMIM branch (a) over L0 visible [IMG] + L1 [PROXY]
tokens plus branch (b) over L2 [MASK] tokens — and of inference (all patches
+ [CLS] or proxies). Training = forward + backward. The formulas are in
``mimtoolkit/evaluation/block_flops.py``. For a SemanticMIM config three
counts stand side by side: the exact count of our block, the paper's
Appendix C formula as printed, and the vanilla MIM block with [CLS] (L = 197)
and without (L = 196), with the ratios, break-even proxy counts and the
numbers the paper's text quotes.
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
    if backbone.num_proxy_tokens and backbone.gives_masked_tokens:
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
    """Three counts of SemanticMIM's block side by side, against the vanilla MIM block.

    ``exact``: our block's matrix products (measured = formula, 2 FLOPs per
    multiply-add); ``appendix_c``: the paper's Appendix C formula as printed;
    ``vanilla``: the vanilla MIM block over L = patches + 1 ([CLS]) and L =
    patches (its exact count equals Appendix C's vanilla formula). Training
    keeps branch (b); inference drops it (all patches + the proxies in (a)).
    """
    from mimtoolkit.evaluation import (appendix_c_break_even, appendix_c_flops,
                                       appendix_c_vanilla_flops, break_even_proxies,
                                       semanticmim_block_flops, vit_block_flops)
    D = backbone.embed_dims
    ratio = backbone.arch_settings['feedforward_channels'] / D
    L0, L1, L2 = counts['img'], counts['proxies'], counts['masks']
    patches = L0 + L2
    phases = dict(
        train=dict(exact=semanticmim_block_flops(D, L0, L1, L2, ratio)['total'],
                   appendix_c=appendix_c_flops(D, L0, L1, L2)),
        inference=dict(exact=semanticmim_block_flops(D, patches, L1, 0, ratio)['total'],
                       appendix_c=appendix_c_flops(D, patches, L1, 0, branch_b=False)))
    report = {}
    for phase, row in phases.items():
        for length in (patches + 1, patches):
            row[f'vanilla, L={length}'] = vit_block_flops(D, length, ratio)['total']
            assert abs(appendix_c_vanilla_flops(D, length) - row[f'vanilla, L={length}']) < 1
        report[phase] = row
    report['vs_vanilla'] = {
        f'{count}, L={length}': dict(
            train_vs_vanilla=phases['train'][count] / phases['train'][f'vanilla, L={length}'] - 1,
            inference_vs_vanilla=(phases['inference'][count]
                                  / phases['inference'][f'vanilla, L={length}'] - 1),
            break_even_proxies=(break_even_proxies(D, L0, L2, length, 'total', ratio)
                                if count == 'exact' else
                                appendix_c_break_even(D, L0, L2, length)))
        for count in ('exact', 'appendix_c') for length in (patches + 1, patches)}
    return report


def print_comparison(report: dict) -> None:
    """The three counts (GFLOPs, forward) and the ratios to vanilla, as markdown tables."""
    print('\n| block, forward GFLOPs | exact (our block) | Appendix C formula | '
          + ' | '.join(k for k in report['train'] if k.startswith('vanilla')) + ' |')
    print('|---|---|---|---|---|')
    for phase in ('train', 'inference'):
        print(f'| {phase} | ' + ' | '.join(f'{v / 1e9:.4f}' for v in report[phase].values())
              + ' |')
    print('\n| count, vanilla L | training vs vanilla | break-even L1 | inference vs vanilla |')
    print('|---|---|---|---|')
    for name, row in [*report['vs_vanilla'].items(), ('paper text', PAPER_TEXT)]:
        print(f"| {name} | {row['train_vs_vanilla']:+.1%} | {row['break_even_proxies']} | "
              f"{row['inference_vs_vanilla']:+.1%} |")


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
        report['semanticmim'] = vanilla_comparison(backbone, counts)
        report['paper_text'] = PAPER_TEXT
        print_comparison(report['semanticmim'])
    if args.out:
        with open(args.out, 'w') as f:
            json.dump(report, f, indent=2)
        print(f'saved {args.out}')


if __name__ == '__main__':
    run_cli(main)
