"""Evaluate segmentation at the resized input's size, not the original image's."""
from mmcv.transforms import BaseTransform

from mimtoolkit.registry import TRANSFORMS


@TRANSFORMS.register_module()
class EvaluateAtInputSize(BaseTransform):
    """Make the resized image (and map) the reference size of the prediction.

    mmseg resizes predictions to ``ori_shape`` and scores them against the
    packed ``gt_seg_map``. Placed after a ``Resize`` that also resized the map
    (``LoadAnnotations`` before it), this sets ``ori_shape = img_shape``, so
    the metric compares at that size: SemanticMIM's VOC probe (Tab. 6)
    evaluates at 448 x 448, image and labels resized (labels nearest).
    """

    def transform(self, results: dict) -> dict:
        """Set ``ori_shape`` to ``img_shape``."""
        results['ori_shape'] = results['img_shape']
        return results
