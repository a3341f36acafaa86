"""MIMViT: the ViT encoder every pretrainer of the toolkit runs."""
import functools
import operator
from typing import List, Optional, Sequence, Tuple, Union

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F
from mmpretrain.models import VisionTransformer
from mmpretrain.models.utils import (build_2d_sincos_position_embedding,
                                     resize_pos_embed)

from mimtoolkit.registry import MODELS, register_part
from mimtoolkit.structures import EncoderOutput, MaskInfo
from mimtoolkit.utils import load_pretrained_backbone, require
from .token_flow import TokenFlow

#: Key prefixes of MIMViT modules only pretraining runs (mask token, segment embeddings,
#: SemanticMIM's [MASK] branch): transfer backbones may be built without them.
PRETRAINING_ONLY_KEYS = ('mask_token', 'segment_embed', 'mask_layers.')
#: Readouts of the [CLS] slot with SemanticMIM proxies (:class:`ProxyViT`).
PROXY_READOUTS = ('mean', 'first')
#: Keys of checkpoints written before SemanticMIM's [MASK] branch shared the final norm.
LEGACY_KEYS = {'mask_norm.weight': 'a separate final norm of the [MASK] branch (mask_norm)'}

_DEFAULT_INIT = [
    dict(type='Xavier', distribution='uniform', layer='Linear'),
    dict(type='Constant', layer='LayerNorm', val=1.0, bias=0.0)
]


@register_part('backbone')
class MIMViT(VisionTransformer):
    """Vision Transformer for masked image modeling.

    A subclass of mmpretrain's ``VisionTransformer``, so parameter names are
    mmpretrain's (``patch_embed.projection``, ``cls_token``, ``pos_embed``,
    ``layers.N.{ln1,attn.qkv,attn.proj,ln2,ffn.layers.0.0,ffn.layers.1}``,
    ``ln1``): an mmpretrain MAE checkpoint loads unchanged, and layer-wise lr
    decay works. Position embeddings of checkpoints at another resolution are
    interpolated on load.

    Two forward paths:

    - ``encode(x, mask_info)`` for pretraining returns an :class:`EncoderOutput`.
      It runs one token flow in named stages (as timm's ``VisionTransformer``
      names ``_pos_embed``, ``patch_drop``, ``norm_pre``...), each a method a
      variant overrides (ConvViT: :meth:`embed`, :meth:`before_final_norm`;
      ProxyViT: :meth:`leading_tokens`, :meth:`apply_mask`, :meth:`run_layer`,
      :meth:`final_normalize`, :meth:`split_patches`):

      1. :meth:`embed`: patch embeddings + positions (+ segment embeddings);
      2. :meth:`apply_mask`: drop the masked patches (MAE), or replace them
         by [MASK] when ``use_mask_token=True`` (MaskFeat, BEiT, SimMIM);
      3. :meth:`prepend_leading`: [CLS] (or nothing), then the pre-norm;
      4. :meth:`run_layers`: each layer (:meth:`run_layer`; attention per layer);
      5. :meth:`before_final_norm`: multi-layer fusion (MR-MAE);
      6. :meth:`final_normalize`: ``ln1``;
      7. :meth:`readout`: the :class:`EncoderOutput`, by part (:meth:`split_patches`).
    - ``forward(x)`` with no mask is mmpretrain's ``VisionTransformer.forward``
      (a tuple of features at ``out_indices``, shaped by ``out_type``) for
      transfer and feature extraction.

    Args:
        arch (str | dict): mmpretrain arch name (``'s'``, ``'b'``, ``'l'``,
            ``'deit-tiny'``...), ``'mim-tiny'`` (192 wide, 6 layers), or a dict
            with ``embed_dims``, ``num_layers``,
            ``num_heads``, ``feedforward_channels``.
        img_size (int): Input size; ``patch_size`` must divide it.
        patch_size (int): Patch size.
        use_mask_token (bool): Replace masked patches by a mask token instead
            of dropping them. Defaults to False.
        sincos_pos_embed (bool): Fixed 2-D sin-cos position embedding (MAE);
            False makes it learnable (trunc-normal init). Defaults to True.
        num_segments (int): Learned segment embeddings, one per source slot
            of a patch mixer, added to the patch embeddings beside the
            position embedding when ``encode`` gets ``segments``. 0 (default):
            none.
        attn_cfgs (dict | list[dict], optional): Attention of each layer, as a
            registered ``'attention'`` part config (one dict for all layers, or
            one per layer). The layer's sizes, dropout and drop path are filled
            in. Defaults to dense attention everywhere.
        fusion_layers (Sequence[int], optional): Multi-layer fusion (MR-MAE):
            ``encode`` returns the final norm of the element-wise sum of these
            0-based layers' outputs instead of the last layer's. The last
            layer must be one of them (the layers after the deepest one
            would run for nothing). Defaults to None (the last layer alone).
            The unmasked ``forward`` for transfer is unchanged.
        num_proxy_tokens (int): SemanticMIM's [PROXY] tokens N. N > 0 builds
            the variant :class:`ProxyViT` (whose arguments ``proxy_block`` and
            ``proxy_readout`` are), so a config writes SemanticMIM as MIMViT
            with proxies, as the official code's switch; or name
            ``type='ProxyViT'``. Defaults to 0 (none).
        proxy_block (dict, optional): See :class:`ProxyViT` (unused without proxies).
        proxy_readout (str): See :class:`ProxyViT` (unused without proxies).
        with_cls_token (bool): Prepend a [CLS] token (with its position row).
            False: patch tokens only (ConvMAE). Defaults to True.
        out_type (str): Output of the unmasked path: ``'raw'``, ``'cls_token'``,
            ``'featmap'`` or ``'avg_featmap'``. Defaults to ``'raw'``.
        **kwargs: The other ``VisionTransformer`` arguments (``out_indices``,
            ``drop_rate``, ``drop_path_rate``, ``qkv_bias``, ``norm_cfg``,
            ``final_norm``, ``interpolate_mode``, ``layer_scale_init_value``,
            ``patch_cfg``, ``layer_cfgs``, ``pre_norm``, ``frozen_stages``).
    """

    #: Where it comes from: the paper and section it implements.
    source = ("ViT (Dosovitskiy et al. 2021) with MAE's masking; SemanticMIM proxies (§3), "
              'MixedAE segment embeddings, ConvMAE fusion')
    #: Values a config may give each enumerated argument (what the checks allow).
    choices = dict(proxy_readout=PROXY_READOUTS)
    #: SemanticMIM's [PROXY] tokens (:class:`ProxyViT`); none here.
    num_proxy_tokens = 0

    #: Whether an output token depends on other patches' pixels before attention (ConvViT).
    convolves_across_patches = False
    #: {key: what it was} of checkpoints written before a layout change (see :meth:`check_layout`).
    legacy_keys = LEGACY_KEYS

    arch_zoo = {
        **VisionTransformer.arch_zoo,
        # a small encoder for CPU configs: DeiT-Tiny's width, half its depth
        'mim-tiny': dict(embed_dims=192, num_layers=6, num_heads=3, feedforward_channels=768),
    }

    def __new__(cls, *args, **kwargs):
        """MIMViT with ``num_proxy_tokens=N > 0`` is a :class:`ProxyViT` (the variant with
        SemanticMIM's stages); every other MIMViT (and subclass) is itself."""
        proxies = kwargs.get('num_proxy_tokens', 0)
        if cls is MIMViT and isinstance(proxies, int) and proxies > 0:
            cls = MODELS.get('ProxyViT')
        return super().__new__(cls)

    def __init__(self,
                 arch: Union[str, dict] = 'b',
                 img_size: int = 224,
                 patch_size: int = 16,
                 use_mask_token: bool = False,
                 sincos_pos_embed: bool = True,
                 num_segments: int = 0,
                 attn_cfgs: Optional[Union[dict, List[dict]]] = None,
                 fusion_layers: Optional[Sequence[int]] = None,
                 num_proxy_tokens: int = 0,
                 proxy_block: Optional[dict] = dict(type='ProxyBlock'),
                 proxy_readout: str = 'mean',
                 with_cls_token: bool = True,
                 out_type: str = 'raw',
                 norm_cfg: dict = dict(type='LN', eps=1e-6),
                 drop_rate: float = 0.,
                 drop_path_rate: float = 0.,
                 qkv_bias: bool = True,
                 layer_scale_init_value: float = 0.,
                 init_cfg: Optional[Union[dict, List[dict]]] = _DEFAULT_INIT,
                 **kwargs) -> None:
        require(isinstance(num_proxy_tokens, int) and num_proxy_tokens >= 0,
                'backbone.num_proxy_tokens', num_proxy_tokens,
                'an int >= 0 (0: no proxies; N > 0 builds a ProxyViT)')
        require(num_proxy_tokens == 0, 'backbone.num_proxy_tokens',
                num_proxy_tokens, f'0 for {type(self).__name__} (SemanticMIM\'s proxies are '
                "ProxyViT's stages, which lead with the [CLS] token's place)")
        require(proxy_readout in PROXY_READOUTS, 'backbone.proxy_readout', proxy_readout,
                f'one of {PROXY_READOUTS}')
        require(isinstance(patch_size, int) and patch_size > 0, 'backbone.patch_size',
                patch_size, 'a positive int')
        for side in ((img_size, ) if isinstance(img_size, int) else img_size):
            require(side % patch_size == 0, 'backbone.img_size', img_size,
                    f'a multiple of backbone.patch_size={patch_size}')
        require(isinstance(arch, (str, dict)), 'backbone.arch', arch,
                f'one of {sorted(self.arch_zoo)} or a dict')
        self.sizes_of(arch)
        super().__init__(
            arch=arch,
            img_size=img_size,
            patch_size=patch_size,
            out_type=out_type,
            norm_cfg=norm_cfg,
            drop_rate=drop_rate,
            drop_path_rate=drop_path_rate,
            qkv_bias=qkv_bias,
            layer_scale_init_value=layer_scale_init_value,
            with_cls_token=with_cls_token,
            init_cfg=init_cfg,
            **kwargs)
        self.patch_size = patch_size
        self.norm_cfg = norm_cfg
        self.sincos_pos_embed = sincos_pos_embed
        self.pos_embed.requires_grad = not sincos_pos_embed
        self.use_mask_token = use_mask_token
        if use_mask_token:
            self.mask_token = nn.Parameter(torch.zeros(1, 1, self.embed_dims))
        require(isinstance(num_segments, int) and num_segments >= 0, 'backbone.num_segments',
                num_segments, 'an int >= 0')
        self.num_segments = num_segments
        if num_segments:
            self.segment_embed = nn.Parameter(torch.zeros(1, num_segments, self.embed_dims))
        self._replace_attention(attn_cfgs, drop_rate, drop_path_rate, qkv_bias,
                                layer_scale_init_value)
        self.fusion_layers = self._check_fusion_layers(fusion_layers)
        if self.frozen_stages > 0:  # again, now that every module exists (the attention
            self._freeze_stages()   # variants, the position embedding's requires_grad)

    def _check_fusion_layers(self, fusion_layers: Optional[Sequence[int]]) -> Tuple[int, ...]:
        if fusion_layers is None:
            return ()
        last = self.num_layers - 1
        require(
            isinstance(fusion_layers, (list, tuple)) and len(fusion_layers) > 0
            and all(isinstance(i, int) and 0 <= i <= last for i in fusion_layers)
            and len(set(fusion_layers)) == len(fusion_layers) and last in fusion_layers,
            'backbone.fusion_layers', fusion_layers,
            f'distinct 0-based layer indices in [0, {last}] that include the last layer {last}')
        return tuple(sorted(fusion_layers))

    @classmethod
    def sizes_of(cls, arch: Union[str, dict]) -> dict:
        """The sizes of an arch name or dict (``embed_dims``, ``num_layers``, ...)."""
        if isinstance(arch, dict):
            return arch
        require(arch.lower() in cls.arch_zoo, 'backbone.arch', arch,
                f'one of {sorted(cls.arch_zoo)} or a dict')
        return cls.arch_zoo[arch.lower()]

    def _replace_attention(self, attn_cfgs, drop_rate, drop_path_rate, qkv_bias,
                           layer_scale_init_value) -> None:
        """Swap the dense attention of the layers whose config names a variant."""
        if attn_cfgs is None:
            return
        if isinstance(attn_cfgs, dict):
            attn_cfgs = [attn_cfgs] * self.num_layers
        require(
            len(attn_cfgs) == self.num_layers, 'backbone.attn_cfgs', attn_cfgs,
            f'one dict, or a list of {self.num_layers} dicts (one per layer)')
        dpr = np.linspace(0, drop_path_rate, self.num_layers)
        for i, cfg in enumerate(attn_cfgs):
            if cfg.get('type', 'DenseAttention') in ('DenseAttention', 'mimtoolkit.DenseAttention'):
                continue
            full_cfg = dict(
                embed_dims=self.embed_dims,
                num_heads=self.arch_settings['num_heads'],
                proj_drop=drop_rate,
                dropout_layer=dict(type='DropPath', drop_prob=float(dpr[i])),
                qkv_bias=qkv_bias,
                layer_scale_init_value=layer_scale_init_value)
            full_cfg.update(cfg)
            self.layers[i].attn = MODELS.build(full_cfg)

    def init_weights(self) -> None:
        """MAE's init, or the weights of ``init_cfg=dict(type='Pretrained', ...)``.

        A ``Pretrained`` init_cfg loads strictly through
        :func:`~mimtoolkit.utils.load_pretrained_backbone`: every backbone
        tensor must be in the checkpoint (under ``prefix``, default
        ``'backbone.'``; a file without that prefix is taken as the backbone
        itself), tensors of :attr:`unused_in_transfer` modules are left out
        and logged, anything else that does not fit is a clear error.
        """
        pretrained = self.init_cfg if isinstance(self.init_cfg, dict) and \
            self.init_cfg.get('type') == 'Pretrained' else None
        if pretrained is not None:
            self.init_cfg = None
        super().init_weights()
        self._init_mim_weights()
        if pretrained is not None:
            self.init_cfg = pretrained
            load_pretrained_backbone(self, pretrained['checkpoint'],
                                     pretrained.get('prefix', 'backbone.'),
                                     self.unused_in_transfer, self.new_in_transfer)

    @property
    def unused_in_transfer(self) -> Tuple[str, ...]:
        """tuple[str]: Key prefixes of checkpoint tensors this backbone may lack.

        The pretraining-only modules it was built without: the mask token
        (unless ``use_mask_token``), segment embeddings (unless
        ``num_segments``), SemanticMIM's reconstruction branch (unless
        ``proxy_block``); and the final norm when ``final_norm=False``.
        """
        keys = tuple(k for k in PRETRAINING_ONLY_KEYS if not hasattr(self, k.rstrip('.')))
        return keys if self.final_norm else keys + ('ln1.', )

    @property
    def new_in_transfer(self) -> Tuple[str, ...]:
        """tuple[str]: Key prefixes of tensors pretraining never has: the norm of
        pooled features (``ln2``, with ``out_type='avg_featmap'``, or the proxies'
        mean readout with ``'cls_token'``)."""
        return ('ln2.', ) if hasattr(self, 'ln2') else ()

    def _init_mim_weights(self) -> None:
        """Sin-cos (or trunc-normal) position embedding, MAE's patch/token init."""
        if self.sincos_pos_embed:
            pos_embed = build_2d_sincos_position_embedding(
                self.patch_resolution, self.embed_dims, cls_token=self.with_cls_token)
            self.pos_embed.data.copy_(pos_embed.float())
        w = self.patch_embed.projection.weight.data
        nn.init.xavier_uniform_(w.view([w.shape[0], -1]))
        if self.cls_token is not None:
            nn.init.normal_(self.cls_token, std=.02)
        if self.use_mask_token:
            nn.init.trunc_normal_(self.mask_token, std=.02)
        if self.num_segments:
            nn.init.trunc_normal_(self.segment_embed, std=.02)

    def patch_grid(self, img_hw: Sequence[int]) -> Tuple[int, int]:
        """The patch grid (h, w) of an input of spatial size ``img_hw``."""
        return img_hw[0] // self.patch_size, img_hw[1] // self.patch_size

    @property
    def num_leading_tokens(self) -> int:
        """int: Tokens before the patch tokens: 1 ([CLS]) or 0."""
        return self.num_extra_tokens

    @property
    def gives_masked_tokens(self) -> bool:
        """bool: Whether a masked :meth:`encode` gives tokens at the masked patches
        (``EncoderOutput.masked``): here with ``use_mask_token``."""
        return self.use_mask_token

    def encode(self,
               x: torch.Tensor,
               mask_info: Optional[MaskInfo] = None,
               return_layers: Sequence[int] = (),
               segments: Optional[torch.Tensor] = None) -> EncoderOutput:
        """Encode an image batch, optionally masked: the named stages in order.

        Args:
            x (Tensor): (B, C, H, W) images.
            mask_info (MaskInfo, optional): The mask on the (H/p)·(W/p) grid;
                None encodes every patch.
            return_layers (Sequence[int]): 0-based layers whose outputs to
                return in ``hidden_states``.
            segments (Tensor, optional): (B, L) long source slot of every
                patch (a patch mixer's); adds the slot's segment embedding.

        Returns:
            EncoderOutput: The leading tokens, the tokens at the visible
            patches, and at the masked ones where the encoder has them.
        """
        return self.encode_flow(self.embed(x, mask_info, segments), return_layers)

    def encode_flow(self, flow: TokenFlow, return_layers: Sequence[int] = ()) -> EncoderOutput:
        """The stages after the embedding, on an embedded :class:`TokenFlow`."""
        flow.return_layers = return_layers
        self.apply_mask(flow)
        self.prepend_leading(flow)
        self.run_layers(flow)
        self.before_final_norm(flow)
        self.final_normalize(flow)
        return self.readout(flow)

    def embed(self, images: torch.Tensor, mask_info: Optional[MaskInfo] = None,
              segments: Optional[torch.Tensor] = None) -> TokenFlow:
        """Stage 1: patch embeddings + positions (+ segment embeddings).

        Args:
            images (Tensor): (B, C, H, W).
            mask_info (MaskInfo, optional): The mask (the plain patch embedding
                does not read it; ConvViT's masked convolutions do).
            segments (Tensor, optional): (B, L) source slots.

        Returns:
            TokenFlow: ``tokens`` (B, L, C) in raster order.
        """
        patches, hw = self.patch_embed(images)
        return self.flow_from_patches(patches, hw, mask_info, segments)

    def flow_from_patches(self, patches: torch.Tensor, hw: Tuple[int, int],
                          mask_info: Optional[MaskInfo] = None,
                          segments: Optional[torch.Tensor] = None) -> TokenFlow:
        """(B, L, C) patch embeddings plus the position (and segment) embeddings, as a flow."""
        pos = resize_pos_embed(self.pos_embed, self.patch_resolution, hw, self.interpolate_mode,
                               self.num_extra_tokens)
        tokens = patches + pos[:, self.num_extra_tokens:]
        if segments is not None:
            require(self.num_segments > 0, 'backbone.num_segments', self.num_segments,
                    'the number of source slots (> 0) to add segment embeddings')
            # a lookup whose backward sums in a fixed order (indexing's backward
            # accumulates in parallel on CPU and is not repeatable)
            tokens = tokens + F.embedding(segments, self.segment_embed[0]).to(tokens.dtype)
        return TokenFlow(tokens=tokens, hw=hw, pos=pos, mask_info=mask_info)

    def mask_queries(self, flow: TokenFlow) -> torch.Tensor:
        """(B, L, C) [MASK] + the position embedding at every patch."""
        patch_pos = flow.pos[:, self.num_extra_tokens:]
        return (self.mask_token.to(flow.tokens.dtype) + patch_pos).expand(
            flow.batch_size, -1, -1)

    def apply_mask(self, flow: TokenFlow) -> None:
        """Stage 2: drop the masked patches (B, L, C) -> (B, N_vis, C), or, with
        ``use_mask_token``, replace them by [MASK] + position (B, L, C)."""
        if flow.mask_info is None:
            return
        if self.use_mask_token:
            masked = flow.mask_info.mask.unsqueeze(-1).bool()
            flow.tokens = torch.where(masked, self.mask_queries(flow), flow.tokens)
        else:
            flow.tokens = flow.mask_info.gather_visible(flow.tokens)

    def leading_tokens(self, flow: TokenFlow) -> torch.Tensor:
        """(B, T, C) [CLS] + its position embedding (T = 1), or none (T = 0)."""
        if self.cls_token is None:
            return flow.tokens.new_zeros(flow.batch_size, 0, self.embed_dims)
        return (self.cls_token + flow.pos[:, :1]).expand(flow.batch_size, -1, -1)

    def prepend_leading(self, flow: TokenFlow) -> None:
        """Stage 3: (B, N, C) -> (B, T + N, C), then the dropout and pre-norm before the layers."""
        lead = self.leading_tokens(flow)
        flow.num_leading = lead.shape[1]
        flow.tokens = self.pre_norm(self.drop_after_pos(torch.cat((lead, flow.tokens), dim=1)))

    def run_layers(self, flow: TokenFlow) -> None:
        """Stage 4: every layer; keeps the outputs of ``return_layers`` and the fused layers."""
        keep = set(flow.return_layers) | set(self.fusion_layers)
        for i in range(self.num_layers):
            self.run_layer(i, flow)
            if i in keep:
                flow.hidden_states[i] = flow.tokens

    def run_layer(self, i: int, flow: TokenFlow) -> None:
        """Layer ``i`` (its attention part: dense or a variant) on (B, T + N, C)."""
        flow.tokens = self.layers[i](flow.tokens)

    def before_final_norm(self, flow: TokenFlow) -> None:
        """Stage 5: multi-layer fusion (MR-MAE): the sum of the ``fusion_layers`` outputs."""
        if self.fusion_layers:
            flow.tokens = functools.reduce(
                operator.add, [flow.hidden_states[i] for i in self.fusion_layers])

    def final_normalize(self, flow: TokenFlow) -> None:
        """Stage 6: the final norm ``ln1`` (when ``final_norm``)."""
        if self.final_norm:
            flow.tokens = self.ln1(flow.tokens)

    def readout(self, flow: TokenFlow) -> EncoderOutput:
        """Stage 7: the output by part: leading tokens, visible and (where there are) masked."""
        visible, masked, raster = self.split_patches(flow)
        return EncoderOutput(
            leading=flow.tokens[:, :flow.num_leading], visible=visible, masked=masked,
            mask_info=flow.mask_info,
            hidden_states={i: flow.hidden_states[i] for i in flow.return_layers},
            raster=raster)

    def split_patches(self, flow: TokenFlow) -> Tuple[torch.Tensor, Optional[torch.Tensor],
                                                      Optional[torch.Tensor]]:
        """The patch tokens as (visible (B, N_vis, C), masked (B, L − N_vis, C) or None,
        raster (B, L, C) or None): [MASK] tokens sit in raster order among the visible ones
        (kept as they are, so ``every_patch()`` need not restore the order); dropped ones are
        not there."""
        patches, mask_info = flow.tokens[:, flow.num_leading:], flow.mask_info
        if mask_info is not None and self.use_mask_token:
            return mask_info.gather_visible(patches), mask_info.gather_masked(patches), patches
        return patches, None, None

    def forward(self, x: torch.Tensor, mask_info: Optional[MaskInfo] = None):
        """Masked pretraining path, or mmpretrain's path for transfer.

        Args:
            x (Tensor): (B, C, H, W) images.
            mask_info (MaskInfo, optional): Given: :meth:`encode`. None: the
                tuple of ``out_indices`` features, shaped by ``out_type``.
        """
        if mask_info is not None:
            return self.encode(x, mask_info)
        return super().forward(x)

    def check_layout(self, state_dict: dict, field: str = 'checkpoint', prefix: str = '') -> None:
        """Refuse a checkpoint of a layout this version no longer has, in one clear error.

        Args:
            state_dict (dict): Weights (this backbone's under ``prefix``).
            field (str): The config key they came from.
            prefix (str): This backbone's key prefix in ``state_dict``.

        Raises:
            ConfigError: Naming what the old layout had and what to do.
        """
        legacy = [what for key, what in self.legacy_keys.items() if prefix + key in state_dict]
        require(not legacy, field, f'a {type(self).__name__} checkpoint with '
                f'{"; ".join(legacy)}', 'one written by this mimtoolkit version: it was made '
                'before that layout changed to match the official code and no longer loads '
                '(retrain it, or import official weights with tools/model_converters/import_*.py; '
                'see docs/mrmae.md, docs/semanticmim.md)')

    def _load_from_state_dict(self, state_dict, prefix, *args, **kwargs) -> None:
        """PyTorch's loading (resume, ``load_from``) after :meth:`check_layout`."""
        self.check_layout(state_dict, prefix=prefix)
        super()._load_from_state_dict(state_dict, prefix, *args, **kwargs)

    def get_layer_depth(self, param_name: str, prefix: str = ''):
        """Layer depth for layer-wise lr decay; mask token, segment embeddings: with the stem."""
        if param_name in (prefix + 'mask_token', prefix + 'segment_embed'):
            return 0, self.num_layers + 2
        return super().get_layer_depth(param_name, prefix)
