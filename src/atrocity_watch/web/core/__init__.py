"""Layout, navigation, security headers, health check, and the country look-ups all apps use."""
