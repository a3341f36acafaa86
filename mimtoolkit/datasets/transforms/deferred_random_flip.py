"""RandomFlip drawn in the data worker, applied on the training device."""
from mimtoolkit.registry import TRANSFORMS
from mimtoolkit.structures import DeviceAugDraws
from mimtoolkit.utils import require
from .tensor_random_flip import TensorRandomFlip


@TRANSFORMS.register_module()
class DeferredRandomFlip(TensorRandomFlip):
    """Draw mmcv's ``RandomFlip`` here (the same draw as ``TensorRandomFlip``), set
    ``flip`` of the image's :class:`DeviceAugDraws` (mmcv's ``results['flip']`` too), and
    leave the image: ``DeviceAugmentDataPreprocessor`` flips the cropped batch on the
    device. Add ``'device_aug'`` to ``PackInputs``' ``meta_keys``. Only horizontal flips.
    """

    def __init__(self, prob=None, direction='horizontal', **kwargs) -> None:
        require(direction == 'horizontal', 'DeferredRandomFlip.direction', direction,
                "'horizontal' (the device flips along the width)")
        super().__init__(prob=prob, direction=direction, **kwargs)

    def transform(self, results: dict) -> dict:
        """mmcv's draw, recorded for the device."""
        results = super().transform(results)
        DeviceAugDraws.of(results).flip = bool(results.get('flip'))
        return results

    def _flip(self, results: dict) -> None:
        """Nothing here: the device flips."""
