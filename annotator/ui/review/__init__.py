"""Reviewing: the review window comparing annotators and adjudicating gold, its view and models, and the agreement
dialog.
"""
