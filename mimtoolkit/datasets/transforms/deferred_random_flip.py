"""RandomFlip drawn in the data worker, applied on the training device."""
from mimtoolkit.registry import TRANSFORMS
from mimtoolkit.utils import require
from .tensor_random_flip import TensorRandomFlip


@TRANSFORMS.register_module()
class DeferredRandomFlip(TensorRandomFlip):
    """Draw mmcv's ``RandomFlip`` here (the same draw as ``TensorRandomFlip``), set
    ``results['flip']`` and ``results['flip_direction']``, and leave the image:
    ``DeviceAugmentDataPreprocessor`` flips the cropped batch on the device. Add
    ``flip`` to ``PackInputs``' ``meta_keys``. Only horizontal flips.
    """

    def __init__(self, prob=None, direction='horizontal', **kwargs) -> None:
        require(direction == 'horizontal', 'DeferredRandomFlip.direction', direction,
                "'horizontal' (the device flips along the width)")
        super().__init__(prob=prob, direction=direction, **kwargs)

    def _flip(self, results: dict) -> None:
        """Nothing here: the device flips."""
