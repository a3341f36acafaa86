"""ConvViT: ConvMAE's masked convolution stages in front of MIMViT's transformer."""
import math
from typing import Optional, Sequence, Union

import torch
import torch.nn as nn
import torch.nn.functional as F

from mimtoolkit.registry import register_part
from mimtoolkit.structures import MaskInfo
from mimtoolkit.utils import require
from .masked_conv_stem import MaskedConvStem, drop_path_rates
from .mim_vit import LEGACY_KEYS, MIMViT
from .token_flow import TokenFlow

_SIZE_KEYS = ('embed_dims', 'depths', 'num_heads')


@register_part('backbone')
class ConvViT(MIMViT):
    """ConvMAE / MCMAE's hybrid encoder (Gao et al.), masked for MIM.

    The function of ConvMAE's encoder (``models_convmae.py``,
    ``MaskedAutoencoderConvViT.forward_encoder``) with mmpretrain names for
    the transformer stage:

    - stages 1-2: ``conv -> LayerNorm -> GELU`` patch embeddings and masked
      convolution blocks at 1/4 and 1/8 (``MaskedConvStem``), the mask drawn on
      the 1/16 grid and upsampled block-wise (multi-scale block-wise masking);
    - stage 3: ``conv -> LayerNorm -> GELU``, then ``Linear(d3, d3)``
      (``patch_embed.projection``, ConvMAE's ``patch_embed4``), + a (1, L, d3)
      position embedding, **no [CLS] token**, then MIMViT's transformer
      (``layers.N``: layer-wise lr decay and every encoder switch of MIMViT —
      attention per layer, fusion layers — work unchanged);
    - fusion before the final norm: ``ln1(x + fuse1(s1) + fuse2(s2))`` at the
      visible patches (:meth:`before_final_norm`).

    The pretraining decoder has no [CLS] row either: use
    ``PatchTokenMAEDecoder``. A pooled feature for classification is the mean
    of the patch tokens (``out_type='avg_featmap'``: ``ln2(mean)``, ConvMAE's
    ``global_pool`` with ``fc_norm``).

    ``forward(x)`` without a mask returns the dense maps of ConvMAE's own
    segmentation and detection backbones (``SEG/backbone/convmae.py``,
    ``DET/models/convmae.py``): ``(B, d1, H/4, W/4)`` (stage 1),
    ``(B, d2, H/8, W/8)`` (stage 2), the transformer's tokens
    ``(B, d3, H/16, W/16)`` with no stage fusion and, with
    ``final_norm=False`` (the downstream configs), no final norm, and their
    2x2 max-pool ``(B, d3, H/32, W/32)`` (the detection backbone's
    ``ms_adaptor``).

    Args:
        arch (str | dict): ``'b'`` (ConvViT-B: widths [256, 384, 768], depths
            [2, 2, 11], 12 heads), ``'l'``, ``'mim-tiny'`` (for CPU configs),
            or a dict with ``embed_dims`` (3), ``depths`` (3), ``num_heads``,
            optional ``mlp_ratio``.
        img_size (int): Input size; a multiple of prod(patch_sizes).
        patch_sizes (Sequence[int]): Down-sampling per stage. Defaults to (4, 2, 2).
        in_channels (int): Image channels. Defaults to 3.
        drop_path_rate (float): Stochastic depth, rising over the conv blocks
            and, separately, over the transformer layers. Defaults to 0.
        stage_fusion (bool): Build and apply the stage-1/2 fusion of
            pretraining (``patch_embed.fuse1``/``fuse2``). Transfer backbones
            set False (ConvMAE's dense backbones have none). Defaults to True.
        **kwargs: Other :class:`MIMViT` arguments.
    """

    #: Where it comes from: the paper and section it implements.
    source = "ConvMAE (Gao et al. 2022) §3.1, as MR-MAE's encoder"

    #: Convolutions see neighbouring patches, so a patch-mixed input leaks across sources.
    convolves_across_patches = True

    arch_zoo = {
        'b': dict(embed_dims=[256, 384, 768], depths=[2, 2, 11], num_heads=12),
        'l': dict(embed_dims=[384, 768, 1024], depths=[2, 2, 23], num_heads=16),
        'mim-tiny': dict(embed_dims=[48, 96, 192], depths=[1, 1, 4], num_heads=3),
    }

    legacy_keys = {
        **LEGACY_KEYS,
        'patch_embed.stage1_embed.0.weight': "ConvViT's earlier conv stages (no GELU after "
        'each patch embedding, no patch_embed4 Linear, fusion after the final norm, a [CLS] '
        'token), which were not ConvMAE\'s encoder',
    }

    def __init__(self,
                 arch: Union[str, dict] = 'b',
                 img_size: int = 224,
                 patch_sizes: Sequence[int] = (4, 2, 2),
                 in_channels: int = 3,
                 drop_path_rate: float = 0.,
                 stage_fusion: bool = True,
                 **kwargs) -> None:
        sizes = self.sizes_of(arch)
        require(
            all(k in sizes for k in _SIZE_KEYS) and len(sizes['embed_dims']) == 3
            and len(sizes['depths']) == 3, 'backbone.arch', arch,
            f"one of {sorted(self.arch_zoo)} or a dict with {_SIZE_KEYS} (3 stages)")
        require(
            isinstance(patch_sizes, (list, tuple)) and len(patch_sizes) == 3
            and all(isinstance(p, int) and p > 0 for p in patch_sizes), 'backbone.patch_sizes',
            patch_sizes, 'three positive ints (down-sampling of each stage), e.g. (4, 2, 2)')
        require(kwargs.pop('with_cls_token', False) is False, 'backbone.with_cls_token', True,
                'False: ConvMAE\'s encoder has no [CLS] token')
        require(kwargs.get('out_type', 'raw') in ('raw', 'avg_featmap'), 'backbone.out_type',
                kwargs.get('out_type'), "'raw' (the dense maps) or 'avg_featmap' (a pooled "
                'feature: the mean of the patch tokens)')
        dims, depths = sizes['embed_dims'], sizes['depths']
        mlp_ratio = sizes.get('mlp_ratio', 4.)
        transformer = dict(embed_dims=dims[2], num_layers=depths[2], num_heads=sizes['num_heads'],
                           feedforward_channels=int(dims[2] * mlp_ratio))
        super().__init__(arch=transformer, img_size=img_size, patch_size=math.prod(patch_sizes),
                         in_channels=in_channels, drop_path_rate=drop_path_rate,
                         with_cls_token=False, **kwargs)
        self.stage_dims = tuple(dims)
        rates = drop_path_rates(depths[:2], drop_path_rate * sum(depths[:2]) / sum(depths))
        self.patch_embed = MaskedConvStem(in_channels, dims, depths[:2], patch_sizes, mlp_ratio,
                                          [float(r) for r in rates], stage_fusion)
        self.patch_embed.init_out_size = self.patch_resolution

    def _init_mim_weights(self) -> None:
        """MIMViT's init, and stage 3's patch convolution initialised like a Linear (ConvMAE)."""
        super()._init_mim_weights()
        w = self.patch_embed.stage3_embed.proj.weight.data
        nn.init.xavier_uniform_(w.view([w.shape[0], -1]))

    @property
    def unused_in_transfer(self):
        """tuple[str]: MIMViT's, and the stage fusion when built without it."""
        keys = super().unused_in_transfer
        if not self.patch_embed.stage_fusion:
            keys += ('patch_embed.fuse1.', 'patch_embed.fuse2.')
        return keys

    def embed(self, images: torch.Tensor, mask_info: Optional[MaskInfo] = None,
              segments: Optional[torch.Tensor] = None) -> TokenFlow:
        """Stage 1: the masked convolution stages, stage 3's patch embedding + positions;
        the fused stage-1/2 maps (pretraining) wait in ``per_patch`` for the final norm.

        Args:
            images (Tensor): (B, C, H, W).
            mask_info (MaskInfo, optional): The mask on the (H/16)·(W/16) grid;
                the convolutions see the visible patches only.
            segments (Tensor, optional): (B, L) segment ids.

        Returns:
            TokenFlow: ``tokens`` (B, L, d3); ``per_patch`` (B, L, d3) or None.
        """
        grid = self.patch_grid(images.shape[-2:])
        visible = None if mask_info is None else (1 - mask_info.mask).reshape(-1, 1, *grid)
        tokens, hw, maps = self.patch_embed(images, visible)
        flow = self.flow_from_patches(tokens, hw, mask_info, segments)
        if self.patch_embed.stage_fusion:
            flow.per_patch = self.patch_embed.fused(maps)
        return flow

    def before_final_norm(self, flow: TokenFlow) -> None:
        """MIMViT's fusion, then ConvMAE's: + the fused stage-1/2 maps at the patches the
        layers ran on, so the encoder gives ``ln1(layers(x) + fuse1(s1) + fuse2(s2))``."""
        super().before_final_norm(flow)
        if flow.per_patch is None:
            return
        per_patch = flow.per_patch
        if flow.mask_info is not None and not self.use_mask_token:
            per_patch = flow.mask_info.gather_visible(per_patch)
        lead = flow.num_leading
        flow.tokens = torch.cat(
            [flow.tokens[:, :lead], flow.tokens[:, lead:] + per_patch.to(flow.tokens.dtype)], 1)

    def forward(self, x: torch.Tensor, mask_info: Optional[MaskInfo] = None):
        """Masked pretraining path, or the outputs for transfer.

        Args:
            x (Tensor): (B, C, H, W) images.
            mask_info (MaskInfo, optional): Given: :meth:`encode`.

        Returns:
            EncoderOutput | tuple[Tensor]: With a mask, :meth:`encode`; without,
            the four dense maps of the class docstring (``out_type='raw'``) or
            ``(ln2(mean of the patch tokens), )`` (``'avg_featmap'``).
        """
        if mask_info is not None:
            return self.encode(x, mask_info)
        tokens, hw, maps = self.patch_embed(x)
        # (B, L, d3), ln1 when final_norm; no stage fusion (ConvMAE's dense backbone has none)
        out = self.encode_flow(self.flow_from_patches(tokens, hw)).visible
        if self.out_type == 'avg_featmap':
            return (self.ln2(out.mean(dim=1)), )
        patch = out.transpose(1, 2).reshape(x.shape[0], -1, *hw)
        return (*maps, patch, F.max_pool2d(patch, 2))
