"""Hugging Face CLIP vision towers in OpenAI's parameter names (which timm reads)."""
from typing import Dict

import torch

_HF_VISION = 'vision_model.'
_OPENAI_VISION = 'visual.'
# (Hugging Face name, OpenAI name) inside one encoder layer
_LAYER_RENAMES = (('layer_norm1', 'ln_1'), ('layer_norm2', 'ln_2'), ('mlp.fc1', 'mlp.c_fc'),
                  ('mlp.fc2', 'mlp.c_proj'), ('self_attn.out_proj', 'attn.out_proj'))
_TOP_RENAMES = {
    'embeddings.patch_embedding.weight': 'conv1.weight',
    'pre_layrnorm.weight': 'ln_pre.weight',  # (sic: Hugging Face's name)
    'pre_layrnorm.bias': 'ln_pre.bias',
    'post_layernorm.weight': 'ln_post.weight',
    'post_layernorm.bias': 'ln_post.bias',
}


def is_hf_clip(state_dict: Dict[str, torch.Tensor]) -> bool:
    """Whether a state dict holds a Hugging Face ``CLIPVisionModel``/``CLIPModel`` tower."""
    return any(k.startswith(_HF_VISION) or k.startswith('vision_model.vision_model.')
               for k in state_dict if k.endswith('embeddings.class_embedding'))


def hf_clip_to_openai(state_dict: Dict[str, torch.Tensor]) -> Dict[str, torch.Tensor]:
    """Rename a Hugging Face CLIP vision tower to OpenAI's ``visual.*`` names.

    Separate q/k/v projections are concatenated into ``in_proj_weight``/
    ``in_proj_bias``; ``visual_projection`` (C_out, C) becomes ``proj`` (C, C_out).

    Args:
        state_dict (dict): Keys ``vision_model.*`` (and ``visual_projection.weight``).

    Returns:
        dict: Keys ``visual.*`` as in OpenAI's and open_clip's ViT checkpoints.
    """
    prefix = next(k for k in state_dict if k.endswith('embeddings.class_embedding'))
    prefix = prefix[:-len('embeddings.class_embedding')]
    tower = {k[len(prefix):]: v for k, v in state_dict.items() if k.startswith(prefix)}
    out = {
        'class_embedding': tower.pop('embeddings.class_embedding'),
        'positional_embedding': tower.pop('embeddings.position_embedding.weight'),
    }
    tower.pop('embeddings.position_ids', None)
    for hf_name, openai_name in _TOP_RENAMES.items():
        out[openai_name] = tower.pop(hf_name)
    layer_ids = sorted({int(k.split('.')[2]) for k in tower if k.startswith('encoder.layers.')})
    for i in layer_ids:
        hf, oa = f'encoder.layers.{i}.', f'transformer.resblocks.{i}.'
        for kind in ('weight', 'bias'):
            out[f'{oa}attn.in_proj_{kind}'] = torch.cat(
                [tower.pop(f'{hf}self_attn.{p}_proj.{kind}') for p in 'qkv'])
        for name in [k[len(hf):] for k in tower if k.startswith(hf)]:
            new = name
            for old, rep in _LAYER_RENAMES:
                new = new.replace(old, rep)
            out[oa + new] = tower.pop(hf + name)
    projection = state_dict.get('visual_projection.weight')
    if projection is not None:
        out['proj'] = projection.t()
    return {_OPENAI_VISION + k: v for k, v in out.items()}
