"""The advent-of-learning kind (activities side): a daily tip between two dates."""
