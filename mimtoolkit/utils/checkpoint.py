"""Safe checkpoint loading with clear errors.

torch >= 2.6 loads with ``weights_only=True`` by default, which refuses
mmengine's own checkpoints: their message hub holds ``HistoryBuffer`` objects
(pickled with ``getattr`` references to its statistics methods) and numpy
arrays. Rather than turning the safety off, :func:`allow_mmengine_checkpoints`
pickles ``HistoryBuffer`` by its data alone and allow-lists exactly the types
mmengine writes, so ``--resume`` of the toolkit's own checkpoints works and
every checkpoint, ours or third-party, still loads with ``weights_only=True``.
"""
import copyreg
import os
import os.path as osp
from typing import Dict, List, Optional, Sequence

import numpy as np
import safetensors.torch
import torch
from mmengine.logging import HistoryBuffer

from .errors import ConfigError


def _reduce_history_buffer(buffer: HistoryBuffer):
    return HistoryBuffer, (buffer._log_history, buffer._count_history, buffer.max_length)


def allow_mmengine_checkpoints() -> None:
    """Make mmengine checkpoints loadable with ``weights_only=True``."""
    copyreg.pickle(HistoryBuffer, _reduce_history_buffer)
    multiarray = getattr(np, '_core', np.core).multiarray  # numpy 2 renamed np.core
    np_dtype_classes = [type(np.dtype(t)) for t in (
        np.float64, np.float32, np.float16, np.int64, np.int32, np.uint32, np.uint8, np.bool_)]
    torch.serialization.add_safe_globals([
        HistoryBuffer, np.ndarray, np.dtype, multiarray._reconstruct, multiarray.scalar,
        *np_dtype_classes
    ])


def load_state_dict_file(path: str, field: str = 'checkpoint') -> Dict[str, torch.Tensor]:
    """Load the ``state_dict`` of a checkpoint file with ``weights_only=True``.

    Args:
        path (str): A ``.pth`` file (mmengine, mmpretrain, or a bare state
            dict) or a ``.safetensors`` file.
        field (str): The config key the path came from, for error messages.

    Returns:
        dict[str, Tensor]: The model's state dict.

    Raises:
        ConfigError: If the file does not exist or is not a checkpoint.
    """
    if not isinstance(path, str) or not osp.isfile(path):
        raise ConfigError(f'{field}={path!r} is invalid: expected an existing checkpoint file')
    try:
        if path.endswith('.safetensors'):
            return safetensors.torch.load_file(path)
        ckpt = torch.load(path, map_location='cpu', weights_only=True)
    except Exception as err:  # a corrupt/truncated file or a non-checkpoint
        raise ConfigError(f'{field}={path!r} is invalid: cannot be read as a torch '
                          f'checkpoint ({type(err).__name__}: {str(err)[:200]})') from None
    for key in ('state_dict', 'model'):
        if isinstance(ckpt, dict) and isinstance(ckpt.get(key), dict):
            ckpt = ckpt[key]
    if not isinstance(ckpt, dict):
        raise ConfigError(f'{field}={path!r} is invalid: expected a state dict, got '
                          f'{type(ckpt).__name__}')
    return ckpt


def save_state_dict_file(state_dict: Dict[str, torch.Tensor], path: str,
                         meta: Optional[dict] = None) -> None:
    """Write weights as ``.safetensors`` (by the suffix) or a ``.pth`` with ``state_dict``.

    The file is written next to ``path`` first and moved into place, so an
    interrupted write never leaves a truncated checkpoint under that name.

    Args:
        state_dict (dict[str, Tensor]): Weights by name.
        path (str): Output file.
        meta (dict, optional): Stored beside the weights (``.pth``: ``meta``;
            ``.safetensors``: string metadata).
    """
    os.makedirs(osp.dirname(osp.abspath(path)), exist_ok=True)
    tmp = f'{path}.tmp'
    tensors = {k: v.detach().contiguous() for k, v in state_dict.items()}
    if path.endswith('.safetensors'):
        safetensors.torch.save_file(tensors, tmp, {k: str(v) for k, v in (meta or {}).items()})
    else:
        torch.save({'meta': meta or {}, 'state_dict': tensors}, tmp)
    os.replace(tmp, path)


def check_state_dict_matches(model: torch.nn.Module, state_dict: Dict[str, torch.Tensor],
                             field: str = 'checkpoint', may_miss: Sequence[str] = ()) -> None:
    """Refuse weights whose shapes differ from the model's, or that miss its parameters.

    Position embeddings may differ in length (they are interpolated on load).

    Args:
        model (nn.Module): The model the weights are for.
        state_dict (dict): Weights by parameter name.
        field (str): The config key the weights came from, for error messages.
        may_miss (Sequence[str]): Prefixes of model tensors the weights need not hold.

    Raises:
        ConfigError: On a shape mismatch or when a model parameter is missing, or
            when the model's ``check_layout`` refuses an outdated layout.
    """
    if hasattr(model, 'check_layout'):
        model.check_layout(state_dict, field)
    own = model.state_dict()
    wrong_shape = [
        f'{k}: checkpoint {tuple(v.shape)} vs model {tuple(own[k].shape)}'
        for k, v in state_dict.items()
        if k in own and own[k].shape != v.shape and not k.endswith('pos_embed')
    ]
    if wrong_shape:
        raise ConfigError(f'{field} does not match the model: shapes differ for '
                          + '; '.join(wrong_shape[:5]) +
                          (f' (+{len(wrong_shape) - 5} more)' if len(wrong_shape) > 5 else ''))
    missing = [k for k in own if k not in state_dict and not k.startswith(tuple(may_miss))]
    if missing:
        raise ConfigError(f'{field} does not match the model: it lacks {len(missing)} of the '
                          f'model\'s {len(own)} tensors, e.g. {missing[:5]}')


def load_matching_state_dict(model: torch.nn.Module, state_dict: Dict[str, torch.Tensor],
                             field: str = 'checkpoint') -> List[str]:
    """Load weights after :func:`check_state_dict_matches`.

    Args:
        model (nn.Module): The model to load into.
        state_dict (dict): Weights by parameter name.
        field (str): The config key the weights came from, for error messages.

    Returns:
        list[str]: Keys of the checkpoint the model does not use.
    """
    check_state_dict_matches(model, state_dict, field)
    return list(model.load_state_dict(state_dict, strict=False).unexpected_keys)


def load_strictly(model: torch.nn.Module, state_dict: Dict[str, torch.Tensor],
                  field: str = 'checkpoint', skip: Sequence[str] = ()) -> None:
    """Load weights that must fit the model exactly, or raise one error listing every misfit.

    Args:
        model (nn.Module): The model to load into.
        state_dict (dict): Weights by parameter name.
        field (str): Where the weights came from, for the error message.
        skip (Sequence[str]): Key prefixes of model tensors that are not learned
            weights (e.g. a HOG generator's fixed filters) and need not be given.

    Raises:
        ConfigError: Naming the missing, unexpected and mis-shaped keys together.
    """
    own = {k: v for k, v in model.state_dict().items() if not k.startswith(tuple(skip))}
    missing = sorted(set(own) - set(state_dict))
    unexpected = sorted(set(state_dict) - set(own))
    shapes = [f'{k}: file {tuple(state_dict[k].shape)} vs model {tuple(v.shape)}'
              for k, v in own.items() if k in state_dict and state_dict[k].shape != v.shape]
    if missing or unexpected or shapes:
        def listed(keys):
            return f'{len(keys)} {keys[:8]}' + (' ...' if len(keys) > 8 else '')
        raise ConfigError(
            f'{field} does not fit {type(model).__name__} (another architecture or size?): '
            f'missing {listed(missing)}; unexpected {listed(unexpected)}; '
            f'mis-shaped {listed(shapes)}')
    model.load_state_dict(state_dict, strict=False)
