"""The embedded default dataset: scikit-image's bundled photos."""
import os.path as osp
from typing import List

import skimage
from mmpretrain.datasets import BaseDataset

from mimtoolkit.registry import DATASETS
from mimtoolkit.utils import require

#: Photographs shipped inside the scikit-image wheel (``skimage/data``).
SKIMAGE_PHOTOS = ('astronaut.png', 'brick.png', 'camera.png', 'cell.png', 'chelsea.png',
                  'coffee.png', 'coins.png', 'grass.png', 'gravel.png', 'hubble_deep_field.jpg',
                  'ihc.png', 'moon.png', 'motorcycle_left.png', 'page.png', 'retina.jpg',
                  'rocket.jpg', 'text.png')


def skimage_data_dir() -> str:
    """The folder of scikit-image's bundled images."""
    return osp.join(osp.dirname(skimage.__file__), 'data')


@DATASETS.register_module()
class SkimagePhotos(BaseDataset):
    """Many random crops of each of scikit-image's bundled photos; works offline.

    Each photo appears ``crops_per_photo`` times per epoch as a real image file
    (PNG/JPEG) read by ``LoadImageFromFile``; the pipeline's random crop makes
    every appearance a different view. The label is the photo's index, so
    probes and samplers that want classes have them.

    Args:
        pipeline (list[dict]): Transforms, starting with ``LoadImageFromFile``.
        crops_per_photo (int): Appearances of each photo per epoch. Defaults to 64.
        photos (Sequence[str]): File names under ``skimage/data``. Defaults to
            :data:`SKIMAGE_PHOTOS`.
        **kwargs: Other ``BaseDataset`` arguments.
    """

    def __init__(self, pipeline=(), crops_per_photo: int = 64, photos=SKIMAGE_PHOTOS, **kwargs):
        require(isinstance(crops_per_photo, int) and crops_per_photo >= 1,
                'dataset.crops_per_photo', crops_per_photo, 'an int >= 1')
        root = skimage_data_dir()
        missing = [p for p in photos if not osp.isfile(osp.join(root, p))]
        require(not missing, 'dataset.photos', missing,
                f'files present in {root} (scikit-image\'s bundled data)')
        require(len(photos) > 0, 'dataset.photos', photos, 'at least one photo')
        self.crops_per_photo = crops_per_photo
        self.photos = tuple(photos)
        super().__init__(
            ann_file='',
            data_root=root,
            pipeline=list(pipeline),
            metainfo=dict(classes=[osp.splitext(p)[0] for p in self.photos]),
            **kwargs)

    def load_data_list(self) -> List[dict]:
        """Every photo ``crops_per_photo`` times, as ``img_path`` + ``gt_label``."""
        return [
            dict(img_path=osp.join(self.data_root, name), gt_label=label)
            for _ in range(self.crops_per_photo) for label, name in enumerate(self.photos)
        ]
