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


class NonFiniteLossError(RuntimeError):
    """A loss became NaN or inf; the message names the iteration and the losses."""
