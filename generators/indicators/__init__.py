"""Indicators and their pure computation: the indicator dictionary, targets, member
units, periods, rates from summed counts, assessment against targets and ranks.

In: counts and targets.  Out: numbers and verdicts; no files are written here.
"""
