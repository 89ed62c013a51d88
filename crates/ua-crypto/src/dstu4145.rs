//! DSTU 4145-2002 elliptic curves over GF(2^m): curve table, points, keys, signatures and ECDH.
