"""The book club kind (activities side): proposals, a vote through polls, a plan, a meeting."""
