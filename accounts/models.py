# Login failures are django-axes' (AccessAttempt); accounts has no models of its own.
