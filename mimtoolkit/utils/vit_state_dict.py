"""Parameter-name mapping between timm-style ViTs (official MAE, timm) and mmpretrain's."""
import re
from typing import Dict

import torch

# (timm / official MAE pattern, mmpretrain replacement), applied in order
_TIMM_TO_MMPRETRAIN = (
    (r'^patch_embed\.proj\.', 'patch_embed.projection.'),
    (r'^blocks\.(\d+)\.norm1\.', r'layers.\1.ln1.'),
    (r'^blocks\.(\d+)\.norm2\.', r'layers.\1.ln2.'),
    (r'^blocks\.(\d+)\.attn\.', r'layers.\1.attn.'),
    (r'^blocks\.(\d+)\.mlp\.fc1\.', r'layers.\1.ffn.layers.0.0.'),
    (r'^blocks\.(\d+)\.mlp\.fc2\.', r'layers.\1.ffn.layers.1.'),
    (r'^norm\.', 'ln1.'),
)
_ENCODER_KEY = re.compile(r'^(cls_token|pos_embed|patch_embed\.|blocks\.|norm\.)')


def is_timm_vit(state_dict: Dict[str, torch.Tensor]) -> bool:
    """bool: The keys are a timm-style ViT's (``blocks.N...``), e.g. an official MAE checkpoint."""
    return any(k.startswith('blocks.') for k in state_dict)


def timm_vit_to_mmpretrain(state_dict: Dict[str, torch.Tensor]) -> Dict[str, torch.Tensor]:
    """Rename a timm-style ViT encoder's weights to mmpretrain ``VisionTransformer`` names.

    Decoder and other non-encoder keys (``decoder_*``, MAE's decoder
    ``mask_token``, heads) are left out.

    Args:
        state_dict (dict[str, Tensor]): E.g. the ``model`` of an official MAE checkpoint.

    Returns:
        dict[str, Tensor]: Keys as in ``MIMViT`` / ``VisionTransformer``.
    """
    out = {}
    for key, value in state_dict.items():
        if not _ENCODER_KEY.match(key):
            continue
        for pattern, repl in _TIMM_TO_MMPRETRAIN:
            key = re.sub(pattern, repl, key)
        out[key] = value
    return out
