"""Patch-wise regression of a frozen teacher's features (i-MAE distillation, MR-MAE mimicking)."""
import math
from typing import Dict, Optional, Tuple

import torch
import torch.nn as nn
import torch.nn.functional as F
from mmengine.model import BaseModule

from mimtoolkit.registry import MODELS, register_part
from mimtoolkit.structures import MaskInfo, TeacherFeatures
from mimtoolkit.utils import require

POSITIONS = ('visible', 'masked')


def student_grid(images: torch.Tensor, num_patches: int) -> Tuple[int, int]:
    """The (h, w) patch grid of square patches that cut ``images`` into ``num_patches``."""
    H, W = images.shape[-2:]
    p = round(math.sqrt(H * W / num_patches))
    return H // p, W // p


@register_part('head')
class FeatureDistillHead(BaseModule):
    """L2 between student tokens and a frozen teacher's tokens at chosen positions.

    i-MAE's patch-wise distillation (Eq. 5): the teacher encodes the *clean*
    image with the student's mask, and the student's (disentangled) features
    regress the teacher's, token by token, with weight c. With ``in_channels``
    set, a linear projection maps the student width to the teacher's first
    (a mimic head, see :class:`MimicHead`).

    Args:
        teacher (dict): A frozen teacher config (``FrozenViTTeacher``,
            ``CLIPTeacher``, ``DINOTeacher``...).
        in_channels (int, optional): Student width; given and different from
            the teacher's, a linear projection is added. Defaults to None
            (identity: the widths must match).
        teacher_sees_mask (bool): True: the teacher encodes the visible
            patches only (same mask as the student; a ``FrozenViTTeacher``);
            False: it encodes the whole image and its features at the chosen
            positions are used. Defaults to True.
        positions (str): Which tokens the student gives: ``'visible'``
            (default) or ``'masked'`` (e.g. decoder outputs).
        loss_weight (float): Weight c of the loss. Defaults to 1.0.
        loss_name (str): Key in the returned dict. Defaults to ``'loss_distill'``.
        init_cfg (dict, optional): Initialisation of the projection.
    """

    def __init__(self,
                 teacher: dict,
                 in_channels: Optional[int] = None,
                 teacher_sees_mask: bool = True,
                 positions: str = 'visible',
                 loss_weight: float = 1.0,
                 loss_name: str = 'loss_distill',
                 init_cfg: Optional[dict] = dict(type='Xavier', layer='Linear',
                                                 distribution='uniform')) -> None:
        super().__init__(init_cfg=init_cfg)
        require(isinstance(loss_weight, (int, float)) and loss_weight >= 0, 'loss_weight',
                loss_weight, 'a float >= 0')
        require(positions in POSITIONS, 'positions', positions, f'one of {POSITIONS}')
        self.teacher = MODELS.build(teacher)
        require(not teacher_sees_mask or positions == 'visible', 'teacher_sees_mask',
                teacher_sees_mask, "False when positions='masked'")
        require(not teacher_sees_mask or self.teacher.encodes_visible_only, 'teacher_sees_mask',
                teacher_sees_mask, f'False for a {type(self.teacher).__name__} (only a '
                'FrozenViTTeacher encodes the visible patches alone)')
        out = self.teacher.embed_dims
        self.in_channels = in_channels or out
        self.proj = nn.Linear(self.in_channels, out) if self.in_channels != out else nn.Identity()
        self.teacher_sees_mask = teacher_sees_mask
        self.positions = positions
        self.loss_weight = float(loss_weight)
        self.loss_name = loss_name

    def targets(self, images: torch.Tensor, mask_info: MaskInfo,
                features: Optional[TeacherFeatures] = None) -> torch.Tensor:
        """The teacher's patch features at the chosen positions.

        Args:
            images (Tensor): (B, C, H, W) clean images.
            mask_info (MaskInfo): The student's mask.
            features (TeacherFeatures, optional): The teacher's features of
                these images if already computed (e.g. for a focused masker).

        Returns:
            Tensor: (B, N_pos, C_teacher), no gradient, in ``ids_keep`` order
            (visible) or the masker's shuffle order (masked).
        """
        if self.teacher_sees_mask:
            return self.teacher(images, mask_info).patch_tokens
        if features is None:
            features = self.teacher.features(images, student_grid(images, mask_info.mask.shape[1]))
        if self.positions == 'visible':
            return mask_info.gather_visible(features.patch_tokens)
        return mask_info.gather_masked(features.patch_tokens)

    def loss(self, student: torch.Tensor, images: torch.Tensor, mask_info: MaskInfo,
             features: Optional[TeacherFeatures] = None) -> Dict[str, torch.Tensor]:
        """Weighted mean squared error over the chosen tokens and channels, in fp32.

        Args:
            student (Tensor): (B, N_pos, C) student features of the chosen
                patches, in the order :meth:`targets` returns.
            images (Tensor): (B, C, H, W) the clean images the teacher encodes.
            mask_info (MaskInfo): The student's mask.
            features (TeacherFeatures, optional): Precomputed teacher features.

        Returns:
            dict[str, Tensor]: ``{loss_name: c · MSE}``.
        """
        target = self.targets(images, mask_info, features)
        pred = self.proj(student)
        return {self.loss_name: self.loss_weight * F.mse_loss(pred.float(), target.float())}
