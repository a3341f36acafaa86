"""Write an ImageNet-style folder as webdataset-style tar shards (``tar_shards.py``)."""
import io
import os
import os.path as osp
import tarfile
from typing import List

import numpy as np

from mimtoolkit.utils import require

#: tar bytes of one member beyond its data: a 512-byte header and padding to 512 bytes
TAR_BLOCK = 512


def _add(tar: tarfile.TarFile, name: str, data: bytes) -> None:
    """A member with fixed metadata, so equal inputs give equal shards."""
    info = tarfile.TarInfo(name)
    info.size, info.mtime, info.mode = len(data), 0, 0o444
    tar.addfile(info, io.BytesIO(data))


def member_bytes(size: int) -> int:
    """Bytes a member of ``size`` data bytes takes in a tar."""
    return TAR_BLOCK + -(-size // TAR_BLOCK) * TAR_BLOCK


def write_shards(root: str, out_dir: str, prefix: str = 'train', max_bytes: int = 10**9,
                 max_images: int = 0, seed: int = 0) -> List[str]:
    """Write the images of ``root`` (``root/<class>/<image>``) as shards of about
    ``max_bytes`` (or ``max_images``) each, in one shuffled order.

    Labels and class names are mmpretrain's ``CustomDataset``'s for the same folder (sorted
    class folders), so a model trained on the shards has the folder's class indices. The
    images are shuffled once (``seed``) before they are split, so every shard mixes the
    classes; each image keeps its encoded bytes (no re-encoding) as ``KEY.<ext>``, with
    ``KEY.cls`` its class index, ``KEY`` its path under ``root`` without the extension.
    Writes ``classes.txt`` next to the shards; each shard is written to ``NAME.part`` and
    renamed when whole.

    Args:
        root (str): The image folder.
        out_dir (str): Where the shards go (made if missing).
        prefix (str): Shard names are ``{prefix}-{000000}.tar``.
        max_bytes (int): Size at which a shard is closed (one image may exceed it).
        max_images (int): If > 0, also close a shard at this many images.
        seed (int): The shuffle.

    Returns:
        list[str]: The shard paths, in order.
    """
    from mmpretrain.datasets import CustomDataset
    require(max_bytes > 0, 'max_bytes', max_bytes, 'a positive number of bytes')
    require(max_images >= 0, 'max_images', max_images, 'an integer >= 0 (0: no limit)')
    dataset = CustomDataset(data_root=root, pipeline=[], lazy_init=False)
    os.makedirs(out_dir, exist_ok=True)
    with open(osp.join(out_dir, 'classes.txt'), 'w') as f:
        f.write(''.join(f'{name}\n' for name in dataset.metainfo['classes']))
    order = np.random.default_rng(seed).permutation(len(dataset))
    paths, tar, used, count, keys = [], None, 0, 0, set()
    for index in order:
        info = dataset.get_data_info(int(index))
        with open(info['img_path'], 'rb') as f:
            data = f.read()
        label = str(int(info['gt_label'])).encode()
        size = member_bytes(len(data)) + member_bytes(len(label))
        if tar is not None and (used + size > max_bytes or 0 < max_images <= count):
            tar.close()
            os.replace(paths[-1] + '.part', paths[-1])
            tar = None
        if tar is None:
            paths.append(osp.join(out_dir, f'{prefix}-{len(paths):06d}.tar'))
            tar, used, count = tarfile.open(paths[-1] + '.part', 'w'), 0, 0
        rel, ext = osp.splitext(osp.relpath(info['img_path'], root))
        key = rel.replace('.', '_')
        if key in keys:  # a.jpg beside a.png
            key = f'{key}_{index}'
        keys.add(key)
        _add(tar, f'{key}{ext.lower()}', data)
        _add(tar, f'{key}.cls', label)
        used, count = used + size, count + 1
    if tar is not None:
        tar.close()
        os.replace(paths[-1] + '.part', paths[-1])
    return paths
