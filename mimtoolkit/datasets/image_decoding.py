"""Encoded image bytes to 8-bit RGB, the same pixels through every backend the configs use.

One definition of what a file decodes to, whatever reads it: 8 bits per channel (a 16-bit
PNG is scaled, ``round(v / 257)``, not clipped), three channels (greyscale repeated, a
palette looked up, CMYK converted, alpha dropped: the stored colour is kept), upright per
the EXIF orientation. Decoders: TorchCodec (torchvision's decoders are deprecated from 0.29
in its favour) for tensors on the CPU and batched JPEGs on a GPU (nvJPEG), Pillow for the
formats TorchCodec does not read (BMP, TIFF, PPM/PGM: image folders hold them) and for
mmcv's array path, where Pillow alone would clip 16-bit images to white.
"""
import io
from typing import List, Union

import numpy as np
import torch
from PIL import Image, ImageOps

#: Pillow modes of more than 8 bits per channel (16-bit PNGs open as one of these).
WIDE_MODES = ('I;16', 'I;16L', 'I;16B', 'I;16N', 'I')


def as_byte_tensor(data: Union[bytes, torch.Tensor]) -> torch.Tensor:
    """The encoded bytes as a 1-D uint8 CPU tensor (a copy of ``bytes``, writable)."""
    if isinstance(data, torch.Tensor):
        return data
    return torch.frombuffer(bytearray(data), dtype=torch.uint8)


def decode_rgb(data: Union[bytes, torch.Tensor]) -> torch.Tensor:
    """Decode one image on the CPU (TorchCodec).

    Args:
        data (bytes | Tensor): The encoded file, or its bytes as a 1-D uint8 tensor.

    Returns:
        Tensor: (3, H, W) uint8 RGB, upright (an animation's first frame).
    """
    from torchcodec.decoders import decode_image
    data = as_byte_tensor(data)
    try:
        img = decode_image(data, mode='RGB', output_dtype=torch.uint8)
    except ValueError as err:  # a format TorchCodec does not read (BMP, TIFF, PNM, ...)
        if 'nrecognized image format' not in str(err):
            raise
        array = np.asarray(pillow_image(data.numpy().tobytes()).convert('RGB'))
        return torch.from_numpy(array.copy()).permute(2, 0, 1)
    return img[0] if img.dim() == 4 else img  # animated formats: the first frame


def decode_jpegs(images: List[torch.Tensor], device: Union[str, torch.device]) -> list:
    """Decode JPEGs in one batched call on ``device`` (nvJPEG on a GPU; TorchCodec).

    Args:
        images (list[Tensor]): Encoded JPEGs, 1-D uint8 CPU tensors.
        device (str | torch.device): Where to decode and return them.

    Returns:
        list[Tensor]: (3, H_i, W_i) uint8 RGB on ``device``, upright.
    """
    from torchcodec.decoders import decode_jpeg
    return decode_jpeg(list(images), mode='RGB', output_dtype=torch.uint8, device=device)


def pillow_image(data: bytes) -> Image.Image:
    """The file through Pillow, upright, at 8 bits per channel (other modes as stored).

    Args:
        data (bytes): The encoded file.

    Returns:
        PIL.Image.Image: Mode ``'L'`` for a 16-bit greyscale image (scaled as
        :func:`decode_rgb` scales it) and for greyscale with alpha, the file's own mode
        otherwise.
    """
    image = ImageOps.exif_transpose(Image.open(io.BytesIO(data)))
    if image.mode == 'LA':  # alpha dropped as for every other mode (mmcv would composite)
        image = image.convert('L')
    if image.mode in WIDE_MODES:
        wide = np.asarray(image, dtype=np.float64).clip(0, 65535)
        image = Image.fromarray(np.round(wide / 257).astype(np.uint8), 'L')
    return image
