"""MR-MAE's Tab. 3 (Gao et al.): "mimic before reconstruct" and its tricks, 200 epochs."""
from ..table import Cell, Table, evaluate, pretrain

PRE = 'configs/mrmae/mrmae_'
FT = 'configs/mrmae/benchmarks/vit-base-p16_8xb128-coslr-100e-ft_in1k.py'
CONV_FT = 'configs/mrmae/benchmarks/convvit-base-p16_8xb128-coslr-100e-ft_in1k.py'

#: (row, step name, pretraining config, fine-tune config, Tab. 3's ImageNet-1K fine-tuning)
ROWS = (('L_R', 'rec-only', 'vit-base-p16_8xb128-amp-coslr-200e_in1k_rec-only.py', FT, 83.0),
        ('L_R + L_M', 'random-mask', 'vit-base-p16_8xb128-amp-coslr-200e_in1k_random-mask.py',
         FT, 84.7),
        ('+ focused mimic', 'focused', 'vit-base-p16_8xb128-amp-coslr-200e_in1k.py', FT, 84.9),
        ('+ multi-layer fusion', 'fusion', 'vit-base-p16_8xb128-amp-coslr-200e_in1k_fusion.py',
         FT, 85.0),
        ('L_R + L_R (high-level on the decoder)', 'semantic-conflict',
         'vit-base-p16_8xb128-amp-coslr-200e_in1k_semantic-conflict.py', FT, 83.3),
        ('L_M only', 'mimic-only', 'vit-base-p16_8xb128-amp-coslr-200e_in1k_mimic-only.py',
         FT, 84.9),
        ('+ masked convolution (MR-MAE)', 'masked-conv',
         'convvit-base-p16_8xb128-amp-coslr-200e_in1k.py', CONV_FT, 85.5))

TAB3 = Table(
    name='mrmae-tab3',
    title='MR-MAE ablations, 200 epochs: ImageNet-1K fine-tuning top-1 %',
    source='MR-MAE (Gao et al.), Tab. 3, ImageNet-1K FT column',
    columns=('ImageNet-1K FT', ),
    rows=tuple((label, (Cell(f'{name}-ft', acc), )) for label, name, _, _, acc in ROWS),
    steps=tuple(step for _, name, config, ft, _ in ROWS for step in (
        pretrain(name, PRE + config), evaluate(f'{name}-ft', ft, name))),
    notes=('Tab. 3\'s COCO columns (rows 4-7) are not part of this command.', ))

TABLES = (TAB3, )
