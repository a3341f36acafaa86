"""Model parts, registered in ``mimtoolkit.registry.MODELS``."""
from . import backbones, heads, layers, maskers, pretrainers, targets  # noqa: F401
