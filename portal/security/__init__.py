"""Security rules of the portal: throttled sign-in, two-factor for staff, short staff sessions,
no caching of personal pages, and the security log (logger "portal.security")."""
