"""Exports of the register: list spreadsheets, the whole register, DPIA documents."""
