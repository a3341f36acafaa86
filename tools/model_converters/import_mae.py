"""Import an official MAE or an mmpretrain MAE checkpoint as a toolkit MAE checkpoint.

    python tools/model_converters/import_mae.py SRC OUT

SRC: the official release (``mae_pretrain_vit_base.pth``, ``mae_visualize_*.pth``:
timm names under ``model``, with or without the decoder) or an mmpretrain MAE
checkpoint (``backbone.*``/``neck.*``). OUT holds ``backbone.*`` in MIMViT
names (and ``neck.*`` in ``MAEPretrainDecoder`` names when SRC has a decoder),
so it serves every use of a toolkit MAE checkpoint: ``load_from`` of an MAE
config, a teacher (``FrozenViTTeacher``), and downstream ``init_cfg``. The
backbone is checked by loading it strictly into a MIMViT of the sizes it has.
"""
import argparse
import os.path as osp
import sys

sys.path.insert(0, osp.dirname(osp.dirname(osp.abspath(__file__))))
from cli_common import run_cli  # noqa: E402


def parse_args(argv=None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description='Official / mmpretrain MAE -> mimtoolkit MAE')
    parser.add_argument('src', help='official MAE or mmpretrain MAE checkpoint')
    parser.add_argument('out', help='output file (.pth / .safetensors)')
    parser.add_argument('--num-heads', type=int, default=0,
                        help='attention heads (default: embed dim / 64)')
    return parser.parse_args(argv)


def main(argv=None) -> None:
    from mimtoolkit.registry import MODELS
    from mimtoolkit.utils import (ConfigError, backbone_state_dict, is_timm_vit,
                                  load_pretrained_backbone, load_state_dict_file,
                                  mmpretrain_vit_to_timm, official_mae_to_pretrainer,
                                  save_state_dict_file, timm_vit_kwargs)
    args = parse_args(argv)
    state = load_state_dict_file(args.src, 'src')
    if is_timm_vit(state):
        state = official_mae_to_pretrainer(state)
    if 'backbone.patch_embed.projection.weight' not in state:
        raise ConfigError(f'src={args.src!r} is invalid: expected an official MAE checkpoint '
                          '(timm names) or an mmpretrain MAE checkpoint (backbone.* keys)')
    sizes = timm_vit_kwargs(mmpretrain_vit_to_timm(backbone_state_dict(state)), args.num_heads)
    dims, patch = sizes['embed_dim'], sizes['patch_size']
    arch = dict(embed_dims=dims, num_heads=sizes['num_heads'], num_layers=sizes['depth'],
                feedforward_channels=round(sizes['mlp_ratio'] * dims))
    grid = sizes['img_size'] // patch
    encoder = MODELS.build(dict(type='MIMViT', arch=arch, img_size=sizes['img_size'],
                                patch_size=patch))
    save_state_dict_file(state, args.out, meta=dict(source=args.src))
    load_pretrained_backbone(encoder, args.out)  # strict: every encoder tensor, right shapes
    decoder = sum(k.startswith('neck.') for k in state)
    print(f'{len(state) - decoder} encoder tensors (MIMViT {arch}, {grid}x{grid} patches of '
          f'{patch}) + {decoder} decoder tensors -> {args.out}')


if __name__ == '__main__':
    run_cli(main)
