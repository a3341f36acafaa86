"""Webdataset-style tar shards: find them, index their members, read one member's bytes.

A shard is a plain (uncompressed) tar whose members are grouped by key, webdataset's
convention: ``KEY.jpg`` (or another image extension) holds the encoded image and
``KEY.cls`` its class index as ASCII digits, the key being the member name up to the first
dot of its last path component. ``tools/dataset_converters/folder_to_shards.py`` writes them.
Members are read in place (an ``os.pread`` at the offset the tar header gives), so a shard is
never unpacked.
"""
import glob
import os
import os.path as osp
import re
import tarfile
from dataclasses import dataclass
from typing import Dict, List, Optional, Sequence, Union

from mimtoolkit.utils import ConfigError

IMAGE_EXTENSIONS = ('jpg', 'jpeg', 'png', 'webp', 'bmp', 'ppm', 'pgm', 'tif', 'tiff')
LABEL_EXTENSION = 'cls'
_BRACES = re.compile(r'\{(\d+)\.\.(\d+)\}')


@dataclass(frozen=True)
class ShardMember:
    """One image of a shard: where its bytes are and its label.

    Attributes:
        shard (str): The tar file.
        name (str): The image member's name in the tar.
        offset (int): Byte offset of the member's data in the file.
        size (int): Its length in bytes.
        label (int | None): The ``KEY.cls`` class index, None without one.
    """
    shard: str
    name: str
    offset: int
    size: int
    label: Optional[int]


def expand_shards(shards: Union[str, Sequence[str]], field: str) -> List[str]:
    """The shard files a pattern names, in order.

    Args:
        shards (str | Sequence[str]): A path, a webdataset brace range
            (``train-{000000..000146}.tar``, zero padding kept), a glob
            (``train-*.tar``), or a list of those.
        field (str): The config key, for errors.

    Returns:
        list[str]: Existing files; brace ranges in their order, globs sorted.

    Raises:
        ConfigError: If a pattern matches no file, or a brace-range file is missing.
    """
    patterns = [shards] if isinstance(shards, str) else list(shards)
    if not patterns:
        raise ConfigError(f'{field}=[] is invalid: expected a shard path or pattern')
    files = []
    for pattern in patterns:
        braces = _BRACES.search(pattern)
        if braces:
            first, last = braces.groups()
            names = [pattern[:braces.start()] + str(i).zfill(len(first)) + pattern[braces.end():]
                     for i in range(int(first), int(last) + 1)]
            missing = [n for n in names if not osp.isfile(n)]
            if missing:
                raise ConfigError(f'{field}={pattern!r} is invalid: {len(missing)} of its '
                                  f'{len(names)} shards do not exist (first: {missing[0]!r})')
        else:
            names = sorted(glob.glob(pattern))
        if not names:
            raise ConfigError(f'{field}={pattern!r} is invalid: it matches no shard file '
                              '(expected a path, a glob or a {000000..000009} range of .tar '
                              'files, e.g. from tools/dataset_converters/folder_to_shards.py)')
        files.extend(names)
    return files


def member_key(name: str):
    """(key, extension) of a member name: webdataset's split at the basename's first dot."""
    folder, base = osp.split(name)
    stem, _, ext = base.partition('.')
    return osp.join(folder, stem), ext.lower()


def index_shard(path: str) -> List[ShardMember]:
    """The images of one shard, in tar order, with their labels.

    Reads only headers and the small ``.cls`` members.

    Raises:
        ConfigError: Naming the shard (and member) if the file is not a tar, is
            truncated, has a label that is not an integer, or has no image.
    """
    file_size = os.path.getsize(path)
    images: Dict[str, tarfile.TarInfo] = {}
    labels: Dict[str, int] = {}
    last = None
    try:
        with tarfile.open(path, 'r:') as tar:
            for info in tar:
                last = info.name
                if not info.isfile():
                    continue
                if info.offset_data + info.size > file_size:
                    raise ConfigError(
                        f'shard {path!r} is truncated: member {info.name!r} needs bytes up '
                        f'to {info.offset_data + info.size}, the file has {file_size}; '
                        'write the shard again')
                key, ext = member_key(info.name)
                if ext in IMAGE_EXTENSIONS:
                    images[key] = info
                elif ext == LABEL_EXTENSION:
                    text = tar.extractfile(info).read().decode('ascii', 'replace').strip()
                    if not text.isdigit():
                        raise ConfigError(f'shard {path!r} member {info.name!r} is invalid: '
                                          f'expected a class index, got {text[:40]!r}')
                    labels[key] = int(text)
    except (tarfile.TarError, EOFError, OSError) as err:
        after = f' after member {last!r}' if last else ''
        raise ConfigError(f'shard {path!r} is invalid{after}: {type(err).__name__}: {err} '
                          '(expected a complete, uncompressed tar; write it again)') from None
    if not images:
        raise ConfigError(f'shard {path!r} is invalid: it holds no image member (expected '
                          f'KEY.{"/".join(IMAGE_EXTENSIONS)} members)')
    return [ShardMember(path, info.name, info.offset_data, info.size, labels.get(key))
            for key, info in images.items()]


class ShardReader:
    """Reads member bytes with ``os.pread``, one open file per shard and process.

    Files are opened lazily and keyed by process id, so a reader made before the
    dataloader forks its workers opens its own descriptors in each worker.
    """

    def __init__(self) -> None:
        self._files: Dict[tuple, int] = {}

    def read(self, shard: str, offset: int, size: int) -> bytes:
        """``size`` bytes of ``shard`` from ``offset``."""
        key = (os.getpid(), shard)
        if key not in self._files:
            self._files[key] = os.open(shard, os.O_RDONLY)
        data = os.pread(self._files[key], size, offset)
        if len(data) != size:
            raise OSError(f'read {len(data)} of {size} bytes at offset {offset}: the shard '
                          'was truncated after it was indexed')
        return data

    def __del__(self) -> None:
        for (pid, _), fd in self._files.items():
            if pid == os.getpid():
                os.close(fd)
