//! `vikno-cli`: the operator's command line over Vikno's library crates.

fn main() {}
