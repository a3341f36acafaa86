"""The distribution of an encoder's weights (i-MAE Fig. 5 left: MAE's vs i-MAE's)."""
import math
from typing import Dict, Sequence

import torch

#: Parameters that are not weights of a layer (embeddings, tokens) and are left out.
NOT_WEIGHTS = ('pos_embed', 'token', 'segment_embed')


def encoder_weights(state_dict: Dict[str, torch.Tensor], prefix: str = 'backbone.') -> torch.Tensor:
    """Every weight-matrix entry of an encoder, flattened.

    Args:
        state_dict (dict): A checkpoint's state dict.
        prefix (str): The encoder's key prefix. Defaults to ``'backbone.'``.

    Returns:
        Tensor: (N,) float32 values of the parameters under ``prefix`` whose
        name ends in ``weight`` and that have 2 or more dims (linear and conv
        kernels; norms, biases, tokens and position embeddings left out).

    Raises:
        ValueError: No such parameter under ``prefix``.
    """
    values = [v.detach().float().flatten() for k, v in sorted(state_dict.items())
              if k.startswith(prefix) and k.endswith('weight') and v.ndim >= 2
              and not any(n in k for n in NOT_WEIGHTS)]
    if not values:
        raise ValueError(f'no weight matrices under {prefix!r} in the checkpoint')
    return torch.cat(values)


def weight_summary(values: torch.Tensor, near_zero: float = 1e-2) -> Dict[str, float]:
    """Statistics of a weight distribution.

    Args:
        values (Tensor): (N,) weights.
        near_zero (float): |w| below this counts as near zero.

    Returns:
        dict: ``count``, ``mean``, ``std``, ``kurtosis`` (excess; 0 for a
        Gaussian, larger for a peakier, heavier-tailed one), ``near_zero``
        (fraction with |w| < ``near_zero``) and ``hoyer_sparsity``
        ((√N − ‖w‖₁/‖w‖₂) / (√N − 1): 0 all equal, 1 a single non-zero).
    """
    n = values.numel()
    v = values.double()
    mean, std = v.mean(), v.std()
    kurtosis = ((v - mean) ** 4).mean() / (std ** 4) - 3
    hoyer = (math.sqrt(n) - v.abs().sum() / v.norm()) / (math.sqrt(n) - 1)
    return dict(count=n, mean=float(mean), std=float(std), kurtosis=float(kurtosis),
                near_zero=float((v.abs() < near_zero).double().mean()),
                hoyer_sparsity=float(hoyer))


def shared_histograms(named_values: Dict[str, torch.Tensor], bins: int = 200,
                      quantile: float = 0.999) -> Dict[str, Sequence[float]]:
    """Density histograms of several weight sets over one common range.

    Args:
        named_values (dict[str, Tensor]): Label -> (N,) weights.
        bins (int): Number of bins.
        quantile (float): The range is ± the largest of the sets' ``quantile``
            of |w| (so a few outliers do not flatten the plot).

    Returns:
        dict: ``edges`` (bins + 1) and, per label, the density of each bin
        (integrating to 1 over the range).
    """
    limit = max(float(torch.quantile(v.abs()[:2 ** 24], quantile)) for v in named_values.values())
    edges = torch.linspace(-limit, limit, bins + 1)
    out = {'edges': edges.tolist()}
    width = float(edges[1] - edges[0])
    for name, v in named_values.items():
        counts = torch.histc(v.clamp(-limit, limit), bins=bins, min=-limit, max=limit)
        out[name] = (counts / (counts.sum() * width)).tolist()
    return out
