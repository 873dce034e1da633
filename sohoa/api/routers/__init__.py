"""One router per resource of the counter app."""
