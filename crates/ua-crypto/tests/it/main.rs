//! Integration tests for ua-crypto: known answers, the published Diia SDK samples, round trips
//! and corruption of real inputs.

// Helpers outside #[test] functions unwrap too: a failed fixture read is a failed test.
#![allow(clippy::unwrap_used, clippy::expect_used, unreachable_pub)]

mod corrupt;
mod fixtures;
mod kat;
mod roundtrip;
mod samples;
