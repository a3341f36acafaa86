"""ProxyViT: MIMViT with SemanticMIM's [PROXY] tokens and [MASK] branch."""
from typing import Optional

import numpy as np
import torch
import torch.nn as nn
from mmpretrain.models.utils import build_norm_layer

from mimtoolkit.registry import MODELS, register_part
from mimtoolkit.structures import MaskInfo
from mimtoolkit.utils import require
from .mim_vit import MIMViT
from .token_flow import TokenFlow


@register_part('backbone')
class ProxyViT(MIMViT):
    """SemanticMIM's encoder (§3): [PROXY] tokens lead, a [MASK] branch reconstructs.

    The stages it changes (the rest are :class:`MIMViT`'s):

    - :meth:`leading_tokens`: the N proxies (the [CLS] token is the first,
      ``proxy_tokens`` the other N - 1; no position embedding);
    - :meth:`apply_mask`: with the branch, the layers see the visible [IMG]
      tokens only, and the [MASK] tokens (mask token + position) go to the
      branch instead;
    - :meth:`run_layer`: (a) layer ``i`` on [PROXY] + [IMG], then (b) the
      branch's ``mask_layers[i]``: [MASK] queries cross-attend to [PROXY] +
      [MASK];
    - :meth:`final_normalize`: one final norm ``ln1`` for every token, [MASK]
      included (the official bottleneck ViTs);
    - :meth:`split_patches`: the [MASK] tokens are the output at the masked patches.

    Downstream (``forward`` without a mask) ``proxy_readout`` fills the [CLS]
    slot of mmpretrain's output formats. ``MIMViT(num_proxy_tokens=N)`` with
    N > 0 builds this class (configs name either).

    Args:
        num_proxy_tokens (int): N >= 1.
        proxy_block (dict, optional): The registered ``'block'`` part of the
            [MASK] branch, one per layer (``mask_layers.N``); None: no branch
            (the transferred backbone). Defaults to ``dict(type='ProxyBlock')``.
        proxy_readout (str): What fills the [CLS] slot of the unmasked output:
            ``'mean'`` (default; the official readout: the average of the N
            proxies, and for ``out_type='cls_token'`` then the norm ``ln2``)
            or ``'first'`` (the first proxy alone, no norm).
        **kwargs: :class:`MIMViT`'s arguments (``with_cls_token`` must stay True).
    """

    #: Where it comes from: the paper and section it implements.
    source = 'SemanticMIM (§3): [PROXY] tokens and the [MASK] cross-attention branch'

    def __init__(self,
                 num_proxy_tokens: int = 8,
                 proxy_block: Optional[dict] = dict(type='ProxyBlock'),
                 proxy_readout: str = 'mean',
                 **kwargs) -> None:
        require(isinstance(num_proxy_tokens, int) and num_proxy_tokens >= 1,
                'backbone.num_proxy_tokens', num_proxy_tokens,
                "an int >= 1 (no proxies: type='MIMViT')")
        require(kwargs.get('with_cls_token', True), 'backbone.with_cls_token', False,
                'True for ProxyViT (the first proxy takes the [CLS] token\'s place)')
        super().__init__(proxy_readout=proxy_readout, **kwargs)
        self.num_proxy_tokens = num_proxy_tokens
        self.proxy_readout = proxy_readout
        if num_proxy_tokens > 1:
            self.proxy_tokens = nn.Parameter(torch.zeros(1, num_proxy_tokens - 1, self.embed_dims))
        self.with_proxy_branch = proxy_block is not None
        if self.with_proxy_branch:
            self._build_branch(proxy_block, kwargs.get('drop_rate', 0.),
                               kwargs.get('drop_path_rate', 0.), kwargs.get('qkv_bias', True),
                               kwargs.get('layer_scale_init_value', 0.))
        if proxy_readout == 'mean' and self.out_type == 'cls_token':
            self.ln2 = build_norm_layer(self.norm_cfg, self.embed_dims)
        if self.frozen_stages > 0:  # again, now that the proxies exist
            self._freeze_stages()

    def _build_branch(self, proxy_block: dict, drop_rate: float, drop_path_rate: float,
                      qkv_bias: bool, layer_scale_init_value: float) -> None:
        """The [MASK] branch: a mask token (unless there is one) and a block per layer."""
        if not self.use_mask_token:
            self.mask_token = nn.Parameter(torch.zeros(1, 1, self.embed_dims))
        dpr = np.linspace(0, drop_path_rate, self.num_layers)
        self.mask_layers = nn.ModuleList(
            MODELS.build(dict(
                dict(embed_dims=self.embed_dims, num_heads=self.arch_settings['num_heads'],
                     feedforward_channels=self.arch_settings['feedforward_channels'],
                     drop_rate=drop_rate, drop_path_rate=float(dpr[i]), qkv_bias=qkv_bias,
                     layer_scale_init_value=layer_scale_init_value, norm_cfg=self.norm_cfg),
                **proxy_block)) for i in range(self.num_layers))

    def _init_mim_weights(self) -> None:
        """MIMViT's init, then the proxies (like [CLS]) and the branch's mask token."""
        super()._init_mim_weights()
        if self.num_proxy_tokens > 1:
            nn.init.normal_(self.proxy_tokens, std=.02)
        if self.with_proxy_branch and not self.use_mask_token:
            nn.init.trunc_normal_(self.mask_token, std=.02)

    @property
    def num_leading_tokens(self) -> int:
        """int: The N proxies."""
        return self.num_proxy_tokens

    @property
    def gives_masked_tokens(self) -> bool:
        """bool: With the [MASK] branch (or ``use_mask_token``), tokens at the masked patches."""
        return self.with_proxy_branch or self.use_mask_token

    def leading_tokens(self, flow: TokenFlow) -> torch.Tensor:
        """(B, N, C) the proxies, [CLS] first (no position embedding)."""
        tokens = self.cls_token
        if self.num_proxy_tokens > 1:
            tokens = torch.cat([tokens, self.proxy_tokens], dim=1)
        return tokens.expand(flow.batch_size, -1, -1)

    def branch_runs(self, flow: TokenFlow) -> bool:
        """bool: Whether this call runs the [MASK] branch (a mask and a branch to run)."""
        return flow.mask_info is not None and self.with_proxy_branch

    def apply_mask(self, flow: TokenFlow) -> None:
        """With the branch: (B, L, C) -> the visible (B, N_vis, C), and the [MASK]
        queries (B, L − N_vis, C) at the masked patches to ``flow.queries``."""
        if not self.branch_runs(flow):
            return super().apply_mask(flow)
        flow.queries = flow.mask_info.gather_masked(self.mask_queries(flow))
        flow.tokens = flow.mask_info.gather_visible(flow.tokens)

    def run_layer(self, i: int, flow: TokenFlow) -> None:
        """(a) [PROXY] + [IMG] through layer ``i``; (b) [MASK] queries [PROXY] + [MASK]."""
        super().run_layer(i, flow)
        if flow.queries is not None:
            flow.queries = self.mask_layers[i](flow.tokens[:, :flow.num_leading], flow.queries)

    def final_normalize(self, flow: TokenFlow) -> None:
        """One final norm for every token, [MASK] included."""
        super().final_normalize(flow)
        if self.final_norm and flow.queries is not None:
            flow.queries = self.ln1(flow.queries)

    def split_patches(self, flow: TokenFlow):
        """With the branch: the layers' visible tokens, and the branch's [MASK] tokens at the
        masked patches."""
        if flow.queries is None:
            return super().split_patches(flow)
        return flow.tokens[:, flow.num_leading:], flow.queries, None

    def forward(self, x: torch.Tensor, mask_info: Optional[MaskInfo] = None):
        """Masked pretraining path, or mmpretrain's output formats with the
        ``proxy_readout`` in the [CLS] slot.

        Args:
            x (Tensor): (B, C, H, W) images.
            mask_info (MaskInfo, optional): Given: :meth:`encode`. None: the
                tuple of ``out_indices`` features, shaped by ``out_type``: the
                mean of the N proxies (``'cls_token'``: then ``ln2``, as the
                official SemanticMIM ViTs) or the first proxy (``'raw'`` is
                that readout + the patch tokens).
        """
        if mask_info is not None:
            return self.encode(x, mask_info)
        encoded = self.encode(x, return_layers=self.out_indices)
        lead, outs = self.num_proxy_tokens, []
        hw = self.patch_grid(x.shape[-2:])
        for i in self.out_indices:
            tokens = encoded.hidden_states[i]
            if i == self.num_layers - 1 and self.final_norm:
                tokens = self.ln1(tokens)
            readout = tokens[:, :lead].mean(1, keepdim=True) if self.proxy_readout == 'mean' \
                else tokens[:, :1]
            if self.out_type == 'cls_token' and self.proxy_readout == 'mean':
                outs.append(self.ln2(readout[:, 0]))
                continue
            outs.append(self._format_output(torch.cat([readout, tokens[:, lead:]], 1), hw))
        return tuple(outs)

    def get_layer_depth(self, param_name: str, prefix: str = ''):
        """MIMViT's depths; the proxies with the stem, ``mask_layers.i`` with layer i."""
        if param_name == prefix + 'proxy_tokens':
            return 0, self.num_layers + 2
        if param_name.startswith(prefix + 'mask_layers.'):
            return int(param_name[len(prefix):].split('.')[1]) + 1, self.num_layers + 2
        return super().get_layer_depth(param_name, prefix)

    def _freeze_stages(self) -> None:
        """MIMViT's freezing, plus the proxy tokens with the stem and, all layers
        frozen, the proxies' readout norm (as mmpretrain freezes ``ln2`` of pooled features)."""
        super()._freeze_stages()
        if self.frozen_stages > 0 and 'proxy_tokens' in self._parameters:
            self.proxy_tokens.requires_grad = False
        if self.frozen_stages == self.num_layers and 'ln2' in self._modules:
            self.ln2.eval()
            self.ln2.requires_grad_(False)
