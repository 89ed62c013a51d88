//! Harness for the end-to-end tests: starts the app under WebDriver with a fresh data directory.
