"""What heads share: a registered loss, its name and weight; and the auxiliary-head contract."""
from typing import Dict, Optional, Tuple

import torch
from mmengine.model import BaseModule

from mimtoolkit.structures import StudentView, TeacherFeatures
from ..losses import build_loss, check_loss_weight


class LossHead(BaseModule):
    """A head that returns one named, weighted loss through a registered ``loss`` part.

    Args:
        loss (dict): The loss config; it must answer the head's ``loss_compares``.
        loss_name (str): Key of the loss in the returned dict.
        loss_weight (float): Weight of the loss.
        init_cfg (dict, optional): Initialisation.
    """

    def __init__(self, loss: dict, loss_name: str, loss_weight: float,
                 init_cfg: Optional[dict] = None) -> None:
        super().__init__(init_cfg=init_cfg)
        self.loss_module = build_loss(loss, type(self))
        self.loss_name = loss_name
        self.loss_weight = check_loss_weight(loss_weight, type(self).__name__)

    def named(self, value: torch.Tensor) -> Dict[str, torch.Tensor]:
        """``{loss_name: loss_weight · value}``."""
        return {self.loss_name: self.loss_weight * value}


class BaseAuxHead(LossHead):
    """The contract of an auxiliary head (``aux_heads`` of any pretrainer, DESIGN.md §1b).

    What it reads, what it needs and what it returns are declared, so a
    pretrainer checks at build time that it can feed the head:

    - ``positions``: the tokens it reads, ``'visible'`` (the encoder's at the
      visible patches) or ``'masked'`` (the decoder's, or the encoder's
      [MASK] tokens, at the masked patches);
    - ``in_channels``: the width of those tokens;
    - ``aux_needs``: :class:`StudentView` fields beyond tokens and images
      (``'mask_info'``: the student's mask on the clean images; ``'slots'``:
      a patch mixer's source slots);
    - ``full_image_teacher``: whether a teacher of it encodes whole clean
      images (its features can be computed once a step, and its [CLS]
      attention is a saliency for a focused masker);
    - :meth:`aux_loss` returns ``{loss_name: weighted loss}``.
    """

    #: Which tokens of a pretrainer it reads.
    positions = 'visible'
    #: ``StudentView`` fields it reads beyond tokens and images.
    aux_needs: Tuple[str, ...] = ()
    #: Whether a teacher of it encodes whole clean images.
    full_image_teacher = False
    #: The width of the tokens it reads (set by the head).
    in_channels: int

    def aux_loss(self, view: StudentView,
                 features: Optional[TeacherFeatures] = None) -> Dict[str, torch.Tensor]:
        """The named, weighted loss on a pretrainer's view.

        Args:
            view (StudentView): The tokens at ``positions`` and what ``aux_needs``.
            features (TeacherFeatures, optional): The full-image teacher's
                features of ``view.images`` when computed once for the step.

        Returns:
            dict[str, Tensor]: ``{loss_name: scalar}``.
        """
        raise NotImplementedError
