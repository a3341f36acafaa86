"""MR-MAE's mimic head: the encoder's visible tokens regress a frozen teacher's features."""
from typing import Optional

from mimtoolkit.registry import register_part
from .feature_distill_head import FeatureDistillHead


@register_part('head')
class MimicHead(FeatureDistillHead):
    """MR-MAE's mimic head (Eq. 2): a linear projection of the encoder's visible tokens
    to the teacher width, L2 against the teacher's features of the full clean image
    at the same positions, weight 0.5 (§4.1).

    Args:
        teacher (dict): ``CLIPTeacher``, ``DINOTeacher`` or ``FrozenViTTeacher``.
        in_channels (int): The encoder width (a projection is added when it
            differs from the teacher's).
        positions (str): ``'visible'`` (MR-MAE) or ``'masked'`` (the
            "semantic conflict" ablation on decoder outputs).
        loss_weight (float): Defaults to 0.5.
        loss_name (str): Defaults to ``'loss_mimic'``.
        **kwargs: See :class:`FeatureDistillHead`.
    """

    def __init__(self, teacher: dict, in_channels: Optional[int] = None,
                 positions: str = 'visible', loss_weight: float = 0.5,
                 loss_name: str = 'loss_mimic', **kwargs) -> None:
        super().__init__(teacher=teacher, in_channels=in_channels, teacher_sees_mask=False,
                         positions=positions, loss_weight=loss_weight, loss_name=loss_name,
                         **kwargs)
