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

    K = round(``k_ratio`` · N) over the N tokens of the sequence (for ViT-B/16
    at 224: N = 197, K = 49 at 0.25, the paper's 0.25·L), at least 1.
    Every query, [CLS] included, keeps exactly its own K highest-scoring keys
    among all N tokens ([CLS] included): the [CLS] token is treated like any
    token. The parameters are :class:`DenseAttention`'s (``qkv``, ``proj``),
    so weights move between dense and homologous layers unchanged, and
    ``k_ratio=1`` is dense attention.

    Speed: the logits are computed once without gradient to find each row's
    K largest keys (``torch.topk(sorted=False)``, exactly K even where logits
    tie), scattered in place into an additive mask, and the fused
    ``F.scaled_dot_product_attention`` does the rest, so the backward pass is
    SDPA's and autograd keeps no extra (B, h, N, N) tensor beyond the mask.

    Args:
        k_ratio (float): K / N in (0, 1]. Defaults to 0.25 (MixedAE's r).
        **kwargs: :class:`DenseAttention` arguments (``embed_dims``, ``num_heads``...).
    """

    #: Where it comes from: the paper and section it implements.
    source = 'MixedAE (Chen et al. 2023) §3.2, homologous attention (TopK)'

    def __init__(self, k_ratio: float = 0.25, **kwargs) -> None:
        require(isinstance(k_ratio, (int, float)) and 0 < k_ratio <= 1,
                'backbone.attn_cfgs.k_ratio', k_ratio, 'a float in (0, 1] (K / N)')
        super().__init__(**kwargs)
        self.k_ratio = float(k_ratio)
        self.scaled_dot_product_attention = self.topk_attention
        #: Set True (e.g. by ``TopKAccuracyHook``) to keep the last forward's kept-key mask.
        self.record_topk = False
        self.last_topk: Optional[torch.Tensor] = None

    def num_keys(self, num_tokens: int) -> int:
        """K for a sequence of ``num_tokens`` tokens: round(k_ratio · N), at least 1."""
        return max(1, round(self.k_ratio * num_tokens))

    @torch.no_grad()
    def topk_bias(self, q: torch.Tensor, k: torch.Tensor) -> torch.Tensor:
        """(B, h, N, N) additive mask: 0 at each query's K largest logits, dtype-min elsewhere.

        The mask is a view of a (B, h, N, N') buffer with N' = N rounded up to a
        multiple of 8, so its row stride is 8-aligned: SDPA's memory-efficient
        kernel (and inductor) take an additive mask only with aligned rows, and
        at N = 197 (ViT-B/16 at 224) an (N, N) mask would send the layer to the
        math kernel, which materialises the attention matrix.

        Exactly K keys per query in every precision: the kept keys are the
        *indices* ``torch.topk`` returns, scattered into the mask, not a
        threshold on the K-th value (under bf16/fp16 autocast many logits
        tie, and ``logit >= K-th`` kept up to 53 keys instead of 49 at ViT-B
        sizes). Among tied logits ``topk`` picks deterministically (the same
        inputs keep the same keys). Built in place in the logits' buffer (no
        bool → float conversion in SDPA's forward and backward); the dtype's
        finite minimum, not −inf, so that 0 · min stays 0 in every precision.

        Args:
            q (Tensor): (B, h, N, D) queries.
            k (Tensor): (B, h, N, D) keys.
        """
        num_tokens = k.shape[-2]
        padded = -(-num_tokens // 8) * 8  # the mask's rows 8-aligned (a narrowed view)
        if padded != num_tokens:
            k = F.pad(k, (0, 0, 0, padded - num_tokens))
        scores = (q @ k.transpose(-2, -1))[..., :num_tokens]  # the 1/√D scale keeps the order
        num_keys = self.num_keys(num_tokens)
        if num_keys == num_tokens:
            return scores.zero_()
        kept = scores.topk(num_keys, dim=-1, sorted=False).indices
        return scores.fill_(torch.finfo(scores.dtype).min).scatter_(-1, kept, 0.)

    def topk_mask(self, q: torch.Tensor, k: torch.Tensor) -> torch.Tensor:
        """(B, h, N, N) bool: True where a key is among its query's K largest logits."""
        return self.topk_bias(q, k) == 0

    def topk_attention(self, q: torch.Tensor, k: torch.Tensor, v: torch.Tensor,
                       dropout_p: float = 0.) -> torch.Tensor:
        """The attention core: TopK mask, then fused SDPA.

        mmpretrain's ``MultiheadAttention.forward`` calls it in place of dense
        SDPA (as ``self.scaled_dot_product_attention``), so the projections and
        parameter names are mmpretrain's.

        Args:
            q (Tensor): (B, h, N, D) queries.
            k (Tensor): (B, h, N, D) keys.
            v (Tensor): (B, h, N, D) values.
            dropout_p (float): Attention dropout. Defaults to 0.

        Returns:
            Tensor: (B, h, N, D).
        """
        bias = self.topk_bias(q, k)
        if self.record_topk:
            self.last_topk = bias == 0
        return F.scaled_dot_product_attention(q, k, v, attn_mask=bias, dropout_p=dropout_p)
