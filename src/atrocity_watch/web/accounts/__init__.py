"""Users, memberships (role and country scope), two-factor login, API tokens, login limits."""
