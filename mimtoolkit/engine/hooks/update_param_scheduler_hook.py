"""Iteration schedulers that step once per optimizer update (gradient accumulation)."""
from mmengine.hooks import ParamSchedulerHook

from mimtoolkit.registry import HOOKS


@HOOKS.register_module()
class UpdateParamSchedulerHook(ParamSchedulerHook):
    """mmengine's ``ParamSchedulerHook``, stepping iteration schedulers only after an update.

    mmengine steps iteration-based schedulers after every iteration; with
    ``optim_wrapper.accumulative_counts = k`` that is every micro-batch, so
    the schedule would run up to one update ahead of a run with k times the
    batch. Here they step when the optimizer wrapper has just updated, and
    ``MIMRunner`` builds them with iteration counts in updates (an epoch of
    N micro-batches is N / k updates), so update u of the accumulating run
    uses the lr of update u of the kB run. Without accumulation this is
    mmengine's hook. Epoch-based schedulers step per epoch, as in mmengine.
    """

    def after_train_iter(self, runner, batch_idx: int, data_batch=None, outputs=None) -> None:
        """Step the iteration schedulers if this iteration ended with an update."""
        wrappers = runner.optim_wrapper
        wrappers = wrappers.values() if hasattr(wrappers, 'values') else [wrappers]
        if all(w.should_update() for w in wrappers):
            super().after_train_iter(runner, batch_idx, data_batch, outputs)
