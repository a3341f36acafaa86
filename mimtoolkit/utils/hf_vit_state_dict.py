"""MIMViT (mmpretrain names) and MAE's decoder -> Hugging Face transformers ViT / ViTMAE names."""
import re
from typing import Dict, Tuple

import torch

from .errors import ConfigError

# per transformer block: mmpretrain suffix -> transformers suffix (qkv is split separately)
_BLOCK = (
    ('ln1.', 'layernorm_before.'),
    ('ln2.', 'layernorm_after.'),
    ('attn.proj.', 'attention.output.dense.'),
    ('ffn.layers.0.0.', 'intermediate.dense.'),
    ('ffn.layers.1.', 'output.dense.'),
)
_ENCODER_BLOCK = re.compile(r'^layers\.(\d+)\.(.+)$')
_DECODER_BLOCK = re.compile(r'^decoder_blocks\.(\d+)\.(.+)$')
#: MIMViT keys the export leaves out: pretraining-only parts and the transfer-only pooling norm.
SKIPPED = ('mask_token', 'segment_embed', 'ln2.')


def _block(suffix: str, value: torch.Tensor, out_prefix: str) -> Dict[str, torch.Tensor]:
    """One block parameter, renamed (qkv split into query / key / value)."""
    if suffix.startswith('attn.qkv.'):
        kind = suffix[len('attn.qkv.'):]
        return {f'{out_prefix}attention.attention.{name}.{kind}': part
                for name, part in zip(('query', 'key', 'value'), value.chunk(3, dim=0))}
    for ours, theirs in _BLOCK:
        if suffix.startswith(ours):
            return {f'{out_prefix}{theirs}{suffix[len(ours):]}': value}
    raise ConfigError(f'checkpoint key {suffix!r} of a transformer block has no transformers '
                      'ViT counterpart (layer scale or another block variant); not exported')


def mimvit_to_hf_vit(backbone: Dict[str, torch.Tensor]) -> Dict[str, torch.Tensor]:
    """MIMViT encoder weights as a transformers ``ViTModel`` (``ViTMAEModel``) state dict.

    The fixed 2-D sin-cos table is copied as it is (transformers keeps
    ``position_embeddings`` as a loaded parameter), so the exported encoder
    computes the same function as ours whatever the table's layout.

    Args:
        backbone (dict[str, Tensor]): MIMViT weights, mmpretrain names.

    Returns:
        dict[str, Tensor]: ``embeddings.*``, ``encoder.layer.N.*``, ``layernorm.*``.

    Raises:
        ConfigError: A key that has no counterpart (proxies, a ConvViT stem,
            a pre-norm, layer scale), named.
    """
    out = {}
    for key, value in backbone.items():
        block = _ENCODER_BLOCK.match(key)
        if block:
            out.update(_block(block.group(2), value, f'encoder.layer.{block.group(1)}.'))
        elif key == 'cls_token':
            out['embeddings.cls_token'] = value
        elif key == 'pos_embed':
            out['embeddings.position_embeddings'] = value
        elif key.startswith('patch_embed.projection.'):
            out[f'embeddings.patch_embeddings.projection.{key.split(".")[-1]}'] = value
        elif key.startswith('ln1.'):
            out[f'layernorm.{key[len("ln1."):]}'] = value
        elif not key.startswith(SKIPPED):
            raise ConfigError(f'checkpoint key backbone.{key} has no transformers ViT '
                              'counterpart; this encoder cannot be exported (plain MIMViT only)')
    if 'embeddings.cls_token' not in out:
        raise ConfigError('the encoder has no [CLS] token; transformers ViT needs one')
    return out


def mae_decoder_to_hf(neck: Dict[str, torch.Tensor]) -> Dict[str, torch.Tensor]:
    """mmpretrain ``MAEPretrainDecoder`` weights as transformers ``ViTMAEDecoder`` names.

    Args:
        neck (dict[str, Tensor]): The MAE pretrainer's ``neck.*`` weights, prefix removed.

    Returns:
        dict[str, Tensor]: ``decoder.*`` keys of ``ViTMAEForPreTraining``.
    """
    direct = {'mask_token': 'mask_token', 'decoder_pos_embed': 'decoder_pos_embed'}
    out = {}
    for key, value in neck.items():
        block = _DECODER_BLOCK.match(key)
        if block:
            out.update(_block(block.group(2), value, f'decoder.decoder_layers.{block.group(1)}.'))
        elif key in direct:
            out[f'decoder.{direct[key]}'] = value
        elif key.startswith(('decoder_embed.', 'decoder_pred.')):
            out[f'decoder.{key}'] = value
        elif key.startswith('ln1.'):
            out[f'decoder.decoder_norm.{key[len("ln1."):]}'] = value
        else:
            raise ConfigError(f'checkpoint key neck.{key} has no transformers ViTMAEDecoder '
                              'counterpart')
    return out


def hf_vit_sizes(state: Dict[str, torch.Tensor], prefix: str = '') -> Tuple[int, int, int, int]:
    """(hidden size, layers, MLP width, patch size) of transformers-named ViT weights."""
    proj = state[f'{prefix}embeddings.patch_embeddings.projection.weight']
    depth = 1 + max(int(k[len(prefix):].split('.')[2]) for k in state
                    if k.startswith(f'{prefix}encoder.layer.'))
    mlp = state[f'{prefix}encoder.layer.0.intermediate.dense.weight'].shape[0]
    return proj.shape[0], depth, mlp, proj.shape[-1]
