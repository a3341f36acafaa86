"""Tiny transfer datasets in the real formats, made from scikit-image's bundled photos.

- ADE20K layout: ``images/{training,validation}/*.jpg`` and
  ``annotations/{training,validation}/*.png`` (uint8 labels, 0 = "other",
  1..150 the classes, as mmseg's ``ADE20KDataset`` with ``reduce_zero_label``
  expects). Labels: SLIC superpixels of the photo, each given one of a few
  class ids by its mean brightness.
- PascalVOC 2012 layout (``JPEGImages/*.jpg``, ``SegmentationClass/*.png`` as palette
  images and ``SegmentationClassAug/*.png`` as grey label maps, 0 = background, 1..20 the
  classes, 255 = the ignored border; ``ImageSets/Segmentation/{train,aug,val}.txt``), as
  mmseg's ``PascalVOCDataset`` reads it. Labels as for ADE20K.
- COCO instances JSON (``annotations/instances_{train,val}.json`` +
  ``{train,val}/*.jpg``): the 80 COCO categories; objects are the connected
  regions of the photo's Otsu foreground, with polygon segmentations from
  their contours and ``[x, y, w, h]`` boxes.
"""
import json
import os
import os.path as osp

import numpy as np
import skimage.data
from PIL import Image
from skimage import color, filters, measure, segmentation, transform

PHOTOS = ('astronaut', 'coffee', 'chelsea', 'rocket', 'coins', 'immunohistochemistry')
ADE_CLASS_IDS = (1, 3, 13, 21, 88, 150)  # wall, floor, person, car, streetlight, flag


def _photo(name: str, size: int) -> np.ndarray:
    """(H, W, 3) uint8, the longer side ``size``."""
    img = getattr(skimage.data, name)()
    if img.ndim == 2:
        img = np.stack([img] * 3, -1)
    scale = size / max(img.shape[:2])
    out = transform.rescale(img[..., :3], scale, channel_axis=-1, anti_aliasing=True)
    return (out * 255).round().astype(np.uint8)


def make_ade20k(root: str, size: int = 80, num_train: int = 4, num_val: int = 2) -> str:
    """Write an ADE20K-layout folder; returns ``root``."""
    names = PHOTOS * ((num_train + num_val) // len(PHOTOS) + 1)
    for i, split in enumerate(['training'] * num_train + ['validation'] * num_val):
        img = _photo(names[i], size)
        segments = segmentation.slic(img, n_segments=12, start_label=0)
        gray = color.rgb2gray(img)
        label = np.zeros(img.shape[:2], np.uint8)
        for s in np.unique(segments):
            bucket = int(gray[segments == s].mean() * len(ADE_CLASS_IDS) * 0.999)
            label[segments == s] = ADE_CLASS_IDS[bucket]
        label[:2] = 0  # a strip of "other" (ignored after reduce_zero_label)
        stem = f'ADE_{split[:5]}_{i:08d}'
        for sub, ext, data in (('images', 'jpg', img), ('annotations', 'png', label)):
            os.makedirs(osp.join(root, sub, split), exist_ok=True)
            Image.fromarray(data).save(osp.join(root, sub, split, f'{stem}.{ext}'))
    return root


VOC_CLASS_IDS = (0, 3, 7, 12, 15, 20)  # background, bird, car, dog, person, tv


def make_voc(root: str, size: int = 80, num_train: int = 4, num_aug: int = 2,
             num_val: int = 2) -> str:
    """Write a PascalVOC-2012-layout folder (train, aug and val lists); returns ``root``."""
    palette = np.random.default_rng(0).integers(0, 256, (256, 3), dtype=np.uint8)
    splits = ['train'] * num_train + ['aug'] * num_aug + ['val'] * num_val
    names = PHOTOS * (len(splits) // len(PHOTOS) + 1)
    lists = {split: [] for split in ('train', 'aug', 'val')}
    for sub in ('JPEGImages', 'SegmentationClass', 'SegmentationClassAug',
                'ImageSets/Segmentation'):
        os.makedirs(osp.join(root, sub), exist_ok=True)
    for i, split in enumerate(splits):
        img = _photo(names[i], size)
        segments = segmentation.slic(img, n_segments=12, start_label=0)
        gray = color.rgb2gray(img)
        label = np.zeros(img.shape[:2], np.uint8)
        for s in np.unique(segments):
            label[segments == s] = VOC_CLASS_IDS[int(gray[segments == s].mean() * 5.999)]
        label[:2] = 255  # VOC's ignored object border
        stem = f'2007_{i:06d}'
        lists[split].append(stem)
        Image.fromarray(img).save(osp.join(root, 'JPEGImages', f'{stem}.jpg'))
        if split == 'aug':
            Image.fromarray(label).save(osp.join(root, 'SegmentationClassAug', f'{stem}.png'))
        else:
            seg = Image.fromarray(label, mode='P')
            seg.putpalette(palette.flatten().tolist())
            seg.save(osp.join(root, 'SegmentationClass', f'{stem}.png'))
    for split, stems in lists.items():
        with open(osp.join(root, 'ImageSets/Segmentation', f'{split}.txt'), 'w') as f:
            f.write('\n'.join(stems) + '\n')
    return root


def _instances(img: np.ndarray, min_area: int):
    """Connected foreground regions: (bbox [x, y, w, h], polygon, area)."""
    gray = color.rgb2gray(img)
    regions = measure.label(gray > filters.threshold_otsu(gray))
    for region in measure.regionprops(regions):
        if region.area < min_area:
            continue
        mask = np.pad(regions == region.label, 1)
        contour = max(measure.find_contours(mask.astype(float), 0.5), key=len) - 1
        polygon = np.clip(contour[::max(1, len(contour) // 24), ::-1], 0, None)
        if len(polygon) < 3:
            continue
        y0, x0, y1, x1 = region.bbox
        yield [float(x0), float(y0), float(x1 - x0), float(y1 - y0)], \
            polygon.round(1).ravel().tolist(), float(region.area)


def make_coco(root: str, size: int = 96, num_train: int = 4, num_val: int = 2,
              min_area: int = 40) -> str:
    """Write a COCO-instances folder; returns ``root``."""
    from mmdet.datasets import CocoDataset
    categories = [dict(id=i + 1, name=n) for i, n in enumerate(CocoDataset.METAINFO['classes'])]
    os.makedirs(osp.join(root, 'annotations'), exist_ok=True)
    splits = {'train': range(num_train), 'val': range(num_train, num_train + num_val)}
    ann_id = 0
    for split, indices in splits.items():
        os.makedirs(osp.join(root, split), exist_ok=True)
        images, annotations = [], []
        for i in indices:
            img = _photo(PHOTOS[i % len(PHOTOS)], size)
            file_name = f'{i:012d}.jpg'
            Image.fromarray(img).save(osp.join(root, split, file_name))
            images.append(dict(id=i, file_name=file_name, height=img.shape[0],
                               width=img.shape[1]))
            for k, (bbox, polygon, area) in enumerate(_instances(img, min_area)):
                ann_id += 1
                annotations.append(dict(
                    id=ann_id, image_id=i, category_id=(1, 3, 33)[k % 3],  # person/car/ball
                    bbox=bbox, area=area, segmentation=[polygon], iscrowd=0))
        with open(osp.join(root, 'annotations', f'instances_{split}.json'), 'w') as f:
            json.dump(dict(images=images, annotations=annotations, categories=categories), f)
    return root
