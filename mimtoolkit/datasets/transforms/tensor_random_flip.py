"""mmcv's RandomFlip on a (C, H, W) image tensor."""
import numpy as np
from mmcv.transforms import RandomFlip
from mmcv.transforms.utils import cache_randomness

from mimtoolkit.registry import TRANSFORMS

#: flip direction -> tensor dims of a (C, H, W) image
FLIP_DIMS = {'horizontal': (-1, ), 'vertical': (-2, ), 'diagonal': (-2, -1)}


@TRANSFORMS.register_module()
class TensorRandomFlip(RandomFlip):
    """RandomFlip for the tensor pipeline: mmcv's arguments and draw, the image a (C, H, W)
    tensor (``CheckedLoadImageFromFile`` with ``imdecode_backend='torchvision'``). Only
    images: a pretraining pipeline has no boxes, keypoints or segmentation maps.
    """

    #: What a recipe reads it as (``mimtoolkit.engine.recipe_facts``).
    same_augmentation_as = 'RandomFlip'

    @cache_randomness
    def _choose_direction(self):
        """mmcv's draw; for one direction and a float ``prob`` without its list building:
        ``np.random.choice([direction, None], p=[prob, 1 - prob])`` takes the first exactly
        when its one uniform draw is below ``prob`` (the same draw, the same outcome)."""
        if isinstance(self.direction, str) and isinstance(self.prob, float):
            return self.direction if np.random.random_sample() < self.prob else None
        return super()._choose_direction()

    def _flip(self, results: dict) -> None:
        """Flip ``results['img']`` along the drawn direction."""
        results['img'] = results['img'].flip(FLIP_DIMS[results['flip_direction']])
