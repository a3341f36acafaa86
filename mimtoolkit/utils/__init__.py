"""Shared helpers: errors and checkpoint loading."""
from .backbone_checkpoint import backbone_state_dict, load_pretrained_backbone
from .checkpoint import (allow_mmengine_checkpoints, check_state_dict_matches,
                         load_matching_state_dict, load_state_dict_file, load_strictly,
                         save_state_dict_file)
from .convmae_state_dict import convmae_sizes, convmae_to_toolkit, is_convmae
from .clip_state_dict import hf_clip_to_openai, is_hf_clip
from .errors import ConfigError, NonFiniteLossError, require
from .global_batch import global_rows, rank_mean, rank_share
from .mmpretrain_without_mmdet import import_mmpretrain_models
from .slurm_env import first_host, torchrun_env_from_slurm
from .semanticmim_state_dict import is_official_semanticmim, semanticmim_to_toolkit
from .vit_state_dict import (is_timm_vit, mmpretrain_vit_to_timm, official_mae_to_pretrainer,
                             timm_vit_kwargs, timm_vit_to_mmpretrain)

__all__ = [
    'ConfigError', 'NonFiniteLossError', 'require', 'allow_mmengine_checkpoints',
    'load_state_dict_file', 'load_matching_state_dict', 'check_state_dict_matches', 'is_timm_vit',
    'timm_vit_to_mmpretrain', 'mmpretrain_vit_to_timm', 'is_hf_clip', 'hf_clip_to_openai',
    'backbone_state_dict', 'load_pretrained_backbone', 'official_mae_to_pretrainer',
    'timm_vit_kwargs', 'save_state_dict_file', 'rank_share', 'global_rows',
    'rank_mean', 'load_strictly', 'convmae_to_toolkit', 'convmae_sizes', 'is_convmae',
    'semanticmim_to_toolkit', 'is_official_semanticmim', 'first_host', 'torchrun_env_from_slurm',
    'import_mmpretrain_models'
]
