"""MIMViT: the ViT encoder every pretrainer of the toolkit runs."""
from typing import List, Optional, Sequence, Tuple, Union

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F
from mmpretrain.models import VisionTransformer
from mmpretrain.models.utils import (build_2d_sincos_position_embedding, build_norm_layer,
                                     resize_pos_embed)

from mimtoolkit.registry import MODELS, register_part
from mimtoolkit.structures import EncoderOutput, MaskInfo
from mimtoolkit.utils import load_pretrained_backbone, require

#: Key prefixes of MIMViT modules only pretraining runs (mask token, segment embeddings,
#: SemanticMIM's [MASK] branch): transfer backbones may be built without them.
PRETRAINING_ONLY_KEYS = ('mask_token', 'segment_embed', 'mask_layers.')
#: Readouts of the [CLS] slot with SemanticMIM proxies.
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
      Masked patches are dropped (MAE), or replaced by a learned mask token when
      ``use_mask_token=True`` (MaskFeat, BEiT, SimMIM).
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
        num_proxy_tokens (int): SemanticMIM's [PROXY] tokens N (0: none). The
            [CLS] token becomes the first proxy and N - 1 more are learned
            (``proxy_tokens``, initialised like [CLS]); proxies have no
            position embedding. Downstream, ``proxy_readout`` fills the [CLS] slot.
        proxy_block (dict, optional): With proxies, the registered ``'block'``
            part of the reconstruction branch (b), one per layer
            (``mask_layers.N``): in pretraining the layers see [PROXY] +
            visible [IMG] only and the [MASK] tokens cross-attend to [PROXY] +
            [MASK] (see :meth:`encode`); one final norm ``ln1`` serves every
            token, [MASK] included (the official bottleneck ViTs), so ``ln1``
            is trained by the [MASK] loss. None: no branch (the transferred
            backbone). Defaults to ``dict(type='ProxyBlock')``.
        proxy_readout (str): With proxies, what fills the [CLS] slot of the
            unmasked output: ``'mean'`` (default; the official readout: the
            average of all N proxies, and for ``out_type='cls_token'`` then
            the norm ``ln2``) or ``'first'`` (the first proxy alone, no norm).
        with_cls_token (bool): Prepend a [CLS] token (with its position row).
            False: patch tokens only (ConvMAE); no proxies then. Defaults to True.
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

    #: Whether an output token depends on other patches' pixels before attention (ConvViT).
    convolves_across_patches = False
    #: {key: what it was} of checkpoints written before a layout change (see :meth:`check_layout`).
    legacy_keys = LEGACY_KEYS

    arch_zoo = {
        **VisionTransformer.arch_zoo,
        # a small encoder for CPU configs: DeiT-Tiny's width, half its depth
        'mim-tiny': dict(embed_dims=192, num_layers=6, num_heads=3, feedforward_channels=768),
    }

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
        self._add_proxies(num_proxy_tokens, proxy_block, drop_rate, drop_path_rate, qkv_bias,
                          layer_scale_init_value)
        require(proxy_readout in PROXY_READOUTS, 'backbone.proxy_readout', proxy_readout,
                f'one of {PROXY_READOUTS}')
        self.proxy_readout = proxy_readout
        if num_proxy_tokens and proxy_readout == 'mean' and out_type == 'cls_token':
            self.ln2 = build_norm_layer(norm_cfg, self.embed_dims)
        if self.frozen_stages > 0:  # again, now that the proxies exist
            self._freeze_stages()

    def _add_proxies(self, num_proxy_tokens, proxy_block, drop_rate, drop_path_rate, qkv_bias,
                     layer_scale_init_value) -> None:
        """[PROXY] tokens and, for pretraining, the [MASK] branch's layers."""
        require(isinstance(num_proxy_tokens, int) and num_proxy_tokens >= 0,
                'backbone.num_proxy_tokens', num_proxy_tokens, 'an int >= 0 (0: no proxies)')
        require(not num_proxy_tokens or self.with_cls_token, 'backbone.num_proxy_tokens',
                num_proxy_tokens, f'0 for {type(self).__name__} without a [CLS] token (the '
                'first proxy takes its place)')
        self.num_proxy_tokens = num_proxy_tokens
        self.with_proxy_branch = bool(num_proxy_tokens) and proxy_block is not None
        if num_proxy_tokens > 1:
            self.proxy_tokens = nn.Parameter(torch.zeros(1, num_proxy_tokens - 1, self.embed_dims))
        if not self.with_proxy_branch:
            return
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

    @property
    def num_leading_tokens(self) -> int:
        """int: Tokens before the patch tokens: [CLS], or the N proxies."""
        return self.num_proxy_tokens or self.num_extra_tokens

    def _leading_tokens(self, batch_size: int, pos_embed: torch.Tensor) -> torch.Tensor:
        """(B, 0, 1 or N, C): none, [CLS] + its position embedding, or the proxies
        (no position)."""
        if self.cls_token is None:
            return pos_embed.new_zeros(batch_size, 0, self.embed_dims)
        if not self.num_proxy_tokens:
            return (self.cls_token + pos_embed[:, :1]).expand(batch_size, -1, -1)
        tokens = self.cls_token
        if self.num_proxy_tokens > 1:
            tokens = torch.cat([tokens, self.proxy_tokens], dim=1)
        return tokens.expand(batch_size, -1, -1)

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
        if self.num_proxy_tokens > 1:
            nn.init.normal_(self.proxy_tokens, std=.02)
        if self.with_proxy_branch and not self.use_mask_token:
            nn.init.trunc_normal_(self.mask_token, std=.02)

    def patch_grid(self, img_hw: Sequence[int]) -> Tuple[int, int]:
        """The patch grid (h, w) of an input of spatial size ``img_hw``."""
        return img_hw[0] // self.patch_size, img_hw[1] // self.patch_size

    def encode(self,
               x: torch.Tensor,
               mask_info: Optional[MaskInfo] = None,
               return_layers: Sequence[int] = (),
               segments: Optional[torch.Tensor] = None) -> EncoderOutput:
        """Encode an image batch, optionally masked.

        Args:
            x (Tensor): (B, C, H, W) images.
            mask_info (MaskInfo, optional): The mask on the (H/p)·(W/p) grid;
                None encodes every patch.
            return_layers (Sequence[int]): 0-based layers whose outputs to
                return in ``hidden_states``.
            segments (Tensor, optional): (B, L) long source slot of every
                patch (a patch mixer's); adds the slot's segment embedding.

        Returns:
            EncoderOutput: ``tokens`` (B, 1 + N, C) with N = visible patches
            (dropped masking), or N = L (mask token, or no mask).
        """
        x, hw = self.patch_embed(x)
        return self.encode_patches(x, hw, mask_info, return_layers, segments)

    def encode_patches(self,
                       x: torch.Tensor,
                       hw: Tuple[int, int],
                       mask_info: Optional[MaskInfo] = None,
                       return_layers: Sequence[int] = (),
                       segments: Optional[torch.Tensor] = None,
                       residual: Optional[torch.Tensor] = None) -> EncoderOutput:
        """The transformer part of :meth:`encode`, from patch embeddings on.

        Args:
            x (Tensor): (B, L, C) patch embeddings, raster order.
            hw (tuple[int, int]): Their grid.
            mask_info, return_layers, segments: See :meth:`encode`.
            residual (Tensor, optional): (B, L, C) one token per patch, added
                to the encoded patch tokens just before the final norm
                (:meth:`add_before_final_norm`; ConvMAE's multi-scale fusion).

        Returns:
            EncoderOutput: See :meth:`encode`.
        """
        B = x.shape[0]
        pos_embed = resize_pos_embed(self.pos_embed, self.patch_resolution, hw,
                                     self.interpolate_mode, self.num_extra_tokens)
        patch_pos = pos_embed[:, self.num_extra_tokens:]
        branch = mask_info is not None and self.with_proxy_branch
        if mask_info is not None and self.use_mask_token and not branch:
            w = mask_info.mask.unsqueeze(-1).to(x.dtype)
            x = x * (1 - w) + self.mask_token.to(x.dtype) * w
        x = x + patch_pos
        if segments is not None:
            require(self.num_segments > 0, 'backbone.num_segments', self.num_segments,
                    'the number of source slots (> 0) to add segment embeddings')
            # a lookup whose backward sums in a fixed order (indexing's backward
            # accumulates in parallel on CPU and is not repeatable)
            x = x + F.embedding(segments, self.segment_embed[0]).to(x.dtype)
        masks = None
        if branch:  # [MASK] = mask token + position embedding at the masked patches
            masks = mask_info.gather_masked((self.mask_token + patch_pos).expand(B, -1, -1))
        if mask_info is not None and (branch or not self.use_mask_token):
            x = mask_info.gather_visible(x)
        lead = self.num_leading_tokens
        x = torch.cat((self._leading_tokens(B, pos_embed), x), dim=1)
        x = self.pre_norm(self.drop_after_pos(x))

        hidden_states, fused = {}, None
        for i, layer in enumerate(self.layers):
            x = layer(x)  # (a): [CLS/PROXY] + [IMG] only
            if masks is not None:  # (b): [MASK] queries [PROXY] + [MASK]
                masks = self.mask_layers[i](x[:, :lead], masks)
            if i in return_layers:
                hidden_states[i] = x
            if i in self.fusion_layers:
                fused = x if fused is None else fused + x
        if fused is not None:
            x = fused
        if residual is not None:
            x = self.add_before_final_norm(x, residual, mask_info, lead)
        if self.final_norm:  # one final norm for every token, [MASK] included
            x = self.ln1(x)
            masks = None if masks is None else self.ln1(masks)
        if masks is not None:  # every patch in raster order: visible from (a), masked from (b)
            patches = torch.cat([x[:, lead:], masks], dim=1)
            index = mask_info.ids_restore.unsqueeze(-1).expand(-1, -1, x.shape[-1])
            x = torch.cat([x[:, :lead], torch.gather(patches, 1, index)], dim=1)
        return EncoderOutput(tokens=x, mask_info=mask_info, hidden_states=hidden_states,
                             num_extra_tokens=lead)

    def add_before_final_norm(self, x: torch.Tensor, residual: torch.Tensor,
                              mask_info: Optional[MaskInfo], lead: int) -> torch.Tensor:
        """The encoder's tokens plus per-patch ``residual``, before the final norm.

        Args:
            x (Tensor): (B, lead + N, C) the last layer's (or fused) tokens.
            residual (Tensor): (B, L, C) one token per patch, raster order.
            mask_info (MaskInfo, optional): The mask; with dropped patches the
                residual is gathered at the visible ones (``ids_keep`` order).
            lead (int): Leading tokens (none get a residual).

        Returns:
            Tensor: (B, lead + N, C).
        """
        if mask_info is not None and not self.use_mask_token:
            residual = mask_info.gather_visible(residual)
        return torch.cat([x[:, :lead], x[:, lead:] + residual.to(x.dtype)], dim=1)

    def forward(self, x: torch.Tensor, mask_info: Optional[MaskInfo] = None):
        """Masked pretraining path, or mmpretrain's path for transfer.

        Args:
            x (Tensor): (B, C, H, W) images.
            mask_info (MaskInfo, optional): Given: :meth:`encode`. None: the
                tuple of ``out_indices`` features, shaped by ``out_type``. With
                proxies, the [CLS] slot holds the ``proxy_readout``: the mean
                of the N proxies (``'cls_token'``: then ``ln2``, as the
                official SemanticMIM ViTs) or the first proxy (``'raw'`` is
                that readout + the patch tokens).
        """
        if mask_info is not None:
            return self.encode(x, mask_info)
        if not self.num_proxy_tokens:
            return super().forward(x)
        # with proxies: mmpretrain's output formats, the first proxy in the [CLS] slot
        x, hw = self.patch_embed(x)
        encoded = self.encode_patches(x, hw, return_layers=self.out_indices)
        lead, outs = self.num_proxy_tokens, []
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
        if param_name in (prefix + 'mask_token', prefix + 'segment_embed', prefix + 'proxy_tokens'):
            return 0, self.num_layers + 2
        if param_name.startswith(prefix + 'mask_layers.'):
            return int(param_name[len(prefix):].split('.')[1]) + 1, self.num_layers + 2
        return super().get_layer_depth(param_name, prefix)

    def _freeze_stages(self) -> None:
        """mmpretrain's freezing, plus the proxy tokens with the stem and, all layers
        frozen, the proxies' readout norm (as mmpretrain freezes ``ln2`` of pooled features)."""
        super()._freeze_stages()
        if self.frozen_stages > 0 and getattr(self, 'proxy_tokens', None) is not None:
            self.proxy_tokens.requires_grad = False
        if self.frozen_stages == self.num_layers and hasattr(self, 'ln2'):
            self.ln2.eval()
            self.ln2.requires_grad_(False)
