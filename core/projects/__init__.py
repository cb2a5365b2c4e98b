"""Governing decisions, projects and the parties that share data."""
