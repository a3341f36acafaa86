"""FP32SingleRoIExtractor: mmdet's RoI extractor with RoIAlign run in fp32 under AMP."""
from typing import Optional, Tuple

import torch
from mmdet.models.roi_heads.roi_extractors import SingleRoIExtractor

from mimtoolkit.registry import MODELS


@MODELS.register_module()
class FP32SingleRoIExtractor(SingleRoIExtractor):
    """``SingleRoIExtractor`` whose RoI pooling computes in fp32 whatever the autocast dtype.

    Under ``--amp`` the FPN's maps are bf16 on GPUs of compute capability >= 8.0 (the
    toolkit's ``AutoAmpOptimWrapper`` picks bf16 there); mmdet casts the RoIs to the maps'
    dtype, and mmcv 2.1.0's RoIAlign kernels (CPU and CUDA) have no bf16 instantiation, so
    the first detection step fails (mmcv issues #2878/#3061 are the same class). Here the
    maps and RoIs go to fp32 with autocast off for the pooling only; the pooled features
    (N, C, s, s) come out in fp32 and the box and mask heads after it run under autocast as
    before. Same arguments and outputs as mmdet's extractor.
    """

    def forward(self, feats: Tuple[torch.Tensor], rois: torch.Tensor,
                roi_scale_factor: Optional[float] = None) -> torch.Tensor:
        """Pool ``rois`` (n, 5) from the levels ``feats`` ((B, C, h_i, w_i) each) in fp32.

        Returns:
            Tensor: (n, C, out_size, out_size) float32.
        """
        with torch.autocast(feats[0].device.type, enabled=False):
            return super().forward(tuple(f.float() for f in feats), rois.float(),
                                   roi_scale_factor)
