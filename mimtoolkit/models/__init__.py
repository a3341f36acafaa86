"""Model parts, registered in ``mimtoolkit.registry.MODELS``."""
from . import (backbones, data_preprocessors, heads, layers, losses, maskers, mixers,  # noqa: F401
               necks, pretrainers, targets)
