"""A folder of images as real datasets hold them, and the 8-bit RGB each must decode to."""
import io
import os.path as osp
from typing import Dict, Tuple

import numpy as np
import skimage.data
from PIL import Image

#: EXIF tag of the orientation
ORIENTATION = 0x0112


def _photo(height: int, width: int) -> np.ndarray:
    """An (H, W, 3) uint8 crop of the astronaut photo, resized."""
    return np.asarray(Image.fromarray(skimage.data.astronaut()).resize((width, height),
                                                                       Image.BICUBIC))


def write_odd_images(root: str) -> Dict[str, Tuple[str, np.ndarray, float]]:
    """Write the odd files into ``root``.

    Returns:
        dict: name -> (path, the (H, W, 3) uint8 RGB it must decode to, the mean absolute
        difference a decoder may have from it: 0 for lossless files, a few levels for JPEGs,
        whose decoders round their inverse DCT and upsampling differently).
    """
    out = {}

    def keep(name, pixels, tolerance):
        out[name] = (osp.join(root, name), pixels, tolerance)

    def jpeg_reference(path):
        with Image.open(path) as image:
            from PIL import ImageOps
            return np.asarray(ImageOps.exif_transpose(image).convert('RGB'))

    photo = _photo(96, 128)
    grey16 = (np.linspace(0, 65535, 96 * 128).reshape(96, 128)).astype(np.uint16)
    Image.fromarray(grey16).save(osp.join(root, 'grey16.png'))
    keep('grey16.png', np.repeat(np.round(grey16 / 257).astype(np.uint8)[..., None], 3, -1), 0)
    Image.fromarray(photo).convert('CMYK').save(osp.join(root, 'cmyk.jpg'), quality=95)
    keep('cmyk.jpg', jpeg_reference(osp.join(root, 'cmyk.jpg')), 3)
    Image.fromarray(photo).convert('L').save(osp.join(root, 'grey.jpg'), quality=95)
    keep('grey.jpg', jpeg_reference(osp.join(root, 'grey.jpg')), 3)
    palette = Image.fromarray(photo).quantize(64)
    palette.save(osp.join(root, 'palette.png'))
    keep('palette.png', np.asarray(palette.convert('RGB')), 0)
    rgba = np.concatenate([photo, np.linspace(0, 255, 128, dtype=np.uint8)[None, :, None]
                           .repeat(96, 0)], -1)
    Image.fromarray(rgba, 'RGBA').save(osp.join(root, 'rgba.png'))
    keep('rgba.png', photo, 0)  # the stored colour; alpha is dropped
    grey_alpha = np.stack([np.asarray(Image.fromarray(photo).convert('L')), rgba[..., 3]], -1)
    Image.fromarray(grey_alpha, 'LA').save(osp.join(root, 'grey_alpha.png'))
    keep('grey_alpha.png', np.repeat(grey_alpha[..., :1], 3, -1), 0)  # alpha dropped
    exif = Image.Exif()
    exif[ORIENTATION] = 6  # rotate 90 degrees clockwise to display
    Image.fromarray(photo).save(osp.join(root, 'rotated.jpg'), exif=exif, quality=95)
    keep('rotated.jpg', jpeg_reference(osp.join(root, 'rotated.jpg')), 3)
    Image.fromarray(photo).save(osp.join(root, 'progressive.jpg'), progressive=True,
                                quality=90)
    keep('progressive.jpg', jpeg_reference(osp.join(root, 'progressive.jpg')), 3)
    Image.fromarray(photo).save(osp.join(root, 'png_named.JPEG'), format='PNG')
    keep('png_named.JPEG', photo, 0)
    tiny = _photo(2, 3)
    Image.fromarray(tiny).save(osp.join(root, 'tiny.png'))
    keep('tiny.png', tiny, 0)
    huge = _photo(3000, 4000)
    Image.fromarray(huge).save(osp.join(root, 'huge.jpg'), quality=90)
    keep('huge.jpg', jpeg_reference(osp.join(root, 'huge.jpg')), 3)
    for name in ('photo.bmp', 'photo.tiff', 'photo.ppm', 'photo.webp'):  # lossless
        Image.fromarray(photo).save(osp.join(root, name), **(
            dict(lossless=True) if name.endswith('webp') else {}))
        keep(name, photo, 0)
    Image.fromarray(photo).convert('L').save(osp.join(root, 'grey.pgm'))
    keep('grey.pgm', np.asarray(Image.fromarray(photo).convert('L').convert('RGB')), 0)
    frames = [Image.fromarray(photo).quantize(32), Image.fromarray(photo[::-1]).quantize(32)]
    frames[0].save(osp.join(root, 'animated.gif'), save_all=True, append_images=frames[1:])
    keep('animated.gif', np.asarray(frames[0].convert('RGB')), 0)  # the first frame
    grey16_tiff = (np.linspace(0, 65535, 96 * 128).reshape(96, 128)).astype(np.uint16)
    Image.fromarray(grey16_tiff).save(osp.join(root, 'grey16.tiff'))
    keep('grey16.tiff', np.repeat(np.round(grey16_tiff / 257).astype(np.uint8)[..., None], 3,
                                  -1), 0)
    buffer = io.BytesIO()
    Image.fromarray(photo).save(buffer, format='JPEG', quality=95)
    with open(osp.join(root, 'trailing.jpg'), 'wb') as f:
        f.write(buffer.getvalue() + b'\x00' * 37 + b'camera maker notes')
    keep('trailing.jpg', jpeg_reference(osp.join(root, 'trailing.jpg')), 3)
    return out
