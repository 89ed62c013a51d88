//! Arithmetic in GF(2^m) with a polynomial basis, for the DSTU 4145 binary curves (m = 163 … 509).
