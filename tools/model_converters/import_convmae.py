"""Import an official ConvMAE checkpoint (pretraining or fine-tuned classifier) for the toolkit.

    python tools/model_converters/import_convmae.py SRC OUT [--num-heads H]

SRC: the official release's ``model`` state dict: a pretraining checkpoint
(``patch_embed1..4``, ``blocks1..3``, ``norm``, ``stage1/2_output_decode``,
``decoder_*``) or a fine-tuned classifier (the same encoder with ``fc_norm`` and
``head``; it lacks the stage fusion, the final ``norm`` and the decoder). OUT holds
``backbone.*`` in ConvViT names (``neck.*`` in PatchTokenMAEDecoder names for a
pretraining checkpoint, ``head.fc.*`` for a classifier), so it serves as an MR-MAE
``load_from``, a teacher encoder, or a downstream ``init_cfg``. The conversion is
checked by loading it strictly into the model of the sizes it has: an MAE pretrainer
(ConvViT + PatchTokenMAEDecoder) or, for a classifier, a ConvViT with
``out_type='avg_featmap'``, ``final_norm=False``, ``stage_fusion=False``.
"""
import argparse
import math
import os.path as osp
import sys

sys.path.insert(0, osp.dirname(osp.dirname(osp.abspath(__file__))))
from cli_common import run_cli  # noqa: E402


def parse_args(argv=None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description='Official ConvMAE -> mimtoolkit ConvViT')
    parser.add_argument('src', help='official ConvMAE checkpoint (pretraining or fine-tuned)')
    parser.add_argument('out', help='output file (.pth / .safetensors)')
    parser.add_argument('--num-heads', type=int, default=0,
                        help='attention heads of the transformer stage (default: width / 64)')
    parser.add_argument('--decoder-num-heads', type=int, default=16,
                        help='attention heads of the decoder (ConvMAE: 16)')
    return parser.parse_args(argv)


def model_for(state: dict, sizes: dict, decoder_heads: int):
    """The toolkit model whose keys the converted ``state`` must fill exactly."""
    from mimtoolkit.registry import MODELS
    backbone = dict(type='ConvViT', arch=sizes['arch'], img_size=sizes['img_size'],
                    patch_sizes=sizes['patch_sizes'])
    if 'neck.decoder_embed.weight' not in state:  # a fine-tuned classifier
        return MODELS.build(dict(
            backbone, out_type='avg_featmap' if 'backbone.ln2.weight' in state else 'raw',
            final_norm='backbone.ln1.weight' in state,
            stage_fusion='backbone.patch_embed.fuse1.weight' in state)), 'backbone.'
    dec_dims, dims = state['neck.decoder_embed.weight'].shape
    patch = math.prod(sizes['patch_sizes'])
    depth = 1 + max(int(k.split('.')[2]) for k in state if k.startswith('neck.decoder_blocks.'))
    num_patches = state['neck.decoder_pos_embed'].shape[1]
    return MODELS.build(dict(
        type='MAE', backbone=backbone,
        neck=dict(type='PatchTokenMAEDecoder', num_patches=num_patches, patch_size=patch,
                  embed_dim=dims, decoder_embed_dim=dec_dims, decoder_depth=depth,
                  decoder_num_heads=decoder_heads),
        head=dict(type='PixelReconstructionHead', norm_pix=True, patch_size=patch))), ''


def main(argv=None) -> None:
    from mimtoolkit.utils import (ConfigError, convmae_sizes, convmae_to_toolkit, is_convmae,
                                  load_state_dict_file, load_strictly, save_state_dict_file)
    args = parse_args(argv)
    official = load_state_dict_file(args.src, 'src')
    if not is_convmae(official):
        raise ConfigError(f'src={args.src!r} is invalid: expected an official ConvMAE '
                          'checkpoint (patch_embed1..4, blocks1..3 keys)')
    state = convmae_to_toolkit(official)
    sizes = convmae_sizes(official)
    if args.num_heads:
        sizes['arch']['num_heads'] = args.num_heads
    model, prefix = model_for(state, sizes, args.decoder_num_heads)
    weights = {k[len(prefix):]: v for k, v in state.items() if k.startswith(prefix)}
    load_strictly(model, weights, f'src={args.src!r}')
    save_state_dict_file(state, args.out, meta=dict(source=args.src))
    kind = 'pretraining (encoder + decoder)' if not prefix else \
        'fine-tuned classifier (no stage fusion, final norm or decoder; fc_norm -> ln2)'
    print(f'ConvMAE {kind}: {len(state)} tensors, ConvViT {sizes["arch"]}, patches '
          f'{sizes["patch_sizes"]} at {sizes["img_size"]} px -> {args.out}')


if __name__ == '__main__':
    run_cli(main)
