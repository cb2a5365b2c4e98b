"""Imports into the register: a whole-register export, spreadsheets, CNIL PIA files."""
