"""Training runs shared by the end-to-end modules: each is made once per session, by the first
module (on whichever xdist worker) that asks for it; the others wait for it and read it."""
import shutil

import pytest
from filelock import FileLock

from ..conftest import run_tool, shared_dir
from .helpers import SMALL_PHOTO_RUN

MAE_PHOTOS = 'configs/mae/mae_vit-tiny-p8_1xb16-coslr-20e_skimage-64.py'
MAE_EPOCHS = 8


@pytest.fixture(scope='session')
def mae_photo_run(tmp_path_factory) -> str:
    """Work dir of the tiny MAE trained on the embedded photos: 8 epochs of 5 iterations
    (``SMALL_PHOTO_RUN``), every epoch saved, a reconstruction figure at iterations 16 and 32
    and at the end. The teacher of the i-MAE, MR-MAE and hybrid runs; read, never written to.
    """
    work_dir, lock = shared_dir(tmp_path_factory, 'mae-photos')
    with FileLock(lock):
        if not (work_dir / f'epoch_{MAE_EPOCHS}.pth').is_file():
            shutil.rmtree(work_dir, ignore_errors=True)  # what a failed attempt left
            run_tool(['tools/train.py', MAE_PHOTOS, '--work-dir', str(work_dir),
                      '--cfg-options', *SMALL_PHOTO_RUN, f'train_cfg.max_epochs={MAE_EPOCHS}',
                      'custom_hooks.0.interval=16'])
    return str(work_dir)
