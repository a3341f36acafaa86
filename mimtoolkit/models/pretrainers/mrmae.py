"""MR-MAE: mimic a frozen teacher on the visible tokens, then reconstruct pixels."""
from contextlib import contextmanager
from typing import Dict, List

import torch
from mmpretrain.structures import DataSample

from mimtoolkit.registry import register_part
from mimtoolkit.utils import require
from .base_pretrainer import build_part
from .mae import MAE

MIMIC_ON = ('encoder', 'decoder')


@register_part('pretrainer')
class MRMAE(MAE):
    """Mimic before Reconstruct (Gao et al.): MAE + a mimic head (+ focused masking).

    One step: the frozen teacher encodes the clean image (features F and
    [CLS] saliency); the masker chooses the visible patches (a
    ``FocusedMasker`` keeps the salient ones); the encoder runs on the visible
    patches (optionally fusing several layers, ``backbone.fusion_layers``);
    the mimic head regresses F on the visible tokens E_v (Eq. 2,
    ``loss_mimic``); the decoder reconstructs the masked pixels (Eq. 1,
    ``loss_rec``). Loss weights live in the heads (0.5 / 0.5, §4.1).

    Tab. 3's ablations by config: reconstruction only = ``MAE``; mimic only =
    ``neck=None, head=None``; "semantic conflict" = ``mimic_on='decoder'``
    (both targets on the decoder output: the mimic head reads the decoder's
    last hidden states of the masked patches, ``positions='masked'``).

    Args:
        backbone (dict): ``MIMViT`` or ``ConvViT`` (dropped masked tokens).
        neck (dict, optional): The pixel decoder (``MAEPretrainDecoder``).
        head (dict, optional): ``PixelReconstructionHead``.
        mimic_head (dict, optional): ``MimicHead`` with the teacher.
        masker (dict): ``FocusedMasker`` or any masker. Defaults to
            ``RandomMasker(0.75)``.
        mimic_on (str): ``'encoder'`` (MR-MAE) or ``'decoder'`` (conflict
            ablation). Defaults to ``'encoder'``.
        **kwargs: See :class:`~mimtoolkit.models.pretrainers.BasePretrainer`.
    """

    needs_decoder = False

    def __init__(self, backbone, neck=None, head=None, mimic_head=None,
                 masker=dict(type='RandomMasker', mask_ratio=0.75), mimic_on: str = 'encoder',
                 **kwargs) -> None:
        super().__init__(backbone=backbone, neck=neck, head=head, masker=masker, **kwargs)
        self.mimic_head = build_part(mimic_head)
        require(self.mimic_head is not None or self.neck is not None, 'model.mimic_head',
                None, 'a MimicHead, or a neck and head (an MRMAE needs at least one objective)')
        require(mimic_on in MIMIC_ON, 'model.mimic_on', mimic_on, f'one of {MIMIC_ON}')
        self.mimic_on = mimic_on
        require(self.mimic_head is not None or not getattr(self.masker, 'needs_saliency', False),
                'model.masker.type', type(self.masker).__name__,
                'a masker without teacher saliency, or set model.mimic_head (its teacher '
                'gives the saliency)')
        if self.mimic_head is not None:
            width = self.neck.decoder_embed.out_features if mimic_on == 'decoder' else \
                self.backbone.embed_dims
            require(self.mimic_head.in_channels == width, 'model.mimic_head.in_channels',
                    self.mimic_head.in_channels, f'{width} (the {mimic_on} width)')
            wanted = 'masked' if mimic_on == 'decoder' else 'visible'
            require(self.mimic_head.positions == wanted, 'model.mimic_head.positions',
                    self.mimic_head.positions, f"'{wanted}' when mimic_on='{mimic_on}'")
            require(mimic_on == 'encoder' or self.neck is not None, 'model.mimic_on', mimic_on,
                    "'encoder' when there is no decoder (neck=None)")
        self.connect_teachers()

    def loss(self, inputs: torch.Tensor, data_samples: List[DataSample],
             **kwargs) -> Dict[str, torch.Tensor]:
        """One MR-MAE step.

        Args:
            inputs (Tensor): (B, 3, H, W) normalised images.
            data_samples (list[DataSample]): Unused.

        Returns:
            dict[str, Tensor]: ``loss_mimic`` (with a mimic head) and
            ``loss_rec`` (with a decoder), each already weighted.
        """
        latent, features = self._encode(inputs)
        mask_info = latent.mask_info
        losses = {}
        if self.mimic_head is not None and self.mimic_on == 'encoder':
            visible = latent.patch_tokens
            if self.tokens_at_every_patch:  # proxies: the [MASK] branch filled in the rest
                visible = mask_info.gather_visible(visible)
            losses.update(self.mimic_head.loss(visible, inputs, mask_info, features))
        if self.neck is None:
            return losses
        with self._decoder_hidden_states() as hidden:
            pred = self.decode(latent)
        losses.update(self.head.loss(pred, inputs, mask_info.mask))
        if self.mimic_head is not None and self.mimic_on == 'decoder':
            masked = mask_info.gather_masked(hidden['x'][:, 1:])
            losses.update(self.mimic_head.loss(masked, inputs, mask_info, features))
        return losses

    def _encode(self, inputs: torch.Tensor):
        """Teacher features (or None), then the mask (saliency-aware), then the encoder."""
        features = None
        if self.mimic_head is not None:
            grid = self.backbone.patch_grid(inputs.shape[-2:])
            features = self.mimic_head.teacher.features(inputs, grid)
        mask_info = self.mask(inputs, None if features is None else features.cls_attention)
        return self.backbone.encode(inputs, mask_info), features

    def _predict(self, inputs: torch.Tensor):
        require(self.neck is not None, 'model.neck', None,
                'a pixel decoder to reconstruct images (this MRMAE only mimics)')
        latent, _ = self._encode(inputs)
        return self.decode(latent), latent.mask_info

    @contextmanager
    def _decoder_hidden_states(self):
        """Capture the decoder's normalised last hidden states (B, 1 + L, C_dec)
        (the input of its pixel prediction layer) while the block runs."""
        seen = {}
        if self.mimic_on != 'decoder':
            yield seen
            return
        handle = self.neck.decoder_pred.register_forward_pre_hook(
            lambda m, args: seen.update(x=args[0]))
        try:
            yield seen
        finally:
            handle.remove()
