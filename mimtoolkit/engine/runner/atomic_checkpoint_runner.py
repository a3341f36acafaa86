"""AtomicCheckpointRunner: a checkpoint file is either complete or absent."""
import os
import os.path as osp

from mmengine.dist import master_only
from mmengine.runner import Runner


class AtomicCheckpointRunner(Runner):
    """mmengine's ``Runner`` whose ``save_checkpoint`` writes ``NAME.part``, then renames it.

    mmengine writes checkpoints in place: a process killed mid-write leaves a
    truncated ``epoch_N.pth`` (or overwrites a good file with a broken one).
    Here the bytes go to ``NAME.part`` and ``os.replace`` (atomic on POSIX)
    puts the finished file under its name, so ``last_checkpoint`` and
    ``--resume`` only ever see whole checkpoints. Remote (non-local) work
    dirs are written as mmengine does. ``tools/train.py`` uses this runner
    unless the config names a ``runner_type``.
    """

    @master_only
    def save_checkpoint(self, out_dir: str, filename: str, *args, **kwargs) -> None:
        """Save as mmengine does, through a temporary file (see the class docstring)."""
        if not osp.isdir(out_dir):  # a remote backend: no rename
            return super().save_checkpoint(out_dir, filename, *args, **kwargs)
        partial = f'{filename}.part'
        super().save_checkpoint(out_dir, partial, *args, **kwargs)
        os.replace(osp.join(out_dir, partial), osp.join(out_dir, filename))
