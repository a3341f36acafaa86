"""MR-MAE's mimic head: the encoder's visible tokens regress a frozen teacher's features."""
from typing import Optional

from mimtoolkit.registry import register_part
from mimtoolkit.utils import require
from .feature_distill_head import POSITIONS, FeatureDistillHead


@register_part('head')
class MimicHead(FeatureDistillHead):
    """MR-MAE's mimic head (Eq. 2): a linear projection of the encoder's visible tokens
    to the teacher width, L2 against the teacher's features of the full clean image
    at the same positions, weight 0.5 (§4.1).

    The projection ``proj`` is a ``nn.Linear(in_channels, C_teacher)`` at every
    width, equal widths included ("we transform the visible representations
    E_v via a linear projection layer to mimic F_v"), initialised like the
    head's other linears (Xavier uniform). ``projection=None`` (identity) is
    an ablation, off by default.

    Args:
        teacher (dict): ``CLIPTeacher``, ``DINOTeacher`` or ``FrozenViTTeacher``.
        in_channels (int): The encoder width.
        projection (str, optional): ``'linear'`` (default, the paper) or None
            (ablation: the encoder tokens regress the teacher directly).
        positions (str): ``'visible'`` (MR-MAE) or ``'masked'`` (the
            "semantic conflict" ablation on decoder outputs).
        loss_weight (float): Defaults to 0.5.
        loss_name (str): Defaults to ``'loss_mimic'``.
        **kwargs: See :class:`FeatureDistillHead`.
    """

    #: Where it comes from: the paper and section it implements.
    source = 'MR-MAE (Gao et al. 2023) Eq. 2'
    #: Values a config may give each enumerated argument (what the checks allow).
    choices = dict(projection=('linear', None), positions=POSITIONS)

    def __init__(self, teacher: dict, in_channels: Optional[int] = None,
                 projection: Optional[str] = 'linear', positions: str = 'visible',
                 loss_weight: float = 0.5, loss_name: str = 'loss_mimic', **kwargs) -> None:
        require(projection in ('linear', None), 'projection', projection,
                "'linear' (MR-MAE, Eq. 2) or None (ablation: no projection)")
        super().__init__(teacher=teacher, in_channels=in_channels, projection=projection,
                         teacher_sees_mask=False,
                         positions=positions, loss_weight=loss_weight, loss_name=loss_name,
                         **kwargs)
