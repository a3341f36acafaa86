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
    from mimtoolkit.utils import (ConfigError, is_timm_vit, load_state_dict_file,
                                  load_pretrained_backbone, official_mae_to_pretrainer,
                                  save_state_dict_file)
    args = parse_args(argv)
    state = load_state_dict_file(args.src, 'src')
    if is_timm_vit(state):
        state = official_mae_to_pretrainer(state)
    if 'backbone.patch_embed.projection.weight' not in state:
        raise ConfigError(f'src={args.src!r} is invalid: expected an official MAE checkpoint '
                          '(timm names) or an mmpretrain MAE checkpoint (backbone.* keys)')
    proj, pos = state['backbone.patch_embed.projection.weight'], state['backbone.pos_embed']
    dims = proj.shape[0]
    arch = dict(embed_dims=dims, num_heads=args.num_heads or dims // 64,
                num_layers=1 + max(int(k.split('.')[2]) for k in state
                                   if k.startswith('backbone.layers.')),
                feedforward_channels=state['backbone.layers.0.ffn.layers.0.0.weight'].shape[0])
    grid = int(round((pos.shape[1] - 1)**0.5))
    encoder = MODELS.build(dict(type='MIMViT', arch=arch, img_size=grid * proj.shape[-1],
                                patch_size=proj.shape[-1]))
    save_state_dict_file(state, args.out, meta=dict(source=args.src))
    load_pretrained_backbone(encoder, args.out)  # strict: every encoder tensor, right shapes
    decoder = sum(k.startswith('neck.') for k in state)
    print(f'{len(state) - decoder} encoder tensors (MIMViT {arch}, {grid}x{grid} patches of '
          f'{proj.shape[-1]}) + {decoder} decoder tensors -> {args.out}')


if __name__ == '__main__':
    run_cli(main)
