"""Convert a MIMViT backbone (any pretraining or extracted checkpoint) to timm's ViT.

    python tools/model_converters/mimvit_to_timm.py CKPT OUT [--num-heads N]

OUT (``.pth`` / ``.safetensors``) is a timm ``VisionTransformer`` state dict;
the tool builds that model, loads OUT into it strictly, and prints the
arguments to build it with (``timm.models.VisionTransformer(**kwargs)``).
SemanticMIM's proxies become timm register tokens (``reg_tokens = N - 1``).
ConvViT has no timm counterpart and is refused.
"""
import argparse
import os.path as osp
import sys

sys.path.insert(0, osp.dirname(osp.dirname(osp.abspath(__file__))))
from cli_common import run_cli  # noqa: E402


def parse_args(argv=None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description='MIMViT checkpoint -> timm VisionTransformer')
    parser.add_argument('checkpoint', help='pretraining or backbone checkpoint')
    parser.add_argument('out', help='output file (.pth / .safetensors)')
    parser.add_argument('--prefix', default='backbone.', help='the backbone\'s key prefix')
    parser.add_argument('--num-heads', type=int, default=0,
                        help='attention heads (default: embed dim / 64)')
    return parser.parse_args(argv)


def convert(checkpoint: str, prefix: str = 'backbone.', num_heads: int = 0):
    """(timm state dict, timm VisionTransformer kwargs), checked by a strict load."""
    import timm

    from mimtoolkit.utils import (ConfigError, backbone_state_dict, load_state_dict_file,
                                  mmpretrain_vit_to_timm, timm_vit_kwargs)
    backbone = backbone_state_dict(load_state_dict_file(checkpoint, 'checkpoint'), prefix)
    if any(k.startswith('patch_embed.stage1') for k in backbone):
        raise ConfigError(f'checkpoint={checkpoint!r} is invalid: a ConvViT backbone has no '
                          'timm VisionTransformer counterpart; expected a MIMViT checkpoint')
    state = mmpretrain_vit_to_timm(backbone)
    if 'patch_embed.proj.weight' not in state:
        raise ConfigError(f'checkpoint={checkpoint!r} is invalid: no ViT patch embedding under '
                          f'prefix {prefix!r}')
    kwargs = timm_vit_kwargs(state, num_heads)
    model = timm.models.VisionTransformer(**kwargs)
    try:
        model.load_state_dict(state, strict=True)
    except RuntimeError as err:
        raise ConfigError(f'checkpoint={checkpoint!r} does not convert to timm '
                          f'VisionTransformer({kwargs}): {str(err)[:400]}') from None
    return state, kwargs


def main(argv=None) -> None:
    from mimtoolkit.utils import save_state_dict_file
    args = parse_args(argv)
    state, kwargs = convert(args.checkpoint, args.prefix, args.num_heads)
    save_state_dict_file(state, args.out, meta=dict(timm_kwargs=kwargs))
    print(f'{len(state)} tensors -> {args.out}\ntimm.models.VisionTransformer(**{kwargs})')


if __name__ == '__main__':
    run_cli(main)
