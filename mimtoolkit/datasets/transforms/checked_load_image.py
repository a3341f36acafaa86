"""CheckedLoadImageFromFile: an unreadable image names its path, or is skipped and counted."""
import logging
from typing import Optional

from mmcv.transforms import LoadImageFromFile
from mmengine.logging import print_log

from mimtoolkit.registry import TRANSFORMS
from mimtoolkit.utils import ConfigError, require

ON_ERROR = ('raise', 'skip')


@TRANSFORMS.register_module()
class CheckedLoadImageFromFile(LoadImageFromFile):
    """mmcv's ``LoadImageFromFile`` that reports (or skips) files it cannot decode.

    Decodes with Pillow by default, which refuses truncated files (OpenCV
    decodes a truncated JPEG into a partly grey image without a word).

    Args:
        on_error (str): ``'raise'`` (default): a missing, truncated or
            non-image file raises one :class:`~mimtoolkit.utils.ConfigError`
            naming it. ``'skip'``: log the path with a running count (per data
            worker) and return None, so the dataset serves another sample
            (mmengine's ``BaseDataset`` re-fetches).
        imdecode_backend (str): Defaults to ``'pillow'``.
        **kwargs: Other ``LoadImageFromFile`` arguments.
    """

    def __init__(self, on_error: str = 'raise', imdecode_backend: str = 'pillow',
                 **kwargs) -> None:
        require(on_error in ON_ERROR, 'CheckedLoadImageFromFile.on_error', on_error,
                f'one of {ON_ERROR}')
        super().__init__(imdecode_backend=imdecode_backend, **kwargs)
        self.on_error = on_error
        self.skipped = 0

    def transform(self, results: dict) -> Optional[dict]:
        """Load ``results['img_path']``; see the class docstring for failures."""
        path = results['img_path']
        try:
            loaded = super().transform(results)
        except Exception as err:  # missing, unreadable, truncated, not an image
            reason = f'{type(err).__name__}: {str(err).splitlines()[0][:200]}'
            if self.on_error == 'raise':
                raise ConfigError(
                    f'image file {path!r} is invalid: cannot be decoded ({reason}); fix or '
                    "remove it, or skip such files with dict(type='CheckedLoadImageFromFile', "
                    "on_error='skip')") from None
            self.skipped += 1
            print_log(f'skipped unreadable image {path} ({reason}); {self.skipped} skipped so '
                      'far by this data worker', logger='current', level=logging.WARNING)
            return None
        return loaded
