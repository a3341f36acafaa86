"""Fashion-MNIST from the standard idx-ubyte(.gz) files on disk."""
import os.path as osp
from typing import List

import numpy as np
from mmpretrain.datasets import FashionMNIST
from mmpretrain.datasets.mnist import read_sn3_pascalvincent_tensor

from mimtoolkit.registry import DATASETS
from mimtoolkit.utils import ConfigError

DEBIAN_FASHION_MNIST = '/usr/share/datasets/fashion-mnist'


@DATASETS.register_module()
class OfflineFashionMNIST(FashionMNIST):
    """mmpretrain's ``FashionMNIST`` reading the files as shipped (gzip or not), never downloading.

    Reads ``{train,t10k}-{images-idx3,labels-idx1}-ubyte[.gz]`` from
    ``data_root``; Debian's ``dataset-fashion-mnist`` installs them under
    ``/usr/share/datasets/fashion-mnist``. Samples are (28, 28) uint8 arrays
    under ``img`` with ``gt_label``.

    Args:
        data_root (str): Folder of the four files. Defaults to Debian's.
        split (str): ``'train'`` (60k) or ``'test'`` (10k).
        **kwargs: Other ``BaseDataset`` arguments (``pipeline``, ``indices``...).
    """

    def __init__(self, data_root: str = DEBIAN_FASHION_MNIST, split: str = 'train', **kwargs):
        if split not in ('train', 'test'):
            raise ConfigError(f"dataset.split={split!r} is invalid: expected 'train' or 'test'")
        kwargs.pop('download', None)
        super().__init__(data_root=data_root, split=split, download=False,
                         test_mode=split == 'test', **kwargs)

    def _find(self, name: str) -> str:
        root = self.data_prefix['root']
        for candidate in (osp.join(root, name), osp.join(root, name[:-len('.gz')])):
            if osp.isfile(candidate):
                return candidate
        raise ConfigError(
            f'dataset.data_root={root!r} is invalid: expected a folder holding {name} (or it '
            'unzipped). Install them with `apt-get install dataset-fashion-mnist` (Debian/Ubuntu, '
            f'puts them in {DEBIAN_FASHION_MNIST}) or download them from '
            'https://github.com/zalandoresearch/fashion-mnist and set data_root.')

    def _read(self, name: str, ndim: int):
        path = self._find(name)
        try:  # mmpretrain's reader opens .gz paths through gzip
            tensor = read_sn3_pascalvincent_tensor(path, strict=False)
        except (AssertionError, KeyError, ValueError, OSError, EOFError) as err:
            raise ConfigError(f'{path} is not a readable idx-ubyte file ({type(err).__name__})') \
                from None
        if tensor.ndim != ndim:
            raise ConfigError(f'{path} holds a {tensor.ndim}-d array, expected {ndim}-d')
        return tensor

    def load_data_list(self) -> List[dict]:
        """Images and labels of the split."""
        images_file, labels_file = (self.test_list if self.test_mode else self.train_list)
        imgs = self._read(images_file[0], ndim=3).numpy()
        labels = self._read(labels_file[0], ndim=1).numpy().astype(np.int64)
        if len(imgs) != len(labels):
            raise ConfigError(f'dataset.data_root={self.data_prefix["root"]!r} is invalid: '
                              f'{len(imgs)} images but {len(labels)} labels')
        return [dict(img=img, gt_label=int(label)) for img, label in zip(imgs, labels)]
