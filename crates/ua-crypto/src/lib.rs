//! Ukrainian public-key crypto for Diia deliveries: GOST 28147-89, GOST 34.311-95, DSTU 4145, CMS and key containers, in pure Rust.

#![forbid(unsafe_code)]

pub mod dstu4145;
pub mod gf2m;
pub mod gost89;
pub mod hash;
pub mod oids;
