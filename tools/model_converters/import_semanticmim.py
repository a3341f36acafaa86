"""Import an official SemanticMIM pretraining checkpoint (MaskFeat or BEiT bottleneck ViT).

    python tools/model_converters/import_semanticmim.py SRC OUT [--num-heads H]

SRC: the official mmengine checkpoint (``state_dict`` with ``backbone.*`` of the
bottleneck ViT: ``cls_token`` (1, N, C) = the N proxies, a position embedding with N
proxy rows, ``layers.N`` and the [MASK] branch ``extra_layers.N`` with split q / kv
projections; plus MaskFeat's ``neck.fc`` or BEiT's ``head.cls_head``). OUT holds
``backbone.*`` of a MIMViT with ``num_proxy_tokens=N`` (proxies' position rows folded
into the proxy tokens, ``extra_layers`` -> ``mask_layers``, fused ``qkv``) and the
head's prediction layer (``head.predictor`` / ``head.classifier``), so it serves as a
SemanticMIM ``load_from``, a teacher, or a downstream ``init_cfg``. The conversion is
checked by loading it strictly into a MIMViT and the head of the sizes it has.
"""
import argparse
import os.path as osp
import sys

sys.path.insert(0, osp.dirname(osp.dirname(osp.abspath(__file__))))
from cli_common import run_cli  # noqa: E402


def parse_args(argv=None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description='Official SemanticMIM -> mimtoolkit MIMViT')
    parser.add_argument('src', help='official SemanticMIM pretraining checkpoint')
    parser.add_argument('out', help='output file (.pth / .safetensors)')
    parser.add_argument('--num-heads', type=int, default=0,
                        help='attention heads (default: embed dim / 64)')
    return parser.parse_args(argv)


def backbone_cfg(state: dict, num_heads: int = 0) -> dict:
    """The MIMViT config (sizes, proxies, layer scale) that converted weights fill exactly.

    Args:
        state (dict): :func:`semanticmim_to_toolkit`'s output.
        num_heads (int): Attention heads; 0: embed dim / 64.

    Returns:
        dict: A ``MIMViT`` config with the [MASK] branch.
    """
    proj = state['backbone.patch_embed.projection.weight']
    dims, patch = proj.shape[0], proj.shape[-1]
    layers = 1 + max(int(k.split('.')[2]) for k in state if k.startswith('backbone.layers.'))
    hidden = state['backbone.layers.0.ffn.layers.0.0.weight'].shape[0]
    grid = round((state['backbone.pos_embed'].shape[1] - 1)**0.5)
    proxies = 1 + (state['backbone.proxy_tokens'].shape[1] if 'backbone.proxy_tokens' in state
                   else 0)
    scale = state.get('backbone.layers.0.attn.gamma1.weight')
    return dict(type='MIMViT', arch=dict(embed_dims=dims, num_layers=layers,
                                         num_heads=num_heads or dims // 64,
                                         feedforward_channels=hidden),
                img_size=grid * patch, patch_size=patch, use_mask_token=True,
                sincos_pos_embed=False, num_proxy_tokens=proxies,
                layer_scale_init_value=0. if scale is None else float(scale.mean()))


def head_cfg(state: dict) -> dict:
    """The toolkit head of the converted prediction layer (MaskFeat's or BEiT's)."""
    if 'head.predictor.weight' in state:
        out, dims = state['head.predictor.weight'].shape
        return dict(type='FeaturePredictionHead', in_channels=dims, out_channels=out)
    out, dims = state['head.classifier.weight'].shape
    return dict(type='TokenClassificationHead', in_channels=dims, num_tokens=out)


def main(argv=None) -> None:
    from mimtoolkit.registry import MODELS
    from mimtoolkit.utils import (ConfigError, is_official_semanticmim, load_state_dict_file,
                                  load_strictly, save_state_dict_file, semanticmim_to_toolkit)
    args = parse_args(argv)
    official = load_state_dict_file(args.src, 'src')
    if not is_official_semanticmim(official) or not (
            'neck.fc.weight' in official or 'head.cls_head.weight' in official):
        raise ConfigError(f'src={args.src!r} is invalid: expected an official SemanticMIM '
                          'pretraining checkpoint (backbone.extra_layers.* and neck.fc or '
                          'head.cls_head)')
    state = semanticmim_to_toolkit(official)
    backbone, head = backbone_cfg(state, args.num_heads), head_cfg(state)
    for prefix, cfg in (('backbone.', backbone), ('head.', head)):
        part = {k[len(prefix):]: v for k, v in state.items() if k.startswith(prefix)}
        load_strictly(MODELS.build(cfg), part, f'src={args.src!r} ({prefix}*)')
    save_state_dict_file(state, args.out, meta=dict(source=args.src))
    print(f'SemanticMIM {head["type"]}: {len(state)} tensors, MIMViT {backbone["arch"]} with '
          f'{backbone["num_proxy_tokens"]} proxies -> {args.out}')


if __name__ == '__main__':
    run_cli(main)
