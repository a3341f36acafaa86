"""The call a loss part answers, and the one builder every head uses (DESIGN.md §1b).

Every registered loss (kind ``loss``) declares in ``compares`` which of
:data:`LOSS_CALLS` it answers; every head declares in ``loss_compares`` the
call it makes. :func:`build_loss` refuses, at build time, a loss a head cannot
call, naming both.
"""
import inspect
from typing import Dict

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


def build_loss(cfg: dict, head: str, call: str) -> nn.Module:
    """Build a head's loss part, refusing a loss that does not answer the head's call.

    Args:
        cfg (dict): The head's ``loss`` config, ``dict(type=..., **arguments)``.
        head (str): The head's class name (it names the config key in errors).
        call (str): The call the head makes, one of :data:`LOSS_CALLS`.

    Returns:
        nn.Module: The loss.

    Raises:
        ConfigError: For an unknown type, a loss of another call, an unknown
            argument, or an argument value the loss refuses.
    """
    field = f'{head}.loss'
    require(isinstance(cfg, dict) and 'type' in cfg, field, cfg,
            "a loss config dict(type=...), e.g. dict(type='FeatureRegressionLoss')")
    answer = losses_that_answer(call)
    cls = cfg['type'] if isinstance(cfg['type'], type) else MODELS.get(cfg['type'])
    name = getattr(cls, '__name__', cfg['type'])
    other = '' if cls is None or getattr(cls, 'part_kind', None) != 'loss' else (
        f'; {name} is a {cls.compares} loss')
    require(cls is not None and name in answer and answer[name] is cls, f'{field}.type', name,
            f'a {call} loss for {head}, one of {sorted(answer)}{other}')
    args = [p for p in inspect.signature(cls).parameters if p not in ('self', 'kwargs')]
    for key in cfg:
        require(key == 'type' or key in args, f'{field}.{key}', cfg[key],
                f'an argument of {name}: one of {args}')
    try:
        return cls(**{k: v for k, v in cfg.items() if k != 'type'})
    except ConfigError as error:  # the loss names its own argument; say whose loss it is
        raise ConfigError(f'{head}.{error}') from None


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
