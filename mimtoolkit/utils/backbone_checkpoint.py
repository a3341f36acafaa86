"""Loading a pretraining checkpoint into a transfer backbone, and saying what was left out."""
from collections import Counter
from typing import Dict, Optional, Sequence

import torch
from mmengine.logging import print_log

from .checkpoint import check_state_dict_matches, load_state_dict_file
from .errors import ConfigError
from .vit_state_dict import is_timm_vit, timm_vit_to_mmpretrain

FIELD = 'backbone.init_cfg.checkpoint'


def backbone_state_dict(state_dict: Dict[str, torch.Tensor],
                        prefix: Optional[str] = 'backbone.') -> Dict[str, torch.Tensor]:
    """The backbone's tensors of a checkpoint, keys without ``prefix``.

    A pretraining checkpoint holds ``backbone.*`` keys; a file that holds none
    (an extracted backbone, an official MAE checkpoint) is taken as the
    backbone itself. timm / official-MAE names are renamed to mmpretrain's.

    Args:
        state_dict (dict[str, Tensor]): A checkpoint's state dict.
        prefix (str, optional): The backbone's key prefix in it.

    Returns:
        dict[str, Tensor]: Backbone weights with MIMViT / mmpretrain names.
    """
    if prefix and any(k.startswith(prefix) for k in state_dict):
        state_dict = {k[len(prefix):]: v for k, v in state_dict.items() if k.startswith(prefix)}
    if is_timm_vit(state_dict):
        state_dict = timm_vit_to_mmpretrain(state_dict)
    return state_dict


def _groups(keys: Sequence[str]) -> str:
    """``mask_layers.* (96), mask_token`` for a list of keys."""
    counts = Counter(k.split('.')[0] + ('.*' if '.' in k else '') for k in keys)
    return ', '.join(f'{g} ({n})' if n > 1 else g for g, n in sorted(counts.items()))


def load_pretrained_backbone(backbone: torch.nn.Module,
                             checkpoint: str,
                             prefix: Optional[str] = 'backbone.',
                             unused_in_transfer: Sequence[str] = (),
                             new_in_transfer: Sequence[str] = ()) -> None:
    """Load a (pretraining) checkpoint's backbone weights, strictly, with a report.

    Every tensor of the backbone must come from the checkpoint (position
    embeddings of another grid are interpolated by the backbone's load hook),
    except those of modules only transfer has (``new_in_transfer``, e.g. the
    norm of pooled features), which keep their initialisation and are logged.
    Checkpoint tensors the backbone lacks are allowed only when they belong
    to modules transfer does not run (``unused_in_transfer`` key prefixes,
    e.g. SemanticMIM's reconstruction branch, MaskFeat's mask token); the
    log names them. Anything else is another architecture: a clear error.

    Args:
        backbone (nn.Module): The backbone to load into.
        checkpoint (str): Path of a ``.pth`` / ``.safetensors`` file.
        prefix (str, optional): Key prefix of the backbone in the checkpoint.
        unused_in_transfer (Sequence[str]): Key prefixes that may be left out.
        new_in_transfer (Sequence[str]): Backbone key prefixes the checkpoint
            need not hold.

    Raises:
        ConfigError: For a missing file, missing tensors, foreign tensors or
            shape mismatches, naming ``backbone.init_cfg.checkpoint``.
    """
    weights = backbone_state_dict(load_state_dict_file(checkpoint, FIELD), prefix)
    if hasattr(backbone, 'check_layout'):
        backbone.check_layout(weights, f'{FIELD}={checkpoint!r}')
    own = backbone.state_dict()
    unused = [k for k in weights if k not in own]
    left_out = [k for k in unused if k.startswith(tuple(unused_in_transfer))]
    foreign = sorted(set(unused) - set(left_out))
    if foreign:
        raise ConfigError(
            f'{FIELD}={checkpoint!r} does not match the backbone '
            f'{type(backbone).__name__}: it has {len(foreign)} tensors the backbone lacks, '
            f'e.g. {foreign[:5]} (another architecture, or set the backbone options the '
            'checkpoint was pretrained with, e.g. num_proxy_tokens)')
    kept = {k: v for k, v in weights.items() if k in own}
    check_state_dict_matches(backbone, kept, FIELD, may_miss=new_in_transfer)
    fresh = backbone.load_state_dict(kept, strict=False).missing_keys
    message = (f'Loaded {len(kept)} tensors of {type(backbone).__name__} from '
               f'{checkpoint} (prefix {prefix!r}); missing: none.')
    if fresh:
        message += f' New in transfer, initialised: {_groups(fresh)}.'

    if left_out:
        message += (' Left out on purpose (pretraining-only modules, which transfer does '
                    f'not run): {_groups(left_out)}.')
    print_log(message, logger='current')
