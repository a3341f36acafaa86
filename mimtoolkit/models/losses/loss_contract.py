"""The call a loss part answers, and the one builder every head uses (DESIGN.md §1b).

Every registered loss (kind ``loss``) declares in ``compares`` which of
:data:`LOSS_CALLS` it answers; every head declares in ``loss_compares`` the
call it makes. :func:`build_loss` refuses, at build time, a loss a head cannot
call, naming both.
"""
import inspect
from typing import Dict, Optional

import torch.nn as nn

from mimtoolkit.registry import MODELS, parts_of_kind
from mimtoolkit.utils import ConfigError, require

#: What each kind of loss is called with and how it reduces.
LOSS_CALLS: Dict[str, str] = {
    'regression': 'loss(pred (B, N, D), target (B, N, D), mask (B, N) or None) -> scalar: '
                  'a per-token error over the D values, averaged over the tokens where '
                  'mask = 1 (over all tokens without a mask)',
    'classification': 'loss(logits (M, V), target (M,) long) -> scalar: cross-entropy averaged '
                      'over the M tokens',
    'contrastive': 'loss(features (B, L, D), labels (B, L) long) -> scalar: tokens of a sample '
                   'with equal labels attract, the others repel; averaged over all B·L tokens',
}


def losses_that_answer(call: str) -> Dict[str, type]:
    """The registered losses that answer one call of :data:`LOSS_CALLS`, by name."""
    return {name: cls for name, cls in sorted(parts_of_kind('loss').items())
            if cls.compares == call}


def default_loss(head: type) -> Optional[dict]:
    """The ``loss`` default of a head's constructor (up its MRO, through ``**kwargs``)."""
    for owner in head.__mro__:
        if '__init__' in vars(owner):
            param = inspect.signature(owner.__init__).parameters.get('loss')
            if param is not None:
                return None if param.default is param.empty else dict(param.default)
    return None


def build_loss(cfg: dict, head: type) -> nn.Module:
    """Build a head's loss part, refusing a loss that does not answer the head's call.

    A config without ``type`` changes arguments of the head's default loss
    (``--cfg-options model.aux_heads.0.loss.criterion=cosine`` keeps the
    default ``FeatureRegressionLoss``), as mmengine merges config dicts.

    Args:
        cfg (dict): The head's ``loss`` config, ``dict(type=..., **arguments)``.
        head (type): The head's class: its name names the config key in errors,
            its ``loss_compares`` is the call it makes (one of :data:`LOSS_CALLS`).

    Returns:
        nn.Module: The loss.

    Raises:
        ConfigError: For an unknown type, a loss of another call, an unknown
            argument, or an argument value the loss refuses.
    """
    name, call = head.__name__, head.loss_compares
    field = f'{name}.loss'
    default = default_loss(head)
    if isinstance(cfg, dict) and 'type' not in cfg and default is not None:
        cfg = dict(default, **cfg)
    require(isinstance(cfg, dict) and 'type' in cfg, field, cfg,
            "a loss config dict(type=...), e.g. dict(type='FeatureRegressionLoss')")
    answer = losses_that_answer(call)
    cls = cfg['type'] if isinstance(cfg['type'], type) else MODELS.get(cfg['type'])
    loss_name = getattr(cls, '__name__', cfg['type'])
    other = '' if cls is None or getattr(cls, 'part_kind', None) != 'loss' else (
        f'; {loss_name} is a {cls.compares} loss')
    require(cls is not None and loss_name in answer and answer[loss_name] is cls,
            f'{field}.type', loss_name, f'a {call} loss for {name}, one of {sorted(answer)}{other}')
    args = [p for p in inspect.signature(cls).parameters if p not in ('self', 'kwargs')]
    for key in cfg:
        require(key == 'type' or key in args, f'{field}.{key}', cfg[key],
                f'an argument of {loss_name}: one of {args}')
    try:
        return cls(**{k: v for k, v in cfg.items() if k != 'type'})
    except ConfigError as error:  # the loss names its own argument; say whose loss it is
        raise ConfigError(f'{name}.{error}') from None


def check_loss_weight(value: float, head: str) -> float:
    """A head's ``loss_weight`` as a float, refusing a negative or non-numeric one.

    Args:
        value (float): The configured weight.
        head (str): The head's class name (names the key in the error).

    Returns:
        float: ``value``.
    """
    require(isinstance(value, (int, float)) and not isinstance(value, bool) and value >= 0,
            f'{head}.loss_weight', value, 'a float >= 0')
    return float(value)
