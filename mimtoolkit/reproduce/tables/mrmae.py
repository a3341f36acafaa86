"""MR-MAE's Tab. 3 (Gao et al.): "mimic before reconstruct" and its tricks, 200 epochs."""
from ..table import Cell, Step, Table, evaluate, pretrain

PRE = 'configs/mrmae/mrmae_'
FT = 'configs/mrmae/benchmarks/vit-base-p16_8xb128-coslr-100e-ft_in1k.py'
CONV_FT = 'configs/mrmae/benchmarks/convvit-base-p16_8xb128-coslr-100e-ft_in1k.py'

COCO = 'configs/downstream/coco/mrmae_{}-base-p16_mask-rcnn_sfp_8xb2-amp-lsj-25e_coco.py'

#: (row, step name, pretraining config, backbone, Tab. 3's ImageNet-1K fine-tuning top-1 and
#: COCO AP box / mask, None where the table has N/A)
ROWS = (('L_R', 'rec-only', 'vit-base-p16_8xb128-amp-coslr-200e_in1k_rec-only.py', 'vit',
         83.0, None),
        ('L_R + L_M', 'random-mask', 'vit-base-p16_8xb128-amp-coslr-200e_in1k_random-mask.py',
         'vit', 84.7, None),
        ('+ focused mimic', 'focused', 'vit-base-p16_8xb128-amp-coslr-200e_in1k.py', 'vit',
         84.9, None),
        ('+ multi-layer fusion', 'fusion', 'vit-base-p16_8xb128-amp-coslr-200e_in1k_fusion.py',
         'vit', 85.0, (51.6, 45.5)),
        ('L_R + L_R (high-level on the decoder)', 'semantic-conflict',
         'vit-base-p16_8xb128-amp-coslr-200e_in1k_semantic-conflict.py', 'vit', 83.3,
         (50.3, 44.9)),
        ('L_M only', 'mimic-only', 'vit-base-p16_8xb128-amp-coslr-200e_in1k_mimic-only.py',
         'vit', 84.9, (50.9, 44.8)),
        ('+ masked convolution (MR-MAE)', 'masked-conv',
         'convvit-base-p16_8xb128-amp-coslr-200e_in1k.py', 'convvit', 85.5, (53.0, 46.5)))


def tab3_steps(name: str, config: str, backbone: str, coco) -> tuple:
    """A row's pretraining, its ImageNet-1K fine-tuning and, where the table has a number, its
    COCO Mask R-CNN transfer (§4.2's protocol)."""
    steps = (pretrain(name, PRE + config),
             evaluate(f'{name}-ft', CONV_FT if backbone == 'convvit' else FT, name))
    if coco:
        steps += (evaluate(f'{name}-coco', COCO.format(backbone), name, metric='coco/bbox_mAP',
                           scale=100), )
    return steps


def tab3_cells(name: str, ft: float, coco) -> tuple:
    """FT, AP box, AP mask of a row."""
    if not coco:
        return (Cell(f'{name}-ft', ft), None, None)
    return (Cell(f'{name}-ft', ft), Cell(f'{name}-coco', coco[0]),
            Cell(f'{name}-coco', coco[1], metric='coco/segm_mAP'))


TAB3 = Table(
    name='mrmae-tab3',
    title='MR-MAE ablations, 200 epochs: ImageNet-1K fine-tuning top-1 % and COCO AP',
    source='MR-MAE (Gao et al.), Tab. 3',
    columns=('ImageNet-1K FT', 'COCO AP box', 'COCO AP mask'),
    rows=tuple((label, tab3_cells(name, ft, coco)) for label, name, _, _, ft, coco in ROWS),
    steps=tuple(step for _, name, config, backbone, _, coco in ROWS
                for step in tab3_steps(name, config, backbone, coco)),
    notes=('COCO: Mask R-CNN with ViTDet\'s simple feature pyramid, 25 epochs at 1024² '
           '(§4.2\'s protocol; the paper does not name Tab. 3\'s, see docs/recipes.md).', ))

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
