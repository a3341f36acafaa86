"""The batch's RandomResizedCrop, flip and normalisation (and JPEG decode) on the device."""
from typing import List, Sequence

import torch
import torch.nn.functional as F
from mmpretrain.models import SelfSupDataPreprocessor
from torchvision.io import ImageReadMode, decode_image, decode_jpeg
from torchvision.ops import roi_align

from mimtoolkit.datasets.transforms.checked_load_image import JPEG_SOI
from mimtoolkit.datasets.transforms.tensor_color_jitter import jitter_chw
from mimtoolkit.registry import MODELS
from mimtoolkit.utils import ConfigError, require
from mimtoolkit.utils.unreadable_image import ON_ERROR, UnreadableImages


def is_jpeg(data: torch.Tensor) -> bool:
    """Whether 1-D uint8 ``data`` starts with a JPEG's SOI marker."""
    return data.numel() > 2 and bytes(data[:2].tolist()) == JPEG_SOI


def canvas_and_boxes(images: Sequence[torch.Tensor], boxes: Sequence[Sequence[int]],
                     dtype: torch.dtype):
    """All images in one float tensor, for one ``roi_align`` call, and their boxes in it.

    Each image gets a 1-pixel replicated border, so a sample next to a box's edge reads
    the edge (as a single image's resize clamps) and never a neighbour. The images are
    stacked along the height (1, C, sum(H + 2), max(W) + 2) or batched (N, C, max(H) + 2,
    max(W) + 2), whichever is smaller.

    Args:
        images: N (C, H, W) tensors, any sizes, on one device.
        boxes: N ``(top, left, height, width)`` boxes, one per image.
        dtype: The canvas's floating dtype.

    Returns:
        tuple: canvas (B, C, H', W') and rois (N, 5) ``[index, x1, y1, x2, y2]`` in
        continuous pixel coordinates (pixel i spans [i, i + 1)), for ``aligned=True``.
    """
    heights = [img.shape[1] + 2 for img in images]
    widths = [img.shape[2] + 2 for img in images]
    stacked = sum(heights) * max(widths) < len(images) * max(heights) * max(widths)
    shape = ((1, images[0].shape[0], sum(heights), max(widths)) if stacked else
             (len(images), images[0].shape[0], max(heights), max(widths)))
    canvas = images[0].new_zeros(shape, dtype=dtype)
    rois, y = [], 0
    for i, (img, (top, left, height, width)) in enumerate(zip(images, boxes)):
        padded = F.pad(img[None].to(dtype), (1, 1, 1, 1), mode='replicate')[0]
        index, y0 = (0, y) if stacked else (i, 0)
        canvas[index, :, y0:y0 + padded.shape[1], :padded.shape[2]] = padded
        y1, x1 = y0 + 1 + top, 1 + left
        rois.append([index, x1, y1, x1 + width, y1 + height])
        y += padded.shape[1]
    return canvas, torch.tensor(rois, dtype=dtype, device=canvas.device)


@MODELS.register_module()
class DeviceAugmentDataPreprocessor(SelfSupDataPreprocessor):
    """``SelfSupDataPreprocessor`` that also does the batch's augmentation on the device,
    for nodes with few CPU cores per GPU: the data workers only read (and maybe decode)
    and draw the random parameters (``DeferredRandomResizedCrop``, ``DeferredRandomFlip``),
    and this crops, resizes, flips and normalises the whole batch in one pass.

    1. Images that came as bytes (``CheckedLoadImageFromFile(imdecode_backend='bytes')``)
       are decoded here: JPEGs on CUDA in one batched ``decode_jpeg(device='cuda')``
       (nvJPEG), others (and on CPU) with ``decode_image``; RGB (taken as the BGR of
       mmcv's loaders would be, so ``to_rgb`` keeps its meaning). Photos with an EXIF
       orientation arrive decoded and upright from the worker (nvJPEG ignores EXIF).
    2. Every image's box is cut and resized to ``crop_size`` by one
       ``torchvision.ops.roi_align`` call with adaptive sampling (``sampling_ratio=0``:
       ceil(box / output) bilinear samples per output pixel and side, averaged): an
       area-averaging (box-filter) antialias for downscaling and bilinear for upscaling,
       where the CPU pipeline uses Pillow-style antialiased bicubic (docs/benchmarks.md
       gives the difference).
       Before it, an image with a ``color_jitter`` draw (``DeferredColorJitter``) is
       jittered whole, as the CPU pipeline jitters before cropping, with Pillow's
       arithmetic (``jitter_chw``).
    3. Flip, channel order, float, ``(x - mean) / std`` on the (N, 3, h, w) result. The
       flip comes after the crop even where the CPU pipeline flips first (BEiT): the box's
       left offset is drawn uniformly, so the mirrored box has the same distribution.

    A batch whose samples carry no ``crop_box`` (a pipeline without deferred transforms)
    goes through ``SelfSupDataPreprocessor`` unchanged. Use ``collate_fn=dict(type=
    'pseudo_collate')`` (the images differ in size) and ``PackInputs(meta_keys=(...,
    'crop_box', 'crop_size', 'flip'))``; ``configs/_base_/datasets/*_device_aug.py``
    have both.

    Args:
        on_error (str): For images that cannot be decoded here: ``'raise'`` (one
            :class:`ConfigError` naming the file) or ``'skip'`` (dropped from the batch,
            counted in the log).
        dtype (str): The resampling dtype: ``'float32'`` (default) or ``'float16'``
            (CUDA only; half the canvas memory).
        **kwargs: ``SelfSupDataPreprocessor`` arguments (``mean``, ``std``, ``to_rgb``).
    """

    def __init__(self, on_error: str = 'raise', dtype: str = 'float32', **kwargs) -> None:
        require(on_error in ON_ERROR, 'data_preprocessor.on_error', on_error,
                f'one of {ON_ERROR}')
        require(dtype in ('float32', 'float16'), 'data_preprocessor.dtype', dtype,
                "'float32' or 'float16'")
        super().__init__(**kwargs)
        self.dtype = getattr(torch, dtype)
        self.unreadable = UnreadableImages(on_error, "data_preprocessor.on_error='skip'",
                                           'the data preprocessor')

    @property
    def skipped(self) -> int:
        """Images dropped from batches so far as undecodable."""
        return self.unreadable.skipped

    def _decode(self, images: List[torch.Tensor], paths: List[str]) -> List[torch.Tensor]:
        """Decode the 1-D byte tensors of ``images`` (None where skipped)."""
        pending = [i for i, img in enumerate(images) if img.dim() == 1]
        on_cuda = self.device.type == 'cuda'
        batch = [i for i in pending if on_cuda and is_jpeg(images[i])]
        if batch:
            try:  # nvJPEG, one call; the bytes stay on the CPU, the images come out on CUDA
                decoded = decode_jpeg([images[i] for i in batch], mode=ImageReadMode.RGB,
                                      device=self.device)
                for i, img in zip(batch, decoded):
                    images[i] = img
                pending = sorted(set(pending) - set(batch))
            except RuntimeError:
                pass  # one bad image: decode one by one below to name it
        for i in pending:
            try:
                images[i] = decode_image(images[i], mode=ImageReadMode.RGB,
                                         apply_exif_orientation=True).to(self.device)
            except RuntimeError as err:
                self.unreadable.handle(paths[i], err)  # raises, or counts
                images[i] = None
        return images

    def forward(self, data: dict, training: bool = False) -> dict:
        """Decode, crop-resize, flip, normalise (see the class docstring).

        Args:
            data (dict): ``inputs``: N (3, H, W) uint8 tensors or 1-D byte tensors;
                ``data_samples``: N samples with ``crop_box``, ``crop_size``, ``flip``.

        Returns:
            dict: ``inputs`` (N', 3, h, w) float, normalised; ``data_samples`` (N' <= N:
            without skipped images).
        """
        samples = data.get('data_samples')
        if not samples or 'crop_box' not in samples[0].metainfo:
            return super().forward(data, training)
        metas = [s.metainfo for s in samples]
        sizes = {tuple(m['crop_size']) for m in metas}
        if len(sizes) != 1:
            raise ConfigError(f'crop_size differs within a batch ({sorted(sizes)}): expected '
                              'one DeferredRandomResizedCrop scale per pipeline')
        # bytes stay on the CPU (decode_jpeg reads them there, whatever its device)
        inputs = [img if img.dim() == 1 else img.to(self.device, non_blocking=True)
                  for img in data['inputs']]
        came_as_bytes = [img.dim() == 1 for img in inputs]
        inputs = self._decode(inputs, [m.get('img_path', '?') for m in metas])
        for i, img in enumerate(inputs):
            if img is not None and metas[i].get('color_jitter') is not None:
                order, factors = metas[i]['color_jitter']
                inputs[i] = jitter_chw(img, order, factors, rgb=came_as_bytes[i])
        keep = [i for i, img in enumerate(inputs) if img is not None]
        if not keep:
            raise ConfigError('every image of a batch was skipped as undecodable: expected at '
                              'least one decodable image (see the warnings above)')
        canvas, rois = canvas_and_boxes([inputs[i] for i in keep],
                                        [metas[i]['crop_box'] for i in keep], self.dtype)
        out = roi_align(canvas, rois, output_size=sizes.pop(), spatial_scale=1.0,
                        sampling_ratio=0, aligned=True).float()
        flips = torch.tensor([bool(metas[i].get('flip')) for i in keep], device=out.device)
        out = torch.where(flips[:, None, None, None], out.flip(-1), out)
        # a decoded-here image is RGB: the reverse of what a worker's BGR image needs
        reverse = torch.tensor([self._channel_conversion != came_as_bytes[i] for i in keep],
                               device=out.device)
        out = torch.where(reverse[:, None, None, None], out.flip(1), out)
        out = out.round().clamp_(0, 255)  # the uint8 levels the CPU pipeline gives
        if self._enable_normalize:
            out = (out - self.mean) / self.std
        return {'inputs': out, 'data_samples': [samples[i] for i in keep]}
