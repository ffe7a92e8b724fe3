"""The demo scenario: a corridor of real places with invented people."""
