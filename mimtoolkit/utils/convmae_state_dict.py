"""Parameter-name mapping from official ConvMAE checkpoints to the toolkit's ConvViT / MAE."""
import re
from typing import Dict

import torch

from .vit_state_dict import MAE_DECODER_TO_MMPRETRAIN, rename, timm_vit_to_mmpretrain

# (ConvMAE pattern, toolkit replacement) for everything but the transformer blocks
_CONVMAE_TO_CONVVIT = (
    (r'^patch_embed([123])\.', r'patch_embed.stage\1_embed.'),
    (r'^patch_embed4\.', 'patch_embed.projection.'),
    (r'^blocks([12])\.(\d+)\.mlp\.fc1\.', r'patch_embed.stage\1.\2.mlp.0.'),
    (r'^blocks([12])\.(\d+)\.mlp\.fc2\.', r'patch_embed.stage\1.\2.mlp.2.'),
    (r'^blocks([12])\.', r'patch_embed.stage\1.'),
    (r'^stage1_output_decode\.', 'patch_embed.fuse1.'),
    (r'^stage2_output_decode\.', 'patch_embed.fuse2.'),
    (r'^fc_norm\.', 'ln2.'),  # the fine-tuned classifier's norm of pooled tokens
)
_CONVVIT_KEY = re.compile(r'^(patch_embed[1-4]\.|blocks[12]\.|stage[12]_output_decode\.|'
                          r'fc_norm\.)')
_DECODER_KEY = re.compile(r'^(decoder_|mask_token$)')


def is_convmae(state_dict: Dict[str, torch.Tensor]) -> bool:
    """bool: The keys are an official ConvMAE encoder's (``patch_embed4``, ``blocks3``)."""
    return 'patch_embed4.weight' in state_dict and any(
        k.startswith('blocks3.') for k in state_dict)


def convmae_to_toolkit(state_dict: Dict[str, torch.Tensor]) -> Dict[str, torch.Tensor]:
    """An official ConvMAE checkpoint's ``model`` in the toolkit's names.

    Pretraining (``MaskedAutoencoderConvViT``): the encoder -> ``backbone.*``
    (``ConvViT``: ``patch_embed1..3`` -> ``patch_embed.stage{1,2,3}_embed``,
    ``patch_embed4`` -> ``patch_embed.projection``, ``blocks1/2`` ->
    ``patch_embed.stage{1,2}``, ``blocks3`` -> ``layers`` (mmpretrain names),
    ``norm`` -> ``ln1``, ``stage{1,2}_output_decode`` -> ``patch_embed.fuse{1,2}``),
    the decoder -> ``neck.*`` (``PatchTokenMAEDecoder``). Fine-tuned classifier
    (``models_convvit.ConvViT``): the same encoder keys, ``fc_norm`` -> ``backbone.ln2``
    and ``head`` -> ``head.fc`` (mmpretrain ``LinearClsHead``).

    Args:
        state_dict (dict[str, Tensor]): The official names.

    Returns:
        dict[str, Tensor]: ``backbone.*``, and ``neck.*`` / ``head.fc.*`` where present.
    """
    transformer = {re.sub(r'^blocks3\.', 'blocks.', k): v for k, v in state_dict.items()
                   if k.startswith(('blocks3.', 'norm.', 'pos_embed'))}
    out = {f'backbone.{k}': v for k, v in timm_vit_to_mmpretrain(transformer).items()}
    for key, value in state_dict.items():
        if _CONVVIT_KEY.match(key):
            out[f'backbone.{rename(key, _CONVMAE_TO_CONVVIT)}'] = value
        elif _DECODER_KEY.match(key):
            out[f'neck.{rename(key, MAE_DECODER_TO_MMPRETRAIN)}'] = value
        elif key.startswith('head.'):
            out[f'head.fc.{key[len("head."):]}'] = value
    return out


def convmae_sizes(state_dict: Dict[str, torch.Tensor]) -> dict:
    """The ``ConvViT`` sizes of official ConvMAE weights.

    Args:
        state_dict (dict[str, Tensor]): Official names.

    Returns:
        dict: ``arch`` (``embed_dims``, ``depths``, ``num_heads`` = d3 / 64),
        ``patch_sizes`` and ``img_size``.
    """
    dims = [state_dict[f'patch_embed{s}.proj.weight'].shape[0] for s in (1, 2, 3)]
    patches = [state_dict[f'patch_embed{s}.proj.weight'].shape[-1] for s in (1, 2, 3)]
    depths = [1 + max((int(k.split('.')[1]) for k in state_dict if k.startswith(f'blocks{s}.')),
                      default=-1) for s in (1, 2, 3)]
    grid = round(state_dict['pos_embed'].shape[1]**0.5)
    return dict(arch=dict(embed_dims=dims, depths=depths, num_heads=dims[2] // 64),
                patch_sizes=patches, img_size=grid * patches[0] * patches[1] * patches[2])
