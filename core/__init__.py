"""Foundations shared by every part of the register.

This package imports nothing from dpia, sharing or register: users, roles,
decisions, projects, parties, the review mixin, mail and form helpers.
"""
