"""The best known schedule of 32 people in groups of four: ten rounds, no pair twice.

Ten is the best known for the social golfer problem 8-4-10 (CSPLib problem
10).  No linear construction reaches it: the 31 non-zero vectors of GF(2)^5
hold at most nine planes meeting only in 0, and the pairs those nine rounds
leave unused contain no group of four.  So this schedule is kept as data:
the 8-4-10 solution listed by the Wolfram Demonstrations Project ("Social
Golfer Problem"), as collected in the literature notes of the public
Dagstuhl-tables repository (fpvandoorn/Dagstuhl-tables), with its golfers
A-P and a-p numbered 0-15 and 16-31, each number written as one base-32
digit (0-9, a-v).  ``designs._tabulate`` checks on first use that every
round partitions the 32 and no pair meets twice.
"""

from __future__ import annotations

# One round a line: eight groups of four people, each person a base-32 digit.
_ROUNDS = (
    "0123 4567 89ab cdef ghij klmn opqr stuv",
    "048s 17im 26hn 35av 9ert bdpu cgko fjlq",
    "0lru 1nqs 29fk 36do 4ipv 5beg 7ach 8jmt",
    "0bio 1ajp 28gr 39hq 4cnt 5fmu 6elv 7dks",
    "0adm 14fr 2lps 378u 59ci 6gqt bhkv ejno",
    "09nv 15ot 2cju 3eis 4bmq 6akr 7fgp 8dhl",
    "05jk 169u 27bt 34gl 8cqv afos dinr ehmp",
    "0fht 1dgv 24ae 3cmr 58np 6bjs 79lo ikqu",
    "06cp 18ek 25dq 3bfn 4hou 7jrv 9gms ailt",
    "07eq 1bcl 2mov 3kpt 49dj 5hrs 68fi agnu",
)


def schedule_8_4_10() -> list[tuple[tuple[int, ...], ...]]:
    """The ten rounds as groups of point numbers 0..31."""
    return [
        tuple(tuple(int(digit, 32) for digit in group) for group in line.split())
        for line in _ROUNDS
    ]
