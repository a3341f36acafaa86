"""Parameter-name mapping from official SemanticMIM checkpoints to the toolkit's MIMViT."""
import re
from typing import Dict

import torch

# official bottleneck ViT layer -> mmpretrain TransformerEncoderLayer / ProxyBlock names
_LAYER_RENAMES = (
    (r'\.gamma_1$', '.attn.gamma1.weight'),  # BEiT's layer scale
    (r'\.gamma_2$', '.ffn.gamma2.weight'),
)
# the pretraining head's prediction layer -> the toolkit head's
_HEAD_RENAMES = {
    'neck.fc.': 'head.predictor.',  # MaskFeat: LinearNeck -> FeaturePredictionHead
    'head.cls_head.': 'head.classifier.',  # BEiT: BEiTV1Head -> TokenClassificationHead
}
_ATTN = re.compile(r'^(backbone\.(?:layers|extra_layers)\.\d+\.attn\.)'
                   r'(q|kv|q_proj|kv_proj|q_bias|v_bias)(?:\.(weight|bias))?$')


def is_official_semanticmim(state_dict: Dict[str, torch.Tensor]) -> bool:
    """bool: An official SemanticMIM pretraining checkpoint (``backbone.extra_layers``)."""
    return any(k.startswith('backbone.extra_layers.') for k in state_dict)


def _fused_qkv(parts: Dict[str, torch.Tensor], prefix: str) -> Dict[str, torch.Tensor]:
    """One attention's split q / kv projections as mmpretrain's fused ``qkv``."""
    if f'{prefix}q.weight' in parts:  # MaskFeat: q, kv Linears with biases
        weight = torch.cat([parts[f'{prefix}q.weight'], parts[f'{prefix}kv.weight']])
        bias = torch.cat([parts[f'{prefix}q.bias'], parts[f'{prefix}kv.bias']])
    else:  # BEiT: bias-free q_proj, kv_proj; learned q and v biases, k bias zero
        weight = torch.cat([parts[f'{prefix}q_proj.weight'], parts[f'{prefix}kv_proj.weight']])
        v_bias = parts[f'{prefix}v_bias']
        bias = torch.cat([parts[f'{prefix}q_bias'], torch.zeros_like(v_bias), v_bias])
    return {f'{prefix}qkv.weight': weight, f'{prefix}qkv.bias': bias}


def semanticmim_to_toolkit(state_dict: Dict[str, torch.Tensor]) -> Dict[str, torch.Tensor]:
    """An official SemanticMIM (MaskFeat / BEiT bottleneck) checkpoint in the toolkit's names.

    - ``backbone.cls_token`` (1, N, C) are the N proxies; the official
      position embedding has N proxy rows, which are folded into them:
      ``cls_token`` = proxy 0 + its row, ``proxy_tokens`` = proxies 1.. +
      theirs; our (1, 1 + L, C) ``pos_embed`` keeps the L patch rows (its
      unused [CLS] row is zero).
    - ``extra_layers.N`` (the [MASK] branch) -> ``mask_layers.N``; the split
      ``q``/``kv`` (MaskFeat) or ``q_proj``/``kv_proj`` + ``q_bias``/``v_bias``
      (BEiT) projections -> one ``qkv``; BEiT's ``gamma_1``/``gamma_2`` ->
      mmpretrain's layer scales.
    - MaskFeat's ``neck.fc`` -> ``head.predictor``; BEiT's ``head.cls_head``
      -> ``head.classifier``. Target generators (HOG, DALL-E) are left out.

    Args:
        state_dict (dict[str, Tensor]): An official pretraining ``state_dict``.

    Returns:
        dict[str, Tensor]: ``backbone.*`` (MIMViT with ``num_proxy_tokens=N``) and ``head.*``.
    """
    out, attn = {}, {}
    for key, value in state_dict.items():
        match = _ATTN.match(key)
        if match:
            attn.setdefault(match.group(1), {})[key] = value
            continue
        for old, new in _HEAD_RENAMES.items():
            if key.startswith(old):
                out[new + key[len(old):]] = value
        if not key.startswith('backbone.'):
            continue
        key = key.replace('backbone.extra_layers.', 'backbone.mask_layers.')
        for pattern, repl in _LAYER_RENAMES:
            key = re.sub(pattern, repl, key)
        out[key] = value
    for prefix, parts in attn.items():
        fused = _fused_qkv(parts, prefix)
        out.update({k.replace('.extra_layers.', '.mask_layers.'): v for k, v in fused.items()})
    proxies, pos = out.pop('backbone.cls_token'), out['backbone.pos_embed']
    num = proxies.shape[1]
    proxies = proxies + pos[:, :num]
    out['backbone.cls_token'] = proxies[:, :1]
    if num > 1:
        out['backbone.proxy_tokens'] = proxies[:, 1:]
    out['backbone.pos_embed'] = torch.cat([torch.zeros_like(pos[:, :1]), pos[:, num:]], dim=1)
    return out
