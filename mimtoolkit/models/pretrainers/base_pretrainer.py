"""What every pretrainer shares: building its parts and refusing what it cannot wire."""
from typing import Dict, List, Optional, Tuple, Union

import torch
import torch.nn as nn
from mmengine.logging import MessageHub
from mmpretrain.models.selfsup import BaseSelfSupervisor
from mmpretrain.structures import DataSample

from mimtoolkit.models.targets import BaseFrozenTeacher
from mimtoolkit.registry import MODELS
from mimtoolkit.utils import ConfigError, rank_mean, require

PartCfg = Optional[Union[dict, nn.Module]]


def build_part(cfg: PartCfg) -> Optional[nn.Module]:
    """Build a part from a config (mimtoolkit scope, falling back to mmpretrain's)."""
    if cfg is None or isinstance(cfg, nn.Module):
        return cfg
    return MODELS.build(cfg)


class BasePretrainer(BaseSelfSupervisor):
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
        data_preprocessor (dict, optional): Defaults to ``SelfSupDataPreprocessor``.
        init_cfg (dict, optional): Initialisation config.
    """

    #: Whether the method wires in a ``mixer`` (i-MAE, MixedAE).
    accepts_mixer = False
    #: Whether the method masks with a ``masker`` (MixedAE's mixing replaces it).
    needs_masker = True
    #: Whether the method can read an encoder with SemanticMIM's [MASK] branch
    #: (a token at every patch instead of the visible ones).
    supports_proxy_branch = True

    def __init__(self,
                 backbone: PartCfg,
                 neck: PartCfg = None,
                 head: PartCfg = None,
                 target_generator: PartCfg = None,
                 masker: PartCfg = None,
                 mixer: PartCfg = None,
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
        self.masker = build_part(masker)
        self.mixer = build_part(mixer)
        require(hasattr(self.backbone, 'encode'), 'model.backbone.type',
                type(self.backbone).__name__, 'a MIM encoder with encode() (e.g. MIMViT)')
        require(self.supports_proxy_branch or not getattr(self.backbone, 'with_proxy_branch',
                                                          False),
                'model.backbone.num_proxy_tokens', getattr(self.backbone, 'num_proxy_tokens', 0),
                f'0 for {type(self).__name__} (its decoder works on the visible tokens of '
                'mixed inputs; the proxy branch fits MAE, MRMAE, MaskFeat and BEiT), or '
                'model.backbone.proxy_block=None')

    def connect_teachers(self) -> None:
        """Hand the data preprocessor's mean/std to every frozen teacher (to re-normalise)."""
        pre = self.data_preprocessor
        if not getattr(pre, '_enable_normalize', False):
            return
        for module in self.modules():
            if isinstance(module, BaseFrozenTeacher):
                module.adopt_input_normalization(pre.mean, pre.std)

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
        if getattr(self.masker, 'needs_saliency', False):
            return self.masker(inputs.shape[0], grid, inputs.device, saliency=saliency)
        return self.masker(inputs.shape[0], grid, inputs.device)

    def loss(self, inputs, data_samples: List[DataSample]) -> Dict:
        """Named losses of one step; see subclasses."""
        raise NotImplementedError

    def parse_losses(self, losses: Dict) -> Tuple[torch.Tensor, Dict]:
        """mmengine's sum of the named losses, noting which are NaN/inf.

        The names go to the message hub (``'nonfinite_losses'``), where the
        optimizer wrapper's guard reports them (see ``GuardedOptimWrapper``).
        The logged values are averaged over ranks (``rank_mean``), so a
        multi-process run logs the global batch's losses; the returned loss
        stays this rank's (DDP averages the gradients).
        """
        named = [(name, v.detach()) for name, value in losses.items() if 'loss' in name
                 for v in (value if isinstance(value, list) else [value])]
        finite = torch.stack([torch.isfinite(v).all() for _, v in named]) if named else None
        bad = [] if finite is None or finite.all() else list(dict.fromkeys(  # one sync a step
            name for (name, _), ok in zip(named, finite.tolist()) if not ok))
        MessageHub.get_current_instance().update_info('nonfinite_losses', bad)
        loss, log_vars = super().parse_losses(losses)
        return loss, rank_mean(log_vars)
