"""What the image readers do with a file they cannot decode: name it, or skip and count it."""
import logging

from mmengine.logging import print_log

from .errors import ConfigError

ON_ERROR = ('raise', 'skip')


class UnreadableImages:
    """The ``on_error`` policy of a reader (a data-pipeline loader, a data preprocessor).

    Args:
        on_error (str): ``'raise'``: one :class:`ConfigError` naming the file. ``'skip'``:
            log the file with a running count, and let the caller drop it.
        skip_with (str): The setting that turns skipping on, for the error's advice, e.g.
            ``"dict(type='CheckedLoadImageFromFile', on_error='skip')"``.
        counted_by (str): Whose count the log gives, e.g. ``'this data worker'``.
    """

    def __init__(self, on_error: str, skip_with: str, counted_by: str) -> None:
        self.on_error, self.skip_with, self.counted_by = on_error, skip_with, counted_by
        self.skipped = 0

    def handle(self, path: str, err: Exception) -> None:
        """Raise for ``path`` (``'raise'``) or log and count it (``'skip'``)."""
        reason = f'{type(err).__name__}: {str(err).splitlines()[0][:200]}'
        if self.on_error == 'raise':
            raise ConfigError(
                f'image file {path!r} is invalid: cannot be decoded ({reason}); fix or remove '
                f'it, or skip such files with {self.skip_with}') from None
        self.skipped += 1
        print_log(f'skipped unreadable image {path} ({reason}); {self.skipped} skipped so far '
                  f'by {self.counted_by}', logger='current', level=logging.WARNING)
