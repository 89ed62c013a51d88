//! Integration tests of the Diia client (against a local mock of Diia) and of delivery parsing
//! and opening (with the real envelopes published in Diia's JS SDK).

// Helpers outside #[test] functions (mock server, fixtures) unwrap like the tests do.
#![allow(clippy::unwrap_used)]

mod client;
mod delivery;
mod mock;
mod opener;
mod sim;
