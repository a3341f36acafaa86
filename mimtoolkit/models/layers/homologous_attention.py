"""MixedAE's homologous attention: each query attends only to its TopK keys (Eq. 6)."""
from typing import Optional

import torch
import torch.nn.functional as F

from mimtoolkit.registry import register_part
from mimtoolkit.utils import require
from .dense_attention import DenseAttention


@register_part('attention')
class HomologousAttention(DenseAttention):
    """``softmax(TopK(q·kᵀ/√D))·v``: per query, the K highest logits kept, the rest −inf.

    K = round(``k_ratio`` · L) with L the patch tokens (N − ``num_extra_tokens``).
    Every query, [CLS] included, keeps exactly its own K highest-scoring keys
    among all N tokens ([CLS] included): the [CLS] token is treated like any
    token. The parameters are :class:`DenseAttention`'s (``qkv``, ``proj``),
    so weights move between dense and homologous layers unchanged, and with
    K = N it is dense attention.

    Speed: the logits are computed once without gradient to find each row's
    K-th largest value (``torch.topk(sorted=False)``), and the kept keys enter
    the fused ``F.scaled_dot_product_attention`` as a boolean mask, so the
    backward pass is SDPA's and no (B, h, N, N) tensor is kept for autograd.

    Args:
        k_ratio (float): K / L in (0, 1]. Defaults to 0.25 (MixedAE's r).
        num_extra_tokens (int): Tokens before the patches. Defaults to 1.
        **kwargs: :class:`DenseAttention` arguments (``embed_dims``, ``num_heads``...).
    """

    def __init__(self, k_ratio: float = 0.25, num_extra_tokens: int = 1, **kwargs) -> None:
        require(isinstance(k_ratio, (int, float)) and 0 < k_ratio <= 1,
                'backbone.attn_cfgs.k_ratio', k_ratio, 'a float in (0, 1] (K / L)')
        super().__init__(**kwargs)
        self.k_ratio = float(k_ratio)
        self.num_extra_tokens = num_extra_tokens
        #: Set True (e.g. by ``TopKAccuracyHook``) to keep the last forward's kept-key mask.
        self.record_topk = False
        self.last_topk: Optional[torch.Tensor] = None

    def num_keys(self, num_tokens: int) -> int:
        """K for a sequence of ``num_tokens`` tokens (at least 1, at most all of them)."""
        num_patches = num_tokens - self.num_extra_tokens
        return min(num_tokens, max(1, round(self.k_ratio * num_patches)))

    @torch.no_grad()
    def topk_mask(self, q: torch.Tensor, k: torch.Tensor) -> torch.Tensor:
        """(B, h, N, N) bool: True where a key is among its query's K largest logits.

        Args:
            q (Tensor): (B, h, N, D) queries.
            k (Tensor): (B, h, N, D) keys.
        """
        scores = q @ k.transpose(-2, -1)  # the 1/√D scale does not change the order
        num_keys = self.num_keys(scores.shape[-1])
        if num_keys == scores.shape[-1]:
            return torch.ones_like(scores, dtype=torch.bool)
        kth = scores.topk(num_keys, dim=-1, sorted=False).values.amin(dim=-1, keepdim=True)
        return scores >= kth

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        """Homologous attention.

        Args:
            x (Tensor): (B, N, C) tokens.

        Returns:
            Tensor: (B, N, C).
        """
        B, N, _ = x.shape
        qkv = self.qkv(x).reshape(B, N, 3, self.num_heads, self.head_dims).permute(2, 0, 3, 1, 4)
        q, k, v = qkv[0], qkv[1], qkv[2]
        keep = self.topk_mask(q, k)
        if self.record_topk:
            self.last_topk = keep
        attn_drop = self.attn_drop if self.training else 0.
        x = F.scaled_dot_product_attention(q, k, v, attn_mask=keep, dropout_p=attn_drop)
        x = self.proj(x.transpose(1, 2).reshape(B, N, self.embed_dims))
        return self.out_drop(self.gamma1(self.proj_drop(x)))
