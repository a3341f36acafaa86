"""FLOPs of a ViT block and of SemanticMIM's proxy block: formulas and measurement.

Counting (stated once, used everywhere): 2 FLOPs per multiply-add; matrix
products only (what ``torch.utils.flop_counter`` counts; norms, softmax,
activations are left out); the MLP has ``mlp_ratio · D`` hidden units; a
training step of a block is its forward plus its backward, 3x the forward.

- Vanilla MIM block over L tokens: attention ``2(4LD² + 2L²D)`` (q, k, v,
  output projections; QKᵀ and AV), MLP ``2(2rLD²)``.
- SemanticMIM block: branch (a), a vanilla block over the L0 [IMG] + L1
  [PROXY] tokens; branch (b), [MASK] queries over [PROXY] + [MASK] keys:
  ``2((2·L2 + 2(L1 + L2))D² + 2·L2(L1 + L2)D)`` (q and output projections of
  the L2 queries, k and v projections of the L1 + L2 keys; the two products)
  and an MLP over the L2 [MASK] tokens. At inference (b) is gone and (a)
  runs over all patches + the proxies.

SemanticMIM's Appendix C prints its own cost (:func:`appendix_c_flops`, in
multiply-adds): ``12B(L0+L1)D² + 2B(L0+L1)²D + 11BL2D² + BL1D² + 2BL1L2D +
2BL2²D`` against ``12BLD² + 2BL²D`` for vanilla MIM. Next to the exact count
of branch (b) above (``2·L2 + 2(L1 + L2)`` projections of width D² plus an
MLP of ``2r·L2``: ``12·L2 + 2·L1`` in all, in D² multiply-adds) it has
``11·L2 + L1``: it leaves out the [MASK] queries' output projection (one
``L2·D²``) and one of the proxies' key/value projections (one ``L1·D²``).
"""
from typing import Dict

import torch
import torch.nn as nn
from torch.nn.attention import SDPBackend, sdpa_kernel
from torch.utils.flop_counter import FlopCounterMode


def vit_block_flops(dims: int, tokens: int, mlp_ratio: float = 4.) -> Dict[str, float]:
    """Forward FLOPs of a ViT block.

    Args:
        dims (int): Width D.
        tokens (int): Sequence length L.
        mlp_ratio (float): MLP hidden width over D.

    Returns:
        dict[str, float]: ``attention``, ``mlp`` and ``total`` FLOPs.
    """
    D, L = dims, tokens
    attention = 2 * (4 * L * D * D + 2 * L * L * D)
    mlp = 2 * (2 * mlp_ratio * L * D * D)
    return dict(attention=attention, mlp=mlp, total=attention + mlp)


def proxy_branch_flops(dims: int, num_proxies: int, num_masks: int,
                       mlp_ratio: float = 4.) -> Dict[str, float]:
    """Forward FLOPs of SemanticMIM's branch (b) in one layer.

    Args:
        dims (int): Width D.
        num_proxies (int): L1 [PROXY] tokens (keys and values only).
        num_masks (int): L2 [MASK] tokens (queries, keys and values).
        mlp_ratio (float): MLP hidden width over D.

    Returns:
        dict[str, float]: ``attention``, ``mlp`` and ``total`` FLOPs.
    """
    D, L1, L2 = dims, num_proxies, num_masks
    attention = 2 * ((2 * L2 + 2 * (L1 + L2)) * D * D + 2 * L2 * (L1 + L2) * D)
    mlp = 2 * (2 * mlp_ratio * L2 * D * D)
    return dict(attention=attention, mlp=mlp, total=attention + mlp)


def semanticmim_block_flops(dims: int, num_img: int, num_proxies: int, num_masks: int,
                            mlp_ratio: float = 4.) -> Dict[str, float]:
    """Forward FLOPs of SemanticMIM's block: (a) over [IMG] + [PROXY], plus (b).

    Args:
        dims (int): Width D.
        num_img (int): L0 visible [IMG] tokens.
        num_proxies (int): L1 [PROXY] tokens.
        num_masks (int): L2 [MASK] tokens (0 at inference: no branch (b)).
        mlp_ratio (float): MLP hidden width over D.

    Returns:
        dict[str, float]: ``attention``, ``mlp`` and ``total`` FLOPs.
    """
    a = vit_block_flops(dims, num_img + num_proxies, mlp_ratio)
    if not num_masks:
        return a
    b = proxy_branch_flops(dims, num_proxies, num_masks, mlp_ratio)
    return {k: a[k] + b[k] for k in a}


def appendix_c_flops(dims: int, num_img: int, num_proxies: int, num_masks: int,
                     batch: int = 1, branch_b: bool = True) -> float:
    """SemanticMIM's block cost as its Appendix C prints it, in FLOPs (2 per multiply-add).

    Args:
        dims (int): Width D.
        num_img (int): L0 [IMG] tokens.
        num_proxies (int): L1 [PROXY] tokens.
        num_masks (int): L2 [MASK] tokens.
        batch (int): B. Defaults to 1.
        branch_b (bool): Count the [MASK] branch (its L2 terms and the
            proxies' ``B·L1·D²``); False at inference, where it is dropped.

    Returns:
        float: ``2 (12B(L0+L1)D² + 2B(L0+L1)²D [+ 11BL2D² + BL1D² + 2BL1L2D + 2BL2²D])``.
    """
    B, D, L0, L1, L2 = batch, dims, num_img, num_proxies, num_masks
    macs = 12 * B * (L0 + L1) * D * D + 2 * B * (L0 + L1) ** 2 * D
    if branch_b:
        macs += 11 * B * L2 * D * D + B * L1 * D * D + 2 * B * L1 * L2 * D + 2 * B * L2 * L2 * D
    return 2.0 * macs


def appendix_c_vanilla_flops(dims: int, tokens: int, batch: int = 1) -> float:
    """Appendix C's vanilla MIM block, ``2 (12BLD² + 2BL²D)`` FLOPs (= :func:`vit_block_flops`)."""
    return 2.0 * (12 * batch * tokens * dims * dims + 2 * batch * tokens * tokens * dims)


def appendix_c_break_even(dims: int, num_img: int, num_masks: int, vanilla_tokens: int) -> int:
    """Smallest L1 at which Appendix C's formula reaches the vanilla block's cost."""
    vanilla = appendix_c_vanilla_flops(dims, vanilla_tokens)
    n = 0
    while appendix_c_flops(dims, num_img, n, num_masks) < vanilla:
        n += 1
    return n


def break_even_proxies(dims: int, num_img: int, num_masks: int, vanilla_tokens: int,
                       scope: str = 'total', mlp_ratio: float = 4.) -> int:
    """Smallest proxy count L1 at which SemanticMIM's block costs at least the vanilla one.

    Args:
        dims (int): Width D.
        num_img (int): L0.
        num_masks (int): L2.
        vanilla_tokens (int): L of the vanilla block (196, or 197 with [CLS]).
        scope (str): ``'attention'``, ``'mlp'`` or ``'total'``.
        mlp_ratio (float): MLP hidden width over D.

    Returns:
        int: L1 (0 if even no proxy is cheaper).
    """
    vanilla = vit_block_flops(dims, vanilla_tokens, mlp_ratio)[scope]
    n = 0
    while semanticmim_block_flops(dims, num_img, n, num_masks, mlp_ratio)[scope] < vanilla:
        n += 1
    return n


def measured_flops(fn, *inputs: torch.Tensor, train: bool = True) -> float:
    """FLOPs of ``fn(*inputs)`` (plus its backward when ``train``) counted by torch.

    Attention runs on SDPA's math backend so its products are counted.

    Args:
        fn (callable): E.g. an encoder layer.
        *inputs (Tensor): Its inputs; given ``requires_grad`` when ``train``.
        train (bool): Count the backward too.

    Returns:
        float: FLOPs.
    """
    inputs = [x.detach().requires_grad_(train) for x in inputs]
    with sdpa_kernel(SDPBackend.MATH), FlopCounterMode(display=False) as counter:
        out = fn(*inputs)
        if train:
            out.sum().backward()
    return float(counter.get_total_flops())


def measure_vit_block(layer: nn.Module, dims: int, tokens: int, train: bool = True) -> float:
    """Measured FLOPs of one encoder layer over ``tokens`` tokens (batch 1)."""
    return measured_flops(layer, torch.randn(1, tokens, dims), train=train)


def measure_semanticmim_block(layer: nn.Module, mask_layer: nn.Module, dims: int, num_img: int,
                              num_proxies: int, num_masks: int, train: bool = True) -> float:
    """Measured FLOPs of branch (a) ``layer`` and branch (b) ``mask_layer`` (batch 1)."""

    def block(x, masks):
        x = layer(x)
        return torch.cat([x, mask_layer(x[:, :num_proxies], masks)], dim=1)

    return measured_flops(block, torch.randn(1, num_img + num_proxies, dims),
                          torch.randn(1, num_masks, dims), train=train)


def step_flops(model: nn.Module, inputs: torch.Tensor) -> Dict[str, float]:
    """FLOPs of one training step of a pretrainer on ``inputs``, counted from its shapes.

    The forward pass (``model.loss``) runs once under ``torch.utils.flop_counter``
    (SDPA's math backend, so attention products count): the encoder on the tokens it
    really sees (the visible ones for MAE-style methods), the decoder, the heads, and the
    frozen targets (``part_kind == 'target'``: teachers, tokenizers, HOG). A trained
    module's backward costs 2x its forward (gradients of inputs and of weights); a frozen
    target runs forward only. So a step is ``3 x trained forward + frozen forward``.

    Args:
        model (nn.Module): A pretrainer (``loss(inputs, data_samples)``).
        inputs (Tensor): (B, 3, H, W) preprocessed images.

    Returns:
        dict[str, float]: ``forward`` (all of it), ``frozen_forward`` and ``step``.
    """
    frozen = FlopCounterMode(display=False)
    depth = [0]

    def counted_as_frozen(method):
        def call(*args, **kwargs):
            if depth[0] == 0:
                frozen.__enter__()
            depth[0] += 1
            try:
                return method(*args, **kwargs)
            finally:
                depth[0] -= 1
                if depth[0] == 0:
                    frozen.__exit__(None, None, None)
        return call

    # a target is entered through forward (tokenizers, HOG) or features (frozen teachers)
    targets = [m for m in model.modules() if getattr(m, 'part_kind', None) == 'target']
    for module in targets:
        for name in ('forward', 'features'):
            if hasattr(module, name):
                setattr(module, name, counted_as_frozen(getattr(module, name)))
    try:
        with torch.no_grad(), sdpa_kernel(SDPBackend.MATH), \
                FlopCounterMode(display=False) as counter:
            model.loss(inputs, None)
    finally:
        for module in targets:
            for name in ('forward', 'features'):
                module.__dict__.pop(name, None)
    forward, frozen_forward = float(counter.get_total_flops()), float(frozen.get_total_flops())
    return dict(forward=forward, frozen_forward=frozen_forward,
                step=3 * (forward - frozen_forward) + frozen_forward)
