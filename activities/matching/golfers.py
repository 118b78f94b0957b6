"""The best known schedule of 32 people in groups of four: ten rounds, no pair twice.

Ten is the best known for the social golfer problem 8-4-10 (CSPLib problem
10).  No linear construction reaches it: the 31 non-zero vectors of GF(2)^5
hold at most nine planes meeting only in 0, and the pairs those nine rounds
leave unused contain no group of four.  So this schedule is kept as data:
the 8-4-10 solution listed by the Wolfram Demonstrations Project ("Social
Golfer Problem"), as collected in the literature notes of the public
Dagstuhl-tables repository (fpvandoorn/Dagstuhl-tables), with its golfers
A-P and a-p numbered 0-15 and 16-31.  ``designs._tabulate`` checks on first
use that every round partitions the 32 and no pair meets twice.
"""

from __future__ import annotations

# One round every two lines: eight groups of four.
# fmt: off
SCHEDULE_8_4_10: tuple[tuple[tuple[int, int, int, int], ...], ...] = (
    (( 0,  1,  2,  3), ( 4,  5,  6,  7), ( 8,  9, 10, 11), (12, 13, 14, 15),
     (16, 17, 18, 19), (20, 21, 22, 23), (24, 25, 26, 27), (28, 29, 30, 31)),
    (( 0,  4,  8, 28), ( 1,  7, 18, 22), ( 2,  6, 17, 23), ( 3,  5, 10, 31),
     ( 9, 14, 27, 29), (11, 13, 25, 30), (12, 16, 20, 24), (15, 19, 21, 26)),
    (( 0, 21, 27, 30), ( 1, 23, 26, 28), ( 2,  9, 15, 20), ( 3,  6, 13, 24),
     ( 4, 18, 25, 31), ( 5, 11, 14, 16), ( 7, 10, 12, 17), ( 8, 19, 22, 29)),
    (( 0, 11, 18, 24), ( 1, 10, 19, 25), ( 2,  8, 16, 27), ( 3,  9, 17, 26),
     ( 4, 12, 23, 29), ( 5, 15, 22, 30), ( 6, 14, 21, 31), ( 7, 13, 20, 28)),
    (( 0, 10, 13, 22), ( 1,  4, 15, 27), ( 2, 21, 25, 28), ( 3,  7,  8, 30),
     ( 5,  9, 12, 18), ( 6, 16, 26, 29), (11, 17, 20, 31), (14, 19, 23, 24)),
    (( 0,  9, 23, 31), ( 1,  5, 24, 29), ( 2, 12, 19, 30), ( 3, 14, 18, 28),
     ( 4, 11, 22, 26), ( 6, 10, 20, 27), ( 7, 15, 16, 25), ( 8, 13, 17, 21)),
    (( 0,  5, 19, 20), ( 1,  6,  9, 30), ( 2,  7, 11, 29), ( 3,  4, 16, 21),
     ( 8, 12, 26, 31), (10, 15, 24, 28), (13, 18, 23, 27), (14, 17, 22, 25)),
    (( 0, 15, 17, 29), ( 1, 13, 16, 31), ( 2,  4, 10, 14), ( 3, 12, 22, 27),
     ( 5,  8, 23, 25), ( 6, 11, 19, 28), ( 7,  9, 21, 24), (18, 20, 26, 30)),
    (( 0,  6, 12, 25), ( 1,  8, 14, 20), ( 2,  5, 13, 26), ( 3, 11, 15, 23),
     ( 4, 17, 24, 30), ( 7, 19, 27, 31), ( 9, 16, 22, 28), (10, 18, 21, 29)),
    (( 0,  7, 14, 26), ( 1, 11, 12, 21), ( 2, 22, 24, 31), ( 3, 20, 25, 29),
     ( 4,  9, 13, 19), ( 5, 17, 27, 28), ( 6,  8, 15, 18), (10, 16, 23, 30)),
)
# fmt: on
