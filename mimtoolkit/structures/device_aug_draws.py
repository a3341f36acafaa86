"""The hand-off from the data worker's deferred transforms to the device-side preprocessor."""
from dataclasses import dataclass
from typing import Optional, Sequence, Tuple


@dataclass
class DeviceAugDraws:
    """What the data worker drew for one image, for the training device to apply.

    The ``Deferred*`` transforms fill it in ``results['device_aug']`` (:meth:`of`);
    ``PackInputs(meta_keys=(..., 'device_aug'))`` carries it to the data sample, and
    ``DeviceAugmentDataPreprocessor`` reads it (jitter, then crop-resize, then flip).

    Attributes:
        crop_box (tuple[int, int, int, int], optional): (top, left, height, width) of
            the crop in the decoded image (``DeferredRandomResizedCrop``).
        crop_size (tuple[int, int], optional): (h, w) the crop is resized to.
        flip (bool): Mirror the crop along its width (``DeferredRandomFlip``).
        color_jitter (tuple, optional): ``(order, (brightness, contrast, saturation))``,
            ColorJitter's permutation and factors, None where not applied
            (``DeferredColorJitter``).
    """

    crop_box: Optional[Tuple[int, int, int, int]] = None
    crop_size: Optional[Tuple[int, int]] = None
    flip: bool = False
    color_jitter: Optional[Tuple[Sequence[int], Tuple]] = None

    #: The key in a transform's ``results`` and a data sample's metainfo.
    KEY = 'device_aug'

    @classmethod
    def of(cls, results: dict) -> 'DeviceAugDraws':
        """The draws of a transform's ``results`` (a new, empty one if none yet)."""
        return results.setdefault(cls.KEY, cls())
