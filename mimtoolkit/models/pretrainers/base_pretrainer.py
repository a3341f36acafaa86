"""What every pretrainer shares: building its parts and refusing what it cannot wire."""
from abc import ABCMeta
from typing import Dict, List, Optional, Sequence, Tuple, Union

import torch
import torch.nn as nn
from mmengine.logging import MessageHub
from mmpretrain.models.selfsup import BaseSelfSupervisor
from mmpretrain.structures import DataSample

from mimtoolkit.models.backbones import MIMViT
from mimtoolkit.models.heads import BaseAuxHead
from mimtoolkit.models.targets import BaseFrozenTeacher
from mimtoolkit.structures import StudentView, TeacherFeatures
from mimtoolkit.registry import MODELS
from mimtoolkit.utils import ConfigError, rank_mean, require

PartCfg = Optional[Union[dict, nn.Module]]


def build_part(cfg: PartCfg) -> Optional[nn.Module]:
    """Build a part from a config (mimtoolkit scope, falling back to mmpretrain's)."""
    if cfg is None or isinstance(cfg, nn.Module):
        return cfg
    return MODELS.build(cfg)


class CheckedAfterInit(ABCMeta):
    """The metaclass of pretrainers: once the outermost ``__init__`` has built every part
    (a subclass's own parts included), the instance runs :meth:`BasePretrainer.finish_build`.

    ``MODELS.build`` (mmengine's ``cls(**cfg)``) and a direct call construct alike;
    copying and unpickling do not construct, so they do not check again. A plain
    ``ABCMeta`` (mmengine's ``BaseModule``'s) otherwise.
    """

    def __call__(cls, *args, **kwargs):
        model = super().__call__(*args, **kwargs)
        model.finish_build()
        return model


class BasePretrainer(BaseSelfSupervisor, metaclass=CheckedAfterInit):
    """An mmpretrain ``BaseSelfSupervisor`` that owns only its method's wiring.

    A step runs ``masker -> backbone.encode -> neck -> head`` (DESIGN.md §1);
    subclasses say in ``loss`` which parts run in which order. Parts are built
    in the ``mimtoolkit`` scope, which also reaches every mmpretrain part, so a
    pretrainer builds the same inside and outside a Runner.

    Args:
        backbone (dict): The encoder (``MIMViT``).
        neck (dict, optional): E.g. the MAE decoder.
        head (dict, optional): Turns predictions into named losses.
        target_generator (dict, optional): E.g. HOG.
        masker (dict): Chooses the masked patches.
        mixer (dict, optional): Input mixing; only pretrainers with
            ``accepts_mixer`` wire one in (MAE and MaskFeat do not).
        aux_heads (Sequence[dict]): Auxiliary objectives (DESIGN.md §1b):
            heads with ``aux_loss(view, features)`` — ``MimicHead``,
            ``FeatureDistillHead``, ``HomologousContrastiveHead`` — each
            reading the tokens the pretrainer describes in its
            :class:`StudentView` (``head.positions``: ``'visible'`` or
            ``'masked'``) and returning its own named, weighted loss. A head
            the pretrainer cannot feed is a build-time error naming both.
        data_preprocessor (dict, optional): Defaults to ``SelfSupDataPreprocessor``.
        init_cfg (dict, optional): Initialisation config.
    """

    #: Whether the method wires in a ``mixer`` (i-MAE, MixedAE).
    accepts_mixer = False
    #: Whether the method masks with a ``masker`` (MixedAE's mixing replaces it).
    needs_masker = True
    #: Whether the method reads an encoder that gives tokens at the masked patches
    #: (``EncoderOutput.masked``: [MASK] tokens, SemanticMIM's [MASK] branch), or
    #: only one that drops them (its decoders work on the visible tokens of mixed inputs).
    reads_masked_tokens = True
    #: Whether the method hands the encoder source slots for segment embeddings (MixedAE).
    supports_segments = False
    #: The heads (or their subclasses) the method's ``head`` slot calls as it expects.
    head_types: Tuple[str, ...] = ('PixelReconstructionHead', )

    def __init__(self,
                 backbone: PartCfg,
                 neck: PartCfg = None,
                 head: PartCfg = None,
                 target_generator: PartCfg = None,
                 masker: PartCfg = None,
                 mixer: PartCfg = None,
                 aux_heads: Sequence[PartCfg] = (),
                 data_preprocessor: Optional[dict] = None,
                 init_cfg: Optional[dict] = None) -> None:
        if mixer is not None and not self.accepts_mixer:
            mixer_type = mixer.get('type') if isinstance(mixer, dict) else type(mixer).__name__
            raise ConfigError(f'model.mixer={mixer_type!r} is invalid: {type(self).__name__} '
                              'has no mixed-input branches to wire a mixer into (use a '
                              'pretrainer built for mixing, or set model.mixer=None)')
        require(masker is not None or not self.needs_masker, 'model.masker', masker,
                "a masker config, e.g. dict(type='RandomMasker', mask_ratio=0.75)")
        super().__init__(
            backbone=build_part(backbone),
            neck=build_part(neck),
            head=build_part(head),
            target_generator=build_part(target_generator),
            data_preprocessor=data_preprocessor,
            init_cfg=init_cfg)
        head_names = [c.__name__ for c in type(self.head).__mro__]
        require(self.head is None or any(t in head_names for t in self.head_types),
                'model.head.type', type(self.head).__name__,
                f'one of {list(self.head_types)} (or a subclass) for {type(self).__name__}')
        self.masker = build_part(masker)
        self.mixer = build_part(mixer)
        require(isinstance(aux_heads, (list, tuple)), 'model.aux_heads', aux_heads,
                'a list of head configs')
        self.aux_heads = nn.ModuleList([build_part(cfg) for cfg in aux_heads])
        bb = self.backbone
        require(isinstance(bb, MIMViT), 'model.backbone.type', type(bb).__name__,
                'a MIM encoder (MIMViT, ConvViT, ProxyViT)')
        require(self.supports_segments or not bb.num_segments, 'model.backbone.num_segments',
                bb.num_segments, f'0 for {type(self).__name__} (segment embeddings need the '
                'source slots of a patch mixer: MixedAE)')
        require(self.reads_masked_tokens or not bb.gives_masked_tokens, 'model.backbone.type',
                type(bb).__name__, f'an encoder that drops the masked patches for '
                f'{type(self).__name__} (its decoder works on the visible tokens of mixed '
                "inputs; SemanticMIM's [MASK] branch fits MAE (MR-MAE), MaskFeat and BEiT): "
                'MIMViT with use_mask_token=False, or ProxyViT with proxy_block=None')

    def connect_teachers(self) -> None:
        """Hand the data preprocessor's mean/std to every frozen teacher (to re-normalise)."""
        pre = self.data_preprocessor
        if not getattr(pre, '_enable_normalize', False):
            return
        for module in self.modules():
            if isinstance(module, BaseFrozenTeacher):
                module.adopt_input_normalization(pre.mean, pre.std)

    #: Whether the masker masks the clean input images (a teacher's saliency of them applies).
    masks_clean_images = True

    def aux_widths(self) -> Dict[str, int]:
        """The token width of each view this pretrainer gives auxiliary heads.

        Returns:
            dict[str, int]: ``{'visible': C}`` and, where there are, the
            masked-patch tokens' width; subclasses say what they give.
        """
        return {'visible': self.backbone.embed_dims}

    #: ``StudentView`` fields this pretrainer fills beyond tokens and images.
    aux_fields: Tuple[str, ...] = ('mask_info', )

    def check_aux_heads(self, heads: Dict[str, nn.Module]) -> None:
        """Refuse, at build time, an auxiliary head this pretrainer cannot feed.

        Args:
            heads (dict[str, nn.Module]): Heads by their config key.
        """
        me, widths = type(self).__name__, self.aux_widths()
        names = set()
        for key, head in heads.items():
            kind = type(head).__name__
            require(isinstance(head, BaseAuxHead), f'{key}.type', kind,
                    'an auxiliary head (MimicHead, FeatureDistillHead, HomologousContrastiveHead)')
            require(head.positions in widths, f'{key}.positions', head.positions,
                    f'one of {tuple(widths)}: {me} gives {kind} no {head.positions} tokens')
            missing = [f for f in head.aux_needs if f not in self.aux_fields]
            require(not missing, f'{key}.type', kind,
                    f'a head {me} can feed: {kind} needs {missing} ('
                    + ('source slots of a patch mixer: MixedAE' if 'slots' in missing else
                       "the student's mask on the clean images: set teacher_sees_mask=False")
                    + ')')
            width = head.in_channels
            require(width == widths[head.positions], f'{key}.in_channels', width,
                    f'{widths[head.positions]} (the width of {me}\'s {head.positions} tokens)')
            require(head.loss_name not in names, f'{key}.loss_name', head.loss_name,
                    'a name no other auxiliary head uses')
            names.add(head.loss_name)
        saliency = self.masker is not None and self.masker.needs_saliency
        require(not saliency or (self.masks_clean_images and any(
            h.full_image_teacher for h in heads.values())), 'model.masker.type',
            type(self.masker).__name__, f'a masker without teacher saliency: {me} has no '
            'auxiliary head whose teacher sees the clean images it masks (add e.g. a '
            'MimicHead to model.aux_heads)')

    def named_aux_heads(self) -> Dict[str, nn.Module]:
        """The auxiliary heads by config key (subclasses add their method's own)."""
        return {f'model.aux_heads.{i}': head for i, head in enumerate(self.aux_heads)}

    def finish_build(self) -> None:
        """Check the auxiliary heads and hand the teachers the input normalisation.

        Runs once, after the whole ``__init__`` chain (:class:`CheckedAfterInit`),
        when every part of the built class exists.
        """
        self.check_objectives()
        self.check_aux_heads(self.named_aux_heads())
        self.connect_teachers()

    def check_objectives(self) -> None:
        """Refuse a pretrainer that would give no loss (subclasses with optional parts)."""

    def teacher_features(self, images: torch.Tensor) -> Dict[int, TeacherFeatures]:
        """Full-image teacher features of the auxiliary heads, once per step.

        Args:
            images (Tensor): (B, C, H, W) the clean images.

        Returns:
            dict[int, TeacherFeatures]: By index in ``aux_heads``.
        """
        grid = self.backbone.patch_grid(images.shape[-2:])
        return {i: head.teacher.features(images, grid) for i, head in enumerate(self.aux_heads)
                if head.full_image_teacher}

    @staticmethod
    def saliency(features: Dict[int, TeacherFeatures]) -> Optional[torch.Tensor]:
        """(B, L) the first full-image teacher's [CLS] attention, or None."""
        return next((f.cls_attention for f in features.values()), None)

    def aux_losses(self, views: Dict[str, StudentView],
                   features: Optional[Dict[int, TeacherFeatures]] = None) -> Dict:
        """The named losses of every auxiliary head.

        Args:
            views (dict[str, StudentView]): This step's views by position
                (``'visible'``, ``'masked'``).
            features (dict[int, TeacherFeatures], optional): Precomputed
                teacher features of the views' images, by head index.

        Returns:
            dict[str, Tensor]: Each head's weighted loss.
        """
        losses = {}
        for i, head in enumerate(self.aux_heads):
            losses.update(head.aux_loss(views[head.positions], (features or {}).get(i)))
        return losses

    def encode_masked(self, inputs: torch.Tensor):
        """Teacher features (once), then the mask (saliency-aware), then the encoder.

        Args:
            inputs (Tensor): (B, C, H, W) the clean images.

        Returns:
            tuple: The encoder output (with its ``mask_info``) and the
            full-image teacher features by auxiliary-head index.
        """
        features = self.teacher_features(inputs)
        mask_info = self.mask(inputs, self.saliency(features))
        return self.backbone.encode(inputs, mask_info), features

    def patch_views(self, inputs: torch.Tensor, mask_info, visible: torch.Tensor,
                    masked: Optional[torch.Tensor] = None) -> Dict[str, StudentView]:
        """The views of a masked batch, one row per image.

        Args:
            inputs (Tensor): (B, C, H, W) the clean images.
            mask_info (MaskInfo): Their mask.
            visible (Tensor): (B, N_vis, C) tokens of the visible patches, in
                ``ids_keep`` order.
            masked (Tensor, optional): (B, N_mask, C') tokens of the masked
                patches, in ``ids_masked`` order.

        Returns:
            dict[str, StudentView]: ``'visible'`` and, with ``masked``, ``'masked'``.
        """
        grid = self.backbone.patch_grid(inputs.shape[-2:])
        views = dict(visible=StudentView.at_patches(visible, inputs, grid, mask_info.ids_keep,
                                                    mask_info))
        if masked is not None:
            views['masked'] = StudentView.at_patches(masked, inputs, grid, mask_info.ids_masked)
        return views

    def mask(self, inputs, saliency=None):
        """Mask a batch of images on the backbone's patch grid.

        Args:
            inputs (Tensor): (B, C, H, W).
            saliency (Tensor, optional): (B, L) a teacher's saliency, for a
                masker that ``needs_saliency``.

        Returns:
            MaskInfo: The batch's mask.
        """
        grid = self.backbone.patch_grid(inputs.shape[-2:])
        return self.masker(inputs.shape[0], grid, inputs.device, saliency=saliency)

    def loss(self, inputs, data_samples: List[DataSample]) -> Dict:
        """Named losses of one step; see subclasses."""
        raise NotImplementedError

    def parse_losses(self, losses: Dict) -> Tuple[torch.Tensor, Dict]:
        """mmengine's sum of the named losses, noting which are NaN/inf.

        Each named loss's finite flag goes, as a bool tensor on the device (no
        host sync), to the message hub as ``'loss_finite'`` (names, flags); the
        optimizer wrapper's guard reads the names only on a non-finite step
        (see ``GuardedOptimWrapper``). The logged values are averaged over
        ranks (``rank_mean``), so a multi-process run logs the global batch's
        losses; the returned loss stays this rank's (DDP averages the gradients).
        """
        named = [(name, v.detach()) for name, value in losses.items() if 'loss' in name
                 for v in (value if isinstance(value, list) else [value])]
        finite = torch.stack([torch.isfinite(v).all() for _, v in named]) if named else None
        MessageHub.get_current_instance().update_info(
            'loss_finite', None if finite is None else ([name for name, _ in named], finite),
            resumed=False)
        loss, log_vars = super().parse_losses(losses)
        return loss, rank_mean(log_vars)
