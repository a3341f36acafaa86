"""MR-MAE's Tab. 3 (Gao et al.): "mimic before reconstruct" and its tricks, 200 epochs."""
from ..table import Cell, Step, Table, evaluate, pretrain

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

ENSEMBLE = 'configs/mrmae/benchmarks/vit-base-p16_8xb128-ensemble-clip-dino_in1k.py'
TAB4 = Table(
    name='mrmae-tab4',
    title='MR-MAE high-level targets: ImageNet-1K fine-tuning top-1 %',
    source='MR-MAE (Gao et al.), Tab. 4',
    columns=('FT', ),
    rows=(('DINO', (Cell('dino-ft', 84.0), )), ('CLIP', (Cell('clip-ft', 85.0), )),
          ('CLIP/DINO (Joint)', (Cell('joint-ft', 83.8), )),
          ('CLIP/DINO (Sep.)', (Cell('separate', 85.5), ))),
    steps=(pretrain('dino', PRE + 'vit-base-p16_8xb128-amp-coslr-400e_in1k_dino.py'),
           evaluate('dino-ft', FT, 'dino'),
           pretrain('clip', PRE + 'vit-base-p16_8xb128-amp-coslr-400e_in1k.py'),
           evaluate('clip-ft', FT, 'clip'),
           pretrain('joint', PRE + 'vit-base-p16_8xb128-amp-coslr-400e_in1k_dino-clip.py'),
           evaluate('joint-ft', FT, 'joint'),
           Step('separate', ENSEMBLE, metric='accuracy/top1', joins=('clip-ft', 'dino-ft'))),
    notes=('CLIP/DINO (Sep.): the CLIP and DINO rows\' fine-tuned models evaluated as one, '
           'their softmax scores averaged (ClassifierEnsemble; the paper does not say how it '
           'ensembles).', ))

TABLES = (TAB3, TAB4)
