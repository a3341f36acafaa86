"""FP32ProposalRPNHead: mmdet's RPN head with its proposals decoded and NMS'd in fp32 under AMP."""
from typing import List

import torch
from mmdet.models.dense_heads import RPNHead

from mimtoolkit.registry import MODELS


@MODELS.register_module()
class FP32ProposalRPNHead(RPNHead):
    """``RPNHead`` whose proposals (box decoding, scores, NMS) compute in fp32 under autocast.

    Under ``--amp`` in bf16 (what ``AutoAmpOptimWrapper`` picks on A100/H100) the RPN's
    outputs are bf16, and mmcv 2.1.0's NMS kernels take only fp32 boxes ("expected scalar
    type Float but found BFloat16"), so a detector's first training step fails. Here the
    scores and deltas go to fp32 with autocast off for the proposal step only (anchors,
    decoding, NMS); the proposals (n, 4) come out in fp32 for the RoI head. The losses and the
    convolutions are mmdet's, under autocast as before.
    """

    def predict_by_feat(self, cls_scores: List[torch.Tensor], bbox_preds: List[torch.Tensor],
                        *args, **kwargs):
        """mmdet's, on fp32 copies of the per-level (B, A·C, h, w) scores and (B, A·4, h, w)
        deltas (so the anchors are made in fp32 too), with autocast off."""
        with torch.autocast(cls_scores[0].device.type, enabled=False):
            return super().predict_by_feat([s.float() for s in cls_scores],
                                           [b.float() for b in bbox_preds], *args, **kwargs)
