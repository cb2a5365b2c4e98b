"""Users, roles, sign-in and account administration."""
