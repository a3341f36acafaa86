"""One clear error type for bad configs and inputs."""
from typing import Any


class ConfigError(ValueError):
    """A config value or input that the toolkit cannot use.

    The message names the field, the value given and what is allowed.
    """


def require(condition: bool, field: str, value: Any, allowed: str) -> None:
    """Raise :class:`ConfigError` unless ``condition`` holds.

    Args:
        condition (bool): What must be true.
        field (str): The config key, e.g. ``'model.masker.mask_ratio'``.
        value: The value that was given.
        allowed (str): What is allowed, e.g. ``'a float in (0, 1)'``.

    Raises:
        ConfigError: ``"<field>=<value!r> is invalid: expected <allowed>"``.
    """
    if not condition:
        raise ConfigError(f'{field}={value!r} is invalid: expected {allowed}')


#: The command that builds mmcv's compiled ops (mmseg and mmdet import them).
OPS_COMMAND = 'make install-ops'


def is_missing_ops(err: BaseException) -> bool:
    """Whether an ImportError is mmcv's compiled ops missing (an install without them)."""
    return isinstance(err, ImportError) and ('mmcv._ext' in str(err) or 'mmcv.ops' in str(err))


def missing_ops_line(needed_by: str) -> str:
    """The one line for a run that needs mmcv's compiled ops where they were not built."""
    return (f"{needed_by} need mmcv's compiled ops, which this install lacks (mmseg and mmdet "
            f'import them; pretraining does not): run `{OPS_COMMAND}` (a one-time build: '
            'about 11 min on 2 cores; CUDA kernels on a GPU host)')


class NonFiniteLossError(RuntimeError):
    """A loss became NaN or inf; the message names the iteration and the losses."""
