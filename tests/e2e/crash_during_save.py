"""Imported into a training run (``custom_imports``) to kill it in the middle of writing a
checkpoint: when the file being written contains ``$MIMTOOLKIT_TEST_CRASH_ON``, half of its
bytes go to disk and the process exits at once (``os._exit``), as a killed job would."""
import os

from mmengine.fileio.backends import LocalBackend

_put = LocalBackend.put


def _put_then_die(self, obj, filepath):
    target = os.environ.get('MIMTOOLKIT_TEST_CRASH_ON')
    if target and target in str(filepath):
        with open(filepath, 'wb') as f:
            f.write(obj[:len(obj) // 2])
        os._exit(3)
    return _put(self, obj, filepath)


LocalBackend.put = _put_then_die
