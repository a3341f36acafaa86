"""A folder of ImageNet-like JPEG files made from the embedded photos (for data benchmarks)."""
import os
import os.path as osp
from typing import List

import numpy as np
from PIL import Image

from .skimage_photos import SKIMAGE_PHOTOS, skimage_data_dir

#: ImageNet's typical training image: about 500 x 375 (W x H), JPEG quality 90.
IMAGENET_LIKE_SIZE = (500, 375)
IMAGENET_LIKE_QUALITY = 90


def write_imagenet_like_jpegs(folder: str, num_images: int, seed: int = 0,
                              size=IMAGENET_LIKE_SIZE,
                              quality: int = IMAGENET_LIKE_QUALITY) -> List[str]:
    """Write ``num_images`` RGB JPEGs in the ImageFolder layout (``folder/<photo>/<i>.JPEG``).

    Each is a random crop (a quarter to all of the photo's area, seeded) of one of the
    embedded photos, in turn, resized with Pillow's bicubic filter to ``size`` and saved at
    ``quality``, so decoding costs what an ImageNet file costs.

    Args:
        folder (str): Where the class folders go (created).
        num_images (int): How many files.
        seed (int): Seed of the crops.
        size (tuple[int, int]): (width, height) of every file.
        quality (int): JPEG quality.

    Returns:
        list[str]: The files written, in order.
    """
    rng = np.random.default_rng(seed)
    photos = [Image.open(osp.join(skimage_data_dir(), name)).convert('RGB')
              for name in SKIMAGE_PHOTOS]
    paths = []
    for i in range(num_images):
        photo, name = photos[i % len(photos)], SKIMAGE_PHOTOS[i % len(photos)]
        w, h = photo.size
        side = float(np.sqrt(rng.uniform(0.25, 1.0)))
        cw, ch = max(1, int(w * side)), max(1, int(h * side))
        x, y = int(rng.integers(0, w - cw + 1)), int(rng.integers(0, h - ch + 1))
        image = photo.crop((x, y, x + cw, y + ch)).resize(size, Image.BICUBIC)
        class_dir = osp.join(folder, osp.splitext(name)[0])
        os.makedirs(class_dir, exist_ok=True)
        paths.append(osp.join(class_dir, f'{i:06d}.JPEG'))
        image.save(paths[-1], quality=quality)
    return paths
