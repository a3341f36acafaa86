"""i-MAE: mixed inputs, disentangled features, two-way reconstruction, distillation."""
from typing import Dict, List, Optional, Sequence, Tuple

import torch
from mmpretrain.structures import DataSample

from mimtoolkit.models.mixers import PixelMixer
from mimtoolkit.models.targets import teacher_like_student
from mimtoolkit.registry import register_part
from mimtoolkit.structures import (EncoderOutput, MaskInfo, PixelMixInfo, Reconstruction,
                                   StudentView)
from mimtoolkit.utils import require
from .base_pretrainer import PartCfg, build_part
from .mae import MAE

#: The branches of i-MAE and the suffix of their loss names.
BRANCHES = {'subordinate': 'sub', 'dominant': 'dom'}
#: How the branches' distillation terms combine into ``loss_distill``.
DISTILL_COMBINE = {'sum': torch.sum, 'mean': torch.mean}


@register_part('pretrainer')
class IMAE(MAE):
    """i-MAE (Zhang & Shen): are MAE's latent representations linearly separable?

    One step: ``mixer (α·I_1 + (1 − α)·I_2, roles fixed) -> masker -> encoder
    -> disentangle (h_sub = F_1(h_m), h_dom = F_2(h_m)) -> shared MAE decoder
    (both branches in one pass) -> pixel loss on the masked patches of each
    image`` plus, with ``distill_head``, the patch-wise L2 between each h and
    a frozen MAE encoder's features of the matching *clean* image under the
    *same* mask (Eq. 5).

    Losses: ``loss_rec_sub``, ``loss_rec_dom`` (one per branch), ``loss_distill``
    (c times the SUM of the two branches' MSEs, Eq. 5 and Algorithm 1; each
    branch's MSE is logged as ``distill_sub`` / ``distill_dom``; the head's
    ``loss`` swaps the MSE for another regression loss).

    Args:
        backbone (dict): ``MIMViT`` (``use_mask_token=False``).
        neck (dict): The shared decoder, ``MAEPretrainDecoder``.
        head (dict): ``PixelReconstructionHead`` (``norm_pix`` as in MAE).
        mixer (dict): Defaults to ``PixelMixer`` (α ~ Beta(1, 1), in-batch partner).
        disentangle (dict, optional): Defaults to ``DisentangleNeck`` with one
            linear layer per branch in the encoder's width.
        distill_head (dict, optional): ``FeatureDistillHead`` with the frozen
            teacher; None trains i-MAE "w/o distill". A teacher config without
            ``encoder`` gets the student's backbone architecture.
        branches (Sequence[str]): Which images to reconstruct (and distil):
            ``('subordinate', 'dominant')`` (i-MAE) or ``('subordinate',)``
            (i-MAE-sub, the paper's Tab. 5).
        distill_combine (str): How the branches' distillation terms combine:
            ``'sum'`` (default: Eq. 5 and Algorithm 1 add them) or ``'mean'`` (an
            ablation: half the weight per term with two branches).
        masker (dict): Defaults to ``RandomMasker(0.75)``.
        **kwargs: See :class:`BasePretrainer`.
    """

    #: Where it comes from: the paper and section it implements.
    source = 'i-MAE (Zhang & Shen) §3, Eq. 5, Algorithm 1'
    #: Values a config may give each enumerated argument (what the checks allow).
    choices = dict(branches=tuple(BRANCHES), distill_combine=tuple(DISTILL_COMBINE))

    accepts_mixer = True
    reads_masked_tokens = False

    def __init__(self,
                 backbone: PartCfg,
                 neck: PartCfg,
                 head: PartCfg,
                 mixer: PartCfg = dict(type='PixelMixer'),
                 disentangle: PartCfg = None,
                 distill_head: PartCfg = None,
                 branches: Sequence[str] = ('subordinate', 'dominant'),
                 distill_combine: str = 'sum',
                 masker: PartCfg = dict(type='RandomMasker', mask_ratio=0.75),
                 **kwargs) -> None:
        require(distill_combine in DISTILL_COMBINE, 'model.distill_combine', distill_combine,
                f'one of {tuple(DISTILL_COMBINE)}')
        branches = tuple(branches)
        require(0 < len(branches) == len(set(branches)) and set(branches) <= set(BRANCHES),
                'model.branches', branches,
                f'distinct names from {tuple(BRANCHES)}, e.g. (\'subordinate\',) for i-MAE-sub')
        require(mixer is not None, 'model.mixer', mixer,
                "a pixel mixer, e.g. dict(type='PixelMixer')")
        super().__init__(backbone=backbone, neck=neck, head=head, masker=masker, mixer=mixer,
                         **kwargs)
        mixer_name = type(self.mixer).__name__
        require(isinstance(self.mixer, PixelMixer), 'model.mixer.type', mixer_name,
                'a pixel mixer handing on subordinate and dominant images (PixelMixer)')
        self.branches = branches
        self.distill_combine = distill_combine
        width = self.backbone.embed_dims
        self.disentangle = build_part(disentangle or dict(
            type='DisentangleNeck', in_channels=width, num_branches=len(branches)))
        require(len(self.disentangle.branches) == len(branches), 'model.disentangle.num_branches',
                len(self.disentangle.branches), f'{len(branches)} (one per model.branches entry)')
        require(self.disentangle.in_channels == width, 'model.disentangle.in_channels',
                self.disentangle.in_channels, f'{width} (the backbone width)')
        decoder_in = self.neck.decoder_embed.in_features
        require(self.disentangle.out_channels == decoder_in, 'model.disentangle.out_channels',
                self.disentangle.out_channels, f'{decoder_in} (the shared decoder\'s input width)')
        self.distill_head = build_part(teacher_like_student(distill_head, backbone))

    #: The masker masks the mixed images, which no teacher sees.
    masks_clean_images = False

    def aux_widths(self) -> Dict[str, int]:
        """Auxiliary heads (and the distillation head) read the disentangled features."""
        return dict(visible=self.disentangle.out_channels)

    def named_aux_heads(self):
        """The distillation head reads the same view as the auxiliary heads."""
        heads = super().named_aux_heads()
        if self.distill_head is not None:
            heads['model.distill_head'] = self.distill_head
        return heads

    def encode_mixed(self, mix: PixelMixInfo) -> Tuple[EncoderOutput, Tuple[torch.Tensor, ...]]:
        """Mask and encode the mixed images, then disentangle.

        Args:
            mix (PixelMixInfo): The mixer's output.

        Returns:
            tuple: The encoder output (with its mask) and one (B, 1 + N_vis, C)
            feature tensor per branch, in ``branches`` order.
        """
        mask_info = self.mask(mix.mixed)
        latent = self.backbone.encode(mix.mixed, mask_info)
        return latent, self.disentangle(latent.leading_and_visible())

    def loss(self, inputs: torch.Tensor, data_samples: List[DataSample],
             **kwargs) -> Dict[str, torch.Tensor]:
        """One i-MAE step.

        Args:
            inputs (Tensor): (B, 3, H, W) normalised images (with the
                ``'halves'`` partner: B/2 first images, then their partners).
            data_samples (list[DataSample]): Unused.

        Returns:
            dict[str, Tensor]: ``loss_rec_<branch>`` per branch, and
            ``loss_distill`` with a distillation head.
        """
        mix = self.mixer(inputs)
        latent, feats = self.encode_mixed(mix)
        mask_info = latent.mask_info
        n, batch = len(self.branches), mix.mixed.shape[0]
        targets = [getattr(mix, name) for name in self.branches]
        pred = self.neck(torch.cat(feats), mask_info.ids_restore.repeat(n, 1))
        losses = {}
        for name, branch_pred, target in zip(self.branches, pred.split(batch), targets):
            for key, value in self.head.loss(branch_pred, target, mask_info.mask).items():
                losses[f'{key}_{BRANCHES[name]}'] = value
        if self.distill_head is not None or self.aux_heads:
            student = torch.cat([f[:, latent.num_leading:] for f in feats])
            view = StudentView.at_patches(
                student, torch.cat(targets), self.backbone.patch_grid(inputs.shape[-2:]),
                mask_info.ids_keep.repeat(n, 1), mask_info.repeat(n))
            if self.distill_head is not None:
                losses.update(self.distill_losses(view))
            losses.update(self.aux_losses(dict(visible=view)))
        return losses

    def distill_losses(self, view: StudentView) -> Dict[str, torch.Tensor]:
        """Eq. 5's distillation: the SUM of the branches' patch-wise L2 terms, weight c
        (L2 is the head's default loss; another regression loss replaces it in each term).

        Args:
            view (StudentView): Every branch's visible-patch features, branch
                after branch (B rows each), with their clean images and mask.

        Returns:
            dict[str, Tensor]: ``loss_distill`` = c · Σ_branch loss (optimised)
            and, per branch, ``distill_<sub|dom>`` = that branch's unweighted
            loss (logged only: the name has no "loss"), with two branches.
        """
        head = self.distill_head
        per_branch = head.group_losses(view, num_groups=len(self.branches))
        losses = {head.loss_name: head.loss_weight * DISTILL_COMBINE[self.distill_combine](
            per_branch)}
        if len(self.branches) > 1:
            for name, value in zip(self.branches, per_branch.detach()):
                losses[f'distill_{BRANCHES[name]}'] = value
        return losses

    @torch.no_grad()
    def branch_features(self, mix: PixelMixInfo, mask_info: MaskInfo,
                        branch: str = 'subordinate') -> torch.Tensor:
        """Disentangled patch features of one branch (for the separability analysis).

        Args:
            mix (PixelMixInfo): Mixed images.
            mask_info (MaskInfo): The mask to encode them with.
            branch (str): One of ``branches``.

        Returns:
            Tensor: (B, N_vis, C) visible-patch features.
        """
        require(branch in self.branches, 'branch', branch, f'one of {self.branches}')
        latent = self.backbone.encode(mix.mixed, mask_info)
        feats = self.disentangle(latent.leading_and_visible())[self.branches.index(branch)]
        return feats[:, latent.num_leading:]

    @torch.no_grad()
    def reconstruct(self, inputs: torch.Tensor, alpha: Optional[float] = None) -> Reconstruction:
        """Reconstruct the first branch's image from mixed inputs (for visualisation).

        Args:
            inputs (Tensor): (B, 3, H, W) normalised images, mixed as in training.
            alpha (float, optional): A fixed α for this figure (e.g. a sweep).

        Returns:
            Reconstruction: Mixed input, mask, reconstruction of
            ``branches[0]``, and the subordinate and dominant images as extras.
        """
        mix = self.mixer(inputs, alpha=alpha)
        latent, feats = self.encode_mixed(mix)
        pred = self.neck(feats[0], latent.mask_info.ids_restore)
        target = getattr(mix, self.branches[0])
        return Reconstruction(
            inputs=mix.mixed, mask=self.pixel_mask(latent.mask_info, inputs.shape[-2:]),
            pred=self.head.to_pixels(pred.float(), target, latent.mask_info.mask), target=target,
            extras={'subordinate': mix.subordinate, 'dominant': mix.dominant},
            input_title='mixed input', pred_title=self.head.pred_title)
