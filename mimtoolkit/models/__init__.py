"""Model parts, registered in ``mimtoolkit.registry.MODELS``."""
from . import (backbones, heads, layers, losses, maskers, mixers, necks, pretrainers,  # noqa: F401
               targets)
