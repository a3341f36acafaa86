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
# the inverse, for the keys of an mmpretrain ViT encoder
_MMPRETRAIN_TO_TIMM = (
    (r'^patch_embed\.projection\.', 'patch_embed.proj.'),
    (r'^layers\.(\d+)\.ln1\.', r'blocks.\1.norm1.'),
    (r'^layers\.(\d+)\.ln2\.', r'blocks.\1.norm2.'),
    (r'^layers\.(\d+)\.attn\.', r'blocks.\1.attn.'),
    (r'^layers\.(\d+)\.ffn\.layers\.0\.0\.', r'blocks.\1.mlp.fc1.'),
    (r'^layers\.(\d+)\.ffn\.layers\.1\.', r'blocks.\1.mlp.fc2.'),
    (r'^ln1\.', 'norm.'),
)
_MMPRETRAIN_ENCODER_KEY = re.compile(
    r'^(cls_token|pos_embed|patch_embed\.projection\.|layers\.\d+\.(ln1|ln2|attn|ffn)\.|ln1\.)')


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


def mmpretrain_vit_to_timm(state_dict: Dict[str, torch.Tensor]) -> Dict[str, torch.Tensor]:
    """Rename an mmpretrain / MIMViT encoder's weights to a timm ``VisionTransformer``'s.

    SemanticMIM's proxies become timm's register tokens: [CLS] stays the
    first proxy, ``proxy_tokens`` (1, N - 1, C) is timm's ``reg_token``, and
    since proxies carry no position embedding, timm's position embedding
    (which covers its prefix tokens) gets zeros there. Keys that are not
    the plain encoder's (mask tokens, SemanticMIM's branch, segment
    embeddings) are left out.

    Args:
        state_dict (dict[str, Tensor]): Backbone weights, MIMViT names.

    Returns:
        dict[str, Tensor]: Weights for ``timm.models.VisionTransformer`` with
        ``class_token=True``, ``reg_tokens=N - 1`` and ``num_classes=0``.
    """
    out = {}
    for key, value in state_dict.items():
        if not _MMPRETRAIN_ENCODER_KEY.match(key):
            continue
        for pattern, repl in _MMPRETRAIN_TO_TIMM:
            key = re.sub(pattern, repl, key)
        out[key] = value
    if 'proxy_tokens' in state_dict:
        reg = state_dict['proxy_tokens']
        out['reg_token'] = reg
        pos = out['pos_embed']
        out['pos_embed'] = torch.cat([torch.zeros_like(pos[:, :1 + reg.shape[1]]), pos[:, 1:]], 1)
    return out
