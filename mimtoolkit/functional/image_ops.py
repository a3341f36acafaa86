"""Image operations the data transforms and the device-side preprocessor share: the JPEG
markers, and Pillow's colour jitter arithmetic on a (3, H, W) uint8 tensor."""
from typing import Union

import torch

#: The start and end markers of a JPEG.
JPEG_SOI, JPEG_EOI = b'\xff\xd8', b'\xff\xd9'
#: ColorJitter's transform indices (``trans_inds``); 3 (hue) is refused
BRIGHTNESS, CONTRAST, SATURATION = 0, 1, 2


def is_jpeg(data: Union[bytes, torch.Tensor]) -> bool:
    """Whether the bytes start as a JPEG does (the content, not the file name, decides)."""
    head = bytes(data[:2].tolist()) if isinstance(data, torch.Tensor) else data[:2]
    return len(data) > 2 and head == JPEG_SOI


def pillow_gray(img: torch.Tensor, rgb: bool) -> torch.Tensor:
    """Pillow's ``convert('L')``, exactly: ``(19595 R + 38470 G + 7471 B + 32768) >> 16``.

    Args:
        img: (3, H, W) integer valued, RGB if ``rgb`` else BGR.

    Returns:
        torch.Tensor: (1, H, W) int32.
    """
    c0, g, c2 = img.to(torch.int32).unbind(0)
    r, b = (c0, c2) if rgb else (c2, c0)
    return ((r * 19595 + g * 38470 + b * 7471 + 32768) >> 16)[None]


def jitter_chw(img: torch.Tensor, order, factors, rgb: bool) -> torch.Tensor:
    """``TensorColorJitter``'s ``jitter_hwc`` on a (3, H, W) uint8 tensor on any device (the
    device-side option), with Pillow's own arithmetic throughout (float32 blends rounded
    down, its integer grey image): brightness, contrast and saturation equal to Pillow's.

    Args:
        img: (3, H, W) uint8, RGB if ``rgb`` else BGR.
        order: ColorJitter's permutation of 0..3.
        factors: (brightness, contrast, saturation); None or NaN: not applied.
        rgb: The channel order.
    """
    for op in order:
        factor = factors[op] if op < 3 else None
        if factor is None or factor != factor:  # None or NaN
            continue
        if op == BRIGHTNESS:
            low = torch.zeros((), device=img.device)
        elif op == CONTRAST:
            low = (pillow_gray(img, rgb).to(torch.float64).mean() + 0.5).floor().float()
        else:
            low = pillow_gray(img, rgb).float()
        out = low + torch.tensor(factor, dtype=torch.float32) * (img.float() - low)
        img = out.clamp_(0, 255).to(torch.uint8)  # truncation, as Pillow's cast
    return img
