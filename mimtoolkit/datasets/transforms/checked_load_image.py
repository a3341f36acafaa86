"""CheckedLoadImageFromFile: an unreadable image names its path, or is skipped and counted."""
import io
from typing import Optional

import cv2
import mmcv
import mmengine.fileio as fileio
import numpy as np
import torch
from mmcv.image.io import _pillow2array
from mmcv.transforms import LoadImageFromFile
from PIL import Image

from mimtoolkit.functional.image_ops import JPEG_EOI, JPEG_SOI
from mimtoolkit.registry import TRANSFORMS
from mimtoolkit.utils import require
from mimtoolkit.utils.unreadable_image import ON_ERROR, UnreadableImages
from ..image_decoding import decode_rgb, pillow_image
from ..tar_shards import ShardReader

CHANNEL_ORDERS = ('bgr', 'rgb')
#: imdecode_backend values that give a tensor, not mmcv's HWC array
TENSOR_BACKENDS = ('torchvision', 'bytes')
EXIF_ORIENTATION = 0x0112


@TRANSFORMS.register_module()
class CheckedLoadImageFromFile(LoadImageFromFile):
    """mmcv's ``LoadImageFromFile`` that reports (or skips) files it cannot decode.

    Decodes with Pillow by default, which refuses truncated files (OpenCV
    decodes a truncated JPEG into a partly grey image without a word). Every
    backend gives the 8-bit RGB of :mod:`mimtoolkit.datasets.image_decoding`
    (a 16-bit PNG scaled, not clipped; alpha dropped; upright).

    Args:
        on_error (str): ``'raise'`` (default): a missing, truncated or
            non-image file raises one :class:`~mimtoolkit.utils.ConfigError`
            naming it. ``'skip'``: log the path with a running count (per data
            worker) and return None, so the dataset serves another sample
            (mmengine's ``BaseDataset`` re-fetches).
        imdecode_backend (str): Defaults to ``'pillow'``. ``'torchvision'``:
            a uint8 (3, H, W) tensor, for the tensor transforms
            (``TensorRandomResizedCrop``, ``TensorRandomFlip``, ``TensorColorJitter``): a
            whole JPEG (start and end markers) is decoded by OpenCV's libjpeg-turbo
            straight to BGR (the same pixels as TorchCodec's, no channel reorder),
            anything else by TorchCodec (``decode_rgb``), which refuses a truncated
            file; no float copy in the workers.
            ``'bytes'``: no decoding at all: the file's bytes as a 1-D uint8 tensor and
            its size from the header, for ``DeviceAugmentDataPreprocessor`` (which
            decodes on the device); only the header is checked here. A photo with an
            EXIF orientation is decoded here as with ``'torchvision'`` (nvJPEG would
            leave it sideways).
        channel_order (str): Of a ``'torchvision'`` tensor: ``'bgr'`` (default, as
            mmcv's backends give, for data preprocessors with ``to_rgb=True``) or
            ``'rgb'``.
        **kwargs: Other ``LoadImageFromFile`` arguments.

    Items of a ``TarShardDataset`` (``shard``, ``shard_offset``, ``shard_size``) are read
    from their shard in place; ``img_path`` (``SHARD::MEMBER``) names them in errors.
    """

    def __init__(self, on_error: str = 'raise', imdecode_backend: str = 'pillow',
                 channel_order: str = 'bgr', **kwargs) -> None:
        require(on_error in ON_ERROR, 'CheckedLoadImageFromFile.on_error', on_error,
                f'one of {ON_ERROR}')
        require(channel_order in CHANNEL_ORDERS, 'CheckedLoadImageFromFile.channel_order',
                channel_order, f'one of {CHANNEL_ORDERS}')
        super().__init__(imdecode_backend=imdecode_backend, **kwargs)
        if imdecode_backend in TENSOR_BACKENDS:
            require(not self.to_float32, 'CheckedLoadImageFromFile.to_float32', self.to_float32,
                    f"False with imdecode_backend={imdecode_backend!r} (uint8 until the "
                    'data preprocessor)')
            require(self.color_type == 'color', 'CheckedLoadImageFromFile.color_type',
                    self.color_type, f"'color' with imdecode_backend={imdecode_backend!r}")
            require(self.file_client_args is None, 'CheckedLoadImageFromFile.file_client_args',
                    self.file_client_args,
                    f"None with imdecode_backend={imdecode_backend!r} (use backend_args)")
        self.on_error = on_error
        self.channel_order = channel_order
        self.unreadable = UnreadableImages(
            on_error, "dict(type='CheckedLoadImageFromFile', on_error='skip')",
            'this data worker')
        self.reader = ShardReader()

    def _read(self, results: dict) -> bytes:
        """The encoded image: a shard member in place, or the file."""
        if 'shard' in results:
            return self.reader.read(results['shard'], results['shard_offset'],
                                    results['shard_size'])
        return fileio.get(results['img_path'], backend_args=self.backend_args)

    def _decode_array(self, results: dict) -> dict:
        """A file or shard member through mmcv's decoding, as ``LoadImageFromFile`` decodes;
        with Pillow, a 16-bit image is scaled to 8 bits first (Pillow alone clips it)."""
        data = self._read(results)
        if self.imdecode_backend == 'pillow' and self.color_type in ('color', 'grayscale'):
            img = _pillow2array(pillow_image(data), self.color_type, 'bgr')
        else:
            img = mmcv.imfrombytes(data, flag=self.color_type, backend=self.imdecode_backend)
        if img is None:
            raise ValueError('not a decodable image')
        results['img'] = img.astype(np.float32) if self.to_float32 else img
        results['img_shape'] = results['ori_shape'] = img.shape[:2]
        return results

    def _header_only(self, results: dict) -> dict:
        """The ``'bytes'`` backend: the bytes as a 1-D uint8 tensor and the (H, W) from the
        header (Pillow reads no pixel data here); an image with an EXIF orientation is
        decoded and turned upright here instead (nvJPEG ignores EXIF)."""
        data = self._read(results)
        with Image.open(io.BytesIO(data)) as image:
            width, height = image.size
            orientation = image.getexif().get(EXIF_ORIENTATION, 1)
        if orientation != 1:
            return self._decode_tensor(results, data)
        results['img'] = torch.frombuffer(bytearray(data), dtype=torch.uint8)
        results['img_shape'] = results['ori_shape'] = (height, width)
        return results

    def _decode_tensor(self, results: dict, data: Optional[bytes] = None) -> dict:
        """The ``'torchvision'`` backend: the file's bytes (read unless given) to a uint8
        (3, H, W) tensor."""
        data = self._read(results) if data is None else data
        if self.channel_order == 'bgr' and data[:2] == JPEG_SOI and data[-2:] == JPEG_EOI:
            # a whole JPEG: OpenCV's libjpeg-turbo decode gives BGR (no reorder) upright per
            # EXIF; the same pixels as TorchCodec's. Anything else (no end marker: maybe
            # truncated, which TorchCodec refuses) goes the TorchCodec way
            array = cv2.imdecode(np.frombuffer(data, np.uint8), cv2.IMREAD_COLOR)
            if array is None:
                raise ValueError('OpenCV cannot decode this JPEG')
            img = torch.from_numpy(array).permute(2, 0, 1)
        else:
            # a (3, H, W) view of an (H, W, 3) buffer: 8-bit RGB, upright
            img = decode_rgb(data)
            if self.channel_order == 'bgr':  # cvtColor keeps the layout (torch.flip: 25x slower)
                img = torch.from_numpy(cv2.cvtColor(img.permute(1, 2, 0).numpy(),
                                                    cv2.COLOR_RGB2BGR)).permute(2, 0, 1)
        results['img'] = img
        results['img_shape'] = results['ori_shape'] = tuple(img.shape[1:])
        return results

    def transform(self, results: dict) -> Optional[dict]:
        """Load ``results['img_path']``; see the class docstring for failures."""
        path = results['img_path']
        try:
            if self.imdecode_backend == 'torchvision':
                loaded = self._decode_tensor(results)
            elif self.imdecode_backend == 'bytes':
                loaded = self._header_only(results)
            else:
                loaded = self._decode_array(results)
        except Exception as err:  # missing, unreadable, truncated, not an image
            failure = err
        else:
            return loaded
        self.unreadable.handle(path, failure)  # raises, or counts
        return None

    @property
    def skipped(self) -> int:
        """Files skipped so far by this reader (in this data worker)."""
        return self.unreadable.skipped
