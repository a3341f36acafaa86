"""MAE's pixel reconstruction head, returning a named loss."""
from typing import Dict

import torch
from mmpretrain.models.heads import MAEPretrainHead

from mimtoolkit.registry import register_part
from ..losses import build_loss, check_loss_weight


@register_part('head')
class PixelReconstructionHead(MAEPretrainHead):
    """Pixel targets on masked patches, optionally normalised per patch (``norm_pix``).

    mmpretrain's ``MAEPretrainHead`` plus a named, weighted loss computed
    through a registered regression loss, and :meth:`to_pixels`, which undoes
    ``norm_pix`` with statistics of the visible patches only, so
    reconstructions can be shown as images.

    Args:
        loss (dict): A regression loss (``loss_compares``). Defaults to L2
            ``PixelReconstructionLoss`` (MAE's: mean over each masked patch's
            p²·C values, then over the masked patches).
        norm_pix (bool): Normalise each target patch. Defaults to False.
        patch_size (int): Patch size. Defaults to 16.
        in_channels (int): Image channels. Defaults to 3.
        loss_name (str): Key of the loss in the returned dict. Defaults to ``'loss_rec'``.
        loss_weight (float): Weight of the loss (MR-MAE: 0.5). Defaults to 1.0.
    """

    #: Where it comes from: the paper and section it implements.
    source = 'MAE (He et al. 2022) §3, pixel targets with norm_pix'

    #: The call this head makes to its loss (``LOSS_CALLS``).
    loss_compares = 'regression'

    def __init__(self,
                 loss: dict = dict(type='PixelReconstructionLoss', criterion='L2'),
                 norm_pix: bool = False,
                 patch_size: int = 16,
                 in_channels: int = 3,
                 loss_name: str = 'loss_rec',
                 loss_weight: float = 1.0) -> None:
        loss_module = build_loss(loss, type(self))
        # MAEPretrainHead builds its loss from a config: hand it the checked one
        super().__init__(loss=dict(type=lambda: loss_module), norm_pix=norm_pix,
                         patch_size=patch_size, in_channels=in_channels)
        self.loss_name = loss_name
        self.loss_weight = check_loss_weight(loss_weight, type(self).__name__)

    def loss(self, pred: torch.Tensor, target: torch.Tensor,
             mask: torch.Tensor) -> Dict[str, torch.Tensor]:
        """Reconstruction loss on the masked patches, in fp32 (also under autocast).

        Args:
            pred (Tensor): (B, L, p²·C) predicted patches.
            target (Tensor): (B, C, H, W) the images.
            mask (Tensor): (B, L), 1 = masked.

        Returns:
            dict[str, Tensor]: ``{loss_name: scalar}``.
        """
        return {self.loss_name: self.loss_weight * super().loss(pred.float(), target.float(), mask)}

    @property
    def pred_title(self) -> str:
        """str: How :meth:`to_pixels` draws a prediction (the figure's column title)."""
        if self.norm_pix:
            return "prediction (norm_pix; hidden patches with the visible ones' mean/var)"
        return 'prediction (pixels)'

    def to_pixels(self, pred: torch.Tensor, target: torch.Tensor,
                  mask: torch.Tensor) -> torch.Tensor:
        """Predicted patches as images in the target's (data-preprocessor) space.

        With ``norm_pix`` the prediction is a normalised patch; it is drawn
        with statistics that use no hidden pixel: a visible patch with its
        own mean and variance, a masked patch with the mean, over the
        image's visible patches, of their means and variances (a hidden
        patch's own statistics would paint its true mean colour whatever the
        model predicts).

        Args:
            pred (Tensor): (B, L, p²·C) predicted patches.
            target (Tensor): (B, C, H, W) the images they reconstruct.
            mask (Tensor): (B, L), 1 = masked (hidden from the model).

        Returns:
            Tensor: (B, C, H, W).
        """
        if self.norm_pix:
            patches = self.patchify(target)
            mean = patches.mean(dim=-1, keepdim=True)  # (B, L, 1)
            var = patches.var(dim=-1, keepdim=True)
            hidden = mask.unsqueeze(-1).to(mean.dtype)
            visible = (1 - hidden).sum(1, keepdim=True).clamp(min=1)
            vis_mean = (mean * (1 - hidden)).sum(1, keepdim=True) / visible
            vis_var = (var * (1 - hidden)).sum(1, keepdim=True) / visible
            mean = mean * (1 - hidden) + vis_mean * hidden
            var = var * (1 - hidden) + vis_var * hidden
            pred = pred * (var + 1.e-6)**.5 + mean
        return self.unpatchify(pred)
