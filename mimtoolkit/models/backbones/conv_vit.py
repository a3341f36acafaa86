"""ConvViT: ConvMAE's masked convolution stages in front of MIMViT's transformer."""
import math
from typing import Optional, Sequence, Tuple, Union

import torch
import torch.nn.functional as F

from mimtoolkit.registry import register_part
from mimtoolkit.structures import EncoderOutput, MaskInfo
from mimtoolkit.utils import require
from .masked_conv_stem import MaskedConvStem, drop_path_rates
from .mim_vit import MIMViT

_SIZE_KEYS = ('embed_dims', 'depths', 'num_heads')


@register_part('backbone')
class ConvViT(MIMViT):
    """ConvMAE / MCMAE's hybrid encoder (Gao et al.), masked for MIM.

    Stages 1-2: masked convolution blocks at 1/4 and 1/8 (``MaskedConvStem``);
    stage 3: MIMViT's transformer on 1/16 patches (mmpretrain layer names,
    ``layers.N``, so layer-wise lr decay and every encoder switch of MIMViT —
    attention per layer, segments, fusion layers — work unchanged). The mask
    lives on the 1/16 grid; the conv stages see it upsampled block-wise to
    their grids (multi-scale block-wise masking), so visible outputs never
    depend on masked pixels. As in ConvMAE, the stage-1/2 maps, brought to
    1/16 by strided convolutions, are added to the transformer's final tokens
    (the visible ones when masked). A [CLS] token (which ConvMAE lacks) is
    kept so the MAE decoder and mmpretrain classifiers work as with MIMViT.

    ``forward(x)`` without a mask returns the multi-scale maps for downstream
    (mmseg UperNet, mmdet FPN): ``(B, d1, H/4, W/4), (B, d2, H/8, W/8),
    (B, d3, H/16, W/16), (B, d3, H/32, W/32)``.

    Args:
        arch (str | dict): ``'b'`` (ConvViT-B: widths [256, 384, 768], depths
            [2, 2, 11], 12 heads), ``'mim-tiny'`` (for CPU configs), or a dict
            with ``embed_dims`` (3), ``depths`` (3), ``num_heads``,
            optional ``mlp_ratio``.
        img_size (int): Input size; a multiple of prod(patch_sizes).
        patch_sizes (Sequence[int]): Down-sampling per stage. Defaults to (4, 2, 2).
        in_channels (int): Image channels. Defaults to 3.
        drop_path_rate (float): Stochastic depth, rising over the conv blocks
            and, separately, over the transformer layers. Defaults to 0.
        **kwargs: Other :class:`MIMViT` arguments.
    """

    #: Convolutions see neighbouring patches, so a patch-mixed input leaks across sources.
    convolves_across_patches = True

    arch_zoo = {
        'b': dict(embed_dims=[256, 384, 768], depths=[2, 2, 11], num_heads=12),
        'l': dict(embed_dims=[384, 768, 1024], depths=[2, 2, 23], num_heads=16),
        'mim-tiny': dict(embed_dims=[48, 96, 192], depths=[1, 1, 4], num_heads=3),
    }

    def __init__(self,
                 arch: Union[str, dict] = 'b',
                 img_size: int = 224,
                 patch_sizes: Sequence[int] = (4, 2, 2),
                 in_channels: int = 3,
                 drop_path_rate: float = 0.,
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
        dims, depths = sizes['embed_dims'], sizes['depths']
        mlp_ratio = sizes.get('mlp_ratio', 4.)
        transformer = dict(embed_dims=dims[2], num_layers=depths[2], num_heads=sizes['num_heads'],
                           feedforward_channels=int(dims[2] * mlp_ratio))
        super().__init__(arch=transformer, img_size=img_size, patch_size=math.prod(patch_sizes),
                         in_channels=in_channels, drop_path_rate=drop_path_rate, **kwargs)
        self.stage_dims = tuple(dims)
        rates = drop_path_rates(depths[:2], drop_path_rate * sum(depths[:2]) / sum(depths))
        self.patch_embed = MaskedConvStem(in_channels, dims, depths[:2], patch_sizes, mlp_ratio,
                                          [float(r) for r in rates])

    def _visible_map(self, mask_info: Optional[MaskInfo], grid: Tuple[int, int]):
        if mask_info is None:
            return None
        return (1 - mask_info.mask).reshape(-1, 1, *grid)

    def encode(self,
               x: torch.Tensor,
               mask_info: Optional[MaskInfo] = None,
               return_layers: Sequence[int] = (),
               segments: Optional[torch.Tensor] = None) -> EncoderOutput:
        """Encode an image batch, optionally masked (see :meth:`MIMViT.encode`).

        Args:
            x (Tensor): (B, C, H, W) images.
            mask_info (MaskInfo, optional): The mask on the (H/16)·(W/16) grid.
            return_layers (Sequence[int]): Transformer layers to return.
            segments (Tensor, optional): (B, L) segment ids.

        Returns:
            EncoderOutput: ``tokens`` (B, 1 + N, d3), the stage-1/2 fusion added
            to the patch tokens.
        """
        return self._encode_with_maps(x, mask_info, return_layers, segments)[0]

    def _encode_with_maps(self, x, mask_info=None, return_layers=(), segments=None):
        """:meth:`encode`, and the stage-1/2 maps: ``(EncoderOutput, [s1, s2])``."""
        grid = self.patch_grid(x.shape[-2:])
        tokens, hw, maps = self.patch_embed(x, self._visible_map(mask_info, grid))
        out = self.encode_patches(tokens, hw, mask_info, return_layers, segments)
        fused = self.patch_embed.fused(maps)
        if mask_info is not None and self.use_mask_token:
            fused = fused * (1 - mask_info.mask).unsqueeze(-1).to(fused.dtype)
        elif mask_info is not None:
            fused = mask_info.gather_visible(fused)
        extra = out.num_extra_tokens
        out.tokens = torch.cat([out.tokens[:, :extra], out.tokens[:, extra:] + fused], dim=1)
        return out, maps

    def forward(self, x: torch.Tensor, mask_info: Optional[MaskInfo] = None):
        """Masked pretraining path, or the multi-scale maps for transfer.

        Args:
            x (Tensor): (B, C, H, W) images.
            mask_info (MaskInfo, optional): Given: :meth:`encode`.

        Returns:
            EncoderOutput | tuple[Tensor]: With a mask, :meth:`encode`; without,
            the maps at strides 4, 8, 16 and 32 (ConvMAE's detection/segmentation
            backbone): ``(B, d1, H/4, W/4)``, ``(B, d2, H/8, W/8)``, the final
            tokens ``(B, d3, H/16, W/16)`` as in pretraining (transformer +
            stage-1/2 fusion), and their 2x2 max-pool ``(B, d3, H/32, W/32)``.
        """
        if mask_info is not None:
            return self.encode(x, mask_info)
        out, maps = self._encode_with_maps(x)
        grid = self.patch_grid(x.shape[-2:])
        patch = out.patch_tokens.transpose(1, 2).reshape(x.shape[0], -1, *grid)
        return (*maps, patch, F.max_pool2d(patch, 2))
