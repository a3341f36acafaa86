"""Patch-wise regression of a frozen teacher's features (i-MAE distillation, MR-MAE mimicking)."""
from typing import Dict, Optional, Tuple

import torch
import torch.nn as nn

from mimtoolkit.registry import MODELS, register_part
from mimtoolkit.structures import StudentView, TeacherFeatures
from mimtoolkit.utils import require
from .base_head import BaseAuxHead

POSITIONS = ('visible', 'masked')
#: ``'linear'``: always a Linear(student, teacher); ``'auto'``: a Linear only when the widths
#: differ (identity otherwise); None: identity (the widths must match).
PROJECTIONS = ('linear', 'auto', None)


@register_part('head')
class FeatureDistillHead(BaseAuxHead):
    """A regression of a frozen teacher's tokens by the student's, at chosen positions.

    An auxiliary head (``aux_heads`` of any pretrainer, DESIGN.md §1b): it
    reads the pretrainer's :class:`StudentView` and returns a named loss.

    i-MAE's patch-wise distillation (Eq. 5): the teacher encodes the *clean*
    image with the student's mask, and the student's (disentangled) features
    regress the teacher's, token by token (L2: the default ``loss``), with
    weight c: h_1, h_2 are already the outputs of the disentangle layers F_1,
    F_2, so by default no projection is added at equal widths. A mimic head
    (:class:`MimicHead`) always maps the student tokens through a linear
    projection first.

    Args:
        teacher (dict): A frozen teacher config (``FrozenViTTeacher``,
            ``CLIPTeacher``, ``DINOTeacher``...).
        in_channels (int, optional): Student width. Defaults to None (the
            teacher's width).
        projection (str, optional): The map from student to teacher width,
            one of :data:`PROJECTIONS`: ``'linear'`` (always ``proj`` =
            Linear), ``'auto'`` (default: Linear only when the widths
            differ) or None (identity; the widths must match).
        teacher_sees_mask (bool): True: the teacher encodes the visible
            patches only (same mask as the student; a ``FrozenViTTeacher``);
            False: it encodes the whole image and its features at the chosen
            positions are used. Defaults to True.
        positions (str): Which tokens of the pretrainer it reads (its
            ``StudentView``): ``'visible'`` (default; the encoder's tokens of
            the visible patches) or ``'masked'`` (MAE: the decoder's last
            hidden states of the masked patches; MaskFeat/BEiT: the encoder's
            tokens there).
        loss (dict): A regression loss (``loss_compares``), called without a
            mask (every token of the view counts). Defaults to
            ``FeatureRegressionLoss(criterion='l2')``: the squared error
            averaged over the teacher's channels and the tokens.
        loss_weight (float): Weight c of the loss. Defaults to 1.0.
        loss_name (str): Key in the returned dict. Defaults to ``'loss_distill'``.
        init_cfg (dict, optional): Initialisation of the projection.
    """

    #: Where it comes from: the paper and section it implements.
    source = 'i-MAE (Zhang & Shen) Eq. 5, patch-wise distillation'

    #: The call this head makes to its loss (``LOSS_CALLS``).
    loss_compares = 'regression'
    #: Values a config may give each enumerated argument.
    choices = dict(projection=PROJECTIONS, positions=POSITIONS)

    def __init__(self,
                 teacher: dict,
                 in_channels: Optional[int] = None,
                 projection: Optional[str] = 'auto',
                 teacher_sees_mask: bool = True,
                 positions: str = 'visible',
                 loss: dict = dict(type='FeatureRegressionLoss', criterion='l2'),
                 loss_weight: float = 1.0,
                 loss_name: str = 'loss_distill',
                 init_cfg: Optional[dict] = dict(type='Xavier', layer='Linear',
                                                 distribution='uniform')) -> None:
        super().__init__(loss, loss_name, loss_weight, init_cfg)
        require(positions in POSITIONS, 'positions', positions, f'one of {POSITIONS}')
        self.teacher = MODELS.build(teacher)
        require(not teacher_sees_mask or positions == 'visible', 'teacher_sees_mask',
                teacher_sees_mask, "False when positions='masked'")
        require(not teacher_sees_mask or self.teacher.encodes_visible_only, 'teacher_sees_mask',
                teacher_sees_mask, f'False for a {type(self.teacher).__name__} (only a '
                'FrozenViTTeacher encodes the visible patches alone)')
        out = self.teacher.embed_dims
        self.in_channels = in_channels or out
        require(projection in PROJECTIONS, 'projection', projection, f'one of {PROJECTIONS}')
        require(projection is not None or self.in_channels == out, 'projection', projection,
                f"'linear' or 'auto': the student width {self.in_channels} differs from the "
                f"teacher's {out}")
        linear = projection == 'linear' or (projection == 'auto' and self.in_channels != out)
        self.proj = nn.Linear(self.in_channels, out) if linear else nn.Identity()
        self.teacher_sees_mask = teacher_sees_mask
        self.positions = positions

    @property
    def aux_needs(self) -> Tuple[str, ...]:
        """tuple[str]: ``StudentView`` fields this head reads beyond tokens and images."""
        return ('mask_info', ) if self.teacher_sees_mask else ()

    @property
    def full_image_teacher(self) -> bool:
        """bool: The teacher encodes whole clean images (its features can be shared, and
        its [CLS] attention is a saliency for a focused masker)."""
        return not self.teacher_sees_mask

    def targets(self, view: StudentView,
                features: Optional[TeacherFeatures] = None) -> torch.Tensor:
        """The teacher's features at the view's patches.

        Args:
            view (StudentView): The student tokens and the clean images.
            features (TeacherFeatures, optional): The teacher's features of
                ``view.images`` if already computed (e.g. for a focused masker).

        Returns:
            Tensor: (B', N, C_teacher), no gradient, aligned with ``view.tokens``.
        """
        if self.teacher_sees_mask:  # the visible patches under the student's mask
            return self.teacher(view.images, view.mask_info).visible
        if features is None:
            features = self.teacher.features(view.images, view.grid)
        return view.gather(features.patch_tokens)

    def aux_loss(self, view: StudentView,
                 features: Optional[TeacherFeatures] = None) -> Dict[str, torch.Tensor]:
        """The weighted loss over the view's tokens, in fp32.

        Args:
            view (StudentView): (B', N, C) student tokens and their clean images.
            features (TeacherFeatures, optional): Precomputed teacher features.

        Returns:
            dict[str, Tensor]: ``{loss_name: c · loss(proj(tokens), teacher)}``.
        """
        return self.named(self.group_losses(view, features)[0])

    def group_losses(self, view: StudentView, features: Optional[TeacherFeatures] = None,
                     num_groups: int = 1) -> torch.Tensor:
        """(num_groups,) unweighted fp32 loss of each of ``num_groups`` equal, consecutive
        groups of the view's rows (i-MAE's branches: h_1 of every image, then h_2)."""
        target = self.targets(view, features)
        pred = self.proj(view.tokens)
        return torch.stack([self.loss_module(p, t) for p, t in zip(
            pred.chunk(num_groups), target.chunk(num_groups))])
