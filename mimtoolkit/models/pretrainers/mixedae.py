"""MixedAE: patch mixing, homologous attention and contrast, unmixing before the decoder."""
from typing import Dict, List, Optional, Sequence, Tuple

import torch
from mmpretrain.structures import DataSample

from mimtoolkit.functional import topk_sampling_accuracy
from mimtoolkit.models.backbones import MIMViT
from mimtoolkit.models.layers import HomologousAttention
from mimtoolkit.models.mixers import PatchMixer
from mimtoolkit.registry import MODELS, register_part
from mimtoolkit.structures import (EncoderOutput, MaskInfo, PatchMixInfo, Reconstruction,
                                   StudentView)
from mimtoolkit.utils import require
from .base_pretrainer import PartCfg, build_part
from .mae import MAE

FEATURES = ('final', 'pre_norm')


def with_homologous_attention(backbone: PartCfg, layers: Optional[Sequence[int]],
                              k_ratio: float) -> PartCfg:
    """A backbone config whose chosen layers use ``HomologousAttention``.

    Args:
        backbone (dict): A ``MIMViT`` config.
        layers (Sequence[int], optional): 0-based layers; None: all but the first.
        k_ratio (float): K / L of those layers.

    Returns:
        dict: The config with ``attn_cfgs`` filled in (unchanged if it already
        has ``attn_cfgs`` and ``layers`` is None).
    """
    if not isinstance(backbone, dict):
        return backbone
    kind = MODELS.get(backbone.get('type', 'MIMViT'))
    require(not (isinstance(kind, type) and issubclass(kind, MIMViT)
                 and kind.convolves_across_patches), 'model.backbone.type',
            backbone.get('type'), 'an encoder without convolution stages for MixedAE (e.g. '
            'MIMViT): convolutions would blend neighbouring patches of different source images')
    if backbone.get('attn_cfgs') is not None:
        require(layers is None, 'model.homologous_layers', layers,
                'None when model.backbone.attn_cfgs sets the attention of every layer')
        return backbone
    num_layers = MIMViT.sizes_of(backbone.get('arch', 'b'))['num_layers']
    layers = range(1, num_layers) if layers is None else layers
    require(all(0 <= i < num_layers for i in layers), 'model.homologous_layers', list(layers),
            f'0-based layer indices below {num_layers}')
    cfgs = [dict(type='HomologousAttention', k_ratio=k_ratio) if i in layers else
            dict(type='DenseAttention') for i in range(num_layers)]
    return dict(backbone, attn_cfgs=cfgs)


@register_part('pretrainer')
class MixedAE(MAE):
    """Mixed Autoencoder (MixedAE, CVPR 2023).

    One step: ``PatchMixer (groups of G = 1/r images, rL patches each) ->
    MIMViT.encode (every patch of the mixed sample; segment embeddings;
    homologous TopK attention in all layers but the first) -> unmix (per
    source image: its own encoder features, the decoder's mask token
    elsewhere) -> shared MAE decoder -> pixel loss on the patches the image did
    not contribute`` plus λ · the homologous contrastive loss on the encoder's
    patch features. No separate random masking. Auxiliary heads (e.g. a
    ``MimicHead``) read every patch token of the mixed samples, each standing
    for its source image's patch (a teacher encodes the clean images).

    Losses: ``loss_rec``, ``loss_homo``; with recording homologous layers
    (``TopKAccuracyHook``) also ``topk_acc_layer<i>`` (logged, not optimised).

    Args:
        backbone (dict): ``MIMViT``; without ``attn_cfgs``, homologous
            attention is filled in for ``homologous_layers``; without
            ``num_segments``, one segment embedding per slot (0 turns them off).
        neck (dict, optional): ``MAEPretrainDecoder``; None (with
            ``head=None``) trains the homologous contrastive loss alone (the
            "HomoCon only" ablation: no unmixing, no decoder).
        head (dict, optional): ``PixelReconstructionHead``.
        mixer (dict): Defaults to ``PatchMixer(0.25, 'compose')``.
        contrastive_head (dict, optional): Defaults to
            ``HomologousContrastiveHead`` (projector 128, τ 0.25, λ 0.1) in the
            backbone's width; None: no contrastive loss.
        contrastive_features (str): ``'final'`` (after the final LayerNorm) or
            ``'pre_norm'`` (before it, Tab. 3b). Defaults to ``'final'``.
        homologous_layers (Sequence[int], optional): 0-based layers with TopK
            attention (Tab. 3e). Defaults to all but the first.
        k_ratio (float, optional): K / L (Tab. 3d). Defaults to the mixer's r.
        masker: Must be None (the mixing is the masking).
        **kwargs: See :class:`BasePretrainer`.
    """

    #: Where it comes from: the paper and section it implements.
    source = 'MixedAE (Chen et al. 2023) §3'
    #: Values a config may give each enumerated argument (what the checks allow).
    choices = dict(contrastive_features=FEATURES)

    accepts_mixer = True
    needs_masker = False
    supports_segments = True
    reads_masked_tokens = False

    def __init__(self,
                 backbone: PartCfg,
                 neck: PartCfg = None,
                 head: PartCfg = None,
                 mixer: PartCfg = dict(type='PatchMixer', mix_ratio=0.25, mode='compose'),
                 contrastive_head: PartCfg = dict(type='HomologousContrastiveHead'),
                 contrastive_features: str = 'final',
                 homologous_layers: Optional[Sequence[int]] = None,
                 k_ratio: Optional[float] = None,
                 masker: PartCfg = None,
                 **kwargs) -> None:
        require(masker is None, 'model.masker', masker,
                'None: MixedAE masks by mixing (the other images hide 1 - r of each image)')
        require(contrastive_features in FEATURES, 'model.contrastive_features',
                contrastive_features, f'one of {FEATURES}')
        require(mixer is not None, 'model.mixer', mixer,
                "a patch mixer, e.g. dict(type='PatchMixer')")
        ratio = mixer.get('mix_ratio', 0.25) if isinstance(mixer, dict) else mixer.mix_ratio
        backbone = with_homologous_attention(backbone, homologous_layers, k_ratio or ratio)
        if isinstance(backbone, dict) and 'num_segments' not in backbone:
            backbone = dict(backbone, num_segments=round(1 / ratio))
        super().__init__(backbone=backbone, neck=neck, head=head, masker=None, mixer=mixer,
                         **kwargs)
        require(isinstance(self.mixer, PatchMixer), 'model.mixer.type', type(self.mixer).__name__,
                'a patch mixer (PatchMixer): MixedAE unmixes patches by source slot')
        segments = self.backbone.num_segments
        require(segments in (0, self.mixer.group_size), 'model.backbone.num_segments', segments,
                f'0 (no segment embeddings) or {self.mixer.group_size} (1/r source slots)')
        self.contrastive_features = contrastive_features
        if isinstance(contrastive_head, dict) and 'in_channels' not in contrastive_head:
            contrastive_head = dict(contrastive_head, in_channels=self.backbone.embed_dims)
        self.contrastive_head = build_part(contrastive_head)
        if self.contrastive_head is not None:
            require(self.contrastive_head.in_channels == self.backbone.embed_dims,
                    'model.contrastive_head.in_channels', self.contrastive_head.in_channels,
                    f'{self.backbone.embed_dims} (the backbone width)')

    other_objectives = 'model.aux_heads or model.contrastive_head'

    def objectives_besides_pixels(self) -> List[str]:
        """list[str]: The auxiliary heads and the homologous contrastive head."""
        contrast = ['contrastive_head'] if self.contrastive_head is not None else []
        return super().objectives_besides_pixels() + contrast

    #: Auxiliary heads see every patch of the mixed samples with its source slot.
    aux_fields = ('slots', )

    def student_view(self, latent: EncoderOutput, mix: PatchMixInfo,
                     inputs: torch.Tensor) -> StudentView:
        """The mixed samples' patch tokens, each standing for its source image's patch.

        Args:
            latent (EncoderOutput): (B', 1 + L, C) the mixed samples' encoding.
            mix (PatchMixInfo): The mixing.
            inputs (Tensor): (B, C, H, W) the clean source images.

        Returns:
            StudentView: Token (b', p) is patch p of image ``sources[b', slots[b', p]]``.
        """
        grid = self.backbone.patch_grid(inputs.shape[-2:])
        patches = torch.arange(mix.slots.shape[1], device=mix.slots.device)
        positions = mix.sources.gather(1, mix.slots) * mix.slots.shape[1] + patches
        return StudentView(latent.visible, inputs, grid, positions, slots=mix.slots)

    @property
    def homologous_layers(self) -> Dict[int, HomologousAttention]:
        """dict[int, HomologousAttention]: The TopK attention of each layer that has one."""
        return {i: layer.attn for i, layer in enumerate(self.backbone.layers)
                if isinstance(layer.attn, HomologousAttention)}

    def encode_mixed(self, mix: PatchMixInfo) -> EncoderOutput:
        """Encode every patch of the mixed samples (with segment embeddings if enabled)."""
        last = self.backbone.num_layers - 1
        return self.backbone.encode(
            mix.mixed, None,
            return_layers=(last, ) if self.contrastive_features == 'pre_norm' else (),
            segments=mix.slots if self.backbone.num_segments else None)

    def decode_unmixed(self, latent: EncoderOutput,
                       mix: PatchMixInfo) -> Tuple[torch.Tensor, MaskInfo]:
        """Unmix (Eq. 3–4) and decode every source image of every mixed sample.

        Args:
            latent (EncoderOutput): The mixed samples' encoding (B', 1 + L, C).
            mix (PatchMixInfo): The mixing.

        Returns:
            tuple: Predicted patches (G·B', L, p²·C), slot-major as
            ``mix.targets``, and the unmixing masks (1 = not from that image).
        """
        unmix = mix.unmix_masks()
        tokens = latent.leading_and_visible().repeat(mix.num_slots, 1, 1)
        extra = latent.num_leading
        own = torch.cat([tokens[:, :extra], unmix.gather_visible(tokens[:, extra:])], dim=1)
        return self.neck(own, unmix.ids_restore), unmix

    def loss(self, inputs: torch.Tensor, data_samples: List[DataSample],
             **kwargs) -> Dict[str, torch.Tensor]:
        """One MixedAE step.

        Args:
            inputs (Tensor): (B, 3, H, W) normalised images, B divisible by 1/r.
            data_samples (list[DataSample]): Unused.

        Returns:
            dict[str, Tensor]: ``loss_rec``, ``loss_homo`` (with a contrastive
            head) and ``topk_acc_layer<i>`` for recording layers.
        """
        mix = self.mixer(inputs, self.backbone.patch_grid(inputs.shape[-2:]))
        latent = self.encode_mixed(mix)
        losses = {}
        if self.neck is not None:
            pred, unmix = self.decode_unmixed(latent, mix)
            losses.update(self.head.loss(pred, mix.targets(inputs), unmix.mask))
        if self.contrastive_head is not None:
            if self.contrastive_features == 'pre_norm':
                feats = latent.hidden_states[self.backbone.num_layers - 1]
                feats = feats[:, latent.num_leading:]
            else:
                feats = latent.visible
            losses.update(self.contrastive_head.loss(feats, mix.slots))
        if self.aux_heads:
            view = self.student_view(latent, mix, inputs)
            losses.update(self.aux_losses(dict(visible=view), self.teacher_features(inputs)))
        for i, attn in self.homologous_layers.items():
            if attn.record_topk and attn.last_topk is not None:
                losses[f'topk_acc_layer{i}'] = topk_sampling_accuracy(
                    attn.last_topk, mix.slots, latent.num_leading)
                attn.last_topk = None
        return losses

    @torch.no_grad()
    def reconstruct(self, inputs: torch.Tensor) -> Reconstruction:
        """Reconstruct the first image of each mixed sample (for visualisation).

        Args:
            inputs (Tensor): (B, 3, H, W) normalised images, B divisible by 1/r.

        Returns:
            Reconstruction: The mixed input, the patches not from its first
            image as the mask, and that image's reconstruction.
        """
        require(self.neck is not None, 'model.neck', None,
                'a pixel decoder to reconstruct (this MixedAE trains the contrastive loss only)')
        mix = self.mixer(inputs, self.backbone.patch_grid(inputs.shape[-2:]))
        pred, unmix = self.decode_unmixed(self.encode_mixed(mix), mix)
        n = mix.mixed.shape[0]
        first = MaskInfo(unmix.mask[:n], unmix.ids_keep[:n], unmix.ids_restore[:n])
        target = mix.targets(inputs)[:n]
        return Reconstruction(inputs=mix.mixed, mask=self.pixel_mask(first, inputs.shape[-2:]),
                              pred=self.head.to_pixels(pred[:n].float(), target, first.mask),
                              target=target, input_title='mixed input (first image kept)',
                              pred_title=self.head.pred_title)
