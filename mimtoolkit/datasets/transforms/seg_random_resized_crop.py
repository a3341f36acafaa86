"""Random resized crops of an image and its segmentation map together."""
import math
import random
from typing import Sequence, Tuple

import mmcv
from mmcv.transforms import BaseTransform

from mimtoolkit.registry import TRANSFORMS
from mimtoolkit.utils import require


@TRANSFORMS.register_module()
class SegRandomResizedCrop(BaseTransform):
    """torchvision's ``RandomResizedCrop`` for an image and its ``gt_seg_map``.

    A box of ``scale`` x the image area and aspect ratio in ``ratio`` (log-
    uniform) is cut from both and resized to ``size`` (image bilinear, map
    nearest); after 10 failed draws the whole image is the box. mmseg has no
    such transform; the frozen-feature VOC probe of Ziegler & Asano (SemanticMIM
    Tab. 6) trains on these crops (448, scale (0.8, 1)).

    Args:
        size (Sequence[int]): (h, w) out.
        scale (Sequence[float]): Area fraction range. Defaults to (0.08, 1).
        ratio (Sequence[float]): Aspect ratio range. Defaults to (3/4, 4/3).
    """

    def __init__(self, size: Sequence[int], scale: Sequence[float] = (0.08, 1.0),
                 ratio: Sequence[float] = (3. / 4., 4. / 3.)) -> None:
        require(len(size) == 2, 'SegRandomResizedCrop.size', size, '(h, w)')
        require(0 < scale[0] <= scale[1] <= 1, 'SegRandomResizedCrop.scale', scale,
                '(lo, hi) with 0 < lo <= hi <= 1')
        self.size = tuple(int(s) for s in size)
        self.scale = tuple(scale)
        self.ratio = tuple(ratio)

    def box(self, height: int, width: int) -> Tuple[int, int, int, int]:
        """(top, left, h, w) of a crop, as torchvision draws it."""
        area = height * width
        log_ratio = (math.log(self.ratio[0]), math.log(self.ratio[1]))
        for _ in range(10):
            target = area * random.uniform(*self.scale)
            aspect = math.exp(random.uniform(*log_ratio))
            w = int(round(math.sqrt(target * aspect)))
            h = int(round(math.sqrt(target / aspect)))
            if 0 < w <= width and 0 < h <= height:
                return random.randint(0, height - h), random.randint(0, width - w), h, w
        return 0, 0, height, width

    def transform(self, results: dict) -> dict:
        """Crop and resize ``img`` and ``gt_seg_map``."""
        img = results['img']
        top, left, h, w = self.box(*img.shape[:2])
        out_h, out_w = self.size
        results['img'] = mmcv.imresize(img[top:top + h, left:left + w], (out_w, out_h),
                                       interpolation='bilinear')
        if 'gt_seg_map' in results:
            seg = results['gt_seg_map'][top:top + h, left:left + w]
            results['gt_seg_map'] = mmcv.imresize(seg, (out_w, out_h), interpolation='nearest')
        results['img_shape'] = results['img'].shape[:2]
        return results
