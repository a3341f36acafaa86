"""Model parts, registered in ``mimtoolkit.registry.MODELS``."""
from . import backbones, heads, layers, maskers, mixers, necks, pretrainers, targets  # noqa: F401
