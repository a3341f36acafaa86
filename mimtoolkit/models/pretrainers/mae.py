"""MAE: drop masked patches, decode all, regress pixels of the masked ones."""
from typing import Dict, List, Optional, Sequence, Tuple

import torch
from mmpretrain.structures import DataSample

from mimtoolkit.registry import register_part
from mimtoolkit.models.necks import LinearPatchDecoder, MAEPretrainDecoder
from mimtoolkit.structures import EncoderOutput, MaskInfo, Reconstruction
from mimtoolkit.utils import require
from .base_pretrainer import BasePretrainer


@register_part('pretrainer')
class MAE(BasePretrainer):
    """Masked Autoencoders (He et al., 2022), and MAE + auxiliary heads (MR-MAE).

    ``masker -> backbone.encode (visible tokens) -> neck (decoder) -> head
    (pixels)``, plus any ``aux_heads`` on its :class:`StudentView`:
    ``'visible'`` = the encoder's tokens of the visible patches (with proxies,
    those of branch (a)); ``'masked'`` = the decoder's last hidden states of
    the masked patches (with proxies: the [MASK] branch's tokens). A full-image
    teacher runs once per step, before masking: its [CLS] attention feeds a
    ``FocusedMasker`` and its features the head.

    MR-MAE (Gao et al.) is this class with ``FocusedMasker`` and a
    ``MimicHead`` (configs/mrmae/); its Tab. 3 ablations are configs too:
    reconstruction only = plain MAE, mimic only = ``neck=None, head=None``,
    "semantic conflict" = the mimic head with ``positions='masked'``.

    Args:
        backbone (dict): ``MIMViT``/``ConvViT`` with ``use_mask_token=False``
            (with SemanticMIM proxies, its [MASK] branch reconstructs every patch).
        neck (dict, optional): ``MAEPretrainDecoder`` (mmpretrain),
            ``PatchTokenMAEDecoder`` for ConvViT (no [CLS]), or
            ``LinearPatchDecoder`` with proxies; None (with ``head=None``)
            when auxiliary heads are the only objectives.
        head (dict, optional): ``PixelReconstructionHead``.
        masker (dict): Defaults to ``RandomMasker(0.75)``.
        **kwargs: See :class:`BasePretrainer` (``aux_heads`` among them).
    """

    #: Where it comes from: the paper and section it implements.
    source = 'MAE (He et al. 2022)'

    def __init__(self, backbone, neck=None, head=None,
                 masker=dict(type='RandomMasker', mask_ratio=0.75), **kwargs) -> None:
        super().__init__(backbone=backbone, neck=neck, head=head, masker=masker, **kwargs)
        bb = self.backbone
        require(not bb.use_mask_token, 'model.backbone.use_mask_token', True,
                'False for MAE (its decoder takes the visible tokens only)')
        require((self.neck is None) == (self.head is None), 'model.neck/head',
                (type(self.neck).__name__, type(self.head).__name__),
                'both set (pixel decoder and its head) or both None')
        if self.neck is not None:
            self.check_decoder()

    #: Where the objectives besides the pixel decoder are configured (for the refusal).
    other_objectives = 'model.aux_heads'

    def objectives_besides_pixels(self) -> List[str]:
        """list[str]: The heads that give a loss without the pixel decoder."""
        return [f'aux_heads[{i}]' for i in range(len(self.aux_heads))]

    def check_objectives(self) -> None:
        """Without a pixel decoder, some other head must give a loss."""
        if self.neck is None:
            require(len(self.objectives_besides_pixels()) > 0, 'model.neck', None,
                    f'a pixel decoder (e.g. MAEPretrainDecoder) for {type(self).__name__}, or '
                    f'{self.other_objectives} (at least one objective)')

    def check_decoder(self) -> None:
        """The decoder and pixel head fit the backbone."""
        bb = self.backbone
        require(self.head.patch_size == bb.patch_size, 'model.head.patch_size',
                self.head.patch_size, f'{bb.patch_size} (the backbone patch size)')
        out = self.neck.decoder_pred.out_features
        require(out == bb.patch_size**2 * self.head.in_channels, 'model.neck.patch_size', out,
                f'a decoder predicting {bb.patch_size}x{bb.patch_size}x'
                f'{self.head.in_channels} values per patch')
        if bb.gives_masked_tokens:
            require(isinstance(self.neck, LinearPatchDecoder), 'model.neck.type',
                    type(self.neck).__name__, 'LinearPatchDecoder when the backbone outputs a '
                    'token at every patch (SemanticMIM proxies: its [MASK] branch is the decoder)')
            require(self.neck.in_channels == bb.embed_dims, 'model.neck.in_channels',
                    self.neck.in_channels, f'{bb.embed_dims} (the backbone width)')
            return
        require(isinstance(self.neck, MAEPretrainDecoder), 'model.neck.type',
                type(self.neck).__name__, 'a decoder that fills in the dropped patches and gives '
                "its hidden states: mimtoolkit's MAEPretrainDecoder or PatchTokenMAEDecoder (or "
                'proxies with their branch in the backbone and LinearPatchDecoder)')
        num_patches = bb.patch_resolution[0] * bb.patch_resolution[1]
        require(self.neck.num_patches == num_patches, 'model.neck.num_patches',
                self.neck.num_patches, f'{num_patches} (the backbone\'s patch count)')
        require(self.neck.decoder_embed.in_features == bb.embed_dims, 'model.neck.embed_dim',
                self.neck.decoder_embed.in_features, f'{bb.embed_dims} (the backbone width)')
        decoder_extra = self.neck.num_extra_tokens  # rows before the patches: the [CLS]
        require(decoder_extra == bb.num_extra_tokens, 'model.neck.type',
                type(self.neck).__name__,
                'PatchTokenMAEDecoder for a backbone without a [CLS] token (ConvViT)'
                if decoder_extra else 'a decoder with a [CLS] row (MAEPretrainDecoder) for a '
                'backbone with one')

    def aux_widths(self) -> Dict[str, int]:
        """Visible encoder tokens; masked-patch tokens where something predicts them."""
        widths = super().aux_widths()
        if self.backbone.gives_masked_tokens:
            widths['masked'] = self.backbone.embed_dims
        elif self.neck is not None:
            widths['masked'] = self.neck.decoder_pred.in_features
        return widths

    def loss(self, inputs: torch.Tensor, data_samples: List[DataSample],
             **kwargs) -> Dict[str, torch.Tensor]:
        """One MAE step.

        Args:
            inputs (Tensor): (B, 3, H, W) normalised images.
            data_samples (list[DataSample]): Unused.

        Returns:
            dict[str, Tensor]: ``loss_rec`` (with a decoder) and every
            auxiliary head's loss (e.g. ``loss_mimic``), each already weighted.
        """
        latent, features = self.encode_masked(inputs)
        mask_info, losses, masked = latent.mask_info, {}, None
        if self.neck is not None:
            reads_masked = any(head.positions == 'masked' for head in self.aux_heads)
            pred, hidden = self.decode(latent, return_hidden=reads_masked)
            losses.update(self.head.loss(pred, inputs, mask_info.mask))
            if reads_masked:  # the encoder's [MASK] tokens, or the decoder's at masked patches
                masked = latent.masked if latent.masked is not None else \
                    mask_info.gather_masked(hidden)
        if self.aux_heads:
            views = self.patch_views(inputs, mask_info, latent.visible, masked)
            losses.update(self.aux_losses(views, features))
        return losses

    def _predict(self, inputs: torch.Tensor):
        require(self.neck is not None, 'model.neck', None,
                'a pixel decoder to reconstruct images (this model only has auxiliary heads)')
        latent, _ = self.encode_masked(inputs)
        return self.decode(latent)[0], latent.mask_info

    def decode(self, latent: EncoderOutput, return_hidden: bool = False
               ) -> Tuple[torch.Tensor, Optional[torch.Tensor]]:
        """Pixel predictions from the encoder output: a token at every patch (SemanticMIM's
        [MASK] branch) through a linear decoder, or the visible tokens through a decoder
        that fills in the dropped patches.

        Returns:
            tuple[Tensor, Tensor | None]: (B, L, p·p·C) predictions and, with
            ``return_hidden``, (B, L, C_dec) the decoder's normalised last hidden states (the
            linear decoder's input tokens), raster order.
        """
        args = (latent.every_patch(), ) if latent.has_every_patch else \
            (latent.leading_and_visible(), latent.mask_info.ids_restore)
        if return_hidden:
            return self.neck(*args, return_hidden=True)
        return self.neck(*args), None

    def pixel_mask(self, mask_info: MaskInfo, img_hw: Sequence[int]) -> torch.Tensor:
        """The patch mask as an image.

        Args:
            mask_info (MaskInfo): (B, L) mask on the patch grid.
            img_hw (Sequence[int]): (H, W) of the images.

        Returns:
            Tensor: (B, 1, H, W), 1 = masked.
        """
        p = self.backbone.patch_size
        h, w = self.backbone.patch_grid(img_hw)
        mask = mask_info.mask.reshape(-1, 1, h, w)
        return mask.repeat_interleave(p, dim=2).repeat_interleave(p, dim=3)

    @torch.no_grad()
    def reconstruct(self, inputs: torch.Tensor) -> Reconstruction:
        """Reconstruct masked images (for visualisation).

        Args:
            inputs (Tensor): (B, 3, H, W) normalised images.

        Returns:
            Reconstruction: The inputs, their mask and reconstruction.
        """
        pred, mask_info = self._predict(inputs)
        return Reconstruction(inputs=inputs, mask=self.pixel_mask(mask_info, inputs.shape[-2:]),
                              pred=self.head.to_pixels(pred.float(), inputs, mask_info.mask),
                              target=inputs, pred_title=self.head.pred_title)
