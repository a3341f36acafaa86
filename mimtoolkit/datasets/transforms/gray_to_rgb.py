"""Grey-scale to 3-channel images."""
import numpy as np
from mmcv.transforms import BaseTransform

from mimtoolkit.registry import TRANSFORMS


@TRANSFORMS.register_module()
class GrayToRGB(BaseTransform):
    """Repeat a (H, W) or (H, W, 1) ``img`` into (H, W, 3); 3-channel images pass through.

    Fashion-MNIST and other grey datasets then feed the same 3-channel encoders,
    HOG targets and pixel heads as colour photos.
    """

    def transform(self, results: dict) -> dict:
        """Expand ``results['img']`` to three channels."""
        img = results['img']
        if img.ndim == 2:
            img = img[..., None]
        if img.shape[-1] == 1:
            img = np.repeat(img, 3, axis=-1)
        results['img'] = np.ascontiguousarray(img)
        results['img_shape'] = img.shape[:2]
        return results
