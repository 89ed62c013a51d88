//! The desk: request lifecycle, delivery receiver, encrypted document store, audit log, retention, secrets.
