"""Patch-wise regression of a frozen teacher's features on the visible tokens."""
from typing import Dict, Optional

import torch
import torch.nn as nn
import torch.nn.functional as F
from mmengine.model import BaseModule

from mimtoolkit.registry import MODELS, register_part
from mimtoolkit.structures import MaskInfo
from mimtoolkit.utils import require


@register_part('head')
class FeatureDistillHead(BaseModule):
    """L2 between student tokens and a frozen teacher's tokens, visible patches only.

    i-MAE's patch-wise distillation (Eq. 5): the teacher encodes the *clean*
    image with the student's mask, and the student's (disentangled) features
    regress the teacher's, token by token, with weight c. With ``in_channels``
    set, a linear projection maps the student width to the teacher's first
    (a mimic head).

    Args:
        teacher (dict): A frozen teacher config, e.g. ``FrozenViTTeacher``.
        in_channels (int, optional): Student width; given and different from
            the teacher's, a linear projection is added. Defaults to None
            (identity: the widths must match).
        teacher_sees_mask (bool): True: the teacher encodes the visible
            patches only (same mask as the student); False: it encodes the
            whole image and its features at the visible positions are used.
            Defaults to True.
        loss_weight (float): Weight c of the loss. Defaults to 1.0.
        loss_name (str): Key in the returned dict. Defaults to ``'loss_distill'``.
        init_cfg (dict, optional): Initialisation of the projection.
    """

    def __init__(self,
                 teacher: dict,
                 in_channels: Optional[int] = None,
                 teacher_sees_mask: bool = True,
                 loss_weight: float = 1.0,
                 loss_name: str = 'loss_distill',
                 init_cfg: Optional[dict] = dict(type='Xavier', layer='Linear',
                                                 distribution='uniform')) -> None:
        super().__init__(init_cfg=init_cfg)
        require(isinstance(loss_weight, (int, float)) and loss_weight >= 0, 'loss_weight',
                loss_weight, 'a float >= 0')
        self.teacher = MODELS.build(teacher)
        out = self.teacher.embed_dims
        self.in_channels = in_channels or out
        self.proj = nn.Linear(self.in_channels, out) if self.in_channels != out else nn.Identity()
        self.teacher_sees_mask = teacher_sees_mask
        self.loss_weight = float(loss_weight)
        self.loss_name = loss_name

    def targets(self, images: torch.Tensor, mask_info: MaskInfo) -> torch.Tensor:
        """The teacher's patch features at the visible positions.

        Args:
            images (Tensor): (B, C, H, W) clean images.
            mask_info (MaskInfo): The student's mask.

        Returns:
            Tensor: (B, N_vis, C_teacher), no gradient.
        """
        if self.teacher_sees_mask:
            return self.teacher(images, mask_info).patch_tokens
        return mask_info.gather_visible(self.teacher(images).patch_tokens)

    def loss(self, student: torch.Tensor, images: torch.Tensor,
             mask_info: MaskInfo) -> Dict[str, torch.Tensor]:
        """Weighted mean squared error over visible tokens and channels, in fp32.

        Args:
            student (Tensor): (B, N_vis, C) student features of the visible
                patches, in ``mask_info.ids_keep`` order.
            images (Tensor): (B, C, H, W) the clean images the teacher encodes.
            mask_info (MaskInfo): The student's mask.

        Returns:
            dict[str, Tensor]: ``{loss_name: c · MSE}``.
        """
        target = self.targets(images, mask_info)
        pred = self.proj(student)
        return {self.loss_name: self.loss_weight * F.mse_loss(pred.float(), target.float())}
