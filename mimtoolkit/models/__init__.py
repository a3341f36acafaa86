"""Model parts, registered in ``mimtoolkit.registry.MODELS``."""
from . import (backbones, classifiers, data_preprocessors, heads, layers, losses,  # noqa: F401
               maskers, mixers, necks, pretrainers, targets)
