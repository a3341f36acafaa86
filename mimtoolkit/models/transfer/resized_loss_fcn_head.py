"""ResizedLossFCNHead: mmseg's FCNHead with its loss taken at a fixed, low resolution."""
from typing import Sequence

import torch
import torch.nn.functional as F
from mmseg.models.decode_heads import FCNHead

from mimtoolkit.registry import MODELS
from mimtoolkit.utils import require


@MODELS.register_module()
class ResizedLossFCNHead(FCNHead):
    """FCNHead whose training loss compares logits and labels at ``loss_size``.

    The frozen-feature segmentation probe of Ziegler & Asano (2022), as
    SemanticMIM's Tab. 6 runs it: for speed the labels are resized (nearest)
    to ``loss_size`` and the logits (bilinear) to the same size before the
    cross-entropy; inference is unchanged (logits resized to the image).
    ``num_convs=0, concat_input=False`` makes it the probe's single 1x1 conv.

    Args:
        loss_size (Sequence[int]): (h, w) of the loss, e.g. (100, 100).
        **kwargs: :class:`mmseg.models.decode_heads.FCNHead` arguments.
    """

    def __init__(self, loss_size: Sequence[int] = (100, 100), **kwargs) -> None:
        require(len(loss_size) == 2 and all(int(s) > 0 for s in loss_size),
                'decode_head.loss_size', loss_size, '(h, w), two positive ints')
        super().__init__(**kwargs)
        self.loss_size = tuple(int(s) for s in loss_size)

    def _stack_batch_gt(self, batch_data_samples) -> torch.Tensor:
        """(B, 1, h, w) labels at ``loss_size`` (nearest), so the logits follow them there."""
        labels = super()._stack_batch_gt(batch_data_samples)
        return F.interpolate(labels.float(), size=self.loss_size, mode='nearest').long()
