"""How well the consultation reads real clients: the shared corpus scored per field and per language.

No timing here: a case is read right, asked again (the client is asked once more) or read wrong (a value a
person would not take from the answer goes on silently). `make bench` prints the tables; the README shows them.
"""

from __future__ import annotations

from inkline_understanding.report import render, score_all, tally


def main() -> None:
    outcomes = score_all()
    overall = tally(outcomes)
    print(
        f"{overall.total} answers: {overall.right_share:.0%} read right, "
        f"{overall.right_or_asked_share:.0%} right or asked again\n"
    )
    print(render(outcomes))


if __name__ == "__main__":
    main()
