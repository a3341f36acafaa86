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
# official MAE's decoder -> mmpretrain's MAEPretrainDecoder (the MAE pretrainer's neck)
MAE_DECODER_TO_MMPRETRAIN = (
    (r'^decoder_blocks\.(\d+)\.norm1\.', r'decoder_blocks.\1.ln1.'),
    (r'^decoder_blocks\.(\d+)\.norm2\.', r'decoder_blocks.\1.ln2.'),
    (r'^decoder_blocks\.(\d+)\.mlp\.fc1\.', r'decoder_blocks.\1.ffn.layers.0.0.'),
    (r'^decoder_blocks\.(\d+)\.mlp\.fc2\.', r'decoder_blocks.\1.ffn.layers.1.'),
    (r'^decoder_norm\.', 'ln1.'),
)
_DECODER_KEY = re.compile(r'^(decoder_|mask_token$)')
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


def rename(key: str, patterns) -> str:
    """``key`` with every ``(pattern, replacement)`` of ``patterns`` applied in order."""
    for pattern, repl in patterns:
        key = re.sub(pattern, repl, key)
    return key


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
        if _ENCODER_KEY.match(key):
            out[rename(key, _TIMM_TO_MMPRETRAIN)] = value
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
        if _MMPRETRAIN_ENCODER_KEY.match(key):
            out[rename(key, _MMPRETRAIN_TO_TIMM)] = value
    if 'proxy_tokens' in state_dict:
        reg = state_dict['proxy_tokens']
        out['reg_token'] = reg
        pos = out['pos_embed']
        out['pos_embed'] = torch.cat([torch.zeros_like(pos[:, :1 + reg.shape[1]]), pos[:, 1:]], 1)
    return out


def official_mae_to_pretrainer(state_dict: Dict[str, torch.Tensor]) -> Dict[str, torch.Tensor]:
    """An official MAE checkpoint's ``model`` as the toolkit MAE pretrainer's state dict.

    Encoder -> ``backbone.*`` (MIMViT names), decoder (``decoder_*``, the
    decoder's ``mask_token``) -> ``neck.*`` (mmpretrain ``MAEPretrainDecoder``
    names). A checkpoint without decoder weights gives ``backbone.*`` only.

    Args:
        state_dict (dict[str, Tensor]): timm-style names, as the official release.

    Returns:
        dict[str, Tensor]: ``backbone.*`` and ``neck.*`` keys.
    """
    out = {f'backbone.{k}': v for k, v in timm_vit_to_mmpretrain(state_dict).items()}
    for key, value in state_dict.items():
        if _DECODER_KEY.match(key):
            out[f'neck.{rename(key, MAE_DECODER_TO_MMPRETRAIN)}'] = value
    return out


def timm_vit_kwargs(state_dict: Dict[str, torch.Tensor], num_heads: int = 0) -> dict:
    """``timm.models.VisionTransformer`` arguments that fit timm-named ViT weights.

    Args:
        state_dict (dict[str, Tensor]): E.g. :func:`mmpretrain_vit_to_timm`'s output.
        num_heads (int): Attention heads; weights do not tell, so 0 means
            ``embed_dim // 64`` (ViT-T/S/B/L/H all use 64-wide heads).

    Returns:
        dict: ``img_size``, ``patch_size``, ``embed_dim``, ``depth``,
        ``num_heads``, ``mlp_ratio``, ``qkv_bias``, ``reg_tokens``,
        ``num_classes=0``, ``class_token=True``.
    """
    proj = state_dict['patch_embed.proj.weight']
    embed_dim, patch = proj.shape[0], proj.shape[-1]
    depth = 1 + max(int(k.split('.')[1]) for k in state_dict if k.startswith('blocks.'))
    reg = state_dict['reg_token'].shape[1] if 'reg_token' in state_dict else 0
    grid = int(round((state_dict['pos_embed'].shape[1] - 1 - reg)**0.5))
    return dict(
        img_size=grid * patch, patch_size=patch, embed_dim=embed_dim, depth=depth,
        num_heads=num_heads or embed_dim // 64,
        mlp_ratio=state_dict['blocks.0.mlp.fc1.weight'].shape[0] / embed_dim,
        qkv_bias='blocks.0.attn.qkv.bias' in state_dict, reg_tokens=reg, num_classes=0,
        class_token=True)
