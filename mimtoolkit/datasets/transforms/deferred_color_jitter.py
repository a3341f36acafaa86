"""ColorJitter drawn in the data worker, applied on the training device."""
from mimtoolkit.registry import TRANSFORMS
from mimtoolkit.structures import DeviceAugDraws
from .tensor_color_jitter import TensorColorJitter


@TRANSFORMS.register_module()
class DeferredColorJitter(TensorColorJitter):
    """Draw mmpretrain's ``ColorJitter`` here (its ``_rand_params``, as
    ``TensorColorJitter``), set ``color_jitter = (order, (brightness, contrast,
    saturation))`` (None where not applied) of the image's :class:`DeviceAugDraws` and
    leave the image: ``DeviceAugmentDataPreprocessor`` jitters the whole image on the
    device before it crops, with Pillow's arithmetic. Add ``'device_aug'`` to
    ``PackInputs``' ``meta_keys``.
    """

    def transform(self, results: dict) -> dict:
        """Record the draw."""
        order, brightness, contrast, saturation, _ = self._rand_params()
        DeviceAugDraws.of(results).color_jitter = ([int(i) for i in order],
                                                   (brightness, contrast, saturation))
        return results
