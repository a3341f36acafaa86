"""MaskFeat: replace masked patches by a mask token, regress their HOG features."""
from typing import Dict, List

import torch
from mmpretrain.structures import DataSample

from mimtoolkit.registry import register_part
from mimtoolkit.utils import require
from .base_pretrainer import BasePretrainer


@register_part('pretrainer')
class MaskFeat(BasePretrainer):
    """Masked Feature Prediction (Wei et al., 2022).

    ``masker -> backbone.encode (mask tokens) -> head (HOG of masked patches)``.
    With SemanticMIM proxies in the backbone, the masked patches' tokens come
    from its [MASK] branch; the head and loss are unchanged. Auxiliary heads
    read the encoder's tokens of the visible (``'visible'``) or masked
    (``'masked'``) patches; a full-image teacher runs once, before masking.

    Args:
        backbone (dict): ``MIMViT`` with ``use_mask_token=True``.
        head (dict): ``FeaturePredictionHead`` with ``out_channels`` = the
            target's feature size.
        target_generator (dict): ``PatchHOGGenerator``.
        masker (dict): Defaults to ``BlockwiseMasker(0.4)``.
        **kwargs: See :class:`BasePretrainer`.
    """

    #: The heads (or their subclasses) the method's ``head`` slot calls as it expects.
    head_types = ('FeaturePredictionHead', )
    #: Where it comes from: the paper and section it implements.
    source = 'MaskFeat (Wei et al. 2022)'

    def __init__(self, backbone, head, target_generator,
                 masker=dict(type='BlockwiseMasker', mask_ratio=0.4), **kwargs) -> None:
        super().__init__(backbone=backbone, head=head, target_generator=target_generator,
                         masker=masker, **kwargs)
        bb = self.backbone
        require(bb.use_mask_token, 'model.backbone.use_mask_token', False,
                f'True for {type(self).__name__} (the head predicts at every masked position)')
        require(self.head.in_channels == bb.embed_dims, 'model.head.in_channels',
                self.head.in_channels, f'{bb.embed_dims} (the backbone width)')
        self.check_target()

    def check_target(self) -> None:
        """The HOG target fits the backbone and the head."""
        bb, target = self.backbone, self.target_generator
        require(target.patch_size == bb.patch_size, 'model.target_generator.patch_size',
                target.patch_size, f'{bb.patch_size} (the backbone patch size)')
        require(self.head.out_channels == target.out_channels, 'model.head.out_channels',
                self.head.out_channels, f'{target.out_channels} (the HOG feature size)')
        window = target.gaussian_window
        require(not window or all(s % window == 0 for s in bb.img_size),
                'model.target_generator.gaussian_window', window,
                f'a divisor of the image size {bb.img_size} (or 0)')

    def aux_widths(self) -> Dict[str, int]:
        """The encoder gives a token at every patch, visible and masked."""
        return dict(visible=self.backbone.embed_dims, masked=self.backbone.embed_dims)

    def targets(self, inputs: torch.Tensor) -> torch.Tensor:
        """(B, L, D) HOG features of every patch."""
        return self.target_generator(inputs)

    def loss(self, inputs: torch.Tensor, data_samples: List[DataSample],
             **kwargs) -> Dict[str, torch.Tensor]:
        """One MaskFeat step.

        Args:
            inputs (Tensor): (B, 3, H, W) normalised images.
            data_samples (list[DataSample]): Unused.

        Returns:
            dict[str, Tensor]: ``{'loss_hog': scalar}`` (the head's loss name)
            and every auxiliary head's loss.
        """
        latent, features = self.encode_masked(inputs)
        mask_info = latent.mask_info
        losses = self.head.loss(latent.every_patch(), self.targets(inputs), mask_info.mask)
        if self.aux_heads:
            views = self.patch_views(inputs, mask_info, latent.visible, latent.masked)
            losses.update(self.aux_losses(views, features))
        return losses
