//! Integration tests of vikno-core: real SQLite in temp dirs, real HTTP, the real Diia sample.

mod common;
mod desk;
mod receiver;
mod store;
