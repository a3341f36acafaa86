"""The batch's RandomResizedCrop, flip and normalisation (and JPEG decode) on the device."""
import copy
import dataclasses
from typing import Dict, List, Sequence

import torch
import torch.nn.functional as F
from mmpretrain.models import SelfSupDataPreprocessor
from torchvision.ops import roi_align

from mimtoolkit.datasets.image_decoding import decode_jpegs, decode_rgb
from mimtoolkit.functional.image_ops import is_jpeg, jitter_chw
from mimtoolkit.registry import MODELS
from mimtoolkit.structures import DeviceAugDraws
from mimtoolkit.utils import ConfigError, require
from mimtoolkit.utils.unreadable_image import ON_ERROR, UnreadableImages


def is_out_of_memory(err: BaseException) -> bool:
    """Whether a decode error is the device running out of memory (not a bad file)."""
    text = str(err).lower()
    return isinstance(err, torch.OutOfMemoryError) or 'out of memory' in text or \
        'allocator_failure' in text


def box_region(image: torch.Tensor, box: Sequence[int], dtype: torch.dtype) -> torch.Tensor:
    """The box of ``image`` with a 1-pixel margin, in ``dtype``: all that ``roi_align`` reads.

    The margin holds the image's pixels next to the box where it has them and its edge
    replicated beyond (as a single image's resize clamps), so a sample next to the box's
    edge never reads a neighbour in the canvas.

    Args:
        image (Tensor): (C, H, W).
        box (tuple): ``(top, left, height, width)``.
        dtype (torch.dtype): The floating dtype of the result.

    Returns:
        Tensor: (C, height + 2, width + 2).
    """
    top, left, height, width = box
    rows, cols = image.shape[1:]
    y0, y1 = max(top - 1, 0), min(top + height + 1, rows)
    x0, x1 = max(left - 1, 0), min(left + width + 1, cols)
    region = image[:, y0:y1, x0:x1].to(dtype)
    pad = (x0 - (left - 1), left + width + 1 - x1, y0 - (top - 1), top + height + 1 - y1)
    return F.pad(region[None], pad, mode='replicate')[0] if any(pad) else region


def size_groups(sizes: Sequence[Sequence[int]]) -> List[List[int]]:
    """Indices grouped by size: in a group every height and every width is within a factor
    of 2 of the group's largest (one power-of-two bucket per side).

    Side by side in one (n, C, max h, max w) canvas, a group then holds at most 4x the
    pixels of its regions, however large one image of the batch is.

    Args:
        sizes: The regions' ``(height, width)``.

    Returns:
        list[list[int]]: Groups of indices.
    """
    groups: Dict[tuple, List[int]] = {}
    for i, (height, width) in enumerate(sizes):
        groups.setdefault((int(height).bit_length(), int(width).bit_length()), []).append(i)
    return list(groups.values())


def resample_boxes(images: Sequence[torch.Tensor], boxes: Sequence[Sequence[int]],
                   size: Sequence[int], dtype: torch.dtype) -> torch.Tensor:
    """Every image's box resized to ``size`` with a few ``roi_align`` calls.

    Each box (with its 1-pixel margin, :func:`box_region`) is cut out; cut-outs of similar
    size (:func:`size_groups`) share one canvas, each at the corner of its own slot, so the
    canvases hold at most 4x the boxes' pixels (whole images stacked, sum(H) x max(W), would
    be GBs for one wide panorama) and an image's result does not depend on the rest of the
    batch (its box has the same coordinates in its slot whatever the batch).

    Args:
        images: N (C, H, W) tensors, any sizes, on one device.
        boxes: N ``(top, left, height, width)`` boxes, one per image.
        size: ``(h, w)`` of the output.
        dtype: The resampling dtype.

    Returns:
        Tensor: (N, C, h, w) float32.
    """
    regions = [box_region(img, box, dtype) for img, box in zip(images, boxes)]
    channels = regions[0].shape[0]
    out = regions[0].new_empty((len(regions), channels, *size), dtype=torch.float32)
    for group in size_groups([r.shape[1:] for r in regions]):
        canvas = regions[0].new_zeros((len(group), channels,
                                       max(regions[i].shape[1] for i in group),
                                       max(regions[i].shape[2] for i in group)))
        rois = []
        for slot, i in enumerate(group):
            _, height, width = regions[i].shape
            canvas[slot, :, :height, :width] = regions[i]
            rois.append([slot, 1, 1, width - 1, height - 1])  # the box, without its margin
        rois = torch.tensor(rois, dtype=dtype, device=canvas.device)
        out[group] = roi_align(canvas, rois, output_size=tuple(size), spatial_scale=1.0,
                               sampling_ratio=0, aligned=True).float()
    return out


@MODELS.register_module()
class DeviceAugmentDataPreprocessor(SelfSupDataPreprocessor):
    """``SelfSupDataPreprocessor`` that also does the batch's augmentation on the device,
    for nodes with few CPU cores per GPU: the data workers only read (and maybe decode)
    and draw the random parameters (``DeferredRandomResizedCrop``, ``DeferredRandomFlip``),
    and this crops, resizes, flips and normalises the whole batch in one pass.

    1. Images that came as bytes (``CheckedLoadImageFromFile(imdecode_backend='bytes')``)
       are decoded here (TorchCodec): JPEGs in one batched ``decode_jpegs`` call (nvJPEG on
       CUDA); the files it refuses (nvJPEG: CMYK/YCCK), found by splitting a refused
       call in halves, and other formats one by one with ``decode_rgb`` on the CPU; RGB
       (taken as the BGR of mmcv's loaders would be, so ``to_rgb`` keeps its meaning).
       Photos with an EXIF orientation arrive decoded and upright from the worker
       (nvJPEG ignores EXIF). Running out of device memory is raised as such, never
       taken for a bad file.
    2. Every image's box (with a 1-pixel margin) is cut out and resized to ``crop_size``
       by a few ``torchvision.ops.roi_align`` calls on canvases of similar-size cut-outs
       (:func:`resample_boxes`: the float canvases hold at most 4x the boxes' pixels),
       with adaptive sampling (``sampling_ratio=0``:
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

    The draws arrive as one typed hand-off per sample, :class:`DeviceAugDraws` (metainfo
    ``device_aug``). A batch whose samples carry no drawn box (a pipeline without deferred
    transforms) goes through ``SelfSupDataPreprocessor`` unchanged. Use ``collate_fn=dict(
    type='pseudo_collate')`` (the images differ in size) and ``PackInputs(meta_keys=(...,
    'device_aug'))``; the ``*_device-aug.py`` configs have both.

    Args:
        on_error (str): For images that cannot be decoded here: ``'raise'`` (one
            :class:`ConfigError` naming the file) or ``'skip'`` (counted in the log; its
            place in the batch is served by the next decodable image of the batch,
            mirrored, so every rank keeps its batch size: NCCL collectives and MixedAE's
            groups need equal batches on every rank).
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

    def _decode_jpegs(self, images: List[torch.Tensor], indices: List[int]) -> List[int]:
        """Decode the JPEG bytes at ``indices`` in batched ``decode_jpegs`` calls (nvJPEG on
        CUDA), in place; the indices the decoder refused (e.g. CMYK on nvJPEG) are returned.

        A refused batch is split in halves until the refused files stand alone, so one
        such file costs a few calls on its half, not a per-image decode of the batch. An
        out-of-memory error is raised as it is (it is not a bad file).
        """
        if not indices:
            return []
        try:  # the bytes stay on the CPU, the images come out on the device
            decoded = decode_jpegs([images[i] for i in indices], self.device)
        except (RuntimeError, ValueError) as err:
            if is_out_of_memory(err):
                raise
            if len(indices) == 1:
                return indices
            half = len(indices) // 2
            return (self._decode_jpegs(images, indices[:half])
                    + self._decode_jpegs(images, indices[half:]))
        for i, img in zip(indices, decoded):
            images[i] = img
        return []

    def _decode(self, images: List[torch.Tensor], paths: List[str]) -> List[torch.Tensor]:
        """Decode the 1-D byte tensors of ``images`` (None where skipped)."""
        pending = [i for i, img in enumerate(images) if img.dim() == 1]
        jpegs = [i for i in pending if is_jpeg(images[i])]
        refused = self._decode_jpegs(images, jpegs)
        for i in sorted(set(pending) - set(jpegs)) + refused:  # one by one, on the CPU
            try:
                images[i] = decode_rgb(images[i]).to(self.device)
            except (RuntimeError, ValueError) as err:
                if is_out_of_memory(err):
                    raise
                self.unreadable.handle(paths[i], err)  # raises, or counts
                images[i] = None
        return images

    @staticmethod
    def _served(inputs: List) -> List[int]:
        """Which image fills each place: its own, or for a skipped one (None) the next
        decodable image of the batch (cyclically), so that every rank's batch keeps its size.
        """
        keep = [i for i, img in enumerate(inputs) if img is not None]
        if not keep:
            raise ConfigError('every image of a batch was skipped as undecodable: expected at '
                              'least one decodable image (see the warnings above)')
        return [i if img is not None else next((k for k in keep if k > i), keep[0])
                for i, img in enumerate(inputs)]

    def forward(self, data: dict, training: bool = False) -> dict:
        """Decode, crop-resize, flip, normalise (see the class docstring).

        Args:
            data (dict): ``inputs``: N (3, H, W) uint8 tensors or 1-D byte tensors;
                ``data_samples``: N samples with the worker's :class:`DeviceAugDraws`
                (metainfo ``device_aug``).

        Returns:
            dict: ``inputs`` (N, 3, h, w) float, normalised; ``data_samples`` (N: a skipped
            image's place is served by another image of the batch).
        """
        samples = data.get('data_samples')
        key = DeviceAugDraws.KEY
        first = samples[0].metainfo.get(key) if samples else None
        if first is None or first.crop_box is None:
            return super().forward(data, training)
        draws = [s.metainfo[key] for s in samples]
        sizes = {tuple(d.crop_size) for d in draws}
        if len(sizes) != 1:
            raise ConfigError(f'crop_size differs within a batch ({sorted(sizes)}): expected '
                              'one DeferredRandomResizedCrop scale per pipeline')
        # bytes stay on the CPU (decode_jpegs reads them there, whatever its device)
        inputs = [img if img.dim() == 1 else img.to(self.device, non_blocking=True)
                  for img in data['inputs']]
        came_as_bytes = [img.dim() == 1 for img in inputs]
        inputs = self._decode(inputs, [s.metainfo.get('img_path', '?') for s in samples])
        for i, img in enumerate(inputs):
            if img is not None and draws[i].color_jitter is not None:
                order, factors = draws[i].color_jitter
                inputs[i] = jitter_chw(img, order, factors, rgb=came_as_bytes[i])
        served = self._served(inputs)
        inputs = [inputs[k] for k in served]
        came_as_bytes = [came_as_bytes[k] for k in served]
        samples = [samples[i] if k == i else copy.deepcopy(samples[k])
                   for i, k in enumerate(served)]
        for i, k in enumerate(served):
            if k != i:  # another image in its place, mirrored: another view of it
                samples[i].set_metainfo(
                    {key: dataclasses.replace(draws[k], flip=not draws[k].flip)})
        draws = [s.metainfo[key] for s in samples]
        out = resample_boxes(inputs, [d.crop_box for d in draws], sizes.pop(), self.dtype)
        flips = torch.tensor([d.flip for d in draws], device=out.device)
        out = torch.where(flips[:, None, None, None], out.flip(-1), out)
        # a decoded-here image is RGB: the reverse of what a worker's BGR image needs
        reverse = torch.tensor([self._channel_conversion != rgb for rgb in came_as_bytes],
                               device=out.device)
        out = torch.where(reverse[:, None, None, None], out.flip(1), out)
        out = out.round().clamp_(0, 255)  # the uint8 levels the CPU pipeline gives
        if self._enable_normalize:
            out = (out - self.mean) / self.std
        return {'inputs': out, 'data_samples': samples}
