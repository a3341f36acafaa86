"""RandomResizedCrop drawn in the data worker, applied on the training device."""
from mimtoolkit.registry import TRANSFORMS
from mimtoolkit.structures import DeviceAugDraws
from .tensor_random_resized_crop import TensorRandomResizedCrop


@TRANSFORMS.register_module()
class DeferredRandomResizedCrop(TensorRandomResizedCrop):
    """Draw mmpretrain's ``RandomResizedCrop`` box here; crop and resize it later, on the
    device, in ``DeviceAugmentDataPreprocessor`` (one batched call for the whole batch).

    The box is drawn exactly as ``TensorRandomResizedCrop`` (and so mmpretrain's
    ``RandomResizedCrop``) draws it, from ``results['img_shape']``, so the image may be a
    decoded (3, H, W) tensor or, with ``CheckedLoadImageFromFile(imdecode_backend='bytes')``,
    the undecoded bytes. Drawing in the worker keeps mmengine's per-worker, per-rank seeds:
    the boxes of a run are those of the CPU pipeline under the same seeds.

    Sets ``crop_box = (top, left, height, width)`` and ``crop_size = (h, w)`` of the
    image's :class:`DeviceAugDraws` (``results['device_aug']``); the image is left as it
    is. Add ``'device_aug'`` to ``PackInputs``' ``meta_keys``. Arguments as
    ``TensorRandomResizedCrop``; the device resamples with ``roi_align`` (see
    ``DeviceAugmentDataPreprocessor``), whatever ``interpolation`` says.
    """

    def transform(self, results: dict) -> dict:
        """Draw the box of ``results['img_shape']`` ((H, W))."""
        draws = DeviceAugDraws.of(results)
        draws.crop_box = tuple(self.draw_box(results['img_shape']))
        draws.crop_size = tuple(self.scale)
        return results
